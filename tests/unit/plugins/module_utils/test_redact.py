# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The redactor: every destination kind's secrets are masked, the rest kept byte for byte."""

from __future__ import annotations

import pytest

from ansible_collections.cloudflare_community.logpush.plugins.module_utils._redact import (
    destination_secrets, redact_destination, redact_text,
)

CASES = [
    # (destination_conf, redacted, secrets)
    ("s3://logs/http/{DATE}?region=us-east-1&sse=AES256",
     "s3://logs/http/{DATE}?region=us-east-1&sse=AES256", []),
    ("s3://logs/p?region=us-east-1&access-key-id=AKIAIOSFODNN7EXAMPLE&secret-access-key=wJalrXUtnFEMI%2FK7MDENG&endpoint=minio.example.com",
     "s3://logs/p?region=us-east-1&access-key-id=REDACTED&secret-access-key=REDACTED&endpoint=minio.example.com",
     ["AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI%2FK7MDENG", "wJalrXUtnFEMI/K7MDENG"]),
    ("r2://bucket/logs/{DATE}?account-id=01a7362d577a6c3019a474fd6f485823&access-key-id=r2keyid123&secret-access-key=r2secret456",
     "r2://bucket/logs/{DATE}?account-id=01a7362d577a6c3019a474fd6f485823&access-key-id=REDACTED&secret-access-key=REDACTED",
     ["r2keyid123", "r2secret456"]),
    ("azure://container/logs?sv=2022-11-02&ss=b&srt=o&sp=w&se=2031-01-01T00:00:00Z&sig=AbCdEf%2BGh%3D",
     "azure://container/logs?sv=2022-11-02&ss=b&srt=o&sp=w&se=2031-01-01T00:00:00Z&sig=REDACTED",
     ["AbCdEf%2BGh%3D", "AbCdEf+Gh="]),
    ("sumo://endpoint1.collection.sumologic.com/receiver/v1/http/ZaVnC4dhaV39Tn37",
     "sumo://endpoint1.collection.sumologic.com/receiver/v1/http/REDACTED", ["ZaVnC4dhaV39Tn37"]),
    ("splunk://splunk.example.com:8088/services/collector/raw?channel=FE0ECFAD&insecure-skip-verify=false"
     "&sourcetype=cloudflare:json&header_Authorization=Splunk%20hec-token-1",
     "splunk://splunk.example.com:8088/services/collector/raw?channel=FE0ECFAD&insecure-skip-verify=false"
     "&sourcetype=cloudflare:json&header_Authorization=REDACTED",
     ["Splunk%20hec-token-1", "Splunk hec-token-1", "hec-token-1"]),
    ("datadog://http-intake.logs.datadoghq.com/api/v2/logs?header_DD-API-KEY=ddkey123&ddsource=cloudflare&service=web",
     "datadog://http-intake.logs.datadoghq.com/api/v2/logs?header_DD-API-KEY=REDACTED&ddsource=cloudflare&service=web",
     ["ddkey123"]),
    ("https://log-api.newrelic.com/log/v1?Api-Key=nrlicense999&format=cloudflare",
     "https://log-api.newrelic.com/log/v1?Api-Key=REDACTED&format=cloudflare", ["nrlicense999"]),
    # an ordinary header value is masked in the destination, but not registered with Ansible
    ("https://user:hunter2pass@logs.example.com/ingest?header_X-Custom=abc%3D%3D",
     "https://REDACTED@logs.example.com/ingest?header_X-Custom=REDACTED", ["user:hunter2pass", "hunter2pass"]),
    ("https://logs.example.com/ingest?header_X-Env=prod&header_X-Api-Token=tok-1a2b",
     "https://logs.example.com/ingest?header_X-Env=REDACTED&header_X-Api-Token=REDACTED", ["tok-1a2b"]),
    ("https://logs.example.com/ingest?header_X-Tenant=k8Fq2mZx9vLw",
     "https://logs.example.com/ingest?header_X-Tenant=REDACTED", ["k8Fq2mZx9vLw"]),
    # Azure Functions keys travel as code=; Azure Blob is the SAS URL with https replaced by azure
    ("https://fn.azurewebsites.net/api/ingest?code=AzFnKey0123456789%3D%3D&clientId=default",
     "https://fn.azurewebsites.net/api/ingest?code=REDACTED&clientId=default",
     ["AzFnKey0123456789%3D%3D", "AzFnKey0123456789=="]),
    ("azure://acct.blob.core.windows.net/logs/http?sp=w&sv=2022-11-02&sig=S1gn4tur3%2B%3D",
     "azure://acct.blob.core.windows.net/logs/http?sp=w&sv=2022-11-02&sig=REDACTED", ["S1gn4tur3%2B%3D", "S1gn4tur3+="]),
    # Sumo Logic's HTTP source URL over https://, its code ending in ==
    ("https://endpoint4.collection.sumologic.com/receiver/v1/http/ZaVnC4dhaV3_0T-a6dhaV3p0u7fQ==",
     "https://endpoint4.collection.sumologic.com/receiver/v1/http/REDACTED", ["ZaVnC4dhaV3_0T-a6dhaV3p0u7fQ=="]),
    ("https://logs.example.com/ingest?X-Auth-Token=xat-998877&signature=sg-112233&design=wide",
     "https://logs.example.com/ingest?X-Auth-Token=REDACTED&signature=REDACTED&design=wide", ["xat-998877", "sg-112233"]),
    ("bq://projects/p/datasets/d/tables/t?credentials=base64:eyJhbGciOi",
     "bq://projects/p/datasets/d/tables/t?credentials=REDACTED", ["base64:eyJhbGciOi", "eyJhbGciOi"]),
    ("https://logs-01.loggly.com/inputs/8c3b7a94-1f2e-4d5c-9b8a-7f6e5d4c3b2a/tag/http/",
     "https://logs-01.loggly.com/inputs/REDACTED/tag/http/", ["8c3b7a94-1f2e-4d5c-9b8a-7f6e5d4c3b2a"]),
    ("https://127.0.0.1:8787/__emulator/receiver/integration-tests?header_Authorization=Bearer%20abc123",
     "https://127.0.0.1:8787/__emulator/receiver/integration-tests?header_Authorization=REDACTED",
     ["Bearer%20abc123", "Bearer abc123", "abc123"]),
    ("ibmcl://abc.ingress.eu-de.logs.cloud.ibm.com/logs/v1/singles?ibm_api_key=ibmkey777",
     "ibmcl://abc.ingress.eu-de.logs.cloud.ibm.com/logs/v1/singles?ibm_api_key=REDACTED", ["ibmkey777"]),
    ("gs://bucket/logs", "gs://bucket/logs", []),
]


