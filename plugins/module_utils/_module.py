# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection: it may change without notice.
"""The base every module of the collection uses.

It builds the module from the shared options (declared in ``_spec``) and the module's own, builds the
client, resolves the scope (``zone_id`` | ``zone`` | ``account_id``) and is the one error funnel: every
failure leaves through ``fail()``, with a message that says what to do and a ``failure`` dict without secrets.
"""

from __future__ import annotations

import os

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ._client import (
    COLLECTION, COLLECTION_VERSION, HAS_REQUESTS, REQUESTS_IMPORT_ERROR,
    CloudflareClient, CloudflareError, CredentialError, resolve_credentials,
)
from ._errors import JobInputError, WriteFailure
from ._ratelimit import shared_limiter
from ._redact import destination_secrets, redact_text, secret_forms
from ._spec import common_argument_spec
from ._zones import HEX_ID, ZoneAmbiguous, ZoneNotFound, bad_zone_name, resolve_zone


SCOPE_OPTIONS = ("zone_id", "zone", "account_id")
# The credential rules are _client.resolve_credentials' (they depend on where each value came from): none here.
COMMON_MUTUALLY_EXCLUSIVE = []
COMMON_REQUIRED_TOGETHER = []
COMMON_REQUIRED_ONE_OF = []


# What to do about an error, by Cloudflare error code or HTTP status. Said once, for every module.
_ADVICE_BY_CODE = {
    9106: "No credential reached Cloudflare: set api_token (or api_email and api_key), or the "
          "environment variable CLOUDFLARE_API_TOKEN.",
    10000: "Cloudflare did not accept the credential: check api_token (or api_email and api_key), and that "
           "it is allowed this zone or account with the permission '{permission}'.",
    1004: "The credential lacks a permission: this task needs '{permission}' on this zone or account "
          "(and 'Zero Trust: PII Read' for Logpush's Zero Trust datasets).",
    971: "Cloudflare's rate limit (1,200 requests per 5 minutes per user) was hit: run with fewer "
         "forks, or raise max_retries so that tasks wait for the window to pass.",
}
_ADVICE_BY_STATUS = {
    401: _ADVICE_BY_CODE[10000],
    403: _ADVICE_BY_CODE[10000],
    429: _ADVICE_BY_CODE[971],
}


def advice_for(error, permission="Logs: Write"):
    """One sentence that says how to fix ``error``, or None. ``permission``: the API token permission the
    module needs (Cloudflare's permission group names: "Logs Write", "Notifications Write")."""
    text = " ".join(m.lower() for m in error.failure()["messages"] if m)
    if "ownership challenge" in text:
        return ("Request a new challenge with cloudflare_community.logpush.logpush_ownership and pass the "
                "token from the file it writes as ownership_challenge; a token is bound to this zone or "
                "account and to the exact destination_conf string, and expires after 7 days.")
    if "validating destination" in text:
        return ("Cloudflare could not write a test object to the destination: check that it exists, that "
                "Cloudflare may write to it (bucket policy, keys, header values) and that its URL is right.")
    if "exceeded max jobs" in text:
        # Recorded on Free, Pro and Workers Paid zones with no job at all: the quota is 0 where the
        # plan has no entitlement for the dataset (Cloudflare's Logpush availability table).
        return ("Cloudflare allows no more jobs of this dataset here. Most often the plan has no Logpush "
                "entitlement for this dataset (its quota is then 0, even with no job at all): check the "
                "dataset's availability for the plan. Otherwise the zone or account has as many jobs of this "
                "dataset as its quota allows: delete an unused one, or ask Cloudflare to raise the quota.")
    if error.path == "/zones" and error.http_status in (401, 403):
        return ("The credential may not look up zones by name: give the API token the permission 'Zone: Read' "
                "on this zone, or give zone_id instead of zone.")
    for code in error.failure()["codes"]:
        if code in _ADVICE_BY_CODE:
            return _ADVICE_BY_CODE[code].format(permission=permission)
    if error.http_status == 404:
        return ("Cloudflare knows no such object here: check api_base_url, the zone or account id, and the job "
                "id.")
    advice = _ADVICE_BY_STATUS.get(error.http_status)
    return advice.format(permission=permission) if advice else None


