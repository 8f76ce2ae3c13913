"""Job rules (emulator README, Sources: job rules), through the Flask test client; destinations need no server here."""
import json

import pytest

from .helpers import ACCOUNT, ZONE, err, ok

DD = "datadog://http-intake.logs.datadoghq.com/api/v2/logs?header_DD-API-KEY=secret1&ddsource=cloudflare"
HTTPS = "https://logs.example.net/in?header_Authorization=Bearer%20xyz"
JOBS = ZONE + "/logpush/jobs"
AJOBS = ACCOUNT + "/logpush/jobs"


def create(client, path=JOBS, **body):
    body.setdefault("destination_conf", DD)
    return ok(client.post(path, body))


def test_create_defaults_and_omitempty(client):
    job = create(client)
    assert job == {
        "id": 1, "dataset": "http_requests", "destination_conf": DD, "enabled": False, "kind": "", "frequency": "high",
        "last_complete": None, "last_error": None, "error_message": None,
    }
    assert ok(client.get(JOBS + "/1")) == job
    assert ok(client.get(JOBS)) == [job]


def test_empty_as_null_setting(client):
    client.admin("POST", "/settings", {"empty_as_null": True})
    job = create(client)
    for key in ("name", "filter", "logpull_options", "output_options", "max_upload_bytes", "max_upload_records",
                "max_upload_interval_seconds"):
        assert key in job and job[key] is None


def test_unset_sentinels_are_accepted(client):
    job = create(client, name="", filter="", logpull_options="", max_upload_bytes=0, max_upload_records=0,
                 max_upload_interval_seconds=0, output_options=None, kind="", frequency=None, ownership_challenge="")
    assert job["kind"] == "" and job["frequency"] == "high"
    for key in ("name", "filter", "logpull_options", "output_options", "max_upload_bytes"):
        assert key not in job


def test_all_fields_round_trip(client):
    flt = '{"where":{"and":[{"key":"ClientRequestHost","operator":"eq","value":"example.com"},{"key":"EdgeResponseStatus","operator":"geq","value":500}]}}'
    oo = {"field_names": ["RayID", "EdgeStartTimestamp"], "output_type": "ndjson", "timestamp_format": "rfc3339ms",
          "sample_rate": 0.5, "CVE-2021-44228": True, "merge_subrequests": False, "batch_prefix": None}
    job = create(client, name="my-job.example.com", enabled=True, frequency="low", filter=flt,
                 logpull_options="fields=RayID&timestamps=rfc3339", output_options=oo,
                 max_upload_bytes=5_000_000, max_upload_records=1000, max_upload_interval_seconds=300,
                 filter_attack_traffic=True, kind="edge")
    assert job["name"] == "my-job.example.com" and job["enabled"] is True and job["frequency"] == "low"
    assert job["filter"] == flt
    assert job["kind"] == "edge"
    assert job["logpull_options"] == "fields=RayID&timestamps=rfc3339"
    # echoed with only the keys that were set (null-valued keys are not set)
    assert job["output_options"] == {k: v for k, v in oo.items() if v is not None}
    assert (job["max_upload_bytes"], job["max_upload_records"], job["max_upload_interval_seconds"]) == (5_000_000, 1000, 300)
    assert job["filter_attack_traffic"] is True


def test_ids_increase_and_read_only_keys_are_ignored(client):
    a = create(client, id=99, last_complete="2020-01-01T00:00:00Z", last_error=None, error_message="x")
    b = create(client)
    assert (a["id"], b["id"]) == (1, 2)
    assert a["last_complete"] is None and a["error_message"] is None
    ok(client.delete(JOBS + "/2"))
    assert create(client)["id"] == 3


def test_unknown_top_level_fields_are_refused(client):
    err(client.post(JOBS, {"destination_conf": DD, "bogus": 1}), 400, 1002, "bogus")
    err(client.post(JOBS, {"destination_conf": DD, "subrequest_merging": True}), 400, 1002, "merge_subrequests")


def test_destination_conf_required(client):
    err(client.post(JOBS, {"dataset": "http_requests"}), 400, 1002, "destination_conf")


def test_dataset_defaults_to_http_requests_on_zones_but_is_required_on_accounts(client):
    assert create(client)["dataset"] == "http_requests"
    err(client.post(AJOBS, {"destination_conf": DD}), 400, 1002, "dataset is required")


