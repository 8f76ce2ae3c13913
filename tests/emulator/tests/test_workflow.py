"""The seed workflow, end to end over real HTTP with `requests` and the real S3 server."""
import gzip
import json
import re

import requests

from .helpers import ZONE

DEST = "s3://logpush-bucket/cloudflare/http?region=us-east-1"
LPO = "fields=RayID,EdgeStartTimestamp&timestamps=rfc3339"


def test_seed_workflow(http, live, s3):
    s3.create_bucket(Bucket="logpush-bucket")
    base = live.url + ZONE + "/logpush"

    # 1. ownership challenge: the file really sits in the bucket
    res = http.post(base + "/ownership", json={"destination_conf": DEST}).json()["result"]
    assert res["valid"] is True
    assert re.match(r"^cloudflare/http/ownership-challenge-[0-9a-f]{16}\.txt$", res["filename"])
    token = s3.get_object(Bucket="logpush-bucket", Key=res["filename"])["Body"].read().decode()
    assert http.post(base + "/ownership/validate", json={"destination_conf": DEST, "ownership_challenge": token}).json()["result"]["valid"]

    # 2. create with logpull_options and the token
    r = http.post(base + "/jobs", json={"name": "example.com", "dataset": "http_requests", "destination_conf": DEST,
                                        "logpull_options": LPO, "ownership_challenge": token})
    assert r.status_code == 200, r.text
    job = r.json()["result"]
    assert job["enabled"] is False and job["logpull_options"] == LPO and job["destination_conf"] == DEST

    # 3. validate/origin
    assert http.post(base + "/validate/origin", json={"logpull_options": LPO}).json()["result"] == {"valid": True, "message": ""}

    # 4. get
    assert http.get(base + "/jobs/%d" % job["id"]).json()["result"] == job

    # 5. enable
    r = http.put(base + "/jobs/%d" % job["id"], json={"enabled": True})
    assert r.status_code == 200 and r.json()["result"]["enabled"] is True

    # 6. push: objects in the bucket, last_complete set
    pushed = requests.post(live.url + "/__emulator/push", timeout=10).json()["pushed"]
    assert [p["ok"] for p in pushed] == [True]
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket="logpush-bucket")["Contents"])
    batches = [k for k in keys if k.endswith(".log.gz") and k != "cloudflare/http/test.txt.gz"]
    assert len(batches) == 1 and batches[0].startswith("cloudflare/http/")
    lines = gzip.decompress(s3.get_object(Bucket="logpush-bucket", Key=batches[0])["Body"].read()).decode().splitlines()
    record = json.loads(lines[0])
    assert list(record) == ["RayID", "EdgeStartTimestamp"]
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", record["EdgeStartTimestamp"])
    got = http.get(base + "/jobs/%d" % job["id"]).json()["result"]
    assert got["last_complete"] is not None and got["error_message"] is None

    # 7. list
    assert [j["id"] for j in http.get(base + "/jobs").json()["result"]] == [job["id"]]

    # 8. delete
    assert http.delete(base + "/jobs/%d" % job["id"]).json()["result"] == {"id": job["id"]}
    assert http.get(base + "/jobs").json()["result"] == []
    assert http.get(base + "/jobs/%d" % job["id"]).status_code == 404

    log = requests.get(live.url + "/__emulator/requests", timeout=10).json()["requests"]
    assert [(e["method"], e["status"]) for e in log] == [
        ("POST", 200), ("POST", 200), ("POST", 200), ("POST", 200), ("GET", 200), ("PUT", 200), ("GET", 200),
        ("GET", 200), ("DELETE", 200), ("GET", 200), ("GET", 404)]
