# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The event source's watcher (_watch), against the scripted server: its options, its polls and events, its
zone names, the stale health, and answers it must not trust. tests/eda runs it through the plugin and the
emulator, and with the real ansible-rulebook."""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
import time
from datetime import datetime, timezone
from urllib.parse import unquote

import pytest

from ansible_collections.cloudflare_community.logpush.plugins.module_utils import _watch
from ansible_collections.cloudflare_community.logpush.plugins.module_utils._ratelimit import SharedRateLimiter
from ansible_collections.cloudflare_community.logpush.plugins.module_utils._watch import (
    CredentialRefused, HeaderPacing, JobWatcher, OptionError, RequestBudget, parse_options,
)
from ansible_collections.cloudflare_community.logpush.tests.unit.scripted_server import Step, envelope

TOKEN = "t0k3n-for-the-watcher-tests"
ZONE_ID = "023e105f4ecef8ad9ca31a8372d0c353"
OTHER_ID = "0123456789abcdef0123456789abcdef"
ACCOUNT_ID = "01a7362d577a6c3019a474fd6f485823"
SECRET = "wJalrSECRETKEY"
NOW = 1780000000.0


@pytest.fixture(autouse=True)
def _no_cloudflare_environment(monkeypatch):
    for name in ("CLOUDFLARE_API_TOKEN", "CLOUDFLARE_EMAIL", "CLOUDFLARE_API_KEY", "CLOUDFLARE_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


def iso(ts):
    return datetime.fromtimestamp(ts, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def job(job_id=1, **fields):
    shape = {"id": job_id, "name": "job-%d" % job_id, "dataset": "http_requests", "enabled": True,
             "destination_conf": "datadog://http-intake.logs.datadoghq.com/api/v2/logs?header_DD-API-KEY=%s" % SECRET,
             "last_complete": iso(NOW - 60), "last_error": None, "error_message": None}
    shape.update(fields)
    return shape


def jobs(*items):
    return Step(200, envelope(list(items)))


def watcher_for(server, tmp_path, now=NOW, **args):
    options = parse_options(dict(dict(api_token=TOKEN, api_base_url=server.url, zones=[ZONE_ID], interval=1,
                                      rate_limit_dir=str(tmp_path / "bucket")), **args))
    return JobWatcher(options, wall_clock=lambda: now)


def poll(watcher):
    """One poll of every scope due: the events."""
    async def once():
        events = []
        for scope in await watcher.scopes():
            if watcher._due(scope.key):
                events.extend(e["cloudflare_logpush"] for e in await watcher.poll_scope(scope))
        return events
    return asyncio.run(once())


def paths(server):
    return [unquote(r["path"]) for r in server.seen]


# -- options: the modules' common spec and the source's own, through ArgumentSpecValidator -------------


def test_options_defaults_conversions_and_environment(monkeypatch):
    monkeypatch.setenv("CLOUDFLARE_API_TOKEN", "t0k3n")
    monkeypatch.setenv("CLOUDFLARE_BASE_URL", "http://127.0.0.1:1/client/v4")
    options = parse_options({"zones": "example.com, %s" % ZONE_ID, "interval": "30", "all_zones": "yes",
                             "eda_feedback_queue": object()})
    assert options["api_token"] == "t0k3n" and options["api_base_url"] == "http://127.0.0.1:1/client/v4"
    assert options["zones"] == ["example.com", ZONE_ID] and options["interval"] == 30.0 and options["all_zones"] is True
    assert (options["request_budget"], options["rate_limit"], options["rate_limit_window"], options["timeout"]) == \
        (300, 1200, 300, 30)
    assert (options["emit_initial"], options["stale_after"], options["state_file"]) == (False, 86400, None)
    assert not options["rate_limit_dir"].startswith("~"), "a path is expanded"
    monkeypatch.delenv("CLOUDFLARE_API_TOKEN")
    monkeypatch.setenv("CLOUDFLARE_EMAIL", "a@example.com")
    monkeypatch.setenv("CLOUDFLARE_API_KEY", "k3y-k3y")
    options = parse_options({"account_ids": [ACCOUNT_ID]})
    assert (options["api_token"], options["api_email"], options["api_key"]) == (None, "a@example.com", "k3y-k3y")
    assert parse_options({"account_api_key": "k3y2-k3y2", "account_email": "b@example.com",
                          "account_ids": [ACCOUNT_ID]})["api_key"] == "k3y2-k3y2", "the modules' aliases"


@pytest.mark.parametrize("args, message", [
    ({"zones": [ZONE_ID]}, "No credential: set api_token"),
    ({"zones": [ZONE_ID], "api_token": "a", "api_key": "b", "api_email": "c"}, "both given in the arguments"),
    ({"api_token": "a"}, "nothing to watch"),
    ({"api_token": "a", "zones": []}, "nothing to watch"),
    ({"api_token": "a", "account_ids": ["nothex"]}, "account_ids must hold"),
    ({"api_token": "a", "zones": ["example.com/x"]}, "zones must hold zone ids or zone names"),
    ({"api_token": "a", "zones": [ZONE_ID], "interval": 0}, "interval must be more than 0"),
    ({"api_token": "a", "zones": [ZONE_ID], "interval": "soon"}, "argument 'interval' is of type"),
    ({"api_token": "a", "zones": [ZONE_ID], "request_budget": 0}, "request_budget must be at least 1"),
    ({"api_token": "a", "zones": [ZONE_ID], "timeout": 0}, "timeout must be at least 1"),
    ({"api_token": "a", "zones": [ZONE_ID], "rate_limit": -1}, "rate_limit must be 0 \\(off\\) or more"),
    ({"api_token": "a", "zones": [ZONE_ID], "stale_after": -1}, "stale_after must be a number of seconds, or 0"),
    ({"api_token": "a", "zones": [ZONE_ID], "all_zones": "maybe"}, "argument 'all_zones' is of type"),
    ({"api_token": "a", "zones": [ZONE_ID], "zonez": 1, "zone": "x"}, "unknown option\\(s\\) zone, zonez; the options are"),
])
def test_bad_options_name_the_option(args, message):
    with pytest.raises(OptionError, match=message):
        parse_options(args)


def test_a_bad_option_never_shows_a_secret():
    with pytest.raises(OptionError) as info:
        parse_options({"api_token": "canary token", "zones": [ZONE_ID]})
    assert "whitespace or a control character" in str(info.value) and "canary" not in str(info.value)
    with pytest.raises(OptionError) as info:
        parse_options({"api_token": "canary-t0k3n", "zones": [ZONE_ID], "timeout": "canary-t0k3n"})
    assert "timeout" in str(info.value) and "canary-t0k3n" not in str(info.value)


def test_the_arguments_token_wins_over_legacy_variables_in_the_environment(monkeypatch):
    monkeypatch.setenv("CLOUDFLARE_EMAIL", "env@example.com")
    monkeypatch.setenv("CLOUDFLARE_API_KEY", "envkey0000aa")
    options = parse_options({"api_token": TOKEN, "zones": [ZONE_ID]})
    assert (options["api_token"], options["api_email"], options["api_key"]) == (TOKEN, None, None)


def test_whitespace_around_the_token_is_removed_and_never_logged(caplog):
    with caplog.at_level(logging.WARNING):
        assert parse_options({"api_token": TOKEN + "\n", "zones": [ZONE_ID]})["api_token"] == TOKEN
    assert "whitespace around api_token (from the arguments) was removed" in caplog.text and TOKEN not in caplog.text


# -- polls and events ----------------------------------------------------------------------------------


def test_first_poll_records_then_changes_make_events(server, tmp_path, caplog):
    watcher = watcher_for(server, tmp_path)
    server.will(jobs(job(1), job(2)),
                jobs(job(1, last_error=iso(NOW - 10), error_message="error uploading to %s" % SECRET), job(3)))
    assert poll(watcher) == []
    with caplog.at_level(logging.INFO):
        events = poll(watcher)
    assert [(e["type"], e["job_id"], e["previous_health"], e["health"]) for e in events] == [
        ("health_changed", 1, "ok", "failing"), ("deleted", 2, "ok", "deleted"), ("created", 3, None, "ok")]
    assert events[0]["zone_id"] == ZONE_ID and events[0]["zone_name"] is None, "a zone given by id has no name"
    assert SECRET not in repr(events) and SECRET not in caplog.text
    assert paths(server) == ["/client/v4/zones/%s/logpush/jobs" % ZONE_ID] * 2


def test_a_job_that_stops_pushing_becomes_stale_and_ok_again_when_it_pushes(server, tmp_path):
    """stale_after as logpush_job_info has it: enabled, not failing, no push for longer than stale_after."""
    now = [NOW]
    watcher = watcher_for(server, tmp_path, stale_after=3600)
    watcher.wall_clock = lambda: now[0]
    quiet = job(1, last_complete=iso(NOW - 600))
    server.will(jobs(quiet), jobs(quiet), jobs(job(1, last_complete=iso(NOW + 3600))))
    assert poll(watcher) == []
    now[0] = NOW + 3600  # an hour later, still no push since NOW - 600
    stale = poll(watcher)
    assert [(e["type"], e["previous_health"], e["health"], e["job"]["health"]) for e in stale] == \
        [("health_changed", "ok", "stale", "stale")]
    assert [(e["previous_health"], e["health"]) for e in poll(watcher)] == [("stale", "ok")]


@pytest.mark.parametrize("stale_after, health", [(86400, "stale"), (0, "ok")])
def test_stale_after_zero_turns_stale_off(server, tmp_path, stale_after, health):
    watcher = watcher_for(server, tmp_path, stale_after=stale_after, emit_initial=True)
    server.will(jobs(job(1, last_complete="2000-01-01T00:00:00Z")))
    assert [e["health"] for e in poll(watcher)] == [health]


def test_a_job_enabled_again_is_pending_until_it_pushes_even_when_its_last_push_is_old(server, tmp_path):
    watcher = watcher_for(server, tmp_path, stale_after=3600)
    old = iso(NOW - 7200)
    server.will(jobs(job(1, enabled=False, last_complete=old)), jobs(job(1, last_complete=old)),
                jobs(job(1, last_complete=iso(NOW))))
    poll(watcher)
    assert [(e["previous_health"], e["health"]) for e in poll(watcher)] == [("disabled", "pending")]
    assert [(e["previous_health"], e["health"]) for e in poll(watcher)] == [("pending", "ok")]


def test_an_error_of_one_zone_never_stops_the_others(server, tmp_path, caplog):
    watcher = watcher_for(server, tmp_path, zones=[ZONE_ID, OTHER_ID], account_ids=[ACCOUNT_ID])
    server.will(jobs(job(9)), jobs(job(1)), jobs(job(2)),
                jobs(job(9), job(10)), Step(500, envelope(success=False, errors=[{"code": 10001, "message": "boom"}])),
                jobs(job(2), job(3)))
    poll(watcher)
    with caplog.at_level(logging.WARNING):
        events = poll(watcher)
    assert [(e.get("account_id"), e.get("zone_id"), e["job_id"]) for e in events] == [
        (ACCOUNT_ID, None, 10), (None, OTHER_ID, 3)]
    assert "listing the jobs of %s failed (1 in a row)" % ZONE_ID in caplog.text
    assert list(watcher.failures) == ["zones/%s" % ZONE_ID]


def test_a_refused_credential_stops_the_source(server, tmp_path):
    watcher = watcher_for(server, tmp_path)
    server.will(Step(400, envelope(success=False, errors=[{"code": 6003, "message": "Invalid request headers"}])))
    with pytest.raises(CredentialRefused, match="refused the credential .*code 6003"):
        poll(watcher)


# -- zones: the modules' resolver ----------------------------------------------------------------------


def zone_list(*zones):
    return Step(200, envelope([{"id": zone_id, "name": name} for zone_id, name in zones]))


def test_a_zone_name_is_resolved_once_and_named_as_given_in_the_log(server, tmp_path, caplog):
    watcher = watcher_for(server, tmp_path, zones=["Example.COM."])
    server.will(zone_list((ZONE_ID, "example.com")), jobs(job(1)), jobs(job(1), job(2)))
    with caplog.at_level(logging.INFO):
        poll(watcher)
        events = poll(watcher)
    assert [(e["zone_id"], e["zone_name"], e["job_id"]) for e in events] == [(ZONE_ID, "example.com", 2)]
    assert paths(server) == ["/client/v4/zones?name=example.com&per_page=50"] + \
        ["/client/v4/zones/%s/logpush/jobs" % ZONE_ID] * 2
    assert "Example.COM.: 1 job(s) at the first poll" in caplog.text


def test_an_internationalised_name_is_looked_up_in_its_other_form_too(server, tmp_path):
    watcher = watcher_for(server, tmp_path, zones=["bücher.example"], emit_initial=True)
    server.will(zone_list(), zone_list((ZONE_ID, "xn--bcher-kva.example")), jobs(job(1)))
    events = poll(watcher)
    assert [(e["zone_id"], e["zone_name"]) for e in events] == [(ZONE_ID, "xn--bcher-kva.example")]
    assert paths(server)[:2] == ["/client/v4/zones?name=bücher.example&per_page=50",
                                 "/client/v4/zones?name=xn--bcher-kva.example&per_page=50"]
    assert len(watcher.budget.sent) == 3, "the budget counted both lookups and the list"


def test_an_unknown_name_is_retried_after_a_backoff_and_an_ambiguous_one_never(server, tmp_path, caplog):
    clock = [100.0]
    options = parse_options(dict(api_token=TOKEN, api_base_url=server.url, zones=["nowhere.example", "twice.example"],
                                 account_ids=[ACCOUNT_ID], interval=10, rate_limit_dir=str(tmp_path / "b")))
    watcher = JobWatcher(options, clock=lambda: clock[0])
    server.will(zone_list(), zone_list((ZONE_ID, "twice.example"), (OTHER_ID, "twice.example")), jobs(),
                jobs(), zone_list((ZONE_ID, "nowhere.example")), jobs(), jobs(job(1)))
    with caplog.at_level(logging.WARNING):
        poll(watcher)
    assert "looking up zone nowhere.example failed (1 in a row), next try in 10.0 s" in caplog.text
    assert "zone 'twice.example' matches 2 zones (%s, %s): give its zone id instead; not watched" % (ZONE_ID, OTHER_ID) \
        in caplog.text
    clock[0] = 105.0
    poll(watcher)  # the account only: the name's backoff runs, the ambiguous name is not asked again
    clock[0] = 111.0
    events = poll(watcher)
    assert paths(server)[3:] == ["/client/v4/accounts/%s/logpush/jobs" % ACCOUNT_ID,
                                 "/client/v4/zones?name=nowhere.example&per_page=50",
                                 "/client/v4/accounts/%s/logpush/jobs" % ACCOUNT_ID,
                                 "/client/v4/zones/%s/logpush/jobs" % ZONE_ID]
    assert events == []  # the zone's first poll records its job


def test_all_zones_pages_are_paced_one_request_each(server, tmp_path):
    watcher = watcher_for(server, tmp_path, zones=None, all_zones=True)
    server.will(Step(200, dict(envelope([{"id": ZONE_ID, "name": "a.example"}]), result_info={"total_pages": 2})),
                Step(200, dict(envelope([{"id": OTHER_ID, "name": "b.example"}]), result_info={"total_pages": 2})))
    scopes = asyncio.run(watcher.scopes())
    assert [(s.key, s.labels, s.label) for s in scopes] == [
        ("zones/%s" % ZONE_ID, {"zone_id": ZONE_ID, "zone_name": "a.example"}, "a.example"),
        ("zones/%s" % OTHER_ID, {"zone_id": OTHER_ID, "zone_name": "b.example"}, "b.example")]
    assert len(watcher.budget.sent) == len(server.seen) == 2


def test_an_unbounded_total_pages_is_a_failed_listing_not_an_endless_one(server, tmp_path, caplog):
    watcher = watcher_for(server, tmp_path, zones=None, all_zones=True)
    server.will(*[Step(200, dict(envelope([{"id": ZONE_ID, "name": "z"}]), result_info={"total_pages": 10 ** 9}))] * 3)
    with caplog.at_level(logging.WARNING):
        assert asyncio.run(watcher.scopes()) == []
    assert len(server.seen) == 1 and "total_pages" in caplog.text and "all-zones" in watcher.failures


# -- answers it must not trust -------------------------------------------------------------------------


def test_a_non_numeric_job_id_is_a_failed_poll_not_a_crash(server, tmp_path, caplog):
    watcher = watcher_for(server, tmp_path)
    server.will(jobs({"id": "12abc", "name": "x", "dataset": "http_requests"}))
    with caplog.at_level(logging.WARNING):
        assert poll(watcher) == []
    assert "zones/%s" % ZONE_ID in watcher.failures and "numeric id" in caplog.text


def test_a_tls_failure_is_a_failed_poll_that_backs_off(tmp_path, caplog):
    """A server that speaks no TLS where TLS is expected: the TLS message, then the usual backoff."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)

    def serve():
        while True:
            try:
                conn, _addr = listener.accept()
            except OSError:
                return
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")  # plain text: the handshake fails
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    options = parse_options(dict(api_token=TOKEN, zones=[ZONE_ID], rate_limit_dir=str(tmp_path / "b"),
                                 api_base_url="https://127.0.0.1:%d/client/v4" % listener.getsockname()[1]))
    watcher = JobWatcher(options)
    try:
        with caplog.at_level(logging.WARNING):
            assert poll(watcher) == []
    finally:
        listener.close()
    assert watcher.failures["zones/%s" % ZONE_ID][0] == 1 and "TLS connection failed" in caplog.text


