# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection: it may change without notice.
"""The watcher behind the event source ``cloudflare_community.logpush.job_health``.

The plugin (extensions/eda/plugins/event_source/job_health.py) holds only its documentation and
``main()``, which awaits ``watch()``. Everything else lives here, on the modules' own parts: the options
are the modules' common argument spec plus the source's own, checked by ansible-core's
ArgumentSpecValidator; the credential rules, the HTTP client, the zone resolver, a job's public shape and
health, the redactor and the shared rate limiter are the ones every module uses.

It runs on the controller's Python under ansible-rulebook (asyncio, never on a managed host).
"""

from __future__ import annotations

import asyncio
import collections
import json
import logging
import os
import tempfile
import time
from datetime import datetime, timezone

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ._client import COLLECTION, COLLECTION_VERSION, CloudflareClient, CloudflareError, CredentialError, resolve_credentials
from ._job import job_health, public_job, push_outcome
from ._ratelimit import parse_ratelimit, reserve, shared_limiter
from ._redact import redact_text, secret_forms
from ._spec import common_argument_spec
from ._zones import HEX_ID, ZoneAmbiguous, ZoneNotFound, bad_zone_name, is_zone_id, resolve_zone, zone_names

LOG = logging.getLogger("cloudflare_community.logpush.job_health")

BUDGET_WINDOW = 300.0
MAX_BACKOFF = 900.0
STATE_VERSION = 1
# Cloudflare's default quota (1,200 requests per 5 minutes per user), for a Ratelimit header without a policy
DEFAULT_QUOTA = 1200

# The modules' options that mean the same here. The scope options become lists (zones, account_ids), and
# max_retries is left out: the source sends no retry within a poll, so that the budget counts every request.
SHARED_OPTIONS = ("api_token", "api_email", "api_key", "api_base_url", "validate_certs", "timeout", "rate_limit",
                  "rate_limit_window")


def argument_spec():
    """The options of the event source: the modules' common spec for what they share, then its own."""
    common = common_argument_spec()
    spec = dict((name, common[name]) for name in SHARED_OPTIONS)
    spec.update(
        zones=dict(type="list", elements="str"),
        all_zones=dict(type="bool", default=False),
        account_ids=dict(type="list", elements="str"),
        interval=dict(type="float", default=60.0),
        request_budget=dict(type="int", default=300),
        rate_limit_dir=dict(type="path", default="~/.ansible/tmp"),
        state_file=dict(type="path"),
        emit_initial=dict(type="bool", default=False),
        # logpush_job_info's stale_after: the same meaning, default and minimum
        stale_after=dict(type="int", default=86400),
    )
    return spec


class OptionError(ValueError):
    """Bad arguments: the source stops at once, with a message that names the option."""


class CredentialRefused(RuntimeError):
    """Cloudflare refused the credential itself: polling again cannot help, so the source stops."""


def parse_options(args):
    """The source's options, with defaults and environment fallbacks; OptionError when they are wrong.

    ansible-rulebook adds arguments of its own (``eda_feedback_queue``): they are left out."""
    args = dict((k, v) for k, v in (args or {}).items() if not k.startswith("eda_"))
    secrets = [form for name in ("api_token", "api_key", "account_api_key") for form in secret_forms(args.get(name))]
    spec = argument_spec()
    result = ArgumentSpecValidator(spec).validate(args)
    if result.unsupported_parameters:
        raise OptionError("unknown option(s) %s; the options are %s" % (
            ", ".join(sorted(result.unsupported_parameters)), ", ".join(sorted(spec))))
    if result.error_messages:
        raise OptionError(redact_text("; ".join(result.error_messages), secrets))
    options = result.validated_parameters
    for name in ("zones", "account_ids"):
        if options[name] is not None:
            options[name] = [item.strip() for item in options[name]]

    try:
        resolved = resolve_credentials(options, os.environ, where="the arguments")
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
        if bad_zone_name(zone):
            raise OptionError("zones must hold zone ids or zone names such as example.com, got %r" % zone)
    for name, least, what in (("interval", 0.001, "more than 0 seconds"),
                              ("request_budget", 1, "at least 1 request per 5 minutes"),
                              ("timeout", 1, "at least 1 second"),
                              ("rate_limit", 0, "0 (off) or more"),
                              ("rate_limit_window", 1, "more than 0 seconds"),
                              ("stale_after", 0, "a number of seconds, or 0 to turn the stale health off")):
        if options[name] < least:
            raise OptionError("%s must be %s, got %s" % (name, what, options[name]))
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


