// SPDX-License-Identifier: Apache-2.0

import BinAuthzAttestation
import BinAuthzModel
import BinAuthzPKIX
import BinAuthzPayload
import BinAuthzPolicy

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A few-line way to test a GKE platform policy (its check sets, scopes and allowlists) in your own test suite, with
/// real DSSE-signed attestations and upload times.
///
/// ```swift
/// import BinAuthzTesting
/// import Testing
///
/// @Test func prodNeedsSignedFreshImages() throws {
///     let ci = try TestAttestor("projects/my-proj/attestors/built-by-ci")
///     var bed = try PlatformPolicyTestBed(policyYAML: platformPolicyText(trusting: ci.authenticator))
///     let image = "us-docker.pkg.dev/my-proj/apps/web@sha256:" + String(repeating: "a", count: 64)
///     try bed.expectNonConformant(images: [image], namespace: "prod")
///     try bed.attest(image, by: ci)
///     bed.recordUpload(image, at: bed.time.addingTimeInterval(-86_400))
///     try bed.expectConformant(images: [image], namespace: "prod")
/// }
/// ```
///
/// The policy's `simpleSigningAttestationCheck` must name the attestor's key (``TestAttestor/authenticator``), a
/// `sigstoreSignatureCheck` its ``TestAttestor/sigstoreAuthority``; an `slsaCheck` trusts ``builderKeys`` (set them
/// to a ``TestCloudBuilder``'s). Every evaluation runs `PlatformPolicyEvaluator` with every evidence evaluator
/// (`SimpleSigningAttestations`, `ImageUploadTimes`, `VulnerabilityScans`, `SigstoreSignatures`, `SlsaProvenances`)
/// over what the bed recorded, at ``time`` (fixed by default). The `expect…` methods throw a
/// ``PolicyTestFailure`` that lists every image's check results with their explanations.
public struct PlatformPolicyTestBed: Sendable {
    /// The platform policy under test (already validated).
    public let policy: PlatformPolicy
    /// The attestation occurrences known to the bed.
    public var occurrences: [AttestationOccurrence] = []
    /// The upload times known to the bed.
    public var uploads: [ImageUpload] = []
    /// The cosign signatures known to the bed (``TestAttestor/cosignSignature(_:)``).
    public var signatures: [CosignSignature] = []
    /// The SLSA provenance known to the bed (``TestCloudBuilder/provenance(for:repository:ref:configPath:project:)``).
    public var provenance: [BuildProvenance] = []
    /// The keys trusted as Cloud Build's; Google's bundled keys unless a ``TestCloudBuilder``'s are set.
    public var builderKeys: CloudBuildProvenanceKeys = .bundled
    /// The vulnerability findings known to the bed.
    public var vulnerabilities: [VulnerabilityFinding] = []
    /// The images recorded as scanned (a finished discovery), with or without findings.
    public var scannedImages: [String] = []
    /// The evaluation time; by default ``PolicyTestBed/defaultTime`` (2030-01-01T00:00:00Z).
    public var time: Date

    /// Creates a bed for a policy value.
    ///
    /// - Throws: ``PolicyTestFailure`` listing every validation problem when the policy is invalid.
    public init(policy: PlatformPolicy, at time: Date = PolicyTestBed.defaultTime) throws {
        let problems = policy.validate()
        guard problems.isEmpty else {
            throw PolicyTestFailure(
                "the platform policy is invalid:\n" + problems.map { "  \($0)" }.joined(separator: "\n"))
        }
        guard policy.gkePolicy != nil else {
            throw PolicyTestFailure("the platform policy has no gkePolicy")
        }
        self.policy = policy
        self.time = time
    }

    /// Creates a bed for a policy as `gcloud beta container binauthz policy describe` prints it (YAML), or its
    /// REST JSON, read as `policy create --policy-file` reads it.
    public init(policyYAML text: String, at time: Date = PolicyTestBed.defaultTime) throws {
        let file: PlatformPolicyFile
        do {
            file = try PlatformPolicy.gcloudCreate(text: text, format: ResourceFormat.detect(text))
        } catch {
            throw PolicyTestFailure("the platform policy cannot be read: \(error)")
        }
        try self.init(policy: file.policy, at: time)
    }

