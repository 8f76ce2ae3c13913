"""Filter values must fit their field's documented data type (data/fields/types/), as Cloudflare's filter
parser requires; the datasets/{id}/fields answer keeps its shape."""
import json
import os

import pytest

from emulator import filters
from emulator.datasets import FIELDS_DIR, FieldCatalog

from .helpers import ACCOUNT, ZONE, err, ok

DD = "datadog://http-intake.logs.datadoghq.com/api/v2/logs?header_DD-API-KEY=secret1&ddsource=cloudflare"
JOBS = ZONE + "/logpush/jobs"
AJOBS = ACCOUNT + "/logpush/jobs"
TYPES = {"string", "int", "bool", "float", "int or string", "object", "array[string]", "array[int]", "array[object]"}


def flt(key, operator, value):
    return json.dumps({"where": {"key": key, "operator": operator, "value": value}}, separators=(",", ":"))


def create(client, path=JOBS, **body):
    body.setdefault("destination_conf", DD)
    return ok(client.post(path, body))


@pytest.mark.parametrize("dataset,text", [
    ("http_requests", flt("EdgeResponseStatus", "eq", 500)),
    ("http_requests", flt("ClientCountry", "eq", "ca")),
    ("http_requests", flt("ClientCountry", "!in", ["ca", "us"])),
    ("http_requests", flt("EdgeResponseStatus", "in", [200, 201])),
    ("http_requests", flt("CacheReserveUsed", "eq", True)),
    ("http_requests", flt("EdgeResponseCompressionRatio", "gt", 1.5)),
    ("http_requests", flt("EdgeStartTimestamp", "eq", "2026-01-01T00:00:00Z")),
    ("http_requests", flt("EdgeStartTimestamp", "geq", 1767225600)),
    ("http_requests", flt("BotTags", "contains", "api")),
    ("http_requests", flt("BotDetectionIDs", "!contains", 7)),
    ("http_requests", flt("ClientRequestPath", "endsWith", ".php")),
    ("firewall_events", flt("ClientASN", "eq", 13335)),
    ("dns_logs", flt("QueryType", "in", [1, 28])),
])
def test_values_of_the_documented_type_are_accepted(client, dataset, text):
    assert create(client, dataset=dataset, filter=text)["filter"] == text


@pytest.mark.parametrize("dataset,text,fragment", [
    ("http_requests", flt("EdgeResponseStatus", "eq", "400"),
     'EdgeResponseStatus is an int field; the value at where must be an int, not "400"'),
    ("http_requests", flt("EdgeResponseStatus", "!eq", True),
     "EdgeResponseStatus is an int field; the value at where must be an int, not true"),
    ("http_requests", flt("EdgeResponseStatus", "eq", 400.5), "must be an int, not 400.5"),
    ("http_requests", flt("EdgeResponseStatus", "in", ["200", "201"]),
     "EdgeResponseStatus is an int field; every value of 'in' at where must be an int"),
    ("http_requests", flt("ClientCountry", "eq", 1),
     "ClientCountry is a string field; the value at where must be a string, not 1"),
    ("http_requests", flt("ClientCountry", "in", ["ca", 1]), "ClientCountry is a string field; every value of 'in'"),
    ("http_requests", flt("ClientCountry", "lt", 3), "ClientCountry is a string field; operator 'lt' compares numbers"),
    ("http_requests", flt("CacheReserveUsed", "eq", "true"),
     'CacheReserveUsed is a bool field; the value at where must be true or false, not "true"'),
    ("http_requests", flt("CacheReserveUsed", "eq", 1), "must be true or false, not 1"),
    ("http_requests", flt("CacheReserveUsed", "in", ["true"]), "operator 'in' does not apply to bool fields"),
    ("http_requests", flt("EdgeResponseStatus", "startsWith", "4"),
     "EdgeResponseStatus is an int field; operator 'startsWith' applies to string fields only"),
    ("http_requests", flt("EdgeResponseStatus", "contains", "4"), "applies to string and array fields only"),
    ("http_requests", flt("ClientRequestPath", "contains", ["/a"]),
     'ClientRequestPath is a string field; the value at where must be a string, not ["/a"]'),
    ("http_requests", flt("BotTags", "eq", "api"), "BotTags is an array[string] field; only contains and !contains"),
    ("http_requests", flt("BotDetectionIDs", "contains", "7"), 'BotDetectionIDs is an array[int] field; the value'),
    ("http_requests", flt("Cookies", "eq", "a"), "Cookies is an object field; filtering is not supported"),
    ("workers_trace_events", flt("Logs", "contains", "x"),
     "Logs is an array[object] field; filtering is not supported"),
    ("dns_logs", flt("ResponseCached", "eq", "false"), "ResponseCached is a bool field"),
])
def test_wrong_typed_values_are_refused(client, dataset, text, fragment):
    path = AJOBS if dataset == "workers_trace_events" else JOBS
    err(client.post(path, {"destination_conf": DD, "dataset": dataset, "filter": text}), 400, 1002, fragment)


