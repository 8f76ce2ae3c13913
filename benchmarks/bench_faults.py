"""Fault matrix: every fault the emulator injects, on every operation of every module and of the role.

A case arms one fault (count 1) on the request of the operation, runs the operation, waits for a delayed
request to land, and then looks at the emulator's state. It survives when the task did not fail, changed
what it should, and the state is right (exactly one job where there should be one, none after a delete, a
challenge file for a request, a valid token for a validation). Modules run one at a time as Ansible runs them
on the host (Ansible.module); the role runs in one playbook (playbooks/role_faults.yml).

Then, per operation, a fault that outlasts the retries (503, count 10, max_retries 2): the task must fail,
and no job may be created, changed or duplicated.
"""
import collections
import json
import os
import re
import time

from common import PLAYBOOKS, ZONE_ID, Section, heading, r2, table, zone_id

TIMEOUT = 2  # the modules' timeout in every case; the delay fault waits past it
FAULTS = [
    ("429, Retry-After 1", dict(action="status", status=429, retry_after=1)),
    ("500", dict(action="status", status=500)),
    ("502", dict(action="status", status=502)),
    ("503", dict(action="status", status=503)),
    ("504", dict(action="status", status=504)),
    ("reset", dict(action="reset")),
    ("delay %d s (timeout %d s)" % (TIMEOUT + 1, TIMEOUT), dict(action="delay", delay=TIMEOUT + 1)),
    ("write then drop", dict(action="write_then_drop")),
]
S3_DESTINATION = "s3://bench-challenge/faults?region=us-east-1"
R2_DESTINATION = r2("bench-logs", "faults")


def jobs_named(emu, name):
    return [j for j in emu.jobs() if j.get("name") == name]


def setup_job(emu, name, enabled=False):
    emu.create_job(ZONE_ID, {"name": name, "destination_conf": R2_DESTINATION, "enabled": enabled})


def challenge_token(emu, zone=ZONE_ID, destination=S3_DESTINATION):
    answer = emu.api("POST", "/zones/%s/logpush/ownership" % zone, {"destination_conf": destination})
    files = [f for f in emu.ownership_files() if f["filename"] == answer["result"]["filename"]]
    return files[0]["token"]


# The checks of an operation's outcome: None when the case survived, else why not.
def check_job(count, enabled=None, changed=True):
    def check(emu, name, result):
        if result.get("failed"):
            return "failed: %s" % result.get("msg", "")[:160]
        if bool(result.get("changed")) != changed:
            return "changed=%s" % result.get("changed")
        jobs = jobs_named(emu, name)
        if len(jobs) != count:
            return "%d jobs" % len(jobs)
        if enabled is not None and jobs and jobs[0].get("enabled") != enabled:
            return "enabled=%s" % jobs[0].get("enabled")
        return None
    return check


def check_info(emu, name, result):
    if result.get("failed"):
        return "failed: %s" % result.get("msg", "")[:160]
    return None if len(result.get("logpush_jobs") or []) == 1 else "%d jobs listed" % len(result["logpush_jobs"])


def check_request(emu, name, result):
    if result.get("failed"):
        return "failed: %s" % result.get("msg", "")[:160]
    files = [f["filename"] for f in emu.ownership_files()]
    return None if result.get("filename") in files else "no challenge file %r" % result.get("filename")


def check_validate(emu, name, result):
    if result.get("failed"):
        return "failed: %s" % result.get("msg", "")[:160]
    return None if result.get("valid") else "valid=%s" % result.get("valid")


def unchanged(count, enabled=None):
    """After a task that gave up: the state from before the task."""
    def check(emu, name):
        jobs = jobs_named(emu, name)
        if len(jobs) != count:
            return "%d jobs afterwards" % len(jobs)
        if enabled is not None and jobs[0].get("enabled") != enabled:
            return "the job was changed anyway"
        return None
    return check


def op(label, module, method, path, args, check, setup=None, after_give_up=None):
    """An operation: the module, the request to fault (method, path regex), its arguments, the check of its
    outcome, what to set up before it, and the check of the state after it gave up."""
    return dict(label=label, module=module, method=method, path=path, args=args, check=check, setup=setup,
                after_give_up=after_give_up or (lambda emu, name: None))


