"""The Notifications API, for the one alert type of Logpush: an account's policies of `failing_logpush_job_disabled_alert`.

GET and POST /client/v4/accounts/<account_id>/alerting/v3/policies, GET, PUT and DELETE .../policies/<policy_id>, and a
test aid, POST /__emulator/alerting/<account_id>, that stores webhook and PagerDuty destinations (with a URL and a
secret, as Cloudflare keeps them) and policies as another tool would have left them (any alert type, unchecked).
README "Sources and how sure" (rows **notifications**) says where each rule comes from.
"""
import copy
import re
import uuid

from flask import jsonify, request

from .api import api_view
from .envelope import ApiError

ALERT_TYPE = "failing_logpush_job_disabled_alert"
MECHANISMS = ("email", "webhooks", "pagerduty")
WRITABLE = ("alert_type", "name", "description", "enabled", "mechanisms", "filters", "alert_interval")
READ_ONLY = ("id", "created", "modified")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# The codes of refused policies are not documented; 17000 (bad input) and 17001 (no such policy) are the emulator's
# choice (README, Error codes).
INVALID_POLICY_CODE = 17000
NO_POLICY = (404, 17001, "policy not found")


def _invalid(message):
    return ApiError(400, INVALID_POLICY_CODE, message)


def check_policy(body, destinations, creating):
    """Refuse a policy Cloudflare refuses; return the writable fields given (a PUT may give some only)."""
    unknown = sorted(set(body) - set(WRITABLE) - set(READ_ONLY))
    if unknown:
        raise _invalid("unknown field(s) %s" % ", ".join(unknown))
    clean = dict((key, copy.deepcopy(body[key])) for key in WRITABLE if key in body)
    if creating:
        missing = [key for key in ("alert_type", "name", "enabled", "mechanisms") if key not in clean]
        if missing:
            raise _invalid("%s: required" % ", ".join(missing))
    if "alert_type" in clean and clean["alert_type"] != ALERT_TYPE:
        raise _invalid("alert_type %r: the emulator plays only %s" % (clean["alert_type"], ALERT_TYPE))
    if "name" in clean and (not isinstance(clean["name"], str) or not clean["name"].strip()):
        raise _invalid("name: a non-empty string is required")
    for key in ("description", "alert_interval"):
        if key in clean and not isinstance(clean[key], str):
            raise _invalid("%s: must be a string" % key)
    if "enabled" in clean and not isinstance(clean["enabled"], bool):
        raise _invalid("enabled: must be a boolean")
    if "filters" in clean and not isinstance(clean["filters"], dict):
        raise _invalid("filters: must be an object")
    if "mechanisms" in clean:
        mechanisms = clean["mechanisms"]
        if not isinstance(mechanisms, dict) or set(mechanisms) - set(MECHANISMS):
            raise _invalid("mechanisms: an object of %s" % ", ".join(MECHANISMS))
        total = 0
        for kind, items in mechanisms.items():
            if not isinstance(items, list) or not all(
                    isinstance(i, dict) and set(i) == {"id"} and isinstance(i["id"], str) and i["id"] for i in items):
                raise _invalid("mechanisms.%s: a list of {\"id\": ...}" % kind)
            for index, item in enumerate(items):
                if kind == "email" and not EMAIL.match(item["id"]):
                    raise _invalid("mechanisms.email[%d]: %r is not an e-mail address" % (index, item["id"]))
                if kind != "email" and item["id"] not in destinations.get(kind, {}):
                    raise _invalid("mechanisms.%s[%d]: no such %s destination %s" % (
                        kind, index, "webhook" if kind == "webhooks" else "PagerDuty", item["id"]))
            total += len(items)
        if not total:
            raise _invalid("mechanisms: at least one destination is required")
    return clean


def answer(policy):
    """A policy as Cloudflare answers it: an empty mechanism list is left out (terraform-provider-cloudflare #7342)."""
    shown = copy.deepcopy(policy)
    shown["mechanisms"] = dict((k, v) for k, v in (policy.get("mechanisms") or {}).items() if v)
    return shown


