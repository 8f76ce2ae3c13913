# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The event source cloudflare_community.logpush.job_health: its main(queue, args) against the emulator."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import time

import pytest

from eda_helpers import ACCOUNT, TOKEN, ZONE, ZONE_NAME, Source, polls, run

SECRET = "s3cr3t-receiver-token"


def by_job(events):
    return dict((e["job_id"], e) for e in events)


# -- the life of a job ------------------------------------------------------------------------------


def test_created_failing_disabled_deleted(plugin, emu, base_args):
    """A job created, its destination failing, disabled by Cloudflare 24 hours later, deleted: one event each."""
    healthy = emu.create_job("healthy", emu.receiver("healthy", SECRET))
    emu.push()

    async def scenario():
        source = Source(plugin, base_args)
        await polls(emu, 2)
        assert await source.quiet(0.3) == [], "the first poll records the jobs, without events"

        job = emu.create_job("flaky", emu.receiver("flaky", SECRET))
        created = await source.event()
        assert (created["type"], created["job_id"], created["previous_health"], created["health"]) == \
            ("created", job["id"], None, "pending")
        assert created["zone_id"] == ZONE and "account_id" not in created

        emu.fail_receiver("flaky")
        emu.push()
        failing = await source.event()
        assert (failing["type"], failing["job_id"], failing["previous_health"], failing["health"]) == \
            ("health_changed", job["id"], "pending", "failing")
        assert failing["error_message"] == "error writing object: error uploading: HTTP 500"
        assert failing["auto_disabled"] is False
        assert await source.quiet(0.5) == [], "the healthy job stays ok: no event"

        # Cloudflare disables a job whose pushes have failed for 24 hours
        emu.advance(25 * 3600)
        pushed = emu.push()
        assert [p.get("disabled") for p in pushed if p["job_id"] == job["id"]] == [True]
        disabled = await source.event()
        assert (disabled["type"], disabled["job_id"], disabled["previous_health"], disabled["health"]) == \
            ("health_changed", job["id"], "failing", "disabled")
        assert disabled["auto_disabled"] is True
        assert disabled["job"]["enabled"] is False
        assert disabled["error_message"].startswith("error writing object")

        # enabled again: pending until it pushes (its last push failed, but before it was disabled)
        emu.heal_receiver("flaky")
        emu.api("PUT", "/zones/%s/logpush/jobs/%d" % (ZONE, job["id"]), {"enabled": True})
        enabled = await source.event()
        assert (enabled["previous_health"], enabled["health"]) == ("disabled", "pending")
        emu.push()
        pushed = await source.event()
        assert (pushed["previous_health"], pushed["health"]) == ("pending", "ok")

        emu.delete_job(job["id"])
        deleted = await source.event()
        assert (deleted["type"], deleted["job_id"], deleted["previous_health"], deleted["health"]) == \
            ("deleted", job["id"], "ok", "deleted")
        assert deleted["job"]["name"] == "flaky"  # the job as last seen

        assert await source.quiet(0.5) == []
        await source.stop()
        return [created, failing, disabled, enabled, pushed, deleted]

    events = run(scenario())
    text = json.dumps(events)
    assert SECRET not in text
    assert all(e["job"]["destination_conf"].endswith("header_Authorization=REDACTED") for e in events)
    assert healthy["id"] not in [e["job_id"] for e in events]


def test_recovery_and_reenable(plugin, emu, base_args):
    """failing -> ok when the destination heals; a job disabled and enabled again by a user is pending until
    its next push."""
    job = emu.create_job("j", emu.receiver("j"))
    emu.push()

    async def scenario():
        source = Source(plugin, base_args)
        await polls(emu, 1)
        emu.fail_receiver("j")
        emu.push()
        assert (await source.event())["health"] == "failing"
        emu.heal_receiver("j")
        emu.push()
        healed = await source.event()
        assert (healed["previous_health"], healed["health"]) == ("failing", "ok")

        emu.api("PUT", "/zones/%s/logpush/jobs/%d" % (ZONE, job["id"]), {"enabled": False})
        off = await source.event()
        assert (off["previous_health"], off["health"], off["auto_disabled"]) == ("ok", "disabled", False)
        emu.api("PUT", "/zones/%s/logpush/jobs/%d" % (ZONE, job["id"]), {"enabled": True})
        on = await source.event()
        assert (on["previous_health"], on["health"]) == ("disabled", "pending")  # no push since it was enabled
        emu.fail_receiver("j")
        emu.push()
        again = await source.event()
        assert (again["previous_health"], again["health"]) == ("pending", "failing")
        await source.stop()

    run(scenario())


