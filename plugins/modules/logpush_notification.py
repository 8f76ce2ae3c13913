#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: logpush_notification
short_description: The alert Cloudflare sends when it disables a failing Logpush job
version_added: 0.1.0
description:
  - Makes sure an account has a Cloudflare Notifications policy of the alert type
    C(failing_logpush_job_disabled_alert), with the name, e-mail addresses, webhooks and PagerDuty services given,
    or that it has none (O(state=absent)).
  - Cloudflare sends this alert when it disables a Logpush job of the account that kept failing, at most once per
    job per 24 hours; the alert holds the job's id and destination.
  - The policy is found by its O(name) among the account's policies of that alert type (a policy of another type
    with the same name is left alone). The module reads the account's policies with one request, and writes (a
    C(POST), C(PUT) or C(DELETE)) only when something differs.
  - Each list given replaces that list; a list not given is kept as the policy has it. Order does not matter; e-mail
    addresses are compared and sent in lower case.
  - Webhook and PagerDuty destinations are referred to by id; their URLs and secrets stay in the destination, never
    in the policy, and the module neither sends nor returns them. The description it returns passes through the
    collection's redactor, so a URL with a credential pasted into it is masked.
  - Notification policies are a setting of an account. O(zone_id) and O(zone) are refused; give O(account_id).
author:
  - Cloudflare Community (@cloudflare-community)
extends_documentation_fragment:
  - cloudflare_community.logpush.common
  - cloudflare_community.logpush.common.action_group
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Reads the account's policies, sends no write, and returns what the real run would leave.
  diff_mode:
    support: full
    details: Shows the policy before and after, its lists sorted.
  platform:
    support: full
    platforms: all
options:
  name:
    description:
      - The name of the notification policy; the task finds the policy by it.
    type: str
    required: true
  state:
    description:
      - V(present) makes sure the policy exists as given; V(absent) deletes it (nothing happens when there is none).
    type: str
    choices: [present, absent]
    default: present
  description:
    description:
      - The policy's description. Not given, the policy's current one is kept (none for a new policy).
    type: str
  enabled:
    description:
      - Whether the policy sends alerts. Not given, the policy's current state is kept (enabled for a new policy).
    type: bool
  email:
    description:
      - E-mail addresses that receive the alert.
    type: list
    elements: str
  webhooks:
    description:
      - Ids of the account's webhook destinations that receive the alert (Notifications > Destinations).
    type: list
    elements: str
  pagerduty:
    description:
      - Ids of the account's PagerDuty destinations that receive the alert.
    type: list
    elements: str
