# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection: it may change without notice.
"""Which zone a task or the event source means: the one zone resolver of the collection.

A zone is given by its id, which is used as it is, or by its name, which is looked up: lower case, without
a final dot, in both IDNA forms. The base module (``zone``), ``logpush_job_info`` (``zones``) and the event
source (``zones``) all resolve through ``resolve_zone``; it knows nothing of Ansible, and speaks HTTP only
through the client's ``find_zone_ids``.
"""

from __future__ import annotations

import re

# a zone id or an account id: Cloudflare shows both as 32 lower-case hex characters on the overview page
HEX_ID = re.compile(r"^[0-9a-f]{32}$")


class ZoneNotFound(LookupError):
    """No zone of that name is visible to the credential."""

    def __init__(self, name):
        super(ZoneNotFound, self).__init__("zone %r was not found, or the credential cannot see it" % name)
        self.name = name


class ZoneAmbiguous(LookupError):
    """Several zones of that name are visible to the credential (the same name in several accounts)."""

    def __init__(self, name, ids):
        super(ZoneAmbiguous, self).__init__("zone %r matches %d zones (%s)" % (name, len(ids), ", ".join(ids)))
        self.name = name
        self.ids = ids


def zone_names(zone):
    """The names to look a zone up by, in order: as given (lower case, no final dot), then its other
    IDNA form. Cloudflare's zone API lists internationalised zones by their Unicode name, and lookups
    by the punycode name have failed (cloudflare-go issue #347); older answers went the other way."""
    name = zone.strip().rstrip(".").lower()
    names = [name]
    try:
        other = name.encode("idna").decode("ascii")
        if other == name and "xn--" in name:
            other = name.encode("ascii").decode("idna")
    except UnicodeError:
        other = name
    if other != name:
        names.append(other)
    return names


def is_zone_id(zone):
    """Whether ``zone`` is a zone id rather than a name (no zone name is 32 hex characters without a dot)."""
    return bool(HEX_ID.match(zone.strip().lower()))


def bad_zone_name(zone):
    """Whether ``zone`` cannot be a zone name or id: empty, or with a slash or a space inside."""
    return not zone.strip() or "/" in zone or " " in zone.strip()


def resolve_zone(client, zone, known=None):
    """``{"id", "name"}`` of the zone that ``zone`` means.

    A zone id is used as it is, without a request (its name comes from ``known`` when it is there, else it
    is None). A name is matched against ``known``, the zones the caller has listed already (no request);
    without ``known``, it is looked up with one request per IDNA form until one matches. ``name`` is the
    name as Cloudflare has it. Raises ZoneNotFound, ZoneAmbiguous, or the client's CloudflareError."""
    text = zone.strip()
    if is_zone_id(text):
        zone_id = text.lower()
        names = [z.get("name") for z in known or [] if z.get("id") == zone_id]
        return {"id": zone_id, "name": names[0] if names else None}
    names = zone_names(text)
    if known is not None:
        found = [z for z in known if z.get("id") and any(n in names for n in zone_names(z.get("name") or ""))]
        ids = _unique([z["id"] for z in found])
        name = found[0].get("name") if found else None
    else:
        ids = []
        for name in names:
            ids = _unique(client.find_zone_ids(name))
            if ids:
                break
    if not ids:
        raise ZoneNotFound(names[0])
    if len(ids) > 1:
        raise ZoneAmbiguous(names[0], ids)
    return {"id": ids[0], "name": name}


def _unique(values):
    return [value for index, value in enumerate(values) if value not in values[:index]]
