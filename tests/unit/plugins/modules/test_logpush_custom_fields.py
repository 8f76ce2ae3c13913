# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""logpush_custom_fields end to end: main() against a scripted loopback server."""

from __future__ import annotations

import json

import pytest

from ansible_collections.cloudflare_community.logpush.plugins.modules import logpush_custom_fields, logpush_job, logpush_jobs
from ansible_collections.cloudflare_community.logpush.tests.unit.scripted_server import Step, envelope

ZONE_ID = "023e105f4ecef8ad9ca31a8372d0c353"
ENTRYPOINT = "/client/v4/zones/%s/rulesets/phases/http_log_custom_fields/entrypoint" % ZONE_ID
API_TOKEN = "canary-api-token-7c2e9a41"
NONE_YET = Step(404, envelope(success=False, errors=[
    {"code": 10003, "message": "could not find entrypoint ruleset in the http_log_custom_fields phase"}]))
EMPTY = {"request_fields": [], "transformed_request_fields": [], "response_fields": [], "raw_response_fields": [],
         "cookie_fields": [], "preserve_duplicates": [], "enabled": True}


def ruleset(*rules, **extra):
    answer = {"id": "2f2feab2026849078ba485f918791bdc", "name": "default", "kind": "zone", "version": "3",
              "phase": "http_log_custom_fields", "last_updated": "2026-12-04T10:00:00Z", "rules": list(rules)}
    answer.update(extra)
    return answer


def rule(parameters, **extra):
    answer = {"id": "a1b2c3d4e5f60718293a4b5c6d7e8f90", "version": "1", "action": "log_custom_field",
              "expression": "true", "description": "made in the dashboard", "enabled": True,
              "last_updated": "2026-12-04T10:00:00Z", "action_parameters": parameters}
    answer.update(extra)
    return answer


@pytest.fixture
def run(server, run_module):
    def run_custom_fields(check_mode=False, diff=False, **module_args):
        module_args.setdefault("zone_id", ZONE_ID)
        module_args.update(api_token=API_TOKEN, api_base_url=server.url, timeout=5)
        module_args = dict((key, value) for key, value in module_args.items() if value is not None)
        return run_module(logpush_custom_fields.main, module_args, check_mode=check_mode, diff=diff)
    return run_custom_fields


def requests_of(server):
    return [(s["method"], s["path"]) for s in server.seen]


def sent_rules(server):
    return json.loads(server.seen[-1]["body"])["rules"]


def test_a_zone_with_none_gets_one_rule_lowercased_in_one_put(server, run):
    server.will(NONE_YET, Step(200, envelope(ruleset(rule({"request_fields": [{"name": "content-type"}]})))))
    result = run(request_fields=["Content-Type", "content-type "], cookie_fields=["accountNumber"])
    assert requests_of(server) == [("GET", ENTRYPOINT), ("PUT", ENTRYPOINT)]
    assert sent_rules(server) == [{
        "action": "log_custom_field", "expression": "true", "enabled": True,
        "description": "Logpush custom fields (cloudflare_community.logpush)",
        "action_parameters": {"request_fields": [{"name": "content-type"}], "cookie_fields": [{"name": "accountNumber"}]}}]
    assert result["changed"] is True
    assert result["custom_fields"] == dict(EMPTY, request_fields=["content-type"], cookie_fields=["accountNumber"])
    assert result["ruleset"] == {"id": "2f2feab2026849078ba485f918791bdc", "version": "3",
                                 "last_updated": "2026-12-04T10:00:00Z"}


def test_the_same_names_in_another_order_and_case_is_one_read(server, run):
    server.will(Step(200, envelope(ruleset(rule({
        "request_fields": [{"name": "x-forwarded-for"}, {"name": "content-type"}],
        "cookie_fields": [{"name": "__cfruid"}]})))))
    result = run(request_fields=["Content-Type", "X-Forwarded-For"], cookie_fields=["__cfruid"], diff=True)
    assert requests_of(server) == [("GET", ENTRYPOINT)]
    assert result["changed"] is False and "diff" not in result
    assert result["custom_fields"]["request_fields"] == ["content-type", "x-forwarded-for"]


