// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A validating admission webhook's logic, without the HTTP server: an `admission.k8s.io/v1` AdmissionReview
/// request in, the AdmissionReview response out.
///
/// ```swift
/// let handler = AdmissionReviewHandler(
///     evaluator: try PolicyEvaluator(policy: policy), evidence: verifier, cluster: "us-central1-a.prod")
/// let response = try handler.handle(requestBody, at: .now)
/// send(status: 200, body: response.jsonString())
/// ```
///
/// - `CREATE` and `UPDATE` of a Pod (including the `ephemeralcontainers` subresource) are decided with
///   ``PolicyEvaluator``; the namespace is `request.namespace` (else the pod's, else `default`), the service
///   account the pod's `spec.serviceAccountName`.
/// - Anything else — other kinds, other subresources, `DELETE`, `CONNECT` — is allowed untouched: GKE admits a
///   Deployment and denies its pods. With ``warnsAboutPodTemplates`` a create or update of a controller
///   (Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, CronJob, ReplicationController, PodTemplate, and pod
///   specs inside other kinds) is still allowed, with a warning for each pod template the policy would deny, so
///   `kubectl apply` says at once what the ReplicaSet's `FailedCreate` events would say later.
/// - A denial answers `allowed: false` with `status.code` 403, `status.reason` `VIOLATES_POLICY` (the reason
///   `kubectl` shows for GKE denials: `Error from server (VIOLATES_POLICY): admission webhook
///   "imagepolicywebhook.image-policy.k8s.io" denied the request: …`) and the GKE-style message.
/// - Break-glass and dry run answer `allowed: true` with `warnings` and `auditAnnotations` (`break-glass`,
///   `dry-run`, `overridden-verification-result`; the API server prefixes them with the webhook's name, so
///   a webhook named `imagepolicywebhook.image-policy.k8s.io` writes exactly the service's audit labels).
/// - A Pod the engine cannot read answers `allowed: false` with code 400, reason `BadRequest`.
public struct AdmissionReviewHandler: Sendable {
    /// The compiled policy.
    public let evaluator: PolicyEvaluator
    /// The attestation evidence source.
    public let evidence: any AttestationEvidence
    /// The cluster this webhook serves, as `location.clusterId`, or `nil`.
    public let cluster: String?
    /// When set, pods get the Istio identity `spiffe://TRUST_DOMAIN/ns/NS/sa/SA` for
    /// `istioServiceIdentityAdmissionRules`; when `nil`, no Istio rule applies.
    public let istioTrustDomain: String?
    /// Whether a controller's create or update is answered with warnings for the pod templates the policy would
    /// deny (never a denial: the pods are denied when they are made, as on GKE).
    public let warnsAboutPodTemplates: Bool

    /// The `status.reason` of a denial.
    public static let denialReason = "VIOLATES_POLICY"
    /// The `status.code` of a denial.
    public static let denialCode = 403

    /// Creates a handler.
    ///
    /// - Parameters:
    ///   - evaluator: The compiled policy.
    ///   - evidence: The attestation evidence source; the default satisfies no attestor.
    ///   - cluster: The cluster as `location.clusterId`, or `nil`.
    ///   - istioTrustDomain: The mesh trust domain used to derive pods' SPIFFE identities, or `nil`.
    ///   - warnsAboutPodTemplates: Whether controllers' pod templates are decided too, as warnings.
    public init(
        evaluator: PolicyEvaluator, evidence: any AttestationEvidence = NoAttestationEvidence(), cluster: String? = nil,
        istioTrustDomain: String? = nil, warnsAboutPodTemplates: Bool = false
    ) {
        self.evaluator = evaluator
        self.evidence = evidence
        self.cluster = cluster
        self.istioTrustDomain = istioTrustDomain
        self.warnsAboutPodTemplates = warnsAboutPodTemplates
    }

