# -*- coding: utf-8 -*-
# Copyright (c) 2026, cloudflare_community.logpush contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# This module_utils is PRIVATE to the collection: it may change without notice.
"""Logpush field data types: ``field_types(dataset)`` -> ``{field: type}``.

The filter's value-type rules that use these types live in ``_filter`` (with the rest of the filter
grammar). Standard library only; it speaks no HTTP.

Source and how sure (strong): Cloudflare's log field reference, the "Code generator. DO NOT EDIT." pages
of the public repository cloudflare/cloudflare-docs, ``src/content/docs/logs/logpush/logpush-job/
datasets/{zone,account}/<dataset>.md`` (``nel_reports``, ``page_shield_events`` and ``casb_findings``
only under the older ``src/content/docs/logs/reference/log-fields/{zone,account}/``): each field has
a line ``Type: `int```. The commit of each page read is in the comment above ``_CODES`` (read in
2026 through a stored index of GitHub; the commits' dates are not known). Datasets and fields Cloudflare adds later are
unknown here and pass unchecked; a field's type that changed later would be judged by the old one.
``firewall_events`` and ``websocket_analytics`` have a zone and an account page: their fields are merged.
"""

from __future__ import annotations

# Where each dataset's types were read: cloudflare/cloudflare-docs, path pattern
# src/content/docs/logs/logpush/logpush-job/datasets/<scope>/<dataset>.md, older layout
# src/content/docs/logs/reference/log-fields/<scope>/<dataset>.md(x) (marked "old"). Commits:
# access_requests: account 7278cf9f6a626dcf1ebae4519cbf4a9078abfb85
# account_abuse_protection_events: zone 3eaa479ad904b209412b97a2dc83ea71a3870b8f
# audit_logs: account 85039f36b11c315528b74040af759513e27ddf93
# audit_logs_v2: account 8cd2f796464f905df5f2f169ca39e45cb1268908
# biso_user_actions: account 8440dd31962b846aacb33fde893669fc8d5c720b
# casb_findings: account 398302a4c9f9f185ff6e748a1b44b647fa2fb86b old
# device_posture_results: account 6700afbe4533107bc4251079457fdca7edb7c45d
# dex_application_tests: account 6abc9dbd0959d179bd12ed80ac868c06b1fab4d6
# dex_device_state_events: account 0309c8bed23afe438f28fd5026b5a7999e653081
# dlp_forensic_copies: account 04d887bfd086a50730d76dbf3722ff506ddf28c7
# dns_firewall_logs: account 7278cf9f6a626dcf1ebae4519cbf4a9078abfb85
# dns_logs: zone 9f9394b73ad31778010dc007fb1049d58265cdfa
# email_security_alerts: account 1a2a658b17a56d2b957d5e70d658a41b222ff94c
# email_security_post_delivery_events: account c72ad57209686dc3f83c94bcdb6f2e725ee53c08
# firewall_events: zone 0309c8bed23afe438f28fd5026b5a7999e653081; account 14213af67a66b1f735be942e4a29376367f3c1f8
# gateway_dns: account 270f208df562ef07d88972f21d8ccd45a4dc86f7
# gateway_http: account 1af9d2a52d338149ab81b571623a14998bbde19a
# gateway_network: account 7300da578491c975bd89e4a311ac46a91ebef1d7
# http_requests: zone 0c7dc2b0d5b14c7f09efc5a15080171914cd1c4f
# ipsec_logs: account a3573f183fdd4c4db77d256bf227268fb973ccaf
# magic_bgp_logs: account cd690f9d28cbb54f758b43a48c5e02a86eca7d33
# magic_ids_detections: account d5d7f97787fa6d4432b276c675838de7007db0dc
# mcp_portal_logs: account 41f410eda12d5da8c044d113ff530d764c3c64fb
# mnm_flow_logs: account 92eb2eabb6fd4edd61eccf225464b40ae561f851
# nel_reports: zone 1215e033399494999d646687df3c5c72083adce3 old .mdx
# network_analytics_logs: account 7d831ec0bb54c1af3eddfd9c7e2fe520ffa3804e
# page_shield_events: zone baadb77cce32bf338806c90b8af6f37d5356c9db old .mdx
# sinkhole_http_logs: account 651774ce3306751c4db5d065313c62be561ac21f
# spectrum_events: zone d5d7f97787fa6d4432b276c675838de7007db0dc
# ssh_logs: account 64b246410d46ddff043d59b3c064de1fc9c040a2
# turnstile_events: account 89bfa956ba4118ab95fa61f412d819c22a2e3675
# warp_config_changes: account 85039f36b11c315528b74040af759513e27ddf93
# warp_toggle_changes: account 0309c8bed23afe438f28fd5026b5a7999e653081
# websocket_analytics: account 7dcfdac9103c57c1078fc3cbce35d1e8e9ece37e; zone 92eb2eabb6fd4edd61eccf225464b40ae561f851
# workers_trace_events: account 843bd08178c38d28584dcda9d4b2506d51394662
# zaraz_events: zone 8cd2f796464f905df5f2f169ca39e45cb1268908
# zero_trust_network_sessions: account 036e0f2ff169ba696f4555c93b8c7b426d134398

