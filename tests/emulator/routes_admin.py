"""Testing aids under /__emulator/ (plain JSON, no auth, loopback clients only -- see faults.ApiMiddleware)."""
import base64
import gzip
import json
import os
import re
import secrets
import threading
import time

from flask import jsonify, request

from . import azurite, defaults
from .jobs import JobError, check_dataset, check_fields, new_job
from .store import DEFAULT_ACCOUNT_ID, DEFAULT_ZONE_ID, ID_RE


class Receivers:
    """The built-in HTTP receiver for https:// destinations: stores what arrives, can be told to fail."""

    def __init__(self):
        self.lock = threading.Lock()
        self.items = {}

    def _get(self, name):
        return self.items.setdefault(name, {"status": 200, "requests": []})

    def receive(self, name, headers, body, query):
        if body[:2] == b"\x1f\x8b":
            try:
                body = gzip.decompress(body)
            except OSError:
                pass
        with self.lock:
            item = self._get(name)
            item["requests"].append({"headers": headers, "body": body.decode("utf-8", "replace"), "query": query,
                                     "time": time.time()})
            return item["status"]

    def configure(self, name, status):
        with self.lock:
            self._get(name)["status"] = status

    def get(self, name):
        with self.lock:
            item = self._get(name)
            return {"name": name, "status": item["status"], "requests": list(item["requests"])}

    def clear(self, name=None):
        with self.lock:
            if name is None:
                self.items = {}
            else:
                self.items.pop(name, None)


def _json():
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        raise AdminError("body is not valid JSON") from None
    if not isinstance(data, dict):
        raise AdminError("body must be a JSON object")
    return data


class AdminError(Exception):
    pass


def seed_job(ctx, body):
    """Store a job as if created long ago: the usual field checks, but no destination write or challenge,
    and the legacy kind "instant-logs" is allowed (README, Sources: instant-logs)."""
    scope_type = body.get("scope_type", "zone")
    if scope_type not in ("zone", "account"):
        raise AdminError("scope_type must be zone or account")
    scope_id = body.get("scope_id") or (DEFAULT_ZONE_ID if scope_type == "zone" else DEFAULT_ACCOUNT_ID)
    if not ctx.store.scope_exists(scope_type, scope_id):
        raise AdminError("unknown %s %s" % (scope_type, scope_id))
    fields = dict(body.get("job") or {})
    kind = fields.pop("kind", "") or ""
    if kind not in ("", "edge", "instant-logs"):
        raise AdminError("kind must be \"\", \"edge\" or \"instant-logs\"")
    dataset = fields.pop("dataset", None) or "http_requests"
    # A job from before 2020 (http_requests only), answered without a dataset: null in the null style, left
    # out in the others (README, Sources: jobs without a dataset). Not "": the spec's enum does not have it.
    legacy = "answer_dataset" in body
    if legacy and (body["answer_dataset"] is not None or dataset != "http_requests"):
        raise AdminError("answer_dataset must be null, for an http_requests job")
    try:
        check_dataset(dataset, scope_type)
        if not fields.get("destination_conf"):
            raise JobError("destination_conf is required")
        clean = check_fields(fields, scope_type, dataset, ctx.catalog)
    except JobError as exc:
        raise AdminError(str(exc)) from None
    with ctx.store.lock:
        job = new_job(ctx.store.next_id, scope_type, scope_id, dataset, clean)
        job["kind"] = kind
        if legacy:
            job["answer_dataset"] = body["answer_dataset"]
        job["time_created"] = ctx.clock.iso()
        ctx.store.next_id += 1
        ctx.store.jobs[job["id"]] = job
        return dict(job)


