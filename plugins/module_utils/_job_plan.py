# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection: it may change without notice.
"""The plan of one job: the task's job (``_job_input``) compared with the job as Cloudflare has it (``_job``),
the action that follows, the reads that must pass before any write, the request body, and the job as the
API will return it (check mode, diff). Computed once, before any request that writes; ``_job_runner``
carries it out.
"""

from __future__ import annotations

from ._destination import destination_location, needs_ownership_challenge
from ._errors import JobInputError
from ._job import (DEFAULT_DATASET, JOB_KEYS, READ_ONLY_KEYS, is_masked, is_unset, job_dataset, logpull_as_output_options,
                   options_in_force, public_job, stored_output_options)
from ._job_input import (ACCOUNT_DATASETS, ZONE_DATASETS, check_dataset_options, check_dataset_scope, check_desired,
                         requested_fields)
from ._redact import redact_destination

# What Cloudflare uses when a key is absent, by output_type (log-output-options docs).
OUTPUT_DEFAULTS = {
    "ndjson": {"output_type": "ndjson", "batch_prefix": "", "batch_suffix": "", "record_prefix": "{",
               "record_suffix": "}\n", "record_template": "", "record_delimiter": "", "field_delimiter": ",",
               "timestamp_format": "unixnano", "sample_rate": 1.0, "CVE-2021-44228": False, "merge_subrequests": False,
               "stringify_object": False},
    "csv": {"output_type": "csv", "batch_prefix": "", "batch_suffix": "", "record_prefix": "",
            "record_suffix": "\n", "record_template": "", "record_delimiter": "", "field_delimiter": ",",
            "timestamp_format": "unixnano", "sample_rate": 1.0, "CVE-2021-44228": False, "merge_subrequests": False,
            "stringify_object": False},
}


# The keys whose default depends on output_type: they follow a change of type unless the task sets them.
TYPE_DEPENDENT_OUTPUT_KEYS = tuple(sorted(
    key for key, value in OUTPUT_DEFAULTS["ndjson"].items() if key != "output_type" and OUTPUT_DEFAULTS["csv"][key] != value))


# Keys compared as "unset" when absent, null, "" or 0 (the API serialises with omitempty).
_EMPTY_MEANS_UNSET = ("name", "filter", "logpull_options", "max_upload_bytes", "max_upload_records",
                      "max_upload_interval_seconds")


COMPARED_KEYS = ("name", "enabled", "destination_conf", "frequency", "filter", "filter_attack_traffic",
                 "logpull_options", "output_options", "max_upload_bytes", "max_upload_records",
                 "max_upload_interval_seconds")


_DIFF_HIDDEN = ("last_complete", "last_error", "error_message", "error_codes", "health", "filter_parsed", "time_created")


def _output_value(options, key):
    """The value Cloudflare uses for an output_options key: as stored, or its documented default."""
    options = options or {}
    if key in options and options[key] is not None:
        return options[key]
    return OUTPUT_DEFAULTS.get(options.get("output_type") or "ndjson", OUTPUT_DEFAULTS["ndjson"]).get(key)


def _empty_output_value(value):
    """An output_options value that an omitempty answer leaves out: null, false, "" or an empty list."""
    return value is None or value is False or value == "" or value == []


def _same_output(current, wanted):
    """Whether the job's output options already are what ``wanted`` asks. A key the answer does not carry
    compares as its documented default, and as equal to a false or empty wanted value: Cloudflare's answers
    leave those out (Go omitempty; public_job shows the same job the same way)."""
    current = current or {}
    for key, value in wanted.items():
        if _empty_output_value(value) and _empty_output_value(current.get(key)):
            continue
        have = _output_value(current, key)
        if key == "sample_rate":
            if have is None or float(have) != float(value):
                return False
        elif have != value:
            return False
    return True


def _normal(key, value):
    if key in _EMPTY_MEANS_UNSET and is_unset(value):
        return None
    if key == "frequency":
        return value or "high"  # answers may leave it out (the OpenAPI examples have none): the default
    if key == "filter":
        from ._filter import canonical_filter  # the filter grammar: only for a task with a filter
        return canonical_filter(value)
    if key == "kind":
        return "" if value in (None, "instant-logs") else value
    if key in ("enabled", "filter_attack_traffic"):
        return bool(value)
    return value


