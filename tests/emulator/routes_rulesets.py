"""The Rulesets API, for the one phase Logpush needs: a zone's `http_log_custom_fields` entrypoint ruleset.

GET and PUT /client/v4/zones/<zone_id>/rulesets/phases/http_log_custom_fields/entrypoint, and a test aid,
POST /__emulator/rulesets/<zone_id>, that stores an entrypoint as another tool would have left it (rules of any
action or expression), with no check. README "Sources and how sure" (rows **custom fields**) says where each
rule comes from.
"""
import copy
import secrets

from flask import jsonify, request

from .api import api_view
from .envelope import ApiError

PHASE = "http_log_custom_fields"
ACTION = "log_custom_field"
FIELD_TYPES = ("request_fields", "transformed_request_fields", "response_fields", "raw_response_fields", "cookie_fields")
HEADER_TYPES = FIELD_TYPES[:4]
RESPONSE_TYPES = ("response_fields", "raw_response_fields")
EXCLUSIVE = (("request_fields", "transformed_request_fields"), ("response_fields", "raw_response_fields"))
MAX_PER_TYPE = 100
UNSUPPORTED_REQUEST_HEADERS = ("range",)
# The code of a refused rule is not documented for this phase; 20021 is the emulator's choice (README).
INVALID_RULE_CODE = 20021
# Cloudflare's answer for a phase with no entrypoint ruleset (README, custom fields: missing entrypoint).
NO_ENTRYPOINT = (404, 10003, "could not find entrypoint ruleset in the %s phase" % PHASE)


def _invalid(message):
    return ApiError(400, INVALID_RULE_CODE, message)


def check_rule(index, rule):
    """Refuse a rule Cloudflare refuses in this phase; return the rule as stored (without read-only keys)."""
    where = "rules[%d]" % index
    if not isinstance(rule, dict):
        raise _invalid("%s: expected an object" % where)
    if rule.get("action") != ACTION:
        raise _invalid("%s: action %r is not allowed in the %s phase (allowed: %s)" % (where, rule.get("action"), PHASE, ACTION))
    if rule.get("expression") != "true":
        raise _invalid("%s: the expression of a %s rule must be \"true\"" % (where, ACTION))
    params = rule.get("action_parameters")
    if not isinstance(params, dict):
        raise _invalid("%s: action_parameters are required for the %s action" % (where, ACTION))
    unknown = sorted(set(params) - set(FIELD_TYPES))
    if unknown:
        raise _invalid("%s.action_parameters: unknown field(s) %s" % (where, ", ".join(unknown)))
    names = {}
    for option in FIELD_TYPES:
        items = params.get(option)
        if items is None:
            continue
        if not isinstance(items, list):
            raise _invalid("%s.action_parameters.%s: expected a list" % (where, option))
        if len(items) > MAX_PER_TYPE:
            raise _invalid("%s.action_parameters.%s: at most %d fields are allowed" % (where, option, MAX_PER_TYPE))
        names[option] = []
        for item in items:
            allowed = {"name", "preserve_duplicates"} if option in RESPONSE_TYPES else {"name"}
            if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"] or set(item) - allowed:
                raise _invalid("%s.action_parameters.%s: each field is an object {\"name\": ...}%s" % (
                    where, option, " with an optional preserve_duplicates" if option in RESPONSE_TYPES else ""))
            if "preserve_duplicates" in item and not isinstance(item["preserve_duplicates"], bool):
                raise _invalid("%s.action_parameters.%s: preserve_duplicates must be a boolean" % (where, option))
            name = item["name"]
            if option in HEADER_TYPES and name != name.lower():
                raise _invalid("%s.action_parameters.%s: header name %r must be in lower case" % (where, option, name))
            if option in ("request_fields", "transformed_request_fields") and name in UNSUPPORTED_REQUEST_HEADERS:
                raise _invalid("%s.action_parameters.%s: the request header %r is not supported" % (where, option, name))
            names[option].append(name)
    if not any(names.get(option) for option in FIELD_TYPES):
        raise _invalid("%s.action_parameters: at least one of %s must be set" % (where, ", ".join(FIELD_TYPES)))
    for first, second in EXCLUSIVE:
        both = sorted(set(names.get(first, [])) & set(names.get(second, [])))
        if both:
            raise _invalid("%s.action_parameters: %s is in both %s and %s; a header is logged raw or transformed, "
                           "not both" % (where, ", ".join(both), first, second))
    enabled = rule.get("enabled", True)
    if not isinstance(enabled, bool):
        raise _invalid("%s.enabled must be a boolean" % where)
    description = rule.get("description", "")
    if not isinstance(description, str):
        raise _invalid("%s.description must be a string" % where)
    return {"action": ACTION, "expression": "true", "description": description, "enabled": enabled,
            "action_parameters": copy.deepcopy(params)}