def test_nested_condition_is_named_by_its_path(client):
    text = json.dumps({"where": {"and": [
        {"key": "ClientCountry", "operator": "eq", "value": "ca"},
        {"or": [{"key": "EdgeResponseStatus", "operator": "gt", "value": 499},
                {"key": "OriginResponseStatus", "operator": "eq", "value": "502"}]},
    ]}})
    err(client.post(JOBS, {"destination_conf": DD, "filter": text}), 400, 1002,
        'OriginResponseStatus is an int field; the value at where.and[1].or[1] must be an int, not "502"')


@pytest.mark.parametrize("text,fragment", [
    (flt("gatewayIsNotAField", "eq", 1), "unknown field"),
    (flt("HTTPStatusCode", "eq", "403"),
     'HTTPStatusCode is an int field; the value at where must be an int, not "403"'),
    (flt("IsIsolated", "eq", "yes"), "IsIsolated is a bool field"),
])
def test_account_datasets_are_checked_too(client, text, fragment):
    err(client.post(AJOBS, {"destination_conf": DD, "dataset": "gateway_http", "filter": text}), 400, 1002, fragment)
    create(client, AJOBS, dataset="gateway_http", filter=flt("HTTPStatusCode", "eq", 403))


def test_update_checks_the_type_against_the_jobs_dataset(client):
    job = create(client, dataset="dns_logs")
    err(client.put(JOBS + "/%d" % job["id"], {"filter": flt("QueryType", "eq", "AAAA")}), 400, 1002,
        'QueryType is an int field; the value at where must be an int, not "AAAA"')
    assert ok(client.put(JOBS + "/%d" % job["id"], {"filter": flt("QueryType", "eq", 28)}))["filter"] == \
        flt("QueryType", "eq", 28)


def test_fields_answer_keeps_its_shape(client):
    fields = ok(client.get(ZONE + "/logpush/datasets/http_requests/fields"))
    assert fields["EdgeResponseStatus"] == "HTTP status code returned by Cloudflare to the client."
    assert all(isinstance(v, str) for v in fields.values())
    err(client.get(ZONE + "/logpush/datasets/types/fields"), 400)
    assert "types" not in FieldCatalog().fields


def test_every_field_list_has_its_types():
    catalog = FieldCatalog()
    assert catalog.fields, "no field lists found"
    for dataset, names in catalog.fields.items():
        types = filters.field_types(dataset)
        assert set(names) <= set(types), (dataset, sorted(set(names) - set(types)))
        assert filters.dataset_of(names) == dataset
    for name in os.listdir(os.path.join(FIELDS_DIR, "types")):
        if name.endswith(".json"):
            types = filters.field_types(name[:-5])
            assert types and set(types.values()) <= TYPES, name


def test_validate_filter_takes_the_dataset_directly():
    """A dataset without a field list (no key check) is type-checked when the caller names it."""
    text = flt("BatteryPercentage", "eq", "0.5")
    filters.validate_filter(text)  # neither a field list nor a dataset: no type to check against
    with pytest.raises(filters.FilterError, match='BatteryPercentage is a float field; .* a number, not "0.5"'):
        filters.validate_filter(text, dataset="dex_device_state_events")
    filters.validate_filter(flt("BatteryPercentage", "gt", 0.5), dataset="dex_device_state_events")
    filters.validate_filter(flt("BatteryPercentage", "eq", 1), dataset="dex_device_state_events")
