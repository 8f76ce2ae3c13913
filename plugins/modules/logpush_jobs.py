#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: logpush_jobs
short_description: The whole set of Cloudflare Logpush jobs of a zone or account, in one task
version_added: 0.1.0
description:
  - Makes the Logpush jobs of one zone or account match a list, in one task, with one list request whatever the
    number of jobs; then only the writes that differ. A run that changes nothing makes exactly one request (a
    C(zone) name adds one).
  - Each item of O(jobs) is handled as M(cloudflare_community.logpush.logpush_job) handles its task, by the same
    code - identity, comparison, secrets, checks before any write, check and diff mode, adoption after a fault,
    a recreate that never loses a job.
  - With O(purge=true), the jobs of the zone or account that no item names are deleted.
  - Every check that can fail runs, for every item, before the first write. Then deletes (absent items and
    purged jobs) go first, so that the dataset's quota has room, then updates, recreates and creates.
author:
  - Cloudflare Community (@cloudflare-community)
extends_documentation_fragment:
  - cloudflare_community.logpush.common
  - cloudflare_community.logpush.job.jobs
  - cloudflare_community.logpush.common.action_group
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details:
      - Sends no write, and reports exactly what the real run would do, purged jobs included.
  diff_mode:
    support: full
    details: Shows the set of jobs before and after, keyed by name and dataset, with every secret redacted.
  platform:
    support: full
    platforms: all
options:
  purge:
    description:
      - Delete the jobs of the zone or account that no item of O(jobs) names. They are shown in the diff and in
        RV(results), and predicted in check mode.
    type: bool
    default: false
notes:
  - "Tokens need the permission C(Logs: Write)."
  - Reads the fields of a dataset at most once per task, however many items refer to it.
  - When an item's C(http_requests) job logs C(RequestHeaders), C(ResponseHeaders) or C(Cookies), the module reads
    the zone's custom fields (one request per task) and warns when it has none of that kind; see
    M(cloudflare_community.logpush.logpush_custom_fields).
seealso:
  - module: cloudflare_community.logpush.logpush_job
  - module: cloudflare_community.logpush.logpush_job_info
"""

EXAMPLES = r"""
- name: The jobs of example.com, and no other
  cloudflare_community.logpush.logpush_jobs:
    zone: example.com
    api_token: "{{ cloudflare_api_token }}"
    purge: true
    jobs:
      - name: example.com
        dataset: http_requests
        destination_conf: "r2://logs/http/{DATE}?account-id={{ account_id }}&access-key-id={{ r2_key_id }}&secret-access-key={{ r2_secret }}"
        enabled: true
        output_options:
          field_names: [RayID, EdgeStartTimestamp, ClientIP, EdgeResponseStatus]
          timestamp_format: rfc3339
      - name: example.com
        dataset: firewall_events
        destination_conf: "r2://logs/firewall/{DATE}?account-id={{ account_id }}&access-key-id={{ r2_key_id }}&secret-access-key={{ r2_secret }}"
        enabled: true
  register: example_com

- name: Say what happened to each job
  ansible.builtin.debug:
    msg: "{{ example_com.results | map(attribute='action') | list }}"
"""

RETURN = r"""
results:
  description: What happened to each job, one entry per item of O(jobs) in their order, then one per purged job.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The job's name.
      type: str
      sample: example.com
    dataset:
      description: The job's dataset.
      type: str
      sample: http_requests
    id:
      description: The job's id after the run (null for a job that would be created in check mode, or is absent).
      type: int
      sample: 7
    action:
      description: V(created), V(updated), V(recreated), V(deleted) or V(unchanged).
      type: str
      sample: created
    replaced_id:
      description: For V(recreated), the id of the job that was replaced.
      type: int
      sample: null
    adopted_after_error:
      description: True when a create failed in a way that may still have created the job, and the job was found.
      type: bool
      sample: false
