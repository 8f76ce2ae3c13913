# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""logpush_job end to end: main() against a scripted loopback server, request by request."""

from __future__ import annotations

import json

import pytest


from ansible_collections.cloudflare_community.logpush.plugins.module_utils import _job_runner
from ansible_collections.cloudflare_community.logpush.plugins.modules import logpush_job
from ansible_collections.cloudflare_community.logpush.tests.unit._compat import INVOCATION_ARGS
from ansible_collections.cloudflare_community.logpush.tests.unit.scripted_server import Step, envelope

ZONE_ID = "023e105f4ecef8ad9ca31a8372d0c353"
LOGPUSH = "/client/v4/zones/%s/logpush" % ZONE_ID
JOBS = LOGPUSH + "/jobs"
API_TOKEN = "canary-api-token-5b1f0e7d"
KEY_ID = "canary-keyid-1c2d3e4f"
SECRET = "canary-secret-7f3a9b0c"
R2 = "r2://logs/http/{DATE}?account-id=01a7362d577a6c3019a474fd6f485823&access-key-id=%s&secret-access-key=%s" % (KEY_ID, SECRET)
R2_REDACTED = "r2://logs/http/{DATE}?account-id=01a7362d577a6c3019a474fd6f485823&access-key-id=REDACTED&secret-access-key=REDACTED"
S3 = "s3://bucket/p?region=us-east-1"
CHALLENGE = "eyJhbGciOiJIUzI1NiJ9.challenge.sig"
FIELDS = {"RayID": "ID of the request.", "ClientIP": "IP address of the client.", "ClientIPClass": "Class of the IP.",
          "EdgeStartTimestamp": "Start.", "EdgeResponseStatus": "Status."}
# Cloudflare's answer to validate/destination, asked before every create and every new destination
VALID = Step(200, envelope({"valid": True, "message": ""}))
VALIDATE = ("POST", LOGPUSH + "/validate/destination")


def api_job(**changes):
    """A job as the API returns it (empty fields omitted)."""
    job = {"id": 7, "name": "http-to-r2", "dataset": "http_requests", "kind": "", "enabled": True, "destination_conf": R2,
           "frequency": "high", "last_complete": None, "last_error": None, "error_message": None}
    job.update(changes)
    return job


def args(**extra):
    base = {"api_token": API_TOKEN, "api_base_url": None, "zone_id": ZONE_ID, "timeout": 5}
    base.update(extra)
    return base


def requests_of(server):
    return [(s["method"], s["path"]) for s in server.seen]


def body_of(server, index):
    return json.loads(server.seen[index]["body"])


def writes_of(server):
    return [s for s in server.seen if s["method"] in ("POST", "PUT", "DELETE")]


def assert_no_secret(result):
    text = json.dumps(result)
    for secret in (SECRET, KEY_ID, API_TOKEN, CHALLENGE):
        assert secret not in text


@pytest.fixture
def run(server, run_module):
    def run_job(check_mode=False, diff=False, **module_args):
        return run_module(logpush_job.main, args(api_base_url=server.url, **module_args), check_mode=check_mode, diff=diff)
    return run_job


@pytest.fixture
def sleeps(monkeypatch):
    """Waits the module asks for, recorded instead of slept."""
    done = []
    monkeypatch.setattr(_job_runner.time, "sleep", done.append)
    return done


# -- create ----------------------------------------------------------------------------------------

def test_create_sends_one_list_one_fields_read_and_one_post(server, run):
    created = api_job(output_options={"field_names": ["RayID", "ClientIP"], "timestamp_format": "rfc3339"})
    server.will(Step(200, envelope([api_job(id=3, name="other")])), Step(200, envelope(FIELDS)), VALID,
                Step(200, envelope(created)))
    result = run(name="http-to-r2", dataset="http_requests", destination_conf=R2, enabled=True,
                 output_options={"field_names": ["RayID", "ClientIP"], "timestamp_format": "rfc3339"})
    assert requests_of(server) == [("GET", JOBS), ("GET", LOGPUSH + "/datasets/http_requests/fields"), VALIDATE,
                                   ("POST", JOBS)]
    assert body_of(server, 2) == {"destination_conf": R2}
    assert body_of(server, 3) == {"name": "http-to-r2", "dataset": "http_requests", "destination_conf": R2, "enabled": True,
                                  "output_options": {"field_names": ["RayID", "ClientIP"], "timestamp_format": "rfc3339"}}
    assert server.seen[3]["headers"]["Authorization"] == "Bearer " + API_TOKEN
    assert result["changed"] is True and not result.get("failed")
    job = result["logpush_job"]
    assert job["id"] == 7 and job["destination_conf"] == R2_REDACTED and job["health"] == "pending"
    assert "adopted_after_error" not in result
    assert_no_secret(result)


def test_create_defaults_the_dataset_drops_empty_values_and_skips_the_fields_read(server, run):
    server.will(Step(200, envelope([])), VALID, Step(200, envelope(api_job(enabled=False))))
    result = run(name="http-to-r2", destination_conf=R2, filter="", max_upload_bytes=0, logpull_options="")
    assert requests_of(server) == [("GET", JOBS), VALIDATE, ("POST", JOBS)]
    assert body_of(server, 2) == {"name": "http-to-r2", "dataset": "http_requests", "destination_conf": R2}
    assert result["changed"] is True and result["logpush_job"]["health"] == "disabled"


