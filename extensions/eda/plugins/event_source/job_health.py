# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""An Event-Driven Ansible event source: the health of Logpush jobs, as events when it changes.

ansible-rulebook runs this file (``runpy.run_path``) and awaits ``main(queue, args)``. The HTTP client,
the job's public shape and health, the redactor and the shared rate limiter are the collection's own
module_utils, the very code the modules run.
"""

from __future__ import annotations

import asyncio
import collections
import json
import logging
import os
import re
import sys
import tempfile
import time
from datetime import datetime, timezone


def _collection_root():
    """The folder that holds ``ansible_collections/``, found from this file's place in the collection.

    ansible-rulebook runs this file by its path and puts nothing on ``sys.path``; the collection's
    module_utils are importable once the folder above ``ansible_collections`` is on it."""
    here = os.path.dirname(os.path.abspath(__file__))
    # <root>/ansible_collections/cloudflare_community/logpush/extensions/eda/plugins/event_source
    root = here
    for _level in range(7):
        root = os.path.dirname(root)
    return root


try:
    from ansible_collections.cloudflare_community.logpush.plugins.module_utils._client import (
        COLLECTION, COLLECTION_VERSION, DEFAULT_BASE_URL, CloudflareClient, CloudflareError,
        CredentialError, resolve_credentials,
    )
except ImportError:
    if os.path.isdir(os.path.join(_collection_root(), "ansible_collections")) and _collection_root() not in sys.path:
        sys.path.append(_collection_root())
    try:
        from ansible_collections.cloudflare_community.logpush.plugins.module_utils._client import (
            COLLECTION, COLLECTION_VERSION, DEFAULT_BASE_URL, CloudflareClient, CloudflareError,
            CredentialError, resolve_credentials,
        )
    except ImportError as exc:
        raise ImportError(
            "cloudflare_community.logpush.job_health needs ansible-core and requests on the Python that runs "
            "ansible-rulebook, and the collection under an ansible_collections folder: %s" % exc) from exc

from ansible_collections.cloudflare_community.logpush.plugins.module_utils._job import public_job, push_outcome
from ansible_collections.cloudflare_community.logpush.plugins.module_utils._ratelimit import (
    MIN_RESERVE, RESERVE_SHARE, SharedRateLimiter, parse_ratelimit,
)
from ansible_collections.cloudflare_community.logpush.plugins.module_utils._redact import redact_text

DOCUMENTATION = r"""
module: job_health
short_description: Events when the health of Cloudflare Logpush jobs changes
version_added: 0.1.0
description:
  - An ansible-rulebook event source plugin. It lists the Logpush jobs of the zones and accounts it is given,
    one request per zone or account, every O(interval) seconds, and puts an event on the queue when a job's
    health changes, when a job appears and when a job is deleted.
  - "A job's health is what M(cloudflare_community.logpush.logpush_job_info) reports: V(ok), V(failing) (the
    last push failed), V(pending) (enabled, never pushed) or V(disabled). Cloudflare disables a job after
    24 hours of failed pushes; the event of that change has C(auto_disabled: true). A job enabled again is
    V(pending) until its next push: what its pushes did before it was disabled no longer counts."
  - "Each event is C({cloudflare_logpush: {type, zone_id or account_id, zone_name, job_id, job, previous_health,
    health, error_message, auto_disabled, detected_at}}). C(type) is C(health_changed), C(created), C(deleted) or
    (with O(emit_initial)) C(initial). C(job) is the job as the modules return it, every secret in its
    C(destination_conf) and C(error_message) masked; C(health) is C(deleted) for a deleted job."
  - The first poll of a zone or account only records its jobs (no event). With O(state_file), what was seen is
    kept across restarts, so a restarted source reports only what changed while it was stopped, once.
  - Requests stay within O(request_budget) per 5 minutes (the interval grows when there are too many zones
    for it). They are also paced with the modules on the same host (the same per-credential bucket, see
    O(rate_limit)) and with every other client of the credential through Cloudflare's C(Ratelimit) headers.
  - A failed request is not retried at once. The zone or account keeps its last known jobs, no event is made
    for it (never a C(deleted) one), and it is polled again after a backoff, up to 15 minutes.
  - Needs ansible-core and C(requests) on the Python that runs ansible-rulebook, and the collection installed
    where C(ansible-galaxy collection list) finds it.
