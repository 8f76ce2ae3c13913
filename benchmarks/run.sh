#!/usr/bin/env bash
# make bench: stage the collection, start the emulator on the benchmark's own ports, run every section.
#   benchmarks/run.sh [section ...] [--zones N] [--repeats N] ...     (see benchmarks/README.md)
# Ports come from EMULATOR_PORT and S3_PORT (default 8797 and 9017, apart from make test's and make demo's);
# the collection is staged in BENCH_BUILD_DIR (default .build-bench). Logs and results go to .run/bench/.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${EMULATOR_PORT:-8797}
s3_port=${S3_PORT:-9017}
build=${BENCH_BUILD_DIR:-.build-bench}
if [ ! -x .venv/bin/python ]; then
  echo "benchmarks/run.sh: no .venv here; run 'make collection' first (make bench does)" >&2
  exit 1
fi
BUILD_DIR=$build scripts/stage-collection.sh
.venv/bin/python scripts/install-collections.py "$build"
mkdir -p .run/bench
# The emulator pushes no logs on its own here (EMULATOR_PUSH_INTERVAL=0): no figure needs it, and it
# would take CPU from what is measured.
EMULATOR_PUSH_INTERVAL=0 PYTHONPATH=tests .venv/bin/python benchmarks/emulator_up.py "$port" "$s3_port" \
  .run/bench/moto.log >.run/bench/emulator.log 2>&1 &
pid=$!
stop() { kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; }
trap stop EXIT
for _ in $(seq 300); do
  if .venv/bin/python -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' \
      "http://127.0.0.1:$port/__emulator/health" 2>/dev/null; then
    break
  fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "the emulator did not start:" >&2
    cat .run/bench/emulator.log >&2
    exit 1
  fi
  sleep 0.2
done
command="benchmarks/run.sh${*:+ $*}"
if [ -n "${MAKELEVEL:-}" ]; then command="make bench${BENCH_ARGS:+ BENCH_ARGS='$BENCH_ARGS'}"; fi
.venv/bin/python benchmarks/bench.py --emulator "http://127.0.0.1:$port" --s3 "http://127.0.0.1:$s3_port" \
  --build-dir "$build" --command "$command" "$@"
