# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection: it may change without notice.
"""An account's Logpush failure alert as data: find, check, compare and build its Notifications policy.

Cloudflare's Notifications API keeps alerts as account policies (``/accounts/{account_id}/alerting/v3/policies``:
Cloudflare API reference, Notification policies; cloudflare-python ``types/alerting/policy.py`` and
``policy_create_params.py``). Logpush has one alert type, ``failing_logpush_job_disabled_alert`` (Cloudflare docs,
Notifications > Available notifications > Logpush, "Failing Logpush Job Disabled", and Logs > Logpush > Alerts and
analytics: "at most one alert per job per 24 hours"). Each rule below says where it comes from and how sure it is.
"""

from __future__ import annotations

import re

from ._redact import destination_secrets, redact_text

# The alert type (cloudflare-python Policy.alert_type literal; the Terraform provider's
# cloudflare_notification_policy alert_type list. Sure.)
ALERT_TYPE = "failing_logpush_job_disabled_alert"
# The three ways a policy notifies: mechanisms.email, .webhooks and .pagerduty, each a list of {"id": ...}; "IDs for
# email type will be the email address" (cloudflare-python PolicyCreateParams.mechanisms and Mechanism: a dict of
# lists of MechanismItem{id}. Sure.) Webhooks and PagerDuty are referred to by the id of a destination made
# beforehand (Notifications docs, "Configure webhooks" / "Configure PagerDuty"). Sure.
MECHANISMS = ("email", "webhooks", "pagerduty")
# A plain address check, to fail before any write on an obvious typo; Cloudflare's own check is not documented.
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Destination ids are UUIDs (cloudflare-python MechanismItem.id: "UUID"), written with or without dashes; only
# what cannot be an id at all (blank, spaces, slashes) is refused here, the rest is left to Cloudflare. Fairly sure.
DESTINATION_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")
# "Name of the policy" is required (PolicyCreateParams.name: Required[str]); its length limit is not documented.
MAX_NAME = 256
DEFAULT_DESCRIPTION = ""
# A URL inside free text, whose credentials (query parameters such as token=, user:password@) are masked.
_URL_IN_TEXT = re.compile(r"\b[A-Za-z][A-Za-z0-9+.-]*://[^\s\"'<>]+")


class NotificationInputError(ValueError):
    """Input the module refuses before any request; the message says what to do."""


def normalise_destinations(option, values):
    """A user's list as it is sent: each item once, e-mail addresses in lower case (their domain part is case
    insensitive, RFC 5321 section 2.4; Cloudflare shows them as typed: so they are compared in lower case)."""
    if values is None:
        return None
    seen = []
    for raw in values:
        value = (raw or "").strip()
        if option == "email":
            if not EMAIL.match(value):
                raise NotificationInputError("email: %r is not an e-mail address." % raw)
            value = value.lower()
        elif not DESTINATION_ID.match(value):
            raise NotificationInputError(
                "%s: %r is not a destination id: give the id of a %s destination of the account (Notifications > "
                "Destinations in the dashboard, or the API's alerting/v3/destinations)." % (
                    option, raw, "webhook" if option == "webhooks" else "PagerDuty"))
        if value not in seen:
            seen.append(value)
    return seen


def description_secrets(text):
    """The credentials inside URLs pasted into a description (a webhook URL with its token, say), found by the
    collection's redactor, so that the module masks them everywhere, its invocation at -vvv included."""
    found = set()
    for url in _URL_IN_TEXT.findall(text or ""):
        found.update(destination_secrets(url))
    return found


def check_input(params):
    """What is wrong whatever the account holds, before any request."""
    name = params.get("name") or ""
    if not name.strip():
        raise NotificationInputError("name: give the name of the notification policy; it is how the task finds it.")
    if len(name) > MAX_NAME:
        raise NotificationInputError("name: at most %d characters." % MAX_NAME)
    for option in MECHANISMS:
        normalise_destinations(option, params.get(option))


