# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""logpush_job_info's stale health, end to end against a scripted loopback server."""

from __future__ import annotations

import pytest

from ansible_collections.cloudflare_community.logpush.plugins.modules import logpush_job_info
from ansible_collections.cloudflare_community.logpush.tests.unit.scripted_server import Step, envelope

ZONE_ID = "023e105f4ecef8ad9ca31a8372d0c353"
JOB = {"id": 1, "name": "quiet", "dataset": "http_requests", "kind": "", "enabled": True,
       "destination_conf": "s3://bucket/p?region=us-east-1", "last_complete": "2020-01-01T00:00:00Z",
       "last_error": None, "error_message": None}


@pytest.fixture
def run(server, run_module):
    def run_info(**module_args):
        module_args.update(api_token="canary-token-11", api_base_url=server.url, zone_id=ZONE_ID, timeout=5)
        return run_module(logpush_job_info.main, module_args)
    return run_info


def test_a_job_silent_for_longer_than_the_default_day_is_stale(server, run):
    server.will(Step(200, envelope([JOB])))
    result = run()
    assert result["logpush_jobs"][0]["health"] == "stale"


def test_stale_after_0_turns_it_off(server, run):
    server.will(Step(200, envelope([JOB])))
    assert run(stale_after=0)["logpush_jobs"][0]["health"] == "ok"


def test_a_negative_threshold_fails_before_any_request(server, run):
    result = run(stale_after=-1)
    assert result["failed"] is True and "stale_after must be a number of seconds" in result["msg"]
    assert server.seen == []
