# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

from ansible_collections.cloudflare_community.logpush.plugins.filter.redact import FilterModule, redact


def test_a_quoted_destination_is_masked_and_the_rest_kept():
    text = ("error validating destination: error writing object: s3://logs/p?region=us-east-1&"
            "access-key-id=AKIACANARY1&secret-access-key=canarysecret99: AccessDenied")
    shown = redact(text)
    assert "AKIACANARY1" not in shown and "canarysecret99" not in shown
    assert shown.startswith("error validating destination") and shown.endswith("AccessDenied")


def test_extra_secrets_are_masked_in_every_form():
    shown = redact('echo "canary/tok+en" canary%2Ftok%2Ben', ["canary/tok+en\n"])
    assert "canary" not in shown


def test_the_filter_is_registered():
    assert FilterModule().filters()["redact"] is redact
    assert redact(None) is None