def test_a_cookie_name_keeps_its_case_and_differs_by_case(server, run):
    current = rule({"cookie_fields": [{"name": "accountnumber"}]})
    server.will(Step(200, envelope(ruleset(current))), Step(200, envelope(ruleset(current))))
    result = run(cookie_fields=["accountNumber"])
    assert result["changed"] is True
    assert sent_rules(server)[0]["action_parameters"] == {"cookie_fields": [{"name": "accountNumber"}]}


def test_an_update_keeps_the_rule_id_description_and_the_lists_not_given(server, run):
    current = rule({"request_fields": [{"name": "host"}], "response_fields": [{"name": "set-cookie", "preserve_duplicates": True}]})
    server.will(Step(200, envelope(ruleset(current))), Step(200, envelope(ruleset(current, version="4"))))
    result = run(request_fields=["host", "user-agent"], diff=True)
    body = sent_rules(server)[0]
    assert body["id"] == "a1b2c3d4e5f60718293a4b5c6d7e8f90" and body["description"] == "made in the dashboard"
    assert body["action_parameters"] == {
        "request_fields": [{"name": "host"}, {"name": "user-agent"}],
        "response_fields": [{"name": "set-cookie", "preserve_duplicates": True}]}
    assert result["diff"] == {
        "before": dict(EMPTY, request_fields=["host"], response_fields=["set-cookie"], preserve_duplicates=["set-cookie"]),
        "after": dict(EMPTY, request_fields=["host", "user-agent"], response_fields=["set-cookie"],
                      preserve_duplicates=["set-cookie"])}
    assert result["ruleset"]["version"] == "4"


def test_check_mode_reads_predicts_and_never_writes(server, run):
    server.will(NONE_YET)
    result = run(check_mode=True, diff=True, raw_response_fields=["Set-Cookie"], preserve_duplicates=["set-cookie"])
    assert requests_of(server) == [("GET", ENTRYPOINT)]
    assert result["changed"] is True and result["ruleset"] is None
    assert result["custom_fields"] == dict(EMPTY, raw_response_fields=["set-cookie"], preserve_duplicates=["set-cookie"])
    assert result["diff"] == {"before": EMPTY, "after": result["custom_fields"]}


def test_a_rule_disabled_elsewhere_is_enabled_again(server, run):
    current = rule({"cookie_fields": [{"name": "a"}]}, enabled=False)
    server.will(Step(200, envelope(ruleset(current))), Step(200, envelope(ruleset(dict(current, enabled=True)))))
    result = run(cookie_fields=["a"])
    assert result["changed"] is True and sent_rules(server)[0]["enabled"] is True


def test_absent_empties_the_rules_with_one_put(server, run):
    server.will(Step(200, envelope(ruleset(rule({"cookie_fields": [{"name": "a"}]})))),
                Step(200, envelope(ruleset(version="5"))))
    result = run(state="absent", diff=True)
    assert requests_of(server) == [("GET", ENTRYPOINT), ("PUT", ENTRYPOINT)]
    assert json.loads(server.seen[-1]["body"]) == {"rules": []}
    assert result["changed"] is True and result["custom_fields"] == EMPTY
    assert result["diff"]["before"]["cookie_fields"] == ["a"]


@pytest.mark.parametrize("answer", [NONE_YET, Step(200, envelope(ruleset()))], ids=["no ruleset", "no rule"])
def test_absent_with_nothing_is_one_read(server, run, answer):
    server.will(answer)
    result = run(state="absent")
    assert requests_of(server) == [("GET", ENTRYPOINT)]
    assert result["changed"] is False and result["custom_fields"] == EMPTY


@pytest.mark.parametrize("rules", [
    [rule({"cookie_fields": [{"name": "a"}]}), rule({"cookie_fields": [{"name": "b"}]}, id="b" * 32)],
    [rule({"cookie_fields": [{"name": "a"}]}, expression='http.host eq "a.example.com"')],
    [rule({"id": "some-ruleset"}, action="execute")],
], ids=["two rules", "another expression", "another action"])
@pytest.mark.parametrize("state", ["present", "absent"])
def test_an_entrypoint_with_other_rules_is_refused_before_any_write(server, run, rules, state):
    server.will(Step(200, envelope(ruleset(*rules))))
    result = run(state=state, **({"cookie_fields": ["a"]} if state == "present" else {}))
    assert result["failed"] is True and requests_of(server) == [("GET", ENTRYPOINT)]
    assert "this module does not manage" in result["msg"] and "nothing was written" in result["msg"]


