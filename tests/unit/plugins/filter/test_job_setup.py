# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The role job_setup's decisions (plugins/filter/job_setup.py): no request, so plain data in and out."""

from __future__ import annotations

import json

import pytest

from ansible_collections.cloudflare_community.logpush.plugins.filter import job_setup

S3 = "s3://logs/http/{DATE}?region=us-east-1"
S3_MOVED = "s3://logs/moved?region=us-east-1"
R2 = "r2://logs/http?account-id=0a&access-key-id=key-id&secret-access-key=r2-s3cr3t"
AZURE = "azure://acct.blob.core.windows.net/box/http?sv=2022-11-02&sp=cw&sig=c2VjcmV0"
GS = "gs://logs/http"
SUMO = "sumo://endpoint.collection.sumologic.com/receiver/v1/http/c2VjcmV0Y29kZQ=="
# the role's defaults (roles/job_setup/defaults/main.yml), as the varnames lookup gives them
DEFAULTS = {"job_setup_state": "present", "job_setup_dataset": "http_requests", "job_setup_enabled": True,
            "job_setup_check_fields": True, "job_setup_purge": False}


def role(**variables):
    return dict(DEFAULTS, **dict(("job_setup_" + k, v) for k, v in variables.items()))


# -- job_setup_items: the role's variables as logpush_jobs items, checked before any request --------

@pytest.mark.parametrize("variables, word", [({}, "neither"), ({"name": "a", "jobs": []}, "both")])
def test_one_job_or_a_list_not_both_nor_neither(variables, word):
    answer = job_setup.job_setup_items(role(**variables))
    assert "not %s. Nothing was changed." % word in answer["error"]
    assert answer["jobs"] == []


def test_one_job_needs_a_destination():
    answer = job_setup.job_setup_items(role(name="a"))
    assert answer["error"].startswith("job_setup_destination_conf is required with job_setup_state=present")


def test_one_job_is_one_item_with_the_roles_defaults_and_only_what_is_set():
    answer = job_setup.job_setup_items(role(name="a", destination_conf=S3, output_options={"field_names": ["RayID"]},
                                            filter=None, ownership_challenge="", api_token="not-an-item-option"))
    assert answer["error"] is None and answer["single"] is True and answer["purge"] is False
    assert answer["jobs"] == [{"name": "a", "dataset": "http_requests", "destination_conf": S3, "enabled": True,
                               "check_fields": True, "output_options": {"field_names": ["RayID"]}}]
    # S3 without keys and no token: the module is asked first
    assert answer["plan"] is True


@pytest.mark.parametrize("variables, plan", [
    ({"destination_conf": S3, "ownership_challenge": "token"}, False),  # a token of yours
    ({"destination_conf": R2}, False),  # no challenge needed
    ({"destination_conf": AZURE}, True),
    ({"state": "absent"}, False),
])
def test_the_plan_is_asked_only_when_an_item_may_need_a_challenge(variables, plan):
    assert job_setup.job_setup_items(role(name="a", **variables))["plan"] is plan


def test_one_job_absent_is_found_by_name_and_dataset_only():
    answer = job_setup.job_setup_items(role(name="a", state="absent", destination_conf=S3, dataset="dns_logs"))
    assert answer["jobs"] == [{"name": "a", "dataset": "dns_logs", "state": "absent"}]


def test_list_items_take_the_roles_defaults_for_what_they_leave_out():
    answer = job_setup.job_setup_items(role(jobs=[{"name": "a", "destination_conf": R2},
                                                  {"name": "a", "dataset": "dns_logs", "destination_conf": S3,
                                                   "enabled": False},
                                                  {"name": "b", "state": "absent"}], purge=True))
    assert answer["error"] is None and answer["single"] is False and answer["purge"] is True
    assert answer["jobs"] == [
        {"name": "a", "dataset": "http_requests", "enabled": True, "check_fields": True, "state": "present",
         "destination_conf": R2},
        {"name": "a", "dataset": "dns_logs", "enabled": False, "check_fields": True, "state": "present",
         "destination_conf": S3},
        {"name": "b", "dataset": "http_requests", "enabled": True, "check_fields": True, "state": "absent"}]
    assert answer["plan"] is True


def test_list_absent_sends_only_names_and_datasets():
    answer = job_setup.job_setup_items(role(state="absent", jobs=[{"name": "a", "destination_conf": S3},
                                                                  {"name": "b", "dataset": "dns_logs"}]))
    assert answer["jobs"] == [{"name": "a", "dataset": "http_requests", "state": "absent"},
                              {"name": "b", "dataset": "dns_logs", "state": "absent"}]
    assert answer["plan"] is False


