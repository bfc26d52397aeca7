// SPDX-License-Identifier: Apache-2.0

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The text formats resources are read from and written to.
public enum ResourceFormat: String, Sendable, Hashable, CaseIterable {
    /// REST JSON (proto3 JSON mapping).
    case json
    /// gcloud's YAML (`policy import` / `policy export`).
    case yaml

    /// The format gcloud infers from a file name: `.json` is JSON, `.yaml` and `.yml` are YAML, anything else
    /// is `nil` (gcloud: "Policy file must be a .yaml or .json file.").
    public init?(fileName: String) {
        let lower = fileName.lowercased()
        if lower.hasSuffix(".json") {
            self = .json
        } else if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") {
            self = .yaml
        } else {
            return nil
        }
    }

    /// The format `gcloud container binauthz policy import` reads a policy file in, from its name: the extension
    /// compared case-sensitively, as ``init(gcloudFileName:)`` does.
    ///
    /// - Throws: ``ModelError/Code/unsupportedFileType`` with gcloud's message for any other extension.
    public init(policyFileName fileName: String) throws(ModelError) {
        guard let format = ResourceFormat(gcloudFileName: fileName) else {
            throw ModelError(code: .unsupportedFileType, message: "Policy file must be a .yaml or .json file.")
        }
        self = format
    }

    /// Guesses the format of a text with no file name (standard input): JSON if the first non-blank character
    /// opens an object or array, YAML otherwise.
    public static func detect(_ text: some StringProtocol) -> ResourceFormat {
        for ch in text.unicodeScalars {
            switch ch {
            case " ", "\t", "\r", "\n", "\u{FEFF}": continue
            case "{", "[": return .json
            default: return .yaml
            }
        }
        return .yaml
    }

    /// Parses text into its documents: one for JSON, one per `---` document for YAML. With `format` `nil` the
    /// format is ``detect(_:)``-ed, and text that opens like JSON but is not JSON — YAML flow style, `{a: b}` — is
    /// read as YAML; the JSON error is kept when YAML cannot read it either.
    package static func documents(
        in text: String, format: ResourceFormat?, dialect: TreeDialect = .strict, limits: InputLimits = .default
    ) throws(ModelError) -> [TreeNode] {
        try read(text, format: format, dialect: dialect, limits: limits).documents
    }

    /// As ``documents(in:format:dialect:limits:)``, with the warnings the dialect's reader gives. Empty YAML
    /// documents are skipped.
    package static func read(
        _ text: String, format: ResourceFormat?, dialect: TreeDialect = .strict, limits: InputLimits = .default
    ) throws(ModelError) -> ReadDocuments {
        func yaml() throws(ModelError) -> ReadDocuments {
            var result = try YAMLTreeLoader.read(text, dialect: dialect, limits: limits)
            result.documents.removeAll(where: \.isNull)
            return result
        }
        switch format ?? detect(text) {
        case .json:
            do {
                return try JSONTreeParser.read(text.utf8, dialect: dialect, limits: limits)
            } catch  where format == nil && error.code == .syntax {
                guard let documents = try? yaml() else { throw error }
                return documents
            }
        case .yaml:
            return try yaml()
        }
    }
}

/// A Binary Authorization or Container Analysis resource that can be read from and written to the REST JSON
/// and gcloud YAML formats.
///
/// Reading is as strict as gcloud's import: unknown fields and values of the wrong type are errors that name the
/// field path and, where known, the line. Writing produces REST JSON (keys sorted) or the YAML `gcloud … export`
/// prints.
public protocol BinAuthzResource: Codable, Hashable, Sendable {
    /// Whether fields this library does not model are ignored instead of rejected. `false` for resources gcloud
    /// imports (policies, attestors); `true` for server output such as occurrences.
    static var ignoresUnknownFields: Bool { get }
    /// Whether proto field names (`human_readable_name`) are accepted as well as JSON names.
    static var acceptsProtoFieldNames: Bool { get }
}

extension BinAuthzResource {
    public static var ignoresUnknownFields: Bool { false }
    public static var acceptsProtoFieldNames: Bool { false }
    /// Whose rules the resource's files are read by.
    package static var dialect: TreeDialect { .strict }