@pytest.mark.parametrize("ratelimit", ['"default";r=0;t=100000', '"default";r=0;t=nan', '"default";r=0;t=inf'])
def test_an_absurd_ratelimit_header_keeps_the_source_away_at_most_the_window(ratelimit):
    pacing = HeaderPacing(None, clock=lambda: 1000.0)
    pacing.learn({"Ratelimit": ratelimit, "Retry-After": "999999"})
    assert pacing.blocked_until <= 1000.0 + 300 + 0.5


@pytest.mark.parametrize("remaining, blocked", [(10, True), (11, False)])
def test_the_reserve_is_the_modules(remaining, blocked):
    """A twentieth of the quota, at least 10: the shared bucket's rule (_ratelimit.reserve)."""
    pacing = HeaderPacing(None, clock=lambda: 1000.0)
    pacing.learn({"Ratelimit": '"default";r=%d;t=30' % remaining, "Ratelimit-Policy": '"default";q=200;w=300'})
    assert (pacing.blocked_until == 1030.5) is blocked


def test_budget_window():
    now = [0.0]
    budget = RequestBudget(3, window=300, clock=lambda: now[0])
    for moment in (0, 1, 2):
        now[0] = moment
        assert budget.wait() == 0
        budget.spend()
    now[0] = 10
    assert budget.wait() == 290
    now[0] = 300
    assert budget.wait() == 0