@pytest.mark.parametrize("jobs, purge, message", [
    ("a", False, "job_setup_jobs must be a list of jobs. Nothing was changed."),
    ([], True, "not an empty one with job_setup_purge: it would delete every job"),
    (["a"], False, "job_setup_jobs[0]: each item needs name and destination_conf"),
    ([{"destination_conf": S3}], False, "job_setup_jobs[0]: each item needs name"),
    ([{"name": "a", "destination_conf": R2}, {"name": "b"}], False,
     "job_setup_jobs[1] (b): each item needs name and destination_conf"),
    ([{"name": "a", "destination_conf": R2}, {"name": "a", "destination_conf": S3}], False,
     "job_setup_jobs names the same job twice: a, dataset http_requests; give each item its own name or dataset."),
])
def test_a_list_the_role_cannot_use_is_refused_with_the_fix(jobs, purge, message):
    answer = job_setup.job_setup_items(role(jobs=jobs, purge=purge))
    assert message in answer["error"] and answer["error"].endswith("Nothing was changed.")
    assert answer["jobs"] == []


def test_an_empty_list_without_purge_is_no_error():
    assert job_setup.job_setup_items(role(jobs=[]))["error"] is None


# -- job_setup_challenges: which challenges, read how, and what the readers need -------------------

def plan_holding(*indexes_and_actions):
    return {"challenges_needed": [{"index": index, "action": action, "name": "job%d" % index, "dataset": "http_requests",
                                   "id": None if action == "create" else 7, "job": {"id": None}}
                                  for index, action in indexes_and_actions]}


@pytest.fixture
def installed(monkeypatch):
    """The collections installed on the controller, as the plugin loader would find their modules."""
    present = set()
    monkeypatch.setattr(job_setup, "_installed", lambda module: module.rpartition(".")[0] in present)
    return present


def test_each_held_item_gets_its_destination_and_reader(installed):
    installed.update(["amazon.aws"])
    jobs = [{"name": "job0", "destination_conf": S3}, {"name": "job1", "destination_conf": R2},
            {"name": "job2", "destination_conf": GS}, {"name": "job3", "destination_conf": AZURE},
            {"name": "job4", "destination_conf": SUMO}]
    answer = job_setup.job_setup_challenges(plan_holding((0, "create"), (2, "update"), (3, "create"), (4, "create")),
                                            jobs, {"gcs_reader": "rest", "azure_reader": "rest", "single": False})
    assert answer["error"] is None
    assert [(c["index"], c["tasks"]) for c in answer["items"]] == [(0, "s3"), (2, "gs"), (3, "azure"), (4, None)]
    # the real destination, to request the challenge with; its location shows no secret
    assert answer["items"][2]["destination_conf"] == AZURE
    assert "c2VjcmV0" not in json.dumps([c["location"] for c in answer["items"]])
    assert answer["python_packages"] == [{"import_name": "boto3", "package": "boto3"},
                                         {"import_name": "botocore", "package": "botocore"}]
    assert "which this role cannot read" in answer["items"][3]["unread"]
    assert "job4 (dataset http_requests)" in answer["items"][3]["unread"]
    assert "that item's ownership_challenge" in answer["items"][3]["unread"]


def test_no_plan_no_challenge(installed):
    assert job_setup.job_setup_challenges({"skipped": True}, [], {}) == {"error": None, "items": [],
                                                                         "python_packages": []}


@pytest.mark.parametrize("conf, options, collection", [
    (S3, {}, "amazon.aws"),
    (GS, {"gcs_reader": "collection"}, "google.cloud"),
    (AZURE, {"azure_reader": "collection"}, "azure.azcollection"),
])
def test_a_reader_whose_collection_is_missing_is_refused_before_any_challenge(installed, conf, options, collection):
    answer = job_setup.job_setup_challenges(plan_holding((0, "create")), [{"name": "a", "destination_conf": conf}],
                                            dict(options, single=True))
    assert "ansible-galaxy collection install %s" % collection in answer["error"]
    assert "No challenge was requested" in answer["error"]
    assert "c2VjcmV0" not in answer["error"]


def test_the_collection_readers_name_their_python_packages(installed):
    installed.update(["google.cloud", "azure.azcollection"])
    answer = job_setup.job_setup_challenges(plan_holding((0, "create"), (1, "create")),
                                            [{"name": "a", "destination_conf": GS}, {"name": "b", "destination_conf": AZURE}],
                                            {"gcs_reader": "collection", "azure_reader": "collection"})
    assert answer["error"] is None
    assert [p["package"] for p in answer["python_packages"]] == [
        "requests", "google-auth", "google-cloud-storage", "azure-storage-blob", "azure-mgmt-storage"]


