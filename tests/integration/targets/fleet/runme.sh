#!/usr/bin/env bash
# The fleet playbook (playbooks/fleet.yml) on three zones: each gets its three jobs, challenges
# included; the second run changes nothing and reads once per zone for the jobs; purge, in check mode then for
# real, deletes exactly the job the playbook does not name.
set -eux
export ANSIBLE_ROLES_PATH=..
. ../setup_emulator/files/emulator.sh
export CLOUDFLARE_BASE_URL
CLOUDFLARE_BASE_URL=$(config_value cloudflare_api_base_url)
export CLOUDFLARE_API_TOKEN
CLOUDFLARE_API_TOKEN=$(config_value cloudflare_api_token)
export AWS_ACCESS_KEY_ID=test-access-key AWS_SECRET_ACCESS_KEY=test-secret-key
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

ansible-playbook -i "$INVENTORY_PATH" -e @"$(config_file)" prepare.yml
cat >"$work/zones.yml" <<YAML
cloudflare_zones:
  hosts:
    example.com: {zone_id: $(config_value cloudflare_zone_id)}
    fleet-one.example: {zone_id: 11111111111111111111111111111111}
    fleet-two.example: {zone_id: 22222222222222222222222222222222}
  vars:
    logs_bucket: fleet-logs
    job_setup_s3_endpoint_url: $(config_value s3_endpoint_url)
    job_setup_challenge_delay: 1
    logs_custom_fields: {request_fields: [X-Forwarded-For], response_fields: [server], cookie_fields: [__cfruid]}
    logs_account_id: $(config_value cloudflare_account_id)
    logs_alert_emails: [logs-oncall@example.com]
YAML
playbook=cloudflare_community.logpush.fleet
# the emulator's request log (method and path, one per line), or "requests clear" to empty it
requests() {
  if [ "${1:-}" = clear ]; then
    emulator_admin DELETE requests >/dev/null
  else
    emulator_admin requests | python -c 'import json, sys; [print(r["method"], r["path"]) for r in json.load(sys.stdin)["requests"]]'
  fi
}
# the jobs in the emulator: name, dataset, enabled or disabled, one per line
jobs() {
  emulator_admin jobs | python -c 'import json, sys
for job in sorted(json.load(sys.stdin)["jobs"], key=lambda j: j["name"]):
    print(job["name"], job["dataset"], "enabled" if job["enabled"] else "disabled")'
}

ansible-playbook -i "$work/zones.yml" "$playbook" -f 3 | tee "$work/first.txt"
jobs | tee "$work/jobs.txt"
# three datasets per zone, each job enabled
[ "$(grep -c ' enabled$' "$work/jobs.txt")" = 9 ]
for zone in example-com fleet-one-example fleet-two-example; do
  grep -qx "$zone-http http_requests enabled" "$work/jobs.txt"
  grep -qx "$zone-firewall firewall_events enabled" "$work/jobs.txt"
  grep -qx "$zone-dns dns_logs enabled" "$work/jobs.txt"
done

requests clear
ansible-playbook -i "$work/zones.yml" "$playbook" -f 3 | tee "$work/second.txt"
requests | tee "$work/second-requests.txt"
# three reads per zone: its custom fields, the role's plan (logpush_jobs in check mode: the list of the zone's
# jobs, and its check of the custom fields the HTTP job logs; it changes nothing, so it is the answer); and one
# list of the account's notification policies
[ "$(wc -l <"$work/second-requests.txt")" = 10 ]
[ "$(grep -c '/rulesets/phases/http_log_custom_fields/entrypoint$' "$work/second-requests.txt")" = 6 ]
[ "$(grep -c '/alerting/v3/policies$' "$work/second-requests.txt")" = 1 ]
[ "$(grep -vc '^GET ' "$work/second-requests.txt")" = 0 ]

# first run: each zone changed; second run: nothing changed on any zone
grep -cE '^(example\.com|fleet-one\.example|fleet-two\.example) +: ok=[0-9]+ +changed=[1-9]' "$work/first.txt" | grep -qx 3
grep -cE '^(example\.com|fleet-one\.example|fleet-two\.example) +: ok=[0-9]+ +changed=0 +unreachable=0 +failed=0' "$work/second.txt" | grep -qx 3

# a job the playbook does not name, in one zone; purge in check mode predicts its deletion, writes nothing
ansible-playbook -i "$INVENTORY_PATH" -e @"$(config_file)" outsider.yml
requests clear
ansible-playbook -i "$work/zones.yml" "$playbook" -f 3 -e logs_purge=true --check --diff | tee "$work/purge-check.txt"
requests | tee "$work/purge-check-requests.txt"
[ "$(grep -vc '^GET ' "$work/purge-check-requests.txt")" = 0 ]
grep -q 'fleet-one-example-legacy (http_requests)' "$work/purge-check.txt"
grep -E '^fleet-one\.example +: ok=[0-9]+ +changed=1 ' "$work/purge-check.txt"
grep -cE '^(example\.com|fleet-two\.example) +: ok=[0-9]+ +changed=0 ' "$work/purge-check.txt" | grep -qx 2
jobs | grep -q '^fleet-one-example-legacy '
ansible-playbook -i "$work/zones.yml" "$playbook" -f 3 -e logs_purge=true | tee "$work/purge.txt"
jobs | tee "$work/jobs-after-purge.txt"
if grep -q '^fleet-one-example-legacy ' "$work/jobs-after-purge.txt"; then exit 1; fi
[ "$(wc -l <"$work/jobs-after-purge.txt")" = 9 ]
# each zone logs the custom fields; the account has the alert
for zone in $(config_value cloudflare_zone_id) 11111111111111111111111111111111 22222222222222222222222222222222; do
  curl -sf -H "Authorization: Bearer $CLOUDFLARE_API_TOKEN" \
    "$CLOUDFLARE_BASE_URL/zones/$zone/rulesets/phases/http_log_custom_fields/entrypoint" | grep -q '"x-forwarded-for"'
done
curl -sf -H "Authorization: Bearer $CLOUDFLARE_API_TOKEN" \
  "$CLOUDFLARE_BASE_URL/accounts/$(config_value cloudflare_account_id)/alerting/v3/policies" \
  | python -c 'import json, sys; p, = json.load(sys.stdin)["result"]; assert p["alert_type"] == "failing_logpush_job_disabled_alert" and p["mechanisms"]["email"] == [{"id": "logs-oncall@example.com"}], p'
echo "fleet: 3 zones x 3 jobs with custom fields and the account's alert, second run 10 reads, purge removed exactly the unnamed job"
ansible-playbook -i "$INVENTORY_PATH" -e @"$(config_file)" cleanup.yml
