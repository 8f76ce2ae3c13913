# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection: it may change without notice.
"""Runs the plan of a job (``_job.JobPlan``) against Cloudflare: the reads it needs, then its writes.

``logpush_job`` runs one plan, ``logpush_jobs`` one per job of a set; both find jobs, run checks and
write through here, so the two modules share every rule (identity, adoption after a fault, a recreate
that never loses the job). It knows no Ansible beyond the options' argument spec.
"""

from __future__ import annotations

import random
import time

from ._client import CloudflareError
from ._job import JobInputError, closest_datasets, matches, public_job, select_job, unknown_fields
from ._redact import destination_secrets, redact_text

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
    stringify_object=dict(type="bool"),
)

# The options of one job: logpush_job's, and those of each item of logpush_jobs' ``jobs``.
JOB_OPTIONS = dict(
    state=dict(type="str", choices=["present", "absent"], default="present"),
    id=dict(type="int"),
    name=dict(type="str"),
    dataset=dict(type="str"),
    destination_conf=dict(type="str", no_log=False),
    update_secrets=dict(type="str", choices=["on_create", "always"], default="on_create", no_log=False),
    ownership_challenge=dict(type="str", no_log=True),
    enabled=dict(type="bool"),
    kind=dict(type="str", choices=["", "edge"]),
    frequency=dict(type="str", choices=["high", "low"]),
    filter=dict(type="raw"),
    filter_attack_traffic=dict(type="bool"),
    logpull_options=dict(type="str"),
    output_options=dict(type="dict", options=_OUTPUT_SUBOPTIONS),
    output_options_extra=dict(type="dict"),
    max_upload_bytes=dict(type="int"),
    max_upload_records=dict(type="int"),
    max_upload_interval_seconds=dict(type="int"),
    recreate=dict(type="bool", default=False),
    check_fields=dict(type="bool", default=True),
)


