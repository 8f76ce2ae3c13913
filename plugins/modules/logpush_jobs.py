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
  - Every check that can fail runs, for every item, before the first write, in check mode too; among them
    Cloudflare's test write to every destination the task creates or changes (C(validate/destination), which
    changes no job), so a destination Cloudflare cannot write to fails the task before any write.
  - Then updates, creates and recreates; the deletes (absent items and purged jobs) run last, and only once every
    one of those went through. If any write is refused, no delete runs, so a failed task never leaves the zone or
    account without a job it had. A recreate deletes the job it replaces as soon as the new job exists.
  - When Cloudflare refuses a create because the dataset's job quota is full (HTTP 403, code 1004) and the task
    deletes jobs of that dataset, those deletes run first and the create is sent once more; if Cloudflare refuses
    it again, the deleted jobs are returned in RV(deleted_jobs) so that they can be restored.
  - A task that fails after a write reports C(changed=true), RV(results) for every item (what was done, what
    failed or was not run, and why), RV(logpush_jobs) as the jobs now are, and a C(msg) naming the writes made.
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
  missing_challenges:
    description:
      - What the task does with an item whose write needs an ownership challenge that the item does not give (a
        create, a recreate or a new destination on AWS S3 without keys, Google Cloud Storage, Azure or Sumo Logic;
        an item whose job already pushes to its C(destination_conf), as Cloudflare returns it, needs none).
      - V(fail) fails the task before any request, naming the item.
      - V(report) holds such items back and runs the rest of the task as usual. A held item is not written (its job
        stays as it is), and its RV(results[].action) is V(held); RV(challenges_needed) says, per held item, which
        destination needs a challenge (its secrets masked). Its other checks (fields, C(validate/destination)) still
        run, so that a mistake fails before a challenge is requested.
      - When an item is held back, no delete runs (absent items and purged jobs are held too), so that no job goes
        before the job that may replace it exists. Run the task again with the tokens to finish.
      - Check mode reports the same, with no write. The role C(cloudflare_community.logpush.job_setup) uses
        V(report) to learn which challenges to request.
    type: str
    choices: [fail, report]
    default: fail
  validate_destinations:
    description:
      - Whether the task asks Cloudflare to test each destination it creates or changes (C(validate/destination),
        one request per destination) before its first write.
      - V(false) leaves that test to the create or update itself, which Cloudflare makes too, so that a bad
        destination still fails, but only when its write is reached. It is for a caller that ran the same task in
        check mode just before, which made those tests already (the role C(cloudflare_community.logpush.job_setup),
        whose plan does), and saves one request per destination.
    type: bool
    default: true
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
      description:
        - V(created), V(updated), V(recreated), V(deleted) or V(unchanged).
        - When the task failed, V(failed) for the item whose write Cloudflare refused, and V(skipped) for the
          items whose write was not run; both with a RV(results[].reason).
        - With O(missing_challenges=report), V(held) for an item that waits for an ownership challenge, and for
          every delete of a task that holds an item back; with RV(results[].planned) and RV(results[].reason).
      type: str
      sample: created
    planned:
      description: For V(held), the write the item waits to get, V(create), V(update), V(recreate) or V(delete).
      type: str
      returned: for a held item
      sample: create
    reason:
      description: Why the item's write failed, or why it was not run (only for V(failed), V(skipped) and V(held)).
      type: str
      returned: when the task failed, or held an item back
      sample: "not deleted: a create or update of this task failed, and deletes run only once all of them went through"
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
            "error_codes": [],
            "time_created": null, "health": "pending"}]
challenges_needed:
  description:
    - The items held back because their write needs an ownership challenge that they do not give, in the order of
      O(jobs). Request a challenge for each (M(cloudflare_community.logpush.logpush_ownership) with the item's own
      C(destination_conf)), and run the task again with the tokens.
    - Empty when no item needs one.
  returned: when O(missing_challenges=report)
  type: list
  elements: dict
  contains:
    index:
      description: The item's position in O(jobs), from 0.
      type: int
      sample: 0
    name:
      description: The job's name.
      type: str
      sample: example.com
    dataset:
      description: The job's dataset.
      type: str
      sample: firewall_events
    id:
      description: The id of the job the write would update, or replace for V(recreate); null for V(create).
      type: int
      sample: null
    action:
      description: The write that waits for the token, V(create), V(update) or V(recreate).
      type: str
      sample: create
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
          C(destination_conf) masked; the keys of RV(logpush_jobs).
      type: dict
      sample: {"id": null, "name": "example.com", "dataset": "firewall_events", "enabled": true,
               "destination_conf": "s3://logs-bucket/firewall?region=us-east-1"}
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
deleted_jobs:
  description:
    - The whole configuration of the jobs that were deleted to make room in the dataset's quota for a create,
      when Cloudflare then refused the create again; secrets masked. Create them again with their original
      C(destination_conf) to restore them.
  returned: when a create failed after the task deleted jobs of its dataset to make room for it
  type: list
  elements: dict
  sample: [{"id": 7, "name": "old-job", "dataset": "http_requests", "kind": ""}]
