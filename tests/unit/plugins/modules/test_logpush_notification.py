# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""logpush_notification end to end: main() against a scripted loopback server."""

from __future__ import annotations

import json

import pytest

from ansible_collections.cloudflare_community.logpush.plugins.module_utils._notification import (
    NotificationInputError, current_destinations, find_policy, request_body,
)
from ansible_collections.cloudflare_community.logpush.plugins.modules import logpush_notification
from ansible_collections.cloudflare_community.logpush.tests.unit._compat import INVOCATION_ARGS
from ansible_collections.cloudflare_community.logpush.tests.unit.scripted_server import Step, envelope

ACCOUNT_ID = "01a7362d577a6c3019a474fd6f485823"
POLICIES = "/client/v4/accounts/%s/alerting/v3/policies" % ACCOUNT_ID
POLICY_ID = "0da2b59e-f118-439d-8097-bdfb215203c9"
WEBHOOK = "b115d5ec15c641ee8b7692c449b5227b"
API_TOKEN = "canary-api-token-3f9d0b72"
ALERT = "failing_logpush_job_disabled_alert"


def policy(**extra):
    answer = {"id": POLICY_ID, "name": "Logpush job disabled", "alert_type": ALERT, "description": "",
              "enabled": True, "mechanisms": {"email": [{"id": "ops@example.com"}]}, "filters": {},
              "created": "2026-12-04T10:00:00Z", "modified": "2026-12-04T10:00:00Z"}
    answer.update(extra)
    return answer


@pytest.fixture
def run(server, run_module):
    def run_notification(check_mode=False, diff=False, **module_args):
        module_args.setdefault("account_id", ACCOUNT_ID)
        module_args.setdefault("name", "Logpush job disabled")
        module_args.update(api_token=API_TOKEN, api_base_url=server.url, timeout=5)
        module_args = dict((key, value) for key, value in module_args.items() if value is not None)
        return run_module(logpush_notification.main, module_args, check_mode=check_mode, diff=diff)
    return run_notification


def requests_of(server):
    return [(s["method"], s["path"]) for s in server.seen]


def sent(server):
    return json.loads(server.seen[-1]["body"])


def test_an_account_without_the_policy_gets_it_in_one_post(server, run):
    server.will(Step(200, envelope([])), Step(200, envelope({"id": POLICY_ID})))
    result = run(email=["Ops@Example.com", "ops@example.com"], webhooks=[WEBHOOK], description="page us", diff=True)
    assert requests_of(server) == [("GET", POLICIES), ("POST", POLICIES)]
    assert sent(server) == {"alert_type": ALERT, "name": "Logpush job disabled", "description": "page us",
                            "enabled": True, "mechanisms": {"email": [{"id": "ops@example.com"}],
                                                            "webhooks": [{"id": WEBHOOK}]}}
    assert result["changed"] is True
    assert result["policy"] == {"id": POLICY_ID, "name": "Logpush job disabled", "alert_type": ALERT,
                                "description": "page us", "enabled": True, "email": ["ops@example.com"],
                                "webhooks": [WEBHOOK], "pagerduty": []}
    assert result["diff"]["before"] == {} and "id" not in result["diff"]["after"]


def test_check_mode_reads_once_and_predicts_the_real_run(server, run):
    server.will(Step(200, envelope([])))
    checked = run(email=["ops@example.com"], check_mode=True, diff=True)
    assert requests_of(server) == [("GET", POLICIES)]
    server.seen[:] = []
    server.will(Step(200, envelope([])), Step(200, envelope({"id": POLICY_ID})))
    real = run(email=["ops@example.com"], diff=True)
    assert checked["changed"] is real["changed"] is True
    assert checked["diff"] == real["diff"]
    assert dict(checked["policy"], id=POLICY_ID) == real["policy"] and checked["policy"]["id"] is None


