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

import random
import time

from ..module_utils._client import CloudflareError
from ..module_utils._job import (
    ACCOUNT_DATASETS, DEFAULT_DATASET, ZONE_DATASETS, JobInputError, changed_keys, check_dataset_options,
    check_dataset_scope, check_desired, closest_datasets, create_body, desired_from_params, diff_of, immutable_changes, matches,
    needs_ownership_challenge, predict, public_job, recreated_job, requested_fields, select_job, unknown_fields,
    update_body,
)
from ..module_utils._module import LogpushModule

_OUTPUT_SUBOPTIONS = dict(
    field_names=dict(type="list", elements="str"),
    output_type=dict(type="str", choices=["ndjson", "csv"]),
    batch_prefix=dict(type="str"),
    batch_suffix=dict(type="str"),
    record_prefix=dict(type="str"),
    record_suffix=dict(type="str"),
    record_template=dict(type="str"),
    record_delimiter=dict(type="str"),
    field_delimiter=dict(type="str"),
    timestamp_format=dict(type="str", choices=["unixnano", "unix", "rfc3339", "rfc3339ms", "rfc3339ns"]),
    sample_rate=dict(type="float"),
    cve_2021_44228=dict(type="bool"),
    merge_subrequests=dict(type="bool"),
)


class LogpushJob(LogpushModule):
    argument_spec = dict(
        state=dict(type="str", choices=["present", "absent"], default="present"),
        id=dict(type="int"),
        name=dict(type="str"),
        dataset=dict(type="str"),
        destination_conf=dict(type="str", no_log=False),
        ownership_challenge=dict(type="str", no_log=True),
        enabled=dict(type="bool"),
        kind=dict(type="str", choices=["", "edge"]),
        frequency=dict(type="str", choices=["high", "low"]),
        filter=dict(type="raw"),
        filter_attack_traffic=dict(type="bool"),
        logpull_options=dict(type="str"),
        output_options=dict(type="dict", options=_OUTPUT_SUBOPTIONS),
        max_upload_bytes=dict(type="int"),
        max_upload_records=dict(type="int"),
        max_upload_interval_seconds=dict(type="int"),
        recreate=dict(type="bool", default=False),
        check_fields=dict(type="bool", default=True),
    )
    required_one_of = [("id", "name", "destination_conf")]

    def check_params(self):
        super(LogpushJob, self).check_params()
        params = self.params
        try:
            self.desired = desired_from_params(params)
            if params["logpull_options"] and params["output_options"]:
                raise JobInputError("logpull_options and output_options cannot be used together: Cloudflare "
                                    "ignores logpull_options when output_options is set. Use output_options.")
            if params["dataset"] is not None:
                check_dataset_scope(params["dataset"], self.is_account)
        except JobInputError as exc:
            self.module.fail_json(msg=str(exc))

    # -- finding the job ---------------------------------------------------------------------------

    def find_job(self):
        """The job this task is about, or None. Sets self.listed_ids when it listed the jobs."""
        params = self.params
        self.listed_ids = None
        if params["id"] is not None:
            return self.client.get_job(self.scope, params["id"])
        jobs = [j for j in self.client.list_jobs(self.scope) if isinstance(j, dict)]
        self.listed_ids = set(j.get("id") for j in jobs)
        return self._wrap(select_job, jobs, params["name"], params["dataset"], params["destination_conf"])

    # -- the task ----------------------------------------------------------------------------------

    def run(self):
        current = self.find_job()
        if current is not None:
            self.protect(current.get("destination_conf"))
        if self.params["state"] == "absent":
            self.ensure_absent(current)
        elif current is None:
            self.ensure_created()
        else:
            self.ensure_updated(current)

    def ensure_absent(self, current):
        self.result["logpush_job"] = None
        if current is None:
            return
        # found by id: a job that is not the one the task describes is never deleted
        for key in ("dataset", "name"):
            wanted = self.params[key]
            if wanted is not None and (current.get(key) or "") != wanted:
                self.module.fail_json(
                    msg="Job %s has %s %r, not %r: nothing was deleted. Check the id, or remove %s from the task."
                        % (current.get("id"), key, current.get(key) or "", wanted, key))
        self._apply(current, None, lambda: self._delete(current))

    def ensure_created(self):
        if self.params["id"] is not None:
            self.module.fail_json(msg="There is no job with id %s in this %s. Ids are given by Cloudflare: remove id "
                                      "to create a job, or check the id." % (self.params["id"], self._scope_word()))
        if not self.desired.get("destination_conf"):
            self.module.fail_json(msg="destination_conf is required to create a job (no job %s exists)."
                                      % self._identity())
        body = self._plan_create()
        self._apply(None, predict(None, body), lambda: self._create(body))

    def ensure_updated(self, current):
        immutable = immutable_changes(current, self.desired)
        if immutable:
            self._recreate(current, immutable)
            return
        changes = changed_keys(current, self.desired)
        self.result["logpush_job"] = public_job(current)
        if not changes:
            return
        if "destination_conf" in changes:
            self._require_challenge(self.desired["destination_conf"])
        if set(changes) & {"output_options", "logpull_options", "filter"}:
            self._check_fields(current.get("dataset"))
        self._wrap(check_dataset_options, self.desired, current.get("dataset"))
        body = update_body(current, self.desired, changes, self.params["ownership_challenge"])
        self._apply(current, predict(current, body), lambda: self.client.update_job(self.scope, current["id"], body))

    def _recreate(self, current, immutable):
        """A new job for a dataset or kind that cannot change; the old one is deleted only once the new
        one exists, or, when the dataset's quota has no room for both, once the new one is known to pass
        every check Cloudflare offers before a create."""
        what = " and ".join("%s (%r to %r)" % (k, current.get(k) or "", self.desired[k]) for k in immutable)
        if not self.params["recreate"]:
            self.module.fail_json(
                msg="The %s of job %s cannot change. Set recreate=true to create a new job and delete this one "
                    "(the new job gets a new id), or set %s back." % (what, current.get("id"), " and ".join(immutable)))
        self.desired = recreated_job(current, self.desired)
        self._wrap(check_desired, self.desired)
        body = self._plan_create()
        self._require_writable_destination(body["destination_conf"])
        self.result["replaced_id"] = current.get("id")
        self._apply(current, predict(None, body), lambda: self._replace(current, body))

    def _replace(self, current, body):
        if self.listed_ids is None:
            # found by id: learn which jobs exist, so a failed POST never adopts an older one
            self.listed_ids = set(j.get("id") for j in self.client.list_jobs(self.scope) if isinstance(j, dict))
        try:
            new = self._create(body)
        except CloudflareError as exc:
            if not exc.job_quota_exceeded:
                raise  # nothing was deleted
            # no room for both jobs: delete first, after every check above has passed
            self._delete(current)
            try:
                return self._create(body)
            except CloudflareError as exc:
                self.fail(exc, msg="Job %s was deleted to make room for its replacement, and Cloudflare refused the "
                                   "replacement. The deleted job's configuration is in deleted_job (secrets masked): "
                                   "create it again with its original destination_conf to restore it"
                                   % current.get("id"), deleted_job=public_job(current))
        try:
            self._delete(current)
        except CloudflareError as exc:
            self.fail(exc, msg="Job %s replaces job %s, which could not be deleted: delete job %s (both push now)"
                               % (new.get("id"), current.get("id"), current.get("id")))
        return new

    def _plan_create(self):
        """The body of a new job from self.desired, after every check that can fail before a write."""
        self._require_challenge(self.desired["destination_conf"])
        dataset = self.desired.get("dataset", DEFAULT_DATASET)
        self._wrap(check_dataset_scope, dataset, self.is_account)
        self._wrap(check_dataset_options, self.desired, dataset)
        self._check_fields(dataset, creating=True)
        return create_body(self.desired, self.params["ownership_challenge"])

    def _apply(self, before, predicted, write):
        """A change: reported, shown in the diff, and written unless in check mode."""
        self.result["changed"] = True
        job = predicted if self.module.check_mode else write()
        if predicted is not None:
            self.result["logpush_job"] = public_job(job)
        self._set_diff(before, job if predicted is not None else None)

    # -- checks before any write -------------------------------------------------------------------

    def _require_challenge(self, destination_conf):
        """A destination that needs a challenge needs a valid token: checked (one read) before any write."""
        if not needs_ownership_challenge(destination_conf):
            return
        token = self.params["ownership_challenge"]
        if not token:
            self.module.fail_json(
                msg="This destination_conf needs an ownership challenge (AWS S3 without keys, Google Cloud "
                    "Storage, Azure and Sumo Logic do), and ownership_challenge is not set. Run "
                    "cloudflare_community.logpush.logpush_ownership with the same destination_conf, read the "
                    "token from the file it writes there, and pass it as ownership_challenge; or use the role "
                    "cloudflare_community.logpush.job_setup, which does all of this.")
        answer = self.client.validate_ownership(self.scope, destination_conf, token) or {}
        if not answer.get("valid"):
            self.module.fail_json(
                msg="The ownership_challenge is not valid for this destination_conf: it is wrong, expired (tokens "
                    "last 7 days), for another zone or account, or for a destination_conf that is not exactly this "
                    "one. Request a new challenge with cloudflare_community.logpush.logpush_ownership.")

    def _require_writable_destination(self, destination_conf):
        """Before a job is deleted for its replacement: can Cloudflare write to the new destination?"""
        answer = self.client.validate_destination(self.scope, destination_conf) or {}
        if not answer.get("valid"):
            self.module.fail_json(
                msg="Cloudflare cannot write to the destination_conf of the new job (%s); nothing was changed. Check "
                    "that the destination exists and that Cloudflare may write to it."
                    % (answer.get("message") or "no reason given"))

    def _check_fields(self, dataset, creating=False):
        if not self.params["check_fields"]:
            return
        wanted = requested_fields(self.desired)
        unknown_dataset = creating and dataset not in ZONE_DATASETS and dataset not in ACCOUNT_DATASETS
        if not wanted and not unknown_dataset:
            return
        try:
            known = self.client.dataset_fields(self.scope, dataset)
        except CloudflareError as exc:
            if exc.http_status in (400, 404):
                self.module.fail_json(msg="Cloudflare does not know the dataset %r here (%s). Check the name (closest: "
                                          "%s); zone datasets need zone_id or zone, account datasets account_id."
                                          % (dataset, exc, closest_datasets(dataset, self.is_account)),
                                      failure=exc.failure())
            raise
        missing = unknown_fields(wanted, known or {})
        if missing:
            self.module.fail_json(msg="Dataset %s has no field %s. Turn the check off with check_fields=false if "
                                      "Cloudflare added a field this list does not have yet." % (
                                          dataset, "; no field ".join(
                                              "%s (closest: %s)" % (f, ", ".join(c) or "none") for f, c in missing)))

    # -- writes ------------------------------------------------------------------------------------

    def _create(self, body):
        """POST the job; after a failure that may have created it, adopt it instead of posting again."""
        attempts = self.params["max_retries"] + 1
        for attempt in range(attempts):
            try:
                return self.client.create_job(self.scope, body)
            except CloudflareError as exc:
                if not exc.may_have_taken_effect:
                    raise
                # Cloudflare test-writes to the destination before it answers a create, which can take long
                # (Splunk, HTTP receivers): whatever the error, look for as long as a request may take
                # before posting again, so that a create still under way is adopted, not repeated
                adopted = self._await_created(body, patience=self.params["timeout"])
                if adopted is not None:
                    self.result["adopted_after_error"] = True
                    return adopted
                if attempt == attempts - 1:
                    raise

    def _await_created(self, body, patience):
        """Look for the job a failed POST may have created, until the waits add up to ``patience``."""
        waits = []
        wait = 0.25
        while sum(waits) < patience:
            waits.append(wait)
            wait = min(wait * 2, 5)
        for look in range(len(waits) + 1):
            for job in self.client.list_jobs(self.scope):
                if (isinstance(job, dict) and job.get("id") not in (self.listed_ids or ())
                        and matches(job, name=body.get("name"), dataset=body.get("dataset"),
                                    destination_conf=body.get("destination_conf"))):
                    return job
            if look < len(waits):
                time.sleep(waits[look] * random.uniform(1.0, 1.5))
        return None

    def _delete(self, job):
        # gone already ("job not found"): a retried DELETE whose first try went through, or someone else
        self.client.delete_job(self.scope, job["id"])

    # -- helpers -----------------------------------------------------------------------------------

    def _set_diff(self, before, after):
        if self.module._diff:
            self.result["diff"] = diff_of(before, after)

    def _wrap(self, check, *args):
        try:
            return check(*args)
        except JobInputError as exc:
            self.module.fail_json(msg=str(exc))

    def _scope_word(self):
        return "account" if self.is_account else "zone"

    def _identity(self):
        if self.params["name"] is not None:
            return "named %r" % self.params["name"]
        return "with this destination_conf"


def main():
    LogpushJob.execute()


if __name__ == "__main__":
    main()