def test_create_to_s3_validates_the_token_then_sends_it(server, run):
    server.will(Step(200, envelope([])), Step(200, envelope({"valid": True})), VALID,
                Step(200, envelope(api_job(id=9, destination_conf=S3, dataset="firewall_events"))))
    result = run(name="fw", dataset="firewall_events", destination_conf=S3, ownership_challenge=CHALLENGE)
    assert requests_of(server) == [("GET", JOBS), ("POST", LOGPUSH + "/ownership/validate"), VALIDATE, ("POST", JOBS)]
    assert body_of(server, 1) == {"destination_conf": S3, "ownership_challenge": CHALLENGE}
    assert body_of(server, 3) == {"name": "fw", "dataset": "firewall_events", "destination_conf": S3,
                                  "ownership_challenge": CHALLENGE}
    assert result["changed"] is True and result["logpush_job"]["id"] == 9
    assert_no_secret(result)


def test_create_to_s3_with_a_token_cloudflare_refuses_fails_before_the_post(server, run):
    server.will(Step(200, envelope([])), Step(200, envelope({"valid": False})))
    result = run(name="fw", dataset="firewall_events", destination_conf=S3, ownership_challenge=CHALLENGE)
    assert result["failed"] is True
    assert "ownership_challenge is not valid" in result["msg"] and "logpush_ownership" in result["msg"]
    assert requests_of(server) == [("GET", JOBS), ("POST", LOGPUSH + "/ownership/validate")]
    assert_no_secret(result)


def test_missing_ownership_challenge_fails_before_any_write(server, run):
    server.will(Step(200, envelope([])))
    result = run(name="fw", dataset="firewall_events", destination_conf=S3)
    assert result["failed"] is True
    assert "cloudflare_community.logpush.logpush_ownership" in result["msg"]
    assert "ownership_challenge is not set" in result["msg"]
    assert requests_of(server) == [("GET", JOBS)]


def test_create_without_destination_fails_naming_it(server, run):
    server.will(Step(200, envelope([])))
    result = run(name="nothing-here")
    assert result["failed"] is True
    assert result["msg"] == "destination_conf is required to create a job (no job named 'nothing-here' exists)."
    assert writes_of(server) == []


def test_bad_input_fails_before_any_request(server, run):
    result = run(name="x", destination_conf=R2, max_upload_records=10)
    assert result["failed"] is True and "max_upload_records must be 0" in result["msg"]
    assert server.seen == []


def test_logpull_and_output_options_together_fail_before_any_request(server, run):
    result = run(name="x", destination_conf=R2, logpull_options="fields=RayID", output_options={"field_names": ["RayID"]})
    assert result["failed"] is True and "logpull_options and output_options cannot be used together" in result["msg"]
    assert server.seen == []


def test_zone_dataset_on_an_account_fails_before_any_request(server, run_module):
    result = run_module(logpush_job.main, {"api_token": API_TOKEN, "api_base_url": server.url,
                                           "account_id": "01a7362d577a6c3019a474fd6f485823", "name": "x",
                                           "dataset": "http_requests", "destination_conf": R2})
    assert result["failed"] is True and "dataset http_requests belongs to zones" in result["msg"]
    assert server.seen == []


# -- no change, update -----------------------------------------------------------------------------

def test_no_change_is_exactly_one_get(server, run):
    current = api_job(filter='{"where": {"value": "ca", "operator": "eq", "key": "ClientCountry"}}',
                      output_options={"field_names": ["RayID", "ClientIP"], "sample_rate": 1, "output_type": "ndjson"},
                      max_upload_records=1000)
    server.will(Step(200, envelope([api_job(id=3, name="other"), current])))
    result = run(name="http-to-r2", dataset="http_requests", destination_conf=R2, enabled=True, kind="",
                 filter={"where": {"key": "ClientCountry", "operator": "eq", "value": "ca"}}, max_upload_bytes=0,
                 max_upload_records=1000, logpull_options="", ownership_challenge=CHALLENGE,
                 output_options={"field_names": ["RayID", "ClientIP"], "sample_rate": 1.0, "record_prefix": "{",
                                 "cve_2021_44228": False, "timestamp_format": "unixnano"})
    assert requests_of(server) == [("GET", JOBS)]
    assert result["changed"] is False and not result.get("failed")
    assert result["logpush_job"]["id"] == 7 and result["logpush_job"]["destination_conf"] == R2_REDACTED
    assert "diff" not in result


def test_no_change_found_by_id_is_one_get_of_that_job(server, run):
    server.will(Step(200, envelope(api_job())))
    result = run(id=7, enabled=True)
    assert requests_of(server) == [("GET", JOBS + "/7")]
    assert result["changed"] is False


