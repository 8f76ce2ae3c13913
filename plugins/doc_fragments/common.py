# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment(object):

    # Auth, connection and scope: the options every module shares.
    DOCUMENTATION = r"""
options:
  api_token:
    description:
      - "A Cloudflare API token with the permission C(Logs: Write) on the zone or account (Logpush requires
        it even to read jobs, because jobs hold destination credentials)."
      - If the task gives no credential (neither O(api_token) nor O(api_key) nor O(api_email)), the value of
        the E(CLOUDFLARE_API_TOKEN) environment variable is used; when it is not set either, E(CLOUDFLARE_EMAIL)
        and E(CLOUDFLARE_API_KEY).
      - The task's own credential always wins over the environment, so a token in the task works with
        E(CLOUDFLARE_EMAIL) and E(CLOUDFLARE_API_KEY) set, and the other way round. Only O(api_token) and
        O(api_key) both given in the task are a conflict.
      - Whitespace around the value (the newline a YAML block scalar or a vault string ends with) is removed;
        a value with whitespace inside is refused, without showing it. Every form of the credential (as
        written, without the whitespace, escaped, URL-encoded) is masked in the task's output.
    type: str
  api_email:
    description:
      - The e-mail address of the Cloudflare user, for the legacy global API key (O(api_key)).
      - If not set, the value of the E(CLOUDFLARE_EMAIL) environment variable is used, unless the task gives
        O(api_token) (see O(api_token)).
      - O(account_email) is the name community.general's Cloudflare modules use.
    type: str
    aliases: [account_email]
  api_key:
    description:
      - The legacy global API key of the user O(api_email). Prefer O(api_token).
      - If not set, the value of the E(CLOUDFLARE_API_KEY) environment variable is used, unless the task gives
        O(api_token) (see O(api_token)).
      - O(account_api_key) is the name community.general's Cloudflare modules use.
    type: str
    aliases: [account_api_key]
  api_base_url:
    description:
      - The base URL of the Cloudflare v4 API. Change it only to reach a proxy or a test endpoint.
      - If not set, the value of the E(CLOUDFLARE_BASE_URL) environment variable is used.
    type: str
    default: https://api.cloudflare.com/client/v4
  validate_certs:
    description:
      - Whether to verify the API's TLS certificate. Set V(false) only for a test endpoint; the task then
        warns that the certificate is not checked.
      - V(false) is honoured even where E(REQUESTS_CA_BUNDLE) is set.
    type: bool
    default: true
  timeout:
    description:
      - Seconds to wait for an answer to one request before giving up on it.
    type: int
    default: 30
  max_retries:
    description:
      - How many times to retry a request that failed in a way that is safe to retry.
      - GET, PUT and DELETE are retried on HTTP 429, 500, 502, 503 and 504, on timeouts and on lost
        connections, with exponential backoff and jitter; a 429 waits as long as its C(Retry-After)
        header says (at most 300 seconds).
      - A POST is retried only when it cannot have taken effect (HTTP 429, or a connection that could not
        be opened).
      - V(0) turns retries off.
    type: int
    default: 5
  rate_limit:
    description:
      - How many requests this credential may send to the API per O(rate_limit_window), counted across every
        module process on this host (a token bucket in a file under Ansible's remote temporary folder), so
        that a run with many forks paces itself instead of hitting Cloudflare's limit, which blocks every
        call for 5 minutes.
      - Cloudflare allows 1,200 requests per 5 minutes per user. Lower this when other tools share the
        user's quota. The bucket allows bursts of a tenth of the limit.
      - V(0) turns the limiter off.
    type: int
    default: 1200
  rate_limit_window:
    description:
      - The window of O(rate_limit), in seconds.
    type: int
    default: 300
  zone_id:
    description:
      - The id of the zone whose Logpush jobs to manage (32 hex characters).
      - Exactly one of O(zone_id), O(zone) or O(account_id) is required.
    type: str
  zone:
    description:
      - The name of the zone, for example V(example.com). It is resolved to its id with one extra request;
        give O(zone_id) to save it.
    type: str
  account_id:
    description:
      - The id of the account whose (account-scoped) Logpush jobs to manage (32 hex characters).
    type: str
requirements:
  - requests >= 2.20 (on the host that runs the module)
notes:
  - Logpush is available to Enterprise zones (and some datasets to other plans); see
    U(https://developers.cloudflare.com/logs/logpush/).
  - The client refuses any HTTP redirect (Cloudflare's API never redirects; following one would send the
    credential or a destination's keys to another host), and Cloudflare C(Ratelimit) values beyond its
    300-second window or that are not finite numbers.
  - All modules of this collection are in the action group C(cloudflare_community.logpush.all), so
    shared options can be set once with C(module_defaults) and C(group/cloudflare_community.logpush.all).
seealso:
  - name: Cloudflare Logpush API
    description: The API these modules use.
    link: https://developers.cloudflare.com/api/resources/logpush/
  - name: Create an API token
    description: "How to create a token with the C(Logs: Write) permission."
    link: https://developers.cloudflare.com/fundamentals/api/get-started/create-token/
"""

    ACTION_GROUP = r"""
attributes:
  action_group:
    description: Use C(group/cloudflare_community.logpush.all) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - cloudflare_community.logpush.all
"""