author:
  - Cloudflare Community (@cloudflare-community)
options:
  api_token:
    description:
      - "A Cloudflare API token with the permission C(Logs: Read) or C(Logs: Write) on the zones and accounts."
      - If the arguments give no credential, the value of the E(CLOUDFLARE_API_TOKEN) environment variable is
        used (else E(CLOUDFLARE_EMAIL) and E(CLOUDFLARE_API_KEY)); a credential in the arguments always wins over
        the environment. Only O(api_token) and O(api_key) both in the arguments are a conflict.
      - Whitespace around the value is removed; a value with whitespace inside is refused without showing it.
      - When Cloudflare refuses the credential itself (none sent, malformed, unknown legacy key, HTTP 401),
        the source stops with an error instead of polling again.
    type: str
  api_email:
    description:
      - The e-mail address of the Cloudflare user, for the legacy global API key (O(api_key)).
      - If not set, the value of the E(CLOUDFLARE_EMAIL) environment variable is used.
    type: str
  api_key:
    description:
      - The legacy global API key of the user O(api_email). Prefer O(api_token).
      - If not set, the value of the E(CLOUDFLARE_API_KEY) environment variable is used.
    type: str
  api_base_url:
    description:
      - The base URL of the Cloudflare v4 API. Change it only to reach a proxy or a test endpoint.
      - If not set, the value of the E(CLOUDFLARE_BASE_URL) environment variable is used.
    type: str
    default: https://api.cloudflare.com/client/v4
  validate_certs:
    description:
      - Whether to verify the API's TLS certificate. Set V(false) only for a test endpoint.
    type: bool
    default: true
  timeout:
    description:
      - Seconds to wait for an answer to one request.
    type: int
    default: 30
  zones:
    description:
      - The zones whose jobs to watch, each a zone id (32 hex characters) or a zone name such as V(example.com).
      - A name is resolved once, with one request.
    type: list
    elements: str
  all_zones:
    description:
      - Watch every zone the credential can see. The zones are listed again at every poll (one request per
        50 zones), so new zones are watched from the poll after they appear.
    type: bool
    default: false
  account_ids:
    description:
      - The accounts whose (account-scoped) jobs to watch, each an account id (32 hex characters).
    type: list
    elements: str
  interval:
    description:
      - Seconds between two polls of the same zone or account.
      - The plugin polls less often when O(request_budget) would not allow it, and says so in its log.
    type: float
    default: 60
  request_budget:
    description:
      - How many requests the plugin may send per 5 minutes (all zones and accounts together).
      - Cloudflare allows 1,200 requests per 5 minutes per user, for all the user's tools; the default is a
        quarter of that. A poll sends one request per zone or account.
    type: int
    default: 300
  rate_limit:
    description:
      - The limit of the per-credential token bucket that the collection's modules on this host share (their
        option of the same name). The plugin takes a token from the same bucket before each request, so
        that a playbook run by a rule and the plugin pace each other.
      - V(0) leaves the shared bucket out; O(request_budget) and Cloudflare's C(Ratelimit) headers still apply.
    type: int
    default: 1200
  rate_limit_window:
    description:
      - The window of O(rate_limit), in seconds.
    type: int
    default: 300
  rate_limit_dir:
    description:
      - The folder of the shared bucket. The modules keep it in Ansible's remote temporary folder, by default
        C(~/.ansible/tmp); set this when the playbooks use another one.
    type: str
    default: ~/.ansible/tmp
  state_file:
    description:
      - A file where the plugin keeps the last health it saw of each job (the jobs as events show them, no
        secret). When it starts again it compares with what it finds, and reports only the changes, once.
      - Without it, every start records the jobs without an event.
    type: path
  emit_initial:
    description:
      - Put an event of C(type) C(initial) on the queue for each job found at the first poll of a zone or
        account that the state holds nothing about (every one, without O(state_file)).
    type: bool
    default: false
