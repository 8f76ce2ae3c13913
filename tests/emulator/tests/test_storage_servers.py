"""gs:// and azure:// destinations written into real local servers: a GCS server (gcp-storage-emulator, PyPI) and
Azurite's Blob service (npm, `make azurite`): challenge files, test objects, pushed batches, errors, reset, CLI."""
import gzip
import json
import os
import signal
import subprocess
import sys
from urllib.parse import quote

import pytest
import requests

from emulator import azurite
from emulator.app import create_app
from emulator.server import AZURITE_DEFAULT, AzuriteServer, GcsServer, free_port

from .helpers import CheckedClient, ZONE, err, ok

OWN = ZONE + "/logpush/ownership"
JOBS = ZONE + "/logpush/jobs"
HOST = "devstoreaccount1.blob.core.windows.net"
HAS_AZURITE = os.path.exists(os.environ.get("EMULATOR_AZURITE") or AZURITE_DEFAULT)
needs_azurite = pytest.mark.skipif(not HAS_AZURITE, reason="Azurite is not installed (make azurite)")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(scope="module")
def gcs_server():
    srv = GcsServer(0).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def azure_server():
    if not HAS_AZURITE:
        yield None
        return
    srv = AzuriteServer(0).start()
    yield srv
    srv.stop()


@pytest.fixture
def servers_app(moto, gcs_server, azure_server):
    application = create_app(s3_endpoint=moto.endpoint, push_interval=0, gcs_endpoint=gcs_server.endpoint,
                             azure_endpoint=azure_server.endpoint if azure_server else None)
    application.emulator.reset(s3=True)
    yield application
    assert application.emulator.spec_violations == []


@pytest.fixture
def sclient(servers_app):
    return CheckedClient(servers_app.test_client())


def gcs_bucket(endpoint, name):
    requests.post(endpoint + "/storage/v1/b", params={"project": "test"}, json={"name": name}, timeout=10).raise_for_status()


def gcs_read(endpoint, bucket, name):
    resp = requests.get("%s/storage/v1/b/%s/o/%s" % (endpoint, bucket, quote(name, safe="")), params={"alt": "media"},
                        timeout=10)
    return resp.status_code, resp.content


def gcs_names(endpoint, bucket):
    return [o["name"] for o in requests.get("%s/storage/v1/b/%s/o" % (endpoint, bucket), timeout=10).json().get("items", [])]


def azure_read(endpoint, container, blob, sas):
    resp = requests.get(azurite.blob_url(endpoint, container, blob, sas), timeout=10)
    return resp.status_code, resp.content


def azure_names(endpoint, container):
    import re
    text = requests.get("%s/%s/%s?restype=container&comp=list&%s" % (endpoint, azurite.ACCOUNT, container,
                                                                    azurite.account_sas()), timeout=10).text
    return re.findall(r"<Blob><Name>([^<]+)</Name>", text)


def token_of(client, filename):
    files = client.admin("GET", "/ownership-files")[1]["files"]
    return next(f for f in files if f["filename"] == filename)


# -- GCS -------------------------------------------------------------------------------------------------------

def test_gs_challenge_is_an_object_of_the_gcs_server(sclient, gcs_server):
    gcs_bucket(gcs_server.endpoint, "gbucket")
    conf = "gs://gbucket/logs/{DATE}"
    res = ok(sclient.post(OWN, {"destination_conf": conf}))
    assert res["valid"] is True and res["filename"].startswith("logs/")
    record = token_of(sclient, res["filename"])
    assert record["location"] == "gs://gbucket/" + res["filename"]
    assert gcs_read(gcs_server.endpoint, "gbucket", res["filename"]) == (200, record["token"].encode())
    assert sclient.admin("GET", "/objects")[1]["objects"] == []  # nothing in the in-memory store
    # the token makes the job; the create's test object and a push land in the bucket too
    job = ok(sclient.post(JOBS, {"destination_conf": conf, "ownership_challenge": record["token"], "enabled": True}))
    pushed = sclient.admin("POST", "/push")[1]["pushed"]
    assert [p["ok"] for p in pushed] == [True] and pushed[0]["location"].startswith("gs://gbucket/logs/")
    names = gcs_names(gcs_server.endpoint, "gbucket")
    assert any(n.endswith("/test.txt.gz") for n in names)
    batch = [n for n in names if n.endswith(".log.gz")]
    assert len(batch) == 1 and "gs://gbucket/" + batch[0] == pushed[0]["location"]
    lines = gzip.decompress(gcs_read(gcs_server.endpoint, "gbucket", batch[0])[1]).decode().splitlines()
    assert len(lines) == 10 and json.loads(lines[0])
    assert ok(sclient.get(JOBS + "/%d" % job["id"]))["last_complete"] is not None


