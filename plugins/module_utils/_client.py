# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection: it may change without notice.
"""The one HTTP client of the collection.

Only this file speaks HTTP. It knows the Cloudflare v4 envelope, both auth styles, the retry
policy and the Logpush endpoints; it knows nothing about Ansible, so it is unit-tested alone.
Retries come from urllib3's ``Retry`` (through ``requests``), narrowed to what is safe:

* GET, PUT and DELETE are retried on 429, 500, 502, 503, 504, on connection errors and on
  timeouts (a repeated PUT or DELETE leaves the same state; the caller treats a 404 on a
  repeated DELETE as done);
* POST is retried only when it cannot have taken effect: a 429 or a refused connection. Any
  other failure of a POST is raised with ``may_have_taken_effect`` set, so that the module
  that sent it can look before it writes again;
* except the POSTs that are safe to repeat (``repeatable=True``: the ownership challenge, which
  only writes one more file whose token is as good, and its validation, which only reads):
  they are retried like a GET.
"""

from __future__ import annotations

import json
import random

from urllib.parse import quote

from ._redact import redact_text

try:
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - depends on the managed host
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = exc
    Retry = object

DEFAULT_BASE_URL = "https://api.cloudflare.com/client/v4"
COLLECTION = "cloudflare_community.logpush"
# galaxy.yml's version (modules cannot read it where they run); make release-check fails when they differ
COLLECTION_VERSION = "0.1.0"

# Cloudflare blocks a client for 5 minutes past its rate limit; a longer Retry-After is bogus.
MAX_RETRY_AFTER = 300
# Exponential backoff (with jitter) never waits longer than this between two tries.
MAX_BACKOFF = 30
RETRY_STATUSES = frozenset((429, 500, 502, 503, 504))
IDEMPOTENT_METHODS = frozenset(("GET", "HEAD", "PUT", "DELETE"))


class CloudflareError(Exception):
    """Any failure of a request: an error answer, an unreadable body, or no answer at all.

    ``failure()`` is what reaches the user; it never holds a header or a request body.
    """

    def __init__(self, message, method=None, path=None, http_status=None, errors=None,
                 messages=None, retries=0, may_have_taken_effect=False, timed_out=False):
        super(CloudflareError, self).__init__(message)
        self.message = message
        self.method = method
        self.path = path
        self.http_status = http_status
        self.errors = errors or []
        self.messages = messages or []
        self.retries = retries
        self.may_have_taken_effect = may_have_taken_effect
        self.timed_out = timed_out

    @property
    def codes(self):
        return [e.get("code") for e in self.errors if isinstance(e, dict) and e.get("code") is not None]

    def has_code(self, code):
        return code in self.codes

    @property
    def job_not_found(self):
        """Cloudflare's own "job not found", and nothing else that answers 404.

        A wrong base URL, account id or route also answers 404 (route errors 7000/7003), and must
        never read as "the job is absent". Terraform provider v4 matched the text "job not found"
        (resource_cloudflare_logpush_job.go); the code of that answer is not documented."""
        return self.http_status == 404 and any(
            "job not found" in (e.get("message") or "").lower() for e in self.errors if isinstance(e, dict))

    @property
    def job_quota_exceeded(self):
        """Cloudflare's answer to a create beyond the dataset's job quota (HTTP 403, code 1004)."""
        return any("exceeded max jobs" in (e.get("message") or "").lower() for e in self.errors if isinstance(e, dict))

    def failure(self):
        return {
            "http_status": self.http_status,
            "codes": self.codes,
            "messages": [e.get("message") for e in self.errors if isinstance(e, dict)],
            "method": self.method,
            "path": self.path,
            "retries": self.retries,
        }

    def __str__(self):
        return self.message


class CloudflareConnectionError(CloudflareError):
    """No answer came back: refused, reset, timed out, TLS failure."""


class _Retry(Retry):
    """urllib3's Retry, with Cloudflare's rules: POST only on 429, capped Retry-After, jitter."""

    def is_retry(self, method, status_code, has_retry_after=False):
        if method and method.upper() == "POST":
            # A 429 is refused before anything happens; any other status may follow a write.
            return status_code == 429 and self.total is not None and self.total > 0
        return super(_Retry, self).is_retry(method, status_code, has_retry_after)

    def get_retry_after(self, response):
        seconds = super(_Retry, self).get_retry_after(response)
        if seconds is None:
            return None
        return min(seconds, MAX_RETRY_AFTER)

    def get_backoff_time(self):
        tries = len(self.history)
        if tries == 0:
            return 0
        delay = min(self.backoff_factor * (2 ** (tries - 1)), MAX_BACKOFF)
        return delay * random.uniform(0.5, 1.0)


