"""make bench: every figure of the collection, against the emulator on loopback, and one summary table.

    benchmarks/run.sh [section ...] [--zones N] [--repeats N] ...   (starts the emulator, then this)
    .venv/bin/python benchmarks/bench.py --emulator URL --s3 URL [section ...]

Sections: requests speed fleet fleetsets controllers startup (default: all, in this order). They measure; what
the collection must do (faults, check mode, bad inputs, secrets) is asserted by the tests (make test).
Each prints its figures and the command that produced them; the summary (markdown) goes to stdout and to
.run/bench/summary.md. A benchmark measures and prints: it asserts no timing, and exits 0 unless a
section could not run at all.
"""
import argparse
import datetime
import importlib
import json
import os
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import ROOT, Ansible, Emulator, machine  # noqa: E402

# section name -> the file (benchmarks/bench_<file>.py) whose run(ctx) measures it
SECTIONS = {
    "requests": "requests",
    "speed": "speed",
    "fleet": "fleet",
    "fleetsets": "fleet_sets",
    "controllers": "controllers",
    "startup": "startup",
}


class Context(object):
    def __init__(self, args):
        self.args = args
        self.emulator = Emulator(args.emulator, args.s3)
        self.ansible = Ansible(args.build_dir, args.work_dir, self.emulator)
        self.results = {}


def summary(sections, args, seconds):
    mark = {True: "yes", False: "**no**", None: ""}
    lines = [
        "### Benchmarks (`make bench`)",
        "",
        "%s; %s; ansible-core %s; command: `%s`; %.0f s in all." % (
            datetime.datetime.now().strftime("%Y-%m-%d %H:%M"), machine(), ansible_version(), args.command, seconds),
        "",
        "| figure | result | goal | met |",
        "|---|---|---|---|",
    ]
    for section in sections:
        for figure, result, goal, met in section.rows:
            lines.append("| %s | %s | %s | %s |" % (figure, result, goal, mark[met]))
    notes = [n for s in sections for n in s.notes]
    if notes:
        lines += [""] + ["- %s" % n for n in notes]
    return "\n".join(lines)


def ansible_version():
    try:
        from ansible.release import __version__
        return __version__
    except ImportError:
        return "unknown"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sections", nargs="*", default=[], help="sections to run (default: all)")
    parser.add_argument("--emulator", required=True, help="the emulator's root URL")
    parser.add_argument("--s3", required=True, help="the emulator's S3 endpoint URL")
    parser.add_argument("--build-dir", default=os.path.join(ROOT, ".build-bench"),
                        help="where the collection is staged")
    parser.add_argument("--work-dir", default=os.path.join(ROOT, ".run", "bench"), help="logs and generated files")
    parser.add_argument("--zones", type=int, default=100, help="fleet: zones (2 jobs each)")
    parser.add_argument("--forks", type=int, default=10, help="fleet, fleetsets: forks")
    parser.add_argument("--rate-limit", type=int, default=120, help="fleet: the emulator's requests per window")
    parser.add_argument("--rate-window", type=int, default=30, help="fleet: the window, seconds")
    parser.add_argument("--set-zones", type=int, default=300,
                        help="fleetsets: zones (3 jobs each); 300 fit in about ten minutes on 2 cores")
    parser.add_argument("--set-rate-limit", type=int, default=1200,
                        help="fleetsets: the emulator's and the modules' requests per window")
    parser.add_argument("--set-rate-window", type=int, default=30, help="fleetsets: the window, seconds")
    parser.add_argument("--ctl-rate-limit", type=int, default=60,
                        help="controllers: the emulator's requests per window")
    parser.add_argument("--ctl-rate-window", type=int, default=20, help="controllers: the window, seconds")
    parser.add_argument("--ctl-block", type=int, default=20, help="controllers: seconds refused past the limit")
    parser.add_argument("--ctl-hosts", type=int, default=5, help="controllers: local hosts (and forks) of each")
    parser.add_argument("--ctl-zones", type=int, default=8, help="controllers: zones each read reads (a request each)")
    parser.add_argument("--ctl-reads", type=int, default=3, help="controllers: reads per host")
    parser.add_argument("--tasks", type=int, default=50, help="speed: tasks per playbook")
    parser.add_argument("--repeats", type=int, default=3, help="speed, startup: runs of each variant (median)")
    parser.add_argument("--command", default="benchmarks/run.sh", help="the command shown in the summary")
    args = parser.parse_args()
    names = args.sections or list(SECTIONS)
    unknown = [n for n in names if n not in SECTIONS]
    if unknown:
        parser.error("unknown section %s; choose from %s" % (", ".join(unknown), ", ".join(SECTIONS)))
    os.makedirs(args.work_dir, exist_ok=True)
    ctx = Context(args)
    start = time.perf_counter()
    sections, broken, took = [], [], []
    for name in names:
        began = time.perf_counter()
        try:
            module = importlib.import_module("bench_" + SECTIONS[name])
            sections.append(module.run(ctx))
        except Exception:  # a section that cannot run is reported, and the others still run
            traceback.print_exc()
            broken.append(name)
        took.append("%s %.0f s" % (name, time.perf_counter() - began))
        print("\n(%s)" % took[-1], flush=True)
    text = summary(sections, args, time.perf_counter() - start) + "\n\nTime per section: %s." % ", ".join(took)
    if broken:
        text += "\n\nSections that could not run: %s (see the traceback above)." % ", ".join(broken)
    print("\n" + text)
    with open(os.path.join(args.work_dir, "summary.md"), "w") as out:
        out.write(text + "\n")
    with open(os.path.join(args.work_dir, "results.json"), "w") as out:
        json.dump(ctx.results, out, indent=1, default=str)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main())