@pytest.mark.parametrize("path,dataset,status", [
    (JOBS, "http_requests", 200), (JOBS, "dns_logs", 200), (JOBS, "account_abuse_protection_events", 200),
    (AJOBS, "gateway_dns", 200), (AJOBS, "magic_bgp_logs", 200), (AJOBS, "firewall_events", 200),
    (AJOBS, "http_requests", 400), (JOBS, "gateway_dns", 400), (JOBS, "audit_logs", 400), (JOBS, "nope", 400),
    (JOBS, "bad dataset!", 400),
])
def test_zone_and_account_datasets(client, path, dataset, status):
    got, body, _ = client.post(path, {"destination_conf": DD, "dataset": dataset})
    assert got == status, body
    if status == 400:
        assert body["errors"][0]["code"] == 1002


@pytest.mark.parametrize("key,value", [
    ("max_upload_bytes", 4_999_999), ("max_upload_bytes", 1_000_000_001), ("max_upload_bytes", -1), ("max_upload_bytes", "5000000"),
    ("max_upload_records", 999), ("max_upload_records", 1_000_001), ("max_upload_records", 1.5),
    ("max_upload_interval_seconds", 29), ("max_upload_interval_seconds", 301), ("max_upload_interval_seconds", True),
    ("frequency", "medium"), ("kind", "instant-logs"), ("kind", "other"), ("enabled", "yes"), ("name", 5),
    ("name", "has space"), ("name", "under_score"), ("name", "a" * 513), ("ownership_challenge", "bad token!"),
    ("output_options", {"output_type": "json"}), ("output_options", {"timestamp_format": "iso"}),
    ("output_options", {"sample_rate": 1.5}), ("output_options", {"sample_rate": 0}), ("output_options", {"sample_rate": -0.1}),
    ("output_options", {"CVE-2021-4428": True}), ("output_options", {"field_delimiter": 1}),
    ("output_options", {"field_names": "RayID"}), ("output_options", []), ("filter_attack_traffic", "yes"),
])
def test_out_of_range_values_are_400(client, key, value):
    msg = err(client.post(JOBS, {"destination_conf": DD, key: value}), 400, 1002)
    assert key.split("_")[0] in msg or "CVE-2021-4428" in msg, msg


@pytest.mark.parametrize("key,value", [
    ("max_upload_bytes", 5_000_000), ("max_upload_bytes", 1_000_000_000), ("max_upload_records", 1000),
    ("max_upload_records", 1_000_000), ("max_upload_interval_seconds", 30), ("max_upload_interval_seconds", 300),
    ("name", "a" * 512), ("name", "a-b.c"), ("output_options", {"sample_rate": 1}), ("output_options", {"sample_rate": 0.01}),
    ("output_options", {"timestamp_format": "rfc3339ns"}), ("output_options", {"output_type": "csv"}),
])
def test_boundary_values_are_accepted(client, key, value):
    ok(client.post(JOBS, {"destination_conf": DD, key: value}))


def test_kind_edge_only_for_http_requests(client):
    create(client, kind="edge", dataset="http_requests")
    err(client.post(JOBS, {"destination_conf": DD, "kind": "edge", "dataset": "dns_logs"}), 400, 1002, "edge")


def test_filter_attack_traffic_datasets(client):
    create(client, dataset="firewall_events", filter_attack_traffic=True)
    create(client, path=AJOBS, dataset="network_analytics_logs", filter_attack_traffic=True)
    create(client, dataset="dns_logs", filter_attack_traffic=False)
    err(client.post(JOBS, {"destination_conf": DD, "dataset": "dns_logs", "filter_attack_traffic": True}), 400, 1002,
        "filter_attack_traffic")


def test_merge_subrequests_only_for_http_requests(client):
    create(client, output_options={"merge_subrequests": True})
    err(client.post(JOBS, {"destination_conf": DD, "dataset": "dns_logs", "output_options": {"merge_subrequests": True}}),
        400, 1002, "merge_subrequests")


GOOD_FILTERS = [
    {"where": {"key": "ClientRequestHost", "operator": "eq", "value": "example.com"}},
    {"where": {"or": [{"key": "ClientCountry", "operator": "in", "value": ["de", "fr"]},
                      {"and": [{"key": "EdgeResponseStatus", "operator": "gt", "value": 499},
                               {"key": "ClientRequestPath", "operator": "!startsWith", "value": "/health"}]}]}},
    {"where": {"key": "ClientRequestUserAgent", "operator": "!contains", "value": "bot"}},
]


