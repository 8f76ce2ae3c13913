"""Memory and start-up: peak RSS, wall time and import time of one module run, beside ansible.builtin.ping.

A playbook runs each module once with ANSIBLE_KEEP_REMOTE_FILES=1, which leaves the AnsiballZ payload
(the module, its module_utils and its arguments, as Ansible ships it to the host). Each payload is then
run again as a child process, --repeats times: the peak RSS comes from os.wait4's rusage (ru_maxrss of
that child alone), and the import time from as many runs under `python -X importtime` (medians). The
split of the import time between packages is only a hint: a module imported by two packages counts for
the first.
"""
import glob
import os
import re
import shutil
import subprocess
import time

from common import PLAYBOOKS, PYTHON, Section, heading, median, r2, table

MODULES = [("logpush_job", "logpush_job, nothing to change"), ("logpush_job_info", "logpush_job_info, one zone"),
           ("ping", "ansible.builtin.ping (floor)")]
# packages whose import time is worth showing (cumulative, wherever they are imported from)
WATCHED = {"requests": "requests", "ansible.module_utils.basic": "module_utils.basic",
           "ansible_collections.cloudflare_community.logpush.plugins.module_utils._module": "our _module",
           "ansible_collections.cloudflare_community.logpush.plugins.module_utils._job": "our _job",
           "ansible_collections.cloudflare_community.logpush.plugins.module_utils._job_input": "our _job_input",
           "ansible_collections.cloudflare_community.logpush.plugins.module_utils._job_plan": "our _job_plan",
           "ansible_collections.cloudflare_community.logpush.plugins.module_utils._filter": "our _filter"}
IMPORT_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)")


def run_child(command, env):
    """(seconds, peak RSS in MiB, stderr) of one child process."""
    start = time.perf_counter()
    child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stderr = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - start, usage.ru_maxrss / 1024.0, stderr.decode(errors="replace"), child.returncode


def imports(stderr):
    """Total import time (ms, the sum over top-level imports) and {package: cumulative ms} for WATCHED ones."""
    total, named = 0.0, {}
    for line in stderr.splitlines():
        match = IMPORT_LINE.match(line)
        if not match:
            continue
        cumulative, name = int(match.group(2)) / 1000.0, match.group(4)
        if not match.group(3):
            total += cumulative
        if name in WATCHED:
            named[WATCHED[name]] = named.get(WATCHED[name], 0) + cumulative
    return total, named


def run(ctx):
    repeats = max(ctx.args.repeats, 5)
    section = Section("startup", "benchmarks/run.sh startup")
    heading("Memory and start-up of one module run", section.command)
    emu, ansible = ctx.emulator, ctx.ansible
    emu.reset()
    emu.bucket("bench-logs")
    emu.create_job(ansible.vars["zone_id"], {"name": "startup", "destination_conf": r2("bench-logs", "startup")})
    keep = os.path.join(ansible.work, "startup-tmp")
    shutil.rmtree(keep, ignore_errors=True)
    rc, _, _ = ansible.playbook(os.path.join(PLAYBOOKS, "startup.yml"), "startup",
                                env={"ANSIBLE_KEEP_REMOTE_FILES": "1", "ANSIBLE_REMOTE_TMP": keep})
    if rc != 0:
        raise RuntimeError("the start-up playbook failed (see %s/startup.log)" % ansible.logs)
    env = dict(ansible.env, ANSIBLE_REMOTE_TMP=keep)
    rows, figures = [], {}
    for name, label in MODULES:
        payload = glob.glob(os.path.join(keep, "ansible-tmp-*", "AnsiballZ_%s.py" % name))[0]
        runs = [run_child([PYTHON, payload], env) for _ in range(repeats)]
        failed = [r for r in runs if r[3] != 0]
        timed = [imports(run_child([PYTHON, "-X", "importtime", payload], env)[2]) for _ in range(repeats)]
        total_imports = median([t for t, _ in timed])
        packages = dict((k, median([n.get(k, 0) for _, n in timed])) for k in timed[0][1])
        figures[name] = dict(seconds=median([r[0] for r in runs]), rss=max(r[1] for r in runs),
                             imports=total_imports, packages=packages, failed=len(failed))
        heaviest = ", ".join("%s %.0f" % kv for kv in sorted(packages.items(), key=lambda kv: -kv[1]))
        rows.append((label, "%.0f" % (figures[name]["seconds"] * 1000), "%.1f" % figures[name]["rss"],
                     "%.0f" % total_imports, heaviest, "%d/%d" % (len(failed), repeats)))
    table(["module run (AnsiballZ payload)", "wall ms (median)", "peak RSS MiB", "import ms",
           "of which (ms, cumulative)", "failed runs"], rows)
    print("\nPayloads from `ANSIBLE_KEEP_REMOTE_FILES=1 ansible-playbook benchmarks/playbooks/startup.yml`; "
          "`python AnsiballZ_<module>.py` and `python -X importtime AnsiballZ_<module>.py`, %d times each; "
          "medians." % repeats)
    ours, floor = figures["logpush_job"], figures["ping"]
    extra_ms = (ours["seconds"] - floor["seconds"]) * 1000
    print("logpush_job costs %.0f ms more than ping in the module process, %.0f ms of it in imports."
          % (extra_ms, ours["imports"] - floor["imports"]))
    speed = ctx.results.get("speed")
    if speed:
        task_extra = (speed["per_task"]["logpush_job"] - speed["per_task"]["ping (floor)"]) * 1000
        print("In the speed run a logpush_job task cost %.0f ms more than a ping task: %.0f ms in the module "
              "process, the other %.0f ms on the controller (module_defaults, templating, the larger payload "
              "and result)." % (task_extra, extra_ms, task_extra - extra_ms))
        ctx.results["startup_split"] = dict(task_extra_ms=task_extra, module_extra_ms=extra_ms)
        uri = speed["per_task"]["uri baseline"] / speed["per_task"]["ping (floor)"]
        controller = task_extra - extra_ms
        where = ("%.0f ms of it in the module process and %.0f ms on the controller" % (extra_ms, controller)
                 if controller > 0 else "all of it in the module process (run alone, its payload takes %.0f ms "
                 "longer than ping's)" % extra_ms)
        section.note("speed: a logpush_job task costs %.0f ms more than a ping task, %s; 1.3 x the floor allows "
                     "%.0f ms. The module process imports requests and urllib3 (about %.0f ms), builds its "
                     "argument spec and sends one API request. The uri baseline, one HTTP request per task, is "
                     "itself %.2f x the floor." % (task_extra, where, 0.3 * speed["per_task"]["ping (floor)"] * 1000,
                                                   ours["packages"].get("requests", 0), uri))
    ctx.results["startup"] = figures
    section.row("start-up: one logpush_job run (AnsiballZ payload), wall / peak RSS / imports",
                "%.0f ms / %.1f MiB / %.0f ms (ping: %.0f ms / %.1f MiB / %.0f ms)" % (
                    ours["seconds"] * 1000, ours["rss"], ours["imports"], floor["seconds"] * 1000, floor["rss"],
                    floor["imports"]))
    info = figures["logpush_job_info"]
    section.row("start-up: one logpush_job_info run, wall / peak RSS / imports",
                "%.0f ms / %.1f MiB / %.0f ms" % (info["seconds"] * 1000, info["rss"], info["imports"]))
    return section
