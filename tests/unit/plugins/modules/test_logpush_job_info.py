# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""logpush_job_info end to end: main() against a scripted loopback server."""

from __future__ import annotations

import json

import pytest

from ansible_collections.cloudflare_community.logpush.plugins.modules import logpush_job_info
from ansible_collections.cloudflare_community.logpush.tests.unit.scripted_server import Step, envelope

ACCOUNT_ID = "01a7362d577a6c3019a474fd6f485823"
ZONE_ID = "023e105f4ecef8ad9ca31a8372d0c353"
LOGPUSH = "/client/v4/zones/%s/logpush" % ZONE_ID
API_TOKEN = "canary-api-token-5b1f0e7d"
SECRET = "canary-secret-7f3a9b0c"
R2 = "r2://logs/http?account-id=%s&access-key-id=canary-keyid-1c2d&secret-access-key=%s" % (ACCOUNT_ID, SECRET)
R2_REDACTED = "r2://logs/http?account-id=%s&access-key-id=REDACTED&secret-access-key=REDACTED" % ACCOUNT_ID
S3 = "s3://bucket/fw?region=us-east-1"


def api_job(job_id, name, dataset="http_requests", conf=R2, **changes):
    job = {"id": job_id, "name": name, "dataset": dataset, "kind": "", "enabled": True, "destination_conf": conf,
           "frequency": "high", "last_complete": None, "last_error": None, "error_message": None}
    job.update(changes)
    return job


OK = api_job(4, "a", last_complete="2026-11-26T09:00:00Z", last_error="2026-11-26T08:00:00Z")
FAILING = api_job(2, "b", dataset="firewall_events", conf=S3, last_complete="2026-11-26T08:00:00Z",
                  last_error="2026-11-26T09:00:00Z", error_message="AccessDenied")
PENDING = api_job(9, "a", dataset="firewall_events", conf=S3)
DISABLED = api_job(1, "c", enabled=False, last_complete="2026-11-26T09:00:00Z")
ALL = [OK, FAILING, PENDING, DISABLED]


@pytest.fixture
def run(server, run_module):
    def run_info(**module_args):
        module_args.update(api_token=API_TOKEN, api_base_url=server.url, timeout=5)
        # the recorded times below are fixed dates: the stale health (test_logpush_job_info_stale.py) is off here
        module_args.setdefault("stale_after", 0)
        if not set(module_args) & {"account_id", "zone", "zone_id", "zones", "all_zones", "account_ids"}:
            module_args["zone_id"] = ZONE_ID
        return run_module(logpush_job_info.main, module_args)
    return run_info


def requests_of(server):
    return [(s["method"], s["path"]) for s in server.seen]


def ids(result):
    return [job["id"] for job in result["logpush_jobs"]]


def test_all_jobs_sorted_by_id_with_health_and_redacted(server, run):
    server.will(Step(200, envelope(ALL + ["not a job"])))
    result = run()
    assert requests_of(server) == [("GET", LOGPUSH + "/jobs")]
    assert result["changed"] is False and ids(result) == [1, 2, 4, 9]
    assert [job["health"] for job in result["logpush_jobs"]] == ["disabled", "failing", "ok", "pending"]
    assert result["logpush_jobs"][2]["destination_conf"] == R2_REDACTED
    assert result["logpush_jobs"][1]["error_message"] == "AccessDenied"
    assert SECRET not in json.dumps(result) and API_TOKEN not in json.dumps(result)
    assert "fields" not in result


@pytest.mark.parametrize("filters, expected", [
    ({"name": "a"}, [4, 9]),
    ({"name": "nobody"}, []),
    ({"destination_conf": S3}, [2, 9]),
    ({"destination_conf": R2, "name": "c"}, [1]),
])
def test_filters(server, run, filters, expected):
    server.will(Step(200, envelope(ALL)))
    result = run(**filters)
    assert requests_of(server) == [("GET", LOGPUSH + "/jobs")]
    assert ids(result) == expected


