#!/usr/bin/env bash
# Run the integration targets in groups at the same time, each group in a staged copy of its own against an
# emulator of its own; one group alone is a plain scripts/integration.sh run.
#   scripts/integration-groups.sh [ansible-test options...]
# Settings from the environment:
#   INTEGRATION_JOBS     how many groups (default 2, at most 4; 1 runs the targets one after the other)
#   INTEGRATION_TARGETS  the targets (default: every one ansible-test lists)
#   BUILD_DIR            the staged collection (default .build); group k > 1 stages a copy in $BUILD_DIR-int<k>
#   EMULATOR_PORT, S3_PORT, GCS_PORT, AZURE_PORT   the first group's ports; group k adds k - 1 to each
# Why groups: one ansible-playbook keeps about one core busy (measured: 0.96 of 2 cores, averaged over the whole
# run), so two groups on two cores finish in about half the time. Every target starts from an emulator it resets
# and no target shares a file outside its own output, so any target can run beside any other.
# Each group's whole output goes to .run/integration-<first port>-<k>.log; a group that fails shows its end.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=${INTEGRATION_JOBS:-2}
build=${BUILD_DIR:-.build}
port=${EMULATOR_PORT:-8788} s3_port=${S3_PORT:-9001}
gcs_port=${GCS_PORT:-$((s3_port + 100))} azure_port=${AZURE_PORT:-$((s3_port + 200))}
collection=ansible_collections/cloudflare_community/logpush
case $jobs in
  1 | 2 | 3 | 4) ;;
  *) echo "integration-groups.sh: INTEGRATION_JOBS must be 1 to 4, not '$jobs'" >&2; exit 2 ;;
esac

run_group() {  # run_group <k> <targets...>: scripts/integration.sh for one group, with its ports
  local k=$1 offset=$(($1 - 1))
  shift
  BUILD_DIR=$(group_build "$k") EMULATOR_PORT=$((port + offset)) S3_PORT=$((s3_port + offset)) \
    GCS_PORT=$(next_port "$gcs_port" "$offset") AZURE_PORT=$(next_port "$azure_port" "$offset") \
    scripts/with-emulator.sh scripts/integration.sh "http://127.0.0.1:$((port + offset))" \
    "http://127.0.0.1:$((s3_port + offset))" ${options[@]+"${options[@]}"} "$@"
}
group_build() { if [ "$1" = 1 ]; then echo "$build"; else echo "$build-int$1"; fi; }
next_port() { if [ "$1" = off ]; then echo off; else echo $(($1 + $2)); fi; }

options=("$@")
# Each group's ports must differ from every other group's (k - 1 added to each of the first group's four).
declare -A taken=()
for ((k = 0; k < jobs; k++)); do
  for p in $((port + k)) $((s3_port + k)) $(next_port "$gcs_port" "$k") $(next_port "$azure_port" "$k"); do
    [ "$p" = off ] && continue
    if [ -n "${taken[$p]:-}" ]; then
      echo "integration-groups.sh: port $p would serve two groups; with INTEGRATION_JOBS=$jobs keep EMULATOR_PORT," \
        "S3_PORT, GCS_PORT and AZURE_PORT at least $jobs apart" >&2
      exit 2
    fi
    taken[$p]=1
  done
done
# The targets and what each took in make test's two groups (seconds, ansible-core 2.19, 2 cores, 2026-12-05; only
# the balance of the groups depends on them, a target not listed counts 60). Groups are filled longest target
# first, each into the group with the least time so far.
declare -A seconds=(
  [logpush_job]=225 [role_job_setup]=213 [pacing]=70 [examples]=68 [answer_styles]=57 [secrets]=39 [fleet]=37
  [logpush_jobs]=31 [logpush_job_info]=23 [logpush_custom_fields]=14 [logpush_notification]=13
  [logpush_ownership]=11
)
if [ -n "${INTEGRATION_TARGETS:-}" ]; then
  read -r -a targets <<<"$INTEGRATION_TARGETS"
else
  mapfile -t targets < <(cd "$build/$collection" && ansible-test integration --list-targets 2>/dev/null)
fi
[ ${#targets[@]} -gt 0 ] || { echo "integration-groups.sh: no integration target found in $build/$collection" >&2; exit 1; }
if [ "$jobs" = 1 ]; then
  run_group 1 "${targets[@]}"
  exit
fi
mapfile -t ordered < <(for t in "${targets[@]}"; do echo "${seconds[$t]:-60} $t"; done | sort -k1,1nr -k2 | cut -d' ' -f2)
declare -a load groups
for ((k = 1; k <= jobs; k++)); do load[k]=0 groups[k]=""; done
for t in "${ordered[@]}"; do
  least=1
  for ((k = 2; k <= jobs; k++)); do [ "${load[k]}" -ge "${load[least]}" ] || least=$k; done
  load[least]=$((load[least] + ${seconds[$t]:-60})) groups[least]+=" $t"
done

# The other groups' copies: the staged files (without the first group's test output) and the collections beside them.
for ((k = 2; k <= jobs; k++)); do
  [ -n "${groups[k]}" ] || continue
  copy=$(group_build "$k")
  rm -rf "$copy"
  mkdir -p "$copy/$collection"
  (cd "$build" && tar --exclude="./$collection/tests/output" -cf - .) | tar -xf - -C "$copy"
done

mkdir -p .run
started=$SECONDS pids=() logs=() failed=()
for ((k = 1; k <= jobs; k++)); do
  [ -n "${groups[k]}" ] || continue
  log=.run/integration-$port-$k.log
  echo "integration: group $k of $jobs:${groups[k]} (emulator on port $((port + k - 1)); output in $log)"
  # Only the line ansible-test prints as it starts a target reaches the terminal; the group's status is run_group's.
  # shellcheck disable=SC2086  # the group's targets are words
  (
    start=$SECONDS
    if run_group "$k" ${groups[k]} 2>&1 | tee "$log" \
      | { grep --line-buffered -E '^Running .* integration test' || true; } | sed -u "s/^/integration: group $k: /"; then
      echo "integration: group $k passed ($((SECONDS - start)) s)"
    else
      echo "integration: group $k FAILED ($((SECONDS - start)) s)"
      exit 1
    fi
  ) &
  pids[k]=$! logs[k]=$log
done
for k in "${!pids[@]}"; do
  wait "${pids[k]}" || failed+=("$k")
done
for k in ${failed[@]+"${failed[@]}"}; do
  scripts/failed-log.sh "integration: group $k (${groups[k]# })" "${logs[k]}"
done
echo "integration: $jobs groups took $((SECONDS - started)) s"
[ ${#failed[@]} -eq 0 ]
