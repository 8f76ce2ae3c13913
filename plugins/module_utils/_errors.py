# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection: it may change without notice.
"""The two errors a task fails with besides a refused request (``_client.CloudflareError``): bad input,
found before any request, and a write refused after what the task had done before it. Both leave through
the base module's one error funnel (``_module.LogpushModule.execute``)."""

from __future__ import annotations


class JobInputError(ValueError):
    """Bad input, found before any request: the message names the option and the fix."""


class WriteFailure(Exception):
    """A write that Cloudflare refused, with what the task had done before it, as the modules report it.

    ``error``: the ``CloudflareError`` of the refused request. ``context``: a sentence that says what
    happened before it (None when nothing needs saying). ``deleted``: the jobs (as they were) that the
    task deleted to make room before the refusal. ``replacement``: a job that the task created and that
    exists although the task failed (a recreate whose old job could not be deleted). ``returned``: values
    the failed task returns besides ``failure`` (``deleted_job``, ``deleted_jobs``)."""

    def __init__(self, error, context=None, deleted=(), replacement=None, returned=None):
        super(WriteFailure, self).__init__(str(error))
        self.error = error
        self.context = context
        self.deleted = list(deleted)
        self.replacement = replacement
        self.returned = dict(returned or {})
