"""The zone's http_log_custom_fields entrypoint ruleset (Logpush custom fields): the paths where Cloudflare says no."""
import pytest

from emulator.defaults import ACCOUNT_ID, ZONE_ID

from .helpers import err, ok

ENTRYPOINT = "/client/v4/zones/%s/rulesets/phases/http_log_custom_fields/entrypoint" % ZONE_ID


def rule(**parameters):
    return {"action": "log_custom_field", "expression": "true", "action_parameters": parameters}


def test_a_zone_with_none_answers_404_10003(client):
    err(client.get(ENTRYPOINT), 404, 10003, "could not find entrypoint ruleset in the http_log_custom_fields phase")


def test_the_first_put_creates_the_ruleset_and_get_returns_it(client):
    made = ok(client.put(ENTRYPOINT, {"rules": [rule(request_fields=[{"name": "content-type"}],
                                                      cookie_fields=[{"name": "accountNumber"}])]}))
    assert made["kind"] == "zone" and made["phase"] == "http_log_custom_fields" and made["version"] == "1"
    (stored,) = made["rules"]
    assert stored["id"] and stored["ref"] == stored["id"] and stored["version"] == "1" and stored["enabled"] is True
    assert stored["action_parameters"] == {"request_fields": [{"name": "content-type"}],
                                           "cookie_fields": [{"name": "accountNumber"}]}
    assert ok(client.get(ENTRYPOINT)) == made


def test_a_put_naming_the_rule_keeps_its_id_and_bumps_versions(client):
    first = ok(client.put(ENTRYPOINT, {"rules": [rule(cookie_fields=[{"name": "a"}])]}))
    rule_id = first["rules"][0]["id"]
    second = ok(client.put(ENTRYPOINT, {"rules": [dict(rule(cookie_fields=[{"name": "b"}]), id=rule_id)]}))
    assert second["id"] == first["id"] and second["version"] == "2"
    assert second["rules"][0]["id"] == rule_id and second["rules"][0]["version"] == "2"
    third = ok(client.put(ENTRYPOINT, {"rules": [rule(cookie_fields=[{"name": "b"}])]}))
    assert third["rules"][0]["id"] != rule_id


def test_an_empty_list_of_rules_leaves_an_empty_ruleset(client):
    ok(client.put(ENTRYPOINT, {"rules": [rule(cookie_fields=[{"name": "a"}])]}))
    emptied = ok(client.put(ENTRYPOINT, {"rules": []}))
    assert emptied["rules"] == [] and ok(client.get(ENTRYPOINT))["rules"] == []


@pytest.mark.parametrize("bad, contains", [
    (dict(rule(cookie_fields=[{"name": "a"}]), action="execute"), "action 'execute' is not allowed"),
    (dict(rule(cookie_fields=[{"name": "a"}]), expression='http.host eq "a"'), "must be \"true\""),
    ({"action": "log_custom_field", "expression": "true"}, "action_parameters are required"),
    (rule(), "at least one of"),
    (rule(request_fields=[]), "at least one of"),
    (rule(headers=[{"name": "a"}]), "unknown field(s) headers"),
    (rule(request_fields=[{"name": "Content-Type"}]), "must be in lower case"),
    (rule(request_fields=[{"name": "range"}]), "'range' is not supported"),
    (rule(transformed_request_fields=[{"name": "range"}]), "'range' is not supported"),
    (rule(request_fields=[{"name": "host"}], transformed_request_fields=[{"name": "host"}]), "in both"),
    (rule(response_fields=[{"name": "server"}], raw_response_fields=[{"name": "server"}]), "in both"),
    (rule(cookie_fields=[{"name": "c%d" % i} for i in range(101)]), "at most 100"),
    (rule(cookie_fields=["a"]), "each field is an object"),
    (rule(cookie_fields=[{"name": ""}]), "each field is an object"),
    (rule(request_fields=[{"name": "a", "preserve_duplicates": True}]), "each field is an object"),
    (rule(response_fields=[{"name": "a", "preserve_duplicates": "yes"}]), "preserve_duplicates must be a boolean"),
    (dict(rule(cookie_fields=[{"name": "a"}]), id="0" * 32), "is not in the ruleset"),
], ids=lambda value: value if isinstance(value, str) else None)
def test_rules_cloudflare_refuses_are_refused_and_nothing_is_stored(client, bad, contains):
    err(client.put(ENTRYPOINT, {"rules": [bad]}), 400, 20021, contains)
    err(client.get(ENTRYPOINT), 404, 10003)


def test_preserve_duplicates_and_the_cookie_case_are_kept(client):
    made = ok(client.put(ENTRYPOINT, {"rules": [rule(raw_response_fields=[{"name": "set-cookie", "preserve_duplicates": True}],
                                                      cookie_fields=[{"name": "SessionID"}])]}))
    assert made["rules"][0]["action_parameters"]["raw_response_fields"] == [{"name": "set-cookie", "preserve_duplicates": True}]
    assert made["rules"][0]["action_parameters"]["cookie_fields"] == [{"name": "SessionID"}]


def test_the_phase_is_a_zone_phase(client):
    err(client.get("/client/v4/accounts/%s/rulesets/phases/http_log_custom_fields/entrypoint" % ACCOUNT_ID), 404, 7000)


def test_a_seeded_entrypoint_holds_any_rule_and_a_reset_clears_it(client):
    status, seeded = client.admin("POST", "/rulesets/" + ZONE_ID, {"rules": [{"action": "execute", "expression": "true",
                                                                              "action_parameters": {"id": "x"}}]})
    assert status == 200 and seeded["ruleset"]["rules"][0]["action"] == "execute"
    assert ok(client.get(ENTRYPOINT))["rules"][0]["action"] == "execute"
    assert client.admin("POST", "/reset")[0] == 200
    err(client.get(ENTRYPOINT), 404, 10003)


def test_a_token_without_the_zone_is_refused(client):
    assert client.admin("POST", "/tokens", {"token": "other-zone-token", "zones": ["0" * 32]})[0] == 200
    err(client.get(ENTRYPOINT, headers={"Authorization": "Bearer other-zone-token"}), 403, 10000)