    /// Answers an AdmissionReview.
    ///
    /// - Parameters:
    ///   - body: The request body: an AdmissionReview JSON document with `request.uid`.
    ///   - time: The evaluation time.
    /// - Returns: The response; ``AdmissionReviewResponse/jsonString(pretty:)`` is the body to send back.
    /// - Throws: ``PolicyEvaluationError/Code/invalidAdmissionReview`` (or ``PolicyEvaluationError/Code/syntax``)
    ///   when the body is not an AdmissionReview with a request uid — answer HTTP 400;
    ///   ``PolicyEvaluationError/Code/evidenceUnavailable`` when the evidence source is broken — answer 500 and
    ///   let the webhook's `failurePolicy` decide.
    public func handle(_ body: some Collection<UInt8>, at time: Date) throws(PolicyEvaluationError)
        -> AdmissionReviewResponse
    {
        let root: TreeNode
        do {
            root = try JSONTreeParser.parse(body)
        } catch {
            throw PolicyEvaluationError(code: .syntax, message: error.message, line: error.line)
        }
        guard case .map = root.value else {
            throw PolicyEvaluationError(
                code: .invalidAdmissionReview,
                message: "expected an AdmissionReview object, found \(root.kindDescription)")
        }
        let apiVersion = root.field("apiVersion")?.stringValue ?? "admission.k8s.io/v1"
        guard apiVersion.hasPrefix("admission.k8s.io/") else {
            throw PolicyEvaluationError(
                code: .invalidAdmissionReview, message: "expected apiVersion admission.k8s.io/v1, found \(apiVersion)",
                path: "apiVersion")
        }
        if let kind = root.field("kind")?.stringValue, kind != "AdmissionReview" {
            throw PolicyEvaluationError(
                code: .invalidAdmissionReview, message: "expected kind AdmissionReview, found \(kind)", path: "kind")
        }
        guard let request = root.field("request"), case .map = request.value else {
            throw PolicyEvaluationError(
                code: .invalidAdmissionReview, message: "required field is missing", path: "request")
        }
        guard let uid = request.field("uid")?.stringValue, !uid.isEmpty else {
            throw PolicyEvaluationError(
                code: .invalidAdmissionReview, message: "required field is missing", path: "request.uid")
        }
        var response = AdmissionReviewResponse(apiVersion: apiVersion, uid: uid, allowed: true)

        let operation = request.field("operation")?.stringValue ?? ""
        guard operation == "CREATE" || operation == "UPDATE" else { return response }
        guard Self.isPod(request) else {
            if warnsAboutPodTemplates, let object = request.field("object") {
                response.warnings = try templateWarnings(
                    object, namespace: request.field("namespace")?.stringValue, at: time)
            }
            return response
        }
        if let subResource = request.field("subResource")?.stringValue, !subResource.isEmpty,
            subResource != "ephemeralcontainers"
        {
            return response
        }
        guard let object = request.field("object") else {
            return Self.badRequest(response, "request.object: required field is missing")
        }
        // The request's kind says Pod; an object serialised without its TypeMeta is read as one.
        if let objectKind = object.field("kind")?.stringValue, objectKind != "Pod" {
            return Self.badRequest(
                response, "request.object.kind is \(objectKind), but the request is for a Pod")
        }
        let workload: KubernetesWorkload
        do {
            workload = try KubernetesManifest.pod(object: object, path: "request.object")
        } catch {
            return Self.badRequest(response, error.description)
        }
        let admission = workload.request(
            cluster: cluster, namespace: request.field("namespace")?.stringValue, istioTrustDomain: istioTrustDomain)
        let decision = try evaluator.evaluate(admission, evidence: evidence, at: time)
        response.decision = decision
        response.allowed = decision.isAllowed
        if !decision.isAllowed {
            response.status = .init(code: Self.denialCode, reason: Self.denialReason, message: decision.message)
        }
        response.warnings = decision.warnings
        for (key, value) in decision.auditLabels {
            let short =
                key.hasPrefix(AuditEvent.labelPrefix) ? String(key.dropFirst(AuditEvent.labelPrefix.count)) : key
            response.auditAnnotations[short] = value
        }
        return response
    }

    /// A warning for each pod template of a controller that the policy would deny; none for an object that holds
    /// no pod template or cannot be read (the API server validates it).
    private func templateWarnings(_ object: TreeNode, namespace: String?, at time: Date) throws(PolicyEvaluationError)
        -> [String]
    {
        guard let contents = try? KubernetesManifest.contents(object: object, path: "request.object") else {
            return []
        }
        var warnings: [String] = []
        for workload in contents.workloads {
            let admission = workload.request(
                cluster: cluster, namespace: namespace, istioTrustDomain: istioTrustDomain)
            let decision = try evaluator.evaluate(admission, evidence: evidence, at: time)
            if !decision.isAllowed {
                warnings.append("pods of \(workload) would be denied: \(decision.message)")
            }
        }
        return warnings
    }