@pytest.mark.parametrize("flt", GOOD_FILTERS)
def test_valid_filters(client, flt):
    text = json.dumps(flt, separators=(",", ":"))
    assert create(client, filter=text)["filter"] == text


def _many(n):
    return {"where": {"and": [{"key": "RayID", "operator": "eq", "value": str(i)} for i in range(n)]}}


@pytest.mark.parametrize("text,fragment", [
    ("not json", "not valid JSON"),
    ('{"key":"RayID","operator":"eq","value":"x"}', "where"),
    ('{"where":{"key":"RayID","operator":"neq","value":"x"}}', "operator 'neq'"),
    ('{"where":{"key":"RayID","operator":"eq"}}', "missing value"),
    ('{"where":{"key":"EdgeResponseStatus","operator":"gt","value":"500"}}', "number"),
    ('{"where":{"key":"ClientCountry","operator":"in","value":"de"}}', "array"),
    ('{"where":{"key":"NoSuchField","operator":"eq","value":1}}', "unknown field"),
    ('{"where":{"and":[]}}', "non-empty array"),
    ('{"where":{"and":[{"key":"RayID","operator":"eq","value":"x"}],"key":"RayID"}}', "cannot be combined"),
    ('{"where":{"key":"RayID","operator":"eq","value":"x"},"extra":1}', "extra"),
    ('[]', "where"),
    # 31 conditions cannot fit in 1,000 bytes: the size refuses first (the operator count: test_filters_grammar.py)
    (json.dumps(_many(31), separators=(",", ":")), "too long"),
])
def test_invalid_filters(client, text, fragment):
    err(client.post(JOBS, {"destination_conf": DD, "filter": text}), 400, 1002, fragment)


def test_filter_size_limit(client):
    flt = {"where": {"key": "ClientRequestPath", "operator": "eq", "value": "/" + "a" * 1000}}
    err(client.post(JOBS, {"destination_conf": DD, "filter": json.dumps(flt)}), 400, 1002, "too long")
    small = {"where": {"and": [{"key": "RayID", "operator": "eq", "value": "%d" % i} for i in range(20)]}}
    create(client, filter=json.dumps(small, separators=(",", ":")))


def test_filter_whitespace_is_normalised(client):
    job = create(client, filter='{ "where": { "key": "RayID", "operator": "eq", "value": "x" } }')
    assert job["filter"] == '{"where":{"key":"RayID","operator":"eq","value":"x"}}'


def test_filter_must_be_a_string(client):
    err(client.post(JOBS, {"destination_conf": DD, "filter": {"where": {}}}), 400, 1002, "filter")


def test_field_names_are_checked_against_the_dataset(client):
    create(client, logpull_options="fields=RayID,EdgeStartTimestamp&timestamps=rfc3339")
    msg = err(client.post(JOBS, {"destination_conf": DD, "logpull_options": "fields=RayID,Bogus1,Bogus2"}), 400, 1002)
    assert "Bogus1, Bogus2" in msg
    msg = err(client.post(JOBS, {"destination_conf": DD, "output_options": {"field_names": ["RayID", "Nope"]}}), 400, 1002)
    assert "Nope" in msg and "RayID" not in msg.split(":")[-1]
    # dns_logs has its own list
    err(client.post(JOBS, {"destination_conf": DD, "dataset": "dns_logs", "output_options": {"field_names": ["RayID"]}}),
        400, 1002, "RayID")


@pytest.mark.parametrize("lpo,fragment", [
    ("fields=RayID&timestamps=iso", "timestamps"),
    ("fields=RayID&sample=2", "sample"),
    ("fields=RayID&foo=bar", "foo"),
    ("fields=RayID&fields=EdgeStartTimestamp", "twice"),
    ("fields=RayID,,ClientIP", "empty field"),
    ("fields=RayID&CVE-2021-44228=maybe", "CVE"),
])
def test_invalid_logpull_options(client, lpo, fragment):
    err(client.post(JOBS, {"destination_conf": DD, "logpull_options": lpo}), 400, 1002, fragment)


def test_logpull_options_full_url_form(client):
    lpo = "https://api.cloudflare.com/client/v4/zones/x/logs/received?fields=RayID&sample=0.1&CVE-2021-44228=true"
    assert create(client, logpull_options=lpo)["logpull_options"] == lpo


