# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The desired job against the current one: input checks, the equivalences of what Cloudflare returns, bodies, prediction."""

from __future__ import annotations

import copy
import json

import pytest

from ansible_collections.cloudflare_community.logpush.plugins.module_utils._destination import destination_location
from ansible_collections.cloudflare_community.logpush.plugins.module_utils._errors import JobInputError
from ansible_collections.cloudflare_community.logpush.plugins.module_utils._job import logpull_fields, public_job, push_outcome
from ansible_collections.cloudflare_community.logpush.plugins.module_utils._job_input import (
    check_dataset_scope, desired_from_params, requested_fields, select_job, unknown_fields,
)
from ansible_collections.cloudflare_community.logpush.plugins.module_utils._job_plan import (
    changed_keys, create_body, diff_of, diff_view, immutable_changes, predict, update_body,
)

R2 = "r2://logs/http/{DATE}?account-id=01a7362d577a6c3019a474fd6f485823&access-key-id=r2keyid123&secret-access-key=r2secret456"
R2_REDACTED = "r2://logs/http/{DATE}?account-id=01a7362d577a6c3019a474fd6f485823&access-key-id=REDACTED&secret-access-key=REDACTED"
S3 = "s3://bucket/p?region=us-east-1"
FILTER = {"where": {"and": [{"key": "ClientCountry", "operator": "eq", "value": "ca"},
                            {"key": "EdgeResponseStatus", "operator": "geq", "value": 500}]}}
FILTER_TEXT = json.dumps(FILTER, separators=(",", ":"))


# -- desired_from_params ------------------------------------------------------------------------

def test_desired_keeps_only_what_is_set_in_api_form():
    params = {
        "name": "http-to-r2", "dataset": "http_requests", "destination_conf": R2, "enabled": True,
        "frequency": None, "kind": None, "logpull_options": None, "filter_attack_traffic": False,
        "max_upload_bytes": 0, "max_upload_records": None, "max_upload_interval_seconds": 60,
        "filter": FILTER, "state": "present", "id": None, "ownership_challenge": "tok",
        "output_options": {"field_names": ["RayID", "ClientIP"], "cve_2021_44228": True, "sample_rate": None,
                           "timestamp_format": "rfc3339", "output_type": None},
    }
    assert desired_from_params(params) == {
        "name": "http-to-r2", "dataset": "http_requests", "destination_conf": R2, "enabled": True,
        "filter_attack_traffic": False, "max_upload_bytes": 0, "max_upload_interval_seconds": 60,
        "filter": FILTER_TEXT,
        "output_options": {"field_names": ["RayID", "ClientIP"], "CVE-2021-44228": True, "timestamp_format": "rfc3339"},
    }


@pytest.mark.parametrize("value, expected", [
    (FILTER, FILTER_TEXT),
    (json.dumps(FILTER, indent=4), FILTER_TEXT),
    ('{ "where" : {"key":"ClientCountry",  "operator":"eq", "value":"ca"} }',
     '{"where":{"key":"ClientCountry","operator":"eq","value":"ca"}}'),
    ("", ""),
    ({}, ""),
])
def test_desired_filter_is_compact_json_text_and_empty_clears(value, expected):
    assert desired_from_params({"filter": value}) == {"filter": expected}


# Every destination_conf and max_upload_* value that Cloudflare's destination pages show (cloudflare-docs
# src/content/docs/logs/logpush/logpush-job/enable-destinations/, 2026), placeholders filled: each is accepted.
@pytest.mark.parametrize("params", [
    {"destination_conf": "s3://burritobot/logs/{DATE}?region=us-west-2"},  # aws-s3.mdx
    {"destination_conf": "s3://b/p?region=auto&access-key-id=k&secret-access-key=s&endpoint=sfo2.digitaloceanspaces.com"},
    {"destination_conf": "r2://bucket/logs/{DATE}?account-id=a1&access-key-id=k&secret-access-key=s"},  # r2.mdx
    {"destination_conf": "gs://bucket/logs"},  # google-cloud-storage.mdx
    {"destination_conf": "azure://acct.blob.core.windows.net/logs/http?sv=2022-11-02&ss=b&srt=o&sp=w&sig=abc%3D"},
    {"destination_conf": "sumo://endpoint1.collection.us2.sumologic.com/receiver/v1/http/ZaVnC4dhaV3"},  # sumo-logic.mdx
    {"destination_conf": "datadog://http-intake.logs.datadoghq.com/api/v2/logs?header_DD-API-KEY=k&ddsource=cloudflare"
                         "&service=web&host=example.com&ddtags=env%3Aprod"},  # datadog.mdx
    {"destination_conf": "splunk://splunk.example.com:8088/services/collector/raw?channel=8c1b&insecure-skip-verify=false"
                         "&sourcetype=cloudflare%3Ajson&header_Authorization=Splunk%20t"},  # splunk.mdx
    {"destination_conf": "https://logs.example.com?header_Authorization=Basic%20REDACTED&tags=host:theburritobot.com,"
                         "dataset:http_requests", "max_upload_bytes": 5000000, "max_upload_records": 1000},  # http.mdx
    {"destination_conf": "https://qradar.example.com:12469", "max_upload_bytes": 5000000,
     "max_upload_records": 1000},  # ibm-qradar.mdx
    {"destination_conf": "https://log-api.eu.newrelic.com/log/v1?Api-Key=k&format=cloudflare",
     "max_upload_bytes": 5000000},  # new-relic.mdx
    {"destination_conf": "bq://projects/p/datasets/d/tables/t?credentials=base64:eyJ9", "max_upload_bytes": 5000000,
     "max_upload_records": 50000},  # bigquery.mdx
    {"destination_conf": "kinesis://stream?region=us-east-1&sts-assume-role-arn=arn:aws:iam::1:role/r&sts-external-id=x"},
    {"destination_conf": "ibmcl://i.ingress.eu-de.logs.cloud.ibm.com/logs/v1/singles?ibm_api_key=k",
     "max_upload_bytes": 2000000},  # ibm-cloud-logs.mdx
    {"destination_conf": "sentinelone://ingest.us1.sentinelone.net/services/collector/raw?sourcetype=m"
                         "&header_Authorization=Bearer%20t"},  # sentinelone.mdx
    {"destination_conf": "https://ingest.us1.sentinelone.net/services/collector/raw?sourcetype=m"},
])
def test_every_documented_destination_is_accepted(params):
    assert desired_from_params(params) == params


