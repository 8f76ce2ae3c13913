#!/usr/bin/env bash
# Secrets never reach output: a full run at -vvvv with --diff, with canary values for the API
# token, the API key, the keys and tokens inside destination_conf and the ownership token. Every
# line Ansible printed, and its log file, is searched for each canary; the count must be 0.
set -eux
log_dir=$(mktemp -d)
trap 'rm -rf "$log_dir"' EXIT
export ANSIBLE_LOG_PATH="$log_dir/ansible.log"
export ANSIBLE_ROLES_PATH=..
. ../setup_emulator/files/emulator.sh

run() {
  if ! ansible-playbook -vvvv --diff -i "$INVENTORY_PATH" -e @"$(config_file)" "$@" >>"$log_dir/output.txt" 2>&1; then
    # show why, with every canary masked
    grep -E -A12 'fatal:|FAILED!|ERROR' "$log_dir/output.txt" | sed -E 's/CANARY[A-Za-z0-9]*/<canary>/g' | tail -60
    exit 1
  fi
}

run setup.yml
run secrets.yml
run secrets.yml --check
run secrets.yml -e secrets_api_style=key
run credentials.yml

# the ownership tokens the emulator wrote are canaries too (not traced: they are secrets)
set +x
ownership_tokens=$(emulator_admin ownership-files | python -c 'import json, sys; print("\n".join(f["token"] for f in json.load(sys.stdin)["files"]))')
test -n "$ownership_tokens"
ansible-playbook -i "$INVENTORY_PATH" -e @"$(config_file)" cleanup.yml

# the search itself works: a control value written into the output must be found
echo "control CANARYcontrolvalue0" >"$log_dir/control.txt"
grep -qF CANARYcontrolvalue0 "$log_dir/control.txt"

found=0
for canary in $(grep -o 'CANARY[A-Za-z0-9]*' canaries.txt) $ownership_tokens; do
  hits=$(cat "$log_dir/output.txt" "$ANSIBLE_LOG_PATH" | grep -cF -- "$canary" || true)
  if [ "$hits" != "0" ]; then
    echo "secret ${canary:0:12}... appears $hits times:"
    grep -nF -- "$canary" "$log_dir/output.txt" | head -5
    found=$((found + hits))
  fi
done
lines=$(wc -l <"$log_dir/output.txt")
echo "searched $lines lines of -vvvv output and the Ansible log for $(echo "$ownership_tokens" | wc -w) ownership tokens and $(grep -c CANARY canaries.txt) canaries: $found found"
test "$found" = 0
# the output is not empty: the runs did happen, with diffs
grep -q 'REDACTED' "$log_dir/output.txt"
grep -q 'secret-access-key=' "$log_dir/output.txt"
