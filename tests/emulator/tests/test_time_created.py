"""The `time_created` setting: each job answered with its creation time, as the one live recording of Cloudflare's
job list shows (README "Recorded answers"). Off by default. Over a real socket."""
import re

import requests

from .helpers import ZONE, ok

JOBS = ZONE + "/logpush/jobs"
DD = "datadog://http-intake.logs.datadoghq.com/api/v2/logs?header_DD-API-KEY=k"
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def settings(live, body=None):
    if body is None:
        return requests.get(live.url + "/__emulator/settings", timeout=10).json()
    return requests.post(live.url + "/__emulator/settings", json=body, timeout=10)


def call(http, live, method, path, body=None):
    r = http.request(method, live.url + path, json=body)
    return r.status_code, r.json()


def every_answer(http, live, job_id):
    return [ok(call(http, live, "GET", JOBS + "/%d" % job_id)), *ok(call(http, live, "GET", JOBS)),
            ok(call(http, live, "PUT", JOBS + "/%d" % job_id, {"enabled": True}))]


def test_off_by_default(http, live):
    assert settings(live)["time_created"] is False
    job = ok(call(http, live, "POST", JOBS, {"destination_conf": DD}))
    assert all("time_created" not in answer for answer in [job] + every_answer(http, live, job["id"]))


def test_on_every_job_answer_is_the_creation_time_on_the_emulator_clock(http, live):
    job = ok(call(http, live, "POST", JOBS, {"destination_conf": DD}))   # created while the setting is off
    assert settings(live, {"time_created": True}).status_code == 200
    created = ok(call(http, live, "POST", JOBS, {"destination_conf": DD, "name": "second"}))
    assert RFC3339.match(created["time_created"])
    clock = requests.get(live.url + "/__emulator/clock", timeout=10).json()
    assert created["time_created"] <= clock["iso"]
    first = every_answer(http, live, job["id"])
    assert all(RFC3339.match(answer["time_created"]) for answer in first)
    # it does not move: not on a later read, an update or when the clock advances
    requests.post(live.url + "/__emulator/clock", json={"advance": 86400}, timeout=10).raise_for_status()
    later = ok(call(http, live, "PUT", JOBS + "/%d" % created["id"], {"enabled": True}))
    assert later["time_created"] == created["time_created"]
    # it cannot be written (an unknown body key: refused like any other)
    status, _body = call(http, live, "PUT", JOBS + "/%d" % created["id"], {"time_created": "2020-01-01T00:00:00Z"})
    assert status == 400
    assert ok(call(http, live, "GET", JOBS + "/%d" % created["id"]))["time_created"] == created["time_created"]


def test_boolean_only_and_reset(live):
    r = settings(live, {"time_created": "yes"})
    assert r.status_code == 400 and "time_created" in r.text
    assert settings(live, {"time_created": True}).status_code == 200
    requests.post(live.url + "/__emulator/reset", json={}, timeout=10).raise_for_status()
    assert settings(live)["time_created"] is False
