# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The base module's error funnel: advice for each Cloudflare error the issue names."""

from __future__ import annotations

import pytest

from ansible_collections.cloudflare_community.logpush.plugins.module_utils._client import CloudflareError
from ansible_collections.cloudflare_community.logpush.plugins.module_utils._module import advice_for


def error(status, code=None, message=""):
    errors = [{"code": code, "message": message}] if code is not None else []
    return CloudflareError("x", method="POST", path="/zones/z/logpush/jobs", http_status=status, errors=errors)


@pytest.mark.parametrize("err, says", [
    (error(400, 1002, "incorrect ownership challenge"), "Request a new challenge with cloudflare_community.logpush.logpush_ownership"),
    (error(400, 1002, "error validating destination: error writing object: DNSError"), "could not write a test object"),
    (error(400, 1002, "creating a new job is not allowed: exceeded max jobs allowed"), "delete an unused one"),
    # Cloudflare's answer (third-party recordings): on plans without the dataset, the quota is 0
    (error(403, 1004, "creating a new job (for workers_trace_events dataset) is not allowed: exceeded max jobs "
                      "allowed"), "the plan has no Logpush entitlement for this dataset"),
    (error(403, 1004, "reading job for product 'gateway' is not allowed"), "Zero Trust: PII Read"),
    (error(403, 10000, "Authentication error"), "did not accept the credential"),
    (error(400, 9106, "Missing X-Auth-Key, X-Auth-Email or Authorization headers"), "No credential reached Cloudflare"),
    (error(429, 971, "Please wait and consider throttling your request speed"), "rate limit"),
    (error(429), "rate limit"),
    (error(401), "did not accept the credential"),
    (error(404, 1003, "job not found"), "the job id"),
    (error(404, 7000, "No route for that URI"), "check api_base_url"),
])
def test_each_error_gets_advice(err, says):
    assert says in advice_for(err)


def test_an_unknown_error_gets_no_invented_advice():
    assert advice_for(error(500, 10001, "internal error")) is None


def test_a_refused_zone_lookup_names_the_zone_read_permission():
    err = CloudflareError("x", method="GET", path="/zones", http_status=403,
                          errors=[{"code": 9109, "message": "Unauthorized to access requested resource"}])
    assert "Zone: Read" in advice_for(err)
