#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: logpush_custom_fields
short_description: The request headers, response headers and cookies a zone's HTTP request logs carry
version_added: 0.1.0
description:
  - Makes sure a zone's Logpush custom fields are the ones given, or that it has none. Every Logpush job of the
    zone with the C(http_requests) dataset then logs them in its C(RequestHeaders), C(ResponseHeaders) and
    C(Cookies) fields (when the job's O(cloudflare_community.logpush.logpush_job#module:output_options.field_names)
    include them).
  - Cloudflare keeps them as the single rule of the zone's entrypoint ruleset of the C(http_log_custom_fields)
    phase (Rulesets API), with the action C(log_custom_field) and the expression C(true). The module reads that
    ruleset with one request, and writes it (a C(PUT) that replaces its rules) only when something differs.
  - Each list given replaces that list; a list not given is kept as the zone has it. Order does not matter.
    Header names are compared and sent in lower case, as Cloudflare requires; cookie names are case sensitive and
    kept as given.
  - Before any write the module checks what Cloudflare allows (at most 100 names per list, a header raw or
    transformed but not both, the request header C(range) is not supported, at least one name in all) and fails
    with a message naming the option.
  - When the zone's entrypoint ruleset holds rules the module does not manage (more than one rule, or a rule with
    another action or expression), the module fails and writes nothing, since a write would replace them.
  - Custom fields are a setting of a zone. O(account_id) is refused; give O(zone_id) or O(zone).
author:
  - Cloudflare Community (@cloudflare-community)
extends_documentation_fragment:
  - cloudflare_community.logpush.common
  - cloudflare_community.logpush.common.action_group
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Reads the zone's custom fields, sends no write, and returns what the real run would leave.
  diff_mode:
    support: full
    details: Shows the lists before and after, sorted.
  platform:
    support: full
    platforms: all
