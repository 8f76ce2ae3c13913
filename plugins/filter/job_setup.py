# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The decisions of the role job_setup, in Python: the role's tasks only chain modules and readers.

The role runs three steps: ``logpush_jobs`` in check mode with ``missing_challenges=report`` (the plan),
a challenge per item the plan holds back, and ``logpush_jobs`` for real with the tokens. These filters
turn the role's variables into the module's items (``job_setup_items``), say which challenges to
request and with which reader (``job_setup_challenges``), give the items their tokens and say whether the
last call runs (``job_setup_send``), and shape the module's answer as the role documents it
(``job_setup_outcome``). They make no request."""

from __future__ import annotations

from collections.abc import Mapping

from ansible.module_utils.common.text.converters import to_text
from ansible.module_utils.parsing.convert_bool import boolean

from ansible_collections.cloudflare_community.logpush.plugins.filter.destination_info import destination_info
from ansible_collections.cloudflare_community.logpush.plugins.module_utils._destination import needs_ownership_challenge

# The single-job variables that become the item's options (job_setup_<option>), as logpush_jobs names them.
SINGLE_JOB_OPTIONS = ("dataset", "destination_conf", "enabled", "output_options", "logpull_options", "filter",
                      "filter_attack_traffic", "max_upload_bytes", "max_upload_records",
                      "max_upload_interval_seconds", "check_fields", "ownership_challenge")
# What a list item leaves out takes the role's value.
LIST_DEFAULTS = ("dataset", "enabled", "check_fields")
NOTHING_CHANGED = "Nothing was changed."

# How each destination's challenge file is read, and what that reader needs where the role runs. The
# collections are resolved on the controller; the Python packages are imported by the reader's module on the
# host, so logpush_ownership checks them there (its python_packages option) before it requests a challenge.
# Sources: amazon.aws plugins/doc_fragments/boto3.py (s3_object's requirements: boto3, botocore; sure);
# google.cloud plugins/modules/gcp_storage_object.py requirements (requests, google-auth, google-cloud-storage;
# sure for google.cloud 1.x); azure.azcollection's requirements.txt and azure_rm_storageblob's imports
# (azure.storage.blob, azure.mgmt.storage; medium: the collection installs its SDKs from requirements.txt).
READERS = {
    ("s3", "any"): {"tasks": "s3", "module": "amazon.aws.s3_object", "collection": "amazon.aws",
                    "python": [{"import_name": "boto3", "package": "boto3"},
                               {"import_name": "botocore", "package": "botocore"}]},
    ("gs", "rest"): {"tasks": "gs", "module": None, "collection": None, "python": []},
    ("gs", "collection"): {"tasks": "gs_collection", "module": "google.cloud.gcp_storage_object",
                           "collection": "google.cloud",
                           "python": [{"import_name": "requests", "package": "requests"},
                                      {"import_name": "google.auth", "package": "google-auth"},
                                      {"import_name": "google.cloud.storage", "package": "google-cloud-storage"}]},
    ("azure", "rest"): {"tasks": "azure", "module": None, "collection": None, "python": []},
    ("azure", "collection"): {"tasks": "azure_collection", "module": "azure.azcollection.azure_rm_storageblob",
                              "collection": "azure.azcollection",
                              "python": [{"import_name": "azure.storage.blob", "package": "azure-storage-blob"},
                                         {"import_name": "azure.mgmt.storage", "package": "azure-mgmt-storage"}]},
}
# No reader of the role's own: the challenge is requested (Sumo Logic shows the token in Live Tail), then the
# role says how to give the token.
NO_READER = {"tasks": None, "module": None, "collection": None, "python": []}


def _given(role_vars, name):
    return ("job_setup_" + name) in role_vars


def _text(value):
    return to_text(value) if value is not None else ""


def _is_absent(state):
    return _text(state) == "absent"


def _single_item(role_vars):
    item = {"name": role_vars["job_setup_name"], "dataset": role_vars.get("job_setup_dataset")}
    if _is_absent(role_vars.get("job_setup_state")):
        # only what finds the job: a destination would narrow the match
        item["state"] = "absent"
        return item, None
    if not role_vars.get("job_setup_destination_conf"):
        return None, "job_setup_destination_conf is required with job_setup_state=present (the default). " + NOTHING_CHANGED
    for option in SINGLE_JOB_OPTIONS:
        value = role_vars.get("job_setup_" + option)
        # an empty token is no token (a task file of yours may leave it empty)
        if value is not None and not (option == "ownership_challenge" and not value):
            item[option] = value
    return item, None


def _list_items(role_vars):
    jobs = role_vars["job_setup_jobs"]
    purge = boolean(role_vars.get("job_setup_purge", False), strict=False)
    if not isinstance(jobs, list) or (not jobs and purge):
        return None, ("job_setup_jobs must be a list of jobs%s. %s" % (
            ", and not an empty one with job_setup_purge: it would delete every job of the zone or account"
            if isinstance(jobs, list) else "", NOTHING_CHANGED))
    role_absent = _is_absent(role_vars.get("job_setup_state"))
    items = []
    for index, job in enumerate(jobs):
        name = job.get("name") if isinstance(job, Mapping) else None
        absent = role_absent or (isinstance(job, Mapping) and _is_absent(job.get("state")))
        if not isinstance(job, Mapping) or not name or not isinstance(name, str) \
                or not (absent or job.get("destination_conf")):
            return None, (
                "job_setup_jobs[%d]%s: each item needs name and destination_conf (the role finds each job by name and "
                "dataset and makes it push there; with state absent, the item's or job_setup_state, only name). %s"
                % (index, " (%s)" % name if name else "", NOTHING_CHANGED))
        item = dict((key, role_vars.get("job_setup_" + key)) for key in LIST_DEFAULTS)
        item["state"] = "present"
        item.update(job)
        if role_absent:
            item = {"name": name, "dataset": item["dataset"], "state": "absent"}
        items.append(item)
    keys = ["%s, dataset %s" % (item["name"], item["dataset"]) for item in items]
    twice = sorted(set(key for key in keys if keys.count(key) > 1))
    if twice:
        return None, ("job_setup_jobs names the same job twice: %s; give each item its own name or dataset. %s"
                      % ("; ".join(twice), NOTHING_CHANGED))
    return items, None


def _may_need_challenge(item):
    return (not _is_absent(item.get("state")) and not item.get("ownership_challenge")
            and needs_ownership_challenge(item.get("destination_conf")))


def job_setup_items(role_vars):
    """The role's variables (a dict of every ``job_setup_*`` variable that is defined) as what the role sends.

    Returns ``error`` (a message naming the variable and the fix, or None), ``single`` (job_setup_name was
    given), ``jobs`` (the items of logpush_jobs, the role's defaults applied; one item for job_setup_name),
    ``purge`` and ``plan``: whether an item may need a challenge, so that the role asks the module first
    (with none, the role runs the module once, as the plan would add nothing but a read)."""
    if not isinstance(role_vars, Mapping):
        # a TypeError, not AnsibleFilterError: importing ansible.errors switches module_utils to the controller's
        # warnings, which the unit tests of the modules, in the same process, then miss
        raise TypeError("job_setup_items takes a dict of the role's variables")
    answer = {"error": None, "single": _given(role_vars, "name"), "jobs": [], "plan": False,
              "purge": boolean(role_vars.get("job_setup_purge", False), strict=False)}
    if _given(role_vars, "name") == _given(role_vars, "jobs"):
        answer["error"] = (
            "Give job_setup_name (one job, with the job_setup_* options) or job_setup_jobs (a list of jobs of one zone or "
            "account, each with logpush_jobs' item options), not %s. %s"
            % ("both" if _given(role_vars, "name") else "neither", NOTHING_CHANGED))
        return answer
    if answer["single"]:
        item, answer["error"] = _single_item(role_vars)
        items = [item] if item else []
        answer["purge"] = False  # one job never purges the zone's others
    else:
        items, answer["error"] = _list_items(role_vars)
    if answer["error"]:
        return answer
    answer["jobs"] = items
    answer["plan"] = any(_may_need_challenge(item) for item in items)
    return answer


def _reader(scheme, options):
    if options.get("challenge_tasks"):
        return dict(NO_READER, tasks="yours")
    if scheme == "s3":
        return READERS[("s3", "any")]
    if scheme in ("gs", "azure"):
        choice = options.get("%s_reader" % ("gcs" if scheme == "gs" else "azure")) or "rest"
        return READERS[(scheme, choice)]
    return NO_READER


def _unread(need, location, options):
    """What to say when no token was read: the role has no reader for this destination, or your task file set
    no job_setup_challenge_token."""
    where = "" if options.get("single") else " of the job_setup_jobs item %s (dataset %s)" % (need["name"], need["dataset"])
    give = "job_setup_ownership_challenge" if options.get("single") else "that item's ownership_challenge"
    if options.get("challenge_tasks"):
        return ("Cloudflare wrote an ownership challenge to this %s destination%s, and the task file of "
                "job_setup_challenge_tasks set no job_setup_challenge_token: set it there (from the file "
                "job_setup_challenge_filename), or pass the token as %s." % (location["scheme"], where, give))
    return ("Cloudflare wrote an ownership challenge to this %s destination%s, which this role cannot read. For Sumo "
            "Logic, find the token in Live Tail; then pass it as %s, or give job_setup_challenge_tasks, a task file "
            "that sets job_setup_challenge_token." % (location["scheme"], where, give))


def _installed(module_name):
    # imported here: the plugin loader is the controller's, and the unit tests replace this function
    from ansible.plugins.loader import module_loader
    return module_loader.find_plugin_with_context(module_name).resolved


def job_setup_challenges(plan, jobs, options=None):
    """The challenges to request: one per item that the plan (logpush_jobs' answer with
    ``missing_challenges=report``) holds back, with its real destination_conf (from ``jobs``, the items sent),
    where its file is (``location``, no secret) and how it is read (``tasks``: s3, gs, gs_collection, azure,
    azure_collection, ``yours`` for job_setup_challenge_tasks, or None when the role cannot read it).

    ``options``: ``gcs_reader``, ``azure_reader``, ``challenge_tasks`` (whether the user gave a task file),
    ``single`` (job_setup_name: the messages name the role's variables, not an item's). ``unread`` is what
    the role says when no token was read.
    ``error`` names a collection a reader needs that is not installed, with how to install it, so that the role
    fails before the first challenge request; ``python_packages`` the Python packages the readers import on the
    host (logpush_ownership checks them there, before its request)."""
    options = options or {}
    needed = (plan or {}).get("challenges_needed") or []
    challenges, missing, packages = [], [], []
    for need in needed:
        item = jobs[need["index"]]
        location = destination_info(item["destination_conf"])
        reader = _reader(location["scheme"], options)
        challenges.append({"index": need["index"], "name": item.get("name"), "dataset": need.get("dataset"),
                           "destination_conf": item["destination_conf"], "location": location,
                           "tasks": reader["tasks"], "unread": _unread(need, location, options)})
        if reader["module"] and reader["collection"] not in [m[1] for m in missing] and not _installed(reader["module"]):
            missing.append((reader["module"], reader["collection"], location["shown"]))
        packages += [package for package in reader["python"] if package not in packages]
    error = None
    if missing:
        error = "; ".join(
            "The challenge file of %s is read with %s, and the collection %s is not installed: install it with "
            "ansible-galaxy collection install %s" % (shown, module, collection, collection)
            for module, collection, shown in missing)
        error += " (or give the token, or job_setup_challenge_tasks). No challenge was requested. " + NOTHING_CHANGED
    return {"error": error, "items": challenges, "python_packages": packages}


def job_setup_send(role_input, plan, tokens):
    """What the role's last logpush_jobs task sends: ``jobs``, the items with the token read for each
    (``tokens``: {index: token}, index as int or text), and ``run``: whether the task runs at all.

    It runs when there was no plan (no item may need a challenge: this task is the only one), or when the plan
    changes something and every item it holds got a token. It does not when the plan is the answer: nothing
    to change, or an item held that got no token, which happens only in check mode (logpush_ownership requests
    nothing there, so nothing is read); the plan, made in check mode, predicts the real run."""
    given = dict((int(index), token) for index, token in (tokens or {}).items() if token)
    jobs = [dict(job, ownership_challenge=given[index]) if index in given else job
            for index, job in enumerate(role_input["jobs"])]
    plan = plan or {}
    if plan.get("skipped") or not role_input.get("plan"):
        return {"jobs": jobs, "run": True}
    held = [need["index"] for need in plan.get("challenges_needed") or []]
    if held:
        run = all(index in given for index in held)
    else:
        # from the items' actions: the plan task reports no change of its own (it writes nothing)
        run = any(result.get("action") not in ("unchanged", "held") for result in plan.get("results") or [])
    return {"jobs": jobs, "run": run}


def _pending_message(need, shown, current):
    start = "Would request an ownership challenge for %s, read its token, and " % shown
    if current is None:
        return start + "create the job %s (dataset %s) pushing to %s." % (need["name"], need["dataset"], shown)
    return start + "%s job %s (%s, dataset %s): %s from %s to %s." % (
        "move" if need["action"] == "update" else "replace", need["id"], need["name"], need["dataset"],
        "update its destination" if need["action"] == "update" else "create its replacement with the destination",
        current.get("destination_conf"), shown)


def _pending(result, jobs):
    """What the real run does for each item the answer holds back (check mode has no token): ``action``
    create or move (recreate for a job that must be replaced), the job as it will be, and a message that
    shows the destinations without their secrets."""
    listed = dict((job.get("id"), job) for job in result.get("logpush_jobs") or [])
    pending = []
    for need in result.get("challenges_needed") or []:
        current = listed.get(need["id"]) if need.get("id") is not None else None
        shown = destination_info(jobs[need["index"]]["destination_conf"])["shown"]
        pending.append({
            "index": need["index"], "name": need["name"], "dataset": need["dataset"], "id": need.get("id"),
            "action": {"create": "create", "update": "move"}.get(need["action"], need["action"]),
            "msg": _pending_message(need, shown, current),
            "job": need.get("job"),
        })
    return pending


_DONE = {"create": "created", "update": "updated", "recreate": "recreated", "delete": "deleted"}


def _as_real_run(result):
    """A check-mode answer that holds items back (no token) as the real run leaves things: each held item gets
    the action it waits for, and logpush_jobs the jobs as those writes leave them (new ones last), from the
    module's own prediction (challenges_needed[].job); the deletes held with them are done."""
    result = dict(result, changed=True)
    predicted = dict((need["index"], need) for need in result.get("challenges_needed") or [])
    jobs = list(result.get("logpush_jobs") or [])
    results = []
    for index, outcome in enumerate(result.get("results") or []):
        if outcome.get("action") != "held":
            results.append(outcome)
            continue
        planned = outcome.get("planned")
        done = dict((k, v) for k, v in outcome.items() if k not in ("planned", "reason"))
        done["action"] = _DONE.get(planned, planned)
        after = (predicted.get(index) or {}).get("job")
        if planned == "delete" or (planned == "recreate" and after is not None):
            jobs = [job for job in jobs if job.get("id") != outcome.get("id")]
        if after is not None and planned == "update":
            jobs = [after if job.get("id") == outcome.get("id") else job for job in jobs]
        elif after is not None:
            jobs.append(after)
            done["id"] = after.get("id")
        results.append(done)
    result["results"] = results
    result["logpush_jobs"] = jobs
    return result


def _waits(result, pushes_wanted):
    """The jobs of the items that the role waits for: those that exist after the run and push (a purged job is
    deleted, an item held back was not written)."""
    if not pushes_wanted:
        return []
    done = dict((r.get("id"), r) for r in result.get("results") or [] if r.get("id") is not None)
    waits = []
    for job in result.get("logpush_jobs") or []:
        outcome = done.get(job.get("id"))
        if outcome is None or outcome.get("action") in ("deleted", "held") or not job.get("enabled"):
            continue
        waits.append({"id": job["id"], "since": {"last_complete": job.get("last_complete"),
                                                 "last_error": job.get("last_error")}})
    return waits


def job_setup_outcome(plan, run, jobs, single, wait_for_push=False, pushes=None):
    """The role's result, from logpush_jobs' answer: ``run`` (the task that wrote, or a skipped result) or, when
    it did not run, ``plan`` (the check-mode answer, which predicts the real run).

    Returns ``jobs_result`` (the module's answer; for items held back in check mode, ``pending_challenges``
    says what the real run does, and ``changed`` is true), ``job`` (for job_setup_name: the documented shape of
    job_setup_job), ``pending`` (the messages of the items held back) and ``waits`` (the jobs to wait for;
    ``pushes``, the waits' results, are folded in when given)."""
    result = run if isinstance(run, Mapping) and not run.get("skipped") else plan
    result = dict(result or {})
    pending = _pending(result, jobs)
    if pending:
        result = _as_real_run(result)
        result["pending_challenges"] = [dict((k, v) for k, v in p.items() if k != "job") for p in pending]
    waits = _waits(result, wait_for_push and not pending)
    if pushes:
        after = dict((p["logpush_jobs"][0]["id"], p) for p in pushes if not p.get("skipped") and p.get("logpush_jobs"))
        result["logpush_jobs"] = [_without_scope(after[job["id"]]["logpush_jobs"][0]) if job.get("id") in after else job
                                  for job in result.get("logpush_jobs") or []]
        result["pushes"] = [dict(after[i]["push"], id=i, name=after[i]["logpush_jobs"][0].get("name"),
                                 dataset=after[i]["logpush_jobs"][0].get("dataset")) for i in sorted(after)]
    answer = {"jobs_result": result, "pending": [p["msg"] for p in pending], "waits": waits, "job": None}
    if single:
        answer["job"] = _single_job(result, pending)
    return answer


def _item_job(listed, outcome):
    """The job an item's result names: by id, or, for a job check mode would create (id null), by name and
    dataset among the new ones."""
    if outcome.get("action") == "deleted":
        return None
    for job in listed:
        if outcome.get("id") is not None and job.get("id") == outcome.get("id"):
            return job
        if outcome.get("id") is None and job.get("id") is None and job.get("name") == outcome.get("name") \
                and job.get("dataset") == outcome.get("dataset"):
            return job
    return None


def _without_scope(job):
    return dict((k, v) for k, v in job.items() if k not in ("zone_id", "zone_name", "account_id"))


def _single_job(result, pending):
    """job_setup_job: as logpush_job returns it (``changed``, ``logpush_job``, ``action``), and in check mode,
    for a job that waits for a challenge, what the real run does (``skipped``, ``skipped_reason``, ``action``
    create or move, ``msg``, and ``logpush_job``: null for a create, the job as it will be for a move)."""
    if pending:
        one = pending[0]
        return {"changed": True, "skipped": True, "action": one["action"], "msg": one["msg"],
                "skipped_reason": "Check mode requests no ownership challenge, so it has no token, and the job "
                                  "was not written.",
                "logpush_job": one["job"] if one["id"] is not None else None}
    outcome = (result.get("results") or [{}])[0]
    job = _item_job(result.get("logpush_jobs") or [], outcome)
    answer = {"changed": bool(result.get("changed")), "action": outcome.get("action"),
              "logpush_job": job}
    if "zone_id" in result:
        answer["zone_id"] = result["zone_id"]
    if result.get("pushes"):
        answer["push"] = result["pushes"][0]
    return answer


class FilterModule(object):

    def filters(self):
        return {
            "job_setup_items": job_setup_items,
            "job_setup_challenges": job_setup_challenges,
            "job_setup_send": job_setup_send,
            "job_setup_outcome": job_setup_outcome,
        }
