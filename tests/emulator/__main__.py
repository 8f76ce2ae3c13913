"""`PYTHONPATH=tests python -m emulator`: API on $EMULATOR_PORT (8787), moto S3 on $S3_PORT (9000)."""
import argparse
import os
import signal
import sys
import threading


def _env_number(name, default, kind=int):
    value = os.environ.get(name)
    return kind(value) if value not in (None, "") else default


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m emulator", description="Cloudflare Logpush API emulator")
    parser.add_argument("--port", type=int, default=_env_number("EMULATOR_PORT", 8787), help="API port (env EMULATOR_PORT)")
    parser.add_argument("--s3-port", type=int, default=_env_number("S3_PORT", 9000), help="moto S3 port (env S3_PORT)")
    parser.add_argument("--push-interval", type=float, default=_env_number("EMULATOR_PUSH_INTERVAL", 5.0, float),
                        help="seconds between automatic pushes, 0 = never (env EMULATOR_PUSH_INTERVAL)")
    parser.add_argument("--job-limit", type=int, default=_env_number("EMULATOR_JOB_LIMIT", 4),
                        help="max jobs per (scope, dataset) (env EMULATOR_JOB_LIMIT)")
    args = parser.parse_args(argv)

    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    from .server import start

    try:
        srv = start(port=args.port, s3_port=args.s3_port, job_limit=args.job_limit, push_interval=args.push_interval)
    except Exception as exc:  # start() has already stopped moto_server
        print("emulator: failed to start: %s" % exc, file=sys.stderr, flush=True)
        return 1
    print("Logpush API: %s" % srv.base_url, flush=True)
    print("S3 endpoint: %s" % srv.s3_endpoint, flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        srv.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