class HeaderPacing(object):
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
            if remaining <= reserve(quota or DEFAULT_QUOTA):
                self.blocked_until = max(self.blocked_until, now + reset + 0.5)


# One zone or account to poll: ``key`` in the state file and the failure table, ``path`` of the API,
# ``labels`` in its events, ``label`` in the log (the zone as it was given: its name, or its id).
Scope = collections.namedtuple("Scope", "key path labels label")


def _now_iso():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class JobWatcher(object):
    """Polls the jobs of the zones and accounts of ``options`` and tells what changed since the last poll."""

    def __init__(self, options, clock=time.monotonic, wall_clock=time.time):
        self.options = options
        self.clock = clock
        self.wall_clock = wall_clock  # what a job's health is measured against (stale_after)
        self.secrets = [s for s in (options["api_token"], options["api_key"]) if s]
        if not options["validate_certs"]:
            LOG.warning("validate_certs is false: the API's TLS certificate is not checked")
        self.shared = shared_limiter(options, options["rate_limit_dir"], LOG.warning)  # None when rate_limit is 0
        self.pacing = HeaderPacing(self.shared)
        self.budget = RequestBudget(options["request_budget"], clock=clock)
        self.client = CloudflareClient(
            base_url=options["api_base_url"], api_token=options["api_token"], api_email=options["api_email"],
            api_key=options["api_key"], timeout=options["timeout"], validate_certs=options["validate_certs"],
            max_retries=0, rate_limiter=self.pacing,
            user_agent="%s/%s (job_health event source)" % (COLLECTION, COLLECTION_VERSION),
        )
        self.state = self._load_state()
        self.resolved = {}           # zone name as given -> {id, name}, once resolved
        self.known_zones = []        # [{id, name}] of all_zones, from the last zone list that worked
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

    async def _acquire(self, count=1):
        """Wait until ``count`` more requests fit: the source's budget, Cloudflare's headers, the shared bucket."""
        for _request in range(count):
            while True:
                wait = max(self.budget.wait(), self.pacing.blocked_until - time.time())
                if wait <= 0 and self.shared is not None:
                    # the bucket's own step, without its blocking sleep: takes the token when it answers 0
                    wait = self.shared.try_acquire()
                if wait <= 0:
                    self.budget.spend()
                    break
                await asyncio.sleep(min(wait, 60.0))

    async def _call(self, count, function, *args):
        """``function(*args)`` in a thread (the client blocks), once ``count`` requests fit: what it sends."""
        await self._acquire(count)
        return await asyncio.to_thread(function, *args)

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
        LOG.warning("%s failed (%d in a row), next try in %.1f s: %s", what, count, delay, self._error_text(exc))

    async def scopes(self):
        """The scopes to poll now, each once."""
        found = []
        for account_id in self.options["account_ids"] or []:
            found.append(Scope("accounts/%s" % account_id, "/accounts/%s" % account_id, {"account_id": account_id},
                               "account %s" % account_id))
        for zone in self.options["zones"] or []:
            resolved = await self._resolve(zone)
            if resolved:
                labels = {"zone_id": resolved["id"]}
                if not is_zone_id(zone):
                    labels["zone_name"] = resolved["name"]
                found.append(Scope("zones/%s" % resolved["id"], "/zones/%s" % resolved["id"], labels, zone))
        if self.options["all_zones"]:
            for zone in await self._all_zones():
                found.append(Scope("zones/%s" % zone["id"], "/zones/%s" % zone["id"],
                                   {"zone_id": zone["id"], "zone_name": zone.get("name")}, zone.get("name") or zone["id"]))
        seen = set()
        return [s for s in found if not (s.key in seen or seen.add(s.key))]

    async def _resolve(self, zone):
        """The zone's {id, name}; None while it cannot be resolved (retried after a backoff, unless ambiguous)."""
        if is_zone_id(zone):
            return resolve_zone(self.client, zone)  # no request
        if zone in self.resolved:
            return self.resolved[zone]
        key = "zone-name/%s" % zone
        if zone in self.ambiguous or not self._due(key):
            return None
        what = "looking up zone %s" % zone
        try:
            # as many requests as the lookup may send: one per IDNA form of the name
            found = await self._call(len(zone_names(zone)), resolve_zone, self.client, zone)
        except CloudflareError as exc:
            self._failed(key, what, exc)
            return None
        except ZoneNotFound as exc:
            self._failed(key, what, "%s (check the name and the token's zone resources)" % exc)
            return None
        except ZoneAmbiguous as exc:
            self.ambiguous.add(zone)
            LOG.error("%s: give its zone id instead; not watched", exc)
            return None
        self.failures.pop(key, None)
        self.resolved[zone] = found
        return found

    async def _all_zones(self):
        """Every zone the credential sees, one paced request per page; the last list that worked on an error."""
        key = "all-zones"
        if not self._due(key):
            return self.known_zones
        zones = []
        pages = self.client.zone_pages()
        more = True
        try:
            while more:
                page, more = await self._call(1, next, pages)
                zones.extend(page)
        except CloudflareError as exc:
            self._failed(key, "listing the zones", exc)
            return self.known_zones
        self.failures.pop(key, None)
        self.known_zones = [{"id": z["id"], "name": z.get("name")} for z in zones]
        return self.known_zones

    # -- jobs --------------------------------------------------------------------------------

    async def poll_scope(self, scope):
        """The events of one zone or account since its last poll ([] when its list request failed)."""
        try:
            jobs = await self._call(1, self.client.list_jobs, scope.path)
        except CloudflareError as exc:
            # keep what we knew: no event, and above all no "deleted" for jobs we could not see
            self._failed(scope.key, "listing the jobs of %s" % scope.label, exc)
            return []
        self.failures.pop(scope.key, None)
        known = self.state["scopes"].get(scope.key)
        before = (known or {}).get("jobs") or {}
        current = {}
        for job in jobs:
            if isinstance(job, dict) and job.get("id") is not None:
                current[str(job["id"])] = _entry(job, before.get(str(job["id"])), self.options["stale_after"], self.wall_clock())
        scope_state = {"labels": scope.labels, "jobs": current}
        if scope_state != known:
            self.state["scopes"][scope.key] = scope_state
            self.dirty = True
        if known is None:
            LOG.info("%s: %d job(s) at the first poll", scope.label, len(current))
            if not self.options["emit_initial"]:
                return []
            return [_event("initial", scope.labels, entry, None) for _id, entry in sorted(current.items(), key=_by_id)]
        events = []
        for job_id in sorted(set(before) | set(current), key=int):
            old, new = before.get(job_id), current.get(job_id)
            if old is None:
                events.append(_event("created", scope.labels, new, None))
            elif new is None:
                gone = dict(old, health="deleted")
                events.append(_event("deleted", scope.labels, gone, old.get("health")))
            elif old.get("health") != new["health"]:
                events.append(_event("health_changed", scope.labels, new, old.get("health")))
        return events

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
            for scope in await self.scopes():
                if not self._due(scope.key):
                    continue
                for event in await self.poll_scope(scope):
                    data = event["cloudflare_logpush"]
                    LOG.info("%s: job %s %s: %s -> %s", scope.label, data["job_id"], data["type"],
                             data["previous_health"], data["health"])
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


def _entry(job, old, stale_after, now):
    """What the state keeps of a job: its public shape and health (and, while it is disabled, its last push
    times: once enabled again it is ``pending`` until it pushes, whatever its last push before that did)."""
    shown = public_job(job)
    shown["health"] = job_health(job, stale_after, now)
    entry = {"health": shown["health"], "job": shown}
    if shown["health"] == "disabled":
        entry["since"] = {"last_complete": job.get("last_complete"), "last_error": job.get("last_error")}
    elif old and old.get("since") and push_outcome(job, old["since"]) is None:
        entry["since"] = old["since"]
        entry["health"] = shown["health"] = "pending"
    return entry


def _event(kind, labels, entry, previous):
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


def _by_id(item):
    return int(item[0])


async def watch(queue, args):
    """What the plugin's ``main(queue, args)`` awaits: check the arguments, then watch the jobs until cancelled."""
    watcher = JobWatcher(parse_options(args))
    LOG.info("watching Logpush jobs: zones %s, all_zones %s, accounts %s, every %s s, %d requests per 5 minutes",
             watcher.options["zones"], watcher.options["all_zones"], watcher.options["account_ids"],
             watcher.options["interval"], watcher.options["request_budget"])
    await watcher.run(queue)