# One string per dataset, "Field:code ...", parsed on first use. Codes:
_CODES = {
    "s": "string", "i": "int", "b": "bool", "f": "float", "t": "int or string", "o": "object",
    "S": "array[string]", "I": "array[int]", "O": "array[object]",
}
_TABLE = {
    "access_requests": (
        "Action:s Allowed:b AppDomain:s AppUUID:s Connection:s Country:s CreatedAt:t Email:s IPAddress:s "
        "PurposeJustificationPrompt:s PurposeJustificationResponse:s RayID:s TemporaryAccessApprovers:S "
        "TemporaryAccessDuration:i UserUID:s"
    ),
    "account_abuse_protection_events": (
        "AuthenticationIdentityProvider:s AuthenticationMethod:s AuthenticationStatus:s BotScore:i ClientASN:i ClientCity:s "
        "ClientCountry:s ClientIP:s Email:s EphemeralID:s EventSource:s EventType:s FraudEmailRisk:s Host:s JA4:s RayID:s "
        "Timestamp:t UserAgent:s UserID:s"
    ),
    "audit_logs": (
        "ActionResult:b ActionType:s ActorEmail:s ActorID:s ActorIP:s ActorType:s ID:s Interface:s Metadata:o NewValue:o "
        "OldValue:o OwnerID:s ResourceID:s ResourceType:s When:t"
    ),
    "audit_logs_v2": (
        "AccountID:s AccountName:s ActionDescription:s ActionResult:s ActionTimestamp:t ActionType:s ActorContext:s "
        "ActorEmail:s ActorID:s ActorIPAddress:s ActorTokenDetails:o ActorType:s AuditLogID:s Raw:o ResourceID:s "
        "ResourceProduct:s ResourceRequest:o ResourceResponse:o ResourceScope:s ResourceType:s ResourceValue:o ZoneID:s "
        "ZoneName:s"
    ),
    "biso_user_actions": "AccountID:s Decision:s DomainName:s Metadata:s Timestamp:t Type:s URL:s UserEmail:s UserID:s",
    "casb_findings": (
        "AssetDisplayName:s AssetExternalID:s AssetLink:s AssetMetadata:o DetectedTimestamp:t FindingTypeDisplayName:s "
        "FindingTypeID:s FindingTypeSeverity:s InstanceID:s IntegrationDisplayName:s IntegrationID:s IntegrationPolicyVendor:s"
    ),
    "device_posture_results": (
        "ClientVersion:s DeviceID:s DeviceManufacturer:s DeviceModel:s DeviceName:s DeviceSerialNumber:s DeviceType:s Email:s "
        "OSVersion:s PolicyID:s PostureCheckName:s PostureCheckType:s PostureEvaluatedResult:b PostureExpectedJSON:o "
        "PostureReceivedJSON:o RegistrationID:s Timestamp:t UserUID:s"
    ),
    "dex_application_tests": (
        "AccountID:s ClientPlatform:s ClientVersion:s ColoCode:s DeviceID:s DeviceRegistrationID:s ExecutionContext:s "
        "HTTPClientIPASN:i HTTPClientIPASO:s HTTPClientIPAddress:s HTTPClientIPCity:s HTTPClientIPCountryISO:s "
        "HTTPClientIPNetmask:s HTTPClientIPStateISO:s HTTPClientIPVersion:s HTTPClientIPZip:s HTTPConnectEndMs:i "
        "HTTPConnectStartMs:i HTTPDomainLookupEndMs:i HTTPDomainLookupStartMs:i HTTPErrorMessage:s HTTPMethod:s "
        "HTTPRequestStartMs:i HTTPResponseBodyBytes:i HTTPResponseEndMs:i HTTPResponseHeaderBytes:i HTTPResponseStartMs:i "
        "HTTPSecureConnectionStartMs:i HTTPServerIPASN:i HTTPServerIPASO:s HTTPServerIPAddress:s HTTPServerIPCity:s "
        "HTTPServerIPCountryISO:s HTTPServerIPNetmask:s HTTPServerIPStateISO:s HTTPServerIPVersion:s HTTPServerIPZip:s "
        "HTTPStatusCode:i HTTPURL:s TestID:s TestType:s Timestamp:t TracerouteDestinationHostname:s "
        "TracerouteDestinationIPASN:i TracerouteDestinationIPASO:s TracerouteDestinationIPAddress:s "
        "TracerouteDestinationIPCity:s TracerouteDestinationIPCountryISO:s TracerouteDestinationIPNetmask:s "
        "TracerouteDestinationIPStateISO:s TracerouteDestinationIPVersion:s TracerouteDestinationIPZip:s TracerouteDurationMs:i "
        "TracerouteHops:O TracerouteMaxTTL:i TracerouteProtocol:s TracerouteSize:i TracerouteSourceIPASN:i "
        "TracerouteSourceIPASO:s TracerouteSourceIPAddress:s TracerouteSourceIPCity:s TracerouteSourceIPCountryISO:s "
        "TracerouteSourceIPNetmask:s TracerouteSourceIPStateISO:s TracerouteSourceIPVersion:s TracerouteSourceIPZip:s "
        "TracerouteStatus:s TracerouteTimeEnd:t TracerouteVersion:s TunnelType:s UserEmail:s UserID:s"
    ),
    "dex_device_state_events": (
        "AccountID:s AlwaysOn:b AppFirewallEnabled:b BatteryCharging:b BatteryCycles:i BatteryPercentage:f CPUPercentage:f "
        "CPUPercentageByApp:O ClientPlatform:s ClientVersion:s ConnectionType:s DeviceID:s DeviceIPv4Address:s "
        "DeviceIPv4Netmask:s DeviceIPv6Address:s DeviceIPv6Netmask:s DeviceRegistrationID:s DeviceRegistrationProfileID:s "
        "DiskReadBPS:i DiskUsagePercentage:f DiskWriteBPS:i DoHSubdomain:s ExperimentalExtra:o FirewallEnabled:b "
        "GatewayIPv4Address:s GatewayIPv4Netmask:s GatewayIPv6Address:s GatewayIPv6Netmask:s HandshakeLatencyMs:i ISPIPv4ASN:i "
        "ISPIPv4ASO:s ISPIPv4Address:s ISPIPv4City:s ISPIPv4CountryISO:s ISPIPv4Netmask:s ISPIPv4StateISO:s ISPIPv4Zip:s "
        "ISPIPv6ASN:i ISPIPv6ASO:s ISPIPv6Address:s ISPIPv6City:s ISPIPv6CountryISO:s ISPIPv6Netmask:s ISPIPv6StateISO:s "
        "ISPIPv6Zip:s Mode:s NetworkReceivedBPS:i NetworkSSID:s NetworkSentBPS:i RAMAvailableKB:i RAMUsedPercentage:f "
        "RAMUsedPercentageByApp:O Status:s SwitchLocked:b Timestamp:t TunnelStatsDownstream:o TunnelStatsUpstream:o "
        "TunnelType:s WarpColoCode:s WiFiStrengthDBM:i"
    ),
    "dlp_forensic_copies": "AccountID:s Datetime:t ForensicCopyID:s GatewayRequestID:s Headers:o Payload:s Phase:s TriggeredRuleID:s",
    "dns_firewall_logs": (
        "ClientResponseCode:i ClusterID:s ColoCode:s EDNSSubnet:s EDNSSubnetLength:i QueryDO:b QueryName:s QueryRD:b "
        "QuerySize:i QueryTCP:b QueryType:i ResponseCached:b ResponseCachedStale:b ResponseReason:s SourceIP:s Timestamp:t "
        "UpstreamIP:s UpstreamResponseCode:i UpstreamResponseTimeMs:i"
    ),
    "dns_logs": (
        "ColoCode:s EDNSSubnet:s EDNSSubnetLength:i QueryName:s QueryType:i ResponseCached:b ResponseCode:i SourceIP:s "
        "Timestamp:t"
    ),
    "email_security_alerts": (
        "AlertID:s AlertReasons:S Attachments:O BCC:S CC:S CCName:S DKIMResult:s DMARCPolicy:s DMARCResult:s FinalDisposition:s "
        "From:s FromName:s Links:S MessageDeliveryMode:s MessageID:s Origin:s OriginalSender:s ReplyTo:s ReplyToName:s "
        "SMTPEnvelopeFrom:s SMTPEnvelopeTo:S SMTPHeloServerIP:s SMTPHeloServerIPAsName:s SMTPHeloServerIPAsNumber:s "
        "SMTPHeloServerIPGeo:s SMTPHeloServerName:s SPFResult:s Subject:s ThreatCategories:S Timestamp:t To:S ToName:S"
    ),
    "email_security_post_delivery_events": (
        "AlertID:s CompletedAt:t Destination:s FinalDisposition:s Folder:s From:s FromName:s MessageID:s MessageTimestamp:t "
        "MicrosoftTenantID:s Operation:s PostfixID:s Reasons:S Recipient:s RequestedAt:t RequestedBy:s RequestedDisposition:s "
        "Status:s Subject:s Success:b To:S"
    ),
    "firewall_events": (
        "AISecurityCustomTopicCategories:o AISecurityInjectionScore:i AISecurityPIICategories:S AISecurityTokenCount:i "
        "AISecurityUnsafeTopicCategories:S Action:s ClientASN:i ClientASNDescription:s ClientCountry:s ClientIP:s "
        "ClientIPClass:s ClientRefererHost:s ClientRefererPath:s ClientRefererQuery:s ClientRefererScheme:s ClientRequestHost:s "
        "ClientRequestMethod:s ClientRequestPath:s ClientRequestProtocol:s ClientRequestQuery:s ClientRequestScheme:s "
        "ClientRequestUserAgent:s ContentScanObjResults:S ContentScanObjSizes:I ContentScanObjTypes:S Datetime:t Description:s "
        "EdgeColoCode:s EdgeResponseStatus:i FirewallForAIInjectionScore:i FirewallForAIPIICategories:S "
        "FirewallForAITokenCount:i FirewallForAIUnsafeTopicCategories:S FraudUserID:s Kind:s LeakedCredentialCheckResult:s "
        "MatchIndex:i Metadata:o OriginResponseStatus:i OriginatorRayID:s RayID:s Ref:s RuleID:s Source:s ZoneName:s"
    ),
    "gateway_dns": (
        "AccountID:s ApplicationID:i ApplicationName:s AppliedMaxTTL:i AuthoritativeNameServerIPs:S CNAMECategoryIDs:I "
        "CNAMECategoryNames:S CNAMEs:S CNAMEsReversed:S ColoCode:s ColoID:i CustomResolveDurationMs:i CustomResolverAddress:s "
        "CustomResolverPolicyID:s CustomResolverPolicyName:s CustomResolverResponse:s Datetime:t DeviceID:s DeviceName:s "
        "DoHSubdomain:s DoTSubdomain:s DstIP:s DstPort:i EDEErrors:I Email:s InitialCategoryIDs:I InitialCategoryNames:S "
        "InitialResolvedIPs:S InternalDNSDurationMs:i InternalDNSFallbackStrategy:s InternalDNSRCode:i InternalDNSViewID:s "
        "InternalDNSZoneID:s IsResponseCached:b Location:s LocationID:s MatchedCategoryIDs:I MatchedCategoryNames:S "
        "MatchedIndicatorFeedIDs:I MatchedIndicatorFeedNames:S Policy:s PolicyID:s PolicyName:s Protocol:s "
        "QueryApplicationIDs:I QueryApplicationNames:S QueryCategoryIDs:I QueryCategoryNames:S QueryID:s "
        "QueryIndicatorFeedIDs:I QueryIndicatorFeedNames:S QueryName:s QueryNameReversed:s QuerySize:i QueryType:i "
        "QueryTypeName:s RCode:i RData:O RedirectTargetURI:s RegistrationID:s RequestContextCategoryIDs:I "
        "RequestContextCategoryNames:S ResolvedIPCategoryIDs:I ResolvedIPCategoryNames:S ResolvedIPContinentCodes:S "
        "ResolvedIPCountryCodes:S ResolvedIPs:S ResolverDecision:s ResolverPolicyID:s ResolverPolicyName:s ResourceRecords:O "
        "ResourceRecordsJSON:s ResponseTimeMs:i SrcIP:s SrcIPContinentCode:s SrcIPCountryCode:s SrcPort:i TenantID:s TimeZone:s "
        "TimeZoneInferredMethod:s UpstreamRecordTTLs:I UserID:s"
    ),
    "gateway_http": (
        "AccountID:s Action:s AddedHeaders:S AppControlInfo:o ApplicationIDs:I ApplicationNames:S ApplicationStatuses:S "
        "BlockedFileHash:s BlockedFileName:s BlockedFileReason:s BlockedFileSize:i BlockedFileType:s CategoryIDs:I "
        "CategoryNames:S Datetime:t DeletedHeaders:S DestinationIP:s DestinationIPContinentCode:s DestinationIPCountryCode:s "
        "DestinationPort:i DeviceID:s DeviceName:s DownloadMatchedDlpProfileEntries:S DownloadMatchedDlpProfiles:S "
        "DownloadedFileNames:S Email:s FileInfo:o ForensicCopyStatus:s HTTPHost:s HTTPMethod:s HTTPStatusCode:i HTTPVersion:s "
        "IsIsolated:b PolicyID:s PolicyName:s PrivateAppAUD:s ProxyEndpoint:s Quarantined:b RedirectTargetURI:s Referer:s "
        "RegistrationID:s RequestID:s SessionID:s SetHeaders:S SourceIP:s SourceIPContinentCode:s SourceIPCountryCode:s "
        "SourceInternalIP:s SourcePort:i TenantID:s URL:s UntrustedCertificateAction:s UploadMatchedDlpProfileEntries:S "
        "UploadMatchedDlpProfiles:S UploadedFileNames:S UserAgent:s UserID:s VirtualNetworkID:s VirtualNetworkName:s Warnings:S"
    ),
    "gateway_network": (
        "AccountID:s Action:s ApplicationIDs:I ApplicationNames:S CategoryIDs:I CategoryNames:S Datetime:t DestinationIP:s "
        "DestinationIPContinentCode:s DestinationIPCountryCode:s DestinationPort:i DetectedProtocol:s DeviceID:s DeviceName:s "
        "Email:s OverrideIP:s OverridePort:i PolicyID:s PolicyName:s ProxyEndpoint:s RegistrationID:s SNI:s SessionID:s "
        "SourceIP:s SourceIPContinentCode:s SourceIPCountryCode:s SourceInternalIP:s SourcePort:i TenantID:s Transport:s "
        "TransportProtocol:s UserID:s VirtualNetworkID:s VirtualNetworkName:s"
    ),
    "http_requests": (
        "BotDetectionIDs:I BotDetectionTags:S BotScore:i BotScoreSrc:s BotTags:S CacheCacheStatus:s CacheReserveUsed:b "
        "CacheResponseBytes:i CacheResponseStatus:i CacheTieredFill:b ClientASN:i ClientCity:s ClientCountry:s "
        "ClientDeviceType:s ClientIP:s ClientIPClass:s ClientLatitude:s ClientLongitude:s ClientMTLSAuthCertFingerprint:s "
        "ClientMTLSAuthStatus:s ClientRegionCode:s ClientRequestBytes:i ClientRequestHost:s ClientRequestMethod:s "
        "ClientRequestPath:s ClientRequestProtocol:s ClientRequestReferer:s ClientRequestScheme:s ClientRequestSource:s "
        "ClientRequestURI:s ClientRequestUserAgent:s ClientSSLCipher:s ClientSSLProtocol:s ClientSrcPort:i ClientTCPRTTMs:i "
        "ClientXRequestedWith:s ContentScanObjResults:S ContentScanObjSizes:I ContentScanObjTypes:S Cookies:o "
        "EdgeCFConnectingO2O:b EdgeColoCode:s EdgeColoID:i EdgeEndTimestamp:t EdgePathingOp:s EdgePathingSrc:s "
        "EdgePathingStatus:s EdgeRequestHost:s EdgeResponseBodyBytes:i EdgeResponseBytes:i EdgeResponseCompressionRatio:f "
        "EdgeResponseContentType:s EdgeResponseStatus:i EdgeServerIP:s EdgeStartTimestamp:t EdgeTimeToFirstByteMs:i "
        "FraudAttack:s FraudDetectionIDs:I FraudDetectionTags:S FraudEmailRisk:s FraudUserID:s JA3Hash:s JA4:s JA4Signals:o "
        "JSDetectionPassed:s LeakedCredentialCheckResult:s OriginDNSResponseTimeMs:i OriginIP:s "
        "OriginRequestHeaderSendDurationMs:i OriginResponseBytes:i OriginResponseDurationMs:i OriginResponseHTTPExpires:s "
        "OriginResponseHTTPLastModified:s OriginResponseHeaderReceiveDurationMs:i OriginResponseStatus:i OriginResponseTime:i "
        "OriginSSLProtocol:s OriginTCPHandshakeDurationMs:i OriginTLSHandshakeDurationMs:i ParentRayID:s PayPerCrawlStatus:s "
        "RayID:s RequestHeaders:o ResponseHeaders:o SecurityAction:s SecurityActions:S SecurityRuleDescription:s "
        "SecurityRuleID:s SecurityRuleIDs:S SecuritySources:S SmartRouteColoID:i UpperTierColoID:i VerifiedBotCategory:s "
        "WAFAttackScore:i WAFFlags:s WAFMatchedVar:s WAFRCEAttackScore:i WAFSQLiAttackScore:i WAFXSSAttackScore:i "
        "WebAssetsLabelsManaged:S WebAssetsOperationID:s WorkerCPUTime:i WorkerScriptName:s WorkerStatus:s WorkerSubrequest:b "
        "WorkerSubrequestCount:i WorkerWallTimeUs:i ZoneName:s"
    ),
    "ipsec_logs": "Level:s LocalIP:s LocalPort:i Message:s RemoteIP:s RemotePort:i Timestamp:t",
    "magic_bgp_logs": "Direction:s EventData:o EventKind:s EventTimestamp:t TunnelID:s TunnelName:s",
    "magic_ids_detections": (
        "Action:s ColoCity:s ColoCode:s DestinationIP:s DestinationPort:i Protocol:s SignatureID:i SignatureMessage:s "
        "SignatureRevision:i SourceIP:s SourcePort:i Timestamp:t"
    ),
    "mcp_portal_logs": (
        "ClientCountry:s ClientIP:s ColoCode:s Datetime:t Error:s Method:s PortalAUD:s PortalID:s PromptGetName:s "
        "ResourceReadURI:s ServerAUD:s ServerID:s ServerResponseDurationMs:i ServerURL:s SessionID:s Success:b ToolCallName:s "
        "UserEmail:s UserID:s"
    ),
    "mnm_flow_logs": (
        "AWSVPCFlowJSON:s Bits:i DestinationAS:i DestinationAddress:s DestinationPort:i DeviceID:s EgressBits:i EgressPackets:i "
        "Ethertype:i FlowProtocol:s FlowTimestamp:t NumFlows:i PacketID:s Packets:i Protocol:i RuleIDs:s SampleRate:i "
        "SampleRateType:s SamplerAddress:s SourceAS:i SourceAddress:s SourcePort:i TcpFlags:i Timestamp:t"
    ),
    "nel_reports": "ClientIPASN:i ClientIPASNDescription:s ClientIPCountry:s LastKnownGoodColoCode:s Phase:s Timestamp:t Type:s",
    "network_analytics_logs": (
        "AttackCampaignID:s AttackID:s AttackVector:s ColoCity:s ColoCode:s ColoCountry:s ColoGeoHash:s ColoName:s Datetime:t "
        "DestinationASN:i DestinationASNName:s DestinationCountry:s DestinationGeoHash:s DestinationPort:i Direction:s "
        "GREChecksum:i GREEtherType:i GREHeaderLength:i GREKey:i GRESequenceNumber:i GREVersion:i ICMPChecksum:i ICMPCode:i "
        "ICMPType:i IPDestinationAddress:s IPDestinationSubnet:s IPFragmentOffset:i IPHeaderLength:i IPMoreFragments:i "
        "IPProtocol:i IPProtocolName:s IPSourceAddress:s IPSourceSubnet:s IPTTL:i IPTTLBuckets:i IPTotalLength:i "
        "IPTotalLengthBuckets:i IPv4Checksum:i IPv4DSCP:i IPv4DontFragment:i IPv4ECN:i IPv4Identification:i IPv4Options:s "
        "IPv6DSCP:i IPv6ECN:i IPv6ExtensionHeaders:s IPv6FlowLabel:i IPv6Identification:i MitigationReason:s MitigationScope:s "
        "MitigationSystem:s Outcome:s ProtocolState:s RuleID:s RuleName:s RulesetID:s RulesetOverrideID:s SampleInterval:i "
        "SourceASN:i SourceASNName:s SourceCountry:s SourceGeoHash:s SourcePort:i TCPAcknowledgementNumber:i TCPChecksum:i "
        "TCPDataOffset:i TCPFlags:i TCPFlagsString:s TCPMSS:i TCPOptions:s TCPSACKBlocks:s TCPSACKPermitted:i "
        "TCPSequenceNumber:i TCPTimestampECR:i TCPTimestampValue:i TCPUrgentPointer:i TCPWindowScale:i TCPWindowSize:i "
        "UDPChecksum:i UDPPayloadLength:i Verdict:s"
    ),
    "page_shield_events": "Action:s Host:s PageURL:s PolicyID:s Timestamp:t URL:s URLContainsCDNCGIPath:b URLHost:s",
    "sinkhole_http_logs": (
        "AccountID:s Body:s BodyLength:i DestAddr:s Headers:s Host:s Method:s Password:s R2Path:s Referrer:s SinkholeID:s "
        "SrcAddr:s Timestamp:t URI:s URL:s UserAgent:s Username:s"
    ),
    "spectrum_events": (
        "Application:s ClientAsn:i ClientBytes:i ClientCountry:s ClientIP:s ClientMatchedIpFirewall:s ClientPort:i "
        "ClientProto:s ClientTcpRtt:i ClientTlsCipher:s ClientTlsClientHelloServerName:s ClientTlsProtocol:s ClientTlsStatus:s "
        "ColoCode:s ConnectTimestamp:t DisconnectTimestamp:t Event:s IpFirewall:b OriginBytes:i OriginIP:s OriginPort:i "
        "OriginProto:s OriginTcpRtt:i OriginTlsCipher:s OriginTlsFingerprint:s OriginTlsMode:s OriginTlsProtocol:s "
        "OriginTlsStatus:s ProxyProtocol:s Status:i Timestamp:t"
    ),
    "ssh_logs": (
        "AccountID:s ClientAddress:s Datetime:t Error:s PTY:s Payload:s ProgramFinishDatetime:t ProgramID:s "
        "ProgramStartDatetime:t ProgramType:s ServerAddress:s SessionFinishDatetime:t SessionID:s SessionStartDatetime:t "
        "TargetID:s UserEmail:s UserID:s Username:s"
    ),
    "turnstile_events": (
        "ASN:i Action:s BrowserMajor:i BrowserName:s ClientIP:s CountryCode:s EventType:s Hostname:s OSMajor:i OSName:s "
        "Sitekey:s Timestamp:t UserAgent:s"
    ),
    "warp_config_changes": (
        "AccountIDFrom:s AccountIDTo:s AccountNameFrom:s AccountNameTo:s ConfigNameFrom:s ConfigNameTo:s DeviceID:s "
        "DeviceRegistrationID:s Hostname:s SerialNumber:s Timestamp:t"
    ),
    "warp_toggle_changes": (
        "AccountID:s AccountName:s DeviceID:s DeviceRegistrationID:s Hostname:s SerialNumber:s Timestamp:t Toggled:b "
        "UserEmail:s"
    ),
    "websocket_analytics": (
        "BytesReceivedClient:i BytesReceivedOrigin:i BytesSentClient:i BytesSentOrigin:i ClientASN:i ClientIP:s "
        "ClientRequestHost:s ClientRequestPath:s ClientRequestUserAgent:s ColoCode:s ConnectionCloseReason:s "
        "ConnectionCloseSource:s ConnectionID:s ConnectionTransportCloseCode:i EdgeEndTimestamp:t EdgeStartTimestamp:t RayID:s "
        "accountId:i byteRecvDownlink:i byteRecvUplink:i byteSentDownlink:i byteSentUplink:i clientASN:i clientIP:s "
        "clientRequestHTTPHost:s clientRequestPath:s clientRequestUserAgent:s coloCode:s connectionCloseReason:s "
        "connectionCloseSource:s connectionId:s rayId:s timestampEndNanos:i timestampStartNanos:i transportCloseCode:i zoneId:i"
    ),
    "workers_trace_events": (
        "CPUTimeMs:i DispatchNamespace:s Entrypoint:s Event:o EventTimestampMs:i EventType:s Exceptions:O Logs:O Outcome:s "
        "ScriptName:s ScriptTags:S ScriptVersion:o WallTimeMs:i"
    ),
    "zaraz_events": "Body:o EventDetails:o EventType:s IP:s RequestHeaders:o TimestampStart:t URL:s",
    "zero_trust_network_sessions": (
        "AccountID:s BytesReceived:i BytesSent:i ClientTCPHandshakeDurationMs:i ClientTLSCipher:s "
        "ClientTLSHandshakeDurationMs:i ClientTLSVersion:s ConnectionCloseReason:s ConnectionReuse:b DestinationTunnelID:s "
        "DetectedProtocol:s DeviceID:s DeviceName:s EgressColoName:s EgressIP:s EgressPort:i EgressRuleID:s EgressRuleName:s "
        "Email:s IngressColoName:s InitialOriginIP:s Offramp:s OriginIP:s OriginPort:i OriginTLSCertificateIssuer:s "
        "OriginTLSCertificateValidationResult:s OriginTLSCipher:s OriginTLSHandshakeDurationMs:i OriginTLSVersion:s Protocol:s "
        "RegistrationID:s ResolvedFQDN:s RuleEvaluationDurationMs:i SNI:s SessionEndTime:t SessionID:s SessionStartTime:t "
        "SourceIP:s SourceInternalIP:s SourcePort:i TenantID:s UserID:s VirtualNetworkID:s"
    ),
}
_PARSED = {}


def datasets():
    """The datasets whose field types are known, sorted."""
    return sorted(_TABLE)


def field_types(dataset):
    """``{field: type}`` of a dataset, types as Cloudflare writes them ("int", "array[string]", ...).

    None for a dataset this table does not know.
    """
    if dataset not in _TABLE:
        return None
    if dataset not in _PARSED:
        parsed = {}
        for entry in _TABLE[dataset].split():
            name, _sep, code = entry.rpartition(":")
            parsed[name] = _CODES[code]
        _PARSED[dataset] = parsed
    return _PARSED[dataset]
