# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection: it may change without notice.
"""The one redactor: every secret passes through here before it can reach output.

A ``destination_conf`` carries credentials in many places: query parameters (S3 and R2 keys,
``header_*`` values, Datadog and New Relic keys, Azure SAS signatures, BigQuery credentials,
IBM API keys), user info (``user:password@``), and for Sumo Logic the path itself. The API
returns it verbatim, so we redact on our side, keeping everything else byte for byte.
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
_USERINFO = re.compile(r"^(?P<head>[A-Za-z][A-Za-z0-9+.\-]*://)(?P<userinfo>[^/?#@]*)@")
# Sumo Logic's HTTP source URL: the last path segment is the collector's secret code.
_SUMO_CODE = re.compile(r"^(?P<head>sumo://[^?#]*/receiver/v1/http/)(?P<code>[^/?#]+)", re.IGNORECASE)
# Any destination-looking URL inside free text (an API error message may quote one).
_URL_IN_TEXT = re.compile(r"\b(?:s3|r2|gs|azure|sumo|splunk|datadog|https?|bq|kinesis|ibmcl|sentinelone)://[^\s\"'<>]+")


def is_secret_param(name):
    lowered = unquote(name).lower()
    if lowered.startswith("header_") or lowered in _SECRET_PARAMS:
        return True
    return any(fragment in lowered for fragment in _SECRET_FRAGMENTS)


def _query_pairs(conf):
    """(start, end) offsets of each ``name=value`` value in the query string, with its name."""
    query_start = conf.find("?")
    if query_start < 0:
        return
    end_of_query = conf.find("#", query_start)
    if end_of_query < 0:
        end_of_query = len(conf)
    offset = query_start + 1
    for part in conf[offset:end_of_query].split("&"):
        name, sep, _value = part.partition("=")
        if sep:
            yield name, offset + len(name) + 1, offset + len(part)
        offset += len(part) + 1


def destination_secrets(conf):
    """The secret values inside a destination_conf, raw and URL-decoded (for no_log masking)."""
    if not conf:
        return []
    found = []
    match = _USERINFO.match(conf)
    if match and match.group("userinfo"):
        userinfo = match.group("userinfo")
        found.append(userinfo.partition(":")[2] or userinfo)
    match = _SUMO_CODE.match(conf)
    if match:
        found.append(match.group("code"))
    for name, start, end in _query_pairs(conf) or ():
        if is_secret_param(name) and end > start:
            found.append(conf[start:end])
    values = []
    for value in found:
        for candidate in (value, unquote(value)):
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
    for name, start, end in _query_pairs(conf) or ():
        if is_secret_param(name) and end > start:
            pieces.append(conf[last:start])
            pieces.append(REDACTED)
            last = end
    pieces.append(conf[last:])
    redacted = "".join(pieces)
    match = _USERINFO.match(redacted)
    if match and match.group("userinfo"):
        redacted = match.group("head") + REDACTED + "@" + redacted[match.end():]
    match = _SUMO_CODE.match(redacted)
    if match:
        redacted = match.group("head") + REDACTED + redacted[match.end():]
    return redacted


def redact_text(text, secrets=()):
    """Free text (an error message, an exception) with known secrets and destination URLs masked."""
    if not text:
        return text
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, REDACTED)
    return _URL_IN_TEXT.sub(lambda m: redact_destination(m.group(0)), text)
