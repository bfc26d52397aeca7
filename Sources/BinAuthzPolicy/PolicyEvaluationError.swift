// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel

/// An error thrown by the decision engine, the manifest reader or the AdmissionReview handler.
///
/// Errors are for input that cannot be decided on — a policy that fails validation, a malformed manifest or
/// AdmissionReview, an evidence source whose environment is broken. A *denial* is never an error: it is an
/// ``AdmissionDecision`` with ``AdmissionDecision/isAllowed`` `false`.
///
/// Equality and hashing consider only ``code``, so tests and callers can match on the kind of failure:
///
/// ```swift
/// #expect { try PolicyEvaluator(policy: policy) } throws: { ($0 as? PolicyEvaluationError)?.code == .invalidPolicy }
/// ```
public struct PolicyEvaluationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public let code: Code
    /// A human-readable explanation that says what was expected.
    public let message: String
    /// The field path where the problem was found (`spec.template.spec.containers[0].image`), or empty.
    public let path: String
    /// The 1-based index of the document in a multi-document manifest, when the error comes from one.
    public let document: Int?
    /// The 1-based line in the source text, when known.
    public let line: Int?
    /// The validation problems of a policy refused with ``Code/invalidPolicy``; empty otherwise.
    public let issues: [ValidationIssue]

    /// Creates an error.
    public init(
        code: Code, message: String, path: String = "", document: Int? = nil, line: Int? = nil,
        issues: [ValidationIssue] = []
    ) {
        self.code = code
        self.message = message
        self.path = path
        self.document = document
        self.line = line
        self.issues = issues
    }

    /// One line: `document D (line L): path: message`, suitable for stderr.
    public var description: String {
        var prefix = ""
        switch (document, line) {
        case (let document?, let line?): prefix = "document \(document) (line \(line)): "
        case (let document?, nil): prefix = "document \(document): "
        case (nil, let line?): prefix = "line \(line): "
        case (nil, nil): break
        }
        return prefix + (path.isEmpty ? message : "\(path): \(message)")
    }

    public static func == (lhs: PolicyEvaluationError, rhs: PolicyEvaluationError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

extension PolicyEvaluationError {
    /// The kind of a ``PolicyEvaluationError``. New codes may be added in minor releases.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Backing: String, Hashable, Sendable {
            case invalidPolicy
            case invalidPattern
            case evidenceUnavailable
            case syntax
            case unsupportedKind
            case missingField
            case typeMismatch
            case invalidAdmissionReview
        }
        fileprivate let backing: Backing
        fileprivate init(_ backing: Backing) { self.backing = backing }

        /// The policy fails `Policy.validate()`; ``PolicyEvaluationError/issues`` lists why.
        public static let invalidPolicy = Code(.invalidPolicy)
        /// A system-policy pattern breaks the allowlist wildcard rules.
        public static let invalidPattern = Code(.invalidPattern)
        /// The ``AttestationEvidence`` source threw (its environment is broken, e.g. gpg is unusable).
        public static let evidenceUnavailable = Code(.evidenceUnavailable)
        /// A manifest or AdmissionReview is not well-formed YAML or JSON.
        public static let syntax = Code(.syntax)
        /// A manifest document's `kind` does not run containers (or is not one this library reads).
        public static let unsupportedKind = Code(.unsupportedKind)
        /// A required manifest field (`kind`, `spec.containers`, `image`, …) is absent.
        public static let missingField = Code(.missingField)
        /// A manifest field has the wrong type, e.g. a label value that is not a string.
        public static let typeMismatch = Code(.typeMismatch)
        /// The AdmissionReview is not an `admission.k8s.io` AdmissionReview with a request.
        public static let invalidAdmissionReview = Code(.invalidAdmissionReview)

        public var description: String { backing.rawValue }
    }

    /// Matches any error with code ``Code/invalidPolicy``.
    package static let invalidPolicy = PolicyEvaluationError(code: .invalidPolicy, message: "invalid policy")
    /// Matches any error with code ``Code/invalidPattern``.
    package static let invalidPattern = PolicyEvaluationError(code: .invalidPattern, message: "invalid pattern")
    /// Matches any error with code ``Code/evidenceUnavailable``.
    package static let evidenceUnavailable = PolicyEvaluationError(
        code: .evidenceUnavailable, message: "evidence unavailable")
    /// Matches any error with code ``Code/syntax``.
    package static let syntax = PolicyEvaluationError(code: .syntax, message: "syntax error")
    /// Matches any error with code ``Code/unsupportedKind``.
    package static let unsupportedKind = PolicyEvaluationError(code: .unsupportedKind, message: "unsupported kind")
    /// Matches any error with code ``Code/missingField``.
    package static let missingField = PolicyEvaluationError(code: .missingField, message: "missing field")
    /// Matches any error with code ``Code/typeMismatch``.
    package static let typeMismatch = PolicyEvaluationError(code: .typeMismatch, message: "type mismatch")
    /// Matches any error with code ``Code/invalidAdmissionReview``.
    package static let invalidAdmissionReview = PolicyEvaluationError(
        code: .invalidAdmissionReview, message: "invalid AdmissionReview")
}
