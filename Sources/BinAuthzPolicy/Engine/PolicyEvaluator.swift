// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The admission-decision engine: a validated policy, compiled for fast repeated decisions.
///
/// ```swift
/// let evaluator = try PolicyEvaluator(policy: policy)
/// let decision = try evaluator.evaluate(
///     AdmissionRequest(images: ["gcr.io/my-proj/app@sha256:9f86…"],
///                      target: DeploymentTarget(cluster: "us-central1-a.prod-cluster")),
///     evidence: verifier, at: now)
/// ```
///
/// Deciding is pure: no I/O, no clock (the time is a parameter), no cryptography. Attestations are judged by
/// the ``AttestationEvidence`` passed in, asked at most once per (attestor, image) of a request.
///
/// For each distinct image of the pod, in pod order:
///
/// 1. **Break-glass** — label `image-policy.k8s.io/break-glass: "true"` or annotation
///    `alpha.image-policy.k8s.io/break-glass: "true"` on the pod: admitted (rule ``RuleReference/breakGlass``); the
///    policy's verdict is still computed and reported in ``ImageDecision/policyVerdict``.
/// 2. **System images** — when the policy sets `globalPolicyEvaluationMode: ENABLE`, an image matching
///    ``EvaluationOptions/systemPolicy`` is admitted (``RuleReference/system``).
/// 3. **Allowlist** — an image matching an `admissionWhitelistPatterns` entry is admitted
///    (``RuleReference/allowlist(_:)``).
/// 4. **Rule** — the entry of the one non-empty specific-rule map whose key equals the target's cluster
///    (`location.clusterId`), namespace, `namespace:serviceaccount` or Istio identity; else
///    `defaultAdmissionRule`. `ALWAYS_ALLOW` admits, `ALWAYS_DENY` denies, `REQUIRE_ATTESTATION` requires a
///    `@sha256:<64 hex>` reference and a verified attestation from **every** listed attestor.
/// 5. **Enforcement** — a denial by a rule with `DRYRUN_AUDIT_LOG_ONLY` is admitted and reported as a dry-run
///    override.
///
/// The pod is admitted when every image is.
public struct PolicyEvaluator: Sendable {
    /// The policy being enforced.
    public let policy: Policy
    /// The options in force.
    public let options: EvaluationOptions

    private let allowlist: AllowlistMatcher
    private let systemEnabled: Bool
    private let specificKind: Policy.SpecificRuleKind?
    /// Specific rules by lookup key (for Istio: the identity without `spiffe://`), with the key as written.
    /// Specific rules by their key's exact bytes (rule keys are compared as the service compares them).
    private let specificRules: [ExactString: (key: String, rule: AdmissionRule)]
    private let defaultRule: AdmissionRule

    /// Compiles a policy.
    ///
    /// - Parameters:
    ///   - policy: The project policy, as read from `gcloud container binauthz policy export` YAML or REST JSON.
    ///   - options: The system policy and other choices; the defaults follow the hosted service.
    /// - Throws: ``PolicyEvaluationError/Code/invalidPolicy`` when `Policy.validate()` reports
    ///   problems (``PolicyEvaluationError/issues`` lists them all) — the engine refuses to decide on a policy
    ///   the service would not accept.
    public init(policy: Policy, options: EvaluationOptions = EvaluationOptions()) throws(PolicyEvaluationError) {
        let issues = policy.validate()
        guard issues.isEmpty, let defaultRule = policy.defaultAdmissionRule else {
            let listed = issues.map(\.description).joined(separator: "; ")
            throw PolicyEvaluationError(
                code: .invalidPolicy,
                message: "the policy is invalid (\(issues.count) problem\(issues.count == 1 ? "" : "s")): \(listed)",
                issues: issues)
        }
        self.policy = policy
        self.options = options
        self.defaultRule = defaultRule
        systemEnabled = policy.globalPolicyEvaluationMode?.isEnabled ?? false
        allowlist = try AllowlistMatcher(patterns: policy.admissionWhitelistPatterns.compactMap(\.namePattern))
        specificKind = policy.specificRuleKinds.first
        var rules: [ExactString: (key: String, rule: AdmissionRule)] = [:]
        if let kind = specificKind {
            // Validation refuses two Istio keys for one identity, so keying by the identity without `spiffe://`
            // loses nothing and lets either spelling of a pod's identity find its rule.
            for (key, rule) in policy.rules(kind) {
                rules[ExactString(kind == .istioServiceIdentity ? SyntaxRules.istioIdentityBody(key) : key)] = (
                    key, rule
                )
            }
        }
        specificRules = rules
    }

