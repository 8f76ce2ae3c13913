# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The shared client: envelope, auth, retries, errors. Real sockets, scripted answers."""

from __future__ import annotations

import time

import pytest

from ansible_collections.cloudflare_community.logpush.plugins.module_utils import _client
from ansible_collections.cloudflare_community.logpush.plugins.module_utils._client import (
    CloudflareClient, CloudflareConnectionError, CloudflareError,
)
from ansible_collections.cloudflare_community.logpush.tests.unit.scripted_server import Step, envelope

TOKEN = "canary-token-5b1f0e7d"
KEY = "canary-key-93c2aa41"
ZONE = "/zones/023e105f4ecef8ad9ca31a8372d0c353"


def client_for(server, **kwargs):
    kwargs.setdefault("api_token", TOKEN)
    kwargs.setdefault("backoff_factor", 0.01)
    kwargs.setdefault("timeout", 5)
    return CloudflareClient(base_url=server.url, **kwargs)


# -- envelope ---------------------------------------------------------------------------------

def test_success_returns_the_result(server):
    server.will(Step(200, envelope([{"id": 1}])))
    assert client_for(server).list_jobs(ZONE) == [{"id": 1}]
    assert server.seen[0]["method"] == "GET"
    assert server.seen[0]["path"] == "/client/v4%s/logpush/jobs" % ZONE


def test_success_false_on_http_200_is_a_failure_with_every_error(server):
    server.will(Step(200, envelope(success=False, errors=[
        {"code": 1002, "message": "incorrect ownership challenge"},
        {"code": 1004, "message": "second problem"},
    ])))
    with pytest.raises(CloudflareError) as info:
        client_for(server).get_job(ZONE, 7)
    err = info.value
    assert err.http_status == 200
    assert err.codes == [1002, 1004]
    assert "incorrect ownership challenge (code 1002)" in str(err)
    assert "second problem (code 1004)" in str(err)
    assert err.failure() == {
        "http_status": 200, "codes": [1002, 1004],
        "messages": ["incorrect ownership challenge", "second problem"],
        "method": "GET", "path": "%s/logpush/jobs/7" % ZONE, "retries": 0,
    }


def test_http_error_with_envelope(server):
    server.will(Step(404, envelope(success=False, errors=[{"code": 1000, "message": "job not found"}])))
    with pytest.raises(CloudflareError) as info:
        client_for(server).get("%s/logpush/jobs/9" % ZONE)
    assert info.value.http_status == 404 and info.value.job_not_found
    assert "job not found" in str(info.value)


@pytest.mark.parametrize("answer", [
    Step(404, envelope(success=False, errors=[{"code": 1003, "message": "Job not found"}])),
    Step(200, envelope(None)),
])
def test_a_missing_job_is_none(server, answer):
    server.will(answer)
    assert client_for(server).get_job(ZONE, 9) is None


@pytest.mark.parametrize("errors", [
    [{"code": 7000, "message": "No route for that URI"}],
    [{"code": 7003, "message": "Could not route to /zones/x/logpush/jobs/9, perhaps your object identifier is invalid?"}],
    [],
])
def test_a_404_that_is_not_job_not_found_is_an_error(server, errors):
    """A wrong base URL, account id or route must never read as "the job is absent"."""
    server.will(Step(404, envelope(success=False, errors=errors)), Step(404, envelope(success=False, errors=errors)))
    with pytest.raises(CloudflareError) as info:
        client_for(server).get_job(ZONE, 9)
    assert info.value.http_status == 404 and not info.value.job_not_found
    with pytest.raises(CloudflareError):
        client_for(server).delete_job(ZONE, 9)


def test_delete_of_a_job_not_found_is_false(server):
    server.will(Step(404, envelope(success=False, errors=[{"code": 1003, "message": "job not found"}])))
    assert client_for(server).delete_job(ZONE, 9) is False


def test_html_body_from_a_proxy_is_a_clear_error_not_a_traceback(server):
    page = "<html><body><h1>502 Bad Gateway</h1></body></html>"
    server.will(*[Step(502, raw=page, content_type="text/html")] * 3)
    with pytest.raises(CloudflareError) as info:
        client_for(server, max_retries=2).list_jobs(ZONE)
    message = str(info.value)
    assert "HTTP 502" in message and "not JSON" in message and "text/html" in message
    assert "after 2 retries" in message
    assert len(server.seen) == 3


def test_json_that_is_not_an_envelope(server):
    server.will(Step(400, {"error": "something else"}))
    with pytest.raises(CloudflareError) as info:
        client_for(server).list_jobs(ZONE)
    assert "not a Cloudflare v4 envelope" in str(info.value)


