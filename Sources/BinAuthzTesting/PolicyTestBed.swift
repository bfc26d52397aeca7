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

/// A few-line way to test a Binary Authorization policy in your own test suite, with real attestations.
///
/// ```swift
/// import BinAuthzTesting
/// import Testing
///
/// @Test func prodRequiresCI() throws {
///     let ci = try TestAttestor("projects/my-proj/attestors/built-by-ci")
///     var bed = try PolicyTestBed(policyYAML: policyText, attestors: [ci])
///     let image = "gcr.io/my-proj/app@sha256:" + String(repeating: "a", count: 64)
///     try bed.expectDenied(images: [image], cluster: "us-central1-a.prod")
///     try bed.attest(image, by: ci)
///     try bed.expectAdmitted(images: [image], cluster: "us-central1-a.prod")
/// }
/// ```
///
/// Every evaluation runs the real engine and the real verifier at ``time`` (a fixed instant by default, so tests
/// are deterministic). The `expect…` methods throw a ``PolicyTestFailure`` whose text explains the decision
/// image by image, which XCTest and Swift Testing both show.
public struct PolicyTestBed: Sendable {
    /// The policy under test (already validated).
    public var policy: Policy { evaluator.policy }
    /// The attestors known to the bed.
    public var attestors: [Attestor]
    /// The attestation occurrences known to the bed.
    public var occurrences: [AttestationOccurrence]
    /// The evaluation time; by default 2030-01-01T00:00:00Z.
    public var time: Date
    /// Engine options (the system-image list).
    public var options: EvaluationOptions { evaluator.options }

    /// The compiled policy, built once.
    private let evaluator: PolicyEvaluator

    /// The default evaluation time, fixed so that tests do not depend on the clock.
    public static let defaultTime = Date(timeIntervalSince1970: 1_893_456_000)  // 2030-01-01T00:00:00Z

    /// Creates a bed for a policy value.
    ///
    /// - Throws: ``PolicyTestFailure`` listing every validation problem when the policy is invalid.
    public init(
        policy: Policy, attestors: [TestAttestor] = [], at time: Date = PolicyTestBed.defaultTime,
        options: EvaluationOptions = EvaluationOptions()
    ) throws {
        let compiled: PolicyEvaluator
        do {
            compiled = try PolicyEvaluator(policy: policy, options: options)
        } catch {
            let problems = error.issues.isEmpty ? [error.description] : error.issues.map(\.description)
            throw PolicyTestFailure("the policy is invalid:\n" + problems.map { "  \($0)" }.joined(separator: "\n"))
        }
        evaluator = compiled
        self.attestors = attestors.map(\.attestor)
        self.occurrences = []
        self.time = time
    }

    /// Creates a bed for a policy as `gcloud container binauthz policy export` prints it (YAML, or JSON).
    public init(
        policyYAML text: String, attestors: [TestAttestor] = [], at time: Date = PolicyTestBed.defaultTime,
        options: EvaluationOptions = EvaluationOptions()
    ) throws {
        try self.init(policy: try Policy(text: text), attestors: attestors, at: time, options: options)
    }

    /// Signs `image` with `attestor`'s key and records the occurrence.
    public mutating func attest(_ image: String, by attestor: TestAttestor) throws {
        if !attestors.contains(where: { $0.name == attestor.attestor.name }) { attestors.append(attestor.attestor) }
        occurrences.append(try attestor.attest(image))
    }

    /// Decides a pod made of `images`.
    ///
    /// - Parameters:
    ///   - images: The pod's images, as written in its spec.
    ///   - cluster: `location.clusterId`, or `nil` for no cluster rule.
    ///   - namespace: The pod's namespace.
    ///   - serviceAccount: The pod's service account.
    ///   - labels: Pod labels (e.g. `image-policy.k8s.io/break-glass: "true"`).
    ///   - annotations: Pod annotations.
    public func evaluate(
        images: [String], cluster: String? = nil, namespace: String = "default", serviceAccount: String = "default",
        labels: [String: String] = [:], annotations: [String: String] = [:]
    ) throws -> AdmissionDecision {
        let request = AdmissionRequest(
            images: images,
            target: DeploymentTarget(cluster: cluster, namespace: namespace, serviceAccount: serviceAccount),
            labels: labels, annotations: annotations)
        let verifier = try AttestorVerifier(
            attestors: attestors, occurrences: occurrences, keyKinds: [PKIXAttestationKeys()])
        defer { verifier.close() }
        return try evaluator.evaluate(request, evidence: verifier, at: time)
    }

    /// Decides every workload of a Kubernetes manifest (multi-document YAML or JSON).
    ///
    /// - Returns: One decision per workload, in document order.
    public func evaluate(manifest: String, cluster: String? = nil) throws -> [AdmissionDecision] {
        let workloads = try KubernetesManifest.workloads(in: manifest)
        // One verifier for the whole manifest: a Deployment and its Pod share their signature checks.
        let verifier = try AttestorVerifier(
            attestors: attestors, occurrences: occurrences, keyKinds: [PKIXAttestationKeys()])
        defer { verifier.close() }
        return try workloads.map { try evaluator.evaluate($0.request(cluster: cluster), evidence: verifier, at: time) }
    }

    /// Decides the pod and throws a readable ``PolicyTestFailure`` unless it is admitted.
    @discardableResult
    public func expectAdmitted(
        images: [String], cluster: String? = nil, namespace: String = "default", serviceAccount: String = "default",
        labels: [String: String] = [:], annotations: [String: String] = [:]
    ) throws -> AdmissionDecision {
        let decision = try evaluate(
            images: images, cluster: cluster, namespace: namespace, serviceAccount: serviceAccount, labels: labels,
            annotations: annotations)
        guard decision.isAllowed else { throw PolicyTestFailure(expected: "admitted", decision) }
        return decision
    }

    /// Decides the pod and throws a readable ``PolicyTestFailure`` unless it is denied (and, when `message` is
    /// given, denied with exactly that GKE message).
    @discardableResult
    public func expectDenied(
        images: [String], cluster: String? = nil, namespace: String = "default", serviceAccount: String = "default",
        labels: [String: String] = [:], annotations: [String: String] = [:], message: String? = nil
    ) throws -> AdmissionDecision {
        let decision = try evaluate(
            images: images, cluster: cluster, namespace: namespace, serviceAccount: serviceAccount, labels: labels,
            annotations: annotations)
        guard !decision.isAllowed else { throw PolicyTestFailure(expected: "denied", decision) }
        if let message, decision.message != message {
            throw PolicyTestFailure(expected: "denied with message:\n  \(message)", decision)
        }
        return decision
    }

}

/// A policy test expectation that did not hold, with the decision explained image by image.
public struct PolicyTestFailure: Error, CustomStringConvertible, Sendable {
    /// The explanation.
    public let description: String

    init(_ description: String) { self.description = description }

    init(expected: String, _ decision: AdmissionDecision) {
        let target = decision.request.target
        description = """
            expected the pod to be \(expected)
            pod: cluster \(target.cluster ?? "(none)"), namespace \(target.namespace), service account \(target.serviceAccount)
            decision: \(decision.report)
            """
    }
}
