"""A Logpush job as data: checks on job bodies (README, Sources: job rules) and how a job is serialised.

Pure functions: no I/O, no state. Every check raises JobError (-> HTTP 400, code 1002) naming the field.
"""
import re
from urllib.parse import parse_qsl, urlsplit

from . import datasets
from .destinations import DestinationError, parse_destination
from .filters import FilterError, normalise_filter, validate_filter

READ_ONLY = ("id", "last_complete", "last_error", "error_message")
WRITABLE = ("dataset", "destination_conf", "enabled", "filter", "frequency", "kind", "logpull_options", "max_upload_bytes",
            "max_upload_records", "max_upload_interval_seconds", "name", "output_options", "ownership_challenge",
            "filter_attack_traffic")
NAME_RE = re.compile(r"^[a-zA-Z0-9\-\.]*$")
DATASET_RE = re.compile(r"^[a-zA-Z0-9_\-]*$")
CHALLENGE_RE = re.compile(r"^[a-zA-Z0-9/\+\.\-_]*$")
RANGES = {
    "max_upload_bytes": (5_000_000, 1_000_000_000),
    "max_upload_records": (1_000, 1_000_000),
    "max_upload_interval_seconds": (30, 300),
}
TIMESTAMP_FORMATS = ("unixnano", "unix", "rfc3339", "rfc3339ms", "rfc3339ns")
LOGPULL_TIMESTAMPS = ("unixnano", "unix", "rfc3339")
OUTPUT_STRING_KEYS = ("batch_prefix", "batch_suffix", "field_delimiter", "record_delimiter", "record_prefix",
                      "record_suffix", "record_template")
OUTPUT_KEYS = OUTPUT_STRING_KEYS + ("field_names", "output_type", "sample_rate", "timestamp_format", "CVE-2021-44228",
                                    "merge_subrequests", "stringify_object")
OUTPUT_BOOL_KEYS = ("CVE-2021-44228", "merge_subrequests", "stringify_object")
# Destination-specific ranges (README, Sources: destination parameters): IBM Cloud Logs documents max_upload_bytes
# 2000000, which Cloudflare enforces as IBM's limit; the lowest value it takes is not documented (1 here).
SCHEME_RANGES = {"ibmcl": {"max_upload_bytes": (1, 1_000_000_000)}}
LOGPULL_KEYS = ("fields", "timestamps", "sample", "CVE-2021-44228")
# Fields returned only when set (Go `omitempty` on the API side; README, Sources: answer styles).
OMITEMPTY = ("name", "filter", "logpull_options", "output_options", "max_upload_bytes", "max_upload_records",
             "max_upload_interval_seconds")


class JobError(ValueError):
    pass


def _is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def check_dataset(dataset, scope_type):
    if not isinstance(dataset, str) or not dataset:
        raise JobError("dataset must be a non-empty string")
    if len(dataset) > 256 or not DATASET_RE.match(dataset):
        raise JobError("dataset %r does not match ^[a-zA-Z0-9_\\-]*$ (max 256)" % dataset)
    if dataset not in datasets.ALL_DATASETS:
        raise JobError("dataset %r is not a known dataset" % dataset)
    if dataset not in datasets.datasets_for_scope(scope_type):
        other = "account" if scope_type == "zone" else "zone"
        raise JobError("dataset %r is %s-scoped and cannot be used on %s-scoped jobs" % (dataset, other, scope_type))


def parse_logpull(text):
    """Query part of logpull_options (it may be a full Logpull URL) as an ordered list of pairs."""
    query = urlsplit(text).query if "?" in text else text
    return parse_qsl(query, keep_blank_values=True)


