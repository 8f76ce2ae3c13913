"""All mutable state of the emulator: accounts, zones, credentials, jobs, settings, challenge files, receivers."""
import copy
import re
import threading

# the defaults live in defaults.py; the names here are the store's own
from .defaults import ACCOUNT_ID as DEFAULT_ACCOUNT_ID
from .defaults import ACCOUNT_NAME as DEFAULT_ACCOUNT_NAME
from .defaults import EMAIL as DEFAULT_EMAIL
from .defaults import KEY as DEFAULT_KEY
from .defaults import TOKEN as DEFAULT_TOKEN
from .defaults import ZONE_ID as DEFAULT_ZONE_ID
from .defaults import ZONE_NAME as DEFAULT_ZONE_NAME
from .jobs import ANSWER_STYLES

ID_RE = re.compile(r"^[0-9a-f]{32}$")

DEFAULT_SETTINGS = {
    "job_limit": 4,
    # "dataset": the limit counts jobs per (scope, dataset); "scope": per zone/account (README, open question 8).
    "job_limit_per": "dataset",
    # dataset -> jobs allowed per (scope, dataset), overriding job_limit for that dataset; 0 = the plan has no
    # entitlement to the dataset (Cloudflare then refuses even the first job).
    "job_quota": {},
    "push_interval": 5.0,
    "redact_destination": False,
    # How jobs are answered (jobs.serialise): "omitempty", "null" (empty name/filter/logpull_options/
    # output_options/max_upload_* as null instead of left out) or "sparse" (omitempty, no frequency, no
    # false/""/0 keys inside output_options).
    "answer_style": "omitempty",
    # The older switch, kept as an alias: true <-> answer_style "null" (both are always shown in agreement).
    "empty_as_null": False,
    "unreachable_destinations": [],
    # GET of a job id that does not exist in the scope: "404" (404/1000 job not found) or "null" (200, result null).
    "missing_job": "404",
    # Answer each job's `time_created` (RFC 3339, seconds; set at creation on the emulator clock). The one live
    # recording of a job list carries it; no schema, SDK or doc example does. Off by default: README "Recorded answers".
    "time_created": False,
    # The ownership answer's `filename` starts with the bucket (S3, GCS) or container (Azure): "bucket/path/
    # ownership-challenge-....txt" instead of the object's key "path/ownership-challenge-....txt". Cloudflare
    # says the filename "may be expressed as a path"; which form it returns per destination is not documented.
    "challenge_filename_with_bucket": False,
    # With a GCS server: where gs:// writes go for a bucket the server does not have. "memory": the in-memory store,
    # as for destinations on other hosts (the bucket is taken to be one of the world's); "error": the GCS server,
    # so the write fails with Cloudflare's `storage: bucket doesn't exist`.
    "gcs_missing_bucket": "memory",
    # Filters (filters.py): "strict" refuses what Cloudflare's behaviour is not known for (another key in a
    # condition, empty and/or or in lists, "30" for a number); "lenient" lets those through.
    "filter_reading": "strict",
    # An output_options key the emulator does not know (one Cloudflare may add later): "refuse" (400/1002) or
    # "keep" (stored and answered as given). What Cloudflare does is not documented; clients should cope with both.
    "unknown_output_options": "refuse",
    # A destination_conf scheme the emulator does not know, of a URL scheme's form: "refuse" (400/1002) or "keep"
    # (taken, syntax only, written to the in-memory sink). Cloudflare adds destinations (Pipelines, 2026) whose
    # destination_conf it does not document; clients should cope with both.
    "unknown_schemes": "refuse",
}


