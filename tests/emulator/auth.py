"""Credentials: Bearer token or X-Auth-Email + X-Auth-Key, optionally limited to zones/accounts (README, Sources: credentials)."""
import re

from . import envelope
from .envelope import ApiError
from .store import ID_RE

# Real API tokens are 40 characters of [A-Za-z0-9_-]. The rule here is looser so that short test tokens
# (`emulator-token`) stay well-formed: a token is malformed when it is empty or holds anything outside
# [A-Za-z0-9_.-] (whitespace, quotes, '/', '+', ...). A header that is not `Bearer <token>` is malformed too.
TOKEN_RE = re.compile(r"[A-Za-z0-9_.\-]+")


def _malformed_authorization():
    return ApiError.of(envelope.INVALID_HEADERS, error_chain=[envelope.AUTH_HEADER_FORMAT])


def credential_key(headers):
    """A stable key for rate limiting (None when no credential is sent)."""
    auth = headers.get("Authorization")
    if auth:
        return "bearer:" + auth
    if headers.get("X-Auth-Email") or headers.get("X-Auth-Key"):
        return "key:%s:%s" % (headers.get("X-Auth-Email"), headers.get("X-Auth-Key"))
    return None


def authenticate(store, headers):
    """Return the credential's restrictions ({"zones": [...]|None, "accounts": [...]|None}) or raise ApiError."""
    auth = headers.get("Authorization")
    email, key = headers.get("X-Auth-Email"), headers.get("X-Auth-Key")
    if auth is not None:
        scheme, _, token = auth.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not TOKEN_RE.fullmatch(token):
            raise _malformed_authorization()
        cred = store.credential_for(token=token)
    elif email and key:
        cred = store.credential_for(email=email, key=key)
    else:
        raise ApiError.of(envelope.MISSING_AUTH)
    if cred is None:
        raise ApiError.of(envelope.AUTH_ERROR)
    return cred


def zone_allowed(store, cred, zone_id):
    with store.lock:
        zone = store.zones.get(zone_id)
        if zone is None:
            return False
        if cred["zones"] is not None:
            return zone_id in cred["zones"]
        # A token limited to some accounts (and not to zones) reaches the zones of those accounts.
        return cred["accounts"] is None or zone["account_id"] in cred["accounts"]


def account_allowed(store, cred, account_id):
    with store.lock:
        if account_id not in store.accounts:
            return False
        return cred["accounts"] is None or account_id in cred["accounts"]


def authorize_scope(store, cred, scope_type, scope_id, path):
    """Malformed id -> 400/7003; unknown or not permitted -> 403/10000 (existence is not revealed)."""
    if not ID_RE.match(scope_id):
        raise ApiError(400, 7003, "Could not route to %s, perhaps your object identifier is invalid?" % path)
    allowed = zone_allowed if scope_type == "zone" else account_allowed
    if not allowed(store, cred, scope_id):
        raise ApiError.of(envelope.AUTH_ERROR)
