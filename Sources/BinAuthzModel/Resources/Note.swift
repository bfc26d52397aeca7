// SPDX-License-Identifier: Apache-2.0

/// A Container Analysis (Grafeas) note of kind `ATTESTATION`: the anchor an attestor's occurrences hang on.
///
/// Both API generations are read: v1 carries `attestation.hint`, v1beta1 `attestationAuthority.hint`.
/// The proto field names (`attestation_authority`, `human_readable_name`) are accepted on input, as Google's
/// JSON parser accepts them — the seed article posts its note that way.
public struct Note: Hashable, Sendable, Codable {
    /// `projects/{project}/notes/{note}`.
    public var name: String?
    /// The note kind (output only); `ATTESTATION` for attestor notes.
    public var kind: NoteKind?
    /// A one-sentence description.
    public var shortDescription: String?
    /// A detailed description.
    public var longDescription: String?
    /// Related URLs.
    public var relatedURL: [RelatedURL]
    /// When the note expires (RFC 3339).
    public var expirationTime: String?
    /// When the note was created (output only).
    public var createTime: String?
    /// When the note was last updated (output only).
    public var updateTime: String?
    /// Other notes related to this one.
    public var relatedNoteNames: [String]
    /// The v1 attestation hint.
    public var attestation: AttestationNote?
    /// The v1beta1 attestation hint (`attestationAuthority`).
    public var attestationAuthority: AttestationNote?

    /// Creates an attestation note (v1 shape).
    public init(name: String?, humanReadableName: String?, shortDescription: String? = nil) {
        self.name = name
        self.kind = nil
        self.shortDescription = shortDescription
        self.longDescription = nil
        self.relatedURL = []
        self.expirationTime = nil
        self.createTime = nil
        self.updateTime = nil
        self.relatedNoteNames = []
        self.attestation = AttestationNote(hint: humanReadableName.map { AttestationNote.Hint(humanReadableName: $0) })
        self.attestationAuthority = nil
    }

    /// The human-readable hint, from whichever API version's field holds it.
    public var humanReadableName: String? {
        (attestation ?? attestationAuthority)?.hint?.humanReadableName
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, kind, shortDescription, longDescription
        case relatedURL = "relatedUrl"
        case expirationTime, createTime, updateTime
        case relatedNoteNames, attestation, attestationAuthority
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        kind = try c.decodeIfPresent(NoteKind.self, forKey: .kind)
        shortDescription = try c.decodeIfPresent(String.self, forKey: .shortDescription)
        longDescription = try c.decodeIfPresent(String.self, forKey: .longDescription)
        relatedURL = try c.decodeIfPresent([RelatedURL].self, forKey: .relatedURL) ?? []
        expirationTime = try c.decodeIfPresent(String.self, forKey: .expirationTime)
        createTime = try c.decodeIfPresent(String.self, forKey: .createTime)
        updateTime = try c.decodeIfPresent(String.self, forKey: .updateTime)
        relatedNoteNames = try c.decodeIfPresent([String].self, forKey: .relatedNoteNames) ?? []
        attestation = try c.decodeIfPresent(AttestationNote.self, forKey: .attestation)
        attestationAuthority = try c.decodeIfPresent(AttestationNote.self, forKey: .attestationAuthority)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(name, forKey: .name)
        try c.encodeIfPresent(kind, forKey: .kind)
        try c.encodeIfPresent(shortDescription, forKey: .shortDescription)
        try c.encodeIfPresent(longDescription, forKey: .longDescription)
        if !relatedURL.isEmpty { try c.encode(relatedURL, forKey: .relatedURL) }
        try c.encodeIfPresent(expirationTime, forKey: .expirationTime)
        try c.encodeIfPresent(createTime, forKey: .createTime)
        try c.encodeIfPresent(updateTime, forKey: .updateTime)
        if !relatedNoteNames.isEmpty { try c.encode(relatedNoteNames, forKey: .relatedNoteNames) }
        try c.encodeIfPresent(attestation, forKey: .attestation)
        try c.encodeIfPresent(attestationAuthority, forKey: .attestationAuthority)
    }

    /// A related URL of a note.
    public struct RelatedURL: Hashable, Sendable, Codable {
        /// The URL.
        public var url: String?
        /// A label for the URL.
        public var label: String?

        /// Creates a related URL.
        public init(url: String?, label: String? = nil) {
            self.url = url
            self.label = label
        }

        enum CodingKeys: String, CodingKey, CaseIterable { case url, label }
    }
}

/// The attestation part of a note (`AttestationNote` in v1, `Authority` in v1beta1).
public struct AttestationNote: Hashable, Sendable, Codable {
    /// How to find the authority; informational only ("should not be used to look up authorities in security
    /// sensitive contexts").
    public var hint: Hint?

    /// Creates the attestation part.
    public init(hint: Hint?) { self.hint = hint }

    /// The hint of an attestation note.
    public struct Hint: Hashable, Sendable, Codable {
        /// The required human-readable name, e.g. `qa`.
        public var humanReadableName: String?

        /// Creates a hint.
        public init(humanReadableName: String?) { self.humanReadableName = humanReadableName }

        enum CodingKeys: String, CodingKey, CaseIterable { case humanReadableName }
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case hint }
}

/// The kind of a Grafeas note or occurrence (`NoteKind`).
public struct NoteKind: APIEnum {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `NOTE_KIND_UNSPECIFIED`.
    public static let unspecified = NoteKind(rawValue: "NOTE_KIND_UNSPECIFIED")
    /// `ATTESTATION` — the kind of every note and occurrence this library deals with.
    public static let attestation = NoteKind(rawValue: "ATTESTATION")

    public static let knownValues: [NoteKind] = [
        .unspecified, "VULNERABILITY", "BUILD", "IMAGE", "PACKAGE", "DEPLOYMENT", "DISCOVERY", .attestation,
        "UPGRADE", "COMPLIANCE", "DSSE_ATTESTATION", "VULNERABILITY_ASSESSMENT", "SBOM_REFERENCE", "SECRET",
    ]
}
