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
import re
import time
from datetime import datetime, timezone

from urllib.parse import unquote

from ._destination import SCHEMES, destination_location, destination_scheme, needs_ownership_challenge
from ._filter import (JobInputError, canonical_filter, check_filter_limits, filter_keys, filter_type_errors,
                      parse_filter)
from ._redact import destination_secrets, redact_destination, redact_text

# Every key a job can have in an API answer, in the order we return them.
JOB_KEYS = (
    "id", "name", "dataset", "kind", "enabled", "destination_conf", "frequency", "filter",
    "filter_attack_traffic", "logpull_options", "output_options", "max_upload_bytes",
    "max_upload_records", "max_upload_interval_seconds", "last_complete", "last_error",
    "error_message", "time_created",
)
# time_created: in the one answer recorded from the live API (cf-terraforming's test data), in no schema
READ_ONLY_KEYS = ("id", "last_complete", "last_error", "error_message", "time_created")


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


def job_health(job, stale_after=None, now=None):
    """``disabled``, ``pending`` (enabled, never pushed), ``failing``, ``stale`` or ``ok``.

    ``failing`` means the last error is not older than the last complete push (or there never
    was one): the destination currently rejects the logs. The API's timestamps have one-second
    resolution, so an error in the same second as a success counts as failing.

    ``stale`` (only when ``stale_after`` is given, in seconds): enabled, not failing, and no push for
    longer than that, counted from the last push, or from ``time_created`` for a job that never pushed
    (when the answer has it). A job pushes a batch at most every ``max_upload_interval_seconds`` (30
    to 300) and only when there are logs, so the threshold is never less than twice that interval.
    """
    if not job.get("enabled"):
        return "disabled"
    last_complete = _parse_time(job.get("last_complete"))
    last_error = _parse_time(job.get("last_error"))
    if last_error is not None and (last_complete is None or last_error >= last_complete):
        return "failing"
    if stale_after:
        since = last_complete or _parse_time(job.get("time_created"))
        interval = job.get("max_upload_interval_seconds")
        threshold = max(stale_after, 2 * interval if isinstance(interval, int) else 0)
        if since is not None:
            if since.tzinfo is None:
                since = since.replace(tzinfo=timezone.utc)
            if (time.time() if now is None else now) - since.timestamp() > threshold:
                return "stale"
    if last_complete is None:
        return "pending"
    return "ok"


def push_outcome(job, since=None):
    """What a job did after a change: ``pushed``, ``failing``, ``disabled`` or None (nothing yet).

    Only what happened after the change counts: ``since`` holds the job's ``last_complete`` and
    ``last_error`` from before it, so an old error of a destination the job has moved away from
    is not a failure, and an old success is not proof that the new settings push. Cloudflare
    disables a job after 24 hours of failed pushes (its Logpush health page), keeping
    ``error_message``: that is ``disabled``."""
    since = since or {}
    if not job.get("enabled"):
        return "disabled"

    def newer(key):
        now, before = job.get(key), since.get(key)
        if not now or now == before:
            return None
        when, was = _parse_time(now), _parse_time(before)
        if when is None or (was is not None and when <= was):
            return None
        return when

    completed, failed = newer("last_complete"), newer("last_error")
    if failed is not None and (completed is None or failed >= completed):
        return "failing"
    return "pushed" if completed is not None else None


def public_job(job):
    """A job as the modules return it: every key present, secrets redacted, with its health."""
    shown = dict((key, job.get(key)) for key in JOB_KEYS)
    for key, value in job.items():
        if key not in shown and key != "ownership_challenge":
            shown[key] = value
    shown["destination_conf"] = redact_destination(job.get("destination_conf"))
    # Cloudflare's error_message may quote the destination, credentials included
    shown["error_message"] = redact_text(job.get("error_message"), destination_secrets(job.get("destination_conf")))
    shown["dataset"] = job_dataset(job)
    shown["kind"] = job.get("kind") or ""
    shown["enabled"] = bool(job.get("enabled"))
    # The same job reads the same whatever the answer's shape: Cloudflare's Go omitempty answers may
    # leave out frequency (its default is high) and the false and empty keys of output_options.
    shown["frequency"] = job.get("frequency") or "high"
    if isinstance(job.get("output_options"), dict):
        shown["output_options"] = dict((k, v) for k, v in job["output_options"].items()
                                       if v is not None and v is not False and v != "")
    shown["health"] = job_health(job)
    shown["filter_parsed"] = _parsed(job.get("filter"))
    return shown


