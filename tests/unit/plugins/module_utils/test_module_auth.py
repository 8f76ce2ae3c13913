# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where the credential comes from (the task wins over the environment), and every form of it masked."""

from __future__ import annotations

import json
from urllib.parse import quote, quote_plus

import pytest

from ansible_collections.cloudflare_community.logpush.plugins.module_utils._module import (
    CredentialError, resolve_credentials,
)
from ansible_collections.cloudflare_community.logpush.plugins.module_utils._redact import redact_text, secret_forms

TOKEN = "canary-token-5b1f0e7d"
KEY = "canarykey93c2aa41"
EMAIL = "user@example.com"
LEGACY_ENV = {"CLOUDFLARE_EMAIL": "env@example.com", "CLOUDFLARE_API_KEY": "envkey0000aa"}


def resolve(environ=None, **params):
    return resolve_credentials(params, environ or {})


def test_the_tasks_token_wins_over_legacy_variables_in_the_environment():
    resolved = resolve(LEGACY_ENV, api_token=TOKEN)
    assert (resolved["api_token"], resolved["api_email"], resolved["api_key"]) == (TOKEN, None, None)
    assert resolved["sources"] == {"api_token": "the task"}


def test_the_tasks_legacy_key_wins_over_a_token_in_the_environment():
    resolved = resolve({"CLOUDFLARE_API_TOKEN": "envtoken1234"}, api_email=EMAIL, api_key=KEY)
    assert (resolved["api_token"], resolved["api_email"], resolved["api_key"]) == (None, EMAIL, KEY)


def test_the_tasks_key_is_completed_by_the_environments_email():
    resolved = resolve(LEGACY_ENV, api_key=KEY)
    assert (resolved["api_email"], resolved["api_key"]) == ("env@example.com", KEY)
    assert resolved["sources"] == {"api_email": "the environment variable CLOUDFLARE_EMAIL", "api_key": "the task"}


def test_without_a_task_credential_the_environment_is_used_token_first():
    env = dict(LEGACY_ENV, CLOUDFLARE_API_TOKEN="envtoken1234")
    assert resolve(env)["api_token"] == "envtoken1234"
    assert resolve(LEGACY_ENV)["api_key"] == "envkey0000aa"


def test_an_email_alone_in_the_task_is_no_method_the_environments_token_is_used():
    resolved = resolve({"CLOUDFLARE_API_TOKEN": "envtoken1234"}, api_email=EMAIL)
    assert (resolved["api_token"], resolved["api_email"], resolved["api_key"]) == ("envtoken1234", None, None)
    resolved = resolve(dict(LEGACY_ENV, CLOUDFLARE_API_TOKEN="envtoken1234"), api_email=EMAIL)
    assert (resolved["api_token"], resolved["api_email"], resolved["api_key"]) == (None, EMAIL, "envkey0000aa")


def test_only_two_methods_in_the_task_itself_conflict_and_the_message_says_where_from():
    with pytest.raises(CredentialError) as info:
        resolve({}, api_token=TOKEN, api_email=EMAIL, api_key=KEY)
    assert "both given in the task" in str(info.value)
    assert TOKEN not in str(info.value) and KEY not in str(info.value)


@pytest.mark.parametrize("params, env, says", [
    ({}, {}, "No credential"),
    ({"api_email": EMAIL}, {}, "api_email is given (from the task) but not api_key"),
    ({}, {"CLOUDFLARE_EMAIL": EMAIL}, "api_email is given (from the environment variable CLOUDFLARE_EMAIL) but not api_key"),
    ({"api_token": "  \n"}, {}, "No credential"),
])
def test_a_missing_credential_says_what_to_set(params, env, says):
    with pytest.raises(CredentialError) as info:
        resolve_credentials(params, env)
    assert says in str(info.value)


@pytest.mark.parametrize("written", [TOKEN + "\n", " " + TOKEN + "\r\n", "\t" + TOKEN])
def test_whitespace_around_a_credential_is_removed(written):
    resolved = resolve({}, api_token=written)
    assert resolved["api_token"] == TOKEN
    assert resolved["stripped"] == ["api_token (from the task)"]
    resolved = resolve({"CLOUDFLARE_API_KEY": written, "CLOUDFLARE_EMAIL": EMAIL})
    assert resolved["api_key"] == TOKEN


@pytest.mark.parametrize("written", ["canary token", "canary\ntoken", "canary\x00token"])
def test_whitespace_inside_a_credential_is_refused_without_the_value(written):
    with pytest.raises(CredentialError) as info:
        resolve({}, api_token=written)
    assert "whitespace or a control character" in str(info.value)
    assert "canary" not in str(info.value)


def test_an_unused_environment_value_with_whitespace_inside_does_not_matter():
    assert resolve({"CLOUDFLARE_API_KEY": "bad key"}, api_token=TOKEN)["api_token"] == TOKEN


# -- every form of a secret is masked -------------------------------------------------------------

ODD = 'can"ary/to+ken=9\\x'


@pytest.mark.parametrize("form", [
    ODD, json.dumps(ODD)[1:-1], repr(ODD)[1:-1], quote(ODD, safe=""), quote(ODD), quote_plus(ODD),
])
def test_redact_text_masks_every_form(form):
    text = "the server said: %s (end)" % form
    assert form in text
    shown = redact_text(text, [ODD])
    assert "ary" not in shown and "REDACTED" in shown


def test_a_raw_token_with_a_newline_is_masked_in_its_stripped_and_quoted_forms():
    raw = TOKEN + "\n"
    for text in ("Bearer %s" % TOKEN, repr("Bearer " + raw), json.dumps({"auth": raw}), quote(raw)):
        assert "canary" not in redact_text(text, [raw]), text


def test_secret_forms_leave_out_short_forms():
    assert all(len(form) >= 4 for form in secret_forms(" ab "))


def test_an_email_beside_a_token_in_the_task_is_refused_not_ignored():
    with pytest.raises(CredentialError) as info:
        resolve({}, api_token=TOKEN, api_email=EMAIL)
    assert "api_token and api_email are both given in the task" in str(info.value) and TOKEN not in str(info.value)
