# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The stale health: enabled, not failing, and no push for longer than a threshold."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from ansible_collections.cloudflare_community.logpush.plugins.module_utils._job import job_health

NOW = datetime(2026, 12, 4, 12, 0, 0, tzinfo=timezone.utc).timestamp()
DAY = 86400


def job(**changes):
    answer = {"id": 1, "enabled": True, "last_complete": "2026-12-04T11:59:00Z", "last_error": None}
    answer.update(changes)
    return answer


@pytest.mark.parametrize("shape, stale_after, health", [
    (job(), DAY, "ok"),
    (job(last_complete="2026-12-03T11:59:59Z"), DAY, "stale"),
    (job(last_complete="2026-12-03T12:00:00Z"), DAY, "ok"),
    (job(last_complete="2026-12-03T11:59:59.123456789Z"), DAY, "stale"),
    (job(last_complete="2026-12-03T11:59:59"), DAY, "stale"),
    (job(last_complete="2026-11-01T00:00:00Z"), None, "ok"),
    (job(last_complete="2026-11-01T00:00:00Z"), 0, "ok"),
    (job(last_complete="2026-11-01T00:00:00Z", enabled=False), DAY, "disabled"),
    (job(last_complete="2026-11-01T00:00:00Z", last_error="2026-11-02T00:00:00Z"), DAY, "failing"),
    (job(last_complete=None), DAY, "pending"),
    (job(last_complete=None, time_created="2026-12-01T00:00:00Z"), DAY, "stale"),
    (job(last_complete=None, time_created="2026-12-04T00:00:00Z"), DAY, "pending"),
    # never less than twice the job's batching interval
    (job(last_complete="2026-12-04T11:55:00Z", max_upload_interval_seconds=300), 60, "ok"),
    (job(last_complete="2026-12-04T11:49:59Z", max_upload_interval_seconds=300), 60, "stale"),
], ids=lambda value: None)
def test_stale(shape, stale_after, health):
    assert job_health(shape, stale_after, now=NOW) == health


def test_without_a_threshold_the_health_is_what_it_was():
    assert job_health(job(last_complete="2000-01-01T00:00:00Z")) == "ok"