def test_a_scheme_not_known_yet_is_sent_as_given():
    # Cloudflare's Pipelines destination (changelog 2026-04-20) documents no destination_conf; a job of it, or of
    # any destination Cloudflare adds later, read back by logpush_job_info, must be usable in a task as it is.
    conf = "pipelines://0123456789abcdef?account-id=a1"
    assert desired_from_params({"destination_conf": conf}) == {"destination_conf": conf}
    assert destination_location(conf)["bucket"] is None


def test_desired_of_nothing_is_empty():
    assert desired_from_params({}) == {}
    assert desired_from_params({"name": None, "filter": None, "output_options": None}) == {}


@pytest.mark.parametrize("params, fragment", [
    ({"destination_conf": "1ftp://bucket/p"}, "destination_conf must start with one of"),
    ({"destination_conf": "s 3://bucket/p"}, "destination_conf must start with one of"),
    ({"destination_conf": "bucket/path?region=us-east-1"}, "destination_conf must start with one of"),
    ({"destination_conf": "s3:/bucket/p"}, "destination_conf must start with one of"),
    ({"destination_conf": "s3://b/" + "x" * 4096}, "destination_conf is longer than Cloudflare's limit of 4096"),
    ({"max_upload_bytes": 4999999, "destination_conf": S3},
     "max_upload_bytes must be 0 (Cloudflare's default) or between 5000000 and 1000000000"),
    ({"max_upload_bytes": 1000000001}, "max_upload_bytes must be 0"),
    ({"max_upload_bytes": -1}, "max_upload_bytes must be 0"),
    ({"max_upload_records": 999}, "max_upload_records must be 0 (Cloudflare's default) or between 1000 and 1000000"),
    ({"max_upload_records": 1000001}, "max_upload_records must be 0"),
    ({"max_upload_interval_seconds": 29}, "max_upload_interval_seconds must be 0 (Cloudflare's default) or between 30 and 300"),
    ({"max_upload_interval_seconds": 301}, "max_upload_interval_seconds must be 0"),
    ({"output_options": {"sample_rate": 0}}, "output_options.sample_rate must be greater than 0 and at most 1"),
    ({"output_options": {"sample_rate": 0.0}}, "output_options.sample_rate must be greater than 0"),
    ({"output_options": {"sample_rate": 1.01}}, "output_options.sample_rate must be greater than 0"),
    ({"output_options": {"sample_rate": -0.5}}, "output_options.sample_rate must be greater than 0"),
    ({"filter": "{not json"}, "filter is not valid JSON"),
    ({"filter": "where=ClientCountry"}, "filter is not valid JSON"),
    ({"filter": '{"key": "ClientCountry", "operator": "eq", "value": "ca"}'}, 'filter must be an object with a top-level "where" key'),
    ({"filter": {"key": "ClientCountry", "operator": "eq", "value": "ca"}}, 'filter must be an object with a top-level "where" key'),
    ({"filter": "[1, 2]"}, 'filter must be an object with a top-level "where" key'),
    ({"filter": ["where"]}, 'filter must be an object with a top-level "where" key'),
    ({"kind": "edge", "dataset": "firewall_events"}, "kind=edge (Edge Log Delivery) is only available for the http_requests dataset"),
    ({"kind": "edge", "dataset": "dns_logs", "destination_conf": R2}, "kind=edge"),
    ({"logpull_options": "fields=RayID", "destination_conf": "https://logs.example.com/ingest"},
     "logpull_options cannot be used with an https:// destination"),
    ({"logpull_options": "fields=RayID", "destination_conf": "HTTPS://logs.example.com/ingest"}, "logpull_options cannot be used"),
    ({"name": "n" * 513}, "name must be at most 512 characters long"),
])
def test_desired_refuses_bad_input_naming_the_option(params, fragment):
    with pytest.raises(JobInputError) as info:
        desired_from_params(params)
    assert fragment in str(info.value)


def test_bad_scheme_message_shows_the_start_of_the_value_not_the_rest():
    with pytest.raises(JobInputError) as info:
        desired_from_params({"destination_conf": "1ftp://user:secret-password@host/p"})
    message = str(info.value)
    assert "got a value starting with '1ftp:'" in message
    assert "secret-password" not in message


@pytest.mark.parametrize("params", [
    {"max_upload_bytes": 0, "max_upload_records": 0, "max_upload_interval_seconds": 0},
    {"max_upload_bytes": 5000000, "max_upload_records": 1000, "max_upload_interval_seconds": 30},
    {"max_upload_bytes": 1000000000, "max_upload_records": 1000000, "max_upload_interval_seconds": 300},
    {"output_options": {"sample_rate": 1.0}},
    {"output_options": {"sample_rate": 0.001}},
    {"name": "n" * 512},
    {"name": ""},
    {"kind": "edge"},
    {"kind": "edge", "dataset": "http_requests"},
    {"kind": "", "dataset": "firewall_events"},
    {"logpull_options": "fields=RayID", "destination_conf": S3},
    {"logpull_options": "", "destination_conf": "https://logs.example.com/ingest"},
    {"destination_conf": "S3://bucket/p?region=us-east-1"},
    {"destination_conf": "s3://b/" + "x" * 4089},
])
def test_desired_accepts_the_limits(params):
    desired = desired_from_params(params)
    assert desired == dict((k, v) for k, v in params.items())


