"""Testing aids: faults, request log, rate limit, clock, reset, and the admin registry endpoints."""
import os
import time

import pytest
import requests

from emulator import defaults

from .helpers import AUTH, ZONE, ZONE_ID, check_answer

JOBS = ZONE + "/logpush/jobs"
DD = "datadog://http-intake.logs.datadoghq.com/api/v2/logs?header_DD-API-KEY=k"


def admin(live, method, path, body=None):
    r = requests.request(method, live.url + "/__emulator" + path, json=body, timeout=10)
    return r.status_code, r.json()


def api(live, method, path, **kw):
    r = requests.request(method, live.url + path, headers=AUTH, timeout=10, **kw)
    check_answer(method, path.split("?")[0], r.status_code, r.json())
    return r


def test_status_fault_503_then_normal(live):
    assert admin(live, "POST", "/faults", {"method": "GET", "path": "/logpush/jobs$", "count": 2, "action": "status", "status": 503})[0] == 200
    assert admin(live, "GET", "/faults")[1]["faults"][0]["count"] == 2
    for _ in range(2):
        r = api(live, "GET", JOBS)
        assert r.status_code == 503 and r.json()["errors"][0]["message"] == "Service Unavailable"
    assert api(live, "GET", JOBS).status_code == 200
    assert admin(live, "GET", "/faults")[1]["faults"] == []


def test_status_fault_429_has_retry_after_and_971(live):
    admin(live, "POST", "/faults", {"path": "logpush", "action": "status", "status": 429, "retry_after": 7})
    r = api(live, "POST", JOBS, json={"destination_conf": DD})
    assert r.status_code == 429 and r.headers["Retry-After"] == "7"
    assert r.json()["errors"] == [{"code": 971, "message": "Please wait and consider throttling your request speed"}]
    assert api(live, "GET", JOBS).json()["result"] == []  # the faulted create did not happen


def test_fault_method_filter_and_clear(live):
    admin(live, "POST", "/faults", {"method": "DELETE", "path": ".", "action": "status", "status": 500})
    assert api(live, "GET", JOBS).status_code == 200
    assert admin(live, "DELETE", "/faults")[0] == 200
    assert admin(live, "GET", "/faults")[1]["faults"] == []


def test_delay_fault(live):
    admin(live, "POST", "/faults", {"path": "/logpush/jobs$", "action": "delay", "delay": 0.4})
    start = time.monotonic()
    assert api(live, "GET", JOBS).status_code == 200
    assert time.monotonic() - start >= 0.4


def test_reset_fault_closes_the_socket_without_answer(live):
    admin(live, "POST", "/faults", {"method": "POST", "path": "/logpush/jobs$", "action": "reset"})
    with pytest.raises(requests.ConnectionError):
        requests.post(live.url + JOBS, headers=AUTH, json={"destination_conf": DD}, timeout=10)
    assert api(live, "GET", JOBS).json()["result"] == []  # nothing was written
    log = admin(live, "GET", "/requests")[1]["requests"]
    assert [(e["method"], e["status"]) for e in log] == [("POST", 0), ("GET", 200)]


def test_write_then_drop_does_the_write(live):
    admin(live, "POST", "/faults", {"method": "POST", "path": "/logpush/jobs$", "action": "write_then_drop"})
    with requests.Session() as session:
        with pytest.raises(requests.ConnectionError):
            session.post(live.url + JOBS, headers=AUTH, json={"destination_conf": DD}, timeout=10)
        # the same session recovers on a new connection
        r = session.get(live.url + JOBS, headers=AUTH, timeout=10)
    assert [j["id"] for j in r.json()["result"]] == [1]
    assert admin(live, "GET", "/requests")[1]["requests"][0]["status"] == 0


