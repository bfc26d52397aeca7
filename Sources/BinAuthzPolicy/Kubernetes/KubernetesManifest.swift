// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel

/// Reads Kubernetes manifests — what `kubectl apply -f` takes — into ``KubernetesWorkload`` values.
///
/// Supported kinds and where their pod is:
///
/// | kind | pod template |
/// |---|---|
/// | `Pod` | the object itself |
/// | `Deployment`, `ReplicaSet`, `StatefulSet`, `DaemonSet`, `Job`, `ReplicationController` | `spec.template` |
/// | `CronJob` | `spec.jobTemplate.spec.template` |
/// | `PodTemplate` | `template` |
/// | `List` (and any `…List` with `items`) | each item, recursively |
///
/// The input is multi-document YAML (`---` separated) or JSON. Fields this reader does not need are ignored, as
/// real manifests carry many; `apiVersion` is not checked, so older group versions (`extensions/v1beta1`,
/// `batch/v1beta1`) read the same. The fields it does read must have the types Kubernetes requires: a label
/// value that YAML reads as a boolean or number is an error, as it is for `kubectl`.
///
/// Errors name the document, the line and the field, e.g.
/// `document 2 (line 14): spec.template.spec.containers[0].image: required field is missing`.
public enum KubernetesManifest {
    /// Reads every workload of a manifest, in document order (`List` items in order, in place of the list).
    /// Objects that do not run containers (Services, ConfigMaps, custom resources, …) are skipped; see
    /// ``contents(of:format:limits:)`` to learn which.
    ///
    /// - Parameters:
    ///   - text: The manifest: multi-document YAML or JSON.
    ///   - format: The format, or `nil` to detect it as kubectl does: JSON when the text starts with `{` or `[`
    ///     (so flow-style YAML such as `{kind: Pod}` is refused, as `kubectl apply` refuses it), YAML otherwise.
    /// - Returns: The workloads. Empty documents are skipped.
    /// - Throws: ``PolicyEvaluationError`` with code ``PolicyEvaluationError/Code/syntax`` for text that is not
    ///   YAML or JSON, ``PolicyEvaluationError/Code/missingField`` or ``PolicyEvaluationError/Code/typeMismatch``
    ///   for a malformed object.
    public static func workloads(in text: String, format: ResourceFormat? = nil) throws(PolicyEvaluationError)
        -> [KubernetesWorkload]
    {
        try contents(of: text, format: format).workloads
    }

    /// An object of a manifest that does not run containers, and so was not decided.
    public struct SkippedObject: Hashable, Sendable, CustomStringConvertible {
        /// Its `kind`.
        public var kind: String
        /// Its `metadata.name`, if any.
        public var name: String?
        /// The 1-based document of the manifest it is in.
        public var document: Int
        /// The field path within the document (e.g. `items[2]` inside a `List`), empty at the top.
        public var path: String

        public var description: String { name.map { "\(kind)/\($0)" } ?? kind }
    }

    /// What a manifest holds: the workloads to decide, the objects skipped because they run no containers, and
    /// what the reader noticed that a user should know (a key kubectl resolves silently, an image reference in an
    /// object this reader does not decide).
    public struct Contents: Hashable, Sendable {
        /// The workloads, in document order (`List` items in order, in place of the list).
        public var workloads: [KubernetesWorkload]
        /// The objects that were not decided.
        public var skipped: [SkippedObject]
        /// One sentence each, naming the document and line.
        public var warnings: [String]
    }