def same_destination(current, wanted, update_secrets="on_create"):
    """Whether the job's destination_conf is the one the task gives. Where the answer masks a secret (a query
    value it shows as REDACTED or asterisks), only the parts shown are compared: the secret cannot be read back,
    so it counts as unchanged, unless ``update_secrets`` is ``always`` (like amazon.aws's ``update_password``:
    the task then writes its secrets on every run). A secret shown in clear is always compared."""
    if current == wanted:
        return True
    if not current or not wanted:
        return False
    have_base, _sep, have_query = current.partition("?")
    want_base, _sep, want_query = wanted.partition("?")
    have, want = have_query.split("&"), want_query.split("&")
    if have_base != want_base or len(have) != len(want):
        return False
    for have_pair, want_pair in zip(have, want):
        name, eq, value = have_pair.partition("=")
        want_name, want_eq, want_value = want_pair.partition("=")
        if (name, eq) != (want_name, want_eq):
            return False
        if value != want_value and (update_secrets == "always" or not is_masked(value)):
            return False
    return True


def changed_keys(current, desired, update_secrets="on_create"):
    """The keys of ``desired`` whose value differs from ``current``, after normalisation."""
    changes = []
    desired = with_logpull_converted(current, desired)
    for key in COMPARED_KEYS:
        if key not in desired:
            continue
        if key == "output_options":
            if not _same_output(stored_output_options(current), desired["output_options"]):
                changes.append(key)
        elif key == "destination_conf":
            if not same_destination(current.get(key), desired[key], update_secrets):
                changes.append(key)
        elif _normal(key, current.get(key)) != _normal(key, desired[key]):
            changes.append(key)
    return changes


def with_logpull_converted(current, desired):
    """``desired``, where a task gives logpull_options to a job that has output_options, with those
    logpull_options also as output_options (over the job's own): Cloudflare would ignore them alone, and
    a task is never a silent no-op. A job without output_options keeps its logpull_options as they are."""
    if is_unset(desired.get("logpull_options")) or "output_options" in desired \
            or not (current or {}).get("output_options"):
        return desired
    converted = dict(desired)
    converted["output_options"] = logpull_as_output_options(desired["logpull_options"])
    return converted


def immutable_changes(current, desired):
    """dataset and kind cannot change on an existing job (an empty dataset is http_requests)."""
    changes = []
    if "dataset" in desired and desired["dataset"] != job_dataset(current):
        changes.append("dataset")
    if "kind" in desired and _normal("kind", desired["kind"]) != _normal("kind", current.get("kind")):
        changes.append("kind")
    return changes


def recreated_job(current, desired):
    """The job that replaces ``current`` when its dataset or kind changes: what the task sets, over
    what the job had (output options merged as in an update). Run-time state is not carried over,
    nor a legacy ``kind: instant-logs``, which the API still returns but no longer creates
    (Terraform provider v5 reads it as "")."""
    job = dict((k, v) for k, v in current.items() if k in JOB_KEYS and k not in READ_ONLY_KEYS and v is not None)
    job["dataset"] = job_dataset(current)
    if job.get("kind") == "instant-logs":
        del job["kind"]
    wanted = with_logpull_converted(current, desired)
    if "output_options" in wanted:
        wanted["output_options"] = merge_output_options(options_in_force(current), wanted["output_options"])
    job.update(wanted)
    return dict((k, v) for k, v in job.items() if v is not None)


def create_body(desired, ownership_challenge=None):
    body = dict(desired)
    body.setdefault("dataset", DEFAULT_DATASET)
    for key in _EMPTY_MEANS_UNSET:
        if key in body and is_unset(body[key]):
            del body[key]  # nothing to unset on a new job
    if ownership_challenge:
        body["ownership_challenge"] = ownership_challenge
    return body


def merge_output_options(current, wanted):
    """The whole output_options to send: the job's own, with the task's keys over them.

    A PUT replaces output_options whole (Cloudflare's log output options page), so the keys the
    task does not set are sent back as they are, except when the task changes output_type: then
    the keys whose default depends on the type (``record_prefix``, ``record_suffix``) are left out,
    so that Cloudflare applies the new type's defaults, unless the task sets them. Jobs made in the
    dashboard or by Terraform carry them explicitly; kept, a CSV job would frame every record in
    ``{`` and ``}``."""
    current = dict(current or {})
    wanted = dict(wanted or {})
    if "output_type" in wanted and wanted["output_type"] != _output_value(current, "output_type"):
        for key in TYPE_DEPENDENT_OUTPUT_KEYS:
            current.pop(key, None)
    current.update(wanted)
    return current


def update_body(current, desired, changes, ownership_challenge=None):
    """Only what changed; output_options whole (a PUT replaces it), kept keys from the server."""
    body = {}
    desired = with_logpull_converted(current, desired)
    for key in changes:
        value = desired[key]
        if key == "output_options":
            value = merge_output_options(options_in_force(current), value)
        elif key in _EMPTY_MEANS_UNSET and is_unset(value):
            value = 0 if key.startswith("max_upload") else ""  # the API's way to clear a field
        body[key] = value
    if "destination_conf" in changes and ownership_challenge:
        body["ownership_challenge"] = ownership_challenge
    return body


