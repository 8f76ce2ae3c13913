"""Destination checks on create/update (emulator README, Sources: destination checks): real writes to S3 and to the HTTP receiver."""
import gzip

import pytest
import requests

from .helpers import ZONE, err, ok

JOBS = ZONE + "/logpush/jobs"


def url(live, path):
    return live.url + path


def test_s3_destination_gets_a_test_object(http, live, s3):
    s3.create_bucket(Bucket="logs")
    # AWS S3 with keys needs no challenge but is still written to
    conf = "s3://logs/with-keys/{DATE}?region=us-east-1&access-key-id=AK&secret-access-key=SK"
    ok(post_job(http, live, {"destination_conf": conf}))
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="logs")["Contents"]]
    assert len(keys) == 1 and keys[0].startswith("with-keys/2") and keys[0].endswith("/test.txt.gz")
    body = s3.get_object(Bucket="logs", Key=keys[0])["Body"].read()
    assert gzip.decompress(body) == b'{"content":"tests"}'


def post_job(http, live, body):
    r = http.post(live.url + JOBS, json=body)
    return r.status_code, r.json()


def put_job(http, live, job_id, body):
    r = http.put(live.url + JOBS + "/%d" % job_id, json=body)
    return r.status_code, r.json()


def test_missing_bucket_fails_with_1002(http, live, s3):
    conf = "s3://nobucket/x?region=us-east-1&access-key-id=AK&secret-access-key=SK"
    err(post_job(http, live, {"destination_conf": conf}), 400, 1002,
        "error validating destination: error writing object: NoSuchBucket")


def test_s3_compatible_loopback_endpoint(http, live, s3, moto):
    s3.create_bucket(Bucket="compat")
    conf = "s3://compat/logs?region=us-east-1&access-key-id=AK&secret-access-key=SK&endpoint=" + moto.endpoint.split("://")[1]
    job = ok(post_job(http, live, {"destination_conf": conf}))
    assert job["destination_conf"] == conf
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="compat")["Contents"]] == ["logs/test.txt.gz"]
    dead = conf.replace(moto.endpoint.split(":")[-1], "1")  # port 1 on loopback: nothing listens
    err(post_job(http, live, {"destination_conf": dead}), 400, 1002, "error writing object: DNSError")


def test_r2_goes_to_the_local_s3_server(http, live, s3):
    s3.create_bucket(Bucket="r2bucket")
    conf = "r2://r2bucket/cf/{DATE}?account-id=abc&access-key-id=AK&secret-access-key=SK"
    ok(post_job(http, live, {"destination_conf": conf}))
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket="r2bucket")["Contents"]]
    assert len(keys) == 1 and keys[0].endswith("/test.txt.gz")
    err(post_job(http, live, {"destination_conf": conf.replace("r2bucket", "r2missing")}), 400, 1002, "NoSuchBucket")


def test_https_destination_posts_test_file_with_headers(http, live):
    conf = "https://127.0.0.1:%d/__emulator/receiver/r1?header_Authorization=Bearer%%20abc&header_X-Custom=v&tag=1" % live.port
    job = ok(post_job(http, live, {"destination_conf": conf, "output_options": {"field_names": ["RayID"]}}))
    assert job["destination_conf"] == conf
    got = requests.get(url(live, "/__emulator/receiver/r1")).json()["requests"]
    assert len(got) == 1
    assert got[0]["body"] == '{"content":"tests"}'
    assert got[0]["headers"]["Authorization"] == "Bearer abc" and got[0]["headers"]["X-Custom"] == "v"
    assert got[0]["headers"]["Content-Encoding"] == "gzip"
    assert got[0]["query"] == "tag=1"


def test_failing_receiver_fails_create_and_every_put(http, live):
    conf = "https://127.0.0.1:%d/__emulator/receiver/r2" % live.port
    job = ok(post_job(http, live, {"destination_conf": conf}))
    requests.post(url(live, "/__emulator/receiver/r2/config"), json={"status": 500}).raise_for_status()
    err(put_job(http, live, job["id"], {"enabled": True}), 400, 1002, "error validating destination: error writing object: error uploading")
    err(post_job(http, live, {"destination_conf": conf}), 400, 1002, "error uploading")
    requests.post(url(live, "/__emulator/receiver/r2/config"), json={"status": 200}).raise_for_status()
    assert ok(put_job(http, live, job["id"], {"enabled": True}))["enabled"] is True
    assert len(requests.get(url(live, "/__emulator/receiver/r2")).json()["requests"]) == 4


