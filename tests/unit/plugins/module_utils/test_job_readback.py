# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A job reads back the same under every shape of Cloudflare's answers, older jobs keep what they push, and a
job without a dataset is an http_requests job (issue 21)."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ansible_collections.cloudflare_community.logpush.plugins.module_utils._errors import JobInputError
from ansible_collections.cloudflare_community.logpush.plugins.module_utils._job import job_as_options, logpull_as_output_options, public_job
from ansible_collections.cloudflare_community.logpush.plugins.module_utils._job_input import desired_from_params, select_job, task_desired
from ansible_collections.cloudflare_community.logpush.plugins.module_utils._job_plan import (
    changed_keys, create_body, immutable_changes, plan_job, predict, recreated_job, same_destination, update_body,
)

S3 = "s3://bucket/logs?region=us-east-1"
R2 = "r2://logs/{DATE}?account-id=acc&access-key-id=keyid123&secret-access-key=secret456"
HTTPS = "https://logs.example.com/ingest?header_Authorization=Bearer%20tok789"
DATADOG = "datadog://http-intake.logs.datadoghq.com/api/v2/logs?header_DD-API-KEY=ddkey42&ddsource=cloudflare"
LEGACY = "fields=RayID,ClientIP,EdgeStartTimestamp&timestamps=rfc3339&CVE-2021-44228=true&sample=0.5"


# -- the emulator's answer styles, as its jobs.serialise plays them (tests/emulator/jobs.py) ---------------
# The unit tests cannot import the emulator (it is not part of the collection); these are its transforms.

_OMITEMPTY = ("name", "filter", "logpull_options", "output_options", "max_upload_bytes", "max_upload_records",
              "max_upload_interval_seconds")
_SECRET_PARAMS = re.compile(r"(?i)^(secret-access-key|access-key-id|header_.*|sig|api-key|ibm_api_key|credentials)$")
STYLES = ("omitempty", "null", "sparse")


def stored(body, job_id=7):
    """The job as the emulator stores a create body (jobs.new_job): empty values as null, frequency high."""
    job = {"id": job_id, "dataset": "http_requests", "enabled": False, "kind": "", "frequency": "high",
           "name": None, "filter": None, "logpull_options": None, "output_options": None, "max_upload_bytes": None,
           "max_upload_records": None, "max_upload_interval_seconds": None, "filter_attack_traffic": False,
           "last_complete": None, "last_error": None, "error_message": None}
    for key, value in body.items():
        if key == "ownership_challenge":
            continue
        if key == "output_options" and isinstance(value, dict):
            value = dict((k, v) for k, v in value.items() if v is not None)
        job[key] = None if value in ("", 0) and not isinstance(value, bool) else value
    job["frequency"] = job["frequency"] or "high"
    job["kind"] = job["kind"] or ""
    return job


def masked(conf):
    base, sep, query = conf.partition("?")
    if not sep:
        return conf
    pairs = []
    for pair in query.split("&"):
        name, eq, value = pair.partition("=")
        pairs.append("%s%s%s" % (name, eq, "REDACTED" if eq and _SECRET_PARAMS.match(name) else value))
    return base + "?" + "&".join(pairs)


def answered(job, style, redact=False):
    """jobs.serialise: omitempty leaves empty keys out, null sends them as null, sparse also leaves out
    frequency when it is high and the false / "" / 0 values inside output_options; redact masks the
    destination's secrets."""
    keys = ("id", "dataset", "enabled", "kind", "frequency", "last_complete", "last_error", "error_message")
    out = dict((k, job[k]) for k in keys)
    out["destination_conf"] = masked(job["destination_conf"]) if redact else job["destination_conf"]
    if style == "sparse" and out["frequency"] == "high":
        del out["frequency"]
    for key in _OMITEMPTY:
        value = job[key]
        if value not in (None, "", 0):
            out[key] = dict(value) if isinstance(value, dict) else value
        elif style == "null":
            out[key] = None
    if style == "sparse" and "output_options" in out:
        out["output_options"] = dict((k, v) for k, v in out["output_options"].items()
                                     if not (v == "" or (isinstance(v, (bool, int, float)) and v == 0)))
    if job.get("filter_attack_traffic"):
        out["filter_attack_traffic"] = True
    return out


# -- generated tasks: any job the modules can create on a zone --------------------------------------------

