#!/usr/bin/env bash
# Run a command with the Logpush API emulator and its storage servers up, then stop them. The one way
# to start the emulator for the integration tests, the demo and the benchmarks.
#   scripts/with-emulator.sh ansible-playbook playbooks/demo.yml
#   scripts/with-emulator.sh        (no command: follow the emulator's log until Ctrl-C, which stops everything)
# Ports come from EMULATOR_PORT and S3_PORT (moto), GCS_PORT (default S3_PORT + 100; the GCS server,
# gcp-storage-emulator from requirements/dev.txt) and AZURE_PORT (default S3_PORT + 200; Azurite's Blob service,
# from `make azurite`). The emulator starts and stops all of them; the GCS server and Azurite are left out when
# they are not installed or their port is `off` (then gs:// and azure:// files stay in the emulator's in-memory
# store). Other settings of `python -m emulator` (EMULATOR_PUSH_INTERVAL, EMULATOR_JOB_LIMIT) pass through.
# Every port must be free: when one is taken (another emulator, someone else's), this fails at once and says
# which, and it runs the command only once the emulator that answers the health check is its own child (the
# health answer names the emulator's pid).
# The command gets EMULATOR_URL and S3_ENDPOINT_URL, and GCS_ENDPOINT_URL and AZURE_ENDPOINT_URL (Azurite's
# account URL, .../devstoreaccount1) when those run. The emulator's output goes to .run/emulator-<port>.log.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${EMULATOR_PORT:-8787}
s3_port=${S3_PORT:-9000}
gcs_port=${GCS_PORT:-$((s3_port + 100))}
azure_port=${AZURE_PORT:-$((s3_port + 200))}
azurite=${EMULATOR_AZURITE:-.run/npm/node_modules/.bin/azurite-blob}
mkdir -p .run
log=.run/emulator-$port.log
servers=(EMULATOR_PORT="$port" S3_PORT="$s3_port")
ports=("EMULATOR_PORT=$port" "S3_PORT=$s3_port")
unset GCS_ENDPOINT_URL AZURE_ENDPOINT_URL GCS_PORT AZURE_PORT
if [ "$gcs_port" = off ]; then
  :
elif [ -x .venv/bin/gcp-storage-emulator ]; then
  servers+=(GCS_PORT="$gcs_port")
  ports+=("GCS_PORT=$gcs_port")
  export GCS_ENDPOINT_URL=http://127.0.0.1:$gcs_port
else
  echo "with-emulator.sh: no GCS server (.venv/bin/gcp-storage-emulator); gs:// files stay in the emulator" >&2
fi
if [ "$azure_port" = off ]; then
  :
elif [ -x "$azurite" ]; then
  servers+=(AZURE_PORT="$azure_port" EMULATOR_AZURITE="$(cd "$(dirname "$azurite")" && pwd)/$(basename "$azurite")")
  ports+=("AZURE_PORT=$azure_port")
  export AZURE_ENDPOINT_URL=http://127.0.0.1:$azure_port/devstoreaccount1
else
  echo "with-emulator.sh: no Azurite ($azurite; make azurite installs it); azure:// files stay in the emulator" >&2
fi

# Each port must be free before anything starts: a server already listening there would answer in place of ours.
if ! .venv/bin/python - "${ports[@]}" <<'PY'
import json, socket, sys, urllib.request
taken = []
for item in sys.argv[1:]:
    name, port = item.split("=")
    probe = socket.socket()
    probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a listener refuses the bind; TIME_WAIT does not
    try:
        probe.bind(("127.0.0.1", int(port)))
    except OSError:
        who = "by another process"
        if name == "EMULATOR_PORT":
            try:
                with urllib.request.urlopen("http://127.0.0.1:%s/__emulator/health" % port, timeout=2) as answer:
                    who = "by another emulator (pid %s)" % json.load(answer).get("pid", "unknown")
            except (OSError, ValueError):
                pass
        taken.append("%s %s is taken %s" % (name, port, who))
    finally:
        probe.close()
if taken:
    sys.exit("with-emulator.sh: %s. Stop what listens there, or choose other ports (EMULATOR_PORT, S3_PORT, GCS_PORT, AZURE_PORT)."
             % "; ".join(taken))
PY
then
  exit 1
fi

env "${servers[@]}" PYTHONPATH=tests .venv/bin/python -m emulator >"$log" 2>&1 &
pid=$!
stop() { kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
trap stop EXIT
# Wait until the emulator answers, and make sure the one answering is ours ($pid), not someone else's that
# took the port between the check above and our start.
if ! .venv/bin/python - "$port" "$pid" <<'PY'
import json, os, sys, time, urllib.request
port, pid = sys.argv[1], int(sys.argv[2])
deadline = time.time() + 90
while time.time() < deadline:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit("with-emulator.sh: the emulator exited during start-up")
    try:
        with urllib.request.urlopen("http://127.0.0.1:%s/__emulator/health" % port, timeout=2) as answer:
            health = json.load(answer)
    except (OSError, ValueError):
        time.sleep(0.2)
        continue
    if health.get("pid") != pid:
        sys.exit("with-emulator.sh: port %s answers with another emulator (pid %s), not the one started here (pid %d)"
                 % (port, health.get("pid"), pid))
    sys.exit(0)
sys.exit("with-emulator.sh: the emulator did not answer within 90 seconds")
PY
then
  echo "--- emulator log ($log):" >&2
  cat "$log" >&2
  exit 1
fi
export EMULATOR_URL=http://127.0.0.1:$port S3_ENDPOINT_URL=http://127.0.0.1:$s3_port
[ $# -gt 0 ] || set -- tail -n +1 -f "$log"
"$@"
