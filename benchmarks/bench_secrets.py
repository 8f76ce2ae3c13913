"""Secrets: the `secrets` integration target, run again here against the benchmark's emulator.

Its runme.sh drives every module at -vvvv with --diff (token and API-key auth, check mode, errors,
argument validation) with canary secrets, and counts the canaries (and the ownership tokens the
emulator wrote) found in the output and in Ansible's log. It runs as ansible-test would run it: from the
staged target folder, with integration_config.yml beside the targets and a testhost inventory.
"""
import os
import re
import subprocess

from common import BIN, PYTHON, ROOT, Section, heading


def run(ctx):
    section = Section("secrets", "benchmarks/run.sh secrets")
    heading("Secrets", section.command)
    emu, ansible = ctx.emulator, ctx.ansible
    integration = os.path.join(ansible.build_dir, "ansible_collections", "cloudflare_community", "logpush", "tests",
                               "integration")
    with open(os.path.join(integration, "integration_config.yml"), "w") as out:  # as scripts/integration.sh does
        subprocess.run([PYTHON, os.path.join(ROOT, "scripts", "integration-config.py"), emu.url, emu.s3_url],
                       stdout=out, check=True, env=dict(os.environ, GCS_ENDPOINT_URL="", AZURE_ENDPOINT_URL=""))
    inventory = os.path.join(ansible.work, "testhost.ini")
    with open(inventory, "w") as out:
        out.write("testhost ansible_connection=local ansible_python_interpreter=%s\n" % PYTHON)
    target = os.path.join(integration, "targets", "secrets")
    env = dict(ansible.env, INVENTORY_PATH=inventory, PATH="%s:%s" % (BIN, os.environ.get("PATH", "")))
    done = subprocess.run(["bash", "runme.sh"], cwd=target, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
    with open(os.path.join(ansible.logs, "secrets.log"), "w") as log:
        log.write(done.stdout)
    line = re.search(r"searched (\d+) lines .* for (\d+) ownership tokens and (\d+) canaries: (\d+) found", done.stdout)
    if line:
        lines, tokens, canaries, found = (int(g) for g in line.groups())
        print("runme.sh: searched %d lines of -vvvv output and the Ansible log for %d canaries and %d ownership "
              "tokens: %d found (exit %d)." % (lines, canaries, tokens, found, done.returncode))
        result = "%d found (%d canaries + %d ownership tokens, %d lines at -vvvv)" % (found, canaries, tokens, lines)
    else:
        found = None
        print("runme.sh did not finish its search (exit %d); the end of its output:\n%s"
              % (done.returncode, "\n".join(done.stdout.splitlines()[-25:])))
        result = "the run failed (exit %d), see %s/secrets.log" % (done.returncode, ansible.logs)
    print("\nCommand: `cd %s && INVENTORY_PATH=%s bash runme.sh` (output in %s/secrets.log)."
          % (os.path.relpath(target), os.path.relpath(inventory), os.path.relpath(ansible.logs)))
    ctx.results["secrets"] = dict(found=found, exit=done.returncode)
    section.row("secrets: canaries found in -vvvv output (the secrets target, run again)", result, "0",
                found == 0 and done.returncode == 0)
    return section
