"""API requests per operation, from the emulator's request log, beside Cloudflare's cURL example ("seed cURL").

Cloudflare's cURL example (developers.cloudflare.com/logs/logpush/examples/example-logpush-curl/) sends one request per step: challenge POST,
create POST, enable PUT, get GET, delete DELETE. It never looks before it writes, so running it twice
creates a second job.
"""
import os

from common import PLAYBOOKS, ZONE_ID, Section, heading, table

# (bench_op, what it is, the requests of Cloudflare's cURL example for the same work, and how they add up)
OPERATIONS = [
    ("create", "logpush_job, create (R2)", 1, "create POST"),
    ("noop", "logpush_job, nothing to change", None, "no such step: it never reads first"),
    ("create_fields", "logpush_job, create with output field names", 1, "create POST"),
    ("update", "logpush_job, update (enable)", 1, "enable PUT"),
    ("delete", "logpush_job, delete", 1, "delete DELETE"),
    ("role", "role job_setup, first run (AWS S3: challenge, token from the bucket, create enabled)", 3,
     "challenge POST + create POST + enable PUT"),
    ("role_again", "role job_setup, re-run", 3, "the same 3 again, and a duplicate job"),
]


def describe(log):
    return " ".join("%s %s" % (r["method"], r["path"].split("/client/v4")[-1].replace(
        "/zones/" + ZONE_ID, "").replace("/logpush", "")) for r in log)


def run(ctx):
    section = Section("requests", "benchmarks/run.sh requests")
    heading("API requests per operation", section.command)
    emu, ansible = ctx.emulator, ctx.ansible
    emu.reset()
    for bucket in ("bench-logs", "bench-challenge"):
        emu.bucket(bucket)
    rows, measured, methods, validations = [], {}, {}, {}
    for op, label, seed, seed_how in OPERATIONS:
        emu.clear_requests()
        rc, _, _ = ansible.playbook(os.path.join(PLAYBOOKS, "requests.yml"), "requests-" + op,
                                    {"bench_op": "role" if op == "role_again" else op})
        log = emu.requests()
        measured[op] = len(log) if rc == 0 else None
        methods[op] = {r["method"] for r in log}
        validations[op] = sum(1 for r in log if r["path"].endswith("/ownership/validate"))
        rows.append((label, len(log) if rc == 0 else "failed (rc %d)" % rc, describe(log),
                     "-" if seed is None else seed, seed_how))
    table(["operation", "requests", "which", "seed cURL", "seed's steps"], rows)
    print("\nEach run: `ansible-playbook benchmarks/playbooks/requests.yml -e bench_op=<op>`; the count is "
          "GET /__emulator/requests after DELETE /__emulator/requests (logs in %s)." % ansible.logs)
    section.row("requests: logpush_job no-op / create / update / delete",
                "%s / %s / %s / %s (seed cURL: - / 1 / 1 / 1)" % tuple(
                    measured[k] for k in ("noop", "create", "update", "delete")),
                "as in the behaviour guide's table", measured["noop"] == 1 and measured["create"] == 3
                and measured["update"] == 2 and measured["delete"] == 2)
    section.row("requests: create with field names", "%s (seed cURL: 1)" % measured["create_fields"])
    section.row("requests: role first run / re-run (AWS S3 with challenge)",
                "%s / %s (seed cURL: 3 / 3, and a duplicate job)" % (measured["role"], measured["role_again"]),
                "re-run: reads only", methods["role_again"] == {"GET"})
    if validations["role"] > 1:
        section.note("requests: the role's first run validates the token %d times (its own check, then "
                     "logpush_job's before the create); one would do, for %d requests." % (
                         validations["role"], measured["role"] - validations["role"] + 1))
    ctx.results["requests"] = measured
    return section