def _stored_rule(clean, old, now):
    """A rule as Cloudflare answers it: its id and ref kept when the PUT named an existing rule, version bumped."""
    rule_id = old["id"] if old else secrets.token_hex(16)
    version = str(int(old["version"]) + 1) if old else "1"
    answer = {"id": rule_id, "version": version, "action": clean["action"], "expression": clean["expression"],
              "description": clean["description"], "last_updated": now, "ref": old["ref"] if old else rule_id,
              "enabled": clean["enabled"], "action_parameters": clean["action_parameters"]}
    return answer


def register(app):
    ctx = app.emulator
    store = ctx.store

    @api_view()
    def get_entrypoint(svc, scope, body):
        with store.lock:
            ruleset = store.rulesets.get(scope[1])
            if ruleset is None:
                raise ApiError(*NO_ENTRYPOINT)
            return copy.deepcopy(ruleset)

    @api_view()
    def put_entrypoint(svc, scope, body):
        rules = body.get("rules")
        if not isinstance(rules, list):
            raise _invalid("rules: a list of rules is required")
        with store.lock:
            ruleset = store.rulesets.get(scope[1])
            existing = dict((r.get("id"), r) for r in (ruleset or {}).get("rules", []))
            now = ctx.clock.iso()
            stored = []
            for index, rule in enumerate(rules):
                clean = check_rule(index, rule)
                rule_id = rule.get("id")
                if rule_id is not None and rule_id not in existing:
                    raise _invalid("rules[%d]: rule %s is not in the ruleset" % (index, rule_id))
                stored.append(_stored_rule(clean, existing.get(rule_id), now))
            if ruleset is None:
                # an entrypoint made by its first PUT (Rulesets API docs, "Create ruleset": created automatically)
                ruleset = {"id": secrets.token_hex(16), "name": "default", "description": "", "kind": "zone",
                           "version": "0", "phase": PHASE}
            ruleset = dict(ruleset, version=str(int(ruleset["version"]) + 1), rules=stored, last_updated=now)
            store.rulesets[scope[1]] = ruleset
            return copy.deepcopy(ruleset)

    path = "/client/v4/zones/<zone_id>/rulesets/phases/%s/entrypoint" % PHASE
    app.add_url_rule(path, endpoint="rulesets_entrypoint_get", view_func=get_entrypoint, methods=["GET"],
                     provide_automatic_options=False)
    app.add_url_rule(path, endpoint="rulesets_entrypoint_put", view_func=put_entrypoint, methods=["PUT"],
                     provide_automatic_options=False)

    def seed(zone_id):
        """A test aid: store the zone's entrypoint with the rules given, unchecked (an entrypoint made elsewhere)."""
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("rules"), list):
            return jsonify({"error": "body must be {\"rules\": [...]}"}), 400
        with store.lock:
            if zone_id not in store.zones:
                return jsonify({"error": "unknown zone %s" % zone_id}), 400
            now = ctx.clock.iso()
            rules = []
            for rule in body["rules"]:
                rule_id = secrets.token_hex(16)
                rules.append(dict({"id": rule_id, "version": "1", "last_updated": now, "ref": rule_id, "enabled": True,
                                   "description": ""}, **rule))
            store.rulesets[zone_id] = {"id": secrets.token_hex(16), "name": "default", "description": "", "kind": "zone",
                                       "version": "1", "phase": PHASE, "rules": rules, "last_updated": now}
            return jsonify({"ruleset": copy.deepcopy(store.rulesets[zone_id])})

    app.add_url_rule("/__emulator/rulesets/<zone_id>", endpoint="admin_rulesets_seed", view_func=seed, methods=["POST"])

