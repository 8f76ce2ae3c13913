#!/usr/bin/env bash
# Run the demo playbook against a running emulator:  scripts/demo.sh <emulator URL> <S3 URL>
set -euo pipefail
cd "$(dirname "$0")/.."
exec ansible-playbook playbooks/demo.yml -e "emulator_url=$1" -e "s3_endpoint_url=$2"
