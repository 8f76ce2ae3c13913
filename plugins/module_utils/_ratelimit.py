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
"""

from __future__ import annotations

import hashlib
import json
import os
import time

try:
    import fcntl
    HAS_FCNTL = True
except ImportError:  # pragma: no cover - not a POSIX host: no shared limiter
    HAS_FCNTL = False


class SharedRateLimiter(object):
    def __init__(self, limit, window, path, clock=time.time, sleep=time.sleep):
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

    def _take(self):
        """Take a token and return 0, or return how long to wait for the next one."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            now = self.clock()
            tokens, then = self._read(fd, now)
            tokens = min(self.capacity, tokens + max(0.0, now - then) * self.rate)
            wait = 0.0
            if tokens >= 1 - 1e-9:  # after a wait, float arithmetic leaves 0.999...
                tokens = max(0.0, tokens - 1)
            else:
                wait = (1 - tokens) / self.rate
            os.lseek(fd, 0, os.SEEK_SET)
            os.ftruncate(fd, 0)
            os.write(fd, json.dumps({"tokens": tokens, "at": now}).encode("utf-8"))
            return wait
        finally:
            os.close(fd)  # also releases the lock

    def _read(self, fd, now):
        os.lseek(fd, 0, os.SEEK_SET)
        raw = os.read(fd, 4096)
        try:
            state = json.loads(raw.decode("utf-8"))
            return float(state["tokens"]), float(state["at"])
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            return self.capacity, now  # a new or unreadable bucket starts full