def job_as_options(job):
    """A job in the shape of one item of logpush_jobs' ``jobs`` (logpush_job's options), to paste into a
    playbook: only what is set, the filter as structure, secrets still REDACTED (the parts to fill in)."""
    options = {"name": job.get("name") or "", "dataset": job_dataset(job),
               "destination_conf": redact_destination(job.get("destination_conf")), "enabled": bool(job.get("enabled"))}
    if job.get("kind") == "edge":
        options["kind"] = "edge"
    if job.get("frequency") == "low":
        options["frequency"] = "low"
    if _parsed(job.get("filter")) is not None:
        options["filter"] = _parsed(job.get("filter"))
    for key in ("filter_attack_traffic", "max_upload_bytes", "max_upload_records", "max_upload_interval_seconds"):
        if not _unset(job.get(key)):
            options[key] = job[key]
    names = dict((api, option) for option, api in OUTPUT_OPTION_KEYS.items())
    stored = _stored_output_options(job, convert_logpull=False)
    output = dict((names[k], v) for k, v in stored.items() if k in names and v is not None)
    extra = dict((k, v) for k, v in stored.items() if k not in names and v is not None)
    if extra:
        options["output_options_extra"] = extra  # keys this collection does not know, as Cloudflare has them
    if output or extra:
        # Cloudflare ignores logpull_options once output_options is set: only the options in force are
        # exported, so that the item can be pasted back as it is (a task may not give both)
        if output:
            options["output_options"] = output
    elif not _unset(job.get("logpull_options")):
        options["logpull_options"] = job["logpull_options"]
    return options


def _parsed(text):
    """A filter's JSON text as structure, or None when there is none (or it is not JSON)."""
    if not text or not isinstance(text, str):
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


# -- the desired job, compared with the current one (what Cloudflare returns, normalised) ----------


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


def job_dataset(job):
    """A job's dataset: an empty one is http_requests. Jobs made before 2020, when http_requests was the only
    dataset, may have none (the field is nullable in Cloudflare's OpenAPI schema and in cloudflare-go's
    LogpushJob, where it is a plain string that reads "" when absent; sure of the nullability, fairly sure
    of the reading)."""
    return (job or {}).get("dataset") or DEFAULT_DATASET


# output_options: module sub-option name -> API key
OUTPUT_OPTION_KEYS = {
    "field_names": "field_names", "output_type": "output_type", "batch_prefix": "batch_prefix",
    "batch_suffix": "batch_suffix", "record_prefix": "record_prefix", "record_suffix": "record_suffix",
    "record_template": "record_template", "record_delimiter": "record_delimiter",
    "field_delimiter": "field_delimiter", "timestamp_format": "timestamp_format", "sample_rate": "sample_rate",
    "cve_2021_44228": "CVE-2021-44228", "merge_subrequests": "merge_subrequests",
    # Cloudflare's BigQuery destination page: set it with custom formatting so that object fields reach BigQuery
    # as JSON text (not in the OpenAPI schema of 2026; sure, the page is Cloudflare's own)
    "stringify_object": "stringify_object",
}
# What Cloudflare uses when a key is absent, by output_type (log-output-options docs).
OUTPUT_DEFAULTS = {
    "ndjson": {"output_type": "ndjson", "batch_prefix": "", "batch_suffix": "", "record_prefix": "{",
               "record_suffix": "}\n", "record_template": "", "record_delimiter": "", "field_delimiter": ",",
               "timestamp_format": "unixnano", "sample_rate": 1.0, "CVE-2021-44228": False, "merge_subrequests": False,
               "stringify_object": False},
    "csv": {"output_type": "csv", "batch_prefix": "", "batch_suffix": "", "record_prefix": "",
            "record_suffix": "\n", "record_template": "", "record_delimiter": "", "field_delimiter": ",",
            "timestamp_format": "unixnano", "sample_rate": 1.0, "CVE-2021-44228": False, "merge_subrequests": False,
            "stringify_object": False},
}
# The keys whose default depends on output_type: they follow a change of type unless the task sets them.
TYPE_DEPENDENT_OUTPUT_KEYS = tuple(sorted(
    key for key, value in OUTPUT_DEFAULTS["ndjson"].items() if key != "output_type" and OUTPUT_DEFAULTS["csv"][key] != value))
UPLOAD_RANGES = {
    "max_upload_bytes": (5000000, 1000000000),
    "max_upload_records": (1000, 1000000),
    "max_upload_interval_seconds": (30, 300),
}
# Destinations whose own page documents other ranges. IBM Cloud Logs: "We recommend a default value of 2 MB per
# upload based on IBM's limits, which our system will enforce for this destination", with max_upload_bytes
# 2000000 in its example (cloudflare-docs enable-destinations/ibm-cloud-logs.mdx). Sure that 2,000,000 is taken;
# the lowest value it takes is not documented, so any positive one passes here and Cloudflare decides.
SCHEME_UPLOAD_RANGES = {
    "ibmcl": {"max_upload_bytes": (1, 1000000000)},
}


def upload_ranges(destination_conf):
    """The max_upload_* ranges for a destination (the general ones when it is not known)."""
    ranges = dict(UPLOAD_RANGES)
    ranges.update(SCHEME_UPLOAD_RANGES.get(destination_scheme(destination_conf) if destination_conf else None, {}))
    return ranges


