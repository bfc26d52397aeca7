// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import BinAuthzPolicy

/// The answer of `AttestorVerifier.validate(_:attestor:image:at:)` (for one occurrence or several): the offline equivalent of the
/// `ValidateAttestationOccurrence` response (`{"result": …, "denialReason": …}`).
public struct AttestationValidation: Hashable, Sendable, CustomStringConvertible {
    /// `VERIFIED`, `ATTESTATION_NOT_VERIFIABLE` or `RESULT_UNSPECIFIED`, spelled as the API does.
    public struct Result: APIEnum {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// `RESULT_UNSPECIFIED`.
        public static let unspecified = Result(rawValue: "RESULT_UNSPECIFIED")
        /// `VERIFIED` — the attestation is valid for the attestor and the image.
        public static let verified = Result(rawValue: "VERIFIED")
        /// `ATTESTATION_NOT_VERIFIABLE` — see ``AttestationValidation/denialReason``.
        public static let notVerifiable = Result(rawValue: "ATTESTATION_NOT_VERIFIABLE")

        public static let knownValues: [Result] = [.unspecified, .verified, .notVerifiable]
    }

    /// The result.
    public package(set) var result: Result
    /// Why the attestation is not verifiable (empty when verified); names precisely which check failed.
    public package(set) var denialReason: String
    /// What verified it (key id, occurrence), when verified.
    public package(set) var detail: String

    /// Creates a validation result.
    package init(result: Result, denialReason: String = "", detail: String = "") {
        self.result = result
        self.denialReason = denialReason
        self.detail = detail
    }

    /// The result of an attestor's verification: `VERIFIED` with what verified as ``detail``, or
    /// `ATTESTATION_NOT_VERIFIABLE` with the failures as ``denialReason``.
    public init(_ verification: AttestorVerification) {
        switch verification {
        case .verified: self.init(result: .verified, detail: verification.reason)
        case .notVerified: self.init(result: .notVerifiable, denialReason: verification.reason)
        }
        self.verification = verification
    }

    /// The structured outcome behind the result, when a verifier made it (`nil` for a value made by hand). Not part
    /// of equality: two validations are equal when the API would return the same body.
    public private(set) var verification: AttestorVerification?

    public static func == (lhs: AttestationValidation, rhs: AttestationValidation) -> Bool {
        lhs.result == rhs.result && lhs.denialReason.isIdentical(to: rhs.denialReason)
            && lhs.detail.isIdentical(to: rhs.detail)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(result)
        hasher.combine(ExactString(denialReason))
        hasher.combine(ExactString(detail))
    }

    /// Whether the result is `VERIFIED`.
    public var isVerified: Bool { result == .verified }

    /// The API's response body: `{"denialReason": "…", "result": "…"}` (keys sorted, one line, no trailing newline).
    /// An empty `denialReason` is left out, as the API leaves out empty strings: `{"result": "VERIFIED"}`.
    public var jsonString: String {
        var out = "{"
        if !denialReason.isEmpty {
            out += "\"denialReason\": "
            JSONTreeWriter.writeString(denialReason, into: &out)
            out += ", "
        }
        out += "\"result\": "
        JSONTreeWriter.writeString(result.rawValue, into: &out)
        return out + "}"
    }

    public var description: String { isVerified ? "\(result): \(detail)" : "\(result): \(denialReason)" }
}