def predict(current, body):
    """The job as the API will return it after the write (check mode, diff)."""
    job = dict(current or {})
    for key, value in body.items():
        if key == "ownership_challenge":
            continue
        job[key] = None if key in _EMPTY_MEANS_UNSET and is_unset(value) else value
    if current is None:
        job.setdefault("enabled", False)
        job.setdefault("kind", "")
        job.setdefault("frequency", "high")
        job.setdefault("id", None)
    return job


def diff_view(job, before=None):
    """A job for --diff: redacted, without run-time state, keys sorted, the filter as parsed structure
    (so that one changed value is one changed line). With ``before``, a credential that differs from
    the one in the same place of ``before``'s destination reads REDACTED_CHANGED."""
    if not job:
        return {}
    shown = public_job(job)
    if before:
        shown["destination_conf"] = redact_destination(job.get("destination_conf"), before.get("destination_conf"))
    if shown.get("filter_parsed") is not None:
        shown["filter"] = shown["filter_parsed"]
    return dict((k, shown[k]) for k in sorted(shown) if k not in _DIFF_HIDDEN)


def diff_of(before, after):
    """The ``diff`` of a change, as Ansible shows it."""
    return {"before": diff_view(before), "after": diff_view(after, before)}


class JobPlan(object):
    """What one task does to one job, decided before any request that writes.

    ``action``: ``unchanged``, ``create``, ``update``, ``recreate`` or ``delete``. ``checks``: the reads
    that must pass before the write, in order: ``("challenge", destination_conf, token)``,
    ``("fields", dataset, [field names], creating)``, ``("destination", destination_conf)`` (every
    destination a plan creates or changes).
    ``body`` is what is sent; ``predicted`` the job as the API will return it (check mode, diff).
    ``missing_challenge``: the destination_conf whose ownership challenge the write needs and the task
    did not give (only with ``missing_challenges="report"``; the plan is then held back, see ``held_back``)."""

    def __init__(self, action, current=None, body=None, predicted=None, checks=()):
        self.action = action
        self.current = current
        self.body = body
        self.predicted = predicted
        self.checks = [check for check in checks if check[0] != "missing_challenge"]
        self.missing_challenge = next((check[1] for check in checks if check[0] == "missing_challenge"), None)

    @property
    def changes(self):
        return self.action != "unchanged"


def _identity(task):
    if task.get("name") is not None:
        return "named %r" % task["name"]
    return "with this destination_conf"


# What a task does when a write needs an ownership challenge that it did not give: "fail" (before any
# request), or "report": the plan is held back (no write) and says which destination needs one, so that
# a caller (the role job_setup) requests challenges for exactly those items and runs the task again.
MISSING_CHALLENGES = ("fail", "report")


def _challenge_check(conf, token, missing_challenges="fail"):
    """A destination that needs a challenge needs a token, validated (one read) before any write."""
    if not needs_ownership_challenge(conf):
        return []
    if not token:
        if missing_challenges == "report":
            return [("missing_challenge", conf)]
        raise JobInputError(
            "This destination_conf needs an ownership challenge (AWS S3 without keys, Google Cloud Storage, Azure "
            "and Sumo Logic do), and ownership_challenge is not set. Run cloudflare_community.logpush.logpush_ownership "
            "with the same destination_conf, read the token from the file it writes there, and pass it as "
            "ownership_challenge; or use the role cloudflare_community.logpush.job_setup, which does all of this.")
    return [("challenge", conf, token)]


def _fields_check(task, desired, dataset, creating=False):
    if not task.get("check_fields", True):
        return []
    wanted = requested_fields(desired)
    unknown_dataset = creating and dataset not in ZONE_DATASETS and dataset not in ACCOUNT_DATASETS
    if not wanted and not unknown_dataset:
        return []
    return [("fields", dataset, wanted, creating)]


def _create_plan(task, desired, is_account, current=None, action="create", missing_challenges="fail"):
    dataset = desired.get("dataset", DEFAULT_DATASET)
    # a create always needs the token, even where the job it replaces pushes already (Cloudflare's create)
    checks = _challenge_check(desired["destination_conf"], task.get("ownership_challenge"), missing_challenges)
    check_dataset_scope(dataset, is_account)
    check_dataset_options(desired, dataset)
    checks += _fields_check(task, desired, dataset, creating=True)
    # can Cloudflare write there? Asked before the first write of the task (a recreate: before the old job goes)
    checks.append(("destination", desired["destination_conf"]))
    body = create_body(desired, task.get("ownership_challenge"))
    return JobPlan(action, current, body, predict(None, body), checks)


