// SPDX-License-Identifier: Apache-2.0

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import BinAuthzModel

/// What one check concluded for one image.
public struct PlatformCheckOutcome: Hashable, Sendable {
    /// `CONFORMANT`, `NON_CONFORMANT` or `ERROR`.
    public let verdict: PlatformVerdict
    /// Why, in a sentence.
    public let explanation: String

    /// The image conforms to the check.
    public static func conformant(_ explanation: String) -> PlatformCheckOutcome {
        PlatformCheckOutcome(verdict: .conformant, explanation: explanation)
    }
    /// The image does not conform.
    public static func nonConformant(_ explanation: String) -> PlatformCheckOutcome {
        PlatformCheckOutcome(verdict: .nonConformant, explanation: explanation)
    }
    /// The check could not be evaluated (missing evidence, not implemented offline, …).
    public static func error(_ explanation: String) -> PlatformCheckOutcome {
        PlatformCheckOutcome(verdict: .error, explanation: explanation)
    }
}

/// Evaluates one type of platform-policy check from evidence: the seam through which upload times, attestations,
/// signatures, provenance and vulnerability scans reach ``PlatformPolicyEvaluator``.
///
/// ```swift
/// let evaluator = try PlatformPolicyEvaluator(
///     policy: policy, checkEvaluators: [ImageUploadTimes(uploads)])
/// ```
///
/// An evaluator that throws makes the check `ERROR` with the error's description; a check type no evaluator
/// handles is `ERROR` ("not evaluated offline"), never `CONFORMANT`.
public protocol PlatformCheckEvaluator: Sendable {
    /// The check type this evaluator decides.
    var checkType: PlatformCheckType { get }

    /// Decides `check` for `image` (as written in `pod`) at `time`.
    func evaluate(_ check: Check, image: String, pod: KubernetesWorkload, at time: Date) throws -> PlatformCheckOutcome
}

/// Evaluates GKE platform policies offline: (policy, pods, evidence, time) → the v1 `EvaluateGkePolicyResponse`.
///
/// ```swift
/// let evaluator = try PlatformPolicyEvaluator(policy: policy)
/// let workloads = try KubernetesManifest.workloads(in: yaml)
/// let response = evaluator.evaluate(workloads, at: now)
/// print(response.gcloudYAML)
/// ```
///
/// For each pod, the first check set (in list order) whose scope matches is evaluated for every container image: a
/// service-account scope matches `namespace:serviceaccount`, a namespace scope every service account of the
/// namespace, and the unscoped catch-all every pod. An image matching the policy's allowlist, the check set's or a
/// check's is exempt at that level (`allowlistResult.matchedPattern`). Verdicts aggregate as the API states:
/// non-conformance has precedence over errors. `alwaysDeny` and `trustedDirectoryCheck` need no evidence; other
/// check types are decided by the ``PlatformCheckEvaluator`` given for them, and are `ERROR` without one.
public struct PlatformPolicyEvaluator: Sendable {
    /// The policy.
    public let policy: PlatformPolicy
    private let gke: GkePolicy
    private let evaluators: [String: any PlatformCheckEvaluator]
    private let policyAllowlist: [SyntaxRules.NamePattern]
    private let checkSets: [PreparedCheckSet]

    /// Prepares a policy for evaluation.
    ///
    /// - Parameters:
    ///   - policy: A platform policy with a `gkePolicy`; it must pass `PlatformPolicy.validate()`.
    ///   - checkEvaluators: Evidence-backed evaluators, one per check type at most (a later one for the same type
    ///     replaces an earlier one).
    /// - Throws: ``PolicyEvaluationError/Code/invalidPolicy`` listing every validation problem.
    public init(policy: PlatformPolicy, checkEvaluators: [any PlatformCheckEvaluator] = [])
        throws(PolicyEvaluationError)
    {
        let issues = policy.validate()
        guard issues.isEmpty else {
            throw PolicyEvaluationError(
                code: .invalidPolicy,
                message: "the platform policy is not valid: " + issues.map(\.description).joined(separator: "; "))
        }
        guard let gke = policy.gkePolicy else {
            throw PolicyEvaluationError(
                code: .invalidPolicy, message: "the platform policy has no gkePolicy; only GKE policies are evaluated")
        }
        self.policy = policy
        self.gke = gke
        var evaluators: [String: any PlatformCheckEvaluator] = [:]
        for evaluator in checkEvaluators { evaluators[evaluator.checkType.name] = evaluator }
        self.evaluators = evaluators
        policyAllowlist = Self.patterns(gke.imageAllowlist)
        checkSets = gke.checkSets.enumerated().map { index, set in
            PreparedCheckSet(
                index: index, checkSet: set, allowlist: Self.patterns(set.imageAllowlist),
                checks: set.checks.map { check in
                    PreparedCheck(
                        check: check, allowlist: Self.patterns(check.imageAllowlist),
                        trustedDirectories: (check.trustedDirectoryCheck?.trustedDirPatterns ?? []).compactMap {
                            try? TrustedDirectoryPattern.parse($0).get()
                        })
                })
        }
    }

