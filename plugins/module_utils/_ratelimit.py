# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection: it may change without notice.
"""A rate limiter shared by every module process on this host: a token bucket in a file.

Cloudflare allows 1,200 requests per 5 minutes per user and blocks every call for 5 minutes past
that. With forks, many module processes talk to the API at once; each takes a token from the same
bucket (a file, locked while it is read and written) before it sends a request, and waits when
there is none. The bucket holds a tenth of the limit and refills the rest evenly over the window,
so no window of that length ever sees more than the limit.

The bucket paces one host. Teams also run Ansible from several places at once with one token (AWX
nodes, CI runners, a laptop), and the bucket of one host knows nothing of the others. Cloudflare
tells every client what is left: since 2025-09-03 each answer carries
``Ratelimit: "default";r=<remaining>;t=<seconds until the window resets>`` and
``Ratelimit-Policy: "default";q=<quota>;w=<window>`` (Cloudflare's API limits page; the IETF
RateLimit header fields draft). The client hands them to ``learn()``; the limiter keeps them in the
same file, counts its own requests down from them, and when what is left falls to a reserve it waits
for the reset instead of spending the last requests, so controllers that share a token but no host
stay under the limit. The reserve (a twentieth of the quota, at least 10) covers the requests other
controllers have in flight.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time

try:
    import fcntl
    HAS_FCNTL = True
except ImportError:  # pragma: no cover - not a POSIX host: no shared limiter
    HAS_FCNTL = False


RESERVE_SHARE = 0.05
MIN_RESERVE = 10


def parse_ratelimit(headers):
    """(remaining, seconds until reset, quota) from Cloudflare's Ratelimit headers, or None.

    With several policies, the one with the least remaining counts."""
    found = []
    for item in (headers.get("Ratelimit") or "").split(","):
        params = dict(part.strip().partition("=")[::2] for part in item.split(";")[1:])
        try:
            found.append((int(params["r"]), float(params["t"])))
        except (KeyError, ValueError):
            continue
    if not found:
        return None
    remaining, reset = min(found)
    quota = None
    for item in (headers.get("Ratelimit-Policy") or "").split(","):
        params = dict(part.strip().partition("=")[::2] for part in item.split(";")[1:])
        if params.get("q", "").isdigit():
            quota = min(quota or int(params["q"]), int(params["q"]))
    return remaining, reset, quota


class SharedRateLimiter(object):
    def __init__(self, limit, window, path, clock=time.time, sleep=time.sleep):
        self.limit = limit
        self.capacity = max(1.0, limit / 10.0)
        self.rate = (limit - self.capacity) / float(window) if limit > self.capacity else limit / float(window)
        self.path = path
        self.clock = clock
        self.sleep = sleep
        self.waited = 0.0

    @classmethod
    def for_credential(cls, limit, window, directory, credential, base_url):
        """The limiter of one credential against one API; None when turned off or not possible."""
        if not limit or limit <= 0 or not HAS_FCNTL:
            return None
        # the file name identifies the credential without revealing it
        key = hashlib.sha256(("%s\n%s" % (base_url, credential)).encode("utf-8")).hexdigest()[:24]
        directory = os.path.expanduser(os.path.expandvars(directory))
        if not os.path.isdir(directory):
            os.makedirs(directory, mode=0o700)
        return cls(limit, window, os.path.join(directory, "cloudflare_community.logpush-%s.ratelimit" % key))

    def acquire(self):
        """Take one token, waiting as long as it takes for one to be there."""
        while True:
            wait = self._take()
            if wait <= 0:
                return
            self.waited += wait
            self.sleep(wait)

    def try_acquire(self):
        """Take one token if there is one now: 0; else how many seconds until there is (nothing taken).
        For callers that must not block, such as the event source, which waits on its own loop."""
        return self._take()

    def learn(self, headers):
        """Keep what Cloudflare's Ratelimit headers of an answer say is left of the shared quota."""
        parsed = parse_ratelimit(headers)
        if parsed is None:
            return
        remaining, reset, quota = parsed
        with self._state() as state:
            state["server"] = {"remaining": remaining, "reset_at": self.clock() + reset, "quota": quota}

    def _take(self):
        """Take a token and return 0, or return how long to wait for the next one."""
        with self._state() as state:
            now = self.clock()
            server = state.get("server")
            if server and now >= server["reset_at"]:
                server = state["server"] = None  # a new window: the next answer says what is left
            if server:
                reserve = max(MIN_RESERVE, RESERVE_SHARE * (server.get("quota") or self.limit))
                if server["remaining"] <= reserve:
                    return server["reset_at"] - now + 0.5  # wait for the reset, keep the token
            tokens = min(self.capacity, state["tokens"] + max(0.0, now - state["at"]) * self.rate)
            wait = 0.0
            if tokens >= 1 - 1e-9:  # after a wait, float arithmetic leaves 0.999...
                tokens = max(0.0, tokens - 1)
                if server:
                    server["remaining"] -= 1
            else:
                wait = (1 - tokens) / self.rate
            state.update(tokens=tokens, at=now)
            return wait

    @contextlib.contextmanager
    def _state(self):
        """The file's state, locked; written back when the block ends."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            state = self._read(fd)
            yield state
            os.lseek(fd, 0, os.SEEK_SET)
            os.ftruncate(fd, 0)
            os.write(fd, json.dumps(state).encode("utf-8"))
        finally:
            os.close(fd)  # also releases the lock

    def _read(self, fd):
        os.lseek(fd, 0, os.SEEK_SET)
        raw = os.read(fd, 4096)
        try:
            state = json.loads(raw.decode("utf-8"))
            state["tokens"], state["at"] = float(state["tokens"]), float(state["at"])
            return state
        except (ValueError, KeyError, TypeError, UnicodeDecodeError, AttributeError):
            return {"tokens": self.capacity, "at": self.clock()}  # a new or unreadable bucket starts full
