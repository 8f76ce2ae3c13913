# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The one zone resolver (_zones.resolve_zone), against the scripted server: what it sends, what it answers."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from ansible_collections.cloudflare_community.logpush.plugins.module_utils._client import CloudflareClient, CloudflareError
from ansible_collections.cloudflare_community.logpush.plugins.module_utils._zones import (
    ZoneAmbiguous, ZoneNotFound, bad_zone_name, resolve_zone, zone_names,
)
from ansible_collections.cloudflare_community.logpush.tests.unit.scripted_server import Step, envelope

ZONE_ID = "023e105f4ecef8ad9ca31a8372d0c353"
OTHER_ID = "0123456789abcdef0123456789abcdef"


def client_for(server):
    return CloudflareClient(base_url=server.url, api_token="t0k3n-t0k3n", max_retries=0)


def lookups(server):
    return [unquote(r["path"].split("?", 1)[1]) for r in server.seen]


@pytest.mark.parametrize("given, names", [
    ("Example.COM.", ["example.com"]),
    ("bücher.example", ["bücher.example", "xn--bcher-kva.example"]),
    (" XN--MNCHEN-3YA.de ", ["xn--mnchen-3ya.de", "münchen.de"]),
])
def test_zone_names_are_looked_up_in_both_idna_forms(given, names):
    assert zone_names(given) == names


@pytest.mark.parametrize("zone, bad", [("example.com", False), (ZONE_ID, False), ("", True), ("  ", True),
                                       ("example.com/x", True), ("exa mple.com", True)])
def test_bad_zone_name(zone, bad):
    assert bad_zone_name(zone) is bad


def test_an_id_is_used_as_it_is_without_a_request(server):
    assert resolve_zone(client_for(server), " %s " % ZONE_ID.upper()) == {"id": ZONE_ID, "name": None}
    assert server.seen == []


def test_a_name_is_one_request(server):
    server.will(Step(200, envelope([{"id": ZONE_ID, "name": "example.com"}])))
    assert resolve_zone(client_for(server), "Example.COM.") == {"id": ZONE_ID, "name": "example.com"}
    assert lookups(server) == ["name=example.com&per_page=50"]


def test_an_internationalised_name_not_found_as_given_is_looked_up_in_its_other_form(server):
    server.will(Step(200, envelope([])), Step(200, envelope([{"id": ZONE_ID, "name": "xn--bcher-kva.example"}])))
    assert resolve_zone(client_for(server), "bücher.example") == {"id": ZONE_ID, "name": "xn--bcher-kva.example"}
    assert lookups(server) == ["name=bücher.example&per_page=50", "name=xn--bcher-kva.example&per_page=50"]


def test_a_name_found_nowhere(server):
    server.will(Step(200, envelope([])), Step(200, envelope([{"id": OTHER_ID, "name": "someone-else.example"}])))
    with pytest.raises(ZoneNotFound) as info:
        resolve_zone(client_for(server), "nowhere.example")
    assert info.value.name == "nowhere.example" and "was not found" in str(info.value)
    assert len(server.seen) == 1, "an ASCII name has one form: one request"


def test_a_name_of_several_zones_is_ambiguous(server):
    server.will(Step(200, envelope([{"id": ZONE_ID, "name": "example.com"}, {"id": OTHER_ID, "name": "example.com"}])))
    with pytest.raises(ZoneAmbiguous) as info:
        resolve_zone(client_for(server), "example.com")
    assert info.value.ids == [ZONE_ID, OTHER_ID] and "matches 2 zones" in str(info.value)


def test_an_error_of_the_lookup_is_the_clients(server):
    server.will(Step(403, envelope(success=False, errors=[{"code": 9109, "message": "Unauthorized"}])))
    with pytest.raises(CloudflareError) as info:
        resolve_zone(client_for(server), "example.com")
    assert info.value.http_status == 403


def test_known_zones_answer_without_a_request(server):
    known = [{"id": ZONE_ID, "name": "example.com"}, {"id": OTHER_ID, "name": "bücher.example"}]
    client = client_for(server)
    assert resolve_zone(client, "EXAMPLE.com", known) == {"id": ZONE_ID, "name": "example.com"}
    assert resolve_zone(client, "xn--bcher-kva.example", known) == {"id": OTHER_ID, "name": "bücher.example"}
    assert resolve_zone(client, OTHER_ID, known) == {"id": OTHER_ID, "name": "bücher.example"}
    with pytest.raises(ZoneNotFound):
        resolve_zone(client, "other.example", known)
    with pytest.raises(ZoneNotFound):
        resolve_zone(client, "example.com", [])
    with pytest.raises(ZoneAmbiguous):
        resolve_zone(client, "example.com", known + [{"id": "f" * 32, "name": "example.com"}])
    assert server.seen == []
