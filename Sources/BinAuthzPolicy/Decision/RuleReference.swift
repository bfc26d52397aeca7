// SPDX-License-Identifier: Apache-2.0

/// What decided an image's verdict: one of the policy's admission rules, an allowlist pattern, the system
/// policy, or break-glass.
///
/// The text form (``description``) is the `rule` value of `binauthz policy evaluate --format json`:
///
/// | reference | text |
/// |---|---|
/// | ``default`` | `default` |
/// | ``cluster(_:)`` | `cluster:us-central1-a.prod` |
/// | ``namespace(_:)`` | `namespace:shop` |
/// | ``serviceAccount(_:)`` | `serviceAccount:shop:deployer` |
/// | ``istio(_:)`` | `istio:spiffe://example.com/ns/shop/sa/default` |
/// | ``allowlist(_:)`` | `allowlist:gcr.io/my-proj/*` |
/// | ``system`` | `system` |
/// | ``breakGlass`` | `breakglass` |
public struct RuleReference: Hashable, Sendable, CustomStringConvertible {
    /// The kind of rule. New kinds may be added in minor releases.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Backing: String, Hashable, Sendable {
            case defaultRule = "default"
            case cluster
            case namespace
            case serviceAccount
            case istio
            case allowlist
            case system
            case breakGlass = "breakglass"
        }
        fileprivate let backing: Backing
        fileprivate init(_ backing: Backing) { self.backing = backing }

        /// `defaultAdmissionRule`.
        public static let defaultRule = Kind(.defaultRule)
        /// An entry of `clusterAdmissionRules`.
        public static let cluster = Kind(.cluster)
        /// An entry of `kubernetesNamespaceAdmissionRules`.
        public static let namespace = Kind(.namespace)
        /// An entry of `kubernetesServiceAccountAdmissionRules`.
        public static let serviceAccount = Kind(.serviceAccount)
        /// An entry of `istioServiceIdentityAdmissionRules`.
        public static let istio = Kind(.istio)
        /// An `admissionWhitelistPatterns` entry.
        public static let allowlist = Kind(.allowlist)
        /// The system policy (`globalPolicyEvaluationMode: ENABLE`).
        public static let system = Kind(.system)
        /// Break-glass on the pod.
        public static let breakGlass = Kind(.breakGlass)

        public var description: String { backing.rawValue }
    }

    /// The kind of rule.
    public let kind: Kind
    /// The map key or pattern: the cluster spec, namespace, `namespace:serviceaccount`, Istio identity or
    /// allowlist pattern, as written in the policy; `nil` for ``default``, ``system`` and ``breakGlass``.
    public let key: String?

    private init(_ kind: Kind, _ key: String?) {
        self.kind = kind
        self.key = key
    }

    /// The policy's `defaultAdmissionRule`.
    public static let `default` = RuleReference(.defaultRule, nil)
    /// The system policy.
    public static let system = RuleReference(.system, nil)
    /// Break-glass.
    public static let breakGlass = RuleReference(.breakGlass, nil)
    /// The `clusterAdmissionRules` entry for `spec` (`location.clusterId`).
    public static func cluster(_ spec: String) -> RuleReference { RuleReference(.cluster, spec) }
    /// The `kubernetesNamespaceAdmissionRules` entry for `namespace`.
    public static func namespace(_ namespace: String) -> RuleReference { RuleReference(.namespace, namespace) }
    /// The `kubernetesServiceAccountAdmissionRules` entry for `key` (`namespace:serviceaccount`).
    public static func serviceAccount(_ key: String) -> RuleReference { RuleReference(.serviceAccount, key) }
    /// The `istioServiceIdentityAdmissionRules` entry for `identity`, as written in the policy.
    public static func istio(_ identity: String) -> RuleReference { RuleReference(.istio, identity) }
    /// The `admissionWhitelistPatterns` entry `pattern`.
    public static func allowlist(_ pattern: String) -> RuleReference { RuleReference(.allowlist, pattern) }

    /// Whether this is one of the policy's admission rules (default or specific), as opposed to an exemption.
    public var isAdmissionRule: Bool {
        switch kind.backing {
        case .defaultRule, .cluster, .namespace, .serviceAccount, .istio: true
        case .allowlist, .system, .breakGlass: false
        }
    }

    /// `default`, `cluster:SPEC`, `namespace:NS`, `serviceAccount:NS:SA`, `istio:ID`, `allowlist:PATTERN`,
    /// `system` or `breakglass`.
    public var description: String {
        guard let key else { return kind.description }
        return "\(kind):\(key)"
    }

    /// How GKE names an admission rule in a denial message, e.g. `Binary Authorization cluster admission rule
    /// for us-central1-a.prod`; `nil` for exemptions.
    ///
    /// The default and cluster texts are GKE's. The namespace, service-account and Istio texts are
    /// **[UNCONFIRMED]** — no capture of them has been published; they follow the same shape.
    public var gkeDescription: String? {
        switch kind.backing {
        case .defaultRule: "Binary Authorization default admission rule"
        case .cluster: "Binary Authorization cluster admission rule for \(key ?? "")"
        case .namespace: "Binary Authorization Kubernetes namespace admission rule for \(key ?? "")"
        case .serviceAccount: "Binary Authorization Kubernetes service account admission rule for \(key ?? "")"
        case .istio: "Binary Authorization Istio service identity admission rule for \(key ?? "")"
        case .allowlist, .system, .breakGlass: nil
        }
    }
}