class Store:
    def __init__(self, settings=None):
        self.lock = threading.RLock()
        self.base_settings = dict(DEFAULT_SETTINGS)
        self.base_settings.update(settings or {})
        self.unreachable = []  # compiled regexes, shared with DestinationIO (cleared in place)
        self.reset()

    def reset(self):
        with self.lock:
            self.settings = copy.deepcopy(self.base_settings)
            del self.unreachable[:]
            self.accounts = {DEFAULT_ACCOUNT_ID: {"id": DEFAULT_ACCOUNT_ID, "name": DEFAULT_ACCOUNT_NAME}}
            self.zones = {DEFAULT_ZONE_ID: {"id": DEFAULT_ZONE_ID, "name": DEFAULT_ZONE_NAME, "account_id": DEFAULT_ACCOUNT_ID}}
            # credential -> restrictions; None = every zone/account
            self.tokens = {DEFAULT_TOKEN: {"zones": None, "accounts": None}}
            self.keys = {(DEFAULT_EMAIL, DEFAULT_KEY): {"zones": None, "accounts": None}}
            self.jobs = {}
            self.next_id = 1
            self.ownership_files = []
            self.edge_jobs = {}
            # zone id -> its http_log_custom_fields entrypoint ruleset (routes_rulesets.py)
            self.rulesets = {}
            # account id -> {"policies": {id: policy}, "webhooks": {id: destination}, "pagerduty": {...}} (routes_alerting.py)
            self.alerting = {}
            self.next_push_at = None

    # -- settings -----------------------------------------------------------------------------------
    def update_settings(self, values):
        with self.lock:
            for key, value in values.items():
                if key not in DEFAULT_SETTINGS:
                    raise ValueError("unknown setting %r (known: %s)" % (key, ", ".join(sorted(DEFAULT_SETTINGS))))
                if key == "unreachable_destinations":
                    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                        raise ValueError("unreachable_destinations must be a list of regular expressions")
                    try:
                        compiled = [re.compile(v) for v in value]
                    except re.error as exc:
                        raise ValueError("bad regular expression: %s" % exc) from None
                    self.unreachable[:] = compiled
                elif key == "job_limit" and (not isinstance(value, int) or isinstance(value, bool) or value < 0):
                    raise ValueError("job_limit must be a non-negative integer")
                elif key == "job_quota" and (not isinstance(value, dict) or not all(
                        isinstance(k, str) and isinstance(v, int) and not isinstance(v, bool) and v >= 0
                        for k, v in value.items())):
                    raise ValueError("job_quota must be an object of dataset -> non-negative integer")
                elif key == "job_limit_per" and value not in ("dataset", "scope"):
                    raise ValueError("job_limit_per must be 'dataset' or 'scope'")
                elif key == "push_interval" and (isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0):
                    raise ValueError("push_interval must be a number >= 0")
                elif key == "unknown_schemes" and value not in ("refuse", "keep"):
                    raise ValueError("unknown_schemes must be \"refuse\" or \"keep\"")
                elif key == "unknown_output_options" and value not in ("refuse", "keep"):
                    raise ValueError("unknown_output_options must be \"refuse\" or \"keep\"")
                elif key == "gcs_missing_bucket" and value not in ("memory", "error"):
                    raise ValueError("gcs_missing_bucket must be \"memory\" or \"error\"")
                elif key == "filter_reading" and value not in ("strict", "lenient"):
                    raise ValueError("filter_reading must be \"strict\" or \"lenient\"")
                elif key == "missing_job" and value not in ("404", "null"):
                    raise ValueError("missing_job must be \"404\" or \"null\"")
                elif key == "answer_style" and value not in ANSWER_STYLES:
                    raise ValueError("answer_style must be one of %s" % ", ".join(ANSWER_STYLES))
                elif key in ("redact_destination", "empty_as_null", "time_created", "challenge_filename_with_bucket") \
                        and not isinstance(value, bool):
                    raise ValueError("%s must be a boolean" % key)
                self.settings[key] = copy.deepcopy(value)
                if key == "empty_as_null":
                    if value:
                        self.settings["answer_style"] = "null"
                    elif self.settings["answer_style"] == "null":
                        self.settings["answer_style"] = "omitempty"
                if key in ("answer_style", "empty_as_null"):
                    self.settings["empty_as_null"] = self.settings["answer_style"] == "null"
                if key == "push_interval":
                    self.next_push_at = None

    # -- lookups --------------------------------------------------------------------------------------
    def credential_for(self, token=None, email=None, key=None):
        with self.lock:
            if token is not None:
                return self.tokens.get(token)
            return self.keys.get((email, key))

    def scope_exists(self, scope_type, scope_id):
        with self.lock:
            return scope_id in (self.zones if scope_type == "zone" else self.accounts)

    def add_zone(self, zone_id, name, account_id):
        with self.lock:
            if account_id not in self.accounts:
                raise ValueError("unknown account %s" % account_id)
            if zone_id in self.zones:
                raise ValueError("zone %s exists" % zone_id)
            self.zones[zone_id] = {"id": zone_id, "name": name, "account_id": account_id}
            return dict(self.zones[zone_id])

    def add_account(self, account_id, name):
        with self.lock:
            if account_id in self.accounts:
                raise ValueError("account %s exists" % account_id)
            self.accounts[account_id] = {"id": account_id, "name": name}
            return dict(self.accounts[account_id])

    def zone_view(self, zone):
        account = self.accounts[zone["account_id"]]
        return {"id": zone["id"], "name": zone["name"], "status": "active", "paused": False, "type": "full",
                "account": {"id": account["id"], "name": account["name"]}}

    # -- jobs -----------------------------------------------------------------------------------------
    def scope_jobs(self, scope_type, scope_id, dataset=None):
        with self.lock:
            return [j for j in self.jobs.values()
                    if j["scope_type"] == scope_type and j["scope_id"] == scope_id and (dataset is None or j["dataset"] == dataset)]

    def get_job(self, scope_type, scope_id, job_id):
        with self.lock:
            job = self.jobs.get(job_id)
            if job is None or job["scope_type"] != scope_type or job["scope_id"] != scope_id:
                return None
            return job