def check_logpull(text, dataset, catalog):
    """Validate logpull_options; return a dict of its parameters."""
    if not isinstance(text, str):
        raise JobError("logpull_options must be a string")
    if len(text) > 4096:
        raise JobError("logpull_options is too long (max 4096)")
    if any(c.isspace() for c in text):
        raise JobError("logpull_options must not contain whitespace")
    pairs = parse_logpull(text)
    if not pairs:
        raise JobError("logpull_options: no parameters found (expected e.g. fields=RayID,EdgeStartTimestamp&timestamps=rfc3339)")
    params = {}
    for key, value in pairs:
        if key not in LOGPULL_KEYS:
            raise JobError("logpull_options: unknown parameter %r (allowed: %s)" % (key, ", ".join(LOGPULL_KEYS)))
        if key in params:
            raise JobError("logpull_options: parameter %r given twice" % key)
        params[key] = value
    if "fields" in params:
        names = [n for n in params["fields"].split(",")]
        if not all(names):
            raise JobError("logpull_options: empty field name in fields=")
        unknown = catalog.unknown_fields(dataset, names) if dataset else []
        if unknown:
            raise JobError("logpull_options: unknown field(s) for dataset %s: %s" % (dataset, ", ".join(unknown)))
    if "timestamps" in params and params["timestamps"] not in LOGPULL_TIMESTAMPS:
        raise JobError("logpull_options: timestamps must be one of %s" % ", ".join(LOGPULL_TIMESTAMPS))
    if "sample" in params:
        try:
            sample = float(params["sample"])
        except ValueError:
            sample = -1.0
        if not 0 < sample <= 1:
            raise JobError("logpull_options: sample must be a number in (0, 1]")
    if "CVE-2021-44228" in params and params["CVE-2021-44228"] not in ("true", "false"):
        raise JobError("logpull_options: CVE-2021-44228 must be true or false")
    return params


def check_output_options(value, dataset, catalog, unknown_keys="refuse"):
    """Validate output_options; return the object to store (keys with null values dropped). `unknown_keys`
    ("refuse" or "keep", the `unknown_output_options` setting): a key Cloudflare may add later."""
    if not isinstance(value, dict):
        raise JobError("output_options must be an object")
    unknown = sorted(set(value) - set(OUTPUT_KEYS))
    if unknown and unknown_keys != "keep":
        raise JobError("output_options: unknown key(s) %s" % ", ".join(unknown))
    out = {}
    for key, item in value.items():
        if item is None:
            continue
        if key in OUTPUT_STRING_KEYS and not isinstance(item, str):
            raise JobError("output_options.%s must be a string" % key)
        if key in OUTPUT_BOOL_KEYS and not isinstance(item, bool):
            raise JobError("output_options.%s must be a boolean" % key)
        out[key] = item
    names = out.get("field_names")
    if names is not None:
        if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
            raise JobError("output_options.field_names must be an array of non-empty strings")
        unknown = catalog.unknown_fields(dataset, names)
        if unknown:
            raise JobError("output_options.field_names: unknown field(s) for dataset %s: %s" % (dataset, ", ".join(unknown)))
    if "output_type" in out and out["output_type"] not in ("ndjson", "csv"):
        raise JobError("output_options.output_type must be ndjson or csv")
    if "timestamp_format" in out and out["timestamp_format"] not in TIMESTAMP_FORMATS:
        raise JobError("output_options.timestamp_format must be one of %s" % ", ".join(TIMESTAMP_FORMATS))
    if "sample_rate" in out:
        rate = out["sample_rate"]
        if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 < rate <= 1:
            raise JobError("output_options.sample_rate must be a number greater than 0 and at most 1")
    if out.get("merge_subrequests") and dataset != "http_requests":
        raise JobError("output_options.merge_subrequests is only supported for the http_requests dataset")
    return out


