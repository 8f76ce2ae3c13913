# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Field types: a filter value of the wrong JSON type for its field fails before any request."""

from __future__ import annotations

import json

import pytest

from ansible_collections.cloudflare_community.logpush.plugins.module_utils._field_types import datasets, field_types
from ansible_collections.cloudflare_community.logpush.plugins.module_utils._filter import filter_type_errors


def where(key, operator, value):
    return {"where": {"key": key, "operator": operator, "value": value}}


def cond(key, operator, value):
    return {"key": key, "operator": operator, "value": value}


FITTING = [
    ("http_requests", where("EdgeResponseStatus", "eq", 500)),
    ("http_requests", where("EdgeResponseStatus", "!eq", 404)),
    ("http_requests", where("ClientCountry", "eq", "ca")),
    ("http_requests", where("ClientCountry", "in", ["de", "fr"])),
    ("http_requests", where("EdgeResponseStatus", "in", [200, 201])),
    ("http_requests", where("EdgeResponseStatus", "geq", 500)),
    ("http_requests", where("EdgeResponseCompressionRatio", "gt", 1.5)),
    ("http_requests", where("EdgeResponseCompressionRatio", "gt", 2)),
    ("http_requests", where("CacheReserveUsed", "eq", True)),
    ("http_requests", where("ClientRequestPath", "!startsWith", "/health")),
    ("http_requests", where("ClientRequestUserAgent", "contains", "bot")),
    ("http_requests", where("BotTags", "contains", "api")),
    ("http_requests", where("BotDetectionIDs", "!contains", 7)),
    ("http_requests", where("EdgeStartTimestamp", "geq", 1700000000)),
    ("http_requests", where("EdgeStartTimestamp", "eq", "2026-01-01T00:00:00Z")),
    ("firewall_events", where("ClientASN", "eq", 13335)),
    ("firewall_events", where("ZoneName", "eq", "example.com")),  # account page only: merged
    ("gateway_dns", where("QueryType", "in", [1, 28])),
    ("gateway_dns", where("IsResponseCached", "!eq", False)),
    ("audit_logs", where("ActionResult", "eq", True)),
    ("websocket_analytics", where("zoneId", "eq", 1)),
    ("websocket_analytics", where("ClientASN", "eq", 13335)),
    # nested and/or, all fitting
    ("http_requests", {"where": {"or": [cond("ClientCountry", "in", ["de", "fr"]),
                                        {"and": [cond("EdgeResponseStatus", "gt", 499),
                                                 cond("ClientRequestPath", "!startsWith", "/health")]}]}}),
    # unknown dataset, unknown field, unknown operator: other checks report them
    ("no_such_dataset", where("EdgeResponseStatus", "eq", "400")),
    ("http_requests", where("NoSuchField", "eq", "400")),
    ("http_requests", where("EdgeResponseStatus", "neq", "400")),
    ("http_requests", None),
    ("http_requests", {}),
    ("http_requests", "not json"),
]


@pytest.mark.parametrize("dataset,flt", FITTING)
def test_fitting_values_pass(dataset, flt):
    assert filter_type_errors(flt, dataset) == []