def test_late_write_answers_the_error_now_and_writes_later(live):
    fault = admin(live, "POST", "/faults", {"method": "POST", "path": "/logpush/jobs$", "action": "late_write", "delay": 1})[1]
    assert fault["fault"] == {"method": "POST", "path": "/logpush/jobs$", "count": 1, "action": "late_write", "status": 502,
                              "delay": 1}
    start = time.monotonic()
    r = api(live, "POST", JOBS, json={"destination_conf": DD, "name": "late"})
    assert time.monotonic() - start < 1
    assert r.status_code == 502 and r.json()["errors"] == [{"code": 1000, "message": "Bad Gateway"}]
    assert api(live, "GET", JOBS).json()["result"] == []  # a client that lists right after the error sees nothing
    assert admin(live, "GET", "/faults")[1]["late_writes_pending"] == 1
    time.sleep(1.5)
    jobs = api(live, "GET", JOBS).json()["result"]
    assert [(j["id"], j["name"], j["destination_conf"]) for j in jobs] == [(1, "late", DD)]
    assert admin(live, "GET", "/faults")[1]["late_writes_pending"] == 0
    log = admin(live, "GET", "/requests")[1]["requests"]
    assert [(e["method"], e["status"]) for e in log] == [("POST", 502), ("GET", 200), ("GET", 200)]


def test_late_write_defaults_status_and_a_reset_cancels_it(live):
    fault = admin(live, "POST", "/faults", {"method": "DELETE", "path": "/logpush/jobs/", "action": "late_write", "status": 504})[1]
    assert fault["fault"]["delay"] == 2 and fault["fault"]["status"] == 504
    assert admin(live, "POST", "/faults", {"action": "late_write"})[1]["fault"]["status"] == 502
    admin(live, "DELETE", "/faults")
    job = api(live, "POST", JOBS, json={"destination_conf": DD}).json()["result"]
    admin(live, "POST", "/faults", {"method": "DELETE", "path": "/logpush/jobs/", "action": "late_write", "delay": 0.5})
    r = api(live, "DELETE", JOBS + "/%d" % job["id"])
    assert r.status_code == 502
    assert len(api(live, "GET", JOBS).json()["result"]) == 1
    time.sleep(1)
    assert api(live, "GET", JOBS).json()["result"] == []  # the delete landed
    admin(live, "POST", "/faults", {"method": "POST", "path": "/logpush/jobs$", "action": "late_write", "delay": 0.5})
    assert api(live, "POST", JOBS, json={"destination_conf": DD}).status_code == 502
    admin(live, "POST", "/reset")
    time.sleep(1)
    assert api(live, "GET", JOBS).json()["result"] == []  # cancelled by the reset


def test_a_refusal_fault_refuses_exactly_the_chosen_write_as_cloudflare_words_it(live):
    """skip: the matching requests let through first; code and message: Cloudflare's refusal, in its envelope."""
    admin(live, "POST", "/faults", {"method": "POST", "path": "/logpush/jobs$", "skip": 1, "status": 400, "code": 1002,
                                    "message": "filter: unknown operator startswith"})
    assert admin(live, "GET", "/faults")[1]["faults"][0]["skip"] == 1
    assert api(live, "GET", JOBS).status_code == 200  # another method: not counted
    assert api(live, "POST", JOBS, json={"destination_conf": DD}).status_code == 200  # the first POST passes
    r = api(live, "POST", JOBS, json={"destination_conf": DD, "name": "second"})
    assert r.status_code == 400
    assert r.json() == {"success": False, "errors": [{"code": 1002, "message": "filter: unknown operator startswith"}],
                        "messages": [], "result": None}
    assert api(live, "POST", JOBS, json={"destination_conf": DD, "name": "third"}).status_code == 200
    assert [j.get("name") for j in api(live, "GET", JOBS).json()["result"]] == [None, "third"]
    assert admin(live, "GET", "/faults")[1]["faults"] == []


def test_a_quota_refusal_fault_is_403_1004(live):
    message = "creating a new job (for http_requests dataset) is not allowed: exceeded max jobs allowed"
    admin(live, "POST", "/faults", {"method": "POST", "path": "/logpush/jobs$", "status": 403, "code": 1004,
                                    "message": message})
    r = api(live, "POST", JOBS, json={"destination_conf": DD})
    assert r.status_code == 403 and r.json()["errors"] == [{"code": 1004, "message": message}]
    assert api(live, "GET", JOBS).json()["result"] == []  # refused: nothing created


