#!/usr/bin/env bash
# Run the ansible-test integration targets against a running emulator.
#   scripts/integration.sh <emulator root URL> <S3 endpoint URL> [ansible-test options...]
# GCS_ENDPOINT_URL and AZURE_ENDPOINT_URL (set by scripts/with-emulator.sh when the emulator runs its GCS
# server and Azurite) become gcs_endpoint_url and azure_endpoint_url of the targets.
set -euo pipefail
cd "$(dirname "$0")/.."
emulator=$1 s3=$2
shift 2
collection=${BUILD_DIR:-.build}/ansible_collections/cloudflare_community/logpush
# Where the targets find the emulator and its defaults (asked from the emulator itself).
python3 scripts/integration-config.py "$emulator" "$s3" >"$collection/tests/integration/integration_config.yml"
cd "$collection"
exec ansible-test integration --venv --python 3.11 --color no "$@"