def test_interval_grows_to_fit_the_budget(server, tmp_path):
    options = parse_options(dict(api_token=TOKEN, api_base_url=server.url, zones=[ZONE_ID], interval=10,
                                 request_budget=30, rate_limit_dir=str(tmp_path / "b")))
    watcher = JobWatcher(options, clock=lambda: 100.0)
    # 60 zones at 30 requests per 5 minutes: one poll every 600 s, not every 10 s
    assert watcher.pause_after(100.0, 60) == 600.0
    assert watcher.pause_after(100.0, 1) == 10.0


def test_the_shared_bucket_is_the_modules_and_an_unsafe_folder_turns_it_off_with_a_warning(server, tmp_path, caplog):
    watcher = watcher_for(server, tmp_path)
    assert watcher.shared.path == SharedRateLimiter.for_credential(1200, 300, str(tmp_path / "bucket"), TOKEN,
                                                                   server.url).path
    assert watcher_for(server, tmp_path, rate_limit=0).shared is None
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    with caplog.at_level(logging.WARNING):
        assert watcher_for(server, tmp_path, rate_limit_dir=str(shared)).shared is None
    assert "The shared rate limiter is off: its folder %s cannot be used" % shared in caplog.text


def test_the_state_file_holds_no_secret_and_is_private(server, tmp_path):
    state = tmp_path / "state" / "health.json"
    watcher = watcher_for(server, tmp_path, state_file=str(state))
    server.will(jobs(job(1)))
    poll(watcher)
    watcher.save_state()
    assert SECRET not in state.read_text() and TOKEN not in state.read_text()
    assert oct(state.stat().st_mode & 0o777) == oct(0o600)
    again = watcher_for(server, tmp_path, state_file=str(state))
    assert again.state == watcher.state


def test_watch_runs_until_cancelled(server, tmp_path):
    """watch(queue, args): what the plugin's main() awaits; events reach the queue, paced by the interval."""
    server.will(jobs(job(1)), jobs(job(1), job(2)), *[jobs(job(1), job(2))] * 20)
    queue = asyncio.Queue()

    async def scenario():
        task = asyncio.ensure_future(_watch.watch(queue, dict(
            api_token=TOKEN, api_base_url=server.url, zones=[ZONE_ID], interval=0.05, request_budget=100000,
            rate_limit_dir=str(tmp_path / "b"))))
        event = await asyncio.wait_for(queue.get(), 10)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        return event["cloudflare_logpush"]

    started = time.monotonic()
    event = asyncio.run(scenario())
    assert (event["type"], event["job_id"]) == ("created", 2) and time.monotonic() - started < 10