@pytest.mark.parametrize("conf", [
    S3, R2, "gs://bucket/logs", "azure://container/logs?sig=x", "sumo://e.sumologic.com/receiver/v1/http/abc",
    "splunk://splunk.example.com:8088/services/collector/raw", "datadog://http-intake.logs.datadoghq.com/api/v2/logs",
    "https://logs.example.com/ingest", "bq://projects/p/datasets/d/tables/t", "kinesis://stream?region=us-east-1",
    "ibmcl://i.ingress.eu-de.logs.cloud.ibm.com/logs/v1/singles", "sentinelone://h/services/collector/raw",
])
def test_desired_accepts_every_known_scheme(conf):
    assert desired_from_params({"destination_conf": conf}) == {"destination_conf": conf}


# -- changed_keys: what Cloudflare may return for an unchanged job (no change) --------------------

NDJSON_SERVER = {"field_names": ["RayID", "ClientIP"], "timestamp_format": "rfc3339"}
CSV_SERVER = {"output_type": "csv", "field_names": ["RayID", "ClientIP"]}

SAME = [
    # (id, current job, desired)
    ("name absent vs empty", {}, {"name": ""}),
    ("name null vs empty", {"name": None}, {"name": ""}),
    ("name empty vs empty", {"name": ""}, {"name": ""}),
    ("name equal", {"name": "a"}, {"name": "a"}),
    ("filter absent vs empty", {}, {"filter": ""}),
    ("filter null vs empty", {"filter": None}, {"filter": ""}),
    ("filter empty vs empty", {"filter": ""}, {"filter": ""}),
    ("logpull absent vs empty", {}, {"logpull_options": ""}),
    ("logpull null vs empty", {"logpull_options": None}, {"logpull_options": ""}),
    ("logpull empty vs empty", {"logpull_options": ""}, {"logpull_options": ""}),
    ("bytes absent vs 0", {}, {"max_upload_bytes": 0}),
    ("bytes null vs 0", {"max_upload_bytes": None}, {"max_upload_bytes": 0}),
    ("bytes 0 vs 0", {"max_upload_bytes": 0}, {"max_upload_bytes": 0}),
    ("records absent vs 0", {}, {"max_upload_records": 0}),
    ("records null vs 0", {"max_upload_records": None}, {"max_upload_records": 0}),
    ("interval absent vs 0", {}, {"max_upload_interval_seconds": 0}),
    ("interval null vs 0", {"max_upload_interval_seconds": None}, {"max_upload_interval_seconds": 0}),
    ("bytes equal", {"max_upload_bytes": 5000000}, {"max_upload_bytes": 5000000}),
    ("filter key order and spaces", {"filter": json.dumps({"where": {"value": "ca", "operator": "eq", "key": "ClientCountry"}}, indent=2)},
     {"filter": '{"where":{"key":"ClientCountry","operator":"eq","value":"ca"}}'}),
    ("filter nested order", {"filter": '{"where": {"and": [{"value": "ca", "key": "ClientCountry", "operator": "eq"},'
                                       ' {"operator": "geq", "value": 500, "key": "EdgeResponseStatus"}]}}'},
     {"filter": FILTER_TEXT}),
    ("output only set keys", {"output_options": NDJSON_SERVER}, {"output_options": {"field_names": ["RayID", "ClientIP"]}}),
    ("output ndjson default record_prefix", {"output_options": NDJSON_SERVER}, {"output_options": {"record_prefix": "{"}}),
    ("output ndjson default record_suffix", {"output_options": NDJSON_SERVER}, {"output_options": {"record_suffix": "}\n"}}),
    ("output ndjson explicit type defaults", {"output_options": {"output_type": "ndjson"}},
     {"output_options": {"record_prefix": "{", "record_suffix": "}\n", "batch_prefix": "", "field_delimiter": ","}}),
    ("output csv default record_prefix", {"output_options": CSV_SERVER}, {"output_options": {"record_prefix": ""}}),
    ("output csv default record_suffix", {"output_options": CSV_SERVER}, {"output_options": {"record_suffix": "\n"}}),
    ("output csv type", {"output_options": CSV_SERVER}, {"output_options": {"output_type": "csv"}}),
    ("output null server uses ndjson defaults", {"output_options": None},
     {"output_options": {"output_type": "ndjson", "timestamp_format": "unixnano", "sample_rate": 1}}),
    ("output absent server", {}, {"output_options": {"record_template": "", "record_delimiter": "", "batch_suffix": ""}}),
    ("output null value means default", {"output_options": {"timestamp_format": None, "record_prefix": None}},
     {"output_options": {"timestamp_format": "unixnano", "record_prefix": "{"}}),
    ("sample_rate 1 == 1.0", {"output_options": {"sample_rate": 1}}, {"output_options": {"sample_rate": 1.0}}),
    ("sample_rate 1.0 == 1", {"output_options": {"sample_rate": 1.0}}, {"output_options": {"sample_rate": 1}}),
    ("sample_rate absent == 1", {"output_options": {}}, {"output_options": {"sample_rate": 1.0}}),
    ("sample_rate 0.1", {"output_options": {"sample_rate": 0.1}}, {"output_options": {"sample_rate": 0.1}}),
    ("CVE absent == false", {"output_options": {}}, {"output_options": {"CVE-2021-44228": False}}),
    ("CVE null == false", {"output_options": {"CVE-2021-44228": None}}, {"output_options": {"CVE-2021-44228": False}}),
    ("merge_subrequests absent == false", {"output_options": {"field_names": ["RayID"]}}, {"output_options": {"merge_subrequests": False}}),
    ("merge_subrequests null == false", {"output_options": {"merge_subrequests": None}}, {"output_options": {"merge_subrequests": False}}),
    ("frequency not set", {"frequency": "low"}, {}),
    ("frequency equal", {"frequency": "low"}, {"frequency": "low"}),
    ("enabled null vs false", {"enabled": None}, {"enabled": False}),
    ("enabled absent vs false", {}, {"enabled": False}),
    ("enabled equal", {"enabled": True}, {"enabled": True}),
    ("destination equal", {"destination_conf": R2}, {"destination_conf": R2}),
    ("filter_attack_traffic equal", {"filter_attack_traffic": True}, {"filter_attack_traffic": True}),
    ("kind is never a change (immutable_changes owns it)", {"kind": "edge"}, {"kind": ""}),
    ("dataset is never a change", {"dataset": "http_requests"}, {"dataset": "firewall_events"}),
    ("read-only keys ignored", {"id": 1, "last_error": "2026-11-26T09:00:00Z", "error_message": "x"}, {"id": 2}),
    ("keys the user did not set", {"name": "a", "enabled": True, "filter": FILTER_TEXT, "max_upload_bytes": 5000000,
                                   "output_options": {"sample_rate": 0.5}}, {}),
]