    private static func patterns(_ allowlist: ImageAllowlist?) -> [SyntaxRules.NamePattern] {
        (allowlist?.allowPattern ?? []).compactMap { try? SyntaxRules.parseNamePattern($0).get() }
    }

    /// Evaluates pods (or pod templates) as `platforms.gke.policies.evaluate` does.
    public func evaluate(_ workloads: [KubernetesWorkload], at time: Date) -> EvaluateGkePolicyResponse {
        let results = workloads.map { evaluate(pod: $0, at: time) }
        return EvaluateGkePolicyResponse(verdict: .aggregate(results.map(\.verdict)), results: results)
    }

    /// The check set a pod gets: the first whose scope matches, in list order.
    ///
    /// A pod with no namespace (gcloud's `--image` pod) matches only the unscoped catch-all. A pod with a namespace
    /// and no service account runs as `default`.
    public func checkSetIndex(for pod: KubernetesWorkload) -> Int? {
        checkSets.first { $0.matches(pod) }?.index
    }

    private func evaluate(pod: KubernetesWorkload, at time: Date) -> EvaluateGkePolicyResponse.PodResult {
        let chosen = checkSetIndex(for: pod).map { checkSets[$0] }
        let images = pod.podContainers.map { container in
            evaluate(image: container, pod: pod, checkSet: chosen, at: time)
        }
        let namespace = pod.namespace.flatMap { $0.isEmpty ? nil : $0 }
        return EvaluateGkePolicyResponse.PodResult(
            podName: pod.name, kubernetesNamespace: namespace,
            kubernetesServiceAccount: namespace == nil ? pod.serviceAccountName : pod.effectiveServiceAccount,
            verdict: .aggregate(images.map(\.verdict)), imageResults: images, workload: pod)
    }

    private func evaluate(
        image container: KubernetesContainer, pod: KubernetesWorkload, checkSet: PreparedCheckSet?, at time: Date
    ) -> EvaluateGkePolicyResponse.ImageResult {
        let image = container.image
        if let matched = policyAllowlist.first(where: { $0.matches(image) }) {
            return EvaluateGkePolicyResponse.ImageResult(
                imageURI: image, verdict: .conformant, allowlistMatchedPattern: matched.text, checkSetResult: nil,
                explanation: "Image is exempted by the policy's image allowlist", container: container)
        }
        guard let checkSet else {
            return EvaluateGkePolicyResponse.ImageResult(
                imageURI: image, verdict: .conformant, allowlistMatchedPattern: nil, checkSetResult: nil,
                explanation: gke.checkSets.isEmpty
                    ? "The policy has no check sets, so every image is allowed" : "No check set applies to the pod",
                container: container)
        }
        let set = checkSet.checkSet
        if let matched = checkSet.allowlist.first(where: { $0.matches(image) }) {
            let result = EvaluateGkePolicyResponse.CheckSetResult(
                index: checkSet.index, displayName: set.displayName, scope: set.scope,
                allowlistMatchedPattern: matched.text, checkResults: [],
                explanation: "Image is exempted by the check set's image allowlist")
            return EvaluateGkePolicyResponse.ImageResult(
                imageURI: image, verdict: .conformant, allowlistMatchedPattern: nil, checkSetResult: result,
                explanation: nil, container: container)
        }
        let results = checkSet.checks.enumerated().map { index, prepared in
            evaluate(prepared, index: index, image: image, pod: pod, at: time)
        }
        let verdict = PlatformVerdict.aggregate(results.compactMap(\.verdict))
        let result = EvaluateGkePolicyResponse.CheckSetResult(
            index: checkSet.index, displayName: set.displayName, scope: set.scope, allowlistMatchedPattern: nil,
            checkResults: results,
            explanation: results.isEmpty ? "The check set has no checks, so every image is allowed" : nil)
        return EvaluateGkePolicyResponse.ImageResult(
            imageURI: image, verdict: verdict, allowlistMatchedPattern: nil, checkSetResult: result, explanation: nil,
            container: container)
    }