# Keys compared as "unset" when absent, null, "" or 0 (the API serialises with omitempty).
_EMPTY_MEANS_UNSET = ("name", "filter", "logpull_options", "max_upload_bytes", "max_upload_records",
                      "max_upload_interval_seconds")
COMPARED_KEYS = ("name", "enabled", "destination_conf", "frequency", "filter", "filter_attack_traffic",
                 "logpull_options", "output_options", "max_upload_bytes", "max_upload_records",
                 "max_upload_interval_seconds")
_DIFF_HIDDEN = ("last_complete", "last_error", "error_message", "health", "filter_parsed", "time_created")


# The job name pattern of Cloudflare's OpenAPI schema (logpush_name, 2024) and of Terraform provider v4's
# validator; the 2026 schema shows only maxLength 512. Whether the API still enforces the pattern is not
# known, so we check it: a name it would refuse fails before any write, and a domain name always passes.
NAME_PATTERN = re.compile(r"^[a-zA-Z0-9\-.]*$")


def _unset(value):
    return value is None or value == "" or value == 0 and not isinstance(value, bool)


def logpull_fields(logpull_options):
    """The field names in a logpull_options query string (``fields=A,B&...``)."""
    query = (logpull_options or "").rpartition("?")[2]
    for part in query.split("&"):
        name, _sep, value = part.partition("=")
        if name == "fields":
            return [f for f in unquote(value).split(",") if f]
    return []


# logpull_options' parameters -> output_options keys. Cloudflare's "Log Output Options" page
# (developers.cloudflare.com/logs/logpush/logpush-job/log-output-options/, "Replace logpull_options") shows the
# same job both ways: fields= is field_names, sample= is sample_rate, timestamps= is timestamp_format; its
# Logpull "Request logs" page lists CVE-2021-44228=<boolean>, which output_options keeps under its own name.
# Sure: both pages are Cloudflare's own.
LOGPULL_TO_OUTPUT = {"fields": "field_names", "timestamps": "timestamp_format", "sample": "sample_rate",
                     "CVE-2021-44228": "CVE-2021-44228"}


def logpull_as_output_options(logpull_options):
    """logpull_options (``fields=A,B&timestamps=rfc3339``, or a whole Logpull URL) as output_options keys.
    Raises JobInputError for a parameter that has no output_options equivalent."""
    options = {}
    query = (logpull_options or "").rpartition("?")[2]
    for part in query.split("&"):
        if not part:
            continue
        name, _sep, value = part.partition("=")
        value = unquote(value)
        if name not in LOGPULL_TO_OUTPUT:
            raise JobInputError("logpull_options has the parameter %r, which has no output_options equivalent "
                                "(Cloudflare knows %s): give output_options instead." % (name, ", ".join(LOGPULL_TO_OUTPUT)))
        if name == "fields":
            options["field_names"] = [f for f in value.split(",") if f]
        elif name == "sample":
            try:
                options["sample_rate"] = float(value)
            except ValueError:
                raise JobInputError("logpull_options: sample=%s is not a number; give output_options.sample_rate." % value)
        elif name == "CVE-2021-44228":
            options["CVE-2021-44228"] = value.lower() == "true"
        else:
            options[LOGPULL_TO_OUTPUT[name]] = value
    return options


def requested_fields(desired):
    """Every field name the job refers to: its output fields, logpull fields and filter keys."""
    fields = list((desired.get("output_options") or {}).get("field_names") or [])
    more = logpull_fields(desired.get("logpull_options"))
    if desired.get("filter"):
        more += filter_keys(desired["filter"])
    for field in more:
        if field not in fields:
            fields.append(field)
    return fields


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
    if params.get("output_options_extra"):
        desired["output_options"] = dict(desired.get("output_options") or {}, **extra_output_options(
            params["output_options_extra"]))
    check_desired(desired)
    return desired


def extra_output_options(extra):
    """``output_options_extra``: output_options keys this collection does not know yet (Cloudflare adds them to
    its destination pages before its schema), sent as given, in API form. A key it knows is refused, so that
    each key has one place and is checked there."""
    known = dict((api, option) for option, api in OUTPUT_OPTION_KEYS.items())
    known.update((option, option) for option in OUTPUT_OPTION_KEYS)
    taken = sorted(k for k in extra if k in known)
    if taken:
        raise JobInputError("output_options_extra: %s %s known: set %s instead." % (
            ", ".join(taken), "is" if len(taken) == 1 else "are",
            ", ".join("output_options.%s" % known[k] for k in taken)))
    return dict((k, v) for k, v in extra.items() if v is not None)


