// SPDX-License-Identifier: Apache-2.0

/// A policy file as `gcloud container binauthz policy import` reads it: the policy GKE will enforce, the exact
/// request body gcloud sends, and the warnings gcloud prints on the way.
///
/// gcloud reads the file as UTF-8 text with universal newlines, parses it with Python's `json.loads` (`.json`) or
/// ruamel.yaml in YAML 1.1 mode (`.yaml`, `.yml`), turns the result into a request with apitools (`json.dumps`, then
/// protorpc decoding) and overwrites `name` with the configured project's policy. Each step changes what the
/// service receives: YAML 1.1 keys become JSON text (`no:` → `"false"`, `0777:` → `"511"`), a repeated YAML key keeps
/// its first value and a repeated JSON key its last, enum fields take numbers and booleans (`1`, `true` →
/// `ALWAYS_ALLOW`), merge keys (`<<`) apply. ``Policy/gcloudImport(contents:fileName:project:limits:)`` reproduces all
/// of it, and refuses what gcloud refuses with gcloud's own text.
///
/// ```swift
/// let imported = try Policy.gcloudImport(contents: bytes, fileName: "policy.yaml", project: "my-proj")
/// for warning in imported.warnings { print("WARNING: \(warning)") }
/// let evaluator = try PolicyEvaluator(policy: imported.policy)
/// ```
public struct PolicyImport: Sendable {
    /// The policy as the service receives it (`name` is `projects/P/policy` when a project was given, else the
    /// file's own `name`).
    public let policy: Policy
    /// What gcloud prints as warnings while it reads the file, in order: repeated YAML keys
    /// (`DuplicateKeyFutureWarning: found duplicate key "k" with value "b" (original value: "a") (line 2, column 1)`),
    /// floats written without a dot in YAML 1.1, `Empty Policy provided!`.
    public let warnings: [String]
    /// Whether the file held nothing (gcloud asks `Do you want to import an empty policy?` and, by default, imports a
    /// policy that has only its name).
    public let isEmpty: Bool
    /// The request body as a tree, members in field-number order.
    package let body: TreeNode

    /// The exact body of the `PUT https://binaryauthorization.googleapis.com/v1/projects/P/policy` request gcloud
    /// sends (`encoding.MessageToJson`: keys sorted, `", "` and `": "` separators, non-ASCII as `\uXXXX`).
    public var requestBody: String { PythonValue.jsonDumps(body) }

    /// The import as gcloud performs it for `project`: `policies.Client.Set` overwrites `name` with
    /// `projects/<project>/policy`, whatever the file held there.
    public func sent(to project: String) -> PolicyImport {
        guard case .map(var members) = body.value else { return self }
        let name = "projects/\(project)/policy"
        members.removeAll { $0.key.isIdentical(to: "name") }
        members.append(("name", nil, TreeNode(.string(name))))
        members.sort { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }
        var policy = self.policy
        policy.name = name
        return PolicyImport(policy: policy, warnings: warnings, isEmpty: isEmpty, body: TreeNode(.map(members)))
    }

    /// The policy as gcloud prints it after the import (and as `gcloud container binauthz policy export` prints
    /// it once stored): YAML, keys sorted, empty rules and rule maps shown as `{}`.
    public var gcloudYAML: String { GcloudYAMLWriter.write(body, exact: true) }
}

