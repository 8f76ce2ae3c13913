"""Run the emulator for the benchmarks until SIGTERM: moto_server with its log in a file, the API in this process.

    PYTHONPATH=tests .venv/bin/python benchmarks/emulator_up.py <api port> <s3 port> <moto log file>

Why not `python -m emulator`: it starts moto_server with stderr on a pipe that nobody reads after
start-up. moto logs one line per request there, so after about 64 KB of log (some 600 S3 requests:
test objects and pushes) moto blocks on the full pipe and every S3 request hangs, and with it every
create and reset. The tests stay below that; the benchmarks do not. Here moto logs to a file, and the
emulator itself is the same code (server.start with s3_endpoint).
"""
import os
import signal
import subprocess
import sys
import threading
import time

import requests

from emulator import server


def main():
    port, s3_port, log_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    endpoint = "http://127.0.0.1:%d" % s3_port
    with open(log_path, "ab") as log:
        moto = subprocess.Popen([os.path.join(os.path.dirname(sys.executable), "moto_server"), "-H", "127.0.0.1",
                                 "-p", str(s3_port)], stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                preexec_fn=server._die_with_parent)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(endpoint + "/moto-api/data.json", timeout=1)
                break
            except requests.RequestException:
                if moto.poll() is not None or time.monotonic() > deadline:
                    sys.exit("moto_server did not start (see %s)" % log_path)
                time.sleep(0.1)
        push_interval = float(os.environ.get("EMULATOR_PUSH_INTERVAL", "5"))
        srv = server.start(port=port, s3_endpoint=endpoint, push_interval=push_interval)
        print("Logpush API: %s\nS3 endpoint: %s" % (srv.base_url, endpoint), flush=True)
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        stop.wait()
        srv.stop()
    finally:
        moto.terminate()
        moto.wait(10)


if __name__ == "__main__":
    main()