def test_dataset_lists_that_datasets_jobs(server, run):
    server.will(Step(200, envelope([PENDING, FAILING, OK])))
    result = run(dataset="firewall_events", name="a")
    assert requests_of(server) == [("GET", LOGPUSH + "/datasets/firewall_events/jobs")]
    assert ids(result) == [9]


@pytest.mark.parametrize("empty", [None, ""])
def test_a_job_without_a_dataset_is_an_http_requests_job(server, run, empty):
    # jobs made before 2020 may carry no dataset: they push http_requests
    old = api_job(5, "old", dataset=empty)
    server.will(Step(200, envelope([old, api_job(6, "other")])))
    result = run(dataset="http_requests", name="old")
    assert ids(result) == [5] and result["logpush_jobs"][0]["dataset"] == "http_requests"


def test_id_reads_one_job(server, run):
    server.will(Step(200, envelope(FAILING)))
    result = run(id=2)
    assert requests_of(server) == [("GET", LOGPUSH + "/jobs/2")]
    assert ids(result) == [2] and result["logpush_jobs"][0]["health"] == "failing"


def test_id_and_a_name_that_does_not_match(server, run):
    server.will(Step(200, envelope(FAILING)))
    assert ids(run(id=2, name="a")) == []


def test_unknown_id_is_an_empty_list(server, run):
    server.will(Step(404, envelope(success=False, errors=[{"code": 1000, "message": "job not found"}])))
    result = run(id=77)
    assert result["logpush_jobs"] == [] and not result.get("failed")


def test_fields_of_the_dataset(server, run):
    fields = {"RayID": "ID of the request.", "ClientIP": "IP address of the client."}
    server.will(Step(200, envelope([OK])), Step(200, envelope(fields)))
    result = run(dataset="http_requests", fields=True)
    assert requests_of(server) == [("GET", LOGPUSH + "/datasets/http_requests/jobs"),
                                   ("GET", LOGPUSH + "/datasets/http_requests/fields")]
    assert result["fields"] == fields and ids(result) == [4]


def test_fields_without_dataset_fails_before_any_request(server, run):
    result = run(fields=True)
    assert result["failed"] is True and "dataset" in result["msg"]
    assert server.seen == []


def test_account_scope(server, run):
    server.will(Step(200, envelope([api_job(5, "audit", dataset="audit_logs")])))
    result = run(account_id=ACCOUNT_ID)
    assert requests_of(server) == [("GET", "/client/v4/accounts/%s/logpush/jobs" % ACCOUNT_ID)]
    assert ids(result) == [5]


def test_zone_name_is_resolved(server, run):
    server.will(Step(200, envelope([{"id": "0" * 32, "name": "example.org"}, {"id": ZONE_ID, "name": "example.com"}])),
                Step(200, envelope([OK])))
    result = run(zone="example.com")
    assert requests_of(server) == [("GET", "/client/v4/zones?name=example.com&per_page=50"), ("GET", LOGPUSH + "/jobs")]
    assert result["zone_id"] == ZONE_ID and ids(result) == [4]


def test_refused_credential_fails_with_advice_and_no_token(server, run):
    server.will(Step(403, envelope(success=False, errors=[{"code": 10000, "message": "Authentication error"}])))
    result = run()
    assert result["failed"] is True
    assert "Authentication error (code 10000)" in result["msg"] and "Logs: Write" in result["msg"]
    assert result["failure"]["codes"] == [10000]
    assert API_TOKEN not in json.dumps(result)


def test_a_null_result_for_an_id_is_an_empty_list(server, run):
    """The OpenAPI schema lets a single job's result be null; that must not crash."""
    server.will(Step(200, envelope(None)))
    result = run(id=7)
    assert result["logpush_jobs"] == [] and not result.get("failed")