class JobRunner(object):
    """Reads and writes the jobs of one zone or account for the plans of one task."""

    def __init__(self, client, scope, check_mode=False, timeout=30, max_retries=5):
        self.client = client
        self.scope = scope
        self.check_mode = check_mode
        self.timeout = timeout
        self.max_retries = max_retries
        self._fields = {}  # dataset -> its fields, read once per task
        self._destinations = set()  # the destination_conf values validated in this task (one request each)
        # the writes that went through, in order: what a task that fails partway reports as done
        self.writes = []

    # -- finding ---------------------------------------------------------------------------------

    def list_jobs(self):
        return [j for j in self.client.list_jobs(self.scope) if isinstance(j, dict)]

    def find(self, task, jobs=None):
        """(the job a task names or None, the jobs listed or None). One request: a GET by id, or the list
        (none when ``jobs`` is given, as logpush_jobs does)."""
        if task.get("id") is not None:
            if jobs is not None:
                return next((j for j in jobs if j.get("id") == task["id"]), None), jobs
            return self.client.get_job(self.scope, task["id"]), None
        if jobs is None:
            jobs = self.list_jobs()
        return select_job(jobs, task.get("name"), task.get("dataset"), task.get("destination_conf")), jobs

    # -- checks before any write -----------------------------------------------------------------

    def check(self, plan):
        """Every read the plan needs before it writes; raises JobInputError when one does not pass."""
        for check in plan.checks:
            getattr(self, "_check_" + check[0])(*check[1:])

    def _check_challenge(self, destination_conf, token):
        answer = self.client.validate_ownership(self.scope, destination_conf, token) or {}
        if not answer.get("valid"):
            raise JobInputError(
                "The ownership_challenge is not valid for this destination_conf: it is wrong, expired (tokens last 7 "
                "days), for another zone or account, or for a destination_conf that is not exactly this one. Request "
                "a new challenge with cloudflare_community.logpush.logpush_ownership.")

    def _check_fields(self, dataset, wanted, creating):
        if dataset not in self._fields:
            try:
                self._fields[dataset] = self.client.dataset_fields(self.scope, dataset) or {}
            except CloudflareError as exc:
                if exc.http_status in (400, 404):
                    raise JobInputError(
                        "Cloudflare does not know the dataset %r here (%s). Check the name (closest: %s); zone datasets "
                        "need zone_id or zone, account datasets account_id."
                        % (dataset, exc, closest_datasets(dataset, self.scope.startswith("/accounts/"))))
                raise
        missing = unknown_fields(wanted, self._fields[dataset])
        if missing:
            raise JobInputError(
                "Dataset %s has no field %s. Turn the check off with check_fields=false if Cloudflare added a field "
                "this list does not have yet." % (dataset, "; no field ".join(
                    "%s (closest: %s)" % (f, ", ".join(c) or "none") for f, c in missing)))

    def _check_destination(self, destination_conf):
        # validate/destination asks Cloudflare whether it can write to a destination, and creates no job
        # (cloudflare-go v6.6.0 logpush/validate.go ValidateService.Destination; cloudflare-python
        # resources/logpush/validate.py: body {destination_conf}, answer {valid, message}; sure). That it makes
        # the same test write as a create is our reading of those and of the create's "error validating
        # destination" answers (medium). Asked once per destination a task creates or changes, so a bad one
        # fails before the task's first write, in check mode too.
        if destination_conf in self._destinations:
            return
        answer = self.client.validate_destination(self.scope, destination_conf) or {}
        if not answer.get("valid"):
            raise JobInputError(
                "Cloudflare cannot write to this destination_conf (%s); nothing was changed. Check that the "
                "destination exists and that Cloudflare may write to it."
                % redact_text(answer.get("message") or "no reason given", destination_secrets(destination_conf)))
        self._destinations.add(destination_conf)

    # -- writes ----------------------------------------------------------------------------------

    def write(self, plan, listed_ids=None):
        """Carry the plan out (not in check mode). Returns a dict: ``job`` (the job after it, or None),
        and ``adopted_after_error`` when a create that failed had gone through."""
        outcome = {"job": plan.predicted}
        if self.check_mode or plan.action == "unchanged":
            return outcome
        if plan.action == "delete":
            self.delete(plan.current)
        elif plan.action == "update":
            outcome["job"] = self.client.update_job(self.scope, plan.current["id"], plan.body)
            self._wrote("updated", outcome["job"] or plan.current)
        elif plan.action == "create":
            outcome["job"] = self.create(plan.body, listed_ids, outcome)
        elif plan.action == "recreate":
            outcome["job"] = self.replace(plan.current, plan.body, listed_ids, outcome)
        return outcome

    def create(self, body, listed_ids, outcome):
        """POST the job; after a failure that may have created it, adopt it instead of posting again."""
        attempts = self.max_retries + 1
        for attempt in range(attempts):
            try:
                job = self.client.create_job(self.scope, body)
                self._wrote("created", job or body)
                return job
            except CloudflareError as exc:
                if not exc.may_have_taken_effect:
                    raise
                # Cloudflare test-writes to the destination before it answers a create, which can take long
                # (Splunk, HTTP receivers): whatever the error, look for as long as a request may take
                # before posting again, so that a create still under way is adopted, not repeated
                adopted = self._await_created(body, listed_ids, patience=self.timeout)
                if adopted is not None:
                    outcome["adopted_after_error"] = True
                    self._wrote("created", adopted)
                    return adopted
                if attempt == attempts - 1:
                    raise

    def _await_created(self, body, listed_ids, patience):
        """Look for the job a failed POST may have created, until the waits add up to ``patience``."""
        waits = []
        wait = 0.25
        while sum(waits) < patience:
            waits.append(wait)
            wait = min(wait * 2, 5)
        for look in range(len(waits) + 1):
            for job in self.list_jobs():
                if (job.get("id") not in (listed_ids or ())
                        and matches(job, name=body.get("name"), dataset=body.get("dataset"),
                                    destination_conf=body.get("destination_conf"))):
                    return job
            if look < len(waits):
                time.sleep(waits[look] * random.uniform(1.0, 1.5))
        return None

    def delete(self, job):
        # gone already ("job not found"): a retried DELETE whose first try went through, or someone else
        self.client.delete_job(self.scope, job["id"])
        self._wrote("deleted", job)

    def _wrote(self, what, job):
        self.writes.append("%s job %s (%s, %s)" % (what, job.get("id"), job.get("name") or "no name",
                                                   job.get("dataset") or "http_requests"))

    def replace(self, current, body, listed_ids, outcome):
        """A new job for one whose dataset or kind cannot change: created first, the old one deleted once the
        new one exists; deleted first only when the dataset's quota has no room for both."""
        if listed_ids is None:
            # found by id: learn which jobs exist, so a failed POST never adopts an older one
            listed_ids = set(j.get("id") for j in self.list_jobs())
        try:
            new = self.create(body, listed_ids, outcome)
        except CloudflareError as exc:
            if not exc.job_quota_exceeded:
                raise  # nothing was deleted
            # no room for both jobs: delete first, after every check has passed
            self.delete(current)
            try:
                return self.create(body, listed_ids, outcome)
            except CloudflareError as refused:
                refused.context = ("Job %s was deleted to make room for its replacement, and Cloudflare refused the "
                                   "replacement. The deleted job's configuration is in deleted_job (secrets masked): "
                                   "create it again with its original destination_conf to restore it" % current.get("id"))
                refused.extra = {"deleted_job": public_job(current)}
                refused.deleted = [current]
                raise
        try:
            self.delete(current)
        except CloudflareError as exc:
            exc.context = ("Job %s replaces job %s, which could not be deleted: delete job %s (both push now)"
                           % (new.get("id"), current.get("id"), current.get("id")))
            exc.replacement = new
            raise
        return new
