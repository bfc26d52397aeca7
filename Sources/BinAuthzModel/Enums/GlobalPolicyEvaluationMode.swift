// SPDX-License-Identifier: Apache-2.0

/// Whether Google-maintained system images are admitted before the project policy is consulted
/// (`Policy.globalPolicyEvaluationMode`).
public struct GlobalPolicyEvaluationMode: APIEnum {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `GLOBAL_POLICY_EVALUATION_MODE_UNSPECIFIED` — "DISABLE is assumed".
    public static let unspecified = GlobalPolicyEvaluationMode(rawValue: "GLOBAL_POLICY_EVALUATION_MODE_UNSPECIFIED")
    /// `ENABLE` — images matching the system policy are admitted.
    public static let enable = GlobalPolicyEvaluationMode(rawValue: "ENABLE")
    /// `DISABLE` — the system policy is not consulted.
    public static let disable = GlobalPolicyEvaluationMode(rawValue: "DISABLE")

    public static let knownValues: [GlobalPolicyEvaluationMode] = [.unspecified, .enable, .disable]

    /// Whether this mode turns the system policy on. Unspecified and unknown values do not.
    public var isEnabled: Bool { self == .enable }
}
