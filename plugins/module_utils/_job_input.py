# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection: it may change without notice.
"""The job a task asks for: its options read into API form and checked, every check that needs no request
(names, destinations, ranges, datasets by scope, filters), and which job of a list the task names.

Raises ``JobInputError`` with a message that names the option and the fix. The filter grammar and the
datasets' field types (``_filter``, ``_field_types``) are imported only when a task has a filter.
"""

from __future__ import annotations

import json
import re

from ._destination import SCHEMES, destination_scheme
from ._errors import JobInputError
from ._job import DEFAULT_DATASET, OUTPUT_OPTION_KEYS, is_masked, job_dataset, logpull_fields

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


# The job name pattern of Cloudflare's OpenAPI schema (logpush_name, 2024) and of Terraform provider v4's
# validator; the 2026 schema shows only maxLength 512. Whether the API still enforces the pattern is not
# known, so we check it: a name it would refuse fails before any write, and a domain name always passes.
NAME_PATTERN = re.compile(r"^[a-zA-Z0-9\-.]*$")


def requested_fields(desired):
    """Every field name the job refers to: its output fields, logpull fields and filter keys."""
    fields = list((desired.get("output_options") or {}).get("field_names") or [])
    more = logpull_fields(desired.get("logpull_options"))
    if desired.get("filter"):
        from ._filter import filter_keys  # the filter grammar: only for a task with a filter
        more += filter_keys(desired["filter"])
    for field in more:
        if field not in fields:
            fields.append(field)
    return fields


def unknown_fields(wanted, known):
    """[(unknown field, [closest known fields])] for the fields that the dataset does not have."""
    import difflib  # only for an unknown field: the message's suggestions
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
        from ._filter import parse_filter  # the filter grammar: only for a task with a filter
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
                        if "=" in pair and is_masked(pair.partition("=")[2])]
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
        from ._filter import check_filter_limits  # the filter grammar: only for a task with a filter
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
    import difflib  # only for an unknown dataset: the message's suggestions
    known = sorted(ACCOUNT_DATASETS if is_account else ZONE_DATASETS)
    return ", ".join(difflib.get_close_matches(dataset, known, n=3, cutoff=0.5)) or "none"


def check_dataset_scope(dataset, is_account):
    """Refuse a zone dataset on an account and the reverse; unknown datasets pass (the API decides)."""
    if is_account and dataset in ZONE_DATASETS and dataset not in ACCOUNT_DATASETS:
        raise JobInputError("dataset %s belongs to zones: give zone_id or zone instead of account_id." % dataset)
    if not is_account and dataset in ACCOUNT_DATASETS and dataset not in ZONE_DATASETS:
        raise JobInputError("dataset %s belongs to accounts: give account_id instead of zone_id or zone." % dataset)


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
        # the filter grammar and the datasets' field types: only for a task with a filter
        from ._filter import filter_type_errors
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
