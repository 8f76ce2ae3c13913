"""The spec validators themselves: they must reject what Cloudflare would never send, and the app must
turn its own bad answers into a 500 naming the schema."""
import pytest

from emulator import spec as spec_mod
from emulator.spec import SpecValidationError, get_spec, spec_path_for_rule

from .helpers import ZONE, check_answer, err, ok

JOB = {"id": 1, "dataset": "http_requests", "destination_conf": "s3://b/p?region=us-east-1", "enabled": False, "kind": "",
       "frequency": "high", "last_complete": None, "last_error": None, "error_message": None}


def envelope(result):
    return {"success": True, "errors": [], "messages": [], "result": result}


def test_good_job_answer_passes():
    get_spec().check_response("/zones/{zone_id}/logpush/jobs/{job_id}", "GET", 200, envelope(JOB))
    get_spec().check_response("/accounts/{account_id}/logpush/jobs", "GET", 200, envelope([JOB]))


@pytest.mark.parametrize("change", [
    {"enabled": "yes"}, {"id": 0}, {"kind": "instant"}, {"frequency": "medium"}, {"dataset": "nope"},
    {"max_upload_bytes": 1000000001}, {"output_options": {"output_type": "xml"}}, {"name": "bad name"},
    {"filter_attack_traffic": "yes"}, {"last_complete": 5},
])
def test_bad_job_answers_fail(change):
    job = dict(JOB, **change)
    with pytest.raises(SpecValidationError) as info:
        get_spec().check_response("/zones/{zone_id}/logpush/jobs/{job_id}", "GET", 200, envelope(job))
    assert "logpush_logpush_job_response_single" in str(info.value)


@pytest.mark.parametrize("body", [
    {"success": False, "errors": [], "messages": [], "result": {"x": 1}},
    {"success": True, "errors": [{"code": 1002, "message": "x"}], "messages": [], "result": None},
    {"success": False, "errors": [{"code": 12, "message": "x"}], "messages": [], "result": None},
    {"success": False, "errors": [{"message": "x"}], "messages": [], "result": None},
    {"success": False, "errors": [], "result": None},
])
def test_bad_failure_envelopes_fail(body):
    with pytest.raises(SpecValidationError):
        get_spec().check_response("/zones/{zone_id}/logpush/jobs", "GET", 400, body)


def test_other_results_are_checked():
    s = get_spec()
    with pytest.raises(SpecValidationError):
        s.check_response("/zones/{zone_id}/logpush/ownership", "POST", 200, envelope({"filename": 1, "valid": True}))
    with pytest.raises(SpecValidationError):
        s.check_response("/zones/{zone_id}/logpush/datasets/{dataset_id}/fields", "GET", 200, envelope({"RayID": 5}))
    with pytest.raises(SpecValidationError):
        s.check_response("/zones/{zone_id}/logpush/jobs/{job_id}", "DELETE", 200, envelope({"id": "1"}))
    with pytest.raises(SpecValidationError):
        s.check_response("/zones", "GET", 200, envelope([]))  # no result_info
    with pytest.raises(SpecValidationError):
        s.check_response("/nowhere", "GET", 200, envelope([]))


def test_spec_is_extended_in_memory_only():
    s = get_spec()
    assert "magic_bgp_logs" in s.schemas["logpush_dataset"]["enum"]
    assert "account_abuse_protection_events" in s.schemas["logpush_dataset"]["enum"]
    assert "filter_attack_traffic" in s.schemas["logpush_logpush_job"]["properties"]
    import json
    with open(spec_mod.SPEC_PATH, encoding="utf-8") as fh:
        raw = json.load(fh)
    assert "filter_attack_traffic" not in raw["components"]["schemas"]["logpush_logpush_job"]["properties"]


def test_rule_to_spec_path():
    assert spec_path_for_rule("/client/v4/zones/<zone_id>/logpush/jobs/<job_id>") == "/zones/{zone_id}/logpush/jobs/{job_id}"


def test_every_spec_operation_has_a_route(app):
    rules = {(spec_path_for_rule(r.rule), m) for r in app.url_map.iter_rules() for m in r.methods if m in ("GET", "POST", "PUT", "DELETE")}
    ops = set(get_spec().responses)
    assert ops - rules == set()


def test_a_bad_answer_becomes_500_naming_the_schema(app, client, monkeypatch):
    monkeypatch.setattr(app.emulator.service, "get_job", lambda scope, job_id: dict(JOB, enabled="yes"))
    status, body, _ = client.get(ZONE + "/logpush/jobs/1")
    assert status == 500
    msg = body["errors"][0]["message"]
    assert "logpush_logpush_job_response_single" in msg and "enabled" in msg
    assert len(app.emulator.spec_violations) == 1
    app.emulator.spec_violations.clear()


def test_test_side_checker_catches_bad_bodies():
    with pytest.raises(AssertionError):
        check_answer("GET", ZONE + "/logpush/jobs", 200, {"result": []})
    with pytest.raises(AssertionError):
        check_answer("GET", ZONE + "/logpush/jobs", 200, dict(envelope([]), success=False))
    with pytest.raises(SpecValidationError):
        check_answer("GET", ZONE + "/logpush/jobs", 200, envelope([dict(JOB, id="x")]))


def test_request_bodies_are_checked_against_the_spec(client):
    err(client.post(ZONE + "/logpush/ownership/validate", {"destination_conf": "s3://b/p?region=x"}), 400, 1002, "ownership_challenge")
    err(client.post(ZONE + "/logpush/ownership", {}), 400, 1002, "destination_conf")
    err(client.post(ZONE + "/logpush/jobs", {"destination_conf": 5}), 400, 1002, "destination_conf")
    err(client.post(ZONE + "/logpush/edge", {"fields": ["RayID"]}), 400, 1002, "fields")
    assert ok(client.get(ZONE + "/logpush/jobs")) == []


def test_job_lists_are_checked_item_by_item():
    s = get_spec()
    path = "/zones/{zone_id}/logpush/jobs"
    s.check_response(path, "GET", 200, envelope([JOB, dict(JOB, id=2)]))
    s.check_response(path, "GET", 200, envelope([JOB, dict(JOB, id=2)]))  # memoised, still fine
    with pytest.raises(SpecValidationError) as info:
        s.check_response(path, "GET", 200, envelope([JOB, dict(JOB, enabled="no")]))
    assert "at result/1/enabled" in str(info.value)
    with pytest.raises(SpecValidationError):
        s.check_response(path, "GET", 200, dict(envelope([JOB]), success="yes"))
