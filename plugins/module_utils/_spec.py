# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection: it may change without notice.
"""The options the modules declare in Python: the ones every module has (credentials, connection, scope;
their documentation is the ``common`` doc fragment) and those of one job (logpush_job's, and each item of
logpush_jobs' ``jobs``; the ``job`` doc fragment). ``_module`` builds every module's spec from here."""

from __future__ import annotations

from ansible.module_utils.basic import env_fallback

from ._client import DEFAULT_BASE_URL


def common_argument_spec():
    # The credential options have no env_fallback: the environment is read only when the task gives no
    # credential at all (resolve_credentials), so that a token in the task is never refused because of
    # CLOUDFLARE_EMAIL and CLOUDFLARE_API_KEY set in the environment, nor the other way round.
    return dict(
        api_token=dict(type="str", no_log=True),
        # the aliases are community.general's names for them (its Cloudflare DNS modules)
        api_email=dict(type="str", aliases=["account_email"]),
        api_key=dict(type="str", no_log=True, aliases=["account_api_key"]),
        api_base_url=dict(type="str", default=DEFAULT_BASE_URL, fallback=(env_fallback, ["CLOUDFLARE_BASE_URL"])),
        validate_certs=dict(type="bool", default=True),
        timeout=dict(type="int", default=30),
        max_retries=dict(type="int", default=5),
        rate_limit=dict(type="int", default=1200),
        rate_limit_window=dict(type="int", default=300),
        zone_id=dict(type="str"),
        zone=dict(type="str"),
        account_id=dict(type="str"),
    )


_OUTPUT_SUBOPTIONS = dict(
    field_names=dict(type="list", elements="str"),
    output_type=dict(type="str", choices=["ndjson", "csv"]),
    batch_prefix=dict(type="str"),
    batch_suffix=dict(type="str"),
    record_prefix=dict(type="str"),
    record_suffix=dict(type="str"),
    record_template=dict(type="str"),
    record_delimiter=dict(type="str"),
    field_delimiter=dict(type="str"),
    timestamp_format=dict(type="str", choices=["unixnano", "unix", "rfc3339", "rfc3339ms", "rfc3339ns"]),
    sample_rate=dict(type="float"),
    cve_2021_44228=dict(type="bool"),
    merge_subrequests=dict(type="bool"),
    stringify_object=dict(type="bool"),
)

# The options of one job: logpush_job's, and those of each item of logpush_jobs' ``jobs``.
JOB_OPTIONS = dict(
    state=dict(type="str", choices=["present", "absent"], default="present"),
    id=dict(type="int"),
    name=dict(type="str"),
    dataset=dict(type="str"),
    destination_conf=dict(type="str", no_log=False),
    update_secrets=dict(type="str", choices=["on_create", "always"], default="on_create", no_log=False),
    ownership_challenge=dict(type="str", no_log=True),
    enabled=dict(type="bool"),
    kind=dict(type="str", choices=["", "edge"]),
    frequency=dict(type="str", choices=["high", "low"]),
    filter=dict(type="raw"),
    filter_attack_traffic=dict(type="bool"),
    logpull_options=dict(type="str"),
    output_options=dict(type="dict", options=_OUTPUT_SUBOPTIONS),
    output_options_extra=dict(type="dict"),
    max_upload_bytes=dict(type="int"),
    max_upload_records=dict(type="int"),
    max_upload_interval_seconds=dict(type="int"),
    recreate=dict(type="bool", default=False),
    check_fields=dict(type="bool", default=True),
)