# A destination_conf whose scheme this collection does not know, but of a URL scheme's form (RFC 3986: a letter, then
# letters, digits, "+", "-" or "."), is sent as given and Cloudflare decides. Cloudflare adds destinations before
# documenting their destination_conf: Pipelines (changelog 2026-04-20, enable-destinations/pipelines.mdx) is made
# by the dashboard and its scheme is written nowhere, so a job of it read back by logpush_job_info must still be
# usable in a task. Sure that such destinations exist; the scheme itself unknown: accepting loses a user nothing
# (Cloudflare refuses a scheme it does not take, before any change), refusing would.
_SCHEME_FORM = re.compile(r"^[a-z][a-z0-9+.\-]*$")


def check_desired(desired):
    conf = desired.get("destination_conf")
    if conf is not None:
        scheme = destination_scheme(conf)
        if scheme == "http":
            raise JobInputError("destination_conf: Cloudflare pushes to HTTP endpoints over TLS only: use https://, "
                                "with a certificate that a public authority signed.")
        if scheme not in SCHEMES and not _SCHEME_FORM.match(scheme):
            raise JobInputError(
                "destination_conf must start with one of %s (for example s3://bucket/path?region=us-east-1); "
                "got a value starting with %r." % (", ".join(s + "://" for s in SCHEMES), conf.split("/")[0][:20]))
        if len(conf) > 4096:
            raise JobInputError("destination_conf is longer than Cloudflare's limit of 4096 characters.")
        placeholders = [pair.partition("=")[0] for pair in conf.partition("?")[2].split("&")
                        if "=" in pair and _masked(pair.partition("=")[2])]
        if placeholders:
            raise JobInputError("destination_conf: %s still hold%s a masked value (REDACTED, as logpush_job_info "
                                "shows secrets): fill in the secret before use." % (
                                    ", ".join(placeholders), "s" if len(placeholders) == 1 else ""))
    check_upload_ranges(desired, conf)
    name = desired.get("name")
    if name and len(name) > 512:
        raise JobInputError("name must be at most 512 characters long, got %d." % len(name))
    if name and not NAME_PATTERN.match(name):
        raise JobInputError("name %r is not a valid job name: Cloudflare takes letters, digits, '-' and '.' only "
                            "(for example the domain, example.com, or example-com-http)." % name)
    if desired.get("filter"):
        check_filter_limits(desired["filter"])
    rate = (desired.get("output_options") or {}).get("sample_rate")
    if rate is not None and not 0 < rate <= 1:
        raise JobInputError("output_options.sample_rate must be greater than 0 and at most 1 (1 keeps every "
                            "record), got %s." % rate)
    if desired.get("kind") == "edge" and desired.get("dataset", DEFAULT_DATASET) != "http_requests":
        raise JobInputError("kind=edge (Edge Log Delivery) is only available for the http_requests dataset.")
    if desired.get("logpull_options") and destination_scheme(conf) == "https":
        raise JobInputError("logpull_options cannot be used with an https:// destination (Cloudflare refuses it): "
                            "use output_options instead.")


def check_upload_ranges(desired, destination_conf):
    """max_upload_* within the range of the job's destination. Without a destination (an update that does not
    give one), only what no destination takes is refused here; check_dataset_options checks the rest with the
    job's destination."""
    ranges = upload_ranges(destination_conf)
    for key, (low, high) in ranges.items():
        value = desired.get(key)
        if destination_conf is None:
            low = min([low] + [r[key][0] for r in SCHEME_UPLOAD_RANGES.values() if key in r])
        if value is not None and value != 0 and not low <= value <= high:
            where = " for %s" % destination_scheme(destination_conf) if key in SCHEME_UPLOAD_RANGES.get(
                destination_scheme(destination_conf) if destination_conf else None, {}) else ""
            raise JobInputError("%s must be 0 (Cloudflare's default) or between %d and %d%s, got %d."
                                % (key, low, high, where, value))


def closest_datasets(dataset, is_account):
    """The known datasets of the scope whose names are closest to ``dataset``, as text."""
    known = sorted(ACCOUNT_DATASETS if is_account else ZONE_DATASETS)
    return ", ".join(difflib.get_close_matches(dataset, known, n=3, cutoff=0.5)) or "none"


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


def _empty_output_value(value):
    """An output_options value that an omitempty answer leaves out: null, false, "" or an empty list."""
    return value is None or value is False or value == "" or value == []


def _same_output(current, wanted):
    """Whether the job's output options already are what ``wanted`` asks. A key the answer does not carry
    compares as its documented default, and as equal to a false or empty wanted value: Cloudflare's answers
    leave those out (Go omitempty; public_job shows the same job the same way)."""
    current = current or {}
    for key, value in wanted.items():
        if _empty_output_value(value) and _empty_output_value(current.get(key)):
            continue
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
    if key == "frequency":
        return value or "high"  # answers may leave it out (the OpenAPI examples have none): the default
    if key == "filter":
        return canonical_filter(value)
    if key == "kind":
        return "" if value in (None, "instant-logs") else value
    if key in ("enabled", "filter_attack_traffic"):
        return bool(value)
    return value


