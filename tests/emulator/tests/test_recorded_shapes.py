"""The emulator's answers have the shapes of the answers Cloudflare gave or wrote down.

The recorded answers are data, read by path (tests/unit/plugins/module_utils/fixtures/recorded_answers.json): the
emulator still imports nothing from the collection. Each entry says where it comes from and how sure it is
(README "Recorded answers"). For each recorded job the emulator is given an equivalent job (same scope, dataset,
destination, name, options) and its answers must carry the recorded keys, each with the same JSON type (a key
the emulator leaves out because it is empty, under omitempty, is allowed). For the strong (live) recording the
key sets must be equal. Each recorded envelope matches the emulator's envelope for the same request: the same
keys, the same types, and for errors the same HTTP status, code and message where the source has them.
"""
import json
import os
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import requests

from .helpers import ACCOUNT, ZONE

FIXTURE = os.path.join(os.path.dirname(__file__), "..", "..", "unit", "plugins", "module_utils", "fixtures",
                       "recorded_answers.json")
ENVELOPE_KEYS = {"success", "errors", "messages", "result"}
# left out of an omitempty answer when empty (emulator.jobs.OMITEMPTY)
OMITTED_WHEN_EMPTY = {"name", "filter", "logpull_options", "output_options", "max_upload_bytes",
                      "max_upload_records", "max_upload_interval_seconds"}
# keys that hold a time or an error and are null until the job pushes or fails
RUN_STATE = {"last_complete", "last_error", "error_message"}


def load():
    with open(FIXTURE) as handle:
        return json.load(handle)


ENTRIES = load()