def test_a_404_that_is_not_job_not_found_is_an_error(server, run):
    server.will(Step(404, envelope(success=False, errors=[{"code": 7000, "message": "No route for that URI"}])))
    result = run(id=7)
    assert result["failed"] is True and "check api_base_url" in result["msg"]


def test_every_listed_jobs_secrets_are_masked_in_all_output(server, run_module_printed):
    """Not only inside each job's destination_conf: a credential quoted anywhere else is masked too."""
    https = "https://logs.example.com/ingest?header_Authorization=Bearer%20canary-bearer-55aa&header_X-Env=prod"
    named_like_a_secret = api_job(3, "canary-bearer-55aa-job", conf=https, error_message="auth failed")
    prod_job = api_job(5, "prod-siem", conf=https)
    server.will(Step(200, envelope([named_like_a_secret, prod_job])))
    code, out = run_module_printed(logpush_job_info.main, {"api_token": API_TOKEN, "api_base_url": server.url,
                                                           "zone_id": ZONE_ID, "timeout": 5})
    result = json.loads(out)
    assert code == 0 and "canary-bearer-55aa" not in out
    # an ordinary header value is no credential: the job named prod-siem keeps its name
    assert [job["name"] for job in result["logpush_jobs"]][1] == "prod-siem"


def test_a_zone_listed_by_its_unicode_name_is_found_by_its_punycode_name(server, run):
    server.will(Step(200, envelope([])), Step(200, envelope([{"id": ZONE_ID, "name": "münchen.de"}])), Step(200, envelope([OK])))
    result = run(zone="xn--mnchen-3ya.de")
    assert [path for _m, path in requests_of(server)][:2] == ["/client/v4/zones?name=xn--mnchen-3ya.de&per_page=50",
                                                              "/client/v4/zones?name=m%C3%BCnchen.de&per_page=50"]
    assert result["zone_id"] == ZONE_ID


@pytest.fixture
def sleeps(monkeypatch):
    done = []
    monkeypatch.setattr(logpush_job_info.time, "sleep", done.append)
    return done


def test_wait_for_push_reads_until_a_push_newer_than_since(server, run, sleeps):
    before = {"last_complete": "2026-11-26T09:00:00Z", "last_error": "2026-11-26T08:00:00Z"}
    server.will(Step(200, envelope(OK)), Step(200, envelope(OK)),
                Step(200, envelope(dict(OK, last_complete="2026-11-26T09:05:00Z"))))
    result = run(id=4, wait_for_push=True, since=before, wait_delay=1, wait_timeout=60)
    assert result["push"]["outcome"] == "pushed" and result["push"]["reads"] == 3
    assert result["logpush_jobs"][0]["last_complete"] == "2026-11-26T09:05:00Z"
    assert len(sleeps) == 2


def test_wait_for_push_fails_on_a_new_error_with_cloudflares_message(server, run, sleeps):
    failing = dict(OK, last_error="2026-11-26T09:10:00Z", error_message="error writing object: AccessDenied")
    server.will(Step(200, envelope(OK)), Step(200, envelope(failing)))
    result = run(id=4, wait_for_push=True, since={"last_complete": OK["last_complete"], "last_error": OK["last_error"]},
                 wait_delay=1, wait_timeout=60)
    assert result["failed"] is True and "cannot push: error writing object: AccessDenied" in result["msg"]
    assert result["push"]["outcome"] == "failing"


def test_wait_for_push_reports_a_job_cloudflare_disabled(server, run, sleeps):
    disabled = dict(OK, enabled=False, last_error="2026-11-27T09:00:00Z", error_message="error writing object: DNSError")
    server.will(Step(200, envelope(disabled)))
    result = run(id=4, wait_for_push=True, wait_delay=1, wait_timeout=60)
    assert result["failed"] is True and "is disabled (Cloudflare disables a job after 24 hours" in result["msg"]
    assert "DNSError" in result["msg"]


