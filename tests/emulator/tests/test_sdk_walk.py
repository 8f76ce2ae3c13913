"""The official Cloudflare Python SDK (`cloudflare` on PyPI, pinned in requirements/) walks the seed workflow
against the emulator over a real socket, under each `answer_style`.

The SDK builds its models leniently (an answer of the wrong shape does not raise), so every answer is also
validated strictly against the SDK's own pydantic types from the raw JSON the SDK received, and must carry no
key the SDK does not know. Every answer is spec-checked too (an httpx response hook).

The SDK's `LogpushJob` model (5.9.0) has no `filter` field, although its create/update take one and
Cloudflare's answers carry it: the SDK keeps it as an extra key (`model_extra`), read here with `sdk_filter`."""
import json
from urllib.parse import urlsplit

import cloudflare
import httpx
import pytest
import requests
from cloudflare.types.logpush import JobDeleteResponse, LogpushJob, OwnershipCreateResponse, OwnershipValidation

from .helpers import ACCOUNT_ID, TOKEN, ZONE_ID, check_answer

S3_DEST = "s3://sdk-bucket/cloudflare/http?region=us-east-1"
R2_DEST = ("r2://sdk-r2/logs/{DATE}?account-id=" + ACCOUNT_ID
           + "&access-key-id=AKIAEXAMPLE&secret-access-key=secretEXAMPLE")
FILTER = '{"where":{"and":[{"key":"ClientRequestHost","operator":"eq","value":"example.com"}]}}'
FIELDS = ["ClientIP", "ClientRequestHost", "EdgeStartTimestamp", "RayID"]


