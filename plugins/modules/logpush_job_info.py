#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: logpush_job_info
short_description: List Cloudflare Logpush jobs of a zone or account, with their health
version_added: 0.1.0
description:
  - Lists the Logpush jobs of a zone or an account, optionally filtered by O(id), O(name), O(dataset) or
    O(destination_conf).
  - Each job comes with a RV(logpush_jobs[].health) that says whether pushing works, so that a playbook
    can assert it.
  - Secrets inside C(destination_conf) (keys, tokens, SAS signatures, C(header_*) values, passwords, user
    info) are replaced by C(REDACTED) in what is returned.
  - Makes one request (a C(zone) name adds one; O(fields) adds one). With O(zones) or O(all_zones) it reads many
    zones in one task, one request each, so that a fleet's health is one task and one assert.
author:
  - Cloudflare Community (@cloudflare-community)
extends_documentation_fragment:
  - cloudflare_community.logpush.common
  - cloudflare_community.logpush.common.action_group
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: This module only reads.
  diff_mode:
    support: N/A
    details: This module only reads.
  platform:
    support: full
    platforms: all
options:
  id:
    description:
      - Return only the job with this id (an empty list when there is none). Uses one GET of that job.
    type: int
  name:
    description:
      - Return only the jobs with this name. Names are not unique.
    type: str
  dataset:
    description:
      - Return only the jobs of this dataset, for example V(http_requests) or V(firewall_events).
    type: str
  destination_conf:
    description:
      - Return only the jobs that push to exactly this destination.
    type: str
  fields:
    description:
      - Also return the field names of O(dataset) with their descriptions, in RV(fields).
    type: bool
    default: false
  stale_after:
    description:
      - Seconds without a push after which an enabled job that is not failing has the health V(stale) instead of
        V(ok) (or V(pending), for a job that never pushed and whose answer says when it was created).
      - A job pushes only when there are logs, at most every C(max_upload_interval_seconds) (30 to 300 seconds), so
        the threshold is never less than twice that interval. The default, a day, suits a zone with traffic all
        day; set more for a quiet dataset, V(0) to turn V(stale) off.
    type: int
    default: 86400
  zones:
    description:
      - Read the jobs of several zones in one task, by name or id, instead of one O(zone_id), O(zone) or O(account_id).
        Each job then says which zone it belongs to (RV(logpush_jobs[].zone_id), RV(logpush_jobs[].zone_name)).
      - Costs one request per zone, plus one per 50 zones the credential sees when any zone is given by name (the
        names are resolved from that listing).
    type: list
    elements: str
  all_zones:
    description:
      - Read the jobs of every zone the credential can see; with O(account_id), of that account's zones only
        (its account-level jobs are not included; read them with O(account_id) alone).
      - Costs one request per 50 zones to list them, and one request per zone.
    type: bool
    default: false
  custom_fields:
    description:
      - Also return each zone's Logpush custom fields (the request headers, response headers and cookies its
        C(http_requests) jobs can log), in RV(custom_fields). One more request per zone, only when asked; accounts
        have none.
    type: bool
    default: false
  account_ids:
    description:
      - Also read the account-level jobs of these accounts (by id), in the same task; alone, or beside O(zones) or
        O(all_zones), for one health report of a zone fleet and its accounts. Each of their jobs has
        RV(logpush_jobs[].account_id) set.
      - Costs one request per account.
    type: list
    elements: str
  health:
    description:
      - Return only the jobs whose RV(logpush_jobs[].health) is one of these, for example V(failing) and V(stale) for
        an alert. The jobs are read as without it; the filter costs no request.
    type: list
    elements: str
    choices: [ok, failing, pending, disabled, stale]
  on_scope_error:
    description:
      - When several zones or accounts are read (O(zones), O(all_zones), O(account_ids)), what an error of one of
        them does. The others are always read, every one that answered is in RV(logpush_jobs), every one that did not
        in RV(failed_scopes), with the reason.
      - V(fail) fails the task after reading the rest; V(warn) only warns.
    type: str
    choices: [fail, warn]
    default: fail
  wait_for_push:
    description:
      - With O(id), wait until the job has pushed a batch, or failed to, after the moment that O(since)
        describes, reading the job every O(wait_delay) seconds for at most O(wait_timeout) seconds.
      - Fails with Cloudflare's C(error_message) when the job fails to push, or when it is disabled (Cloudflare
        disables a job after 24 hours of failed pushes). Ends with a warning, not a failure, when nothing was
        pushed in time and nothing failed either, which is what a dataset with no events looks like.
      - The outcome is in RV(push). Each read is one request.
    type: bool
    default: false
  since:
    description:
      - The job's C(last_complete) and C(last_error) from before the change you wait for, for example the
        C(logpush_job) result of the task that made the change. Only a push or an error newer than these counts,
        so an old error of a former destination is not a failure and an old success is not proof.
      - Without it, the job as this module first reads it.
    type: dict
    suboptions:
      last_complete:
        description: The job's C(last_complete) before the change (null if it never pushed).
        type: str
      last_error:
        description: The job's C(last_error) before the change (null if it never failed).
        type: str
  wait_timeout:
    description: How long O(wait_for_push) waits, in seconds.
    type: int
    default: 600
  wait_delay:
    description: How long O(wait_for_push) waits between two reads, in seconds.
    type: int
    default: 10
