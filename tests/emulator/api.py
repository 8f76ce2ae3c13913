"""The request pipeline of every API view: auth, scope, JSON body, spec check of body and answer, envelope."""
import functools
import json
import sys

from flask import current_app, request

from . import envelope
from .auth import authenticate, authorize_scope
from .envelope import ApiError
from .jobs import READ_ONLY, JobError
from .spec import SpecValidationError, spec_path_for_rule

# Readable hints for spec violations of request bodies, by field path.
HINTS = {
    "max_upload_bytes": "must be 0 or between 5000000 and 1000000000",
    "max_upload_records": "must be 0 or between 1000 and 1000000",
    "max_upload_interval_seconds": "must be 0 or between 30 and 300",
    "name": "must be at most 512 characters of a-z, A-Z, 0-9, '-' and '.'",
    "kind": "must be \"\" or \"edge\"",
    "frequency": "must be high or low",
    "dataset": "is not a known dataset",
    "output_options/sample_rate": "must be a number between 0 and 1",
    "output_options/output_type": "must be ndjson or csv",
    "output_options/timestamp_format": "must be one of unixnano, unix, rfc3339, rfc3339ms, rfc3339ns",
    "ownership_challenge": "is malformed",
}


def _body_error(exc):
    path = "/".join(str(p) for p in exc.error.absolute_path)
    if not path:
        return "invalid request body: %s" % exc.error.message
    hint = HINTS.get(path)
    if hint is None:
        hint = exc.error.message
    return "%s %s" % (path.replace("/", "."), hint)


def parse_json_body():
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}
    try:
        return json.loads(raw)
    except ValueError:
        raise ApiError.of(envelope.MALFORMED_JSON) from None


def finalize(spec_path, method, status, payload, headers=None):
    """Check the answer against the spec; an answer that does not match is an emulator bug -> 500."""
    ctx = current_app.emulator
    try:
        ctx.spec.check_response(spec_path, method, status, payload)
    except SpecValidationError as exc:
        message = "emulator bug: response does not match schema %s" % exc
        ctx.spec_violations.append({"method": method, "path": request.path, "status": status, "error": message})
        print(message, file=sys.stderr, flush=True)
        status, payload, headers = 500, envelope.failure(1000, message), {}
    return envelope.json_response(payload, status, headers)


def api_view(scoped=True):
    """Decorate a view `fn(svc, scope, body, **kwargs) -> result`."""

    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(**kwargs):
            ctx = current_app.emulator
            spec_path = spec_path_for_rule(request.url_rule.rule)
            method = request.method
            headers = None
            try:
                cred = authenticate(ctx.store, request.headers)
                scope = None
                if scoped:
                    if "zone_id" in kwargs:
                        scope = ("zone", kwargs.pop("zone_id"))
                    else:
                        scope = ("account", kwargs.pop("account_id"))
                    authorize_scope(ctx.store, cred, scope[0], scope[1], request.path)
                else:
                    kwargs["cred"] = cred
                body = None
                if method in ("POST", "PUT"):
                    body = parse_json_body()
                    if not isinstance(body, dict):
                        raise ApiError.bad_request("invalid request body: expected a JSON object")
                    validator = ctx.spec.request_validator(spec_path, method)
                    if validator is not None:
                        body = {k: v for k, v in body.items() if k not in READ_ONLY}
                        try:
                            validator.validate(body)
                        except SpecValidationError as exc:
                            raise ApiError.bad_request(_body_error(exc)) from None
                result = fn(ctx.service, scope, body, **kwargs)
                status, payload = 200, envelope.success(result)
                info = getattr(result, "result_info", None)
                if info is not None:
                    payload["result"] = list(result)
                    payload["result_info"] = info
            except ApiError as exc:
                status, payload, headers = exc.status, envelope.failure(exc.code, exc.message, exc.error_chain), exc.headers
            except JobError as exc:
                status, payload = 400, envelope.failure(envelope.BAD_REQUEST_CODE, str(exc))
            return finalize(spec_path, method, status, payload, headers)

        return wrapper

    return decorate
