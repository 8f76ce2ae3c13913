"""Ownership challenges (emulator README, Sources: ownership challenge) against the real S3 server and the in-memory stores."""
import jwt
import pytest

from .helpers import ACCOUNT, ACCOUNT_ID, ZONE, ZONE_ID, err, ok

S3 = "s3://logs/cf/zone?region=us-east-1"
OWN = ZONE + "/logpush/ownership"
JOBS = ZONE + "/logpush/jobs"


@pytest.fixture
def bucket(s3):
    s3.create_bucket(Bucket="logs")
    return s3


def challenge(client, conf=S3, scope=ZONE):
    res = ok(client.post(scope + "/logpush/ownership", {"destination_conf": conf}))
    assert res["valid"] is True and res["message"] == ""
    return res


def token_from_s3(s3, filename, bucket="logs"):
    return s3.get_object(Bucket=bucket, Key=filename)["Body"].read().decode()


def test_challenge_file_really_sits_in_the_bucket(client, bucket):
    res = challenge(client)
    assert res["filename"].startswith("cf/zone/ownership-challenge-") and res["filename"].endswith(".txt")
    assert len(res["filename"].rsplit("-", 1)[1]) == len("0123456789abcdef.txt")
    token = token_from_s3(bucket, res["filename"])
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["scope_type"] == "zone" and claims["scope_id"] == ZONE_ID and claims["destination_conf"] == S3
    assert claims["exp"] - claims["iat"] == 7 * 24 * 3600
    files = client.admin("GET", "/ownership-files")[1]["files"]
    assert [(f["filename"], f["token"], f["location"]) for f in files] == [(res["filename"], token, "s3://logs/" + res["filename"])]


def test_each_call_writes_a_new_file(client, bucket):
    a, b = challenge(client), challenge(client)
    assert a["filename"] != b["filename"]
    assert token_from_s3(bucket, a["filename"]) != token_from_s3(bucket, b["filename"])


def test_missing_bucket_is_valid_false(client, s3):
    res = ok(client.post(OWN, {"destination_conf": "s3://nobucket/x?region=us-east-1"}))
    assert res["valid"] is False and "NoSuchBucket" in res["message"] and res["filename"] == ""


def test_invalid_destination_is_valid_false(client):
    res = ok(client.post(OWN, {"destination_conf": "ftp://x/y"}))
    assert res == {"filename": "", "message": res["message"], "valid": False} and "destination is invalid" in res["message"]


@pytest.mark.parametrize("conf", [
    "https://logs.example.net/in", "r2://bkt/p?account-id=a&access-key-id=k&secret-access-key=s",
    "s3://bkt/p?region=us-east-1&access-key-id=k&secret-access-key=s&endpoint=minio.example.net",
    "s3://bkt/p?region=us-east-1&access-key-id=k&secret-access-key=s",
    "datadog://http-intake.logs.datadoghq.com/api/v2/logs?header_DD-API-KEY=k",
])
def test_no_challenge_destinations_write_nothing(client, conf):
    res = ok(client.post(OWN, {"destination_conf": conf}))
    assert res["valid"] is False and res["filename"] == "" and "does not require" in res["message"]
    assert client.admin("GET", "/ownership-files")[1]["files"] == []


@pytest.mark.parametrize("conf,prefix", [
    ("gs://gbucket/logs/{DATE}", "logs/"),
    ("azure://container/logs?sv=2020&ss=b&srt=o&sp=w&sig=abc", "logs/ownership-challenge-"),
    ("sumo://endpoint1.collection.sumologic.com/receiver/v1/http/XYZ", "ownership-challenge-"),
])
def test_memory_destinations(client, conf, prefix):
    res = challenge(client, conf)
    assert res["filename"].startswith(prefix)
    files = client.admin("GET", "/ownership-files?destination_conf=" + conf.replace("&", "%26"))[1]["files"]
    assert len(files) == 1 and files[0]["location"] == "memory:" + res["filename"]
    objects = client.admin("GET", "/objects")[1]["objects"]
    assert objects == [{"destination_conf": conf, "key": res["filename"], "content": files[0]["token"]}]
    token = files[0]["token"]
    err(client.post(JOBS, {"destination_conf": conf}), 400, 1002, "incorrect ownership challenge")
    assert ok(client.post(JOBS, {"destination_conf": conf, "ownership_challenge": token}))["destination_conf"] == conf