logpush_jobs:
  description:
    - The jobs of the zone or account after the run (in check mode, as they would be), sorted by id (new jobs last),
      with secrets in C(destination_conf) redacted. Same keys as
      RV(cloudflare_community.logpush.logpush_job#module:logpush_job).
  returned: always
  type: list
  elements: dict
  sample: [{"id": 7, "name": "example.com", "dataset": "http_requests", "kind": "", "enabled": true,
            "destination_conf": "r2://logs/http/{DATE}?account-id=01a7362d577a6c3019a474fd6f485823&access-key-id=REDACTED&secret-access-key=REDACTED",
            "frequency": "high", "filter": null, "filter_parsed": null, "filter_attack_traffic": null, "logpull_options": null,
            "output_options": null, "max_upload_bytes": null, "max_upload_records": null,
            "max_upload_interval_seconds": null, "last_complete": null, "last_error": null, "error_message": null,
            "time_created": null, "health": "pending"}]
zone_id:
  description: The id that O(zone) was resolved to.
  returned: when O(zone) is given
  type: str
  sample: 023e105f4ecef8ad9ca31a8372d0c353
deleted_job:
  description:
    - The whole configuration of a job that was deleted to make room for its replacement, when Cloudflare then
      refused the replacement; secrets masked. Create it again with its original C(destination_conf) to restore it.
  returned: when a recreate failed after deleting the old job
  type: dict
  sample: {"id": 7, "name": "example.com", "dataset": "http_requests", "kind": "edge"}
failure:
  description:
    - What Cloudflare answered when a request failed (the task fails, and C(msg) says what to do). It holds no
      header, no request body and no secret. Writes done before the failure stay done; run the task again.
  returned: when a request to Cloudflare failed
  type: dict
  contains:
    http_status:
      description: The HTTP status, or null when no answer came (timeout, lost or refused connection).
      type: int
      sample: 400
    codes:
      description: Cloudflare's error codes.
      type: list
      elements: int
      sample: [1002]
    messages:
      description: Cloudflare's error messages, with secrets redacted.
      type: list
      elements: str
      sample: ["error validating destination: error writing object: DNSError"]
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
from ..module_utils._job import JobInputError, JobPlan, diff_view, plan_job, public_job, task_desired
from ..module_utils._job_runner import JOB_OPTIONS, JobRunner
from ..module_utils._module import LogpushModule

# the order of the writes: room in the dataset's quota first
_WRITE_ORDER = ("delete", "update", "recreate", "create")
_DONE = {"unchanged": "unchanged", "create": "created", "update": "updated", "recreate": "recreated", "delete": "deleted"}


def _label(job):
    """The diff's key of a job: its name and dataset (its id when it has no name)."""
    return "%s (%s)" % (job.get("name") or "id %s" % job.get("id"), job.get("dataset") or "http_requests")


class LogpushJobs(LogpushModule):
    argument_spec = dict(
        jobs=dict(type="list", elements="dict", required=True, options=JOB_OPTIONS),
        purge=dict(type="bool", default=False),
    )

    def check_params(self):
        super(LogpushJobs, self).check_params()
        desired = []
        for index, item in enumerate(self.params["jobs"]):
            if item["name"] is None and item["id"] is None:
                raise JobInputError("jobs[%d]: give name (or id): logpush_jobs finds each job by it." % index)
            try:
                desired.append(task_desired(item, self.is_account))
            except JobInputError as exc:
                raise JobInputError("jobs[%d] (%s): %s" % (index, item["name"] or item["id"], exc))
        return desired

    def run(self, desired_jobs):
        runner = JobRunner(self.client, self.scope, self.module.check_mode, self.params["timeout"], self.params["max_retries"])
        listed = runner.list_jobs()
        for job in listed:
            self.protect(job.get("destination_conf"))
        scope_word = "account" if self.is_account else "zone"
        plans = []
        claimed = {}
        for index, (item, desired) in enumerate(zip(self.params["jobs"], desired_jobs)):
            where = "jobs[%d] (%s)" % (index, item["name"] or item["id"])
            try:
                current, _jobs = runner.find(item, listed)
                if current is not None and current.get("id") in claimed:
                    raise JobInputError("it names job %s, as %s does: give each item its own name and dataset, or id."
                                        % (current.get("id"), claimed[current.get("id")]))
                if current is not None:
                    claimed[current.get("id")] = where
                plans.append(plan_job(item, current, desired, self.is_account, scope_word))
            except JobInputError as exc:
                raise JobInputError("%s: %s" % (where, exc))
        if self.params["purge"]:
            plans += [JobPlan("delete", job) for job in listed if job.get("id") not in claimed]
        # every check of every job, before the first write
        for plan in plans:
            runner.check(plan)
        listed_ids = set(j.get("id") for j in listed)
        outcomes = [None] * len(plans)
        for action in ("unchanged",) + _WRITE_ORDER:
            for index, plan in enumerate(plans):
                if plan.action == action:
                    outcomes[index] = runner.write(plan, listed_ids)
        self._report(listed, plans, outcomes)
        warn_missing_custom_fields(self.module, self.client, self.scope, [outcome["job"] for outcome in outcomes])

    def _report(self, listed, plans, outcomes):
        after = dict((job.get("id"), job) for job in listed)
        new = []
        results = []
        items = self.params["jobs"]
        for index, (plan, outcome) in enumerate(zip(plans, outcomes)):
            job = outcome["job"]
            if plan.current is not None:
                after.pop(plan.current.get("id"), None)
            if job is not None:
                if job.get("id") is None:
                    new.append(job)
                else:
                    after[job.get("id")] = job
            # an item's job, or a purged one; an absent item whose job is gone is named by the item
            shown = job if job is not None else plan.current or (items[index] if index < len(items) else {})
            result = {"name": shown.get("name"), "dataset": shown.get("dataset"),
                      "id": job.get("id") if job is not None else None, "action": _DONE[plan.action]}
            if plan.action == "recreate":
                result["replaced_id"] = plan.current.get("id")
            if outcome.get("adopted_after_error"):
                result["adopted_after_error"] = True
            results.append(result)
        jobs_after = [after[key] for key in sorted(after)] + new
        self.result["changed"] = any(plan.changes for plan in plans)
        self.result["results"] = results
        self.result["logpush_jobs"] = [public_job(job) for job in jobs_after]
        if self.module._diff:
            self.result["diff"] = {
                "before": dict((_label(job), diff_view(job)) for job in listed),
                "after": dict((_label(job), diff_view(job, self._before(job, plans))) for job in jobs_after),
            }

    @staticmethod
    def _before(job, plans):
        """The job a job of the result came from (to mark its rotated secrets in the diff)."""
        for plan in plans:
            if plan.current is not None and plan.predicted is not None and plan.action != "recreate" \
                    and plan.current.get("id") == job.get("id"):
                return plan.current
        return None


def main():
    LogpushJobs.execute()


if __name__ == "__main__":
    main()
