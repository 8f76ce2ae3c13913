# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection: it may change without notice.
"""A zone's Logpush custom fields as data: read, check, compare and write them.

Cloudflare keeps them as the single rule of the zone's entrypoint ruleset of the ``http_log_custom_fields``
phase (Cloudflare docs, Logs > Logpush > Logpush job setup > API configuration > Custom fields,
https://developers.cloudflare.com/logs/logpush/logpush-job/custom-fields/). Each rule below says where it
comes from and how sure it is.
"""

from __future__ import annotations

import re

from ._client import CloudflareError
from ._job import job_dataset

# The phase, action and expression of the rule (custom fields docs: "Create a rule ... in the
# http_log_custom_fields phase at the zone level. Set the rule action to log_custom_field and the rule
# expression to true." Sure.)
PHASE = "http_log_custom_fields"
ACTION = "log_custom_field"
EXPRESSION = "true"

# The five lists of the rule's action_parameters (custom fields docs, and the SDK type LogCustomFieldRule
# of cloudflare-python, types/rulesets/log_custom_field_rule.py; the raw/transformed variants came in April
# 2025: Cloudflare changelog 2025-04-18 "Custom fields raw and transformed values support". Sure.)
# request_fields are raw request headers, transformed_request_fields transformed ones; response_fields are
# transformed response headers, raw_response_fields raw ones.
FIELD_TYPES = ("request_fields", "transformed_request_fields", "response_fields", "raw_response_fields", "cookie_fields")
HEADER_TYPES = FIELD_TYPES[:4]
RESPONSE_TYPES = ("response_fields", "raw_response_fields")
# "You can only log raw or transformed values ... but not both for the same header" (custom fields docs. Sure.)
EXCLUSIVE_PAIRS = (("request_fields", "transformed_request_fields"), ("response_fields", "raw_response_fields"))
# "Custom fields allow 100 headers per field type -- this applies separately to request_fields,
# transformed_request_fields, response_fields, raw_response_fields, and cookie_fields" (custom fields docs,
# Limitations; before 2025 the page said 40 fields across all types. Sure of the current text.)
MAX_PER_TYPE = 100
# "The request header Range is currently not supported by Custom Fields" (custom fields docs, Limitations.
# Sure of the text; whether the API refuses it or ignores it is not documented, so it is refused here.)
UNSUPPORTED_REQUEST_HEADERS = ("range",)
# An HTTP field name is a token (RFC 9110, section 5.1); Cloudflare wants it in lower case ("You must enter
# HTTP request and response header names in lower case", custom fields docs. Sure), so names are lowered here.
HEADER_NAME = re.compile(r"^[!#$%&'*+\-.^_`|~0-9a-z]+$")
# A cookie name is a token too (RFC 6265, section 4.1.1); its case is kept: "Cookie names are case sensitive"
# (custom fields docs. Sure.)
COOKIE_NAME = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
DESCRIPTION = "Logpush custom fields (cloudflare_community.logpush)"

# Job output fields that hold custom fields, and the lists that feed each (custom fields docs, step 2:
# "include Cookies, RequestHeaders, ResponseHeaders ... in the list of fields". Sure.)
JOB_FIELDS = {
    "RequestHeaders": ("request_fields", "transformed_request_fields"),
    "ResponseHeaders": ("response_fields", "raw_response_fields"),
    "Cookies": ("cookie_fields",),
}


class CustomFieldsError(ValueError):
    """Input or a zone state the module refuses, before any write; the message says what to do."""


def _plural(count, word):
    return "%d %s%s" % (count, word, "" if count == 1 else "s")


def normalise_names(option, names):
    """A user's list as Cloudflare keeps it: header names lowered, cookie names as given, each once."""
    if names is None:
        return None
    cookies = option == "cookie_fields"
    seen = []
    for raw in names:
        name = (raw or "").strip() if cookies else (raw or "").strip().lower()
        if not name:
            raise CustomFieldsError("%s: an empty name; give the %s to log." % (option, "cookie names" if cookies else "header names"))
        if not (COOKIE_NAME if cookies else HEADER_NAME).match(name):
            raise CustomFieldsError(
                "%s: %r is not a valid %s name (letters, digits and !#$%%&'*+-.^_`|~, no spaces or colons)."
                % (option, raw, "cookie" if cookies else "header"))
        if name not in seen:
            seen.append(name)
    return seen