@pytest.mark.parametrize("fault", [{"action": "explode"}, {"count": 0}, {"action": "status", "status": 200},
                                   {"path": "("}, {"action": "delay", "delay": -1},
                                   {"action": "late_write", "status": 200}, {"action": "late_write", "delay": 61},
                                   {"skip": -1}, {"skip": True}, {"status": 503, "code": 1002},
                                   {"status": 429, "message": "x"}, {"status": 400, "code": "1002"},
                                   {"status": 400, "message": ""}, {"action": "delay", "code": 1002}])
def test_bad_faults_are_refused(live, fault):
    assert admin(live, "POST", "/faults", fault)[0] == 400


def test_request_log(live):
    api(live, "GET", JOBS + "?x=1")
    api(live, "POST", JOBS, json={"destination_conf": DD})
    requests.get(live.url + "/client/v4/nowhere", timeout=10)
    admin(live, "GET", "/health")
    log = admin(live, "GET", "/requests")[1]["requests"]
    assert log == [
        {"method": "GET", "path": JOBS, "query": "x=1", "status": 200},
        {"method": "POST", "path": JOBS, "query": "", "status": 200},
        {"method": "GET", "path": "/client/v4/nowhere", "query": "", "status": 404},
    ]
    admin(live, "DELETE", "/requests")
    assert admin(live, "GET", "/requests")[1]["requests"] == []
    assert len(api(live, "GET", JOBS).json()["result"]) == 1  # clearing the log keeps the jobs


def test_request_log_since_a_number(live):
    """The integration targets count a step's requests by the number before it, without clearing the log."""
    start = admin(live, "GET", "/requests/last")[1]["last"]  # numbers go on across tests: the server is the session's
    api(live, "GET", JOBS)
    status, body = admin(live, "GET", "/requests/last")
    assert status == 200 and body == {"last": start + 1}
    api(live, "GET", JOBS + "?after=1")
    api(live, "POST", JOBS, json={"destination_conf": DD})
    status, body = admin(live, "GET", "/requests?since=%d" % (start + 1))
    assert status == 200 and body["last"] == start + 3
    assert [(e["method"], e["query"]) for e in body["requests"]] == [("GET", "after=1"), ("POST", "")]
    assert len(admin(live, "GET", "/requests")[1]["requests"]) == 3  # reading keeps the log
    # clearing and reset empty the log but do not restart the numbers: a number taken before still counts from there
    admin(live, "POST", "/reset", {})
    api(live, "GET", JOBS)
    body = admin(live, "GET", "/requests?since=%d" % (start + 3))[1]
    assert body["last"] == start + 4 and [e["method"] for e in body["requests"]] == ["GET"]
    assert admin(live, "GET", "/requests?since=%d" % (start + 4))[1] == {"requests": [], "last": start + 4}
    for bad in ("-1", "x", "1.5", ""):
        assert admin(live, "GET", "/requests?since=" + bad)[0] == 400


def test_rate_limit_per_credential_with_retry_after(live):
    assert admin(live, "POST", "/rate-limit", {"limit": 3, "window": 60})[1] == {"limit": 3, "window": 60.0, "block": None}
    for _ in range(3):
        assert api(live, "GET", JOBS).status_code == 200
    r = api(live, "GET", JOBS)
    assert r.status_code == 429 and r.json()["errors"][0] == {"code": 971, "message": "Please wait and consider throttling your request speed"}
    assert 59 <= int(r.headers["Retry-After"]) <= 60
    # another credential has its own budget
    other = requests.get(live.url + JOBS, headers={"X-Auth-Email": "user@example.com", "X-Auth-Key": "emulator-key"}, timeout=10)
    assert other.status_code == 200
    admin(live, "POST", "/clock", {"advance": 30})
    r = api(live, "GET", JOBS)
    assert r.status_code == 429 and 29 <= int(r.headers["Retry-After"]) <= 30
    admin(live, "POST", "/clock", {"advance": 31})
    assert api(live, "GET", JOBS).status_code == 200
    assert admin(live, "POST", "/rate-limit", {"limit": 0})[0] == 200
    for _ in range(5):
        assert api(live, "GET", JOBS).status_code == 200
    assert admin(live, "POST", "/rate-limit", {"limit": -1})[0] == 400


