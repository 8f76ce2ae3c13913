# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""logpush_jobs end to end: main() against a scripted loopback server, request by request."""

from __future__ import annotations

import json

import pytest

from ansible_collections.cloudflare_community.logpush.plugins.modules import logpush_jobs
from ansible_collections.cloudflare_community.logpush.tests.unit.scripted_server import Step, envelope

ZONE_ID = "023e105f4ecef8ad9ca31a8372d0c353"
LOGPUSH = "/client/v4/zones/%s/logpush" % ZONE_ID
JOBS = LOGPUSH + "/jobs"
API_TOKEN = "canary-api-token-5b1f0e7d"
SECRET = "canary-secret-7f3a9b0c"
R2 = "r2://logs/%s?account-id=01a7362d577a6c3019a474fd6f485823&access-key-id=canary-keyid-1c2d&secret-access-key=" + SECRET
FIELDS = {"RayID": "x", "ClientIP": "y", "Action": "z"}


def api_job(job_id, name, dataset="http_requests", **changes):
    job = {"id": job_id, "name": name, "dataset": dataset, "kind": "", "enabled": True,
           "destination_conf": R2 % dataset, "frequency": "high", "last_complete": None, "last_error": None,
           "error_message": None}
    job.update(changes)
    return job


def item(name, dataset, **options):
    return dict(dict(name=name, dataset=dataset, destination_conf=R2 % dataset, enabled=True), **options)


HTTP = api_job(1, "example.com")
FIREWALL = api_job(2, "example.com", "firewall_events")
STRAY = api_job(3, "old-job", "dns_logs")


@pytest.fixture
def run(server, run_module):
    def run_jobs(check_mode=False, diff=False, **module_args):
        module_args.update(api_token=API_TOKEN, api_base_url=server.url, zone_id=ZONE_ID, timeout=5)
        return run_module(logpush_jobs.main, module_args, check_mode=check_mode, diff=diff)
    return run_jobs


def requests_of(server):
    return [(s["method"], s["path"]) for s in server.seen]


def test_a_set_that_is_already_right_is_exactly_one_request(server, run):
    server.will(Step(200, envelope([HTTP, FIREWALL, STRAY])))
    result = run(jobs=[item("example.com", "http_requests"), item("example.com", "firewall_events")])
    assert requests_of(server) == [("GET", JOBS)]
    assert result["changed"] is False
    assert [(r["id"], r["action"]) for r in result["results"]] == [(1, "unchanged"), (2, "unchanged")]
    assert [j["id"] for j in result["logpush_jobs"]] == [1, 2, 3]
    assert SECRET not in json.dumps(result)


def test_an_absent_item_whose_job_is_gone_is_named_by_the_item(server, run):
    server.will(Step(200, envelope([HTTP])))
    result = run(jobs=[item("example.com", "http_requests"), dict(name="gone", dataset="dns_logs", state="absent")])
    assert requests_of(server) == [("GET", JOBS)]
    assert result["changed"] is False
    assert result["results"][1] == {"name": "gone", "dataset": "dns_logs", "id": None, "action": "unchanged"}


def test_only_the_writes_that_differ(server, run):
    server.will(Step(200, envelope([HTTP, FIREWALL])), Step(200, envelope(dict(FIREWALL, enabled=False))),
                Step(200, envelope(api_job(4, "example.com", "dns_logs"))))
    result = run(jobs=[item("example.com", "http_requests"), item("example.com", "firewall_events", enabled=False),
                       item("example.com", "dns_logs")])
    assert requests_of(server) == [("GET", JOBS), ("PUT", JOBS + "/2"), ("POST", JOBS)]
    assert [r["action"] for r in result["results"]] == ["unchanged", "updated", "created"]
    assert [j["id"] for j in result["logpush_jobs"]] == [1, 2, 4]


