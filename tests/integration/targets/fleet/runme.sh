#!/usr/bin/env bash
# The fleet playbook (playbooks/fleet.yml) on three zones: each gets its three jobs, challenges
# included; the second run changes nothing and reads twice per zone; purge, in check mode then for
# real, deletes exactly the job the playbook does not name.
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
requests() { python - "$emulator" "$@" <<'PY'
import json, sys, urllib.request
url = sys.argv[1] + "/__emulator/requests"
if sys.argv[2:] == ["clear"]:
    urllib.request.urlopen(urllib.request.Request(url, method="DELETE"))
else:
    for entry in json.load(urllib.request.urlopen(url))["requests"]:
        print(entry["method"], entry["path"])
PY
}
jobs() { python - "$emulator" <<'PY'
import json, sys, urllib.request
jobs = json.load(urllib.request.urlopen(sys.argv[1] + "/__emulator/jobs"))
for job in sorted(jobs.get("jobs", jobs), key=lambda j: j["name"]):
    print(job["zone_id"] if "zone_id" in job else "", job["name"], job["dataset"], "enabled" if job["enabled"] else "disabled")
PY
}

ansible-playbook -i "$work/zones.yml" "$playbook" -f 3 | tee "$work/first.txt"
jobs | tee "$work/jobs.txt"
# three datasets per zone, each job enabled
[ "$(grep -c ' enabled$' "$work/jobs.txt")" = 9 ]
for zone in example-com fleet-one-example fleet-two-example; do
  grep -q " $zone-http http_requests enabled$" "$work/jobs.txt"
  grep -q " $zone-firewall firewall_events enabled$" "$work/jobs.txt"
  grep -q " $zone-dns dns_logs enabled$" "$work/jobs.txt"
done

requests clear
ansible-playbook -i "$work/zones.yml" "$playbook" -f 3 | tee "$work/second.txt"
requests | tee "$work/second-requests.txt"
# two reads per zone: the role's list of the zone's jobs and logpush_jobs' own
[ "$(wc -l <"$work/second-requests.txt")" = 6 ]
[ "$(grep -vc '^GET ' "$work/second-requests.txt")" = 0 ]

# first run: each zone changed; second run: nothing changed on any zone
grep -E '^(example\.com|fleet-one\.example|fleet-two\.example) +: ok=[0-9]+ +changed=[1-9]' "$work/first.txt" | wc -l | grep -qx 3
grep -E '^(example\.com|fleet-one\.example|fleet-two\.example) +: ok=[0-9]+ +changed=0 +unreachable=0 +failed=0' "$work/second.txt" | wc -l | grep -qx 3

# a job the playbook does not name, in one zone; purge in check mode predicts its deletion, writes nothing
ansible-playbook -i "$INVENTORY_PATH" -e @"$config" outsider.yml
requests clear
ansible-playbook -i "$work/zones.yml" "$playbook" -f 3 -e logs_purge=true --check --diff | tee "$work/purge-check.txt"
requests | tee "$work/purge-check-requests.txt"
[ "$(grep -vc '^GET ' "$work/purge-check-requests.txt")" = 0 ]
grep -q 'fleet-one-example-legacy (http_requests)' "$work/purge-check.txt"
grep -E '^fleet-one\.example +: ok=[0-9]+ +changed=1 ' "$work/purge-check.txt"
grep -E '^(example\.com|fleet-two\.example) +: ok=[0-9]+ +changed=0 ' "$work/purge-check.txt" | wc -l | grep -qx 2
jobs | grep -q ' fleet-one-example-legacy '
ansible-playbook -i "$work/zones.yml" "$playbook" -f 3 -e logs_purge=true | tee "$work/purge.txt"
jobs | tee "$work/jobs-after-purge.txt"
if grep -q ' fleet-one-example-legacy ' "$work/jobs-after-purge.txt"; then exit 1; fi
[ "$(wc -l <"$work/jobs-after-purge.txt")" = 9 ]
echo "fleet: 3 zones x 3 jobs, second run 6 reads, purge removed exactly the unnamed job"
ansible-playbook -i "$INVENTORY_PATH" -e @"$config" cleanup.yml
