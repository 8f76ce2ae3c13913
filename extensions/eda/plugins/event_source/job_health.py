# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""An Event-Driven Ansible event source: the health of Logpush jobs, as events when it changes.

ansible-rulebook runs this file (``runpy.run_path``) and awaits ``main(queue, args)``. Only the documentation
and ``main()`` live here: the watcher is the collection's module_utils ``_watch``, on the modules' own client,
argument spec, zone resolver, job health, redactor and shared rate limiter.
"""

from __future__ import annotations

import asyncio
import os
import sys

DOCUMENTATION = r"""
module: job_health
short_description: Events when the health of Cloudflare Logpush jobs changes
version_added: 0.1.0
description:
  - An ansible-rulebook event source plugin. It lists the Logpush jobs of the zones and accounts it is given,
    one request per zone or account, every O(interval) seconds, and puts an event on the queue when a job's
    health changes, when a job appears and when a job is deleted.
  - "A job's health is what M(cloudflare_community.logpush.logpush_job_info) reports: V(ok), V(failing) (the
    last push failed), V(stale) (enabled, not failing, and no push for longer than O(stale_after)), V(pending)
    (enabled, never pushed) or V(disabled). Cloudflare disables a job after 24 hours of failed pushes; the event
    of that change has C(auto_disabled: true). A job enabled again is V(pending) until its next push: what its
    pushes did before it was disabled no longer counts."
  - "Each event is C({cloudflare_logpush: {type, zone_id or account_id, zone_name, job_id, job, previous_health,
    health, error_message, auto_disabled, detected_at}}). C(type) is C(health_changed), C(created), C(deleted) or
    (with O(emit_initial)) C(initial). C(job) is the job as the modules return it, every secret in its
    C(destination_conf) and C(error_message) masked, and C(job.error_codes) says what a push error code (1101 to
    1108, 1201) in the message means; C(health) is C(deleted) for a deleted job."
  - The first poll of a zone or account only records its jobs (no event). With O(state_file), what was seen is
    kept across restarts, so a restarted source reports only what changed while it was stopped, once.
  - Requests stay within O(request_budget) per 5 minutes (the interval grows when there are too many zones
    for it). They are also paced with the modules on the same host (the same per-credential bucket, see
    O(rate_limit)) and with every other client of the credential through Cloudflare's C(Ratelimit) headers.
  - A failed request is not retried at once. The zone or account keeps its last known jobs, no event is made
    for it (never a C(deleted) one), and it is polled again after a backoff, up to 15 minutes.
  - Needs ansible-core and C(requests) on the Python that runs ansible-rulebook, and the collection installed
    where C(ansible-galaxy collection list) finds it.
author:
  - Cloudflare Community (@cloudflare-community)