def test_update_puts_only_the_changed_keys_and_output_options_whole(server, run):
    current = api_job(enabled=False, name="http-to-r2", max_upload_records=1000,
                      output_options={"field_names": ["RayID", "ClientIP"], "timestamp_format": "rfc3339"})
    updated = dict(current, enabled=True, output_options={"field_names": ["RayID", "ClientIP"], "timestamp_format": "rfc3339",
                                                          "sample_rate": 0.5})
    server.will(Step(200, envelope([current])), Step(200, envelope(updated)))
    result = run(name="http-to-r2", destination_conf=R2, enabled=True, max_upload_records=1000,
                 ownership_challenge=CHALLENGE, output_options={"sample_rate": 0.5})
    assert requests_of(server) == [("GET", JOBS), ("PUT", JOBS + "/7")]
    assert body_of(server, 1) == {"enabled": True, "output_options": {"field_names": ["RayID", "ClientIP"],
                                                                      "timestamp_format": "rfc3339", "sample_rate": 0.5}}
    assert result["changed"] is True
    assert result["logpush_job"]["enabled"] is True and result["logpush_job"]["output_options"]["sample_rate"] == 0.5


def test_update_clears_with_empty_values_and_reads_fields_for_new_field_names(server, run):
    current = api_job(filter='{"where":{"key":"ClientCountry","operator":"eq","value":"ca"}}', max_upload_bytes=5000000,
                      output_options={"field_names": ["RayID"]})
    server.will(Step(200, envelope([current])), Step(200, envelope(FIELDS)), Step(200, envelope(api_job())))
    result = run(name="http-to-r2", filter="", max_upload_bytes=0, output_options={"field_names": ["RayID", "ClientIP"]})
    assert requests_of(server) == [("GET", JOBS), ("GET", LOGPUSH + "/datasets/http_requests/fields"), ("PUT", JOBS + "/7")]
    assert body_of(server, 2) == {"filter": "", "max_upload_bytes": 0, "output_options": {"field_names": ["RayID", "ClientIP"]}}
    assert result["changed"] is True


def test_new_destination_needing_a_challenge_sends_the_token(server, run):
    server.will(Step(200, envelope([api_job()])), Step(200, envelope({"valid": True})), VALID,
                Step(200, envelope(api_job(destination_conf=S3))))
    result = run(name="http-to-r2", destination_conf=S3, ownership_challenge=CHALLENGE)
    assert requests_of(server) == [("GET", JOBS), ("POST", LOGPUSH + "/ownership/validate"), VALIDATE, ("PUT", JOBS + "/7")]
    assert body_of(server, 3) == {"destination_conf": S3, "ownership_challenge": CHALLENGE}
    assert result["changed"] is True and result["logpush_job"]["destination_conf"] == S3


def test_unknown_id_with_state_present_fails_without_write(server, run):
    server.will(Step(404, envelope(success=False, errors=[{"code": 1000, "message": "job not found"}])))
    result = run(id=99, destination_conf=R2)
    assert result["failed"] is True and "There is no job with id 99 in this zone" in result["msg"]
    assert requests_of(server) == [("GET", JOBS + "/99")]


# -- check mode and diff ---------------------------------------------------------------------------

def test_check_mode_create_sends_no_write_and_predicts_the_job(server, run):
    server.will(Step(200, envelope([])), VALID)
    result = run(check_mode=True, name="http-to-r2", destination_conf=R2, enabled=True)
    assert requests_of(server) == [("GET", JOBS), VALIDATE]  # the test write changes no job: check mode asks it too
    assert result["changed"] is True
    job = result["logpush_job"]
    assert (job["id"], job["name"], job["dataset"], job["enabled"], job["kind"], job["frequency"]) == (
        None, "http-to-r2", "http_requests", True, "", "high")
    assert job["destination_conf"] == R2_REDACTED and job["health"] == "pending"


def test_check_mode_update_sends_no_write_and_predicts_the_job(server, run):
    server.will(Step(200, envelope([api_job(max_upload_bytes=5000000)])))
    result = run(check_mode=True, name="http-to-r2", enabled=False, max_upload_bytes=0)
    assert requests_of(server) == [("GET", JOBS)]
    assert result["changed"] is True
    assert result["logpush_job"]["enabled"] is False and result["logpush_job"]["max_upload_bytes"] is None
    assert result["logpush_job"]["id"] == 7


def test_check_mode_delete_sends_no_write(server, run):
    server.will(Step(200, envelope([api_job()])))
    result = run(check_mode=True, name="http-to-r2", state="absent")
    assert requests_of(server) == [("GET", JOBS)]
    assert result["changed"] is True and result["logpush_job"] is None


def test_diff_of_a_create_is_redacted(server, run):
    server.will(Step(200, envelope([])), VALID, Step(200, envelope(api_job())))
    result = run(diff=True, name="http-to-r2", destination_conf=R2, enabled=True)
    assert result["diff"]["before"] == {}
    after = result["diff"]["after"]
    assert after["destination_conf"] == R2_REDACTED and after["name"] == "http-to-r2" and after["id"] == 7  # the real id
    assert not set(after) & {"last_complete", "last_error", "error_message", "health"}
    assert_no_secret(result)