def _options_in_force(job):
    """The output options a job pushes with: its output_options, or, for a job that has none, its
    logpull_options as output_options (Cloudflare ignores logpull_options once output_options is set:
    the OpenAPI description of output_options). A job made by an older tool keeps what it pushes when a
    task sets one output option: the rest of its logpull_options comes along."""
    options = dict((k, v) for k, v in (job.get("output_options") or {}).items() if v is not None)
    if options or _unset(job.get("logpull_options")):
        return options
    try:
        return logpull_as_output_options(job["logpull_options"])
    except JobInputError:
        return {}  # a parameter Cloudflare added after this module: compared as if absent


def _stored_output_options(job, convert_logpull=True):
    """The job's output_options (those in force, see ``_options_in_force``, unless ``convert_logpull`` is
    false), with a top-level ``merge_subrequests`` read as its own.

    Cloudflare's OpenAPI schema, Terraform provider v5 and the SDK reference put merge_subrequests inside
    output_options, which is where we send it; Cloudflare's subrequest-merging page shows it at the top
    level of the job (and once as ``subrequest_merging``). Until it is known which the API echoes, both
    count, so neither reads as a change."""
    options = _options_in_force(job) if convert_logpull else dict(job.get("output_options") or {})
    for key in ("merge_subrequests", "subrequest_merging"):
        if options.get("merge_subrequests") is None and job.get(key) is not None:
            options["merge_subrequests"] = job[key]
    return options


# How an answer may show a secret it does not give back. Cloudflare's API returns destination_conf verbatim
# today (every recorded answer does); whether it will mask secrets, and how, is not known, so the marks our
# own redactor and the emulator's redact_destination use count, and so does a run of asterisks. Unsure.
_MASKS = re.compile(r"^(?:REDACTED(?:_CHANGED)?|\*+)$", re.IGNORECASE)


def _masked(value):
    return bool(_MASKS.match(unquote(value or "")))


def same_destination(current, wanted, update_secrets="on_create"):
    """Whether the job's destination_conf is the one the task gives. Where the answer masks a secret (a query
    value it shows as REDACTED or asterisks), only the parts shown are compared: the secret cannot be read back,
    so it counts as unchanged, unless ``update_secrets`` is ``always`` (like amazon.aws's ``update_password``:
    the task then writes its secrets on every run). A secret shown in clear is always compared."""
    if current == wanted:
        return True
    if not current or not wanted:
        return False
    have_base, _sep, have_query = current.partition("?")
    want_base, _sep, want_query = wanted.partition("?")
    have, want = have_query.split("&"), want_query.split("&")
    if have_base != want_base or len(have) != len(want):
        return False
    for have_pair, want_pair in zip(have, want):
        name, eq, value = have_pair.partition("=")
        want_name, want_eq, want_value = want_pair.partition("=")
        if (name, eq) != (want_name, want_eq):
            return False
        if value != want_value and (update_secrets == "always" or not _masked(value)):
            return False
    return True


def changed_keys(current, desired, update_secrets="on_create"):
    """The keys of ``desired`` whose value differs from ``current``, after normalisation."""
    changes = []
    desired = with_logpull_converted(current, desired)
    for key in COMPARED_KEYS:
        if key not in desired:
            continue
        if key == "output_options":
            if not _same_output(_stored_output_options(current), desired["output_options"]):
                changes.append(key)
        elif key == "destination_conf":
            if not same_destination(current.get(key), desired[key], update_secrets):
                changes.append(key)
        elif _normal(key, current.get(key)) != _normal(key, desired[key]):
            changes.append(key)
    return changes


def with_logpull_converted(current, desired):
    """``desired``, where a task gives logpull_options to a job that has output_options, with those
    logpull_options also as output_options (over the job's own): Cloudflare would ignore them alone, and
    a task is never a silent no-op. A job without output_options keeps its logpull_options as they are."""
    if _unset(desired.get("logpull_options")) or "output_options" in desired \
            or not (current or {}).get("output_options"):
        return desired
    converted = dict(desired)
    converted["output_options"] = logpull_as_output_options(desired["logpull_options"])
    return converted


def immutable_changes(current, desired):
    """dataset and kind cannot change on an existing job (an empty dataset is http_requests)."""
    changes = []
    if "dataset" in desired and desired["dataset"] != job_dataset(current):
        changes.append("dataset")
    if "kind" in desired and _normal("kind", desired["kind"]) != _normal("kind", current.get("kind")):
        changes.append("kind")
    return changes


# Options Cloudflare takes only for some datasets (its subrequest-merging and attack-traffic pages).
_DATASET_ONLY_OPTIONS = (
    (("output_options", "merge_subrequests"), ("http_requests",)),
    (("filter_attack_traffic",), ("http_requests", "firewall_events", "network_analytics_logs")),
)