options:
  state:
    description:
      - V(present) sets the lists given; V(absent) removes every custom field of the zone (the ruleset's rules
        are replaced by none; the empty ruleset stays, as Cloudflare's dashboard leaves it).
    type: str
    choices: [present, absent]
    default: present
  request_fields:
    description:
      - Request headers logged with their raw value, as the client sent them (Cloudflare's default for request
        headers).
      - Header names, in any case; they are sent in lower case.
    type: list
    elements: str
  transformed_request_fields:
    description:
      - Request headers logged with their value after Transform Rules changed it.
      - A header cannot be in both O(request_fields) and O(transformed_request_fields).
    type: list
    elements: str
  response_fields:
    description:
      - Response headers logged with their transformed value (Cloudflare's default for response headers).
    type: list
    elements: str
  raw_response_fields:
    description:
      - Response headers logged with their raw value, as the origin sent them.
      - A header cannot be in both O(response_fields) and O(raw_response_fields).
    type: list
    elements: str
  cookie_fields:
    description:
      - Cookies to log, by name. Cookie names are case sensitive and kept as given.
    type: list
    elements: str
  preserve_duplicates:
    description:
      - Response headers (of O(response_fields) or O(raw_response_fields)) whose every value is logged, as a
        list, for headers sent several times such as C(set-cookie). Other headers log their first value.
      - Not given, the zone's current choice is kept (for the headers still logged).
    type: list
    elements: str
notes:
  - Only the C(http_requests) dataset has custom fields. Custom fields of the raw and transformed kinds
    (O(transformed_request_fields), O(raw_response_fields)) can be set only through the API, not the dashboard.
  - A task makes one request when nothing changes (a C(zone) name adds one), and a read plus one C(PUT) when
    something does. The credential must be allowed to read and edit the zone's rulesets.
  - M(cloudflare_community.logpush.logpush_job) and M(cloudflare_community.logpush.logpush_jobs) warn when an
    C(http_requests) job logs C(RequestHeaders), C(ResponseHeaders) or C(Cookies) and the zone has no custom field
    of that kind (one more read per task, only when a job logs those fields).
seealso:
  - module: cloudflare_community.logpush.logpush_job
  - name: Custom fields
    description: Cloudflare's guide to Logpush custom fields, their limits and the rule that holds them.
    link: https://developers.cloudflare.com/logs/logpush/logpush-job/custom-fields/
  - name: Rulesets API
    description: The API of phase entrypoint rulesets that this module drives.
    link: https://developers.cloudflare.com/ruleset-engine/rulesets-api/
"""

EXAMPLES = r"""
- name: Log two request headers, a response header and a cookie in the zone's HTTP request logs
  cloudflare_community.logpush.logpush_custom_fields:
    zone: example.com
    request_fields: [Content-Type, x-forwarded-for]
    response_fields: [server]
    cookie_fields: [__cfruid]

- name: Log every set-cookie value the origin sends, raw
  cloudflare_community.logpush.logpush_custom_fields:
    zone_id: 023e105f4ecef8ad9ca31a8372d0c353
    raw_response_fields: [set-cookie]
    response_fields: []
    preserve_duplicates: [set-cookie]

- name: A job that logs them
  cloudflare_community.logpush.logpush_job:
    zone: example.com
    name: http-with-headers
    dataset: http_requests
    destination_conf: "r2://logs/http/{DATE}?account-id={{ account_id }}&access-key-id={{ r2_key_id }}&secret-access-key={{ r2_secret }}"
    output_options:
      field_names: [RayID, EdgeStartTimestamp, RequestHeaders, ResponseHeaders, Cookies]

- name: Remove every custom field of the zone
  cloudflare_community.logpush.logpush_custom_fields:
    zone: example.com
    state: absent
"""

RETURN = r"""
custom_fields:
  description:
    - The zone's custom fields after the task (in check mode, as they would be), each list sorted. Every list is
      empty when the zone has none.
  returned: always
  type: dict
  contains:
    request_fields:
      description: Request headers logged raw.
      type: list
      elements: str
      sample: [content-type, x-forwarded-for]
    transformed_request_fields:
      description: Request headers logged transformed.
      type: list
      elements: str
      sample: []
    response_fields:
      description: Response headers logged transformed.
      type: list
      elements: str
      sample: [server]
    raw_response_fields:
      description: Response headers logged raw.
      type: list
      elements: str
      sample: []
    cookie_fields:
      description: Cookies logged.
      type: list
      elements: str
      sample: [__cfruid]
    preserve_duplicates:
      description: Response headers whose every value is logged.
      type: list
      elements: str
      sample: []
    enabled:
      description: Whether the zone's rule is enabled (false only for a rule disabled elsewhere, with no change asked).
      type: bool
      sample: true
ruleset:
  description:
    - The zone's C(http_log_custom_fields) entrypoint ruleset after the task, without its rules; null when the zone
      has none. In check mode, as it was read.
  returned: always
  type: dict
  sample: {"id": "2f2feab2026849078ba485f918791bdc", "version": "2", "last_updated": "2026-12-04T10:00:00Z"}
zone_id:
  description: The id that O(zone) was resolved to.
  returned: when O(zone) is given
  type: str
  sample: 023e105f4ecef8ad9ca31a8372d0c353
failure:
  description:
    - What Cloudflare answered when a request failed (the task fails, and C(msg) says what to do). It holds no
      header and no secret.
  returned: when a request to Cloudflare failed
  type: dict
  contains:
    http_status:
      description: The HTTP status, or null when no answer came.
      type: int
      sample: 400
    codes:
      description: Cloudflare's error codes.
      type: list
      elements: int
      sample: [20021]
    messages:
      description: Cloudflare's error messages.
      type: list
      elements: str
      sample: ["'range' is not supported"]
    method:
      description: The HTTP method of the request that failed.
      type: str
      sample: PUT
    path:
      description: The API path of the request that failed.
      type: str
      sample: /zones/023e105f4ecef8ad9ca31a8372d0c353/rulesets/phases/http_log_custom_fields/entrypoint
    retries:
      description: How many times the request was retried before the module gave up.
      type: int
      sample: 0
"""

from ..module_utils._custom_fields import (
    FIELD_TYPES, PHASE, CustomFieldsError, current_fields, desired_fields, public_fields, rule_body, same,
)
from ..module_utils._module import LogpushModule

_NAMES = dict(type="list", elements="str")


class LogpushCustomFields(LogpushModule):
    argument_spec = dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        preserve_duplicates=_NAMES,
        **dict((option, _NAMES) for option in FIELD_TYPES)
    )

    def check_params(self):
        super(LogpushCustomFields, self).check_params()
        params = self.params
        if params["account_id"]:
            self.module.fail_json(msg="account_id: custom fields are a setting of a zone (its http_log_custom_fields "
                                      "ruleset), not of an account; give zone_id or zone.")
        given = [option for option in FIELD_TYPES + ("preserve_duplicates",) if params[option] is not None]
        if params["state"] == "absent" and given:
            self.module.fail_json(msg="state=absent removes every custom field of the zone and takes no list; "
                                      "remove %s from the task." % ", ".join(given))
        if params["state"] == "present" and not given:
            self.module.fail_json(msg="state=present needs at least one of %s." % ", ".join(FIELD_TYPES))
        # lists that are wrong whatever the zone has fail here, before any request; preserve_duplicates may name a
        # response header the zone already logs, so it is checked here only when both response lists are given
        given_only = dict(params)
        if params["response_fields"] is None or params["raw_response_fields"] is None:
            given_only["preserve_duplicates"] = None
        self._checked(lambda: desired_fields(given_only, dict((option, []) for option in FIELD_TYPES), []),
                      only_input=True)

    def _checked(self, compute, only_input=False):
        try:
            return compute()
        except CustomFieldsError as exc:
            if only_input and str(exc).startswith("No custom field would be left"):
                return None  # depends on what the zone has: decided after the read
            self.module.fail_json(msg=str(exc), **self.result)

    def run(self, checked):
        ruleset = self.client.get_phase_entrypoint(self.scope, PHASE)
        rule, current, current_preserved = self._checked(lambda: current_fields(ruleset))
        enabled = rule is not None and rule.get("enabled", True) is not False
        before = public_fields(current, current_preserved, enabled or rule is None)
        self.result["ruleset"] = _ruleset_view(ruleset)
        if self.params["state"] == "absent":
            fields, preserved = dict((option, []) for option in FIELD_TYPES), []
            changed = rule is not None
            rules = []
        else:
            fields, preserved = self._checked(lambda: desired_fields(self.params, current, current_preserved))
            changed = rule is None or not enabled or not same(current, current_preserved, fields, preserved)
            rules = [rule_body(rule, fields, preserved)]
        after = public_fields(fields, preserved) if changed else before
        if changed and not self.module.check_mode:
            # changed only once the write went through: a refused PUT fails the task with changed false
            self.result["ruleset"] = _ruleset_view(self.client.put_phase_entrypoint(self.scope, PHASE, rules))
        self.result.update(changed=changed, custom_fields=after)
        if changed and self.module._diff:
            self.result["diff"] = {"before": before, "after": after}


def _ruleset_view(ruleset):
    if not isinstance(ruleset, dict):
        return None
    return dict((key, ruleset.get(key)) for key in ("id", "version", "last_updated"))


def main():
    LogpushCustomFields.execute()


if __name__ == "__main__":
    main()