def test_a_job_that_stops_pushing_becomes_stale_and_ok_when_it_pushes_again(plugin, emu, base_args, caplog):
    """Enabled, not failing, and no push for longer than stale_after (here 2 s; the emulator pushes only when told):
    an event to stale at the next poll, with time alone, and one back to ok at its next push."""
    job = emu.create_job("quiet", emu.receiver("quiet", SECRET))
    emu.push()

    async def scenario():
        source = Source(plugin, dict(base_args, zones=[ZONE_NAME], stale_after=2))
        await polls(emu, 1)
        assert await source.quiet(0.3) == [], "it pushed a moment ago: ok, recorded at the first poll"
        stale = await source.event()
        assert (stale["type"], stale["job_id"], stale["previous_health"], stale["health"]) == \
            ("health_changed", job["id"], "ok", "stale")
        assert stale["job"]["health"] == "stale" and stale["auto_disabled"] is False
        assert await source.quiet(0.5) == [], "still stale: no second event"
        emu.push()
        pushed = await source.event()
        assert (pushed["previous_health"], pushed["health"]) == ("stale", "ok")
        await source.stop()
        return [stale, pushed]

    with caplog.at_level(logging.INFO):
        events = run(scenario())
    assert SECRET not in json.dumps(events)
    # the log names the zone as it was given
    assert "%s: job %d health_changed: ok -> stale" % (ZONE_NAME, job["id"]) in caplog.text


def test_emit_initial(plugin, emu, base_args):
    first = emu.create_job("one", emu.receiver("one"))
    second = emu.create_job("two", emu.receiver("two"), enabled=False)

    async def scenario():
        source = Source(plugin, dict(base_args, emit_initial=True))
        events = await source.events(2)
        assert await source.quiet(0.5) == []
        await source.stop()
        return events

    events = run(scenario())
    assert [(e["type"], e["job_id"], e["previous_health"], e["health"]) for e in events] == [
        ("initial", first["id"], None, "pending"), ("initial", second["id"], None, "disabled")]


# -- errors ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fault", [
    {"action": "status", "status": 500},
    {"action": "status", "status": 503},
    {"action": "reset"},
    {"action": "status", "status": 429, "retry_after": 1},
], ids=["500", "503", "connection-reset", "429"])
def test_api_errors_make_no_events(plugin, emu, base_args, fault):
    """A failed list is not an empty list: no 'deleted' event, no event at all, and the source goes on."""
    jobs = [emu.create_job("j%d" % i, emu.receiver("j%d" % i)) for i in range(3)]

    async def scenario():
        source = Source(plugin, base_args)
        await polls(emu, 1)
        emu.admin("POST", "/faults", dict(fault, method="GET", path="/logpush/jobs$", count=3))
        # backoff 0.2 + 0.4 + 0.8 s; a 429 also keeps the source away until the reset its headers give (1 s, +0.5)
        assert await source.quiet(6.0 if fault.get("status") == 429 else 2.5) == []
        assert emu.admin("GET", "/faults")["faults"] == [], "the source polled through every fault"
        statuses = [r["status"] for r in emu.job_lists()]
        assert statuses.count(200) >= 2 and len(statuses) - statuses.count(200) == 3, statuses
        # and it still sees what really happens
        emu.delete_job(jobs[0]["id"])
        deleted = await source.event()
        assert (deleted["type"], deleted["job_id"]) == ("deleted", jobs[0]["id"])
        assert await source.quiet(0.5) == []
        await source.stop()

    run(scenario())


