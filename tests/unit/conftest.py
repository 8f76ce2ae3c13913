# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures shared by the unit tests."""

from __future__ import annotations

import socket

import pytest

from ansible.module_utils import basic
from ansible.module_utils.common import warnings as ansible_warnings

from ansible_collections.cloudflare_community.logpush.tests.unit._compat import patch_module_args
from ansible_collections.cloudflare_community.logpush.tests.unit.scripted_server import ScriptedServer


@pytest.fixture(autouse=True)
def _fresh_warnings():
    """Ansible keeps a module's warnings and deprecations in globals of its process, which a real module run
    starts empty; in one pytest process they would pass from one test's module run to the next."""
    for name in ("_global_warnings", "_global_deprecations"):
        getattr(ansible_warnings, name).clear()
    yield


@pytest.fixture
def server():
    srv = ScriptedServer()
    yield srv
    srv.stop()


@pytest.fixture
def closed_port():
    """A loopback port where nothing listens (connections are refused)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


# -- running a module's main() as Ansible would, and catching what it returns (Ansible's recipe) ----------

class _ModuleExit(Exception):
    """Raised by the patched exit_json and fail_json: carries the module's result."""

    def __init__(self, result):
        super(_ModuleExit, self).__init__(result)
        self.result = result


def _exit_json(self, **kwargs):
    kwargs.setdefault("changed", False)
    raise _ModuleExit(kwargs)


def _fail_json(self, msg=None, **kwargs):
    kwargs["failed"] = True
    kwargs["msg"] = msg
    raise _ModuleExit(kwargs)


@pytest.fixture
def run_module(monkeypatch, tmp_path):
    """``run_module(main, args, check_mode=False, diff=False)`` -> the result dict (``failed`` set on failure).

    The dict is what the module handed to exit_json or fail_json, before Ansible's own no_log masking,
    so that a test sees exactly what the module itself lets out.
    """
    monkeypatch.setattr(basic.AnsibleModule, "exit_json", _exit_json)
    monkeypatch.setattr(basic.AnsibleModule, "fail_json", _fail_json)

    def run(main, args, check_mode=False, diff=False):
        args = dict(args)
        # each test has its own remote temp folder, so its shared rate limiter starts full
        args.setdefault("_ansible_remote_tmp", str(tmp_path))
        if check_mode:
            args["_ansible_check_mode"] = True
        if diff:
            args["_ansible_diff"] = True
        with patch_module_args(args):
            with pytest.raises(_ModuleExit) as info:
                main()
        return info.value.result

    return run
