# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection: it may change without notice.
"""Runs the plan of a job (``_job_plan.JobPlan``) against Cloudflare: the reads it needs, then its writes.

``logpush_job`` runs one plan, ``logpush_jobs`` one per job of a set; both find jobs, run checks and
write through here, so the two modules share every rule (identity, adoption after a fault, a recreate
that never loses the job). A write that Cloudflare refuses leaves as a ``WriteFailure``, which says what
the task had done before it. It knows no Ansible.
"""

from __future__ import annotations

import random
import time

from ._client import CloudflareError
from ._errors import JobInputError, WriteFailure
from ._job import public_job
from ._job_input import closest_datasets, matches, select_job, unknown_fields
from ._redact import destination_secrets, redact_text


class Outcome(object):
    """What one plan got: ``job``, the job after it (None when there is none); ``adopted_after_error``, a
    create that failed had gone through and its job was adopted; ``held``, why the plan was not written
    (it waits for an ownership challenge); ``failed``, the ``WriteFailure`` of its write."""

    def __init__(self, job=None, adopted_after_error=False, held=None, failed=None):
        self.job = job
        self.adopted_after_error = adopted_after_error
        self.held = held
        self.failed = failed


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
        """Carry the plan out (not in check mode) and return its ``Outcome``. Raises ``WriteFailure`` when
        Cloudflare refuses a write."""
        if self.check_mode or plan.action == "unchanged":
            return Outcome(plan.predicted)
        try:
            if plan.action == "delete":
                self.delete(plan.current)
                return Outcome(plan.predicted)
            if plan.action == "update":
                job = self.client.update_job(self.scope, plan.current["id"], plan.body)
                self._wrote("updated", job or plan.current)
                return Outcome(job)
            if plan.action == "create":
                return self.create(plan.body, listed_ids)
        except CloudflareError as exc:
            raise WriteFailure(exc) from exc
        return self.replace(plan.current, plan.body, listed_ids)

    def create(self, body, listed_ids):
        """POST the job; after a failure that may have created it, adopt it instead of posting again.
        Returns its ``Outcome``; raises ``CloudflareError``."""
        attempts = self.max_retries + 1
        for attempt in range(attempts):
            try:
                job = self.client.create_job(self.scope, body)
                self._wrote("created", job or body)
                return Outcome(job)
            except CloudflareError as exc:
                if not exc.may_have_taken_effect:
                    raise
                # Cloudflare test-writes to the destination before it answers a create, which can take long
                # (Splunk, HTTP receivers): whatever the error, look for as long as a request may take
                # before posting again, so that a create still under way is adopted, not repeated
                adopted = self._await_created(body, listed_ids, patience=self.timeout)
                if adopted is not None:
                    self._wrote("created", adopted)
                    return Outcome(adopted, adopted_after_error=True)
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

    def replace(self, current, body, listed_ids):
        """A new job for one whose dataset or kind cannot change: created first, the old one deleted once the
        new one exists; deleted first only when the dataset's quota has no room for both. Returns the new
        job's ``Outcome``; raises ``WriteFailure``."""
        if listed_ids is None:
            # found by id: learn which jobs exist, so a failed POST never adopts an older one
            try:
                listed_ids = set(j.get("id") for j in self.list_jobs())
            except CloudflareError as exc:
                raise WriteFailure(exc) from exc
        try:
            new = self.create(body, listed_ids)
        except CloudflareError as exc:
            if not exc.job_quota_exceeded:
                raise WriteFailure(exc) from exc  # nothing was deleted
            # no room for both jobs: delete first, after every check has passed
            try:
                self.delete(current)
            except CloudflareError as failed:
                raise WriteFailure(failed) from failed  # nothing was deleted
            try:
                return self.create(body, listed_ids)
            except CloudflareError as refused:
                raise WriteFailure(
                    refused, deleted=[current], returned={"deleted_job": public_job(current)},
                    context=("Job %s was deleted to make room for its replacement, and Cloudflare refused the "
                             "replacement. The deleted job's configuration is in deleted_job (secrets masked): "
                             "create it again with its original destination_conf to restore it" % current.get("id")),
                ) from refused
        try:
            self.delete(current)
        except CloudflareError as exc:
            raise WriteFailure(
                exc, replacement=new.job,
                context=("Job %s replaces job %s, which could not be deleted: delete job %s (both push now)"
                         % (new.job.get("id"), current.get("id"), current.get("id"))),
            ) from exc
        return new