extension Policy {
    /// The apitools schema of the v1 `Policy` message, as gcloud 528 generates it.
    package static let protoType: ProtoMessageType = {
        let rule = ProtoMessageType(
            name: "AdmissionRule",
            fields: [
                .enumeration("enforcementMode", EnforcementMode.knownValues.map(\.rawValue)),
                .enumeration("evaluationMode", EvaluationMode.knownValues.map(\.rawValue)),
                .string("requireAttestationsBy", repeated: true),
            ])
        let pattern = ProtoMessageType(name: "AdmissionWhitelistPattern", fields: [.string("namePattern")])
        func map(_ name: String) -> ProtoMessageType { ProtoMessageType(mapNamed: name, value: rule) }
        return ProtoMessageType(
            name: "Policy",
            fields: [
                .message("admissionWhitelistPatterns", pattern, repeated: true),
                .message("clusterAdmissionRules", map("ClusterAdmissionRulesValue")),
                .message("defaultAdmissionRule", rule),
                .string("description"),
                .string("etag"),
                .enumeration("globalPolicyEvaluationMode", GlobalPolicyEvaluationMode.knownValues.map(\.rawValue)),
                .message("istioServiceIdentityAdmissionRules", map("IstioServiceIdentityAdmissionRulesValue")),
                .message("kubernetesNamespaceAdmissionRules", map("KubernetesNamespaceAdmissionRulesValue")),
                .message("kubernetesServiceAccountAdmissionRules", map("KubernetesServiceAccountAdmissionRulesValue")),
                .string("name"),
                .string("updateTime"),
            ])
    }()

    /// Reads a policy file exactly as `gcloud container binauthz policy import FILE [--project P]` does.
    ///
    /// - Parameters:
    ///   - contents: The file's bytes.
    ///   - fileName: The file's name; its extension decides the parser as gcloud decides it (case-sensitive `.json`,
    ///     `.yaml`, `.yml`; anything else is refused with `Policy file must be a .yaml or .json file.`). `nil` for
    ///     text with no name (standard input), whose format is sniffed.
    ///   - project: The project whose policy name gcloud writes (`projects/P/policy`); `nil` keeps the file's name.
    ///   - limits: Bounds on the input (``InputLimits/default``).
    /// - Throws: ``ModelError`` with gcloud's message where gcloud refuses the file (`Failed to parse value(s) in
    ///   protobuf [Policy]:\n  Policy.zzz`), and with code ``ModelError/Code/gcloudFailure`` and a message of ours
    ///   where gcloud itself crashes (a date value, a scalar where a rule belongs, an enum value `0`, …).
    public static func gcloudImport(
        contents: some Collection<UInt8>, fileName: String?, project: String? = nil, limits: InputLimits = .default
    ) throws(ModelError) -> PolicyImport {
        let format: ResourceFormat?
        if let fileName {
            guard let known = ResourceFormat(gcloudFileName: fileName) else {
                throw ModelError(code: .unsupportedFileType, message: "Policy file must be a .yaml or .json file.")
            }
            format = known
        } else {
            format = nil
        }
        let text = try GcloudResourceFile.text(contents, limits: limits)
        if let format { return try gcloudImport(text: text, format: format, project: project, limits: limits) }
        // Standard input has no extension: text that opens like JSON but is not JSON (YAML flow style, `{a: b}`) is
        // read as YAML, as for every other resource; the JSON error is kept when YAML cannot read it either.
        guard ResourceFormat.detect(text) == .json else {
            return try gcloudImport(text: text, format: .yaml, project: project, limits: limits)
        }
        do {
            return try gcloudImport(text: text, format: .json, project: project, limits: limits)
        } catch let jsonError where jsonError.code == .syntax {
            do {
                return try gcloudImport(text: text, format: .yaml, project: project, limits: limits)
            } catch let yamlError where yamlError.code == .syntax {
                throw jsonError
            }
        }
    }

    /// Reads policy text in a known format as `gcloud container binauthz policy import` does (see
    /// ``gcloudImport(contents:fileName:project:limits:)``; the text is taken as already read, newlines included).
    public static func gcloudImport(
        text: String, format: ResourceFormat, project: String? = nil, limits: InputLimits = .default
    ) throws(ModelError) -> PolicyImport {
        let read = try GcloudResourceFile.load(text: text, format: format, limits: limits)
        var warnings = read.warnings
        var root = read.root ?? TreeNode(.null)
        let isEmpty = PythonValue.isFalsy(root)
        if isEmpty {
            warnings.append("Empty Policy provided!")
            root = TreeNode(.map([]))
        }
        let message: ProtoMessage
        do {
            message = try ApitoolsDecoder.decode(root, as: protoType)
        } catch {
            throw error.modelError(typeName: "Policy")
        }
        let policy = try TreeDecoder().decode(Policy.self, from: message.json)
        let imported = PolicyImport(policy: policy, warnings: warnings, isEmpty: isEmpty, body: message.json)
        return project.map(imported.sent(to:)) ?? imported
    }
}

