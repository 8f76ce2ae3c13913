# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection: it may change without notice.
"""A Logpush job as Cloudflare has it: its dataset, its public view (secrets masked), its health, and the
output options it pushes with.

One of three files about jobs: this one reads a job; ``_job_input`` reads and checks what a task asks for;
``_job_plan`` compares the two and plans the writes. None speaks HTTP or knows Ansible.
"""

from __future__ import annotations

import json
import re
import time
from datetime import datetime, timezone

from urllib.parse import unquote

from ._errors import JobInputError
from ._push_errors import explain
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
    # what a push error code in the message means (_push_errors: only where Cloudflare's docs say)
    shown["error_codes"] = explain(shown["error_message"])
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
        if not is_unset(job.get(key)):
            options[key] = job[key]
    names = dict((api, option) for option, api in OUTPUT_OPTION_KEYS.items())
    stored = stored_output_options(job, convert_logpull=False)
    output = dict((names[k], v) for k, v in stored.items() if k in names and v is not None)
    extra = dict((k, v) for k, v in stored.items() if k not in names and v is not None)
    if extra:
        options["output_options_extra"] = extra  # keys this collection does not know, as Cloudflare has them
    if output or extra:
        # Cloudflare ignores logpull_options once output_options is set: only the options in force are
        # exported, so that the item can be pasted back as it is (a task may not give both)
        if output:
            options["output_options"] = output
    elif not is_unset(job.get("logpull_options")):
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


def is_unset(value):
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


def options_in_force(job):
    """The output options a job pushes with: its output_options, or, for a job that has none, its
    logpull_options as output_options (Cloudflare ignores logpull_options once output_options is set:
    the OpenAPI description of output_options). A job made by an older tool keeps what it pushes when a
    task sets one output option: the rest of its logpull_options comes along."""
    options = dict((k, v) for k, v in (job.get("output_options") or {}).items() if v is not None)
    if options or is_unset(job.get("logpull_options")):
        return options
    try:
        return logpull_as_output_options(job["logpull_options"])
    except JobInputError:
        return {}  # a parameter Cloudflare added after this module: compared as if absent


def stored_output_options(job, convert_logpull=True):
    """The job's output_options (those in force, see ``options_in_force``, unless ``convert_logpull`` is
    false), with a top-level ``merge_subrequests`` read as its own.

    Cloudflare's OpenAPI schema, Terraform provider v5 and the SDK reference put merge_subrequests inside
    output_options, which is where we send it; Cloudflare's subrequest-merging page shows it at the top
    level of the job (and once as ``subrequest_merging``). Until it is known which the API echoes, both
    count, so neither reads as a change."""
    options = options_in_force(job) if convert_logpull else dict(job.get("output_options") or {})
    for key in ("merge_subrequests", "subrequest_merging"):
        if options.get("merge_subrequests") is None and job.get(key) is not None:
            options["merge_subrequests"] = job[key]
    return options


# How an answer may show a secret it does not give back. Cloudflare's API returns destination_conf verbatim
# today (every recorded answer does); whether it will mask secrets, and how, is not known, so the marks our
# own redactor and the emulator's redact_destination use count, and so does a run of asterisks. Unsure.
_MASKS = re.compile(r"^(?:REDACTED(?:_CHANGED)?|\*+)$", re.IGNORECASE)


def is_masked(value):
    return bool(_MASKS.match(unquote(value or "")))
