"""Fleet: N zones with 2 jobs each, created and then converged again with forks, under a rate limit.

The emulator enforces Cloudflare's limit scaled down (default 120 requests per 30 s instead of 1,200 per
300 s: the same 4 requests per second, a tenth of the burst), so the run must pace itself.

* before: rate_limit: 0 (the shared limiter off); only 429 answers with Retry-After pace the run.
* after:  rate_limit / rate_limit_window equal to the emulator's limit: the modules share one token bucket
  (a file under Ansible's remote tmp) and should never see a 429.

Cloudflare itself blocks every call for 5 minutes once the limit is passed; the emulator only refuses
until its window ends, so each 429 counted here would cost more on Cloudflare.
"""
import os
import shutil

from common import PLAYBOOKS, Section, heading, recap, table, zone_id

ZONE_PREFIX = "f1ee"


def phase(ctx, label, limiter, hosts):
    """Create then converge; return one dict per run."""
    args, emu, ansible = ctx.args, ctx.emulator, ctx.ansible
    emu.reset()
    emu.bucket("bench-fleet")
    for i in range(args.zones):
        emu.add_zone("z%03d.example" % i, zone_id(ZONE_PREFIX, i))
    emu.rate_limit(args.rate_limit, args.rate_window)
    tmp = os.path.join(ansible.work, "fleet-tmp-%s" % label)  # a fresh token bucket for each phase
    shutil.rmtree(tmp, ignore_errors=True)
    extra = {"bench_rate_limit": args.rate_limit if limiter else 0, "bench_rate_window": args.rate_window}
    runs = []
    for run in ("create", "converge"):
        emu.clear_requests()
        rc, seconds, output = ansible.playbook(os.path.join(PLAYBOOKS, "fleet.yml"), "fleet-%s-%s" % (label, run),
                                               extra, inventory=hosts, forks=args.forks,
                                               env={"ANSIBLE_REMOTE_TMP": tmp})
        log = emu.requests()
        totals = recap(output)
        limited = sum(1 for r in log if r["status"] == 429)
        runs.append(dict(phase=label, run=run, rc=rc, seconds=seconds, requests=len(log), limited=limited,
                         answered=len(log) - limited, failed=totals["failed"] + totals["unreachable"],
                         changed=totals["changed"], hosts=totals["hosts"]))
    jobs = [j for j in emu.jobs() if j.get("name", "").startswith("z")]
    runs[-1]["jobs"] = len(jobs)
    runs[-1]["enabled"] = sum(1 for j in jobs if j.get("enabled"))
    return runs


def run(ctx):
    args = ctx.args
    command = ("benchmarks/run.sh fleet --zones %d --forks %d --rate-limit %d --rate-window %d"
               % (args.zones, args.forks, args.rate_limit, args.rate_window))
    section = Section("fleet", command)
    heading("Fleet: %d zones x 2 jobs, forks %d, emulator limit %d requests / %d s"
            % (args.zones, args.forks, args.rate_limit, args.rate_window), command)
    hosts = ctx.ansible.inventory_of("fleet-zones", dict(
        ("z%03d.example" % i, {"fleet_zone_id": zone_id(ZONE_PREFIX, i)}) for i in range(args.zones)))
    runs = phase(ctx, "before", False, hosts) + phase(ctx, "after", True, hosts)
    jobs = 2 * args.zones
    rows = []
    for r in runs:
        rows.append(("%s: %s" % (r["phase"], r["run"]), "%.0f" % r["seconds"], r["requests"], r["limited"],
                     "%.2f" % (r["answered"] / float(jobs)), r["changed"], r["failed"],
                     "%s/%s" % (r.get("enabled", ""), r.get("jobs", "")) if "jobs" in r else ""))
    table(["phase: run", "wall s", "requests", "429s", "answered requests per job", "changed", "failed tasks",
           "jobs enabled/existing"], rows)
    print("\nbefore: rate_limit 0 (the modules' own limiter off); after: rate_limit %d, rate_limit_window %d. "
          "Each run: `ansible-playbook -i fleet-zones.yml -f %d benchmarks/playbooks/fleet.yml` (in %s)."
          % (args.rate_limit, args.rate_window, args.forks, ctx.ansible.work))
    ctx.results["fleet"] = runs
    if args.rate_limit:
        rate = args.rate_limit / float(args.rate_window)
        print("At %.1f requests per second, create (2 requests per job) needs at least %.0f s and the re-run "
              "(1 per job) %.0f s." % (rate, 2 * jobs / rate, jobs / rate))
    section.note("fleet: the emulator refuses requests past its limit only until its window ends (here at most %d s); "
                 "Cloudflare blocks every call for 5 minutes, so on Cloudflare each burst of 429s in 'before' would "
                 "cost up to 5 minutes." % args.rate_window)
    for label in ("before", "after"):
        create, converge = [r for r in runs if r["phase"] == label]
        failed = create["failed"] + converge["failed"]
        section.row("fleet %s (rate_limit %s): %d zones x 2 jobs, forks %d, emulator %d req / %d s"
                    % (label, args.rate_limit if label == "after" else 0, args.zones, args.forks,
                       args.rate_limit, args.rate_window),
                    "create %.0f s, re-run %.0f s; %d failed tasks; 429s %d + %d; re-run %.2f requests per job"
                    % (create["seconds"], converge["seconds"], failed, create["limited"], converge["limited"],
                       converge["answered"] / float(jobs)),
                    "0 failed, 1 request per job%s" % ("; no 429" if label == "after" else ""),
                    failed == 0 and converge["answered"] == jobs and converge["changed"] == 0
                    and (label == "before" or create["limited"] + converge["limited"] == 0))
    return section
