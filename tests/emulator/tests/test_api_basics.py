"""Envelope, auth, routing and the zones API."""
import pytest

from .helpers import ACCOUNT, ACCOUNT_ID, ZONE, ZONE_ID, CheckedClient, err, ok

OTHER_ZONE = "f" * 32


def test_list_jobs_is_a_bare_array_in_the_envelope(client):
    status, body, resp = client.get(ZONE + "/logpush/jobs")
    assert status == 200 and body == {"success": True, "errors": [], "messages": [], "result": []}
    assert "result_info" not in body
    assert resp.headers["Content-Type"].startswith("application/json")


def test_no_credentials_is_9106(anon):
    err(anon.get(ZONE + "/logpush/jobs"), 400, 9106, "Missing X-Auth-Key, X-Auth-Email or Authorization headers")


@pytest.mark.parametrize("headers", [
    {"Authorization": "Bearer wrong"},
    {"X-Auth-Email": "user@example.com", "X-Auth-Key": "wrong"},
    {"X-Auth-Email": "other@example.com", "X-Auth-Key": "emulator-key"},
])
def test_wrong_credentials_are_403_10000(app, headers):
    c = CheckedClient(app.test_client(), headers=headers)
    err(c.get(ZONE + "/logpush/jobs"), 403, 10000, "Authentication error")


def test_only_half_of_email_key_is_missing_auth(app):
    c = CheckedClient(app.test_client(), headers={"X-Auth-Email": "user@example.com"})
    err(c.get(ZONE + "/logpush/jobs"), 400, 9106)


def test_email_and_key_work(app):
    c = CheckedClient(app.test_client(), headers={"X-Auth-Email": "user@example.com", "X-Auth-Key": "emulator-key"})
    assert ok(c.get(ACCOUNT + "/logpush/jobs")) == []


def test_unknown_route_is_7000_in_envelope(client):
    err(client.get("/client/v4/nothing/here"), 404, 7000, "No route for that URI")
    err(client.get(ZONE + "/logpush/jobz"), 404, 7000)
    # Instant Logs are zone-only
    err(client.get(ACCOUNT + "/logpush/edge"), 404, 7000)


def test_wrong_method_is_405_in_envelope(client):
    err(client.call("PATCH", ZONE + "/logpush/jobs"), 405, 7001)
    err(client.delete(ZONE + "/logpush/jobs"), 405, 7001)


def test_malformed_json_body_is_6007(client):
    err(client.call("POST", ZONE + "/logpush/jobs", data="{not json", headers={"Content-Type": "application/json"}),
        400, 6007, "Malformed JSON")


def test_body_that_is_not_an_object_is_refused(client):
    err(client.call("POST", ZONE + "/logpush/jobs", data="[1,2]"), 400, 1002)


def test_malformed_scope_id_is_7003(client):
    msg = err(client.get("/client/v4/zones/not-an-id/logpush/jobs"), 400, 7003)
    assert "perhaps your object identifier is invalid" in msg


def test_unknown_zone_and_account_are_403(client):
    err(client.get("/client/v4/zones/%s/logpush/jobs" % OTHER_ZONE), 403, 10000)
    err(client.get("/client/v4/accounts/%s/logpush/jobs" % OTHER_ZONE), 403, 10000)


def test_token_limited_to_zones(app, client):
    other = client.admin("POST", "/zones", {"name": "other.example", "id": OTHER_ZONE})[1]["zone"]
    assert other["account_id"] == ACCOUNT_ID
    assert client.admin("POST", "/tokens", {"token": "zone-only", "zones": [OTHER_ZONE], "accounts": []})[0] == 200
    limited = CheckedClient(app.test_client(), headers={"Authorization": "Bearer zone-only"})
    assert ok(limited.get("/client/v4/zones/%s/logpush/jobs" % OTHER_ZONE)) == []
    err(limited.get(ZONE + "/logpush/jobs"), 403, 10000)
    err(limited.get(ACCOUNT + "/logpush/jobs"), 403, 10000)
    zones = ok(limited.get("/client/v4/zones"))
    assert [z["id"] for z in zones] == [OTHER_ZONE]
    err(limited.get("/client/v4/zones/" + ZONE_ID), 403, 10000)


def test_token_limited_to_account_reaches_its_zones_only(app, client):
    acct = client.admin("POST", "/accounts", {"name": "Second", "id": "a" * 32})[1]["account"]
    client.admin("POST", "/zones", {"name": "second.example", "id": OTHER_ZONE, "account_id": acct["id"]})
    client.admin("POST", "/tokens", {"token": "acct", "zones": None, "accounts": [acct["id"]]})
    limited = CheckedClient(app.test_client(), headers={"Authorization": "Bearer acct"})
    assert ok(limited.get("/client/v4/accounts/%s/logpush/jobs" % acct["id"])) == []
    assert ok(limited.get("/client/v4/zones/%s/logpush/jobs" % OTHER_ZONE)) == []
    err(limited.get(ZONE + "/logpush/jobs"), 403, 10000)
    err(limited.get(ACCOUNT + "/logpush/jobs"), 403, 10000)


def test_zones_list_by_name_and_pagination(client):
    for i in range(11):
        client.admin("POST", "/zones", {"name": "z%02d.example" % i})
    status, body, _ = client.get("/client/v4/zones?name=example.com")
    assert status == 200
    assert [z["id"] for z in body["result"]] == [ZONE_ID]
    zone = body["result"][0]
    assert zone["name"] == "example.com" and zone["account"] == {"id": ACCOUNT_ID, "name": "Example Account"}
    assert body["result_info"] == {"page": 1, "per_page": 20, "count": 1, "total_count": 1, "total_pages": 1}
    _, body, _ = client.get("/client/v4/zones?per_page=5&page=3")
    assert body["result_info"] == {"page": 3, "per_page": 5, "count": 2, "total_count": 12, "total_pages": 3}
    _, body, _ = client.get("/client/v4/zones?name=nope.example")
    assert body["result"] == [] and body["result_info"]["total_count"] == 0
    err(client.get("/client/v4/zones?per_page=1000"), 400, 1001)
    err(client.get("/client/v4/zones?page=x"), 400, 1001)


def test_get_zone(client):
    assert ok(client.get("/client/v4/zones/" + ZONE_ID))["name"] == "example.com"
    err(client.get("/client/v4/zones/" + OTHER_ZONE), 403, 10000)
    err(client.get("/client/v4/zones/xyz"), 400, 7003)


def test_admin_refuses_non_loopback_clients(app):
    c = app.test_client()
    resp = c.get("/__emulator/health", environ_base={"REMOTE_ADDR": "10.1.2.3"})
    assert resp.status_code == 403
    assert c.get("/__emulator/health").get_json()["ok"] is True
