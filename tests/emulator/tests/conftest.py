import boto3
import pytest
import requests

from emulator import server
from emulator.app import create_app

from .helpers import CheckedClient, checked_session


@pytest.fixture(scope="session")
def moto():
    """One real S3 server (moto_server) for the whole session."""
    srv = server.MotoServer(0).start()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def live_server(moto):
    """The emulator on a real socket (threaded werkzeug), S3 on the session's moto."""
    srv = server.start(port=0, s3_endpoint=moto.endpoint, push_interval=0)
    yield srv
    srv.stop()


@pytest.fixture
def live(live_server):
    """The live emulator, reset (S3 too) before each test; fails the test if it saw a spec violation."""
    requests.post(live_server.url + "/__emulator/reset", json={"s3": True}, timeout=10).raise_for_status()
    requests.post(live_server.url + "/__emulator/settings", json={"push_interval": 0}, timeout=10).raise_for_status()
    yield live_server
    violations = requests.get(live_server.url + "/__emulator/spec-violations", timeout=10).json()["violations"]
    assert violations == []


@pytest.fixture
def http(live):
    """requests.Session with the default token; every answer is spec-checked."""
    with checked_session() as session:
        yield session


@pytest.fixture
def s3(moto):
    """boto3 on the session's S3 server, emptied first."""
    requests.post(moto.endpoint + "/moto-api/reset", timeout=10).raise_for_status()
    return boto3.client("s3", endpoint_url=moto.endpoint, aws_access_key_id="test", aws_secret_access_key="test",
                        region_name="us-east-1")


@pytest.fixture
def app(moto):
    application = create_app(s3_endpoint=moto.endpoint, push_interval=0)
    yield application
    assert application.emulator.spec_violations == []


@pytest.fixture
def client(app):
    return CheckedClient(app.test_client())


@pytest.fixture
def anon(app):
    return CheckedClient(app.test_client(), headers={})

