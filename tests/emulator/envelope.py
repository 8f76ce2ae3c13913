"""The Cloudflare v4 envelope and the error codes the emulator answers with (README, "Error codes")."""
import json

from werkzeug.wrappers import Response

# (HTTP status, code, message) -- see README "Error codes" for which are documented and which are chosen.
MISSING_AUTH = (400, 9106, "Missing X-Auth-Key, X-Auth-Email or Authorization headers")
# A malformed API token (third-party recordings only -- weak; README "Error codes"): 6003 with a 6111 chain entry.
INVALID_HEADERS = (400, 6003, "Invalid request headers")
AUTH_HEADER_FORMAT = {"code": 6111, "message": "Invalid format for Authorization header"}
AUTH_ERROR = (403, 10000, "Authentication error")
NO_ROUTE = (404, 7000, "No route for that URI")
METHOD_NOT_ALLOWED = (405, 7001, "Method not allowed")
MALFORMED_JSON = (400, 6007, "Malformed JSON in request body")
RATE_LIMITED = (429, 971, "Please wait and consider throttling your request speed")
JOB_NOT_FOUND = (404, 1000, "job not found")  # Terraform provider issue #2035 recorded "job not found (1000)"
BAD_REQUEST_CODE = 1002
OWNERSHIP_INVALID = (400, 1002, "incorrect ownership challenge")
# Cloudflare's answer past the job quota (Logpush docs "limits" and third-party recordings, 2026); %s = dataset.
JOB_LIMIT = (403, 1004, "creating a new job (for %s dataset) is not allowed: exceeded max jobs allowed")

SERVER_ERRORS = {
    500: (1000, "Internal Server Error"),
    502: (1000, "Bad Gateway"),
    503: (1000, "Service Unavailable"),
    504: (1000, "Gateway Timeout"),
}


class ApiError(Exception):
    """Raised anywhere in a request; turned into a failure envelope."""

    def __init__(self, status, code, message, headers=None, error_chain=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers or {}
        self.error_chain = error_chain

    @classmethod
    def of(cls, triple, message=None, headers=None, error_chain=None):
        status, code, default = triple
        return cls(status, code, message or default, headers, error_chain)

    @classmethod
    def bad_request(cls, message):
        return cls(400, BAD_REQUEST_CODE, message)


def success(result):
    return {"success": True, "errors": [], "messages": [], "result": result}


def failure(code, message, error_chain=None):
    error = {"code": code, "message": message}
    if error_chain:
        error["error_chain"] = [dict(e) for e in error_chain]
    return {"success": False, "errors": [error], "messages": [], "result": None}


def json_response(body, status=200, headers=None):
    resp = Response(json.dumps(body, separators=(",", ":")), status=status, mimetype="application/json")
    for key, value in (headers or {}).items():
        resp.headers[key] = str(value)
    return resp


def error_response(status, code, message, headers=None):
    return json_response(failure(code, message), status, headers)


def fault_status_response(status, retry_after=None, code=None, message=None):
    """The answer for an injected HTTP-status fault (a 4xx may carry the code and message of a refusal)."""
    headers = {}
    if status == 429:
        code, message = RATE_LIMITED[1], RATE_LIMITED[2]
        headers["Retry-After"] = int(retry_after if retry_after is not None else 1)
    elif status in SERVER_ERRORS:
        code, message = SERVER_ERRORS[status]
        if retry_after is not None:
            headers["Retry-After"] = int(retry_after)
    elif status >= 500:
        code, message = 1000, "Internal Server Error"
    else:
        code, message = code or BAD_REQUEST_CODE, message or "injected fault (HTTP %d)" % status
    return error_response(status, code, message, headers)