notes:
  - The plugin sends no retry of its own within a poll, so that every request it sends is counted against
    O(request_budget).
seealso:
  - module: cloudflare_community.logpush.logpush_job_info
  - module: cloudflare_community.logpush.logpush_job
  - name: Logpush alerts and analytics
    description: How Cloudflare reports failing jobs, and its own notification when it disables one.
    link: https://developers.cloudflare.com/logs/get-started/alerts-and-analytics/
"""

EXAMPLES = r"""
- name: Logpush jobs
  hosts: localhost
  sources:
    - name: Health of the Logpush jobs
      cloudflare_community.logpush.job_health:
        zones:
          - example.com
        account_ids:
          - 01a7362d577a6c3019a474fd6f485823
        interval: 120
        request_budget: 100
        state_file: /var/lib/eda/logpush-health.json
  rules:
    - name: A job started failing
      condition: event.cloudflare_logpush.health == "failing"
      action:
        debug:
          msg: "Job {{ event.cloudflare_logpush.job_id }} fails: {{ event.cloudflare_logpush.error_message }}"
"""

LOG = logging.getLogger("cloudflare_community.logpush.job_health")

BUDGET_WINDOW = 300.0
MAX_BACKOFF = 900.0
STATE_VERSION = 1
HEX_ID = re.compile(r"^[0-9a-f]{32}$")

# name: (type, default, environment variable); the credential's variables are read by resolve_credentials,
# only when the arguments give no credential (the same rule as the modules')
OPTIONS = {
    "api_token": ("str", None, "CLOUDFLARE_API_TOKEN"),
    "api_email": ("str", None, "CLOUDFLARE_EMAIL"),
    "api_key": ("str", None, "CLOUDFLARE_API_KEY"),
    "api_base_url": ("str", DEFAULT_BASE_URL, "CLOUDFLARE_BASE_URL"),
    "validate_certs": ("bool", True, None),
    "timeout": ("int", 30, None),
    "zones": ("list", None, None),
    "all_zones": ("bool", False, None),
    "account_ids": ("list", None, None),
    "interval": ("float", 60.0, None),
    "request_budget": ("int", 300, None),
    "rate_limit": ("int", 1200, None),
    "rate_limit_window": ("int", 300, None),
    "rate_limit_dir": ("str", "~/.ansible/tmp", None),
    "state_file": ("path", None, None),
    "emit_initial": ("bool", False, None),
}


CREDENTIAL_OPTIONS = ("api_token", "api_email", "api_key")


class OptionError(ValueError):
    """Bad arguments: the source stops at once, with a message that names the option."""


class CredentialRefused(RuntimeError):
    """Cloudflare refused the credential itself: polling again cannot help, so the source stops."""


def _convert(name, kind, value):
    if kind in ("str", "path"):
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise OptionError("%s must be a string, got %r" % (name, type(value).__name__))
        value = str(value)
        return os.path.expanduser(os.path.expandvars(value)) if kind == "path" else value
    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "yes", "on", "1"):
            return True
        if text in ("false", "no", "off", "0"):
            return False
        raise OptionError("%s must be true or false, got %r" % (name, value))
    if kind in ("int", "float"):
        if isinstance(value, bool):
            raise OptionError("%s must be a number, got %r" % (name, value))
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise OptionError("%s must be a number, got %r" % (name, value)) from None
        if kind == "int":
            if number != int(number):
                raise OptionError("%s must be a whole number, got %r" % (name, value))
            return int(number)
        return number
    # list of strings; a comma-separated string is accepted too
    if isinstance(value, str):
        value = [part for part in (p.strip() for p in value.split(",")) if part]
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) and v.strip() for v in value):
        raise OptionError("%s must be a list of strings, got %r" % (name, value))
    return [v.strip() for v in value]


def parse_options(args, environ=None):
    """The plugin's options, with defaults and environment fallbacks; OptionError when they are wrong."""
    environ = os.environ if environ is None else environ
    args = dict((k, v) for k, v in (args or {}).items() if not k.startswith("eda_"))  # eda_feedback_queue
    unknown = sorted(set(args) - set(OPTIONS))
    if unknown:
        raise OptionError("unknown option(s) %s; the options are %s" % (", ".join(unknown), ", ".join(sorted(OPTIONS))))
    options = {}
    for name, (kind, default, env) in OPTIONS.items():
        value = args.get(name)
        if value is None and env and environ.get(env) and name not in CREDENTIAL_OPTIONS:
            value = environ[env]
        options[name] = default if value is None else _convert(name, kind, value)

    try:
        resolved = resolve_credentials(options, environ, where="the arguments")
    except CredentialError as exc:
        raise OptionError(str(exc)) from None
    options.update((name, resolved[name]) for name in ("api_token", "api_email", "api_key"))
    if resolved["stripped"]:
        LOG.warning("whitespace around %s was removed (Cloudflare's credentials never hold whitespace)",
                    " and ".join(resolved["stripped"]))
    if not (options["zones"] or options["all_zones"] or options["account_ids"]):
        raise OptionError("nothing to watch: set zones, all_zones or account_ids")
    for account_id in options["account_ids"] or []:
        if not HEX_ID.match(account_id):
            raise OptionError("account_ids must hold 32-character lower-case hex ids, got %r" % account_id)
    for zone in options["zones"] or []:
        if not HEX_ID.match(zone) and ("/" in zone or " " in zone):
            raise OptionError("zones must hold zone ids or zone names such as example.com, got %r" % zone)
    if options["interval"] <= 0:
        raise OptionError("interval must be more than 0 seconds")
    if options["request_budget"] < 1:
        raise OptionError("request_budget must be at least 1 request per 5 minutes")
    if options["timeout"] < 1:
        raise OptionError("timeout must be at least 1 second")
    if options["rate_limit"] < 0 or options["rate_limit_window"] <= 0:
        raise OptionError("rate_limit must be 0 (off) or more, and rate_limit_window more than 0 seconds")
    return options


