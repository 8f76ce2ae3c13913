# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection: it may change without notice.
"""What a ``destination_conf`` is: one table for every scheme Cloudflare takes.

For each scheme: whether it stores files in a bucket or container (and so has a path), whether
Cloudflare asks for an ownership challenge before it pushes there, and where its secrets are besides
the query string and the user info (which every scheme may carry). Sources: Cloudflare's Logpush API
configuration page and its page for each destination (developers.cloudflare.com/logs/logpush/
logpush-job/enable-destinations/), and its ownership challenge page: AWS S3 (unless it is given keys or
an ``endpoint=``, i.e. S3-compatible), Google Cloud Storage, Azure and Sumo Logic need a challenge;
R2, HTTP(S), Datadog, Splunk and the rest do not. Terraform provider v4 hard-coded the same rule.
"""

from __future__ import annotations

from collections import namedtuple

# store: files in a bucket or container; challenge: True, False, or None for AWS S3's rule (see
# needs_ownership_challenge); path_secret: "code" (Sumo Logic's collector code, the last segment of
# /receiver/v1/http/<code>), "tokens" (HTTP receivers often carry an ingest token in the path), or None.
Scheme = namedtuple("Scheme", "label store challenge path_secret")

SCHEMES = {
    "s3": Scheme("AWS S3 or an S3-compatible store", True, None, None),
    "r2": Scheme("Cloudflare R2", True, False, None),
    "gs": Scheme("Google Cloud Storage", True, True, None),
    "azure": Scheme("Azure Blob Storage", True, True, None),
    "sumo": Scheme("Sumo Logic", False, True, "code"),
    "splunk": Scheme("Splunk HEC", False, False, None),
    "datadog": Scheme("Datadog", False, False, None),
    "https": Scheme("an HTTPS endpoint", False, False, "tokens"),
    "bq": Scheme("BigQuery", False, False, None),
    "kinesis": Scheme("Amazon Kinesis", False, False, None),
    "ibmcl": Scheme("IBM Cloud Logs", False, False, None),
    "sentinelone": Scheme("SentinelOne", False, False, None),
}
# Not a destination (Cloudflare pushes over TLS only), but a URL an error message may quote.
QUOTED_SCHEMES = tuple(SCHEMES) + ("http",)


def destination_scheme(conf):
    scheme, sep, _rest = (conf or "").partition("://")
    return scheme.lower() if sep else ""


def _query_names(conf):
    query = (conf or "").partition("?")[2].partition("#")[0]
    return set(part.partition("=")[0].lower() for part in query.split("&") if part)


def needs_ownership_challenge(conf):
    """True when Cloudflare asks for an ownership challenge to push to this destination.

    AWS S3 without keys and without an endpoint, GCS, Azure and Sumo Logic do; S3-compatible
    stores, S3 with access keys, R2, HTTP(S), Datadog, Splunk and the rest do not.
    """
    scheme = SCHEMES.get(destination_scheme(conf))
    if scheme is None:
        return False
    if scheme.challenge is not None:
        return scheme.challenge
    names = _query_names(conf)
    return "endpoint" not in names and not {"access-key-id", "secret-access-key"} <= names


def path_secret(conf):
    """Where the path of this destination holds a secret: "code", "tokens" or None."""
    scheme = SCHEMES.get(destination_scheme(conf))
    return scheme.path_secret if scheme else None


def destination_location(conf):
    """Where a destination stores files: scheme, bucket (or container), path and region; no secrets.

    Azure's destination is the container's SAS URL with ``https`` replaced by ``azure``
    (Cloudflare's Azure destination page): ``azure://<account>.blob.core.windows.net/<container>/<path>?<SAS>``,
    so the container is the first path segment and the host names the storage account."""
    name = destination_scheme(conf)
    rest = (conf or "").partition("://")[2]
    address, _sep, query = rest.partition("?")
    bucket, _sep, path = address.partition("/")
    # user info (gs://user:password@bucket, a password may hold an unencoded "@") is never part of a bucket
    bucket = bucket.rpartition("@")[2]
    account = None
    if name == "azure" and "." in bucket:
        account = bucket.partition(".")[0]
        bucket, _sep, path = path.partition("/")
    params = dict(part.partition("=")[::2] for part in query.split("&") if part)
    endpoint = params.get("endpoint")
    if endpoint:
        endpoint = strip_userinfo(endpoint)
    is_store = name in SCHEMES and SCHEMES[name].store
    # other destinations may carry a secret in their path (Sumo Logic's code, HTTP tokens)
    return {
        "scheme": name,
        "bucket": bucket if is_store else None,
        "path": path.strip("/") if is_store else None,
        "region": params.get("region"),
        "endpoint": endpoint,
        "account": account,
    }


def userinfo_span(url):
    """Where the user info of a URL's authority is, raw or percent-encoded: (its start, its end, where the host
    starts after the ``@``), or None when it has none. The user info runs to the last ``@`` before the path or
    query, since a password may hold an unencoded ``@`` or ``#``."""
    lowered = url.lower()
    for sep, slash, at in (("://", "/", "@"), ("%3a%2f%2f", "%2f", "%40")):
        start = lowered.find(sep)
        if start < 0:
            continue
        start += len(sep)
        end = len(url)
        for stop in (slash, "?", "%3f"):
            found = lowered.find(stop, start)
            if found >= 0:
                end = min(end, found)
        cut = lowered.rfind(at, start, end)
        if cut >= 0:
            return start, cut, cut + len(at)
    return None


def strip_userinfo(url):
    """A URL (raw or percent-encoded) without the user info of its authority: scheme://host/..."""
    span = userinfo_span(url)
    return url if span is None else url[:span[0]] + url[span[2]:]