@pytest.mark.parametrize("args, message", [
    ({"request_fields": ["range"]}, "does not support the request header range"),
    ({"transformed_request_fields": ["Range"]}, "does not support the request header range"),
    ({"request_fields": ["host"], "transformed_request_fields": ["Host"]}, "both name host"),
    ({"response_fields": ["server"], "raw_response_fields": ["server"]}, "both name server"),
    ({"cookie_fields": ["c%d" % i for i in range(101)]}, "101 names, Cloudflare allows at most 100"),
    ({"request_fields": ["h%d" % i for i in range(101)]}, "at most 100 per field type"),
    ({"request_fields": [""]}, "request_fields: an empty name"),
    ({"request_fields": ["x-a: b"]}, "is not a valid header name"),
    ({"cookie_fields": ["a b"]}, "is not a valid cookie name"),
    ({"response_fields": ["server"], "raw_response_fields": ["allow"], "preserve_duplicates": ["set-cookie"]},
     "set-cookie is not in response_fields"),
    ({"state": "absent", "cookie_fields": ["a"]}, "takes no list; remove cookie_fields"),
    ({}, "state=present needs at least one of"),
    ({"zone_id": None, "account_id": "01a7362d577a6c3019a474fd6f485823", "cookie_fields": ["a"]},
     "account_id: custom fields are a setting of a zone"),
])
def test_bad_input_fails_before_any_request(server, run, args, message):
    result = run(**args)
    assert result["failed"] is True and message in result["msg"]
    assert server.seen == []


def test_emptying_every_list_is_refused_after_the_read_and_points_to_absent(server, run):
    server.will(Step(200, envelope(ruleset(rule({"cookie_fields": [{"name": "a"}]})))))
    result = run(cookie_fields=[])
    assert result["failed"] is True and "use state=absent" in result["msg"]
    assert requests_of(server) == [("GET", ENTRYPOINT)]


def test_preserve_duplicates_of_a_header_no_longer_logged_is_dropped(server, run):
    current = rule({"response_fields": [{"name": "set-cookie", "preserve_duplicates": True}, {"name": "server"}]})
    server.will(Step(200, envelope(ruleset(current))), Step(200, envelope(ruleset(current))))
    result = run(response_fields=["server"])
    assert sent_rules(server)[0]["action_parameters"] == {"response_fields": [{"name": "server"}]}
    assert result["custom_fields"]["preserve_duplicates"] == []


def test_preserve_duplicates_of_a_header_the_zone_already_logs_is_set_without_naming_its_list(server, run):
    current = rule({"raw_response_fields": [{"name": "set-cookie"}], "cookie_fields": [{"name": "a"}]})
    server.will(Step(200, envelope(ruleset(current))), Step(200, envelope(ruleset(current))))
    result = run(response_fields=["server"], preserve_duplicates=["Set-Cookie"])
    assert requests_of(server) == [("GET", ENTRYPOINT), ("PUT", ENTRYPOINT)]
    assert sent_rules(server)[0]["action_parameters"] == {
        "response_fields": [{"name": "server"}], "raw_response_fields": [{"name": "set-cookie", "preserve_duplicates": True}],
        "cookie_fields": [{"name": "a"}]}
    assert result["custom_fields"]["preserve_duplicates"] == ["set-cookie"]


def test_preserve_duplicates_of_a_header_the_zone_does_not_log_fails_after_the_read(server, run):
    server.will(Step(200, envelope(ruleset(rule({"cookie_fields": [{"name": "a"}]})))))
    result = run(preserve_duplicates=["set-cookie"])
    assert result["failed"] is True and "set-cookie is not in response_fields or raw_response_fields" in result["msg"]
    assert requests_of(server) == [("GET", ENTRYPOINT)]


def test_another_404_is_not_read_as_no_custom_fields(server, run):
    server.will(Step(404, envelope(success=False, errors=[{"code": 7003, "message": "Could not route to /zones/x"}])))
    result = run(cookie_fields=["a"])
    assert result["failed"] is True and requests_of(server) == [("GET", ENTRYPOINT)]
    assert result["failure"]["http_status"] == 404