"""

EXAMPLES = r"""
- name: List every Logpush job of a zone
  cloudflare_community.logpush.logpush_job_info:
    zone: example.com
    api_token: "{{ cloudflare_api_token }}"
  register: jobs

- name: Assert that every enabled job pushes
  ansible.builtin.assert:
    that: item.health in ['ok', 'disabled']
    fail_msg: "Job {{ item.id }} ({{ item.name }}) is {{ item.health }}: {{ item.error_message }}"
    quiet: true
  loop: "{{ jobs.logpush_jobs }}"
  loop_control:
    label: "{{ item.id }}"

- name: The audit_logs jobs of an account, with the dataset's fields (account datasets need account_id)
  cloudflare_community.logpush.logpush_job_info:
    account_id: 01a7362d577a6c3019a474fd6f485823
    dataset: audit_logs
    fields: true
  register: account_jobs

- name: Use module_defaults for the credential and the zone
  module_defaults:
    group/cloudflare_community.logpush.all:
      api_token: "{{ cloudflare_api_token }}"
      zone_id: 023e105f4ecef8ad9ca31a8372d0c353
  block:
    - name: Find the job called edge-logs
      cloudflare_community.logpush.logpush_job_info:
        name: edge-logs
      register: edge_logs

- name: The jobs of every zone of an account, in one task (one request per zone)
  cloudflare_community.logpush.logpush_job_info:
    all_zones: true
    account_id: 01a7362d577a6c3019a474fd6f485823
  register: fleet

- name: One report of what needs a look, for two zones and an account, even if one of them cannot be read
  cloudflare_community.logpush.logpush_job_info:
    zones: [example.com, example.net]
    account_ids: [01a7362d577a6c3019a474fd6f485823]
    health: [failing, stale, disabled]
    on_scope_error: warn
  register: report

- name: Show the scopes that could not be read
  ansible.builtin.debug:
    msg: "{{ report.failed_scopes | map(attribute='msg') | list }}"
  when: report.failed_scopes | length > 0

- name: Fail if any job of any zone cannot push
  ansible.builtin.assert:
    that: fleet.logpush_jobs | selectattr('health', 'equalto', 'failing') | list | length == 0
    fail_msg: >-
      Failing: {{ fleet.logpush_jobs | selectattr('health', 'equalto', 'failing')
                  | map(attribute='zone_name') | join(', ') }}
