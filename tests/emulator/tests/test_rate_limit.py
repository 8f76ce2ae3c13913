"""Rate-limit headers on every REST answer, and the block past the limit (on the emulator clock)."""
import re

import pytest
import requests

from .helpers import AUTH, ZONE, check_answer

JOBS = ZONE + "/logpush/jobs"
KEY_AUTH = {"X-Auth-Email": "user@example.com", "X-Auth-Key": "emulator-key"}
RATELIMIT = re.compile(r'^"default";r=(\d+);t=(\d+)$')
POLICY = re.compile(r'^"default";q=(\d+);w=(\d+)$')


def admin(live, method, path, body=None):
    r = requests.request(method, live.url + "/__emulator" + path, json=body, timeout=10)
    return r.status_code, r.json()


def api(live, method, path, headers=AUTH, **kw):
    r = requests.request(method, live.url + path, headers=headers, timeout=10, **kw)
    check_answer(method, path.split("?")[0], r.status_code, r.json())
    return r


def limits(resp):
    """(remaining, reset, quota, window) from the answer's headers."""
    rl = RATELIMIT.match(resp.headers["Ratelimit"])
    policy = POLICY.match(resp.headers["Ratelimit-Policy"])
    assert rl and policy, resp.headers
    return int(rl.group(1)), int(rl.group(2)), int(policy.group(1)), int(policy.group(2))


def test_every_rest_answer_carries_the_headers_without_an_enforced_limit(live):
    answers = [
        api(live, "GET", JOBS),
        api(live, "GET", JOBS + "/42"),                                     # 404 job not found
        api(live, "GET", "/client/v4/nothing"),                             # 404 no route
        api(live, "PATCH", JOBS),                                           # 405
        api(live, "POST", JOBS, data="{bad"),                               # 400 malformed JSON
        api(live, "GET", JOBS, headers={"Authorization": "Bearer unknown"}),  # 403
        api(live, "GET", JOBS, headers={}),                                 # 400 no credential
        api(live, "GET", "/client/v4/zones"),
    ]
    assert [a.status_code for a in answers] == [200, 404, 404, 405, 400, 403, 400, 200]
    for answer in answers:
        remaining, reset, quota, window = limits(answer)
        assert (quota, window) == (1200, 300) and 0 < reset <= 300
        assert "Retry-After" not in answer.headers
    # the default token's requests are counted one by one; other credentials have their own count
    assert [limits(a)[0] for a in answers if a.request.headers.get("Authorization") == AUTH["Authorization"]] == \
        [1199, 1198, 1197, 1196, 1195, 1194]
    assert limits(api(live, "GET", JOBS, headers=KEY_AUTH))[0] == 1199
    assert limits(api(live, "GET", JOBS))[0] == 1193
    # the admin API is not Cloudflare's: no headers there
    r = requests.get(live.url + "/__emulator/health", timeout=10)
    assert "Ratelimit" not in r.headers and "Ratelimit-Policy" not in r.headers


def test_the_window_resets_on_the_emulator_clock(live):
    api(live, "GET", JOBS)
    admin(live, "POST", "/clock", {"advance": 200})
    remaining, reset, _, _ = limits(api(live, "GET", JOBS))
    assert remaining == 1198 and 99 <= reset <= 100
    admin(live, "POST", "/clock", {"advance": 101})
    remaining, reset, _, _ = limits(api(live, "GET", JOBS))
    assert remaining == 1199 and 299 <= reset <= 300


def test_a_configured_limit_is_what_the_headers_count(live):
    admin(live, "POST", "/rate-limit", {"limit": 3, "window": 60})
    seen = [limits(api(live, "GET", JOBS)) for _ in range(3)]
    assert [s[0] for s in seen] == [2, 1, 0]
    assert all(s[2:] == (3, 60) and 59 <= s[1] <= 60 for s in seen)
    r = api(live, "GET", JOBS)
    assert r.status_code == 429 and r.json()["errors"] == [{"code": 971, "message": "Please wait and consider throttling your request speed"}]
    assert 59 <= int(r.headers["Retry-After"]) <= 60
    remaining, reset, quota, window = limits(r)
    assert (remaining, quota, window) == (0, 3, 60) and reset == int(r.headers["Retry-After"])
    # limit off again: back to Cloudflare's 1,200 / 300 s for the headers, nothing refused
    admin(live, "POST", "/rate-limit", {"limit": 0})
    assert limits(api(live, "GET", JOBS))[2:] == (1200, 300)