def register(app):
    ctx = app.emulator
    store = ctx.store

    def account(scope):
        return store.alerting.setdefault(scope[1], {"policies": {}, "webhooks": {}, "pagerduty": {}})

    @api_view()
    def list_policies(svc, scope, body):
        with store.lock:
            return [answer(p) for p in account(scope)["policies"].values()]

    @api_view()
    def create_policy(svc, scope, body):
        with store.lock:
            data = account(scope)
            clean = check_policy(body, data, creating=True)
            now = ctx.clock.iso()
            policy_id = str(uuid.uuid4())
            policy = dict({"id": policy_id, "description": "", "filters": {}, "created": now, "modified": now}, **clean)
            data["policies"][policy_id] = policy
            return {"id": policy_id}

    def _policy(scope, policy_id):
        policy = account(scope)["policies"].get(policy_id)
        if policy is None:
            raise ApiError(*NO_POLICY)
        return policy

    @api_view()
    def get_policy(svc, scope, body, policy_id):
        with store.lock:
            return answer(_policy(scope, policy_id))

    @api_view()
    def update_policy(svc, scope, body, policy_id):
        with store.lock:
            policy = _policy(scope, policy_id)
            clean = check_policy(body, account(scope), creating=False)
            if policy.get("alert_type") != ALERT_TYPE and "alert_type" not in clean:
                raise _invalid("alert_type: the emulator plays only %s" % ALERT_TYPE)
            policy.update(clean, modified=ctx.clock.iso())
            return {"id": policy_id}

    @api_view()
    def delete_policy(svc, scope, body, policy_id):
        with store.lock:
            _policy(scope, policy_id)
            del account(scope)["policies"][policy_id]
            return None

    base = "/client/v4/accounts/<account_id>/alerting/v3/policies"
    for rule, endpoint, view, method in (
            (base, "alerting_policies_list", list_policies, "GET"),
            (base, "alerting_policies_create", create_policy, "POST"),
            (base + "/<policy_id>", "alerting_policy_get", get_policy, "GET"),
            (base + "/<policy_id>", "alerting_policy_update", update_policy, "PUT"),
            (base + "/<policy_id>", "alerting_policy_delete", delete_policy, "DELETE")):
        app.add_url_rule(rule, endpoint=endpoint, view_func=view, methods=[method], provide_automatic_options=False)

    def seed(account_id):
        """A test aid: store destinations ({"webhooks": [{id, name, url, secret}], "pagerduty": [{id, name}]}) and
        policies ({"policies": [...]}, any alert type, unchecked) in the account."""
        body = request.get_json(silent=True)
        if not isinstance(body, dict):
            return jsonify({"error": "body must be an object"}), 400
        with store.lock:
            if account_id not in store.accounts:
                return jsonify({"error": "unknown account %s" % account_id}), 400
            data = store.alerting.setdefault(account_id, {"policies": {}, "webhooks": {}, "pagerduty": {}})
            now = ctx.clock.iso()
            for kind in ("webhooks", "pagerduty"):
                for item in body.get(kind) or []:
                    destination = dict(item)
                    destination.setdefault("id", uuid.uuid4().hex)
                    data[kind][destination["id"]] = destination
            made = []
            for item in body.get("policies") or []:
                policy = dict({"id": str(uuid.uuid4()), "description": "", "enabled": True, "filters": {},
                               "mechanisms": {}, "created": now, "modified": now}, **item)
                data["policies"][policy["id"]] = policy
                made.append(policy["id"])
            return jsonify({"policies": made, "webhooks": sorted(data["webhooks"]), "pagerduty": sorted(data["pagerduty"])})

    app.add_url_rule("/__emulator/alerting/<account_id>", endpoint="admin_alerting_seed", view_func=seed, methods=["POST"])