def test_diff_of_an_update_in_check_mode_is_redacted(server, run):
    server.will(Step(200, envelope([api_job(last_error="2026-11-26T09:00:00Z", error_message="AccessDenied")])), VALID)
    new_secret = "canary-newsecret-0d9e8f"
    new_conf = R2.replace(SECRET, new_secret)
    result = run(check_mode=True, diff=True, name="http-to-r2", destination_conf=new_conf, enabled=False)
    assert requests_of(server) == [("GET", JOBS), VALIDATE]
    before, after = result["diff"]["before"], result["diff"]["after"]
    # a rotated secret is a visible change, never a visible value
    assert before["destination_conf"] == R2_REDACTED
    assert after["destination_conf"] == R2_REDACTED.replace("secret-access-key=REDACTED", "secret-access-key=REDACTED_CHANGED")
    assert (before["enabled"], after["enabled"]) == (True, False)
    assert before["id"] == after["id"] == 7
    assert "last_error" not in before and "error_message" not in after and "health" not in after
    assert_no_secret(result)
    assert new_secret not in json.dumps(result)


def test_diff_of_a_delete(server, run):
    server.will(Step(200, envelope([api_job()])), Step(200, envelope({"id": 7})))
    result = run(diff=True, name="http-to-r2", state="absent")
    assert result["diff"]["after"] == {} and result["diff"]["before"]["id"] == 7
    assert result["diff"]["before"]["destination_conf"] == R2_REDACTED
    assert_no_secret(result)


# -- delete ----------------------------------------------------------------------------------------

def test_delete(server, run):
    server.will(Step(200, envelope([api_job(id=3, name="other"), api_job()])), Step(200, envelope({"id": 7})))
    result = run(name="http-to-r2", state="absent")
    assert requests_of(server) == [("GET", JOBS), ("DELETE", JOBS + "/7")]
    assert result["changed"] is True and result["logpush_job"] is None


def test_delete_of_an_absent_job_changes_nothing(server, run):
    server.will(Step(200, envelope([api_job(id=3, name="other")])))
    result = run(name="http-to-r2", state="absent")
    assert requests_of(server) == [("GET", JOBS)]
    assert result["changed"] is False and result["logpush_job"] is None


def test_delete_by_unknown_id_changes_nothing(server, run):
    server.will(Step(404, envelope(success=False, errors=[{"code": 1000, "message": "job not found"}])))
    result = run(id=7, state="absent")
    assert requests_of(server) == [("GET", JOBS + "/7")]
    assert result["changed"] is False and not result.get("failed")


def test_delete_of_a_job_gone_meanwhile_is_done(server, run):
    server.will(Step(200, envelope(api_job())),
                Step(404, envelope(success=False, errors=[{"code": 1000, "message": "job not found"}])))
    result = run(id=7, state="absent")
    assert requests_of(server) == [("GET", JOBS + "/7"), ("DELETE", JOBS + "/7")]
    assert result["changed"] is True and not result.get("failed")


def test_a_missing_job_as_a_null_result_is_absent(server, run):
    server.will(Step(200, envelope(None)))
    result = run(id=7, state="absent")
    assert requests_of(server) == [("GET", JOBS + "/7")]
    assert result["changed"] is False and not result.get("failed")


@pytest.mark.parametrize("errors", [[{"code": 7000, "message": "No route for that URI"}], []])
def test_a_404_that_is_not_job_not_found_never_reads_as_absent(server, run, errors):
    """A wrong api_base_url, a wrong account id or a route error must not report success."""
    server.will(Step(404, envelope(success=False, errors=errors)))
    result = run(id=7, state="absent")
    assert result["failed"] is True and "check api_base_url" in result["msg"]
    assert result["failure"]["http_status"] == 404


def test_a_404_on_the_delete_that_is_not_job_not_found_fails(server, run):
    server.will(Step(200, envelope(api_job())), Step(404, envelope(success=False, errors=[{"code": 7000, "message": "No route for that URI"}])))
    result = run(id=7, state="absent")
    assert result["failed"] is True and "HTTP 404" in result["msg"]


# -- finding the job -------------------------------------------------------------------------------

def test_two_jobs_with_the_same_name_fail_listing_both_ids(server, run):
    server.will(Step(200, envelope([api_job(id=11), api_job(id=3, name="other"), api_job(id=12)])))
    result = run(name="http-to-r2", dataset="http_requests", destination_conf=R2, enabled=False)
    assert result["failed"] is True
    assert "2 jobs named 'http-to-r2' and dataset http_requests match" in result["msg"]
    assert "id 11 (dataset http_requests)" in result["msg"] and "id 12 (dataset http_requests)" in result["msg"]
    assert requests_of(server) == [("GET", JOBS)]


def test_two_jobs_with_the_same_destination_fail_on_delete(server, run):
    server.will(Step(200, envelope([api_job(id=11, name="a"), api_job(id=12, name="b")])))
    result = run(destination_conf=R2, state="absent")
    assert result["failed"] is True and "id 11" in result["msg"] and "id 12" in result["msg"]
    assert requests_of(server) == [("GET", JOBS)]
    assert_no_secret(result)


