"""Run the emulator: the API on a threaded werkzeug server, plus moto_server as the S3 endpoint (child process),
and, when asked, a GCS server (gcp-storage-emulator) and Azurite's Blob service (child processes too).

In-process use (pytest):

    srv = emulator.server.start(port=0, s3_port=0, push_interval=0)   # gcs_port=0, azure_port=0 for those too
    srv.base_url      # http://127.0.0.1:<port>/client/v4
    srv.s3_endpoint   # http://127.0.0.1:<s3 port>
    srv.stop()
"""
import ctypes
import os
import shutil
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


class ChildServer:
    """A storage server in a child process that dies with the emulator (PR_SET_PDEATHSIG); its log goes to a
    file, since a pipe nobody reads fills up after some hundred requests and then blocks the server for good."""

    name = "server"

    def __init__(self, port):
        self.port = port or free_port()
        self.endpoint = "http://%s:%d" % (HOST, self.port)
        self.proc = None
        self.log = None
        self.workdir = None

    def command(self):
        raise NotImplementedError

    def ready(self):
        requests.get(self.endpoint + "/", timeout=1)

    def start(self, timeout=30):
        argv = self.command()
        self.log = tempfile.TemporaryFile()
        self.workdir = tempfile.mkdtemp(prefix="emulator-%s-" % self.name)
        try:
            self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log,
                                         cwd=self.workdir, preexec_fn=_die_with_parent)
        except OSError as exc:
            self.stop()
            raise RuntimeError("cannot start %s (%s): %s" % (self.name, argv[0], exc)) from None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.log.seek(0)
                err = self.log.read().decode(errors="replace")[-2000:]
                code = self.proc.returncode
                self.stop()
                raise RuntimeError("%s exited with %s: %s" % (self.name, code, err))
            try:
                self.ready()
                return self
            except requests.RequestException:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("%s did not answer on %s within %ss" % (self.name, self.endpoint, timeout))

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
        if self.workdir is not None:
            shutil.rmtree(self.workdir, ignore_errors=True)
            self.workdir = None
        self.proc = None


class MotoServer(ChildServer):
    """moto_server, the S3 server (next to sys.executable)."""

    name = "moto_server"

    def command(self):
        return [os.path.join(os.path.dirname(sys.executable), "moto_server"), "-H", HOST, "-p", str(self.port)]

    def ready(self):
        requests.get(self.endpoint + "/moto-api/data.json", timeout=1)


class GcsServer(ChildServer):
    """A Google Cloud Storage JSON API server: gcp-storage-emulator from PyPI (next to sys.executable), in memory."""

    name = "gcp-storage-emulator"

    def command(self):
        exe = os.environ.get("EMULATOR_GCS_SERVER") or os.path.join(os.path.dirname(sys.executable), "gcp-storage-emulator")
        return [exe, "start", "--host", HOST, "--port", str(self.port), "--in-memory", "--quiet"]

    def ready(self):
        requests.get(self.endpoint + "/storage/v1/b", timeout=1).raise_for_status()


# where the Makefile installs Azurite from npm (tests/emulator/servers/package-lock.json)
AZURITE_DEFAULT = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                               ".run", "npm", "node_modules", ".bin", "azurite-blob")


class AzuriteServer(ChildServer):
    """Azurite's Blob service (npm), in memory, no telemetry; the account devstoreaccount1 at <endpoint>/devstoreaccount1."""

    name = "azurite-blob"

    def command(self):
        exe = os.environ.get("EMULATOR_AZURITE") or AZURITE_DEFAULT
        if not os.path.exists(exe):
            raise RuntimeError("Azurite is not installed at %s (make azurite installs it; or set EMULATOR_AZURITE)" % exe)
        return [exe, "--blobHost", HOST, "--blobPort", str(self.port), "--inMemoryPersistence", "--silent",
                "--disableTelemetry"]

    def ready(self):
        requests.get(self.endpoint + "/", timeout=1)  # any HTTP answer (an unauthenticated one is a 403)


class EmulatorServer:
    def __init__(self, app, server, moto, scheduler, children=()):
        self.app = app
        self.ctx = app.emulator
        self.server = server
        self.moto = moto
        self.children = list(children)  # the GCS server and Azurite, when this process started them
        self.scheduler = scheduler
        self.port = server.server_port
        self.url = "http://%s:%d" % (HOST, self.port)
        self.base_url = self.url + "/client/v4"
        self.s3_endpoint = self.ctx.s3_endpoint
        self.gcs_endpoint = self.ctx.gcs_endpoint
        self.azure_endpoint = self.ctx.azure_endpoint
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
            for child in self.children:
                child.stop()
            self.children = []
            if self.moto is not None:
                self.moto.stop()
                self.moto = None


def start(port=0, s3_port=None, s3_endpoint=None, job_limit=4, push_interval=5.0, fields_dir=None,
          gcs_port=None, gcs_endpoint=None, azure_port=None, azure_endpoint=None):
    """Start the API (and moto_server on `s3_port` unless `s3_endpoint` names a running S3 server).

    gs:// destinations go to the GCS server at `gcs_endpoint`, or to one started on `gcs_port`; azure:// ones of
    the account devstoreaccount1 to Azurite at `azure_endpoint`, or to one started on `azure_port`. With neither,
    they go to the in-memory store. `port=0` (and the other ports 0) pick free ports. Returns an EmulatorServer;
    call .stop() when done: it stops every server it started.
    """
    moto = None
    children = []
    try:
        if s3_endpoint is None:
            moto = MotoServer(s3_port).start()
            s3_endpoint = moto.endpoint
        if gcs_endpoint is None and gcs_port is not None:
            children.append(GcsServer(gcs_port).start())
            gcs_endpoint = children[-1].endpoint
        if azure_endpoint is None and azure_port is not None:
            children.append(AzuriteServer(azure_port).start())
            azure_endpoint = children[-1].endpoint
        kwargs = {} if fields_dir is None else {"fields_dir": fields_dir}
        app = create_app(s3_endpoint=s3_endpoint, job_limit=job_limit, push_interval=push_interval,
                         gcs_endpoint=gcs_endpoint, azure_endpoint=azure_endpoint, **kwargs)
        try:
            server = _Server(HOST, port, app)
        except SystemExit:  # werkzeug exits when the port is taken
            raise OSError("cannot listen on %s:%d (address in use?)" % (HOST, port)) from None
        scheduler = Scheduler(app.emulator.pusher, app.emulator.store, app.emulator.clock)
        return EmulatorServer(app, server, moto, scheduler, children)._start()
    except BaseException:
        for child in children:
            child.stop()
        if moto is not None:
            moto.stop()
        raise