def test_unreachable_switch(http, live):
    requests.post(url(live, "/__emulator/settings"), json={"unreachable_destinations": ["datadoghq"]}).raise_for_status()
    conf = "datadog://http-intake.logs.datadoghq.com/api/v2/logs?header_DD-API-KEY=k"
    err(post_job(http, live, {"destination_conf": conf}), 400, 1002, "error validating destination: error writing object: DNSError")
    r = http.post(live.url + ZONE + "/logpush/validate/destination", json={"destination_conf": conf})
    assert r.json()["result"]["valid"] is False and "DNSError" in r.json()["result"]["message"]
    requests.post(url(live, "/__emulator/settings"), json={"unreachable_destinations": []}).raise_for_status()
    job = ok(post_job(http, live, {"destination_conf": conf}))
    requests.post(url(live, "/__emulator/settings"), json={"unreachable_destinations": ["datadog"]}).raise_for_status()
    err(put_job(http, live, job["id"], {"name": "x"}), 400, 1002, "DNSError")


def test_validate_destination_endpoint(http, live, s3):
    s3.create_bucket(Bucket="logs")
    path = live.url + ZONE + "/logpush/validate/destination"
    assert http.post(path, json={"destination_conf": "s3://logs/x?region=us-east-1"}).json()["result"] == {"valid": True, "message": ""}
    res = http.post(path, json={"destination_conf": "s3://nope-bucket/x?region=us-east-1"}).json()["result"]
    assert res["valid"] is False and "NoSuchBucket" in res["message"]
    res = http.post(path, json={"destination_conf": "ftp://x/y"}).json()["result"]
    assert res["valid"] is False and "scheme" in res["message"]


def validate(http, live, conf):
    r = http.post(live.url + ZONE + "/logpush/validate/destination", json={"destination_conf": conf})
    assert r.status_code == 200, r.text
    return r.json()["result"]


def test_validate_destination_writes_the_same_test_object_as_a_create(http, live, s3):
    s3.create_bucket(Bucket="vlogs")
    conf = "s3://vlogs/v/{DATE}?region=us-east-1&access-key-id=AK&secret-access-key=SK"
    assert validate(http, live, conf) == {"valid": True, "message": ""}
    after_validate = [(o["Key"], o["Size"]) for o in s3.list_objects_v2(Bucket="vlogs")["Contents"]]
    s3.delete_object(Bucket="vlogs", Key=after_validate[0][0])
    ok(post_job(http, live, {"destination_conf": conf}))
    after_create = [(o["Key"], o["Size"]) for o in s3.list_objects_v2(Bucket="vlogs")["Contents"]]
    assert after_validate == after_create and after_create[0][0].endswith("/test.txt.gz")
    body = s3.get_object(Bucket="vlogs", Key=after_create[0][0])["Body"].read()
    assert gzip.decompress(body) == b'{"content":"tests"}'
    # HTTPS: the same POST (body and header_* headers) as a create
    conf = "https://127.0.0.1:%d/__emulator/receiver/v1?header_X-Key=k" % live.port
    assert validate(http, live, conf)["valid"] is True
    ok(post_job(http, live, {"destination_conf": conf}))
    got = requests.get(url(live, "/__emulator/receiver/v1")).json()["requests"]
    assert [(g["body"], g["headers"]["X-Key"]) for g in got] == [('{"content":"tests"}', "k")] * 2


@pytest.mark.parametrize("case", ["missing_bucket", "failing_receiver", "unreachable", "unreachable_https"])
def test_validate_destination_fails_with_the_create_text(http, live, s3, case):
    if case == "missing_bucket":
        conf = "s3://no-such-bucket/x?region=us-east-1&access-key-id=AK&secret-access-key=SK"
    elif case == "failing_receiver":
        conf = "https://127.0.0.1:%d/__emulator/receiver/vfail" % live.port
        requests.post(url(live, "/__emulator/receiver/vfail/config"), json={"status": 500}).raise_for_status()
    elif case == "unreachable":
        conf = "splunk://splunk.example.net:8088/services/collector/raw?channel=abc&header_Authorization=Splunk%20t"
        requests.post(url(live, "/__emulator/settings"), json={"unreachable_destinations": ["splunk\\.example"]}).raise_for_status()
    else:
        conf = "https://127.0.0.1:%d/__emulator/receiver/vdown" % live.port
        requests.post(url(live, "/__emulator/settings"), json={"unreachable_destinations": ["vdown"]}).raise_for_status()
    result = validate(http, live, conf)
    message = err(post_job(http, live, {"destination_conf": conf}), 400, 1002)
    assert result == {"valid": False, "message": message}
    assert message.startswith("error validating destination: error writing object: ")
    if case.startswith("unreachable"):
        assert message == "error validating destination: error writing object: DNSError"
    if case == "unreachable_https":  # refused before any request left
        assert requests.get(url(live, "/__emulator/receiver/vdown")).json()["requests"] == []


@pytest.mark.parametrize("setting", [{"job_limit": -1}, {"push_interval": "x"}, {"unreachable_destinations": ["("]}, {"nope": 1},
                                     {"job_limit_per": "zone"}, {"redact_destination": "yes"}])
def test_bad_settings_are_refused(live, setting):
    assert requests.post(url(live, "/__emulator/settings"), json=setting).status_code == 400
