# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The event source, through the plugin and the emulator, with a refused or oddly written credential: neither may
crash it, stall it or print a secret. The answers it must not trust (an absurd Ratelimit header, a malformed job
list, a TLS failure) are unit tests of its watcher: tests/unit/plugins/module_utils/test_watch.py."""

from __future__ import annotations

import asyncio
import logging

import pytest

from eda_helpers import TOKEN, Source, run


def test_a_token_with_a_trailing_newline_is_used_without_it_and_never_logged(plugin, emu, base_args, caplog):
    emu.create_job("one", emu.receiver("one"))

    async def scenario():
        source = Source(plugin, dict(base_args, api_token=TOKEN + "\n", emit_initial=True))
        initial = await source.event()
        await source.stop()
        return initial

    with caplog.at_level(logging.DEBUG):
        initial = run(scenario())
    assert initial["type"] == "initial"
    assert "whitespace around api_token (from the arguments) was removed" in caplog.text
    assert TOKEN not in caplog.text


def test_a_credential_cloudflare_refuses_stops_the_source_with_a_clear_error(plugin, watch, emu, base_args, caplog):
    """A malformed token (400/6003 from Cloudflare): no poll can succeed, so the source stops at once instead
    of logging the refusal on every poll."""
    bad = "canary/not+a+token"
    with caplog.at_level(logging.DEBUG):
        with pytest.raises(watch.CredentialRefused) as info:
            run(plugin["main"](asyncio.Queue(), dict(base_args, api_token=bad)))
    message = str(info.value)
    assert "refused the credential" in message and "code 6003" in message
    assert "canary" not in message and "canary" not in caplog.text
    assert len(emu.job_lists()) == 1


def test_every_uri_task_that_carries_a_credential_follows_no_redirect():
    """The EDA playbooks (a token or key in headers) and the role's REST readers (a token, or a SAS in the URL)."""
    import glob
    import os

    import yaml

    root = os.path.join(os.path.dirname(__file__), "..", "..")
    files = glob.glob(os.path.join(root, "extensions", "eda", "playbooks", "*.yml")) + [
        os.path.join(root, "roles", "job_setup", "tasks", name) for name in ("read_challenge_gs.yml", "read_challenge_azure.yml")]
    seen = 0

    def tasks_of(node):
        if isinstance(node, list):
            for item in node:
                yield from tasks_of(item)
        elif isinstance(node, dict):
            if "ansible.builtin.uri" in node:
                yield node
            for key in ("tasks", "block", "rescue", "always"):
                yield from tasks_of(node.get(key))

    for path in files:
        with open(path) as handle:
            for task in tasks_of(yaml.safe_load(handle)):
                seen += 1
                assert task["ansible.builtin.uri"].get("follow_redirects") == "none", (path, task.get("name"))
    assert seen == 6
