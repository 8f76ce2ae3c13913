"""Print the integration targets' configuration (integration_config.yml) for a running emulator.

    python3 scripts/integration-config.py <emulator root URL> <S3 endpoint URL> > .../tests/integration/integration_config.yml

The credential, zone and account come from the emulator itself (GET /__emulator/defaults, whose one source
is tests/emulator/defaults.py), so no script restates them. GCS_ENDPOINT_URL and AZURE_ENDPOINT_URL
(exported by scripts/with-emulator.sh when the GCS server and Azurite run) become gcs_endpoint_url and
azure_endpoint_url. Standard library only: any python3 runs it.
"""
import json
import os
import sys
import urllib.request


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: " + __doc__.strip().splitlines()[2].strip())
    emulator, s3 = argv[1].rstrip("/"), argv[2].rstrip("/")
    try:
        with urllib.request.urlopen(emulator + "/__emulator/defaults", timeout=10) as answer:
            defaults = json.load(answer)
    except (OSError, ValueError) as exc:
        sys.exit("integration-config.py: no emulator answers at %s (%s); start one with scripts/with-emulator.sh"
                 % (emulator, exc))
    config = [
        ("emulator_url", emulator),
        ("s3_endpoint_url", s3),
        ("cloudflare_api_base_url", emulator + "/client/v4"),
        ("cloudflare_api_token", defaults["api_token"]),
        ("cloudflare_api_email", defaults["api_email"]),
        ("cloudflare_api_key", defaults["api_key"]),
        ("cloudflare_zone", defaults["zone_name"]),
        ("cloudflare_zone_id", defaults["zone_id"]),
        ("cloudflare_account_id", defaults["account_id"]),
    ]
    for key, env in (("gcs_endpoint_url", "GCS_ENDPOINT_URL"), ("azure_endpoint_url", "AZURE_ENDPOINT_URL")):
        if os.environ.get(env):
            config.append((key, os.environ[env]))
    # JSON strings are YAML strings: every value is quoted, whatever it holds
    print("---\n" + "".join("%s: %s\n" % (key, json.dumps(value)) for key, value in config), end="")


if __name__ == "__main__":
    main(sys.argv)
