# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection: it may change without notice.
"""A Logpush job as data: its public shape, health, and which destinations need a challenge.

Only this file knows what a job looks like. It speaks no HTTP and knows no Ansible.
"""

from __future__ import annotations

import difflib
import json
from datetime import datetime

from ansible.module_utils.six.moves.urllib.parse import unquote

from ._redact import redact_destination

# Every key a job can have in an API answer, in the order we return them.
JOB_KEYS = (
    "id", "name", "dataset", "kind", "enabled", "destination_conf", "frequency", "filter",
    "filter_attack_traffic", "logpull_options", "output_options", "max_upload_bytes",
    "max_upload_records", "max_upload_interval_seconds", "last_complete", "last_error",
    "error_message",
)
READ_ONLY_KEYS = ("id", "last_complete", "last_error", "error_message")

_NO_CHALLENGE_SCHEMES = ("r2", "https", "http", "datadog", "splunk", "sentinelone", "ibmcl", "bq", "kinesis")
_CHALLENGE_SCHEMES = ("gs", "azure", "sumo")


def destination_scheme(conf):
    scheme, sep, _rest = (conf or "").partition("://")
    return scheme.lower() if sep else ""


def needs_ownership_challenge(conf):
    """True when Cloudflare asks for an ownership challenge to push to this destination.

    AWS S3 without keys and without an endpoint, GCS, Azure and Sumo Logic do; S3-compatible
    stores, S3 with access keys, R2, HTTP(S), Datadog, Splunk and the rest do not.
    """
    scheme = destination_scheme(conf)
    if scheme in _CHALLENGE_SCHEMES:
        return True
    if scheme != "s3":
        return False
    query = conf.partition("?")[2].partition("#")[0]
    names = set(part.partition("=")[0].lower() for part in query.split("&") if part)
    if "endpoint" in names:
        return False
    return not {"access-key-id", "secret-access-key"} <= names


def _parse_time(value):
    if not value or not isinstance(value, str):
        return None
    text = value.strip().replace("Z", "+00:00")
    # fromisoformat in older Pythons accepts at most 6 fractional digits
    if "." in text:
        head, _dot, tail = text.partition(".")
        digits = len(tail) - len(tail.lstrip("0123456789"))
        tail = tail[:min(digits, 6)] + tail[digits:]
        text = head + ("." + tail if tail and tail[0].isdigit() else tail)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def job_health(job):
    """``disabled``, ``pending`` (enabled, never pushed), ``failing`` or ``ok``.

    ``failing`` means the last error is not older than the last complete push (or there never
    was one): the destination currently rejects the logs. The API's timestamps have one-second
    resolution, so an error in the same second as a success counts as failing.
    """
    if not job.get("enabled"):
        return "disabled"
    last_complete = _parse_time(job.get("last_complete"))
    last_error = _parse_time(job.get("last_error"))
    if last_error is not None and (last_complete is None or last_error >= last_complete):
        return "failing"
    if last_complete is None:
        return "pending"
    return "ok"


def public_job(job):
    """A job as the modules return it: every key present, secrets redacted, with its health."""
    shown = dict((key, job.get(key)) for key in JOB_KEYS)
    for key, value in job.items():
        if key not in shown and key != "ownership_challenge":
            shown[key] = value
    shown["destination_conf"] = redact_destination(job.get("destination_conf"))
    shown["kind"] = job.get("kind") or ""
    shown["enabled"] = bool(job.get("enabled"))
    shown["health"] = job_health(job)
    return shown


# -- the desired job, compared with the current one (API.md Checklist B) --------------------------

KNOWN_SCHEMES = ("s3", "r2", "gs", "azure", "sumo", "splunk", "datadog", "https", "bq", "kinesis", "ibmcl", "sentinelone")