class _MaskingAnsibleModule(AnsibleModule):
    """An AnsibleModule that masks the secrets inside ``destination_conf`` from the moment it reads them.

    ``destination_conf`` is not ``no_log`` as a whole: then Ansible would hide every destination in
    results and diffs, even ``s3://bucket/logs`` with nothing secret in it. Instead the credentials
    inside it join ``no_log_values`` before argument validation, so they are masked in everything the
    module returns, the ``invocation`` of a failed validation included.
    """

    def _load_params(self):
        super(_MaskingAnsibleModule, self)._load_params()
        params = self.params if isinstance(self.params, dict) else {}
        # logpush_job's destination_conf, and each of logpush_jobs' items'
        items = [params] + [item for item in (params.get("jobs") or []) if isinstance(item, dict)]
        for item in items:
            if isinstance(item.get("destination_conf"), str):
                self.no_log_values.update(destination_secrets(item["destination_conf"]))


class LogpushModule(object):
    """Base of every module: subclasses set ``argument_spec`` (and friends) and write ``run()``,
    which fills ``self.result``; ``execute()`` builds the module, checks, runs and exits."""

    argument_spec = {}
    # how a task names its zone or account: exactly one of these (a module that reads several scopes
    # adds its own options to both)
    scope_required_one_of = SCOPE_OPTIONS
    scope_mutually_exclusive = [SCOPE_OPTIONS]
    mutually_exclusive = []
    required_together = []
    required_one_of = []
    required_if = []
    supports_check_mode = True
    # the API token permission the module needs, named in the advice for a refused credential
    permission = "Logs: Write"

    def __init__(self, module):
        self.module = module
        self.params = module.params
        self.result = {"changed": False}
        self._scope = None
        if not HAS_REQUESTS:
            module.fail_json(msg=missing_required_lib("requests"), exception=str(REQUESTS_IMPORT_ERROR))
        self._use_credentials(module)
        if not self.params["validate_certs"]:
            module.warn("validate_certs is false: the API's TLS certificate is not checked, so anyone on the path "
                        "can read the credential. Use it only for a test endpoint.")
        self.client = CloudflareClient(
            rate_limiter=self._rate_limiter(),
            base_url=self.params["api_base_url"],
            api_token=self.params["api_token"],
            api_email=self.params["api_email"],
            api_key=self.params["api_key"],
            timeout=self.params["timeout"],
            validate_certs=self.params["validate_certs"],
            max_retries=self.params["max_retries"],
            user_agent="%s/%s (%s)" % (COLLECTION, COLLECTION_VERSION, type(self).__name__),
        )

    def _use_credentials(self, module):
        """Resolve the credential (the task's, else the environment's) into ``params``, every form of each
        secret masked in all output from here on, raw and stripped alike."""
        raw = [self.params.get("api_token"), self.params.get("api_key"),
               os.environ.get("CLOUDFLARE_API_TOKEN"), os.environ.get("CLOUDFLARE_API_KEY")]
        for value in raw:
            module.no_log_values.update(secret_forms(value))
        try:
            resolved = resolve_credentials(self.params, os.environ)
        except CredentialError as exc:
            module.fail_json(msg=str(exc))
        for option in ("api_token", "api_email", "api_key"):
            self.params[option] = resolved[option]
        if resolved["stripped"]:
            module.warn("Whitespace around %s was removed (a YAML block scalar or a vault string ends with a "
                        "newline); Cloudflare's credentials never hold whitespace." % " and ".join(resolved["stripped"]))

    def _rate_limiter(self):
        """The token bucket this credential shares with every other module process on this host."""
        params = self.params
        if params["rate_limit"] < 0 or params["rate_limit_window"] <= 0:
            self.module.fail_json(msg="rate_limit must be 0 (off) or more, and rate_limit_window more than 0 seconds.")
        return shared_limiter(params, getattr(self.module, "_remote_tmp", None) or "~/.ansible/tmp", self.module.warn)

    @classmethod
    def build_module(cls):
        spec = common_argument_spec()
        spec.update(cls.argument_spec)
        return _MaskingAnsibleModule(
            argument_spec=spec,
            mutually_exclusive=COMMON_MUTUALLY_EXCLUSIVE + list(cls.scope_mutually_exclusive) + list(cls.mutually_exclusive),
            required_together=COMMON_REQUIRED_TOGETHER + list(cls.required_together),
            required_one_of=COMMON_REQUIRED_ONE_OF + [cls.scope_required_one_of] + list(cls.required_one_of),
            required_if=list(cls.required_if),
            supports_check_mode=cls.supports_check_mode,
        )

    @classmethod
    def execute(cls):
        """What each module's ``main()`` calls."""
        module = cls.build_module()
        instance = cls(module)
        try:
            # what check_params made of the task goes to run() as a value
            instance.run(instance.check_params())
        except JobInputError as exc:
            # bad input, or a check before any write that did not pass: the message says what to do
            module.fail_json(msg=str(exc), changed=False)
        except WriteFailure as exc:
            # a refused write, with what the task had done before it
            instance.fail(exc.error, exc.context, **exc.returned)
        except CloudflareError as exc:
            instance.fail(exc)
        module.exit_json(**instance.result)

    # -- to be written by each module ----------------------------------------------------------

    def check_params(self):
        """Refuse bad input before any request, and return what ``run()`` needs of it (the base: None).
        The base checks the scope ids."""
        for option in ("zone_id", "account_id"):
            value = self.params.get(option)
            if value is not None and not HEX_ID.match(value):
                self.module.fail_json(
                    msg="%s must be a 32-character lower-case hex id (the dashboard shows it on the "
                        "overview page), got %r.%s" % (
                            option, value, " To name a zone instead, use zone." if option == "zone_id" else ""))
        zone = self.params.get("zone")
        if zone is not None and bad_zone_name(zone):
            self.module.fail_json(msg="zone must be a zone name such as example.com, got %r." % zone)

    # -- shared services -----------------------------------------------------------------------

    @property
    def scope(self):
        """The API path prefix of the zone or account, e.g. ``/zones/<id>``; resolves ``zone``."""
        if self._scope is None:
            if self.params.get("account_id"):
                self._scope = "/accounts/%s" % self.params["account_id"]
            elif self.params.get("zone_id"):
                self._scope = "/zones/%s" % self.params["zone_id"]
            else:
                self._scope = "/zones/%s" % self._resolve_zone(self.params["zone"])
        return self._scope

    @property
    def is_account(self):
        return bool(self.params.get("account_id"))

    def _resolve_zone(self, zone):
        try:
            zone_id = resolve_zone(self.client, zone)["id"]
        except ZoneNotFound as exc:
            self.module.fail_json(msg="%s: check the name, and that the API token's Zone Resources include this zone "
                                      "(or give zone_id)." % exc)
        except ZoneAmbiguous as exc:
            self.module.fail_json(msg="%s: give zone_id to choose one." % exc)
        self.result["zone_id"] = zone_id
        return zone_id

    def protect(self, destination_conf):
        """Mask every secret inside a destination_conf wherever it could appear in output."""
        if destination_conf:
            self.module.no_log_values.update(destination_secrets(destination_conf))

    def error_text(self, error):
        """An error's text with every credential masked (for a message, or an item's ``reason``)."""
        secrets = [s for s in (self.params.get("api_token"), self.params.get("api_key")) if s]
        return redact_text(str(error), secrets)

    def fail(self, error, msg=None, **extra):
        """The one error funnel: a message that says what to do, and a structured ``failure``.

        What ``run()`` put in ``self.result`` goes with it: ``changed`` says whether a write went through
        before the error (False until a module records one), and a module that made several writes adds
        what each item got."""
        secrets = [s for s in (self.params.get("api_token"), self.params.get("api_key")) if s]
        message = self.error_text(error)
        if msg:
            message = "%s: %s" % (msg, message)
        advice = advice_for(error, self.permission)
        if advice:
            message = "%s %s" % (message.rstrip("."), "- " + advice)
        failure = error.failure()
        failure["messages"] = [redact_text(m, secrets) for m in failure["messages"] if m is not None]
        self.module.fail_json(msg=message, failure=failure, **dict(self.result, **extra))