def check_dataset_options(desired, dataset, destination_conf=None):
    """Refuse, before any write, an option that the job's dataset cannot have, a filter value of the
    wrong type for its field (see ``_filter``, rule F7, for the sources and how sure each rule is), and a
    max_upload_* value outside the range of the job's destination (``destination_conf``: the job's own
    when the task does not change it)."""
    conf = desired.get("destination_conf") or destination_conf
    if conf:
        check_upload_ranges(desired, conf)
    if desired.get("filter"):
        errors = filter_type_errors(desired["filter"], dataset)
        if errors:
            raise JobInputError("filter: %s." % "; ".join(errors))
    for path, datasets in _DATASET_ONLY_OPTIONS:
        value = desired
        for key in path:
            value = (value or {}).get(key)
        if value and dataset not in datasets:
            raise JobInputError("%s is only available for the dataset%s %s, and this job's dataset is %s: set it to "
                                "false." % (".".join(path), "s" if len(datasets) > 1 else "", ", ".join(datasets), dataset))


def recreated_job(current, desired):
    """The job that replaces ``current`` when its dataset or kind changes: what the task sets, over
    what the job had (output options merged as in an update). Run-time state is not carried over,
    nor a legacy ``kind: instant-logs``, which the API still returns but no longer creates
    (Terraform provider v5 reads it as "")."""
    job = dict((k, v) for k, v in current.items() if k in JOB_KEYS and k not in READ_ONLY_KEYS and v is not None)
    job["dataset"] = job_dataset(current)
    if job.get("kind") == "instant-logs":
        del job["kind"]
    wanted = with_logpull_converted(current, desired)
    if "output_options" in wanted:
        wanted["output_options"] = merge_output_options(_options_in_force(current), wanted["output_options"])
    job.update(wanted)
    return dict((k, v) for k, v in job.items() if v is not None)


def create_body(desired, ownership_challenge=None):
    body = dict(desired)
    body.setdefault("dataset", DEFAULT_DATASET)
    for key in _EMPTY_MEANS_UNSET:
        if key in body and _unset(body[key]):
            del body[key]  # nothing to unset on a new job
    if ownership_challenge:
        body["ownership_challenge"] = ownership_challenge
    return body


def merge_output_options(current, wanted):
    """The whole output_options to send: the job's own, with the task's keys over them.

    A PUT replaces output_options whole (Cloudflare's log output options page), so the keys the
    task does not set are sent back as they are, except when the task changes output_type: then
    the keys whose default depends on the type (``record_prefix``, ``record_suffix``) are left out,
    so that Cloudflare applies the new type's defaults, unless the task sets them. Jobs made in the
    dashboard or by Terraform carry them explicitly; kept, a CSV job would frame every record in
    ``{`` and ``}``."""
    current = dict(current or {})
    wanted = dict(wanted or {})
    if "output_type" in wanted and wanted["output_type"] != _output_value(current, "output_type"):
        for key in TYPE_DEPENDENT_OUTPUT_KEYS:
            current.pop(key, None)
    current.update(wanted)
    return current


def update_body(current, desired, changes, ownership_challenge=None):
    """Only what changed; output_options whole (a PUT replaces it), kept keys from the server."""
    body = {}
    desired = with_logpull_converted(current, desired)
    for key in changes:
        value = desired[key]
        if key == "output_options":
            value = merge_output_options(_options_in_force(current), value)
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


def diff_view(job, before=None):
    """A job for --diff: redacted, without run-time state, keys sorted, the filter as parsed structure
    (so that one changed value is one changed line). With ``before``, a credential that differs from
    the one in the same place of ``before``'s destination reads REDACTED_CHANGED."""
    if not job:
        return {}
    shown = public_job(job)
    if before:
        shown["destination_conf"] = redact_destination(job.get("destination_conf"), before.get("destination_conf"))
    if shown.get("filter_parsed") is not None:
        shown["filter"] = shown["filter_parsed"]
    return dict((k, shown[k]) for k in sorted(shown) if k not in _DIFF_HIDDEN)


def diff_of(before, after):
    """The ``diff`` of a change, as Ansible shows it."""
    return {"before": diff_view(before), "after": diff_view(after, before)}


def matches(job, name=None, dataset=None, destination_conf=None):
    return ((name is None or job.get("name") == name)
            and (dataset is None or job_dataset(job) == dataset)
            and (destination_conf is None or job.get("destination_conf") == destination_conf))


