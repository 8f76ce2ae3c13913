# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the module tests: one scripted server per file, and what Ansible really prints.

``run_module`` (main() with exit_json/fail_json caught) is in tests/unit/conftest.py."""

from __future__ import annotations

import pytest

from ansible_collections.cloudflare_community.logpush.tests.unit._compat import patch_module_args
from ansible_collections.cloudflare_community.logpush.tests.unit.scripted_server import ScriptedServer


@pytest.fixture(scope="module")
def _shared_server():
    srv = ScriptedServer()
    yield srv
    srv.stop()


@pytest.fixture
def server(_shared_server):
    """The scripted server, shared by the tests of a file (stopping one costs half a second), emptied for each test.

    A test must use every answer it scripts: a step left over means the module sent fewer requests than the
    test expected, and fails the test.
    """
    _shared_server.httpd.script[:] = []
    _shared_server.httpd.seen[:] = []
    yield _shared_server
    left = list(_shared_server.httpd.script)
    _shared_server.httpd.script[:] = []
    assert not left, "%d scripted answer(s) were not asked for" % len(left)


@pytest.fixture
def run_module_printed(capsys, tmp_path):
    """``run_module_printed(main, args)`` -> (exit code, the JSON text the module printed), through Ansible's own
    exit_json/fail_json: what reaches the controller, after no_log masking, ``invocation`` included."""

    def run(main, args):
        args = dict(args, _ansible_remote_tmp=str(tmp_path))
        with patch_module_args(args):
            with pytest.raises(SystemExit) as info:
                main()
        return info.value.code, capsys.readouterr().out

    return run
