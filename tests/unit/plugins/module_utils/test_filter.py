# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The filter grammar (``_filter``): Cloudflare's documented examples pass, what its grammar refuses fails
before any request, with a message that names the place and the fix.

DOC_EXAMPLES and DOC_EXAMPLES_REFUSED are the shared list of Cloudflare's own examples; the emulator's tests
hold a copy (tests/emulator/tests/test_filters_grammar.py): the emulator imports nothing from plugins/, and
both copies must keep the same cases.
"""

from __future__ import annotations

import json

import pytest

from ansible_collections.cloudflare_community.logpush.plugins.module_utils._filter import (
    JobInputError, check_filter_limits, filter_type_errors, parse_filter, suggest_operator,
)
from ansible_collections.cloudflare_community.logpush.plugins.module_utils._job_input import desired_from_params


def cond(key, operator, value):
    return {"key": key, "operator": operator, "value": value}


_X = cond("ClientRequestHost", "eq", "example.com")
_Y = cond("ClientCountry", "!eq", "ca")
_Z = cond("EdgeResponseStatus", "in", [200, 201])

# (where it is written, dataset, filter as JSON text) -- every example filter of a Logpush job in Cloudflare's
# sources. The filters page: https://developers.cloudflare.com/logs/logpush/logpush-job/filters/
DOC_EXAMPLES = [
    ("filters page, eq", "http_requests", '{"where":{"key":"ClientRequestHost","operator":"eq","value":"example.com"}}'),
    ("filters page, !eq", "http_requests", '{"where":{"key":"ClientCountry","operator":"!eq","value":"ca"}}'),
    ("filters page, startsWith", "http_requests",
     '{"where":{"key":"ClientRequestPath","operator":"startsWith","value":"/foo"}}'),
    ("filters page, endsWith", "http_requests",
     '{"where":{"key":"ClientRequestPath","operator":"endsWith","value":"/foo"}}'),
    ("filters page, !startsWith", "http_requests",
     '{"where":{"key":"ClientRequestPath","operator":"!startsWith","value":"/foo"}}'),
    ("filters page, !endsWith", "http_requests",
     '{"where":{"key":"ClientRequestPath","operator":"!endsWith","value":"/foo"}}'),
    ("filters page, contains", "http_requests",
     '{"where":{"key":"ClientRequestPath","operator":"contains","value":"/static"}}'),
    ("filters page, !contains", "http_requests",
     '{"where":{"key":"ClientRequestPath","operator":"!contains","value":"/static"}}'),
    ("filters page, in", "http_requests", '{"where":{"key":"EdgeResponseStatus","operator":"in","value":[200,201]}}'),
    ("filters page, !in", "http_requests", '{"where":{"key":"EdgeResponseStatus","operator":"!in","value":[200,201]}}'),
    # The four BotScore examples write "30" as text; as a number they pass (as text: DOC_EXAMPLES_REFUSED).
    ("filters page, lt (30 as a number)", "http_requests", '{"where":{"key":"BotScore","operator":"lt","value":30}}'),
    ("filters page, leq (30 as a number)", "http_requests", '{"where":{"key":"BotScore","operator":"leq","value":30}}'),
    ("filters page, gt (30 as a number)", "http_requests", '{"where":{"key":"BotScore","operator":"gt","value":30}}'),
    ("filters page, geq (30 as a number)", "http_requests", '{"where":{"key":"BotScore","operator":"geq","value":30}}'),
    # "Logical Operators": X AND Y AND Z, X OR Y OR Z, X AND (Y OR Z), (X AND Y) OR Z
    ("filters page, X AND Y AND Z", "http_requests", json.dumps({"where": {"and": [_X, _Y, _Z]}})),
    ("filters page, X OR Y OR Z", "http_requests", json.dumps({"where": {"or": [_X, _Y, _Z]}})),
    ("filters page, X AND (Y OR Z)", "http_requests", json.dumps({"where": {"and": [_X, {"or": [_Y, _Z]}]}})),
    ("filters page, (X AND Y) OR Z", "http_requests", json.dumps({"where": {"or": [{"and": [_X, _Y]}, _Z]}})),
    # The filters page's API request; the same filter is the OpenAPI schema's `logpush_job_filter` example, the
    # Terraform provider's docs/resources/logpush_job.md example, and cloudflare-go v0's logpush_test.go.
    ("filters page, API request", "http_requests",
     '{"where":{"and":[{"key":"ClientRequestPath","operator":"contains","value":"/static"},'
     '{"key":"ClientRequestHost","operator":"eq","value":"example.com"}]}}'),
    # Terraform provider v5, internal/services/logpush_job/resource_test.go
    ("terraform provider tests, ColoCode", "gateway_dns", '{"where":{"and":[{"key":"ColoCode","operator":"!eq","value":"IAD"}]}}'),
    ("terraform provider tests, ClientRequestHost", "http_requests",
     '{"where":{"and":[{"key":"ClientRequestHost","operator":"!eq","value":"abc.com"}]}}'),
    # cloudflare-go v0 logpush_test.go, "filtered edge logpush job"
    ("cloudflare-go tests, edge job", "http_requests",
     '{"where":{"key":"ClientRequestHost","operator":"eq","value":"example.com"}}'),
]

# Cloudflare's examples that are refused, with the words the message must hold (the fix).
DOC_EXAMPLES_REFUSED = [
    ("filters page, lt as written", '{"where":{"key":"BotScore","operator":"lt","value":"30"}}', 'give 30, not "30"'),
    ("filters page, leq as written", '{"where":{"key":"BotScore","operator":"leq","value":"30"}}', 'give 30, not "30"'),
    ("filters page, gt as written", '{"where":{"key":"BotScore","operator":"gt","value":"30"}}', 'give 30, not "30"'),
    ("filters page, geq as written", '{"where":{"key":"BotScore","operator":"geq","value":"30"}}', 'give 30, not "30"'),
    # Instant Logs page (https://developers.cloudflare.com/logs/instant-logs/) and the OpenAPI schema's
    # `logpush_filter` example: `neq` is in no operator table.
    ("instant logs page, neq", '{"where":{"and":[{"key":"ClientCountry","operator":"neq","value":"ca"}]}}',
     'did you mean "!eq"?'),
    # The same page's `in` with text: Cloudflare refused it (cloudflare-docs issue #26491, code 1004).
    ("instant logs page, in with text",
     '{"where":{"and":[{"key":"EdgeResponseStatus","operator":"in","value":"200,201"}]}}', "such as [200, 201]"),
    # The same page's third example nests a second "where" inside "and" (and does not close its brackets).
    ("instant logs page, where inside and",
     '{"where":{"and":[{"key":"ClientRequestPath","operator":"contains","value":"/static"},'
     '{"where":{"and":[{"key":"ClientRequestHost","operator":"eq","value":"example.com"}]}}]}}',
     '"where" belongs at the top only'),
    # Terraform provider issue #2470: a condition without "where".
    ("terraform issue 2470, no where", '{"key":"ClientCountry","operator":"!eq","value":"us"}',
     'write {"where": {"key": "ClientCountry", "operator": "!eq", "value": "us"}}'),
]


def check(text, dataset="http_requests"):
    """Every check the module makes before a request: grammar, limits, field types."""
    desired = desired_from_params({"filter": text})
    errors = filter_type_errors(desired["filter"], dataset)
    if errors:
        raise JobInputError("filter: %s." % "; ".join(errors))
    return desired


@pytest.mark.parametrize("where, dataset, text", DOC_EXAMPLES, ids=[c[0] for c in DOC_EXAMPLES])
def test_cloudflare_examples_pass(where, dataset, text):
    assert json.loads(check(text, dataset)["filter"]) == json.loads(text)


@pytest.mark.parametrize("where, text, fix", DOC_EXAMPLES_REFUSED, ids=[c[0] for c in DOC_EXAMPLES_REFUSED])
def test_cloudflare_examples_cloudflare_refuses_fail_with_the_fix(where, text, fix):
    with pytest.raises(JobInputError) as info:
        check(text)
    assert fix in str(info.value)
    assert str(info.value).startswith("filter")


def where(node):
    return {"where": node}


TOO_MANY = where({"or": [cond("EdgeResponseStatus", "eq", n) for n in range(31)]})
# 19 short conditions and 12 nested or groups: 31 operators in under 1,000 bytes
NESTED = {"or": [cond("RayID", "eq", "a")] * 8}
for _level in range(11):
    NESTED = {"or": [NESTED, cond("RayID", "eq", "b")]}
TOO_LONG = where(cond("ClientRequestPath", "startsWith", "/" + "a" * 1000))

INVALID = [
    # the user's case: Cloudflare spells it startsWith
    (where(cond("ClientRequestPath", "startswith", "/api")), 'operator "startswith" at where is not one of '
     "Cloudflare's operators; did you mean \"startsWith\"?"),
    (where(cond("ClientRequestPath", "STARTSWITH", "/api")), 'did you mean "startsWith"?'),
    (where(cond("ClientRequestPath", "starts_with", "/api")), 'did you mean "startsWith"?'),
    (where(cond("ClientRequestPath", "!endswith", "/api")), 'did you mean "!endsWith"?'),
    (where(cond("ClientRequestPath", "not_contains", "/api")), 'did you mean "!contains"?'),
    (where(cond("EdgeResponseStatus", "gte", 500)), 'did you mean "geq"?'),
    (where(cond("EdgeResponseStatus", "nin", [500])), 'did you mean "!in"?'),
    (where(cond("EdgeResponseStatus", "IN", [500])), 'did you mean "in"?'),
    (where(cond("ClientCountry", "matches", "c.*")), 'operator "matches" at where is not one of Cloudflare\'s operators. '
     "Cloudflare spells them exactly, case included: eq, !eq"),
    (where({"and": [cond("ClientCountry", "eq", "ca"), cond("RayID", "eq", 1), cond("RayID", "Eq", "x")]}),
     'at where.and[2] is not one of'),
    # and/or take lists
    (where({"and": cond("ClientCountry", "eq", "ca")}), '"and" at where takes a list, not an object: write {"and": [{'),
    (where({"or": "ClientCountry"}), '"or" at where must be a non-empty list'),
    (where({"and": []}), '"and" at where must be a non-empty list'),
    (where({"and": [cond("ClientCountry", "eq", "ca")], "or": [cond("ClientCountry", "eq", "de")]}),
     'where has "and" beside "or"; a group holds only its list'),
    (where({"and": [cond("ClientCountry", "eq", "ca")], "key": "RayID"}), 'where has "and" beside "key"'),
    (where({"AND": [cond("ClientCountry", "eq", "ca")]}), 'where has \'AND\'; Cloudflare spells the group "and"'),
    (where([cond("ClientCountry", "eq", "ca")]), "where must be an object"),
    (where({"and": ["ClientCountry"]}), "where.and[0] must be an object"),
    # conditions
    (where({"key": "ClientCountry", "operator": "eq"}), "the condition at where has no value"),
    (where({"key": "ClientCountry", "operator": "eq", "value": None}), "the condition at where has no value"),
    (where({"operator": "eq", "value": "ca"}), "the condition at where has no key"),
    (where({"key": "ClientCountry", "value": "ca"}), "has no operator"),
    (where(dict(cond("ClientCountry", "eq", "ca"), comment="x")), 'the condition at where has "comment"'),
    (where({"Key": "ClientCountry", "operator": "eq", "value": "ca"}), 'write "key" in lower case'),
    (where(cond("", "eq", "ca")), "key at where must be a field name"),
    (where(cond(["ClientCountry"], "eq", "ca")), "key at where must be a field name"),
    ({"where": cond("ClientCountry", "eq", "ca"), "limit": 5}, "unknown top-level key(s) 'limit'"),
    # value shape per operator
    (where(cond("EdgeResponseStatus", "in", "200,201")), "in/!in take a list, such as [200, 201]"),
    (where(cond("ClientCountry", "!in", "ca")), 'in/!in take a list, such as ["ca"]'),
    (where(cond("ClientCountry", "in", [])), "in/!in need at least one value"),
    (where(cond("ClientCountry", "in", [["ca"]])), "every item of an in/!in list must be a string or a number"),
    (where(cond("ClientCountry", "in", [True])), "every item of an in/!in list"),
    (where(cond("EdgeResponseStatus", "gt", "500")), 'give 500, not "500"'),
    (where(cond("EdgeResponseStatus", "lt", [500])), "lt/leq/gt/geq compare numbers: give a number"),
    (where(cond("EdgeResponseStatus", "geq", True)), "lt/leq/gt/geq compare numbers"),
    (where(cond("ClientRequestPath", "startsWith", ["/a", "/b"])), "startsWith takes one string"),
    (where(cond("ClientRequestPath", "!endsWith", 5)), "!endsWith takes one string"),
    (where(cond("ClientRequestPath", "contains", {"a": 1})), "contains/!contains take a string"),
    (where(cond("ClientRequestPath", "contains", [])), "contains/!contains take a string"),
    (where(cond("ClientCountry", "eq", ["ca", "de"])), "for several values use in/!in with a list"),
    (where(cond("ClientCountry", "!eq", {"a": 1})), "eq/!eq take one string"),
    # limits
    (TOO_MANY, "filter has 32 operators (31 conditions and 1 and/or groups); Cloudflare allows about 30"),
    (where(NESTED), "filter has 31 operators (19 conditions and 12 and/or groups)"),
    (TOO_LONG, "bytes long as compact JSON; Cloudflare allows at most 1000"),
]


@pytest.mark.parametrize("flt, message", INVALID)
@pytest.mark.parametrize("as_text", [False, True])
def test_what_the_grammar_refuses_fails_naming_the_place_and_the_fix(flt, message, as_text):
    with pytest.raises(JobInputError) as info:
        check(json.dumps(flt) if as_text else flt)
    assert message in str(info.value)


def test_the_nested_case_is_under_1000_bytes_so_only_the_count_refuses_it():
    text = json.dumps(where(NESTED), separators=(",", ":"))
    assert len(text) < 1000
    assert text.count('"operator"') == 19 and text.count('"or"') == 12


@pytest.mark.parametrize("flt", [
    where({"or": [cond("RayID", "eq", str(n)) for n in range(20)]}),  # 21 operators, 908 bytes
    where(cond("ClientRequestPath", "startsWith", "/" + "a" * 900)),
    where({"and": [{"and": [{"and": [{"or": [cond("ClientCountry", "eq", "ca")]}]}]}]}),  # nesting: no depth limit
    where(cond("ClientCountry", "in", ["ca", 5])),  # in: strings and numbers
    where(cond("ClientRequestPath", "contains", ["/a", "/b"])),  # contains: a list passes the grammar
    where(cond("EdgeResponseStatus", "eq", 200.0)),
    where(cond("ClientCountry", "eq", "")),
])
def test_within_the_grammar_and_limits_passes(flt):
    text = json.dumps(flt, separators=(",", ":"))
    assert parse_filter(text) == flt
    check_filter_limits(text)


def test_the_byte_limit_counts_the_compact_text_the_module_sends():
    # 996 bytes compact, more with the spaces json.dumps puts by default: it passes
    flt = where(cond("ClientRequestPath", "startsWith", "/" + "a" * (1000 - 4 - len(json.dumps(
        where(cond("ClientRequestPath", "startsWith", "/")), separators=(",", ":"))))))
    compact = json.dumps(flt, separators=(",", ":"))
    assert len(compact) == 996 and len(json.dumps(flt)) > 1000
    assert check(json.dumps(flt))["filter"] == compact


@pytest.mark.parametrize("written, meant", [
    ("startswith", "startsWith"), ("StartsWith", "startsWith"), ("ends_with", "endsWith"), ("notStartsWith", "!startsWith"),
    ("!Contains", "!contains"), ("neq", "!eq"), ("ne", "!eq"), ("!=", "!eq"), ("==", "eq"), ("lte", "leq"), (">", "gt"),
    ("not in", "!in"), ("NOT_IN", "!in"), ("matches", None), (5, None),
])
def test_suggest_operator(written, meant):
    assert suggest_operator(written) == meant


@pytest.mark.parametrize("flt", ["", None, {}, "  "])
def test_an_empty_filter_clears_it(flt):
    assert parse_filter(flt) is None


# -- the modules: the grammar is checked in check_params, before any request, in check mode too ----------------

ZONE_ID = "023e105f4ecef8ad9ca31a8372d0c353"
R2 = ("r2://logs/http?account-id=01a7362d577a6c3019a474fd6f485823&access-key-id=canary-keyid-1c2d"
      "&secret-access-key=canary-secret-7f3a9b0c")
STARTSWITH = {"where": {"and": [cond("ClientRequestHost", "eq", "example.com"),
                                cond("ClientRequestPath", "startswith", "/api")]}}


def _module_args(server, **args):
    return dict(args, api_token="canary-api-token-5b1f0e7d", api_base_url=server.url, zone_id=ZONE_ID, timeout=5)


@pytest.mark.parametrize("check_mode", [True, False])
def test_logpush_jobs_refuses_a_wrong_case_operator_before_any_request(server, run_module, check_mode):
    from ansible_collections.cloudflare_community.logpush.plugins.modules import logpush_jobs
    jobs = [dict(name="first", dataset="http_requests", destination_conf=R2),
            dict(name="api", dataset="http_requests", destination_conf=R2, filter=STARTSWITH)]
    result = run_module(logpush_jobs.main, _module_args(server, jobs=jobs, purge=True), check_mode=check_mode)
    assert result["failed"] is True and not result.get("changed")
    assert result["msg"].startswith('jobs[1] (api): filter: operator "startswith" at where.and[1] is not one of '
                                    'Cloudflare\'s operators; did you mean "startsWith"?')
    assert server.seen == []


@pytest.mark.parametrize("flt, fragment", [
    (STARTSWITH, 'did you mean "startsWith"?'),
    (where({"and": cond("ClientCountry", "eq", "ca")}), '"and" at where takes a list'),
    (where(cond("EdgeResponseStatus", "in", "500,502")), "such as [500, 502]"),
    (TOO_MANY, "Cloudflare allows about 30"),
])
@pytest.mark.parametrize("check_mode", [True, False])
def test_logpush_job_refuses_what_the_grammar_refuses_before_any_request(server, run_module, check_mode, flt, fragment):
    from ansible_collections.cloudflare_community.logpush.plugins.modules import logpush_job
    result = run_module(logpush_job.main, _module_args(server, name="api", destination_conf=R2, filter=flt),
                        check_mode=check_mode)
    assert result["failed"] is True and not result.get("changed")
    assert fragment in result["msg"] and result["msg"].startswith("filter")
    assert server.seen == []
