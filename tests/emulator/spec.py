"""Load the Logpush OpenAPI spec once and precompile JSON-Schema validators for requests and responses.

The OpenAPI 3.0 schemas are dereferenced and converted to plain JSON Schema (``nullable`` becomes
``anyOf [null, ...]``) and compiled with jsonschema's Draft 7 validator. No ``format`` checking: the
spec says ``destination_conf`` is a ``uri``, but Cloudflare accepts ``{DATE}`` in it; destination
shapes are checked by :mod:`emulator.destinations` instead.

The JSON file is never edited. Where the 2026 API differs from the spec, the in-memory copy is
patched in :func:`_patch_spec` (each patch says why).
"""
import json
import os
import re

import jsonschema

SPEC_PATH = os.path.join(os.path.dirname(__file__), "spec", "logpush-openapi.json")

EXTRA_DATASETS = ("account_abuse_protection_events", "magic_bgp_logs")


def _patch_spec(spec):
    schemas = spec["components"]["schemas"]
    # 2026 reality: datasets newer than the spec's enum (Cloudflare docs list them).
    schemas["logpush_dataset"]["enum"] = sorted(set(schemas["logpush_dataset"]["enum"]) | set(EXTRA_DATASETS))
    # 2026 reality: job-level `filter_attack_traffic` (cloudflare-docs PR#33538) on the job and on POST/PUT bodies.
    fat = {"type": "boolean", "nullable": True, "description": "emulator patch: filter_attack_traffic (2026)"}
    schemas["logpush_filter_attack_traffic"] = fat
    ref = {"$ref": "#/components/schemas/logpush_filter_attack_traffic"}
    schemas["logpush_logpush_job"]["properties"]["filter_attack_traffic"] = ref
    for path, item in spec["paths"].items():
        if path.endswith("/logpush/jobs") or path.endswith("/logpush/jobs/{job_id}"):
            for method in ("post", "put"):
                if method in item:
                    body = item[method]["requestBody"]["content"]["application/json"]["schema"]
                    body["properties"]["filter_attack_traffic"] = ref
    # Answers only: legacy jobs may still be returned with kind "instant-logs" (the spec's own kind description
    # says so; README, Sources: instant-logs). Request bodies keep the strict enum ["", "edge"].
    schemas["logpush_logpush_job"]["properties"]["kind"] = {"type": "string", "nullable": True, "enum": ["", "edge", "instant-logs"]}
    # The `missing_job: "null"` setting answers a GET of a job that does not exist with 200 and `result: null`.
    # The job schema itself is nullable, but the envelope it is wrapped in (api-response-single) allows only an
    # object or a string as result; the single-job answer gets a copy of that envelope that also allows null.
    single = json.loads(json.dumps(schemas["logpush_api-response-single"]))
    single["allOf"][1]["properties"]["result"]["anyOf"].append({"type": "null"})
    job_single = schemas["logpush_logpush_job_response_single"]
    job_single["allOf"] = [single if part.get("$ref", "").endswith("/logpush_api-response-single") else part
                           for part in job_single["allOf"]]
    # Destination pages document what the 2026 schema lacks (README, Sources: destination parameters): IBM Cloud
    # Logs takes max_upload_bytes 2000000 (below the schema's 5 MB minimum; the emulator checks each destination's
    # range itself), and BigQuery's output_options.stringify_object.
    schemas["logpush_max_upload_bytes"]["anyOf"][1]["minimum"] = 1
    schemas["logpush_output_options"]["properties"]["stringify_object"] = {
        "type": "boolean", "nullable": True, "default": False,
        "description": "emulator patch: BigQuery destination page (stringify object fields)"}
    # Cloudflare's rate limiter answers code 971 (README, Sources: rate limit), below the spec's `minimum: 1000`.
    schemas["logpush_messages"]["items"]["properties"]["code"]["minimum"] = 900
    return spec