_names = st.one_of(st.none(), st.just(""), st.from_regex(r"\A[a-zA-Z0-9.\-]{1,20}\Z"))
_filters = st.sampled_from([None, "", {}, {"where": {"key": "ClientCountry", "operator": "eq", "value": "ca"}},
                            '{ "where": {"and": [{"key": "EdgeResponseStatus", "operator": "geq", "value": 500}]} }'])
_framing = st.one_of(st.none(), st.just(""), st.sampled_from(["{", "}\n", "[", "]", ",", "\t", "x"]))
_output = st.fixed_dictionaries({}, optional={
    "field_names": st.one_of(st.just([]), st.lists(st.sampled_from(["RayID", "ClientIP", "EdgeStartTimestamp"]),
                                                   min_size=1, max_size=3, unique=True)),
    "output_type": st.sampled_from(["ndjson", "csv"]),
    "batch_prefix": _framing, "batch_suffix": _framing, "record_prefix": _framing, "record_suffix": _framing,
    "record_template": _framing, "record_delimiter": _framing, "field_delimiter": _framing,
    "timestamp_format": st.sampled_from(["unixnano", "unix", "rfc3339", "rfc3339ms", "rfc3339ns"]),
    "sample_rate": st.sampled_from([0.01, 0.5, 1, 1.0]),
    "cve_2021_44228": st.booleans(),
    "merge_subrequests": st.booleans(),
})


def _upload(key, low, high):
    return st.one_of(st.none(), st.just(0), st.integers(low, high))


@st.composite
def creatable_tasks(draw):
    task = {
        "name": draw(_names),
        "destination_conf": draw(st.sampled_from([S3, R2, HTTPS, DATADOG])),
        "enabled": draw(st.one_of(st.none(), st.booleans())),
        "frequency": draw(st.sampled_from([None, "high", "low"])),
        "kind": draw(st.sampled_from([None, "", "edge"])),
        "dataset": draw(st.sampled_from([None, "http_requests"])),
        "filter": draw(_filters),
        "filter_attack_traffic": draw(st.one_of(st.none(), st.booleans())),
        "max_upload_bytes": draw(_upload("max_upload_bytes", 5000000, 1000000000)),
        "max_upload_records": draw(_upload("max_upload_records", 1000, 1000000)),
        "max_upload_interval_seconds": draw(_upload("max_upload_interval_seconds", 30, 300)),
    }
    if draw(st.booleans()):
        task["output_options"] = draw(_output)
    elif not task["destination_conf"].startswith("https") and draw(st.booleans()):
        task["logpull_options"] = draw(st.sampled_from(["", LEGACY, "fields=RayID&timestamps=unix"]))
    return task


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(task=creatable_tasks(), style=st.sampled_from(STYLES), redact=st.booleans())
def test_any_created_job_read_back_in_any_answer_style_shows_no_change(task, style, redact):
    desired = task_desired(task, is_account=False)
    job = answered(stored(create_body(desired)), style, redact)
    assert changed_keys(job, desired) == []
    assert immutable_changes(job, desired) == []
    plan = plan_job(task, job, desired, is_account=False)
    assert plan.action == "unchanged"
    if task.get("name"):
        assert select_job([job], task["name"], task.get("dataset")) is job
    # what logpush_job_info exports for the job is a task that changes nothing either (secrets aside)
    exported = dict(job_as_options(job), destination_conf=task["destination_conf"])
    assert changed_keys(job, task_desired(exported, is_account=False)) == []
    # check mode's prediction of the create reads as the job read back
    predicted = public_job(predict(None, create_body(desired)))
    for key in ("frequency", "kind", "enabled", "dataset"):
        assert predicted[key] == public_job(job)[key]


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("task", [
    {"frequency": "high"},
    {"output_options": {"record_prefix": ""}},
    {"output_options": {"record_delimiter": "", "cve_2021_44228": False, "merge_subrequests": False}},
    {"output_options": {"field_names": []}},
])
def test_a_default_or_empty_value_against_an_answer_without_it_is_no_change(task, style):
    """Failed before issue 21: frequency high against an answer without frequency, and record_prefix "" against
    an answer without it, were a change (and a PUT) on every run."""
    params = dict(task, destination_conf=S3, name="example.com")
    desired = task_desired(params, is_account=False)
    job = answered(stored(create_body(desired)), style)
    assert changed_keys(job, desired) == []


