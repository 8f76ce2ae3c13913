# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest

from ansible_collections.cloudflare_community.logpush.plugins.filter.destination_info import destination_info


@pytest.mark.parametrize("conf, challenge_required, shown", [
    ("s3://logs/http/{DATE}?region=us-east-1", True, "s3://logs/http/{DATE}?region=us-east-1"),
    ("gs://logs/http", True, "gs://logs/http"),
    ("azure://acct.blob.core.windows.net/box/http?sv=2022-11-02&sp=cw&sig=c2VjcmV0", True,
     "azure://acct.blob.core.windows.net/box/http?(SAS not shown)"),
    ("r2://logs/http?account-id=0a&access-key-id=key-id&secret-access-key=s3cr3t", False, "r2://logs/http"),
    ("sumo://endpoint.collection.sumologic.com/receiver/v1/http/c2VjcmV0Y29kZQ==", True,
     "sumo://(address not shown: it holds a secret)"),
    ("https://logs.example.com/ingest?header_Authorization=Bearer%20s3cr3t", False,
     "https://(address not shown: it holds a secret)"),
])
def test_shown_destination_never_holds_a_secret(conf, challenge_required, shown):
    info = destination_info(conf)
    assert info["challenge_required"] is challenge_required
    assert info["shown"] == shown
    for secret in ("c2VjcmV0", "s3cr3t", "key-id"):
        assert secret not in info["shown"]


@pytest.mark.parametrize("conf, bucket", [
    ("gs://user:password@bucket/logs", "bucket"),
    ("gs://svc:p@ss#word@bucket/logs", "bucket"),
    ("s3://key:secret@logs/http?region=us-east-1", "logs"),
])
def test_user_info_is_never_returned(conf, bucket):
    info = destination_info(conf)
    assert info["bucket"] == bucket
    for part in ("user", "password", "p@ss", "svc", "secret", "key:"):
        assert part not in info["shown"] and part not in repr(info)


def test_user_info_inside_an_endpoint_is_never_returned():
    info = destination_info("s3://b/p?region=auto&endpoint=https://minio:canary9999@minio.example.com")
    assert info["endpoint"] == "https://minio.example.com"
    assert "canary" not in repr(info)


@pytest.mark.parametrize("conf, host", [
    ("azure://acct.blob.core.windows.net/box/p?sig=x", "acct.blob.core.windows.net"),
    ("azure://acct.blob.core.usgovcloudapi.net/box/p?sig=x", "acct.blob.core.usgovcloudapi.net"),
    ("azure://acct.blob.core.chinacloudapi.cn/box/p?sig=x", "acct.blob.core.chinacloudapi.cn"),
    ("azure://acct.privatelink.blob.core.windows.net/box/p?sig=x", "acct.privatelink.blob.core.windows.net"),
])
def test_azure_keeps_its_own_host(conf, host):
    info = destination_info(conf)
    assert info["host"] == host and info["account"] == "acct" and info["bucket"] == "box"
    assert info["shown"] == "azure://%s/box/p?(SAS not shown)" % host
