"""Enabled jobs push synthetic batches in the format the job asks for."""
import csv
import gzip
import io
import json
import re
import time

import pytest
import requests

from emulator import pusher

from .helpers import ZONE, err, ok

JOBS = ZONE + "/logpush/jobs"
DD = "datadog://http-intake.logs.datadoghq.com/api/v2/logs?header_DD-API-KEY=k"


def push(client):
    return client.admin("POST", "/push")[1]["pushed"]


def objects(client, conf=DD):
    return [o for o in client.admin("GET", "/objects")[1]["objects"] if o["destination_conf"] == conf and o["key"].endswith(".log.gz")]


def make(client, **body):
    body.setdefault("destination_conf", DD)
    body.setdefault("enabled", True)
    return ok(client.post(JOBS, body))


def test_disabled_jobs_do_not_push(client):
    make(client, enabled=False)
    assert push(client) == []
    assert ok(client.get(JOBS + "/1"))["last_complete"] is None


def test_ndjson_with_selected_fields_and_rfc3339(client):
    make(client, output_options={"field_names": ["RayID", "EdgeStartTimestamp", "ClientIP"], "timestamp_format": "rfc3339"})
    report = push(client)
    assert report[0]["ok"] is True and report[0]["records"] == pusher.BASE_RECORDS
    obj = objects(client)[0]
    assert re.match(r"^api/v2/logs/\d{8}/\d{8}T\d{6}Z_\d{8}T\d{6}Z_[0-9a-f]{8}\.log\.gz$", obj["key"]), obj["key"]
    lines = obj["content"].splitlines()
    assert len(lines) == pusher.BASE_RECORDS
    rec = json.loads(lines[0])
    assert list(rec) == ["RayID", "EdgeStartTimestamp", "ClientIP"]
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", rec["EdgeStartTimestamp"])
    job = ok(client.get(JOBS + "/1"))
    assert job["last_complete"] is not None and job["last_error"] is None and job["error_message"] is None


