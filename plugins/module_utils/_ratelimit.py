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

Nothing an answer says may stall or crash a later task: every value read from these headers is
bounded to what Cloudflare can mean, and what the file holds is checked again when it is read (another
process, or an older version, wrote it). Cloudflare's window is 5 minutes ("1200 requests per five
minutes per user"; "all API calls for the next five minutes will be blocked": developers.cloudflare.com/
fundamentals/api/reference/limits/, sure), so a reset (``t``) beyond 300 seconds is read as 300; a
number that is not finite, negative, or absurd (``r`` or ``q`` above 10 million) is ignored; the IETF
draft these headers follow (draft-ietf-httpapi-ratelimit-headers) defines ``r``, ``t``, ``q`` and ``w``
as non-negative integers (sure).

The file lives in a folder other users may reach (``remote_tmp``, the event source's
``rate_limit_dir``): the folder must be ours and writable by no one else, the file is opened without
following a symlink, and any OSError turns the limiter off with a warning instead of failing the task.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
import stat
import time

try:
    import fcntl
    HAS_FCNTL = True
except ImportError:  # pragma: no cover - not a POSIX host: no shared limiter
    HAS_FCNTL = False


RESERVE_SHARE = 0.05
MIN_RESERVE = 10
# Cloudflare's rate-limit window: the longest wait any of its answers can mean (see the module doc)
MAX_RESET = 300.0
# far above any quota Cloudflare grants (1,200 by default; Enterprise may ask for more)
MAX_COUNT = 10 ** 7
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def reserve(quota):
    """How much of a quota to leave to the credential's other clients: a twentieth, at least MIN_RESERVE."""
    return max(MIN_RESERVE, RESERVE_SHARE * quota)


def shared_limiter(params, directory, warn):
    """The bucket that the credential of ``params`` (the modules' common options: api_token, api_email, api_key,
    api_base_url, rate_limit, rate_limit_window) shares on this host, for a module or the event source; None when
    ``rate_limit`` is 0, or when its folder cannot be used (``warn`` says so)."""
    credential = params["api_token"] or "%s:%s" % (params["api_email"], params["api_key"])
    try:
        return SharedRateLimiter.for_credential(params["rate_limit"], params["rate_limit_window"], directory,
                                                credential, params["api_base_url"], warn=warn)
    except OSError as exc:
        warn("The shared rate limiter is off: its folder %s cannot be used (%s)." % (directory, exc.strerror))
        return None


class LimiterUnsafe(OSError):
    """The limiter's folder or file may not be used safely: the limiter is turned off."""


def _count(text):
    """A whole number from a header parameter, within 0..MAX_COUNT, or None."""
    text = text.strip()
    if not text.isdigit():
        return None
    value = int(text)
    return value if value <= MAX_COUNT else None


def _seconds(text):
    """Seconds from a header parameter: finite and not negative (else None), at most MAX_RESET."""
    try:
        value = float(text)
    except ValueError:
        return None
    if not math.isfinite(value) or value < 0:
        return None
    return min(value, MAX_RESET)


def parse_ratelimit(headers):
    """(remaining, seconds until reset, quota) from Cloudflare's Ratelimit headers, or None.

    With several policies, the one with the least remaining counts."""
    found = []
    for item in (headers.get("Ratelimit") or "").split(","):
        params = dict(part.strip().partition("=")[::2] for part in item.split(";")[1:])
        remaining, reset = _count(params.get("r", "")), _seconds(params.get("t", ""))
        if remaining is not None and reset is not None:
            found.append((remaining, reset))
    if not found:
        return None
    remaining, reset = min(found)
    quota = None
    for item in (headers.get("Ratelimit-Policy") or "").split(","):
        params = dict(part.strip().partition("=")[::2] for part in item.split(";")[1:])
        value = _count(params.get("q", ""))
        if value:
            quota = min(quota or value, value)
    return remaining, reset, quota


