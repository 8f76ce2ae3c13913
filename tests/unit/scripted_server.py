# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A scripted HTTP server on loopback: each request takes the next step of a script.

It lets the client's unit tests see real sockets (timeouts, resets, Retry-After) without the
emulator, so the client is tested on its own.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def envelope(result=None, success=True, errors=None, messages=None):
    return {"success": success, "errors": errors or [], "messages": messages or [], "result": result}


class Step(object):
    """One scripted answer: JSON, raw text, a reset, or a delay before answering."""

    def __init__(self, status=200, body=None, raw=None, content_type="application/json", headers=None,
                 reset=False, delay=0.0):
        self.status = status
        self.body = body if body is not None else envelope()
        self.raw = raw
        self.content_type = content_type
        self.headers = headers or {}
        self.reset = reset
        self.delay = delay


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _serve(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        server = self.server
        server.seen.append({"method": self.command, "path": self.path, "headers": dict(self.headers),
                            "body": body.decode("utf-8") if body else None, "time": time.monotonic()})
        step = server.script.pop(0) if server.script else Step(404, envelope(success=False, errors=[
            {"code": 7003, "message": "No route for that URI"}]))
        if step.delay:
            time.sleep(step.delay)
        if step.reset:
            # RST instead of FIN: the client sees "connection reset by peer"
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True
            return
        payload = step.raw.encode("utf-8") if step.raw is not None else json.dumps(step.body).encode("utf-8")
        try:
            self.send_response(step.status)
            self.send_header("Content-Type", step.content_type)
            self.send_header("Content-Length", str(len(payload)))
            for name, value in step.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(payload)
        except OSError:
            pass  # the client gave up (timeout): nothing to answer

    do_GET = do_POST = do_PUT = do_DELETE = _serve


class ScriptedServer(object):
    def __init__(self):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.script = []
        self.httpd.seen = []
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def url(self):
        return "http://127.0.0.1:%d/client/v4" % self.httpd.server_address[1]

    def will(self, *steps):
        self.httpd.script.extend(steps)

    @property
    def seen(self):
        return self.httpd.seen

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
