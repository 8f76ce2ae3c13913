# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

from ansible_collections.cloudflare_community.logpush.plugins.module_utils._destination import (
    destination_location, needs_ownership_challenge,
)


def destination_info(destination_conf):
    """Where a destination stores files and whether it needs an ownership challenge; no secrets."""
    info = destination_location(destination_conf)
    info["challenge_required"] = needs_ownership_challenge(destination_conf)
    return info


class FilterModule(object):

    def filters(self):
        return {"destination_info": destination_info}