    /// Signs `image` with `attestor`'s key over DSSE's PAE (as `sign-and-create --pae-encode-payload`) and records
    /// the occurrence.
    public mutating func attest(_ image: String, by attestor: TestAttestor) throws {
        occurrences.append(try attestor.attestDSSE(image))
    }

    /// Signs `image` with `attestor`'s key as cosign does and records the signature, for `sigstoreSignatureCheck`.
    public mutating func cosignSign(_ image: String, by attestor: TestAttestor) throws {
        signatures.append(try attestor.cosignSignature(image))
    }

    /// Records that `image` was scanned (a finished discovery occurrence), for `vulnerabilityCheck`; with no
    /// ``recordVulnerability(_:cve:severity:fixable:)`` for it, the scan is clean.
    public mutating func recordScan(_ image: String) {
        scannedImages.append(image)
    }

    /// Records one vulnerability of `image` (which also counts as a scan), for `vulnerabilityCheck`.
    public mutating func recordVulnerability(
        _ image: String, cve: String, severity: VulnerabilitySeverity, fixable: Bool
    ) {
        vulnerabilities.append(
            VulnerabilityFinding(
                name: "projects/test-project/occurrences/\(cve)", resourceURI: "https://" + image,
                noteName: "projects/goog-vulnz/notes/\(cve)", severity: severity, isFixable: fixable))
    }

    /// Records when `image` was uploaded, for `imageFreshnessCheck`.
    public mutating func recordUpload(_ image: String, at uploadTime: Date) {
        uploads.append(ImageUpload(image: image, uploadTime: uploadTime))
    }

    /// Evaluates a pod made of `images`.
    ///
    /// - Parameters:
    ///   - images: The pod's container images.
    ///   - namespace: The pod's namespace; `nil` (the default) is gcloud's `--image` pod, which only the unscoped
    ///     check set matches.
    ///   - serviceAccount: The pod's service account (`default` when a namespace is given without one).
    public func evaluate(images: [String], namespace: String? = nil, serviceAccount: String? = nil) throws
        -> EvaluateGkePolicyResponse
    {
        try evaluate([
            KubernetesWorkload(
                kind: "Pod", name: "test-pod", namespace: namespace, serviceAccountName: serviceAccount,
                images: images)
        ])
    }

    /// Evaluates every pod and pod template of a Kubernetes manifest (multi-document YAML, JSON, or a
    /// `kubectl get pods -A -o json` dump).
    public func evaluate(manifest: String) throws -> EvaluateGkePolicyResponse {
        try evaluate(KubernetesManifest.workloads(in: manifest))
    }

    /// What continuous validation would log for the pods of a manifest or cluster dump.
    public func audit(
        manifest: String, policyName: String = "projects/test-project/platforms/gke/policies/test-policy",
        cluster: ContinuousValidationAudit.Cluster = .init(
            projectID: "test-project", location: "us-central1-a", clusterName: "test-cluster")
    ) throws -> ContinuousValidationAudit {
        ContinuousValidationAudit(try evaluate(manifest: manifest), policyName: policyName, cluster: cluster, at: time)
    }

    /// Evaluates the pod and throws a readable ``PolicyTestFailure`` unless the verdict is `CONFORMANT`.
    @discardableResult
    public func expectConformant(images: [String], namespace: String? = nil, serviceAccount: String? = nil) throws
        -> EvaluateGkePolicyResponse
    {
        try expect(.conformant, images: images, namespace: namespace, serviceAccount: serviceAccount)
    }