# Datasets by scope (Cloudflare's dataset pages, 2026); a few exist in both.
ZONE_DATASETS = frozenset((
    "http_requests", "firewall_events", "dns_logs", "spectrum_events", "nel_reports", "page_shield_events",
    "zaraz_events", "websocket_analytics", "account_abuse_protection_events",
))
ACCOUNT_DATASETS = frozenset((
    "access_requests", "audit_logs", "audit_logs_v2", "biso_user_actions", "casb_findings", "device_posture_results",
    "dex_application_tests", "dex_device_state_events", "dlp_forensic_copies", "dns_firewall_logs",
    "email_security_alerts", "email_security_post_delivery_events", "firewall_events", "gateway_dns", "gateway_http",
    "gateway_network", "ipsec_logs", "magic_bgp_logs", "magic_ids_detections", "mcp_portal_logs", "mnm_flow_logs",
    "network_analytics_logs", "sinkhole_http_logs", "ssh_logs", "turnstile_events", "warp_config_changes",
    "warp_toggle_changes", "websocket_analytics", "workers_trace_events", "zero_trust_network_sessions",
))
DEFAULT_DATASET = "http_requests"

# output_options: module sub-option name -> API key
OUTPUT_OPTION_KEYS = {
    "field_names": "field_names", "output_type": "output_type", "batch_prefix": "batch_prefix",
    "batch_suffix": "batch_suffix", "record_prefix": "record_prefix", "record_suffix": "record_suffix",
    "record_template": "record_template", "record_delimiter": "record_delimiter",
    "field_delimiter": "field_delimiter", "timestamp_format": "timestamp_format", "sample_rate": "sample_rate",
    "cve_2021_44228": "CVE-2021-44228", "merge_subrequests": "merge_subrequests",
}
# What Cloudflare uses when a key is absent, by output_type (log-output-options docs).
OUTPUT_DEFAULTS = {
    "ndjson": {"output_type": "ndjson", "batch_prefix": "", "batch_suffix": "", "record_prefix": "{",
               "record_suffix": "}\n", "record_template": "", "record_delimiter": "", "field_delimiter": ",",
               "timestamp_format": "unixnano", "sample_rate": 1.0, "CVE-2021-44228": False, "merge_subrequests": False},
    "csv": {"output_type": "csv", "batch_prefix": "", "batch_suffix": "", "record_prefix": "",
            "record_suffix": "\n", "record_template": "", "record_delimiter": "", "field_delimiter": ",",
            "timestamp_format": "unixnano", "sample_rate": 1.0, "CVE-2021-44228": False, "merge_subrequests": False},
}
UPLOAD_RANGES = {
    "max_upload_bytes": (5000000, 1000000000),
    "max_upload_records": (1000, 1000000),
    "max_upload_interval_seconds": (30, 300),
}
# Keys compared as "unset" when absent, null, "" or 0 (the API serialises with omitempty).
_EMPTY_MEANS_UNSET = ("name", "filter", "logpull_options", "max_upload_bytes", "max_upload_records",
                      "max_upload_interval_seconds")
COMPARED_KEYS = ("name", "enabled", "destination_conf", "frequency", "filter", "filter_attack_traffic",
                 "logpull_options", "output_options", "max_upload_bytes", "max_upload_records",
                 "max_upload_interval_seconds")
_DIFF_HIDDEN = ("last_complete", "last_error", "error_message", "health")


class JobInputError(ValueError):
    """Bad input, found before any request: the message names the option and the fix."""


def _unset(value):
    return value is None or value == "" or value == 0 and not isinstance(value, bool)


def parse_filter(value):
    """A filter given as a dict or JSON text -> the parsed object, or None to clear it."""
    if isinstance(value, str) and value.strip():
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise JobInputError("filter is not valid JSON (%s); give a dict or JSON text such as "
                                '{"where": {"key": "ClientCountry", "operator": "eq", "value": "ca"}}.' % exc)
    if value is None or value == {} or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, dict) or "where" not in value:
        raise JobInputError('filter must be an object with a top-level "where" key, for example '
                            '{"where": {"key": "ClientCountry", "operator": "eq", "value": "ca"}}.')
    return value


def canonical_filter(value):
    """Filters compare as parsed JSON: key order and white space do not matter."""
    if _unset(value):
        return None
    try:
        parsed = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return value  # a filter we cannot parse compares as text
    return json.dumps(parsed, sort_keys=True, separators=(",", ":"))


