#!/usr/bin/env bash
# The end of a failed run's log, then where the whole of it is (scripts/compat.sh, scripts/integration-groups.sh).
#   scripts/failed-log.sh <what failed> <log>
set -euo pipefail
echo "--- $2 (the end)" >&2
tail -n 150 "$2" >&2
echo "$1 FAILED (whole output: $2)" >&2