def test_wait_for_push_that_sees_nothing_warns_that_the_dataset_may_have_no_events(server, run, monkeypatch):
    clock = iter(range(0, 1000, 30))
    monkeypatch.setattr(logpush_job_info.time, "time", lambda: next(clock))
    monkeypatch.setattr(logpush_job_info.time, "sleep", lambda seconds: None)
    warnings = []
    from ansible.module_utils import basic
    monkeypatch.setattr(basic.AnsibleModule, "warn", lambda module, text: warnings.append(text))
    server.will(*[Step(200, envelope(PENDING))] * 2)
    result = run(id=9, wait_for_push=True, wait_delay=30, wait_timeout=60)
    assert not result.get("failed") and result["push"]["outcome"] == "nothing_yet" and result["push"]["reads"] == 2
    assert any("a dataset without events" in w for w in warnings)


def test_wait_for_push_needs_an_id(server, run):
    result = run(wait_for_push=True)
    assert result["failed"] is True and "id" in result["msg"] and server.seen == []


def test_community_general_credential_names_are_accepted(server, run_module):
    server.will(Step(200, envelope([OK])))
    result = run_module(logpush_job_info.main, {"account_email": "user@example.com", "account_api_key": "canary-key-1234",
                                                "api_base_url": server.url, "zone_id": ZONE_ID, "timeout": 5})
    assert not result.get("failed") and ids(result) == [4]
    assert server.seen[0]["headers"]["X-Auth-Email"] == "user@example.com"
    assert server.seen[0]["headers"]["X-Auth-Key"] == "canary-key-1234"


OTHER_ZONE = "b" * 32
ZONE_LIST = Step(200, {"success": True, "errors": [], "messages": [], "result": [
    {"id": ZONE_ID, "name": "example.com"}, {"id": OTHER_ZONE, "name": "example.org"}],
    "result_info": {"page": 1, "per_page": 50, "count": 2, "total_count": 2, "total_pages": 1}})


def test_several_zones_in_one_task_each_job_with_its_zone(server, run):
    server.will(ZONE_LIST, Step(200, envelope([OK])), Step(200, envelope([dict(FAILING, id=3)])))
    result = run(zones=["example.com", OTHER_ZONE])
    assert requests_of(server) == [("GET", "/client/v4/zones?per_page=50&page=1"), ("GET", LOGPUSH + "/jobs"),
                                   ("GET", "/client/v4/zones/%s/logpush/jobs" % OTHER_ZONE)]
    assert [(j["zone_name"], j["zone_id"], j["id"], j["health"]) for j in result["logpush_jobs"]] == [
        ("example.com", ZONE_ID, 4, "ok"), ("example.org", OTHER_ZONE, 3, "failing")]


def test_zone_ids_alone_need_no_zone_listing(server, run):
    server.will(Step(200, envelope([OK])))
    result = run(zones=[ZONE_ID])
    assert requests_of(server) == [("GET", LOGPUSH + "/jobs")]
    assert result["logpush_jobs"][0]["zone_id"] == ZONE_ID and result["logpush_jobs"][0]["zone_name"] is None


def test_every_zone_of_an_account(server, run):
    page1 = {"success": True, "errors": [], "messages": [], "result": [{"id": ZONE_ID, "name": "example.com"}],
             "result_info": {"page": 1, "per_page": 50, "total_pages": 2}}
    page2 = {"success": True, "errors": [], "messages": [], "result": [{"id": OTHER_ZONE, "name": "example.org"}],
             "result_info": {"page": 2, "per_page": 50, "total_pages": 2}}
    server.will(Step(200, page1), Step(200, page2), Step(200, envelope([OK])), Step(200, envelope([])))
    result = run(all_zones=True, account_id=ACCOUNT_ID)
    assert [path for _m, path in requests_of(server)][:2] == [
        "/client/v4/zones?per_page=50&page=1&account.id=%s" % ACCOUNT_ID,
        "/client/v4/zones?per_page=50&page=2&account.id=%s" % ACCOUNT_ID]
    assert [j["zone_name"] for j in result["logpush_jobs"]] == ["example.com"]


