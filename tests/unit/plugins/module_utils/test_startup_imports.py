# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A module run compiles every module_utils it imports (AnsiballZ ships sources), so each path imports only
what it uses: the filter grammar and the datasets' field types only for a task with a filter, and
logpush_job_info none of the input checks and planning. Each case runs in a fresh interpreter."""

from __future__ import annotations

import os
import subprocess
import sys

PACKAGE = "ansible_collections.cloudflare_community.logpush.plugins"


def loaded_after(code):
    """The collection's module_utils (short names) imported after running ``code`` in a fresh interpreter."""
    show = ("import sys\nprint(' '.join(m.rsplit('.', 1)[-1] for m in sys.modules "
            "if m.startswith(%r)))" % (PACKAGE + ".module_utils."))
    done = subprocess.run([sys.executable, "-c", code + "\n" + show], capture_output=True, text=True, check=False,
                          env=dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in sys.path if p)))
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


def test_the_job_modules_and_a_task_without_a_filter_leave_out_the_filter_grammar():
    loaded = loaded_after(
        "from %s.modules import logpush_job, logpush_jobs, logpush_ownership\n"
        "from %s.module_utils._job_input import task_desired\n"
        "task_desired({'name': 'a', 'destination_conf': 's3://b/p?region=us-east-1',\n"
        "              'output_options': {'field_names': ['RayID']}}, False)" % (PACKAGE, PACKAGE))
    assert {"_job", "_job_input", "_job_plan", "_job_runner", "_spec"} <= loaded
    assert not {"_filter", "_field_types"} & loaded


def test_a_task_with_a_filter_loads_the_grammar_to_check_it():
    loaded = loaded_after(
        "from %s.module_utils._job_input import check_dataset_options, task_desired\n"
        "desired = task_desired({'name': 'a', 'filter': {'where': {'key': 'ClientIP', 'operator': 'eq',\n"
        "                        'value': '192.0.2.1'}}}, False)\n"
        "check_dataset_options(desired, 'http_requests')" % PACKAGE)
    assert {"_filter", "_field_types"} <= loaded


def test_logpush_job_info_leaves_out_the_input_checks_and_the_planning():
    loaded = loaded_after("from %s.modules import logpush_job_info" % PACKAGE)
    assert "_job" in loaded
    assert not {"_job_input", "_job_plan", "_job_runner", "_filter", "_field_types"} & loaded