def jtype(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def recorded_jobs():
    """(test id, entry, job) for every job object of the fixture."""
    found = []
    for index, entry in enumerate(ENTRIES):
        answer = entry["answer"]
        result = answer.get("result") if "success" in answer else answer
        for number, job in enumerate(result if isinstance(result, list) else [result]):
            if isinstance(job, dict) and "destination_conf" in job:
                found.append(("%02d.%d-%s" % (index, number, entry["sureness"]), entry, job))
    return found


JOBS = recorded_jobs()


def admin(live, method, path, **kwargs):
    r = requests.request(method, live.url + "/__emulator" + path, timeout=10, **kwargs)
    r.raise_for_status()
    return r.json()


def base_for(live, entry):
    return live.url + (ACCOUNT if entry.get("request", "").split(" ")[-1].startswith("/accounts/") else ZONE)


def known_fields(http, base, dataset):
    return list(http.get(base + "/logpush/datasets/%s/fields" % dataset).json()["result"])


def swap_unknown(names, known):
    """The field names with those the dataset does not have replaced by unused ones it has (the recorded
    examples sometimes name fields of another dataset; the shape does not depend on which fields)."""
    spare = [f for f in known if f not in names]
    return [n if n in known else spare.pop(0) for n in names]


def equivalent_body(http, live, s3, entry, job):
    """A create body for the emulator with the recorded job's own values, and its destination made ready."""
    base = base_for(live, entry)
    conf = job["destination_conf"]
    parts = urlsplit(conf)
    if parts.scheme in ("s3", "r2"):
        s3.create_bucket(Bucket=parts.netloc)
    body = {"dataset": job["dataset"], "destination_conf": conf}
    for key in ("name", "filter", "max_upload_bytes", "max_upload_records", "max_upload_interval_seconds"):
        if job.get(key) not in (None, "", 0):
            body[key] = job[key]
    for key in ("enabled", "frequency"):
        if job.get(key) is not None:
            body[key] = job[key]
    if job.get("kind") == "edge":
        body["kind"] = "edge"
    known = None
    if job.get("logpull_options"):
        known = known_fields(http, base, job["dataset"])
        params = parse_qsl(job["logpull_options"], keep_blank_values=True)
        params = [(k, ",".join(swap_unknown(v.split(","), known)) if k == "fields" else v) for k, v in params]
        body["logpull_options"] = urlencode(params, safe=",")
    if job.get("output_options") is not None:
        known = known or known_fields(http, base, job["dataset"])
        options = dict(job["output_options"])
        if options.get("field_names"):
            options["field_names"] = swap_unknown(options["field_names"], known)
        body["output_options"] = options
    if parts.scheme == "s3" and "access-key-id" not in conf:
        assert http.post(base + "/logpush/ownership", json={"destination_conf": conf}).json()["result"]["valid"]
        files = admin(live, "GET", "/ownership-files", params={"destination_conf": conf})["files"]
        body["ownership_challenge"] = files[-1]["token"]
    return base, body


def emulated(http, live, s3, entry, job):
    """The emulator's create and get answers for the equivalent job."""
    base, body = equivalent_body(http, live, s3, entry, job)
    r = http.post(base + "/logpush/jobs", json=body)
    assert r.status_code == 200, (body, r.text)
    created = r.json()["result"]
    got = http.get(base + "/logpush/jobs/%d" % created["id"]).json()["result"]
    return [created, got]


def shape_differences(recorded, answer, strict):
    """What differs in keys and types between a recorded job and the emulator's answer ([] = same shape)."""
    problems = []
    for key, value in recorded.items():
        if key not in answer:
            if key in OMITTED_WHEN_EMPTY and value in (None, "", 0, {}, []):
                continue
            problems.append("missing key %s" % key)
        elif value is not None and answer[key] is not None and jtype(value) != jtype(answer[key]):
            problems.append("%s: recorded %s, emulator %s" % (key, jtype(value), jtype(answer[key])))
        elif value is not None and answer[key] is None and key not in RUN_STATE:
            problems.append("%s: recorded %s, emulator null" % (key, jtype(value)))
    if strict:
        problems.extend("extra key %s" % key for key in sorted(set(answer) - set(recorded)))
    options, answered = recorded.get("output_options"), answer.get("output_options")
    if isinstance(options, dict) and isinstance(answered, dict):
        for key, value in options.items():
            if key not in answered:
                problems.append("missing output_options key %s" % key)
            elif jtype(value) != jtype(answered[key]):
                problems.append("output_options.%s: recorded %s, emulator %s" % (key, jtype(value), jtype(answered[key])))
    return problems


# -- jobs -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("entry,job", [(e, j) for _i, e, j in JOBS], ids=[i for i, _e, _j in JOBS])
def test_each_recorded_job_has_the_emulators_shape(http, live, s3, entry, job):
    strong = entry["sureness"] == "strong"
    if "time_created" in job:
        admin(live, "POST", "/settings", json={"time_created": True})
    for answer in emulated(http, live, s3, entry, job):
        assert shape_differences(job, answer, strict=strong) == [], (entry["source"], answer)


def test_the_live_recording_differs_from_the_default_only_by_time_created(http, live, s3):
    """Without the `time_created` setting the emulator's answer lacks exactly that key of the live recording."""
    (entry, job), = [(e, j) for _i, e, j in JOBS if e["sureness"] == "strong"][:1]
    answers = emulated(http, live, s3, entry, job)
    for answer in answers:
        assert shape_differences(job, answer, strict=True) == ["missing key time_created"]
    admin(live, "POST", "/settings", json={"time_created": True})
    got = http.get(base_for(live, entry) + "/logpush/jobs/%d" % answers[0]["id"]).json()["result"]
    assert shape_differences(job, got, strict=True) == []


def test_the_fixture_has_the_answers_the_tests_need():
    kinds = {e["sureness"] for e in ENTRIES}
    assert kinds == {"strong", "medium", "weak"}
    assert len(JOBS) >= 10
    codes = {err["code"] for e in ENTRIES if e["answer"].get("success") is False for err in e["answer"]["errors"]}
    assert {1000, 1002} <= codes


# -- envelopes ------------------------------------------------------------------------------------------

def emulator_answer(http, live, s3, entry):
    """(HTTP status, body) of the emulator for the request the recorded envelope answers."""
    method, path = entry["request"].split(" ", 1)
    base = base_for(live, entry)
    answer = entry["answer"]
    route = path.split("/logpush/", 1)[1]
    failed = answer.get("success") is False
    message = answer["errors"][0]["message"] if failed else ""
    if failed and message == "job not found":
        r = http.get(base + "/logpush/jobs/424242")
    elif failed and message == "incorrect ownership challenge":
        s3.create_bucket(Bucket="recorded")
        r = http.post(base + "/logpush/jobs", json={"destination_conf": "s3://recorded/logs?region=us-east-1",
                                                    "ownership_challenge": "not-the-token"})
    elif failed and message.startswith("error validating destination"):
        r = http.post(base + "/logpush/jobs", json={
            "destination_conf": "https://127.0.0.1:%d/__emulator/receiver/recorded" % live.port})
        assert r.status_code == 200   # the receiver accepts; now make it refuse the test upload
        admin(live, "POST", "/receiver/recorded/config", json={"status": 500})
        r = http.post(base + "/logpush/jobs", json={
            "destination_conf": "https://127.0.0.1:%d/__emulator/receiver/recorded" % live.port})
    elif route == "ownership":
        s3.create_bucket(Bucket="recorded")
        r = http.post(base + "/logpush/ownership", json={"destination_conf": "s3://recorded/logs?region=us-east-1"})
    elif route == "validate/destination/exists":
        r = http.post(base + "/logpush/validate/destination/exists", json={"destination_conf": "s3://recorded"})
    elif route == "validate/origin":
        r = http.post(base + "/logpush/validate/origin",
                      json={"logpull_options": "fields=RayID,ClientIP,EdgeStartTimestamp&timestamps=rfc3339"})
    elif method == "DELETE":
        s3.create_bucket(Bucket="recorded")
        conf = "r2://recorded/logs?account-id=a&access-key-id=k&secret-access-key=s"
        job = http.post(base + "/logpush/jobs", json={"destination_conf": conf}).json()["result"]
        r = http.delete(base + "/logpush/jobs/%d" % job["id"])
    else:
        return None
    return r.status_code, r.json()


ENVELOPES = [(i, e) for i, e in enumerate(ENTRIES) if "success" in e["answer"]]


@pytest.mark.parametrize("entry", [e for _i, e in ENVELOPES],
                         ids=["%02d-%s" % (i, e["sureness"]) for i, e in ENVELOPES])
def test_each_recorded_envelope_has_the_emulators_shape(http, live, s3, entry):
    recorded = entry["answer"]
    assert set(recorded) == ENVELOPE_KEYS, entry["source"]
    assert jtype(recorded["success"]) == "boolean"
    assert jtype(recorded["errors"]) == jtype(recorded["messages"]) == "array"
    if JOB_ROUTE(entry):
        # job answers: the envelope of the emulator's list / single-job answer
        base, body = equivalent_body(http, live, s3, entry, first_job(recorded))
        created = http.post(base + "/logpush/jobs", json=body)
        status, emulated_body = created.status_code, created.json()
        if isinstance(recorded["result"], list):
            listed = http.get(base + "/logpush/jobs")
            status, emulated_body = listed.status_code, listed.json()
    else:
        status, emulated_body = emulator_answer(http, live, s3, entry)
    assert set(emulated_body) == ENVELOPE_KEYS
    assert emulated_body["success"] is recorded["success"]
    assert jtype(emulated_body["result"]) == jtype(recorded["result"])
    if entry.get("http_status") is not None:
        assert status == entry["http_status"], emulated_body
    for mine, theirs in zip(emulated_body["errors"], recorded["errors"]):
        assert set(theirs) <= set(mine) and jtype(mine["code"]) == jtype(theirs["code"]) == "number"
        assert jtype(mine["message"]) == jtype(theirs["message"]) == "string"
        if entry["sureness"] != "weak":
            assert (mine["code"], mine["message"]) == (theirs["code"], theirs["message"])
        else:
            prefix = theirs["message"].split(": ")[0]
            assert mine["message"].startswith(prefix) and mine["code"] == 1002, mine
    assert len(emulated_body["errors"]) == len(recorded["errors"])
    if isinstance(recorded["result"], dict) and not JOB_ROUTE(entry):
        # ownership, validate, delete: every recorded key, same type (the docs' delete answer is {})
        for key, value in recorded["result"].items():
            assert jtype(emulated_body["result"].get(key)) == jtype(value), (key, emulated_body)


def JOB_ROUTE(entry):
    return isinstance(first_job(entry["answer"]), dict)


def first_job(answer):
    result = answer.get("result")
    for job in (result if isinstance(result, list) else [result]):
        if isinstance(job, dict) and "destination_conf" in job:
            return job
    return None


def test_a_recorded_ownership_result_has_the_emulators_shape(http, live):
    """The Go SDK's failed challenge result (valid false, a message) against the emulator's for a missing bucket."""
    recorded = [e["answer"] for e in ENTRIES if "success" not in e["answer"] and "filename" in e["answer"]]
    assert recorded
    got = http.post(live.url + ZONE + "/logpush/ownership",
                    json={"destination_conf": "s3://no-such-bucket/logs?region=us-east-1"}).json()["result"]
    for answer in recorded:
        assert set(answer) == set(got)
        assert all(jtype(answer[k]) == jtype(got[k]) for k in answer)
        assert got["valid"] is answer["valid"] is False and got["message"]