class SharedRateLimiter(object):
    def __init__(self, limit, window, path, clock=time.time, sleep=time.sleep, warn=None):
        self.limit = limit
        self.capacity = max(1.0, limit / 10.0)
        self.rate = (limit - self.capacity) / float(window) if limit > self.capacity else limit / float(window)
        self.path = path
        self.clock = clock
        self.sleep = sleep
        self.warn = warn
        self.waited = 0.0
        self.off = False

    @classmethod
    def for_credential(cls, limit, window, directory, credential, base_url, warn=None):
        """The limiter of one credential against one API; None when turned off or not possible.

        Raises OSError (LimiterUnsafe among them) when its folder cannot be used safely."""
        if not limit or limit <= 0 or not HAS_FCNTL:
            return None
        # the file name identifies the credential without revealing it
        key = hashlib.sha256(("%s\n%s" % (base_url, credential)).encode("utf-8")).hexdigest()[:24]
        directory = os.path.expanduser(os.path.expandvars(directory))
        if not os.path.isdir(directory):
            os.makedirs(directory, mode=0o700)
        _check_folder(directory)
        return cls(limit, window, os.path.join(directory, "cloudflare_community.logpush-%s.ratelimit" % key),
                   warn=warn)

    def acquire(self):
        """Take one token, waiting as long as it takes for one to be there."""
        while True:
            wait = self._safely(self._take, 0.0)
            if wait <= 0:
                return
            self.waited += wait
            self.sleep(wait)

    def try_acquire(self):
        """Take one token if there is one now: 0; else how many seconds until there is (nothing taken).
        For callers that must not block, such as the event source, which waits on its own loop."""
        return self._safely(self._take, 0.0)

    def learn(self, headers):
        """Keep what Cloudflare's Ratelimit headers of an answer say is left of the shared quota."""
        parsed = parse_ratelimit(headers)
        if parsed is None:
            return
        remaining, reset, quota = parsed

        def keep():
            with self._state() as state:
                state["server"] = {"remaining": remaining, "reset_at": self.clock() + reset, "quota": quota}
        self._safely(keep, None)

    def _safely(self, action, when_off):
        """``action()``; once the file fails (an OSError), the limiter is off for good, with one warning."""
        if self.off:
            return when_off
        try:
            return action()
        except OSError as exc:
            self.off = True
            if self.warn is not None:
                self.warn("The shared rate limiter is off: its file %s cannot be used (%s); requests are not "
                          "paced with other processes on this host." % (self.path, exc.strerror or exc))
            return when_off

    def _take(self):
        """Take a token and return 0, or return how long to wait for the next one."""
        with self._state() as state:
            now = self.clock()
            server = state.get("server")
            if server and now >= server["reset_at"]:
                server = state["server"] = None  # a new window: the next answer says what is left
            if server:
                if server["remaining"] <= reserve(server.get("quota") or self.limit):
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
        # never through a symlink (ELOOP), and only a plain file of ours that no one else may write
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | _NOFOLLOW | _CLOEXEC, 0o600)
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o022 \
                    or info.st_nlink != 1:
                raise LimiterUnsafe(0, "not a plain file of this user, writable by this user only")
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
        now = self.clock()
        fresh = {"tokens": self.capacity, "at": now}  # a new or unreadable bucket starts full
        try:
            state = json.loads(raw.decode("utf-8"))
            tokens, at = float(state["tokens"]), float(state["at"])
        except (ValueError, KeyError, TypeError, UnicodeDecodeError, AttributeError):
            return fresh
        # what another process wrote is checked like an answer: finite, within the bucket, not from the future
        if not (math.isfinite(tokens) and math.isfinite(at) and 0 <= tokens <= self.capacity
                and at <= now + MAX_RESET):
            return fresh
        return {"tokens": tokens, "at": at, "server": _checked_server(state.get("server"), now)}


def _checked_server(server, now):
    """The kept Ratelimit state when it is one Cloudflare could have sent, else None (learnt again)."""
    if not isinstance(server, dict):
        return None
    remaining, reset_at, quota = server.get("remaining"), server.get("reset_at"), server.get("quota")
    numbers = [v for v in (remaining, reset_at, quota) if v is not None]
    if remaining is None or reset_at is None or any(
            isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) for v in numbers):
        return None
    if not (-MAX_COUNT <= remaining <= MAX_COUNT and reset_at <= now + MAX_RESET
            and (quota is None or 0 < quota <= MAX_COUNT)):
        return None
    return {"remaining": remaining, "reset_at": reset_at, "quota": quota}


def _check_folder(directory):
    """The limiter's folder must be this user's and writable by no one else: another user could otherwise
    plant or swap the file (remote_tmp or rate_limit_dir may be a shared place)."""
    info = os.stat(directory)
    if not stat.S_ISDIR(info.st_mode):
        raise LimiterUnsafe(0, "not a folder")
    if info.st_uid != os.geteuid():
        raise LimiterUnsafe(0, "the folder belongs to another user")
    if info.st_mode & 0o022:
        raise LimiterUnsafe(0, "the folder is writable by other users (mode %s)" % oct(info.st_mode & 0o777))
