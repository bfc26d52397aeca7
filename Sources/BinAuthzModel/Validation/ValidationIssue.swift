// SPDX-License-Identifier: Apache-2.0

/// One problem found by ``Policy/validate()`` or ``Attestor/validate()``: a field path and what is wrong there.
///
/// Validation reports every problem, not just the first, so a policy author can fix a file in one pass.
/// The text form is `path: message`, one line, as `binauthz policy validate` prints it.
public struct ValidationIssue: Hashable, Sendable, CustomStringConvertible {
    /// The field path, e.g. `clusterAdmissionRules["us-central1-a.prod"].requireAttestationsBy[0]`.
    public var path: String
    /// What is wrong and what is expected.
    public var message: String
    /// The kind of problem.
    public var code: Code

    /// Creates an issue.
    public init(path: String, message: String, code: Code) {
        self.path = path
        self.message = message
        self.code = code
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }

    /// The kind of a ``ValidationIssue``. New codes may be added in minor releases.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }

        /// A required field is absent.
        public static let missingField = Code("missingField")
        /// An enum-like field holds a value the API does not define (or `…_UNSPECIFIED`).
        public static let unknownEnumValue = Code("unknownEnumValue")
        /// A resource name (policy, attestor, note) has the wrong shape.
        public static let invalidResourceName = Code("invalidResourceName")
        /// A map key (cluster, namespace, service account, Istio identity) has the wrong shape.
        public static let invalidRuleKey = Code("invalidRuleKey")
        /// More than one specific-rule map is non-empty.
        public static let conflictingRuleMaps = Code("conflictingRuleMaps")
        /// `requireAttestationsBy` does not agree with the evaluation mode.
        public static let attestorListMismatch = Code("attestorListMismatch")
        /// An allowlist pattern breaks the wildcard rules.
        public static let invalidPattern = Code("invalidPattern")
        /// A public key is malformed or does not match its declared algorithm.
        public static let invalidKey = Code("invalidKey")
        /// Two entries share an id or value that must be unique.
        public static let duplicate = Code("duplicate")
        /// A documented service limit is exceeded.
        public static let limitExceeded = Code("limitExceeded")
        /// Some other value is not acceptable.
        public static let invalidValue = Code("invalidValue")

        /// Check sets in an order that makes one unreachable (the `checkSets` rules of platform policies).
        public static let checkSetOrder = Code("checkSetOrder")
        /// Fields of which at most one may be set are set together (two check types in one `Check`, both scope
        /// fields, a gkePolicy and a cloudRunPolicy).
        public static let conflictingFields = Code("conflictingFields")

        public var description: String { rawValue }
    }
}
