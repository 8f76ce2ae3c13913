# shellcheck shell=bash
# Test support for the runme.sh of targets that use the emulator (needs/target/setup_emulator in aliases):
#   . ../setup_emulator/files/emulator.sh
# defines
#   config_file              print the absolute path of integration_config.yml (scripts/integration-config.py wrote it)
#   config_value KEY         print KEY of integration_config.yml (emulator_url, cloudflare_api_token, ...)
#   emulator_admin [METHOD] PATH [JSON]
#                            GET /__emulator/PATH of the emulator, or POST the JSON body there, or send METHOD
#                            (e.g. emulator_admin DELETE requests); print the answer
config_file() {
  echo "$(cd ../.. && pwd)/integration_config.yml"
}

config_value() {
  python -c 'import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))[sys.argv[2]])' "$(config_file)" "$1"
}

emulator_admin() {
  python - "$(config_value emulator_url)" "$@" <<'PY'
import sys, urllib.request
base, args = sys.argv[1], sys.argv[2:]
method = args.pop(0) if args[0] in ("GET", "POST", "PUT", "DELETE") else None
path, body = args[0], args[1] if len(args) > 1 else None
request = urllib.request.Request(base + "/__emulator/" + path, data=body.encode() if body else None,
                                 headers={"Content-Type": "application/json"},
                                 method=method or ("POST" if body else "GET"))
with urllib.request.urlopen(request) as answer:
    print(answer.read().decode())
PY
}