class RequestBudget(object):
    """At most ``limit`` requests in any ``window`` seconds: the times of the requests sent in the last window."""

    def __init__(self, limit, window=BUDGET_WINDOW, clock=time.monotonic):
        self.limit = limit
        self.window = window
        self.clock = clock
        self.sent = collections.deque()

    def wait(self):
        """Seconds until one more request fits in the budget (0: now)."""
        now = self.clock()
        while self.sent and self.sent[0] <= now - self.window:
            self.sent.popleft()
        if len(self.sent) < self.limit:
            return 0.0
        return self.sent[0] + self.window - now

    def spend(self):
        self.sent.append(self.clock())


class _HeaderPacing(object):
    """What the client calls around each request: it counts what is sent and learns what Cloudflare's
    answers say is left (``Ratelimit``) or how long to keep away (``Retry-After``)."""

    def __init__(self, shared, clock=time.time):
        self.shared = shared
        self.clock = clock
        self.sent = 0
        self.blocked_until = 0.0

    def acquire(self):
        self.sent += 1

    def learn(self, headers):
        if self.shared is not None:
            self.shared.learn(headers)
        now = self.clock()
        retry_after = headers.get("Retry-After")
        if retry_after and retry_after.strip().isdigit():
            self.blocked_until = max(self.blocked_until, now + min(int(retry_after), 300))
        parsed = parse_ratelimit(headers)
        if parsed is not None:
            remaining, reset, quota = parsed
            if remaining <= max(MIN_RESERVE, RESERVE_SHARE * (quota or 1200)):
                self.blocked_until = max(self.blocked_until, now + reset + 0.5)


