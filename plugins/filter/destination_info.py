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
    info["host"] = azure_host(destination_conf) if info["scheme"] == "azure" and info["account"] else None
    info["challenge_required"] = needs_ownership_challenge(destination_conf)
    info["shown"] = shown_destination(info)
    return info


def azure_host(destination_conf):
    """The Blob service host as the destination gives it: the public cloud's <account>.blob.core.windows.net,
    a sovereign cloud's (<account>.blob.core.usgovcloudapi.net, <account>.blob.core.chinacloudapi.cn) or a
    private endpoint's. Cloudflare's Azure destination is the container's SAS URL with https replaced by azure
    (its Azure destination page), so this is the host to read a challenge from."""
    address = destination_conf.partition("://")[2].partition("?")[0].partition("/")[0]
    return address.rpartition("@")[2]


def shown_destination(info):
    """The destination as a message may show it: from its parts, so never with a secret.

    Azure's SAS is the secret of its query string; other destinations than object stores may carry one
    anywhere (Sumo Logic's code, an HTTP token), so only their scheme is shown."""
    if info["bucket"] is None:
        return "%s://(address not shown: it holds a secret)" % info["scheme"]
    text = "%s://" % info["scheme"]
    if info["host"]:
        text += "%s/" % info["host"]
    text += info["bucket"]
    if info["path"]:
        text += "/" + info["path"]
    if info["region"]:
        text += "?region=" + info["region"]
    if info["scheme"] == "azure":
        text += "?(SAS not shown)"
    return text


class FilterModule(object):

    def filters(self):
        return {"destination_info": destination_info}