OPERATIONS = [
    op("logpush_job create", "logpush_job", "POST", r"/logpush/jobs$", dict(destination_conf=R2_DESTINATION),
       check_job(1), after_give_up=unchanged(0)),
    op("logpush_job update", "logpush_job", "PUT", r"/logpush/jobs/[0-9]+$",
       dict(destination_conf=R2_DESTINATION, enabled=True), check_job(1, enabled=True),
       setup=lambda emu, name: setup_job(emu, name), after_give_up=unchanged(1, enabled=False)),
    op("logpush_job delete", "logpush_job", "DELETE", r"/logpush/jobs/[0-9]+$", dict(state="absent"), check_job(0),
       setup=lambda emu, name: setup_job(emu, name), after_give_up=unchanged(1)),
    op("logpush_job nothing to change", "logpush_job", "GET", r"/logpush/jobs$",
       dict(destination_conf=R2_DESTINATION, enabled=True), check_job(1, enabled=True, changed=False),
       setup=lambda emu, name: setup_job(emu, name, enabled=True), after_give_up=unchanged(1, enabled=True)),
    op("logpush_job_info", "logpush_job_info", "GET", r"/logpush/jobs$", dict(), check_info,
       setup=lambda emu, name: setup_job(emu, name)),
    op("logpush_ownership request", "logpush_ownership", "POST", r"/logpush/ownership$",
       dict(destination_conf=S3_DESTINATION), check_request),
    op("logpush_ownership validate", "logpush_ownership", "POST", r"/logpush/ownership/validate$",
       dict(destination_conf=S3_DESTINATION), check_validate,
       setup=lambda emu, name: {"ownership_challenge": challenge_token(emu)}),
]


def fresh(emu):
    emu.reset()
    emu.bucket("bench-logs")
    emu.bucket("bench-challenge")


def module_case(ctx, operation, fault, give_up=False):
    """Run one operation under one fault; return None (survived, or gave up cleanly) or why not."""
    emu, ansible = ctx.emulator, ctx.ansible
    fresh(emu)
    name = "fault-case"
    args = dict(operation["args"], timeout=TIMEOUT)
    if operation["module"] != "logpush_ownership":
        args["name"] = name
    if operation["setup"]:
        args.update(operation["setup"](emu, name) or {})
    if give_up:
        args["max_retries"] = 2
        fault = dict(action="status", status=503, count=10)
    spec = dict(count=1, method=operation["method"], path=operation["path"])
    spec.update(fault)
    emu.fault(**spec)
    result = ansible.module(operation["module"], ansible.connection(**dict(args, **ansible.limiter_off())))
    if fault.get("action") == "delay":
        time.sleep(fault["delay"])  # let a delayed request land before looking: a late duplicate counts
    left = emu.faults()
    emu.clear_faults()
    if give_up:
        return operation["after_give_up"](emu, name) if result.get("failed") else "did not fail"
    why = operation["check"](emu, name, result)
    if why is None and left:
        why = "the fault was never met"
    return why


