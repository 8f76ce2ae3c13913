# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The action group users put in module_defaults holds every module, and nothing else (the check
antsibull-nox's extra-checks session makes, without a session of its own)."""

from __future__ import annotations

import os

import yaml

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..")


def test_action_group_all_is_every_module():
    with open(os.path.join(ROOT, "meta", "runtime.yml")) as handle:
        group = yaml.safe_load(handle)["action_groups"]["all"]
    modules = sorted(name[:-3] for name in os.listdir(os.path.join(ROOT, "plugins", "modules"))
                     if name.endswith(".py") and not name.startswith("_"))
    assert sorted(group) == modules
