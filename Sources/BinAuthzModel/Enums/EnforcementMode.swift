// SPDX-License-Identifier: Apache-2.0

/// What happens when an ``AdmissionRule`` denies an image (`AdmissionRule.enforcementMode`).
public struct EnforcementMode: APIEnum {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `ENFORCEMENT_MODE_UNSPECIFIED` — not a usable value; a policy carrying it does not validate.
    public static let unspecified = EnforcementMode(rawValue: "ENFORCEMENT_MODE_UNSPECIFIED")
    /// `ENFORCED_BLOCK_AND_AUDIT_LOG` — reject the pod and write an audit log entry.
    public static let enforcedBlockAndAuditLog = EnforcementMode(rawValue: "ENFORCED_BLOCK_AND_AUDIT_LOG")
    /// `DRYRUN_AUDIT_LOG_ONLY` — admit the pod "as if the admission request had specified break-glass" and
    /// log the verdict that was overridden.
    public static let dryRunAuditLogOnly = EnforcementMode(rawValue: "DRYRUN_AUDIT_LOG_ONLY")

    public static let knownValues: [EnforcementMode] = [.unspecified, .enforcedBlockAndAuditLog, .dryRunAuditLogOnly]
}
