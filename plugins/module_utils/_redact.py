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

import json
import re
from urllib.parse import quote, quote_plus, unquote

from ._destination import QUOTED_SCHEMES, path_secret, userinfo_span

REDACTED = "REDACTED"
REDACTED_CHANGED = "REDACTED_CHANGED"

# A query parameter holds a secret when its name, split into words, has one of these words (Azure
# Functions' ``code``, Azure SAS ``sig``, New Relic's ``Api-Key``, S3 and R2 keys, ``X-Auth-Token``...),
# or when it is a ``header_*`` parameter (Cloudflare sends those as HTTP headers; any may be a credential).
# Long fragments count anywhere in the name (``apikey``, ``authtoken``); short words only as a whole
# word, so that ``design`` or ``encoding`` stay readable.
_SECRET_FRAGMENTS = ("key", "token", "secret", "password", "passwd", "passphrase", "auth", "credential", "signature",
                     "license", "session", "cookie", "hmac", "private")
# ``pass``, ``pw`` and ``sas`` only as whole words: as fragments they would catch ``bypass`` or ``sasl``
_SECRET_WORDS = frozenset(("sig", "code", "pwd", "jwt", "bearer", "pass", "pw", "sas"))
_WORD_SPLIT = re.compile(r"[^a-z0-9]+")

# scheme://[userinfo@]rest  -- up to the LAST "@" before the first "/" or "?": a password may hold an
# unencoded "@" or "#" (users write them so; masking up to the host is the safe reading).
_USERINFO = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://(?P<userinfo>[^/?]*)@")
# Sumo Logic's HTTP source URL (sumo://, or the same over https://): the last path segment is the
# collector's secret code, base64 that may end in "=" (Cloudflare's Sumo Logic destination page).
_SUMO_CODE = re.compile(r"^[a-z]+://[^?#]*/receiver/v1/http/(?P<code>[^/?#]+)", re.IGNORECASE)
# HTTP(S) receivers often carry an ingest token in the path (/inputs/<token>/...): a long segment
# of letters and digits (base64 padding allowed) is treated as one. Masking too much here is safe;
# too little is not.
_PATH_TOKEN = re.compile(
    r"(?<=/)(?=[A-Za-z0-9_\-+]*[0-9])(?=[A-Za-z0-9_\-+]*[A-Za-z])[A-Za-z0-9_\-+]{16,}={0,2}(?=/|$)")
# Any destination-looking URL inside free text (an API error message may quote one).
_URL_IN_TEXT = re.compile(r"\b(?:%s)://[^\s\"'<>]+" % "|".join(QUOTED_SCHEMES))


def _words(name):
    return set(w for w in _WORD_SPLIT.split(unquote(name).lower()) if w)


def is_secret_param(name):
    """True for a query parameter whose value is masked in every destination_conf we show."""
    lowered = unquote(name).lower()
    if lowered.startswith("header_"):
        return True
    return _says_secret(lowered) or lowered == "sts-external-id"


def _says_secret(name):
    return any(fragment in name for fragment in _SECRET_FRAGMENTS) or bool(_words(name) & _SECRET_WORDS)


def _is_credential(name, value):
    """Whether a masked value is worth registering as an Ansible no_log value.

    Ansible then masks it in *all* output, so an ordinary word (``header_X-Env=prod``) must not be
    registered: it would turn the word ``prod`` into asterisks wherever it appears, job names
    included. Header values count when the header's name says credential, or the value looks like
    one (long, or mixing letters and digits); every other secret parameter counts.
    """
    lowered = unquote(name).lower()
    if not lowered.startswith("header_"):
        return True
    if _says_secret(lowered[len("header_"):]):
        return True
    plain = unquote(value)
    classes = sum(1 for test in (str.isdigit, str.isalpha) if any(test(c) for c in plain))
    return len(plain) >= 16 or (len(plain) >= 8 and (classes == 2 or not plain.isalnum()))


