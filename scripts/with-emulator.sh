#!/usr/bin/env bash
# Run a command with the Logpush API emulator and its S3 server up, then stop them.
#   scripts/with-emulator.sh ansible-playbook playbooks/demo.yml
# Ports come from EMULATOR_PORT and S3_PORT. The emulator's output goes to .run/emulator-<port>.log.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${EMULATOR_PORT:-8787}
s3_port=${S3_PORT:-9000}
mkdir -p .run
log=.run/emulator-$port.log
EMULATOR_PORT=$port S3_PORT=$s3_port PYTHONPATH=tests .venv/bin/python -m emulator >"$log" 2>&1 &
pid=$!
stop() { kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
trap stop EXIT
if ! .venv/bin/python - "$port" "$pid" <<'PY'
import os, sys, time, urllib.request
port, pid = sys.argv[1], int(sys.argv[2])
deadline = time.time() + 60
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
sys.exit("the emulator did not answer within 60 seconds")
PY
then
  echo "--- emulator log ($log):" >&2
  cat "$log" >&2
  exit 1
fi
"$@"
