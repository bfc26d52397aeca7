// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel

/// What the engine decides on: the images of one pod, where the pod is being deployed, and the pod's labels
/// and annotations.
///
/// ```swift
/// let request = AdmissionRequest(
///     images: ["gcr.io/my-proj/app@sha256:9f86…"],
///     target: DeploymentTarget(cluster: "us-central1-a.prod-cluster", namespace: "shop"))
/// ```
///
/// ``KubernetesManifest`` and ``AdmissionReviewHandler`` build requests from Kubernetes objects.
public struct AdmissionRequest: Hashable, Sendable {
    /// The images as written in the pod spec, in pod order: containers, then init containers, then ephemeral
    /// containers. Repeated images are decided once.
    public var images: [String]
    /// Where the pod is being deployed; selects the admission rule.
    public var target: DeploymentTarget
    /// The pod's labels (for a controller, its pod template's labels, not the controller's own).
    public var labels: [String: String]
    /// The pod's annotations (for a controller, its pod template's annotations).
    public var annotations: [String: String]

    /// Creates a request.
    ///
    /// - Parameters:
    ///   - images: The images, in pod order.
    ///   - target: The deployment target (cluster, namespace, service account, Istio identity).
    ///   - labels: The pod's labels; `image-policy.k8s.io/break-glass: "true"` requests break-glass.
    ///   - annotations: The pod's annotations; `alpha.image-policy.k8s.io/break-glass` requests break-glass.
    public init(
        images: [String], target: DeploymentTarget = DeploymentTarget(), labels: [String: String] = [:],
        annotations: [String: String] = [:]
    ) {
        self.images = images
        self.target = target
        self.labels = labels
        self.annotations = annotations
    }

    /// The pod label that requests break-glass when its value is exactly `"true"`.
    public static let breakGlassLabel = "image-policy.k8s.io/break-glass"
    /// The legacy pod annotation that requests break-glass when its value is exactly `"true"`.
    public static let legacyBreakGlassAnnotation = "alpha.image-policy.k8s.io/break-glass"

    /// Whether the pod requests break-glass: label ``breakGlassLabel`` or annotation ``legacyBreakGlassAnnotation``
    /// with the value `"true"` (case-sensitive). Any other value — `"false"` included — does not: break-glass
    /// bypasses the policy, so it fails closed **[UNCONFIRMED]** for values other than `"true"`.
    public var requestsBreakGlass: Bool {
        // Keys and values compared byte for byte: a canonically equivalent spelling of the label is another label.
        labels.contains { $0.key.isIdentical(to: Self.breakGlassLabel) && $0.value.isIdentical(to: "true") }
            || annotations.contains {
                $0.key.isIdentical(to: Self.legacyBreakGlassAnnotation) && $0.value.isIdentical(to: "true")
            }
    }
}

/// Where a pod is being deployed: the attributes the policy's specific rules are keyed by.
public struct DeploymentTarget: Hashable, Sendable, CustomStringConvertible {
    /// The GKE cluster as `location.clusterId` (`us-central1-a.prod-cluster`), or `nil` when unknown — then no
    /// `clusterAdmissionRules` entry applies.
    public var cluster: String?
    /// The Kubernetes namespace. Defaults to `default`.
    public var namespace: String
    /// The pod's Kubernetes service account (`spec.serviceAccountName`). Defaults to `default`.
    public var serviceAccount: String
    /// The Istio / Cloud Service Mesh identity (`spiffe://DOMAIN/ns/NS/sa/SA`, with or without the scheme), or
    /// `nil` when the pod has none — then no `istioServiceIdentityAdmissionRules` entry applies.
    public var istioIdentity: String?

    /// Creates a target.
    ///
    /// - Parameters:
    ///   - cluster: `location.clusterId`, or `nil`.
    ///   - namespace: The namespace; `default` when not given.
    ///   - serviceAccount: The service account name; `default` when not given.
    ///   - istioIdentity: The SPIFFE identity, or `nil`.
    public init(
        cluster: String? = nil, namespace: String = "default", serviceAccount: String = "default",
        istioIdentity: String? = nil
    ) {
        self.cluster = cluster
        self.namespace = namespace
        self.serviceAccount = serviceAccount
        self.istioIdentity = istioIdentity
    }

    /// The key of `kubernetesServiceAccountAdmissionRules` for this target: `namespace:serviceaccount`.
    public var serviceAccountKey: String { "\(namespace):\(serviceAccount)" }

    /// The SPIFFE identity Istio gives this target's pods in the given trust domain:
    /// `spiffe://TRUST_DOMAIN/ns/NAMESPACE/sa/SERVICE_ACCOUNT`.
    ///
    /// - Parameter trustDomain: The mesh trust domain (Istio's default is `cluster.local`; Cloud Service Mesh
    ///   uses `PROJECT_ID.svc.id.goog`).
    public func spiffeIdentity(trustDomain: String) -> String {
        "spiffe://\(trustDomain)/ns/\(namespace)/sa/\(serviceAccount)"
    }

    public var description: String {
        var parts = ["namespace \(namespace)", "service account \(serviceAccount)"]
        if let cluster { parts.insert("cluster \(cluster)", at: 0) }
        if let istioIdentity { parts.append("identity \(istioIdentity)") }
        return parts.joined(separator: ", ")
    }
}
