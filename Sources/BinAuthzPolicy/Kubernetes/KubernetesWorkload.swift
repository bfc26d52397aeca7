// SPDX-License-Identifier: Apache-2.0

/// A Kubernetes object that runs containers, reduced to what Binary Authorization looks at: the images of its
/// pod (template), the pod's labels and annotations, its namespace and service account.
///
/// ``KubernetesManifest/workloads(in:format:)`` reads these from manifests;
/// ``request(cluster:namespace:serviceAccount:istioIdentity:)`` turns one into an ``AdmissionRequest``:
///
/// ```swift
/// for workload in try KubernetesManifest.workloads(in: yaml) {
///     let request = workload.request(cluster: "us-central1-a.prod")
///     let decision = try evaluator.evaluate(request, evidence: verifier, at: now)
/// }
/// ```
public struct KubernetesWorkload: Hashable, Sendable, CustomStringConvertible {
    /// The object's `kind` (`Pod`, `Deployment`, `CronJob`, …).
    public var kind: String
    /// The object's `metadata.name` (or `metadata.generateName`), if any.
    public var name: String?
    /// The object's `metadata.namespace` as written, or `nil` (then `default` applies).
    public var namespace: String?
    /// The pod's `spec.serviceAccountName` (or the legacy `spec.serviceAccount`) as written, or `nil` (then
    /// `default` applies).
    public var serviceAccountName: String?
    /// The images in pod order: `containers`, then `initContainers`, then `ephemeralContainers`.
    public var images: [String]
    /// The containers in the same order, with their names and kinds (what continuous-validation logs report);
    /// empty for a workload made with ``init(kind:name:namespace:serviceAccountName:images:labels:annotations:document:line:path:)``,
    /// whose images then count as plain containers.
    public var containers: [KubernetesContainer] = []
    /// The pod's labels — for a controller, its pod template's labels, not the controller's own.
    public var labels: [String: String]
    /// The pod's annotations — for a controller, its pod template's annotations.
    public var annotations: [String: String]
    /// The 1-based index of the (non-empty) document the object came from.
    public var document: Int
    /// The 1-based line where the object starts, when known.
    public var line: Int?
    /// Where the object sits inside its document: empty for a top-level object, `items[2]` (or
    /// `items[0].items[1]`) for an item of a `List`.
    public var path: String

    /// Creates a workload.
    public init(
        kind: String, name: String? = nil, namespace: String? = nil, serviceAccountName: String? = nil,
        images: [String], labels: [String: String] = [:], annotations: [String: String] = [:], document: Int = 1,
        line: Int? = nil, path: String = ""
    ) {
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.serviceAccountName = serviceAccountName
        self.images = images
        self.labels = labels
        self.annotations = annotations
        self.document = document
        self.line = line
        self.path = path
    }

    /// The namespace the pod runs in: ``namespace``, or `default` when it is absent or empty.
    public var effectiveNamespace: String {
        // An empty namespace is the default one, as the API server treats it.
        guard let namespace, !namespace.isEmpty else { return "default" }
        return namespace
    }
    /// The service account the pod runs as: ``serviceAccountName`` or `default`.
    public var effectiveServiceAccount: String { serviceAccountName ?? "default" }

    /// The admission request for this workload's pod.
    ///
    /// - Parameters:
    ///   - cluster: The cluster as `location.clusterId`, or `nil`.
    ///   - namespace: Overrides the manifest's namespace.
    ///   - serviceAccount: Overrides the manifest's service account.
    ///   - istioIdentity: The pod's SPIFFE identity, if it has one.
    /// - Returns: A request with the images in pod order and the pod (template)'s labels and annotations.
    public func request(
        cluster: String? = nil, namespace: String? = nil, serviceAccount: String? = nil, istioIdentity: String? = nil
    ) -> AdmissionRequest {
        AdmissionRequest(
            images: images,
            target: DeploymentTarget(
                cluster: cluster, namespace: namespace ?? effectiveNamespace,
                serviceAccount: serviceAccount ?? effectiveServiceAccount, istioIdentity: istioIdentity),
            labels: labels, annotations: annotations)
    }

    /// The admission request for this workload's pod in an Istio mesh: as
    /// ``request(cluster:namespace:serviceAccount:istioIdentity:)``, with the identity Istio gives the pod,
    /// `spiffe://TRUST_DOMAIN/ns/NAMESPACE/sa/SERVICE_ACCOUNT`, derived from the final namespace and service account.
    ///
    /// - Parameter istioTrustDomain: The mesh trust domain (`cluster.local`, or `PROJECT_ID.svc.id.goog`), or `nil`
    ///   for a pod outside any mesh.
    public func request(
        cluster: String? = nil, namespace: String? = nil, serviceAccount: String? = nil, istioTrustDomain: String?
    ) -> AdmissionRequest {
        var request = self.request(cluster: cluster, namespace: namespace, serviceAccount: serviceAccount)
        request.target.istioIdentity = istioTrustDomain.map(request.target.spiffeIdentity(trustDomain:))
        return request
    }

    /// `Kind/name` (`Deployment/web`), or just the kind for an unnamed object.
    public var description: String { name.map { "\(kind)/\($0)" } ?? kind }

    /// ``containers``, or one plain container per image when they are not known.
    public var podContainers: [KubernetesContainer] {
        containers.count == images.count
            ? containers : images.map { KubernetesContainer(name: nil, image: $0, type: .container) }
    }
}

/// One container of a pod.
public struct KubernetesContainer: Hashable, Sendable {
    /// Which list of the pod spec the container is in.
    public enum ContainerType: String, Hashable, Sendable {
        /// `spec.containers` (`CONTAINER` in continuous-validation logs).
        case container = "CONTAINER"
        /// `spec.initContainers` (`INIT_CONTAINER`).
        case initContainer = "INIT_CONTAINER"
        /// `spec.ephemeralContainers` (`EPHEMERAL_CONTAINER`).
        case ephemeralContainer = "EPHEMERAL_CONTAINER"
    }

    /// The container's `name`, if written.
    public var name: String?
    /// The image as written.
    public var image: String
    /// The list it is in.
    public var type: ContainerType

    /// Creates a container.
    public init(name: String?, image: String, type: ContainerType) {
        self.name = name
        self.image = image
        self.type = type
    }
}
