# shellcheck shell=bash
# Test support for the runme.sh of targets that use the emulator (needs/target/setup_emulator in aliases):
#   . ../setup_emulator/files/emulator.sh
# sets
#   integration_config       the absolute path of integration_config.yml (scripts/integration-config.py wrote it)
# and defines
#   config_value KEY         print KEY of integration_config.yml (emulator_url, cloudflare_api_token, ...)
#   emulator_admin PATH [JSON]
#                            GET /__emulator/PATH of the emulator, or POST the JSON body there; print the answer
integration_config=$(cd ../.. && pwd)/integration_config.yml

config_value() {
  python -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))[sys.argv[2]])' "$integration_config" "$1"
}

emulator_admin() {
  python - "$(config_value emulator_url)" "$@" <<'PY'
import sys, urllib.request
base, path, body = sys.argv[1], sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else None
request = urllib.request.Request(base + "/__emulator/" + path, data=body.encode() if body else None,
                                 headers={"Content-Type": "application/json"}, method="POST" if body else "GET")
with urllib.request.urlopen(request) as answer:
    print(answer.read().decode())
PY
}