def _convert(node, schemas, seen=()):
    """Dereference $ref and turn OpenAPI 3.0 keywords into JSON Schema."""
    if isinstance(node, list):
        return [_convert(n, schemas, seen) for n in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            raise ValueError("recursive schema %s" % name)
        return _convert(schemas[name], schemas, seen + (name,))
    out = {}
    for key, value in node.items():
        if key in ("example", "examples", "description", "deprecated", "format", "default", "nullable") or key.startswith("x-"):
            continue
        if key == "properties":
            out[key] = {k: _convert(v, schemas, seen) for k, v in value.items()}
        elif key in ("items", "additionalProperties", "not"):
            out[key] = _convert(value, schemas, seen) if isinstance(value, dict) else value
        elif key in ("allOf", "anyOf", "oneOf"):
            out[key] = [_convert(v, schemas, seen) for v in value]
        else:
            out[key] = value
    if out.get("type") == "array":
        out.pop("minLength", None)
    if node.get("nullable"):
        out = {"anyOf": [{"type": "null"}, out]}
    return out


class SpecValidationError(Exception):
    def __init__(self, schema_name, error):
        self.schema_name = schema_name
        self.error = error
        where = "/".join(str(p) for p in error.absolute_path) or "(root)"
        super().__init__("%s: %s at %s" % (schema_name, error.message[:300], where))


class Validator:
    def __init__(self, name, schema):
        self.name = name
        self.schema = schema
        jsonschema.Draft7Validator.check_schema(schema)
        self._v = jsonschema.Draft7Validator(schema)

    def validate(self, instance):
        err = jsonschema.exceptions.best_match(self._v.iter_errors(instance))
        if err is not None:
            raise SpecValidationError(self.name, err)

    def errors(self, instance):
        return list(self._v.iter_errors(instance))


def _schema_name(node):
    if "$ref" in node:
        return node["$ref"].rsplit("/", 1)[-1]
    for key in ("allOf", "anyOf"):
        for part in node.get(key, []):
            if "$ref" in part:
                return part["$ref"].rsplit("/", 1)[-1]
    return "inline"


# Zones API (not part of the Logpush spec): the v4 paginated list and a single zone.
_ZONE = {
    "type": "object",
    "required": ["id", "name", "status", "account"],
    "properties": {
        "id": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
        "name": {"type": "string"},
        "status": {"type": "string"},
        "paused": {"type": "boolean"},
        "type": {"type": "string"},
        "account": {"type": "object", "required": ["id", "name"],
                    "properties": {"id": {"type": "string"}, "name": {"type": "string"}}},
    },
}
RULESET_ENTRYPOINT = "/zones/{zone_id}/rulesets/phases/http_log_custom_fields/entrypoint"
_FIELD_LIST = {"type": "array", "items": {"type": "object", "required": ["name"], "properties": {
    "name": {"type": "string", "minLength": 1}, "preserve_duplicates": {"type": "boolean"}}}}
# cloudflare-python types/rulesets/phase_get_response.py (PhaseGetResponse) and log_custom_field_rule.py
_RULESET = {
    "type": "object",
    "required": ["id", "kind", "last_updated", "name", "phase", "rules", "version"],
    "properties": {
        "id": {"type": "string"}, "name": {"type": "string"}, "description": {"type": "string"},
        "kind": {"enum": ["managed", "custom", "root", "zone"]}, "phase": {"type": "string"},
        "version": {"type": "string"}, "last_updated": {"type": "string", "format": "date-time"},
        "rules": {"type": "array", "items": {
            "type": "object",
            "required": ["last_updated", "version"],
            "properties": {
                "id": {"type": "string"}, "version": {"type": "string"}, "action": {"type": "string"},
                "expression": {"type": "string"}, "description": {"type": "string"}, "enabled": {"type": "boolean"},
                "ref": {"type": "string"}, "last_updated": {"type": "string", "format": "date-time"},
                "action_parameters": {"type": "object", "properties": {
                    key: _FIELD_LIST for key in ("request_fields", "transformed_request_fields", "response_fields",
                                                 "raw_response_fields", "cookie_fields")}},
            },
        }},
    },
}
ALERTING_POLICIES = "/accounts/{account_id}/alerting/v3/policies"
ALERTING_POLICY = ALERTING_POLICIES + "/{policy_id}"
_MECHANISM_LIST = {"type": "array", "items": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}}
# cloudflare-python types/alerting/policy.py (Policy) and mechanism.py (Mechanism: lists of {id})
_POLICY = {
    "type": "object",
    "required": ["id", "name", "alert_type", "enabled", "mechanisms", "created", "modified"],
    "properties": {
        "id": {"type": "string"}, "name": {"type": "string"}, "alert_type": {"type": "string"},
        "description": {"type": "string"}, "enabled": {"type": "boolean"}, "alert_interval": {"type": "string"},
        "filters": {"type": "object"}, "created": {"type": "string", "format": "date-time"},
        "modified": {"type": "string", "format": "date-time"},
        "mechanisms": {"type": "object", "additionalProperties": _MECHANISM_LIST},
    },
}
# cloudflare-python PolicyCreateResponse / PolicyUpdateResponse: the id only
_POLICY_ID = {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}}
_RESULT_INFO = {
    "type": "object",
    "required": ["page", "per_page", "count", "total_count", "total_pages"],
    "properties": {k: {"type": "integer", "minimum": 0} for k in ("page", "per_page", "count", "total_count", "total_pages")},
}


