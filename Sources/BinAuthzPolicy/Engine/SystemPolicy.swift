// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel

/// The Google-maintained system policy that admits system images when a policy sets
/// `globalPolicyEvaluationMode: ENABLE`.
///
/// The hosted service keeps this list per region (`gcloud alpha container binauthz policy
/// export-system-policy`) and its content has not been published. ``bundled`` is a seed taken from the default
/// project allowlist older projects were given — the images GKE's own system pods run — and is **[UNCONFIRMED]**
/// as a copy of the real list. Callers who know their region's list can supply it:
///
/// ```swift
/// let system = try SystemPolicy(patterns: exportedSystemPolicy.admissionWhitelistPatterns.compactMap(\.namePattern))
/// let evaluator = try PolicyEvaluator(policy: policy, options: EvaluationOptions(systemPolicy: system))
/// ```
///
/// Patterns follow the allowlist rules of ``AllowlistMatcher``.
public struct SystemPolicy: Sendable, Hashable {
    /// The patterns admitted as system images, in order.
    public var patterns: [String] { matcher.patterns }

    let matcher: AllowlistMatcher

    /// Creates a system policy from allowlist patterns.
    ///
    /// - Parameter patterns: Allowlist patterns (trailing `*` or `**` after `registry/`, or exact images).
    /// - Throws: ``PolicyEvaluationError/Code/invalidPattern`` when a pattern breaks the wildcard rules.
    public init(patterns: [String]) throws(PolicyEvaluationError) {
        matcher = try AllowlistMatcher(patterns: patterns)
    }

    /// The seed list shipped with this library **[UNCONFIRMED]**: the default project allowlist of older
    /// projects (`gcr.io/google_containers/*`, `gcr.io/google-containers/*`, `k8s.gcr.io/**`, `gke.gcr.io/**`,
    /// `gcr.io/stackdriver-agents/*`) plus `registry.k8s.io/*`, where the Kubernetes images moved.
    public static let bundledPatterns: [String] = [
        "gcr.io/google_containers/*",
        "gcr.io/google-containers/*",
        "k8s.gcr.io/**",
        "gke.gcr.io/**",
        "gcr.io/stackdriver-agents/*",
        "registry.k8s.io/*",
    ]

    /// The system policy built from ``bundledPatterns``.
    public static let bundled: SystemPolicy = {
        do {
            return try SystemPolicy(patterns: bundledPatterns)
        } catch {
            preconditionFailure("the bundled system patterns are valid: \(error)")
        }
    }()

    /// A system policy that admits nothing.
    public static let empty: SystemPolicy = {
        do {
            return try SystemPolicy(patterns: [])
        } catch {
            preconditionFailure("an empty pattern list is valid: \(error)")
        }
    }()

    /// The first system pattern matching `image`, or `nil`.
    public func firstMatch(_ image: String) -> String? { matcher.firstMatch(image)?.pattern }

    public static func == (lhs: SystemPolicy, rhs: SystemPolicy) -> Bool { lhs.patterns == rhs.patterns }
    public func hash(into hasher: inout Hasher) { hasher.combine(patterns) }
}

/// Choices that change how ``PolicyEvaluator`` decides, beyond the policy itself.
public struct EvaluationOptions: Sendable, Hashable {
    /// The system policy consulted when the policy sets `globalPolicyEvaluationMode: ENABLE`.
    /// Defaults to ``SystemPolicy/bundled``.
    public var systemPolicy: SystemPolicy
    /// Bounds on the work one decision may cause; the engine uses
    /// `InputLimits.maximumSignatureChecksPerDecision`.
    public var limits: InputLimits

    /// Creates options.
    ///
    /// - Parameters:
    ///   - systemPolicy: The system images admitted under `globalPolicyEvaluationMode: ENABLE`.
    ///   - limits: Bounds on the work of one decision (`InputLimits.default`).
    public init(systemPolicy: SystemPolicy = .bundled, limits: InputLimits = .default) {
        self.systemPolicy = systemPolicy
        self.limits = limits
    }
}
