#!/usr/bin/env bash
# Two controllers (separate limiter folders, as on two machines) share one credential against the
# emulator's rate limit of 30 requests per 15 seconds, past which every call is refused for 15 seconds.
# Each sends 30 requests, from five local hosts at once (forks 5). Without pacing (rate_limit=0: no limiter) Cloudflare's limit is hit; with it,
# the modules read what is left from the Ratelimit headers and wait for the reset: no 429 at all.
set -eux
. ../setup_emulator/files/emulator.sh
run_two() {  # both controllers at once, each with its own limiter folder
  rm -rf "$work"/a "$work"/b
  ANSIBLE_REMOTE_TMP="$work/a" ansible-playbook -f 5 -i "$work/hosts.ini" -e @"$(config_file)" -e pacing_rate_limit="$1" controller.yml >"$work/a.log" 2>&1 &
  a=$!
  ANSIBLE_REMOTE_TMP="$work/b" ansible-playbook -f 5 -i "$work/hosts.ini" -e @"$(config_file)" -e pacing_rate_limit="$1" controller.yml >"$work/b.log" 2>&1 &
  b=$!
  wait $a || true
  wait $b || true
}
refused() { emulator_admin requests | python -c 'import json, sys; print(sum(1 for r in json.load(sys.stdin)["requests"] if r["status"] == 429))'; }
work=$(mktemp -d)
trap 'rm -rf "$work"; emulator_admin reset "{}" >/dev/null' EXIT
python=$(command -v python)
printf '[all]\nh1\nh2\nh3\nh4\nh5\n[all:vars]\nansible_connection=local\nansible_python_interpreter=%s\n' "$python" >"$work/hosts.ini"

emulator_admin reset "{}"
emulator_admin rate-limit '{"limit": 30, "window": 15, "block": 15}'
run_two 0
without=$(refused)

emulator_admin reset "{}"
emulator_admin rate-limit '{"limit": 30, "window": 15, "block": 15}'
run_two 1200
with=$(refused)
grep -q "ok=" "$work/a.log" && grep -q "ok=" "$work/b.log"
if grep -qE "failed=[1-9]|unreachable=[1-9]" "$work/a.log" "$work/b.log"; then exit 1; fi

set +x
echo "429 answers without pacing: $without; with pacing from the Ratelimit headers: $with"
test "$without" -gt 0
test "$with" = 0
