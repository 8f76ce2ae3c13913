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
# Cloudflare's answer to validate/destination, asked once per destination a task creates or changes
VALID = Step(200, envelope({"valid": True, "message": ""}))
VALIDATE = ("POST", LOGPUSH + "/validate/destination")


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
    server.will(Step(200, envelope([HTTP, FIREWALL])), VALID, Step(200, envelope(dict(FIREWALL, enabled=False))),
                Step(200, envelope(api_job(4, "example.com", "dns_logs"))))
    result = run(jobs=[item("example.com", "http_requests"), item("example.com", "firewall_events", enabled=False),
                       item("example.com", "dns_logs")])
    # the new job's destination is tested; the update keeps its destination, so it is not
    assert requests_of(server) == [("GET", JOBS), VALIDATE, ("PUT", JOBS + "/2"), ("POST", JOBS)]
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
    server.will(Step(200, envelope([HTTP])), VALID)
    result = run(check_mode=True, diff=True, jobs=[item("example.com", "http_requests"), item("example.com", "dns_logs")])
    assert requests_of(server) == [("GET", JOBS), VALIDATE]
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
    server.will(Step(200, envelope([])), Step(200, envelope(FIELDS)), VALID,
                Step(200, envelope(api_job(5, "a", output_options={"field_names": ["RayID"]}))),
                Step(200, envelope(api_job(6, "b", output_options={"field_names": ["ClientIP"]}))))
    run(jobs=[item("a", "http_requests", output_options={"field_names": ["RayID"]}),
              item("b", "http_requests", output_options={"field_names": ["ClientIP"]})])
    assert [p for _m, p in requests_of(server)].count(LOGPUSH + "/datasets/http_requests/fields") == 1
    assert requests_of(server).count(VALIDATE) == 1  # one destination, tested once


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


# -- write order, and what a task that fails partway says -------------------------------------------

REFUSED = Step(400, envelope(success=False, errors=[{"code": 1002, "message": "filter: unknown operator startswith"}]))
QUOTA = Step(403, envelope(success=False, errors=[{
    "code": 1004, "message": "creating a new job (for http_requests dataset) is not allowed: exceeded max jobs allowed"}]))
NEW_HTTP = api_job(4, "new-job")
OLD_HTTP = api_job(8, "old-job")


def test_creates_and_updates_go_before_deletes(server, run):
    server.will(Step(200, envelope([HTTP, FIREWALL, STRAY])), VALID, Step(200, envelope(dict(FIREWALL, enabled=False))),
                Step(200, envelope(NEW_HTTP)), Step(200, envelope({"id": 3})))
    result = run(purge=True, jobs=[item("example.com", "http_requests"), item("example.com", "firewall_events", enabled=False),
                                   item("new-job", "http_requests")])
    assert requests_of(server) == [("GET", JOBS), VALIDATE, ("PUT", JOBS + "/2"), ("POST", JOBS), ("DELETE", JOBS + "/3")]
    assert [r["action"] for r in result["results"]] == ["unchanged", "updated", "created", "deleted"]


def test_a_refused_create_runs_no_delete_and_says_what_was_done(server, run):
    server.will(Step(200, envelope([HTTP, FIREWALL, STRAY])), VALID, Step(200, envelope(dict(FIREWALL, enabled=False))),
                REFUSED)
    result = run(purge=True, diff=True, jobs=[item("example.com", "http_requests"),
                                              item("example.com", "firewall_events", enabled=False),
                                              item("new-job", "http_requests")])
    assert requests_of(server) == [("GET", JOBS), VALIDATE, ("PUT", JOBS + "/2"), ("POST", JOBS)]  # no DELETE
    assert result["failed"] is True and result["changed"] is True
    actions = [(r["id"], r["action"]) for r in result["results"]]
    assert actions == [(1, "unchanged"), (2, "updated"), (None, "failed"), (3, "skipped")]
    assert "unknown operator startswith" in result["results"][2]["reason"]
    assert result["results"][3]["reason"].startswith("not deleted: a create or update of this task failed")
    assert [(j["id"], j["enabled"]) for j in result["logpush_jobs"]] == [(1, True), (2, False), (3, True)]
    assert result["msg"].startswith("jobs[2] (new-job): the create failed (the writes made before it stay made: "
                                    "updated job 2 (example.com, firewall_events); not run: the purge of job 3 (old-job, dns_logs)")
    assert result["failure"]["http_status"] == 400
    assert "old-job (dns_logs)" in result["diff"]["after"]
    assert SECRET not in json.dumps(result) and API_TOKEN not in json.dumps(result)