def current_fields(ruleset):
    """What the zone has: (rule or None, {type: [names]}, [response headers with preserve_duplicates]).

    Raises CustomFieldsError when the entrypoint holds rules this module does not manage: more than one
    rule, or a rule with another action or expression. Writing would replace them (a PUT replaces every
    rule of the ruleset: Rulesets API docs, "Update and deploy rulesets". Sure.)"""
    empty = dict((option, []) for option in FIELD_TYPES)
    rules = [r for r in ((ruleset or {}).get("rules") or []) if isinstance(r, dict)]
    if not rules:
        return None, empty, []
    foreign = [r for r in rules if r.get("action") != ACTION or (r.get("expression") or "").strip() != EXPRESSION]
    if len(rules) > 1 or foreign:
        described = "; ".join("action %s, expression %r%s" % (
            r.get("action"), r.get("expression"), ", id %s" % r["id"] if r.get("id") else "") for r in rules)
        raise CustomFieldsError(
            "The zone's %s entrypoint ruleset (id %s) holds %s that this module does not manage (%s). A write would "
            "replace every rule of it, so nothing was written: leave one rule with action %s and expression %s "
            "(in the dashboard, Analytics & Logs > Logpush > Custom log fields, or with the tool that made the others), "
            "then run the task again." % (
                PHASE, (ruleset or {}).get("id"), _plural(len(rules), "rule"), described, ACTION, EXPRESSION))
    rule = rules[0]
    parameters = rule.get("action_parameters") or {}
    fields = {}
    preserved = []
    for option in FIELD_TYPES:
        fields[option] = []
        for item in parameters.get(option) or []:
            name = item.get("name") if isinstance(item, dict) else None
            if name and name not in fields[option]:
                fields[option].append(name)
                if option in RESPONSE_TYPES and item.get("preserve_duplicates") and name not in preserved:
                    preserved.append(name)
    return rule, fields, preserved


def desired_fields(params, current, current_preserved):
    """The fields after the task: each list given replaces that list, a list not given (None) is kept.

    Raises CustomFieldsError for what Cloudflare does not allow, before any request that writes."""
    fields = {}
    for option in FIELD_TYPES:
        given = normalise_names(option, params.get(option))
        fields[option] = list(current[option]) if given is None else given
        if len(fields[option]) > MAX_PER_TYPE:
            raise CustomFieldsError("%s: %s, Cloudflare allows at most %d per field type." % (
                option, _plural(len(fields[option]), "name"), MAX_PER_TYPE))
    for option in ("request_fields", "transformed_request_fields"):
        unsupported = [n for n in fields[option] if n in UNSUPPORTED_REQUEST_HEADERS]
        if unsupported:
            raise CustomFieldsError("%s: Cloudflare does not support the request header %s in custom fields; remove it."
                                    % (option, ", ".join(unsupported)))
    for raw_or_transformed in EXCLUSIVE_PAIRS:
        both = [n for n in fields[raw_or_transformed[0]] if n in fields[raw_or_transformed[1]]]
        if both:
            raise CustomFieldsError(
                "%s and %s both name %s: Cloudflare logs a header either raw or transformed, not both; keep it in "
                "one of the two." % (raw_or_transformed[0], raw_or_transformed[1], ", ".join(both)))
    given = normalise_names("preserve_duplicates", params.get("preserve_duplicates"))
    preserved = [n for n in current_preserved if n in fields["response_fields"] + fields["raw_response_fields"]] \
        if given is None else given
    unknown = [n for n in preserved if n not in fields["response_fields"] + fields["raw_response_fields"]]
    if unknown:
        # preserve_duplicates is a flag of a response header (custom fields docs, "Record duplicate response
        # header values": it applies to response_fields and raw_response_fields. Sure.)
        raise CustomFieldsError("preserve_duplicates: %s %s not in response_fields or raw_response_fields; add %s "
                                "there." % (", ".join(unknown), "is" if len(unknown) == 1 else "are",
                                            "it" if len(unknown) == 1 else "them"))
    if not any(fields[option] for option in FIELD_TYPES):
        # "You must include at least one of the following arrays" (custom fields docs. Sure.)
        raise CustomFieldsError("No custom field would be left: Cloudflare's rule needs at least one name in "
                                "request_fields, transformed_request_fields, response_fields, raw_response_fields or "
                                "cookie_fields. To remove the custom fields, use state=absent.")
    return fields, preserved


