// SPDX-License-Identifier: Apache-2.0

/// How images are judged for one deployment target: the v1 `AdmissionRule`.
///
/// ```yaml
/// evaluationMode: REQUIRE_ATTESTATION
/// enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
/// requireAttestationsBy:
/// - projects/my-proj/attestors/built-by-ci
/// ```
public struct AdmissionRule: Hashable, Sendable, Codable {
    /// How images are evaluated. Required.
    public var evaluationMode: EvaluationMode?
    /// Attestor resource names (`projects/*/attestors/*`); each must have a valid attestation for every image.
    /// Non-empty exactly when ``evaluationMode`` is ``EvaluationMode/requireAttestation``.
    public var requireAttestationsBy: [String]
    /// What a denial does. Required.
    public var enforcementMode: EnforcementMode?

    /// Creates a rule.
    public init(
        evaluationMode: EvaluationMode?,
        requireAttestationsBy: [String] = [],
        enforcementMode: EnforcementMode? = .enforcedBlockAndAuditLog
    ) {
        self.evaluationMode = evaluationMode
        self.requireAttestationsBy = requireAttestationsBy
        self.enforcementMode = enforcementMode
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case evaluationMode, requireAttestationsBy, enforcementMode
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        evaluationMode = try c.decodeIfPresent(EvaluationMode.self, forKey: .evaluationMode)
        requireAttestationsBy = try c.decodeIfPresent([String].self, forKey: .requireAttestationsBy) ?? []
        enforcementMode = try c.decodeIfPresent(EnforcementMode.self, forKey: .enforcementMode)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(evaluationMode, forKey: .evaluationMode)
        if !requireAttestationsBy.isEmpty { try c.encode(requireAttestationsBy, forKey: .requireAttestationsBy) }
        try c.encodeIfPresent(enforcementMode, forKey: .enforcementMode)
    }
}

extension AdmissionRule {
    /// `ALWAYS_ALLOW`, enforced.
    public static let alwaysAllow = AdmissionRule(evaluationMode: .alwaysAllow)
    /// `ALWAYS_DENY`, enforced.
    public static let alwaysDeny = AdmissionRule(evaluationMode: .alwaysDeny)

    /// `REQUIRE_ATTESTATION` by the given attestors, enforced unless another mode is given.
    public static func requireAttestation(
        by attestors: [String], enforcementMode: EnforcementMode = .enforcedBlockAndAuditLog
    ) -> AdmissionRule {
        AdmissionRule(
            evaluationMode: .requireAttestation, requireAttestationsBy: attestors, enforcementMode: enforcementMode)
    }
}
