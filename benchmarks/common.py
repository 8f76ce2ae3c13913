"""What every benchmark section shares: the emulator's admin API, running Ansible, and the results.

A section is a function ``run(ctx)`` that measures, prints its own figures and the command that
produced them, and returns a ``Section`` whose rows go into the summary table. Nothing here asserts a
timing: a benchmark measures and prints.
"""
import json
import os
import re
import statistics
import subprocess
import sys
import time

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HERE = os.path.join(ROOT, "benchmarks")
PLAYBOOKS = os.path.join(HERE, "playbooks")
PYTHON = os.path.join(ROOT, ".venv", "bin", "python")
BIN = os.path.dirname(PYTHON)

# the emulator's default token, zone and account: tests/emulator/defaults.py is their one place
sys.path.insert(0, os.path.join(ROOT, "tests"))
from emulator.defaults import ACCOUNT_ID, TOKEN, ZONE_ID  # noqa: E402  pylint: disable=wrong-import-position

COLLECTION = "cloudflare_community.logpush"


def r2(bucket, path, key="bench-key-id", secret="bench-secret"):
    """An R2 destination: needs no ownership challenge, and the emulator writes its test object to S3."""
    return ("r2://%s/%s?account-id=%s&access-key-id=%s&secret-access-key=%s"
            % (bucket, path, ACCOUNT_ID, key, secret))


def zone_id(prefix, index):
    """A 32-hex zone id, readable in the request log: prefix + zero-padded index."""
    return "%s%0*x" % (prefix, 32 - len(prefix), index)


class Section(object):
    """The rows a section adds to the summary: (figure, result, goal, met), met being True/False/None."""

    def __init__(self, name, command):
        self.name = name
        self.command = command
        self.rows = []
        self.notes = []

    def row(self, figure, result, goal="", met=None):
        self.rows.append((figure, result, goal, met))

    def note(self, text):
        self.notes.append(text)


def heading(title, command):
    print("\n## %s\n\ncommand: `%s`\n" % (title, command), flush=True)


def table(header, rows):
    """Print a markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    print("\n".join(lines), flush=True)
    return lines


def median(values):
    return statistics.median(values) if values else float("nan")


class Emulator(object):
    """The emulator's admin API (/__emulator) and its Cloudflare API, with the default token."""

    def __init__(self, url, s3_url):
        self.url = url.rstrip("/")
        self.s3_url = s3_url.rstrip("/")
        self.api_url = self.url + "/client/v4"
        self.http = requests.Session()

    def admin(self, method, path, body=None):
        answer = self.http.request(method, self.url + "/__emulator" + path, json=body, timeout=30)
        answer.raise_for_status()
        return answer.json()

    def api(self, method, path, body=None):
        answer = self.http.request(method, self.api_url + path, json=body, timeout=30,
                                   headers={"Authorization": "Bearer " + TOKEN})
        return answer.json()

    def reset(self):
        self.admin("POST", "/reset", {"s3": True})

    def requests(self):
        return self.admin("GET", "/requests")["requests"]

    def clear_requests(self):
        self.admin("DELETE", "/requests")

    def rate_limit(self, limit, window=None):
        body = {"limit": limit}
        if window is not None:
            body["window"] = window
        self.admin("POST", "/rate-limit", body)

    def add_zone(self, name, zone):
        self.admin("POST", "/zones", {"name": name, "id": zone, "account_id": ACCOUNT_ID})

    def jobs(self):
        return self.admin("GET", "/jobs")["jobs"]

    def bucket(self, name):
        answer = self.http.put("%s/%s" % (self.s3_url, name), timeout=30)
        if answer.status_code not in (200, 409):
            answer.raise_for_status()

    def create_job(self, zone, body):
        answer = self.api("POST", "/zones/%s/logpush/jobs" % zone, body)
        if not answer.get("success"):
            raise RuntimeError("creating a job failed: %s" % answer.get("errors"))
        return answer["result"]


RECAP = re.compile(r"^(\S+)\s+: ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+"
                   r"skipped=(\d+)\s+rescued=(\d+)\s+ignored=(\d+)", re.M)


