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
command="benchmarks/run.sh${*:+ $*}"
if [ -n "${MAKELEVEL:-}" ]; then command="make bench${BENCH_ARGS:+ BENCH_ARGS='$BENCH_ARGS'}"; fi
# The emulator starts the one way everything here starts it (scripts/with-emulator.sh; its log is
# .run/emulator-<port>.log). It pushes no logs on its own here (EMULATOR_PUSH_INTERVAL=0): no figure needs
# it, and it would take CPU from what is measured. The GCS server and Azurite stay off: no section needs them.
EMULATOR_PORT=$port S3_PORT=$s3_port GCS_PORT=off AZURE_PORT=off EMULATOR_PUSH_INTERVAL=0 scripts/with-emulator.sh \
  .venv/bin/python benchmarks/bench.py --emulator "http://127.0.0.1:$port" --s3 "http://127.0.0.1:$s3_port" \
  --build-dir "$build" --command "$command" "$@"
