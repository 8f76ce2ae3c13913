"""The job quota answer (HTTP 403, code 1004) and the per-dataset `job_quota` setting, over a real socket."""
import requests

from .helpers import ACCOUNT, ZONE, err

JOBS = ZONE + "/logpush/jobs"
AJOBS = ACCOUNT + "/logpush/jobs"
DD = "datadog://http-intake.logs.datadoghq.com/api/v2/logs?header_DD-API-KEY=k"


def settings(live, body=None):
    if body is None:
        return requests.get(live.url + "/__emulator/settings", timeout=10)
    return requests.post(live.url + "/__emulator/settings", json=body, timeout=10)


def post(http, live, path=JOBS, **body):
    body.setdefault("destination_conf", DD)
    r = http.post(live.url + path, json=body)
    return r.status_code, r.json()


def quota_message(dataset):
    return "creating a new job (for %s dataset) is not allowed: exceeded max jobs allowed" % dataset


def test_past_the_job_limit_is_403_1004_naming_the_dataset(http, live):
    settings(live, {"job_limit": 2}).raise_for_status()
    for _ in range(2):
        assert post(http, live)[0] == 200
    status, body = post(http, live)
    assert status == 403
    assert body["errors"] == [{"code": 1004, "message": quota_message("http_requests")}]
    assert body["result"] is None and body["success"] is False
    assert len(http.get(live.url + JOBS).json()["result"]) == 2  # nothing was created


def test_quota_zero_refuses_the_first_job_of_that_dataset_only(http, live):
    assert settings(live, {"job_quota": {"workers_trace_events": 0}}).json()["job_quota"] == {"workers_trace_events": 0}
    err(post(http, live, AJOBS, dataset="workers_trace_events"), 403, 1004, quota_message("workers_trace_events"))
    assert http.get(live.url + AJOBS).json()["result"] == []
    # other datasets keep job_limit
    assert post(http, live, AJOBS, dataset="audit_logs")[0] == 200
    assert post(http, live, dataset="dns_logs")[0] == 200


def test_quota_overrides_job_limit_both_ways(http, live):
    settings(live, {"job_limit": 1, "job_quota": {"http_requests": 3, "dns_logs": 0}}).raise_for_status()
    for _ in range(3):
        assert post(http, live)[0] == 200
    err(post(http, live), 403, 1004, quota_message("http_requests"))
    err(post(http, live, dataset="dns_logs"), 403, 1004, quota_message("dns_logs"))
    assert post(http, live, dataset="firewall_events")[0] == 200
    err(post(http, live, dataset="firewall_events"), 403, 1004, quota_message("firewall_events"))


def test_quota_is_counted_per_dataset_even_when_the_limit_is_per_scope(http, live):
    settings(live, {"job_limit": 1, "job_limit_per": "scope", "job_quota": {"dns_logs": 2}}).raise_for_status()
    assert post(http, live)[0] == 200
    err(post(http, live, dataset="firewall_events"), 403, 1004, quota_message("firewall_events"))
    assert post(http, live, dataset="dns_logs")[0] == 200
    assert post(http, live, dataset="dns_logs")[0] == 200
    err(post(http, live, dataset="dns_logs"), 403, 1004, quota_message("dns_logs"))


def test_reset_clears_the_quota(http, live):
    settings(live, {"job_quota": {"http_requests": 0}}).raise_for_status()
    err(post(http, live), 403, 1004)
    requests.post(live.url + "/__emulator/reset", timeout=10).raise_for_status()
    assert settings(live).json()["job_quota"] == {}
    assert post(http, live)[0] == 200


def test_bad_quota_settings_are_refused(live):
    for value in ([], {"http_requests": -1}, {"http_requests": "2"}, {"http_requests": True}, "all"):
        assert settings(live, {"job_quota": value}).status_code == 400, value
    assert settings(live).json()["job_quota"] == {}