/// gcloud's `parsing.LoadResourceFile` after the file is read: `json.loads` or ruamel's YAML 1.1 `load` of a single
/// document, on text read with universal newlines.
package enum GcloudResourceFile {
    package struct Loaded {
        /// The document, or `nil` for an empty file (Python's `None`).
        package var root: TreeNode?
        package var warnings: [String]
    }

    /// Strict UTF-8 (a BOM is kept, as `files.ReadFileContents` keeps it), universal newlines.
    package static func text(_ contents: some Collection<UInt8>, limits: InputLimits) throws(ModelError) -> String {
        guard contents.count <= limits.maximumDocumentBytes else { throw LimitError.documentBytes(limits) }
        guard let decoded = String(validating: Array(contents), as: UTF8.self) else {
            throw ModelError(
                code: .gcloudFailure,
                message: "the file is not UTF-8 text; gcloud crashes on it (UnicodeDecodeError); binauthz refuses it")
        }
        return decoded.contains("\r") ? decoded.replacing("\r\n", with: "\n").replacing("\r", with: "\n") : decoded
    }

    package static func load(text: String, format: ResourceFormat, limits: InputLimits) throws(ModelError) -> Loaded {
        let read: ReadDocuments
        switch format {
        case .json:
            read = try JSONTreeParser.read(text.utf8, dialect: .gcloud, limits: limits)
        case .yaml:
            read = try YAMLTreeLoader.read(text, dialect: .gcloud, limits: limits)
            guard read.documents.count <= 1 else {
                throw ModelError(
                    code: .syntax, line: read.documents[1].location?.line,
                    message:
                        "Failed to parse YAML: expected a single document in the stream, but found another document")
            }
        }
        var root = read.documents.first
        if let node = root, case .null = node.value { root = nil }
        return Loaded(root: root, warnings: read.warnings.map(\.description))
    }
}

extension ApitoolsFailure {
    /// The failure as the error the library throws: gcloud's text, or ours where gcloud crashes.
    package func modelError(typeName: String) -> ModelError {
        switch self {
        case .validation(_, let path, let location):
            // gcloud cannot say where (`??`); the error's path can.
            ModelError(
                code: .typeMismatch, path: path, line: location?.line, column: location?.column,
                message: message(typeName: typeName))
        case .unrecognized(_, let location):
            ModelError(
                code: .unknownField, line: location?.line, column: location?.column,
                message: message(typeName: typeName))
        case .crash(_, _, let location):
            ModelError(
                code: .gcloudFailure, line: location?.line, column: location?.column,
                message: message(typeName: typeName))
        }
    }
}

extension ResourceFormat {
    /// The parser gcloud's `parsing.GetResourceFileType` picks: `os.path.splitext(name)[1]` compared
    /// case-sensitively with `.json`, `.yaml` and `.yml` (so `p.YAML`, `.yaml` and `p.yaml.` have none).
    public init?(gcloudFileName name: String) {
        // splitext: the extension is the last dot of the last path component and what follows, unless the
        // component is only dots before it (a leading-dot name such as `.yaml` has no extension).
        let component = name.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? name
        guard let dot = component.lastIndex(of: "."),
            component[..<dot].contains(where: { $0 != "." })
        else { return nil }
        switch component[dot...] {
        case ".json": self = .json
        case ".yaml", ".yml": self = .yaml
        default: return nil
        }
    }
}
