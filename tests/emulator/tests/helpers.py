"""Test helpers: every API answer seen in the tests is checked against the spec, from the test side.

The check resolves the request path to the spec's path template itself (not through Flask's routing),
then validates the body with the validators compiled from the spec (`emulator.spec`).
"""
import json
import re
from urllib.parse import urlsplit

import requests

from emulator.defaults import ACCOUNT_ID, TOKEN, ZONE_ID
from emulator.spec import ALERTING_POLICIES, ALERTING_POLICY, RULESET_ENTRYPOINT, get_spec

AUTH = {"Authorization": "Bearer " + TOKEN}
ZONE = "/client/v4/zones/" + ZONE_ID
ACCOUNT = "/client/v4/accounts/" + ACCOUNT_ID

_TEMPLATES = None


def _templates():
    global _TEMPLATES
    if _TEMPLATES is None:
        paths = list(get_spec().raw["paths"]) + ["/zones", "/zones/{zone_id}", RULESET_ENTRYPOINT,
                                                  ALERTING_POLICIES, ALERTING_POLICY]
        _TEMPLATES = [(re.compile("^" + re.sub(r"\{[a-z_]+\}", "[^/]+", p) + "$"), p) for p in paths]
    return _TEMPLATES


def template_for(path):
    path = path[len("/client/v4"):] if path.startswith("/client/v4") else path
    for regex, template in _templates():
        if regex.match(path):
            return template
    return None


class SpecChecked(Exception):
    pass


def check_answer(method, path, status, body):
    """Assert that `body` (parsed JSON) is an answer Cloudflare's spec allows for this request."""
    if path.startswith("/__emulator"):
        return
    assert isinstance(body, dict), "answer is not a JSON object: %r" % (body,)
    assert set(body) >= {"success", "errors", "messages", "result"}, "not a v4 envelope: %r" % body
    assert body["success"] is (status < 400), "success flag does not match HTTP %d" % status
    spec = get_spec()
    template = template_for(path)
    if template is None or status >= 400:
        spec.failure.validate(body)
        return
    spec.check_response(template, method.upper(), status, body)


class CheckedClient:
    """Flask test client wrapper: JSON in, every answer spec-checked; returns (status, body, response)."""

    def __init__(self, client, headers=None):
        self.client = client
        self.headers = dict(AUTH if headers is None else headers)

    def call(self, method, path, json_body=None, headers=None, data=None, **kwargs):
        hdrs = dict(self.headers)
        hdrs.update(headers or {})
        if json_body is not None:
            data = json.dumps(json_body)
            hdrs.setdefault("Content-Type", "application/json")
        resp = self.client.open(path, method=method, data=data, headers=hdrs, **kwargs)
        body = resp.get_json(silent=True)
        check_answer(method, path.split("?", 1)[0], resp.status_code, body)
        return resp.status_code, body, resp

    def get(self, path, **kw):
        return self.call("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.call("POST", path, body if body is not None else {}, **kw)

    def put(self, path, body=None, **kw):
        return self.call("PUT", path, body if body is not None else {}, **kw)

    def delete(self, path, **kw):
        return self.call("DELETE", path, **kw)

    def admin(self, method, path, body=None):
        resp = self.client.open("/__emulator" + path, method=method, json=body)
        return resp.status_code, resp.get_json(silent=True)


def checked_session(headers=None):
    """A requests.Session whose every answer is spec-checked (response hook)."""
    session = requests.Session()
    session.headers.update(AUTH if headers is None else headers)

    def hook(resp, *args, **kwargs):
        path = urlsplit(resp.request.url).path
        if path.startswith("/client/v4"):
            check_answer(resp.request.method, path, resp.status_code, resp.json())

    session.hooks["response"].append(hook)
    return session


def ok(status_body):
    status, body = status_body[0], status_body[1]
    assert status == 200, body
    assert body["success"] is True
    return body["result"]


def err(status_body, status, code=None, contains=None):
    got_status, body = status_body[0], status_body[1]
    assert got_status == status, body
    assert body["success"] is False and body["result"] is None
    if code is not None:
        assert body["errors"][0]["code"] == code, body
    if contains is not None:
        assert contains in body["errors"][0]["message"], body
    return body["errors"][0]["message"]
