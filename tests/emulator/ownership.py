"""Ownership challenge tokens (README, Sources: ownership challenge): HS256 JWTs bound to scope, destination and a 7-day expiry."""
import secrets

import jwt

TOKEN_TTL = 7 * 24 * 3600


class OwnershipTokens:
    def __init__(self, clock):
        self.clock = clock
        self.secret = secrets.token_hex(32)

    def issue(self, scope_type, scope_id, destination_conf):
        now = int(self.clock.now())
        claims = {
            "scope_type": scope_type,
            "scope_id": scope_id,
            "destination_conf": destination_conf,
            "iat": now,
            "exp": now + TOKEN_TTL,
            "jti": secrets.token_hex(8),
        }
        return jwt.encode(claims, self.secret, algorithm="HS256")

    def check(self, token, scope_type, scope_id, destination_conf):
        """Return None when valid, else a short reason (kept for logs; the API only says it is incorrect)."""
        if not token or not isinstance(token, str):
            return "missing"
        try:
            # times are checked below against the emulator's clock, which tests move forward; PyJWT would
            # check exp and iat against the real one (a token issued after a clock advance is "not yet valid")
            claims = jwt.decode(token, self.secret, algorithms=["HS256"], options={"verify_exp": False, "verify_iat": False})
        except jwt.PyJWTError as exc:
            return "undecodable: %s" % exc
        if claims.get("exp", 0) <= self.clock.now():
            return "expired"
        if claims.get("scope_type") != scope_type or claims.get("scope_id") != scope_id:
            return "other scope"
        if claims.get("destination_conf") != destination_conf:
            return "other destination"
        return None


def challenge_filename(prefix, hex16):
    name = "ownership-challenge-%s.txt" % hex16
    return "%s/%s" % (prefix, name) if prefix else name