def test_a_real_change_of_framing_is_still_seen():
    job = answered(stored({"destination_conf": S3, "output_options": {"record_prefix": "{"}}), "omitempty")
    assert changed_keys(job, {"output_options": {"record_prefix": ""}}) == ["output_options"]
    assert changed_keys(job, {"frequency": "low"}) == ["frequency"]


# -- point 1: a job made with logpull_options ---------------------------------------------------------------

def test_logpull_options_as_output_options_follows_cloudflares_mapping():
    assert logpull_as_output_options(LEGACY) == {
        "field_names": ["RayID", "ClientIP", "EdgeStartTimestamp"], "timestamp_format": "rfc3339",
        "CVE-2021-44228": True, "sample_rate": 0.5}
    assert logpull_as_output_options("https://api.cloudflare.com/zones/z/logs/received?fields=A%2CB") == {
        "field_names": ["A", "B"]}
    with pytest.raises(JobInputError, match="'count'.*no output_options equivalent"):
        logpull_as_output_options("fields=A&count=5")


@pytest.mark.parametrize("style", STYLES)
def test_one_output_option_on_an_older_job_carries_its_logpull_options_over(style):
    """Failed before issue 21: only sample_rate was sent, and the job started pushing every field."""
    job = answered(stored({"destination_conf": S3, "name": "old", "logpull_options": LEGACY}), style)
    desired = task_desired({"name": "old", "output_options": {"sample_rate": 0.1}}, is_account=False)
    assert changed_keys(job, desired) == ["output_options"]
    plan = plan_job({"name": "old"}, job, desired, is_account=False)
    assert plan.body == {"output_options": {"field_names": ["RayID", "ClientIP", "EdgeStartTimestamp"],
                                            "timestamp_format": "rfc3339", "CVE-2021-44228": True,
                                            "sample_rate": 0.1}}
    # visible in what the diff shows after the change
    assert public_job(plan.predicted)["output_options"]["field_names"] == ["RayID", "ClientIP", "EdgeStartTimestamp"]
    # and the job read back after the write changes nothing
    after = answered(stored(dict({"destination_conf": S3, "name": "old", "logpull_options": LEGACY}, **plan.body)),
                     style)
    assert changed_keys(after, desired) == []


@pytest.mark.parametrize("style", STYLES)
def test_output_options_that_match_an_older_jobs_logpull_options_are_no_change(style):
    job = answered(stored({"destination_conf": S3, "logpull_options": LEGACY}), style)
    desired = task_desired({"output_options": {"field_names": ["RayID", "ClientIP", "EdgeStartTimestamp"],
                                               "timestamp_format": "rfc3339", "sample_rate": 0.5,
                                               "cve_2021_44228": True}}, is_account=False)
    assert changed_keys(job, desired) == []


@pytest.mark.parametrize("style", STYLES)
def test_logpull_options_given_to_a_job_with_output_options_are_converted_not_ignored(style):
    """Failed before issue 21: logpull_options alone were written, and Cloudflare ignores them on this job."""
    current = stored({"destination_conf": S3, "output_options": {"field_names": ["RayID"], "output_type": "csv"}})
    job = answered(current, style)
    desired = task_desired({"logpull_options": "fields=RayID,ClientIP&timestamps=unix"}, is_account=False)
    assert changed_keys(job, desired) == ["logpull_options", "output_options"]
    body = update_body(job, desired, changed_keys(job, desired))
    assert body["output_options"] == {"field_names": ["RayID", "ClientIP"], "output_type": "csv",
                                      "timestamp_format": "unix"}
    assert changed_keys(answered(stored(dict(current, **body)), style), desired) == []


def test_logpull_options_with_a_parameter_output_options_lack_are_refused_on_such_a_job():
    job = stored({"destination_conf": S3, "output_options": {"field_names": ["RayID"]}})
    with pytest.raises(JobInputError, match="logpull_options has the parameter 'count'"):
        changed_keys(job, {"logpull_options": "fields=RayID&count=10"})


def test_a_task_with_both_option_styles_is_still_refused():
    with pytest.raises(JobInputError, match="cannot be used together"):
        task_desired({"logpull_options": "fields=RayID", "output_options": {"sample_rate": 0.5}}, is_account=False)