@pytest.mark.parametrize("current, desired", [c[1:] for c in SAME], ids=[c[0] for c in SAME])
def test_changed_keys_equivalences(current, desired):
    assert changed_keys(current, desired) == []


# -- changed_keys: real changes ------------------------------------------------------------------

CHANGED = [
    ("name set", {}, {"name": "a"}, ["name"]),
    ("name renamed", {"name": "a"}, {"name": "b"}, ["name"]),
    ("name cleared", {"name": "a"}, {"name": ""}, ["name"]),
    ("filter set", {"filter": None}, {"filter": FILTER_TEXT}, ["filter"]),
    ("filter value", {"filter": '{"where":{"key":"ClientCountry","operator":"eq","value":"ca"}}'},
     {"filter": '{"where":{"key":"ClientCountry","operator":"eq","value":"us"}}'}, ["filter"]),
    ("filter operator", {"filter": '{"where":{"key":"ClientCountry","operator":"eq","value":"ca"}}'},
     {"filter": '{"where":{"key":"ClientCountry","operator":"!eq","value":"ca"}}'}, ["filter"]),
    ("filter array order", {"filter": FILTER_TEXT},
     {"filter": json.dumps({"where": {"and": list(reversed(FILTER["where"]["and"]))}})}, ["filter"]),
    ("filter cleared", {"filter": FILTER_TEXT}, {"filter": ""}, ["filter"]),
    ("logpull set", {}, {"logpull_options": "fields=RayID"}, ["logpull_options"]),
    ("logpull changed", {"logpull_options": "fields=RayID"}, {"logpull_options": "fields=RayID,ClientIP"}, ["logpull_options"]),
    ("logpull cleared", {"logpull_options": "fields=RayID"}, {"logpull_options": ""}, ["logpull_options"]),
    ("bytes set", {}, {"max_upload_bytes": 5000000}, ["max_upload_bytes"]),
    ("bytes cleared", {"max_upload_bytes": 5000000}, {"max_upload_bytes": 0}, ["max_upload_bytes"]),
    ("records changed", {"max_upload_records": 1000}, {"max_upload_records": 2000}, ["max_upload_records"]),
    ("interval set", {"max_upload_interval_seconds": None}, {"max_upload_interval_seconds": 30}, ["max_upload_interval_seconds"]),
    ("enabled on", {"enabled": False}, {"enabled": True}, ["enabled"]),
    ("enabled on from null", {"enabled": None}, {"enabled": True}, ["enabled"]),
    ("enabled off", {"enabled": True}, {"enabled": False}, ["enabled"]),
    ("frequency", {"frequency": "high"}, {"frequency": "low"}, ["frequency"]),
    ("destination", {"destination_conf": R2}, {"destination_conf": R2.replace("r2secret456", "r2secret789")}, ["destination_conf"]),
    ("destination case is exact", {"destination_conf": S3}, {"destination_conf": S3.upper()}, ["destination_conf"]),
    ("filter_attack_traffic on", {}, {"filter_attack_traffic": True}, ["filter_attack_traffic"]),
    ("filter_attack_traffic off", {"filter_attack_traffic": True}, {"filter_attack_traffic": False}, ["filter_attack_traffic"]),
    ("field_names order", {"output_options": {"field_names": ["RayID", "ClientIP"]}},
     {"output_options": {"field_names": ["ClientIP", "RayID"]}}, ["output_options"]),
    ("field_names added", {"output_options": {"field_names": ["RayID"]}},
     {"output_options": {"field_names": ["RayID", "ClientIP"]}}, ["output_options"]),
    ("field_names on a job without output_options", {}, {"output_options": {"field_names": ["RayID"]}}, ["output_options"]),
    ("sample_rate", {"output_options": {"sample_rate": 1}}, {"output_options": {"sample_rate": 0.5}}, ["output_options"]),
    ("sample_rate from default", {"output_options": {}}, {"output_options": {"sample_rate": 0.5}}, ["output_options"]),
    ("CVE on", {"output_options": {}}, {"output_options": {"CVE-2021-44228": True}}, ["output_options"]),
    ("merge_subrequests on", {"output_options": None}, {"output_options": {"merge_subrequests": True}}, ["output_options"]),
    ("output_type to csv", {"output_options": {}}, {"output_options": {"output_type": "csv"}}, ["output_options"]),
    ("csv suffix on ndjson", {"output_options": NDJSON_SERVER}, {"output_options": {"record_suffix": "\n"}}, ["output_options"]),
    ("ndjson prefix on csv", {"output_options": CSV_SERVER}, {"output_options": {"record_prefix": "{"}}, ["output_options"]),
    ("timestamp_format", {"output_options": NDJSON_SERVER}, {"output_options": {"timestamp_format": "unix"}}, ["output_options"]),
    ("timestamp_format from default", {}, {"output_options": {"timestamp_format": "rfc3339"}}, ["output_options"]),
    ("record_template", {"output_options": {}}, {"output_options": {"record_template": "{{.RayID}}"}}, ["output_options"]),
    ("field_delimiter", {"output_options": {"field_delimiter": ","}}, {"output_options": {"field_delimiter": "\t"}}, ["output_options"]),
    ("batch_prefix", {"output_options": {}}, {"output_options": {"batch_prefix": "["}}, ["output_options"]),
    ("several, in a fixed order", {"name": "a", "enabled": False, "max_upload_records": 1000},
     {"max_upload_records": 2000, "enabled": True, "name": "b"}, ["name", "enabled", "max_upload_records"]),
]