    /// The admission rule that applies to a deployment target, and how to refer to it.
    ///
    /// - Parameter target: The cluster, namespace, service account and Istio identity of the pod.
    /// - Returns: The specific rule whose key equals the target's attribute, else the default rule.
    package func rule(for target: DeploymentTarget) -> (reference: RuleReference, rule: AdmissionRule) {
        guard let kind = specificKind else { return (.default, defaultRule) }
        switch kind {
        case .cluster:
            if let cluster = target.cluster, let entry = specificRules[ExactString(cluster)] {
                return (.cluster(entry.key), entry.rule)
            }
        case .kubernetesNamespace:
            if let entry = specificRules[ExactString(target.namespace)] { return (.namespace(entry.key), entry.rule) }
        case .kubernetesServiceAccount:
            if let entry = specificRules[ExactString(target.serviceAccountKey)] {
                return (.serviceAccount(entry.key), entry.rule)
            }
        case .istioServiceIdentity:
            if let identity = target.istioIdentity,
                let entry = specificRules[ExactString(SyntaxRules.istioIdentityBody(identity))]
            {
                return (.istio(entry.key), entry.rule)
            }
        }
        return (.default, defaultRule)
    }

    /// Decides a pod.
    ///
    /// - Parameters:
    ///   - request: The pod's images, deployment target, labels and annotations.
    ///   - evidence: Answers whether an attestor vouches for an image; asked only for `REQUIRE_ATTESTATION`
    ///     rules, at most once per (attestor, image).
    ///   - time: The evaluation time, passed to the evidence source (key expiry, revocation).
    /// - Returns: The decision; a denial is a decision with ``AdmissionDecision/isAllowed`` `false`.
    /// - Throws: ``PolicyEvaluationError/Code/evidenceUnavailable`` when the evidence source throws (its
    ///   environment is broken); nothing else.
    public func evaluate(
        _ request: AdmissionRequest, evidence: some AttestationEvidence, at time: Date
    ) throws(PolicyEvaluationError) -> AdmissionDecision {
        let (reference, rule) = rule(for: request.target)
        let breakGlass = request.requestsBreakGlass
        // Images are the same image only when they are the same bytes: a canonically equivalent spelling is another
        // image and is decided on its own.
        var seen = Set<ExactString>()
        var unique: [String] = []
        for image in request.images where seen.insert(ExactString(image)).inserted { unique.append(image) }
        let budget = workOverBudget(unique, rule: rule, evidence: evidence)
        var images: [ImageDecision] = []
        images.reserveCapacity(unique.count)
        for image in unique {
            let verdict = try policyVerdict(
                for: image, rule: rule, reference: reference, evidence: evidence, at: time, overBudget: budget)
            images.append(Self.applyOverrides(verdict, image: image, breakGlass: breakGlass, rule: rule))
        }
        return AdmissionDecision(request: request, images: images)
    }

    /// Decides a pod without attestation evidence: every `REQUIRE_ATTESTATION` attestor is unsatisfied.
    /// Enough for policies made of `ALWAYS_ALLOW`, `ALWAYS_DENY` and allowlists.
    ///
    /// - Parameters:
    ///   - request: The pod's images, deployment target, labels and annotations.
    ///   - time: The evaluation time.
    /// - Returns: The decision.
    public func evaluate(_ request: AdmissionRequest, at time: Date) -> AdmissionDecision {
        do {
            return try evaluate(request, evidence: NoAttestationEvidence(), at: time)
        } catch {
            preconditionFailure("NoAttestationEvidence never throws: \(error)")
        }
    }

    // MARK: - Steps

