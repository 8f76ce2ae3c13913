# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The example rulebook, run by the real ansible-rulebook against the emulator.

ansible-rulebook comes from its own venv (EDA_VENV, default .venv-eda: requirements/eda.txt) and needs a Java
runtime >= 17. Without them the test is skipped, unless EDA_REQUIRE_RULEBOOK=1 (make eda-tests), where it fails.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time

import pytest
import yaml

from eda_helpers import TOKEN, ZONE, collection_dir

HERE = os.path.dirname(os.path.abspath(__file__))
EDA_VENV = os.environ.get("EDA_VENV") or os.path.join(HERE, "..", "..", ".venv-eda")
EDA_BIN = os.path.join(os.path.abspath(EDA_VENV), "bin")
SECRET = "rulebook-s3cr3t-header"


def _missing():
    """Why ansible-rulebook cannot run here, or None."""
    if not os.path.exists(os.path.join(EDA_BIN, "ansible-rulebook")):
        return "ansible-rulebook is not installed in %s (make eda-tests makes that venv)" % EDA_VENV
    java = shutil.which("java", path=os.path.join(os.environ.get("JAVA_HOME", "/nonexistent"), "bin")) or shutil.which("java")
    if not java:
        return "no Java runtime (ansible-rulebook needs Java >= 17: apt-get install openjdk-17-jre-headless)"
    out = subprocess.run([java, "-version"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False).stdout.decode()
    found = re.search(r'version "(\d+)', out)
    if not found or int(found.group(1)) < 17:
        return "Java >= 17 is needed by ansible-rulebook, found: %s" % out.splitlines()[:1]
    return None


@pytest.fixture
def rulebook_runtime():
    why = _missing()
    if why:
        if os.environ.get("EDA_REQUIRE_RULEBOOK") == "1":
            pytest.fail(why)
        pytest.skip(why)


def wait_for(what, check, timeout, log=None):
    start = time.monotonic()
    deadline = start + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            print("%s: %.1f s" % (what, time.monotonic() - start))
            return found
        time.sleep(0.25)
    tail = ""
    if log and os.path.exists(log):
        with open(log) as handle:
            tail = "\n--- ansible-rulebook output (last 60 lines) ---\n" + "".join(handle.readlines()[-60:])
    raise AssertionError("timed out after %s s waiting for %s%s" % (timeout, what, tail))


def test_example_rulebook(rulebook_runtime, emu, tmp_path):
    """failing -> the report playbook runs; disabled by Cloudflare -> re-enabled once the destination heals."""
    job = emu.create_job("watched", emu.receiver("watched", SECRET))
    emu.push()
    reports = tmp_path / "reports"
    (tmp_path / "home").mkdir()
    (tmp_path / "vars.yml").write_text(yaml.safe_dump({
        "logpush_zones": [ZONE],
        "logpush_api_base_url": emu.base_url,
        "logpush_interval": 0.5,
        "logpush_request_budget": 10000,
        "logpush_report_dir": str(reports),
        "logpush_reenable_retries": 120,
        "logpush_reenable_delay": 1,
    }))
    (tmp_path / "inventory.yml").write_text(yaml.safe_dump({"all": {"hosts": {"localhost": {
        "ansible_connection": "local", "ansible_python_interpreter": os.path.join(EDA_BIN, "python")}}}}))
    collection = collection_dir()
    env = dict(os.environ,
               PATH=EDA_BIN + os.pathsep + os.environ["PATH"],
               HOME=str(tmp_path / "home"),  # its own ~/.ansible (the shared rate-limit bucket among others)
               ANSIBLE_COLLECTIONS_PATH=os.path.dirname(os.path.dirname(os.path.dirname(collection))),
               CLOUDFLARE_API_TOKEN=TOKEN,
               ANSIBLE_NOCOLOR="1")
    for name in ("VIRTUAL_ENV", "PYTHONPATH", "CLOUDFLARE_BASE_URL"):
        env.pop(name, None)
    log = str(tmp_path / "ansible-rulebook.log")
    started = time.monotonic()
    with open(log, "w") as out:
        proc = subprocess.Popen(  # pylint: disable=consider-using-with
            [os.path.join(EDA_BIN, "ansible-rulebook"), "--rulebook", "rulebooks/logpush_job_health.yml",
             "--inventory", str(tmp_path / "inventory.yml"), "--vars", str(tmp_path / "vars.yml"), "--verbose"],
            cwd=os.path.join(collection, "extensions", "eda"), env=env, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True)
    try:
        # the source's first poll records the job
        wait_for("the source's first poll", emu.job_lists, 90, log)

        # the destination fails: the failing rule runs the report playbook
        emu.fail_receiver("watched")
        emu.push()
        failing_report = reports / ("logpush-job-%d-failing.json" % job["id"])
        wait_for("the failing report", failing_report.exists, 90, log)
        time.sleep(0.5)  # written whole by the copy module, but let it finish
        report = json.loads(failing_report.read_text())
        assert report["health"] == "failing" and report["destination_valid"] is False
        assert report["destination"].endswith("header_Authorization=REDACTED")
        assert "HTTP 500" in report["destination_message"]
        assert SECRET not in failing_report.read_text()

        # 25 hours later Cloudflare disables the job; the re-enable playbook waits for the destination
        emu.advance(25 * 3600)
        assert [p.get("disabled") for p in emu.push()] == [True]
        wait_for("the re-enable playbook's test writes",
                 lambda: len([r for r in emu.requests_log() if r["path"].endswith("/validate/destination")]) >= 3,
                 90, log)
        assert emu.job(job["id"])["enabled"] is False, "not enabled while the destination refuses writes"
        emu.heal_receiver("watched")
        wait_for("the job enabled again", lambda: emu.job(job["id"])["enabled"], 90, log)
        reenabled = reports / ("logpush-job-%d-reenabled.json" % job["id"])
        wait_for("the re-enable report", reenabled.exists, 60, log)
        time.sleep(0.5)
        report = json.loads(reenabled.read_text())
        assert report["enabled"] is True and report["changed"] is True and report["test_writes"] >= 3
        emu.push()
        pushed = emu.job(job["id"])
        assert pushed["last_complete"] and (pushed["last_error"] is None or pushed["last_complete"] > pushed["last_error"])
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    with open(log) as handle:
        output = handle.read()
    assert SECRET not in output
    print("ansible-rulebook ran the example for %.0f s" % (time.monotonic() - started))