def test_found_by_destination_when_no_name_is_given(server, run):
    server.will(Step(200, envelope([api_job(id=3, destination_conf=S3), api_job(enabled=False)])),
                Step(200, envelope(api_job())))
    result = run(destination_conf=R2, enabled=True)
    assert requests_of(server) == [("GET", JOBS), ("PUT", JOBS + "/7")]
    assert body_of(server, 1) == {"enabled": True}
    assert result["changed"] is True


# -- identity: every identifier narrows the match ----------------------------------------------------

def test_the_same_name_under_another_dataset_is_another_job(server, run):
    """Cloudflare recommends naming jobs after the domain, so a zone's datasets often share a name."""
    server.will(Step(200, envelope([api_job()])), VALID, Step(200, envelope(api_job(id=8, dataset="firewall_events"))))
    result = run(name="http-to-r2", dataset="firewall_events", destination_conf=R2)
    assert requests_of(server) == [("GET", JOBS), VALIDATE, ("POST", JOBS)]
    assert body_of(server, 2)["dataset"] == "firewall_events"
    assert result["changed"] is True and result["logpush_job"]["id"] == 8


def test_absent_never_deletes_a_job_of_another_dataset(server, run):
    server.will(Step(200, envelope([api_job()])))
    result = run(name="http-to-r2", dataset="firewall_events", state="absent")
    assert requests_of(server) == [("GET", JOBS)]
    assert result["changed"] is False and not result.get("failed")


def test_absent_deletes_only_the_job_of_its_dataset(server, run):
    server.will(Step(200, envelope([api_job(), api_job(id=8, dataset="firewall_events")])), Step(200, envelope({"id": 8})))
    result = run(name="http-to-r2", dataset="firewall_events", state="absent")
    assert requests_of(server) == [("GET", JOBS), ("DELETE", JOBS + "/8")]
    assert result["changed"] is True


def test_absent_by_id_refuses_a_job_of_another_dataset(server, run):
    server.will(Step(200, envelope(api_job())))
    result = run(id=7, dataset="firewall_events", state="absent")
    assert result["failed"] is True and "nothing was deleted" in result["msg"]
    assert requests_of(server) == [("GET", JOBS + "/7")]


@pytest.mark.parametrize("state", ["present", "absent"])
def test_a_name_held_by_jobs_of_several_datasets_is_ambiguous_without_dataset(server, run, state):
    server.will(Step(200, envelope([api_job(), api_job(id=8, dataset="firewall_events")])))
    result = run(name="http-to-r2", destination_conf=R2, state=state)
    assert result["failed"] is True
    assert "2 jobs named 'http-to-r2' match: id 7 (dataset http_requests), id 8 (dataset firewall_events)" in result["msg"]
    assert "Set dataset to choose one" in result["msg"]
    assert requests_of(server) == [("GET", JOBS)]


def test_without_dataset_a_name_held_by_one_job_is_that_job(server, run):
    server.will(Step(200, envelope([api_job(dataset="firewall_events")])))
    result = run(name="http-to-r2", destination_conf=R2, enabled=True)
    assert requests_of(server) == [("GET", JOBS)]
    assert result["changed"] is False and result["logpush_job"]["dataset"] == "firewall_events"


# -- immutable dataset: only a job named by id changes dataset, and recreate never loses it ----------

QUOTA = Step(403, envelope(success=False, errors=[{
    "code": 1004, "message": "creating a new job (for http_requests dataset) is not allowed: exceeded max jobs allowed"}]))


def test_dataset_change_fails_without_recreate(server, run):
    server.will(Step(200, envelope(api_job())))
    result = run(id=7, dataset="firewall_events", destination_conf=R2)
    assert result["failed"] is True
    assert "dataset ('http_requests' to 'firewall_events')" in result["msg"] and "recreate=true" in result["msg"]
    assert requests_of(server) == [("GET", JOBS + "/7")]


def test_recreate_validates_creates_and_only_then_deletes(server, run):
    current = api_job(max_upload_records=1000, filter=None)
    server.will(Step(200, envelope(current)), VALID, Step(200, envelope([current])),
                Step(200, envelope(api_job(id=8, dataset="firewall_events"))), Step(200, envelope({"id": 7})))
    result = run(id=7, dataset="firewall_events", recreate=True, diff=True)
    assert requests_of(server) == [("GET", JOBS + "/7"), VALIDATE, ("GET", JOBS), ("POST", JOBS), ("DELETE", JOBS + "/7")]
    assert body_of(server, 1) == {"destination_conf": R2}
    assert body_of(server, 3) == {"name": "http-to-r2", "dataset": "firewall_events", "kind": "", "enabled": True,
                                  "destination_conf": R2, "frequency": "high", "max_upload_records": 1000}
    assert result["changed"] is True and result["logpush_job"]["id"] == 8 and result["replaced_id"] == 7
    assert result["diff"]["before"]["dataset"] == "http_requests" and result["diff"]["after"]["dataset"] == "firewall_events"
    assert_no_secret(result)