def test_gs_missing_bucket(sclient):
    # a bucket the GCS server does not have stays in memory, as destinations on other hosts do
    res = ok(sclient.post(OWN, {"destination_conf": "gs://no-such-bucket/logs"}))
    assert res["valid"] is True and token_of(sclient, res["filename"])["location"] == "memory:" + res["filename"]
    # unless the setting says such buckets are missing
    sclient.admin("POST", "/settings", {"gcs_missing_bucket": "error"})
    res = ok(sclient.post(OWN, {"destination_conf": "gs://no-such-bucket/logs"}))
    assert res == {"filename": "", "message": "error writing object: storage: bucket doesn't exist", "valid": False}
    assert sclient.admin("POST", "/settings", {"gcs_missing_bucket": "fail"})[0] == 400


def test_filename_with_bucket_setting(sclient, gcs_server, s3):
    gcs_bucket(gcs_server.endpoint, "gbucket")
    s3.create_bucket(Bucket="sbucket")
    sclient.admin("POST", "/settings", {"challenge_filename_with_bucket": True})
    res = ok(sclient.post(OWN, {"destination_conf": "gs://gbucket/logs"}))
    assert res["filename"].startswith("gbucket/logs/ownership-challenge-")
    key = res["filename"][len("gbucket/"):]
    assert gcs_read(gcs_server.endpoint, "gbucket", key)[0] == 200
    res = ok(sclient.post(OWN, {"destination_conf": "s3://sbucket/logs?region=us-east-1"}))
    assert res["filename"].startswith("sbucket/logs/ownership-challenge-")
    s3.head_object(Bucket="sbucket", Key=res["filename"][len("sbucket/"):])
    # sumo has no bucket: unchanged
    res = ok(sclient.post(OWN, {"destination_conf": "sumo://endpoint1.collection.sumologic.com/receiver/v1/http/XYZ"}))
    assert res["filename"].startswith("ownership-challenge-")
    assert sclient.admin("POST", "/settings", {"challenge_filename_with_bucket": "yes"})[0] == 400


def test_reset_with_s3_empties_the_gcs_server(sclient, servers_app, gcs_server):
    gcs_bucket(gcs_server.endpoint, "gbucket")
    ok(sclient.post(OWN, {"destination_conf": "gs://gbucket/logs"}))
    assert sclient.admin("POST", "/reset")[0] == 200
    assert gcs_names(gcs_server.endpoint, "gbucket")  # kept without s3: true
    assert sclient.admin("POST", "/reset", {"s3": True})[0] == 200
    assert requests.get(gcs_server.endpoint + "/storage/v1/b", timeout=10).json().get("items", []) == []


# -- Azure -------------------------------------------------------------------------------------------------

@needs_azurite
def test_azure_challenge_is_a_blob_in_azurite(sclient, azure_server):
    assert sclient.admin("POST", "/azure/containers", {"name": "logs"})[1] == {"name": "logs", "created": True}
    assert sclient.admin("POST", "/azure/containers", {"name": "logs"})[1]["created"] is False
    write = sclient.admin("POST", "/azure/sas", {"container": "logs", "permissions": "cw"})[1]["sas"]
    read = sclient.admin("POST", "/azure/sas", {"container": "logs", "permissions": "r"})[1]["sas"]
    conf = "azure://%s/logs/http/{DATE}?%s" % (HOST, write)
    res = ok(sclient.post(OWN, {"destination_conf": conf}))
    assert res["valid"] is True and res["filename"].startswith("http/") and "/ownership-challenge-" in res["filename"]
    record = token_of(sclient, res["filename"])
    assert record["location"] == "azure://%s/logs/%s" % (HOST, res["filename"])
    assert azure_read(azure_server.endpoint, "logs", res["filename"], read) == (200, record["token"].encode())
    # the destination's SAS writes but cannot read
    assert azure_read(azure_server.endpoint, "logs", res["filename"], write)[0] == 403
    assert sclient.admin("GET", "/objects")[1]["objects"] == []
    ok(sclient.post(JOBS, {"destination_conf": conf, "ownership_challenge": record["token"], "enabled": True}))
    pushed = sclient.admin("POST", "/push")[1]["pushed"]
    assert [p["ok"] for p in pushed] == [True]
    names = azure_names(azure_server.endpoint, "logs")
    assert any(n.endswith("/test.txt.gz") for n in names) and len([n for n in names if n.endswith(".log.gz")]) == 1
    # the name may start with the container
    sclient.admin("POST", "/settings", {"challenge_filename_with_bucket": True})
    res = ok(sclient.post(OWN, {"destination_conf": conf}))
    assert res["filename"].startswith("logs/http/")
    assert azure_read(azure_server.endpoint, "logs", res["filename"][len("logs/"):], read)[0] == 200