# -- auth and identity ------------------------------------------------------------------------

def test_bearer_token_header(server):
    server.will(Step())
    client_for(server).list_jobs(ZONE)
    headers = server.seen[0]["headers"]
    assert headers["Authorization"] == "Bearer %s" % TOKEN
    assert "X-Auth-Key" not in headers


def test_email_and_key_headers(server):
    server.will(Step())
    client_for(server, api_token=None, api_email="user@example.com", api_key=KEY).list_jobs(ZONE)
    headers = server.seen[0]["headers"]
    assert headers["X-Auth-Email"] == "user@example.com"
    assert headers["X-Auth-Key"] == KEY
    assert "Authorization" not in headers


def test_user_agent_names_the_collection_and_version(server):
    server.will(Step())
    client_for(server).list_jobs(ZONE)
    assert server.seen[0]["headers"]["User-Agent"].startswith("cloudflare_community.logpush/%s" % _client.COLLECTION_VERSION)


def test_json_body_is_sent_with_content_type(server):
    server.will(Step(200, envelope({"id": 3})))
    client_for(server).create_job(ZONE, {"destination_conf": "r2://b/p", "enabled": False})
    seen = server.seen[0]
    assert seen["headers"]["Content-Type"] == "application/json"
    assert '"destination_conf": "r2://b/p"' in seen["body"]


# -- retries ----------------------------------------------------------------------------------

def test_429_waits_as_long_as_retry_after_says(server):
    server.will(Step(429, envelope(success=False, errors=[{"code": 971, "message": "Please wait"}]),
                     headers={"Retry-After": "1"}),
                Step(200, envelope([])))
    started = time.monotonic()
    assert client_for(server).list_jobs(ZONE) == []
    assert len(server.seen) == 2
    assert server.seen[1]["time"] - server.seen[0]["time"] >= 0.95
    assert time.monotonic() - started < 5


def test_retry_after_is_capped():
    class FakeResponse(object):
        headers = {"Retry-After": "100000"}

        def getheader(self, name):
            return self.headers.get(name)

    policy = _client._retry_policy(3, 0.5)
    assert policy.get_retry_after(FakeResponse()) == _client.MAX_RETRY_AFTER


def test_backoff_grows_with_jitter_and_is_capped():
    policy = _client._retry_policy(10, 0.5)
    assert policy.get_backoff_time() == 0
    for tries, low, high in ((1, 0.25, 0.5), (3, 1.0, 2.0), (12, _client.MAX_BACKOFF / 2, _client.MAX_BACKOFF)):
        policy.history = (None,) * tries
        waits = set(policy.get_backoff_time() for _try in range(20))
        assert all(low <= w <= high for w in waits), (tries, waits)
        assert len(waits) > 1  # jitter: not the same wait every time


def test_post_is_retried_after_429(server):
    server.will(Step(429, envelope(success=False, errors=[{"code": 971, "message": "Please wait"}]),
                     headers={"Retry-After": "0"}),
                Step(200, envelope({"id": 5})))
    assert client_for(server).create_job(ZONE, {"destination_conf": "r2://b/p"}) == {"id": 5}
    assert [s["method"] for s in server.seen] == ["POST", "POST"]


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_get_put_delete_are_retried_on_5xx(server, status):
    for call in ("list", "put", "delete"):
        server.httpd.seen.clear()
        server.will(Step(status, envelope(success=False, errors=[{"code": 10001, "message": "server error"}])),
                    Step(200, envelope([{"id": 1}] if call == "list" else {"id": 1})))
        client = client_for(server)
        if call == "list":
            client.list_jobs(ZONE)
        elif call == "put":
            client.update_job(ZONE, 1, {"enabled": True})
        else:
            client.delete_job(ZONE, 1)
        assert len(server.seen) == 2, call


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_post_is_not_replayed_after_a_5xx(server, status):
    server.will(Step(status, envelope(success=False, errors=[{"code": 10001, "message": "server error"}])),
                Step(200, envelope({"id": 2})))
    with pytest.raises(CloudflareError) as info:
        client_for(server).create_job(ZONE, {"destination_conf": "r2://b/p"})
    assert len(server.seen) == 1
    assert info.value.may_have_taken_effect
    assert info.value.http_status == status


def test_post_is_not_replayed_after_a_timeout(server):
    server.will(Step(200, envelope({"id": 1}), delay=1.5), Step(200, envelope({"id": 2})))
    with pytest.raises(CloudflareConnectionError) as info:
        client_for(server, timeout=0.5).create_job(ZONE, {"destination_conf": "r2://b/p"})
    assert "timeout" in str(info.value)
    assert info.value.may_have_taken_effect
    time.sleep(1.2)  # let the slow answer finish, to prove nothing else was sent
    assert len(server.seen) == 1