    /// The reason to refuse every attestation check of a decision, when together they would need more signature
    /// verifications than `InputLimits.maximumSignatureChecksPerDecision` allows — counted before
    /// any is made, over the distinct (attestor, image) pairs the rule will ask about.
    private func workOverBudget(
        _ images: [String], rule: AdmissionRule, evidence: some AttestationEvidence
    ) -> String? {
        guard rule.evaluationMode == .requireAttestation else { return nil }
        var pairs = Set<[ExactString]>()
        var total = 0
        for image in images {
            if systemEnabled, options.systemPolicy.firstMatch(image) != nil { continue }
            if allowlist.firstMatch(image) != nil { continue }
            guard let parsed = try? ImageReference(image), let digest = parsed.digest else { continue }
            for attestor in rule.requireAttestationsBy
            where pairs.insert([ExactString(attestor), ExactString(parsed.description), ExactString(digest)]).inserted {
                total += evidence.signatureChecks(attestor: attestor, image: parsed)
            }
        }
        let limit = options.limits.maximumSignatureChecksPerDecision
        guard total > limit else { return nil }
        return "the request needs \(total) signature checks; at most \(limit) are made for one decision "
            + "(InputLimits.maximumSignatureChecksPerDecision), so none was made"
    }

    private func policyVerdict(
        for image: String, rule: AdmissionRule, reference: RuleReference, evidence: some AttestationEvidence,
        at time: Date, overBudget: String?
    ) throws(PolicyEvaluationError) -> PolicyVerdict {
        if systemEnabled, let pattern = options.systemPolicy.firstMatch(image) {
            return PolicyVerdict(
                isAllowed: true, rule: .system,
                reason: "matches system policy pattern \(pattern) (globalPolicyEvaluationMode: ENABLE)",
                denialMessage: nil)
        }
        if let match = allowlist.firstMatch(image) {
            return PolicyVerdict(
                isAllowed: true, rule: .allowlist(match.pattern),
                reason: "matches admissionWhitelistPatterns[\(match.index)] \(match.pattern)", denialMessage: nil)
        }
        let ruleText = reference.gkeDescription ?? "admission rule"
        switch rule.evaluationMode {
        case .alwaysAllow?:
            return PolicyVerdict(
                isAllowed: true, rule: reference, reason: "Allowed by always_allow admission rule", denialMessage: nil)
        case .requireAttestation?:
            return try attestationVerdict(
                for: image, attestors: rule.requireAttestationsBy, reference: reference, ruleText: ruleText,
                evidence: evidence, at: time, overBudget: overBudget)
        default:
            // ALWAYS_DENY (validation has excluded every other value).
            return PolicyVerdict(
                isAllowed: false, rule: reference, reason: GKEText.alwaysDeny,
                denialMessage: "Image \(image) denied by \(ruleText). \(GKEText.alwaysDeny)")
        }
    }

    private func attestationVerdict(
        for image: String, attestors: [String], reference: RuleReference, ruleText: String,
        evidence: some AttestationEvidence, at time: Date, overBudget: String?
    ) throws(PolicyEvaluationError) -> PolicyVerdict {
        guard let parsed = try? ImageReference(image), let digest = parsed.digest,
            ImageReference.isSHA256Digest(digest)
        else {
            let clauses = attestors.map { "Image \(image) denied by attestor \($0): \(GKEText.digestRequired)" }
            return PolicyVerdict(
                isAllowed: false, rule: reference, reason: GKEText.digestRequired,
                denialMessage: "Image \(image) denied by \(ruleText). " + clauses.joined(separator: " "))
        }
        var checks: [AttestorCheck] = []
        checks.reserveCapacity(attestors.count)
        for attestor in attestors {
            let verdict: AttestorVerification
            if let overBudget {
                checks.append(
                    AttestorCheck(
                        attestor: attestor, verdict: .notVerified(AttestationFailure(.tooMuchWork, message: overBudget))
                    ))
                continue
            }
            do {
                verdict = try evidence.verify(attestor: attestor, image: parsed, at: time)
            } catch {
                throw PolicyEvaluationError(
                    code: .evidenceUnavailable,
                    message: "checking attestor \(attestor) for \(image) failed: \(error)")
            }
            checks.append(AttestorCheck(attestor: attestor, verdict: verdict))
        }
        let failed = checks.filter { !$0.verdict.isVerified }
        guard !failed.isEmpty else {
            let reason = checks.map { "attestor \($0.attestor): \($0.verdict.reason)" }.joined(separator: "; ")
            return PolicyVerdict(
                isAllowed: true, rule: reference, reason: "attested by every attestor: \(reason)",
                denialMessage: nil, attestorChecks: checks)
        }
        let clauses = failed.map { "Image \(image) denied by attestor \($0.attestor): \(GKEText.noValidAttestations)" }
        return PolicyVerdict(
            isAllowed: false, rule: reference,
            reason: failed.map { "attestor \($0.attestor): \($0.verdict.reason)" }.joined(separator: "; "),
            denialMessage: "Image \(image) denied by \(ruleText). " + clauses.joined(separator: " "),
            attestorChecks: checks)
    }

