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

What it refuses, whatever the peer says (the README's "Safe by default"):

* any redirect (3xx). Cloudflare's v4 API answers every call at the URL it was sent to and never
  redirects (its API reference documents no 3xx answer for any endpoint; sure). Following one
  would hand the legacy ``X-Auth-Email``/``X-Auth-Key`` headers (``requests`` keeps them across
  hosts, it only drops ``Authorization``) and, on a 307/308, the POST body with its destination
  keys to another host, and take that host's answer as Cloudflare's;
* an answer that is not the shape Cloudflare sends: a ``result`` of the wrong type, JSON nested
  deeper than any Cloudflare answer, more pages than a listing can have. Each is a
  ``CloudflareError`` that says what was wrong, never a Python traceback.
"""

from __future__ import annotations

import json
import random
import re
import ssl

from urllib.parse import quote, urlsplit

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
# The deepest a Cloudflare answer nests is a job in a list in the envelope (about 5 levels); 32 leaves
# room and stops a body built to exhaust the parser or whatever walks it later.
MAX_JSON_DEPTH = 32
# A listing of zones at 50 per page: 2,000 pages are 100,000 zones, far beyond any account; a larger
# total_pages is a broken answer, and following it would spend the user's rate limit.
MAX_PAGES = 2000
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

    @property
    def credential_refused(self):
        """Cloudflare refused the credential itself, whatever the zone or account: none was sent (9106), or it
        is malformed (6003 "Invalid request headers" with 6111 in its chain), or an unknown legacy key (9103),
        or HTTP 401. Sources: cf-terraforming issues #790 (9106) and #103 (6003/6111); 9103 "Unknown
        X-Auth-Key or X-Auth-Email" in many users' reports (medium). A well-formed token Cloudflare does not
        know answers 403/10000, which is also the answer for a zone outside the token's reach: not counted."""
        return self.http_status == 401 or bool(set(self.codes) & {9106, 6003, 6111, 9103})

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


CREDENTIAL_ENV = (("api_token", "CLOUDFLARE_API_TOKEN"), ("api_email", "CLOUDFLARE_EMAIL"),
                  ("api_key", "CLOUDFLARE_API_KEY"))
# Cloudflare's credentials never hold whitespace: tokens and keys are letters, digits and "_" (a prefix such
# as cfut_, 40 characters and a checksum: developers.cloudflare.com/fundamentals/api/get-started/
# token-formats/; older ones are 40 or 37 such characters; sure). Whitespace around one is an artefact (a
# YAML block scalar or a vault string ends with a newline) and is removed; whitespace or a control
# character inside one is refused, without the value. Sent as is, requests refuses the header and quotes it.
_INNER_BLANK = re.compile(r"[\s\x00-\x1f\x7f]")


class CredentialError(ValueError):
    """The credential options cannot be used; the message never holds a value."""


def resolve_credentials(params, environ, where="the task"):
    """{api_token, api_email, api_key, sources, stripped} from the task's options, else the environment.

    The task's own credential always wins: the environment is read only for what the task leaves out of
    the one method it gives (CLOUDFLARE_EMAIL for a task's api_key, and the other way round), or for a
    whole method when the task gives none (then CLOUDFLARE_API_TOKEN before CLOUDFLARE_EMAIL and
    CLOUDFLARE_API_KEY). Only two methods given in the task itself are a conflict. ``sources`` says where
    each value came from (for messages); ``stripped`` names the values whose surrounding whitespace was
    removed. ``where`` names what gives ``params`` (the event source: "the arguments")."""
    given = {}
    sources = {}
    stripped = set()
    for option, variable in CREDENTIAL_ENV:
        for value, source in ((params.get(option), where),
                              (environ.get(variable), "the environment variable %s" % variable)):
            clean = value.strip() if isinstance(value, str) else ""
            if not clean:
                continue
            given.setdefault(option, {})[source] = clean
            if clean != value:
                stripped.add((option, source))
    task = dict((option, values[where]) for option, values in given.items() if where in values)
    if task.get("api_token") and task.get("api_key"):
        raise CredentialError(
            "api_token and api_key are both given in %s: give one method only, api_token, or api_email with "
            "api_key. (The environment variables are used only when %s gives no credential.)" % (where, where))
    if task.get("api_token") and task.get("api_email"):
        # an e-mail goes with the legacy key only: beside a token it would be ignored, and the task may have
        # meant the other method (module_defaults giving one, the task the other)
        raise CredentialError(
            "api_token and api_email are both given in %s: api_email goes with api_key (the legacy global key). "
            "Remove api_email to use the token, or give api_key instead of api_token." % where)

    def from_env(option):
        values = given.get(option, {})
        for source, value in values.items():
            if source != where:
                return value, source
        return None, None

    if "api_token" in task:
        method = ("api_token",)
    elif "api_key" in task or ("api_email" in task and from_env("api_key")[0]):
        method = ("api_email", "api_key")
    elif from_env("api_token")[0]:
        # an api_email alone (say from module_defaults) is no method: the environment's token is used
        method = ("api_token",)
    else:
        method = ("api_email", "api_key")
    resolved = {"api_token": None, "api_email": None, "api_key": None}
    for option in method:
        if option in task:
            resolved[option], sources[option] = task[option], where
        else:
            resolved[option], sources[option] = from_env(option)
    missing = [option for option in method if not resolved[option]]
    if method == ("api_token",) or len(missing) == 2:
        if missing:
            raise CredentialError(
                "No credential: set api_token (or api_email and api_key) in %s, or the environment variable "
                "CLOUDFLARE_API_TOKEN (or CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY)." % where)
    elif missing:
        have = [o for o in method if o not in missing][0]
        raise CredentialError(
            "%s is given (from %s) but not %s: set %s in %s, or the environment variable %s; or use api_token."
            % (have, sources[have], missing[0], missing[0], where, dict(CREDENTIAL_ENV)[missing[0]]))
    resolved["sources"] = dict((o, s) for o, s in sources.items() if resolved.get(o))
    for option, source in resolved["sources"].items():
        if _INNER_BLANK.search(resolved[option]):
            raise CredentialError(
                "%s (from %s) holds whitespace or a control character inside it; Cloudflare's credentials never "
                "do. Check how it is written (its value is not shown)." % (option, source))
    resolved["stripped"] = ["%s (from %s)" % (o, s) for o, s in sorted(stripped) if resolved["sources"].get(o) == s]
    return resolved


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


if HAS_REQUESTS:
    class _NoRedirectSession(requests.Session):
        """A session that never follows a redirect, whatever a caller asks (see the module doc)."""

        def request(self, method, url, *args, **kwargs):
            kwargs["allow_redirects"] = False
            return super(_NoRedirectSession, self).request(method, url, *args, **kwargs)


def _session(headers, validate_certs, retry):
    session = _NoRedirectSession()
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
        self.validate_certs = validate_certs
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
        # verify on every request: requests replaces a session's verify=False by REQUESTS_CA_BUNDLE
        # (Session.merge_environment_settings), so validate_certs=false would not be honoured
        kwargs = {"params": params, "timeout": self.timeout, "verify": self.validate_certs}
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

    def _typed(self, method, path, result, kinds, what, allow_none=True):
        """``result`` when it is one of ``kinds`` (or None, when allowed), else a clear error."""
        if (result is None and allow_none) or (isinstance(result, kinds) and not isinstance(result, bool)):
            return result
        raise CloudflareError(
            "%s %s: the answer is not what Cloudflare sends: its result should be %s, got %s"
            % (method, path, what, type(result).__name__),
            method=method, path=path, may_have_taken_effect=(method != "GET"))

    def _job_list(self, path, result):
        jobs = self._typed("GET", path, result, list, "a list of jobs") or []
        # an item that is not an object is left out, as the modules always did; an object whose id is not a
        # whole number is refused: every caller uses the id in a path or sorts by it
        for job in jobs:
            if isinstance(job, dict) and not _is_job_id(job.get("id")):
                raise CloudflareError(
                    "GET %s: the answer is not what Cloudflare sends: every job should be an object with a "
                    "numeric id, got %s" % (path, _short(redact_text(json.dumps(job), self.secrets))),
                    method="GET", path=path)
        return jobs

    def next_page(self, method, path, answer, page):
        """The page to ask for after ``page`` of a paginated listing, or None when it was the last.

        Refuses a ``total_pages`` that is not a whole number or beyond ``MAX_PAGES``."""
        info = answer.get("result_info") or {}
        pages = info.get("total_pages") if isinstance(info, dict) else None
        if pages is None:
            pages = 1
        if isinstance(pages, bool) or not isinstance(pages, int) or pages > MAX_PAGES:
            raise CloudflareError(
                "%s %s: the answer is not what Cloudflare sends: result_info.total_pages should be a whole "
                "number up to %d, got %s" % (method, path, MAX_PAGES, _short(json.dumps(pages))),
                method=method, path=path)
        if page >= pages or not answer.get("result") or page >= MAX_PAGES:
            return None
        return page + 1

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
        elif isinstance(exc, requests.exceptions.SSLError) or _tls_failure(exc):
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
        if 300 <= status < 400:
            # nothing of the request goes further: the Location is named, never followed (module doc)
            location = urlsplit(response.headers.get("Location") or "")
            where = "%s://%s%s" % (location.scheme, location.netloc.rpartition("@")[2], location.path) \
                if location.netloc else (location.path or "no Location")
            raise CloudflareError(
                "%s %s: the API answered HTTP %s, a redirect to %s; Cloudflare's API never redirects, so it was "
                "not followed (no credential or body was sent there): check api_base_url, and any proxy between "
                "this host and the API" % (method, path, status, redact_text(where, self.secrets)),
                method=method, path=path, http_status=status, retries=retries,
                may_have_taken_effect=(method != "GET"),
            )
        try:
            body = response.json()
        except (ValueError, RecursionError):
            raw = response.text
            shape = "JSON nested too deep to read" if raw.lstrip()[:1] in ("[", "{") else "not JSON"
            # redact the whole body, then cut: a cut first could leave part of a secret unrecognised
            snippet = _short(" ".join(redact_text(raw, self.secrets).split()))
            raise CloudflareError(
                "%s %s: Cloudflare answered HTTP %s with a body that is %s (%s)%s: %s"
                % (method, path, status, shape, response.headers.get("Content-Type", "no content type"),
                   _after_retries(retries), snippet),
                method=method, path=path, http_status=status, retries=retries,
                may_have_taken_effect=(method != "GET" and status >= 500),
            )
        if _too_deep(body):
            raise CloudflareError(
                "%s %s: HTTP %s, the answer is not what Cloudflare sends: its JSON is nested deeper than %d levels"
                % (method, path, status, MAX_JSON_DEPTH),
                method=method, path=path, http_status=status, retries=retries,
                may_have_taken_effect=(method != "GET" and status >= 500),
            )
        if not isinstance(body, dict) or "success" not in body:
            raise CloudflareError(
                "%s %s: HTTP %s, the answer is not a Cloudflare v4 envelope%s: %s"
                % (method, path, status, _after_retries(retries),
                   _short(redact_text(json.dumps(body), self.secrets))),
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
        zones = self._typed("GET", "/zones", self.get("/zones", params={"name": name, "per_page": 50}),
                            list, "a list of zones") or []
        return [z["id"] for z in zones if isinstance(z, dict) and z.get("name") == name]

    def list_zones(self, account_id=None):
        """Every zone this credential can see (of one account, when given): one request per 50 zones."""
        return [zone for zones, _more in self.zone_pages(account_id) for zone in zones]

    def zone_pages(self, account_id=None):
        """The zones this credential can see (of one account, when given), one page of 50 at a time: each
        request is sent only when its page is asked for, so that a caller can pace them (the event source).
        Yields (zones, whether another page follows)."""
        page = 1
        while page is not None:
            params = {"per_page": 50, "page": page}
            if account_id:
                params["account.id"] = account_id
            answer = self.request("GET", "/zones", params=params, whole_envelope=True)
            result = self._typed("GET", "/zones", answer.get("result"), list, "a list of zones") or []
            page = self.next_page("GET", "/zones", answer, page)
            yield [z for z in result if isinstance(z, dict) and z.get("id")], page is not None

    def list_jobs(self, scope, dataset=None):
        if dataset:
            path = "%s/logpush/datasets/%s/jobs" % (scope, quote(dataset, safe=""))
        else:
            path = "%s/logpush/jobs" % scope
        return self._job_list(path, self.get(path))

    def get_job(self, scope, job_id):
        """The job, or None when Cloudflare says it is not there (a 404 "job not found", or a 200
        whose result is null, which the OpenAPI schema of a single job allows)."""
        path = "%s/logpush/jobs/%d" % (scope, int(job_id))
        try:
            job = self.get(path)
        except CloudflareError as exc:
            if exc.job_not_found:
                return None
            raise
        return self._typed("GET", path, job, dict, "a job (an object) or null")

    def create_job(self, scope, body):
        path = "%s/logpush/jobs" % scope
        return self._typed("POST", path, self.post(path, body), dict, "the job created (an object)")

    def update_job(self, scope, job_id, body):
        path = "%s/logpush/jobs/%d" % (scope, int(job_id))
        return self._typed("PUT", path, self.put(path, body), dict, "the job updated (an object)")

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
        path = "%s/logpush/datasets/%s/fields" % (scope, quote(dataset, safe=""))
        return self._typed("GET", path, self.get(path), dict, "an object of field names") or {}

    def validate_destination(self, scope, destination_conf):
        """``{valid, message}``: Cloudflare checks that it can write to the destination (cloudflare-go v6
        ValidateService.Destination, POST /logpush/validate/destination); nothing is created."""
        path = "%s/logpush/validate/destination" % scope
        return self._typed("POST", path, self.post(path, {"destination_conf": destination_conf}, repeatable=True),
                           dict, "an object")

    def request_ownership(self, scope, destination_conf):
        path = "%s/logpush/ownership" % scope
        return self._typed("POST", path, self.post(path, {"destination_conf": destination_conf}, repeatable=True),
                           dict, "an object")

    def validate_ownership(self, scope, destination_conf, token):
        path = "%s/logpush/ownership/validate" % scope
        return self._typed("POST", path, self.post(path, {"destination_conf": destination_conf,
                                                          "ownership_challenge": token}, repeatable=True),
                           dict, "an object")

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


def _short(text, limit=200):
    """At most ``limit`` characters of a text already redacted."""
    return text if len(text) <= limit else text[:limit] + "..."


def _is_job_id(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _too_deep(value):
    """True when ``value`` nests lists and objects deeper than MAX_JSON_DEPTH (walked without recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth > MAX_JSON_DEPTH:
                return True
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def _causes(exc):
    """``exc`` and every exception it wraps (``reason``, ``__cause__``, ``__context__``, a first arg)."""
    seen = set()
    todo = [exc]
    while todo:
        cause = todo.pop(0)
        if not isinstance(cause, BaseException) or id(cause) in seen:
            continue
        seen.add(id(cause))
        yield cause
        # ssl.SSLError.reason is a str (such as "CERTIFICATE_VERIFY_FAILED"), not an exception: skipped
        todo.extend(c for c in (getattr(cause, "reason", None), cause.__cause__, cause.__context__)
                    if isinstance(c, BaseException))
        if cause.args and isinstance(cause.args[0], BaseException):
            todo.append(cause.args[0])


def _tls_failure(exc):
    return any(isinstance(cause, ssl.SSLError) or type(cause).__name__ == "SSLError" for cause in _causes(exc))


def _is_refused(exc):
    """True when the TCP connection was never opened, so the request cannot have been sent."""
    for cause in _causes(exc):
        if isinstance(cause, ConnectionRefusedError):
            return True
        if type(cause).__name__ in ("NewConnectionError", "ConnectTimeoutError", "NameResolutionError"):
            return True
    return False
