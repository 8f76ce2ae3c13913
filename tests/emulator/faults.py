"""WSGI middleware in front of the API: request log, injected faults and the global rate limit.

Admin paths (`/__emulator/...`) pass through untouched (loopback clients only); every other request is
logged, may be faulted, and is rate-limited per credential.
"""
import io
import math
import re
import sys
import threading
import time

from werkzeug.wsgi import get_input_stream

from . import envelope
from .auth import credential_key

ACTIONS = ("status", "delay", "reset", "write_then_drop", "late_write")


class DropConnection(ConnectionAbortedError):
    """Raised from the WSGI app to make the server close the socket without answering (see server.py)."""

    def __init__(self, reset=True):
        super().__init__("connection dropped by emulator fault")
        self.reset = reset


class RequestLog:
    """The API requests answered, in order. Each gets the next number of a count that clearing (and reset) does not
    restart, so a reader can ask for the requests after the last one it saw instead of clearing the log."""

    def __init__(self):
        self.lock = threading.Lock()
        self.entries = []  # (number, entry)
        self.numbered = 0  # the number of the last request, cleared or not

    def add(self, method, path, query):
        entry = {"method": method, "path": path, "query": query, "status": None}
        with self.lock:
            self.numbered += 1
            self.entries.append((self.numbered, entry))
        return entry

    def list(self, since=0):
        """(the entries numbered after ``since``, the last number given)"""
        with self.lock:
            return [dict(e) for number, e in self.entries if number > since], self.numbered

    def last(self):
        """The number of the last request; the requests after it are those ``list(last)`` gives later."""
        with self.lock:
            return self.numbered

    def clear(self):
        with self.lock:
            self.entries = []


class Faults:
    def __init__(self):
        self.lock = threading.Lock()
        self.items = []

    @staticmethod
    def parse(spec):
        if not isinstance(spec, dict):
            raise ValueError("fault must be an object")
        action = spec.get("action", "status")
        if action not in ACTIONS:
            raise ValueError("action must be one of %s" % ", ".join(ACTIONS))
        count = spec.get("count", 1)
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise ValueError("count must be an integer >= 1")
        method = (spec.get("method") or "*").upper()
        path = spec.get("path") or ""
        try:
            re.compile(path)
        except re.error as exc:
            raise ValueError("bad path regex: %s" % exc) from None
        # skip: how many matching requests pass before the fault fires ("refuse the 3rd POST": skip 2)
        skip = spec.get("skip", 0)
        if not isinstance(skip, int) or isinstance(skip, bool) or skip < 0:
            raise ValueError("skip must be an integer >= 0")
        fault = {"method": method, "path": path, "count": count, "action": action}
        if skip:
            fault["skip"] = skip
        if action in ("status", "late_write"):
            status = spec.get("status", 503 if action == "status" else 502)
            if not isinstance(status, int) or isinstance(status, bool) or not 400 <= status <= 599:
                raise ValueError("status must be an HTTP error status (400-599)")
            fault["status"] = status
            if spec.get("retry_after") is not None:
                fault["retry_after"] = spec["retry_after"]
        # a refusal as Cloudflare words it: its error code and message in the failure envelope (4xx only)
        for key, kind in (("code", int), ("message", str)):
            if spec.get(key) is None:
                continue
            value = spec[key]
            if action != "status" or status >= 500 or status == 429:
                raise ValueError("%s is for a status fault with a 4xx status other than 429 (a refusal)" % key)
            if not isinstance(value, kind) or isinstance(value, bool) or not value:
                raise ValueError("code must be a positive integer" if key == "code" else "message must be a non-empty string")
            fault[key] = value
        if action in ("delay", "late_write"):
            delay = spec.get("delay", 1 if action == "delay" else 2)
            if isinstance(delay, bool) or not isinstance(delay, (int, float)) or not 0 <= delay <= 60:
                raise ValueError("delay must be a number of seconds (0-60)")
            fault["delay"] = delay
        return fault

    def add(self, spec):
        fault = self.parse(spec)
        with self.lock:
            self.items.append(fault)
        return dict(fault)

    def take(self, method, path):
        """The first active fault matching this request (its count is decremented), or None."""
        with self.lock:
            for fault in self.items:
                if fault["method"] in ("*", method) and re.search(fault["path"], path):
                    if fault.get("skip", 0) > 0:
                        fault["skip"] -= 1
                        continue
                    fault["count"] -= 1
                    if fault["count"] <= 0:
                        self.items.remove(fault)
                    return dict(fault)
        return None

    def list(self):
        with self.lock:
            return [dict(f) for f in self.items]

    def clear(self):
        with self.lock:
            self.items = []


