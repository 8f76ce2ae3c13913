# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""logpush_ownership end to end: main() against a scripted loopback server."""

from __future__ import annotations

import json

import pytest

from ansible_collections.cloudflare_community.logpush.plugins.modules import logpush_ownership
from ansible_collections.cloudflare_community.logpush.tests.unit.scripted_server import Step, envelope

ZONE_ID = "023e105f4ecef8ad9ca31a8372d0c353"
LOGPUSH = "/client/v4/zones/%s/logpush" % ZONE_ID
API_TOKEN = "canary-api-token-5b1f0e7d"
S3 = "s3://bucket/p?region=us-east-1"
S3_LOCATION = {"scheme": "s3", "bucket": "bucket", "path": "p", "region": "us-east-1", "endpoint": None, "account": None}
CHALLENGE = "eyJhbGciOiJIUzI1NiJ9.challenge.sig"


@pytest.fixture
def run(server, run_module):
    def run_ownership(check_mode=False, **module_args):
        module_args.setdefault("destination_conf", S3)
        module_args.update(api_token=API_TOKEN, api_base_url=server.url, zone_id=ZONE_ID, timeout=5)
        return run_module(logpush_ownership.main, module_args, check_mode=check_mode)
    return run_ownership


def requests_of(server):
    return [(s["method"], s["path"]) for s in server.seen]


def test_request_writes_a_challenge_and_returns_where(server, run):
    server.will(Step(200, envelope({"filename": "p/ownership-challenge-3a9f1c2b.txt", "valid": True, "message": ""})))
    result = run()
    assert requests_of(server) == [("POST", LOGPUSH + "/ownership")]
    assert json.loads(server.seen[0]["body"]) == {"destination_conf": S3}
    assert result == {"changed": True, "challenge_required": True, "filename": "p/ownership-challenge-3a9f1c2b.txt",
                      "object_key": "p/ownership-challenge-3a9f1c2b.txt", "valid": True, "message": "",
                      "destination": S3_LOCATION}


def test_request_in_check_mode_sends_nothing(server, run):
    result = run(check_mode=True)
    assert server.seen == []
    assert result == {"changed": True, "challenge_required": True, "filename": None, "object_key": None,
                      "destination": S3_LOCATION}


def test_request_answered_valid_false_fails_with_the_reason(server, run):
    server.will(Step(200, envelope({"filename": None, "valid": False, "message": "destination is invalid"})))
    result = run()
    assert result["failed"] is True
    assert "Cloudflare could not write the challenge file into the destination: destination is invalid." in result["msg"]
    # Cloudflare wrote no file: nothing changed
    assert result["valid"] is False and result["changed"] is False
    assert requests_of(server) == [("POST", LOGPUSH + "/ownership")]


def test_request_refused_by_the_api_fails(server, run):
    server.will(Step(400, envelope(success=False, errors=[{"code": 1002, "message": "bucket does not exist"}])))
    result = run()
    assert result["failed"] is True and "bucket does not exist (code 1002)" in result["msg"]
    assert result["changed"] is False
    assert result["failure"]["http_status"] == 400
    assert API_TOKEN not in json.dumps(result)


def test_validate_a_good_token_is_a_read(server, run):
    server.will(Step(200, envelope({"valid": True})))
    result = run(ownership_challenge=CHALLENGE)
    assert requests_of(server) == [("POST", LOGPUSH + "/ownership/validate")]
    assert json.loads(server.seen[0]["body"]) == {"destination_conf": S3, "ownership_challenge": CHALLENGE}
    assert result == {"changed": False, "challenge_required": True, "filename": None, "object_key": None, "valid": True,
                      "destination": S3_LOCATION}


def test_validate_a_wrong_token_fails(server, run):
    server.will(Step(200, envelope({"valid": False})))
    result = run(ownership_challenge="wrong-token")
    assert result["failed"] is True and result["valid"] is False and result["changed"] is False
    assert "The ownership_challenge is not valid for this destination_conf" in result["msg"]
    assert "Request a new challenge" in result["msg"]


def test_validate_is_sent_in_check_mode_too(server, run):
    server.will(Step(200, envelope({"valid": True})))
    result = run(check_mode=True, ownership_challenge=CHALLENGE)
    assert requests_of(server) == [("POST", LOGPUSH + "/ownership/validate")]
    assert result["valid"] is True and result["changed"] is False