def test_the_same_policy_in_another_order_and_case_is_one_read(server, run):
    server.will(Step(200, envelope([policy(mechanisms={
        "email": [{"id": "b@example.com"}, {"id": "A@example.com"}], "webhooks": [{"id": WEBHOOK}]})])))
    result = run(email=["a@example.com", "B@example.com"], webhooks=[WEBHOOK], diff=True)
    assert requests_of(server) == [("GET", POLICIES)]
    assert result["changed"] is False and "diff" not in result
    assert result["policy"]["email"] == ["a@example.com", "b@example.com"]


def test_a_list_cloudflare_leaves_out_reads_as_empty_not_as_a_change(server, run):
    # Cloudflare omits an empty mechanism list (terraform-provider-cloudflare #7342)
    server.will(Step(200, envelope([policy()])))
    result = run(email=["ops@example.com"], pagerduty=[])
    assert result["changed"] is False and requests_of(server) == [("GET", POLICIES)]


def test_a_change_puts_every_field_and_keeps_filters_and_lists_not_given(server, run):
    current = policy(mechanisms={"email": [{"id": "ops@example.com"}], "pagerduty": [{"id": "pd1"}]},
                     filters={"zones": ["z"]}, alert_interval="1h", description="kept")
    server.will(Step(200, envelope([current])), Step(200, envelope({"id": POLICY_ID})))
    result = run(enabled=False, email=["new@example.com"], diff=True)
    assert requests_of(server) == [("GET", POLICIES), ("PUT", POLICIES + "/" + POLICY_ID)]
    assert sent(server) == {"alert_type": ALERT, "name": "Logpush job disabled", "description": "kept",
                            "enabled": False, "filters": {"zones": ["z"]}, "alert_interval": "1h",
                            "mechanisms": {"email": [{"id": "new@example.com"}], "pagerduty": [{"id": "pd1"}]}}
    assert result["diff"]["before"]["email"] == ["ops@example.com"] and result["diff"]["before"]["enabled"] is True
    assert result["diff"]["after"]["email"] == ["new@example.com"] and result["diff"]["after"]["enabled"] is False
    assert result["policy"]["pagerduty"] == ["pd1"] and result["policy"]["id"] == POLICY_ID


def test_a_policy_of_another_alert_type_with_the_name_is_left_alone(server, run):
    server.will(Step(200, envelope([policy(alert_type="dos_attack_l7", id="other")])),
                Step(200, envelope({"id": POLICY_ID})))
    result = run(email=["ops@example.com"])
    assert requests_of(server) == [("GET", POLICIES), ("POST", POLICIES)] and result["changed"] is True


def test_two_policies_of_the_type_with_the_name_are_refused_before_any_write(server, run):
    server.will(Step(200, envelope([policy(), policy(id="second")])))
    result = run(email=["ops@example.com"])
    assert result["failed"] is True and requests_of(server) == [("GET", POLICIES)]
    assert "cannot tell which one" in result["msg"] and "second" in result["msg"]


def test_absent_deletes_and_absent_again_only_reads(server, run):
    server.will(Step(200, envelope([policy()])), Step(200, envelope(None)))
    result = run(state="absent", diff=True)
    assert requests_of(server) == [("GET", POLICIES), ("DELETE", POLICIES + "/" + POLICY_ID)]
    assert result["changed"] is True and result["policy"] is None and result["diff"]["after"] == {}
    server.seen[:] = []
    server.will(Step(200, envelope([])))
    again = run(state="absent")
    assert again["changed"] is False and requests_of(server) == [("GET", POLICIES)]


def test_absent_in_check_mode_deletes_nothing(server, run):
    server.will(Step(200, envelope([policy()])))
    result = run(state="absent", check_mode=True)
    assert result["changed"] is True and requests_of(server) == [("GET", POLICIES)]


def test_a_delete_answered_404_by_cloudflare_is_done(server, run):
    server.will(Step(200, envelope([policy()])),
                Step(404, envelope(success=False, errors=[{"code": 17001, "message": "policy not found"}])))
    result = run(state="absent")
    assert result["changed"] is True and not result.get("failed")


