# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the client refuses, whatever its peer answers: redirects, malformed answers, TLS failures.

Real sockets on loopback: a scripted "API", and another server that records anything it is sent."""

from __future__ import annotations

import subprocess
import ssl
import threading
from http.server import ThreadingHTTPServer

import pytest

from ansible_collections.cloudflare_community.logpush.plugins.module_utils import _client
from ansible_collections.cloudflare_community.logpush.plugins.module_utils._client import (
    CloudflareClient, CloudflareConnectionError, CloudflareError,
)
from ansible_collections.cloudflare_community.logpush.tests.unit.scripted_server import (
    ScriptedServer, Step, _Handler, envelope,
)

TOKEN = "canary-token-5b1f0e7d"
KEY = "canary-key-93c2aa41"
EMAIL = "user@example.com"
ZONE = "/zones/023e105f4ecef8ad9ca31a8372d0c353"
DESTINATION = "s3://bucket/logs?region=us-east-1&access-key-id=AKIACANARY01&secret-access-key=canarysecret99"


@pytest.fixture
def other():
    """Another host: it records every request it gets, and answers like Cloudflare would."""
    srv = ScriptedServer()
    srv.will(*[Step(200, envelope({"id": 666}))] * 5)
    yield srv
    srv.stop()


def client_for(server, **kwargs):
    kwargs.setdefault("backoff_factor", 0.01)
    kwargs.setdefault("timeout", 5)
    return CloudflareClient(base_url=server.url, **kwargs)


# -- 1. no redirect is followed -----------------------------------------------------------------

@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("auth", [{"api_token": TOKEN}, {"api_email": EMAIL, "api_key": KEY}])
def test_a_redirect_to_another_host_gets_no_credential_and_no_body(server, other, status, auth):
    target = "http://someone:pw@127.0.0.1:%d/steal?sig=sassecret123" % other.httpd.server_address[1]
    server.will(*[Step(status, envelope(), headers={"Location": target})] * 3)
    client = client_for(server, **auth)
    with pytest.raises(CloudflareError) as info:
        client.create_job(ZONE, {"destination_conf": DESTINATION})
    assert other.seen == []  # nothing at all: no credential, no destination keys, not even a request
    assert len(server.seen) == 1  # and it was not retried either
    message = str(info.value)
    assert "HTTP %d" % status in message and "redirect" in message
    assert "127.0.0.1:%d/steal" % other.httpd.server_address[1] in message
    for hidden in ("sassecret123", "sig=", "someone", ":pw@"):
        assert hidden not in message
    assert info.value.may_have_taken_effect  # a POST that reached the API: look before writing again


def test_a_get_redirect_is_refused_too(server, other):
    server.will(Step(302, envelope(), headers={"Location": other.url + "/zones/x/logpush/jobs"}))
    with pytest.raises(CloudflareError) as info:
        client_for(server, api_email=EMAIL, api_key=KEY).list_jobs(ZONE)
    assert other.seen == []
    assert "never redirects" in str(info.value)
    assert not info.value.may_have_taken_effect


def test_a_caller_cannot_turn_redirects_back_on(server, other):
    server.will(Step(302, envelope(), headers={"Location": other.url}))
    client = client_for(server, api_token=TOKEN)
    response = client.session.request("GET", server.url + "/x", allow_redirects=True)
    assert response.status_code == 302 and other.seen == []


# -- 2. malformed answers: a clear error, not a traceback -----------------------------------------

@pytest.mark.parametrize("call, result, says", [
    (lambda c: c.list_jobs(ZONE), {"id": 1}, "a list of jobs"),
    (lambda c: c.list_jobs(ZONE), "jobs", "a list of jobs"),
    (lambda c: c.list_jobs(ZONE), [{"id": "12; rm -rf"}], "numeric id"),
    (lambda c: c.list_jobs(ZONE), [{"name": "no id"}], "numeric id"),
    (lambda c: c.get_job(ZONE, 1), [1, 2], "a job"),
    (lambda c: c.create_job(ZONE, {"destination_conf": "r2://b/p"}), "created", "the job created"),
    (lambda c: c.update_job(ZONE, 1, {"enabled": True}), 5, "the job updated"),
    (lambda c: c.dataset_fields(ZONE, "http_requests"), ["a"], "an object of field names"),
    (lambda c: c.find_zone_ids("example.com"), {"id": "x"}, "a list of zones"),
    (lambda c: c.validate_destination(ZONE, "r2://b/p"), True, "an object"),
])
def test_a_result_of_the_wrong_type_is_a_clear_error(server, call, result, says):
    server.will(Step(200, envelope(result)))
    with pytest.raises(CloudflareError) as info:
        call(client_for(server, api_token=TOKEN))
    assert "not what Cloudflare sends" in str(info.value) and says in str(info.value)


@pytest.mark.parametrize("depth", [40, 100000])
def test_deeply_nested_json_is_a_clear_error(server, depth):
    server.will(Step(200, raw='{"success": true, "result": ' + "[" * depth + "]" * depth + "}"))
    with pytest.raises(CloudflareError) as info:
        client_for(server, api_token=TOKEN).list_jobs(ZONE)
    assert "nested" in str(info.value)


def test_a_job_list_of_ordinary_depth_passes(server):
    job = {"id": 1, "output_options": {"field_names": ["a"], "sample_rate": 1}, "kind": ""}
    server.will(Step(200, envelope([job])))
    assert client_for(server, api_token=TOKEN).list_jobs(ZONE) == [job]


@pytest.mark.parametrize("pages", [10 ** 9, "many", 2.5, True])
def test_an_unbounded_total_pages_is_refused_before_more_requests(server, pages):
    server.will(*[Step(200, dict(envelope([{"id": "z%d" % i, "name": "z"}]), result_info={"total_pages": pages}))
                  for i in range(3)])
    with pytest.raises(CloudflareError) as info:
        client_for(server, api_token=TOKEN).list_zones()
    assert "total_pages" in str(info.value)
    assert len(server.seen) == 1


def test_pages_are_followed_up_to_total_pages(server):
    server.will(*[Step(200, dict(envelope([{"id": "z%d" % i}]), result_info={"total_pages": 3}))
                  for i in range(3)])
    assert [z["id"] for z in client_for(server, api_token=TOKEN).list_zones()] == ["z0", "z1", "z2"]
    assert len(server.seen) == 3


# -- 4. a body that echoes a secret shows no part of it ----------------------------------------------

def test_a_long_body_is_redacted_before_it_is_cut(server):
    # the token straddles character 200 of the body: cut first, its first half would be shown
    page = "x" * 190 + " " + TOKEN + " and more text after it"
    server.will(Step(502, raw=page, content_type="text/plain"))
    with pytest.raises(CloudflareError) as info:
        client_for(server, api_token=TOKEN, max_retries=0).list_jobs(ZONE)
    message = str(info.value)
    assert TOKEN[:8] not in message and "canary" not in message
    assert "REDACTED" in message


def test_a_long_envelope_less_answer_is_redacted_before_it_is_cut(server):
    server.will(Step(400, {"padding": "x" * 170, "echo": TOKEN}))
    with pytest.raises(CloudflareError) as info:
        client_for(server, api_token=TOKEN).list_jobs(ZONE)
    assert "canary" not in str(info.value)


# -- 3. a TLS failure says so ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def self_signed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("tls")
    cert, key = str(folder / "cert.pem"), str(folder / "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=127.0.0.1", "-keyout", key, "-out", cert], check=True, capture_output=True)
    return cert, key


@pytest.fixture
def tls_server(self_signed):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.script, httpd.seen = [], []
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*self_signed)
    httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_a_self_signed_certificate_gives_the_tls_message(tls_server):
    url = "https://127.0.0.1:%d/client/v4" % tls_server.server_address[1]
    client = CloudflareClient(base_url=url, api_token=TOKEN, max_retries=0, timeout=5)
    with pytest.raises(CloudflareConnectionError) as info:
        client.list_jobs(ZONE)
    message = str(info.value)
    assert "TLS connection failed" in message
    assert "CERTIFICATE_VERIFY_FAILED" in message or "certificate verify failed" in message


def test_validate_certs_false_is_honoured_even_with_requests_ca_bundle(tls_server, self_signed, monkeypatch, tmp_path):
    # a CA bundle that does not sign the server's certificate: with it, the connection would fail
    other = subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                            "/CN=other", "-keyout", str(tmp_path / "k"), "-out", str(tmp_path / "ca.pem")],
                           check=True, capture_output=True)
    assert other.returncode == 0
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tmp_path / "ca.pem"))
    tls_server.script.append(Step(200, envelope([])))
    url = "https://127.0.0.1:%d/client/v4" % tls_server.server_address[1]
    client = CloudflareClient(base_url=url, api_token=TOKEN, max_retries=0, timeout=5, validate_certs=False)
    assert client.list_jobs(ZONE) == []


def test_the_cause_walk_skips_a_string_reason():
    """ssl.SSLError.reason is a str: reading it as an exception raised AttributeError before."""
    error = ssl.SSLError(1, "[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed")
    error.reason = "CERTIFICATE_VERIFY_FAILED"
    wrapper = OSError("wrapped")
    wrapper.__cause__ = error
    assert not _client._is_refused(wrapper)
    assert _client._tls_failure(wrapper)


def test_a_refused_job_in_a_listing_is_redacted_before_it_is_cut(server):
    # the password runs past character 200 of the job's text: cut first, the redactor would see no "@" after it
    password = "canarypw" * 40
    job = {"id": "7", "destination_conf": "https://user:%s@logs.example.com/ingest" % password}
    server.will(Step(200, envelope([job])))
    with pytest.raises(CloudflareError) as info:
        client_for(server, api_token=TOKEN).list_jobs(ZONE)
    assert "numeric id" in str(info.value) and "canarypw" not in str(info.value)
