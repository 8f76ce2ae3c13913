"""Run the emulator: the API on a threaded werkzeug server, plus moto_server as the S3 endpoint (child process).

In-process use (pytest):

    srv = emulator.server.start(port=0, s3_port=0, push_interval=0)
    srv.base_url      # http://127.0.0.1:<port>/client/v4
    srv.s3_endpoint   # http://127.0.0.1:<s3 port>
    srv.stop()
"""
import ctypes
import os
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

import requests
from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler

from .app import create_app
from .faults import DropConnection
from .pusher import Scheduler

HOST = "127.0.0.1"


class _Handler(WSGIRequestHandler):
    def connection_dropped(self, error, environ=None):
        if isinstance(error, DropConnection):
            # Injected fault: close without answering; SO_LINGER 0 makes close() send a TCP RST.
            self.close_connection = True
            try:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            except OSError:
                pass
            self.server.mark_reset(self.connection)

    def log_request(self, code="-", size="-"):
        pass


class _Server(ThreadedWSGIServer):
    request_queue_size = 128

    def __init__(self, host, port, app):
        super().__init__(host, port, app, _Handler)
        self._resets = set()
        self._resets_lock = threading.Lock()

    def mark_reset(self, sock):
        with self._resets_lock:
            self._resets.add(id(sock))

    def shutdown_request(self, request):
        with self._resets_lock:
            reset = id(request) in self._resets
            self._resets.discard(id(request))
        if reset:
            self.close_request(request)  # no shutdown(SHUT_WR): no FIN first, just the RST
        else:
            super().shutdown_request(request)


def free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _die_with_parent():
    """Linux: the child gets SIGTERM when the process that started it dies (no orphan moto_server)."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


class MotoServer:
    def __init__(self, port):
        self.port = port or free_port()
        self.endpoint = "http://%s:%d" % (HOST, self.port)
        self.proc = None
        self.log = None

    def start(self, timeout=30):
        exe = os.path.join(os.path.dirname(sys.executable), "moto_server")
        # moto logs a line per request on stderr: into a file, since a pipe nobody reads fills up
        # after some hundred requests and then blocks moto for good
        self.log = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([exe, "-H", HOST, "-p", str(self.port)], stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=self.log, preexec_fn=_die_with_parent)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.log.seek(0)
                err = self.log.read().decode(errors="replace")[-2000:]
                raise RuntimeError("moto_server exited with %s: %s" % (self.proc.returncode, err))
            try:
                requests.get(self.endpoint + "/moto-api/data.json", timeout=1)
                return self
            except requests.RequestException:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("moto_server did not answer on %s within %ss" % (self.endpoint, timeout))

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if self.log is not None:
            self.log.close()
            self.log = None
        self.proc = None


class EmulatorServer:
    def __init__(self, app, server, moto, scheduler):
        self.app = app
        self.ctx = app.emulator
        self.server = server
        self.moto = moto
        self.scheduler = scheduler
        self.port = server.server_port
        self.url = "http://%s:%d" % (HOST, self.port)
        self.base_url = self.url + "/client/v4"
        self.s3_endpoint = self.ctx.s3_endpoint
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="emulator-http", daemon=True)

    def _start(self):
        self._thread.start()
        self.scheduler.start()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/__emulator/health", timeout=1).status_code == 200:
                    return self
            except requests.RequestException:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("emulator API did not answer on %s" % self.url)

    def stop(self):
        self.scheduler.stop()
        try:
            self.server.shutdown()
            self.server.server_close()
        finally:
            if self.moto is not None:
                self.moto.stop()
                self.moto = None


def start(port=0, s3_port=None, s3_endpoint=None, job_limit=4, push_interval=5.0, fields_dir=None):
    """Start the API (and moto_server on `s3_port` unless `s3_endpoint` names a running S3 server).

    `port=0` / `s3_port=0` pick free ports. Returns an EmulatorServer; call .stop() when done.
    """
    moto = None
    if s3_endpoint is None:
        moto = MotoServer(s3_port).start()
        s3_endpoint = moto.endpoint
    try:
        kwargs = {} if fields_dir is None else {"fields_dir": fields_dir}
        app = create_app(s3_endpoint=s3_endpoint, job_limit=job_limit, push_interval=push_interval, **kwargs)
        try:
            server = _Server(HOST, port, app)
        except SystemExit:  # werkzeug exits when the port is taken
            raise OSError("cannot listen on %s:%d (address in use?)" % (HOST, port)) from None
        scheduler = Scheduler(app.emulator.pusher, app.emulator.store, app.emulator.clock)
        return EmulatorServer(app, server, moto, scheduler)._start()
    except BaseException:
        if moto is not None:
            moto.stop()
        raise
