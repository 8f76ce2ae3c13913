"""The emulator's clock: real time plus an offset that tests can move forward (POST /__emulator/clock)."""
import datetime
import threading
import time


class Clock:
    def __init__(self):
        self._lock = threading.Lock()
        self.offset = 0.0

    def now(self):
        return time.time() + self.offset

    def now_dt(self):
        return datetime.datetime.fromtimestamp(self.now(), tz=datetime.timezone.utc)

    def iso(self, ts=None):
        """RFC 3339 with seconds, as Cloudflare shows `last_complete`."""
        ts = self.now() if ts is None else ts
        return datetime.datetime.fromtimestamp(ts, tz=datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    def advance(self, seconds):
        with self._lock:
            self.offset += float(seconds)

    def reset(self):
        with self._lock:
            self.offset = 0.0
