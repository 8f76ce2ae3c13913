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
  - Makes one request (a C(zone) name adds one; O(fields) adds one).
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
"""

RETURN = r"""
logpush_jobs:
  description:
    - The jobs found, in the order of their ids. Every key below is present (null when Cloudflare does not return
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
    health:
      description:
        - Computed by the module from C(enabled), C(last_complete) and C(last_error); Cloudflare has no such field.
        - V(disabled) when the job is not enabled; V(failing) when its last error is not older than its last
          complete push (or it never completed one); V(pending) when it is enabled and has not pushed yet; V(ok)
          when its last push succeeded.
      type: str
      sample: ok
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

from ..module_utils._job import public_job, push_outcome
from ..module_utils._module import LogpushModule


class LogpushJobInfo(LogpushModule):
    argument_spec = dict(
        id=dict(type="int"),
        name=dict(type="str"),
        dataset=dict(type="str"),
        destination_conf=dict(type="str", no_log=False),
        fields=dict(type="bool", default=False),
        wait_for_push=dict(type="bool", default=False),
        since=dict(type="dict", options=dict(last_complete=dict(type="str"), last_error=dict(type="str"))),
        wait_timeout=dict(type="int", default=600),
        wait_delay=dict(type="int", default=10),
    )
    required_if = [("fields", True, ["dataset"]), ("wait_for_push", True, ["id"])]

    def run(self):
        params = self.params
        jobs = self._fetch()
        wanted = dict((key, params[key]) for key in ("name", "dataset", "destination_conf") if params[key] is not None)
        jobs = [job for job in jobs if all(job.get(key) == value for key, value in wanted.items())]
        if params["wait_for_push"] and jobs:
            jobs = [self._wait_for_push(jobs[0])]
        self.result["logpush_jobs"] = [public_job(job) for job in sorted(jobs, key=lambda j: j.get("id") or 0)]
        if params["fields"]:
            self.result["fields"] = self.client.dataset_fields(self.scope, params["dataset"])

    def _fetch(self):
        if self.params["id"] is not None:
            job = self.client.get_job(self.scope, self.params["id"])
            jobs = [job] if job is not None else []
        else:
            jobs = [job for job in self.client.list_jobs(self.scope, self.params["dataset"]) if isinstance(job, dict)]
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
                    shown.get("error_message") or "no error message"),
                **self.result)
        if outcome is None:
            self.module.warn("Job %s pushed nothing and reported no error within %s seconds. Cloudflare pushes only "
                             "when there are logs: a dataset without events (no traffic, no firewall events) "
                             "pushes nothing." % (job.get("id"), params["wait_timeout"]))
        return job


def main():
    LogpushJobInfo.execute()


if __name__ == "__main__":
    main()