def same(fields_a, preserved_a, fields_b, preserved_b):
    """Order does not matter to Cloudflare: each list is a set of names."""
    return all(set(fields_a[o]) == set(fields_b[o]) for o in FIELD_TYPES) and set(preserved_a) == set(preserved_b)


def rule_body(rule, fields, preserved):
    """The one rule to PUT. It keeps the id (and description) of the zone's rule, so that Cloudflare updates
    that rule instead of making a new one (Rulesets API: "include the rule ID of all the rules you wish to
    keep". Sure)."""
    parameters = {}
    for option in FIELD_TYPES:
        if fields[option]:
            parameters[option] = [
                dict({"name": name}, **({"preserve_duplicates": True}
                                        if option in RESPONSE_TYPES and name in preserved else {}))
                for name in fields[option]]
    body = {"action": ACTION, "expression": EXPRESSION, "description": (rule or {}).get("description") or DESCRIPTION,
            "enabled": True, "action_parameters": parameters}
    if rule and rule.get("id"):
        body["id"] = rule["id"]
    return body


def public_fields(fields, preserved, enabled=True):
    """What the module returns and diffs: every list, sorted, so that order never reads as a change."""
    shown = dict((option, sorted(fields[option])) for option in FIELD_TYPES)
    shown["preserve_duplicates"] = sorted(preserved)
    shown["enabled"] = enabled
    return shown


def missing_for_job(ruleset, field_names):
    """The job output fields among RequestHeaders, ResponseHeaders and Cookies that the zone's custom fields
    leave empty (a job logs only the headers and cookies the zone's rule names: custom fields docs, step 2)."""
    try:
        rule, fields, _preserved = current_fields(ruleset)
    except CustomFieldsError:
        return []
    enabled = rule is not None and rule.get("enabled", True) is not False
    return [name for name in JOB_FIELDS if name in (field_names or [])
            and not (enabled and any(fields[option] for option in JOB_FIELDS[name]))]


def warn_missing_custom_fields(module, client, scope, jobs):
    """Warn when a zone's http_requests job logs RequestHeaders, ResponseHeaders or Cookies and the zone has no
    custom field of that kind (the job then logs them empty). One read of the zone's custom fields, only when
    some job asks for those fields; a credential that may not read rulesets gets a warning, never a failure."""
    wanted = [job for job in jobs if isinstance(job, dict) and job_dataset(job) == "http_requests"
              and set(JOB_FIELDS) & set((job.get("output_options") or {}).get("field_names") or [])]
    if not wanted or not scope.startswith("/zones/"):
        return
    try:
        ruleset = client.get_phase_entrypoint(scope, PHASE)
    except CloudflareError as exc:
        module.warn("Could not read the zone's custom fields to check the jobs that log %s: %s" % (
            ", ".join(sorted(JOB_FIELDS)), exc))
        return
    for job in wanted:
        missing = missing_for_job(ruleset, job["output_options"]["field_names"])
        if missing:
            module.warn("Job %s (%s) logs %s, but the zone has no custom field of %s: %s empty. Name the headers or "
                        "cookies with cloudflare_community.logpush.logpush_custom_fields." % (
                            job.get("id") if job.get("id") is not None else "to be created", job.get("name") or "no name",
                            " and ".join(missing), "that kind" if len(missing) == 1 else "those kinds",
                            "it stays" if len(missing) == 1 else "they stay"))
