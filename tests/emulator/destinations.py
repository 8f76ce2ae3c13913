"""`destination_conf`: parsing, shape checks, which destinations need an ownership challenge, and real writes.

Where writes go (README "Destinations"):
* AWS S3 (`s3://bucket/path?region=..`, no keys, no endpoint) and R2 -> the emulator's S3 server (moto).
* S3-compatible (`...&endpoint=host`) -> that host over plain HTTP when it is loopback; otherwise syntax only.
* `https://` -> a real POST; plain HTTP when the host is loopback; other hosts: syntax only (no traffic leaves
  the machine).
* gs -> the GCS server (JSON API) when one is configured (`gcs_endpoint`) and has the bucket (with the setting
  gcs_missing_bucket "error": every bucket, a missing one failing as on Cloudflare); else the in-memory sink.
* azure `azure://devstoreaccount1.blob.core.windows.net/<container>/<path>?<SAS>` -> Azurite (Blob REST API, with
  the destination's own SAS) when one is configured (`azure_endpoint`); other accounts and no Azurite: the sink.
* sumo, datadog, splunk, bq, kinesis, ibmcl, sentinelone -> an in-memory sink the admin API lists.
"""
import gzip
import re
import threading
import time
from urllib.parse import parse_qsl, quote, unquote, urlsplit

import boto3
import botocore.config
import botocore.exceptions
import requests

from . import azurite

SCHEMES = ("s3", "r2", "gs", "azure", "sumo", "https", "splunk", "datadog", "bq", "kinesis", "ibmcl", "sentinelone")
LOOPBACK_HOSTS = ("localhost", "::1", "[::1]")
TEST_BODY = gzip.compress(b'{"content":"tests"}', mtime=0)
_SCHEME_FORM = re.compile(r"^[a-z][a-z0-9+.\-]*$")
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.\-_]{2,62}$")


class DestinationError(ValueError):
    """The destination_conf string is malformed (shape/syntax)."""


class WriteError(Exception):
    """Writing to the destination failed; str() is the cause Cloudflare would report."""


def is_loopback(host):
    host = (host or "").lower()
    return host.startswith("127.") or host in LOOPBACK_HOSTS


class Destination:
    def __init__(self, raw):
        self.raw = raw
        parts = urlsplit(raw)
        self.scheme = parts.scheme.lower()
        self.netloc = parts.netloc
        self.host = parts.hostname or ""
        self.path = parts.path
        self.raw_query = parts.query
        self.params = dict(parse_qsl(parts.query, keep_blank_values=True))
        self.kind = self._kind()

    def _kind(self):
        if self.scheme == "s3":
            if self.params.get("endpoint"):
                return "s3_compat"
            return "s3_aws"
        return self.scheme

    @property
    def account(self):
        """Azure's storage account: `azure://<account>.blob.core.windows.net/<container>/<path>?<SAS>` (the
        container's SAS URL with https replaced by azure); None for the short form `azure://<container>/<path>`."""
        if self.kind == "azure" and "." in self.host:
            return self.host.partition(".")[0]
        return None

    @property
    def bucket(self):
        """The bucket, or Azure's container (the first path segment when the host names the account)."""
        if self.account is not None:
            return self.path.strip("/").partition("/")[0]
        return self.netloc

    @property
    def prefix(self):
        """The path inside the bucket or container."""
        if self.account is not None:
            return self.path.strip("/").partition("/")[2].strip("/")
        return self.path.strip("/")

    @property
    def has_keys(self):
        return bool(self.params.get("access-key-id") and self.params.get("secret-access-key"))

    @property
    def needs_challenge(self):
        """AWS S3 without keys, GCS, Azure and Sumo need an ownership challenge (README, Sources: ownership challenge)."""
        if self.kind == "s3_aws":
            return not self.has_keys
        return self.kind in ("gs", "azure", "sumo")

    @property
    def in_memory(self):
        return self.kind not in ("s3_aws", "s3_compat", "r2", "https")