def plan_job(task, current, desired, is_account, scope_word="zone", missing_challenges="fail"):
    """The plan of one job: ``task`` is the job's options, ``current`` the job as Cloudflare has it (or
    None), ``desired`` what ``task_desired`` made of the task. Raises JobInputError for anything that
    fails before a request; a missing ownership challenge too, unless ``missing_challenges`` is
    ``report``: the plan then carries ``missing_challenge`` instead.

    Whether a challenge is needed is decided against ``current`` as Cloudflare returned it: an update
    that keeps the job's destination (``same_destination``, where a masked secret counts as unchanged
    unless update_secrets=always) needs none; a create, a recreate and a new destination do."""
    if task.get("state", "present") == "absent":
        if current is None:
            return JobPlan("unchanged")
        # found by id: a job that is not the one the task describes is never deleted
        for key in ("dataset", "name"):
            wanted = task.get(key)
            have = job_dataset(current) if key == "dataset" else current.get(key) or ""
            if wanted is not None and have != wanted:
                raise JobInputError("Job %s has %s %r, not %r: nothing was deleted. Check the id, or remove %s from "
                                    "the task." % (current.get("id"), key, have, wanted, key))
        return JobPlan("delete", current)
    if current is None:
        if task.get("id") is not None:
            raise JobInputError("There is no job with id %s in this %s. Ids are given by Cloudflare: remove id to "
                                "create a job, or check the id." % (task["id"], scope_word))
        if not desired.get("destination_conf"):
            raise JobInputError("destination_conf is required to create a job (no job %s exists)." % _identity(task))
        return _create_plan(task, desired, is_account, missing_challenges=missing_challenges)
    immutable = immutable_changes(current, desired)
    if immutable:
        if not task.get("recreate"):
            what = " and ".join("%s (%r to %r)" % (k, current.get(k) or "", desired[k]) for k in immutable)
            raise JobInputError(
                "The %s of job %s cannot change. Set recreate=true to create a new job and delete this one (the new "
                "job gets a new id), or set %s back." % (what, current.get("id"), " and ".join(immutable)))
        replacement = recreated_job(current, desired)
        check_desired(replacement)
        return _create_plan(task, replacement, is_account, current, "recreate", missing_challenges)
    changes = changed_keys(current, desired, task.get("update_secrets") or "on_create")
    if not changes:
        return JobPlan("unchanged", current, predicted=current)
    checks = []
    if "destination_conf" in changes:
        checks += _challenge_check(desired["destination_conf"], task.get("ownership_challenge"), missing_challenges)
    if set(changes) & {"output_options", "logpull_options", "filter"}:
        checks += _fields_check(task, desired, job_dataset(current))
    if "destination_conf" in changes:
        # only a new destination is test-written: an update that keeps it costs no request more
        checks.append(("destination", desired["destination_conf"]))
    check_dataset_options(desired, job_dataset(current), current.get("destination_conf"))
    body = update_body(current, desired, changes, task.get("ownership_challenge"))
    return JobPlan("update", current, body, predict(current, body), checks)


HELD_DELETE_REASON = ("not deleted: an item of this task waits for an ownership challenge, and a task that holds "
                      "an item back runs no delete (the job that item would replace may be this one)")


def held_back(plans):
    """{index: reason} of the plans of one task that are not written: each plan that waits for an
    ownership challenge, and, when there is one, every delete (absent items and purged jobs), so that
    no job goes before the one that may replace it exists. A recreate that is not held runs whole: its
    delete is of its own job, once its replacement exists."""
    waiting = [index for index, plan in enumerate(plans) if plan.missing_challenge]
    held = dict((index, "not %s: %s" % (_WRITTEN[plans[index].action], _challenge_wanted(plans[index])))
                for index in waiting)
    if waiting:
        held.update((index, HELD_DELETE_REASON) for index, plan in enumerate(plans) if plan.action == "delete")
    return held


_WRITTEN = {"create": "created", "update": "updated", "recreate": "recreated", "delete": "deleted"}


def _challenge_wanted(plan):
    return ("its destination %s needs an ownership challenge, and ownership_challenge is not set; request one "
            "(cloudflare_community.logpush.logpush_ownership) and give its token"
            % redact_destination(plan.missing_challenge))


def challenge_needed(plan):
    """What a caller needs to know of a plan held back for an ownership challenge, without a secret: the
    write it waits for, the job it concerns, the destination (masked, and where it stores files, to read
    the challenge file) and the job as that write would leave it."""
    job = plan.predicted or plan.current or {}
    return {
        "action": plan.action,
        "id": plan.current.get("id") if plan.current is not None else None,
        "name": job.get("name"),
        "dataset": job_dataset(job),
        "destination_conf": redact_destination(plan.missing_challenge),
        "destination": destination_location(plan.missing_challenge),
        "job": public_job(plan.predicted) if plan.predicted is not None else None,
    }