def test_a_task_file_of_yours_reads_every_challenge_and_needs_no_collection(installed):
    answer = job_setup.job_setup_challenges(plan_holding((0, "create")), [{"name": "a", "destination_conf": S3}],
                                            {"challenge_tasks": True, "single": True})
    assert answer["error"] is None and answer["python_packages"] == []
    assert answer["items"][0]["tasks"] == "yours"
    assert "job_setup_challenge_tasks set no job_setup_challenge_token" in answer["items"][0]["unread"]
    assert "job_setup_ownership_challenge" in answer["items"][0]["unread"]


# -- job_setup_send: the items with their tokens, and whether the last call runs --------------------

ITEMS = {"plan": True, "jobs": [{"name": "a", "destination_conf": S3}, {"name": "b", "destination_conf": R2}]}


@pytest.mark.parametrize("role_input, plan, tokens, run", [
    (dict(ITEMS, plan=False), {"skipped": True}, {}, True),  # no plan: the only call
    # nothing to change: the plan is the answer (the plan task's own "changed" is false: it writes nothing)
    (ITEMS, {"changed": False, "challenges_needed": [], "results": [{"action": "unchanged"}]}, {}, False),
    (ITEMS, {"changed": False, "challenges_needed": [], "results": [{"action": "unchanged"}, {"action": "deleted"}]},
     {}, True),
    (ITEMS, {"changed": False, "challenges_needed": [{"index": 0}]}, {}, False),  # check mode: no token
    (ITEMS, {"changed": False, "challenges_needed": [{"index": 0}]}, {"0": "token"}, True),
])
def test_the_last_call_runs_only_when_it_adds_something(role_input, plan, tokens, run):
    assert job_setup.job_setup_send(role_input, plan, tokens)["run"] is run


def test_each_held_item_gets_its_own_token():
    sent = job_setup.job_setup_send(ITEMS, {"challenges_needed": [{"index": 0}]}, {"0": "t0", "1": ""})
    assert sent["jobs"] == [{"name": "a", "destination_conf": S3, "ownership_challenge": "t0"},
                            {"name": "b", "destination_conf": R2}]


# -- job_setup_outcome: job_setup_job and job_setup_jobs_result from logpush_jobs' answer -----------

JOB = {"id": 7, "name": "a", "dataset": "http_requests", "enabled": True, "destination_conf": S3,
       "last_complete": None, "last_error": "2026-01-01T00:00:00Z"}


def test_a_run_with_nothing_to_change_is_the_plans_answer():
    plan = {"changed": False, "results": [{"name": "a", "dataset": "http_requests", "id": 7, "action": "unchanged"}],
            "logpush_jobs": [JOB, dict(JOB, id=8, name="other")], "challenges_needed": []}
    out = job_setup.job_setup_outcome(plan, {"skipped": True}, [{"name": "a", "destination_conf": S3}], True)
    assert out["job"] == {"changed": False, "action": "unchanged", "logpush_job": JOB}
    assert out["jobs_result"] == plan and out["pending"] == [] and out["waits"] == []


def test_the_run_wins_over_the_plan_and_a_new_job_of_check_mode_is_found_by_name():
    run = {"changed": True, "results": [{"name": "a", "dataset": "http_requests", "id": None, "action": "created"}],
           "logpush_jobs": [dict(JOB, id=8, name="other"), dict(JOB, id=None)]}
    out = job_setup.job_setup_outcome({"skipped": True}, run, [{"name": "a", "destination_conf": R2}], True)
    assert out["job"]["logpush_job"] == dict(JOB, id=None) and out["job"]["changed"] is True


def test_a_removed_job_is_none():
    run = {"changed": True, "results": [{"name": "a", "dataset": "http_requests", "id": None, "action": "deleted"}],
           "logpush_jobs": []}
    assert job_setup.job_setup_outcome({}, run, [{"name": "a", "state": "absent"}], True)["job"] == {
        "changed": True, "action": "deleted", "logpush_job": None}


def test_check_mode_says_what_the_real_run_does_for_a_new_job_that_needs_a_challenge():
    plan = {"changed": False, "results": [{"name": "a", "dataset": "http_requests", "id": None, "action": "held",
                                           "planned": "create", "reason": "not created: ..."}],
            "logpush_jobs": [], "challenges_needed": [
                {"index": 0, "action": "create", "id": None, "name": "a", "dataset": "http_requests",
                 "destination_conf": S3, "job": dict(JOB, id=None)}]}
    out = job_setup.job_setup_outcome(plan, {"skipped": True}, [{"name": "a", "destination_conf": S3}], True)
    job = out["job"]
    assert job["changed"] is True and job["skipped"] is True and job["action"] == "create"
    assert job["logpush_job"] is None
    assert job["msg"] == ("Would request an ownership challenge for %s, read its token, and create the job a (dataset "
                          "http_requests) pushing to %s." % (S3, S3))
    assert out["pending"] == [job["msg"]]
    # as the real run leaves the list: the job created last, with id null
    assert out["jobs_result"]["results"] == [{"name": "a", "dataset": "http_requests", "id": None, "action": "created"}]
    assert out["jobs_result"]["logpush_jobs"] == [dict(JOB, id=None)]


