"""Benchmark of the Logpush API emulator (not a test): requests per second for list and get.

Run:  EMULATOR_PUSH_INTERVAL=0 GCS_PORT=off AZURE_PORT=off scripts/with-emulator.sh \
          .venv/bin/python benchmarks/emulator_bench.py [--requests N] [--threads T]
      .venv/bin/python benchmarks/emulator_bench.py --in-process [--requests N] [--threads T]
Measures the emulator that scripts/with-emulator.sh started (its own process; EMULATOR_URL), or one started
in this process with --in-process (client and server then share one GIL). Creates 100 jobs (the job limit
raised for that), then measures GET .../logpush/jobs (100 jobs per answer) and GET .../logpush/jobs/{id},
first sequentially with one requests.Session, then with T threads (one Session each); resets the emulator.
"""
import argparse
import os
import sys
import threading
import time

import requests

TESTS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests")
sys.path.insert(0, TESTS)

from emulator import defaults, server  # noqa: E402

ZONE = "/client/v4/zones/%s/logpush/jobs" % defaults.ZONE_ID
AUTH = {"Authorization": "Bearer " + defaults.TOKEN}
DEST = "datadog://http-intake.logs.datadoghq.com/api/v2/logs?header_DD-API-KEY=k&n=%d"


def run(urls, total, threads):
    per_thread = total // threads
    errors = []

    def worker(offset):
        with requests.Session() as session:
            session.headers.update(AUTH)
            for i in range(per_thread):
                r = session.get(urls[(offset + i) % len(urls)])
                if r.status_code != 200:
                    errors.append(r.status_code)

    pool = [threading.Thread(target=worker, args=(t * 7,)) for t in range(threads)]
    start = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise SystemExit("benchmark saw non-200 answers: %s" % sorted(set(errors)))
    return per_thread * threads / elapsed


class Running:
    """The emulator scripts/with-emulator.sh started: .url and .stop() like the in-process server."""

    def __init__(self, url):
        self.url = url.rstrip("/")
        requests.post(self.url + "/__emulator/settings", json={"job_limit": 1000}, timeout=10).raise_for_status()

    def stop(self):
        requests.post(self.url + "/__emulator/reset", json={}, timeout=10).raise_for_status()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000, help="requests per measurement")
    parser.add_argument("--threads", type=int, default=4, help="threads for the concurrent runs")
    parser.add_argument("--in-process", action="store_true", help="run the emulator in this process")
    args = parser.parse_args()

    if args.in_process:
        srv = server.start(port=0, s3_port=0, push_interval=0, job_limit=1000)
    elif os.environ.get("EMULATOR_URL"):
        srv = Running(os.environ["EMULATOR_URL"])
    else:
        parser.error("run it under scripts/with-emulator.sh (which sets EMULATOR_URL), or with --in-process")
    try:
        with requests.Session() as session:
            session.headers.update(AUTH)
            ids = []
            for i in range(100):
                r = session.post(srv.url + ZONE, json={"destination_conf": DEST % i, "name": "job-%d" % i,
                                                      "output_options": {"field_names": ["RayID", "EdgeStartTimestamp"]}})
                r.raise_for_status()
                ids.append(r.json()["result"]["id"])
            assert len(session.get(srv.url + ZONE).json()["result"]) == 100
        list_urls = [srv.url + ZONE]
        get_urls = [srv.url + ZONE + "/%d" % i for i in ids]
        results = [
            ("list (100 jobs), sequential", run(list_urls, args.requests, 1)),
            ("get, sequential", run(get_urls, args.requests, 1)),
            ("list (100 jobs), %d threads" % args.threads, run(list_urls, args.requests, args.threads)),
            ("get, %d threads" % args.threads, run(get_urls, args.requests, args.threads)),
        ]
    finally:
        srv.stop()
    print("command: %s %s" % (os.path.relpath(sys.executable), " ".join(sys.argv)))
    print("requests per measurement: %d; emulator %s" % (args.requests, "in this process" if args.in_process else "in its own process"))
    for name, rate in results:
        print("%-32s %8.0f req/s" % (name, rate))


if __name__ == "__main__":
    main()
