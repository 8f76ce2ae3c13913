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
    any write.
author:
  - Cloudflare Community (@cloudflare-community)
extends_documentation_fragment:
  - cloudflare_community.logpush.common
  - cloudflare_community.logpush.common.action_group
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details:
      - Sends no write, and reports exactly what the real run would do; it fails where the real run would.
      - An O(ownership_challenge) is still validated (a read), so that a wrong or expired token fails here too.
  diff_mode:
    support: full
    details: Shows the job before and after, with every secret in C(destination_conf) redacted.
  platform:
    support: full
    platforms: all
options:
  state:
    description:
      - V(present) creates or updates the job; V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  id:
    description:
      - The id of the job. With O(state=present) the job must exist (ids are assigned by Cloudflare).
    type: int
  name:
    description:
      - The name of the job. Names are not unique in Cloudflare, so jobs are matched on name and O(dataset).
      - Set it to V("") to remove the name.
    type: str
  dataset:
    description:
      - The dataset to push, for example V(http_requests), V(firewall_events) or V(audit_logs).
      - A new job gets V(http_requests) when this is not set; an existing job keeps its dataset.
      - The dataset of a job cannot change. Set O(recreate=true) to delete the job and create it again.
    type: str
  destination_conf:
    description:
      - Where to push, for example V(s3://bucket/logs/{DATE}?region=us-east-1),
        V(r2://bucket/logs?account-id=...&access-key-id=...&secret-access-key=...),
        V(https://logs.example.com/ingest?header_Authorization=...).
      - Required to create a job. Compared as an exact string.
      - Destinations on AWS S3 (without keys or endpoint), Google Cloud Storage, Azure and Sumo Logic need
        O(ownership_challenge) when a job is created or its destination changes.
      - The credentials inside it (keys, tokens, SAS signatures, C(header_*) values, passwords, the Sumo Logic
        code, token-like path segments of HTTP destinations) are masked in everything the module returns, diffs
        and errors included; the rest stays readable. If yours holds a secret anywhere else, set C(no_log) on
        the task.
    type: str
  ownership_challenge:
    description:
      - The token from the challenge file that M(cloudflare_community.logpush.logpush_ownership) made
        Cloudflare write into the destination. It is bound to this zone or account and to the exact
        O(destination_conf) string, and expires after 7 days.
      - Sent only when a job is created or its destination changes; never compared.
    type: str
  enabled:
    description:
      - Whether the job pushes logs. Cloudflare creates jobs disabled when this is not set.
    type: bool
  kind:
    description:
      - V(edge) for Edge Log Delivery (only for V(http_requests)), V("") for a normal Logpush job.
      - It cannot change on an existing job; set O(recreate=true) to replace the job.
    type: str
    choices: ["", edge]
  frequency:
    description:
      - Deprecated by Cloudflare in favour of the C(max_upload_*) options. Compared only when set.
    type: str
    choices: [high, low]
  filter:
    description:
      - 'Which records to push, as a dict or as JSON text with a top-level C(where) key, for example
        C({"where": {"key": "ClientCountry", "operator": "eq", "value": "ca"}}).'
      - Compared as parsed JSON. V("") or C({}) removes the filter.
    type: raw
  filter_attack_traffic:
    description:
      - Whether to leave attack traffic out of the logs (V(http_requests), V(firewall_events),
        V(network_analytics_logs)).
    type: bool
  logpull_options:
    description:
      - Deprecated by Cloudflare; prefer O(output_options). Fields and formats as a query string, for
        example V(fields=RayID,EdgeStartTimestamp&timestamps=rfc3339). V("") removes it.
      - Cannot be used with an C(https://) destination, nor together with O(output_options).
    type: str
  output_options:
    description:
      - The fields and format of the pushed records. Only the sub-options you set are compared (an absent
        key on the server counts as Cloudflare's default for O(output_options.output_type)).
      - Cloudflare replaces the whole object on update; the module sends the sub-options you set merged
        over the ones the job already has, so nothing you did not set is lost.
    type: dict
    suboptions:
      field_names:
        description: The fields to push, in order (the order of CSV columns). Checked against the dataset.
        type: list
        elements: str
      output_type:
        description: The record format.
        type: str
        choices: [ndjson, csv]
      batch_prefix:
        description: Text before each batch.
        type: str
      batch_suffix:
        description: Text after each batch.
        type: str
      record_prefix:
        description: Text before each record (V({) for ndjson).
        type: str
      record_suffix:
        description: Text after each record (C(}\n) for ndjson, C(\n) for csv).
        type: str
      record_template:
        description: A Go text/template for each record, instead of the default layout.
        type: str
      record_delimiter:
        description: Text between records.
        type: str
      field_delimiter:
        description: Text between fields (V(,) by default).
        type: str
      timestamp_format:
        description: How timestamps are written.
        type: str
        choices: [unixnano, unix, rfc3339, rfc3339ms, rfc3339ns]
      sample_rate:
        description: The share of records to push, greater than 0 and at most 1.
        type: float
      cve_2021_44228:
        description: Replace C(${) by C(x{) in fields, against log4j exploits (API key C(CVE-2021-44228)).
        type: bool
      merge_subrequests:
        description:
          - Merge subrequests into their parent request (V(http_requests) only; Cloudflare is still rolling it out).
          - Sent inside C(output_options), where Cloudflare's OpenAPI schema, its Terraform provider and its SDK
            reference put it. Cloudflare's subrequest-merging page shows it at the top level of the job instead
            (and once as C(subrequest_merging)); the module reads it from either place, so neither shows as a change.
        type: bool
  max_upload_bytes:
    description: The largest batch in bytes, V(0) (Cloudflare's default) or 5,000,000 to 1,000,000,000.
    type: int
  max_upload_records:
    description: The largest batch in records, V(0) (Cloudflare's default) or 1,000 to 1,000,000.
    type: int
  max_upload_interval_seconds:
    description: The longest wait between batches in seconds, V(0) (Cloudflare's default) or 30 to 300.
    type: int
  recreate:
    description:
      - When O(dataset) (of a job named by O(id)) or O(kind) differ from the existing job's, replace the job with
        a new one (a new id) instead of failing. The new job takes the task's options over the old job's; a legacy
        C(kind=instant-logs) is not copied. The diff shows both.
      - The job is never lost. Every check that can fail runs first, Cloudflare's C(validate/destination) included;
        then the new job is created, and the old one is deleted once the new one exists. Only when the dataset's
        quota has no room for both (HTTP 403, code 1004) is the old job deleted first; if Cloudflare then refuses
        the new one, the task fails with the deleted job in RV(deleted_job), secrets masked, to restore it.
    type: bool
    default: false
  check_fields:
    description:
      - Before a write that sets field names (in O(output_options.field_names) or O(logpull_options)), or
        creates a job of a dataset this module does not know, read the dataset's fields (one request) and
        fail naming the unknown fields and the closest known ones.
    type: bool
    default: true
notes:
  - "Tokens need the permission C(Logs: Write). Cloudflare validates the destination by writing a test object on
    every create and update, so the module writes only when something changed."
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
      header, no request body and no secret.
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

from ..module_utils._job import diff_of, plan_job, public_job, task_desired
from ..module_utils._job_runner import JOB_OPTIONS, JobRunner
from ..module_utils._module import LogpushModule


class LogpushJob(LogpushModule):
    argument_spec = JOB_OPTIONS
    required_one_of = [("id", "name", "destination_conf")]

    def check_params(self):
        super(LogpushJob, self).check_params()
        self.desired = task_desired(self.params, self.is_account)

    def run(self):
        runner = JobRunner(self.client, self.scope, self.module.check_mode, self.params["timeout"], self.params["max_retries"])
        current, jobs = runner.find(self.params)
        if current is not None:
            self.protect(current.get("destination_conf"))
        plan = plan_job(self.params, current, self.desired, self.is_account, "account" if self.is_account else "zone")
        runner.check(plan)
        self.result["changed"] = plan.changes
        if plan.action == "recreate":
            self.result["replaced_id"] = current.get("id")
        outcome = runner.write(plan, None if jobs is None else set(j.get("id") for j in jobs))
        job = outcome.pop("job")
        self.result.update(outcome)
        self.result["logpush_job"] = public_job(job) if job is not None else None
        if plan.changes and self.module._diff:
            self.result["diff"] = diff_of(plan.current, job)


def main():
    LogpushJob.execute()


if __name__ == "__main__":
    main()