FAILING = [
    # (dataset, filter, the one message)
    ("http_requests", where("EdgeResponseStatus", "eq", "400"),
     'EdgeResponseStatus is an int field: give 400, not "400"'),
    ("http_requests", where("EdgeResponseStatus", "eq", True),
     "EdgeResponseStatus is an int field: give a whole number, not true"),
    ("http_requests", where("EdgeResponseStatus", "in", [200, False]),
     "EdgeResponseStatus is an int field: every item of an in/!in list must be a whole number, not [200, false]"),
    ("http_requests", where("EdgeResponseStatus", "eq", 400.5),
     "EdgeResponseStatus is an int field: give a whole number, not 400.5"),
    ("http_requests", where("EdgeResponseStatus", "in", ["200", "201"]),
     'EdgeResponseStatus is an int field: give [200, 201], not ["200", "201"]'),
    ("http_requests", where("EdgeResponseStatus", "in", "200,201"),
     'EdgeResponseStatus: in/!in need a list, such as [200, 201], not "200,201"'),
    ("http_requests", where("ClientCountry", "in", "de"),
     'ClientCountry: in/!in need a list, such as ["de"], not "de"'),
    ("http_requests", where("ClientCountry", "!in", [1]),
     'ClientCountry is a string field: give ["1"], not [1]'),
    ("http_requests", where("ClientCountry", "eq", 1),
     'ClientCountry is a string field: give "1", not 1'),
    ("http_requests", where("EdgeResponseStatus", "gt", "500"),
     'EdgeResponseStatus is an int field: give 500, not "500" (lt/leq/gt/geq compare numbers)'),
    ("http_requests", where("EdgeStartTimestamp", "geq", "2026-01-01T00:00:00Z"),
     'EdgeStartTimestamp is an int or string field: give a number, not "2026-01-01T00:00:00Z" '
     "(lt/leq/gt/geq compare numbers)"),
    ("http_requests", where("EdgeStartTimestamp", "lt", "1700000000"),
     'EdgeStartTimestamp is an int or string field: give 1700000000, not "1700000000" (lt/leq/gt/geq compare numbers)'),
    ("http_requests", where("ClientRequestPath", "contains", ["/a", "/b"]),
     'ClientRequestPath: contains on a string field needs one string, not ["/a", "/b"] (join several conditions with or)'),
    ("http_requests", where("ClientCountry", "lt", 3),
     "ClientCountry is a string field: lt/leq/gt/geq compare numbers only"),
    ("http_requests", where("CacheReserveUsed", "eq", "true"),
     'CacheReserveUsed is a bool field: give true, not "true"'),
    ("http_requests", where("CacheReserveUsed", "eq", 1),
     "CacheReserveUsed is a bool field: give true or false, not 1"),
    ("http_requests", where("CacheReserveUsed", "in", [True]),
     "CacheReserveUsed is a bool field: in/!in do not apply to it; use eq/!eq with true or false"),
    ("http_requests", where("EdgeResponseStatus", "startsWith", "4"),
     "EdgeResponseStatus is an int field: startsWith/endsWith/!startsWith/!endsWith work on string fields only"),
    ("http_requests", where("EdgeResponseStatus", "contains", "4"),
     "EdgeResponseStatus is an int field: contains/!contains work on string and array fields only"),
    ("http_requests", where("ClientRequestPath", "contains", 4),
     'ClientRequestPath: contains needs a string, such as "4", not 4'),
    ("http_requests", where("BotTags", "eq", "api"),
     "BotTags is an array[string] field: only contains/!contains test it (for one item it holds), not eq"),
    ("http_requests", where("BotDetectionIDs", "contains", "7"),
     'BotDetectionIDs is an int field: give 7, not "7" (an item of the array)'),
    ("http_requests", where("Cookies", "eq", "a"),
     "Cookies is an object field: Cloudflare cannot filter on object fields"),
    ("workers_trace_events", where("Logs", "contains", "x"),
     "Logs is an array[object] field: Cloudflare cannot filter on array[object] fields"),
    # account datasets
    ("gateway_http", where("HTTPStatusCode", "eq", "403"),
     'HTTPStatusCode is an int field: give 403, not "403"'),
    ("dns_firewall_logs", where("QueryTCP", "eq", 0),
     "QueryTCP is a bool field: give true or false, not 0"),
    ("network_analytics_logs", where("DestinationPort", "in", 443),
     "DestinationPort: in/!in need a list, such as [443], not 443"),
]


@pytest.mark.parametrize("dataset,flt,message", FAILING)
def test_wrong_values_fail(dataset, flt, message):
    assert filter_type_errors(flt, dataset) == [message]


def test_nested_and_or_lists_every_wrong_condition():
    flt = {"where": {"and": [
        cond("ClientCountry", "eq", "ca"),
        {"or": [cond("EdgeResponseStatus", "eq", "400"),
                {"and": [cond("CacheReserveUsed", "eq", "yes"), cond("BotScore", "lt", 30)]}]},
        cond("ClientCountry", "in", "de"),
    ]}}
    assert filter_type_errors(flt, "http_requests") == [
        'EdgeResponseStatus is an int field: give 400, not "400"',
        'CacheReserveUsed is a bool field: give true or false, not "yes"',
        'ClientCountry: in/!in need a list, such as ["de"], not "de"',
    ]


def test_json_text_is_parsed_first():
    text = json.dumps(where("EdgeResponseStatus", "eq", "400"))
    assert filter_type_errors(text, "http_requests") == ['EdgeResponseStatus is an int field: give 400, not "400"']


def test_unknown_dataset_checks_nothing():
    assert field_types("no_such_dataset") is None
    assert filter_type_errors(where("EdgeResponseStatus", "in", "400"), "no_such_dataset") == []


@pytest.mark.parametrize("dataset,field,type_name", [
    ("http_requests", "EdgeResponseStatus", "int"),
    ("http_requests", "ClientCountry", "string"),
    ("http_requests", "CacheReserveUsed", "bool"),
    ("http_requests", "EdgeResponseCompressionRatio", "float"),
    ("http_requests", "EdgeStartTimestamp", "int or string"),
    ("http_requests", "BotTags", "array[string]"),
    ("http_requests", "BotDetectionIDs", "array[int]"),
    ("http_requests", "RequestHeaders", "object"),
    ("gateway_dns", "ResourceRecords", "array[object]"),
    ("spectrum_events", "ClientAsn", "int"),
    ("zero_trust_network_sessions", "ConnectionReuse", "bool"),
])
def test_documented_types(dataset, field, type_name):
    assert field_types(dataset)[field] == type_name


def test_table_covers_every_dataset_it_names():
    names = datasets()
    assert len(names) == 37
    assert {"http_requests", "firewall_events", "dns_logs", "gateway_dns", "audit_logs", "casb_findings"} <= set(names)
    assert len(field_types("http_requests")) == 108
    assert sum(len(field_types(name)) for name in names) == 1023
    for name in names:
        assert field_types(name), name
