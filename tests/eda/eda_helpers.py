# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers of the event source's tests: the emulator's admin API, the plugin's main() as a task."""

from __future__ import annotations

import asyncio
import os

import pytest
import requests

from emulator import defaults

# the emulator's default credential, zone and account (tests/emulator/defaults.py; PYTHONPATH=tests)
ZONE = defaults.ZONE_ID
ZONE_NAME = defaults.ZONE_NAME
ACCOUNT = defaults.ACCOUNT_ID
TOKEN = defaults.TOKEN

HERE = os.path.dirname(os.path.abspath(__file__))


def collection_dir():
    """The staged (or installed) collection: the first ANSIBLE_COLLECTIONS_PATH entry that holds it."""
    paths = os.environ.get("ANSIBLE_COLLECTIONS_PATH") or os.path.join(HERE, "..", "..", ".build")
    for path in paths.split(os.pathsep):
        candidate = os.path.join(os.path.abspath(path), "ansible_collections", "cloudflare_community", "logpush")
        if os.path.isdir(candidate):
            return candidate
    pytest.fail("the collection is not staged: run scripts/stage-collection.sh (or make collection) and set "
                "ANSIBLE_COLLECTIONS_PATH to the folder that holds ansible_collections/")
    return None


PLUGIN_PATH = os.path.join("extensions", "eda", "plugins", "event_source", "job_health.py")


class Emulator(object):
    """The emulator's admin API and the few Logpush calls the tests make themselves."""

    def __init__(self, srv):
        self.srv = srv
        self.url = srv.url
        self.base_url = srv.base_url
        self.port = srv.port
        self.http = requests.Session()
        self.http.headers["Authorization"] = "Bearer %s" % TOKEN

    def admin(self, method, path, body=None):
        answer = requests.request(method, self.url + "/__emulator" + path, json=body, timeout=30)
        answer.raise_for_status()
        return answer.json()

    def api(self, method, path, body=None):
        answer = self.http.request(method, self.base_url + path, json=body, timeout=30)
        data = answer.json()
        assert data["success"], (method, path, data)
        return data["result"]

    def receiver(self, name, secret="s3cr3t-receiver-token"):
        """An https:// destination on the emulator's receiver, with a credential in a header parameter."""
        return "https://127.0.0.1:%d/__emulator/receiver/%s?header_Authorization=Bearer%%20%s" % (self.port, name, secret)

    def fail_receiver(self, name, status=500):
        self.admin("POST", "/receiver/%s/config" % name, {"status": status})

    def heal_receiver(self, name):
        self.admin("POST", "/receiver/%s/config" % name, {"status": 200})

    def create_job(self, name, destination, scope="/zones/" + ZONE, enabled=True, dataset=None):
        body = {"name": name, "destination_conf": destination, "enabled": enabled}
        if dataset:
            body["dataset"] = dataset
        return self.api("POST", scope + "/logpush/jobs", body)

    def delete_job(self, job_id, scope="/zones/" + ZONE):
        return self.api("DELETE", "%s/logpush/jobs/%d" % (scope, job_id))

    def job(self, job_id, scope="/zones/" + ZONE):
        return self.api("GET", "%s/logpush/jobs/%d" % (scope, job_id))

    def push(self):
        return self.admin("POST", "/push")["pushed"]

    def advance(self, seconds):
        return self.admin("POST", "/clock", {"advance": seconds})

    def requests_log(self):
        return self.admin("GET", "/requests")["requests"]

    def job_lists(self):
        """The job list requests the emulator saw (any scope)."""
        return [r for r in self.requests_log() if r["method"] == "GET" and r["path"].endswith("/logpush/jobs")]


class Source(object):
    """The plugin's main(queue, args) running as a task, as ansible-rulebook runs it."""

    def __init__(self, plugin, args):
        self.queue = asyncio.Queue()
        self.task = asyncio.ensure_future(plugin["main"](self.queue, args))

    async def event(self, timeout=10.0):
        try:
            return (await asyncio.wait_for(self.queue.get(), timeout))["cloudflare_logpush"]
        except asyncio.TimeoutError:
            if self.task.done():
                self.task.result()  # the source died: say why
            raise AssertionError("no event within %s s" % timeout) from None

    async def events(self, count, timeout=10.0):
        return [await self.event(timeout) for _index in range(count)]

    async def quiet(self, seconds):
        """Nothing comes for ``seconds``: returns what came (should be [])."""
        await asyncio.sleep(seconds)
        assert not self.task.done(), "the source stopped: %r" % (self.task.exception(),)
        got = []
        while not self.queue.empty():
            got.append(self.queue.get_nowait()["cloudflare_logpush"])
        return got

    async def stop(self):
        self.task.cancel()
        try:
            await self.task
        except asyncio.CancelledError:
            pass


async def polls(emu, count, timeout=10.0):
    """Wait until the emulator has seen ``count`` more job lists."""
    start = len(emu.job_lists())
    deadline = asyncio.get_running_loop().time() + timeout
    while len(emu.job_lists()) < start + count:
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("the plugin did not poll %d times within %s s" % (count, timeout))
        await asyncio.sleep(0.05)


def run(coroutine):
    return asyncio.run(coroutine)
