# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection: it may change without notice.
"""The one redactor: every secret passes through here before it can reach output.

A ``destination_conf`` carries credentials in many places: query parameters (S3 and R2 keys,
``header_*`` values, Datadog and New Relic keys, Azure SAS signatures, BigQuery credentials,
IBM API keys), user info (``user:password@``), for Sumo Logic the path itself, and for HTTP
receivers often a token in the path. The API returns it verbatim, so we redact on our side,
keeping everything else byte for byte.
"""

from __future__ import annotations

import re

from ansible.module_utils.six.moves.urllib.parse import unquote

REDACTED = "REDACTED"

# Query parameter names (lower case) that hold a secret, and name fragments that do.
_SECRET_PARAMS = frozenset((
    "access-key-id", "secret-access-key", "sig", "signature", "credentials", "api-key", "apikey",
    "api_key", "ibm_api_key", "license_key", "token", "password", "sts-external-id",
))
_SECRET_FRAGMENTS = ("secret", "token", "password", "passwd", "key", "credential", "auth")

# scheme://[userinfo@]rest  -- userinfo cannot contain '/', '?' or '#'.
_USERINFO = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://(?P<userinfo>[^/?#@]*)@")
# Sumo Logic's HTTP source URL: the last path segment is the collector's secret code.
_SUMO_CODE = re.compile(r"^sumo://[^?#]*/receiver/v1/http/(?P<code>[^/?#]+)", re.IGNORECASE)
# HTTP(S) receivers often carry an ingest token in the path (/inputs/<token>/...): a long segment
# of letters and digits is treated as one. Masking too much here is safe; too little is not.
_PATH_TOKEN = re.compile(r"(?<=/)(?=[A-Za-z0-9_\-]*[0-9])(?=[A-Za-z0-9_\-]*[A-Za-z])[A-Za-z0-9_\-]{16,}(?=/|$)")
# Any destination-looking URL inside free text (an API error message may quote one).
_URL_IN_TEXT = re.compile(r"\b(?:s3|r2|gs|azure|sumo|splunk|datadog|https?|bq|kinesis|ibmcl|sentinelone)://[^\s\"'<>]+")


def is_secret_param(name):
    lowered = unquote(name).lower()
    if lowered.startswith("header_") or lowered in _SECRET_PARAMS:
        return True
    return any(fragment in lowered for fragment in _SECRET_FRAGMENTS)


def _secret_spans(conf):
    """(start, end) of every secret in a destination_conf, in order, not overlapping."""
    spans = []
    match = _USERINFO.match(conf)
    if match and match.group("userinfo"):
        spans.append(match.span("userinfo"))
    match = _SUMO_CODE.match(conf)
    if match:
        spans.append(match.span("code"))
    head, _sep, _rest = conf.partition("://")
    path_end = min([i for i in (conf.find("?"), conf.find("#")) if i >= 0] or [len(conf)])
    if head.lower() in ("http", "https"):
        address_start = len(head) + 3
        path_start = conf.find("/", address_start, path_end)
        if path_start >= 0:
            spans.extend(m.span() for m in _PATH_TOKEN.finditer(conf, path_start, path_end))
    query_end = conf.find("#", path_end)
    if query_end < 0:
        query_end = len(conf)
    if path_end < len(conf) and conf[path_end] == "?":
        offset = path_end + 1
        for part in conf[offset:query_end].split("&"):
            name, sep, value = part.partition("=")
            if sep and value and is_secret_param(name):
                spans.append((offset + len(name) + 1, offset + len(part)))
            offset += len(part) + 1
    return sorted(set(spans))


def destination_secrets(conf):
    """The secret values inside a destination_conf, raw and URL-decoded (for no_log masking)."""
    if not conf or not isinstance(conf, str):
        return []
    values = []
    for start, end in _secret_spans(conf):
        value = conf[start:end]
        # also the part after a colon: the password of user:password, the key of base64:key
        for candidate in (value, unquote(value), value.partition(":")[2]):
            # very short values would mask unrelated text everywhere; they are not credentials
            if len(candidate) >= 4 and candidate not in values:
                values.append(candidate)
    return values


def redact_destination(conf):
    """The destination_conf with each secret replaced by REDACTED, the rest unchanged."""
    if not conf or not isinstance(conf, str):
        return conf
    pieces = []
    last = 0
    for start, end in _secret_spans(conf):
        pieces.append(conf[last:start])
        pieces.append(REDACTED)
        last = end
    pieces.append(conf[last:])
    return "".join(pieces)


def redact_text(text, secrets=()):
    """Free text (an error message, an exception) with known secrets and destination URLs masked."""
    if not text:
        return text
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, REDACTED)
    return _URL_IN_TEXT.sub(lambda m: redact_destination(m.group(0)), text)