def recap(output):
    """The PLAY RECAP totals of an ansible-playbook run: {'hosts', 'ok', 'changed', 'failed', ...}."""
    totals = dict(hosts=0, ok=0, changed=0, unreachable=0, failed=0, skipped=0, rescued=0, ignored=0)
    for match in RECAP.finditer(output):
        totals["hosts"] += 1
        for key, value in zip(("ok", "changed", "unreachable", "failed", "skipped", "rescued", "ignored"),
                              match.groups()[1:]):
            totals[key] += int(value)
    return totals


class Ansible(object):
    """Runs playbooks and single modules against the staged collection, with logs under the work dir."""

    def __init__(self, build_dir, work_dir, emulator):
        self.build_dir = os.path.abspath(build_dir)
        self.work = os.path.abspath(work_dir)
        self.emulator = emulator
        self.logs = os.path.join(self.work, "logs")
        self.tmp = os.path.join(self.work, "tmp")
        for folder in (self.logs, self.tmp):
            os.makedirs(folder, exist_ok=True)
        self.inventory = os.path.join(self.work, "localhost.ini")
        with open(self.inventory, "w") as out:
            out.write("localhost ansible_connection=local ansible_python_interpreter=%s\n" % PYTHON)
        self.env = dict(
            os.environ,
            PATH="%s:%s" % (BIN, os.environ.get("PATH", "")),
            ANSIBLE_COLLECTIONS_PATH=self.build_dir,
            ANSIBLE_NOCOLOR="1",
            ANSIBLE_FORCE_COLOR="0",
            ANSIBLE_DEPRECATION_WARNINGS="0",
            ANSIBLE_LOCALHOST_WARNING="0",
            ANSIBLE_INVENTORY_UNPARSED_WARNING="0",
            ANSIBLE_REMOTE_TMP=self.tmp,
            ANSIBLE_LOCAL_TEMP=os.path.join(self.tmp, "local"),
            ANSIBLE_RETRY_FILES_ENABLED="0",
            ANSIBLE_CONFIG=os.path.join(HERE, "ansible.cfg"),
        )
        self.vars = {
            "emulator_url": emulator.url,
            "s3_endpoint_url": emulator.s3_url,
            "api_base_url": emulator.api_url,
            "api_token": TOKEN,
            "zone_id": ZONE_ID,
            "account_id": ACCOUNT_ID,
        }

    def playbook(self, playbook, name, extra_vars=None, inventory=None, forks=None, args=(), env=None):
        """Run ansible-playbook; return (rc, seconds, output). The output goes to logs/<name>.log."""
        variables = dict(self.vars, **(extra_vars or {}))
        vars_file = os.path.join(self.work, "vars-%s.json" % name)
        with open(vars_file, "w") as out:
            json.dump(variables, out)
        command = [os.path.join(BIN, "ansible-playbook"), "-i", inventory or self.inventory, "-e", "@" + vars_file]
        if forks:
            command += ["-f", str(forks)]
        command += list(args) + [playbook]
        start = time.perf_counter()
        done = subprocess.run(command, env=dict(self.env, **(env or {})), cwd=self.work,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        seconds = time.perf_counter() - start
        with open(os.path.join(self.logs, name + ".log"), "w") as out:
            out.write("$ %s\n%s" % (" ".join(command), done.stdout))
        return done.returncode, seconds, done.stdout

    def inventory_of(self, name, hosts):
        """Write an inventory of local hosts ({host: {variable: value}}) to the work dir; return its path."""
        path = os.path.join(self.work, name + ".yml")
        with open(path, "w") as out:
            out.write("all:\n  vars: {ansible_connection: local, ansible_python_interpreter: %s}\n  hosts:\n"
                      % PYTHON)
            for host, variables in hosts.items():
                out.write("    %s: %s\n" % (host, json.dumps(variables)))
        return path


def machine():
    """nproc, CPU model and RAM, for the summary."""
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as info:
            kib = int(info.readline().split()[1])
        ram = "%.0f GiB RAM" % (kib / 1024.0 / 1024.0)
    except OSError:
        ram = "unknown RAM"
    return "nproc %d, %s, %s, Python %s" % (len(os.sched_getaffinity(0)), model, ram, sys.version.split()[0])
