// SPDX-License-Identifier: Apache-2.0

/// An error thrown for malformed or unusable PKIX keys and key ids, and for signing failures.
///
/// A signature that does not verify is *not* an error: ``PKIXVerifier/verify(signature:payload:)`` returns a
/// ``PKIXVerificationResult``.
///
/// Equality and hashing consider only ``code``:
///
/// ```swift
/// #expect { try PKIXPublicKey(pemRepresentation: "malformed key") } throws: { ($0 as? PKIXError)?.code == .malformedPEM }
/// ```
public struct PKIXError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public let code: Code
    /// A one-line explanation that says what was wrong and what to do.
    public let message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// The ``message``.
    public var description: String { message }

    public static func == (lhs: PKIXError, rhs: PKIXError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

extension PKIXError {
    /// The kind of a ``PKIXError``. New codes may be added in minor releases.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Backing: String, Hashable, Sendable {
            case malformedPEM
            case malformedKey
            case unsupportedKey
            case keyAlgorithmMismatch
            case unsupportedAlgorithm
            case invalidKeyID
            case signingFailed
            case keyGenerationFailed
            case keyTooLarge
        }
        fileprivate let backing: Backing
        fileprivate init(_ backing: Backing) { self.backing = backing }

        /// The text is not the expected PEM: no block, the wrong label, several blocks, text after the block, or
        /// a body that is not base64.
        public static let malformedPEM = Code(.malformedPEM)
        /// The DER structure is not a valid key of its kind (SubjectPublicKeyInfo, PKCS#8, SEC 1, PKCS#1), or the
        /// key material is invalid (a point not on the curve, an even RSA modulus).
        public static let malformedKey = Code(.malformedKey)
        /// A well-formed key of a type Binary Authorization does not use (Ed25519, DSA, another curve, an encrypted
        /// private key).
        public static let unsupportedKey = Code(.unsupportedKey)
        /// The key's type or size differs from what the `SignatureAlgorithm` requires.
        public static let keyAlgorithmMismatch = Code(.keyAlgorithmMismatch)
        /// The `SignatureAlgorithm` is `SIGNATURE_ALGORITHM_UNSPECIFIED` or not one of the API's values.
        public static let unsupportedAlgorithm = Code(.unsupportedAlgorithm)
        /// A key id that is not an RFC 3986 URI.
        public static let invalidKeyID = Code(.invalidKeyID)
        /// The cryptographic library failed to sign.
        public static let signingFailed = Code(.signingFailed)
        /// The cryptographic library failed to generate a key.
        public static let keyGenerationFailed = Code(.keyGenerationFailed)
        /// An RSA key's modulus is larger than `InputLimits.maximumRSAModulusBits`; it was refused
        /// before any arithmetic.
        public static let keyTooLarge = Code(.keyTooLarge)

        /// The code's name, e.g. `keyAlgorithmMismatch`.
        public var description: String { backing.rawValue }
    }

    /// Matches any error with code ``Code/malformedPEM``.
    package static let malformedPEM = PKIXError(code: .malformedPEM, message: "malformed PEM")
    /// Matches any error with code ``Code/malformedKey``.
    package static let malformedKey = PKIXError(code: .malformedKey, message: "malformed key")
    /// Matches any error with code ``Code/unsupportedKey``.
    package static let unsupportedKey = PKIXError(code: .unsupportedKey, message: "unsupported key")
    /// Matches any error with code ``Code/keyAlgorithmMismatch``.
    package static let keyAlgorithmMismatch = PKIXError(code: .keyAlgorithmMismatch, message: "key/algorithm mismatch")
    /// Matches any error with code ``Code/unsupportedAlgorithm``.
    package static let unsupportedAlgorithm = PKIXError(code: .unsupportedAlgorithm, message: "unsupported algorithm")
    /// Matches any error with code ``Code/invalidKeyID``.
    package static let invalidKeyID = PKIXError(code: .invalidKeyID, message: "invalid key id")
    /// Matches any error with code ``Code/signingFailed``.
    package static let signingFailed = PKIXError(code: .signingFailed, message: "signing failed")
    /// Matches any error with code ``Code/keyGenerationFailed``.
    package static let keyGenerationFailed = PKIXError(code: .keyGenerationFailed, message: "key generation failed")
}