    private static func applyOverrides(
        _ verdict: PolicyVerdict, image: String, breakGlass: Bool, rule: AdmissionRule
    ) -> ImageDecision {
        if breakGlass {
            let wouldBe = verdict.isAllowed ? "admit it (\(verdict.reason))" : "deny it (\(verdict.reason))"
            return ImageDecision(
                image: image, isAllowed: true, rule: .breakGlass,
                reason: "break-glass requested on the pod; the policy (\(verdict.rule)) would \(wouldBe)",
                override: .breakGlass, policyVerdict: verdict)
        }
        if !verdict.isAllowed && verdict.rule.isAdmissionRule && rule.enforcementMode == .dryRunAuditLogOnly {
            return ImageDecision(
                image: image, isAllowed: true, rule: verdict.rule,
                reason: "DRYRUN_AUDIT_LOG_ONLY: admitted; the rule would deny it: \(verdict.reason)",
                override: .dryRun, policyVerdict: verdict)
        }
        return ImageDecision(
            image: image, isAllowed: verdict.isAllowed, rule: verdict.rule, reason: verdict.reason, override: nil,
            policyVerdict: verdict)
    }
}

extension Policy {
    /// Decides a pod against this policy — a one-off ``BinAuthzPolicy/PolicyEvaluator``.
    ///
    /// ```swift
    /// let decision = try policy.evaluate(
    ///     workload.request(cluster: "us-central1-a.prod-cluster"), evidence: verifier, at: now)
    /// ```
    ///
    /// - Parameters:
    ///   - request: The pod's images, deployment target, labels and annotations.
    ///   - evidence: The attestation evidence source.
    ///   - time: The evaluation time.
    ///   - options: The system policy and other choices.
    /// - Returns: The decision.
    /// - Throws: ``BinAuthzPolicy/PolicyEvaluationError/Code/invalidPolicy`` when the policy fails validation;
    ///   ``BinAuthzPolicy/PolicyEvaluationError/Code/evidenceUnavailable`` when the evidence source throws.
    public func evaluate(
        _ request: AdmissionRequest, evidence: some AttestationEvidence, at time: Date,
        options: EvaluationOptions = EvaluationOptions()
    ) throws(PolicyEvaluationError) -> AdmissionDecision {
        try PolicyEvaluator(policy: self, options: options).evaluate(request, evidence: evidence, at: time)
    }
}

/// The evidence source for callers that have no attestations: every attestor is unsatisfied.
public struct NoAttestationEvidence: AttestationEvidence {
    /// Creates the source.
    public init() {}

    /// Always ``AttestorVerification/notVerified(_:)-swift.enum.case`` with kind ``AttestationFailure/Kind/noEvidence``.
    public func verify(attestor: String, image: ImageReference, at time: Date) -> AttestorVerification {
        .notVerified(
            AttestationFailure(.noEvidence, message: "no attestation evidence was supplied for attestor \(attestor)"))
    }
}

/// The texts GKE prints in denial messages (current generation, captured from real clusters).
enum GKEText {
    static let alwaysDeny = "Denied by always_deny admission rule"
    static let noValidAttestations = "No attestations found that were valid and signed by a key trusted by the attestor"
    static let digestRequired = "Expected digest with sha256 scheme, but got tag or malformed digest"
}
