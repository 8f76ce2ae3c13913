"""The `missing_job` setting (404 or 200/null for GET of a job that does not exist), and scopes the credential
does not own: always the auth error, never "job not found". Over a real socket."""
import pytest
import requests

from .helpers import ACCOUNT, ACCOUNT_ID, ZONE, ZONE_ID, checked_session, err, ok

JOBS = ZONE + "/logpush/jobs"
AJOBS = ACCOUNT + "/logpush/jobs"
DD = "datadog://http-intake.logs.datadoghq.com/api/v2/logs?header_DD-API-KEY=k"
OTHER_ZONE = "f" * 32
OTHER_ACCOUNT = "a" * 32


def admin(live, path, body):
    r = requests.post(live.url + "/__emulator" + path, json=body, timeout=10)
    assert r.status_code == 200, r.text
    return r.json()


def call(session, live, method, path, body=None):
    r = session.request(method, live.url + path, json=body)
    return r.status_code, r.json()


def test_default_is_404_job_not_found(http, live):
    assert requests.get(live.url + "/__emulator/settings", timeout=10).json()["missing_job"] == "404"
    err(call(http, live, "GET", JOBS + "/7"), 404, 1000, "job not found")


def test_null_shape_for_get_only(http, live):
    job = ok(call(http, live, "POST", JOBS, {"destination_conf": DD}))
    assert admin(live, "/settings", {"missing_job": "null"})["missing_job"] == "null"
    status, body = call(http, live, "GET", JOBS + "/999")
    assert status == 200 and body == {"success": True, "errors": [], "messages": [], "result": None}
    # a job of another scope does not exist in this one either
    status, body = call(http, live, "GET", AJOBS + "/%d" % job["id"])
    assert status == 200 and body["result"] is None
    # existing jobs are answered as usual
    assert ok(call(http, live, "GET", JOBS + "/%d" % job["id"]))["id"] == job["id"]
    # DELETE and PUT of a missing job stay 404; a non-numeric id is no job id at all
    err(call(http, live, "DELETE", JOBS + "/999"), 404, 1000, "job not found")
    err(call(http, live, "PUT", JOBS + "/999", {"enabled": True}), 404, 1000, "job not found")
    err(call(http, live, "GET", JOBS + "/abc"), 404, 1000, "job not found")
    admin(live, "/settings", {"missing_job": "404"})
    err(call(http, live, "GET", JOBS + "/999"), 404, 1000, "job not found")


def test_reset_restores_404_and_bad_values_are_refused(http, live):
    admin(live, "/settings", {"missing_job": "null"})
    for value in ("200", 404, None, "NULL"):
        r = requests.post(live.url + "/__emulator/settings", json={"missing_job": value}, timeout=10)
        assert r.status_code == 400, value
    admin(live, "/reset", {})
    err(call(http, live, "GET", JOBS + "/1"), 404, 1000)


@pytest.mark.parametrize("missing_job", ["404", "null"])
def test_scopes_the_credential_does_not_own_are_auth_errors(http, live, missing_job):
    admin(live, "/settings", {"missing_job": missing_job})
    admin(live, "/accounts", {"name": "Second", "id": OTHER_ACCOUNT})
    admin(live, "/zones", {"name": "other.example", "id": OTHER_ZONE, "account_id": OTHER_ACCOUNT})
    # a job with id 1 exists in the zone the limited token must not see
    ok(call(http, live, "POST", "/client/v4/zones/%s/logpush/jobs" % OTHER_ZONE, {"destination_conf": DD}))
    ok(call(http, live, "POST", "/client/v4/accounts/%s/logpush/jobs" % OTHER_ACCOUNT,
            {"destination_conf": DD, "dataset": "audit_logs"}))
    admin(live, "/tokens", {"token": "own-only", "zones": [ZONE_ID], "accounts": [ACCOUNT_ID]})
    unknown = "b" * 32  # well-formed, no such zone/account at all
    with checked_session({"Authorization": "Bearer own-only"}) as limited:
        for path in ("/client/v4/zones/%s/logpush/jobs/1" % OTHER_ZONE,
                     "/client/v4/zones/%s/logpush/jobs/999" % OTHER_ZONE,
                     "/client/v4/accounts/%s/logpush/jobs/2" % OTHER_ACCOUNT,
                     "/client/v4/zones/%s/logpush/jobs/1" % unknown,
                     "/client/v4/accounts/%s/logpush/jobs/1" % unknown):
            for method in ("GET", "DELETE"):
                status, body = call(limited, live, method, path)
                assert (status, body["errors"]) == (403, [{"code": 10000, "message": "Authentication error"}]), (method, path)
        # its own scope answers as configured
        status, body = call(limited, live, "GET", JOBS + "/999")
        assert status == (200 if missing_job == "null" else 404)
    # nothing was deleted
    assert ok(call(http, live, "GET", "/client/v4/zones/%s/logpush/jobs/1" % OTHER_ZONE))["id"] == 1