class LateWrites:
    """Requests of `late_write` faults, carried out on a timer thread after the error was answered.

    Reset cancels the ones still waiting (a late write must not land in the next test's fresh state).
    """

    def __init__(self):
        self.lock = threading.Lock()
        self.timers = []

    def schedule(self, delay, fn):
        timer = threading.Timer(delay, self._run, args=(fn,))
        timer.daemon = True
        with self.lock:
            self.timers = [t for t in self.timers if t.is_alive()]
            self.timers.append(timer)
        timer.start()

    def _run(self, fn):
        try:
            fn()
        except Exception as exc:  # pragma: no cover - reported, the timer thread just ends
            print("emulator: late write failed: %r" % exc, file=sys.stderr, flush=True)

    def pending(self):
        with self.lock:
            return sum(1 for t in self.timers if t.is_alive())

    def cancel_all(self):
        with self.lock:
            timers, self.timers = self.timers, []
        for timer in timers:
            timer.cancel()


def _replayable(environ):
    """A copy of the WSGI environ whose body can be read again later (the socket's stream is gone by then)."""
    body = get_input_stream(environ).read()
    copy = dict(environ)
    copy.pop("HTTP_TRANSFER_ENCODING", None)
    copy.update({"wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body)), "wsgi.input_terminated": False})
    return copy


def _run_silently(app, environ):
    body = app(environ, lambda status, headers, exc_info=None: None)
    try:
        for _chunk in body:
            pass
    finally:
        if hasattr(body, "close"):
            body.close()


# What Cloudflare's rate-limit headers count against while no limit is enforced: 1,200 requests per 300 s
# per user (developers.cloudflare.com fundamentals/api/reference/limits).
DEFAULT_QUOTA = 1200
DEFAULT_WINDOW = 300.0


class RateState:
    """The outcome of one counted request: refused or not, and what the rate-limit headers say."""

    def __init__(self, quota, window, remaining, reset, retry_after=None):
        self.quota = quota
        self.window = window
        self.remaining = remaining
        self.reset = reset
        self.retry_after = retry_after  # set only when the request is refused

    @property
    def refused(self):
        return self.retry_after is not None

    def headers(self):
        """`Ratelimit` / `Ratelimit-Policy` (IETF draft structured fields, as Cloudflare sends them since
        2025-09-03); `Retry-After` only on a refusal."""
        out = [("Ratelimit", '"default";r=%d;t=%d' % (self.remaining, self.reset)),
               ("Ratelimit-Policy", '"default";q=%d;w=%d' % (self.quota, math.ceil(self.window)))]
        if self.refused:
            out.append(("Retry-After", str(self.retry_after)))
        return out


class RateLimiter:
    """Requests per window per credential, on the emulator clock.

    Every request is counted: against the configured limit when one is set (`limit` > 0), else against
    Cloudflare's 1,200 per 300 s, for the headers only. With a limit set, the first request past it starts a
    block (`block` seconds, default: the window) during which every request of that credential is refused;
    after the block the credential starts a fresh window.
    """

    def __init__(self, clock):
        self.clock = clock
        self.lock = threading.Lock()
        self.limit = 0
        self.window = DEFAULT_WINDOW
        self.block = None  # None = the window's length
        self.windows = {}
        self.blocks = {}

    def configure(self, limit, window=None, **kwargs):
        """`block` (keyword): seconds > 0, or None for "as long as the window"; left as it is when not given."""
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 0:
            raise ValueError("limit must be an integer >= 0 (0 = off)")
        if window is not None and (isinstance(window, bool) or not isinstance(window, (int, float)) or window <= 0):
            raise ValueError("window must be a number of seconds > 0")
        unknown = set(kwargs) - {"block"}
        if unknown:
            raise ValueError("unknown rate-limit option(s): %s" % ", ".join(sorted(unknown)))
        block = kwargs.get("block")
        if block is not None and (isinstance(block, bool) or not isinstance(block, (int, float)) or block <= 0):
            raise ValueError("block must be a number of seconds > 0 (or null: as long as the window)")
        with self.lock:
            self.limit = limit
            if window is not None:
                self.window = float(window)
            if "block" in kwargs:
                self.block = None if block is None else float(block)
            self.windows = {}
            self.blocks = {}

    def config(self):
        with self.lock:
            return {"limit": self.limit, "window": self.window, "block": self.block}

    def hit(self, key):
        """Count one request of credential `key`; return its RateState (refused when blocked)."""
        now = self.clock.now()
        with self.lock:
            enforced = self.limit > 0
            quota = self.limit if enforced else DEFAULT_QUOTA
            window = self.window if enforced else DEFAULT_WINDOW
            until = self.blocks.get(key)
            if until is not None:
                if now < until:
                    left = max(1, math.ceil(until - now))
                    return RateState(quota, window, 0, left, retry_after=left)
                del self.blocks[key]
                self.windows.pop(key, None)
            start, count = self.windows.get(key, (None, 0))
            if start is None or now >= start + window:
                start, count = now, 0
            if enforced and count >= quota:
                length = self.block if self.block is not None else window
                self.blocks[key] = now + length
                self.windows[key] = (start, count)
                left = max(1, math.ceil(length))
                return RateState(quota, window, 0, left, retry_after=left)
            count += 1
            self.windows[key] = (start, count)
            return RateState(quota, window, max(0, quota - count), max(1, math.ceil(start + window - now)))


def is_loopback_addr(addr):
    return bool(addr) and (addr.startswith("127.") or addr in ("::1", "::ffff:127.0.0.1"))


class ApiMiddleware:
    def __init__(self, app, ctx):
        self.app = app
        self.ctx = ctx

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path.startswith("/__emulator"):
            if not is_loopback_addr(environ.get("REMOTE_ADDR", "")):
                resp = envelope.json_response({"error": "admin API is for loopback clients only"}, 403)
                return resp(environ, start_response)
            return self.app(environ, start_response)
        method = environ.get("REQUEST_METHOD", "GET")
        entry = self.ctx.request_log.add(method, path, environ.get("QUERY_STRING", ""))
        # Counted first: past the limit (and for the whole block) Cloudflare refuses before anything else.
        rate = self.ctx.rate_limiter.hit(credential_key(environ_headers(environ)))
        if rate.refused:
            entry["status"] = 429
            status, code, message = envelope.RATE_LIMITED
            return self._answer(envelope.error_response(status, code, message), rate, environ, start_response)
        fault = self.ctx.faults.take(method, path)
        if fault is not None:
            action = fault["action"]
            if action == "status":
                entry["status"] = fault["status"]
                resp = envelope.fault_status_response(fault["status"], fault.get("retry_after"), fault.get("code"),
                                                      fault.get("message"))
                return self._answer(resp, rate, environ, start_response)
            if action == "reset":
                entry["status"] = 0
                raise DropConnection(reset=True)
            if action == "late_write":
                # The error is answered now; the request itself is carried out `delay` seconds later.
                entry["status"] = fault["status"]
                replay = _replayable(environ)
                self.ctx.late_writes.schedule(fault["delay"], lambda: _run_silently(self.app, replay))
                resp = envelope.fault_status_response(fault["status"], fault.get("retry_after"))
                return self._answer(resp, rate, environ, start_response)
            if action == "delay":
                time.sleep(fault["delay"])
            if action == "write_then_drop":
                entry["status"] = 0
                _run_silently(self.app, environ)
                raise DropConnection(reset=True)
        extra = rate.headers()

        def capture(status, headers, exc_info=None):
            entry["status"] = int(status.split(" ", 1)[0])
            return start_response(status, list(headers) + extra, exc_info)

        return self.app(environ, capture)

    @staticmethod
    def _answer(resp, rate, environ, start_response):
        if resp.status_code == 429 and not rate.refused:
            # an injected 429: the headers agree with it (nothing left, back after Retry-After)
            retry = int(resp.headers.get("Retry-After", 1))
            rate = RateState(rate.quota, rate.window, 0, retry, retry_after=retry)
        for name, value in rate.headers():
            if name != "Retry-After" or rate.refused:
                resp.headers[name] = value
        return resp(environ, start_response)


class _Headers:
    def __init__(self, environ):
        self.environ = environ

    def get(self, name, default=None):
        return self.environ.get("HTTP_" + name.upper().replace("-", "_"), default)


def environ_headers(environ):
    return _Headers(environ)
