// SPDX-License-Identifier: Apache-2.0

/// A project's Binary Authorization policy: the v1 REST `Policy` resource.
///
/// Field names and nesting are those of the REST API and of the YAML that
/// `gcloud container binauthz policy export` prints. Empty lists and maps are the same as absent ones (proto3
/// semantics) and are not written out.
///
/// ```swift
/// let policy = try Policy(yaml: String(decoding: data, as: UTF8.self))
/// let problems = policy.validate()
/// ```
///
/// A policy may hold at most one non-empty specific-rule map (``clusterAdmissionRules``,
/// ``kubernetesNamespaceAdmissionRules``, ``kubernetesServiceAccountAdmissionRules`` or
/// ``istioServiceIdentityAdmissionRules``); ``validate()`` reports a policy that holds more.
public struct Policy: Hashable, Sendable, Codable {
    /// `projects/{project}/policy`. Output only on the server: `policy import` overwrites it.
    public var name: String?
    /// A free-form description.
    public var description: String?
    /// Whether Google-maintained system images are admitted before this policy is consulted.
    public var globalPolicyEvaluationMode: GlobalPolicyEvaluationMode?
    /// Images that are always admitted ("exempt images"), matched against the image as written in the pod.
    public var admissionWhitelistPatterns: [AdmissionWhitelistPattern]
    /// Rules per GKE cluster, keyed by `location.clusterId` (`us-central1-a.prod-cluster`).
    public var clusterAdmissionRules: [String: AdmissionRule]
    /// Rules per Kubernetes namespace, keyed by namespace name.
    public var kubernetesNamespaceAdmissionRules: [String: AdmissionRule]
    /// Rules per Kubernetes service account, keyed by `namespace:serviceaccount`.
    public var kubernetesServiceAccountAdmissionRules: [String: AdmissionRule]
    /// Rules per Istio service identity, keyed by `spiffe://domain/ns/NS/sa/SA` (or the same without `spiffe://`).
    public var istioServiceIdentityAdmissionRules: [String: AdmissionRule]
    /// The rule for any deployment no specific rule matches. Required.
    public var defaultAdmissionRule: AdmissionRule?
    /// When the server last updated the policy (RFC 3339, output only). Kept as written.
    public var updateTime: String?
    /// The etag for optimistic concurrency (AIP-154).
    public var etag: String?

