"""Two controllers, one credential: 429 answers and wall time without the modules' limiter and with the default one.

Two ansible-playbook runs at once, each with its own ANSIBLE_REMOTE_TMP (its own limiter folder, as on two
machines: AWX nodes, CI runners, a laptop), share one API token against the emulator's limit
(--ctl-rate-limit requests per --ctl-rate-window seconds; past it, every call of the credential is refused
for --ctl-block seconds, as Cloudflare blocks for 5 minutes). Each controller reads the jobs of --ctl-zones
zones (logpush_job_info with zones:, one request per zone) --ctl-reads times from each of --ctl-hosts local
hosts, with forks equal to the hosts (playbooks/controller_reads.yml, max_retries 10). Several requests per
task keep what the two controllers ask for above the limit even on a loaded machine; with one request per
task, a busy machine's Ansible alone can stay under it.

* limiter off: rate_limit 0, no pacing; only the 429s' Retry-After slows the run.
* default limiter: rate_limit left out (1,200 per 300 s per host); since the Ratelimit headers, the modules
  keep what Cloudflare says is left of the credential's quota and wait for the reset when it falls to a
  reserve, so two controllers that know nothing of each other stay under the limit.

The integration target tests/integration/targets/pacing does a small version of this and asserts no 429.
"""
import json
import os
import shutil
import subprocess
import time

from common import ACCOUNT_ID, BIN, PLAYBOOKS, Section, heading, recap, table, zone_id

ZONE_PREFIX = "c7"