def test_a_task_whose_first_write_is_refused_reports_no_change(server, run):
    server.will(Step(200, envelope([STRAY])), VALID, REFUSED)
    result = run(purge=True, jobs=[item("new-job", "http_requests")])
    assert result["failed"] is True and result["changed"] is False
    assert "no write was made, nothing changed" in result["msg"]
    assert [r["action"] for r in result["results"]] == ["failed", "skipped"]
    assert [j["id"] for j in result["logpush_jobs"]] == [3]


def test_a_refused_delete_reports_the_writes_before_it(server, run):
    server.will(Step(200, envelope([STRAY, OLD_HTTP])), VALID, Step(200, envelope(NEW_HTTP)), REFUSED)
    result = run(purge=True, jobs=[item("new-job", "http_requests")])
    assert result["failed"] is True and result["changed"] is True
    assert requests_of(server) == [("GET", JOBS), VALIDATE, ("POST", JOBS), ("DELETE", JOBS + "/3")]
    assert [(r["id"], r["action"]) for r in result["results"]] == [(4, "created"), (3, "failed"), (8, "skipped")]
    assert result["msg"].startswith("the purge of job 3 (old-job, dns_logs): the delete failed (the writes made before "
                                    "it stay made: created job 4 (new-job, http_requests); not run: the purge of job 8")
    assert [j["id"] for j in result["logpush_jobs"]] == [3, 4, 8]


def test_a_full_quota_runs_the_deletes_of_that_dataset_first_then_creates(server, run):
    server.will(Step(200, envelope([OLD_HTTP, FIREWALL])), VALID, QUOTA, Step(200, envelope({"id": 8})),
                Step(200, envelope(NEW_HTTP)), Step(200, envelope({"id": 2})))
    result = run(purge=True, jobs=[item("new-job", "http_requests")])
    assert requests_of(server) == [("GET", JOBS), VALIDATE, ("POST", JOBS), ("DELETE", JOBS + "/8"), ("POST", JOBS),
                                   ("DELETE", JOBS + "/2")]
    assert result["changed"] is True and [r["action"] for r in result["results"]] == ["created", "deleted", "deleted"]


def test_a_create_refused_again_after_the_deletes_for_room_returns_the_deleted_jobs(server, run):
    server.will(Step(200, envelope([OLD_HTTP, FIREWALL])), VALID, QUOTA, Step(200, envelope({"id": 8})), QUOTA)
    result = run(purge=True, jobs=[item("new-job", "http_requests")])
    # the firewall_events job stays: a delete of another dataset makes no room
    assert requests_of(server) == [("GET", JOBS), VALIDATE, ("POST", JOBS), ("DELETE", JOBS + "/8"), ("POST", JOBS)]
    assert result["failed"] is True and result["changed"] is True
    assert [d["id"] for d in result["deleted_jobs"]] == [8] and result["deleted_jobs"][0]["destination_conf"].endswith(
        "secret-access-key=REDACTED")
    assert "Job(s) 8 were deleted to make room" in result["msg"] and "deleted job 8 (old-job, http_requests)" in result["msg"]
    assert [(r["id"], r["action"]) for r in result["results"]] == [(None, "failed"), (None, "deleted"), (2, "skipped")]
    assert [j["id"] for j in result["logpush_jobs"]] == [2]
    assert SECRET not in json.dumps(result)


def test_a_delete_for_room_that_fails_leaves_the_create_reported_as_refused(server, run):
    server.will(Step(200, envelope([OLD_HTTP])), VALID, QUOTA, REFUSED)
    result = run(purge=True, jobs=[item("new-job", "http_requests")])
    assert requests_of(server) == [("GET", JOBS), VALIDATE, ("POST", JOBS), ("DELETE", JOBS + "/8")]
    assert result["failed"] is True and result["changed"] is False
    assert [(r["id"], r["action"]) for r in result["results"]] == [(None, "failed"), (8, "failed")]
    assert "exceeded max jobs allowed" in result["results"][0]["reason"]
    assert [j["id"] for j in result["logpush_jobs"]] == [8]