class _RepeatableRetry(_Retry):
    """For POSTs that are safe to repeat: retried like GET, PUT and DELETE."""

    def is_retry(self, method, status_code, has_retry_after=False):
        return Retry.is_retry(self, method, status_code, has_retry_after)


def _retry_policy(max_retries, backoff_factor, repeatable_post=False):
    methods = IDEMPOTENT_METHODS | {"POST"} if repeatable_post else IDEMPOTENT_METHODS
    return (_RepeatableRetry if repeatable_post else _Retry)(
        total=max_retries,
        connect=max_retries,
        read=max_retries,
        status=max_retries,
        other=0,
        allowed_methods=methods,
        status_forcelist=RETRY_STATUSES,
        backoff_factor=backoff_factor,
        respect_retry_after_header=True,
        raise_on_status=False,
        raise_on_redirect=True,
    )


def _session(headers, validate_certs, retry):
    session = requests.Session()
    session.verify = validate_certs
    session.trust_env = True
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers.update(headers)
    return session


def _retries_done(response):
    retries = getattr(getattr(response, "raw", None), "retries", None)
    return len(retries.history) if retries is not None else 0


class CloudflareClient(object):
    """A session against the Cloudflare v4 API with one credential."""

    def __init__(self, base_url=DEFAULT_BASE_URL, api_token=None, api_email=None, api_key=None,
                 timeout=30, validate_certs=True, max_retries=5, backoff_factor=0.5,
                 user_agent=None, rate_limiter=None):
        if not HAS_REQUESTS:
            raise RuntimeError("the Python library 'requests' is required")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.secrets = [s for s in (api_token, api_key) if s]
        headers = {
            "Accept": "application/json",
            "User-Agent": user_agent or "%s/%s" % (COLLECTION, COLLECTION_VERSION),
        }
        if api_token:
            headers["Authorization"] = "Bearer %s" % api_token
        elif api_email and api_key:
            headers["X-Auth-Email"] = api_email
            headers["X-Auth-Key"] = api_key
        self.session = _session(headers, validate_certs, _retry_policy(max_retries, backoff_factor))
        # the same, for POSTs that are safe to repeat
        self._repeatable = _session(headers, validate_certs, _retry_policy(max_retries, backoff_factor, True))
        self.rate_limiter = rate_limiter

    # -- transport -------------------------------------------------------------------------

    def request(self, method, path, params=None, body=None, repeatable=False, whole_envelope=False):
        """Send one request (with its retries) and return the envelope's ``result``.

        ``repeatable``: a POST that is safe to send twice, retried like a GET. ``whole_envelope``:
        return the whole envelope (for ``result_info`` of paginated lists)."""
        method = method.upper()
        path = "/" + path.lstrip("/")
        url = self.base_url + path
        kwargs = {"params": params, "timeout": self.timeout}
        if body is not None:
            kwargs["data"] = json.dumps(body)
            kwargs["headers"] = {"Content-Type": "application/json"}
        if self.rate_limiter is not None:
            self.rate_limiter.acquire()
        try:
            response = (self._repeatable if repeatable else self.session).request(method, url, **kwargs)
        except requests.exceptions.RequestException as exc:
            raise self._connection_error(method, path, exc)
        if self.rate_limiter is not None:
            self.rate_limiter.learn(response.headers)
        body = self._read_envelope(method, path, response)
        return body if whole_envelope else body.get("result")

    def get(self, path, params=None):
        return self.request("GET", path, params=params)

    def post(self, path, body=None, repeatable=False):
        return self.request("POST", path, body=body if body is not None else {}, repeatable=repeatable)

    def put(self, path, body):
        return self.request("PUT", path, body=body)

    def delete(self, path):
        return self.request("DELETE", path)

    def _connection_error(self, method, path, exc):
        refused = isinstance(exc, requests.exceptions.ConnectTimeout) or _is_refused(exc)
        timed_out = isinstance(exc, requests.exceptions.Timeout) and not refused
        if timed_out:
            what = "no answer within %s seconds (timeout)" % self.timeout
        elif isinstance(exc, requests.exceptions.SSLError):
            what = "the TLS connection failed (set validate_certs=false only for a test endpoint)"
        elif refused:
            what = "the connection was refused or could not be opened"
        else:
            what = "the connection was lost before an answer came"
        message = "%s %s: %s: %s" % (method, path, what, redact_text(str(exc), self.secrets))
        return CloudflareConnectionError(
            message, method=method, path=path, timed_out=timed_out,
            may_have_taken_effect=(method != "GET" and not refused),
        )

    def _read_envelope(self, method, path, response):
        status = response.status_code
        retries = _retries_done(response)
        try:
            body = response.json()
        except ValueError:
            snippet = " ".join(response.text.split())[:200]
            raise CloudflareError(
                "%s %s: Cloudflare answered HTTP %s with a body that is not JSON (%s)%s: %s"
                % (method, path, status, response.headers.get("Content-Type", "no content type"),
                   _after_retries(retries), redact_text(snippet, self.secrets)),
                method=method, path=path, http_status=status, retries=retries,
                may_have_taken_effect=(method != "GET" and status >= 500),
            )
        if not isinstance(body, dict) or "success" not in body:
            raise CloudflareError(
                "%s %s: HTTP %s, the answer is not a Cloudflare v4 envelope%s: %s"
                % (method, path, status, _after_retries(retries),
                   redact_text(json.dumps(body)[:200], self.secrets)),
                method=method, path=path, http_status=status, retries=retries,
            )
        if body.get("success") is True and status < 400:
            return body
        errors = [e for e in (body.get("errors") or []) if isinstance(e, dict)]
        details = "; ".join(
            "%s (code %s)" % (redact_text(str(e.get("message", "")), self.secrets), e.get("code")) for e in errors
        ) or "no error details"
        raise CloudflareError(
            "%s %s: Cloudflare answered HTTP %s%s: %s" % (method, path, status, _after_retries(retries), details),
            method=method, path=path, http_status=status, retries=retries,
            errors=[dict(e, message=redact_text(str(e.get("message", "")), self.secrets)) for e in errors],
            messages=body.get("messages") or [],
            may_have_taken_effect=(method != "GET" and status >= 500),
        )

    # -- Cloudflare endpoints ------------------------------------------------------------------

    def find_zone_ids(self, name):
        """Ids of the zones called ``name`` that this credential can see."""
        zones = self.get("/zones", params={"name": name, "per_page": 50}) or []
        return [z["id"] for z in zones if isinstance(z, dict) and z.get("name") == name]

    def list_zones(self, account_id=None):
        """Every zone this credential can see (of one account, when given): one request per 50 zones."""
        zones = []
        page = 1
        while True:
            params = {"per_page": 50, "page": page}
            if account_id:
                params["account.id"] = account_id
            answer = self.request("GET", "/zones", params=params, whole_envelope=True)
            zones.extend(z for z in (answer.get("result") or []) if isinstance(z, dict) and z.get("id"))
            pages = (answer.get("result_info") or {}).get("total_pages") or 1
            if page >= pages or not answer.get("result"):
                return zones
            page += 1

    def list_jobs(self, scope, dataset=None):
        if dataset:
            return self.get("%s/logpush/datasets/%s/jobs" % (scope, quote(dataset, safe=""))) or []
        return self.get("%s/logpush/jobs" % scope) or []

    def get_job(self, scope, job_id):
        """The job, or None when Cloudflare says it is not there (a 404 "job not found", or a 200
        whose result is null, which the OpenAPI schema of a single job allows)."""
        try:
            job = self.get("%s/logpush/jobs/%d" % (scope, int(job_id)))
        except CloudflareError as exc:
            if exc.job_not_found:
                return None
            raise
        return job if isinstance(job, dict) else None

    def create_job(self, scope, body):
        return self.post("%s/logpush/jobs" % scope, body)

    def update_job(self, scope, job_id, body):
        return self.put("%s/logpush/jobs/%d" % (scope, int(job_id)), body)

    def delete_job(self, scope, job_id):
        """Delete; True when deleted, False when Cloudflare says the job is not there (someone else, or
        a retried DELETE whose first try went through)."""
        try:
            self.delete("%s/logpush/jobs/%d" % (scope, int(job_id)))
        except CloudflareError as exc:
            if exc.job_not_found:
                return False
            raise
        return True

    def dataset_fields(self, scope, dataset):
        return self.get("%s/logpush/datasets/%s/fields" % (scope, quote(dataset, safe=""))) or {}

    def validate_destination(self, scope, destination_conf):
        """``{valid, message}``: Cloudflare checks that it can write to the destination (cloudflare-go v6
        ValidateService.Destination, POST /logpush/validate/destination); nothing is created."""
        return self.post("%s/logpush/validate/destination" % scope, {"destination_conf": destination_conf},
                         repeatable=True)

    def request_ownership(self, scope, destination_conf):
        return self.post("%s/logpush/ownership" % scope, {"destination_conf": destination_conf}, repeatable=True)

    def validate_ownership(self, scope, destination_conf, token):
        return self.post("%s/logpush/ownership/validate" % scope,
                         {"destination_conf": destination_conf, "ownership_challenge": token}, repeatable=True)

    # -- the zone's custom log fields: the entrypoint ruleset of one Rulesets API phase -----------

    def get_phase_entrypoint(self, scope, phase):
        """The zone's entrypoint ruleset of ``phase`` (with its rules), or None when the zone has none.

        Cloudflare answers a phase that never had a ruleset with HTTP 404, code 10003, "could not find
        entrypoint ruleset in the <phase> phase" (Rulesets API docs, "View a specific ruleset": 404 when the
        ruleset cannot be found; the code and text as recorded by several public Rulesets clients, fairly
        sure). Any other 404 (a wrong api_base_url or zone id: route errors 7000/7003) is raised."""
        try:
            ruleset = self.get("%s/rulesets/phases/%s/entrypoint" % (scope, quote(phase, safe="")))
        except CloudflareError as exc:
            if exc.http_status == 404 and (exc.has_code(10003) or any(
                    "could not find entrypoint ruleset" in (e.get("message") or "").lower()
                    for e in exc.errors if isinstance(e, dict))):
                return None
            raise
        return ruleset if isinstance(ruleset, dict) else None

    def put_phase_entrypoint(self, scope, phase, rules):
        """Replace every rule of the zone's entrypoint ruleset of ``phase``; Cloudflare creates the ruleset
        when the zone has none (Rulesets API docs, "Update and deploy rulesets" and "Create ruleset")."""
        return self.put("%s/rulesets/phases/%s/entrypoint" % (scope, quote(phase, safe="")), {"rules": rules})

    # -- an account's Notifications policies (alerting v3) ---------------------------------------

    def list_notification_policies(self, account_scope):
        """Every notification policy of the account, in one request (the list is not paginated: cloudflare-python
        ``alerting.policies.list`` returns a ``SyncSinglePage``; fairly sure)."""
        return self.get("%s/alerting/v3/policies" % account_scope) or []

    def create_notification_policy(self, account_scope, body):
        """POST; Cloudflare answers only the new policy's ``{"id": ...}`` (cloudflare-python PolicyCreateResponse)."""
        return self.post("%s/alerting/v3/policies" % account_scope, body) or {}

    def update_notification_policy(self, account_scope, policy_id, body):
        """PUT; Cloudflare answers only ``{"id": ...}`` (cloudflare-python PolicyUpdateResponse)."""
        return self.put("%s/alerting/v3/policies/%s" % (account_scope, quote(policy_id, safe="")), body) or {}

    def delete_notification_policy(self, account_scope, policy_id):
        """DELETE; False when Cloudflare says the policy is not there (a retried DELETE whose first try went
        through). A 404 of routing (codes 7000, 7003: a wrong api_base_url or account id) is raised."""
        try:
            self.delete("%s/alerting/v3/policies/%s" % (account_scope, quote(policy_id, safe="")))
        except CloudflareError as exc:
            if exc.http_status == 404 and not (exc.has_code(7000) or exc.has_code(7003)):
                return False
            raise
        return True


def _after_retries(retries):
    return " after %d retries" % retries if retries else ""


def _is_refused(exc):
    """True when the TCP connection was never opened, so the request cannot have been sent."""
    seen = set()
    cause = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, ConnectionRefusedError):
            return True
        name = type(cause).__name__
        if name in ("NewConnectionError", "ConnectTimeoutError", "NameResolutionError"):
            return True
        reason = getattr(cause, "reason", None)
        cause = reason if reason is not None else (cause.__cause__ or cause.__context__)
        if cause is None and exc.args:
            inner = exc.args[0]
            cause = inner if isinstance(inner, BaseException) and id(inner) not in seen else None
    return False
