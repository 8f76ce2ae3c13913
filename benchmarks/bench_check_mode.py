"""Check mode accuracy: for each scenario, the check-mode run's `changed` and diff equal the real run's.

Scenarios: create, nothing to change, update, move (a new destination of the same kind), recreate (a new
dataset, recreate=true) and delete, for every kind of destination the emulator checks (R2, AWS S3 with a
challenge, S3 with keys, S3-compatible, HTTPS, Splunk, Datadog, Google Cloud Storage, Azure, Sumo Logic);
logpush_ownership request and validate; and the role (R2 first run and re-run, AWS S3 first run). Each
scenario runs in check mode with --diff, then for real with --diff, on the same state. The only difference
allowed is the id of a job that check mode cannot know (null in check mode).
"""
import json
import os

from common import PLAYBOOKS, ZONE_ID, Section, heading, r2, table


def destinations(emu):
    """kind -> (destination for a path, whether it needs a challenge)"""
    s3_host = emu.s3_url.split("://", 1)[1]
    receiver = "https://%s/__emulator/receiver/bench" % emu.url.split("://", 1)[1]
    return [
        ("r2", lambda p: r2("bench-logs", p), False),
        ("s3 (challenge)", lambda p: "s3://bench-challenge/%s?region=us-east-1" % p, True),
        ("s3 with keys", lambda p: "s3://bench-compat/%s?region=us-east-1&access-key-id=k-id&secret-access-key=k-s" % p,
         False),
        ("s3-compatible", lambda p: "s3://bench-compat/%s?region=us-east-1&access-key-id=c-id&secret-access-key=c-s"
         "&endpoint=%s" % (p, s3_host), False),
        ("https", lambda p: "%s?path=%s&header_Authorization=Bearer%%20bench" % (receiver, p), False),
        ("splunk", lambda p: "splunk://splunk.example.com:8088/services/collector/raw?channel=FE0ECFAD-13D5-401B-847D-"
         "77833BD77131&header_Authorization=Splunk%%20bench&source=%s" % p, False),
        ("datadog", lambda p: "datadog://http-intake.logs.datadoghq.com/api/v2/logs?header_DD-API-KEY=bench&service=%s"
         % p, False),
        ("gcs", lambda p: "gs://bench-gcs/%s" % p, True),
        ("azure", lambda p: "azure://bench-container/%s?sv=2022-11-02&ss=b&srt=o&sp=w&sig=bench-sig" % p, True),
        ("sumo logic", lambda p: "sumo://endpoint1.collection.sumologic.com/receiver/v1/http/bench"
         + p.replace("-", ""), True),
    ]


def token_for(emu, destination):
    answer = emu.api("POST", "/zones/%s/logpush/ownership" % ZONE_ID, {"destination_conf": destination})
    name = answer["result"]["filename"]
    return next(f["token"] for f in emu.ownership_files() if f["filename"] == name)


def comparable(result):
    """What check mode must predict: changed, failed, and the diff (the id of a new job aside)."""
    diff = json.loads(json.dumps(result.get("diff") or {}))
    after, before = diff.get("after"), diff.get("before") or {}
    if isinstance(after, dict) and after.get("id") != before.get("id"):
        after["id"] = None  # a new job: Cloudflare gives the id
    return dict(changed=bool(result.get("changed")), failed=bool(result.get("failed")), diff=diff)


def job(name, destination, tokens, **extra):
    """logpush_job's arguments for this job, with the ownership token its destination needs, if any."""
    args = dict(name=name, destination_conf=destination, **extra)
    if destination in tokens:
        args["ownership_challenge"] = tokens[destination]
    return args


