# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

# The options of one job: logpush_job's (DOCUMENTATION), and those of each item of logpush_jobs'
# jobs (JOBS), which refer to logpush_job's descriptions.


class ModuleDocFragment(object):

    DOCUMENTATION = r"""
options:
  state:
    description:
      - V(present) creates or updates the job; V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  id:
    description:
      - The id of the job. With O(state=present) the job must exist (ids are assigned by Cloudflare).
    type: int
  name:
    description:
      - The name of the job. Names are not unique in Cloudflare, so jobs are matched on name and O(dataset).
      - Set it to V("") to remove the name.
    type: str
  dataset:
    description:
      - The dataset to push, for example V(http_requests), V(firewall_events) or V(audit_logs).
      - A new job gets V(http_requests) when this is not set; an existing job keeps its dataset. A job that
        Cloudflare answers without a dataset (made before 2020, when it was the only one) is an V(http_requests) job.
      - The dataset of a job cannot change. Set O(recreate=true) to delete the job and create it again.
    type: str
  destination_conf:
    description:
      - Where to push, for example V(s3://bucket/logs/{DATE}?region=us-east-1),
        V(r2://bucket/logs?account-id=...&access-key-id=...&secret-access-key=...),
        V(https://logs.example.com/ingest?header_Authorization=...).
      - Required to create a job. Compared as an exact string, except where Cloudflare's answer masks a secret
        (see O(update_secrets)).
      - A value still holding the C(REDACTED) that M(cloudflare_community.logpush.logpush_job_info) shows in
        place of a secret is refused; fill the secret in.
      - Destinations on AWS S3 (without keys or endpoint), Google Cloud Storage, Azure and Sumo Logic need
        O(ownership_challenge) when a job is created or its destination changes.
      - C(http://) and a value without C(scheme://) are refused. A scheme this collection does not know (a destination
        Cloudflare added later, such as Pipelines) is sent as given, without an ownership challenge, and Cloudflare
        decides.
      - The credentials inside it (keys, tokens, SAS signatures, C(header_*) values, passwords, the Sumo Logic
        code, token-like path segments of HTTP destinations) are masked in everything the module returns, diffs
        and errors included; the rest stays readable. If yours holds a secret anywhere else, set C(no_log) on
        the task.
    type: str
  update_secrets:
    description:
      - What to do with a secret of O(destination_conf) (a key, token or SAS signature in its query) that
        Cloudflare's answer shows masked (C(REDACTED) or asterisks), so that it cannot be compared. Cloudflare
        returns O(destination_conf) in clear today; this option is for answers that mask it.
      - V(on_create) compares the parts that are shown, and treats a masked secret as unchanged, as Terraform does
        with write-only attributes; the secret is written when the job is created and whenever another part of
        O(destination_conf) changes. To rotate a secret that Cloudflare masks, run once with V(always).
      - V(always) counts a masked secret as changed, so O(destination_conf) is written (and the task reports a
        change) on every run, like the C(update_password=always) of other collections.
      - A secret shown in clear is always compared, whatever this says.
    type: str
    choices: [on_create, always]
    default: on_create
  ownership_challenge:
    description:
      - The token from the challenge file that M(cloudflare_community.logpush.logpush_ownership) made
        Cloudflare write into the destination. It is bound to this zone or account and to the exact
        O(destination_conf) string, and expires after 7 days.
      - Sent only when a job is created or its destination changes; never compared.
    type: str
  enabled:
    description:
      - Whether the job pushes logs. Cloudflare creates jobs disabled when this is not set.
    type: bool
  kind:
    description:
      - V(edge) for Edge Log Delivery (only for V(http_requests)), V("") for a normal Logpush job.
      - It cannot change on an existing job; set O(recreate=true) to replace the job.
    type: str
    choices: ["", edge]
  frequency:
    description:
      - Deprecated by Cloudflare in favour of the C(max_upload_*) options. Compared only when set.
    type: str
    choices: [high, low]
  filter:
    description:
      - 'Which records to push, as a dict or as JSON text with a top-level C(where) key, for example
        C({"where": {"key": "ClientCountry", "operator": "eq", "value": "ca"}}).'
      - Compared as parsed JSON. V("") or C({}) removes the filter.
      - Checked before any request, in check mode too, against Cloudflare's grammar
        (U(https://developers.cloudflare.com/logs/logpush/logpush-job/filters/)), with the operators spelled exactly as
        Cloudflare does, case included (V(eq), V(!eq), V(lt), V(leq), V(gt), V(geq), V(startsWith), V(endsWith),
        V(!startsWith), V(!endsWith), V(contains), V(!contains), V(in), V(!in)); C(and) and C(or) take a list;
        V(in) and V(!in) a list, V(lt), V(leq), V(gt) and V(geq) a number; each value fitting its field's type;
        at most 30 operators (conditions and and/or groups) and 1,000 bytes of compact JSON.
    type: raw
  filter_attack_traffic:
    description:
      - Whether to leave attack traffic out of the logs (V(http_requests), V(firewall_events),
        V(network_analytics_logs)).
    type: bool
  logpull_options:
    description:
      - Deprecated by Cloudflare; prefer O(output_options). Fields and formats as a query string, for
        example V(fields=RayID,EdgeStartTimestamp&timestamps=rfc3339). V("") removes it.
      - Cannot be used with an C(https://) destination, nor together with O(output_options).
      - Cloudflare ignores C(logpull_options) on a job that has C(output_options). Given to such a job, they are
        also sent as C(output_options) (C(fields) as O(output_options.field_names), C(timestamps) as
        O(output_options.timestamp_format), C(sample) as O(output_options.sample_rate), C(CVE-2021-44228) as
        O(output_options.cve_2021_44228), Cloudflare's own mapping on its Log Output Options page), merged over
        the job's; a parameter without an equivalent there is refused.
    type: str
  output_options:
    description:
      - The fields and format of the pushed records. Only the sub-options you set are compared (an absent
        key on the server counts as Cloudflare's default for O(output_options.output_type)).
      - Cloudflare replaces the whole object on update; the module sends the sub-options you set merged
        over the ones the job already has, so nothing you did not set is lost.
      - A job that has only O(logpull_options) (made by an older tool) pushes with those; Cloudflare ignores them
        once the job has C(output_options). So the fields, timestamp format, sample rate and CVE-2021-44228
        setting of its O(logpull_options) are carried into the C(output_options) sent, unless the task sets
        them, and the diff shows them. Sub-options equal to what its O(logpull_options) already do are no change.
      - A false or empty value equals a key the answer leaves out (Cloudflare's answers omit empty keys).
    type: dict
    suboptions:
      field_names:
        description: The fields to push, in order (the order of CSV columns). Checked against the dataset.
        type: list
        elements: str
      output_type:
        description: The record format.
        type: str
        choices: [ndjson, csv]
      batch_prefix:
        description: Text before each batch.
        type: str
      batch_suffix:
        description: Text after each batch.
        type: str
      record_prefix:
        description: Text before each record (V({) for ndjson).
        type: str
      record_suffix:
        description: Text after each record (C(}\n) for ndjson, C(\n) for csv).
        type: str
      record_template:
        description: A Go text/template for each record, instead of the default layout.
        type: str
      record_delimiter:
        description: Text between records.
        type: str
      field_delimiter:
        description: Text between fields (V(,) by default).
        type: str
      timestamp_format:
        description: How timestamps are written.
        type: str
        choices: [unixnano, unix, rfc3339, rfc3339ms, rfc3339ns]
      sample_rate:
        description: The share of records to push, greater than 0 and at most 1.
        type: float
      cve_2021_44228:
        description: Replace C(${) by C(x{) in fields, against log4j exploits (API key C(CVE-2021-44228)).
        type: bool
      merge_subrequests:
        description:
          - Merge subrequests into their parent request (V(http_requests) only; Cloudflare is still rolling it out).
          - Sent inside C(output_options), where Cloudflare's OpenAPI schema, its Terraform provider and its SDK
            reference put it. Cloudflare's subrequest-merging page shows it at the top level of the job instead
            (and once as C(subrequest_merging)); the module reads it from either place, so neither shows as a change.
        type: bool
      stringify_object:
        description:
          - Serialise fields of type C(object) as JSON text. Cloudflare's BigQuery destination page asks for it
            with any custom formatting (O(output_options.output_type), prefixes, suffixes, delimiters, templates).
        type: bool
  output_options_extra:
    description:
      - Output options this collection does not know yet, in Cloudflare's own names and form, for a key Cloudflare
        adds later (its destination pages document some before its API schema does). Sent inside
        C(output_options) as given, merged with O(output_options), and compared like them; not checked here, so
        Cloudflare's answer is the check.
      - A key that O(output_options) has is refused (set it there).
      - M(cloudflare_community.logpush.logpush_job_info) exports a job's unknown output options here.
    type: dict
  max_upload_bytes:
    description:
      - The largest batch in bytes, V(0) (Cloudflare's default) or 5,000,000 to 1,000,000,000.
      - For IBM Cloud Logs (C(ibmcl://)) any positive value; Cloudflare's page for it shows V(2000000) and says
        Cloudflare enforces IBM's limit of 2 MB for that destination.
    type: int
  max_upload_records:
    description: The largest batch in records, V(0) (Cloudflare's default) or 1,000 to 1,000,000.
    type: int
  max_upload_interval_seconds:
    description: The longest wait between batches in seconds, V(0) (Cloudflare's default) or 30 to 300.
    type: int
  recreate:
    description:
      - When O(dataset) (of a job named by O(id)) or O(kind) differ from the existing job's, replace the job with
        a new one (a new id) instead of failing. The new job takes the task's options over the old job's; a legacy
        C(kind=instant-logs) is not copied. The diff shows both.
      - The job is never lost. Every check that can fail runs first, Cloudflare's C(validate/destination) included;
        then the new job is created, and the old one is deleted once the new one exists. Only when the dataset's
        quota has no room for both (HTTP 403, code 1004) is the old job deleted first; if Cloudflare then refuses
        the new one, the task fails with the deleted job in its result (C(deleted_job)), secrets masked, to restore it.
    type: bool
    default: false
  check_fields:
    description:
      - Before a write that sets field names (in O(output_options.field_names) or O(logpull_options)), or
        creates a job of a dataset this module does not know, read the dataset's fields (one request) and
        fail naming the unknown fields and the closest known ones.
    type: bool
    default: true
"""

    # The items of logpush_jobs' jobs take the same options; each refers to logpush_job's description
    # rather than repeating it (ansible-test wants each fragment written out as a literal).
    JOBS = r"""
options:
  jobs:
    description:
      - The jobs of the zone or account, one item each, with the options of
        M(cloudflare_community.logpush.logpush_job), which describes each of them; identity, comparison, checks,
        recreate and faults work the same.
      - Each item needs O(jobs[].name) (or O(jobs[].id)). Each job is found among the jobs of one list request
        by O(jobs[].id), else by O(jobs[].name) within O(jobs[].dataset). Two items may not name the same job.
    type: list
    elements: dict
    required: true
    suboptions:
      state:
        description: As O(cloudflare_community.logpush.logpush_job#module:state).
        type: str
        choices: [present, absent]
        default: present
      id:
        description: As O(cloudflare_community.logpush.logpush_job#module:id).
        type: int
      name:
        description: As O(cloudflare_community.logpush.logpush_job#module:name).
        type: str
      dataset:
        description: As O(cloudflare_community.logpush.logpush_job#module:dataset).
        type: str
      destination_conf:
        description: As O(cloudflare_community.logpush.logpush_job#module:destination_conf).
        type: str
      update_secrets:
        description: As O(cloudflare_community.logpush.logpush_job#module:update_secrets).
        type: str
        choices: [on_create, always]
        default: on_create
      ownership_challenge:
        description: As O(cloudflare_community.logpush.logpush_job#module:ownership_challenge).
        type: str
      enabled:
        description: As O(cloudflare_community.logpush.logpush_job#module:enabled).
        type: bool
      kind:
        description: As O(cloudflare_community.logpush.logpush_job#module:kind).
        type: str
        choices: ["", edge]
      frequency:
        description: As O(cloudflare_community.logpush.logpush_job#module:frequency).
        type: str
        choices: [high, low]
      filter:
        description: As O(cloudflare_community.logpush.logpush_job#module:filter).
        type: raw
      filter_attack_traffic:
        description: As O(cloudflare_community.logpush.logpush_job#module:filter_attack_traffic).
        type: bool
      logpull_options:
        description: As O(cloudflare_community.logpush.logpush_job#module:logpull_options).
        type: str
      output_options:
        description: As O(cloudflare_community.logpush.logpush_job#module:output_options).
        type: dict
        suboptions:
          field_names:
            description: The fields to push, in order.
            type: list
            elements: str
          output_type:
            description: The record format.
            type: str
            choices: [ndjson, csv]
          batch_prefix:
            description: Text before each batch.
            type: str
          batch_suffix:
            description: Text after each batch.
            type: str
          record_prefix:
            description: Text before each record.
            type: str
          record_suffix:
            description: Text after each record.
            type: str
          record_template:
            description: A Go text/template for each record.
            type: str
          record_delimiter:
            description: Text between records.
            type: str
          field_delimiter:
            description: Text between fields.
            type: str
          timestamp_format:
            description: How timestamps are written.
            type: str
            choices: [unixnano, unix, rfc3339, rfc3339ms, rfc3339ns]
          sample_rate:
            description: The share of records to push, greater than 0 and at most 1.
            type: float
          cve_2021_44228:
            description: Replace C(${) by C(x{) in fields.
            type: bool
          merge_subrequests:
            description: Merge subrequests into their parent request.
            type: bool
          stringify_object:
            description: As O(cloudflare_community.logpush.logpush_job#module:output_options.stringify_object).
            type: bool
      output_options_extra:
        description: As O(cloudflare_community.logpush.logpush_job#module:output_options_extra).
        type: dict
      max_upload_bytes:
        description: As O(cloudflare_community.logpush.logpush_job#module:max_upload_bytes).
        type: int
      max_upload_records:
        description: As O(cloudflare_community.logpush.logpush_job#module:max_upload_records).
        type: int
      max_upload_interval_seconds:
        description: As O(cloudflare_community.logpush.logpush_job#module:max_upload_interval_seconds).
        type: int
      recreate:
        description: As O(cloudflare_community.logpush.logpush_job#module:recreate).
        type: bool
        default: false
      check_fields:
        description: As O(cloudflare_community.logpush.logpush_job#module:check_fields).
        type: bool
        default: true
"""