    private func evaluate(
        _ prepared: PreparedCheck, index: Int, image: String, pod: KubernetesWorkload, at time: Date
    ) -> EvaluateGkePolicyResponse.CheckResult {
        let check = prepared.check
        let type = check.types.first ?? .alwaysDeny
        if let matched = prepared.allowlist.first(where: { $0.matches(image) }) {
            return EvaluateGkePolicyResponse.CheckResult(
                index: index, displayName: check.displayName, type: type, allowlistMatchedPattern: matched.text,
                verdict: nil, explanation: "Image is exempted by the check's image allowlist")
        }
        let outcome: PlatformCheckOutcome
        switch type {
        case .alwaysDeny:
            outcome =
                check.alwaysDeny == true
                ? .nonConformant("The check always denies") : .conformant("alwaysDeny is false")
        case .trustedDirectory:
            outcome = Self.trustedDirectory(prepared.trustedDirectories, image: image)
        default:
            if let evaluator = evaluators[type.name] {
                do {
                    outcome = try evaluator.evaluate(check, image: image, pod: pod, at: time)
                } catch {
                    outcome = .error("\(type.name) could not be evaluated: \(error)")
                }
            } else {
                outcome = .error(Self.notEvaluated(type))
            }
        }
        return EvaluateGkePolicyResponse.CheckResult(
            index: index, displayName: check.displayName, type: type, allowlistMatchedPattern: nil,
            verdict: outcome.verdict, explanation: outcome.explanation)
    }

    static func notEvaluated(_ type: PlatformCheckType) -> String {
        switch type {
        case .slsa:
            "\(type.name) needs the image's SLSA provenance: give --provenance-file (SlsaProvenances in the "
                + "library)"
        case .sigstoreSignature:
            "\(type.name) needs the image's cosign signatures: give --sigstore-signature-file (SigstoreSignatures "
                + "in the library)"
        case .vulnerability:
            "\(type.name) needs the image's vulnerability scan: give --vulnerability-file (VulnerabilityScans in "
                + "the library)"
        case .imageFreshness:
            "\(type.name) needs the image's upload time: give --image-metadata-file or --upload-time IMAGE=TIME "
                + "(ImageUploadTimes in the library)"
        case .simpleSigningAttestation:
            "\(type.name) needs attestation evidence: give --attestation-file (SimpleSigningAttestations in the "
                + "library)"
        default:
            "\(type.name) has no evaluator"
        }
    }

    /// The image's directory: its repository without the last path segment, tag and digest removed.
    package static func directory(of image: String) -> String? {
        var name = Substring(image)
        if let at = name.firstIndex(of: "@") { name = name[..<at] }
        if let slash = name.lastIndex(of: "/"), let colon = name.lastIndex(of: ":"), colon > slash {
            name = name[..<colon]
        }
        guard let slash = name.lastIndex(of: "/") else { return nil }
        return String(name[..<slash])
    }

    static func trustedDirectory(_ patterns: [TrustedDirectoryPattern], image: String) -> PlatformCheckOutcome {
        guard let directory = directory(of: image),
            directory.contains(".") || directory.contains(":")
                || directory.hasPrefix("localhost")
        else {
            // `nginx`, `library/nginx`: Docker Hub shorthand, never in a trusted directory.
            return .nonConformant(
                "Image is not in a trusted directory (\(image) names no registry; Docker Hub shorthand is not trusted)")
        }
        if let pattern = patterns.first(where: { $0.matches(directory: directory) }) {
            return .conformant("Image is in trusted directory \(pattern.pattern)")
        }
        return .nonConformant(
            "Image is not in a trusted directory (its directory \(directory) matches none of "
                + patterns.map(\.pattern).joined(separator: ", ") + ")")
    }
}

private struct PreparedCheckSet: Sendable {
    let index: Int
    let checkSet: CheckSet
    let allowlist: [SyntaxRules.NamePattern]
    let checks: [PreparedCheck]