@pytest.mark.parametrize("args, message", [
    (dict(zone_id="023e105f4ecef8ad9ca31a8372d0c353", account_id=None, email=["a@example.com"]),
     "zone_id: notification policies are a setting of an account"),
    (dict(email=["not-an-address"]), "is not an e-mail address"),
    (dict(webhooks=["has space"]), "is not a destination id"),
    (dict(name=" ", email=["a@example.com"]), "name: give the name"),
    (dict(state="absent", email=["a@example.com"]), "takes only its name; remove email"),
])
def test_bad_input_fails_before_any_request(server, run, args, message):
    result = run(**args)
    assert result["failed"] is True and message in result["msg"] and server.seen == []


def test_a_policy_notifying_nobody_is_refused_after_the_read_and_before_any_write(server, run):
    server.will(Step(200, envelope([])))
    result = run(enabled=True)
    assert result["failed"] is True and "notify nobody" in result["msg"]
    assert requests_of(server) == [("GET", POLICIES)]


def test_cloudflare_refusing_the_post_fails_with_its_message_and_no_token(server, run):
    server.will(Step(200, envelope([])), Step(400, envelope(success=False, errors=[
        {"code": 17000, "message": "mechanisms.webhooks[0]: no such webhook destination %s" % WEBHOOK}])))
    result = run(webhooks=[WEBHOOK])
    assert result["failed"] is True and "no such webhook destination" in result["msg"]
    assert result["failure"]["codes"] == [17000] and API_TOKEN not in json.dumps(result)


def test_a_credential_pasted_in_the_description_is_masked_in_output(server, run):
    pasted = "posts to https://hooks.example.com/in?token=canary-hook-secret-91"
    server.will(Step(200, envelope([policy(description=pasted)])))
    result = run(email=["ops@example.com"])
    assert result["changed"] is False and "canary-hook-secret-91" not in json.dumps(result)


def test_only_the_id_of_each_mechanism_item_is_kept():
    answer = policy(mechanisms={"webhooks": [{"id": WEBHOOK, "url": "https://x/?secret=s3cr3t-value"}]})
    assert current_destinations(answer) == {"email": [], "webhooks": [WEBHOOK], "pagerduty": []}


def test_find_policy_and_request_body_helpers():
    assert find_policy([policy(name="other")], "Logpush job disabled") is None
    with pytest.raises(NotificationInputError):
        find_policy([policy(), policy(id="b")], "Logpush job disabled")
    body = request_body({"name": "n", "description": "", "enabled": True,
                         "destinations": {"email": ["a@example.com"], "webhooks": [], "pagerduty": []}})
    assert body["mechanisms"] == {"email": [{"id": "a@example.com"}]} and "filters" not in body


def test_a_credential_in_the_description_given_is_masked_in_what_ansible_prints(server, run_module_printed):
    description = "also posts to https://hooks.example.com/in?token=canary-hook-secret-44"
    server.will(Step(200, envelope([])), Step(200, envelope({"id": POLICY_ID})))
    code, out = run_module_printed(logpush_notification.main, dict(
        account_id=ACCOUNT_ID, name="Logpush job disabled", email=["ops@example.com"], description=description,
        api_token=API_TOKEN, api_base_url=server.url, timeout=5, _ansible_verbosity=4, **INVOCATION_ARGS))
    assert code == 0 and '"invocation"' in out
    assert "canary-hook-secret-44" not in out and API_TOKEN not in out
    # the policy Cloudflare keeps has the description as given: only output is masked
    assert sent(server)["description"] == description


def test_a_refused_credential_is_told_the_notifications_permission(server, run):
    server.will(Step(403, envelope(success=False, errors=[{"code": 10000, "message": "Authentication error"}])))
    result = run(email=["ops@example.com"])
    assert result["failed"] is True and "'Notifications Write'" in result["msg"] and "Logs: Write" not in result["msg"]
