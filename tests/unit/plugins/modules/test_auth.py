# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A module's credential end to end: the task wins over the environment; a token with a newline is used
without it and never printed, in any form (through Ansible's own output, no_log masking included)."""

from __future__ import annotations

import json

from ansible_collections.cloudflare_community.logpush.plugins.modules import logpush_job_info
from ansible_collections.cloudflare_community.logpush.tests.unit.scripted_server import Step, envelope

ZONE_ID = "023e105f4ecef8ad9ca31a8372d0c353"
TOKEN = "canarytoken5b1f0e7d"


def test_the_tasks_token_is_used_with_legacy_variables_in_the_environment(server, run_module, monkeypatch):
    monkeypatch.setenv("CLOUDFLARE_EMAIL", "env@example.com")
    monkeypatch.setenv("CLOUDFLARE_API_KEY", "envkey0000aa")
    server.will(Step(200, envelope([])))
    result = run_module(logpush_job_info.main, {"api_token": TOKEN, "api_base_url": server.url, "zone_id": ZONE_ID})
    assert not result.get("failed"), result.get("msg")
    headers = server.seen[0]["headers"]
    assert headers["Authorization"] == "Bearer " + TOKEN and "X-Auth-Key" not in headers


def test_the_tasks_key_is_used_with_a_token_in_the_environment(server, run_module, monkeypatch):
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", "envtoken1234")
    server.will(Step(200, envelope([])))
    result = run_module(logpush_job_info.main, {"api_email": "u@example.com", "api_key": "taskkey1234",
                                                "api_base_url": server.url, "zone_id": ZONE_ID})
    assert not result.get("failed"), result.get("msg")
    headers = server.seen[0]["headers"]
    assert headers["X-Auth-Key"] == "taskkey1234" and "Authorization" not in headers


def test_two_methods_in_the_task_fail_before_any_request(server, run_module):
    result = run_module(logpush_job_info.main, {"api_token": TOKEN, "api_email": "u@example.com", "api_key": "k1234567",
                                                "api_base_url": server.url, "zone_id": ZONE_ID})
    assert result["failed"] and "both given in the task" in result["msg"]
    assert server.seen == []


def test_a_token_with_a_trailing_newline_is_sent_without_it_and_never_printed(server, run_module_printed):
    echo = "bad token %s / %s / %s" % (TOKEN, json.dumps(TOKEN + "\n"), repr("Bearer %s\n" % TOKEN))
    server.will(Step(200, envelope([])), Step(403, envelope(success=False, errors=[{"code": 10000, "message": echo}])))
    args = {"api_token": TOKEN + "\n", "api_base_url": server.url, "zone_id": ZONE_ID, "timeout": 5}
    code, out = run_module_printed(logpush_job_info.main, args)
    assert code == 0, out
    assert server.seen[0]["headers"]["Authorization"] == "Bearer " + TOKEN
    assert "Whitespace around api_token (from the task) was removed" in out
    code, out = run_module_printed(logpush_job_info.main, args)
    assert code == 1 and "code 10000" in out
    assert "canarytoken" not in out


def test_validate_certs_false_warns(server, run_module_printed):
    server.will(Step(200, envelope([])))
    code, out = run_module_printed(logpush_job_info.main, {"api_token": TOKEN, "api_base_url": server.url,
                                                           "zone_id": ZONE_ID, "validate_certs": False})
    assert code == 0 and "the API's TLS certificate is not checked" in out
