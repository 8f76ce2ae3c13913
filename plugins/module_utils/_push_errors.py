# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection: it may change without notice.
"""What Cloudflare's Logpush push error codes mean: ``explain(text)`` -> the entries of the codes in it.

Cloudflare gives a failed upload to a destination a "synthetic" error code, 1101-1108 or 1201, where an HTTP
status would otherwise be (cloudflare/cloudflare-docs PR #32514, "[Logpush] Document destination error codes,
upload timeouts, and retry behavior", merged 2026-08-04: "the synthetic error codes surfaced in the Health
Dashboard and GraphQL"). Where a user sees them:

- GraphQL: the ``status`` dimension of the ``logpushHealthAdaptiveGroups`` dataset, an integer that is 200 for a
  good upload (Cloudflare docs, Logs > Logpush > Alerts and analytics, whose example query filters
  ``status_neq: 200`` and says "If you get a 1105 status code error when checking your Logpush job health...").
  Sure.
- The dashboard's Health tab, "Uploaded Logs by Status Code" (Logpush health page). Sure.
- The job's ``error_message`` in the Logpush API: no public source says it carries the code. Cloudflare's API
  schema only calls it the last failure, "usually repetitive (example: no permissions to write to destination
  bucket)". So ``explain`` finds a code in any text or number handed to it, and finds nothing in a message
  that has none.

The meanings come from what is public of that PR (its description and a review thread that quotes the diff's
timeout table; the merged page itself was not readable here) and from the Alerts and analytics page. A code no
public source explains keeps "no public meaning found": nothing here is guessed.
"""

from __future__ import annotations

import re

# The sources, named once; each entry says which it rests on and how sure it is.
# ``source`` in an entry is the page where Cloudflare documents the code, for the user to read; the comments say
# what each rule rests on (PR #32514: https://github.com/cloudflare/cloudflare-docs/pull/32514).
HEALTH_PAGE = "https://developers.cloudflare.com/logs/logpush/logpush-health/"
ALERTS_PAGE = "https://developers.cloudflare.com/logs/logpush/alerts-and-analytics/"

_NO_MEANING = ("no public meaning found: Cloudflare lists this code among its Logpush destination error codes "
               "(a failed upload to the destination), and no public source read says more")
_NO_MEANING_ACTION = ("Look the code up in the error code table of Cloudflare's Logpush health page; check that the "
                      "destination is up, reachable from the internet and accepts the job's credentials.")

# code -> (Cloudflare's short name or None, meaning, what to do, source URL). How sure, per code:
_TABLE = {
    # PR #32514 lists 1101 in its range; no public text gives its name or meaning.
    1101: (None, _NO_MEANING, _NO_MEANING_ACTION, HEALTH_PAGE),
    # PR #32514, review thread on logpush-health.mdx quoting the diff's "Upload timeouts" table: "TCP connection
    # (dial) | 5 seconds | All destinations that use HTTP | `1102 ConnectionTimeout`". Fairly sure (quoted diff of
    # the merged PR; the merged wording may differ). The action follows from the meaning; Cloudflare's Alerts and
    # analytics page also asks to check that the destination allowlists Cloudflare's IPs.
    1102: ("ConnectionTimeout",
           "Cloudflare could not open a TCP connection to the destination within its connect timeout (5 seconds, "
           "destinations reached over HTTP).",
           "Check that the destination host is up and listens on its port, and that no firewall drops Cloudflare's "
           "connections (allowlist Cloudflare's IP ranges).",
           HEALTH_PAGE),
    1103: (None, _NO_MEANING, _NO_MEANING_ACTION, HEALTH_PAGE),
    1104: (None, _NO_MEANING, _NO_MEANING_ACTION, HEALTH_PAGE),
    # Alerts and analytics page (cloudflare-docs src/content/docs/logs/logpush/alerts-and-analytics.mdx, commit
    # 0309c8bed23afe438f28fd5026b5a7999e653081; added by PR #20684): "a 1105 status code error ... indicates a DNS
    # resolution issue ... check with your DNS service provider and confirm the hostname can be publicly
    # resolved." Sure of the meaning; Cloudflare's short name for it is not public.
    1105: (None,
           "Cloudflare could not resolve the destination's hostname (DNS).",
           "Check with the DNS provider that the destination's hostname resolves publicly, and that it is spelled "
           "right in destination_conf.",
           ALERTS_PAGE),
    # PR #32514, the same quoted table: "TLS handshake | 5 seconds | All HTTPS destinations | `1106 Timeout`" and
    # "No-progress watchdog | 10 seconds | ... | `1106 Timeout`"; the reviewer noted the watchdog does not apply to
    # Amazon S3, Google Cloud Storage or Splunk ("they use their own transports"). Fairly sure. The action is the
    # health page's "Uploads timing out due to large batch sizes or network latency ... Reduce batch size".
    1106: ("Timeout",
           "An upload timed out after the connection was opened: the TLS handshake took more than 5 seconds, or the "
           "upload made no progress for 10 seconds.",
           "Check that the destination accepts data promptly (its TLS endpoint and ingest latency); a destination "
           "slow to take large uploads can be given smaller batches (max_upload_bytes, max_upload_records).",
           HEALTH_PAGE),
    1107: (None, _NO_MEANING, _NO_MEANING_ACTION, HEALTH_PAGE),
    1108: (None, _NO_MEANING, _NO_MEANING_ACTION, HEALTH_PAGE),
    1201: (None, _NO_MEANING, _NO_MEANING_ACTION, HEALTH_PAGE),
}
CODES = tuple(sorted(_TABLE))

# A code is a whole number of its own: not part of a longer number or word ("11050", "a1105f", a request id),
# of a decimal ("1105.5"), a path or a dashed id ("/1105/", "3fa8-1105-4c2b").
_CODE = re.compile(r"(?<![\w.\-/])(?P<code>110[1-8]|1201)(?![\w\-/]|\.\d)")
# ...nor a port: "host:1201", "203.0.113.5:1201", "[2001:db8::1]:1201" (a Go dial error quotes the address).
# "code:1105" stays a code: a port follows a host, which has a dot or brackets, or is localhost.
_HOST_BEFORE_COLON = re.compile(r"(?:[\w\-]*\.[\w.\-]*|\[[0-9A-Fa-f:.]*\]|localhost):$")


def entry(code):
    """The entry of one code (an int), or None for a code that is not one of Cloudflare's push error codes."""
    if code not in _TABLE:
        return None
    name, meaning, action, source = _TABLE[code]
    return {"code": code, "name": name, "meaning": meaning, "action": action, "source": source}


def explain(text):
    """The entries of the push error codes found in ``text``, in order of first appearance, each once.

    ``text`` is an error message (str), or the ``status`` number of a GraphQL health row (int); None, an empty
    text, or one without a code gives []. A code counts only as a whole number (see ``_CODE``).
    """
    if text is None or isinstance(text, bool):
        return []
    if isinstance(text, int):
        found = entry(text)
        return [found] if found else []
    text = str(text)
    codes = []
    for match in _CODE.finditer(text):
        code = int(match.group("code"))
        if code in codes or _HOST_BEFORE_COLON.search(text[max(0, match.start() - 256):match.start()]):
            continue
        codes.append(code)
    return [entry(code) for code in codes]