    /// The workloads of a manifest, and the objects that were skipped because they do not run containers.
    ///
    /// The text is read as kubectl reads it (`sigs.k8s.io/yaml` over go-yaml v2): YAML merge keys (`<<`) apply,
    /// and of a repeated key the last value counts (with a warning), so the images decided are the images the
    /// cluster would run. Objects of kinds this reader does not know are searched for pod specs (a mapping with a
    /// `containers` list, as in `spec.template.spec` of an Argo Rollout or a Knative Service), which are decided
    /// like a Deployment's; any other `image` field in a skipped object is reported as a warning, never ignored in
    /// silence.
    ///
    /// - Parameter limits: Bounds on the text (`InputLimits`), including
    ///   `InputLimits.maximumManifestObjects`.
    /// - Throws: As ``workloads(in:format:)``, and ``PolicyEvaluationError/Code/syntax`` when a limit is crossed.
    public static func contents(
        of text: String, format: ResourceFormat? = nil, limits: InputLimits = .default
    ) throws(PolicyEvaluationError) -> Contents {
        let read: ReadDocuments
        do {
            // kubectl reads text that opens with `{` or `[` as JSON, and only as JSON (flow-style YAML such as
            // `{kind: Pod}` is an error there), so the format is fixed before parsing: no YAML fallback.
            read = try ResourceFormat.read(
                text, format: format ?? ResourceFormat.detect(text), dialect: .kubectl, limits: limits)
        } catch {
            throw PolicyEvaluationError(code: .syntax, message: error.message, line: error.line)
        }
        var contents = Contents(workloads: [], skipped: [], warnings: read.warnings.map { "\($0)" })
        var objects = 0
        var index = 0
        for document in read.documents {
            if case .null = document.value { continue }
            index += 1
            let reader = ObjectReader(document: index, limits: limits)
            try reader.collect(document, into: &contents, objects: &objects)
        }
        return contents
    }

    /// Reads an AdmissionReview's `request.object` as the Pod the request says it is (its own `kind`, often absent
    /// there, is not consulted).
    static func pod(object: TreeNode, path: String) throws(PolicyEvaluationError) -> KubernetesWorkload {
        try ObjectReader(document: nil, limits: .default).readPod(object, path: path)
    }

    /// Reads an AdmissionReview's `request.object` of any kind as `policy evaluate --resource` reads a manifest:
    /// a controller's pod template, a CronJob's job template, pod specs inside unknown kinds.
    static func contents(object: TreeNode, path: String) throws(PolicyEvaluationError) -> Contents {
        var contents = Contents(workloads: [], skipped: [], warnings: [])
        var objects = 0
        try ObjectReader(document: nil, limits: .default).collect(object, into: &contents, objects: &objects)
        return contents
    }
}

/// Walks one document, with the document index for error messages.
private struct ObjectReader {
    let document: Int?
    let limits: InputLimits

    private static let templateKinds: Set<String> = [
        "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "ReplicationController",
    ]

    func fail(_ code: PolicyEvaluationError.Code, _ message: String, path: String, at node: TreeNode?)
        -> PolicyEvaluationError
    {
        PolicyEvaluationError(code: code, message: message, path: path, document: document, line: node?.location?.line)
    }

    /// Collects every workload of a document; `List` items are walked with an explicit work list, so nested lists
    /// cost no stack.
    func collect(
        _ root: TreeNode, into contents: inout KubernetesManifest.Contents, objects: inout Int
    ) throws(PolicyEvaluationError) {
        var pending: [(object: TreeNode, path: String)] = [(root, "")]
        while !pending.isEmpty {
            let (object, path) = pending.removeFirst()
            objects += 1
            guard objects <= limits.maximumManifestObjects else {
                throw fail(
                    .syntax,
                    "the manifest holds more than \(limits.maximumManifestObjects) objects "
                        + "(InputLimits.maximumManifestObjects)", path: path, at: object)
            }
            let items = try collectOne(object, path: path, into: &contents)
            pending.insert(contentsOf: items, at: 0)
        }
    }