def check_fields(body, scope_type, dataset, catalog, filter_reading="strict", unknown_output_options="refuse",
                 unknown_schemes="refuse"):
    """Check every writable top-level field present in `body`; return the cleaned values (unset -> None).
    The lowest max_upload_bytes of any destination passes here; check_combination checks the job's own.

    `filter_reading`: "strict" or "lenient", the setting of that name (filters.py); `unknown_output_options`:
    "refuse" or "keep", the setting of that name (store.py)."""
    clean = {}
    if "subrequest_merging" in body:
        raise JobError("subrequest_merging is not a job field; use output_options.merge_subrequests")
    unknown = sorted(set(body) - set(WRITABLE) - set(READ_ONLY))
    if unknown:
        raise JobError("unknown field(s) in request body: %s" % ", ".join(unknown))
    if "destination_conf" in body:
        try:
            parse_destination(body["destination_conf"], unknown_schemes)
        except DestinationError as exc:
            raise JobError(str(exc)) from None
        clean["destination_conf"] = body["destination_conf"]
    if "name" in body:
        name = body["name"]
        if name is not None and not isinstance(name, str):
            raise JobError("name must be a string")
        if name and (len(name) > 512 or not NAME_RE.match(name)):
            raise JobError("name %r is invalid: up to 512 characters of a-z, A-Z, 0-9, '-' and '.'" % name)
        clean["name"] = name or None
    if "enabled" in body:
        if not isinstance(body["enabled"], bool):
            raise JobError("enabled must be a boolean")
        clean["enabled"] = body["enabled"]
    if "kind" in body:
        kind = body["kind"] or ""
        if kind not in ("", "edge"):
            raise JobError("kind must be \"\" or \"edge\"")
        if kind == "edge" and dataset != "http_requests":
            raise JobError("kind \"edge\" is only supported for the http_requests dataset")
        clean["kind"] = kind
    if "frequency" in body:
        freq = body["frequency"]
        if freq is not None and freq not in ("high", "low"):
            raise JobError("frequency must be high or low")
        clean["frequency"] = freq
    for key, (low, high) in RANGES.items():
        low = min([low] + [r[key][0] for r in SCHEME_RANGES.values() if key in r])
        if key in body:
            value = body[key]
            if value is None or value == 0 and _is_int(value):
                clean[key] = None
                continue
            if not _is_int(value) or not low <= value <= high:
                raise JobError("%s must be 0 or between %d and %d" % (key, low, high))
            clean[key] = value
    if "filter" in body:
        text = body["filter"]
        if text:
            known = catalog.get(dataset) if catalog.known(dataset) else None
            try:
                validate_filter(text, known, reading=filter_reading)
            except FilterError as exc:
                raise JobError(str(exc)) from None
            clean["filter"] = normalise_filter(text)
        elif text not in (None, ""):
            raise JobError("filter must be a string holding a JSON document")
        else:
            clean["filter"] = None
    if "logpull_options" in body:
        text = body["logpull_options"]
        if text:
            check_logpull(text, dataset, catalog)
        elif text not in (None, ""):
            raise JobError("logpull_options must be a string")
        clean["logpull_options"] = text or None
    if "output_options" in body:
        value = body["output_options"]
        clean["output_options"] = None if value is None else check_output_options(value, dataset, catalog,
                                                                                  unknown_output_options)
    if "filter_attack_traffic" in body:
        value = body["filter_attack_traffic"]
        if value is not None and not isinstance(value, bool):
            raise JobError("filter_attack_traffic must be a boolean")
        if value and dataset not in datasets.ATTACK_TRAFFIC_DATASETS:
            raise JobError("filter_attack_traffic is only supported for the datasets %s" % ", ".join(sorted(datasets.ATTACK_TRAFFIC_DATASETS)))
        clean["filter_attack_traffic"] = bool(value)
    if "ownership_challenge" in body:
        token = body["ownership_challenge"]
        if token is not None and (not isinstance(token, str) or len(token) > 4096 or not CHALLENGE_RE.match(token)):
            raise JobError("ownership_challenge is malformed")
        clean["ownership_challenge"] = token or None
    return clean


def check_combination(job):
    """Rules that involve more than one field of the merged job."""
    dest = parse_destination(job["destination_conf"])
    for key, (low, high) in dict(RANGES, **SCHEME_RANGES.get(dest.kind, {})).items():
        if job.get(key) and not low <= job[key] <= high:
            raise JobError("%s must be 0 or between %d and %d for this destination" % (key, low, high))
    if dest.kind == "https" and job.get("logpull_options"):
        raise JobError("error validating destination: logpull_options are not supported for HTTP destinations, "
                       "use output_options")
    return dest