def test_the_block_refuses_every_call_of_that_credential_until_it_ends(live):
    assert admin(live, "POST", "/rate-limit", {"limit": 2, "window": 10, "block": 100})[1] == {"limit": 2, "window": 10.0, "block": 100.0}
    assert [api(live, "GET", JOBS).status_code for _ in range(2)] == [200, 200]
    first = api(live, "POST", JOBS, json={"destination_conf": "datadog://h.example/x?header_DD-API-KEY=k"})
    assert first.status_code == 429 and 99 <= int(first.headers["Retry-After"]) <= 100
    # the window (10 s) has long reset, but the block (100 s) holds: every call, any path or method
    admin(live, "POST", "/clock", {"advance": 50})
    for method, path in (("GET", JOBS), ("GET", JOBS + "/1"), ("DELETE", JOBS + "/1"), ("GET", "/client/v4/zones")):
        r = api(live, method, path)
        assert r.status_code == 429 and r.json()["errors"][0]["code"] == 971, (method, path)
        assert 49 <= int(r.headers["Retry-After"]) <= 50 and limits(r)[0] == 0
    # another credential is not blocked
    assert api(live, "GET", JOBS, headers=KEY_AUTH).status_code == 200
    admin(live, "POST", "/clock", {"advance": 51})
    r = api(live, "GET", JOBS)
    assert r.status_code == 200 and limits(r)[0] == 1  # a fresh window after the block
    assert api(live, "GET", JOBS).json()["result"] == []  # the refused create never happened


def test_the_block_lasts_the_window_by_default(live):
    admin(live, "POST", "/rate-limit", {"limit": 1, "window": 300})
    assert api(live, "GET", JOBS).status_code == 200
    assert api(live, "GET", JOBS).status_code == 429
    admin(live, "POST", "/clock", {"advance": 200})
    r = api(live, "GET", JOBS)
    assert r.status_code == 429 and 99 <= int(r.headers["Retry-After"]) <= 100
    admin(live, "POST", "/clock", {"advance": 101})
    assert api(live, "GET", JOBS).status_code == 200


def test_block_setting_persists_until_changed_and_reset_clears_it(live):
    admin(live, "POST", "/rate-limit", {"limit": 5, "block": 30})
    assert admin(live, "POST", "/rate-limit", {"limit": 6})[1] == {"limit": 6, "window": 300.0, "block": 30.0}
    assert admin(live, "POST", "/rate-limit", {"limit": 6, "block": None})[1]["block"] is None
    for bad in ({"limit": 1, "block": 0}, {"limit": 1, "block": "5"}, {"limit": 1, "block": True}, {"limit": 1, "blok": 5}):
        assert admin(live, "POST", "/rate-limit", bad)[0] == 400, bad
    admin(live, "POST", "/rate-limit", {"limit": 5, "window": 20, "block": 30})
    admin(live, "POST", "/reset")
    assert admin(live, "GET", "/rate-limit")[1] == {"limit": 0, "window": 300.0, "block": None}


@pytest.mark.parametrize("fault,retry", [({"status": 503}, None), ({"status": 429, "retry_after": 7}, "7")])
def test_injected_faults_carry_the_headers_too(live, fault, retry):
    admin(live, "POST", "/faults", dict(fault, path="/logpush/jobs$", action="status"))
    r = api(live, "GET", JOBS)
    assert r.status_code == fault["status"]
    assert r.headers.get("Retry-After") == retry
    remaining, reset, quota, window = limits(r)
    assert (quota, window) == (1200, 300)
    if retry:
        assert (remaining, reset) == (0, 7)
    else:
        assert remaining == 1199