def test_recreate_in_check_mode_validates_and_writes_nothing(server, run):
    server.will(Step(200, envelope(api_job())), VALID)
    result = run(check_mode=True, id=7, dataset="firewall_events", recreate=True)
    assert requests_of(server) == [("GET", JOBS + "/7"), VALIDATE]
    assert result["changed"] is True and result["logpush_job"]["dataset"] == "firewall_events"
    assert result["logpush_job"]["id"] is None and result["replaced_id"] == 7


@pytest.mark.parametrize("check_mode", [False, True])
def test_recreate_to_a_destination_cloudflare_cannot_write_changes_nothing(server, run, check_mode):
    server.will(Step(200, envelope(api_job())), Step(200, envelope({
        "valid": False, "message": "error validating destination: error writing object: AccessDenied"})))
    result = run(check_mode=check_mode, id=7, dataset="firewall_events", recreate=True)
    assert result["failed"] is True and "AccessDenied" in result["msg"] and "nothing was changed" in result["msg"]
    assert requests_of(server) == [("GET", JOBS + "/7"), VALIDATE]


def test_recreate_under_a_full_quota_deletes_then_creates(server, run):
    server.will(Step(200, envelope(api_job(kind="edge"))), VALID, Step(200, envelope([api_job(kind="edge")])), QUOTA,
                Step(200, envelope({"id": 7})), Step(200, envelope(api_job(id=8))))
    result = run(id=7, kind="", recreate=True)
    assert requests_of(server) == [("GET", JOBS + "/7"), VALIDATE, ("GET", JOBS), ("POST", JOBS), ("DELETE", JOBS + "/7"),
                                   ("POST", JOBS)]
    assert result["changed"] is True and result["logpush_job"]["id"] == 8


def test_a_replacement_refused_after_the_delete_returns_the_deleted_job(server, run):
    current = api_job(kind="edge", output_options={"timestamp_format": "rfc3339"})
    server.will(Step(200, envelope(current)), VALID, Step(200, envelope([current])), QUOTA, Step(200, envelope({"id": 7})),
                Step(400, envelope(success=False, errors=[{"code": 1002, "message": "error validating destination: x"}])))
    result = run(id=7, kind="", recreate=True)
    assert result["failed"] is True and result["changed"] is True  # job 7 is gone: the task changed something
    assert "Job 7 was deleted to make room" in result["msg"] and "deleted_job" in result["msg"]
    deleted = result["deleted_job"]
    assert deleted["id"] == 7 and deleted["kind"] == "edge" and deleted["output_options"] == {"timestamp_format": "rfc3339"}
    assert deleted["destination_conf"] == R2_REDACTED
    assert_no_secret(result)


def test_a_refused_replacement_that_is_not_the_quota_deletes_nothing(server, run):
    server.will(Step(200, envelope(api_job())), VALID, Step(200, envelope([api_job()])),
                Step(400, envelope(success=False, errors=[{"code": 1002, "message": "dataset firewall_events: bad field"}])))
    result = run(id=7, dataset="firewall_events", recreate=True)
    assert result["failed"] is True and result["changed"] is False
    assert "DELETE" not in [m for m, _p in requests_of(server)]


def test_a_replacement_whose_old_job_cannot_be_deleted_says_both_exist(server, run):
    current = api_job(kind="edge")
    server.will(Step(200, envelope(current)), VALID, Step(200, envelope([current])), Step(200, envelope(api_job(id=8))),
                Step(400, envelope(success=False, errors=[{"code": 1002, "message": "refused"}])))
    result = run(id=7, kind="", recreate=True)
    assert result["failed"] is True and result["changed"] is True
    assert "Job 8 replaces job 7, which could not be deleted" in result["msg"]
    assert result["logpush_job"]["id"] == 8 and result["replaced_id"] == 7


def test_recreate_fails_before_any_write_on_a_field_the_new_dataset_lacks(server, run):
    current = api_job(output_options={"field_names": ["RayID", "ClientIP"]})
    server.will(Step(200, envelope(current)), Step(200, envelope({"RayID": "x", "Action": "y"})))
    result = run(id=7, dataset="firewall_events", recreate=True)
    assert result["failed"] is True and "Dataset firewall_events has no field ClientIP" in result["msg"]
    assert writes_of(server) == []


def test_recreate_fails_before_any_write_on_an_option_the_new_dataset_cannot_have(server, run):
    server.will(Step(200, envelope(api_job(output_options={"merge_subrequests": True}))))
    result = run(id=7, dataset="dns_logs", recreate=True)
    assert result["failed"] is True and "output_options.merge_subrequests is only available" in result["msg"]
    assert writes_of(server) == []


def test_recreate_does_not_copy_a_legacy_instant_logs_kind(server, run):
    legacy = api_job(kind="instant-logs")
    server.will(Step(200, envelope(legacy)), VALID, Step(200, envelope([legacy])),
                Step(200, envelope(api_job(id=8, dataset="firewall_events"))), Step(200, envelope({"id": 7})))
    result = run(id=7, dataset="firewall_events", recreate=True)
    assert "kind" not in body_of(server, 3)
    assert result["changed"] is True