def test_errors_back_off(plugin, emu, base_args):
    """While the API fails, the source polls less and less often (interval, then twice, four times...)."""
    async def scenario():
        source = Source(plugin, dict(base_args, interval=0.1))
        await polls(emu, 1)
        emu.admin("POST", "/faults", {"method": "GET", "path": "/logpush/jobs$", "count": 100, "action": "status",
                                      "status": 502})
        emu.admin("DELETE", "/requests")
        await asyncio.sleep(3.0)
        failed = len(emu.job_lists())
        await source.stop()
        return failed

    failed = run(scenario())
    # 0.1 + 0.2 + 0.4 + 0.8 + 1.6 s: 5 or 6 tries in 3 s, where a fixed interval would make about 25
    assert 3 <= failed <= 7, failed


def test_bad_arguments_stop_the_source(plugin, emu, base_args):
    with pytest.raises(ValueError, match="unknown option.*zone\\b"):
        run(plugin["main"](asyncio.Queue(), dict(base_args, zone=ZONE_NAME)))
    with pytest.raises(ValueError, match="nothing to watch"):
        run(plugin["main"](asyncio.Queue(), dict(base_args, zones=[])))


# -- restarts ----------------------------------------------------------------------------------------


def test_restart_with_state_file(plugin, emu, base_args, tmp_path):
    """A restarted source reports what changed while it was stopped, once, and nothing it had reported."""
    state = str(tmp_path / "state" / "health.json")
    args = dict(base_args, state_file=state)
    stays = emu.create_job("stays", emu.receiver("stays", SECRET))
    breaks = emu.create_job("breaks", emu.receiver("breaks", SECRET))
    goes = emu.create_job("goes", emu.receiver("goes", SECRET))
    emu.push()

    async def first_run():
        source = Source(plugin, args)
        await polls(emu, 1)
        emu.fail_receiver("stays")
        emu.push()
        event = await source.event()
        assert (event["job_id"], event["health"]) == (stays["id"], "failing")
        await source.quiet(0.5)
        await source.stop()

    async def second_run():
        source = Source(plugin, args)
        events = await source.events(3)
        assert await source.quiet(1.0) == []
        await source.stop()
        return events

    async def third_run():
        source = Source(plugin, args)
        await polls(emu, 3)
        got = await source.quiet(0.3)
        await source.stop()
        return got

    run(first_run())
    # while it is stopped: one job starts failing, one is deleted, one is created
    emu.fail_receiver("breaks")
    emu.push()
    emu.delete_job(goes["id"])
    new = emu.create_job("new", emu.receiver("new", SECRET))
    events = by_job(run(second_run()))
    assert stays["id"] not in events, "reported before the restart: not again"
    assert (events[breaks["id"]]["type"], events[breaks["id"]]["previous_health"], events[breaks["id"]]["health"]) == \
        ("health_changed", "ok", "failing")
    assert (events[goes["id"]]["type"], events[goes["id"]]["previous_health"]) == ("deleted", "ok")
    assert (events[new["id"]]["type"], events[new["id"]]["health"]) == ("created", "pending")
    assert run(third_run()) == [], "nothing changed: a third start says nothing"

    with open(state) as handle:
        text = handle.read()
    assert SECRET not in text and TOKEN not in text
    assert oct(os.stat(state).st_mode & 0o777) == oct(0o600)


def test_restart_without_state_file_is_quiet(plugin, emu, base_args):
    emu.create_job("a", emu.receiver("a"))

    async def one_run():
        source = Source(plugin, base_args)
        await polls(emu, 2)
        got = await source.quiet(0.2)
        await source.stop()
        return got

    assert run(one_run()) == []
    emu.fail_receiver("a")
    emu.push()
    assert run(one_run()) == [], "without a state file a start only records the jobs"


def test_unreadable_state_file_starts_a_baseline(plugin, emu, base_args, tmp_path):
    state = tmp_path / "health.json"
    state.write_text("{not json")
    emu.create_job("a", emu.receiver("a"))

    async def one_run():
        source = Source(plugin, dict(base_args, state_file=str(state)))
        await polls(emu, 2)
        got = await source.quiet(0.2)
        await source.stop()
        return got

    assert run(one_run()) == []
    assert json.loads(state.read_text())["version"] == 1


