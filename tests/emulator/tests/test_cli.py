"""`python -m emulator`: the two lines, health, and a clean stop (no orphan moto_server)."""
import os
import signal
import socket
import subprocess
import sys
import time

import requests

from emulator.server import free_port

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _spawn(api_port, s3_port):
    env = dict(os.environ, PYTHONPATH=ROOT, EMULATOR_PORT=str(api_port), S3_PORT=str(s3_port), EMULATOR_PUSH_INTERVAL="0")
    return subprocess.Popen([sys.executable, "-m", "emulator"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _answers(url):
    try:
        requests.get(url, timeout=1)
        return True
    except requests.ConnectionError:
        return False


def _wait_closed(url, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _answers(url):
            return True
        time.sleep(0.1)
    return False


def test_start_prints_two_lines_and_sigterm_stops_both():
    api_port, s3_port = free_port(), free_port()
    proc = _spawn(api_port, s3_port)
    try:
        lines = [proc.stdout.readline().strip(), proc.stdout.readline().strip()]
        assert lines == ["Logpush API: http://127.0.0.1:%d/client/v4" % api_port, "S3 endpoint: http://127.0.0.1:%d" % s3_port]
        assert requests.get("http://127.0.0.1:%d/__emulator/health" % api_port, timeout=5).json() == {"ok": True, "pid": proc.pid}
        assert requests.get("http://127.0.0.1:%d/__emulator/settings" % api_port, timeout=5).json()["push_interval"] == 0
        assert _answers("http://127.0.0.1:%d/" % s3_port)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert _wait_closed("http://127.0.0.1:%d/" % s3_port), "moto_server outlived the emulator"
    assert not _answers("http://127.0.0.1:%d/__emulator/health" % api_port)


def test_busy_api_port_fails_and_stops_moto():
    s3_port = free_port()
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        proc = _spawn(busy.getsockname()[1], s3_port)
        try:
            assert proc.wait(30) == 1
        finally:
            if proc.poll() is None:
                proc.kill()
    assert "failed to start" in proc.stderr.read()
    assert _wait_closed("http://127.0.0.1:%d/" % s3_port), "moto_server left running"


def test_moto_keeps_answering_after_many_requests():
    """moto logs a line per request: a stderr pipe nobody reads would fill up and block it."""
    import boto3
    from botocore.config import Config
    from emulator.server import MotoServer

    moto = MotoServer(0).start()
    try:
        # a blocked moto fails the test in seconds instead of hanging it
        s3 = boto3.client("s3", endpoint_url=moto.endpoint, aws_access_key_id="k", aws_secret_access_key="s",
                          region_name="us-east-1", config=Config(read_timeout=5, retries={"max_attempts": 1}))
        s3.create_bucket(Bucket="many-requests")
        for _request in range(1500):  # ~100 bytes of log each: well past a 64 KiB pipe buffer
            s3.head_bucket(Bucket="many-requests")
    finally:
        moto.stop()