def test_kind_change_fails_without_recreate(server, run):
    server.will(Step(200, envelope([api_job(kind="edge")])))
    result = run(name="http-to-r2", kind="")
    assert result["failed"] is True and "The kind ('edge' to '') of job 7 cannot change" in result["msg"]
    assert requests_of(server) == [("GET", JOBS)]


# -- field check -----------------------------------------------------------------------------------

def test_unknown_field_fails_naming_it_and_the_closest_match(server, run):
    server.will(Step(200, envelope([])), Step(200, envelope(FIELDS)))
    result = run(name="http-to-r2", destination_conf=R2, output_options={"field_names": ["RayID", "ClientIp"]})
    assert result["failed"] is True
    assert "Dataset http_requests has no field ClientIp (closest: ClientIP, ClientIPClass)" in result["msg"]
    assert "no field RayID" not in result["msg"]
    assert requests_of(server) == [("GET", JOBS), ("GET", LOGPUSH + "/datasets/http_requests/fields")]


def test_unknown_field_in_logpull_options_fails(server, run):
    server.will(Step(200, envelope([])), Step(200, envelope(FIELDS)))
    result = run(name="x", destination_conf=R2, logpull_options="fields=RayID,EdgeStartTime&timestamps=rfc3339")
    assert result["failed"] is True and "no field EdgeStartTime (closest: EdgeStartTimestamp)" in result["msg"]
    assert writes_of(server) == []


def test_check_fields_false_skips_the_read(server, run):
    server.will(Step(200, envelope([])), VALID, Step(200, envelope(api_job())))
    result = run(name="http-to-r2", destination_conf=R2, check_fields=False, output_options={"field_names": ["Brand_New"]})
    assert requests_of(server) == [("GET", JOBS), VALIDATE, ("POST", JOBS)]
    assert result["changed"] is True


def test_unknown_dataset_is_read_before_a_create(server, run):
    server.will(Step(200, envelope([])), Step(400, envelope(success=False, errors=[{"code": 1002, "message": "bad dataset"}])))
    result = run(name="x", dataset="firewall_event", destination_conf=R2)
    assert result["failed"] is True and "Cloudflare does not know the dataset 'firewall_event'" in result["msg"]
    assert "closest: firewall_events" in result["msg"]
    assert requests_of(server) == [("GET", JOBS), ("GET", LOGPUSH + "/datasets/firewall_event/fields")]


# -- faults ----------------------------------------------------------------------------------------

UNAVAILABLE = Step(503, envelope(success=False, errors=[{"code": 10013, "message": "service unavailable"}]))


def test_post_503_then_the_job_is_listed_adopts_it(server, run, sleeps):
    server.will(Step(200, envelope([api_job(id=3, name="other")])), VALID, UNAVAILABLE,
                Step(200, envelope([api_job(id=3, name="other"), api_job(id=8, enabled=False)])))
    result = run(name="http-to-r2", destination_conf=R2)
    assert requests_of(server) == [("GET", JOBS), VALIDATE, ("POST", JOBS), ("GET", JOBS)]
    assert result["changed"] is True and result["adopted_after_error"] is True
    assert result["logpush_job"]["id"] == 8
    assert sleeps == []


# timeout=5: the module looks 6 times, waiting 0.25 + 0.5 + 1 + 2 + 4 s (times 1 to 1.5, jittered)
LOOKS = 6


def test_post_503_then_empty_lists_then_a_successful_post(server, run, sleeps):
    server.will(Step(200, envelope([])), VALID, UNAVAILABLE,
                *[Step(200, envelope([]))] * LOOKS + [Step(200, envelope(api_job(id=8)))])
    result = run(name="http-to-r2", destination_conf=R2)
    assert requests_of(server) == [("GET", JOBS), VALIDATE, ("POST", JOBS)] + [("GET", JOBS)] * LOOKS + [("POST", JOBS)]
    assert body_of(server, 2) == body_of(server, 3 + LOOKS)
    assert result["changed"] is True and "adopted_after_error" not in result
    assert result["logpush_job"]["id"] == 8
    assert all(0 < s <= 30 for s in sleeps)


@pytest.mark.parametrize("error", [UNAVAILABLE, Step(502, envelope(success=False)), Step(reset=True)])
def test_after_a_5xx_or_a_lost_connection_the_module_waits_as_long_as_a_timeout_before_posting_again(
        server, run, sleeps, error):
    """Cloudflare test-writes to the destination before it answers; that can outlast a gateway's patience."""
    server.will(Step(200, envelope([])), VALID, error,
                *[Step(200, envelope([]))] * (LOOKS - 1) + [Step(200, envelope([api_job(id=8)]))])
    result = run(name="http-to-r2", destination_conf=R2)
    assert requests_of(server).count(("POST", JOBS)) == 1
    assert result["adopted_after_error"] is True and result["logpush_job"]["id"] == 8
    assert sum(sleeps) >= 5  # the task's timeout