def _secret_spans(conf):
    """(start, end, credential, key) of every secret in a destination_conf, in order, not overlapping.

    ``credential`` says whether the value is also registered as an Ansible no_log value; ``key`` names
    the secret's place (a query parameter, the user info, a path segment), to compare two destinations."""
    spans = []
    match = _USERINFO.match(conf)
    if match and match.group("userinfo"):
        spans.append(match.span("userinfo") + (True, "userinfo"))
    secret_in_path = path_secret(conf) or ("tokens" if conf.lower().startswith("http://") else None)
    match = _SUMO_CODE.match(conf) if secret_in_path else None
    if match:
        spans.append(match.span("code") + (True, "path"))
    head, _sep, _rest = conf.partition("://")
    path_end = min([i for i in (conf.find("?"), conf.find("#")) if i >= 0] or [len(conf)])
    if secret_in_path == "tokens":
        address_start = len(head) + 3
        path_start = conf.find("/", address_start, path_end)
        if path_start >= 0:
            spans.extend(m.span() + (True, "path") for m in _PATH_TOKEN.finditer(conf, path_start, path_end))
    # Cloudflare's destinations have no fragment: a "#" after the "?" belongs to a value (a key may hold one)
    query_end = len(conf)
    if path_end < len(conf) and conf[path_end] == "?":
        offset = path_end + 1
        for part in conf[offset:query_end].split("&"):
            name, sep, value = part.partition("=")
            if sep and value and is_secret_param(name):
                spans.append((offset + len(name) + 1, offset + len(part), _is_credential(name, value), "?" + name))
            elif sep and value:
                # user info inside a URL-valued parameter (endpoint=https://user:password@minio...)
                nested = _nested_userinfo(value)
                if nested:
                    start = offset + len(name) + 1
                    spans.append((start + nested[0], start + nested[1], True, "?" + name + "@"))
            offset += len(part) + 1
    merged = []
    for begin, finish, credential, key in sorted(spans):
        if merged and begin < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], finish), last[2] or credential, last[3])
        else:
            merged.append((begin, finish, credential, key))
    return merged


def _nested_userinfo(value):
    """(start, end) of the user info of a URL given as a parameter's value, raw or percent-encoded, or None."""
    span = userinfo_span(value)
    if span is None or span[1] <= span[0]:
        return None
    return span[0], span[1]


def destination_secrets(conf):
    """The credentials inside a destination_conf, raw and URL-decoded, for no_log masking.

    Only credentials: see ``_is_credential`` for why an ordinary header value is left out (it is
    still replaced by REDACTED wherever the destination_conf itself is shown)."""
    if not conf or not isinstance(conf, str):
        return []
    values = []
    for start, end, credential, _key in _secret_spans(conf):
        if not credential:
            continue
        value = conf[start:end]
        # also the part after a colon (the password of user:password, the key of base64:key) and after
        # a space (the token of "Bearer <token>" or "Splunk <token>")
        for candidate in (value, unquote(value), value.partition(":")[2], unquote(value).partition(" ")[2]):
            # very short values would mask unrelated text everywhere; they are not credentials
            if len(candidate) >= 4 and candidate not in values:
                values.append(candidate)
    return values


def _secret_values(conf):
    """{key: [values]} of the secrets in a destination_conf, by their place."""
    values = {}
    for start, end, _credential, key in _secret_spans(conf or ""):
        values.setdefault(key, []).append(conf[start:end])
    return values


def redact_destination(conf, changed_from=None):
    """The destination_conf with each secret replaced by REDACTED, the rest unchanged.

    With ``changed_from`` (the destination before a change), a secret that differs from the one in the
    same place there reads REDACTED_CHANGED, so that a diff shows that a rotated key changed, and which
    one, never its value."""
    if not conf or not isinstance(conf, str):
        return conf
    before = _secret_values(changed_from) if changed_from is not None else None
    seen = {}
    pieces = []
    last = 0
    for start, end, _credential, key in _secret_spans(conf):
        index = seen[key] = seen.get(key, -1) + 1
        was = (before or {}).get(key, [])
        changed = before is not None and (index >= len(was) or was[index] != conf[start:end])
        pieces.append(conf[last:start])
        pieces.append(REDACTED_CHANGED if changed else REDACTED)
        last = end
    pieces.append(conf[last:])
    return "".join(pieces)


def secret_forms(secret):
    """Every form a credential can take inside an error text: as it is and without surrounding whitespace,
    each also JSON-escaped (an answer that echoes it), Python-repr-escaped (an exception that quotes a
    header value), and URL-encoded (a query string). Forms shorter than 4 characters are left out: they
    would mask unrelated text everywhere."""
    if not secret or not isinstance(secret, str):
        return []
    forms = []
    for value in (secret, secret.strip()):
        for form in (value, json.dumps(value)[1:-1], repr(value)[1:-1], quote(value, safe=""), quote(value),
                     quote_plus(value)):
            if len(form) >= 4 and form not in forms:
                forms.append(form)
    return forms


def redact_text(text, secrets=()):
    """Free text (an error message, an exception) with known secrets, in every form, and destination URLs
    masked."""
    if not text:
        return text
    forms = set()
    for secret in secrets:
        forms.update(secret_forms(secret))
    for form in sorted(forms, key=len, reverse=True):  # the longest first: a form may contain a shorter one
        text = text.replace(form, REDACTED)
    return _URL_IN_TEXT.sub(lambda m: redact_destination(m.group(0)), text)