    private static func isPod(_ request: TreeNode) -> Bool {
        if let kind = request.field("kind") {
            return kind.field("kind")?.stringValue == "Pod" && (kind.field("group")?.stringValue ?? "") == ""
        }
        if let resource = request.field("resource") {
            return resource.field("resource")?.stringValue == "pods"
                && (resource.field("group")?.stringValue ?? "") == ""
        }
        return request.field("object")?.field("kind")?.stringValue == "Pod"
    }

    private static func badRequest(_ response: AdmissionReviewResponse, _ message: String) -> AdmissionReviewResponse {
        var response = response
        response.allowed = false
        response.status = .init(code: 400, reason: "BadRequest", message: message)
        return response
    }
}

/// The answer to one AdmissionReview.
public struct AdmissionReviewResponse: Hashable, Sendable {
    /// The `apiVersion` of the request, echoed back (`admission.k8s.io/v1`).
    public var apiVersion: String
    /// `response.uid`: the request's uid.
    public var uid: String
    /// `response.allowed`.
    public var allowed: Bool
    /// `response.status`, set when the request is refused.
    public var status: Status?
    /// `response.warnings`: break-glass and dry-run notices.
    public var warnings: [String]
    /// `response.auditAnnotations`, keys without the webhook prefix (`break-glass`, `dry-run`,
    /// `overridden-verification-result`).
    public var auditAnnotations: [String: String]
    /// The engine's decision, or `nil` when the request was allowed untouched (not a Pod create/update) or
    /// refused as unreadable.
    public var decision: AdmissionDecision?

    /// Creates a response.
    public init(
        apiVersion: String = "admission.k8s.io/v1", uid: String, allowed: Bool, status: Status? = nil,
        warnings: [String] = [], auditAnnotations: [String: String] = [:], decision: AdmissionDecision? = nil
    ) {
        self.apiVersion = apiVersion
        self.uid = uid
        self.allowed = allowed
        self.status = status
        self.warnings = warnings
        self.auditAnnotations = auditAnnotations
        self.decision = decision
    }

    /// `response.status` of a refusal (a `metav1.Status` with `status: Failure`).
    public struct Status: Hashable, Sendable {
        /// The HTTP-style code: 403 for a policy denial, 400 for an unreadable pod.
        public var code: Int
        /// The machine-readable reason (`VIOLATES_POLICY`, `BadRequest`).
        public var reason: String
        /// The human-readable message (the GKE-style denial text).
        public var message: String

        /// Creates a status.
        public init(code: Int, reason: String, message: String) {
            self.code = code
            self.reason = reason
            self.message = message
        }
    }

    /// The AdmissionReview response document (keys sorted).
    ///
    /// - Parameter pretty: Two-space indentation and a trailing newline when `true`; one line when `false`.
    public func jsonString(pretty: Bool = true) -> String {
        var body: [(key: String, keyLocation: SourceLocation?, value: TreeNode)] = [
            ("uid", nil, TreeNode(.string(uid))),
            ("allowed", nil, TreeNode(.bool(allowed))),
        ]
        if let status {
            body.append(
                (
                    "status", nil,
                    TreeNode(
                        .map([
                            ("metadata", nil, TreeNode(.map([]))),
                            ("status", nil, TreeNode(.string("Failure"))),
                            ("code", nil, TreeNode(.integer(String(status.code)))),
                            ("reason", nil, TreeNode(.string(status.reason))),
                            ("message", nil, TreeNode(.string(status.message))),
                        ]))
                ))
        }
        if !warnings.isEmpty {
            body.append(("warnings", nil, TreeNode(.list(warnings.map { TreeNode(.string($0)) }))))
        }
        if !auditAnnotations.isEmpty {
            body.append(
                (
                    "auditAnnotations", nil,
                    TreeNode(.map(auditAnnotations.map { ($0.key, nil, TreeNode(.string($0.value))) }))
                ))
        }
        let document = TreeNode(
            .map([
                ("apiVersion", nil, TreeNode(.string(apiVersion))),
                ("kind", nil, TreeNode(.string("AdmissionReview"))),
                ("response", nil, TreeNode(.map(body))),
            ]))
        return JSONTreeWriter.write(document, pretty: pretty)
    }
}