@pytest.mark.parametrize("check_mode", [True, False])
def test_purge_deletes_exactly_the_unlisted_jobs(server, run, check_mode):
    server.will(Step(200, envelope([HTTP, FIREWALL, STRAY])), *([] if check_mode else [Step(200, envelope({"id": 3}))]))
    result = run(check_mode=check_mode, diff=True, purge=True,
                 jobs=[item("example.com", "http_requests"), item("example.com", "firewall_events")])
    expected = [("GET", JOBS)] + ([] if check_mode else [("DELETE", JOBS + "/3")])
    assert requests_of(server) == expected
    assert result["changed"] is True
    assert result["results"][-1] == {"name": "old-job", "dataset": "dns_logs", "id": None, "action": "deleted"}
    assert [j["id"] for j in result["logpush_jobs"]] == [1, 2]
    assert "old-job (dns_logs)" in result["diff"]["before"] and "old-job (dns_logs)" not in result["diff"]["after"]


def test_check_mode_predicts_creates_without_writing(server, run):
    server.will(Step(200, envelope([HTTP])))
    result = run(check_mode=True, diff=True, jobs=[item("example.com", "http_requests"), item("example.com", "dns_logs")])
    assert requests_of(server) == [("GET", JOBS)]
    assert [r["action"] for r in result["results"]] == ["unchanged", "created"]
    assert result["logpush_jobs"][-1]["dataset"] == "dns_logs" and result["logpush_jobs"][-1]["id"] is None
    assert "example.com (dns_logs)" in result["diff"]["after"]


def test_every_check_runs_before_the_first_write(server, run):
    server.will(Step(200, envelope([HTTP, STRAY])), Step(200, envelope(FIELDS)))
    result = run(purge=True, jobs=[item("example.com", "http_requests"),
                                   item("example.com", "firewall_events", output_options={"field_names": ["RayId"]})])
    assert result["failed"] is True and "no field RayId (closest: RayID)" in result["msg"]
    assert [m for m, _p in requests_of(server)] == ["GET", "GET"]  # the list and the fields; no delete of job 3


def test_a_dataset_s_fields_are_read_once(server, run):
    server.will(Step(200, envelope([])), Step(200, envelope(FIELDS)),
                Step(200, envelope(api_job(5, "a", output_options={"field_names": ["RayID"]}))),
                Step(200, envelope(api_job(6, "b", output_options={"field_names": ["ClientIP"]}))))
    run(jobs=[item("a", "http_requests", output_options={"field_names": ["RayID"]}),
              item("b", "http_requests", output_options={"field_names": ["ClientIP"]})])
    assert [p for _m, p in requests_of(server)].count(LOGPUSH + "/datasets/http_requests/fields") == 1


def test_two_items_that_name_one_job_fail_before_any_write(server, run):
    server.will(Step(200, envelope([HTTP])))
    result = run(jobs=[item("example.com", "http_requests"), dict(name="example.com", enabled=False)])
    assert result["failed"] is True and "jobs[1] (example.com): it names job 1, as jobs[0] (example.com) does" in result["msg"]


def test_an_item_without_name_or_id_fails_naming_it(server, run):
    result = run(jobs=[dict(dataset="http_requests", destination_conf=R2 % "x")])
    assert result["failed"] is True and "jobs[0]: give name (or id)" in result["msg"] and server.seen == []


def test_bad_input_names_the_item(server, run):
    result = run(jobs=[item("ok", "http_requests"), item("bad", "http_requests", max_upload_records=5)])
    assert result["failed"] is True and result["msg"].startswith("jobs[1] (bad): max_upload_records must be 0")
    assert server.seen == []


def test_the_secrets_of_every_item_are_masked_even_when_argument_validation_fails(server, run_module_printed):
    """Ansible prints the invocation of a failed validation: the items' credentials must not be in it."""
    code, out = run_module_printed(logpush_jobs.main, {
        "api_token": API_TOKEN, "api_base_url": server.url, "zone_id": ZONE_ID, "_ansible_inject_invocation": True,
        "jobs": [item("a", "http_requests"), dict(item("b", "dns_logs"), max_upload_records="not-a-number")]})
    assert code == 1 and SECRET not in out and API_TOKEN not in out and server.seen == []