def test_a_refused_write_fails_with_cloudflare_s_reason_and_no_secret(server, run):
    server.will(NONE_YET, Step(400, envelope(success=False, errors=[{"code": 20021, "message": "invalid rule"}])))
    result = run(cookie_fields=["a"])
    assert result["failed"] is True and "invalid rule (code 20021)" in result["msg"]
    assert result["changed"] is False  # nothing was written
    assert result["failure"]["method"] == "PUT"
    assert API_TOKEN not in json.dumps(result)


# -- logpush_job and logpush_jobs warn when a job logs custom fields the zone does not have -------------------

R2 = "r2://logs/http?account-id=01a7362d577a6c3019a474fd6f485823&access-key-id=canary-key-3e1f&secret-access-key=canary-secret-9a0b"
JOBS = "/client/v4/zones/%s/logpush/jobs" % ZONE_ID
LOGGED = {"field_names": ["RayID", "RequestHeaders", "ResponseHeaders", "Cookies"]}


def api_job(**changes):
    job = {"id": 7, "name": "http-with-headers", "dataset": "http_requests", "kind": "", "enabled": True,
           "destination_conf": R2, "frequency": "high", "output_options": LOGGED}
    job.update(changes)
    return job


def warnings_of(result):
    """The warnings' texts: strings before ansible-core 2.19, WarningSummary objects since."""
    return [w if isinstance(w, str) else w["event"]["msg"] for w in result.get("warnings", [])]


@pytest.fixture
def run_printed(server, run_module_printed):
    def run_job_module(module, **module_args):
        module_args.update(api_token=API_TOKEN, api_base_url=server.url, zone_id=ZONE_ID, timeout=5)
        code, out = run_module_printed(module.main, module_args)
        return code, json.loads(out)
    return run_job_module


@pytest.mark.parametrize("module", [logpush_job, logpush_jobs], ids=["logpush_job", "logpush_jobs"])
def test_a_job_logging_headers_the_zone_lacks_is_warned_about_after_one_more_read(server, run_printed, module):
    item = {"name": "http-with-headers", "dataset": "http_requests", "destination_conf": R2, "output_options": LOGGED}
    server.will(Step(200, envelope([api_job()])),
                Step(200, envelope(ruleset(rule({"request_fields": [{"name": "host"}]})))))
    code, result = run_printed(module, **(item if module is logpush_job else {"jobs": [item]}))
    assert code == 0 and result["changed"] is False
    assert requests_of(server) == [("GET", JOBS), ("GET", ENTRYPOINT)]
    (warning,) = [w for w in warnings_of(result) if "custom field" in w]
    assert "Job 7 (http-with-headers) logs ResponseHeaders and Cookies, but the zone has no custom field" in warning
    assert "logpush_custom_fields" in warning and "canary" not in json.dumps(result)


def test_a_job_with_what_it_logs_gets_no_warning_and_a_credential_that_cannot_read_rulesets_only_a_warning(server, run_printed):
    item = {"name": "http-with-headers", "dataset": "http_requests", "destination_conf": R2, "output_options": LOGGED}
    server.will(Step(200, envelope([api_job()])), Step(200, envelope(ruleset(rule({
        "request_fields": [{"name": "host"}], "raw_response_fields": [{"name": "server"}], "cookie_fields": [{"name": "a"}]})))))
    code, result = run_printed(logpush_job, **item)
    assert code == 0 and not [w for w in warnings_of(result) if "custom field" in w]
    server.will(Step(200, envelope([api_job()])), Step(403, envelope(success=False, errors=[
        {"code": 10000, "message": "Authentication error"}])))
    code, result = run_printed(logpush_job, **item)
    assert code == 0 and not result.get("failed")
    assert any("Could not read the zone's custom fields" in w for w in warnings_of(result))


def test_a_job_without_those_fields_costs_no_read(server, run_printed):
    plain = {"field_names": ["RayID"]}
    server.will(Step(200, envelope([api_job(output_options=plain)])))
    code, result = run_printed(logpush_job, name="http-with-headers", dataset="http_requests", destination_conf=R2,
                               output_options=plain)
    assert code == 0 and requests_of(server) == [("GET", JOBS)]
