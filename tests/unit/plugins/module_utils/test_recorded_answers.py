# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The normaliser reads the answers Cloudflare gave (or wrote down), as collected in fixtures/recorded_answers.json.

For every recorded job: public_job and job_health read it; a task that states the job's own values finds no
change; public_job masks the credentials of its destination_conf. The file lists each answer's source and how
sure it is (tests/emulator/README.md, "Recorded answers")."""

from __future__ import annotations

import json
import os
import re

import pytest

from ansible_collections.cloudflare_community.logpush.plugins.module_utils._job import OUTPUT_OPTION_KEYS, job_health, public_job
from ansible_collections.cloudflare_community.logpush.plugins.module_utils._job_input import desired_from_params
from ansible_collections.cloudflare_community.logpush.plugins.module_utils._job_plan import changed_keys

FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "recorded_answers.json")
# module sub-option name <- API key
SUB_OPTION = dict((api, sub) for sub, api in OUTPUT_OPTION_KEYS.items())
# what a task can state, taken from the job as Cloudflare answered it
TASK_KEYS = ("name", "dataset", "kind", "destination_conf", "enabled", "filter", "logpull_options", "max_upload_bytes",
             "max_upload_records", "max_upload_interval_seconds", "frequency")
SECRET_PARAMS = re.compile(r"(?i)(?:^|[?&])(access-key-id|secret-access-key|header_[^=]*)=([^&]+)")


def _entries():
    with open(FIXTURE) as handle:
        return json.load(handle)


def _jobs():
    """(id, job) for every job object in the recorded answers."""
    found = []
    for index, entry in enumerate(_entries()):
        answer = entry["answer"]
        if "success" in answer:
            result = answer.get("result")
            results = result if isinstance(result, list) else [result]
        else:
            results = [answer]
        for number, job in enumerate(results):
            if isinstance(job, dict) and "destination_conf" in job:
                found.append(("%d.%d-%s" % (index, number, entry["sureness"]), job))
    return found


JOBS = _jobs()


def params_from(job):
    """The module parameters of a task that states the recorded job's own values."""
    params = dict((key, job.get(key)) for key in TASK_KEYS)
    if job.get("filter"):
        params["filter"] = json.loads(job["filter"])
    if job.get("output_options") is not None:
        params["output_options"] = dict((SUB_OPTION[key], value) for key, value in job["output_options"].items())
    return params


def test_the_fixture_is_well_formed():
    entries = _entries()
    assert len(entries) >= 10
    for entry in entries:
        assert set(entry) <= {"source", "sureness", "what", "request", "http_status", "answer"}, entry
        assert entry["source"] and entry["what"] and isinstance(entry["answer"], dict)
        assert entry["sureness"] in ("strong", "medium", "weak")
    assert len(JOBS) >= 10
    assert any(entry["sureness"] == "strong" for entry in entries)


@pytest.mark.parametrize("job", [j for _i, j in JOBS], ids=[i for i, _j in JOBS])
def test_public_job_and_health_read_every_recorded_job(job):
    shown = public_job(job)
    assert shown["id"] == job["id"] and shown["dataset"] == job["dataset"]
    assert shown["kind"] == (job.get("kind") or "") and shown["enabled"] is job["enabled"]
    assert shown["health"] == job_health(job)
    assert shown["health"] in ("ok", "failing", "pending", "disabled")
    if job.get("filter"):
        assert shown["filter_parsed"] == json.loads(job["filter"])


@pytest.mark.parametrize("job", [j for _i, j in JOBS], ids=[i for i, _j in JOBS])
def test_a_task_stating_the_recorded_values_finds_no_change(job):
    desired = desired_from_params(params_from(job))
    assert changed_keys(job, desired) == []


@pytest.mark.parametrize("job", [j for _i, j in JOBS if SECRET_PARAMS.search(j["destination_conf"])],
                         ids=[i for i, j in JOBS if SECRET_PARAMS.search(j["destination_conf"])])
def test_public_job_masks_the_recorded_credentials(job):
    conf = job["destination_conf"]
    secrets = [value for _name, value in SECRET_PARAMS.findall(conf)]
    shown = public_job(job)["destination_conf"]
    for secret in secrets:
        assert secret not in shown
    # the rest stays readable: scheme, bucket and path, the account id
    assert shown.split("?")[0] == conf.split("?")[0]
    assert shown.count("REDACTED") == len(secrets)


def test_recorded_health():
    """The recorded timestamps parse: a job that failed in the same second it last pushed is failing."""
    by_source = dict((i, j) for i, j in JOBS)
    healths = sorted(set(job_health(j) for j in by_source.values()))
    assert "failing" in healths and "disabled" in healths and "pending" in healths
