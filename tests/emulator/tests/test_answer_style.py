"""The `answer_style` setting: omitempty (default), null (alias: empty_as_null), sparse. Over a real socket;
every answer is spec-checked by the session."""
import pytest
import requests

from .helpers import ZONE, err, ok

JOBS = ZONE + "/logpush/jobs"
DD = "datadog://http-intake.logs.datadoghq.com/api/v2/logs?header_DD-API-KEY=k"
OMITEMPTY = ("name", "filter", "logpull_options", "output_options", "max_upload_bytes", "max_upload_records",
             "max_upload_interval_seconds")
OO = {"field_names": ["RayID", "EdgeStartTimestamp"], "output_type": "ndjson", "sample_rate": 1, "batch_prefix": "",
      "record_delimiter": "", "field_delimiter": ",", "CVE-2021-44228": False, "merge_subrequests": False,
      "timestamp_format": "rfc3339"}


def settings(live, body=None):
    if body is None:
        return requests.get(live.url + "/__emulator/settings", timeout=10).json()
    r = requests.post(live.url + "/__emulator/settings", json=body, timeout=10)
    return r.status_code, r.json()


def every_answer(http, live):
    """The two jobs as answered by create, get, list and update."""
    bare = ok(_r(http.post(live.url + JOBS, json={"destination_conf": DD})))
    body = {"destination_conf": DD, "name": "full", "output_options": OO, "frequency": "low", "max_upload_records": 1000}
    full = ok(_r(http.post(live.url + JOBS, json=body)))
    return [bare, full, ok(_r(http.get(live.url + JOBS + "/1"))), ok(_r(http.get(live.url + JOBS + "/2"))),
            *ok(_r(http.get(live.url + JOBS))), ok(_r(http.put(live.url + JOBS + "/2", json={"enabled": True})))]


def _r(resp):
    return resp.status_code, resp.json()


def test_omitempty_is_the_default(http, live):
    assert settings(live)["answer_style"] == "omitempty" and settings(live)["empty_as_null"] is False
    bare, full = every_answer(http, live)[:2]
    assert not set(OMITEMPTY) & set(bare) and bare["frequency"] == "high"
    assert full["output_options"] == OO and full["frequency"] == "low"


def test_null_style_sends_the_empty_keys_as_null(http, live):
    assert settings(live, {"answer_style": "null"})[1]["empty_as_null"] is True
    answers = every_answer(http, live)
    bare = [a for a in answers if a["id"] == 1]
    assert len(bare) == 3 and all(all(a[k] is None for k in OMITEMPTY) for a in bare)
    full = answers[1]
    assert full["output_options"] == OO and full["max_upload_bytes"] is None and full["frequency"] == "low"


def test_empty_as_null_is_an_alias(http, live):
    assert settings(live, {"empty_as_null": True})[1]["answer_style"] == "null"
    assert ok(_r(http.post(live.url + JOBS, json={"destination_conf": DD})))["name"] is None
    assert settings(live, {"empty_as_null": False})[1]["answer_style"] == "omitempty"
    assert "name" not in ok(_r(http.get(live.url + JOBS + "/1")))
    # turning the alias off leaves another style alone; choosing a style updates the alias
    settings(live, {"answer_style": "sparse"})
    assert settings(live, {"empty_as_null": False})[1]["answer_style"] == "sparse"
    assert settings(live, {"answer_style": "null"})[1]["empty_as_null"] is True
    assert settings(live, {"answer_style": "omitempty"})[1]["empty_as_null"] is False


def test_sparse_leaves_out_frequency_and_false_empty_zero_output_options(http, live):
    settings(live, {"answer_style": "sparse"})
    answers = every_answer(http, live)
    for job in answers:
        # left out when it is the default; job 2 is a "low" job (issue 21: no answer can hide that)
        assert "frequency" not in job if job["id"] != 2 else job["frequency"] == "low"
        assert not set(OMITEMPTY) - {"name", "output_options", "max_upload_records"} & set(job)
    full = [a for a in answers if a["id"] == 2]
    assert len(full) == 4
    for job in full:
        assert job["output_options"] == {"field_names": ["RayID", "EdgeStartTimestamp"], "output_type": "ndjson",
                                         "sample_rate": 1, "field_delimiter": ",", "timestamp_format": "rfc3339"}
        assert job["name"] == "full" and job["max_upload_records"] == 1000
    # the stored job is unchanged: another style shows everything again
    settings(live, {"answer_style": "omitempty"})
    job = ok(_r(http.get(live.url + JOBS + "/2")))
    assert job["output_options"] == OO and job["frequency"] == "low"


def test_sparse_keeps_true_values(http, live):
    settings(live, {"answer_style": "sparse"})
    oo = {"CVE-2021-44228": True, "merge_subrequests": True, "record_prefix": "", "batch_suffix": "\n"}
    job = ok(_r(http.post(live.url + JOBS, json={"destination_conf": DD, "output_options": oo})))
    assert job["output_options"] == {"CVE-2021-44228": True, "merge_subrequests": True, "batch_suffix": "\n"}
    err(_r(http.post(live.url + JOBS, json={"destination_conf": DD, "frequency": "medium"})), 400, 1002, "frequency")


@pytest.mark.parametrize("value", ["omitted", "", None, True])
def test_bad_styles_are_refused_and_reset_restores_the_default(live, value):
    assert settings(live, {"answer_style": value})[0] == 400
    settings(live, {"answer_style": "sparse"})
    requests.post(live.url + "/__emulator/reset", timeout=10).raise_for_status()
    assert settings(live)["answer_style"] == "omitempty"