failure:
  description:
    - What Cloudflare answered when a request failed (the task fails, and C(msg) says what to do). It holds no
      header, no request body and no secret. Writes done before the failure stay done (the task then reports
      C(changed=true), and RV(results) and RV(logpush_jobs) say where each job is); run the task again.
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
from ..module_utils._errors import JobInputError, WriteFailure
from ..module_utils._job import job_dataset, public_job
from ..module_utils._job_input import task_desired
from ..module_utils._job_plan import MISSING_CHALLENGES, JobPlan, challenge_needed, diff_view, held_back, plan_job
from ..module_utils._job_runner import JobRunner, Outcome
from ..module_utils._module import LogpushModule
from ..module_utils._spec import JOB_OPTIONS

# The order of the writes: every create and update first (a recreate last among them: it deletes its old job
# once the new one exists), then the deletes, and only when all of those went through, so that a refused
# write never leaves a zone without a job it had.
_FIRST = ("update", "create", "recreate")
_DONE = {"unchanged": "unchanged", "create": "created", "update": "updated", "recreate": "recreated", "delete": "deleted"}


def _label(job):
    """The diff's key of a job: its name and dataset (its id when it has no name)."""
    return "%s (%s)" % (job.get("name") or "id %s" % job.get("id"), job_dataset(job))


def _diff_keys(before, after, listed_ids):
    """The diff's keys: a job's label, with its id (``new`` for a job this task creates) added when jobs that are
    not the same job share it, so that a deleted job and a created one never read as one job that changed."""
    def identity(job):
        return ("id", job.get("id")) if job.get("id") in listed_ids else ("new", id(job))

    holders = {}
    for job in list(before) + list(after):
        identities = holders.setdefault(_label(job), [])
        if identity(job) not in identities:
            identities.append(identity(job))
    keys = {}
    for label, identities in holders.items():
        if len(identities) == 1:
            keys[identities[0]] = label
            continue
        news = [i for i in identities if i[0] == "new"]
        for one in identities:
            tag = "id %s" % one[1] if one[0] == "id" else ("new" if len(news) == 1 else "new %d" % (news.index(one) + 1))
            keys[one] = "%s, %s)" % (label[:-1], tag)
    return lambda job: keys[identity(job)]


class _Writing(object):
    """Which plan is being written, so that a failure is pinned on it."""
    index = None


