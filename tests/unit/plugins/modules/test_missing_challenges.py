# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""missing_challenges=report: logpush_jobs and logpush_job say which writes wait for an ownership challenge,
hold those back (and every delete of such a task), and run the rest, request by request."""

from __future__ import annotations

import json

import pytest

from ansible_collections.cloudflare_community.logpush.plugins.modules import logpush_job, logpush_jobs
from ansible_collections.cloudflare_community.logpush.tests.unit.scripted_server import Step, envelope

ZONE_ID = "023e105f4ecef8ad9ca31a8372d0c353"
LOGPUSH = "/client/v4/zones/%s/logpush" % ZONE_ID
JOBS = LOGPUSH + "/jobs"
API_TOKEN = "canary-api-token-5b1f0e7d"
SECRET = "canary-secret-7f3a9b0c"
SAS = "canary-sas-9e8d7c6b"
CHALLENGE = "eyJhbGciOiJIUzI1NiJ9.challenge.sig"
R2 = "r2://logs/%s?account-id=01a7362d577a6c3019a474fd6f485823&access-key-id=canary-keyid-1c2d&secret-access-key=" + SECRET
S3 = "s3://bucket/%s?region=us-east-1"
GCS = "gs://gcs-bucket/%s"
AZURE = "azure://acct.blob.core.windows.net/logs/%s?sv=2022-11-02&sp=acw&sig=" + SAS
VALID = Step(200, envelope({"valid": True, "message": ""}))
VALIDATE = ("POST", LOGPUSH + "/validate/destination")
OWNERSHIP_VALIDATE = ("POST", LOGPUSH + "/ownership/validate")


def api_job(job_id, name, destination_conf, dataset="http_requests", **changes):
    job = {"id": job_id, "name": name, "dataset": dataset, "kind": "", "enabled": True,
           "destination_conf": destination_conf, "frequency": "high", "last_complete": None, "last_error": None,
           "error_message": None}
    job.update(changes)
    return job


def item(name, destination_conf, dataset="http_requests", **options):
    return dict(dict(name=name, dataset=dataset, destination_conf=destination_conf, enabled=True), **options)


@pytest.fixture
def run(server, run_module):
    def run_module_named(main, check_mode=False, diff=False, **module_args):
        module_args.update(api_token=API_TOKEN, api_base_url=server.url, zone_id=ZONE_ID, timeout=5)
        return run_module(main, module_args, check_mode=check_mode, diff=diff)
    return run_module_named


def requests_of(server):
    return [(s["method"], s["path"]) for s in server.seen]


def assert_no_secret(result):
    text = json.dumps(result)
    for secret in (SECRET, SAS, API_TOKEN, CHALLENGE):
        assert secret not in text


# A zone with: an R2 job to disable, an S3 job that already pushes where its item says, a GCS job that moves
# to another path (its new destination needs a challenge), and a job that no item names (purged).
KEEP = api_job(1, "keep", R2 % "keep")
ON_S3 = api_job(2, "on-s3", S3 % "on-s3", "firewall_events")
MOVING = api_job(3, "moving", GCS % "old", "dns_logs")
STRAY = api_job(4, "stray", R2 % "stray", "dns_logs")
THE_SET = [item("keep", R2 % "keep", enabled=False),
           item("new-on-s3", S3 % "new", "firewall_events"),
           item("on-s3", S3 % "on-s3", "firewall_events"),
           item("moving", GCS % "new", "dns_logs"),
           item("gone", R2 % "gone", state="absent")]
GONE = api_job(5, "gone", R2 % "gone")


@pytest.mark.parametrize("check_mode", [True, False])
def test_report_holds_back_what_waits_for_a_challenge_and_every_delete(server, run, check_mode):
    writes = [] if check_mode else [Step(200, envelope(dict(KEEP, enabled=False)))]
    server.will(Step(200, envelope([KEEP, ON_S3, MOVING, STRAY, GONE])), VALID, VALID, *writes)
    result = run(logpush_jobs.main, check_mode=check_mode, jobs=THE_SET, purge=True, missing_challenges="report")
    assert "failed" not in result, result.get("msg")
    # the held items' own checks run (a bad destination fails before a challenge is requested); then only the
    # update of the item that needs no challenge: no POST for the new S3 job, no PUT of the move, no DELETE
    assert requests_of(server) == [("GET", JOBS), VALIDATE, VALIDATE] + ([] if check_mode else [("PUT", JOBS + "/1")])
    assert [json.loads(s["body"])["destination_conf"] for s in server.seen[1:3]] == [S3 % "new", GCS % "new"]
    assert result["changed"] is True
    assert [(r["name"], r["id"], r["action"], r.get("planned")) for r in result["results"]] == [
        ("keep", 1, "updated", None), ("new-on-s3", None, "held", "create"), ("on-s3", 2, "unchanged", None),
        ("moving", 3, "held", "update"), ("gone", 5, "held", "delete"), ("stray", 4, "held", "delete")]
    assert "s3://bucket/new?region=us-east-1 needs an ownership challenge" in result["results"][1]["reason"]
    assert "no delete" in result["results"][4]["reason"] and "no delete" in result["results"][5]["reason"]
    assert result["challenges_needed"] == [
        {"index": 1, "name": "new-on-s3", "dataset": "firewall_events", "id": None, "action": "create",
         "destination_conf": S3 % "new",
         "destination": {"scheme": "s3", "bucket": "bucket", "path": "new", "region": "us-east-1", "endpoint": None,
                         "account": None},
         "job": result["challenges_needed"][0]["job"]},
        {"index": 3, "name": "moving", "dataset": "dns_logs", "id": 3, "action": "update",
         "destination_conf": GCS % "new",
         "destination": {"scheme": "gs", "bucket": "gcs-bucket", "path": "new", "region": None, "endpoint": None,
                         "account": None},
         "job": result["challenges_needed"][1]["job"]}]
    # the jobs as the write would leave them, once given their tokens
    assert (result["challenges_needed"][0]["job"]["id"], result["challenges_needed"][0]["job"]["enabled"]) == (None, True)
    assert result["challenges_needed"][1]["job"]["destination_conf"] == GCS % "new"
    # the held jobs stay as they are; the purged and absent ones too
    after = dict((j["id"], j) for j in result["logpush_jobs"])
    assert sorted(after) == [1, 2, 3, 4, 5]
    assert after[3]["destination_conf"] == GCS % "old" and after[1]["enabled"] is False
    assert_no_secret(result)


def test_report_with_nothing_held_runs_the_task_as_usual(server, run):
    server.will(Step(200, envelope([KEEP, ON_S3, STRAY])), Step(200, envelope(None)))
    result = run(logpush_jobs.main, jobs=[item("keep", R2 % "keep"), item("on-s3", S3 % "on-s3", "firewall_events")],
                 purge=True, missing_challenges="report")
    assert requests_of(server) == [("GET", JOBS), ("DELETE", JOBS + "/4")]
    assert result["challenges_needed"] == []
    assert [r["action"] for r in result["results"]] == ["unchanged", "unchanged", "deleted"]


def test_an_item_with_its_token_is_written_beside_one_held_back(server, run):
    created = api_job(9, "with-token", S3 % "tok", "firewall_events")
    server.will(Step(200, envelope([])), Step(200, envelope({"valid": True})), VALID, VALID, Step(200, envelope(created)))
    result = run(logpush_jobs.main, missing_challenges="report",
                 jobs=[item("with-token", S3 % "tok", "firewall_events", ownership_challenge=CHALLENGE),
                       item("without", S3 % "none", "firewall_events")])
    assert requests_of(server) == [("GET", JOBS), OWNERSHIP_VALIDATE, VALIDATE, VALIDATE, ("POST", JOBS)]
    assert json.loads(server.seen[4]["body"])["ownership_challenge"] == CHALLENGE
    assert [(r["action"], r["id"]) for r in result["results"]] == [("created", 9), ("held", None)]
    assert [c["index"] for c in result["challenges_needed"]] == [1]
    assert_no_secret(result)


def test_fail_stays_the_default_and_names_the_item_before_any_write(server, run):
    server.will(Step(200, envelope([KEEP])))
    result = run(logpush_jobs.main, jobs=[item("keep", R2 % "keep"), item("new-on-s3", S3 % "new", "firewall_events")])
    assert result["failed"] is True
    assert result["msg"].startswith("jobs[1] (new-on-s3): ") and "ownership_challenge is not set" in result["msg"]
    assert requests_of(server) == [("GET", JOBS)]
    assert "challenges_needed" not in result


def test_a_job_that_pushes_there_already_needs_no_challenge_even_with_a_masked_secret(server, run):
    """Compared with the job's destination as Cloudflare returns it: a masked SAS counts as unchanged, so no
    second read and no challenge; with update_secrets=always it is written, so it needs one."""
    masked = api_job(6, "blob", (AZURE % "p").replace(SAS, "REDACTED"))
    server.will(Step(200, envelope([masked])))
    result = run(logpush_jobs.main, missing_challenges="report", jobs=[item("blob", AZURE % "p")])
    assert requests_of(server) == [("GET", JOBS)]
    assert (result["results"][0]["action"], result["challenges_needed"]) == ("unchanged", [])

    server.seen[:] = []
    server.will(Step(200, envelope([masked])), VALID)
    result = run(logpush_jobs.main, missing_challenges="report", check_mode=True,
                 jobs=[item("blob", AZURE % "p", update_secrets="always")])
    assert requests_of(server) == [("GET", JOBS), VALIDATE]
    assert (result["results"][0]["action"], result["results"][0]["planned"]) == ("held", "update")
    assert result["challenges_needed"][0]["destination_conf"] == (AZURE % "p").replace(SAS, "REDACTED")
    assert result["challenges_needed"][0]["destination"]["account"] == "acct"
    assert result["changed"] is False
    assert_no_secret(result)


def test_a_recreate_needs_a_challenge_even_to_the_destination_its_job_has(server, run):
    """A create always carries the token (Cloudflare's create), so a recreate to the same S3 destination waits."""
    server.will(Step(200, envelope([api_job(7, "to-edge", S3 % "edge")])), VALID)
    result = run(logpush_jobs.main, missing_challenges="report", check_mode=True,
                 jobs=[item("to-edge", S3 % "edge", kind="edge", recreate=True)])
    assert result.get("failed") is None, result.get("msg")
    assert requests_of(server) == [("GET", JOBS), VALIDATE]
    assert [(r["action"], r["planned"], r["id"]) for r in result["results"]] == [("held", "recreate", 7)]
    assert (result["challenges_needed"][0]["action"], result["challenges_needed"][0]["id"]) == ("recreate", 7)
    assert result["challenges_needed"][0]["job"]["kind"] == "edge"


def test_a_held_item_whose_destination_cloudflare_cannot_write_fails_before_anything(server, run):
    server.will(Step(200, envelope([KEEP])), Step(200, envelope({"valid": False, "message": "no such bucket"})))
    result = run(logpush_jobs.main, missing_challenges="report",
                 jobs=[item("keep", R2 % "keep", enabled=False), item("new-on-s3", S3 % "new", "firewall_events")])
    assert result["failed"] is True and "jobs[1] (new-on-s3)" in result["msg"]
    assert requests_of(server) == [("GET", JOBS), VALIDATE]


def test_a_failed_write_beside_a_held_item_reports_both(server, run):
    server.will(Step(200, envelope([KEEP])), VALID,
                Step(400, envelope(success=False, errors=[{"code": 1002, "message": "refused"}])))
    result = run(logpush_jobs.main, missing_challenges="report",
                 jobs=[item("keep", R2 % "keep", enabled=False), item("new-on-s3", S3 % "new", "firewall_events")])
    assert result["failed"] is True
    assert [r["action"] for r in result["results"]] == ["failed", "held"]
    assert "not run" not in result["msg"]


@pytest.mark.parametrize("check_mode", [True, False])
def test_logpush_job_reports_the_challenge_and_writes_nothing(server, run, check_mode):
    server.will(Step(200, envelope([MOVING])), VALID)
    result = run(logpush_job.main, check_mode=check_mode, name="moving", dataset="dns_logs",
                 destination_conf=GCS % "new", missing_challenges="report")
    assert requests_of(server) == [("GET", JOBS), VALIDATE]
    assert result["changed"] is False
    assert result["logpush_job"]["destination_conf"] == GCS % "old"
    needed = result["challenge_needed"]
    assert (needed["action"], needed["id"], needed["name"], needed["dataset"]) == ("update", 3, "moving", "dns_logs")
    assert needed["destination"]["bucket"] == "gcs-bucket" and needed["job"]["destination_conf"] == GCS % "new"


def test_logpush_job_reports_a_create_with_a_secret_masked(server, run):
    server.will(Step(200, envelope([])), VALID)
    result = run(logpush_job.main, name="blob", destination_conf=AZURE % "p", missing_challenges="report")
    assert requests_of(server) == [("GET", JOBS), VALIDATE]
    assert (result["changed"], result["logpush_job"]) == (False, None)
    assert result["challenge_needed"]["action"] == "create" and result["challenge_needed"]["id"] is None
    assert "sig=REDACTED" in result["challenge_needed"]["destination_conf"]
    assert_no_secret(result)


def test_logpush_job_with_its_token_says_no_challenge_is_needed(server, run):
    server.will(Step(200, envelope([])), Step(200, envelope({"valid": True})), VALID,
                Step(200, envelope(api_job(8, "fw", S3 % "fw", "firewall_events"))))
    result = run(logpush_job.main, name="fw", dataset="firewall_events", destination_conf=S3 % "fw",
                 ownership_challenge=CHALLENGE, missing_challenges="report")
    assert requests_of(server) == [("GET", JOBS), OWNERSHIP_VALIDATE, VALIDATE, ("POST", JOBS)]
    assert (result["changed"], result["challenge_needed"]) == (True, None)


def test_validate_destinations_false_leaves_the_test_to_the_write(server, run):
    """The role job_setup's run after its plan (which tested the destinations in check mode): the token is
    still validated, the destination is not tested again, and the create goes."""
    created = api_job(5, "new", S3 % "p")
    server.will(Step(200, envelope([])), VALID, Step(200, envelope(created)))
    result = run(logpush_jobs.main, validate_destinations=False,
                 jobs=[item("new", S3 % "p", ownership_challenge=CHALLENGE)])
    assert requests_of(server) == [("GET", JOBS), OWNERSHIP_VALIDATE, ("POST", JOBS)]
    assert [r["action"] for r in result["results"]] == ["created"]


def test_validate_destinations_true_tests_before_the_write(server, run):
    created = api_job(5, "new", S3 % "p")
    server.will(Step(200, envelope([])), VALID, VALID, Step(200, envelope(created)))
    run(logpush_jobs.main, jobs=[item("new", S3 % "p", ownership_challenge=CHALLENGE)])
    assert requests_of(server) == [("GET", JOBS), OWNERSHIP_VALIDATE, VALIDATE, ("POST", JOBS)]