def test_get_is_retried_after_a_timeout(server):
    server.will(Step(200, envelope([]), delay=1.0), Step(200, envelope([{"id": 4}])))
    assert client_for(server, timeout=0.3).list_jobs(ZONE) == [{"id": 4}]
    assert len(server.seen) == 2


def test_post_is_not_replayed_after_a_reset(server):
    server.will(Step(reset=True), Step(200, envelope({"id": 2})))
    with pytest.raises(CloudflareConnectionError) as info:
        client_for(server).create_job(ZONE, {"destination_conf": "r2://b/p"})
    assert info.value.may_have_taken_effect
    assert len(server.seen) == 1


def test_put_is_retried_after_a_reset(server):
    server.will(Step(reset=True), Step(200, envelope({"id": 1, "enabled": True})))
    assert client_for(server).update_job(ZONE, 1, {"enabled": True}) == {"id": 1, "enabled": True}
    assert len(server.seen) == 2


def test_refused_connection_cannot_have_taken_effect(closed_port):
    client = CloudflareClient(base_url="http://127.0.0.1:%d/client/v4" % closed_port, api_token=TOKEN,
                              max_retries=1, backoff_factor=0.01, timeout=2)
    with pytest.raises(CloudflareConnectionError) as info:
        client.create_job(ZONE, {"destination_conf": "r2://b/p"})
    assert not info.value.may_have_taken_effect
    assert "refused" in str(info.value)


def test_retries_give_up_and_say_so(server):
    server.will(*[Step(503, envelope(success=False, errors=[{"code": 10001, "message": "try later"}]))] * 3)
    with pytest.raises(CloudflareError) as info:
        client_for(server, max_retries=2).list_jobs(ZONE)
    assert len(server.seen) == 3
    assert "after 2 retries" in str(info.value)
    assert info.value.failure()["retries"] == 2


def test_max_retries_zero_turns_retries_off(server):
    server.will(Step(503, envelope(success=False, errors=[{"code": 10001, "message": "try later"}])), Step())
    with pytest.raises(CloudflareError):
        client_for(server, max_retries=0).list_jobs(ZONE)
    assert len(server.seen) == 1


# -- secrets ------------------------------------------------------------------------------------

def test_no_secret_in_error_messages_or_failure(server):
    echo = "bad token %s, key %s, dest s3://b/p?access-key-id=AKIAEXAMPLE1&secret-access-key=sekret123" % (TOKEN, KEY)
    server.will(Step(403, envelope(success=False, errors=[{"code": 10000, "message": echo}])))
    client = client_for(server, api_token=None, api_email="user@example.com", api_key=KEY)
    client.secrets.append(TOKEN)
    with pytest.raises(CloudflareError) as info:
        client.list_jobs(ZONE)
    shown = str(info.value) + repr(info.value.failure())
    for secret in (TOKEN, KEY, "AKIAEXAMPLE1", "sekret123"):
        assert secret not in shown
    assert "secret-access-key=REDACTED" in shown


# -- POSTs that are safe to repeat ------------------------------------------------------------------

@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_ownership_request_and_validation_are_retried_on_5xx(server, status):
    client = client_for(server)
    server.will(Step(status, envelope(success=False, errors=[{"code": 10001, "message": "server error"}])),
                Step(200, envelope({"filename": "p/ownership-challenge-1.txt", "message": "", "valid": True})),
                Step(status, envelope(success=False, errors=[{"code": 10001, "message": "server error"}])),
                Step(200, envelope({"valid": True})))
    assert client.request_ownership(ZONE, "s3://b/p?region=us-east-1")["valid"] is True
    assert client.validate_ownership(ZONE, "s3://b/p?region=us-east-1", "tok")["valid"] is True
    assert [s["path"].rsplit("/", 1)[-1] for s in server.seen] == ["ownership", "ownership", "validate", "validate"]


def test_ownership_validation_is_retried_after_a_reset(server):
    server.will(Step(reset=True), Step(200, envelope({"valid": False})))
    assert client_for(server).validate_ownership(ZONE, "s3://b/p?region=us-east-1", "tok") == {"valid": False}
    assert len(server.seen) == 2


def test_a_job_create_is_still_not_replayed(server):
    server.will(Step(503, envelope(success=False, errors=[{"code": 10001, "message": "server error"}])), Step())
    client = client_for(server)
    with pytest.raises(CloudflareError):
        client.create_job(ZONE, {"destination_conf": "r2://b/p"})
    assert len(server.seen) == 1