def controllers(ctx, label, rate_limit):
    """Both controllers at once; return the run's figures."""
    args, emu, ansible = ctx.args, ctx.emulator, ctx.ansible
    emu.admin("POST", "/rate-limit", {"limit": args.ctl_rate_limit, "window": args.ctl_rate_window,
                                      "block": args.ctl_block})
    emu.clear_requests()
    hosts = ansible.inventory_of("controller-hosts", dict(("h%d" % i, {}) for i in range(1, args.ctl_hosts + 1)))
    extra = {"bench_reads": args.ctl_reads, "bench_zones": [zone_id(ZONE_PREFIX, i) for i in range(args.ctl_zones)]}
    if rate_limit is not None:
        extra["bench_rate_limit"] = rate_limit
    running = []
    began = time.perf_counter()
    for name in ("a", "b"):
        tmp = os.path.join(ansible.work, "controller-tmp-%s-%s" % (label, name))
        shutil.rmtree(tmp, ignore_errors=True)
        vars_file = os.path.join(ansible.work, "vars-controller-%s-%s.json" % (label, name))
        with open(vars_file, "w") as out:
            json.dump(dict(ansible.vars, **extra), out)
        command = [os.path.join(BIN, "ansible-playbook"), "-i", hosts, "-e", "@" + vars_file, "-f",
                   str(args.ctl_hosts), os.path.join(PLAYBOOKS, "controller_reads.yml")]
        log = open(os.path.join(ansible.logs, "controller-%s-%s.log" % (label, name)), "w")
        log.write("$ ANSIBLE_REMOTE_TMP=%s %s\n" % (tmp, " ".join(command)))
        log.flush()
        process = subprocess.Popen(command, env=dict(ansible.env, ANSIBLE_REMOTE_TMP=tmp), cwd=ansible.work,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        running.append((name, process, log))
    each = {}
    for name, process, log in running:
        output, _ = process.communicate()
        each[name] = dict(seconds=time.perf_counter() - began, rc=process.returncode, recap=recap(output))
        log.write(output)
        log.close()
    seconds = time.perf_counter() - began
    answers = emu.requests()
    emu.rate_limit(0)
    limited = sum(1 for r in answers if r["status"] == 429)
    return dict(variant=label, rate_limit=rate_limit, seconds=seconds, requests=len(answers), limited=limited,
                answered=len(answers) - limited,
                failed=sum(e["recap"]["failed"] + e["recap"]["unreachable"] for e in each.values()),
                seconds_a=each["a"]["seconds"], seconds_b=each["b"]["seconds"])


def run(ctx):
    args = ctx.args
    command = ("benchmarks/run.sh controllers --ctl-rate-limit %d --ctl-rate-window %d --ctl-block %d "
               "--ctl-hosts %d --ctl-reads %d --ctl-zones %d" % (args.ctl_rate_limit, args.ctl_rate_window,
                                                                 args.ctl_block, args.ctl_hosts, args.ctl_reads,
                                                                 args.ctl_zones))
    section = Section("controllers", command)
    reads = 2 * args.ctl_hosts * args.ctl_reads * args.ctl_zones
    rate = args.ctl_rate_limit / float(args.ctl_rate_window)
    floor = reads / rate
    heading("Two controllers, one credential: 2 x %d hosts x %d reads of %d zones (forks %d each), emulator limit %d "
            "requests / %d s, block %d s" % (args.ctl_hosts, args.ctl_reads, args.ctl_zones, args.ctl_hosts,
                                             args.ctl_rate_limit, args.ctl_rate_window, args.ctl_block), command)
    emu = ctx.emulator
    emu.reset()
    emu.bucket("bench-controllers")
    for i in range(args.ctl_zones):
        emu.add_zone("c%d.example" % i, zone_id(ZONE_PREFIX, i))
        emu.create_job(zone_id(ZONE_PREFIX, i), {
            "name": "controllers-%d" % i, "dataset": "http_requests", "enabled": True,
            "destination_conf": "r2://bench-controllers/%d?account-id=%s&access-key-id=k&secret-access-key=s"
                                % (i, ACCOUNT_ID)})
    runs = [controllers(ctx, "limiter off", 0), controllers(ctx, "default limiter", None)]
    rows = []
    for r in runs:
        rows.append(("%s (%s)" % (r["variant"], "rate_limit 0" if r["rate_limit"] == 0 else
                                  "rate_limit left out: 1,200 / 300 s, pacing from the Ratelimit headers"),
                     r["limited"], r["answered"], r["requests"], "%.0f" % r["seconds"],
                     "%.0f / %.0f" % (r["seconds_a"], r["seconds_b"]), "%.0f" % floor, r["failed"]))
    table(["run", "429s", "answered", "requests", "wall s (both)", "wall s (a / b)", "floor s", "failed tasks"], rows)
    print("\nfloor = %d requests (one per zone read) / (%d / %d s). Each controller: `ANSIBLE_REMOTE_TMP=<its own> "
          "ansible-playbook -i controller-hosts.yml -f %d benchmarks/playbooks/controller_reads.yml` (in %s)."
          % (reads, args.ctl_rate_limit, args.ctl_rate_window, args.ctl_hosts, ctx.ansible.work))
    print("The emulator counts fixed windows and, past the limit, refuses for the block and then opens a fresh window: "
          "a run can end before the floor, as early as %.0f s (one window's quota at once, then a block or a wait per "
          "further window). The limiter keeps a reserve of each window (a twentieth of the quota, at least 10) for "
          "requests in flight elsewhere, so it uses fewer requests per window than the limit allows."
          % ((-(-reads // args.ctl_rate_limit) - 1) * min(args.ctl_rate_window, args.ctl_block)))
    ctx.results["controllers"] = dict(reads=reads, floor=floor, runs=runs)
    off, paced = runs
    section.row("two controllers, one credential, %d zone reads, emulator %d req / %d s, block %d s: limiter off "
                "(rate_limit 0) / default limiter (Ratelimit headers)"
                % (reads, args.ctl_rate_limit, args.ctl_rate_window, args.ctl_block),
                "429s %d / %d; wall %.0f s / %.0f s (floor %.0f s); failed tasks %d / %d"
                % (off["limited"], paced["limited"], off["seconds"], paced["seconds"], floor, off["failed"],
                   paced["failed"]),
                "default limiter: no 429, 0 failed",
                paced["limited"] == 0 and paced["failed"] == 0)
    return section