def new_job(job_id, scope_type, scope_id, dataset, clean):
    job = {
        "id": job_id, "scope_type": scope_type, "scope_id": scope_id, "dataset": dataset,
        "destination_conf": clean["destination_conf"], "enabled": False, "kind": "", "frequency": "high",
        "name": None, "filter": None, "logpull_options": None, "output_options": None,
        "max_upload_bytes": None, "max_upload_records": None, "max_upload_interval_seconds": None,
        "filter_attack_traffic": False, "last_complete": None, "last_error": None, "error_message": None,
        # set when the job is stored (emulator clock); answered only with the `time_created` setting
        "time_created": None,
        # internal (never answered): emulator-clock time of the first failed push since the last good one
        "failing_since": None,
    }
    apply_update(job, clean)
    if job["frequency"] is None:
        job["frequency"] = "high"
    return job


def apply_update(job, clean):
    for key, value in clean.items():
        if key in ("ownership_challenge",):
            continue
        job[key] = value
    if job.get("frequency") is None:
        job["frequency"] = "high"


SECRET_PARAMS = re.compile(r"(?i)^(secret-access-key|access-key-id|header_.*|sig|api-key|ibm_api_key|credentials)$")


def redact(destination_conf):
    """For the `redact_destination` switch: secret query values replaced by REDACTED."""
    if "?" not in destination_conf:
        return destination_conf
    base, _, query = destination_conf.partition("?")
    pairs = []
    for pair in query.split("&"):
        name, sep, value = pair.partition("=")
        pairs.append("%s%s%s" % (name, sep, "REDACTED" if sep and SECRET_PARAMS.match(name) else value))
    return base + "?" + "&".join(pairs)


ANSWER_STYLES = ("omitempty", "null", "sparse")


def serialise(job, redact_destination=False, style="omitempty", time_created=False):
    """The job as the API answers it, in one of the `answer_style` shapes:

    * "omitempty": the OMITEMPTY keys are left out when empty (the default);
    * "null": they are sent as null instead;
    * "sparse": like omitempty, and `frequency` when it is the default (high) and the false / "" / 0 keys inside
      `output_options` are left out (Go omitempty drops a default only where the server stores it as empty:
      a "low" job always says so).

    With `time_created`, the job's creation time (RFC 3339, seconds) is answered as `time_created`, a key no
    schema or SDK declares that a live recording of Cloudflare's answer carries (README "Recorded answers").
    """
    out = {
        "id": job["id"],
        "dataset": job["dataset"],
        "destination_conf": redact(job["destination_conf"]) if redact_destination else job["destination_conf"],
        "enabled": job["enabled"],
        "kind": job["kind"] or "",
        "frequency": job["frequency"] or "high",
        "last_complete": job["last_complete"],
        "last_error": job["last_error"],
        "error_message": job["error_message"],
    }
    if "answer_dataset" in job:  # a job seeded as older than datasets (routes_admin.seed_job)
        out["dataset"] = job["answer_dataset"]
        if out["dataset"] is None and style != "null":
            del out["dataset"]
    if style == "sparse" and out["frequency"] == "high":
        del out["frequency"]
    for key in OMITEMPTY:
        value = job[key]
        if value not in (None, "", 0):
            out[key] = dict(value) if isinstance(value, dict) else value
        elif style == "null":
            out[key] = None
    if style == "sparse" and "output_options" in out:
        # `False == 0` in Python: the one test covers false, 0 and 0.0 (True and non-zero numbers stay)
        out["output_options"] = {k: v for k, v in out["output_options"].items()
                                 if not (v == "" or (isinstance(v, (bool, int, float)) and v == 0))}
    if job.get("filter_attack_traffic"):
        out["filter_attack_traffic"] = True
    if time_created and job.get("time_created"):
        out["time_created"] = job["time_created"]
    return out
