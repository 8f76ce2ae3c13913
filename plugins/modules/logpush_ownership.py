#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: logpush_ownership
short_description: Request or validate a Cloudflare Logpush ownership challenge
version_added: 0.1.0
description:
  - Before Cloudflare pushes to AWS S3 (without keys), Google Cloud Storage, Azure or Sumo Logic, it asks for
    proof that you own the destination. This module asks Cloudflare to write a challenge file into the
    destination, and returns the file's name. The token inside that file is then given to
    M(cloudflare_community.logpush.logpush_job) as C(ownership_challenge).
  - Each request writes a new file with a new token, so requesting is not idempotent and reports a change.
    For a destination that needs no challenge, nothing is requested and nothing changes.
  - With O(ownership_challenge) set, the module validates that token for O(destination_conf) instead
    (read-only) and fails when it is wrong or expired.
  - Tokens are bound to the zone or account and to the exact O(destination_conf) string, and expire after 7 days.
author:
  - Cloudflare Community (@cloudflare-community)
extends_documentation_fragment:
  - cloudflare_community.logpush.common
  - cloudflare_community.logpush.common.action_group
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: A request is not sent in check mode (it would write a file); a validation is, since it only reads.
  diff_mode:
    support: none
  platform:
    support: full
    platforms: all
options:
  destination_conf:
    description:
      - The destination, exactly as it will be given to M(cloudflare_community.logpush.logpush_job).
      - The credentials inside it (keys, tokens, SAS signatures, C(header_*) values, passwords, the Sumo Logic
        code, token-like path segments of HTTP destinations) are masked in everything the module returns, diffs
        and errors included; the rest stays readable. If yours holds a secret anywhere else, set C(no_log) on
        the task.
    type: str
    required: true
  ownership_challenge:
    description:
      - A token read from a challenge file. When set, the module validates it instead of requesting a new one.
    type: str
  python_packages:
    description:
      - Python packages that the task which reads the challenge file will import on this host (for example
        C(boto3) and C(botocore) for C(amazon.aws.s3_object)). Each is checked before any request; when one is
        missing, the task fails naming them and how to install them, and requests nothing, so that no challenge
        file is written that cannot be read.
      - The role P(cloudflare_community.logpush.job_setup#role) gives those of its readers.
    type: list
    elements: dict
    default: []
    suboptions:
      import_name:
        description: The name to import, for example V(google.cloud.storage).
        type: str
        required: true
      package:
        description: The name to install with pip, for example V(google-cloud-storage).
        type: str
        required: true
notes:
  - The role P(cloudflare_community.logpush.job_setup#role) requests the challenge, reads the token from the
    bucket and creates the job in one task.
seealso:
  - module: cloudflare_community.logpush.logpush_job
  - name: Ownership challenge
    description: Cloudflare's explanation of the challenge.
    link: https://developers.cloudflare.com/logs/logpush/logpush-job/logpush-ownership-challenge/
"""

EXAMPLES = r"""
- name: Ask Cloudflare to write a challenge file into the bucket
  cloudflare_community.logpush.logpush_ownership:
    zone: example.com
    destination_conf: s3://logs-bucket/http?region=us-east-1
  register: challenge

# Cloudflare writes the file asynchronously: read until it is there. AWS credentials come from the
# environment or a profile; for a bucket that only allows GetObject, ignore_nonexistent_bucket skips
# the bucket check.
- name: Read the token from the bucket
  amazon.aws.s3_object:
    bucket: "{{ challenge.destination.bucket }}"
    object: "{{ challenge.object_key }}"  # the file name without the bucket, when Cloudflare puts it first
    region: "{{ challenge.destination.region }}"
    mode: getstr
    ignore_nonexistent_bucket: true
  register: challenge_file
  until: challenge_file is succeeded
  retries: 12
  delay: 5
  no_log: true
  when: challenge.challenge_required

- name: Check the token before using it
  cloudflare_community.logpush.logpush_ownership:
    zone: example.com
    destination_conf: s3://logs-bucket/http?region=us-east-1
    ownership_challenge: "{{ challenge_file.contents }}"
  when: challenge.challenge_required
"""

RETURN = r"""
challenge_required:
  description: Whether Cloudflare asks for an ownership challenge to push to this destination.
  returned: always
  type: bool
  sample: true
filename:
  description: The path of the challenge file inside the destination (the object key for S3). Null when
    nothing was requested (check mode, validation, or no challenge needed).
  returned: always
  type: str
  sample: http/ownership-challenge-3a9f1c2b7d4e5f60.txt
object_key:
  description:
    - The key of the challenge file in the bucket (for Azure, the blob's name in the container), to read it.
    - Cloudflare says the file name "may be expressed as a path"; it may start with the bucket (or container)
      or be the key in it. The key is the name without its first segment when that segment is the bucket and the
      name as given does not already sit in the destination's path (with C({DATE}) as eight digits).
    - Null when nothing was requested, or the destination stores no files.
  returned: always
  type: str
  sample: http/20260101/ownership-challenge-3a9f1c2b7d4e5f60.txt
valid:
  description:
    - Whether Cloudflare could write the file (request), or whether the token is valid (validation). When it is
      false the task fails, with this result and a C(msg) that says why.
  returned: when a request or a validation was sent (not in check mode for a request)
  type: bool
  sample: true
message:
  description: Cloudflare's message, if any.
  returned: when a request was sent
  type: str
  sample: ""
destination:
  description: Where the destination stores files, with no secret, to read the challenge file.
  returned: always
  type: dict
  contains:
    scheme:
      description: The destination's scheme.
      type: str
      sample: s3
    bucket:
      description:
        - The bucket, for object stores; for Azure the container, the first path segment of
          C(azure://<account>.blob.core.windows.net/<container>/<path>).
      type: str
      sample: logs-bucket
    path:
      description: The path inside the bucket.
      type: str
      sample: http
    region:
      description: The C(region) parameter, if any.
      type: str
      sample: us-east-1
    endpoint:
      description: The C(endpoint) parameter, if any.
      type: str
      sample: null
    account:
      description: For Azure, the storage account (the first label of the host); null otherwise.
      type: str
      sample: null
zone_id:
  description: The id that O(zone) was resolved to.
  returned: when O(zone) is given and a request or a validation was sent
  type: str
  sample: 023e105f4ecef8ad9ca31a8372d0c353
failure:
  description:
    - What Cloudflare answered when a request failed (the task fails, and C(msg) says what to do). It holds no
      header, no request body and no secret.
  returned: when a request to Cloudflare failed
  type: dict
  contains:
    http_status:
      description: The HTTP status, or null when no answer came (timeout, lost or refused connection).
      type: int
      sample: 403
    codes:
      description: Cloudflare's error codes, for example V(1002), V(1004), V(10000), V(971).
      type: list
      elements: int
      sample: [10000]
    messages:
      description: Cloudflare's error messages, with secrets redacted.
      type: list
      elements: str
      sample: ["Authentication error"]
    method:
      description: The HTTP method of the request that failed.
      type: str
      sample: POST
    path:
      description: The API path of the request that failed.
      type: str
      sample: /zones/023e105f4ecef8ad9ca31a8372d0c353/logpush/ownership
    retries:
      description: How many times the request was retried before the module gave up.
      type: int
      sample: 0
"""

import importlib.util
import re

from ..module_utils._destination import destination_location, needs_ownership_challenge
from ..module_utils._errors import JobInputError
from ..module_utils._job_input import desired_from_params
from ..module_utils._module import LogpushModule
from ..module_utils._redact import redact_text


def object_key(filename, location):
    """The key of the challenge file in its bucket or container. Cloudflare's ownership challenge page says the
    filename "may be expressed as a path" (developers.cloudflare.com/logs/logpush/logpush-job/
    logpush-ownership-challenge/; sure); that it may start with the bucket is what the emulator's and users'
    answers show (medium). The key is the name without the bucket, unless the name as given already sits
    exactly in the destination's path (its {DATE} as eight digits), where the file is."""
    bucket = location.get("bucket") or ""
    if not filename or not bucket:
        return filename or None
    folder = re.escape(location.get("path") or "").replace(re.escape("{DATE}"), "[0-9]{8}")
    in_path = re.match("^%s$" % folder, filename.rpartition("/")[0]) is not None
    if filename.startswith(bucket + "/") and not in_path:
        return filename[len(bucket) + 1:]
    return filename


def missing_packages(packages):
    """The packages of ``packages`` (dicts with import_name and package) that cannot be imported here."""
    missing = []
    for package in packages:
        try:
            found = importlib.util.find_spec(package["import_name"]) is not None
        except ImportError:  # a parent package is missing (google in google.cloud.storage)
            found = False
        if not found:
            missing.append(package["package"])
    return missing


class LogpushOwnership(LogpushModule):
    argument_spec = dict(
        destination_conf=dict(type="str", required=True, no_log=False),
        ownership_challenge=dict(type="str", no_log=True),
        python_packages=dict(type="list", elements="dict", default=[], options=dict(
            import_name=dict(type="str", required=True), package=dict(type="str", required=True))),
    )

    def check_params(self):
        super(LogpushOwnership, self).check_params()
        desired_from_params({"destination_conf": self.params["destination_conf"]})
        missing = missing_packages(self.params["python_packages"])
        if missing:
            raise JobInputError(
                "The task that reads the challenge file needs the Python package(s) %s on this host, for the Python "
                "that runs Ansible's modules here: install them (pip install %s) and run again. No challenge was "
                "requested." % (", ".join(missing), " ".join(missing)))

    def run(self, checked):
        conf = self.params["destination_conf"]
        token = self.params["ownership_challenge"]
        required = needs_ownership_challenge(conf)
        self.result.update(challenge_required=required, filename=None, object_key=None,
                           destination=destination_location(conf))
        if token:
            self.validate(conf, token)
        elif required:
            self.request(conf)

    def request(self, conf):
        if self.module.check_mode:
            self.result["changed"] = True
            return
        # changed only once Cloudflare says it wrote the file: a refused or failed request wrote nothing
        answer = self.client.request_ownership(self.scope, conf) or {}
        message = redact_text(answer.get("message") or "")
        self.result.update(filename=answer.get("filename"), valid=bool(answer.get("valid")), message=message,
                           changed=bool(answer.get("valid")),
                           object_key=object_key(answer.get("filename"), self.result["destination"]))
        if not answer.get("valid"):
            self.module.fail_json(
                msg="Cloudflare could not write the challenge file into the destination: %s. Check that the bucket "
                    "exists and that Cloudflare may write to it." % (message or "no reason given"), **self.result)

    def validate(self, conf, token):
        answer = self.client.validate_ownership(self.scope, conf, token) or {}
        self.result["valid"] = bool(answer.get("valid"))
        if not self.result["valid"]:
            self.module.fail_json(
                msg="The ownership_challenge is not valid for this destination_conf: it is wrong, expired (tokens "
                    "last 7 days), for another zone or account, or for a destination_conf that is not exactly this "
                    "one. Request a new challenge.", **self.result)


def main():
    LogpushOwnership.execute()


if __name__ == "__main__":
    main()
