"""The Flask app and the emulator context that holds every part together."""
import secrets
from urllib.parse import quote

import requests
from flask import Flask, request
from werkzeug.exceptions import HTTPException

from . import azurite, envelope
from .clock import Clock
from .datasets import FIELDS_DIR, FieldCatalog
from .destinations import DestinationIO, MemorySink
from .faults import ApiMiddleware, Faults, LateWrites, RateLimiter, RequestLog
from .ownership import OwnershipTokens
from .pusher import Pusher
from .routes_admin import Receivers
from .service import LogpushService
from .spec import SpecValidationError, get_spec
from .store import Store


class Emulator:
    """Everything one emulator instance owns. `s3_endpoint` is the S3 server AWS/R2 destinations go to;
    `gcs_endpoint` (a GCS JSON API server) and `azure_endpoint` (Azurite's Blob service root), when given, are
    where gs:// and azure://devstoreaccount1.blob.core.windows.net/... destinations go instead of the in-memory sink."""

    def __init__(self, s3_endpoint=None, job_limit=4, push_interval=5.0, fields_dir=FIELDS_DIR, gcs_endpoint=None,
                 azure_endpoint=None):
        self.s3_endpoint = s3_endpoint
        self.gcs_endpoint = gcs_endpoint.rstrip("/") if gcs_endpoint else None
        self.azure_endpoint = azure_endpoint.rstrip("/") if azure_endpoint else None
        self.spec = get_spec()
        self.clock = Clock()
        self.store = Store({"job_limit": job_limit, "push_interval": push_interval})
        self.catalog = FieldCatalog(fields_dir)
        self.sink = MemorySink()
        self.dio = DestinationIO(s3_endpoint, self.clock, self.sink, self.store.unreachable,
                                 gcs_endpoint=self.gcs_endpoint, azure_endpoint=self.azure_endpoint,
                                 setting=lambda name: self.store.settings.get(name))
        self.tokens = OwnershipTokens(self.clock)
        self.service = LogpushService(self.store, self.catalog, self.dio, self.tokens, self.clock)
        self.pusher = Pusher(self.store, self.catalog, self.dio, self.clock)
        self.request_log = RequestLog()
        self.faults = Faults()
        self.late_writes = LateWrites()
        self.rate_limiter = RateLimiter(self.clock)
        self.receivers = Receivers()
        self.spec_violations = []

    def reset(self, s3=False):
        self.store.reset()
        self.catalog.reload()
        self.sink.clear()
        self.clock.reset()
        self.tokens.secret = secrets.token_hex(32)
        self.request_log.clear()
        self.faults.clear()
        self.late_writes.cancel_all()
        self.rate_limiter.configure(0, 300, block=None)
        self.receivers.clear()
        del self.spec_violations[:]
        if s3 and self.s3_endpoint:
            # moto's own reset endpoint: every bucket and object goes.
            requests.post(self.s3_endpoint + "/moto-api/reset", timeout=10).raise_for_status()
        if s3 and self.gcs_endpoint:
            wipe_gcs(self.gcs_endpoint)
        if s3 and self.azure_endpoint:
            azurite.delete_all_containers(self.azure_endpoint)


def wipe_gcs(endpoint):
    """Delete every object and bucket of the GCS server, through the JSON API (any GCS server has it)."""
    for bucket in requests.get(endpoint + "/storage/v1/b", params={"project": "emulator"}, timeout=10).json().get("items", []):
        name = quote(bucket["name"], safe="")
        objects = requests.get("%s/storage/v1/b/%s/o" % (endpoint, name), timeout=10).json().get("items", [])
        for obj in objects:
            requests.delete("%s/storage/v1/b/%s/o/%s" % (endpoint, name, quote(obj["name"], safe="")), timeout=10)
        requests.delete("%s/storage/v1/b/%s" % (endpoint, name), timeout=10).raise_for_status()


def create_app(s3_endpoint=None, job_limit=4, push_interval=5.0, fields_dir=FIELDS_DIR, gcs_endpoint=None, azure_endpoint=None):
    from . import routes_admin, routes_alerting, routes_logpush, routes_rulesets, routes_zones

    app = Flask("emulator")
    app.json.sort_keys = False
    app.emulator = Emulator(s3_endpoint, job_limit, push_interval, fields_dir, gcs_endpoint=gcs_endpoint,
                            azure_endpoint=azure_endpoint)
    routes_logpush.register(app)
    routes_zones.register(app)
    routes_rulesets.register(app)
    routes_alerting.register(app)
    routes_admin.register(app)

    @app.errorhandler(HTTPException)
    def http_error(exc):
        if request.path.startswith("/__emulator"):
            return envelope.json_response({"error": exc.description}, exc.code)
        if exc.code == 405:
            triple = envelope.METHOD_NOT_ALLOWED
        elif exc.code == 404:
            triple = envelope.NO_ROUTE
        else:
            triple = (exc.code, 1000, exc.name)
        body = envelope.failure(triple[1], triple[2])
        try:
            app.emulator.spec.failure.validate(body)
        except SpecValidationError as err:  # pragma: no cover - a bug in the emulator itself
            body = envelope.failure(1000, "emulator bug: %s" % err)
        return envelope.json_response(body, triple[0])

    @app.errorhandler(Exception)
    def crash(exc):
        if isinstance(exc, HTTPException):
            return http_error(exc)
        app.logger.exception("unhandled error")
        if request.path.startswith("/__emulator"):
            return envelope.json_response({"error": "emulator error: %r" % exc}, 500)
        return envelope.error_response(500, 1000, "emulator error: %s" % type(exc).__name__)

    app.wsgi_app = ApiMiddleware(app.wsgi_app, app.emulator)
    return app