@pytest.mark.parametrize("current, desired, expected", [c[1:] for c in CHANGED], ids=[c[0] for c in CHANGED])
def test_changed_keys_detects_real_changes(current, desired, expected):
    assert changed_keys(current, desired) == expected


def test_changed_keys_with_desired_from_params_against_an_api_answer():
    current = {"id": 7, "name": "http-to-r2", "dataset": "http_requests", "kind": "", "enabled": True,
               "destination_conf": R2, "frequency": "high",
               "filter": json.dumps(FILTER, indent=1, sort_keys=True),
               "output_options": {"field_names": ["RayID", "ClientIP"], "output_type": "ndjson", "sample_rate": 1,
                                  "CVE-2021-44228": False},
               "last_complete": "2026-11-26T09:00:00Z", "last_error": None, "error_message": None}
    desired = desired_from_params({
        "name": "http-to-r2", "dataset": "http_requests", "destination_conf": R2, "enabled": True, "kind": "",
        "filter": FILTER, "max_upload_bytes": 0, "logpull_options": "",
        "output_options": {"field_names": ["RayID", "ClientIP"], "sample_rate": 1.0, "timestamp_format": "unixnano",
                           "cve_2021_44228": False, "merge_subrequests": False, "record_prefix": "{"},
    })
    assert changed_keys(current, desired) == []
    assert immutable_changes(current, desired) == []


# -- immutable_changes ---------------------------------------------------------------------------

@pytest.mark.parametrize("current, desired, expected", [
    ({"dataset": "http_requests", "kind": ""}, {}, []),
    ({"dataset": "http_requests", "kind": ""}, {"dataset": "http_requests", "kind": ""}, []),
    ({"dataset": "http_requests", "kind": "instant-logs"}, {"kind": ""}, []),
    ({"dataset": "http_requests", "kind": None}, {"kind": ""}, []),
    ({"dataset": "http_requests"}, {"kind": ""}, []),
    ({"dataset": "http_requests", "kind": ""}, {"kind": "instant-logs"}, []),
    ({"dataset": "http_requests", "kind": ""}, {"dataset": "firewall_events"}, ["dataset"]),
    ({"dataset": "http_requests", "kind": ""}, {"kind": "edge"}, ["kind"]),
    ({"dataset": "http_requests", "kind": "instant-logs"}, {"kind": "edge"}, ["kind"]),
    ({"dataset": "http_requests", "kind": "edge"}, {"kind": ""}, ["kind"]),
    ({"dataset": "firewall_events", "kind": "edge"}, {"dataset": "http_requests", "kind": ""}, ["dataset", "kind"]),
    ({"dataset": "http_requests", "kind": "edge"}, {"name": "x", "enabled": True}, []),
])
def test_immutable_changes(current, desired, expected):
    assert immutable_changes(current, desired) == expected


# -- create_body ---------------------------------------------------------------------------------

def test_create_body_defaults_the_dataset_and_drops_empty_sentinels():
    desired = {"name": "", "filter": "", "logpull_options": "", "max_upload_bytes": 0, "max_upload_records": 0,
               "max_upload_interval_seconds": 0, "destination_conf": R2, "enabled": False, "kind": ""}
    before = copy.deepcopy(desired)
    assert create_body(desired) == {"dataset": "http_requests", "destination_conf": R2, "enabled": False, "kind": ""}
    assert desired == before  # the caller's dict is left alone


def test_create_body_keeps_what_is_set_and_adds_the_token():
    desired = {"name": "fw", "dataset": "firewall_events", "destination_conf": S3, "filter": FILTER_TEXT,
               "max_upload_records": 1000, "output_options": {"field_names": ["RayID"]}, "filter_attack_traffic": False}
    assert create_body(desired, "jwt.token.value") == dict(desired, ownership_challenge="jwt.token.value")


@pytest.mark.parametrize("token", [None, ""])
def test_create_body_without_token_has_no_token_key(token):
    assert create_body({"destination_conf": R2}, token) == {"dataset": "http_requests", "destination_conf": R2}


# -- update_body ---------------------------------------------------------------------------------

CURRENT = {
    "id": 7, "name": "old", "dataset": "http_requests", "kind": "", "enabled": False, "destination_conf": R2,
    "frequency": "high", "filter": FILTER_TEXT, "logpull_options": None, "max_upload_bytes": 5000000,
    "max_upload_records": 1000, "max_upload_interval_seconds": 30,
    "output_options": {"field_names": ["RayID", "ClientIP"], "timestamp_format": "rfc3339", "CVE-2021-44228": True},
    "last_complete": None, "last_error": None, "error_message": None,
}


def _update(desired, token=None):
    changes = changed_keys(CURRENT, desired)
    return update_body(CURRENT, desired, changes, token)


def test_update_body_holds_only_the_changed_keys():
    desired = {"name": "old", "enabled": True, "max_upload_records": 1000, "destination_conf": R2, "frequency": "low"}
    assert _update(desired, "tok") == {"enabled": True, "frequency": "low"}


def test_update_body_sends_output_options_whole_merged_over_the_servers():
    before = copy.deepcopy(CURRENT)
    body = _update({"output_options": {"field_names": ["RayID"], "sample_rate": 0.5}})
    assert body == {"output_options": {"field_names": ["RayID"], "timestamp_format": "rfc3339", "CVE-2021-44228": True,
                                       "sample_rate": 0.5}}
    assert CURRENT == before  # the server's object is not modified in place


def test_update_body_output_options_on_a_job_without_them():
    current = dict(CURRENT, output_options=None)
    desired = {"output_options": {"field_names": ["RayID"]}}
    assert update_body(current, desired, ["output_options"]) == {"output_options": {"field_names": ["RayID"]}}