def test_logpull_options_with_https_destination_fails(client):
    err(client.post(JOBS, {"destination_conf": HTTPS, "logpull_options": "fields=RayID"}), 400, 1002, "logpull_options")
    job = create(client, destination_conf=HTTPS, output_options={"field_names": ["RayID"]})
    err(client.put(JOBS + "/%d" % job["id"], {"logpull_options": "fields=RayID"}), 400, 1002)


def test_put_is_partial_at_top_level(client):
    job = create(client, name="keep", filter='{"where":{"key":"RayID","operator":"eq","value":"x"}}',
                 max_upload_records=5000)
    updated = ok(client.put(JOBS + "/1", {"enabled": True}))
    assert updated["enabled"] is True
    assert {k: v for k, v in updated.items() if k != "enabled"} == {k: v for k, v in job.items() if k != "enabled"}
    cleared = ok(client.put(JOBS + "/1", {"filter": "", "name": "", "max_upload_records": 0}))
    assert "filter" not in cleared and "name" not in cleared and "max_upload_records" not in cleared
    assert ok(client.put(JOBS + "/1", {"name": "renamed"}))["name"] == "renamed"


def test_put_replaces_output_options_whole(client):
    create(client, output_options={"field_names": ["RayID"], "output_type": "csv", "sample_rate": 0.5})
    updated = ok(client.put(JOBS + "/1", {"output_options": {"field_names": ["ClientIP"]}}))
    assert updated["output_options"] == {"field_names": ["ClientIP"]}
    assert "output_options" not in ok(client.put(JOBS + "/1", {"output_options": None}))


def test_put_validates_like_create(client):
    create(client)
    err(client.put(JOBS + "/1", {"max_upload_bytes": 10}), 400, 1002, "max_upload_bytes")
    err(client.put(JOBS + "/1", {"filter": '{"nowhere":1}'}), 400, 1002, "where")
    err(client.put(JOBS + "/1", {"destination_conf": "ftp://x/y"}), 400, 1002, "scheme")
    err(client.put(JOBS + "/1", {"output_options": {"field_names": ["Nope"]}}), 400, 1002, "Nope")
    # nothing changed
    assert ok(client.get(JOBS + "/1"))["destination_conf"] == DD


def test_dataset_is_immutable(client):
    create(client)
    assert ok(client.put(JOBS + "/1", {"dataset": "http_requests", "enabled": True}))["enabled"] is True
    err(client.put(JOBS + "/1", {"dataset": "dns_logs"}), 400, 1002, "dataset cannot be changed")


def test_kind_is_immutable(client):
    create(client)
    ok(client.put(JOBS + "/1", {"kind": ""}))
    ok(client.put(JOBS + "/1", {"kind": None}))
    err(client.put(JOBS + "/1", {"kind": "edge"}), 400, 1002, "kind")
    create(client, kind="edge")
    err(client.put(JOBS + "/2", {"kind": ""}), 400, 1002, "kind")
    ok(client.put(JOBS + "/2", {"kind": "edge"}))


def test_unknown_job_and_job_of_other_scope_are_404(client):
    job = create(client)
    for path in (JOBS + "/999", JOBS + "/abc", AJOBS + "/%d" % job["id"]):
        err(client.get(path), 404, 1000, "job not found")
        err(client.put(path, {"enabled": True}), 404, 1000, "job not found")
        err(client.delete(path), 404, 1000, "job not found")
    assert ok(client.get(JOBS + "/1"))["id"] == 1


def test_delete_returns_id_and_ignores_a_body(client):
    create(client)
    status, body, _ = client.call("DELETE", JOBS + "/1", data='{"anything": 1}')
    assert status == 200 and body["result"] == {"id": 1}
    err(client.get(JOBS + "/1"), 404, 1000)
    assert ok(client.get(JOBS)) == []


def test_job_limit_per_scope_and_dataset(client):
    for _ in range(4):
        create(client)
    msg = err(client.post(JOBS, {"destination_conf": DD}), 403, 1004)
    assert msg == "creating a new job (for http_requests dataset) is not allowed: exceeded max jobs allowed"
    create(client, dataset="dns_logs")
    create(client, path=AJOBS, dataset="gateway_dns")
    client.admin("POST", "/settings", {"job_limit": 5})
    create(client)
    client.admin("POST", "/settings", {"job_limit": 1, "job_limit_per": "scope"})
    err(client.post(AJOBS, {"destination_conf": DD, "dataset": "audit_logs"}), 403, 1004,
        "creating a new job (for audit_logs dataset) is not allowed: exceeded max jobs allowed")


