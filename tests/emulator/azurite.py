"""Azure Blob Storage as Azurite serves it: its development account, SAS tokens signed with its well-known key,
and the few REST calls the emulator makes itself (create, list and delete containers).

Azurite's default account and key are public (Azure's "Use Azurite" docs; `EMULATOR_ACCOUNT_KEY_STR` in
Azurite's `src/blob/utils/constants.ts`); they open nothing but a local Azurite. Blob writes of destinations go
with the destination's own SAS, as Cloudflare's do (destinations.py); the key is only for the admin API and reset.
"""
import base64
import datetime
import hashlib
import hmac
import re
from urllib.parse import quote, urlencode

import requests

ACCOUNT = "devstoreaccount1"
KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
HOST_SUFFIX = ".blob.core.windows.net"
SAS_VERSION = "2021-08-06"
_CONTAINER = re.compile(r"^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$")


class AzuriteError(Exception):
    pass


def _sign(text, key=KEY):
    return base64.b64encode(hmac.new(base64.b64decode(key), text.encode("utf-8"), hashlib.sha256).digest()).decode()


def _expiry(days=30):
    when = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=days)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def container_sas(container, permissions, expiry=None, account=ACCOUNT, key=KEY):
    """A service SAS for one container (`sr=c`), as Azure's portal makes for a Cloudflare destination
    (permissions e.g. "cw" to write, "r" to read). Returns the query string, without "?"."""
    expiry = expiry or _expiry()
    # the string to sign of service SAS version 2020-12-06 and later (Azure docs "Create a service SAS")
    to_sign = "\n".join([permissions, "", expiry, "/blob/%s/%s" % (account, container), "", "", "https,http",
                         SAS_VERSION, "c", "", "", "", "", "", "", ""])
    return urlencode({"sv": SAS_VERSION, "spr": "https,http", "se": expiry, "sr": "c", "sp": permissions,
                      "sig": _sign(to_sign, key)})


def account_sas(permissions="rwdlac", expiry=None, account=ACCOUNT, key=KEY):
    """An account SAS for the blob service, every resource type (container create/list/delete)."""
    expiry = expiry or _expiry(1)
    to_sign = "\n".join([account, permissions, "b", "sco", "", expiry, "", "https,http", SAS_VERSION, "", ""])
    return urlencode({"sv": SAS_VERSION, "ss": "b", "srt": "sco", "spr": "https,http", "se": expiry,
                      "sp": permissions, "sig": _sign(to_sign, key)})


def check_container_name(name):
    if not isinstance(name, str) or not _CONTAINER.match(name):
        raise AzuriteError("container names are 3-63 lowercase letters, digits and single hyphens, got %r" % (name,))


def create_container(endpoint, name, session=None):
    """Create container `name` in the Azurite at `endpoint` (its service root); True if new, False if it existed."""
    check_container_name(name)
    http = session or requests
    resp = http.put("%s/%s/%s?restype=container&%s" % (endpoint, ACCOUNT, name, account_sas()), timeout=10)
    if resp.status_code == 201:
        return True
    if resp.status_code == 409:
        return False
    raise AzuriteError("creating container %s: HTTP %d %s" % (name, resp.status_code, resp.headers.get("x-ms-error-code", "")))


def delete_all_containers(endpoint, session=None):
    http = session or requests
    resp = http.get("%s/%s?comp=list&%s" % (endpoint, ACCOUNT, account_sas()), timeout=10)
    resp.raise_for_status()
    names = re.findall(r"<Container><Name>([^<]+)</Name>", resp.text)
    for name in names:
        http.delete("%s/%s/%s?restype=container&%s" % (endpoint, ACCOUNT, name, account_sas()), timeout=10).raise_for_status()
    return names


def blob_url(endpoint, container, blob, sas, account=ACCOUNT):
    return "%s/%s/%s/%s?%s" % (endpoint, account, container, quote(blob, safe="/"), sas)