    /// Reads one object; returns the items of a `List`, to be read in its place.
    private func collectOne(
        _ object: TreeNode, path: String, into contents: inout KubernetesManifest.Contents
    ) throws(PolicyEvaluationError) -> [(object: TreeNode, path: String)] {
        guard case .map = object.value else {
            throw fail(
                .typeMismatch,
                "expected a Kubernetes object (a mapping with apiVersion and kind), found "
                    + object.kindDescription, path: path, at: object)
        }
        guard let kindNode = object.field("kind") else {
            throw fail(.missingField, "kind: required field is missing", path: path, at: object)
        }
        let kind = try string(kindNode, path: FieldPath.join(path, "kind"))
        let (metadata, name, namespace) = try objectMetadata(object, path: path)

        let template: TreeNode?
        let templatePath: String
        switch kind {
        case "Pod":
            try collectPod(
                kind: kind, name: name, namespace: namespace, podMetadata: metadata,
                podMetadataPath: FieldPath.join(path, "metadata"),
                spec: object.field("spec"), specPath: FieldPath.join(path, "spec"), object: object, path: path,
                into: &contents.workloads)
            return []
        case _ where Self.templateKinds.contains(kind):
            let spec = try requiredMapping(object, "spec", path: path)
            templatePath = FieldPath.join(path, "spec.template")
            template = try requiredMapping(spec, "template", path: FieldPath.join(path, "spec"))
        case "CronJob":
            let spec = try requiredMapping(object, "spec", path: path)
            let jobTemplate = try requiredMapping(spec, "jobTemplate", path: FieldPath.join(path, "spec"))
            let jobSpec = try requiredMapping(jobTemplate, "spec", path: FieldPath.join(path, "spec.jobTemplate"))
            templatePath = FieldPath.join(path, "spec.jobTemplate.spec.template")
            template = try requiredMapping(jobSpec, "template", path: FieldPath.join(path, "spec.jobTemplate.spec"))
        case "PodTemplate":
            templatePath = FieldPath.join(path, "template")
            template = try requiredMapping(object, "template", path: path)
        case _ where kind == "List" || (kind.hasSuffix("List") && object.field("items") != nil):
            guard let items = object.field("items") else { return [] }
            guard case .list(let elements) = items.value else {
                throw fail(
                    .typeMismatch, "expected a list, found \(items.kindDescription)",
                    path: FieldPath.join(path, "items"),
                    at: items)
            }
            return elements.enumerated().map { ($1, FieldPath.join(path, "items[\($0)]")) }
        default:
            try collectUnknown(
                kind: kind, name: name, namespace: namespace, object: object, path: path, into: &contents)
            return []
        }
        let podMetadata = try mapping(template?.field("metadata"), path: FieldPath.join(templatePath, "metadata"))
        try collectPod(
            kind: kind, name: name, namespace: namespace, podMetadata: podMetadata,
            podMetadataPath: FieldPath.join(templatePath, "metadata"), spec: template?.field("spec"),
            specPath: FieldPath.join(templatePath, "spec"), object: object, path: path, into: &contents.workloads)
        return []
    }

    /// An object of a kind this reader does not know: every pod spec inside it (a mapping with a `containers` list
    /// of mappings) is decided like a controller's pod template, with the metadata beside it; any other `image`
    /// field is reported. Objects with neither are skipped.
    private func collectUnknown(
        kind: String, name: String?, namespace: String?, object: TreeNode, path: String,
        into contents: inout KubernetesManifest.Contents
    ) throws(PolicyEvaluationError) {
        var found = false
        var loose: [String] = []
        // (node, its path, the mapping that holds it under `spec`, that mapping's path)
        var pending: [(node: TreeNode, path: String, parent: TreeNode?, parentPath: String)] = [(object, path, nil, "")]
        while let (node, nodePath, parent, parentPath) = pending.popLast() {
            switch node.value {
            case .map(let entries):
                if let containers = node.field("containers"), case .list(let items) = containers.value,
                    items.contains(where: { if case .map = $0.value { true } else { false } })
                {
                    found = true
                    let metadataNode = parent?.field("metadata")
                    let podMetadata = try mapping(metadataNode, path: FieldPath.join(parentPath, "metadata"))
                    try collectPod(
                        kind: kind, name: name, namespace: namespace, podMetadata: podMetadata,
                        podMetadataPath: FieldPath.join(parentPath, "metadata"), spec: node, specPath: nodePath,
                        object: object, path: path, into: &contents.workloads)
                    continue
                }
                for entry in entries.reversed() {
                    let childPath =
                        entry.key.isEmpty || entry.key.contains(where: { !$0.isLetter && !$0.isNumber })
                        ? "\(nodePath)[\"\(entry.key)\"]" : FieldPath.join(nodePath, entry.key)
                    if entry.key == "image", case .string(let image) = entry.value.value {
                        loose.append("\(childPath) (\(Self.printable(image)))")
                    }
                    pending.append((entry.value, childPath, entry.key == "spec" ? node : nil, nodePath))
                }
            case .list(let items):
                for (index, item) in items.enumerated().reversed() {
                    pending.append((item, "\(nodePath)[\(index)]", nil, ""))
                }
            default:
                continue
            }
        }
        if !found {
            contents.skipped.append(.init(kind: kind, name: name, document: document ?? 1, path: path))
        }
        if !loose.isEmpty {
            let what = name.map { "\(kind)/\($0)" } ?? kind
            let place = document.map { "document \($0)" + (object.location.map { " (line \($0.line))" } ?? "") } ?? ""
            contents.warnings.append(
                "\(place): \(what) refers to images that are not decided (binauthz decides pods and pod templates; "
                    + "this kind runs them some other way): " + loose.joined(separator: ", "))
        }
    }