options:
  api_token:
    description:
      - "A Cloudflare API token with the permission C(Logs: Read) or C(Logs: Write) on the zones and accounts."
      - If the arguments give no credential, the value of the E(CLOUDFLARE_API_TOKEN) environment variable is
        used (else E(CLOUDFLARE_EMAIL) and E(CLOUDFLARE_API_KEY)); a credential in the arguments always wins over
        the environment. Only O(api_token) and O(api_key) both in the arguments are a conflict.
      - Whitespace around the value is removed; a value with whitespace inside is refused without showing it.
      - When Cloudflare refuses the credential itself (none sent, malformed, unknown legacy key, HTTP 401),
        the source stops with an error instead of polling again.
    type: str
  api_email:
    description:
      - The e-mail address of the Cloudflare user, for the legacy global API key (O(api_key)).
      - If not set, the value of the E(CLOUDFLARE_EMAIL) environment variable is used.
    type: str
    aliases: [account_email]
  api_key:
    description:
      - The legacy global API key of the user O(api_email). Prefer O(api_token).
      - If not set, the value of the E(CLOUDFLARE_API_KEY) environment variable is used.
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
      - Whether to verify the API's TLS certificate. Set V(false) only for a test endpoint.
    type: bool
    default: true
  timeout:
    description:
      - Seconds to wait for an answer to one request.
    type: int
    default: 30
  zones:
    description:
      - The zones whose jobs to watch, each a zone id (32 hex characters) or a zone name such as V(example.com).
      - A name is resolved once, with one request, as the modules resolve
        O(cloudflare_community.logpush.logpush_job#module:zone), lower case and without a final dot, and in its other
        IDNA form (one more request) when an internationalised name is not found as given.
      - The log names each zone as it is given here.
    type: list
    elements: str
  all_zones:
    description:
      - Watch every zone the credential can see. The zones are listed again at every poll (one request per
        50 zones), so new zones are watched from the poll after they appear.
    type: bool
    default: false
  account_ids:
    description:
      - The accounts whose (account-scoped) jobs to watch, each an account id (32 hex characters).
    type: list
    elements: str
  interval:
    description:
      - Seconds between two polls of the same zone or account.
      - The plugin polls less often when O(request_budget) would not allow it, and says so in its log.
    type: float
    default: 60
  request_budget:
    description:
      - How many requests the plugin may send per 5 minutes (all zones and accounts together).
      - Cloudflare allows 1,200 requests per 5 minutes per user, for all the user's tools; the default is a
        quarter of that. A poll sends one request per zone or account.
    type: int
    default: 300
  rate_limit:
    description:
      - The limit of the per-credential token bucket that the collection's modules on this host share (their
        option of the same name). The plugin takes a token from the same bucket before each request, so
        that a playbook run by a rule and the plugin pace each other.
      - V(0) leaves the shared bucket out; O(request_budget) and Cloudflare's C(Ratelimit) headers still apply.
    type: int
    default: 1200
  rate_limit_window:
    description:
      - The window of O(rate_limit), in seconds.
    type: int
    default: 300
  rate_limit_dir:
    description:
      - The folder of the shared bucket. The modules keep it in Ansible's remote temporary folder, by default
        C(~/.ansible/tmp); set this when the playbooks use another one.
    type: path
    default: ~/.ansible/tmp
  state_file:
    description:
      - A file where the plugin keeps the last health it saw of each job (the jobs as events show them, no
        secret). When it starts again it compares with what it finds, and reports only the changes, once.
      - Without it, every start records the jobs without an event.
    type: path
  emit_initial:
    description:
      - Put an event of C(type) C(initial) on the queue for each job found at the first poll of a zone or
        account that the state holds nothing about (every one, without O(state_file)).
    type: bool
    default: false
  stale_after:
    description:
      - Seconds without a push after which an enabled job that is not failing has the health V(stale) instead of
        V(ok) (or V(pending), for a job that never pushed and whose answer says when it was created); the same
        option as M(cloudflare_community.logpush.logpush_job_info)'s.
      - A job pushes only when there are logs, at most every C(max_upload_interval_seconds) (30 to 300 seconds), so
        the threshold is never less than twice that interval. The default, a day, suits a zone with traffic all
        day; set more for a quiet dataset, V(0) to turn V(stale) off.
      - A job becomes V(stale) with time alone, so the poll after the threshold makes its C(health_changed) event,
        and the next push makes the one back to V(ok).
    type: int
    default: 86400
notes:
  - The plugin sends no retry of its own within a poll, so that every request it sends is counted against
    O(request_budget).
seealso:
  - module: cloudflare_community.logpush.logpush_job_info
  - module: cloudflare_community.logpush.logpush_job
  - name: Logpush alerts and analytics
    description: How Cloudflare reports failing jobs, and its own notification when it disables one.
    link: https://developers.cloudflare.com/logs/get-started/alerts-and-analytics/
"""

EXAMPLES = r"""
- name: Logpush jobs
  hosts: localhost
  sources:
    - name: Health of the Logpush jobs
      cloudflare_community.logpush.job_health:
        zones:
          - example.com
        account_ids:
          - 01a7362d577a6c3019a474fd6f485823
        interval: 120
        request_budget: 100
        state_file: /var/lib/eda/logpush-health.json
  rules:
    - name: A job started failing
      condition: event.cloudflare_logpush.health == "failing"
      action:
        debug:
          msg: "Job {{ event.cloudflare_logpush.job_id }} fails: {{ event.cloudflare_logpush.error_message }}"
"""


def _collection_root():
    """The folder that holds ``ansible_collections/``, found from this file's place in the collection:
    <root>/ansible_collections/cloudflare_community/logpush/extensions/eda/plugins/event_source.

    ansible-rulebook runs this file by its path and puts nothing on ``sys.path``; the collection's
    module_utils are importable once the folder above ``ansible_collections`` is on it."""
    root = os.path.dirname(os.path.abspath(__file__))
    for _level in range(7):
        root = os.path.dirname(root)
    return root


try:
    from ansible_collections.cloudflare_community.logpush.plugins.module_utils._watch import watch
except ImportError:
    if os.path.isdir(os.path.join(_collection_root(), "ansible_collections")) and _collection_root() not in sys.path:
        sys.path.append(_collection_root())
    try:
        from ansible_collections.cloudflare_community.logpush.plugins.module_utils._watch import watch
    except ImportError as exc:
        raise ImportError(
            "cloudflare_community.logpush.job_health needs ansible-core and requests on the Python that runs "
            "ansible-rulebook, and the collection under an ansible_collections folder: %s" % exc) from exc


async def main(queue: asyncio.Queue, args: dict):
    """Entry point of ansible-rulebook: watch the jobs until cancelled."""
    await watch(queue, args)
