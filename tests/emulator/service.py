"""What each Logpush endpoint does. Routes stay thin; this is where the rules meet state and destinations.

A scope is a tuple ("zone"|"account", id). Every method returns the envelope's `result` or raises
ApiError / JobError. Destination I/O happens outside the store lock.
"""
import secrets

from . import envelope
from .destinations import DestinationError, WriteError, date_path, parse_destination
from .envelope import ApiError
from .jobs import READ_ONLY, JobError, apply_update, check_combination, check_dataset, check_fields, check_logpull, new_job, serialise
from .ownership import challenge_filename


def destination_failure(cause):
    """The text Cloudflare gives when the test write fails (create, every PUT, and validate/destination)."""
    return "error validating destination: error writing object: %s" % cause


def _destination_error(cause):
    return ApiError(400, envelope.BAD_REQUEST_CODE, destination_failure(cause))


class LogpushService:
    def __init__(self, store, catalog, dio, tokens, clock):
        self.store = store
        self.catalog = catalog
        self.dio = dio
        self.tokens = tokens
        self.clock = clock

    # -- helpers --------------------------------------------------------------------------------------
    def _view(self, job):
        settings = self.store.settings
        return serialise(job, settings["redact_destination"], settings["answer_style"], settings["time_created"])

    def _find(self, scope, job_id):
        try:
            job_id = int(job_id)
        except (TypeError, ValueError):
            raise ApiError.of(envelope.JOB_NOT_FOUND) from None
        job = self.store.get_job(scope[0], scope[1], job_id)
        if job is None:
            raise ApiError.of(envelope.JOB_NOT_FOUND)
        return job

    def _check_dataset_path(self, scope, dataset):
        try:
            check_dataset(dataset, scope[0])
        except JobError as exc:
            raise ApiError.bad_request(str(exc)) from None

    def _limit_reached(self, scope, dataset):
        settings = self.store.settings
        quota = settings["job_quota"].get(dataset)
        if quota is not None:
            # a per-dataset quota always counts the jobs of that dataset in the zone/account
            return len(self.store.scope_jobs(scope[0], scope[1], dataset)) >= quota
        per_dataset = settings["job_limit_per"] == "dataset"
        count = len(self.store.scope_jobs(scope[0], scope[1], dataset if per_dataset else None))
        return count >= settings["job_limit"]

    def _check_limit(self, scope, dataset):
        if self._limit_reached(scope, dataset):
            status, code, message = envelope.JOB_LIMIT
            raise ApiError(status, code, message % dataset)

    def _check_token(self, scope, dest, token):
        if self.tokens.check(token, scope[0], scope[1], dest.raw) is not None:
            raise ApiError.of(envelope.OWNERSHIP_INVALID)

    def _test_write(self, dest):
        try:
            self.dio.test_write(dest)
        except WriteError as exc:
            raise _destination_error(exc) from None

    # -- jobs -----------------------------------------------------------------------------------------
    def list_jobs(self, scope, dataset=None):
        if dataset is not None:
            self._check_dataset_path(scope, dataset)
        with self.store.lock:
            jobs = sorted(self.store.scope_jobs(scope[0], scope[1], dataset), key=lambda j: j["id"])
            return [self._view(j) for j in jobs]

    def get_job(self, scope, job_id):
        with self.store.lock:
            if self.store.settings["missing_job"] == "null" and job_id.isdigit():
                # The other shape seen for a job id that does not exist here: 200, success, result null.
                job = self.store.get_job(scope[0], scope[1], int(job_id))
                return None if job is None else self._view(job)
            return self._view(self._find(scope, job_id))

    def create_job(self, scope, body):
        body = {k: v for k, v in body.items() if k not in READ_ONLY}
        dataset = body.pop("dataset", None)
        if dataset in (None, ""):
            if scope[0] == "account":
                raise JobError("dataset is required for account-scoped jobs (http_requests, the default, is zone-scoped)")
            dataset = "http_requests"
        check_dataset(dataset, scope[0])
        if not body.get("destination_conf"):
            raise JobError("destination_conf is required")
        clean = check_fields(body, scope[0], dataset, self.catalog, self.store.settings["filter_reading"],
                             self.store.settings["unknown_output_options"],
                             self.store.settings["unknown_schemes"])
        candidate = new_job(0, scope[0], scope[1], dataset, clean)
        dest = check_combination(candidate)
        self._check_limit(scope, dataset)
        if dest.needs_challenge:
            self._check_token(scope, dest, clean.get("ownership_challenge"))
        self._test_write(dest)
        with self.store.lock:
            self._check_limit(scope, dataset)
            candidate["id"] = self.store.next_id
            candidate["time_created"] = self.clock.iso()
            self.store.next_id += 1
            self.store.jobs[candidate["id"]] = candidate
            return self._view(candidate)

    def update_job(self, scope, job_id, body):
        with self.store.lock:
            current = dict(self._find(scope, job_id))
        body = {k: v for k, v in body.items() if k not in READ_ONLY}
        dataset = body.pop("dataset", None)
        if dataset is not None and dataset != current["dataset"]:
            raise JobError("dataset cannot be changed (job has %r, request has %r)" % (current["dataset"], dataset))
        if "kind" in body:
            kind = body.pop("kind")
            if (kind or "") != (current["kind"] or ""):
                raise JobError("kind cannot be used to update existing jobs (job has %r)" % (current["kind"] or ""))
        clean = check_fields(body, scope[0], current["dataset"], self.catalog, self.store.settings["filter_reading"],
                             self.store.settings["unknown_output_options"],
                             self.store.settings["unknown_schemes"])
        merged = dict(current)
        apply_update(merged, clean)
        dest = check_combination(merged)
        if merged["destination_conf"] != current["destination_conf"] and dest.needs_challenge:
            self._check_token(scope, dest, clean.get("ownership_challenge"))
        # Every PUT re-validates the destination: unknown for Cloudflare, the stricter choice (README, open question 2).
        self._test_write(dest)
        with self.store.lock:
            job = self._find(scope, job_id)
            enabling = clean.get("enabled") is True and not job["enabled"]
            if enabling or clean.get("destination_conf", job["destination_conf"]) != job["destination_conf"]:
                job["failing_since"] = None  # a re-enabled (or re-pointed) job gets a fresh 24 hours
            apply_update(job, clean)
            return self._view(job)

    def delete_job(self, scope, job_id):
        with self.store.lock:
            job = self._find(scope, job_id)
            del self.store.jobs[job["id"]]
            return {"id": job["id"]}

    def fields(self, scope, dataset):
        self._check_dataset_path(scope, dataset)
        return dict(self.catalog.get(dataset))

    # -- ownership ------------------------------------------------------------------------------------
    def ownership(self, scope, body):
        conf = body["destination_conf"]
        try:
            dest = parse_destination(conf, self.store.settings["unknown_schemes"])
        except DestinationError as exc:
            return {"filename": "", "message": "destination is invalid: %s" % exc, "valid": False}
        if not dest.needs_challenge:
            # README, open question 10: the stricter choice -- nothing is written, a client must not rely on a challenge here.
            return {"filename": "", "message": "destination does not require an ownership challenge", "valid": False}
        prefix = "" if dest.kind == "sumo" else date_path(dest.prefix, self.clock.now_dt())
        key = challenge_filename(prefix, secrets.token_hex(8))
        token = self.tokens.issue(scope[0], scope[1], conf)
        try:
            self.dio.check_reachable(dest)
            location = self.dio.put_object(dest, key, token.encode())
        except WriteError as exc:
            return {"filename": "", "message": "error writing object: %s" % exc, "valid": False}
        # Cloudflare: "the filename may be expressed as a path"; whether it starts with the bucket (container)
        # is not documented, so the setting challenge_filename_with_bucket answers it that way too.
        filename = key
        if self.store.settings["challenge_filename_with_bucket"] and dest.kind in ("s3_aws", "gs", "azure"):
            filename = "%s/%s" % (dest.bucket, key)
        with self.store.lock:
            self.store.ownership_files.append({
                "destination_conf": conf, "filename": filename, "token": token, "location": location,
                "scope_type": scope[0], "scope_id": scope[1], "created": self.clock.iso(),
            })
        return {"filename": filename, "message": "", "valid": True}

    def ownership_validate(self, scope, body):
        try:
            parse_destination(body["destination_conf"], self.store.settings["unknown_schemes"])
        except DestinationError:
            return {"valid": False}
        reason = self.tokens.check(body.get("ownership_challenge"), scope[0], scope[1], body["destination_conf"])
        return {"valid": reason is None}

    # -- validate -------------------------------------------------------------------------------------
    def destination_exists(self, scope, body):
        conf = body["destination_conf"]
        return {"exists": any(j["destination_conf"] == conf for j in self.store.scope_jobs(scope[0], scope[1]))}

    def validate_destination(self, scope, body):
        """The same test write as a create (same object, same unreachable switch); failure -> valid:false and
        the create's error text in `message`."""
        try:
            dest = parse_destination(body["destination_conf"], self.store.settings["unknown_schemes"])
        except DestinationError as exc:
            return {"valid": False, "message": str(exc)}
        try:
            self._test_write(dest)
        except ApiError as exc:
            return {"valid": False, "message": exc.message}
        return {"valid": True, "message": ""}

    def validate_origin(self, scope, body):
        dataset = body.get("dataset") or ("http_requests" if scope[0] == "zone" else None)
        try:
            if dataset is not None:
                check_dataset(dataset, scope[0])
            text = body["logpull_options"]
            if not text:
                raise JobError("logpull_options is empty")
            check_logpull(text, dataset, self.catalog)
        except JobError as exc:
            return {"valid": False, "message": str(exc)}
        return {"valid": True, "message": ""}

    # -- Instant Logs (edge) --------------------------------------------------------------------------
    def edge_list(self, scope):
        with self.store.lock:
            return [dict(j) for j in self.store.edge_jobs.get(scope[1], [])]

    def edge_create(self, scope, body):
        fields = body.get("fields") or ""
        names = [f for f in fields.split(",") if f]
        unknown = self.catalog.unknown_fields("http_requests", names)
        if unknown:
            raise JobError("fields: unknown field(s) for dataset http_requests: %s" % ", ".join(unknown))
        sample = body.get("sample", 1)
        if sample is not None and sample < 1:
            raise JobError("sample must be an integer >= 1")
        session = secrets.token_hex(16)
        job = {"destination_conf": "wss://logs.cloudflare.com/instant-logs/ws/sessions/%s" % session,
               "session_id": session, "fields": fields, "filter": body.get("filter") or "", "sample": sample or 1}
        with self.store.lock:
            self.store.edge_jobs.setdefault(scope[1], []).append(job)
        return dict(job)