def parse_destination(raw, unknown_schemes="keep"):
    """Parse and check the shape of a destination_conf; raise DestinationError with a precise message.

    `unknown_schemes` (the setting of that name on a create, an update and an ownership request; "keep" for a
    job already stored): "refuse" answers a scheme outside SCHEMES with 400, "keep" takes one of a URL scheme's
    form (a letter, then letters, digits, "+", "-", ".") with syntax checks only and writes to the in-memory sink.
    Cloudflare adds destinations whose destination_conf it does not document (Pipelines, 2026: README, Sources:
    destination parameters), so clients should cope with both."""
    if not isinstance(raw, str) or not raw:
        raise DestinationError("destination_conf is required")
    if len(raw) > 4096:
        raise DestinationError("destination_conf is too long (max 4096 characters)")
    if any(c.isspace() for c in raw):
        raise DestinationError("destination_conf must not contain whitespace")
    if "://" not in raw:
        raise DestinationError("destination_conf is not a valid URI: missing scheme://")
    try:
        dest = Destination(raw)
    except ValueError as exc:
        raise DestinationError("destination_conf is not a valid URI: %s" % exc) from None
    if dest.scheme not in SCHEMES and (unknown_schemes != "keep" or dest.scheme == "http"
                                       or not _SCHEME_FORM.match(dest.scheme)):
        raise DestinationError("destination_conf: unsupported destination scheme %r (supported: %s)" % (dest.scheme, ", ".join(SCHEMES)))
    if not dest.netloc:
        raise DestinationError("destination_conf: missing bucket or host after %s://" % dest.scheme)
    _SHAPE.get(dest.kind, _shape_host)(dest)
    return dest


def _need(dest, *names):
    missing = [n for n in names if not dest.params.get(n)]
    if missing:
        raise DestinationError("destination_conf: %s destination needs query parameter(s) %s" % (dest.scheme, ", ".join(missing)))


def _check_bucket(dest):
    if not _BUCKET.match(dest.bucket):
        raise DestinationError("destination_conf: invalid bucket name %r" % dest.bucket)


def _shape_s3(dest):
    _check_bucket(dest)
    _need(dest, "region")
    if bool(dest.params.get("access-key-id")) != bool(dest.params.get("secret-access-key")):
        raise DestinationError("destination_conf: access-key-id and secret-access-key must be given together")
    if dest.kind == "s3_compat":
        _need(dest, "access-key-id", "secret-access-key")


def _shape_r2(dest):
    _check_bucket(dest)
    _need(dest, "account-id", "access-key-id", "secret-access-key")


def _shape_gs(dest):
    _check_bucket(dest)


def _shape_azure(dest):
    _need(dest, "sig")


def _shape_sumo(dest):
    if not dest.path.startswith("/receiver/v1/http/") or len(dest.path) <= len("/receiver/v1/http/"):
        raise DestinationError("destination_conf: sumo destination must be sumo://<endpoint>/receiver/v1/http/<code>")


def _shape_host(dest):
    if not dest.host:
        raise DestinationError("destination_conf: missing host")


def _shape_splunk(dest):
    _shape_host(dest)
    _need(dest, "channel")


def _shape_datadog(dest):
    _shape_host(dest)
    _need(dest, "header_DD-API-KEY")


_SHAPE = {
    "s3_aws": _shape_s3, "s3_compat": _shape_s3, "r2": _shape_r2, "gs": _shape_gs, "azure": _shape_azure,
    "sumo": _shape_sumo, "https": _shape_host, "splunk": _shape_splunk, "datadog": _shape_datadog,
    "bq": _shape_host, "kinesis": _shape_host, "ibmcl": _shape_host, "sentinelone": _shape_host,
}


def date_path(prefix, when):
    """Replace {DATE} by YYYYMMDD (README, Sources: {DATE})."""
    return prefix.replace("{DATE}", when.strftime("%Y%m%d"))


def join_key(prefix, name):
    return "%s/%s" % (prefix, name) if prefix else name


def https_request_parts(dest):
    """URL to POST to (header_* removed, plain http for loopback) and the headers from header_* params."""
    headers = {}
    kept = []
    for pair in dest.raw_query.split("&") if dest.raw_query else []:
        name, _, value = pair.partition("=")
        if name.startswith("header_"):
            headers[unquote(name[len("header_"):])] = unquote(value.replace("+", " "))
        else:
            kept.append(pair)
    scheme = "http" if is_loopback(dest.host) else "https"
    url = "%s://%s%s" % (scheme, dest.netloc, dest.path or "/")
    if kept:
        url += "?" + "&".join(kept)
    return url, headers


