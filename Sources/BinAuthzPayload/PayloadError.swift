// SPDX-License-Identifier: Apache-2.0

/// An error thrown while building or reading a signature payload.
///
/// A payload that parses but names another image is *not* an error: ``SignaturePayload/check(digest:dockerReference:)``
/// returns a ``PayloadCheckResult``.
///
/// Equality and hashing consider only ``code``, so tests and callers can match on the kind of failure:
///
/// ```swift
/// #expect { try ArtifactURL("ubuntu:latest") } throws: { ($0 as? PayloadError)?.code == .invalidArtifactURL }
/// ```
public struct PayloadError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public let code: Code
    /// A one-line explanation that says what was wrong and what is expected.
    public let message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// The ``message``.
    public var description: String { message }

    public static func == (lhs: PayloadError, rhs: PayloadError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

extension PayloadError {
    /// The kind of a ``PayloadError``. New codes may be added in minor releases.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Backing: String, Hashable, Sendable {
            case invalidArtifactURL
            case notJSON
            case missingField
            case typeMismatch
            case unknownField
            case invalidValue
        }
        fileprivate let backing: Backing
        fileprivate init(_ backing: Backing) { self.backing = backing }

        /// An artifact URL that `gcloud container binauthz create-signature-payload` would reject.
        public static let invalidArtifactURL = Code(.invalidArtifactURL)
        /// The payload is not well-formed JSON (or has a duplicate member name).
        public static let notJSON = Code(.notJSON)
        /// A member the payload must have is absent.
        public static let missingField = Code(.missingField)
        /// A member has the wrong JSON type (e.g. a number where a string is required).
        public static let typeMismatch = Code(.typeMismatch)
        /// A member a strict format does not allow (atomic container signature `critical` members).
        public static let unknownField = Code(.unknownField)
        /// A member has the right type but a value the format does not allow.
        public static let invalidValue = Code(.invalidValue)

        /// The code's name, e.g. `missingField`.
        public var description: String { backing.rawValue }
    }

    /// Matches any error with code ``Code/invalidArtifactURL``.
    package static let invalidArtifactURL = PayloadError(code: .invalidArtifactURL, message: "invalid artifact URL")
    /// Matches any error with code ``Code/notJSON``.
    package static let notJSON = PayloadError(code: .notJSON, message: "payload is not JSON")
    /// Matches any error with code ``Code/missingField``.
    package static let missingField = PayloadError(code: .missingField, message: "missing field")
    /// Matches any error with code ``Code/typeMismatch``.
    package static let typeMismatch = PayloadError(code: .typeMismatch, message: "type mismatch")
    /// Matches any error with code ``Code/unknownField``.
    package static let unknownField = PayloadError(code: .unknownField, message: "unknown field")
    /// Matches any error with code ``Code/invalidValue``.
    package static let invalidValue = PayloadError(code: .invalidValue, message: "invalid value")
}
