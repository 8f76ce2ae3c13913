#!/usr/bin/env bash
# Run a command with the Logpush API emulator and its storage servers up, then stop them.
#   scripts/with-emulator.sh ansible-playbook playbooks/demo.yml
# Ports come from EMULATOR_PORT and S3_PORT (moto), GCS_PORT (default S3_PORT + 100; the GCS server,
# gcp-storage-emulator from requirements/dev.txt) and AZURE_PORT (default S3_PORT + 200; Azurite's Blob service,
# from `make azurite`). The emulator starts and stops all of them; the GCS server and Azurite are left out when
# they are not installed (then gs:// and azure:// files stay in the emulator's in-memory store). The command gets
# GCS_ENDPOINT_URL and AZURE_ENDPOINT_URL (Azurite's account URL, .../devstoreaccount1) when they run.
# The emulator's output goes to .run/emulator-<port>.log.
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
unset GCS_ENDPOINT_URL AZURE_ENDPOINT_URL
if [ -x .venv/bin/gcp-storage-emulator ]; then
  servers+=(GCS_PORT="$gcs_port")
  export GCS_ENDPOINT_URL=http://127.0.0.1:$gcs_port
else
  echo "with-emulator.sh: no GCS server (.venv/bin/gcp-storage-emulator); gs:// files stay in the emulator" >&2
fi
if [ -x "$azurite" ]; then
  servers+=(AZURE_PORT="$azure_port" EMULATOR_AZURITE="$(cd "$(dirname "$azurite")" && pwd)/$(basename "$azurite")")
  export AZURE_ENDPOINT_URL=http://127.0.0.1:$azure_port/devstoreaccount1
else
  echo "with-emulator.sh: no Azurite ($azurite; make azurite installs it); azure:// files stay in the emulator" >&2
fi
env "${servers[@]}" PYTHONPATH=tests .venv/bin/python -m emulator >"$log" 2>&1 &
pid=$!
stop() { kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
trap stop EXIT
if ! .venv/bin/python - "$port" "$pid" <<'PY'
import os, sys, time, urllib.request
port, pid = sys.argv[1], int(sys.argv[2])
deadline = time.time() + 90
while time.time() < deadline:
    try:
        os.kill(pid, 0)
    except OSError:
        sys.exit("the emulator exited during start-up")
    try:
        with urllib.request.urlopen("http://127.0.0.1:%s/__emulator/health" % port, timeout=2) as answer:
            if answer.status == 200:
                sys.exit(0)
    except OSError:
        time.sleep(0.2)
sys.exit("the emulator did not answer within 90 seconds")
PY
then
  echo "--- emulator log ($log):" >&2
  cat "$log" >&2
  exit 1
fi
"$@"