def module_scenarios(ctx):
    emu, ansible = ctx.emulator, ctx.ansible
    results = []
    for kind, dest, challenge in destinations(emu):
        name = "cm-" + kind.split()[0].replace("(", "")
        first, moved = dest(name + "-a"), dest(name + "-b")
        tokens = {first: token_for(emu, first), moved: token_for(emu, moved)} if challenge else {}
        steps = [
            ("create", job(name, first, tokens)),
            ("nothing to change", job(name, first, tokens)),
            ("update", job(name, first, tokens, enabled=True, max_upload_interval_seconds=60,
                           filter={"where": {"key": "ClientCountry", "operator": "eq", "value": "ca"}})),
            ("move", job(name, moved, tokens)),
            ("recreate", job(name, moved, tokens, dataset="firewall_events", recreate=True)),
            ("delete", dict(name=name, state="absent")),
        ]
        for step, args in steps:
            args = ansible.connection(**dict(args, **ansible.limiter_off()))
            check = ansible.module("logpush_job", args, check=True)
            real = ansible.module("logpush_job", args)
            results.append(("logpush_job, %s: %s" % (kind, step), comparable(check), comparable(real)))
    s3 = "s3://bench-challenge/cm-ownership?region=us-east-1"
    args = ansible.connection(destination_conf=s3, **ansible.limiter_off())
    results.append(("logpush_ownership request", comparable(ansible.module("logpush_ownership", args, check=True)),
                    comparable(ansible.module("logpush_ownership", args))))
    args["ownership_challenge"] = token_for(emu, s3)
    results.append(("logpush_ownership validate", comparable(ansible.module("logpush_ownership", args, check=True)),
                    comparable(ansible.module("logpush_ownership", args))))
    return results


def role_scenarios(ctx):
    """The role, with --check --diff then --diff; compared: whether it changed anything, and the job task."""
    ansible = ctx.ansible
    results = []
    for label, scenario in (("role, R2: first run", "r2"), ("role, R2: re-run", "r2"),
                            ("role, AWS S3 with a challenge: first run", "s3")):
        outcomes = []
        for mode in ("check", "real"):
            out = os.path.join(ansible.work, "checkmode-role-%s.json" % mode)
            rc, _, output = ansible.playbook(
                os.path.join(PLAYBOOKS, "check_mode_role.yml"), "checkmode-role-%s-%s" % (scenario, mode),
                dict(scenario=scenario, results_file=out, **ansible.limiter_off_vars()),
                args=["--diff"] + (["--check"] if mode == "check" else []))
            with open(out) as source:
                job = json.load(source)
            job_diff = comparable(job) if not job.get("skipped") else None
            outcomes.append(dict(changed="changed=0" not in output.split("PLAY RECAP")[-1], failed=rc != 0,
                                 job_diff=job_diff if mode == "real" or job_diff else None))
        check, real = outcomes
        if check["job_diff"] is None:  # check mode could not run the job task (no token yet): compare changed
            real = dict(real, job_diff=None)
        results.append((label, check, real))
    return results


def run(ctx):
    section = Section("checkmode", "benchmarks/run.sh checkmode")
    heading("Check mode accuracy", section.command)
    emu = ctx.emulator
    emu.reset()
    emu.settings(job_limit=50)
    for bucket in ("bench-logs", "bench-challenge", "bench-compat"):
        emu.bucket(bucket)
    results = module_scenarios(ctx) + role_scenarios(ctx)
    # a scenario counts only when the real run did its work: two failures that agree prove nothing
    rows = [(label, check["changed"], real["changed"], "FAILED" if real["failed"] else "ok",
             "yes" if check == real and not real["failed"] else "**NO**") for label, check, real in results]
    table(["scenario", "check mode changed", "real changed", "real run", "same changed, failed and diff"], rows)
    for label, check, real in results:
        if check != real or real["failed"]:
            print("- %s:\n  check: %s\n  real:  %s" % (label, json.dumps(check)[:600], json.dumps(real)[:600]))
    print("\nModules: each scenario run as on the host with _ansible_check_mode and _ansible_diff, then without "
          "check mode. Role: `ansible-playbook --check --diff`, then `--diff`, of "
          "benchmarks/playbooks/check_mode_role.yml.")
    equal = sum(1 for _, c, r in results if c == r and not r["failed"])
    ctx.results["checkmode"] = results
    section.row("check mode: scenarios whose check run predicts the real run (changed, diff)",
                "%d / %d equal" % (equal, len(results)), "all", equal == len(results))
    return section