def test_an_unknown_zone_name_fails_naming_it(server, run):
    server.will(ZONE_LIST)
    result = run(zones=["example.com", "nope.example"])
    assert result["failed"] is True and "zones: nope.example not found" in result["msg"]


def test_jobs_come_back_as_logpush_jobs_items_to_adopt(server, run):
    made_elsewhere = api_job(4, "example.com", filter='{"where":{"key":"ClientCountry","operator":"eq","value":"ca"}}',
                             output_options={"field_names": ["RayID"], "CVE-2021-44228": True, "record_prefix": None},
                             max_upload_records=5000, kind="edge")
    server.will(Step(200, envelope([made_elsewhere])))
    result = run()
    assert result["job_options"] == [{
        "name": "example.com", "dataset": "http_requests", "destination_conf": R2_REDACTED, "enabled": True,
        "kind": "edge", "filter": {"where": {"key": "ClientCountry", "operator": "eq", "value": "ca"}},
        "max_upload_records": 5000, "output_options": {"field_names": ["RayID"], "cve_2021_44228": True}}]
    assert SECRET not in json.dumps(result)


OTHER_ACCOUNT = "c" * 32
FORBIDDEN = Step(403, envelope(success=False, errors=[{"code": 10000, "message": "Authentication error"}]))


def test_zones_and_accounts_in_one_task_each_job_with_its_scope(server, run):
    server.will(Step(200, envelope([OK])), Step(200, envelope([dict(FAILING, id=7)])))
    result = run(zones=[ZONE_ID], account_ids=[ACCOUNT_ID, ACCOUNT_ID])
    assert requests_of(server) == [("GET", LOGPUSH + "/jobs"), ("GET", "/client/v4/accounts/%s/logpush/jobs" % ACCOUNT_ID)]
    assert [(j["zone_id"], j["account_id"], j["id"]) for j in result["logpush_jobs"]] == [
        (None, ACCOUNT_ID, 7), (ZONE_ID, None, 4)]
    assert result["failed_scopes"] == [] and not result.get("failed")


def test_one_scope_error_keeps_the_others_and_fails_after_reading_them_all(server, run):
    server.will(FORBIDDEN, Step(200, envelope([OK])), Step(500, envelope(success=False, errors=[
        {"code": 1000, "message": "Internal Server Error %s" % API_TOKEN}])))
    result = run(zones=[OTHER_ZONE, ZONE_ID], account_ids=[ACCOUNT_ID], max_retries=0)
    assert len(server.seen) == 3
    assert result["failed"] is True and "2 of the zones and accounts could not be read" in result["msg"]
    assert "on_scope_error=warn" in result["msg"]
    assert ids(result) == [4] and result["logpush_jobs"][0]["zone_id"] == ZONE_ID
    assert [(f["zone_id"], f["account_id"], f["http_status"], f["codes"]) for f in result["failed_scopes"]] == [
        (OTHER_ZONE, None, 403, [10000]), (None, ACCOUNT_ID, 500, [1000])]
    assert API_TOKEN not in json.dumps(result)


def test_on_scope_error_warn_only_warns(server, run_module_printed):
    server.will(Step(200, envelope([OK])), FORBIDDEN)
    code, out = run_module_printed(logpush_job_info.main, dict(
        zones=[ZONE_ID], account_ids=[OTHER_ACCOUNT], on_scope_error="warn", stale_after=0, api_token=API_TOKEN,
        api_base_url=server.url, timeout=5))
    result = json.loads(out)
    assert code == 0 and not result.get("failed") and ids(result) == [4]
    assert result["failed_scopes"][0]["account_id"] == OTHER_ACCOUNT
    assert any("1 of the zones and accounts could not be read" in str(w) for w in result["warnings"])


def test_a_single_scope_still_fails_through_the_error_funnel(server, run):
    server.will(FORBIDDEN)
    result = run()
    assert result["failed"] is True and result["failure"]["codes"] == [10000] and "failed_scopes" not in result