def logpull_fields(logpull_options):
    """The field names in a logpull_options query string (``fields=A,B&...``)."""
    query = (logpull_options or "").rpartition("?")[2]
    for part in query.split("&"):
        name, _sep, value = part.partition("=")
        if name == "fields":
            return [f for f in unquote(value).split(",") if f]
    return []


def requested_fields(desired):
    fields = list((desired.get("output_options") or {}).get("field_names") or [])
    return fields + [f for f in logpull_fields(desired.get("logpull_options")) if f not in fields]


def unknown_fields(wanted, known):
    """[(unknown field, [closest known fields])] for the fields that the dataset does not have."""
    known = list(known)
    return [(f, difflib.get_close_matches(f, known, n=3, cutoff=0.6)) for f in wanted if f not in known]


def desired_from_params(params):
    """The job fields the user set, in API form. Raises JobInputError on bad input."""
    desired = {}
    for key in ("name", "dataset", "destination_conf", "enabled", "frequency", "kind", "logpull_options",
                "filter_attack_traffic", "max_upload_bytes", "max_upload_records", "max_upload_interval_seconds"):
        if params.get(key) is not None:
            desired[key] = params[key]
    if params.get("filter") is not None:
        parsed = parse_filter(params["filter"])
        desired["filter"] = json.dumps(parsed, separators=(",", ":")) if parsed is not None else ""
    if params.get("output_options") is not None:
        desired["output_options"] = dict(
            (OUTPUT_OPTION_KEYS[k], v) for k, v in params["output_options"].items() if v is not None)
    _check_desired(desired)
    return desired


def _check_desired(desired):
    conf = desired.get("destination_conf")
    if conf is not None:
        scheme = destination_scheme(conf)
        if scheme not in KNOWN_SCHEMES:
            raise JobInputError(
                "destination_conf must start with one of %s (for example s3://bucket/path?region=us-east-1); "
                "got a value starting with %r." % (", ".join(s + "://" for s in KNOWN_SCHEMES), conf.split("/")[0][:20]))
        if len(conf) > 4096:
            raise JobInputError("destination_conf is longer than Cloudflare's limit of 4096 characters.")
    for key, (low, high) in UPLOAD_RANGES.items():
        value = desired.get(key)
        if value is not None and value != 0 and not low <= value <= high:
            raise JobInputError("%s must be 0 (Cloudflare's default) or between %d and %d, got %d."
                                % (key, low, high, value))
    name = desired.get("name")
    if name and len(name) > 512:
        raise JobInputError("name must be at most 512 characters long.")
    rate = (desired.get("output_options") or {}).get("sample_rate")
    if rate is not None and not 0 < rate <= 1:
        raise JobInputError("output_options.sample_rate must be greater than 0 and at most 1 (1 keeps every "
                            "record), got %s." % rate)
    if desired.get("kind") == "edge" and desired.get("dataset", DEFAULT_DATASET) != "http_requests":
        raise JobInputError("kind=edge (Edge Log Delivery) is only available for the http_requests dataset.")
    if desired.get("logpull_options") and destination_scheme(conf) == "https":
        raise JobInputError("logpull_options cannot be used with an https:// destination (Cloudflare refuses it): "
                            "use output_options instead.")


def check_dataset_scope(dataset, is_account):
    """Refuse a zone dataset on an account and the reverse; unknown datasets pass (the API decides)."""
    if is_account and dataset in ZONE_DATASETS and dataset not in ACCOUNT_DATASETS:
        raise JobInputError("dataset %s belongs to zones: give zone_id or zone instead of account_id." % dataset)
    if not is_account and dataset in ACCOUNT_DATASETS and dataset not in ZONE_DATASETS:
        raise JobInputError("dataset %s belongs to accounts: give account_id instead of zone_id or zone." % dataset)


def _output_value(options, key):
    """The value Cloudflare uses for an output_options key: as stored, or its documented default."""
    options = options or {}
    if key in options and options[key] is not None:
        return options[key]
    return OUTPUT_DEFAULTS.get(options.get("output_type") or "ndjson", OUTPUT_DEFAULTS["ndjson"]).get(key)


