# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures of the event source's tests: the emulator in this process, and the plugin as ansible-rulebook loads it.

Run with the emulator importable and the collection staged (``make eda-tests`` does both):

    PYTHONPATH=tests ANSIBLE_COLLECTIONS_PATH=.build .venv/bin/python -m pytest tests/eda
"""

from __future__ import annotations

import os
import runpy

import pytest

from eda_helpers import PLUGIN_PATH, TOKEN, ZONE, Emulator, collection_dir


@pytest.fixture(scope="session")
def plugin():
    """The plugin's globals, loaded the way ansible-rulebook loads it (runpy.run_path of the file)."""
    return runpy.run_path(os.path.join(collection_dir(), PLUGIN_PATH))


@pytest.fixture(scope="session")
def watch(plugin):
    """The watcher behind the plugin (module_utils/_watch.py), from the collection the plugin was loaded from."""
    from ansible_collections.cloudflare_community.logpush.plugins.module_utils import _watch

    assert _watch.__file__.startswith(collection_dir()), _watch.__file__
    return _watch


@pytest.fixture(scope="session")
def emulator_server():
    from emulator import server  # tests/ on PYTHONPATH

    srv = server.start(port=0, s3_port=0, push_interval=0)
    yield srv
    srv.stop()


@pytest.fixture
def emu(emulator_server):
    emulator = Emulator(emulator_server)
    emulator.admin("POST", "/reset", {})
    emulator.admin("POST", "/settings", {"push_interval": 0})
    yield emulator
    assert emulator.admin("GET", "/spec-violations")["violations"] == []


@pytest.fixture
def base_args(emu, tmp_path):
    """Arguments that point the plugin at the emulator, with its own bucket folder and a short interval."""
    return {
        "api_token": TOKEN,
        "api_base_url": emu.base_url,
        "zones": [ZONE],
        "interval": 0.2,
        # the budget's pacing is tested on its own; here it would stretch the interval to 1 s
        "request_budget": 100000,
        "rate_limit_dir": str(tmp_path / "ratelimit"),
    }