def role_cases(ctx):
    """The role under each fault at each of its requests; returns [(operation, fault, why)].

    Each case has its own zone, and its fault is armed on that zone's path, so the cases run side by side
    (one host each, forks 4) in one playbook.
    """
    emu, ansible = ctx.emulator, ctx.ansible
    points = [
        ("first run: its ownership request", "POST", "/logpush/ownership$", False),
        ("first run: its token validation", "POST", "/logpush/ownership/validate$", False),
        ("first run: the job's create", "POST", "/logpush/jobs$", False),
        ("re-run: its look-up of the job", "GET", "/logpush/datasets/http_requests/jobs$", True),
    ]
    fresh(emu)
    cases, hosts = [], {}
    for point, method, path, rerun in points:
        for fault_name, fault in FAULTS:
            host, zone = "case%02d" % len(cases), zone_id("fa17", len(cases))
            emu.add_zone(host + ".example", zone)
            if rerun:  # the job as the role's first run leaves it
                destination = "s3://bench-challenge/%s/{DATE}?region=us-east-1" % host
                token = challenge_token(emu, zone, destination)
                emu.create_job(zone, {"name": "bench-role-fault", "dataset": "http_requests", "enabled": True,
                                      "destination_conf": destination, "ownership_challenge": token})
            emu.fault(**dict(fault, method=method, path="/zones/%s%s" % (zone, path), count=1))
            cases.append(dict(host=host, zone=zone, point=point, fault_name=fault_name, rerun=rerun))
            hosts[host] = {"case_zone_id": zone}
    out = os.path.join(ansible.work, "role-faults.json")
    if os.path.exists(out):
        os.remove(out)
    rc, _, _ = ansible.playbook(os.path.join(PLAYBOOKS, "role_faults.yml"), "faults-role",
                                dict(results_file=out, bench_timeout=TIMEOUT, **ansible.limiter_off_vars()),
                                inventory=ansible.inventory_of("role-faults", hosts), forks=4)
    time.sleep(TIMEOUT + 1)  # let delayed requests land before looking
    if not os.path.exists(out):
        raise RuntimeError("the role fault playbook wrote no outcomes (rc %d, see %s/faults-role.log)"
                           % (rc, ansible.logs))
    with open(out) as source:
        outcomes = json.load(source)
    left = [f["path"] for f in emu.faults()]
    emu.clear_faults()
    rows = []
    for case in cases:
        outcome = outcomes.get(case["host"]) or {"failed": True, "msg": "no outcome"}
        jobs = emu.api("GET", "/zones/%s/logpush/jobs" % case["zone"])["result"]
        why = None
        if outcome["failed"]:
            why = "failed: %s" % re.sub(r"\s+", " ", str(outcome.get("msg", "")))[:160]
        elif [j.get("enabled") for j in jobs] != [True]:
            why = "jobs afterwards (enabled or not): %s" % [j.get("enabled") for j in jobs]
        elif any(case["zone"] in path for path in left):
            why = "the fault was never met"
        elif case["rerun"] and outcome["changed"]:
            why = "the re-run changed something"
        rows.append(("role " + case["point"], case["fault_name"], why))
    return rows


def run(ctx):
    section = Section("faults", "benchmarks/run.sh faults")
    heading("Fault matrix", section.command)
    results = []
    for operation in OPERATIONS:
        for fault_name, fault in FAULTS:
            results.append((operation["label"], fault_name, module_case(ctx, operation, fault)))
    results += role_cases(ctx)
    rows = [[label] + [("ok" if why is None else "FAIL") for o, _, why in results if o == label]
            for label in dict.fromkeys(o for o, _, _ in results)]
    table(["operation"] + [f for f, _ in FAULTS], rows)
    failures = [(o, f, why) for o, f, why in results if why is not None]
    for o, f, why in failures:
        print("- %s, %s: %s" % (o, f, why))
    give_ups = [(o["label"], module_case(ctx, o, {}, give_up=True)) for o in OPERATIONS]
    print("\nA fault that outlasts the retries (503 x 10, max_retries 2): the task fails and nothing is created, "
          "changed or duplicated:")
    table(["operation", "result"], [(o, "fails cleanly" if why is None else "NO: " + why) for o, why in give_ups])
    print("\nModule cases: the module run as on the host (`python -m ansible_collections...<module> args.json`, "
          "timeout %d). Role cases: `ansible-playbook benchmarks/playbooks/role_faults.yml`." % TIMEOUT)
    survived = len(results) - len(failures)
    clean = sum(1 for _, why in give_ups if why is None)
    ctx.results["faults"] = dict(cases=results, give_ups=give_ups)
    section.row("faults: %d faults x (7 module operations + 4 role request points)" % len(FAULTS),
                "%d / %d survived" % (survived, len(results)), "all", survived == len(results))
    by_op = collections.Counter(o for o, _, _ in failures)
    if by_op:
        section.note("faults: not survived: %s."
                     % "; ".join("%s %d/%d" % (o, n, len(FAULTS)) for o, n in by_op.items()))
    if any("ownership" in o for o in by_op):
        section.note("faults: the ownership request and validation are POSTs, which the client retries only on 429 "
                     "(a POST may have taken effect). Both are safe to repeat: a validation only reads, and a "
                     "repeated request writes one more challenge file, whose token is as valid as the first. "
                     "Retrying them like GET would make the role's first run survive these faults too.")
    section.row("faults: retries run out (503 x 10, max_retries 2)", "%d / %d fail cleanly" % (clean, len(give_ups)),
                "all", clean == len(give_ups))
    return section