def _same_output(current, wanted):
    for key, value in wanted.items():
        have = _output_value(current, key)
        if key == "sample_rate":
            if have is None or float(have) != float(value):
                return False
        elif have != value:
            return False
    return True


def _normal(key, value):
    if key in _EMPTY_MEANS_UNSET and _unset(value):
        return None
    if key == "filter":
        return canonical_filter(value)
    if key == "kind":
        return "" if value in (None, "instant-logs") else value
    if key in ("enabled", "filter_attack_traffic"):
        return bool(value)
    return value


def changed_keys(current, desired):
    """The keys of ``desired`` whose value differs from ``current``, after normalisation."""
    changes = []
    for key in COMPARED_KEYS:
        if key not in desired:
            continue
        if key == "output_options":
            if not _same_output(current.get("output_options"), desired["output_options"]):
                changes.append(key)
        elif _normal(key, current.get(key)) != _normal(key, desired[key]):
            changes.append(key)
    return changes


def immutable_changes(current, desired):
    """dataset and kind cannot change on an existing job."""
    changes = []
    if "dataset" in desired and desired["dataset"] != current.get("dataset"):
        changes.append("dataset")
    if "kind" in desired and _normal("kind", desired["kind"]) != _normal("kind", current.get("kind")):
        changes.append("kind")
    return changes


def create_body(desired, ownership_challenge=None):
    body = dict(desired)
    body.setdefault("dataset", DEFAULT_DATASET)
    for key in _EMPTY_MEANS_UNSET:
        if key in body and _unset(body[key]):
            del body[key]  # nothing to unset on a new job
    if ownership_challenge:
        body["ownership_challenge"] = ownership_challenge
    return body


def update_body(current, desired, changes, ownership_challenge=None):
    """Only what changed; output_options whole (a PUT replaces it), kept keys from the server."""
    body = {}
    for key in changes:
        value = desired[key]
        if key == "output_options":
            merged = dict(current.get("output_options") or {})
            merged.update(value)
            value = merged
        elif key in _EMPTY_MEANS_UNSET and _unset(value):
            value = 0 if key.startswith("max_upload") else ""  # the API's way to clear a field
        body[key] = value
    if "destination_conf" in changes and ownership_challenge:
        body["ownership_challenge"] = ownership_challenge
    return body


def predict(current, body):
    """The job as the API will return it after the write (check mode, diff)."""
    job = dict(current or {})
    for key, value in body.items():
        if key == "ownership_challenge":
            continue
        job[key] = None if key in _EMPTY_MEANS_UNSET and _unset(value) else value
    if current is None:
        job.setdefault("enabled", False)
        job.setdefault("kind", "")
        job.setdefault("frequency", "high")
        job.setdefault("id", None)
    return job


def diff_view(job):
    """A job for --diff: redacted, without run-time state, keys sorted."""
    if not job:
        return {}
    shown = public_job(job)
    return dict((k, shown[k]) for k in sorted(shown) if k not in _DIFF_HIDDEN)


def matches(job, name=None, dataset=None, destination_conf=None):
    return ((name is None or job.get("name") == name)
            and (dataset is None or job.get("dataset") == dataset)
            and (destination_conf is None or job.get("destination_conf") == destination_conf))


def destination_location(conf):
    """Where a destination stores files: scheme, bucket (or container), path and region; no secrets."""
    scheme = destination_scheme(conf)
    rest = (conf or "").partition("://")[2]
    address, _sep, query = rest.partition("?")
    bucket, _sep, path = address.partition("/")
    params = dict(part.partition("=")[::2] for part in query.split("&") if part)
    is_store = scheme in ("s3", "r2", "gs", "azure")
    # other destinations may carry a secret in their path (Sumo Logic's code, HTTP tokens)
    return {
        "scheme": scheme,
        "bucket": bucket if is_store else None,
        "path": path.strip("/") if is_store else None,
        "region": params.get("region"),
        "endpoint": params.get("endpoint"),
    }