def _now_iso():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class JobWatcher(object):
    """Polls the jobs of the zones and accounts of ``options`` and tells what changed since the last poll."""

    def __init__(self, options, clock=time.monotonic):
        self.options = options
        self.clock = clock
        self.secrets = [s for s in (options["api_token"], options["api_key"]) if s]
        if not options["validate_certs"]:
            LOG.warning("validate_certs is false: the API's TLS certificate is not checked")
        shared = None
        if options["rate_limit"]:
            credential = options["api_token"] or "%s:%s" % (options["api_email"], options["api_key"])
            try:
                shared = SharedRateLimiter.for_credential(options["rate_limit"], options["rate_limit_window"],
                                                          options["rate_limit_dir"], credential, options["api_base_url"],
                                                          warn=LOG.warning)
            except OSError as exc:
                LOG.warning("the shared rate limiter is off: its folder %s cannot be used (%s)",
                            options["rate_limit_dir"], exc.strerror)
        self.shared = shared
        self.pacing = _HeaderPacing(shared)
        self.budget = RequestBudget(options["request_budget"], clock=clock)
        self.client = CloudflareClient(
            base_url=options["api_base_url"], api_token=options["api_token"], api_email=options["api_email"],
            api_key=options["api_key"], timeout=options["timeout"], validate_certs=options["validate_certs"],
            max_retries=0, rate_limiter=self.pacing,
            user_agent="%s/%s (job_health event source)" % (COLLECTION, COLLECTION_VERSION),
        )
        self.state = self._load_state()
        self.zone_ids_by_name = {}    # name -> id, once resolved
        self.known_zones = []        # [(id, name)] of all_zones, from the last zone list that worked
        self.failures = {}           # scope key -> (failures in a row, monotonic time of the next try)
        self.ambiguous = set()       # zone names that match several zones: not retried
        self.dirty = False           # the state has changes not written yet

    # -- state -------------------------------------------------------------------------------

    def _load_state(self):
        path = self.options["state_file"]
        empty = {"version": STATE_VERSION, "scopes": {}}
        if not path or not os.path.exists(path):
            return empty
        try:
            with open(path) as handle:
                state = json.load(handle)
            if not isinstance(state, dict) or state.get("version") != STATE_VERSION or not isinstance(state.get("scopes"), dict):
                raise ValueError("not a state file of this plugin")
        except (OSError, ValueError) as exc:
            LOG.warning("state file %s cannot be read (%s): starting from a new baseline, without events", path, exc)
            return empty
        return state

    def save_state(self):
        """Write the state (atomically: a new file renamed over the old one)."""
        path = self.options["state_file"]
        self.dirty = False
        if not path:
            return
        directory = os.path.dirname(os.path.abspath(path))
        try:
            if not os.path.isdir(directory):
                os.makedirs(directory, mode=0o700)
            fd, tmp = tempfile.mkstemp(prefix=".job_health-", dir=directory)
            with os.fdopen(fd, "w") as handle:
                json.dump(self.state, handle, sort_keys=True)
            os.replace(tmp, path)
        except OSError as exc:
            LOG.warning("state file %s cannot be written (%s)", path, exc)

    # -- requests ------------------------------------------------------------------------------

    async def _acquire(self):
        """Wait until one more request fits: the plugin's budget, Cloudflare's headers, the shared bucket."""
        while True:
            wait = max(self.budget.wait(), self.pacing.blocked_until - time.time())
            if wait <= 0 and self.shared is not None:
                # the bucket's own step, without its blocking sleep: takes the token when it answers 0
                wait = self.shared.try_acquire()
            if wait <= 0:
                self.budget.spend()
                return
            await asyncio.sleep(min(wait, 60.0))

    async def _request(self, method, *args, **kwargs):
        """One HTTP request, paced, in a thread (the client blocks)."""
        await self._acquire()
        return await asyncio.to_thread(getattr(self.client, method), *args, **kwargs)

    def _error_text(self, exc):
        return redact_text(str(exc), self.secrets)

    # -- scopes ------------------------------------------------------------------------------

    def _due(self, key):
        failures = self.failures.get(key)
        return failures is None or self.clock() >= failures[1]

    def _failed(self, key, what, exc):
        if isinstance(exc, CloudflareError) and exc.credential_refused:
            raise CredentialRefused(
                "%s: Cloudflare refused the credential (%s); the source stops: check api_token (or api_email and "
                "api_key) and the environment variables it may come from" % (what, self._error_text(exc)))
        count = self.failures.get(key, (0, 0))[0] + 1
        delay = min(self.options["interval"] * (2 ** (count - 1)), max(MAX_BACKOFF, self.options["interval"]))
        self.failures[key] = (count, self.clock() + delay)
        LOG.warning("%s failed (%d in a row), next try in %.1f s: %s", what, count, delay,
                    self._error_text(exc) if isinstance(exc, Exception) else exc)

    async def scopes(self):
        """[(key, API path prefix, labels)] to poll now."""
        found = []
        for account_id in self.options["account_ids"] or []:
            found.append(("accounts/%s" % account_id, "/accounts/%s" % account_id, {"account_id": account_id}))
        for zone in self.options["zones"] or []:
            if HEX_ID.match(zone):
                found.append(("zones/%s" % zone, "/zones/%s" % zone, {"zone_id": zone}))
                continue
            name = zone.strip().rstrip(".").lower()
            zone_id = await self._resolve(name)
            if zone_id:
                found.append(("zones/%s" % zone_id, "/zones/%s" % zone_id, {"zone_id": zone_id, "zone_name": name}))
        if self.options["all_zones"]:
            for zone_id, name in await self._all_zones():
                found.append(("zones/%s" % zone_id, "/zones/%s" % zone_id, {"zone_id": zone_id, "zone_name": name}))
        seen = set()
        return [s for s in found if not (s[0] in seen or seen.add(s[0]))]

    async def _resolve(self, name):
        if name in self.zone_ids_by_name:
            return self.zone_ids_by_name[name]
        key = "zone-name/%s" % name
        if name in self.ambiguous or not self._due(key):
            return None
        try:
            ids = await self._request("find_zone_ids", name)
        except CloudflareError as exc:
            self._failed(key, "looking up zone %s" % name, exc)
            return None
        if len(ids) > 1:
            self.ambiguous.add(name)
            LOG.error("zone %s matches %d zones (%s): give its zone id instead; not watched", name, len(ids), ", ".join(ids))
            return None
        if not ids:
            self._failed(key, "looking up zone %s" % name,
                         "not found, or the credential cannot see it (check the name and the token's zone resources)")
            return None
        self.failures.pop(key, None)
        self.zone_ids_by_name[name] = ids[0]
        return ids[0]

    async def _all_zones(self):
        key = "all-zones"
        if not self._due(key):
            return self.known_zones
        zones = []
        page = 1
        try:
            while True:
                answer = await self._request("request", "GET", "/zones", params={"per_page": 50, "page": page},
                                             whole_envelope=True)
                result = answer.get("result") or []
                zones.extend(z for z in result if isinstance(z, dict) and z.get("id")) if isinstance(result, list) else None
                # a total_pages that is not a bounded whole number is an error, not an endless listing
                page = self.client.next_page("GET", "/zones", answer, page)
                if page is None:
                    break
        except CloudflareError as exc:
            self._failed(key, "listing the zones", exc)
            return self.known_zones  # the zones of the last list that worked
        self.failures.pop(key, None)
        self.known_zones = [(z["id"], z.get("name")) for z in zones]
        return self.known_zones

    # -- jobs --------------------------------------------------------------------------------

    async def poll_scope(self, key, prefix, labels):
        """The events of one zone or account since its last poll ([] when its list request failed)."""
        try:
            jobs = await self._request("list_jobs", prefix)
        except CloudflareError as exc:
            # keep what we knew: no event, and above all no "deleted" for jobs we could not see
            self._failed(key, "listing the jobs of %s" % key, exc)
            return []
        self.failures.pop(key, None)
        known = self.state["scopes"].get(key)
        before = (known or {}).get("jobs") or {}
        current = {}
        for job in jobs:
            if isinstance(job, dict) and job.get("id") is not None:
                current[str(job["id"])] = _entry(job, before.get(str(job["id"])))
        scope_state = {"labels": labels, "jobs": current}
        if scope_state != known:
            self.state["scopes"][key] = scope_state
            self.dirty = True
        if known is None:
            LOG.info("%s: %d job(s) at the first poll", key, len(current))
            if not self.options["emit_initial"]:
                return []
            return [self._event("initial", labels, entry, None) for _id, entry in sorted(current.items(), key=_by_id)]
        events = []
        for job_id in sorted(set(before) | set(current), key=int):
            old, new = before.get(job_id), current.get(job_id)
            if old is None:
                events.append(self._event("created", labels, new, None))
            elif new is None:
                gone = dict(old, health="deleted")
                events.append(self._event("deleted", labels, gone, old.get("health")))
            elif old.get("health") != new["health"]:
                events.append(self._event("health_changed", labels, new, old.get("health")))
        return events

    def _event(self, kind, labels, entry, previous):
        job = entry["job"]
        health = entry["health"]
        data = dict(labels)
        data.update({
            "type": kind,
            "job_id": job.get("id"),
            "job": job,
            "previous_health": previous,
            "health": health,
            "error_message": job.get("error_message"),
            # how Cloudflare disables a job after 24 hours of failed pushes; a user who disables a failing
            # job looks the same
            "auto_disabled": bool(health == "disabled" and previous == "failing" and job.get("error_message")),
            "detected_at": _now_iso(),
        })
        if "zone_id" in data:
            data.setdefault("zone_name", None)
        return {"cloudflare_logpush": data}

    def pause_after(self, started, sent):
        """Seconds to wait before the next poll: ``interval`` from its start, longer when the requests of a
        poll at that pace would not fit in the budget."""
        spread = sent * self.budget.window / float(self.budget.limit)
        return max(self.options["interval"], spread) - (self.clock() - started)

    async def run(self, queue):
        """Poll, put the events on the queue, keep the state; until cancelled."""
        warned = False
        while True:
            started = self.clock()
            sent_before = self.pacing.sent
            for key, prefix, labels in await self.scopes():
                if not self._due(key):
                    continue
                events = await self.poll_scope(key, prefix, labels)
                for event in events:
                    data = event["cloudflare_logpush"]
                    LOG.info("%s: job %s %s: %s -> %s", key, data["job_id"], data["type"], data["previous_health"],
                             data["health"])
                    await queue.put(event)
                if self.dirty:
                    self.save_state()  # after the events are on the queue: a crash in between repeats them once
            sent = self.pacing.sent - sent_before
            spread = sent * self.budget.window / float(self.budget.limit)
            if not warned and spread > self.options["interval"]:
                warned = True
                LOG.warning("a poll sends %d requests: polling every %d s instead of every %s s, to stay within "
                            "request_budget (%d per 5 minutes)", sent, spread, self.options["interval"],
                            self.options["request_budget"])
            await asyncio.sleep(max(self.pause_after(started, sent), 0.0))