def register(app):
    ctx = app.emulator
    store = ctx.store

    def route(path, methods):
        def decorate(fn):
            def wrapper(**kwargs):
                try:
                    return fn(**kwargs)
                except (AdminError, ValueError) as exc:
                    return jsonify({"error": str(exc)}), 400
            app.add_url_rule("/__emulator" + path, endpoint="admin_" + fn.__name__, view_func=wrapper, methods=methods)
            return fn
        return decorate

    @route("/health", ["GET"])
    def health():
        # the pid lets a launcher tell its own emulator from another one on the same port (scripts/with-emulator.sh)
        return jsonify({"ok": True, "pid": os.getpid()})

    @route("/defaults", ["GET"])
    def defaults_():
        return jsonify(defaults.as_dict())

    @route("/reset", ["POST"])
    def reset():
        body = _json()
        ctx.reset(s3=bool(body.get("s3")))
        return jsonify({"ok": True})

    @route("/requests", ["GET", "DELETE"])
    def requests_log():
        if request.method == "DELETE":
            ctx.request_log.clear()
            return jsonify({"ok": True})
        since = request.args.get("since", "0")
        if not since.isdigit():
            return jsonify({"error": "since must be a request number (0 or more), as 'last' gave it"}), 400
        entries, last = ctx.request_log.list(int(since))
        return jsonify({"requests": entries, "last": last})

    @route("/requests/last", ["GET"])
    def requests_last():
        return jsonify({"last": ctx.request_log.last()})

    @route("/faults", ["GET", "POST", "DELETE"])
    def faults():
        if request.method == "POST":
            return jsonify({"fault": ctx.faults.add(_json())})
        if request.method == "DELETE":
            ctx.faults.clear()
            return jsonify({"ok": True})
        return jsonify({"faults": ctx.faults.list(), "late_writes_pending": ctx.late_writes.pending()})

    @route("/rate-limit", ["GET", "POST"])
    def rate_limit():
        if request.method == "POST":
            body = _json()
            extra = {k: v for k, v in body.items() if k not in ("limit", "window")}
            ctx.rate_limiter.configure(body.get("limit", 0), body.get("window"), **extra)
        return jsonify(ctx.rate_limiter.config())

    @route("/clock", ["GET", "POST"])
    def clock():
        if request.method == "POST":
            advance = _json().get("advance", 0)
            if isinstance(advance, bool) or not isinstance(advance, (int, float)) or advance < 0:
                raise AdminError("advance must be a number of seconds >= 0")
            ctx.clock.advance(advance)
        return jsonify({"now": ctx.clock.now(), "iso": ctx.clock.iso(), "offset": ctx.clock.offset})

    @route("/ownership-files", ["GET"])
    def ownership_files():
        conf = request.args.get("destination_conf")
        with store.lock:
            files = [dict(f) for f in store.ownership_files if conf is None or f["destination_conf"] == conf]
        return jsonify({"files": files})

    @route("/objects", ["GET"])
    def objects():
        conf = request.args.get("destination_conf")
        out = []
        for obj in ctx.sink.list(conf):
            data = obj["data"]
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            try:
                content = data.decode("utf-8")
            except UnicodeDecodeError:
                content = base64.b64encode(data).decode()
            out.append({"destination_conf": obj["destination_conf"], "key": obj["key"], "content": content})
        return jsonify({"objects": out})

    @route("/zones", ["GET", "POST"])
    def zones():
        if request.method == "POST":
            body = _json()
            zone_id = body.get("id") or secrets.token_hex(16)
            if not ID_RE.match(zone_id) or not body.get("name"):
                raise AdminError("need name and (optional) id of 32 lowercase hex characters")
            return jsonify({"zone": store.add_zone(zone_id, body["name"], body.get("account_id") or next(iter(store.accounts)))})
        with store.lock:
            return jsonify({"zones": [dict(z) for z in store.zones.values()]})

    @route("/accounts", ["GET", "POST"])
    def accounts():
        if request.method == "POST":
            body = _json()
            account_id = body.get("id") or secrets.token_hex(16)
            if not ID_RE.match(account_id) or not body.get("name"):
                raise AdminError("need name and (optional) id of 32 lowercase hex characters")
            return jsonify({"account": store.add_account(account_id, body["name"])})
        with store.lock:
            return jsonify({"accounts": [dict(a) for a in store.accounts.values()]})

    @route("/tokens", ["GET", "POST"])
    def tokens():
        if request.method == "POST":
            body = _json()
            limits = {}
            for key in ("zones", "accounts"):
                value = body.get(key)
                if value is not None and (not isinstance(value, list) or not all(isinstance(v, str) for v in value)):
                    raise AdminError("%s must be a list of ids or null" % key)
                limits[key] = value
            with store.lock:
                if body.get("token"):
                    store.tokens[body["token"]] = limits
                elif body.get("email") and body.get("key"):
                    store.keys[(body["email"], body["key"])] = limits
                else:
                    raise AdminError("need token, or email and key")
            return jsonify({"ok": True})
        with store.lock:
            return jsonify({"tokens": [dict(token=t, **v) for t, v in store.tokens.items()],
                            "keys": [dict(email=e, key=k, **v) for (e, k), v in store.keys.items()]})

    @route("/settings", ["GET", "POST"])
    def settings():
        if request.method == "POST":
            store.update_settings(_json())
        with store.lock:
            return jsonify(dict(store.settings))

    @route("/storage", ["GET"])
    def storage():
        return jsonify({"s3": ctx.s3_endpoint, "gcs": ctx.gcs_endpoint, "azure": ctx.azure_endpoint,
                        "azure_account": azurite.ACCOUNT if ctx.azure_endpoint else None})

    def _azure_endpoint():
        if not ctx.azure_endpoint:
            raise AdminError("no Azurite configured (start the emulator with --azure-port or --azure-endpoint)")
        return ctx.azure_endpoint

    @route("/azure/containers", ["POST"])
    def azure_containers():
        name = _json().get("name")
        try:
            created = azurite.create_container(_azure_endpoint(), name)
        except azurite.AzuriteError as exc:
            raise AdminError(str(exc)) from None
        return jsonify({"name": name, "created": created})

    @route("/azure/sas", ["POST"])
    def azure_sas():
        body = _json()
        _azure_endpoint()
        container, permissions = body.get("container"), body.get("permissions", "r")
        try:
            azurite.check_container_name(container)
        except azurite.AzuriteError as exc:
            raise AdminError(str(exc)) from None
        if not isinstance(permissions, str) or not permissions or set(permissions) - set("racwdl"):
            raise AdminError("permissions: letters of racwdl (read, add, create, write, delete, list)")
        expiry = body.get("expiry")
        if expiry is not None and not (isinstance(expiry, str) and re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", expiry)):
            raise AdminError("expiry: YYYY-MM-DDThh:mm:ssZ")
        return jsonify({"sas": azurite.container_sas(container, permissions, expiry), "account": azurite.ACCOUNT})

    @route("/push", ["POST"])
    def push():
        return jsonify({"pushed": ctx.pusher.push_cycle()})

    @route("/jobs", ["GET", "POST"])
    def jobs():
        if request.method == "POST":
            return jsonify({"job": seed_job(ctx, _json())})
        with store.lock:
            return jsonify({"jobs": [dict(j) for j in sorted(store.jobs.values(), key=lambda j: j["id"])]})

    @route("/spec-violations", ["GET"])
    def spec_violations():
        return jsonify({"violations": list(ctx.spec_violations)})

    @route("/receiver/<name>", ["GET", "POST", "DELETE"])
    def receiver(name):
        if request.method == "POST":
            headers = {k: v for k, v in request.headers.items()}
            status = ctx.receivers.receive(name, headers, request.get_data(), request.query_string.decode())
            return jsonify({"ok": status < 400}), status
        if request.method == "DELETE":
            ctx.receivers.clear(name)
            return jsonify({"ok": True})
        return jsonify(ctx.receivers.get(name))

    @route("/receiver/<name>/config", ["POST"])
    def receiver_config(name):
        status = _json().get("status", 200)
        if not isinstance(status, int) or not 200 <= status <= 599:
            raise AdminError("status must be an HTTP status code")
        ctx.receivers.configure(name, status)
        return jsonify(ctx.receivers.get(name))
