// SPDX-License-Identifier: Apache-2.0

/// The outcome of checking one PKIX signature: verified, or not with a reason.
public enum PKIXVerificationResult: Hashable, Sendable, CustomStringConvertible {
    /// The signature is valid for the payload under the key and algorithm.
    case verified
    /// The signature does not verify; the failure says why.
    case notVerified(PKIXVerificationFailure)

    /// `true` for ``verified``.
    public var isVerified: Bool { self == .verified }

    /// The failure, or `nil` for ``verified``.
    public var failure: PKIXVerificationFailure? {
        if case .notVerified(let failure) = self { return failure }
        return nil
    }

    /// `verified`, or the failure's message.
    public var description: String {
        switch self {
        case .verified: "verified"
        case .notVerified(let failure): failure.message
        }
    }
}

/// Why a PKIX signature did not verify.
///
/// Equality and hashing consider only ``reason``, so results can be matched directly:
///
/// ```swift
/// #expect(verifier.verify(signature: sig, payload: tampered) == .notVerified(.badSignature))
/// ```
public struct PKIXVerificationFailure: Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public let reason: Reason
    /// A one-line explanation, e.g. `key is EC P-384 but ECDSA_P256_SHA256 needs EC P-256`.
    public let message: String

    /// Creates a failure.
    public init(reason: Reason, message: String) {
        self.reason = reason
        self.message = message
    }

    /// The ``message``.
    public var description: String { message }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.reason == rhs.reason }
    public func hash(into hasher: inout Hasher) { hasher.combine(reason) }

    /// The kind of a ``PKIXVerificationFailure``. New reasons may be added in minor releases.
    public struct Reason: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Backing: String, Hashable, Sendable {
            case badSignature
            case malformedSignature
            case keyAlgorithmMismatch
            case unsupportedAlgorithm
        }
        fileprivate let backing: Backing
        fileprivate init(_ backing: Backing) { self.backing = backing }

        /// A well-formed signature that does not match the payload and key (tampered payload, another key).
        public static let badSignature = Reason(.badSignature)
        /// The signature cannot be a signature of this key: ECDSA neither DER nor raw `r‖s` of the right length,
        /// RSA not exactly as long as the modulus, or not less than the modulus.
        public static let malformedSignature = Reason(.malformedSignature)
        /// The key's type or size differs from what the algorithm requires.
        public static let keyAlgorithmMismatch = Reason(.keyAlgorithmMismatch)
        /// The algorithm is `SIGNATURE_ALGORITHM_UNSPECIFIED` or unknown.
        public static let unsupportedAlgorithm = Reason(.unsupportedAlgorithm)

        /// The reason's name, e.g. `badSignature`.
        public var description: String { backing.rawValue }
    }

    /// Matches any failure with reason ``Reason/badSignature``.
    package static let badSignature = Self(reason: .badSignature, message: "bad signature")
    /// Matches any failure with reason ``Reason/malformedSignature``.
    package static let malformedSignature = Self(reason: .malformedSignature, message: "malformed signature")
    /// Matches any failure with reason ``Reason/keyAlgorithmMismatch``.
    package static let keyAlgorithmMismatch = Self(reason: .keyAlgorithmMismatch, message: "key/algorithm mismatch")
    /// Matches any failure with reason ``Reason/unsupportedAlgorithm``.
    package static let unsupportedAlgorithm = Self(reason: .unsupportedAlgorithm, message: "unsupported algorithm")
}