class MemorySink:
    """Objects written to destinations that have no server here (gs, azure, sumo, datadog, ...)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.objects = []

    def put(self, dest, key, data):
        with self.lock:
            self.objects.append({"destination_conf": dest.raw, "key": key, "data": data, "time": time.time()})

    def list(self, destination_conf=None):
        with self.lock:
            return [o for o in self.objects if destination_conf is None or o["destination_conf"] == destination_conf]

    def clear(self):
        with self.lock:
            self.objects = []


class DestinationIO:
    """Performs the writes. `unreachable` is a list of compiled regexes matched against the raw conf."""

    def __init__(self, s3_endpoint, clock, sink=None, unreachable=None, gcs_endpoint=None, azure_endpoint=None,
                 setting=None):
        self.s3_endpoint = s3_endpoint
        self.setting = setting or (lambda name: None)  # the store's current settings
        self.gcs_endpoint = gcs_endpoint.rstrip("/") if gcs_endpoint else None
        self.azure_endpoint = azure_endpoint.rstrip("/") if azure_endpoint else None
        self.clock = clock
        self.sink = sink or MemorySink()
        self.unreachable = unreachable if unreachable is not None else []
        self._clients = {}
        self._lock = threading.Lock()
        self._http = requests.Session()

    # -- S3 ---------------------------------------------------------------------------------------------
    def s3_client(self, endpoint=None, key="emulator", secret="emulator", region="us-east-1"):
        endpoint = endpoint or self.s3_endpoint
        cache_key = (endpoint, key, secret, region)
        with self._lock:
            client = self._clients.get(cache_key)
            if client is None:
                cfg = botocore.config.Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1},
                                             connect_timeout=2, read_timeout=5)
                client = boto3.session.Session().client("s3", endpoint_url=endpoint, aws_access_key_id=key,
                                                        aws_secret_access_key=secret, region_name=region, config=cfg)
                self._clients[cache_key] = client
        return client

    def _client_for(self, dest):
        """The S3 client to use, or None when the destination has no server here (syntax only)."""
        region = dest.params.get("region") or "us-east-1"
        if dest.kind == "s3_aws":
            if not self.s3_endpoint:
                raise WriteError("no S3 endpoint configured")
            return self.s3_client(region=region)
        if dest.kind == "r2":
            if not self.s3_endpoint:
                raise WriteError("no S3 endpoint configured")
            return self.s3_client(key=dest.params["access-key-id"], secret=dest.params["secret-access-key"], region="auto")
        endpoint = dest.params["endpoint"]
        host = urlsplit("//" + endpoint.split("://", 1)[-1]).hostname
        if not is_loopback(host):
            return None
        if "://" not in endpoint:
            endpoint = "http://" + endpoint
        endpoint = endpoint.replace("https://", "http://", 1).replace("localhost", "127.0.0.1")
        return self.s3_client(endpoint=endpoint, key=dest.params["access-key-id"],
                              secret=dest.params["secret-access-key"], region=region)

    def s3_put(self, dest, key, data):
        client = self._client_for(dest)
        if client is None:
            self.sink.put(dest, key, data)
            return "memory:%s" % key
        try:
            client.put_object(Bucket=dest.bucket, Key=key, Body=data)
        except botocore.exceptions.ClientError as exc:
            err = exc.response.get("Error", {})
            raise WriteError("%s: %s" % (err.get("Code", "error uploading"), err.get("Message", ""))) from None
        except (botocore.exceptions.EndpointConnectionError, botocore.exceptions.ConnectTimeoutError) as exc:
            raise WriteError("DNSError: %s" % exc) from None
        except botocore.exceptions.BotoCoreError as exc:
            raise WriteError("error uploading: %s" % exc) from None
        return "s3://%s/%s" % (dest.bucket, key)

    # -- HTTPS ------------------------------------------------------------------------------------------
    def _https_post(self, dest, body, name):
        url, headers = https_request_parts(dest)
        if not is_loopback(dest.host):
            self.sink.put(dest, name, body)
            return "memory:%s" % name
        headers.setdefault("Content-Type", "text/plain; charset=utf-8")
        headers["Content-Encoding"] = "gzip"
        url = url.replace("://localhost", "://127.0.0.1", 1)
        try:
            resp = self._http.post(url, data=body, headers=headers, timeout=(2, 10))
        except requests.RequestException as exc:
            raise WriteError("DNSError: %s" % type(exc).__name__) from None
        if resp.status_code >= 300:
            raise WriteError("error uploading: HTTP %d" % resp.status_code)
        return url

    # -- Google Cloud Storage (JSON API) ----------------------------------------------------------------
    def gcs_put(self, dest, key, data):
        """Upload through the JSON API's media upload, as any GCS client does; the server asks for no credential."""
        url = "%s/upload/storage/v1/b/%s/o" % (self.gcs_endpoint, quote(dest.bucket, safe=""))
        try:
            resp = self._http.post(url, params={"uploadType": "media", "name": key}, data=data,
                                   headers={"Content-Type": "application/octet-stream"}, timeout=(2, 10))
        except requests.RequestException as exc:
            raise WriteError("DNSError: %s" % type(exc).__name__) from None
        if resp.status_code == 404:
            # the text of Go's cloud.google.com/go/storage ErrBucketNotExist
            raise WriteError("storage: bucket doesn't exist")
        if resp.status_code >= 300:
            raise WriteError("error uploading: HTTP %d" % resp.status_code)
        return "gs://%s/%s" % (dest.bucket, key)

    def goes_to_gcs(self, dest):
        """gs:// goes to the GCS server when it has the bucket: a bucket it does not have is one of the world's, and
        stays in memory (as other hosts' destinations do), unless gcs_missing_bucket is "error"."""
        if dest.kind != "gs" or not self.gcs_endpoint:
            return False
        if self.setting("gcs_missing_bucket") == "error":
            return True
        try:
            resp = self._http.get("%s/storage/v1/b/%s" % (self.gcs_endpoint, quote(dest.bucket, safe="")), timeout=(2, 10))
        except requests.RequestException as exc:
            raise WriteError("DNSError: %s" % type(exc).__name__) from None
        return resp.status_code == 200

    # -- Azure Blob Storage (Azurite) -------------------------------------------------------------------
    def goes_to_azurite(self, dest):
        return bool(self.azure_endpoint) and dest.kind == "azure" and dest.account == azurite.ACCOUNT \
            and dest.host.endswith(azurite.HOST_SUFFIX)

    def azure_put(self, dest, key, data):
        """Put Blob with the destination's own SAS, as Cloudflare writes with it: a SAS without create/write
        permission, a wrong signature or a missing container fail as they would on Azure."""
        if not dest.bucket:
            raise WriteError("ContainerNotFound: no container in the destination")
        url = azurite.blob_url(self.azure_endpoint, dest.bucket, key, dest.raw_query, account=dest.account)
        try:
            resp = self._http.put(url, data=data, headers={"x-ms-blob-type": "BlockBlob", "x-ms-version": azurite.SAS_VERSION},
                                  timeout=(2, 10))
        except requests.RequestException as exc:
            raise WriteError("DNSError: %s" % type(exc).__name__) from None
        if resp.status_code >= 300:
            code = resp.headers.get("x-ms-error-code") or "error uploading"
            raise WriteError("%s: HTTP %d" % (code, resp.status_code))
        return "azure://%s%s/%s/%s" % (dest.account, azurite.HOST_SUFFIX, dest.bucket, key)

    # -- entry points -----------------------------------------------------------------------------------
    def check_reachable(self, dest):
        for pattern in self.unreachable:
            if pattern.search(dest.raw):
                raise WriteError("DNSError")

    def put_object(self, dest, key, data):
        """Store `data` as object `key` of the destination's bucket or container (no date, no path added);
        return where it went. Servers for S3, GCS and Azure where there are some; else the in-memory sink."""
        if dest.kind in ("s3_aws", "s3_compat", "r2"):
            return self.s3_put(dest, key, data)
        if self.goes_to_gcs(dest):
            return self.gcs_put(dest, key, data)
        if self.goes_to_azurite(dest):
            return self.azure_put(dest, key, data)
        self.sink.put(dest, key, data)
        return "memory:%s" % key

    def write(self, dest, name, data):
        """Write `data` as object `name` under the destination's path; return where it went."""
        self.check_reachable(dest)
        now = self.clock.now_dt()
        if dest.kind == "https":
            return self._https_post(dest, data, name)
        return self.put_object(dest, join_key(date_path(dest.prefix, now), name), data)

    def test_write(self, dest):
        """Cloudflare's destination check on create/update: a test object (gzip of {"content":"tests"})."""
        return self.write(dest, "test.txt.gz", TEST_BODY)