def select_job(jobs, name=None, dataset=None, destination_conf=None):
    """The one job of ``jobs`` that a task names, or None; JobInputError when several match.

    A job is named by ``name``, else by ``destination_conf``; ``dataset``, when given, narrows the
    match: the same name under another dataset is another job (Cloudflare recommends naming jobs
    after their domain, so a zone's http_requests and firewall_events jobs often share a name).
    Without ``dataset``, a name held by jobs of several datasets is ambiguous, never a guess."""
    if name is not None:
        found = [j for j in jobs if isinstance(j, dict) and matches(j, name=name, dataset=dataset)]
        how = "named %r" % name
    else:
        found = [j for j in jobs if isinstance(j, dict) and matches(j, destination_conf=destination_conf, dataset=dataset)]
        how = "with this destination_conf"
    if len(found) > 1:
        if dataset is None and len(set(job_dataset(j) for j in found)) > 1:
            fix = "Set dataset to choose one (a task without dataset creates an http_requests job), or give id."
        else:
            fix = "Give id to choose one, or a name that is unique."
        raise JobInputError("%d jobs %s%s match: %s. %s" % (
            len(found), how, " and dataset %s" % dataset if dataset else "",
            ", ".join("id %s (dataset %s)" % (j.get("id"), job_dataset(j)) for j in found), fix))
    return found[0] if found else None


# -- the plan of one job: computed once, from the task and the job as it is ------------------------


class JobPlan(object):
    """What one task does to one job, decided before any request that writes.

    ``action``: ``unchanged``, ``create``, ``update``, ``recreate`` or ``delete``. ``checks``: the reads
    that must pass before the write, in order: ``("challenge", destination_conf, token)``,
    ``("fields", dataset, [field names], creating)``, ``("destination", destination_conf)`` (every
    destination a plan creates or changes).
    ``body`` is what is sent; ``predicted`` the job as the API will return it (check mode, diff).
    ``missing_challenge``: the destination_conf whose ownership challenge the write needs and the task
    did not give (only with ``missing_challenges="report"``; the plan is then held back, see ``held_back``)."""

    def __init__(self, action, current=None, body=None, predicted=None, checks=()):
        self.action = action
        self.current = current
        self.body = body
        self.predicted = predicted
        self.checks = [check for check in checks if check[0] != "missing_challenge"]
        self.missing_challenge = next((check[1] for check in checks if check[0] == "missing_challenge"), None)

    @property
    def changes(self):
        return self.action != "unchanged"


def task_desired(task, is_account):
    """The job a task (``logpush_job``'s options, or one item of ``logpush_jobs``) asks for, in API form,
    after every check that needs no request. Raises JobInputError."""
    desired = desired_from_params(task)
    if task.get("logpull_options") and (task.get("output_options") or task.get("output_options_extra")):
        raise JobInputError("logpull_options and output_options cannot be used together: Cloudflare ignores "
                            "logpull_options when output_options is set. Use output_options.")
    if task.get("dataset") is not None:
        check_dataset_scope(task["dataset"], is_account)
    return desired


def _identity(task):
    if task.get("name") is not None:
        return "named %r" % task["name"]
    return "with this destination_conf"


# What a task does when a write needs an ownership challenge that it did not give: "fail" (before any
# request), or "report": the plan is held back (no write) and says which destination needs one, so that
# a caller (the role job_setup) requests challenges for exactly those items and runs the task again.
MISSING_CHALLENGES = ("fail", "report")


def _challenge_check(conf, token, missing_challenges="fail"):
    """A destination that needs a challenge needs a token, validated (one read) before any write."""
    if not needs_ownership_challenge(conf):
        return []
    if not token:
        if missing_challenges == "report":
            return [("missing_challenge", conf)]
        raise JobInputError(
            "This destination_conf needs an ownership challenge (AWS S3 without keys, Google Cloud Storage, Azure "
            "and Sumo Logic do), and ownership_challenge is not set. Run cloudflare_community.logpush.logpush_ownership "
            "with the same destination_conf, read the token from the file it writes there, and pass it as "
            "ownership_challenge; or use the role cloudflare_community.logpush.job_setup, which does all of this.")
    return [("challenge", conf, token)]


def _fields_check(task, desired, dataset, creating=False):
    if not task.get("check_fields", True):
        return []
    wanted = requested_fields(desired)
    unknown_dataset = creating and dataset not in ZONE_DATASETS and dataset not in ACCOUNT_DATASETS
    if not wanted and not unknown_dataset:
        return []
    return [("fields", dataset, wanted, creating)]


def _create_plan(task, desired, is_account, current=None, action="create", missing_challenges="fail"):
    dataset = desired.get("dataset", DEFAULT_DATASET)
    # a create always needs the token, even where the job it replaces pushes already (Cloudflare's create)
    checks = _challenge_check(desired["destination_conf"], task.get("ownership_challenge"), missing_challenges)
    check_dataset_scope(dataset, is_account)
    check_dataset_options(desired, dataset)
    checks += _fields_check(task, desired, dataset, creating=True)
    # can Cloudflare write there? Asked before the first write of the task (a recreate: before the old job goes)
    checks.append(("destination", desired["destination_conf"]))
    body = create_body(desired, task.get("ownership_challenge"))
    return JobPlan(action, current, body, predict(None, body), checks)