def _entry(job, old):
    """What the state keeps of a job: its public shape and health (and, while it is disabled, its last push
    times: once enabled again it is ``pending`` until it pushes, whatever its last push before that did)."""
    shown = public_job(job)
    entry = {"health": shown["health"], "job": shown}
    if shown["health"] == "disabled":
        entry["since"] = {"last_complete": job.get("last_complete"), "last_error": job.get("last_error")}
    elif old and old.get("since") and push_outcome(job, old["since"]) is None:
        entry["since"] = old["since"]
        entry["health"] = shown["health"] = "pending"
    return entry


def _by_id(item):
    return int(item[0])


async def main(queue: asyncio.Queue, args: dict):
    """Entry point of ansible-rulebook: watch the jobs until cancelled."""
    watcher = JobWatcher(parse_options(args))
    LOG.info("watching Logpush jobs: zones %s, all_zones %s, accounts %s, every %s s, %d requests per 5 minutes",
             watcher.options["zones"], watcher.options["all_zones"], watcher.options["account_ids"],
             watcher.options["interval"], watcher.options["request_budget"])
    await watcher.run(queue)


if __name__ == "__main__":
    # Try it without ansible-rulebook: python job_health.py '{"zones": ["example.com"], "interval": 10}'
    class _PrintQueue(object):
        async def put(self, event):
            print(json.dumps(event, indent=2, sort_keys=True))

    logging.basicConfig(level=logging.INFO)
    asyncio.run(main(_PrintQueue(), json.loads(sys.argv[1]) if len(sys.argv) > 1 else {}))