def test_update_body_clears_with_empty_string_or_zero():
    desired = {"name": "", "filter": "", "max_upload_bytes": 0, "max_upload_records": 0, "max_upload_interval_seconds": 0}
    assert _update(desired) == {"name": "", "filter": "", "max_upload_bytes": 0, "max_upload_records": 0,
                                "max_upload_interval_seconds": 0}


def test_update_body_clearing_logpull_options_sends_empty_string():
    current = dict(CURRENT, logpull_options="fields=RayID")
    assert update_body(current, {"logpull_options": ""}, ["logpull_options"]) == {"logpull_options": ""}


def test_update_body_sends_the_token_only_when_the_destination_changes():
    new_conf = "s3://other-bucket/p?region=us-east-1"
    assert _update({"destination_conf": new_conf}, "tok") == {"destination_conf": new_conf, "ownership_challenge": "tok"}
    assert _update({"destination_conf": R2, "enabled": True}, "tok") == {"enabled": True}
    assert _update({"destination_conf": new_conf}, None) == {"destination_conf": new_conf}


def test_update_body_of_no_change_is_empty():
    assert _update({"name": "old", "destination_conf": R2}, "tok") == {}


# -- predict -------------------------------------------------------------------------------------

def test_predict_a_new_job_has_the_api_defaults_and_no_token():
    body = create_body({"name": "n", "destination_conf": R2}, "tok")
    assert predict(None, body) == {"name": "n", "dataset": "http_requests", "destination_conf": R2, "enabled": False,
                                   "kind": "", "frequency": "high", "id": None}


def test_predict_a_new_job_keeps_what_the_body_sets():
    body = create_body({"destination_conf": R2, "enabled": True, "kind": "edge", "frequency": "low"})
    job = predict(None, body)
    assert (job["enabled"], job["kind"], job["frequency"], job["id"]) == (True, "edge", "low", None)


def test_predict_an_update_applies_the_body_and_clears_to_null():
    before = copy.deepcopy(CURRENT)
    body = {"name": "", "max_upload_bytes": 0, "filter": "", "enabled": True, "ownership_challenge": "tok",
            "output_options": {"field_names": ["RayID"]}}
    expected = dict(CURRENT, name=None, max_upload_bytes=None, filter=None, enabled=True,
                    output_options={"field_names": ["RayID"]})
    assert predict(CURRENT, body) == expected
    assert CURRENT == before


def test_predict_of_an_empty_update_is_the_current_job():
    assert predict(CURRENT, {}) == CURRENT


# -- diff_view -----------------------------------------------------------------------------------

def test_diff_view_is_redacted_sorted_and_without_run_time_state():
    job = dict(CURRENT, kind=None, enabled=1, last_complete="2026-11-26T09:00:00Z", last_error="2026-11-26T09:01:00Z",
               error_message="AccessDenied", ownership_challenge="tok")
    view = diff_view(job)
    assert view == {
        "dataset": "http_requests", "destination_conf": R2_REDACTED, "enabled": True, "filter": json.loads(FILTER_TEXT),
        "filter_attack_traffic": None, "frequency": "high", "id": 7, "kind": "", "logpull_options": None,
        "max_upload_bytes": 5000000, "max_upload_interval_seconds": 30, "max_upload_records": 1000, "name": "old",
        "output_options": CURRENT["output_options"],
    }
    assert list(view) == sorted(view)
    assert "r2secret456" not in json.dumps(view) and "r2keyid123" not in json.dumps(view)


@pytest.mark.parametrize("job", [None, {}])
def test_diff_view_of_no_job_is_empty(job):
    assert diff_view(job) == {}


# -- check_dataset_scope -------------------------------------------------------------------------

@pytest.mark.parametrize("dataset, is_account", [
    ("http_requests", False), ("dns_logs", False), ("firewall_events", False), ("firewall_events", True),
    ("websocket_analytics", True), ("websocket_analytics", False), ("audit_logs", True), ("gateway_dns", True),
    ("brand_new_dataset", True), ("brand_new_dataset", False),
])
def test_check_dataset_scope_accepts(dataset, is_account):
    assert check_dataset_scope(dataset, is_account) is None


@pytest.mark.parametrize("dataset, is_account, fragment", [
    ("http_requests", True, "dataset http_requests belongs to zones: give zone_id or zone instead of account_id"),
    ("spectrum_events", True, "dataset spectrum_events belongs to zones"),
    ("audit_logs", False, "dataset audit_logs belongs to accounts: give account_id instead of zone_id or zone"),
    ("gateway_http", False, "dataset gateway_http belongs to accounts"),
])
def test_check_dataset_scope_refuses_the_other_scope(dataset, is_account, fragment):
    with pytest.raises(JobInputError) as info:
        check_dataset_scope(dataset, is_account)
    assert fragment in str(info.value)


# -- fields --------------------------------------------------------------------------------------

@pytest.mark.parametrize("logpull, fields", [
    ("fields=RayID,ClientIP&timestamps=rfc3339", ["RayID", "ClientIP"]),
    ("timestamps=rfc3339&fields=RayID", ["RayID"]),
    ("/logs/received?fields=RayID,EdgeStartTimestamp&sample=0.1", ["RayID", "EdgeStartTimestamp"]),
    ("fields=RayID,,ClientIP,", ["RayID", "ClientIP"]),
    ("fields=", []),
    ("timestamps=rfc3339", []),
    ("", []),
    (None, []),
])
def test_logpull_fields(logpull, fields):
    assert logpull_fields(logpull) == fields


@pytest.mark.parametrize("desired, fields", [
    ({}, []),
    ({"output_options": None}, []),
    ({"output_options": {"sample_rate": 0.5}}, []),
    ({"output_options": {"field_names": ["B", "A"]}}, ["B", "A"]),
    ({"logpull_options": "fields=C,A"}, ["C", "A"]),
    ({"output_options": {"field_names": ["B", "A"]}, "logpull_options": "fields=A,C&timestamps=unix"}, ["B", "A", "C"]),
])
def test_requested_fields(desired, fields):
    assert requested_fields(desired) == fields