def test_post_that_keeps_failing_fails_after_its_tries(server, run, sleeps):
    server.will(Step(200, envelope([])), VALID, *([UNAVAILABLE] + [Step(200, envelope([]))] * LOOKS) * 2)
    result = run(name="http-to-r2", destination_conf=R2, max_retries=1)
    assert result["failed"] is True and "HTTP 503" in result["msg"]
    assert result["changed"] is False  # no job came of it
    assert requests_of(server).count(("POST", JOBS)) == 2
    assert result["failure"]["http_status"] == 503 and result["failure"]["method"] == "POST"
    assert_no_secret(result)


def test_post_refused_with_400_is_not_retried(server, run, sleeps):
    server.will(Step(200, envelope([])), VALID, Step(400, envelope(success=False, errors=[
        {"code": 1002, "message": "error validating destination: access denied"}])))
    result = run(name="http-to-r2", destination_conf=R2)
    assert result["failed"] is True and "error validating destination" in result["msg"]
    assert result["changed"] is False
    assert requests_of(server) == [("GET", JOBS), VALIDATE, ("POST", JOBS)]
    assert sleeps == []


def test_post_reset_then_the_job_is_listed_adopts_it(server, run, sleeps):
    server.will(Step(200, envelope([])), VALID, Step(reset=True), Step(200, envelope([api_job(id=8)])))
    result = run(name="http-to-r2", destination_conf=R2)
    assert requests_of(server) == [("GET", JOBS), VALIDATE, ("POST", JOBS), ("GET", JOBS)]
    assert result["changed"] is True and result["adopted_after_error"] is True and result["logpush_job"]["id"] == 8


# -- what Ansible really prints ----------------------------------------------------------------------

def test_printed_result_of_a_create_masks_every_secret(server, run_module_printed):
    server.will(Step(200, envelope([])), VALID, Step(200, envelope(api_job())))
    # from ansible-core 2.21 the controller asks for the invocation (at -vvv, and on failures)
    inject = INVOCATION_ARGS
    code, out = run_module_printed(logpush_job.main, args(api_base_url=server.url, name="http-to-r2", destination_conf=R2,
                                                          _ansible_diff=True, **inject))
    result = json.loads(out)
    assert code == 0 and result["changed"] is True
    assert result["logpush_job"]["destination_conf"] == R2_REDACTED
    assert result["invocation"]["module_args"]["destination_conf"].startswith("r2://logs/http/{DATE}?account-id=")
    assert SECRET not in out and KEY_ID not in out and API_TOKEN not in out


def test_printed_failure_masks_every_secret(server, run_module_printed):
    server.will(Step(200, envelope([])), Step(400, envelope(success=False, errors=[
        {"code": 1002, "message": "error validating destination: cannot write to %s" % R2}])))
    code, out = run_module_printed(logpush_job.main, args(api_base_url=server.url, name="http-to-r2", destination_conf=R2))
    result = json.loads(out)
    assert code == 1 and result["failed"] is True and "error validating destination" in result["msg"]
    assert SECRET not in out and KEY_ID not in out and API_TOKEN not in out


# -- regressions found in review ------------------------------------------------------------------

def test_recreate_by_id_after_post_503_does_not_adopt_an_older_job(server, run, sleeps):
    older = api_job(id=5, dataset="firewall_events")
    server.will(Step(200, envelope(api_job())), VALID, Step(200, envelope([api_job(), older])), UNAVAILABLE,
                *[Step(200, envelope([api_job(), older]))] * LOOKS + [Step(200, envelope(api_job(id=9, dataset="firewall_events"))),
                                                                      Step(200, envelope({"id": 7}))])
    result = run(id=7, dataset="firewall_events", recreate=True)
    assert result["logpush_job"]["id"] == 9
    assert "adopted_after_error" not in result
    assert [s["method"] for s in server.seen].count("POST") == 3  # validate, and two creates


def test_recreate_keeps_the_output_options_the_user_did_not_set(server, run):
    current = api_job(output_options={"field_names": ["RayID", "ClientIP"], "timestamp_format": "rfc3339"})
    server.will(Step(200, envelope(current)), Step(200, envelope(FIELDS)), VALID, Step(200, envelope([current])),
                Step(200, envelope(api_job(id=8, dataset="firewall_events"))), Step(200, envelope({"id": 7})))
    run(id=7, dataset="firewall_events", recreate=True, output_options={"sample_rate": 0.5})
    post = [json.loads(s["body"]) for s in server.seen if s["method"] == "POST"][1]
    assert post["output_options"] == {"field_names": ["RayID", "ClientIP"], "timestamp_format": "rfc3339", "sample_rate": 0.5}


@pytest.mark.parametrize("check_mode", [True, False])
def test_a_filter_value_of_the_wrong_type_fails_before_any_write(server, run, check_mode):
    server.will(Step(200, envelope([])))
    result = run(check_mode=check_mode, name="http-to-r2", destination_conf=R2,
                 filter={"where": {"key": "EdgeResponseStatus", "operator": "eq", "value": "400"}})
    assert result["failed"] is True
    assert 'filter: EdgeResponseStatus is an int field: give 400, not "400"' in result["msg"]
    assert requests_of(server) == [("GET", JOBS)]
