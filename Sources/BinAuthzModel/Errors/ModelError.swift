// SPDX-License-Identifier: Apache-2.0

/// An error thrown while reading a resource (policy, attestor, note, occurrence) or an image reference.
///
/// Malformed input throws a ``ModelError``; a policy that parses but breaks the API's rules does *not*
/// throw — ``Policy/validate()`` returns those problems as ``ValidationIssue`` values.
///
/// Equality and hashing consider only ``code``, so tests and callers can match on the kind of failure:
///
/// ```swift
/// #expect { try Policy(yaml: text) } throws: { ($0 as? ModelError)?.code == .unknownField }
/// ```
public struct ModelError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public let code: Code
    /// The field path where the problem was found, e.g. `clusterAdmissionRules["us-east1-b.c"].evaluationMode`,
    /// or an empty string for the document root.
    public let path: String
    /// The 1-based line in the source text, when known.
    public let line: Int?
    /// The 1-based column in the source text, when known.
    public let column: Int?
    /// A human-readable explanation that says what was expected.
    public let message: String

    /// Creates an error.
    public init(code: Code, path: String = "", line: Int? = nil, column: Int? = nil, message: String) {
        self.code = code
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    /// `path: message (line L, column C)` — one line, suitable for stderr.
    public var description: String {
        var text = path.isEmpty ? message : "\(path): \(message)"
        if let line {
            text += column.map { " (line \(line), column \($0))" } ?? " (line \(line))"
        }
        return text
    }

    public static func == (lhs: ModelError, rhs: ModelError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

extension ModelError {
    /// The kind of a ``ModelError``. New codes may be added in minor releases.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Backing: String, Hashable, Sendable {
            case syntax
            case unknownField
            case typeMismatch
            case duplicateKey
            case missingField
            case invalidValue
            case invalidResourceName
            case invalidImageReference
            case unsupportedFileType
            case tooLarge
            case gcloudFailure
        }
        fileprivate let backing: Backing
        fileprivate init(_ backing: Backing) { self.backing = backing }

        /// The text is not well-formed JSON or YAML.
        public static let syntax = Code(.syntax)
        /// A field the resource does not have (gcloud rejects these on import).
        public static let unknownField = Code(.unknownField)
        /// A value of the wrong type, e.g. a number where a string is required.
        public static let typeMismatch = Code(.typeMismatch)
        /// The same key appears twice in one mapping.
        public static let duplicateKey = Code(.duplicateKey)
        /// A required field is absent.
        public static let missingField = Code(.missingField)
        /// A value has the right type but is not acceptable (bad base64, bad enum spelling, …).
        public static let invalidValue = Code(.invalidValue)
        /// A resource name such as `projects/P/attestors/A` is malformed.
        public static let invalidResourceName = Code(.invalidResourceName)
        /// An image reference does not follow the distribution/reference grammar.
        public static let invalidImageReference = Code(.invalidImageReference)
        /// A file extension gcloud would not read (`.yaml`, `.yml` and `.json` are accepted).
        public static let unsupportedFileType = Code(.unsupportedFileType)
        /// The input exceeds a safety limit (nesting depth, document size).
        public static let tooLarge = Code(.tooLarge)
        /// Input on which gcloud itself fails with an internal error (`gcloud crashed (TypeError): …`), so no
        /// policy or request can come of it; refused with a message that says what gcloud trips over.
        public static let gcloudFailure = Code(.gcloudFailure)

        public var description: String { backing.rawValue }
    }

    /// Matches any error with code ``Code/syntax``.
    package static let syntax = ModelError(code: .syntax, message: "syntax error")
    /// Matches any error with code ``Code/unknownField``.
    package static let unknownField = ModelError(code: .unknownField, message: "unknown field")
    /// Matches any error with code ``Code/typeMismatch``.
    package static let typeMismatch = ModelError(code: .typeMismatch, message: "type mismatch")
    /// Matches any error with code ``Code/duplicateKey``.
    package static let duplicateKey = ModelError(code: .duplicateKey, message: "duplicate key")
    /// Matches any error with code ``Code/missingField``.
    package static let missingField = ModelError(code: .missingField, message: "missing field")
    /// Matches any error with code ``Code/invalidValue``.
    package static let invalidValue = ModelError(code: .invalidValue, message: "invalid value")
    /// Matches any error with code ``Code/invalidResourceName``.
    package static let invalidResourceName = ModelError(code: .invalidResourceName, message: "invalid resource name")
    /// Matches any error with code ``Code/invalidImageReference``.
    package static let invalidImageReference = ModelError(
        code: .invalidImageReference, message: "invalid image reference")
    /// Matches any error with code ``Code/unsupportedFileType``.
    package static let unsupportedFileType = ModelError(code: .unsupportedFileType, message: "unsupported file type")
    /// Matches any error with code ``Code/tooLarge``.
    package static let tooLarge = ModelError(code: .tooLarge, message: "input too large")
    /// Matches any error with code ``Code/gcloudFailure``.
    package static let gcloudFailure = ModelError(code: .gcloudFailure, message: "gcloud fails on this input")
}
