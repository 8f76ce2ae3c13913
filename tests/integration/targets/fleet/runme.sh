#!/usr/bin/env bash
# The fleet playbook (playbooks/fleet.yml) on three zones: each gets its job, challenge included;
# the second run changes nothing.
set -eux
export ANSIBLE_ROLES_PATH=..
config=../../integration_config.yml
value() { python -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))[sys.argv[2]])' "$config" "$1"; }
emulator=$(value emulator_url)
export CLOUDFLARE_BASE_URL
CLOUDFLARE_BASE_URL=$(value cloudflare_api_base_url)
export CLOUDFLARE_API_TOKEN
CLOUDFLARE_API_TOKEN=$(value cloudflare_api_token)
export AWS_ACCESS_KEY_ID=test-access-key AWS_SECRET_ACCESS_KEY=test-secret-key
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ansible-playbook -i "$INVENTORY_PATH" -e @"$config" prepare.yml
cat >"$work/zones.yml" <<YAML
cloudflare_zones:
  hosts:
    example.com: {zone_id: $(value cloudflare_zone_id)}
    fleet-one.example: {zone_id: 11111111111111111111111111111111}
    fleet-two.example: {zone_id: 22222222222222222222222222222222}
  vars:
    logs_bucket: fleet-logs
    job_setup_s3_endpoint_url: $(value s3_endpoint_url)
    job_setup_challenge_delay: 1
YAML
playbook=cloudflare_community.logpush.fleet
ansible-playbook -i "$work/zones.yml" "$playbook" -f 3 | tee "$work/first.txt"
ansible-playbook -i "$work/zones.yml" "$playbook" -f 3 | tee "$work/second.txt"

# first run: three jobs created; second run: nothing changed on any zone
grep -E '^(example\.com|fleet-one\.example|fleet-two\.example) +: ok=[0-9]+ +changed=[1-9]' "$work/first.txt" | wc -l | grep -qx 3
grep -E '^(example\.com|fleet-one\.example|fleet-two\.example) +: ok=[0-9]+ +changed=0 +unreachable=0 +failed=0' "$work/second.txt" | wc -l | grep -qx 3
python - "$emulator" <<'PY'
import json, sys, urllib.request
jobs = json.load(urllib.request.urlopen(sys.argv[1] + "/__emulator/jobs"))
jobs = jobs.get("jobs", jobs)
names = sorted(j["name"] for j in jobs)
assert names == ["example-com-http", "fleet-one-example-http", "fleet-two-example-http"], names
assert all(j["enabled"] for j in jobs), jobs
print("fleet: one enabled job per zone:", names)
PY
ansible-playbook -i "$INVENTORY_PATH" -e @"$config" cleanup.yml