def test_the_health_filter_keeps_only_those_healths_at_no_cost(server, run):
    server.will(Step(200, envelope(ALL)))
    result = run(health=["failing", "disabled"])
    assert len(server.seen) == 1
    assert sorted((j["id"], j["health"]) for j in result["logpush_jobs"]) == [(1, "disabled"), (2, "failing")]
    assert len(result["job_options"]) == 2


@pytest.mark.parametrize("args, message", [
    (dict(account_ids=["nope"]), "account_ids: 'nope' is not an account id"),
    (dict(account_ids=[ACCOUNT_ID], account_id=ACCOUNT_ID), "give every account in account_ids"),
])
def test_bad_account_ids_fail_before_any_request(server, run, args, message):
    result = run(**args)
    assert result["failed"] is True and message in result["msg"] and server.seen == []


def _entrypoint(zone_id):
    return "/client/v4/zones/%s/rulesets/phases/http_log_custom_fields/entrypoint" % zone_id


NO_ENTRYPOINT = Step(404, envelope(success=False, errors=[
    {"code": 10003, "message": "could not find entrypoint ruleset in the http_log_custom_fields phase"}]))
CUSTOM_RULESET = {"id": "r" * 32, "name": "default", "kind": "zone", "version": "1", "phase": "http_log_custom_fields",
                  "last_updated": "2026-12-04T10:00:00Z", "rules": [{
                      "id": "a" * 32, "version": "1", "action": "log_custom_field", "expression": "true", "enabled": True,
                      "last_updated": "2026-12-04T10:00:00Z", "action_parameters": {
                          "request_fields": [{"name": "x-forwarded-for"}, {"name": "content-type"}],
                          "cookie_fields": [{"name": "__cfruid"}]}}]}


def test_custom_fields_of_a_zone_cost_one_read_only_when_asked(server, run):
    server.will(Step(200, envelope([OK])), Step(200, envelope(CUSTOM_RULESET)))
    result = run(custom_fields=True)
    assert requests_of(server) == [("GET", LOGPUSH + "/jobs"), ("GET", _entrypoint(ZONE_ID))]
    assert result["custom_fields"] == [{
        "zone_id": ZONE_ID, "zone_name": None, "request_fields": ["content-type", "x-forwarded-for"],
        "transformed_request_fields": [], "response_fields": [], "raw_response_fields": [],
        "cookie_fields": ["__cfruid"], "preserve_duplicates": [], "enabled": True}]
    server.seen[:] = []
    server.will(Step(200, envelope([OK])))
    assert "custom_fields" not in run() and requests_of(server) == [("GET", LOGPUSH + "/jobs")]


def test_custom_fields_of_several_zones_one_read_each_and_none_for_an_account(server, run):
    server.will(Step(200, envelope([OK])), NO_ENTRYPOINT, Step(200, envelope([])), Step(200, envelope(CUSTOM_RULESET)),
                Step(200, envelope([])))
    result = run(zones=[ZONE_ID, OTHER_ZONE], account_ids=[ACCOUNT_ID], custom_fields=True)
    assert [path for _m, path in requests_of(server)] == [
        LOGPUSH + "/jobs", _entrypoint(ZONE_ID), "/client/v4/zones/%s/logpush/jobs" % OTHER_ZONE,
        _entrypoint(OTHER_ZONE), "/client/v4/accounts/%s/logpush/jobs" % ACCOUNT_ID]
    assert [(f["zone_id"], f["cookie_fields"]) for f in result["custom_fields"]] == [(ZONE_ID, []), (OTHER_ZONE, ["__cfruid"])]


def test_custom_fields_of_an_account_alone_are_refused_before_any_request(server, run):
    result = run(account_id=ACCOUNT_ID, custom_fields=True)
    assert result["failed"] is True and "an account has none" in result["msg"] and server.seen == []
