"""An account's Notifications policies of the Logpush alert type: what Cloudflare takes, answers and refuses."""
import pytest

from emulator.defaults import ACCOUNT_ID, ZONE_ID

from .helpers import err, ok

POLICIES = "/client/v4/accounts/%s/alerting/v3/policies" % ACCOUNT_ID
WEBHOOK = "b115d5ec15c641ee8b7692c449b5227b"


def policy(**extra):
    body = {"alert_type": "failing_logpush_job_disabled_alert", "name": "Logpush job disabled", "enabled": True,
            "mechanisms": {"email": [{"id": "ops@example.com"}]}}
    body.update(extra)
    return body


@pytest.fixture
def with_webhook(client):
    status, _ = client.admin("POST", "/alerting/%s" % ACCOUNT_ID, {"webhooks": [
        {"id": WEBHOOK, "name": "chat", "url": "https://hooks.example.com/services/T0/B0", "secret": "canary-hook-secret"}]})
    assert status == 200


def test_create_answers_the_id_only_and_the_list_shows_the_policy(client):
    made = ok(client.post(POLICIES, policy(description="page the team")))
    assert set(made) == {"id"}
    (listed,) = ok(client.get(POLICIES))
    assert listed["id"] == made["id"] and listed["name"] == "Logpush job disabled" and listed["enabled"] is True
    assert listed["description"] == "page the team"
    assert listed["mechanisms"] == {"email": [{"id": "ops@example.com"}]}
    assert ok(client.get(POLICIES + "/" + made["id"])) == listed


def test_an_empty_mechanism_list_is_left_out_of_the_answer(client, with_webhook):
    made = ok(client.post(POLICIES, policy(mechanisms={"email": [], "webhooks": [{"id": WEBHOOK}], "pagerduty": []})))
    assert ok(client.get(POLICIES + "/" + made["id"]))["mechanisms"] == {"webhooks": [{"id": WEBHOOK}]}


def test_the_policy_holds_the_webhook_id_never_its_url_or_secret(client, with_webhook):
    ok(client.post(POLICIES, policy(mechanisms={"webhooks": [{"id": WEBHOOK}]})))
    status, body, _ = client.get(POLICIES)
    assert status == 200 and "canary-hook-secret" not in str(body) and "hooks.example.com" not in str(body)


@pytest.mark.parametrize("body, says", [
    (policy(alert_type="dos_attack_l7"), "plays only failing_logpush_job_disabled_alert"),
    ({"name": "x", "enabled": True, "mechanisms": {"email": [{"id": "a@example.com"}]}}, "alert_type: required"),
    (policy(name=""), "name: a non-empty string"),
    (policy(enabled="yes"), "enabled: must be a boolean"),
    (policy(mechanisms={"email": [{"id": "not-an-address"}]}), "is not an e-mail address"),
    (policy(mechanisms={"webhooks": [{"id": "0000000000000000000000000000dead"}]}), "no such webhook destination"),
    (policy(mechanisms={"pagerduty": [{"id": "nope"}]}), "no such PagerDuty destination"),
    (policy(mechanisms={"slack": [{"id": "x"}]}), "mechanisms: an object of"),
    (policy(mechanisms={"email": ["ops@example.com"]}), "a list of {\"id\": ...}"),
    (policy(mechanisms={"email": []}), "at least one destination"),
    (policy(colour="red"), "unknown field(s) colour"),
])
def test_a_policy_cloudflare_refuses_answers_400_and_stores_nothing(client, body, says):
    err(client.post(POLICIES, body), 400, 17000, says)
    assert ok(client.get(POLICIES)) == []


def test_put_changes_the_fields_given_and_answers_the_id(client):
    made = ok(client.post(POLICIES, policy()))
    path = POLICIES + "/" + made["id"]
    assert ok(client.put(path, {"enabled": False, "mechanisms": {"email": [{"id": "b@example.com"}]}})) == made
    got = ok(client.get(path))
    assert got["enabled"] is False and got["mechanisms"] == {"email": [{"id": "b@example.com"}]}
    assert got["name"] == "Logpush job disabled"
    err(client.put(path, {"mechanisms": {"email": [{"id": "bad"}]}}), 400, 17000, "not an e-mail address")


def test_delete_then_every_call_on_the_policy_answers_404(client):
    made = ok(client.post(POLICIES, policy()))
    path = POLICIES + "/" + made["id"]
    status, body, _ = client.delete(path)
    assert status == 200 and body["success"] is True
    for answer in (client.get(path), client.delete(path), client.put(path, {"enabled": True})):
        err(answer, 404, 17001, "policy not found")
    assert ok(client.get(POLICIES)) == []


def test_a_token_limited_to_a_zone_cannot_read_the_account_policies(client):
    status, _ = client.admin("POST", "/tokens", {"token": "zone-only-token", "zones": [ZONE_ID], "accounts": []})
    assert status == 200
    err(client.get(POLICIES, headers={"Authorization": "Bearer zone-only-token"}), 403, 10000)


def test_a_seeded_policy_of_another_type_is_listed_but_not_writable(client):
    status, seeded = client.admin("POST", "/alerting/%s" % ACCOUNT_ID, {"policies": [
        {"name": "Logpush job disabled", "alert_type": "dos_attack_l7", "mechanisms": {"email": [{"id": "a@example.com"}]}}]})
    assert status == 200
    (listed,) = ok(client.get(POLICIES))
    assert listed["alert_type"] == "dos_attack_l7"
    err(client.put(POLICIES + "/" + seeded["policies"][0], {"enabled": False}), 400, 17000, "plays only")