def test_check_mode_says_a_move_from_where_to_where_without_a_secret():
    old_azure = "azure://acct.blob.core.windows.net/box/http?sv=2022-11-02&sp=cw&sig=REDACTED"
    new_azure = AZURE.replace("c2VjcmV0", "bmV3c2VjcmV0")
    current = dict(JOB, destination_conf=old_azure)
    moved = dict(JOB, destination_conf="azure://acct.blob.core.windows.net/box/http?sv=2022-11-02&sp=cw&sig=REDACTED")
    plan = {"changed": False, "logpush_jobs": [current, dict(JOB, id=9, name="purged")],
            "results": [{"name": "a", "dataset": "http_requests", "id": 7, "action": "held", "planned": "update"},
                        {"name": "purged", "dataset": "http_requests", "id": 9, "action": "held", "planned": "delete"}],
            "challenges_needed": [{"index": 0, "action": "update", "id": 7, "name": "a", "dataset": "http_requests",
                                   "destination_conf": moved["destination_conf"], "job": moved}]}
    out = job_setup.job_setup_outcome(plan, {"skipped": True}, [{"name": "a", "destination_conf": new_azure}], False)
    pending = out["jobs_result"]["pending_challenges"]
    assert [p["action"] for p in pending] == ["move"] and pending[0]["id"] == 7
    assert pending[0]["msg"].endswith("move job 7 (a, dataset http_requests): update its destination from %s to "
                                      "azure://acct.blob.core.windows.net/box/http?(SAS not shown)." % old_azure)
    assert "bmV3c2VjcmV0" not in json.dumps(out) and "c2VjcmV0" not in json.dumps(out)
    # the purge held with the move is done by the real run
    assert [(r["name"], r["action"]) for r in out["jobs_result"]["results"]] == [("a", "updated"), ("purged", "deleted")]
    assert out["jobs_result"]["logpush_jobs"] == [moved] and out["jobs_result"]["changed"] is True
    assert out["job"] is None


def test_check_mode_single_move_shows_the_job_as_it_will_be():
    plan = {"logpush_jobs": [JOB], "results": [{"name": "a", "id": 7, "action": "held", "planned": "update"}],
            "challenges_needed": [{"index": 0, "action": "update", "id": 7, "name": "a", "dataset": "http_requests",
                                   "destination_conf": S3_MOVED, "job": dict(JOB, destination_conf=S3_MOVED)}]}
    job = job_setup.job_setup_outcome(plan, {"skipped": True}, [{"name": "a", "destination_conf": S3_MOVED}], True)["job"]
    assert job["action"] == "move" and job["logpush_job"]["destination_conf"] == S3_MOVED
    assert job["msg"].endswith("update its destination from %s to %s." % (S3, S3_MOVED))


def test_the_waits_are_the_items_jobs_that_exist_and_push():
    run = {"changed": True, "logpush_jobs": [JOB, dict(JOB, id=8, name="off", enabled=False), dict(JOB, id=9, name="x")],
           "results": [{"id": 7, "action": "updated"}, {"id": 8, "action": "created"}, {"id": 5, "action": "deleted"}]}
    out = job_setup.job_setup_outcome({}, run, [], False, wait_for_push=True)
    assert out["waits"] == [{"id": 7, "since": {"last_complete": None, "last_error": "2026-01-01T00:00:00Z"}}]
    assert job_setup.job_setup_outcome({}, run, [], False)["waits"] == []


def test_the_pushes_are_folded_in():
    run = {"changed": False, "logpush_jobs": [JOB], "results": [{"id": 7, "action": "unchanged", "name": "a"}]}
    after = dict(JOB, health="ok", zone_id="z")
    pushes = [{"logpush_jobs": [after], "push": {"outcome": "pushed", "reads": 2}}, {"skipped": True}]
    out = job_setup.job_setup_outcome({}, run, [], True, wait_for_push=True, pushes=pushes)
    assert out["jobs_result"]["pushes"] == [{"outcome": "pushed", "reads": 2, "id": 7, "name": "a",
                                             "dataset": "http_requests"}]
    assert out["job"]["logpush_job"] == dict(JOB, health="ok")
    assert out["job"]["push"]["outcome"] == "pushed"


def test_the_role_variables_must_be_a_dict():
    with pytest.raises(TypeError, match="a dict of the role's variables"):
        job_setup.job_setup_items(["job_setup_name"])
