# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A job as data: which destinations need a challenge, health, the public shape."""

from __future__ import annotations

import pytest

from ansible_collections.cloudflare_community.logpush.plugins.module_utils._destination import needs_ownership_challenge
from ansible_collections.cloudflare_community.logpush.plugins.module_utils._job import job_health, public_job


@pytest.mark.parametrize("conf, needed", [
    ("s3://bucket/logs?region=us-east-1", True),
    ("s3://bucket/logs?region=us-east-1&sse=AES256", True),
    ("s3://bucket/logs?region=us-east-1&access-key-id=a&secret-access-key=b", False),
    ("s3://bucket/logs?region=us-east-1&access-key-id=a", True),
    ("s3://bucket/logs?region=auto&access-key-id=a&secret-access-key=b&endpoint=minio.example.com", False),
    ("S3://bucket/logs?endpoint=x", False),
    ("gs://bucket/logs", True),
    ("azure://container/logs?sig=x", True),
    ("sumo://endpoint.sumologic.com/receiver/v1/http/abc", True),
    ("r2://bucket/logs?account-id=a&access-key-id=b&secret-access-key=c", False),
    ("https://logs.example.com/ingest", False),
    ("datadog://http-intake.logs.datadoghq.com/api/v2/logs?header_DD-API-KEY=k", False),
    ("splunk://splunk.example.com:8088/services/collector/raw", False),
    ("", False),
])
def test_needs_ownership_challenge(conf, needed):
    assert needs_ownership_challenge(conf) is needed


@pytest.mark.parametrize("job, health", [
    ({"enabled": False, "last_complete": "2026-11-26T09:00:00Z"}, "disabled"),
    ({"enabled": True}, "pending"),
    ({"enabled": True, "last_complete": "2026-11-26T09:00:00Z"}, "ok"),
    ({"enabled": True, "last_complete": "2026-11-26T09:00:00Z", "last_error": "2026-11-26T08:59:59Z"}, "ok"),
    ({"enabled": True, "last_complete": "2026-11-26T09:00:00Z", "last_error": "2026-11-26T09:00:00Z"}, "failing"),
    ({"enabled": True, "last_complete": "2026-11-26T09:00:00Z", "last_error": "2026-11-26T09:00:01Z"}, "failing"),
    ({"enabled": True, "last_error": "2026-11-26T09:00:01Z"}, "failing"),
    ({"enabled": True, "last_complete": "2026-11-26T09:00:00.123456789Z", "last_error": "2026-11-26T09:00:00.1Z"}, "ok"),
])
def test_job_health(job, health):
    assert job_health(job) == health


def test_public_job_has_every_key_redacts_and_drops_the_token():
    job = public_job({"id": 3, "dataset": "http_requests", "enabled": True, "ownership_challenge": "jwt",
                      "destination_conf": "r2://b/p?access-key-id=keyid123&secret-access-key=secret456"})
    assert job["destination_conf"] == "r2://b/p?access-key-id=REDACTED&secret-access-key=REDACTED"
    assert "ownership_challenge" not in job
    assert job["kind"] == "" and job["name"] is None and job["health"] == "pending"
    assert list(job)[:4] == ["id", "name", "dataset", "kind"]


def test_public_job_explains_a_push_error_code_in_its_error_message():
    failing = public_job({"id": 4, "enabled": True, "destination_conf": "https://logs.example.com/in",
                          "last_error": "2026-11-26T09:00:01Z",
                          "error_message": "upload failed with status 1105 after 3 attempts"})
    assert [code["code"] for code in failing["error_codes"]] == [1105]
    assert "DNS" in failing["error_codes"][0]["meaning"]
    # a job without a code in its message (or without a message) shows none, never a guess
    assert public_job({"id": 5, "error_message": "AccessDenied: no permission to write"})["error_codes"] == []
    assert public_job({"id": 6})["error_codes"] == []
