"""Datasets: which scope each belongs to (README, Sources: datasets) and their field lists.

Field lists are read from ``data/fields/<dataset>.json`` (flat ``{"FieldName": "description"}``),
written by another helper; whatever is there is used. A dataset without a file has an empty
field list, and field names for it are not checked (README: deviations).
"""
import json
import os

FIELDS_DIR = os.path.join(os.path.dirname(__file__), "data", "fields")

ZONE_DATASETS = frozenset((
    "http_requests", "firewall_events", "dns_logs", "spectrum_events", "nel_reports", "page_shield_events",
    "zaraz_events", "websocket_analytics", "account_abuse_protection_events",
))
ACCOUNT_DATASETS = frozenset((
    "access_requests", "audit_logs", "audit_logs_v2", "biso_user_actions", "casb_findings", "device_posture_results",
    "dex_application_tests", "dex_device_state_events", "dlp_forensic_copies", "dns_firewall_logs",
    "email_security_alerts", "email_security_post_delivery_events", "firewall_events", "gateway_dns", "gateway_http",
    "gateway_network", "ipsec_logs", "magic_bgp_logs", "magic_ids_detections", "mcp_portal_logs", "mnm_flow_logs",
    "network_analytics_logs", "sinkhole_http_logs", "ssh_logs", "turnstile_events", "warp_config_changes",
    "warp_toggle_changes", "websocket_analytics", "workers_trace_events", "zero_trust_network_sessions",
))
ALL_DATASETS = ZONE_DATASETS | ACCOUNT_DATASETS

# filter_attack_traffic is only offered for these (cloudflare-docs PR#33538).
ATTACK_TRAFFIC_DATASETS = frozenset(("http_requests", "firewall_events", "network_analytics_logs"))


def datasets_for_scope(scope_type):
    return ZONE_DATASETS if scope_type == "zone" else ACCOUNT_DATASETS


class FieldCatalog:
    """Field lists per dataset, loaded from disk once (and again on reset)."""

    def __init__(self, directory=FIELDS_DIR):
        self.directory = directory
        self.fields = {}
        self.reload()

    def reload(self):
        fields = {}
        if os.path.isdir(self.directory):
            for name in sorted(os.listdir(self.directory)):
                if not name.endswith(".json"):
                    continue
                with open(os.path.join(self.directory, name), encoding="utf-8") as fh:
                    data = json.load(fh)
                if isinstance(data, dict):
                    fields[name[:-5]] = {str(k): str(v) for k, v in data.items()}
        self.fields = fields

    def get(self, dataset):
        return self.fields.get(dataset, {})

    def known(self, dataset):
        return dataset in self.fields

    def unknown_fields(self, dataset, names):
        """Names not in the dataset's list (empty when the dataset has no list)."""
        if dataset not in self.fields:
            return []
        known = self.fields[dataset]
        return [n for n in names if n not in known]