def test_clock(live):
    before = admin(live, "GET", "/clock")[1]
    after = admin(live, "POST", "/clock", {"advance": 86400})[1]
    assert after["offset"] == 86400 and after["now"] - before["now"] >= 86400
    assert admin(live, "POST", "/clock", {"advance": -5})[0] == 400


def test_health_names_the_process_and_defaults_lists_the_credential_and_ids(live):
    # the live fixture runs the emulator in this process; scripts/with-emulator.sh compares the pid with its child's
    assert admin(live, "GET", "/health") == (200, {"ok": True, "pid": os.getpid()})
    status, answer = admin(live, "GET", "/defaults")
    assert status == 200 and answer == defaults.as_dict()
    zone = requests.get(live.url + "/client/v4/zones/" + answer["zone_id"], timeout=10,
                        headers={"Authorization": "Bearer " + answer["api_token"]}).json()["result"]
    assert (zone["name"], zone["account"]["id"]) == (answer["zone_name"], answer["account_id"])


def test_reset_restores_defaults(live, s3):
    s3.create_bucket(Bucket="keep")
    api(live, "POST", JOBS, json={"destination_conf": DD})
    admin(live, "POST", "/zones", {"name": "other.example"})
    admin(live, "POST", "/tokens", {"token": "extra", "zones": None, "accounts": None})
    admin(live, "POST", "/settings", {"job_limit": 1, "redact_destination": True})
    admin(live, "POST", "/faults", {"path": "nothing-matches"})
    admin(live, "POST", "/rate-limit", {"limit": 100})
    admin(live, "POST", "/clock", {"advance": 100})
    requests.post(live.url + "/__emulator/receiver/x", data=b"hi", timeout=10)
    assert admin(live, "POST", "/reset")[0] == 200
    assert api(live, "GET", JOBS).json()["result"] == []
    assert [z["id"] for z in admin(live, "GET", "/zones")[1]["zones"]] == [ZONE_ID]
    assert [t["token"] for t in admin(live, "GET", "/tokens")[1]["tokens"]] == ["emulator-token"]
    assert admin(live, "GET", "/settings")[1]["job_limit"] == 4
    assert admin(live, "GET", "/faults")[1]["faults"] == []
    assert admin(live, "GET", "/rate-limit")[1]["limit"] == 0
    assert admin(live, "GET", "/clock")[1]["offset"] == 0
    assert admin(live, "GET", "/receiver/x")[1]["requests"] == []
    assert admin(live, "GET", "/requests")[1]["requests"] == [{"method": "GET", "path": JOBS, "query": "", "status": 200}]
    # S3 is the user's: kept unless asked
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["keep"]
    assert api(live, "POST", JOBS, json={"destination_conf": DD}).json()["result"]["id"] == 1
    admin(live, "POST", "/reset", {"s3": True})
    assert s3.list_buckets()["Buckets"] == []


def test_admin_registry_errors(live):
    assert admin(live, "POST", "/zones", {"id": "bad"})[0] == 400
    assert admin(live, "POST", "/zones", {"name": "dup", "id": ZONE_ID})[0] == 400
    assert admin(live, "POST", "/zones", {"name": "x.example", "account_id": "b" * 32})[0] == 400
    assert admin(live, "POST", "/accounts", {"name": ""})[0] == 400
    assert admin(live, "POST", "/tokens", {"zones": None})[0] == 400
    assert admin(live, "POST", "/tokens", {"token": "t", "zones": "all"})[0] == 400
    assert admin(live, "POST", "/tokens", {"email": "a@b.c", "key": "k2"})[0] == 200
    r = requests.get(live.url + JOBS, headers={"X-Auth-Email": "a@b.c", "X-Auth-Key": "k2"}, timeout=10)
    assert r.status_code == 200
    assert requests.post(live.url + "/__emulator/reset", data="{bad", timeout=10).status_code == 400
    assert requests.get(live.url + "/__emulator/nothing", timeout=10).status_code == 404
