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
# Where the targets find the emulator and its defaults (see tests/emulator/README.md).
cat >"$collection/tests/integration/integration_config.yml" <<YAML
---
emulator_url: $emulator
s3_endpoint_url: $s3
cloudflare_api_base_url: $emulator/client/v4
cloudflare_api_token: emulator-token
cloudflare_api_email: user@example.com
cloudflare_api_key: emulator-key
cloudflare_zone: example.com
cloudflare_zone_id: 023e105f4ecef8ad9ca31a8372d0c353
cloudflare_account_id: 01a7362d577a6c3019a474fd6f485823
YAML
if [ -n "${GCS_ENDPOINT_URL:-}" ]; then
  echo "gcs_endpoint_url: $GCS_ENDPOINT_URL" >>"$collection/tests/integration/integration_config.yml"
fi
if [ -n "${AZURE_ENDPOINT_URL:-}" ]; then
  echo "azure_endpoint_url: $AZURE_ENDPOINT_URL" >>"$collection/tests/integration/integration_config.yml"
fi
cd "$collection"
exec ansible-test integration --venv --python 3.11 --color no "$@"
