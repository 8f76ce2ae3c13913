# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Push error codes: the table says what each code means (or that no source says), and explain() finds a code
only where it stands as a number of its own."""

from __future__ import annotations

import pytest

from ansible_collections.cloudflare_community.logpush.plugins.module_utils._push_errors import (
    ALERTS_PAGE, CODES, HEALTH_PAGE, entry, explain)


def codes(found):
    return [item["code"] for item in found]


def test_the_table_holds_exactly_cloudflares_codes():
    assert CODES == (1101, 1102, 1103, 1104, 1105, 1106, 1107, 1108, 1201)


@pytest.mark.parametrize("code, name, words", [
    (1102, "ConnectionTimeout", "TCP connection"),
    (1105, None, "resolve the destination's hostname"),
    (1106, "Timeout", "TLS handshake"),
])
def test_documented_codes_say_what_they_mean(code, name, words):
    item = entry(code)
    assert item["name"] == name
    assert words in item["meaning"]
    assert item["action"]
    assert not item["meaning"].startswith("no public meaning")


@pytest.mark.parametrize("code", [1101, 1103, 1104, 1107, 1108, 1201])
def test_undocumented_codes_invent_no_meaning(code):
    item = entry(code)
    assert item["name"] is None
    assert item["meaning"].startswith("no public meaning found")
    assert item["source"] == HEALTH_PAGE


def test_each_entry_points_to_cloudflares_page():
    assert entry(1105)["source"] == ALERTS_PAGE
    assert set(entry(code)["source"] for code in CODES) == {ALERTS_PAGE, HEALTH_PAGE}


def test_an_entry_is_a_copy():
    entry(1105)["meaning"] = "changed"
    assert entry(1105)["meaning"] != "changed"


def test_unknown_code_has_no_entry():
    assert entry(1100) is None
    assert entry(1109) is None
    assert entry(200) is None


@pytest.mark.parametrize("text, expected", [
    ("upload failed: status 1105", [1105]),
    ("1102", [1102]),
    ("error 1201 while pushing", [1201]),
    ("code:1106", [1106]),
    ("status=1102, then status=1106", [1102, 1106]),
    ("(1103) (1104) [1107] '1108' \"1101\"", [1103, 1104, 1107, 1108, 1101]),
    ("1106 Timeout; retried; 1106 Timeout again; then 1105", [1106, 1105]),
    ("1105\n1102", [1105, 1102]),
])
def test_explain_finds_codes_in_order_once(text, expected):
    assert codes(explain(text)) == expected


@pytest.mark.parametrize("text", [
    None, "", "error writing object: error uploading: HTTP 500",
    "11050 lines dropped",          # part of a longer number
    "request 21105 failed",
    "1100 and 1109 are not codes",  # neighbours of the range
    "1200",
    "took 1105.5 ms",               # a decimal
    "bucket a1105f",                # inside a word or hex id
    "id 3fa81105",
    "id 3fa8-1105-4c2b",            # a dashed id
    "s3://logs/1105/2026",          # a path segment
    "dial tcp 203.0.113.5:1201: connect: connection refused",  # a port
    "dial tcp example.com:1102: i/o timeout",
    "dial tcp [2001:db8::1]:1106: i/o timeout",
    "localhost:1105",
    "version 2.1105",
])
def test_explain_finds_nothing_that_is_not_a_code_of_its_own(text):
    assert explain(text) == []


def test_explain_takes_a_graphql_status_number():
    assert codes(explain(1105)) == [1105]
    assert explain(200) == []
    assert explain(True) == []


def test_explain_returns_whole_entries():
    assert explain("status 1105") == [entry(1105)]