def test_job_options_export_only_the_options_in_force():
    both = stored({"destination_conf": S3, "logpull_options": LEGACY, "output_options": {"field_names": ["RayID"]}})
    assert "logpull_options" not in job_as_options(both)
    assert job_as_options(both)["output_options"] == {"field_names": ["RayID"]}
    legacy = stored({"destination_conf": S3, "logpull_options": LEGACY})
    assert job_as_options(legacy)["logpull_options"] == LEGACY
    assert "output_options" not in job_as_options(legacy)
    # pasted back as they are, each is accepted and changes nothing
    for job in (both, legacy):
        exported = dict(job_as_options(job), destination_conf=S3)
        assert changed_keys(job, task_desired(exported, is_account=False)) == []


# -- point 4: a job whose dataset comes back empty ----------------------------------------------------------

@pytest.mark.parametrize("empty", [None, ""])
def test_a_job_without_a_dataset_is_an_http_requests_job(empty):
    """Failed before issue 21: a named task planned a second job, and an id task said the dataset cannot change."""
    job = dict(stored({"destination_conf": S3, "name": "example.com"}), dataset=empty)
    if empty is None:
        del job["dataset"]
    assert select_job([job], "example.com", "http_requests") is job
    assert immutable_changes(job, {"dataset": "http_requests"}) == []
    assert immutable_changes(job, {"dataset": "firewall_events"}) == ["dataset"]
    assert public_job(job)["dataset"] == "http_requests"
    assert job_as_options(job)["dataset"] == "http_requests"
    task = {"name": "example.com", "dataset": "http_requests", "destination_conf": S3}
    assert plan_job(task, job, task_desired(task, False), False).action == "unchanged"
    assert plan_job({"id": 7, "dataset": "http_requests", "state": "absent"}, job, {}, False).action == "delete"
    # merge_subrequests is an http_requests option: allowed on it
    task = {"name": "example.com", "output_options": {"merge_subrequests": True}}
    assert plan_job(task, job, task_desired(task, False), False).action == "update"
    # a recreate (kind edge) keeps the dataset, by name
    assert recreated_job(job, {"kind": "edge"})["dataset"] == "http_requests"


def test_a_job_without_a_dataset_against_a_task_of_another_dataset_is_another_job():
    job = {"id": 1, "name": "example.com", "destination_conf": S3, "dataset": None}
    assert select_job([job], "example.com", "firewall_events") is None


def test_a_filter_given_as_json_text_reads_back_the_same():
    text = json.dumps({"where": {"key": "ClientCountry", "operator": "eq", "value": "ca"}}, indent=2)
    desired = task_desired({"filter": text, "destination_conf": S3}, False)
    assert changed_keys(answered(stored(create_body(desired)), "sparse"), desired) == []


# -- point 5: an answer that masks the destination's secrets ------------------------------------------------

@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("conf", [R2, HTTPS, DATADOG])
def test_masked_secrets_are_no_change_unless_the_task_writes_them(style, conf):
    """Failed before issue 21: a destination answered with its secrets masked was a change (a PUT) on every run."""
    job = answered(stored({"destination_conf": conf, "name": "x"}), style, redact=True)
    assert "REDACTED" in job["destination_conf"]
    task = {"name": "x", "destination_conf": conf}
    desired = task_desired(task, False)
    assert changed_keys(job, desired) == []
    assert plan_job(task, job, desired, False).action == "unchanged"
    # the task asks to write its secrets: a change, and the body carries the task's value
    task["update_secrets"] = "always"
    plan = plan_job(task, job, desired, False)
    assert plan.action == "update" and plan.body == {"destination_conf": conf}
    # the parts that are shown are still compared
    other = conf.replace("logs", "other-logs", 1) if "logs" in conf else conf + "&more=1"
    assert changed_keys(job, task_desired({"destination_conf": other}, False)) == ["destination_conf"]


def test_a_secret_shown_in_clear_is_always_compared():
    job = stored({"destination_conf": R2})
    rotated = R2.replace("secret456", "secret789")
    assert changed_keys(job, {"destination_conf": rotated}) == ["destination_conf"]
    assert changed_keys(job, {"destination_conf": rotated}, "on_create") == ["destination_conf"]