class LogpushJobs(LogpushModule):
    argument_spec = dict(
        jobs=dict(type="list", elements="dict", required=True, options=JOB_OPTIONS),
        purge=dict(type="bool", default=False),
        missing_challenges=dict(type="str", choices=list(MISSING_CHALLENGES), default="fail"),
        validate_destinations=dict(type="bool", default=True),
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

    def _where(self, index, plan):
        items = self.params["jobs"]
        if index < len(items):
            return "jobs[%d] (%s)" % (index, items[index]["name"] or items[index]["id"])
        return "the purge of job %s (%s, %s)" % (plan.current.get("id"), plan.current.get("name") or "no name",
                                                 job_dataset(plan.current))

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
                plans.append(plan_job(item, current, desired, self.is_account, scope_word,
                                      self.params["missing_challenges"]))
            except JobInputError as exc:
                raise JobInputError("%s: %s" % (where, exc))
        if self.params["purge"]:
            plans += [JobPlan("delete", job) for job in listed if job.get("id") not in claimed]
        # every check of every job, before the first write
        for index, plan in enumerate(plans):
            if not self.params["validate_destinations"]:
                # tested by the caller's check-mode run of this task; Cloudflare's write tests it again
                plan.checks = [check for check in plan.checks if check[0] != "destination"]
            try:
                runner.check(plan)
            except JobInputError as exc:
                raise JobInputError("%s: %s" % (self._where(index, plan), exc))
        listed_ids = set(j.get("id") for j in listed)
        outcomes = [None] * len(plans)
        # waiting for an ownership challenge (missing_challenges=report): not written, in check mode neither
        for index, reason in held_back(plans).items():
            outcomes[index] = Outcome(plans[index].current, held=reason)
        writing = _Writing()
        try:
            for action in ("unchanged",) + _FIRST + ("delete",):
                for index, plan in enumerate(plans):
                    if plan.action == action and outcomes[index] is None:
                        writing.index = index
                        outcomes[index] = self._write(runner, plans, outcomes, index, listed_ids, writing)
        except WriteFailure as failure:
            outcomes[writing.index] = Outcome(failed=failure)
            self._report(listed, plans, outcomes, runner)
            raise self._explained(failure, plans, outcomes, runner, writing.index)
        self._report(listed, plans, outcomes, runner)
        warn_missing_custom_fields(self.module, self.client, self.scope, [outcome.job for outcome in outcomes])

    def _write(self, runner, plans, outcomes, index, listed_ids, writing):
        """One plan's write. A create refused for the dataset's quota, in a task that deletes jobs of that
        dataset, runs those deletes first (every check has passed) and posts once more."""
        plan = plans[index]
        try:
            return runner.write(plan, listed_ids)
        except WriteFailure as failure:
            if plan.action != "create" or not failure.error.job_quota_exceeded:
                raise
            dataset = job_dataset(plan.predicted)
            room = [i for i, other in enumerate(plans) if other.action == "delete" and outcomes[i] is None
                    and job_dataset(other.current) == dataset]
            if not room:
                raise
            # refused once: if a delete for room fails too, the create is reported as refused, not as skipped
            outcomes[index] = Outcome(failed=failure)
            for other in room:
                writing.index = other
                outcomes[other] = runner.write(plans[other], listed_ids)
            writing.index = index
            try:
                return runner.write(plan, listed_ids)
            except WriteFailure as refused:
                raise WriteFailure(refused.error, deleted=[plans[i].current for i in room])

    def _explained(self, failure, plans, outcomes, runner, failed_index):
        """The failure of a task that failed at one write: its message and returned values."""
        what = plans[failed_index].action
        # a recreate's own delete for room is said by the runner (context, deleted_job)
        deleted = failure.deleted if what == "create" else []
        if runner.writes:
            done = "the writes made before it stay made: %s" % "; ".join(runner.writes)
        else:
            done = "no write was made, nothing changed"
        skipped = [self._where(i, plans[i]) for i, outcome in enumerate(outcomes) if outcome is None]
        message = "%s: the %s failed (%s%s; results says what each item got)" % (
            self._where(failed_index, plans[failed_index]), what, done,
            "; not run: %s" % ", ".join(skipped) if skipped else "")
        extra = dict(failure.returned)
        if deleted:
            message += (". Job(s) %s were deleted to make room for it, and Cloudflare refused it again: their configuration "
                        "is in deleted_jobs (secrets masked); create them again with their original destination_conf "
                        "to restore them" % ", ".join(str(job.get("id")) for job in deleted))
            extra["deleted_jobs"] = [public_job(job) for job in deleted]
        if failure.context:
            message += ". %s" % failure.context
        return WriteFailure(failure.error, message, failure.deleted, failure.replacement, extra)

    def _report(self, listed, plans, outcomes, runner):
        after = dict((job.get("id"), job) for job in listed)
        new = []
        results = []
        items = self.params["jobs"]
        for index, (plan, outcome) in enumerate(zip(plans, outcomes)):
            if outcome is not None and outcome.held is not None:
                results.append(self._held(plan, outcome, items[index] if index < len(items) else {}))
                continue
            if outcome is None or outcome.failed is not None:
                results.append(self._not_done(plan, outcome, after, new, items[index] if index < len(items) else {}))
                continue
            job = outcome.job
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
            if outcome.adopted_after_error:
                result["adopted_after_error"] = True
            results.append(result)
        jobs_after = [after[key] for key in sorted(after)] + new
        self.result["changed"] = bool(runner.writes) if not runner.check_mode else any(
            plan.changes for plan, outcome in zip(plans, outcomes) if not (outcome and outcome.held is not None))
        self.result["results"] = results
        if self.params["missing_challenges"] == "report":
            self.result["challenges_needed"] = [
                dict(challenge_needed(plan), index=index) for index, plan in enumerate(plans) if plan.missing_challenge]
        self.result["logpush_jobs"] = [public_job(job) for job in jobs_after]
        if self.module._diff:
            key = _diff_keys(listed, jobs_after, set(j.get("id") for j in listed))
            self.result["diff"] = {
                "before": dict((key(job), diff_view(job)) for job in listed),
                "after": dict((key(job), diff_view(job, self._before(job, plans))) for job in jobs_after),
            }

    @staticmethod
    def _held(plan, outcome, item):
        """The result of a plan held back: the job stays as it is; ``planned`` says what it waits to get."""
        shown = plan.current or plan.predicted or item
        return {"name": shown.get("name"), "dataset": shown.get("dataset"),
                "id": plan.current.get("id") if plan.current is not None else None,
                "action": "held", "planned": plan.action, "reason": outcome.held}

    def _not_done(self, plan, outcome, after, new, item):
        """The result of a plan whose write failed (``outcome.failed``) or was not run (``outcome`` None)."""
        job = plan.current
        shown = job or plan.predicted or item
        result = {"name": shown.get("name"), "dataset": shown.get("dataset"),
                  "id": job.get("id") if job is not None else None}
        if outcome is None:
            result["action"] = "skipped"
            result["reason"] = ("not deleted: a create or update of this task failed, and deletes run only once all of "
                                "them went through" if plan.action == "delete" else
                                "not %s: an earlier write of this task failed" % _DONE[plan.action])
            return result
        failure = outcome.failed
        result["action"] = "failed"
        result["reason"] = "the %s failed: %s" % (plan.action, self.error_text(failure.error))
        if plan.action == "recreate":
            result["replaced_id"] = job.get("id")
            if failure.deleted:
                after.pop(job.get("id"), None)  # deleted for room, then the replacement was refused
                result["id"] = None
            replacement = failure.replacement
            if replacement is not None:  # the replacement exists; the old job could not be deleted
                after[replacement.get("id")] = replacement
                result["id"] = replacement.get("id")
        return result

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
