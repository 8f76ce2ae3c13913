# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The event source against answers it must not trust: a refused or oddly written credential, an absurd
Ratelimit header, a malformed job list, a TLS failure. None may crash it, stall it or print a secret."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from eda_helpers import TOKEN, ZONE, Source, run


class _Answers(BaseHTTPRequestHandler):
    """Answers every request with the server's ``answer`` (status, body) and records it."""

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.server.seen.append(self.path)
        status, body = self.server.answer
        payload = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


@pytest.fixture
def fake_api():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Answers)
    httpd.daemon_threads = True
    httpd.seen = []
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    httpd.url = "http://127.0.0.1:%d/client/v4" % httpd.server_address[1]
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_a_token_with_a_trailing_newline_is_used_without_it_and_never_logged(plugin, emu, base_args, caplog):
    emu.create_job("one", emu.receiver("one"))

    async def scenario():
        source = Source(plugin, dict(base_args, api_token=TOKEN + "\n", emit_initial=True))
        initial = await source.event()
        await source.stop()
        return initial

    with caplog.at_level(logging.DEBUG):
        initial = run(scenario())
    assert initial["type"] == "initial"
    assert "whitespace around api_token (from the arguments) was removed" in caplog.text
    assert TOKEN not in caplog.text


def test_a_credential_cloudflare_refuses_stops_the_source_with_a_clear_error(plugin, emu, base_args, caplog):
    """A malformed token (400/6003 from Cloudflare): no poll can succeed, so the source stops at once instead
    of logging the refusal on every poll."""
    bad = "canary/not+a+token"
    with caplog.at_level(logging.DEBUG):
        with pytest.raises(plugin["CredentialRefused"]) as info:
            run(plugin["main"](asyncio.Queue(), dict(base_args, api_token=bad)))
    message = str(info.value)
    assert "refused the credential" in message and "code 6003" in message
    assert "canary" not in message and "canary" not in caplog.text
    assert len(emu.job_lists()) == 1


def test_the_arguments_token_wins_over_legacy_variables_in_the_environment(plugin):
    env = {"CLOUDFLARE_EMAIL": "env@example.com", "CLOUDFLARE_API_KEY": "envkey0000aa"}
    options = plugin["parse_options"]({"api_token": TOKEN, "zones": [ZONE]}, env)
    assert (options["api_token"], options["api_email"], options["api_key"]) == (TOKEN, None, None)
    with pytest.raises(plugin["OptionError"], match="both given in the arguments"):
        plugin["parse_options"]({"api_token": TOKEN, "api_email": "u@example.com", "api_key": "k1234567",
                                 "zones": [ZONE]}, {})
    with pytest.raises(plugin["OptionError"], match="whitespace or a control character") as info:
        plugin["parse_options"]({"api_token": "canary token", "zones": [ZONE]}, {})
    assert "canary" not in str(info.value)


@pytest.mark.parametrize("ratelimit", ['"default";r=0;t=100000', '"default";r=0;t=nan', '"default";r=0;t=inf'])
def test_an_absurd_ratelimit_header_keeps_the_source_away_at_most_the_window(plugin, ratelimit):
    pacing = plugin["_HeaderPacing"](None, clock=lambda: 1000.0)
    pacing.learn({"Ratelimit": ratelimit, "Retry-After": "999999"})
    assert pacing.blocked_until <= 1000.0 + 300 + 0.5


def test_a_non_numeric_job_id_is_a_failed_poll_not_a_crash(plugin, base_args, fake_api, caplog):
    fake_api.answer = (200, {"success": True, "errors": [], "messages": [],
                             "result": [{"id": "12abc", "name": "x", "dataset": "http_requests"}]})
    options = plugin["parse_options"](dict(base_args, api_base_url=fake_api.url), {})
    watcher = plugin["JobWatcher"](options)
    with caplog.at_level(logging.WARNING):
        events = run(watcher.poll_scope("zones/%s" % ZONE, "/zones/%s" % ZONE, {"zone_id": ZONE}))
    assert events == [] and "zones/%s" % ZONE in watcher.failures
    assert "numeric id" in caplog.text


def test_an_unbounded_total_pages_is_a_failed_listing_not_an_endless_one(plugin, base_args, fake_api, caplog):
    fake_api.answer = (200, {"success": True, "errors": [], "messages": [], "result": [{"id": ZONE, "name": "z"}],
                             "result_info": {"total_pages": 10 ** 9}})
    options = plugin["parse_options"](dict(base_args, api_base_url=fake_api.url, zones=None, all_zones=True), {})
    watcher = plugin["JobWatcher"](options)
    with caplog.at_level(logging.WARNING):
        assert run(watcher._all_zones()) == []
    assert len(fake_api.seen) == 1 and "total_pages" in caplog.text


def test_a_tls_failure_is_a_failed_poll_that_backs_off(plugin, base_args, caplog):
    """A server that speaks no TLS where TLS is expected: the TLS message, then the usual backoff."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)

    def serve():
        while True:
            try:
                conn, _addr = listener.accept()
            except OSError:
                return
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")  # plain text: the handshake fails
            conn.close()

    threading.Thread(target=serve, daemon=True).start()
    url = "https://127.0.0.1:%d/client/v4" % listener.getsockname()[1]
    try:
        options = plugin["parse_options"](dict(base_args, api_base_url=url), {})
        watcher = plugin["JobWatcher"](options)
        with caplog.at_level(logging.WARNING):
            events = run(watcher.poll_scope("zones/%s" % ZONE, "/zones/%s" % ZONE, {"zone_id": ZONE}))
    finally:
        listener.close()
    assert events == [] and watcher.failures["zones/%s" % ZONE][0] == 1
    assert "TLS connection failed" in caplog.text


def test_every_uri_task_that_carries_a_credential_follows_no_redirect():
    """The EDA playbooks (a token or key in headers) and the role's REST readers (a token, or a SAS in the URL)."""
    import glob
    import os

    import yaml

    root = os.path.join(os.path.dirname(__file__), "..", "..")
    files = glob.glob(os.path.join(root, "extensions", "eda", "playbooks", "*.yml")) + [
        os.path.join(root, "roles", "job_setup", "tasks", name) for name in ("read_challenge_gs.yml", "read_challenge_azure.yml")]
    seen = 0

    def tasks_of(node):
        if isinstance(node, list):
            for item in node:
                yield from tasks_of(item)
        elif isinstance(node, dict):
            if "ansible.builtin.uri" in node:
                yield node
            for key in ("tasks", "block", "rescue", "always"):
                yield from tasks_of(node.get(key))

    for path in files:
        with open(path) as handle:
            for task in tasks_of(yaml.safe_load(handle)):
                seen += 1
                assert task["ansible.builtin.uri"].get("follow_redirects") == "none", (path, task.get("name"))
    assert seen == 6