@pytest.mark.parametrize("current, wanted, same", [
    ("r2://b/p?access-key-id=REDACTED&secret-access-key=REDACTED", "r2://b/p?access-key-id=a&secret-access-key=b", True),
    ("r2://b/p?access-key-id=****&secret-access-key=*", "r2://b/p?access-key-id=a&secret-access-key=b", True),
    ("r2://b/p?access-key-id=REDACTED", "r2://b/q?access-key-id=a", False),
    ("r2://b/p?access-key-id=REDACTED", "r2://b/p?secret-access-key=a", False),
    ("r2://b/p?access-key-id=REDACTED", "r2://b/p?access-key-id=a&more=1", False),
    ("r2://b/p?region=REDACTEDX", "r2://b/p?region=a", False),
    (None, "r2://b/p", False),
])
def test_same_destination(current, wanted, same):
    assert same_destination(current, wanted) is same
    assert same_destination(current, wanted, "always") is (current == wanted)


def test_a_task_that_still_holds_a_redacted_placeholder_is_refused():
    with pytest.raises(JobInputError, match="secret-access-key still holds a masked value"):
        task_desired({"destination_conf": R2.replace("secret456", "REDACTED")}, False)


# -- point 3: what Cloudflare's destination pages document ---------------------------------------------------

IBM = "ibmcl://inst.ingress.eu-de.logs.cloud.ibm.com/logs/v1/singles?ibm_api_key=ibmkey1"


def test_ibm_cloud_logs_takes_the_max_upload_bytes_its_page_documents():
    """Failed before issue 21: 2000000, the value of Cloudflare's IBM Cloud Logs page, was refused."""
    assert task_desired({"destination_conf": IBM, "max_upload_bytes": 2000000}, False)["max_upload_bytes"] == 2000000
    with pytest.raises(JobInputError, match="between 5000000 and 1000000000, got 2000000"):
        task_desired({"destination_conf": S3, "max_upload_bytes": 2000000}, False)
    # an update that does not give the destination is checked against the job's own
    task = {"name": "x", "max_upload_bytes": 2000000}
    ibm_job, s3_job = stored({"destination_conf": IBM, "name": "x"}), stored({"destination_conf": S3, "name": "x"})
    assert plan_job(task, ibm_job, task_desired(task, False), False).body == {"max_upload_bytes": 2000000}
    with pytest.raises(JobInputError, match="max_upload_bytes must be 0"):
        plan_job(task, s3_job, task_desired(task, False), False)
    with pytest.raises(JobInputError, match="max_upload_bytes must be 0"):
        task_desired({"max_upload_bytes": 1000000001}, False)


def test_bigquerys_stringify_object_is_an_output_option():
    """Failed before issue 21: output_options.stringify_object (Cloudflare's BigQuery page) was unknown."""
    desired = desired_from_params({"output_options": {"stringify_object": True, "output_type": "csv"}})
    assert desired["output_options"] == {"stringify_object": True, "output_type": "csv"}
    for style in STYLES:
        job = answered(stored(dict(create_body(desired), destination_conf=S3)), style)
        assert changed_keys(job, desired) == []
        assert changed_keys(job, {"output_options": {"stringify_object": False}}) == ["output_options"]
    assert job_as_options(job)["output_options"]["stringify_object"] is True


@pytest.mark.parametrize("style", STYLES)
def test_an_output_option_cloudflare_adds_later_passes_through_output_options_extra(style):
    params = {"destination_conf": S3, "name": "x", "output_options": {"field_names": ["RayID"]},
              "output_options_extra": {"future_key": "v1", "future_flag": True}}
    desired = task_desired(params, False)
    assert desired["output_options"] == {"field_names": ["RayID"], "future_key": "v1", "future_flag": True}
    job = answered(stored(create_body(desired)), style)
    assert changed_keys(job, desired) == []
    changed = dict(params, output_options_extra={"future_key": "v2"})
    assert changed_keys(job, task_desired(changed, False)) == ["output_options"]
    exported = job_as_options(job)
    assert exported["output_options_extra"] == {"future_key": "v1", "future_flag": True}
    assert exported["output_options"] == {"field_names": ["RayID"]}
    assert changed_keys(job, task_desired(exported, False)) == []


@pytest.mark.parametrize("extra, named", [({"sample_rate": 0.5}, "output_options.sample_rate"),
                                          ({"CVE-2021-44228": True}, "output_options.cve_2021_44228")])
def test_output_options_extra_refuses_a_key_output_options_has(extra, named):
    with pytest.raises(JobInputError, match="set %s instead" % named):
        desired_from_params({"output_options_extra": extra})


def test_output_options_extra_with_logpull_options_is_refused_like_output_options():
    with pytest.raises(JobInputError, match="cannot be used together"):
        task_desired({"logpull_options": "fields=RayID", "output_options_extra": {"k": 1}}, False)
