#!/usr/bin/env bash
# Every documented example runs, as written, against the emulator: the EXAMPLES of each module and
# filter, and the YAML blocks of the role's and the collection's README (see generate.py). The
# examples get what a user's environment would give them: the credential and API URL in
# CLOUDFLARE_API_TOKEN and CLOUDFLARE_BASE_URL, AWS credentials and the S3 endpoint in AWS_*, and the
# variables they name in vars.yml. A failing example fails the target.
set -eux
export ANSIBLE_ROLES_PATH=..
. ../setup_emulator/files/emulator.sh
export CLOUDFLARE_BASE_URL CLOUDFLARE_API_TOKEN AWS_URL
CLOUDFLARE_BASE_URL=$(config_value cloudflare_api_base_url)
CLOUDFLARE_API_TOKEN=$(config_value cloudflare_api_token)
AWS_URL=$(config_value s3_endpoint_url)
export AWS_ACCESS_KEY_ID=test-access-key AWS_SECRET_ACCESS_KEY=test-secret-key AWS_DEFAULT_REGION=us-east-1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python generate.py "$work" | tee "$work/sources.txt"
# at least the three modules, the filter and the two READMEs
test "$(wc -l <"$work/sources.txt")" -ge 6
while read -r source; do
  ansible-playbook -i "$INVENTORY_PATH" -e @"$(config_file)" -e @vars.yml "$work/$source.yml"
done <"$work/sources.txt"
