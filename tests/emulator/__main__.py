"""`PYTHONPATH=tests python -m emulator`: API on $EMULATOR_PORT (8787), moto S3 on $S3_PORT (9000); with $GCS_PORT
a GCS server and with $AZURE_PORT Azurite's Blob service (or $EMULATOR_GCS_ENDPOINT / $EMULATOR_AZURE_ENDPOINT to
use running ones)."""
import argparse
import os
import signal
import sys
import threading


def _env_number(name, default, kind=int):
    value = os.environ.get(name)
    return kind(value) if value not in (None, "") else default


def _env_text(name):
    return os.environ.get(name) or None


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m emulator", description="Cloudflare Logpush API emulator")
    parser.add_argument("--port", type=int, default=_env_number("EMULATOR_PORT", 8787), help="API port (env EMULATOR_PORT)")
    parser.add_argument("--s3-port", type=int, default=_env_number("S3_PORT", 9000), help="moto S3 port (env S3_PORT)")
    parser.add_argument("--push-interval", type=float, default=_env_number("EMULATOR_PUSH_INTERVAL", 5.0, float),
                        help="seconds between automatic pushes, 0 = never (env EMULATOR_PUSH_INTERVAL)")
    parser.add_argument("--job-limit", type=int, default=_env_number("EMULATOR_JOB_LIMIT", 4),
                        help="max jobs per (scope, dataset) (env EMULATOR_JOB_LIMIT)")
    parser.add_argument("--gcs-port", type=int, default=_env_number("GCS_PORT", None),
                        help="start a GCS server (gcp-storage-emulator) on this port for gs:// destinations (env GCS_PORT)")
    parser.add_argument("--gcs-endpoint", default=_env_text("EMULATOR_GCS_ENDPOINT"),
                        help="or use this running GCS JSON API server (env EMULATOR_GCS_ENDPOINT)")
    parser.add_argument("--azure-port", type=int, default=_env_number("AZURE_PORT", None),
                        help="start Azurite's Blob service on this port for azure://devstoreaccount1... (env AZURE_PORT)")
    parser.add_argument("--azure-endpoint", default=_env_text("EMULATOR_AZURE_ENDPOINT"),
                        help="or use this running Azurite, its service root (env EMULATOR_AZURE_ENDPOINT)")
    args = parser.parse_args(argv)

    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    from .server import start

    try:
        srv = start(port=args.port, s3_port=args.s3_port, job_limit=args.job_limit, push_interval=args.push_interval,
                    gcs_port=args.gcs_port, gcs_endpoint=args.gcs_endpoint, azure_port=args.azure_port,
                    azure_endpoint=args.azure_endpoint)
    except Exception as exc:  # start() has already stopped the servers it started
        print("emulator: failed to start: %s" % exc, file=sys.stderr, flush=True)
        return 1
    print("Logpush API: %s" % srv.base_url, flush=True)
    print("S3 endpoint: %s" % srv.s3_endpoint, flush=True)
    if srv.gcs_endpoint:
        print("GCS endpoint: %s" % srv.gcs_endpoint, flush=True)
    if srv.azure_endpoint:
        print("Azure Blob endpoint: %s/devstoreaccount1" % srv.azure_endpoint, flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        srv.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