"""

RETURN = r"""
logpush_jobs:
  description:
    - The jobs found, by zone (name, then id) and then job id. Every key below is present (null when Cloudflare does not return
      it); a key Cloudflare adds to its answers later is passed through.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The job id.
      type: int
      sample: 1
    name:
      description: The job name, or null.
      type: str
      sample: example-com-http
    dataset:
      description: The dataset the job pushes.
      type: str
      sample: http_requests
    kind:
      description: V("") for a Logpush job, V(edge) for Edge Log Delivery, V(instant-logs) for a legacy Instant Logs job.
      type: str
      sample: ""
    enabled:
      description: Whether the job pushes.
      type: bool
      sample: true
    destination_conf:
      description: Where the job pushes, with every secret replaced by C(REDACTED).
      type: str
      sample: s3://logs-bucket/http?region=us-east-1
    frequency:
      description: The deprecated push frequency, V(high) or V(low).
      type: str
      sample: high
    filter:
      description: The job's filter as JSON text, or null.
      type: str
      sample: '{"where":{"key":"ClientCountry","operator":"eq","value":"ca"}}'
    filter_parsed:
      description:
        - The filter as parsed structure (the module's own addition), or null, so that a playbook can read its
          conditions without C(from_json). In diffs the filter is shown this way, keys sorted.
      type: dict
      sample: {"where": {"key": "ClientCountry", "operator": "eq", "value": "ca"}}
    filter_attack_traffic:
      description: Whether attack traffic is left out of the logs; null when not set (Cloudflare omits it when false).
      type: bool
      sample: null
    logpull_options:
      description: The deprecated field and format options as a query string, or null.
      type: str
      sample: fields=RayID,EdgeStartTimestamp&timestamps=rfc3339
    output_options:
      description: The output options as the API returns them, or null.
      type: dict
      sample: {"field_names": ["RayID", "EdgeStartTimestamp"], "timestamp_format": "rfc3339"}
    max_upload_bytes:
      description: The largest batch in bytes, or null for Cloudflare's default.
      type: int
      sample: null
    max_upload_records:
      description: The largest batch in records, or null for Cloudflare's default.
      type: int
      sample: null
    max_upload_interval_seconds:
      description: The longest wait between two batches, or null for Cloudflare's default.
      type: int
      sample: null
    last_complete:
      description: When the job last pushed a batch, or null.
      type: str
      sample: "2026-11-26T09:10:00Z"
    last_error:
      description: When the job last failed to push, or null.
      type: str
      sample: null
    error_message:
      description: Why the last push failed, or null.
      type: str
      sample: null
    error_codes:
      description:
        - The Logpush push error codes (1101 to 1108, 1201) found in RV(logpush_jobs[].error_message), each with what
          Cloudflare's docs say it means and what to do; V([]) when the message holds none.
        - Only codes 1102, 1105 and 1106 have a public meaning; the others say so. Cloudflare reports the codes in its
          health dashboard and GraphQL; its docs do not say that C(error_message) carries them, so expect V([]) often.
      type: list
      elements: dict
      sample: [{"code": 1105, "name": null, "meaning": "Cloudflare could not resolve the destination's hostname (DNS).",
                "action": "Check with the DNS provider that the destination's hostname resolves publicly.",
                "source": "https://developers.cloudflare.com/logs/logpush/alerts-and-analytics/"}]
    time_created:
      description:
        - When the job was created, or null. Cloudflare's answers recorded from the live API carry it, although
          no schema documents it; null when the answer has none.
      type: str
      sample: "2025-06-02T10:10:00Z"
    zone_id:
      description: The zone the job belongs to; null for an account's job.
      type: str
      sample: 023e105f4ecef8ad9ca31a8372d0c353
    zone_name:
      description: The zone's name, when the task named it or listed the zones (O(zone), O(zones), O(all_zones)); else null.
      type: str
      sample: example.com
    account_id:
      description: The account the job belongs to, for an account's job (O(account_id) alone); else null.
      type: str
      sample: null
    health:
      description:
        - Computed by the module from C(enabled), C(last_complete) and C(last_error); Cloudflare has no such field.
        - V(disabled) when the job is not enabled; V(failing) when its last error is not older than its last
          complete push (or it never completed one); V(stale) when it is enabled, not failing, and pushed nothing
          for longer than O(stale_after) (a Worker whose C(logpush) flag a deploy reset, a filter that matches
          nothing); V(pending) when it is enabled and has not pushed yet; V(ok) when its last push succeeded.
      type: str
      sample: ok
job_options:
  description:
    - The same jobs, in the shape of the items of O(cloudflare_community.logpush.logpush_jobs#module:jobs), to adopt
      jobs made elsewhere (in the dashboard, by another tool) into a playbook; only what is set, in the same order as
      RV(logpush_jobs).
    - Every C(REDACTED) in C(destination_conf) is a secret to fill in before use (a task that still holds one is
      refused).
    - Only the options a job pushes with are exported, C(output_options), or C(logpull_options) for a job that has
      no C(output_options) (Cloudflare ignores them then), so that each item is accepted as it is; output options
      this collection does not know are exported in C(output_options_extra).
  returned: always
  type: list
  elements: dict
  sample: [{"name": "example.com", "dataset": "http_requests", "enabled": true,
            "destination_conf": "r2://logs/http?account-id=01a7362d577a6c3019a474fd6f485823&access-key-id=REDACTED&secret-access-key=REDACTED",
            "filter": {"where": {"key": "ClientCountry", "operator": "eq", "value": "ca"}},
            "output_options": {"field_names": ["RayID", "EdgeStartTimestamp"], "cve_2021_44228": true}}]
push:
  description: What the job did after the change, when O(wait_for_push=true).
  returned: when O(wait_for_push=true)
  type: dict
  contains:
    outcome:
      description:
        - V(pushed) when a batch was pushed; V(failing) when the destination refused it; V(disabled) when the job is
          disabled (by Cloudflare after 24 hours of errors, or by someone); V(nothing_yet) when neither happened in
          O(wait_timeout) seconds.
      type: str
      sample: pushed
    waited:
      description: Seconds spent waiting.
      type: float
      sample: 20.0
    reads:
      description: How many times the job was read.
      type: int
      sample: 3
custom_fields:
  description:
    - Each zone's custom fields, by zone, as M(cloudflare_community.logpush.logpush_custom_fields) returns them
      (every list empty for a zone that has none).
  returned: when O(custom_fields=true)
  type: list
  elements: dict
  sample: [{"zone_id": "023e105f4ecef8ad9ca31a8372d0c353", "zone_name": "example.com", "request_fields": ["content-type"],
            "transformed_request_fields": [], "response_fields": ["server"], "raw_response_fields": [],
            "cookie_fields": ["__cfruid"], "preserve_duplicates": [], "enabled": true}]
failed_scopes:
  description:
    - The zones and accounts that could not be read, with why (secrets masked); the jobs of the others are in
      RV(logpush_jobs). With O(on_scope_error=fail) (the default) the task fails when this is not empty.
  returned: when O(zones), O(all_zones) or O(account_ids) is given
  type: list
  elements: dict
  contains:
    zone_id:
      description: The zone's id, or null for an account.
      type: str
      sample: 023e105f4ecef8ad9ca31a8372d0c353
    zone_name:
      description: The zone's name, when known.
      type: str
      sample: example.com
    account_id:
      description: The account's id, or null for a zone.
      type: str
      sample: null
    msg:
      description: What went wrong.
      type: str
      sample: "GET /zones/023e105f4ecef8ad9ca31a8372d0c353/logpush/jobs: Cloudflare answered HTTP 403: Authentication error (code 10000)"
    http_status:
      description: The HTTP status, or null when no answer came.
      type: int
      sample: 403
    codes:
      description: Cloudflare's error codes.
      type: list
      elements: int
      sample: [10000]
fields:
  description: The fields of O(dataset), by name, with their descriptions.
  returned: when O(fields=true)
  type: dict
  sample: {"RayID": "ID of the request.", "EdgeStartTimestamp": "Timestamp at which the edge received request from the client."}
zone_id:
  description: The id that O(zone) was resolved to.
  returned: when O(zone) is given
  type: str
  sample: 023e105f4ecef8ad9ca31a8372d0c353
failure:
  description:
    - What Cloudflare answered when a request failed (the task fails, and C(msg) says what to do). It holds no
      header, no request body and no secret.
  returned: when a request to Cloudflare failed
  type: dict
  contains:
    http_status:
      description: The HTTP status, or null when no answer came (timeout, lost or refused connection).
      type: int
      sample: 429
    codes:
      description: Cloudflare's error codes, for example V(1002), V(1004), V(10000), V(971).
      type: list
      elements: int
      sample: [971]
    messages:
      description: Cloudflare's error messages, with secrets redacted.
      type: list
      elements: str
      sample: ["Please wait and consider throttling your request speed"]
    method:
      description: The HTTP method of the request that failed.
      type: str
      sample: GET
    path:
      description: The API path of the request that failed.
      type: str
      sample: /zones/023e105f4ecef8ad9ca31a8372d0c353/logpush/jobs
    retries:
      description: How many times the request was retried before the module gave up.
      type: int
      sample: 5
"""

import time

from ..module_utils._client import CloudflareError
from ..module_utils._custom_fields import PHASE, CustomFieldsError, current_fields, public_fields
from ..module_utils._job import job_as_options, job_dataset, job_health, public_job, push_outcome
from ..module_utils._module import HEX_ID, SCOPE_OPTIONS, LogpushModule
from ..module_utils._redact import redact_text
from ..module_utils._zones import ZoneAmbiguous, ZoneNotFound, is_zone_id, resolve_zone

HEALTHS = ["ok", "failing", "pending", "disabled", "stale"]


class LogpushJobInfo(LogpushModule):
    argument_spec = dict(
        id=dict(type="int"),
        name=dict(type="str"),
        dataset=dict(type="str"),
        destination_conf=dict(type="str", no_log=False),
        fields=dict(type="bool", default=False),
        custom_fields=dict(type="bool", default=False),
        stale_after=dict(type="int", default=86400),
        zones=dict(type="list", elements="str"),
        all_zones=dict(type="bool", default=False),
        account_ids=dict(type="list", elements="str"),
        health=dict(type="list", elements="str", choices=HEALTHS),
        on_scope_error=dict(type="str", choices=["fail", "warn"], default="fail"),
        wait_for_push=dict(type="bool", default=False),
        since=dict(type="dict", options=dict(last_complete=dict(type="str"), last_error=dict(type="str"))),
        wait_timeout=dict(type="int", default=600),
        wait_delay=dict(type="int", default=10),
    )
    required_if = [("fields", True, ["dataset"]), ("wait_for_push", True, ["id"])]
    # several zones in one task: a list of zones, or every zone the credential sees (of account_id, if given)
    scope_required_one_of = SCOPE_OPTIONS + ("zones", "all_zones", "account_ids")
    scope_mutually_exclusive = [SCOPE_OPTIONS + ("zones",), ("zone_id", "zone", "zones", "all_zones"),
                                ("zone_id", "account_ids"), ("zone", "account_ids")]
    mutually_exclusive = [(option, several) for option in ("id", "wait_for_push", "fields")
                          for several in ("zones", "all_zones", "account_ids")]

    def check_params(self):
        super(LogpushJobInfo, self).check_params()
        if self.params["stale_after"] < 0:
            self.module.fail_json(msg="stale_after must be a number of seconds, or 0 to turn the stale health off; got %d."
                                      % self.params["stale_after"])
        params = self.params
        for account_id in params["account_ids"] or []:
            if not HEX_ID.match(account_id):
                self.module.fail_json(msg="account_ids: %r is not an account id (32 lower-case hex characters, on the "
                                          "account's overview page)." % account_id)
        if params["account_ids"] is not None and params["account_id"] and not params["all_zones"]:
            self.module.fail_json(msg="account_ids and account_id: give every account in account_ids (account_id "
                                      "goes with all_zones, to read the zones of one account).")

        if params["custom_fields"] and params["account_id"] and not params["all_zones"]:
            self.module.fail_json(msg="custom_fields: custom fields are a setting of a zone; an account has none. Read "
                                      "them with zone_id, zone, zones or all_zones.")

    @property
    def several(self):
        return self.params["zones"] is not None or self.params["all_zones"] or self.params["account_ids"] is not None

    def run(self, checked):
        params = self.params
        jobs = []
        failed = []
        zones_fields = []
        for scope, labels in self._scopes():
            if not self.several:
                jobs.extend(dict(job, **labels) for job in self._fetch(scope))
                zones_fields.extend(self._custom_fields(scope, labels))
                continue
            try:
                jobs.extend(dict(job, **labels) for job in self._fetch(scope))
                zones_fields.extend(self._custom_fields(scope, labels))
            except CloudflareError as exc:
                # one scope's error never discards the others: it is reported once all are read
                failed.append(self._failed_scope(labels, exc))
        wanted = dict((key, params[key]) for key in ("name", "dataset", "destination_conf") if params[key] is not None)
        jobs = [job for job in jobs if all((job_dataset(job) if key == "dataset" else job.get(key)) == value
                                           for key, value in wanted.items())]
        if params["wait_for_push"] and jobs:
            jobs = [dict(self._wait_for_push(jobs[0]), **self._labels(jobs[0]))]
        jobs = sorted(jobs, key=_by_scope_and_id)
        self.result["logpush_jobs"] = [dict(public_job(job), health=job_health(job, params["stale_after"])) for job in jobs]
        if params["health"]:
            kept = [index for index, job in enumerate(self.result["logpush_jobs"]) if job["health"] in params["health"]]
            self.result["logpush_jobs"] = [self.result["logpush_jobs"][index] for index in kept]
            jobs = [jobs[index] for index in kept]
        self.result["job_options"] = [job_as_options(job) for job in jobs]
        if params["custom_fields"]:
            self.result["custom_fields"] = zones_fields
        if self.several:
            self.result["failed_scopes"] = failed
            if failed:
                message = "%d of the zones and accounts could not be read (the jobs of the others are in logpush_jobs): %s" % (
                    len(failed), "; ".join(f["msg"] for f in failed))
                if params["on_scope_error"] == "warn":
                    self.module.warn(message)
                else:
                    self.module.fail_json(msg=message + ". Set on_scope_error=warn to only warn.", **self.result)
        if params["fields"]:
            self.result["fields"] = self.client.dataset_fields(self.scope, params["dataset"])

    def _custom_fields(self, scope, labels):
        """[the zone's custom fields], one read, only when asked and only for a zone."""
        if not self.params["custom_fields"] or not scope.startswith("/zones/"):
            return []
        ruleset = self.client.get_phase_entrypoint(scope, PHASE)
        try:
            rule, fields, preserved = current_fields(ruleset)
        except CustomFieldsError as exc:
            self.module.warn("Zone %s: %s" % (labels["zone_name"] or labels["zone_id"], exc))
            return []
        enabled = rule is None or rule.get("enabled", True) is not False
        return [dict(public_fields(fields, preserved, enabled), zone_id=labels["zone_id"], zone_name=labels["zone_name"])]

    def _failed_scope(self, labels, error):
        secrets = [s for s in (self.params.get("api_token"), self.params.get("api_key")) if s]
        failure = error.failure()
        return dict(labels, msg=redact_text(str(error), secrets), http_status=failure["http_status"],
                    codes=failure["codes"])

    @staticmethod
    def _labels(job):
        return dict((key, job.get(key)) for key in ("zone_id", "zone_name", "account_id"))

    def _scopes(self):
        """[(API path of a zone or account, what each of its jobs says of it)]: one, or every zone asked for."""
        params = self.params
        accounts = [("/accounts/%s" % a, {"zone_id": None, "zone_name": None, "account_id": a})
                    for a in _unique(params["account_ids"] or [])]
        if params["zones"] is None and not params["all_zones"]:
            if params["account_ids"] is not None:
                return accounts
            if params["account_id"]:
                return [(self.scope, {"zone_id": None, "zone_name": None, "account_id": params["account_id"]})]
            zone_id = self.scope.rpartition("/")[2]
            return [(self.scope, {"zone_id": zone_id, "zone_name": params["zone"], "account_id": None})]
        if params["all_zones"]:
            zones = self.client.list_zones(params["account_id"])
        else:
            # names are resolved with one listing of the zones the credential sees (50 a request), not one each
            known = self.client.list_zones() if not all(is_zone_id(z) for z in params["zones"]) else []
            zones = []
            unknown = []
            for zone in params["zones"]:
                try:
                    zones.append(resolve_zone(self.client, zone, known))
                except ZoneNotFound as exc:
                    unknown.append(exc.name)
                except ZoneAmbiguous as exc:
                    self.module.fail_json(msg="zones: %s: give its zone id instead." % exc)
            if unknown:
                self.module.fail_json(msg="zones: %s not found, or the credential cannot see %s: check the names, or "
                                          "give zone ids." % (", ".join(unknown), "it" if len(unknown) == 1 else "them"))
        unique = []
        for zone in zones:
            if zone["id"] not in [z["id"] for z in unique]:
                unique.append(zone)
        return [("/zones/%s" % z["id"], {"zone_id": z["id"], "zone_name": z.get("name"), "account_id": None})
                for z in unique] + accounts

    def _fetch(self, scope):
        if self.params["id"] is not None:
            job = self.client.get_job(scope, self.params["id"])
            jobs = [job] if job is not None else []
        else:
            jobs = [job for job in self.client.list_jobs(scope, self.params["dataset"]) if isinstance(job, dict)]
        for job in jobs:
            # whatever a job's destination holds is masked in all output, not only in its own entry
            self.protect(job.get("destination_conf"))
        return jobs

    def _wait_for_push(self, job):
        """Read the job until it pushed or failed after ``since``; the last read is returned."""
        params = self.params
        since = params["since"] or dict((key, job.get(key)) for key in ("last_complete", "last_error"))
        started = time.time()
        reads = 1
        outcome = push_outcome(job, since)
        while outcome is None and time.time() - started < params["wait_timeout"]:
            time.sleep(max(1, params["wait_delay"]))
            job = self.client.get_job(self.scope, params["id"])
            reads += 1
            if job is None:
                self.module.fail_json(msg="Job %s was deleted while waiting for its first push." % params["id"])
            self.protect(job.get("destination_conf"))
            outcome = push_outcome(job, since)
        waited = round(time.time() - started, 1)
        self.result["push"] = {"outcome": outcome or "nothing_yet", "waited": waited, "reads": reads}
        shown = public_job(job)
        if outcome in ("failing", "disabled"):
            self.result["logpush_jobs"] = [shown]
            self.module.fail_json(
                msg="Job %s (%s) %s: %s. Check that Cloudflare may write to the destination." % (
                    job.get("id"), job.get("name") or "no name",
                    "cannot push" if outcome == "failing" else "is disabled"
                    + (" (Cloudflare disables a job after 24 hours of failed pushes)" if job.get("error_message") else ""),
                    "; ".join([shown.get("error_message") or "no error message"]
                              + ["%s means: %s" % (code["code"], code["meaning"]) for code in shown["error_codes"]])),
                **self.result)
        if outcome is None:
            self.module.warn("Job %s pushed nothing and reported no error within %s seconds. Cloudflare pushes only "
                             "when there are logs: a dataset without events (no traffic, no firewall events) "
                             "pushes nothing." % (job.get("id"), params["wait_timeout"]))
        return job


def _unique(values):
    seen = []
    for value in values:
        if value not in seen:
            seen.append(value)
    return seen


def _by_scope_and_id(job):
    return (job.get("zone_name") or "", job.get("zone_id") or "", job.get("account_id") or "", job.get("id") or 0)


def main():
    LogpushJobInfo.execute()


if __name__ == "__main__":
    main()