@pytest.fixture
def sdk(live, monkeypatch):
    """The official SDK client on the emulator; returns (client, answers) where answers lists
    (method, path, status, body) of every REST answer it received."""
    for name in ("CLOUDFLARE_API_TOKEN", "CLOUDFLARE_API_KEY", "CLOUDFLARE_EMAIL", "CLOUDFLARE_API_USER_SERVICE_KEY",
                 "CLOUDFLARE_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    answers = []

    def hook(response):
        response.read()
        path = urlsplit(str(response.request.url)).path
        body = response.json()
        check_answer(response.request.method, path, response.status_code, body)
        answers.append((response.request.method, path, response.status_code, body))

    http_client = httpx.Client(event_hooks={"response": [hook]}, timeout=30)
    client = cloudflare.Cloudflare(api_token=TOKEN, base_url=live.url + "/client/v4", max_retries=0,
                                   http_client=http_client)
    yield client, answers
    client.close()


def admin(live, method, path, **kwargs):
    r = requests.request(method, live.url + "/__emulator" + path, timeout=10, **kwargs)
    r.raise_for_status()
    return r.json()


# job keys Cloudflare answers that the SDK's LogpushJob does not declare (time_created: with the emulator's
# `time_created` setting, as in the live recording of README "Recorded answers")
SDK_UNDECLARED_JOB_KEYS = {"filter", "time_created"}


def sdk_filter(job):
    """The job's filter as the SDK holds it (an undeclared key; absent under omitempty)."""
    return (job.model_extra or {}).get("filter")


def strict(model, raw):
    """Validate `raw` strictly with the SDK's type; no key the SDK does not know."""
    parsed = model.model_validate_json(json.dumps(raw), strict=True)
    extra = set(parsed.model_extra or ())
    if model is LogpushJob:
        extra -= SDK_UNDECLARED_JOB_KEYS
        assert raw.get("filter") is None or isinstance(raw["filter"], str)
    assert not extra, "keys the SDK does not know: %r" % parsed.model_extra
    if isinstance(parsed, LogpushJob) and parsed.output_options is not None:
        assert not parsed.output_options.model_extra, parsed.output_options.model_extra
    return parsed


def test_strict_refuses_a_wrong_shape():
    """The strict check is not a no-op: types the SDK declares are enforced, and unknown keys are caught."""
    assert strict(LogpushJob, {"id": 1, "enabled": False, "last_complete": "2024-01-01T00:00:00Z"}).id == 1
    for bad in ({"id": "1"}, {"enabled": "false"}, {"frequency": "hourly"}, {"output_options": {"sample_rate": "1"}},
                {"max_upload_records": "0"}, {"last_error": 5}):
        with pytest.raises(Exception):
            strict(LogpushJob, bad)
    with pytest.raises(AssertionError):
        strict(LogpushJob, {"id": 1, "unknown_key": 1})


def check_all_answers(answers):
    """Every successful answer's result validates strictly against the SDK type of its route."""
    for method, path, status, body in answers:
        if status >= 400 or body["result"] is None:
            continue
        result = body["result"]
        if path.endswith("/ownership"):
            strict(OwnershipCreateResponse, result)
        elif path.endswith("/ownership/validate"):
            strict(OwnershipValidation, result)
        elif method == "DELETE":
            strict(JobDeleteResponse, result)
        elif isinstance(result, list):
            for job in result:
                strict(LogpushJob, job)
        else:
            strict(LogpushJob, result)


@pytest.mark.parametrize("style", ["omitempty", "null", "sparse"])
def test_sdk_walks_the_seed_workflow(sdk, live, s3, style):
    client, answers = sdk
    admin(live, "POST", "/settings", json={"answer_style": style})
    s3.create_bucket(Bucket="sdk-bucket")
    s3.create_bucket(Bucket="sdk-r2")

    # 1. ownership challenge: the file lands in the bucket; the token read through the admin API
    challenge = client.logpush.ownership.create(destination_conf=S3_DEST, zone_id=ZONE_ID)
    assert isinstance(challenge, OwnershipCreateResponse)
    assert challenge.valid is True and challenge.filename.startswith("cloudflare/http/ownership-challenge-")
    files = admin(live, "GET", "/ownership-files", params={"destination_conf": S3_DEST})["files"]
    assert [f["filename"] for f in files] == [challenge.filename]
    token = files[0]["token"]
    assert s3.get_object(Bucket="sdk-bucket", Key=challenge.filename)["Body"].read().decode() == token

    # 2. validate it
    validation = client.logpush.ownership.validate(destination_conf=S3_DEST, ownership_challenge=token,
                                                   zone_id=ZONE_ID)
    assert isinstance(validation, OwnershipValidation) and validation.valid is True

    # 3. create with it
    job = client.logpush.jobs.create(
        zone_id=ZONE_ID, destination_conf=S3_DEST, ownership_challenge=token, name="example.com",
        dataset="http_requests", filter=FILTER, max_upload_records=0,
        output_options={"field_names": FIELDS, "output_type": "ndjson", "timestamp_format": "rfc3339",
                        "sample_rate": 1, "cve_2021_44228": True})
    assert isinstance(job, LogpushJob)
    assert isinstance(job.id, int) and job.id > 0
    assert (job.name, job.dataset, job.destination_conf, job.enabled, job.kind) == (
        "example.com", "http_requests", S3_DEST, False, "")
    assert sdk_filter(job) == FILTER
    assert job.output_options.field_names == FIELDS and job.output_options.output_type == "ndjson"
    assert job.output_options.timestamp_format == "rfc3339" and job.output_options.sample_rate == 1
    assert job.output_options.cve_2021_44228 is True
    assert job.frequency == (None if style == "sparse" else "high")
    assert job.max_upload_records in (None, 0)      # 0 is "unset": omitted, null or 0 by style
    assert job.last_complete is None and job.last_error is None and job.error_message is None
    assert job.logpull_options is None

    # 4. enable it (update)
    enabled = client.logpush.jobs.update(job.id, zone_id=ZONE_ID, enabled=True)
    assert isinstance(enabled, LogpushJob) and enabled.enabled is True and enabled.id == job.id
    assert enabled.output_options == job.output_options and sdk_filter(enabled) == FILTER

    # 5. get it
    got = client.logpush.jobs.get(job.id, zone_id=ZONE_ID)
    assert got == enabled

    # 6. one R2 job, no challenge
    r2 = client.logpush.jobs.create(zone_id=ZONE_ID, destination_conf=R2_DEST, name="r2-job",
                                    dataset="firewall_events", enabled=True)
    assert isinstance(r2, LogpushJob)
    assert (r2.name, r2.dataset, r2.destination_conf, r2.enabled) == ("r2-job", "firewall_events", R2_DEST, True)
    assert r2.output_options is None and sdk_filter(r2) is None and r2.id > job.id

    # 7. list
    listed = list(client.logpush.jobs.list(zone_id=ZONE_ID))
    assert all(isinstance(j, LogpushJob) for j in listed)
    assert [j.id for j in listed] == [job.id, r2.id]
    assert listed[0] == got and listed[1] == r2

    # 8. delete both
    deleted = client.logpush.jobs.delete(job.id, zone_id=ZONE_ID)
    assert isinstance(deleted, JobDeleteResponse) and deleted.id == job.id
    assert client.logpush.jobs.delete(r2.id, zone_id=ZONE_ID).id == r2.id
    assert list(client.logpush.jobs.list(zone_id=ZONE_ID)) == []

    # every answer the SDK got also validates strictly against its types
    assert [(m, s) for m, _, s, _ in answers] == [
        ("POST", 200), ("POST", 200), ("POST", 200), ("PUT", 200), ("GET", 200), ("POST", 200), ("GET", 200),
        ("DELETE", 200), ("DELETE", 200), ("GET", 200)]
    check_all_answers(answers)


def test_sdk_account_scope(sdk, live, s3):
    """An account job, answered with `time_created` as in the live recording: the SDK keeps it as an extra key."""
    client, answers = sdk
    admin(live, "POST", "/settings", json={"time_created": True})
    s3.create_bucket(Bucket="sdk-r2")
    job = client.logpush.jobs.create(account_id=ACCOUNT_ID, destination_conf=R2_DEST, dataset="audit_logs")
    assert job.dataset == "audit_logs" and job.enabled is False
    assert job.model_extra["time_created"].endswith("Z")
    assert [j.id for j in client.logpush.jobs.list(account_id=ACCOUNT_ID)] == [job.id]
    assert client.logpush.jobs.get(job.id, account_id=ACCOUNT_ID) == job
    assert client.logpush.jobs.delete(job.id, account_id=ACCOUNT_ID).id == job.id
    check_all_answers(answers)


def test_sdk_reads_job_not_found_as_not_found_error(sdk, live):
    client, answers = sdk
    with pytest.raises(cloudflare.NotFoundError) as caught:
        client.logpush.jobs.get(424242, zone_id=ZONE_ID)
    assert caught.value.status_code == 404
    assert caught.value.body["errors"][0]["code"] == 1000
    assert caught.value.body["errors"][0]["message"] == "job not found"
    for call in (lambda: client.logpush.jobs.update(424242, zone_id=ZONE_ID, enabled=True),
                 lambda: client.logpush.jobs.delete(424242, zone_id=ZONE_ID)):
        with pytest.raises(cloudflare.NotFoundError):
            call()


def test_sdk_reads_a_null_missing_job_as_none(sdk, live):
    client, answers = sdk
    admin(live, "POST", "/settings", json={"missing_job": "null"})
    assert client.logpush.jobs.get(424242, zone_id=ZONE_ID) is None


def test_sdk_error_classes_for_other_refusals(sdk, live, s3):
    client, answers = sdk
    s3.create_bucket(Bucket="sdk-bucket")
    # a wrong ownership token: 400/1002 incorrect ownership challenge
    with pytest.raises(cloudflare.BadRequestError) as caught:
        client.logpush.jobs.create(zone_id=ZONE_ID, destination_conf=S3_DEST, ownership_challenge="nope")
    assert caught.value.body["errors"][0] == {"code": 1002, "message": "incorrect ownership challenge"}
    # a zone the token does not reach: 403/10000
    with pytest.raises(cloudflare.PermissionDeniedError) as caught:
        client.logpush.jobs.list(zone_id="f" * 32)
    assert caught.value.body["errors"][0]["code"] == 10000