KNOWN = {"RayID": "ID of the request.", "ClientIP": "IP address of the client.", "ClientIPClass": "Class of the IP.",
         "ClientRequestHost": "Host requested.", "EdgeStartTimestamp": "Start.", "EdgeEndTimestamp": "End.",
         "ClientCountry": "Country."}


@pytest.mark.parametrize("wanted, missing", [
    (["RayID", "ClientIP"], []),
    ([], []),
    (["ClientIp"], [("ClientIp", ["ClientIP", "ClientIPClass"])]),
    (["RayID", "EdgeStartTime", "Nonsense"], [("EdgeStartTime", ["EdgeStartTimestamp"]), ("Nonsense", [])]),
    (["rayid"], [("rayid", [])]),
])
def test_unknown_fields_with_closest_matches(wanted, missing):
    assert unknown_fields(wanted, KNOWN) == missing


def test_unknown_fields_accepts_a_list_of_known_names():
    assert unknown_fields(["RayId"], ["RayID", "ClientIP"]) == [("RayId", ["RayID"])]


# -- destination_location ------------------------------------------------------------------------

@pytest.mark.parametrize("conf, location", [
    (S3, {"scheme": "s3", "bucket": "bucket", "path": "p", "region": "us-east-1", "endpoint": None}),
    ("s3://logs-bucket/http/{DATE}/?region=eu-west-1&sse=AES256",
     {"scheme": "s3", "bucket": "logs-bucket", "path": "http/{DATE}", "region": "eu-west-1", "endpoint": None}),
    ("s3://b/p?region=auto&access-key-id=k1234&secret-access-key=s1234&endpoint=minio.example.com",
     {"scheme": "s3", "bucket": "b", "path": "p", "region": "auto", "endpoint": "minio.example.com"}),
    (R2, {"scheme": "r2", "bucket": "logs", "path": "http/{DATE}", "region": None, "endpoint": None}),
    ("gs://bucket", {"scheme": "gs", "bucket": "bucket", "path": "", "region": None, "endpoint": None}),
    ("GS://bucket/a/b/", {"scheme": "gs", "bucket": "bucket", "path": "a/b", "region": None, "endpoint": None}),
    ("azure://container/logs?sv=2022&sig=Ab%2Bc",
     {"scheme": "azure", "bucket": "container", "path": "logs", "region": None, "endpoint": None}),
    ("https://logs.example.com/ingest?header_Authorization=Bearer%20x",
     {"scheme": "https", "bucket": None, "path": None, "region": None, "endpoint": None}),
    ("kinesis://stream?region=us-east-1", {"scheme": "kinesis", "bucket": None, "path": None, "region": "us-east-1", "endpoint": None}),
    ("", {"scheme": "", "bucket": None, "path": None, "region": None, "endpoint": None}),
    (None, {"scheme": "", "bucket": None, "path": None, "region": None, "endpoint": None}),
])
def test_destination_location(conf, location):
    location.setdefault("account", None)
    assert destination_location(conf) == location


# -- regressions found in review ------------------------------------------------------------------

def test_filter_attack_traffic_false_equals_absent():
    assert changed_keys({}, {"filter_attack_traffic": False}) == []
    assert changed_keys({"filter_attack_traffic": None}, {"filter_attack_traffic": False}) == []
    assert changed_keys({}, {"filter_attack_traffic": True}) == ["filter_attack_traffic"]


def test_filter_text_empty_object_clears():
    assert desired_from_params({"filter": "{}"}) == {"filter": ""}
    assert desired_from_params({"filter": "  "}) == {"filter": ""}


def test_sumo_and_https_locations_have_no_secret():
    for conf in ("sumo://e.sumologic.com/receiver/v1/http/ZaVnC4dhaV39Tn37",
                 "https://logs.example.com/inputs/ZaVnC4dhaV39Tn37/tag"):
        assert "ZaVnC4dhaV39Tn37" not in json.dumps(destination_location(conf))


def test_logpull_fields_are_url_decoded():
    assert logpull_fields("fields=RayID%2CClientIP&timestamps=rfc3339") == ["RayID", "ClientIP"]


# -- framing follows output_type ---------------------------------------------------------------------

DASHBOARD_NDJSON = {"field_names": ["RayID", "ClientIP"], "output_type": "ndjson", "record_prefix": "{",
                    "record_suffix": "}\n", "field_delimiter": ",", "timestamp_format": "rfc3339"}


def test_a_change_of_output_type_drops_the_framing_of_the_old_type():
    """Jobs made in the dashboard or by Terraform carry record_prefix and record_suffix explicitly."""
    current = {"id": 7, "dataset": "http_requests", "output_options": dict(DASHBOARD_NDJSON)}
    desired = {"output_options": {"output_type": "csv"}}
    changes = changed_keys(current, desired)
    body = update_body(current, desired, changes)
    assert body == {"output_options": {"field_names": ["RayID", "ClientIP"], "output_type": "csv", "field_delimiter": ",",
                                       "timestamp_format": "rfc3339"}}
    after = predict(current, body)
    assert changed_keys(after, desired) == []  # a re-run changes nothing


def test_framing_the_task_sets_is_kept_across_a_change_of_type():
    current = {"id": 7, "output_options": dict(DASHBOARD_NDJSON)}
    desired = {"output_options": {"output_type": "csv", "record_suffix": "\r\n"}}
    body = update_body(current, desired, changed_keys(current, desired))
    assert body["output_options"]["record_suffix"] == "\r\n" and "record_prefix" not in body["output_options"]


def test_framing_is_kept_when_the_type_does_not_change():
    current = {"id": 7, "output_options": dict(DASHBOARD_NDJSON, record_prefix="[")}
    desired = {"output_options": {"output_type": "ndjson", "sample_rate": 0.5}}
    body = update_body(current, desired, changed_keys(current, desired))
    assert body["output_options"]["record_prefix"] == "[" and body["output_options"]["record_suffix"] == "}\n"


# -- what a job shows ------------------------------------------------------------------------------