def test_a_full_quota_with_no_delete_in_that_dataset_deletes_nothing(server, run):
    server.will(Step(200, envelope([FIREWALL])), VALID, QUOTA)
    result = run(purge=True, jobs=[item("new-job", "http_requests")])
    assert "DELETE" not in [m for m, _p in requests_of(server)]
    assert result["failed"] is True and result["changed"] is False and "deleted_jobs" not in result


@pytest.mark.parametrize("check_mode", [False, True])
def test_a_destination_cloudflare_cannot_write_fails_before_any_write(server, run, check_mode):
    missing = Step(200, envelope({"valid": False, "message": "error validating destination: NoSuchBucket"}))
    server.will(Step(200, envelope([HTTP, STRAY])), missing)
    result = run(check_mode=check_mode, purge=True,
                 jobs=[item("example.com", "http_requests"), item("new-job", "dns_logs")])
    assert requests_of(server) == [("GET", JOBS), VALIDATE]
    assert result["failed"] is True and result["changed"] is False
    assert result["msg"].startswith("jobs[1] (new-job): Cloudflare cannot write to this destination_conf") and \
        "NoSuchBucket" in result["msg"]


def test_what_validate_destination_answers_is_masked_in_the_message(server, run):
    # Cloudflare's reason may quote the destination, and the module's own message carries it (no no_log here)
    echo = Step(200, envelope({"valid": False, "message": "cannot write to %s" % (R2 % "dns_logs")}))
    server.will(Step(200, envelope([HTTP])), echo)
    result = run(jobs=[item("example.com", "http_requests"), item("new-job", "dns_logs")])
    assert result["failed"] is True and "cannot write to r2://" in result["msg"] and SECRET not in result["msg"]


def test_an_update_to_a_new_destination_is_tested_first(server, run):
    moved = R2.replace("logs/", "moved/") % "http_requests"
    server.will(Step(200, envelope([HTTP])), Step(200, envelope({"valid": False, "message": "NoSuchBucket"})))
    result = run(jobs=[item("example.com", "http_requests", destination_conf=moved)])
    assert requests_of(server) == [("GET", JOBS), VALIDATE] and result["failed"] is True
    assert json.loads(server.seen[1]["body"]) == {"destination_conf": moved}


@pytest.mark.parametrize("check_mode", [True, False])
def test_in_a_diff_a_deleted_job_never_reads_as_a_created_one(server, run, check_mode):
    """Two jobs share a name and dataset (made by hand): the item keeps one by id and the purge deletes the other;
    a recreate replaces a job under the same name and dataset: the diff keys them apart."""
    twin = api_job(5, "example.com")
    edge = api_job(6, "edge-job", kind="edge")
    writes = [] if check_mode else [Step(200, envelope(api_job(7, "edge-job"))), Step(200, envelope({"id": 6})),
                                    Step(200, envelope({"id": 5}))]
    server.will(Step(200, envelope([HTTP, twin, edge])), VALID, *writes)
    result = run(check_mode=check_mode, diff=True, purge=True,
                 jobs=[dict(id=1, enabled=True), dict(name="edge-job", dataset="http_requests", kind="", recreate=True)])
    before, after = result["diff"]["before"], result["diff"]["after"]
    assert sorted(before) == ["edge-job (http_requests, id 6)", "example.com (http_requests, id 1)",
                              "example.com (http_requests, id 5)"]
    assert sorted(after) == ["edge-job (http_requests, new)", "example.com (http_requests, id 1)"]


def test_a_recreate_whose_old_job_cannot_be_deleted_returns_both_jobs(server, run):
    edge = api_job(6, "edge-job", kind="edge")
    server.will(Step(200, envelope([edge])), VALID, Step(200, envelope(api_job(7, "edge-job"))), REFUSED)
    result = run(jobs=[dict(name="edge-job", dataset="http_requests", kind="", recreate=True)])
    assert result["failed"] is True and result["changed"] is True
    assert result["results"][0]["action"] == "failed" and result["results"][0]["id"] == 7
    assert result["results"][0]["replaced_id"] == 6
    assert [j["id"] for j in result["logpush_jobs"]] == [6, 7]
    assert "created job 7 (edge-job, http_requests)" in result["msg"]
    assert "Job 7 replaces job 6, which could not be deleted" in result["msg"]