    package static var treeDecoder: TreeDecoder {
        TreeDecoder(
            options: .init(rejectUnknownFields: !ignoresUnknownFields, acceptProtoFieldNames: acceptsProtoFieldNames))
    }

    /// Reads the resource from REST JSON.
    ///
    /// - Parameter limits: Bounds on the input's size, nesting and node count (``InputLimits/default``).
    public init(json: some StringProtocol, limits: InputLimits = .default) throws(ModelError) {
        if let imported = try Self.gcloudImported(String(json), format: .json, limits: limits) {
            self = imported
            return
        }
        self = try Self.treeDecoder.decode(
            Self.self, from: JSONTreeParser.parse(json.utf8, dialect: Self.dialect, limits: limits))
    }

    /// Reads the resource from REST JSON bytes.
    public init(jsonBytes: some Collection<UInt8>, limits: InputLimits = .default) throws(ModelError) {
        if Self.self is any GcloudImportedResource.Type {
            guard jsonBytes.count <= limits.maximumDocumentBytes else { throw LimitError.documentBytes(limits) }
            guard let text = String(validating: Array(jsonBytes), as: UTF8.self) else {
                throw ModelError(code: .gcloudFailure, message: "the text is not UTF-8; gcloud crashes on it")
            }
            self = try Self(json: text, limits: limits)
            return
        }
        self = try Self.treeDecoder.decode(
            Self.self, from: JSONTreeParser.parse(jsonBytes, dialect: Self.dialect, limits: limits))
    }

    /// Reads the resource from gcloud YAML (YAML 1.1, as `gcloud … import` reads it).
    ///
    /// - Parameter limits: Bounds on the input's size, nesting, nodes and alias expansion
    ///   (``InputLimits/default``).
    public init(yaml: String, limits: InputLimits = .default) throws(ModelError) {
        if let imported = try Self.gcloudImported(yaml, format: .yaml, limits: limits) {
            self = imported
            return
        }
        self = try Self.treeDecoder.decode(
            Self.self, from: YAMLTreeLoader.parse(yaml, dialect: Self.dialect, limits: limits))
    }

    /// Reads the resource from text in the given format, or in the format ``ResourceFormat/detect(_:)`` guesses
    /// (text that opens like JSON but is not JSON — YAML flow style, `{a: b}` — is read as YAML).
    public init(text: String, format: ResourceFormat? = nil, limits: InputLimits = .default) throws(ModelError) {
        switch format ?? ResourceFormat.detect(text) {
        case .json:
            do {
                try self.init(json: text, limits: limits)
            } catch  where format == nil && error.code == .syntax {
                guard let value = try? Self(yaml: text, limits: limits) else { throw error }
                self = value
            }
        case .yaml: try self.init(yaml: text, limits: limits)
        }
    }

    /// A policy is read the way `gcloud … policy import` reads it (see ``PolicyImport``), so that what is decided
    /// offline is what the service enforces; other resources are decoded strictly.
    private static func gcloudImported(_ text: String, format: ResourceFormat, limits: InputLimits) throws(ModelError)
        -> Self?
    {
        guard let type = Self.self as? any GcloudImportedResource.Type else { return nil }
        return try type.gcloudRead(text, format: format, limits: limits) as? Self
    }

    package init(tree: TreeNode) throws(ModelError) {
        self = try Self.treeDecoder.decode(Self.self, from: tree)
    }

    package var tree: TreeNode { TreeEncoder.encode(self) }

    /// The REST JSON form (keys sorted, two-space indentation, trailing newline when `pretty`).
    public func jsonString(pretty: Bool = true) -> String {
        JSONTreeWriter.write(tree, pretty: pretty)
    }

    /// The YAML `gcloud … export` / `describe` prints for this resource, except that strings YAML 1.1 would misread
    /// (`yes`, `1:30`) are quoted, so that the document reads back unchanged.
    public func yamlString() -> String {
        GcloudYAMLWriter.write(tree)
    }

    /// The YAML exactly as gcloud's resource printer writes it (`gcloud … attestors describe`, `policy export`):
    /// YAML 1.2 quoting, so `description: yes` comes out bare and reads back as a boolean in gcloud's YAML 1.1.
    public func gcloudYAMLString() -> String {
        GcloudYAMLWriter.write(tree, exact: true)
    }