def test_create_needs_the_right_token(client, bucket):
    token = token_from_s3(bucket, challenge(client)["filename"])
    other = token_from_s3(bucket, challenge(client, S3 + "&sse=AES256")["filename"])
    account_token = ok(client.post(ACCOUNT + "/logpush/ownership", {"destination_conf": S3}))
    account_token = token_from_s3(bucket, account_token["filename"])
    for bad in (None, "", "garbage", token + "x", other, account_token):
        body = {"destination_conf": S3}
        if bad is not None:
            body["ownership_challenge"] = bad
        err(client.post(JOBS, body), 400, 1002, "incorrect ownership challenge")
    assert ok(client.get(JOBS)) == []
    job = ok(client.post(JOBS, {"destination_conf": S3, "ownership_challenge": token}))
    assert "ownership_challenge" not in job
    # the account token works on the account
    ok(client.post(ACCOUNT + "/logpush/jobs", {"destination_conf": S3, "ownership_challenge": account_token,
                                                "dataset": "audit_logs"}))
    assert ACCOUNT_ID in ACCOUNT


def test_token_expires_after_seven_days(client, bucket):
    token = token_from_s3(bucket, challenge(client)["filename"])
    client.admin("POST", "/clock", {"advance": 7 * 24 * 3600 - 60})
    assert ok(client.post(OWN + "/validate", {"destination_conf": S3, "ownership_challenge": token})) == {"valid": True}
    client.admin("POST", "/clock", {"advance": 120})
    assert ok(client.post(OWN + "/validate", {"destination_conf": S3, "ownership_challenge": token})) == {"valid": False}
    err(client.post(JOBS, {"destination_conf": S3, "ownership_challenge": token}), 400, 1002, "incorrect ownership challenge")


def test_a_token_issued_after_the_clock_moved_is_valid(client, bucket):
    # the emulator's clock, not the real one, decides whether a token is valid yet
    client.admin("POST", "/clock", {"advance": 8 * 24 * 3600})
    token = token_from_s3(bucket, challenge(client)["filename"])
    assert ok(client.post(OWN + "/validate", {"destination_conf": S3, "ownership_challenge": token})) == {"valid": True}
    ok(client.post(JOBS, {"destination_conf": S3, "ownership_challenge": token}))


def test_validate_endpoint(client, bucket):
    token = token_from_s3(bucket, challenge(client)["filename"])
    val = OWN + "/validate"
    assert ok(client.post(val, {"destination_conf": S3, "ownership_challenge": token})) == {"valid": True}
    assert ok(client.post(val, {"destination_conf": S3 + "&x=1", "ownership_challenge": token})) == {"valid": False}
    assert ok(client.post(ACCOUNT + "/logpush/ownership/validate", {"destination_conf": S3, "ownership_challenge": token})) == {"valid": False}
    assert ok(client.post(val, {"destination_conf": S3, "ownership_challenge": "abc"})) == {"valid": False}
    assert ok(client.post(val, {"destination_conf": "ftp://x", "ownership_challenge": token})) == {"valid": False}


def test_update_changing_destination_needs_a_new_token(client, bucket):
    token = token_from_s3(bucket, challenge(client)["filename"])
    ok(client.post(JOBS, {"destination_conf": S3, "ownership_challenge": token}))
    new = "s3://logs/other?region=us-east-1"
    err(client.put(JOBS + "/1", {"destination_conf": new}), 400, 1002, "incorrect ownership challenge")
    err(client.put(JOBS + "/1", {"destination_conf": new, "ownership_challenge": token}), 400, 1002, "incorrect ownership challenge")
    new_token = token_from_s3(bucket, challenge(client, new)["filename"])
    assert ok(client.put(JOBS + "/1", {"destination_conf": new, "ownership_challenge": new_token}))["destination_conf"] == new
    # switching to a destination that needs no challenge needs no token
    https = "https://logs.example.net/in"
    assert ok(client.put(JOBS + "/1", {"destination_conf": https}))["destination_conf"] == https


def test_update_with_unchanged_destination_ignores_the_token(client, bucket):
    token = token_from_s3(bucket, challenge(client)["filename"])
    ok(client.post(JOBS, {"destination_conf": S3, "ownership_challenge": token}))
    client.admin("POST", "/clock", {"advance": 8 * 24 * 3600})
    assert ok(client.put(JOBS + "/1", {"destination_conf": S3, "ownership_challenge": token, "enabled": True}))["enabled"]
    assert ok(client.put(JOBS + "/1", {"ownership_challenge": "stale", "enabled": False}))["enabled"] is False
