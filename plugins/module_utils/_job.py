# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection: it may change without notice.
"""A Logpush job as data: its public shape, health, and which destinations need a challenge.

Only this file knows what a job looks like. It speaks no HTTP and knows no Ansible.
"""

from __future__ import annotations

from datetime import datetime

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

    ``failing`` means the last error is newer than the last complete push (or there never was
    one): the destination currently rejects the logs.
    """
    if not job.get("enabled"):
        return "disabled"
    last_complete = _parse_time(job.get("last_complete"))
    last_error = _parse_time(job.get("last_error"))
    if last_error is not None and (last_complete is None or last_error > last_complete):
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
