"""Bad inputs: the modules' cases counted in the integration tests, and the role's measured here.

The modules' cases live in tests/integration/targets/logpush_job/tasks/bad_inputs*.yml (one `{case: ...}` per
case; `make test` checks that each fails with its message and sends no write). The role had none, so this
section runs the role with bad input, one host and one zone per case: each must fail, and the emulator's
request log must hold no write for that case's zone (a write is anything but GET and the validations, which
are reads sent as POST; an ownership request writes a file, so it counts).
"""
import json
import os
import re

from common import ACCOUNT_ID, PLAYBOOKS, ROOT, Section, heading, r2, table, zone_id

TARGET = os.path.join(ROOT, "tests", "integration", "targets", "logpush_job", "tasks")
S3 = "s3://bench-challenge/bad/{DATE}?region=us-east-1"
R2 = r2("bench-logs", "bad")

# (case, the role's variables for it); each case also gets its own zone unless it sets job_setup_zone_id
ROLE_CASES = [
    ("no job_setup_name", {"job_setup_destination_conf": R2}),
    ("no job_setup_destination_conf", {"job_setup_name": "bad"}),
    ("destination with a malformed scheme", {"job_setup_name": "bad", "job_setup_destination_conf": "1ftp://logs/x"}),
    ("job_setup_enabled not a boolean", {"job_setup_name": "bad", "job_setup_destination_conf": R2,
                                         "job_setup_enabled": "maybe"}),
    ("job_setup_output_options not a dict", {"job_setup_name": "bad", "job_setup_destination_conf": R2,
                                             "job_setup_output_options": "RayID"}),
    ("unknown dataset", {"job_setup_name": "bad", "job_setup_destination_conf": R2,
                         "job_setup_dataset": "http_request"}),
    ("account dataset on a zone, AWS S3 destination (challenge)",
     {"job_setup_name": "bad", "job_setup_destination_conf": S3, "job_setup_dataset": "audit_logs"}),
    ("unknown output field", {"job_setup_name": "bad", "job_setup_destination_conf": R2,
                              "job_setup_output_options": {"field_names": ["RayId"]}}),
    ("filter without where", {"job_setup_name": "bad", "job_setup_destination_conf": R2,
                              "job_setup_filter": {"key": "ClientCountry", "operator": "eq", "value": "ca"}}),
    ("zone id that is not an id", {"job_setup_name": "bad", "job_setup_destination_conf": R2,
                                   "job_setup_zone_id": "example.com"}),
    ("a wrong ownership token of yours (AWS S3)", {"job_setup_name": "bad", "job_setup_destination_conf": S3,
                                                   "job_setup_ownership_challenge": "abc.def.ghi"}),
    ("zone and account both", {"job_setup_name": "bad", "job_setup_destination_conf": R2,
                               "job_setup_account_id": ACCOUNT_ID}),
]


def module_cases():
    counts = {}
    for name in sorted(os.listdir(TARGET)):
        if name.startswith("bad_inputs") and name.endswith(".yml"):
            with open(os.path.join(TARGET, name)) as source:
                counts[name] = len(re.findall(r"\{case:", source.read()))
    return counts


def is_write(request):
    return request["method"] != "GET" and not re.search(r"/(ownership/validate|validate/)", request["path"])


def run(ctx):
    section = Section("badinputs", "benchmarks/run.sh badinputs")
    heading("Bad inputs", section.command)
    emu, ansible = ctx.emulator, ctx.ansible
    counts = module_cases()
    table(["file (tests/integration/targets/logpush_job/tasks/)", "cases"], sorted(counts.items()))
    emu.reset()
    for bucket in ("bench-logs", "bench-challenge"):
        emu.bucket(bucket)
    emu.clear_requests()
    hosts, scopes = {}, []
    for i, (_, variables) in enumerate(ROLE_CASES):
        variables = dict(variables)
        if "job_setup_zone_id" not in variables:
            variables["job_setup_zone_id"] = zone_id("bad0", i)
            emu.add_zone("bad%d.example" % i, variables["job_setup_zone_id"])
        scopes.append(variables["job_setup_zone_id"])
        hosts["case%02d" % i] = variables
    inventory = ansible.inventory_of("role-bad-inputs", hosts)
    out = os.path.join(ansible.work, "role-bad-inputs.json")
    if os.path.exists(out):
        os.remove(out)
    ansible.playbook(os.path.join(PLAYBOOKS, "role_bad_inputs.yml"), "badinputs-role",
                     dict(results_file=out, **ansible.limiter_off_vars()), inventory=inventory, forks=4)
    with open(out) as source:
        outcomes = json.load(source)
    log = emu.requests()
    rows, refused = [], 0
    for i, (case, _) in enumerate(ROLE_CASES):
        outcome = outcomes.get("case%02d" % i) or {"failed": False, "msg": "no outcome"}
        writes = [r for r in log if scopes[i] in r["path"] and is_write(r)]
        ok = outcome["failed"] and not writes
        refused += ok
        rows.append((case, "fails" if outcome["failed"] else "**does not fail**",
                     ", ".join("%s %s" % (r["method"], r["path"].split("/logpush")[-1]) for r in writes) or "none",
                     re.sub(r"\s+", " ", outcome.get("msg", ""))[:140]))
    print()
    table(["role case", "outcome", "writes sent", "message"], rows)
    print("\nRole cases: `ansible-playbook -i role-bad-inputs.yml benchmarks/playbooks/role_bad_inputs.yml` (in %s)."
          % ansible.work)
    total = sum(counts.values())
    ctx.results["badinputs"] = dict(module_cases=counts, role=rows)
    section.row("bad inputs: module cases in the integration tests (fail, no write; run by make test)",
                "%d" % total, "", None)
    section.row("bad inputs: role cases (fail before any write)", "%d / %d" % (refused, len(ROLE_CASES)), "all",
                refused == len(ROLE_CASES))
    return section
