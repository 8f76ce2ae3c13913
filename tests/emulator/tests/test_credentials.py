"""Malformed API tokens (400/6003 with a 6111 chain entry) vs well-formed unknown ones (403/10000), over a
real socket. The shape comes from third-party recordings only (README: weak)."""
import http.client

import pytest
import requests

from .helpers import ZONE, check_answer

JOBS = ZONE + "/logpush/jobs"
MALFORMED = {"code": 6003, "message": "Invalid request headers",
             "error_chain": [{"code": 6111, "message": "Invalid format for Authorization header"}]}


def get(live, headers, path=JOBS):
    r = requests.get(live.url + path, headers=headers, timeout=10)
    check_answer("GET", path, r.status_code, r.json())
    return r


@pytest.mark.parametrize("value", [
    'Bearer "emulator-token"',        # quotes pasted along
    "Bearer emulator token",           # whitespace inside
    "Bearer emulator-token;",
    "Bearer abc/def+ghi=",             # base64-ish characters
    "Bearer tökén",
    "Bearer ",                         # empty token
    "Bearer",
    "Basic emulator-token",            # not `Bearer <token>`
    "emulator-token",
])
def test_malformed_authorization_is_400_6003_with_6111(live, value):
    r = get(live, {"Authorization": value.encode("utf-8")})
    assert r.status_code == 400
    assert r.json() == {"success": False, "errors": [MALFORMED], "messages": [], "result": None}
    assert "Ratelimit" in r.headers  # still a REST answer


@pytest.mark.parametrize("token", ["wrong-token-value", "A" * 40, "x.y_z-1", "emulator-token-2"])
def test_well_formed_unknown_tokens_stay_403_10000(live, token):
    r = get(live, {"Authorization": "Bearer " + token})
    assert r.status_code == 403
    assert r.json()["errors"] == [{"code": 10000, "message": "Authentication error"}]


def test_good_tokens_and_keys_still_work(live):
    assert get(live, {"Authorization": "Bearer emulator-token"}).status_code == 200
    assert get(live, {"Authorization": "bearer   emulator-token  "}).status_code == 200
    assert get(live, {"X-Auth-Email": "user@example.com", "X-Auth-Key": "emulator-key"}).status_code == 200
    forty = "Ab3_-" * 8
    requests.post(live.url + "/__emulator/tokens", json={"token": forty, "zones": None, "accounts": None}, timeout=10)
    assert get(live, {"Authorization": "Bearer " + forty}).status_code == 200


def test_the_format_is_checked_before_the_scope(live):
    # a malformed token on a zone it could never reach, or an id that is not one: still the header error
    r = get(live, {"Authorization": "Bearer a b"}, "/client/v4/zones/%s/logpush/jobs" % ("f" * 32))
    assert r.status_code == 400 and r.json()["errors"] == [MALFORMED]
    r = get(live, {"Authorization": "Bearer a b"}, "/client/v4/zones")
    assert r.status_code == 400 and r.json()["errors"] == [MALFORMED]


def test_a_token_with_a_tab_inside(live):
    conn = http.client.HTTPConnection("127.0.0.1", live.port, timeout=10)
    conn.putrequest("GET", JOBS)
    conn.putheader("Authorization", "Bearer emulator\ttoken")
    conn.endheaders()
    resp = conn.getresponse()
    assert resp.status == 400 and b'"code":6111' in resp.read()
    conn.close()