def test_error_message_quoting_the_destination_is_masked():
    conf = "r2://b/p?account-id=a&access-key-id=kid-123456&secret-access-key=sec-987654321"
    job = {"id": 1, "destination_conf": conf, "enabled": True,
           "error_message": "error writing object: AccessDenied for %s (key kid-123456)" % conf}
    shown = public_job(job)
    assert "sec-987654321" not in json.dumps(shown) and "kid-123456" not in json.dumps(shown)
    assert shown["error_message"].startswith("error writing object: AccessDenied for r2://b/p?")


def test_requested_fields_include_the_filter_keys():
    desired = {"filter": json.dumps({"where": {"and": [{"key": "ClientCountry", "operator": "eq", "value": "ca"},
                                                       {"or": [{"key": "EdgeResponseStatus", "operator": "geq", "value": 500}]}]}}),
               "output_options": {"field_names": ["RayID", "ClientCountry"]}}
    assert requested_fields(desired) == ["RayID", "ClientCountry", "EdgeResponseStatus"]


@pytest.mark.parametrize("jobs, name, dataset, conf, found", [
    ([{"id": 1, "name": "a", "dataset": "http_requests"}, {"id": 2, "name": "a", "dataset": "dns_logs"}], "a", "dns_logs", None, 2),
    ([{"id": 1, "name": "a", "dataset": "http_requests"}], "a", "dns_logs", None, None),
    ([{"id": 1, "name": "a", "dataset": "http_requests"}], "a", None, None, 1),
    ([{"id": 1, "name": "a", "dataset": "http_requests", "destination_conf": "gs://x"},
      {"id": 2, "name": "b", "dataset": "dns_logs", "destination_conf": "gs://x"}], None, "dns_logs", "gs://x", 2),
])
def test_select_job(jobs, name, dataset, conf, found):
    job = select_job(jobs, name, dataset, conf)
    assert (job or {}).get("id") == found


@pytest.mark.parametrize("current", [
    {"output_options": {"merge_subrequests": True}},
    {"merge_subrequests": True},                      # Cloudflare's subrequest-merging page: top level
    {"subrequest_merging": True, "output_options": {}},  # the page's earlier spelling
])
def test_merge_subrequests_is_read_wherever_the_api_returns_it(current):
    assert changed_keys(current, {"output_options": {"merge_subrequests": True}}) == []
    assert changed_keys(current, {"output_options": {"merge_subrequests": False}}) == ["output_options"]


# -- what a job did after a change ---------------------------------------------------------------------

T0, T1, T2 = "2026-11-26T08:00:00Z", "2026-11-26T09:00:00Z", "2026-11-26T10:00:00Z"


@pytest.mark.parametrize("job, since, outcome", [
    ({"enabled": True}, {}, None),
    ({"enabled": True, "last_complete": T1}, {}, "pushed"),
    # an old success is no proof that the new settings push
    ({"enabled": True, "last_complete": T1}, {"last_complete": T1}, None),
    # an old error of the destination the job moved away from is no failure
    ({"enabled": True, "last_error": T0, "last_complete": None}, {"last_error": T0}, None),
    ({"enabled": True, "last_error": T0, "last_complete": T2}, {"last_error": T0, "last_complete": T1}, "pushed"),
    ({"enabled": True, "last_error": T2, "last_complete": T1}, {"last_error": T0, "last_complete": T1}, "failing"),
    ({"enabled": True, "last_error": T2, "last_complete": T2}, {}, "failing"),
    # Cloudflare disabled it after 24 hours of errors
    ({"enabled": False, "last_error": T2, "error_message": "AccessDenied"}, {}, "disabled"),
])
def test_push_outcome_counts_only_what_happened_after_the_change(job, since, outcome):
    assert push_outcome(job, since) == outcome


def test_a_diff_of_a_filter_is_its_structure_so_one_changed_value_is_one_changed_line():
    before = dict(CURRENT, filter='{"where":{"and":[{"key":"ClientCountry","operator":"eq","value":"ca"},'
                                  '{"key":"EdgeResponseStatus","operator":"geq","value":500}]}}')
    after = dict(before, filter='{"where":{"and":[{"key":"ClientCountry","operator":"eq","value":"us"},'
                                '{"key":"EdgeResponseStatus","operator":"geq","value":500}]}}')
    diff = diff_of(before, after)

    def lines(view):
        return json.dumps(view, sort_keys=True, indent=4).splitlines()  # as Ansible prints a diff
    changed = [line for line in lines(diff["after"]) if line not in lines(diff["before"])]
    assert changed == ['                    "value": "us"']


@pytest.mark.parametrize("new, marked", [
    # the secret key rotated: only it is marked
    ("r2://b/p?account-id=a&access-key-id=kid-1111&secret-access-key=NEW-secret-2222",
     "r2://b/p?account-id=a&access-key-id=REDACTED&secret-access-key=REDACTED_CHANGED"),
    # nothing secret changed
    ("r2://b/q?account-id=a&access-key-id=kid-1111&secret-access-key=sec-2222",
     "r2://b/q?account-id=a&access-key-id=REDACTED&secret-access-key=REDACTED"),
    # a header token added
    ("https://h/in?header_Authorization=Bearer%20t-1234&header_X-Api-Key=k-5678abcd",
     "https://h/in?header_Authorization=REDACTED&header_X-Api-Key=REDACTED_CHANGED"),
])
def test_a_rotated_secret_shows_as_changed_never_as_its_value(new, marked):
    old = {"r2": "r2://b/p?account-id=a&access-key-id=kid-1111&secret-access-key=sec-2222",
           "ht": "https://h/in?header_Authorization=Bearer%20t-1234"}[new[:2]]
    diff = diff_of(dict(CURRENT, destination_conf=old), dict(CURRENT, destination_conf=new))
    assert diff["after"]["destination_conf"] == marked
    assert "REDACTED_CHANGED" not in diff["before"]["destination_conf"]
    assert "NEW-secret" not in json.dumps(diff) and "k-5678abcd" not in json.dumps(diff)