# -- request budget and pacing -------------------------------------------------------------------------


def test_request_budget(plugin, emu, base_args):
    """The first poll, then the next one only when the budget allows: 2 zones at 7 requests per 5 minutes
    poll every 86 s, however short the interval."""
    other = emu.admin("POST", "/zones", {"name": "other.example"})["zone"]["id"]

    async def scenario():
        source = Source(plugin, dict(base_args, zones=[ZONE, other], interval=0.01, request_budget=7))
        await asyncio.sleep(2.0)
        assert not source.task.done()
        await source.stop()

    run(scenario())
    assert [r["path"].split("/")[4] for r in emu.requests_log()] == [ZONE, other]


def test_request_budget_in_any_window(watch, emu, base_args):
    """Never more than request_budget requests in any window (here a 2-second one, to test it quickly), while
    polling goes on: the pause between polls spreads them, and the budget caps a window where polls bunch up."""
    other = emu.admin("POST", "/zones", {"name": "other.example"})["zone"]["id"]
    watcher = watch.JobWatcher(watch.parse_options(dict(base_args, zones=[ZONE, other], interval=0.01)))
    watcher.budget = watch.RequestBudget(7, window=2.0)
    permitted = []
    spend = watcher.budget.spend

    def record():
        permitted.append(time.monotonic())  # the moment the budget lets a request go
        spend()

    watcher.budget.spend = record

    async def scenario():
        task = asyncio.ensure_future(watcher.run(asyncio.Queue()))
        await asyncio.sleep(5.0)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    run(scenario())
    assert len(permitted) == len(emu.requests_log()) > 7, "every request was let go by the budget, past the first window"
    worst = max(len([t for t in permitted if start <= t < start + 2.0]) for start in permitted)
    assert worst <= 7, permitted


def test_paced_by_cloudflare_headers_and_the_modules_bucket(plugin, emu, base_args, tmp_path):
    """Cloudflare's Ratelimit headers stop the source before the limit (no 429), and it keeps them in the very
    bucket file the modules of the same credential use on this host."""
    emu.admin("POST", "/rate-limit", {"limit": 30, "window": 300})

    async def scenario():
        source = Source(plugin, dict(base_args, interval=0.01))
        # 30 allowed, a reserve of 10 kept (a twentieth of the quota, at least 10) for the token's other clients
        await polls(emu, 20, timeout=30)
        await asyncio.sleep(1.0)
        assert not source.task.done()
        await source.stop()

    run(scenario())
    statuses = [r["status"] for r in emu.requests_log()]
    assert statuses == [200] * 20, statuses

    from ansible_collections.cloudflare_community.logpush.plugins.module_utils._ratelimit import SharedRateLimiter

    bucket = SharedRateLimiter.for_credential(1200, 300, base_args["rate_limit_dir"], TOKEN, emu.base_url)
    with open(bucket.path) as handle:
        kept = json.load(handle)
    assert kept["server"]["quota"] == 30 and kept["server"]["remaining"] <= 10


def test_shared_bucket_paces_the_source(plugin, emu, base_args):
    """With a small shared bucket (as a playbook's modules would drain it), the source waits for its tokens."""
    async def scenario():
        source = Source(plugin, dict(base_args, interval=0.01, rate_limit=20, rate_limit_window=300))
        await asyncio.sleep(2.0)
        await source.stop()

    run(scenario())
    # the bucket holds a tenth of the limit (2), then refills 18 per 300 s: 2 requests, perhaps a third
    assert 2 <= len(emu.requests_log()) <= 3


# -- scopes ------------------------------------------------------------------------------------------