@pytest.mark.parametrize("conf, location", [
    ("r2://logs/p?account-id=01a7362d577a6c3019a474fd6f485823&access-key-id=keyid1234&secret-access-key=secret5678",
     {"scheme": "r2", "bucket": "logs", "path": "p", "region": None, "endpoint": None, "account": None}),
    ("https://logs.example.com/ingest?header_Authorization=Bearer%20abcd1234",
     {"scheme": "https", "bucket": None, "path": None, "region": None, "endpoint": None, "account": None}),
    ("s3://b/p?region=auto&access-key-id=keyid1234&secret-access-key=secret5678&endpoint=minio.example.com",
     {"scheme": "s3", "bucket": "b", "path": "p", "region": "auto", "endpoint": "minio.example.com", "account": None}),
])
def test_destination_without_challenge_sends_nothing(server, run, conf, location):
    result = run(destination_conf=conf)
    assert server.seen == []
    assert result == {"changed": False, "challenge_required": False, "filename": None, "object_key": None,
                      "destination": location}
    assert "secret5678" not in json.dumps(result) and "abcd1234" not in json.dumps(result)


def test_bad_destination_fails_before_any_request(server, run):
    result = run(destination_conf="bucket/p")
    assert result["failed"] is True and "destination_conf must start with one of" in result["msg"]
    assert server.seen == []


def test_zone_name_is_resolved_and_returned(server, run_module):
    server.will(Step(200, envelope([{"id": ZONE_ID, "name": "example.com"}])),
                Step(200, envelope({"filename": "p/ownership-challenge.txt", "valid": True, "message": ""})))
    result = run_module(logpush_ownership.main, {"api_token": API_TOKEN, "api_base_url": server.url, "zone": "Example.COM.",
                                                 "destination_conf": S3, "timeout": 5})
    assert requests_of(server) == [("GET", "/client/v4/zones?name=example.com&per_page=50"), ("POST", LOGPUSH + "/ownership")]
    assert result["zone_id"] == ZONE_ID and result["changed"] is True


def test_printed_result_masks_the_sumo_code(server, run_module_printed):
    code_secret = "ZaVnC4dhaV39Tn37xQ"
    conf = "sumo://endpoint1.collection.sumologic.com/receiver/v1/http/" + code_secret
    server.will(Step(200, envelope({"filename": "ownership-challenge.txt", "valid": True, "message": ""})))
    code, out = run_module_printed(logpush_ownership.main, {"api_token": API_TOKEN, "api_base_url": server.url,
                                                            "zone_id": ZONE_ID, "destination_conf": conf, "timeout": 5})
    result = json.loads(out)
    assert code == 0 and result["changed"] is True and result["filename"] == "ownership-challenge.txt"
    assert result["destination"]["scheme"] == "sumo"
    assert code_secret not in out and API_TOKEN not in out


@pytest.mark.parametrize("filename, location, key", [
    # the key as Cloudflare gives it
    ("http/20260101/ownership-challenge-1.txt", {"bucket": "logs", "path": "http/{DATE}"},
     "http/20260101/ownership-challenge-1.txt"),
    # the bucket first: left out
    ("logs/http/20260101/ownership-challenge-1.txt", {"bucket": "logs", "path": "http/{DATE}"},
     "http/20260101/ownership-challenge-1.txt"),
    # a path that starts with the bucket's name: the name as given already sits in the path, so it is the key
    ("logs/20260101/ownership-challenge-1.txt", {"bucket": "logs", "path": "logs/{DATE}"},
     "logs/20260101/ownership-challenge-1.txt"),
    # ... and the bucket before it: left out once
    ("logs/logs/20260101/ownership-challenge-1.txt", {"bucket": "logs", "path": "logs/{DATE}"},
     "logs/20260101/ownership-challenge-1.txt"),
    # no bucket (Sumo Logic), or no file
    ("ownership-challenge-1.txt", {"bucket": None, "path": None}, "ownership-challenge-1.txt"),
    (None, {"bucket": "logs", "path": ""}, None),
])
def test_object_key_is_the_name_in_the_bucket(filename, location, key):
    assert logpush_ownership.object_key(filename, location) == key


def test_request_returns_the_object_key_without_the_bucket(server, run):
    server.will(Step(200, envelope({"filename": "bucket/p/ownership-challenge-9.txt", "valid": True, "message": ""})))
    result = run()
    assert result["filename"] == "bucket/p/ownership-challenge-9.txt"
    assert result["object_key"] == "p/ownership-challenge-9.txt"


def test_a_missing_python_package_fails_before_any_request(server, run):
    result = run(python_packages=[{"import_name": "json", "package": "json"},
                                  {"import_name": "no_such_package_4f1e.sub", "package": "no-such-package"}])
    assert result["failed"] is True
    assert "no-such-package" in result["msg"] and "pip install no-such-package" in result["msg"]
    assert "No challenge was requested" in result["msg"] and "json" not in result["msg"].partition("package(s)")[2][:10]
    assert server.seen == []


def test_present_python_packages_let_the_request_go(server, run):
    server.will(Step(200, envelope({"filename": "p/ownership-challenge-2.txt", "valid": True, "message": ""})))
    result = run(python_packages=[{"import_name": "json", "package": "json"},
                                  {"import_name": "email.mime", "package": "email"}])
    assert result["changed"] is True
    assert requests_of(server) == [("POST", LOGPUSH + "/ownership")]