class Spec:
    """Precompiled validators, keyed by (spec path template, method)."""

    def __init__(self, path=SPEC_PATH):
        with open(path, encoding="utf-8") as fh:
            self.raw = _patch_spec(json.load(fh))
        schemas = self.raw["components"]["schemas"]
        self.schemas = schemas
        self.failure = Validator("logpush_api-response-common-failure",
                                 _convert({"$ref": "#/components/schemas/logpush_api-response-common-failure"}, schemas))
        self.job = Validator("logpush_logpush_job", _convert({"$ref": "#/components/schemas/logpush_logpush_job"}, schemas))
        common = _convert({"$ref": "#/components/schemas/logpush_api-response-common"}, schemas)
        self.requests = {}
        self.responses = {}
        self._valid_jobs = {}
        for path, item in self.raw["paths"].items():
            for method, op in item.items():
                if method not in ("get", "post", "put", "delete"):
                    continue
                key = (path, method.upper())
                body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
                if body is not None:
                    self.requests[key] = Validator("%s request body" % op["operationId"], _convert(body, schemas))
                ok = op["responses"]["200"]["content"]["application/json"]["schema"]
                self.responses[key] = Validator(_schema_name(ok), _convert(ok, schemas))
        # The spec's 4XX for the edge paths is allOf(collection, failure), which no body can satisfy
        # (result must be an array and null at once); every 4XX/5XX is checked against the common failure.
        self.zone_list = Validator("zones list (v4 paginated)", {"allOf": [common, {
            "required": ["result", "result_info"],
            "properties": {"result": {"type": "array", "items": _ZONE}, "result_info": _RESULT_INFO}}]})
        self.zone_single = Validator("zone single", {"allOf": [common, {"required": ["result"], "properties": {"result": _ZONE}}]})
        # Not in the Logpush spec: the Rulesets API answer for one phase, written from the SDK's types (README,
        # custom fields: the answer's shape).
        self.ruleset_single = Validator("ruleset entrypoint", {"allOf": [common, {"required": ["result"], "properties": {"result": _RULESET}}]})
        # Not in the Logpush spec either: the Notifications API's policies (README, notifications: the answers' shapes).
        self.alerting = {
            (ALERTING_POLICIES, "GET"): Validator("notification policies", {"allOf": [common, {
                "required": ["result"], "properties": {"result": {"type": "array", "items": _POLICY}}}]}),
            (ALERTING_POLICY, "GET"): Validator("notification policy", {"allOf": [common, {
                "required": ["result"], "properties": {"result": _POLICY}}]}),
            (ALERTING_POLICIES, "POST"): Validator("notification policy id", {"allOf": [common, {
                "required": ["result"], "properties": {"result": _POLICY_ID}}]}),
            (ALERTING_POLICY, "PUT"): Validator("notification policy id", {"allOf": [common, {
                "required": ["result"], "properties": {"result": _POLICY_ID}}]}),
            (ALERTING_POLICY, "DELETE"): Validator("notification policy deleted", common),
        }

    def request_validator(self, path, method):
        return self.requests.get((path, method))

    def check_response(self, path, method, status, body):
        """Raise SpecValidationError if `body` is not what the spec allows for this operation/status."""
        if status >= 400:
            self.failure.validate(body)
            return
        if path == "/zones":
            self.zone_list.validate(body)
            return
        if path == "/zones/{zone_id}":
            self.zone_single.validate(body)
            return
        if path == RULESET_ENTRYPOINT:
            self.ruleset_single.validate(body)
            return
        if (path, method) in self.alerting:
            self.alerting[(path, method)].validate(body)
            return
        validator = self.responses.get((path, method))
        if validator is None:
            raise SpecValidationError("(no operation %s %s in the spec)" % (method, path),
                                      jsonschema.exceptions.ValidationError("operation not in spec"))
        if validator.name == "logpush_logpush_job_response_collection" and isinstance(body.get("result"), list):
            # Same checks, faster: the envelope with an empty list, then each job (memoised by content).
            validator.validate(dict(body, result=[]))
            for index, item in enumerate(body["result"]):
                self._check_job_item(validator.name, index, item)
            return
        validator.validate(body)

    def _check_job_item(self, name, index, item):
        # repr of plain JSON values: equal keys mean equal content (a different key order only misses the cache)
        key = repr(item)
        if key in self._valid_jobs:
            return
        err = jsonschema.exceptions.best_match(self.job.errors(item))
        if err is not None:
            err.path.extendleft([index, "result"])
            raise SpecValidationError(name, err)
        if len(self._valid_jobs) > 10000:
            self._valid_jobs.clear()
        self._valid_jobs[key] = True


_SPEC = None


def get_spec():
    global _SPEC
    if _SPEC is None:
        _SPEC = Spec()
    return _SPEC


_RULE_PARAM = re.compile(r"<(?:[a-z]+:)?([a-z_]+)>")


def spec_path_for_rule(rule):
    """`/client/v4/zones/<zone_id>/logpush/jobs/<int:job_id>` -> `/zones/{zone_id}/logpush/jobs/{job_id}`."""
    if rule.startswith("/client/v4"):
        rule = rule[len("/client/v4"):]
    return _RULE_PARAM.sub(r"{\1}", rule)