    /// Evaluates the pod and throws a readable ``PolicyTestFailure`` unless the verdict is `NON_CONFORMANT` (and,
    /// when `explanationContaining` is given, some non-conformant check's explanation contains it).
    @discardableResult
    public func expectNonConformant(
        images: [String], namespace: String? = nil, serviceAccount: String? = nil,
        explanationContaining: String? = nil
    ) throws -> EvaluateGkePolicyResponse {
        let response = try expect(.nonConformant, images: images, namespace: namespace, serviceAccount: serviceAccount)
        if let explanationContaining {
            let explanations = Self.checks(response).filter { $0.verdict == .nonConformant }.compactMap(\.explanation)
            guard explanations.contains(where: { $0.contains(explanationContaining) }) else {
                throw PolicyTestFailure(
                    "expected a non-conformant check explained with \"\(explanationContaining)\"\n"
                        + Self.report(response))
            }
        }
        return response
    }

    /// Evaluates the pod and throws a readable ``PolicyTestFailure`` unless the verdict is `verdict`.
    @discardableResult
    public func expect(
        _ verdict: PlatformVerdict, images: [String], namespace: String? = nil, serviceAccount: String? = nil
    ) throws -> EvaluateGkePolicyResponse {
        let response = try evaluate(images: images, namespace: namespace, serviceAccount: serviceAccount)
        guard response.verdict == verdict else {
            throw PolicyTestFailure(
                "expected the pod to be \(verdict), but it is \(response.verdict)\n" + Self.report(response))
        }
        return response
    }

    private func evaluate(_ pods: [KubernetesWorkload]) throws -> EvaluateGkePolicyResponse {
        let attestations = SimpleSigningAttestations(occurrences: occurrences)
        defer { attestations.close() }
        let scans = VulnerabilityScans(
            findings: vulnerabilities,
            scans: scannedImages.map {
                VulnerabilityScanStatus(
                    name: "projects/test-project/occurrences/discovery", resourceURI: "https://" + $0,
                    analysisStatus: "FINISHED_SUCCESS")
            })
        let evaluator = try PlatformPolicyEvaluator(
            policy: policy,
            checkEvaluators: [
                ImageUploadTimes(uploads), attestations, scans, SigstoreSignatures(signatures),
                SlsaProvenances(provenance, builderKeys: builderKeys),
            ])
        return evaluator.evaluate(pods, at: time)
    }

    private static func checks(_ response: EvaluateGkePolicyResponse) -> [EvaluateGkePolicyResponse.CheckResult] {
        response.results.flatMap { $0.imageResults.flatMap { $0.checkSetResult?.checkResults ?? [] } }
    }

    /// Every pod, image and check result, one line each.
    static func report(_ response: EvaluateGkePolicyResponse) -> String {
        var lines: [String] = []
        for pod in response.results {
            lines.append(
                "pod \(pod.podName ?? "") (namespace \(pod.kubernetesNamespace ?? "none"), service account "
                    + "\(pod.kubernetesServiceAccount ?? "none")): \(pod.verdict)")
            for image in pod.imageResults {
                var line = "  \(image.imageURI): \(image.verdict)"
                if let pattern = image.allowlistMatchedPattern { line += " (allowlisted by \(pattern))" }
                if let set = image.checkSetResult {
                    line += ", check set \(set.index)" + (set.displayName.map { " \"\($0)\"" } ?? "")
                    if let pattern = set.allowlistMatchedPattern { line += " (allowlisted by \(pattern))" }
                }
                if let explanation = image.explanation { line += ": \(explanation)" }
                lines.append(line)
                for check in image.checkSetResult?.checkResults ?? [] {
                    var checkLine = "    [\(check.index)] \(check.type.name)"
                    if let name = check.displayName { checkLine += " \"\(name)\"" }
                    if let verdict = check.verdict { checkLine += ": \(verdict)" }
                    if let pattern = check.allowlistMatchedPattern { checkLine += " (allowlisted by \(pattern))" }
                    if let explanation = check.explanation { checkLine += " — \(explanation)" }
                    lines.append(checkLine)
                }
            }
        }
        return lines.joined(separator: "\n")
    }
}