@needs_azurite
def test_azure_write_errors_are_cloudflares(sclient):
    sclient.admin("POST", "/azure/containers", {"name": "logs"})
    read_only = sclient.admin("POST", "/azure/sas", {"container": "logs", "permissions": "r"})[1]["sas"]
    # Azurite's error codes, passed on (Azure answers a wrong signature with AuthenticationFailed)
    for query, code in ((read_only, "AuthorizationPermissionMismatch: HTTP 403"),
                        ("sv=2021-08-06&sr=c&sp=cw&se=2030-01-01T00:00:00Z&sig=bm90IGEgc2lnbmF0dXJl",
                         "AuthorizationFailure: HTTP 403")):
        res = ok(sclient.post(OWN, {"destination_conf": "azure://%s/logs/x?%s" % (HOST, query)}))
        assert res == {"filename": "", "message": "error writing object: " + code, "valid": False}
    write = sclient.admin("POST", "/azure/sas", {"container": "nocontainer", "permissions": "cw"})[1]["sas"]
    res = ok(sclient.post(OWN, {"destination_conf": "azure://%s/nocontainer/x?%s" % (HOST, write)}))
    assert res["valid"] is False and res["message"].startswith("error writing object: ContainerNotFound")
    err(sclient.post(JOBS, {"destination_conf": "azure://%s/nocontainer/x?%s" % (HOST, write),
                            "ownership_challenge": "x"}), 400, 1002)


@needs_azurite
def test_other_azure_accounts_stay_in_memory(sclient):
    conf = "azure://someaccount.blob.core.windows.net/logs/http?sv=2022-11-02&sp=cw&sig=abc"
    res = ok(sclient.post(OWN, {"destination_conf": conf}))
    assert res["valid"] is True and res["filename"].startswith("http/ownership-challenge-")
    assert token_of(sclient, res["filename"])["location"] == "memory:" + res["filename"]


@needs_azurite
def test_reset_with_s3_deletes_the_containers(sclient, azure_server):
    sclient.admin("POST", "/azure/containers", {"name": "logs"})
    assert sclient.admin("POST", "/reset", {"s3": True})[0] == 200
    assert azurite.delete_all_containers(azure_server.endpoint) == []


def test_admin_azure_needs_azurite(client):
    assert client.admin("POST", "/azure/containers", {"name": "logs"})[0] == 400
    assert client.admin("POST", "/azure/sas", {"container": "logs"})[0] == 400
    assert client.admin("GET", "/storage")[1]["gcs"] is None


@needs_azurite
def test_admin_azure_checks_its_input(sclient):
    assert sclient.admin("POST", "/azure/containers", {"name": "Bad_Name"})[0] == 400
    assert sclient.admin("POST", "/azure/sas", {"container": "logs", "permissions": "rx"})[0] == 400
    assert sclient.admin("POST", "/azure/sas", {"container": "logs", "expiry": "tomorrow"})[0] == 400


# -- the command line ----------------------------------------------------------------------------------------

@needs_azurite
def test_cli_starts_and_stops_the_gcs_server_and_azurite():
    api, s3, gcs, azure = free_port(), free_port(), free_port(), free_port()
    env = dict(os.environ, PYTHONPATH=ROOT, EMULATOR_PORT=str(api), S3_PORT=str(s3), GCS_PORT=str(gcs),
               AZURE_PORT=str(azure), EMULATOR_PUSH_INTERVAL="0")
    proc = subprocess.Popen([sys.executable, "-m", "emulator"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    try:
        lines = [proc.stdout.readline().strip() for _ in range(4)]
        assert lines[2:] == ["GCS endpoint: http://127.0.0.1:%d" % gcs,
                             "Azure Blob endpoint: http://127.0.0.1:%d/devstoreaccount1" % azure]
        storage = requests.get("http://127.0.0.1:%d/__emulator/storage" % api, timeout=5).json()
        assert storage["gcs"] == "http://127.0.0.1:%d" % gcs and storage["azure"] == "http://127.0.0.1:%d" % azure
        requests.get("http://127.0.0.1:%d/storage/v1/b" % gcs, timeout=5).raise_for_status()
        requests.get("http://127.0.0.1:%d/" % azure, timeout=5)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    for port in (gcs, azure):
        with pytest.raises(requests.ConnectionError):
            requests.get("http://127.0.0.1:%d/" % port, timeout=2)