@pytest.mark.parametrize("conf, redacted, secrets", CASES)
def test_redact_destination(conf, redacted, secrets):
    assert redact_destination(conf) == redacted
    assert sorted(destination_secrets(conf)) == sorted(secrets)


@pytest.mark.parametrize("conf, redacted, secrets", CASES)
def test_redact_text_masks_a_destination_quoted_in_a_message(conf, redacted, secrets):
    text = 'error validating destination "%s": access denied' % conf
    masked = redact_text(text)
    for secret in secrets:
        assert secret not in masked


def test_redact_text_masks_known_secrets():
    assert redact_text("token abcd1234 failed", ["abcd1234"]) == "token REDACTED failed"
    assert redact_text("", ["x"]) == ""


def test_short_values_are_not_treated_as_secrets():
    # a 1-character key would mask every "1" in the output
    assert destination_secrets("s3://b/p?access-key-id=1&secret-access-key=2") == []


# -- what the security review found the redactor missed ----------------------------------------------

@pytest.mark.parametrize("conf, hidden, kept", [
    # a password holding an unencoded "@" (and "#")
    ("gs://svc:p@ss#w0rd@bucket/logs", ["p@ss", "w0rd", "svc:"], ["@bucket/logs"]),
    ("https://user:hunter@2pass@logs.example.com/ingest", ["hunter", "2pass"], ["@logs.example.com/ingest"]),
    # parameters named pass, pw, passphrase, hmac, sas, private
    ("https://logs.example.com/in?pass=canary1111&pw=canary2222&format=json", ["canary1111", "canary2222"], ["format=json"]),
    ("https://logs.example.com/in?passphrase=canary3333&hmac=canary4444", ["canary3333", "canary4444"], ["passphrase="]),
    ("https://logs.example.com/in?sas=canary5555&private=canary6666&hmac_secret=canary7777",
     ["canary5555", "canary6666", "canary7777"], ["sas="]),
    # a "#" inside a secret value: not a fragment
    ("s3://b/p?region=us-east-1&secret-access-key=canary8#tail8888&access-key-id=AKIA1", ["canary8", "tail8888"],
     ["region=us-east-1"]),
    # user info inside an endpoint= value, raw and percent-encoded
    ("s3://b/p?region=auto&endpoint=https://minio:canary9999@minio.example.com:9000&access-key-id=a&secret-access-key=b",
     ["canary9999", "minio:"], ["@minio.example.com:9000"]),
    ("s3://b/p?region=auto&endpoint=https%3A%2F%2Fminio%3Acanary0000%40minio.example.com", ["canary0000"],
     ["%40minio.example.com"]),
])
def test_the_redactor_masks_what_the_review_found(conf, hidden, kept):
    shown = redact_destination(conf)
    for secret in hidden:
        assert secret not in shown, shown
    for text in kept:
        assert text in shown, shown
    assert "REDACTED" in shown
    secrets = destination_secrets(conf)
    masked = redact_text("error: %s" % conf)
    for secret in hidden:
        assert secret not in masked
    assert secrets


@pytest.mark.parametrize("name", ["bypass", "compass", "sasl_mechanism", "format", "region", "endpoint", "pwd_hint_x"])
def test_ordinary_parameters_stay_readable(name):
    shown = redact_destination("https://logs.example.com/in?%s=plain" % name)
    assert ("%s=plain" % name) in shown or name == "pwd_hint_x"
