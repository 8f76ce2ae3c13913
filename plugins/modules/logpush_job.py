#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: logpush_job
short_description: Create, update and delete Cloudflare Logpush jobs, idempotently
version_added: 0.1.0
description:
  - Makes sure that a Logpush job of a zone or an account is present with the options given, or absent.
  - The job is found by O(id) when given; otherwise by O(name), or by O(destination_conf) when there is no
    name, within O(dataset) when it is given. The same name under another dataset is another job (Cloudflare
    suggests naming jobs after their domain, so a zone's jobs often share one), and V(absent) never deletes a
    job of another dataset. Without O(dataset), a name held by jobs of several datasets is ambiguous. When
    more than one job matches, the module fails and lists their ids and datasets. A second run never creates
    a second job.
  - A job is absent only when Cloudflare says so (its C(job not found) answer, or a null result); any other
    HTTP 404, such as a wrong O(api_base_url) or account id, fails.
  - Only the options you set are compared, after normalising what the API returns (absent, null, V("")
    and V(0) mean the same; filters compare as parsed JSON; O(output_options) compare against Cloudflare's
    documented defaults). Only what changed is sent.
  - Safe under faults. When a create times out, loses its connection or gets a server error, the module
    looks for the job for as long as O(timeout) (Cloudflare test-writes to the destination before it answers)
    and adopts it if it was created, instead of creating a duplicate.
  - A task that changes nothing makes one request (a C(zone) name adds one). A create or an update adds
    one write, plus one read of the dataset's fields when O(check_fields) applies, plus one validation of
    O(ownership_challenge) when the destination needs one, so that a wrong or expired token fails before
    any write. A create, a recreate, and an update that changes O(destination_conf) add one C(validate/destination)
    request (Cloudflare's test write, which changes no job), so that a destination Cloudflare cannot write to
    fails before any write, in check mode too.
  - A recreate creates the new job first and deletes the old one once the new one exists. A task that fails
    after a write (the old job deleted for room in the dataset's quota, or the new job created and the old one
    not deleted) reports C(changed=true) and says which.
author:
  - Cloudflare Community (@cloudflare-community)
extends_documentation_fragment:
  - cloudflare_community.logpush.common
  - cloudflare_community.logpush.job
  - cloudflare_community.logpush.common.action_group
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details:
      - Sends no write, and reports exactly what the real run would do; it fails where the real run would.
      - An O(ownership_challenge) is still validated (a read), so that a wrong or expired token fails here too;
        so is a new destination (C(validate/destination), a test write that changes no job).
  diff_mode:
    support: full
    details: Shows the job before and after, with every secret in C(destination_conf) redacted.
  platform:
    support: full
    platforms: all
options:
  missing_challenges:
    description:
      - What the task does when its write needs an ownership challenge and O(ownership_challenge) is not set (a
        create, a recreate, or a new O(destination_conf) on AWS S3 without keys, Google Cloud Storage, Azure or Sumo
        Logic; a job that already pushes to O(destination_conf), as Cloudflare returns it, needs none).
      - V(fail) fails before any request.
      - V(report) writes nothing, returns the job as it is with C(changed=false), and says in
        RV(challenge_needed) which destination needs a challenge (its secrets masked). The other checks (fields,
        C(validate/destination)) still run, so that a mistake fails before a challenge is requested. Run the task
        again with the token to finish. Check mode reports the same.
    type: str
    choices: [fail, report]
    default: fail
notes:
  - "Tokens need the permission C(Logs: Write). Cloudflare validates the destination by writing a test object on
    every create and update, so the module writes only when something changed."
  - When an C(http_requests) job logs C(RequestHeaders), C(ResponseHeaders) or C(Cookies), the module reads the
    zone's custom fields (one more request) and warns when it has none of that kind; see
    M(cloudflare_community.logpush.logpush_custom_fields).
seealso:
  - module: cloudflare_community.logpush.logpush_ownership
  - module: cloudflare_community.logpush.logpush_job_info
  - name: Logpush API configuration
    description: Cloudflare's guide to the API this module drives.
    link: https://developers.cloudflare.com/logs/logpush/logpush-job/api-configuration/
"""

EXAMPLES = r"""
- name: Push a zone's HTTP requests to R2 (no ownership challenge needed)
  cloudflare_community.logpush.logpush_job:
    zone: example.com
    name: http-to-r2
    dataset: http_requests
    destination_conf: "r2://logs/http/{DATE}?account-id={{ account_id }}&access-key-id={{ r2_key_id }}&secret-access-key={{ r2_secret }}"
    enabled: true
    output_options:
      field_names: [RayID, EdgeStartTimestamp, ClientIP, EdgeResponseStatus]
      timestamp_format: rfc3339
    api_token: "{{ cloudflare_api_token }}"
  register: r2_job

# The token comes from the challenge file that logpush_ownership made Cloudflare write into the bucket
# (the role cloudflare_community.logpush.job_setup does all of it). The credential comes from the
# environment variable CLOUDFLARE_API_TOKEN here.
- name: Push firewall events to S3, with a token read from the challenge file
  cloudflare_community.logpush.logpush_job:
    zone_id: 023e105f4ecef8ad9ca31a8372d0c353
    name: firewall-to-s3
    dataset: firewall_events
    destination_conf: s3://logs-bucket/firewall?region=us-east-1
    ownership_challenge: "{{ challenge_token }}"
    enabled: true
    filter:
      where:
        key: Action
        operator: eq
        value: block

- name: Disable a job, found by its id (here the one created above)
  cloudflare_community.logpush.logpush_job:
    zone_id: 023e105f4ecef8ad9ca31a8372d0c353
    id: "{{ r2_job.logpush_job.id }}"
    enabled: false

- name: Delete the job called http-to-r2
  cloudflare_community.logpush.logpush_job:
    zone: example.com
    name: http-to-r2
    state: absent
"""

RETURN = r"""
logpush_job:
  description:
    - The job after the task (in check mode, as it would be), with secrets in C(destination_conf) redacted.
    - Null when the job is absent. Same keys as RV(cloudflare_community.logpush.logpush_job_info#module:logpush_jobs),
      including C(health).
    - In check mode, a job that would be created has C(id) null.
  returned: always
  type: dict
  sample:
    id: 1
    name: http-to-r2
    dataset: http_requests
    kind: ""
    enabled: true
    destination_conf: r2://logs/http/{DATE}?account-id=01a7362d577a6c3019a474fd6f485823&access-key-id=REDACTED&secret-access-key=REDACTED
    frequency: high
    filter: null
    filter_parsed: null
    filter_attack_traffic: null
    logpull_options: null
    output_options: {"field_names": ["RayID", "EdgeStartTimestamp", "ClientIP", "EdgeResponseStatus"], "timestamp_format": "rfc3339"}
    max_upload_bytes: null
    max_upload_records: null
    max_upload_interval_seconds: null
    last_complete: null
    last_error: null
    error_message: null
    error_codes: []
    time_created: null
    health: pending
zone_id:
  description: The id that O(zone) was resolved to.
  returned: when O(zone) is given
  type: str
  sample: 023e105f4ecef8ad9ca31a8372d0c353
replaced_id:
  description: The id of the job that O(recreate=true) replaced (deleted, or would delete in check mode).
  returned: when a job was recreated
  type: int
  sample: 7
deleted_job:
  description:
    - The whole configuration of a job that was deleted to make room for its replacement, when Cloudflare then
      refused the replacement; secrets in C(destination_conf) are masked. Create it again with its original
      C(destination_conf) to restore it.
  returned: when a recreate failed after deleting the old job
  type: dict
  sample: {"id": 7, "name": "example.com", "dataset": "http_requests", "kind": "edge", "enabled": true,
           "destination_conf": "r2://logs/http?account-id=01a7362d577a6c3019a474fd6f485823&access-key-id=REDACTED&secret-access-key=REDACTED"}
challenge_needed:
  description:
    - With O(missing_challenges=report), the write that was held back because it needs an ownership challenge
      that the task did not give, and for which destination; null when none is needed. Request a challenge
      (M(cloudflare_community.logpush.logpush_ownership) with the same O(destination_conf)) and run the task again
      with its token.
  returned: when O(missing_challenges=report)
  type: dict
  contains:
    action:
      description: The write that waits for the token, V(create), V(update) or V(recreate).
      type: str
      sample: create
    id:
      description: The id of the job the write would update, or replace for V(recreate); null for V(create).
      type: int
      sample: null
    name:
      description: The job's name.
      type: str
      sample: firewall-to-s3
    dataset:
      description: The job's dataset.
      type: str
      sample: firewall_events
    destination_conf:
      description: The destination that needs the challenge, with its secrets masked.
      type: str
      sample: s3://logs-bucket/firewall?region=us-east-1
    destination:
      description:
        - Where that destination stores files, with no secret (to read the challenge file); the keys of
          RV(cloudflare_community.logpush.logpush_ownership#module:destination).
      type: dict
      sample: {"scheme": "s3", "bucket": "logs-bucket", "path": "firewall", "region": "us-east-1", "endpoint": null,
               "account": null}
    job:
      description:
        - The job as the write would leave it once given a valid token (C(id) null for a new job), with secrets in
          C(destination_conf) masked; the keys of RV(logpush_job).
      type: dict
      sample: {"id": null, "name": "firewall-to-s3", "dataset": "firewall_events", "enabled": true,
               "destination_conf": "s3://logs-bucket/firewall?region=us-east-1"}
adopted_after_error:
  description:
    - The create request failed in a way that may still have created the job (a timeout, a lost connection, an
      HTTP 5xx answer), and the module found the job it created and returned it, instead of creating a second one.
  returned: when a job was adopted after such a failure
  type: bool
  sample: true
failure:
  description:
    - What Cloudflare answered when a request failed (the task fails, and C(msg) says what to do). It holds no
      header, no request body and no secret. The task reports C(changed=true) only when a write went through
      before the failure (a recreate that had deleted the old job, or had created the new one).
  returned: when a request to Cloudflare failed
  type: dict
  contains:
    http_status:
      description: The HTTP status, or null when no answer came (timeout, lost or refused connection).
      type: int
      sample: 400
    codes:
      description: Cloudflare's error codes, for example V(1002), V(1004), V(10000), V(971).
      type: list
      elements: int
      sample: [1002]
    messages:
      description: Cloudflare's error messages, with secrets redacted.
      type: list
      elements: str
      sample: ["creating a new job is not allowed: exceeded max jobs allowed"]
    method:
      description: The HTTP method of the request that failed.
      type: str
      sample: POST
    path:
      description: The API path of the request that failed.
      type: str
      sample: /zones/023e105f4ecef8ad9ca31a8372d0c353/logpush/jobs
    retries:
      description: How many times the request was retried before the module gave up.
      type: int
      sample: 0
"""

from ..module_utils._custom_fields import warn_missing_custom_fields
from ..module_utils._errors import WriteFailure
from ..module_utils._job import public_job
from ..module_utils._job_input import task_desired
from ..module_utils._job_plan import MISSING_CHALLENGES, challenge_needed, diff_of, plan_job
from ..module_utils._job_runner import JobRunner
from ..module_utils._module import LogpushModule
from ..module_utils._spec import JOB_OPTIONS


class LogpushJob(LogpushModule):
    argument_spec = dict(JOB_OPTIONS, missing_challenges=dict(type="str", choices=list(MISSING_CHALLENGES), default="fail"))
    required_one_of = [("id", "name", "destination_conf")]

    def check_params(self):
        super(LogpushJob, self).check_params()
        return task_desired(self.params, self.is_account)

    def run(self, desired):
        runner = JobRunner(self.client, self.scope, self.module.check_mode, self.params["timeout"], self.params["max_retries"])
        current, jobs = runner.find(self.params)
        if current is not None:
            self.protect(current.get("destination_conf"))
        plan = plan_job(self.params, current, desired, self.is_account, "account" if self.is_account else "zone",
                        self.params["missing_challenges"])
        runner.check(plan)
        if self.params["missing_challenges"] == "report":
            self.result["challenge_needed"] = challenge_needed(plan) if plan.missing_challenge else None
        if plan.missing_challenge:
            # held back: nothing is written until the task gives the token
            self.result["changed"] = False
            self.result["logpush_job"] = public_job(current) if current is not None else None
            return
        if plan.action == "recreate":
            self.result["replaced_id"] = current.get("id")
        try:
            outcome = runner.write(plan, None if jobs is None else set(j.get("id") for j in jobs))
        except WriteFailure as failure:
            # a recreate fails after a write when the old job was deleted for room, or could not be deleted
            self.result["changed"] = bool(runner.writes)
            if failure.replacement is not None:
                self.result["logpush_job"] = public_job(failure.replacement)
            raise
        self.result["changed"] = plan.changes
        job = outcome.job
        if outcome.adopted_after_error:
            self.result["adopted_after_error"] = True
        self.result["logpush_job"] = public_job(job) if job is not None else None
        if plan.changes and self.module._diff:
            self.result["diff"] = diff_of(plan.current, job)
        warn_missing_custom_fields(self.module, self.client, self.scope, [job])


def main():
    LogpushJob.execute()


if __name__ == "__main__":
    main()