    func matches(_ pod: KubernetesWorkload) -> Bool {
        guard let scope = checkSet.scope, !scope.isEmpty else { return true }
        guard let namespace = pod.namespace, !namespace.isEmpty else { return false }
        if let account = scope.kubernetesServiceAccount, !account.isEmpty {
            return account.isIdentical(to: namespace + ":" + pod.effectiveServiceAccount)
        }
        return (scope.kubernetesNamespace ?? "").isIdentical(to: namespace)
    }
}

private struct PreparedCheck: Sendable {
    let check: Check
    let allowlist: [SyntaxRules.NamePattern]
    let trustedDirectories: [TrustedDirectoryPattern]
}

extension SyntaxRules.NamePattern {
    /// The pattern as written.
    var text: String {
        switch wildcard {
        case .none: prefix
        case .singleLevel: prefix + "*"
        case .anyDepth: prefix + "**"
        }
    }
}

/// Image upload times: the evidence `imageFreshnessCheck` needs.
///
/// An image is found by its repository and digest (`…/app@sha256:…`, a tag between them ignored), else by the exact
/// reference, else — the same content pushed elsewhere — by the digest alone, taking the oldest upload recorded for
/// it (failing closed). Age is the evaluation time minus the upload time; the image is non-conformant when the age
/// is more than `maxUploadAgeDays` × 24 hours. No upload time → `ERROR` saying so.
///
/// ```swift
/// let uploads = try ImageUpload.readAll(text: artifactRegistryJSON)
/// let freshness = ImageUploadTimes(uploads)
/// ```
public struct ImageUploadTimes: PlatformCheckEvaluator {
    /// The recorded images.
    public let uploads: [ImageUpload]
    private let byRepositoryDigest: [String: Date]
    private let byDigest: [String: Date]
    private let byReference: [String: Date]

    /// Records upload times. When one image is recorded twice, the later record counts; a digest-only match takes
    /// the oldest.
    public init(_ uploads: [ImageUpload]) {
        self.uploads = uploads
        var byRepositoryDigest: [String: Date] = [:]
        var byDigest: [String: Date] = [:]
        var byReference: [String: Date] = [:]
        for upload in uploads {
            byReference[upload.image] = upload.uploadTime
            if let key = Self.repositoryDigest(of: upload.image) { byRepositoryDigest[key] = upload.uploadTime }
            if let digest = Self.digest(of: upload.image) {
                byDigest[digest] = min(byDigest[digest] ?? upload.uploadTime, upload.uploadTime)
            }
        }
        self.byRepositoryDigest = byRepositoryDigest
        self.byDigest = byDigest
        self.byReference = byReference
    }

    /// `repository@sha256:…` without a tag.
    private static func repositoryDigest(of image: String) -> String? {
        guard let at = image.lastIndex(of: "@"), let digest = digest(of: image) else { return nil }
        var repository = Substring(image[..<at])
        if let slash = repository.lastIndex(of: "/"), let colon = repository.lastIndex(of: ":"), colon > slash {
            repository = repository[..<colon]
        }
        return repository + "@" + digest
    }

    public var checkType: PlatformCheckType { .imageFreshness }

    private static func digest(of image: String) -> String? {
        guard let at = image.lastIndex(of: "@") else { return nil }
        return String(image[image.index(after: at)...])
    }

    public func evaluate(_ check: Check, image: String, pod: KubernetesWorkload, at time: Date) throws
        -> PlatformCheckOutcome
    {
        guard let days = check.imageFreshnessCheck?.maxUploadAgeDays else {
            return .error("the check has no maxUploadAgeDays")
        }
        guard
            let uploaded = Self.repositoryDigest(of: image).flatMap({ byRepositoryDigest[$0] }) ?? byReference[image]
                ?? Self.digest(of: image).flatMap({ byDigest[$0] })
        else {
            return .error(
                "no upload time is known for \(image); give the image's Artifact Registry metadata "
                    + "(--image-metadata-file) or --upload-time IMAGE=TIME")
        }
        let age = time.timeIntervalSince(uploaded)
        let limit = TimeInterval(days) * 86_400
        let uploadedText = RFC3339.format(uploaded)
        if age > limit {
            return .nonConformant(
                "Image was uploaded at \(uploadedText), \(Self.days(age)) days ago, more than the maximum of \(days) days"
            )
        }
        return .conformant("Image was uploaded at \(uploadedText), within the maximum of \(days) days")
    }

    private static func days(_ interval: TimeInterval) -> String {
        let value = interval / 86_400
        return String(Int(value.rounded(.down)))
    }
}