def test_accounts_zone_names_and_all_zones(plugin, emu, base_args):
    other = emu.admin("POST", "/zones", {"name": "other.example", "account_id": ACCOUNT})["zone"]["id"]
    datadog = "datadog://http-intake.logs.datadoghq.com/api/v2/logs?header_DD-API-KEY=wJalrSECRETKEY&ddsource=cloudflare"

    async def scenario(args):
        source = Source(plugin, args)
        await polls(emu, 1)
        await source.quiet(0.5)
        return source

    async def named():
        source = await scenario(dict(base_args, zones=["Example.COM."], account_ids=[ACCOUNT]))
        zone_job = emu.create_job("z", emu.receiver("z"))
        account_job = emu.create_job("acc", emu.receiver("acc"), scope="/accounts/" + ACCOUNT, dataset="audit_logs")
        events = by_job(await source.events(2))
        await source.stop()
        assert events[zone_job["id"]]["zone_id"] == ZONE and events[zone_job["id"]]["zone_name"] == ZONE_NAME
        assert events[account_job["id"]]["account_id"] == ACCOUNT and "zone_id" not in events[account_job["id"]]
        return zone_job

    async def every_zone():
        source = await scenario(dict(base_args, zones=None, all_zones=True))
        job = emu.create_job("o", emu.receiver("o"), scope="/zones/" + other)
        event = await source.event()
        assert (event["type"], event["zone_id"], event["zone_name"]) == ("created", other, "other.example")
        emu.create_job("dd", datadog)
        event = await source.event()
        assert event["zone_name"] == ZONE_NAME and "wJalrSECRETKEY" not in json.dumps(event)
        await source.stop()
        return job

    zone_job = run(named())
    lookups = [r for r in emu.requests_log() if r["path"].endswith("/zones") and "name=" in r["query"]]
    assert len(lookups) == 1, "a zone name is resolved once"
    emu.delete_job(zone_job["id"])
    run(every_zone())


def test_unknown_zone_name_is_retried_not_fatal(plugin, emu, base_args):
    async def scenario():
        source = Source(plugin, dict(base_args, zones=["nowhere.example", ZONE]))
        await polls(emu, 2)
        job = emu.create_job("a", emu.receiver("a"))
        event = await source.event()
        assert event["job_id"] == job["id"]
        await source.stop()

    run(scenario())


# -- docs ------------------------------------------------------------------------------------------


def test_documentation_matches_the_options(plugin, watch):
    """The plugin's DOCUMENTATION and the watcher's argument spec agree (what validate-modules checks for a module),
    and the EXAMPLES pass the checks."""
    import yaml

    doc = yaml.safe_load(plugin["DOCUMENTATION"])
    assert doc["module"] == "job_health"
    spec = watch.argument_spec()
    assert set(doc["options"]) == set(spec)
    for name, option in spec.items():
        documented = doc["options"][name]
        assert documented["type"] == option["type"], name
        assert documented.get("default") == option.get("default"), name
        assert documented.get("elements") == option.get("elements"), name
        assert sorted(documented.get("aliases") or []) == sorted(option.get("aliases") or []), name
        for variable in (option.get("fallback") or (None, []))[1]:
            assert "E(%s)" % variable in " ".join(documented["description"]), name
    examples = yaml.safe_load(plugin["EXAMPLES"])
    source = examples[0]["sources"][0]["cloudflare_community.logpush.job_health"]
    watch.parse_options(dict(source, api_token="x"))


def test_guide_documents_every_option(watch):
    """The guide's table of options (the plugin's docs in the docs site) has every option, with its default."""
    guide = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "docsite", "rst", "guide_eda.rst")
    with open(guide) as handle:
        text = handle.read()
    rows = dict(re.findall(r"^  \* - ``(\w+)``\n    - (.*)$", text, re.MULTILINE))
    spec = watch.argument_spec()
    assert set(rows) == set(spec)
    credentials = dict(api_token="CLOUDFLARE_API_TOKEN", api_email="CLOUDFLARE_EMAIL", api_key="CLOUDFLARE_API_KEY")
    for name, option in spec.items():
        default = option.get("default")
        variables = [credentials[name]] if name in credentials else (option.get("fallback") or (None, []))[1]
        for variable in variables:
            assert "``%s``" % variable in rows[name], name
        if default is None:
            assert rows[name] == "(none)" or variables, name
        elif option["type"] == "bool":
            assert "``%s``" % str(default).lower() in rows[name], name
        else:
            assert "``%s``" % (int(default) if option["type"] == "float" else default) in rows[name], name