def test_destination_conf_is_returned_verbatim_and_can_be_redacted(client):
    conf = "s3://bucket/p/{DATE}?region=eu-west-1&access-key-id=AK&secret-access-key=S%2Fx&endpoint=s3.example.net"
    job = create(client, destination_conf=conf)
    assert job["destination_conf"] == conf
    client.admin("POST", "/settings", {"redact_destination": True})
    red = ok(client.get(JOBS + "/1"))["destination_conf"]
    assert red == "s3://bucket/p/{DATE}?region=eu-west-1&access-key-id=REDACTED&secret-access-key=REDACTED&endpoint=s3.example.net"


@pytest.mark.parametrize("conf,fragment", [
    ("", "destination_conf"),
    ("not a uri", "whitespace"),
    ("nouri", "scheme"),
    ("ftp://host/path", "unsupported destination scheme"),
    ("http://host/path", "unsupported destination scheme"),
    ("s3://", "missing bucket"),
    ("s3://Bad_Bucket!/x?region=us-east-1", "bucket"),
    ("s3://bucket/path", "region"),
    ("s3://bucket/path?region=us-east-1&access-key-id=AK", "together"),
    ("s3://bucket/path?region=us-east-1&endpoint=minio.example.net", "access-key-id"),
    ("r2://bucket/path?account-id=a", "access-key-id"),
    ("azure://container/path", "sig"),
    ("sumo://endpoint.sumologic.com/nope", "receiver/v1/http"),
    ("splunk://splunk.example.net:8088/services/collector/raw", "channel"),
    ("datadog://http-intake.logs.datadoghq.com/api/v2/logs", "header_DD-API-KEY"),
    ("https://x/" + "a" * 4100, "too long"),
])
def test_garbage_destination_conf_is_400(client, conf, fragment):
    err(client.post(JOBS, {"destination_conf": conf}), 400, 1002, fragment)


@pytest.mark.parametrize("conf", [
    "splunk://splunk.example.net:8088/services/collector/raw?channel=abc&insecure-skip-verify=false&header_Authorization=Splunk%20t",
    "bq://projects/p/datasets/d/tables/t?credentials=base64:eyJ9",
    "kinesis://stream?region=us-east-1&sts-assume-role-arn=arn:aws:iam::1:role/x",
    "ibmcl://i.ingress.eu-de.logs.cloud.ibm.com/logs/v1/singles?ibm_api_key=k",
    "sentinelone://ingest.example.net/services/collector/raw?sourcetype=x&header_Authorization=t",
    "https://log-api.newrelic.com/log/v1?Api-Key=k&format=cloudflare",
])
def test_syntax_only_destinations_are_accepted(client, conf):
    assert create(client, destination_conf=conf)["destination_conf"] == conf


# What Cloudflare's destination pages show (cloudflare-docs logs/logpush/logpush-job/enable-destinations/, 2026),
# placeholders filled, for destinations that need no challenge and no server here: each job is created as given.
@pytest.mark.parametrize("body", [
    {"destination_conf": "s3://logs-bucket/p?region=auto&access-key-id=k&secret-access-key=s&endpoint=sfo2.digitaloceanspaces.com"},
    {"destination_conf": "datadog://http-intake.logs.datadoghq.com/api/v2/logs?header_DD-API-KEY=k&ddsource=cloudflare"
                         "&service=web&host=example.com&ddtags=env%3Aprod"},
    {"destination_conf": "https://logs.example.com?header_Authorization=Basic%20REDACTED&tags=host:theburritobot.com,"
                         "dataset:http_requests", "max_upload_bytes": 5000000, "max_upload_records": 1000},
    {"destination_conf": "https://qradar.example.com:12469", "max_upload_bytes": 5000000, "max_upload_records": 1000},
    {"destination_conf": "bq://projects/p/datasets/d/tables/t?credentials=base64:eyJ9", "max_upload_bytes": 5000000,
     "max_upload_records": 50000},
    {"destination_conf": "kinesis://stream?region=us-east-1&sts-assume-role-arn=arn:aws:iam::1:role/r&sts-external-id=x"},
    {"destination_conf": "ibmcl://i.ingress.eu-de.logs.cloud.ibm.com/logs/v1/singles?ibm_api_key=k",
     "max_upload_bytes": 2000000},
])
def test_documented_destinations_are_accepted(client, body):
    job = create(client, **body)
    assert dict((k, job[k]) for k in body) == body