@pytest.mark.parametrize("fmt,pattern", [
    ("unixnano", r"^\d{19}$"), ("unix", r"^\d{10}$"), ("rfc3339ms", r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"),
    ("rfc3339ns", r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$"),
])
def test_timestamp_formats(client, fmt, pattern):
    make(client, output_options={"field_names": ["EdgeStartTimestamp"], "timestamp_format": fmt})
    push(client)
    value = json.loads(objects(client)[0]["content"].splitlines()[0])["EdgeStartTimestamp"]
    assert re.match(pattern, str(value)), value


def test_csv_with_custom_delimiters_and_batch_wrapping(client):
    make(client, output_options={"field_names": ["RayID", "EdgeResponseStatus"], "output_type": "csv", "field_delimiter": "|",
                                 "record_suffix": ";\n", "batch_prefix": "RayID|EdgeResponseStatus\n", "batch_suffix": "END\n"})
    push(client)
    text = objects(client)[0]["content"]
    assert text.startswith("RayID|EdgeResponseStatus\n") and text.endswith("END\n")
    rows = text.splitlines()[1:-1]
    assert len(rows) == pusher.BASE_RECORDS
    assert all(re.match(r"^[0-9a-f]{16}\|\d+;$", row) for row in rows), rows


def test_csv_quoting():
    cfg = dict(pusher.DEFAULTS["csv"], output_type="csv", record_template="", cve=False)
    text = pusher.render([[("A", 'x,"y"'), ("B", True)]], cfg)
    assert list(csv.reader(io.StringIO(text))) == [['x,"y"', "true"]]


def test_record_template_and_delimiter(client):
    make(client, output_options={"field_names": ["RayID", "ClientIP"], "record_template": "{{.ClientIP}} {{ .RayID }}",
                                 "record_prefix": "<", "record_suffix": ">", "record_delimiter": "\n"})
    push(client)
    lines = objects(client)[0]["content"].split("\n")
    assert all(re.match(r'^<"192\.0\.2\.\d+" "[0-9a-f]{16}">$', line) for line in lines), lines


def test_sample_rate_and_cve_replacement(client):
    make(client, output_options={"field_names": ["ClientRequestUserAgent"], "sample_rate": 0.3, "CVE-2021-44228": True})
    make(client, output_options={"field_names": ["ClientRequestUserAgent"]})
    report = push(client)
    assert [r["records"] for r in report] == [3, pusher.BASE_RECORDS]
    first, second = objects(client)
    assert "${" not in first["content"] and "x{jndi" in first["content"]
    assert "${jndi" in second["content"] and "x{" not in second["content"]


def test_logpull_options_select_fields_and_format(client):
    make(client, logpull_options="fields=RayID,EdgeStartTimestamp&timestamps=unix&sample=0.5")
    report = push(client)
    assert report[0]["records"] == 5
    rec = json.loads(objects(client)[0]["content"].splitlines()[0])
    assert list(rec) == ["RayID", "EdgeStartTimestamp"] and isinstance(rec["EdgeStartTimestamp"], int)


def test_push_to_s3_replaces_date(client, s3):
    s3.create_bucket(Bucket="logs")
    make(client, destination_conf="s3://logs/a/{DATE}/b?region=us-east-1&access-key-id=K&secret-access-key=S",
         output_options={"field_names": ["RayID"]})
    report = push(client)
    key = report[0]["location"].split("s3://logs/", 1)[1]
    assert re.match(r"^a/\d{8}/b/\d{8}T\d{6}Z_\d{8}T\d{6}Z_[0-9a-f]{8}\.log\.gz$", key), key
    data = gzip.decompress(s3.get_object(Bucket="logs", Key=key)["Body"].read()).decode()
    assert len(data.splitlines()) == pusher.BASE_RECORDS


def test_failed_push_sets_last_error(client, s3):
    s3.create_bucket(Bucket="logs")
    make(client, destination_conf="s3://logs/a?region=us-east-1&access-key-id=K&secret-access-key=S")
    push(client)
    done = ok(client.get(JOBS + "/1"))["last_complete"]
    s3.delete_object(Bucket="logs", Key="a/test.txt.gz")
    for obj in s3.list_objects_v2(Bucket="logs").get("Contents", []):
        s3.delete_object(Bucket="logs", Key=obj["Key"])
    s3.delete_bucket(Bucket="logs")
    client.admin("POST", "/clock", {"advance": 10})
    report = push(client)
    assert report[0]["ok"] is False and "NoSuchBucket" in report[0]["error"]
    job = ok(client.get(JOBS + "/1"))
    assert job["last_complete"] == done and job["last_error"] is not None
    assert job["error_message"].startswith("error writing object: NoSuchBucket")
    s3.create_bucket(Bucket="logs")
    client.admin("POST", "/clock", {"advance": 10})
    push(client)
    job = ok(client.get(JOBS + "/1"))
    assert job["last_error"] is None and job["error_message"] is None and job["last_complete"] > done


def test_push_to_https_receiver(http, live):
    conf = "https://127.0.0.1:%d/__emulator/receiver/push?header_X-Key=k" % live.port
    r = http.post(live.url + JOBS, json={"destination_conf": conf, "enabled": True,
                                          "output_options": {"field_names": ["RayID"], "output_type": "csv"}})
    assert r.status_code == 200, r.text
    report = requests.post(live.url + "/__emulator/push").json()["pushed"]
    assert report[0]["ok"] is True
    got = requests.get(live.url + "/__emulator/receiver/push").json()["requests"]
    assert len(got) == 2 and got[1]["headers"]["X-Key"] == "k"
    assert all(re.match(r"^[0-9a-f]{16}$", line) for line in got[1]["body"].splitlines())
    requests.post(live.url + "/__emulator/receiver/push/config", json={"status": 503})
    report = requests.post(live.url + "/__emulator/push").json()["pushed"]
    assert report[0]["ok"] is False
    job = http.get(live.url + JOBS + "/1").json()["result"]
    assert job["error_message"] == "error writing object: error uploading: HTTP 503"


def test_scheduled_push_follows_the_emulator_clock(http, live):
    requests.post(live.url + "/__emulator/settings", json={"push_interval": 3600}).raise_for_status()
    conf = "datadog://http-intake.logs.datadoghq.com/api/v2/logs?header_DD-API-KEY=k"
    http.post(live.url + JOBS, json={"destination_conf": conf, "enabled": True}).raise_for_status()
    time.sleep(0.3)  # the scheduler (0.1 s tick) arms its first deadline
    assert http.get(live.url + JOBS + "/1").json()["result"]["last_complete"] is None
    requests.post(live.url + "/__emulator/clock", json={"advance": 3601}).raise_for_status()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        if http.get(live.url + JOBS + "/1").json()["result"]["last_complete"]:
            break
        time.sleep(0.05)
    assert http.get(live.url + JOBS + "/1").json()["result"]["last_complete"] is not None


def test_enable_via_put_then_push(client):
    make(client, enabled=False)
    err(client.put(JOBS + "/1", {"enabled": "true"}), 400, 1002)
    ok(client.put(JOBS + "/1", {"enabled": True}))
    assert push(client)[0]["ok"] is True


def test_dataset_without_field_list_still_pushes(client):
    ok(client.post(ZONE + "/logpush/jobs", {"destination_conf": DD, "dataset": "zaraz_events", "enabled": True}))
    report = push(client)
    assert report[0]["ok"] is True
    assert list(json.loads(objects(client)[0]["content"].splitlines()[0])) == ["Timestamp"]


def test_a_job_failing_for_24_hours_is_disabled(http, live):
    def admin(path, body=None):
        r = requests.post(live.url + "/__emulator" + path, json=body, timeout=10)
        assert r.status_code == 200, r.text
        return r.json()

    def job(job_id=1):
        r = http.get(live.url + JOBS + "/%d" % job_id)
        assert r.status_code == 200, r.text
        return r.json()["result"]

    for _ in range(2):
        assert http.post(live.url + JOBS, json={"destination_conf": DD, "enabled": True}).status_code == 200
    assert [p["ok"] for p in admin("/push")["pushed"]] == [True, True]
    admin("/settings", {"unreachable_destinations": ["datadoghq"]})
    admin("/clock", {"advance": 60})
    first = admin("/push")["pushed"][0]
    assert first["ok"] is False and "disabled" not in first
    failed_at = job()["last_error"]
    admin("/clock", {"advance": 24 * 3600 - 1})
    assert "disabled" not in admin("/push")["pushed"][0]
    assert job()["enabled"] is True
    admin("/clock", {"advance": 1})
    report = admin("/push")["pushed"]
    assert [(p["job_id"], p.get("disabled")) for p in report] == [(1, True), (2, True)]
    for job_id in (1, 2):
        disabled = job(job_id)
        assert disabled["enabled"] is False
        assert disabled["error_message"] == "error writing object: DNSError"
        assert disabled["last_error"] is not None and disabled["last_error"] > failed_at
        assert disabled["last_complete"] is not None
    # disabled jobs are not pushed any more
    admin("/clock", {"advance": 60})
    assert admin("/push")["pushed"] == []
    # re-enabling needs a reachable destination (PUT writes a test object) and gives a fresh 24 hours
    admin("/settings", {"unreachable_destinations": []})
    assert http.put(live.url + JOBS + "/1", json={"enabled": True}).json()["result"]["enabled"] is True
    admin("/settings", {"unreachable_destinations": ["datadoghq"]})
    admin("/clock", {"advance": 60})
    assert [(p["job_id"], p["ok"], p.get("disabled")) for p in admin("/push")["pushed"]] == [(1, False, None)]
    assert job()["enabled"] is True
    admin("/clock", {"advance": 24 * 3600})
    assert admin("/push")["pushed"][0]["disabled"] is True


def test_a_good_push_ends_the_failing_streak(client):
    make(client)
    client.admin("POST", "/settings", {"unreachable_destinations": ["datadoghq"]})
    push(client)
    client.admin("POST", "/clock", {"advance": 20 * 3600})
    push(client)
    client.admin("POST", "/settings", {"unreachable_destinations": []})
    assert push(client)[0]["ok"] is True
    client.admin("POST", "/settings", {"unreachable_destinations": ["datadoghq"]})
    client.admin("POST", "/clock", {"advance": 20 * 3600})
    assert "disabled" not in push(client)[0]  # 40 hours of failures in all, but not 24 in a row
    assert ok(client.get(JOBS + "/1"))["enabled"] is True
    client.admin("POST", "/clock", {"advance": 4 * 3600})
    assert "disabled" not in push(client)[0]  # the streak started at the first failure after the good push
    client.admin("POST", "/clock", {"advance": 20 * 3600})
    assert push(client)[0]["disabled"] is True
    assert ok(client.get(JOBS + "/1"))["enabled"] is False