    /// Creates a policy. Only ``defaultAdmissionRule`` is required for a valid policy.
    public init(
        name: String? = nil,
        description: String? = nil,
        globalPolicyEvaluationMode: GlobalPolicyEvaluationMode? = nil,
        admissionWhitelistPatterns: [AdmissionWhitelistPattern] = [],
        clusterAdmissionRules: [String: AdmissionRule] = [:],
        kubernetesNamespaceAdmissionRules: [String: AdmissionRule] = [:],
        kubernetesServiceAccountAdmissionRules: [String: AdmissionRule] = [:],
        istioServiceIdentityAdmissionRules: [String: AdmissionRule] = [:],
        defaultAdmissionRule: AdmissionRule?,
        updateTime: String? = nil,
        etag: String? = nil
    ) {
        self.name = name
        self.description = description
        self.globalPolicyEvaluationMode = globalPolicyEvaluationMode
        self.admissionWhitelistPatterns = admissionWhitelistPatterns
        self.clusterAdmissionRules = clusterAdmissionRules
        self.kubernetesNamespaceAdmissionRules = kubernetesNamespaceAdmissionRules
        self.kubernetesServiceAccountAdmissionRules = kubernetesServiceAccountAdmissionRules
        self.istioServiceIdentityAdmissionRules = istioServiceIdentityAdmissionRules
        self.defaultAdmissionRule = defaultAdmissionRule
        self.updateTime = updateTime
        self.etag = etag
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, description, globalPolicyEvaluationMode, admissionWhitelistPatterns, clusterAdmissionRules
        case kubernetesNamespaceAdmissionRules, kubernetesServiceAccountAdmissionRules
        case istioServiceIdentityAdmissionRules, defaultAdmissionRule, updateTime, etag
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        globalPolicyEvaluationMode = try c.decodeIfPresent(
            GlobalPolicyEvaluationMode.self, forKey: .globalPolicyEvaluationMode)
        admissionWhitelistPatterns =
            try c.decodeIfPresent([AdmissionWhitelistPattern].self, forKey: .admissionWhitelistPatterns) ?? []
        clusterAdmissionRules =
            try c.decodeIfPresent([String: AdmissionRule].self, forKey: .clusterAdmissionRules) ?? [:]
        kubernetesNamespaceAdmissionRules =
            try c.decodeIfPresent([String: AdmissionRule].self, forKey: .kubernetesNamespaceAdmissionRules) ?? [:]
        kubernetesServiceAccountAdmissionRules =
            try c.decodeIfPresent([String: AdmissionRule].self, forKey: .kubernetesServiceAccountAdmissionRules) ?? [:]
        istioServiceIdentityAdmissionRules =
            try c.decodeIfPresent([String: AdmissionRule].self, forKey: .istioServiceIdentityAdmissionRules) ?? [:]
        defaultAdmissionRule = try c.decodeIfPresent(AdmissionRule.self, forKey: .defaultAdmissionRule)
        updateTime = try c.decodeIfPresent(String.self, forKey: .updateTime)
        etag = try c.decodeIfPresent(String.self, forKey: .etag)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(name, forKey: .name)
        try c.encodeIfPresent(description, forKey: .description)
        try c.encodeIfPresent(globalPolicyEvaluationMode, forKey: .globalPolicyEvaluationMode)
        if !admissionWhitelistPatterns.isEmpty {
            try c.encode(admissionWhitelistPatterns, forKey: .admissionWhitelistPatterns)
        }
        if !clusterAdmissionRules.isEmpty { try c.encode(clusterAdmissionRules, forKey: .clusterAdmissionRules) }
        if !kubernetesNamespaceAdmissionRules.isEmpty {
            try c.encode(kubernetesNamespaceAdmissionRules, forKey: .kubernetesNamespaceAdmissionRules)
        }
        if !kubernetesServiceAccountAdmissionRules.isEmpty {
            try c.encode(kubernetesServiceAccountAdmissionRules, forKey: .kubernetesServiceAccountAdmissionRules)
        }
        if !istioServiceIdentityAdmissionRules.isEmpty {
            try c.encode(istioServiceIdentityAdmissionRules, forKey: .istioServiceIdentityAdmissionRules)
        }
        try c.encodeIfPresent(defaultAdmissionRule, forKey: .defaultAdmissionRule)
        try c.encodeIfPresent(updateTime, forKey: .updateTime)
        try c.encodeIfPresent(etag, forKey: .etag)
    }
}

extension Policy {
    /// The kinds of specific rule a policy can hold, each keyed by a different deployment attribute.
    public enum SpecificRuleKind: String, Hashable, Sendable, CaseIterable, CustomStringConvertible {
        /// `clusterAdmissionRules`, keyed by `location.clusterId`.
        case cluster = "clusterAdmissionRules"
        /// `kubernetesNamespaceAdmissionRules`, keyed by namespace.
        case kubernetesNamespace = "kubernetesNamespaceAdmissionRules"
        /// `kubernetesServiceAccountAdmissionRules`, keyed by `namespace:serviceaccount`.
        case kubernetesServiceAccount = "kubernetesServiceAccountAdmissionRules"
        /// `istioServiceIdentityAdmissionRules`, keyed by SPIFFE id.
        case istioServiceIdentity = "istioServiceIdentityAdmissionRules"

        /// The JSON field name of the map.
        public var fieldName: String { rawValue }
        public var description: String { rawValue }
    }

    /// The specific-rule map of the given kind.
    public func rules(_ kind: SpecificRuleKind) -> [String: AdmissionRule] {
        switch kind {
        case .cluster: clusterAdmissionRules
        case .kubernetesNamespace: kubernetesNamespaceAdmissionRules
        case .kubernetesServiceAccount: kubernetesServiceAccountAdmissionRules
        case .istioServiceIdentity: istioServiceIdentityAdmissionRules
        }
    }

    /// The kinds whose map is non-empty. A valid policy has at most one.
    public var specificRuleKinds: [SpecificRuleKind] {
        SpecificRuleKind.allCases.filter { !rules($0).isEmpty }
    }

    /// Every attestor name referenced by any rule, without duplicates, in a stable order.
    public var referencedAttestors: [String] {
        var seen = Set<String>()
        var result: [String] = []
        let specific = SpecificRuleKind.allCases.flatMap { kind in
            rules(kind).sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }.map(\.value)
        }
        for rule in [defaultAdmissionRule].compactMap({ $0 }) + specific {
            for name in rule.requireAttestationsBy where seen.insert(name).inserted {
                result.append(name)
            }
        }
        return result
    }
}
