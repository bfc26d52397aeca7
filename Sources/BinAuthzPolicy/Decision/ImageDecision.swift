// SPDX-License-Identifier: Apache-2.0

/// The decision for one image of a pod.
///
/// ``isAllowed``, ``rule`` and ``reason`` are the final verdict. When break-glass or a dry-run rule admitted the
/// image regardless of the policy, ``override`` says which, and ``policyVerdict`` still holds what the policy
/// alone decided (the "would-be" verdict the service writes to the audit log).
public struct ImageDecision: Hashable, Sendable {
    /// The image as written in the pod spec.
    public package(set) var image: String
    /// Whether the image is admitted.
    public package(set) var isAllowed: Bool
    /// What decided the final verdict (``RuleReference/breakGlass`` when break-glass admitted the image).
    public package(set) var rule: RuleReference
    /// Why, in detail: the matching pattern, the evidence source's reason for each attestor ("key … expired
    /// on …"), or what was overridden.
    public package(set) var reason: String
    /// Set when the final verdict is not the policy's own: break-glass (always, when the pod requests it) or a
    /// `DRYRUN_AUDIT_LOG_ONLY` rule that would have denied the image.
    public package(set) var override: Override?
    /// What the policy alone decides, before break-glass and the enforcement mode are applied.
    public package(set) var policyVerdict: PolicyVerdict

    /// Creates a decision.
    package init(
        image: String, isAllowed: Bool, rule: RuleReference, reason: String, override: Override?,
        policyVerdict: PolicyVerdict
    ) {
        self.image = image
        self.isAllowed = isAllowed
        self.rule = rule
        self.reason = reason
        self.override = override
        self.policyVerdict = policyVerdict
    }

    /// Why a verdict was overridden.
    public struct Override: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Backing: String, Hashable, Sendable {
            case breakGlass = "break-glass"
            case dryRun = "dry-run"
        }
        fileprivate let backing: Backing
        fileprivate init(_ backing: Backing) { self.backing = backing }

        /// The pod requested break-glass.
        public static let breakGlass = Override(.breakGlass)
        /// The deciding rule has `enforcementMode: DRYRUN_AUDIT_LOG_ONLY`.
        public static let dryRun = Override(.dryRun)

        public var description: String { backing.rawValue }
    }
}

/// What the policy decides for one image: system policy, allowlist and admission rule, without break-glass
/// and without the rule's enforcement mode.
public struct PolicyVerdict: Hashable, Sendable {
    /// Whether the policy admits the image.
    public package(set) var isAllowed: Bool
    /// The rule or pattern that decided.
    public package(set) var rule: RuleReference
    /// Why, in detail (may carry the evidence source's reasons).
    public package(set) var reason: String
    /// The GKE-style denial clause for this image when the policy denies it, e.g.
    /// `Image IMG denied by Binary Authorization default admission rule. Denied by always_deny admission rule`;
    /// `nil` when the policy admits it.
    public package(set) var denialMessage: String?
    /// The answer of each attestor of a `REQUIRE_ATTESTATION` rule, in the rule's order; empty otherwise (and
    /// when the image was refused for not being referenced by digest, before any attestor was asked).
    public package(set) var attestorChecks: [AttestorCheck]

    /// Creates a verdict.
    package init(
        isAllowed: Bool, rule: RuleReference, reason: String, denialMessage: String?,
        attestorChecks: [AttestorCheck] = []
    ) {
        self.isAllowed = isAllowed
        self.rule = rule
        self.reason = reason
        self.denialMessage = denialMessage
        self.attestorChecks = attestorChecks
    }
}

/// One attestor's answer for one image.
public struct AttestorCheck: Hashable, Sendable {
    /// The attestor resource name as written in the policy.
    public package(set) var attestor: String
    /// The evidence source's answer.
    public package(set) var verdict: AttestorVerification

    /// Creates a check.
    package init(attestor: String, verdict: AttestorVerification) {
        self.attestor = attestor
        self.verdict = verdict
    }
}