def test_unknown_schemes_are_refused_or_kept(client):
    conf = "pipelines://0123456789abcdef?account-id=a1"
    err(client.post(JOBS, {"destination_conf": conf}), 400, 1002, "unsupported destination scheme")
    assert client.admin("POST", "/settings", {"unknown_schemes": "keep"})[0] == 200
    job = create(client, destination_conf=conf)
    assert ok(client.get(JOBS + "/%d" % job["id"]))["destination_conf"] == conf
    # still refused when kept: plain http (Cloudflare pushes over TLS only) and a scheme of no URL's form
    err(client.post(JOBS, {"destination_conf": "http://host/path"}), 400, 1002, "unsupported destination scheme")
    err(client.post(JOBS, {"destination_conf": "1ftp://host/path"}), 400, 1002, "unsupported destination scheme")
    assert client.admin("POST", "/settings", {"unknown_schemes": "maybe"})[0] == 400


def test_datasets_jobs_and_fields(client):
    create(client)
    create(client, dataset="dns_logs")
    assert [j["dataset"] for j in ok(client.get(ZONE + "/logpush/datasets/dns_logs/jobs"))] == ["dns_logs"]
    assert ok(client.get(ZONE + "/logpush/datasets/spectrum_events/jobs")) == []
    fields = ok(client.get(ZONE + "/logpush/datasets/http_requests/fields"))
    assert "RayID" in fields and isinstance(fields["RayID"], str)
    assert ok(client.get(ACCOUNT + "/logpush/datasets/gateway_dns/fields"))
    err(client.get(ACCOUNT + "/logpush/datasets/http_requests/fields"), 400, 1002, "zone-scoped")
    err(client.get(ZONE + "/logpush/datasets/nope/fields"), 400, 1002)
    err(client.get(ZONE + "/logpush/datasets/nope/jobs"), 400, 1002)


def test_validate_origin(client):
    assert ok(client.post(ZONE + "/logpush/validate/origin", {"logpull_options": "fields=RayID&timestamps=rfc3339"})) == {
        "valid": True, "message": ""}
    bad = ok(client.post(ZONE + "/logpush/validate/origin", {"logpull_options": "fields=Nope"}))
    assert bad["valid"] is False and "Nope" in bad["message"]
    bad = ok(client.post(ACCOUNT + "/logpush/validate/origin", {"logpull_options": "fields=QueryName", "dataset": "http_requests"}))
    assert bad["valid"] is False
    err(client.post(ZONE + "/logpush/validate/origin", {}), 400, 1002, "logpull_options")


def test_validate_destination_exists(client):
    path = ZONE + "/logpush/validate/destination/exists"
    assert ok(client.post(path, {"destination_conf": DD})) == {"exists": False}
    create(client)
    create(client)  # several jobs may share a destination
    assert ok(client.post(path, {"destination_conf": DD})) == {"exists": True}
    assert ok(client.post(ACCOUNT + "/logpush/validate/destination/exists", {"destination_conf": DD})) == {"exists": False}
    err(client.post(path, {}), 400, 1002)


def test_edge_instant_logs(client):
    for path in (ZONE + "/logpush/edge", ZONE + "/logpush/edge/jobs"):
        assert isinstance(ok(client.get(path)), list)
    session = ok(client.post(ZONE + "/logpush/edge/jobs", {"fields": "RayID,ClientIP", "sample": 10, "filter": ""}))
    assert session["destination_conf"].startswith("wss://") and session["sample"] == 10
    assert ok(client.get(ZONE + "/logpush/edge")) == [session]
    err(client.post(ZONE + "/logpush/edge", {"fields": "Nope"}), 400, 1002, "Nope")
    err(client.post(ZONE + "/logpush/edge", {"sample": "x"}), 400, 1002)
    err(client.post(ZONE + "/logpush/edge", {"sample": 0}), 400, 1002)