notes:
  - The alert is for Enterprise plans. A policy needs at least one of O(email), O(webhooks) or O(pagerduty).
  - A task makes one request when nothing changes, and that read plus one C(POST), C(PUT) or C(DELETE) when
    something does. The credential needs the account permission C(Notifications Read) to read and
    C(Notifications Write) to write (Cloudflare's API token permissions).
  - When a C(POST) fails with no clear answer (a timeout), the policy may have been made; running the task again
    finds it by name and does not make a second one.
seealso:
  - module: cloudflare_community.logpush.logpush_job_info
  - name: Logpush alerts and analytics
    description: Cloudflare's page on the alert sent when a failing Logpush job is disabled.
    link: https://developers.cloudflare.com/logs/logpush/alerts-and-analytics/
  - name: Notification policies API
    description: The API this module drives.
    link: https://developers.cloudflare.com/api/resources/alerting/subresources/policies/
"""

EXAMPLES = r"""
- name: E-mail the team when Cloudflare disables a failing Logpush job
  cloudflare_community.logpush.logpush_notification:
    account_id: "{{ account_id }}"
    name: Logpush job disabled
    description: A Logpush job kept failing and Cloudflare disabled it
    email: [logs-oncall@example.com, platform@example.com]

- name: Also call a webhook, and pause the alert for a maintenance window
  cloudflare_community.logpush.logpush_notification:
    account_id: "{{ account_id }}"
    name: Logpush job disabled
    webhooks: [b115d5ec15c641ee8b7692c449b5227b]
    enabled: false

- name: Remove the alert
  cloudflare_community.logpush.logpush_notification:
    account_id: "{{ account_id }}"
    name: Logpush job disabled
    state: absent
"""

RETURN = r"""
policy:
  description:
    - The policy after the task (in check mode, as it would be); null when there is none (after O(state=absent)).
  returned: always
  type: dict
  contains:
    id:
      description: The policy's id; null for a policy that check mode would create.
      type: str
      sample: 0da2b59e-f118-439d-8097-bdfb215203c9
    name:
      description: The policy's name.
      type: str
      sample: Logpush job disabled
    alert_type:
      description: Always C(failing_logpush_job_disabled_alert).
      type: str
      sample: failing_logpush_job_disabled_alert
    description:
      description: The policy's description (secrets in URLs masked).
      type: str
      sample: A Logpush job kept failing and Cloudflare disabled it
    enabled:
      description: Whether the policy sends alerts.
      type: bool
      sample: true
    email:
      description: The e-mail addresses, sorted.
      type: list
      elements: str
      sample: [logs-oncall@example.com]
    webhooks:
      description: The webhook destination ids, sorted.
      type: list
      elements: str
      sample: [b115d5ec15c641ee8b7692c449b5227b]
    pagerduty:
      description: The PagerDuty destination ids, sorted.
      type: list
      elements: str
      sample: []
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
      sample: [17102]
    messages:
      description: Cloudflare's error messages.
      type: list
      elements: str
      sample: ["mechanisms.webhooks[0]: no such webhook destination"]
    method:
      description: The HTTP method of the request that failed.
      type: str
      sample: POST
    path:
      description: The API path of the request that failed.
      type: str
      sample: /accounts/01a7362d577a6c3019a474fd6f485823/alerting/v3/policies
    retries:
      description: How many times the request was retried before the module gave up.
      type: int
      sample: 0
"""

from ..module_utils._module import LogpushModule
from ..module_utils._notification import (
    NotificationInputError, check_input, description_secrets, desired_policy, find_policy, request_body, same, view,
)

_IDS = dict(type="list", elements="str")


class LogpushNotification(LogpushModule):
    # named in the advice for a refused credential (see DOCUMENTATION's notes)
    permission = "Notifications Write"
    argument_spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        description=dict(type="str"),
        enabled=dict(type="bool"),
        email=_IDS,
        webhooks=_IDS,
        pagerduty=_IDS,
    )

    def check_params(self):
        super(LogpushNotification, self).check_params()
        params = self.params
        zone_options = [option for option in ("zone_id", "zone") if params[option]]
        if zone_options:
            self.module.fail_json(msg="%s: notification policies are a setting of an account, not of a zone; give "
                                      "account_id (the account that holds the Logpush jobs)." % zone_options[0])
        given = [option for option in ("description", "enabled", "email", "webhooks", "pagerduty")
                 if params[option] is not None]
        if params["state"] == "absent" and given:
            self.module.fail_json(msg="state=absent deletes the policy and takes only its name; remove %s from the "
                                      "task." % ", ".join(given))
        self._checked(lambda: check_input(params))
        # a description is no secret, but a webhook URL pasted into it may hold one: masked in every output
        self.module.no_log_values.update(description_secrets(params["description"]))

    def _checked(self, compute):
        try:
            return compute()
        except NotificationInputError as exc:
            self.module.fail_json(msg=str(exc), **self.result)

    def _secrets(self):
        return [s for s in (self.params.get("api_token"), self.params.get("api_key")) if s]

    def run(self, checked):
        params = self.params
        policies = self.client.list_notification_policies(self.scope)
        policy = self._checked(lambda: find_policy(policies, params["name"]))
        before = self._shown(policy) if policy else None
        if params["state"] == "absent":
            self.result.update(changed=policy is not None, policy=None)
            if policy is not None and not self.module.check_mode:
                self.client.delete_notification_policy(self.scope, policy["id"])
        else:
            desired = self._checked(lambda: desired_policy(params, policy))
            changed = policy is None or not same(policy, desired)
            policy_id = policy.get("id") if policy else None
            if changed and not self.module.check_mode:
                body = request_body(desired, policy)
                if policy is None:
                    policy_id = self.client.create_notification_policy(self.scope, body).get("id")
                else:
                    self.client.update_notification_policy(self.scope, policy_id, body)
            # Cloudflare answers a write with the id only: the policy after it is what was sent
            after = dict(view(desired, self._secrets()), id=policy_id) if changed else before
            self.result.update(changed=changed, policy=after)
        if self.result["changed"] and self.module._diff:
            self.result["diff"] = {"before": _diffable(before), "after": _diffable(self.result["policy"])}

    def _shown(self, policy):
        return dict(view(policy, self._secrets()), id=policy.get("id"))


def _diffable(policy):
    """The diff leaves out the id (check mode cannot know a new policy's id; the id is no setting)."""
    if policy is None:
        return {}
    return dict((key, value) for key, value in policy.items() if key != "id")


def main():
    LogpushNotification.execute()


if __name__ == "__main__":
    main()