def plan_job(task, current, desired, is_account, scope_word="zone", missing_challenges="fail"):
    """The plan of one job: ``task`` is the job's options, ``current`` the job as Cloudflare has it (or
    None), ``desired`` what ``task_desired`` made of the task. Raises JobInputError for anything that
    fails before a request; a missing ownership challenge too, unless ``missing_challenges`` is
    ``report``: the plan then carries ``missing_challenge`` instead.

    Whether a challenge is needed is decided against ``current`` as Cloudflare returned it: an update
    that keeps the job's destination (``same_destination``, where a masked secret counts as unchanged
    unless update_secrets=always) needs none; a create, a recreate and a new destination do."""
    if task.get("state", "present") == "absent":
        if current is None:
            return JobPlan("unchanged")
        # found by id: a job that is not the one the task describes is never deleted
        for key in ("dataset", "name"):
            wanted = task.get(key)
            have = job_dataset(current) if key == "dataset" else current.get(key) or ""
            if wanted is not None and have != wanted:
                raise JobInputError("Job %s has %s %r, not %r: nothing was deleted. Check the id, or remove %s from "
                                    "the task." % (current.get("id"), key, have, wanted, key))
        return JobPlan("delete", current)
    if current is None:
        if task.get("id") is not None:
            raise JobInputError("There is no job with id %s in this %s. Ids are given by Cloudflare: remove id to "
                                "create a job, or check the id." % (task["id"], scope_word))
        if not desired.get("destination_conf"):
            raise JobInputError("destination_conf is required to create a job (no job %s exists)." % _identity(task))
        return _create_plan(task, desired, is_account, missing_challenges=missing_challenges)
    immutable = immutable_changes(current, desired)
    if immutable:
        if not task.get("recreate"):
            what = " and ".join("%s (%r to %r)" % (k, current.get(k) or "", desired[k]) for k in immutable)
            raise JobInputError(
                "The %s of job %s cannot change. Set recreate=true to create a new job and delete this one (the new "
                "job gets a new id), or set %s back." % (what, current.get("id"), " and ".join(immutable)))
        replacement = recreated_job(current, desired)
        check_desired(replacement)
        return _create_plan(task, replacement, is_account, current, "recreate", missing_challenges)
    changes = changed_keys(current, desired, task.get("update_secrets") or "on_create")
    if not changes:
        return JobPlan("unchanged", current, predicted=current)
    checks = []
    if "destination_conf" in changes:
        checks += _challenge_check(desired["destination_conf"], task.get("ownership_challenge"), missing_challenges)
    if set(changes) & {"output_options", "logpull_options", "filter"}:
        checks += _fields_check(task, desired, job_dataset(current))
    if "destination_conf" in changes:
        # only a new destination is test-written: an update that keeps it costs no request more
        checks.append(("destination", desired["destination_conf"]))
    check_dataset_options(desired, job_dataset(current), current.get("destination_conf"))
    body = update_body(current, desired, changes, task.get("ownership_challenge"))
    return JobPlan("update", current, body, predict(current, body), checks)


# -- holding back what waits for an ownership challenge (missing_challenges="report") -----------------

HELD_DELETE_REASON = ("not deleted: an item of this task waits for an ownership challenge, and a task that holds "
                      "an item back runs no delete (the job that item would replace may be this one)")


def held_back(plans):
    """{index: reason} of the plans of one task that are not written: each plan that waits for an
    ownership challenge, and, when there is one, every delete (absent items and purged jobs), so that
    no job goes before the one that may replace it exists. A recreate that is not held runs whole: its
    delete is of its own job, once its replacement exists."""
    waiting = [index for index, plan in enumerate(plans) if plan.missing_challenge]
    held = dict((index, "not %s: %s" % (_WRITTEN[plans[index].action], _challenge_wanted(plans[index])))
                for index in waiting)
    if waiting:
        held.update((index, HELD_DELETE_REASON) for index, plan in enumerate(plans) if plan.action == "delete")
    return held


_WRITTEN = {"create": "created", "update": "updated", "recreate": "recreated", "delete": "deleted"}


def _challenge_wanted(plan):
    return ("its destination %s needs an ownership challenge, and ownership_challenge is not set; request one "
            "(cloudflare_community.logpush.logpush_ownership) and give its token"
            % redact_destination(plan.missing_challenge))


def challenge_needed(plan):
    """What a caller needs to know of a plan held back for an ownership challenge, without a secret: the
    write it waits for, the job it concerns, the destination (masked, and where it stores files, to read
    the challenge file) and the job as that write would leave it."""
    job = plan.predicted or plan.current or {}
    return {
        "action": plan.action,
        "id": plan.current.get("id") if plan.current is not None else None,
        "name": job.get("name"),
        "dataset": job_dataset(job),
        "destination_conf": redact_destination(plan.missing_challenge),
        "destination": destination_location(plan.missing_challenge),
        "job": public_job(plan.predicted) if plan.predicted is not None else None,
    }