    /// The resource in the given format.
    public func string(in format: ResourceFormat) -> String {
        switch format {
        case .json: jsonString()
        case .yaml: yamlString()
        }
    }
}

extension Policy: BinAuthzResource {}

/// A resource whose files gcloud imports, and which is therefore read as gcloud reads it.
package protocol GcloudImportedResource {
    static func gcloudRead(_ text: String, format: ResourceFormat, limits: InputLimits) throws(ModelError) -> Self
}

extension Policy: GcloudImportedResource {
    package static func gcloudRead(_ text: String, format: ResourceFormat, limits: InputLimits) throws(ModelError)
        -> Policy
    {
        let normalized = text.contains("\r") ? text.replacing("\r\n", with: "\n").replacing("\r", with: "\n") : text
        return try gcloudImport(text: normalized, format: format, limits: limits).policy
    }
}

extension Attestor: BinAuthzResource {}

extension Note: BinAuthzResource {
    public static var ignoresUnknownFields: Bool { true }
    public static var acceptsProtoFieldNames: Bool { true }
}

extension AttestationOccurrence: BinAuthzResource {
    public static var ignoresUnknownFields: Bool { true }
    public static var acceptsProtoFieldNames: Bool { true }
}

extension AttestationOccurrence {
    /// The members a Container Analysis `occurrences.list` response has besides `occurrences`.
    private static let listResponseMembers: Set<String> = ["occurrences", "nextPageToken", "unreachable"]

    /// Reads every occurrence in a text: one occurrence, a JSON/YAML list of occurrences, an
    /// `{"occurrences": [...], "nextPageToken": …}` list response (a saved page of `occurrences.list`), or a
    /// multi-document YAML stream (empty documents skipped).
    ///
    /// Occurrences ignore fields this library does not model, so a document that has neither `noteName` nor
    /// `attestation` — an attestor or policy file given by mistake — is refused rather than read as an empty
    /// occurrence.
    public static func readAll(
        text: String, format: ResourceFormat? = nil, limits: InputLimits = .default
    ) throws(ModelError) -> [AttestationOccurrence] {
        var result: [AttestationOccurrence] = []
        for tree in try ResourceFormat.documents(in: text, format: format, limits: limits) {
            switch tree.value {
            case .null:
                continue
            case .list(let items):
                for (index, item) in items.enumerated() {
                    result.append(try readOne(item, path: "[\(index)]"))
                }
            case .map(let entries)
            where entries.contains(where: { $0.key == "occurrences" })
                && entries.allSatisfy({ listResponseMembers.contains($0.key) }):
                let list = entries.first { $0.key == "occurrences" }!.value
                switch list.value {
                case .list(let items):
                    for (index, item) in items.enumerated() {
                        result.append(try readOne(item, path: "occurrences[\(index)]"))
                    }
                case .null:
                    continue  // an empty page
                default:
                    throw ModelError(
                        code: .typeMismatch, path: "occurrences", line: list.location?.line,
                        message: "expected a list, found \(list.kindDescription)")
                }
            default:
                result.append(try readOne(tree, path: ""))
            }
        }
        return result
    }

    /// Reads one occurrence found at `path` of its document, with errors reported at their full path.
    private static func readOne(_ tree: TreeNode, path: String) throws(ModelError) -> AttestationOccurrence {
        let occurrence: AttestationOccurrence
        do {
            occurrence = try AttestationOccurrence(tree: tree)
        } catch {
            throw ModelError(
                code: error.code, path: FieldPath.join(path, error.path), line: error.line, column: error.column,
                message: error.message)
        }
        guard occurrence.noteName != nil || occurrence.attestation != nil else {
            throw ModelError(
                code: .missingField, path: path, line: tree.location?.line, column: tree.location?.column,
                message: "not an attestation occurrence: it has neither noteName nor attestation (is this an "
                    + "attestor or policy file? attestation files hold what `gcloud container binauthz attestations "
                    + "list --format=json` prints)")
        }
        return occurrence
    }
}