    /// Control characters and terminal escapes shown as `\u{…}`, so a hostile name cannot rewrite the terminal.
    static func printable(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                result += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Reads `object` as a Pod, whatever its `kind` field says.
    func readPod(_ object: TreeNode, path: String) throws(PolicyEvaluationError) -> KubernetesWorkload {
        guard case .map = object.value else {
            throw fail(
                .typeMismatch, "expected a Pod (a mapping), found \(object.kindDescription)", path: path, at: object)
        }
        let (metadata, name, namespace) = try objectMetadata(object, path: path)
        var result: [KubernetesWorkload] = []
        try collectPod(
            kind: "Pod", name: name, namespace: namespace, podMetadata: metadata,
            podMetadataPath: FieldPath.join(path, "metadata"), spec: object.field("spec"),
            specPath: FieldPath.join(path, "spec"), object: object, path: path, into: &result)
        return result[0]
    }

    /// The object's `metadata`, its name (`name`, else `generateName`) and namespace.
    private func objectMetadata(_ object: TreeNode, path: String) throws(PolicyEvaluationError)
        -> (metadata: TreeNode?, name: String?, namespace: String?)
    {
        let metadata = try mapping(object.field("metadata"), path: FieldPath.join(path, "metadata"))
        var name = try optionalString(metadata?.field("name"), path: FieldPath.join(path, "metadata.name"))
        if name == nil {
            name = try optionalString(
                metadata?.field("generateName"), path: FieldPath.join(path, "metadata.generateName"))
        }
        let namespace = try optionalString(
            metadata?.field("namespace"), path: FieldPath.join(path, "metadata.namespace"))
        return (metadata, name, namespace)
    }

    private func collectPod(
        kind: String, name: String?, namespace: String?, podMetadata: TreeNode?, podMetadataPath: String,
        spec: TreeNode?, specPath: String, object: TreeNode, path: String, into result: inout [KubernetesWorkload]
    ) throws(PolicyEvaluationError) {
        guard let spec else {
            throw fail(.missingField, "required field is missing", path: specPath, at: object)
        }
        guard case .map = spec.value else {
            throw fail(.typeMismatch, "expected a mapping, found \(spec.kindDescription)", path: specPath, at: spec)
        }
        var images: [String] = []
        var podContainers: [KubernetesContainer] = []
        for (field, type) in [
            ("containers", KubernetesContainer.ContainerType.container), ("initContainers", .initContainer),
            ("ephemeralContainers", .ephemeralContainer),
        ] {
            let listPath = FieldPath.join(specPath, field)
            guard let list = spec.field(field) else {
                if field == "containers" {
                    throw fail(
                        .missingField, "required field is missing (a pod needs at least one container)", path: listPath,
                        at: spec)
                }
                continue
            }
            guard case .list(let containers) = list.value else {
                throw fail(.typeMismatch, "expected a list, found \(list.kindDescription)", path: listPath, at: list)
            }
            if field == "containers" && containers.isEmpty {
                throw fail(.missingField, "a pod needs at least one container", path: listPath, at: list)
            }
            for (index, container) in containers.enumerated() {
                let containerPath = "\(listPath)[\(index)]"
                guard case .map = container.value else {
                    throw fail(
                        .typeMismatch, "expected a container (a mapping), found \(container.kindDescription)",
                        path: containerPath, at: container)
                }
                guard let image = container.field("image") else {
                    throw fail(
                        .missingField, "required field is missing", path: containerPath + ".image", at: container)
                }
                let text = try string(image, path: containerPath + ".image")
                guard !text.isEmpty else {
                    throw fail(.missingField, "image is empty", path: containerPath + ".image", at: image)
                }
                images.append(text)
                let containerName: String?
                if case .string(let name)? = container.field("name")?.value {
                    containerName = name
                } else {
                    containerName = nil
                }
                podContainers.append(KubernetesContainer(name: containerName, image: text, type: type))
            }
        }
        var serviceAccount = try optionalString(
            spec.field("serviceAccountName"), path: FieldPath.join(specPath, "serviceAccountName"))
        if serviceAccount?.isEmpty ?? true {
            serviceAccount = try optionalString(
                spec.field("serviceAccount"), path: FieldPath.join(specPath, "serviceAccount"))
        }
        let labels = try stringMap(podMetadata?.field("labels"), path: FieldPath.join(podMetadataPath, "labels"))
        let annotations = try stringMap(
            podMetadata?.field("annotations"), path: FieldPath.join(podMetadataPath, "annotations"))
        var workload = KubernetesWorkload(
            kind: kind, name: name, namespace: namespace,
            serviceAccountName: serviceAccount.flatMap { $0.isEmpty ? nil : $0 }, images: images, labels: labels,
            annotations: annotations, document: document ?? 1, line: object.location?.line, path: path)
        workload.containers = podContainers
        result.append(workload)
    }

    // MARK: Typed access

    private func string(_ node: TreeNode, path: String) throws(PolicyEvaluationError) -> String {
        switch node.value {
        case .string(let text): return text
        default:
            throw fail(.typeMismatch, node.mismatch(expected: "a string"), path: path, at: node)
        }
    }

    private func optionalString(_ node: TreeNode?, path: String) throws(PolicyEvaluationError) -> String? {
        guard let node else { return nil }
        return try string(node, path: path)
    }

    private func mapping(_ node: TreeNode?, path: String) throws(PolicyEvaluationError) -> TreeNode? {
        guard let node else { return nil }
        guard case .map = node.value else {
            throw fail(.typeMismatch, "expected a mapping, found \(node.kindDescription)", path: path, at: node)
        }
        return node
    }

    private func requiredMapping(_ parent: TreeNode?, _ field: String, path: String) throws(PolicyEvaluationError)
        -> TreeNode
    {
        let fieldPath = FieldPath.join(path, field)
        guard let node = try mapping(parent?.field(field), path: fieldPath) else {
            throw fail(.missingField, "required field is missing", path: fieldPath, at: parent)
        }
        return node
    }

    private func stringMap(_ node: TreeNode?, path: String) throws(PolicyEvaluationError) -> [String: String] {
        guard let node = try mapping(node, path: path), case .map(let entries) = node.value else { return [:] }
        var result: [String: String] = [:]
        for entry in entries {
            let entryPath = "\(path)[\"\(entry.key)\"]"
            if case .null = entry.value.value {
                throw fail(
                    .typeMismatch, "expected a string, found null; write \"\" for an empty value", path: entryPath,
                    at: entry.value)
            }
            result[entry.key] = try string(entry.value, path: entryPath)
        }
        return result
    }
}
