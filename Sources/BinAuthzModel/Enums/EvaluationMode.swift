// SPDX-License-Identifier: Apache-2.0

/// How an ``AdmissionRule`` evaluates a pod's images (`AdmissionRule.evaluationMode`).
public struct EvaluationMode: APIEnum {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `EVALUATION_MODE_UNSPECIFIED` — "Do not use"; a policy carrying it does not validate.
    public static let unspecified = EvaluationMode(rawValue: "EVALUATION_MODE_UNSPECIFIED")
    /// `ALWAYS_ALLOW` — admit every image.
    public static let alwaysAllow = EvaluationMode(rawValue: "ALWAYS_ALLOW")
    /// `REQUIRE_ATTESTATION` — admit an image only if every attestor in
    /// ``AdmissionRule/requireAttestationsBy`` has a valid attestation for its digest.
    public static let requireAttestation = EvaluationMode(rawValue: "REQUIRE_ATTESTATION")
    /// `ALWAYS_DENY` — deny every image.
    public static let alwaysDeny = EvaluationMode(rawValue: "ALWAYS_DENY")

    public static let knownValues: [EvaluationMode] = [.unspecified, .alwaysAllow, .requireAttestation, .alwaysDeny]
}
