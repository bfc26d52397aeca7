// SPDX-License-Identifier: Apache-2.0

/// A Binary Authorization policy name, `projects/{project}/policy`.
public struct PolicyName: Hashable, Sendable, CustomStringConvertible, LosslessStringConvertible {
    /// The project id.
    public let project: String

    /// Creates the name of a project's policy.
    public init(project: String) { self.project = project }

    /// Parses `projects/{project}/policy`.
    public init?(_ description: String) {
        let parts = description.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "projects", parts[2] == "policy", ResourceNameRules.isSegment(parts[1])
        else { return nil }
        project = String(parts[1])
    }

    public var description: String { "projects/\(project)/policy" }
}

/// An attestor name, `projects/{project}/attestors/{attestor}`.
public struct AttestorName: Hashable, Sendable, CustomStringConvertible, LosslessStringConvertible {
    /// The project id.
    public let project: String
    /// The attestor id.
    public let attestor: String

    /// Creates an attestor name.
    public init(project: String, attestor: String) {
        self.project = project
        self.attestor = attestor
    }

    /// Parses `projects/{project}/attestors/{attestor}`; returns `nil` for any other shape.
    public init?(_ description: String) {
        guard let (project, id) = ResourceNameRules.split(description, collection: "attestors") else { return nil }
        self.project = project
        self.attestor = id
    }

    /// Parses a name, throwing ``ModelError/Code/invalidResourceName`` with the expected form.
    public init(parsing text: String) throws(ModelError) {
        guard let name = AttestorName(text) else {
            throw ModelError(
                code: .invalidResourceName,
                message: "\"\(text)\" is not an attestor name; expected projects/PROJECT_ID/attestors/ATTESTOR_ID")
        }
        self = name
    }

    public var description: String { "projects/\(project)/attestors/\(attestor)" }
}

/// A Container Analysis note name, `projects/{project}/notes/{note}`.
public struct NoteName: Hashable, Sendable, CustomStringConvertible, LosslessStringConvertible {
    /// The project id.
    public let project: String
    /// The note id.
    public let note: String

    /// Creates a note name.
    public init(project: String, note: String) {
        self.project = project
        self.note = note
    }

    /// Parses `projects/{project}/notes/{note}`; returns `nil` for any other shape.
    public init?(_ description: String) {
        guard let (project, id) = ResourceNameRules.split(description, collection: "notes") else { return nil }
        self.project = project
        self.note = id
    }

    /// Parses a name, throwing ``ModelError/Code/invalidResourceName`` with the expected form.
    public init(parsing text: String) throws(ModelError) {
        guard let name = NoteName(text) else {
            throw ModelError(
                code: .invalidResourceName,
                message: "\"\(text)\" is not a note name; expected projects/PROJECT_ID/notes/NOTE_ID")
        }
        self = name
    }

    /// Whether the project segment is all digits — a project *number*, which `noteReference` must not use.
    public var usesProjectNumber: Bool { project.allSatisfy(\.isASCIIDigit) }

    public var description: String { "projects/\(project)/notes/\(note)" }
}

enum ResourceNameRules {
    /// A name segment: non-empty, printable ASCII, no `/`, no whitespace.
    static func isSegment(_ text: some StringProtocol) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "/") }
    }

    static func split(_ text: String, collection: String) -> (String, String)? {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "projects", parts[2] == collection, isSegment(parts[1]), isSegment(parts[3])
        else { return nil }
        return (String(parts[1]), String(parts[3]))
    }
}

extension Character {
    var isASCIIDigit: Bool { asciiValue.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
}