def find_policy(policies, name):
    """The account's policy of the Logpush alert type called ``name``, or None.

    A policy is identified by its name and alert type (a policy of another type with the same name is not ours).
    Several of the type with that name: the task cannot tell which one to manage, so it refuses."""
    found = [p for p in (policies or []) if isinstance(p, dict) and p.get("alert_type") == ALERT_TYPE
             and p.get("name") == name]
    if len(found) > 1:
        raise NotificationInputError(
            "The account has %d notification policies of type %s named %r (ids %s): the task cannot tell which one "
            "to manage. Delete or rename all but one (Notifications in the dashboard), then run it again." % (
                len(found), ALERT_TYPE, name, ", ".join(str(p.get("id")) for p in found)))
    return found[0] if found else None


def current_destinations(policy):
    """{mechanism: [ids]} of a policy as Cloudflare answered it. A mechanism Cloudflare leaves out of its answer is
    empty: it omits empty lists (terraform-provider-cloudflare issue #7342, a `pagerduty = []` that never reads back.
    Sure), and only each item's ``id`` is kept (anything else an answer might carry never reaches output)."""
    mechanisms = (policy or {}).get("mechanisms") or {}
    found = {}
    for option in MECHANISMS:
        ids = []
        for item in mechanisms.get(option) or []:
            value = item.get("id") if isinstance(item, dict) else None
            if isinstance(value, str) and value:
                value = value.lower() if option == "email" else value
                if value not in ids:
                    ids.append(value)
        found[option] = ids
    return found


def desired_policy(params, policy):
    """The policy after the task: each list given replaces that list, a list or option not given is kept (for a new
    policy: empty lists, enabled, no description). Raises NotificationInputError for a policy that would notify
    nobody (the dashboard asks for at least one destination; PolicyCreateParams.mechanisms is required. Fairly sure)."""
    current = current_destinations(policy)
    wanted = {}
    for option in MECHANISMS:
        given = normalise_destinations(option, params.get(option))
        wanted[option] = list(current[option]) if given is None else given
    if not any(wanted[option] for option in MECHANISMS):
        raise NotificationInputError(
            "The policy would notify nobody: give at least one of email, webhooks or pagerduty (to remove the alert, "
            "use state=absent).")
    if params.get("enabled") is not None:
        enabled = params["enabled"]
    else:
        enabled = policy.get("enabled", True) is not False if policy else True
    if params.get("description") is not None:
        description = params["description"]
    else:
        description = (policy or {}).get("description") or DEFAULT_DESCRIPTION
    return {"name": params["name"], "description": description, "enabled": enabled, "destinations": wanted}


def view(policy_or_desired, secrets=()):
    """What the module returns and diffs: destinations sorted (order never reads as a change), the description
    through the collection's redactor (a pasted webhook URL with a token in it is masked)."""
    if "destinations" in policy_or_desired:
        destinations = policy_or_desired["destinations"]
    else:
        destinations = current_destinations(policy_or_desired)
    shown = {"name": policy_or_desired.get("name"), "alert_type": ALERT_TYPE,
             "description": redact_text(policy_or_desired.get("description") or "", secrets),
             "enabled": policy_or_desired.get("enabled", True) is not False}
    for option in MECHANISMS:
        shown[option] = sorted(destinations[option])
    return shown


def same(policy, desired):
    current = current_destinations(policy)
    return (policy.get("enabled", True) is not False) == desired["enabled"] \
        and (policy.get("description") or "") == desired["description"] \
        and all(set(current[o]) == set(desired["destinations"][o]) for o in MECHANISMS)


def request_body(desired, policy=None):
    """The body of a POST or PUT: every field of the policy, so that a PUT replaces nothing by accident. The
    ``filters`` and ``alert_interval`` of an existing policy (set elsewhere; the Logpush alert documents none) are
    sent back as read, so that whether Cloudflare's PUT replaces or merges, they are kept (not documented which: the
    reading under which nothing is lost)."""
    body = {"alert_type": ALERT_TYPE, "name": desired["name"], "description": desired["description"],
            "enabled": desired["enabled"],
            "mechanisms": dict((option, [{"id": value} for value in desired["destinations"][option]])
                               for option in MECHANISMS if desired["destinations"][option])}
    for key in ("filters", "alert_interval"):
        if policy and policy.get(key):
            body[key] = policy[key]
    return body
