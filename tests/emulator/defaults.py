"""The emulator's default credential, account and zone: the one place they are written down.

The store starts (and resets) with them; the emulator's own tests, the EDA tests and the benchmarks import
them from here, and scripts that are not Python ask a running emulator: ``GET /__emulator/defaults`` answers
``as_dict()`` (scripts/integration.sh writes integration_config.yml from it). Module docs and guides keep
literal example ids: they are documentation, not configuration.
"""

TOKEN = "emulator-token"
EMAIL = "user@example.com"
KEY = "emulator-key"
ZONE_ID = "023e105f4ecef8ad9ca31a8372d0c353"
ZONE_NAME = "example.com"
ACCOUNT_ID = "01a7362d577a6c3019a474fd6f485823"
ACCOUNT_NAME = "Example Account"


def as_dict():
    """The defaults as the admin API answers them."""
    return {"api_token": TOKEN, "api_email": EMAIL, "api_key": KEY, "zone_id": ZONE_ID, "zone_name": ZONE_NAME,
            "account_id": ACCOUNT_ID, "account_name": ACCOUNT_NAME}