def test_legacy_instant_logs_jobs_are_listed(client):
    status, body = client.admin("POST", "/jobs", {"job": {"destination_conf": DD, "kind": "instant-logs", "enabled": True}})
    assert status == 200 and body["job"]["kind"] == "instant-logs"
    assert [j["kind"] for j in ok(client.get(JOBS))] == ["instant-logs"]
    # kind still cannot be changed, and cannot be created through the API
    err(client.put(JOBS + "/1", {"kind": ""}), 400, 1002, "kind")
    assert ok(client.put(JOBS + "/1", {"name": "legacy"}))["kind"] == "instant-logs"
    err(client.post(JOBS, {"destination_conf": DD, "kind": "instant-logs"}), 400, 1002, "kind")
    assert client.admin("POST", "/jobs", {"job": {"destination_conf": DD, "kind": "other"}})[0] == 400
    assert client.admin("POST", "/jobs", {"scope_type": "account", "job": {"destination_conf": DD}})[0] == 400


def test_options_is_not_a_method_here(client):
    err(client.call("OPTIONS", JOBS), 405, 7001)


@pytest.mark.parametrize("style, want", [("omitempty", "absent"), ("sparse", "absent"), ("null", None)])
def test_a_job_older_than_datasets_is_answered_without_one(client, style, want):
    """Issue 21: jobs made before 2020 may come back without a dataset (nullable in the spec and cloudflare-go)."""
    assert client.admin("POST", "/settings", {"answer_style": style})[0] == 200
    status, body = client.admin("POST", "/jobs", {"job": {"destination_conf": DD, "name": "old"},
                                                  "answer_dataset": None})
    assert status == 200 and body["job"]["dataset"] == "http_requests"
    for job in (ok(client.get(JOBS))[0], ok(client.get(JOBS + "/1")), ok(client.put(JOBS + "/1", {"enabled": True}))):
        assert job.get("dataset", "absent") == want
    # stored as http_requests: an http_requests-only option is taken
    assert ok(client.put(JOBS + "/1", {"output_options": {"merge_subrequests": True}}))["output_options"]
    assert client.admin("POST", "/jobs", {"job": {"destination_conf": DD, "dataset": "firewall_events"},
                                          "answer_dataset": None})[0] == 400
    assert client.admin("POST", "/jobs", {"job": {"destination_conf": DD}, "answer_dataset": ""})[0] == 400


IBM = "ibmcl://i.ingress.eu-de.logs.cloud.ibm.com/logs/v1/singles?ibm_api_key=k"


def test_destination_parameters_their_pages_document(client):
    """Issue 21: IBM Cloud Logs' max_upload_bytes 2000000 and BigQuery's output_options.stringify_object."""
    job = ok(client.post(JOBS, {"destination_conf": IBM, "max_upload_bytes": 2000000}))
    assert job["max_upload_bytes"] == 2000000
    err(client.post(JOBS, {"destination_conf": DD, "max_upload_bytes": 2000000}), 400, 1002, "max_upload_bytes")
    other = ok(client.post(JOBS, {"destination_conf": DD}))
    err(client.put(JOBS + "/%d" % other["id"], {"max_upload_bytes": 2000000}), 400, 1002, "max_upload_bytes")
    # moving the IBM job elsewhere with its small batches is refused too
    err(client.put(JOBS + "/%d" % job["id"], {"destination_conf": DD}), 400, 1002, "max_upload_bytes")
    job = ok(client.post(JOBS, {"destination_conf": DD, "output_options": {"stringify_object": True}}))
    assert job["output_options"] == {"stringify_object": True}
    err(client.post(JOBS, {"destination_conf": DD, "output_options": {"stringify_object": "yes"}}), 400, 1002,
        "stringify_object")


def test_unknown_output_options_are_refused_or_kept(client):
    err(client.post(JOBS, {"destination_conf": DD, "output_options": {"future_key": "v"}}), 400, 1002, "future_key")
    assert client.admin("POST", "/settings", {"unknown_output_options": "keep"})[0] == 200
    job = ok(client.post(JOBS, {"destination_conf": DD, "output_options": {"future_key": "v", "sample_rate": 0.5}}))
    assert job["output_options"] == {"future_key": "v", "sample_rate": 0.5}
    assert ok(client.get(JOBS + "/%d" % job["id"]))["output_options"]["future_key"] == "v"
    assert client.admin("POST", "/settings", {"unknown_output_options": "maybe"})[0] == 400
