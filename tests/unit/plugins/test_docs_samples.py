# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""RETURN says what the modules return: every key a module returns is documented, every documented key is
returned by some run, and the samples have the keys and types of a real result.

Each module's main() runs against a scripted loopback server with answers shaped like Cloudflare's (and the
emulator's), through the paths that return optional keys: a zone name (zone_id), fields, an adopted create,
a failed request (failure).
"""

from __future__ import annotations

import json

import pytest
import yaml

from ansible_collections.cloudflare_community.logpush.plugins.modules import (
    logpush_custom_fields, logpush_job, logpush_job_info, logpush_jobs, logpush_notification, logpush_ownership,
)
from ansible_collections.cloudflare_community.logpush.tests.unit.scripted_server import Step, envelope

ZONE_ID = "023e105f4ecef8ad9ca31a8372d0c353"
ZONES = Step(200, envelope([{"id": ZONE_ID, "name": "example.com"}]))
R2 = "r2://logs/http/{DATE}?account-id=01a7362d577a6c3019a474fd6f485823&access-key-id=key-id-1234&secret-access-key=secret-5678"
# a job as the emulator answers it (omitempty keys absent)
JOB = {"id": 1, "dataset": "http_requests", "destination_conf": R2, "enabled": True, "kind": "", "frequency": "high",
       "last_complete": None, "last_error": None, "error_message": None, "name": "http-to-r2",
       "output_options": {"field_names": ["RayID", "EdgeStartTimestamp"], "timestamp_format": "rfc3339"}}
# keys every module result may have that RETURN does not document (Ansible's own)
ANSIBLE_KEYS = {"changed", "failed", "msg", "diff", "invocation", "warnings", "deprecations"}


def error(status, code, message):
    return Step(status, envelope(success=False, errors=[{"code": code, "message": message}]))


@pytest.fixture
def run(run_module, server):
    def run_with(module, steps, **args):
        server.will(*steps)
        args.update(api_token="canary-token-0123", api_base_url=server.url, timeout=5, max_retries=0)
        result = run_module(module.main, args)
        assert server.httpd.script == [], "the module asked for fewer answers than scripted"
        return result
    return run_with


def documented(module):
    return yaml.safe_load(module.RETURN)


def _type_ok(doc_type, value):
    if value is None:
        return True
    return isinstance(value, {"dict": dict, "list": list, "str": str, "bool": bool, "int": int, "float": float,
                              "raw": object}[doc_type]) and not (doc_type == "int" and isinstance(value, bool))


def check_against_docs(module, results, optional=None):
    """Every returned key (and sub-key) is documented with a fitting type; every documented key came back.
    ``optional`` names, per key, the sub-keys that only some elements have (each must come back somewhere)."""
    optional = optional or {}
    seen_sub = dict((key, set()) for key in optional)
    docs = documented(module)
    seen = set()
    for result in results:
        for key, value in result.items():
            if key in ANSIBLE_KEYS:
                continue
            assert key in docs, "%s returns %r, which RETURN does not document" % (module.__name__, key)
            seen.add(key)
            spec = docs[key]
            assert _type_ok(spec["type"], value), "%s: %r is %r, documented as %s" % (module.__name__, key, value, spec["type"])
            contains = spec.get("contains")
            items = value if spec["type"] == "list" else [value]
            for item in items:
                if contains and isinstance(item, dict):
                    required = set(contains) - optional.get(key, set())
                    assert required <= set(item) <= set(contains), "%s: keys of %r differ from RETURN: %s" % (
                        module.__name__, key, sorted(item))
                    seen_sub.get(key, set()).update(set(item) & optional.get(key, set()))
                    for sub, sub_value in item.items():
                        assert _type_ok(contains[sub]["type"], sub_value), "%s: %s.%s is %r" % (
                            module.__name__, key, sub, sub_value)
    assert seen == set(docs), "%s documents keys no run returned: %s" % (module.__name__, sorted(set(docs) - seen))
    for key, keys in optional.items():
        assert seen_sub[key] == keys, "%s: no run returned %s of %s" % (module.__name__, sorted(keys - seen_sub[key]), key)


def test_logpush_job_return(run):
    valid = Step(200, envelope({"valid": True, "message": ""}))
    created = run(logpush_job, [ZONES, Step(200, envelope([])), valid, Step(200, envelope(JOB))],
                  zone="example.com", name="http-to-r2", destination_conf=R2, enabled=True, check_fields=False)
    unavailable = error(503, 1000, "Service Unavailable")
    adopted = run(logpush_job, [Step(200, envelope([])), valid, unavailable, Step(200, envelope([JOB]))],
                  zone_id=ZONE_ID, name="http-to-r2", destination_conf=R2, enabled=True, check_fields=False)
    too_many = error(400, 1002, "creating a new job is not allowed: exceeded max jobs allowed")
    failed = run(logpush_job, [Step(200, envelope([])), valid, too_many],
                 zone_id=ZONE_ID, name="http-to-r2", destination_conf=R2, check_fields=False)
    quota = error(403, 1004, "creating a new job (for http_requests dataset) is not allowed: exceeded max jobs allowed")
    edge = dict(JOB, kind="edge")
    recreated = run(logpush_job, [Step(200, envelope([JOB])), valid, Step(200, envelope(edge)),
                                  Step(200, envelope({"id": 1}))],
                    zone_id=ZONE_ID, name="http-to-r2", kind="edge", recreate=True, check_fields=False)
    lost_room = run(logpush_job, [Step(200, envelope([edge])), valid, quota, Step(200, envelope({"id": 1})), quota],
                    zone_id=ZONE_ID, name="http-to-r2", kind="", recreate=True, check_fields=False)
    # a create to S3 without a token, held back (missing_challenges=report)
    held = run(logpush_job, [Step(200, envelope([])), valid], zone_id=ZONE_ID, name="fw", dataset="firewall_events",
               destination_conf="s3://logs-bucket/firewall?region=us-east-1", missing_challenges="report",
               check_fields=False)
    assert created["changed"] and created["zone_id"] == ZONE_ID
    assert adopted["adopted_after_error"] is True and adopted["logpush_job"]["id"] == 1
    assert failed["failed"] and failed["failure"]["codes"] == [1002]
    assert recreated["replaced_id"] == 1 and lost_room["deleted_job"]["kind"] == "edge"
    assert held["challenge_needed"]["action"] == "create" and held["changed"] is False
    check_against_docs(logpush_job, [created, adopted, failed, recreated, lost_room, held])
    assert sorted(held["challenge_needed"]["job"]) == sorted(documented(logpush_job)["logpush_job"]["sample"])
    # the sample is a real job: same keys as returned, and those of logpush_job_info's elements
    sample = documented(logpush_job)["logpush_job"]["sample"]
    assert sorted(sample) == sorted(created["logpush_job"])
    # logpush_job_info adds the scope of each job (it can read several)
    scope_keys = {"zone_id", "zone_name", "account_id"}
    assert sorted(sample) == sorted(set(documented(logpush_job_info)["logpush_jobs"]["contains"]) - scope_keys)
    for key, value in sample.items():
        returned = created["logpush_job"][key]
        assert value is None or returned is None or type(value) is type(returned), key


def test_logpush_jobs_return(run):
    other = dict(JOB, id=2, name="old-job")
    item = dict(name="http-to-r2", destination_conf=R2, enabled=True, check_fields=False)
    valid = Step(200, envelope({"valid": True, "message": ""}))
    # a zone name, a create and a purge (writes: creates first, then deletes)
    purged = run(logpush_jobs, [ZONES, Step(200, envelope([other])), valid, Step(200, envelope(JOB)),
                                Step(200, envelope({"id": 2}))],
                 zone="example.com", jobs=[item], purge=True)
    unavailable = error(503, 1000, "Service Unavailable")
    adopted = run(logpush_jobs, [Step(200, envelope([])), valid, unavailable, Step(200, envelope([JOB]))],
                  zone_id=ZONE_ID, jobs=[item])
    # a refused create: the purge is not run (results give each item's reason)
    refused = run(logpush_jobs, [Step(200, envelope([other])), valid, error(400, 1002, "filter is invalid")],
                  zone_id=ZONE_ID, jobs=[item], purge=True)
    # the quota: the purge of the dataset goes first, and the create is refused again (deleted_jobs)
    no_room = run(logpush_jobs, [Step(200, envelope([other])), valid,
                                 error(403, 1004, "creating a new job (for http_requests dataset) is not allowed: "
                                                  "exceeded max jobs allowed"), Step(200, envelope({"id": 2})),
                                 error(400, 1002, "filter is invalid")],
                  zone_id=ZONE_ID, jobs=[item], purge=True)
    edge = dict(JOB, kind="edge")
    recreated = run(logpush_jobs, [Step(200, envelope([JOB])), valid, Step(200, envelope(edge)),
                                   Step(200, envelope({"id": 1}))],
                    zone_id=ZONE_ID, jobs=[dict(name="http-to-r2", kind="edge", recreate=True, check_fields=False)])
    quota = error(403, 1004, "creating a new job (for http_requests dataset) is not allowed: exceeded max jobs allowed")
    lost_room = run(logpush_jobs, [Step(200, envelope([edge])), valid, quota, Step(200, envelope({"id": 1})), quota],
                    zone_id=ZONE_ID, jobs=[dict(name="http-to-r2", kind="", recreate=True, check_fields=False)])
    assert [r["action"] for r in purged["results"]] == ["created", "deleted"] and purged["zone_id"] == ZONE_ID
    assert [j["id"] for j in purged["logpush_jobs"]] == [1]
    assert adopted["results"][0]["adopted_after_error"] is True
    assert recreated["results"][0]["replaced_id"] == 1
    assert lost_room["failed"] and lost_room["deleted_job"]["kind"] == "edge" and lost_room["failure"]["codes"] == [1004]
    assert [r["action"] for r in refused["results"]] == ["failed", "skipped"] and refused["changed"] is False
    assert no_room["deleted_jobs"][0]["id"] == 2 and no_room["changed"] is True
    # a create to S3 without a token, held back with the purge (missing_challenges=report)
    held = run(logpush_jobs, [Step(200, envelope([other])), valid], zone_id=ZONE_ID, purge=True,
               missing_challenges="report", jobs=[dict(item, destination_conf="s3://logs-bucket/http?region=us-east-1")])
    assert [(r["action"], r["planned"]) for r in held["results"]] == [("held", "create"), ("held", "delete")]
    check_against_docs(logpush_jobs, [purged, adopted, recreated, lost_room, refused, no_room, held],
                       optional={"results": {"replaced_id", "adopted_after_error", "reason", "planned"}})
    assert sorted(held["challenges_needed"][0]["job"]) == sorted(documented(logpush_job)["logpush_job"]["sample"])
    # each element of logpush_jobs is a job as logpush_job returns it
    assert sorted(purged["logpush_jobs"][0]) == sorted(documented(logpush_job)["logpush_job"]["sample"])
    assert sorted(documented(logpush_jobs)["logpush_jobs"]["sample"][0]) == sorted(purged["logpush_jobs"][0])


def test_logpush_job_info_return(run):
    fields = {"RayID": "ID of the request.", "EdgeStartTimestamp": "Timestamp at which the edge received request from the client."}
    listed = run(logpush_job_info, [ZONES, Step(200, envelope([JOB])), Step(200, envelope(fields))],
                 zone="example.com", dataset="http_requests", fields=True)
    failed = run(logpush_job_info, [error(403, 10000, "Authentication error")], zone_id=ZONE_ID)
    pushed = dict(JOB, last_complete="2026-11-26T09:10:00Z")
    waited = run(logpush_job_info, [Step(200, envelope(pushed))], zone_id=ZONE_ID, id=1, wait_for_push=True,
                 since={"last_complete": None, "last_error": None})
    none_yet = error(404, 10003, "could not find entrypoint ruleset in the http_log_custom_fields phase")
    several = run(logpush_job_info, [Step(200, envelope([JOB])), none_yet, error(403, 10000, "Authentication error")],
                  zones=[ZONE_ID], account_ids=["01a7362d577a6c3019a474fd6f485823"], on_scope_error="warn",
                  custom_fields=True)
    assert listed["fields"] == fields and listed["logpush_jobs"][0]["health"] == "pending"
    assert failed["failed"] and failed["failure"]["http_status"] == 403
    assert waited["push"]["outcome"] == "pushed"
    assert several["failed_scopes"][0]["codes"] == [10000]
    check_against_docs(logpush_job_info, [listed, failed, waited, several])
    assert documented(logpush_job_info)["fields"]["sample"] == fields


def test_logpush_ownership_return(run):
    s3 = "s3://logs-bucket/http?region=us-east-1"
    answer = {"filename": "http/ownership-challenge-3a9f1c2b7d4e5f60.txt", "valid": True, "message": ""}
    requested = run(logpush_ownership, [ZONES, Step(200, envelope(answer))], zone="example.com", destination_conf=s3)
    failed = run(logpush_ownership, [error(403, 10000, "Authentication error")], zone_id=ZONE_ID, destination_conf=s3)
    assert requested["zone_id"] == ZONE_ID and requested["valid"] is True
    assert failed["failed"] and failed["failure"]["codes"] == [10000]
    check_against_docs(logpush_ownership, [requested, failed])
    sample = dict((key, spec["sample"]) for key, spec in documented(logpush_ownership)["destination"]["contains"].items())
    assert sample == requested["destination"]
    assert json.dumps(documented(logpush_ownership)["filename"]["sample"]).count("ownership-challenge-") == 1


def test_logpush_custom_fields_return(run):
    ruleset = {"id": "2f2feab2026849078ba485f918791bdc", "name": "default", "kind": "zone", "version": "2",
               "phase": "http_log_custom_fields", "last_updated": "2026-12-04T10:00:00Z", "rules": []}
    none_yet = error(404, 10003, "could not find entrypoint ruleset in the http_log_custom_fields phase")
    changed = run(logpush_custom_fields, [ZONES, none_yet, Step(200, envelope(ruleset))], zone="example.com",
                  request_fields=["Content-Type", "x-forwarded-for"], response_fields=["server"], cookie_fields=["__cfruid"])
    failed = run(logpush_custom_fields, [error(403, 10000, "Authentication error")], zone_id=ZONE_ID, cookie_fields=["a"])
    assert changed["zone_id"] == ZONE_ID and changed["changed"] is True
    assert failed["failed"] and failed["failure"]["codes"] == [10000]
    check_against_docs(logpush_custom_fields, [changed, failed])
    docs = documented(logpush_custom_fields)
    sample = dict((key, spec["sample"]) for key, spec in docs["custom_fields"]["contains"].items())
    assert sample == changed["custom_fields"]
    assert docs["ruleset"]["sample"] == dict((key, ruleset[key]) for key in ("id", "version", "last_updated"))


def test_logpush_notification_return(run):
    docs = documented(logpush_notification)
    sample = dict((key, spec["sample"]) for key, spec in docs["policy"]["contains"].items())
    made = run(logpush_notification, [Step(200, envelope([])), Step(200, envelope({"id": sample["id"]}))],
               account_id="01a7362d577a6c3019a474fd6f485823", name=sample["name"], description=sample["description"],
               email=sample["email"], webhooks=sample["webhooks"])
    failed = run(logpush_notification, [error(403, 10000, "Authentication error")],
                 account_id="01a7362d577a6c3019a474fd6f485823", name="n", email=["a@example.com"])
    assert made["changed"] is True and made["policy"] == sample
    assert failed["failed"] and failed["failure"]["codes"] == [10000]
    check_against_docs(logpush_notification, [made, failed])
