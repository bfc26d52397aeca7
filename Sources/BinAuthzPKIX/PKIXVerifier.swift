// SPDX-License-Identifier: Apache-2.0

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import BinAuthzModel
import Crypto
import CryptoExtras

/// Verifies PKIX signatures made with one attestor key under one `SignatureAlgorithm`.
///
/// Build it once per attestor key and call ``verify(signature:payload:)`` for every occurrence; all key parsing
/// and precomputation happen in the initialiser.
///
/// ```swift
/// let verifier = try PKIXVerifier(publicKeyPEM: key.publicKeyPEM, algorithm: key.signatureAlgorithm)
/// switch verifier.verify(signature: signature.signature, payload: occurrence.serializedPayload) {
/// case .verified: …
/// case .notVerified(let failure): print(failure.message)
/// }
/// ```
///
/// What is accepted:
/// * the signature covers the payload bytes exactly (no canonicalisation), hashed with the algorithm's digest;
/// * ECDSA signatures in ASN.1 DER (`SEQUENCE { r INTEGER, s INTEGER }`), as Cloud KMS, OpenSSL and kritis
///   write them, and also as raw fixed-length `r‖s` (64, 96 or 132 bytes), as JOSE/WebCrypto write them;
/// * RSA PKCS#1 v1.5 signatures exactly as long as the modulus;
/// * RSA-PSS signatures with MGF1 over the algorithm's digest and **any** salt length — the digest length
///   (Cloud KMS, swift-crypto), the maximum (OpenSSL `max`/`auto`, Go's default), zero, or anything between.
///
/// Aliases (`EC_SIGN_P256_SHA256`, `RSA_SIGN_PSS_2048_SHA256`, …) behave like their canonical values.
public struct PKIXVerifier: Sendable {
    /// The attestor's key.
    public let publicKey: PKIXPublicKey
    /// The algorithm the attestor declares for the key.
    public let algorithm: SignatureAlgorithm
    /// Set when the key cannot be used with the algorithm; every verification then reports it.
    private let unusable: PKIXVerificationFailure?

    /// Creates a verifier for a parsed key.
    ///
    /// A key that does not suit the algorithm is not an error here: every ``verify(signature:payload:)`` then
    /// returns ``PKIXVerificationResult/notVerified(_:)`` with ``PKIXVerificationFailure/Reason/keyAlgorithmMismatch``
    /// (or ``PKIXVerificationFailure/Reason/unsupportedAlgorithm``), as Binary Authorization would never accept a
    /// signature from it.
    ///
    /// - Parameters:
    ///   - publicKey: The key.
    ///   - algorithm: The `signatureAlgorithm` declared for it.
    public init(publicKey: PKIXPublicKey, algorithm: SignatureAlgorithm) {
        self.publicKey = publicKey
        self.algorithm = algorithm
        if let problem = publicKey.incompatibility(with: algorithm) {
            unusable = PKIXVerificationFailure(
                reason: problem.code == .unsupportedAlgorithm ? .unsupportedAlgorithm : .keyAlgorithmMismatch,
                message: problem.message)
        } else {
            unusable = nil
        }
    }

    /// Creates a verifier from a PEM `PUBLIC KEY`.
    ///
    /// - Parameters:
    ///   - publicKeyPEM: Exactly one `-----BEGIN PUBLIC KEY-----` block (see ``PKIXPublicKey/init(pemRepresentation:limits:)``).
    ///   - algorithm: The `signatureAlgorithm` declared for the key.
    /// - Throws: ``PKIXError`` when the PEM or key is malformed or of an unsupported type. A key that is merely
    ///   the wrong type or size for `algorithm` does not throw (see ``init(publicKey:algorithm:)``).
    public init(publicKeyPEM: String, algorithm: SignatureAlgorithm, limits: InputLimits = .default) throws(PKIXError) {
        self.init(publicKey: try PKIXPublicKey(pemRepresentation: publicKeyPEM, limits: limits), algorithm: algorithm)
    }

    /// Checks a signature over a payload.
    ///
    /// - Parameters:
    ///   - signature: The raw signature bytes (an occurrence's `signatures[].signature`, base64-decoded).
    ///   - payload: The signed bytes (the occurrence's `serializedPayload`, base64-decoded).
    /// - Returns: ``PKIXVerificationResult/verified`` or the reason it is not.
    public func verify(signature: [UInt8], payload: [UInt8]) -> PKIXVerificationResult {
        if let unusable { return .notVerified(unusable) }
        // Compatibility was checked, so the parameters exist and match the key material.
        let parameters = algorithm.parameters!
        switch publicKey.material {
        case .p256(let key):
            return Self.verifyECDSA(
                signature, coordinateBytes: 32,
                der: { try P256.Signing.ECDSASignature(derRepresentation: $0) },
                raw: { try P256.Signing.ECDSASignature(rawRepresentation: $0) },
                check: { key.isValidSignature($0, for: SHA256.hash(data: payload)) })
        case .p384(let key):
            return Self.verifyECDSA(
                signature, coordinateBytes: 48,
                der: { try P384.Signing.ECDSASignature(derRepresentation: $0) },
                raw: { try P384.Signing.ECDSASignature(rawRepresentation: $0) },
                check: { key.isValidSignature($0, for: SHA384.hash(data: payload)) })
        case .p521(let key):
            return Self.verifyECDSA(
                signature, coordinateBytes: 66,
                der: { try P521.Signing.ECDSASignature(derRepresentation: $0) },
                raw: { try P521.Signing.ECDSASignature(rawRepresentation: $0) },
                check: { key.isValidSignature($0, for: SHA512.hash(data: payload)) })
        case .rsa(let numbers, let cryptoKey, _):
            if parameters.padding == .pss {
                switch Self.verifyPSS(signature, payload: payload, numbers: numbers, digest: parameters.digest) {
                case .verified: return .verified
                case .failed(let failure): return .notVerified(failure)
                }
            }
            if let problem = numbers.problem(with: signature) {
                return .notVerified(Self.malformed(problem, numbers))
            }
            return Self.verifyPKCS1(signature, payload: payload, key: cryptoKey!, digest: parameters.digest)
        }
    }

    // MARK: ECDSA

    private static func verifyECDSA<Signature>(
        _ signature: [UInt8], coordinateBytes: Int, der: ([UInt8]) throws -> Signature,
        raw: ([UInt8]) throws -> Signature, check: (Signature) -> Bool
    ) -> PKIXVerificationResult {
        let isRawLength = signature.count == 2 * coordinateBytes
        if let parsed = try? der(signature) {
            if check(parsed) { return .verified }
            // A raw r‖s can, rarely, also parse as DER; give it its chance.
            if isRawLength, let rawParsed = try? raw(signature), check(rawParsed) { return .verified }
            return .notVerified(
                PKIXVerificationFailure(
                    reason: .badSignature,
                    message: "the ECDSA signature does not verify with this key over this payload"))
        }
        if isRawLength, let rawParsed = try? raw(signature) {
            if check(rawParsed) { return .verified }
            return .notVerified(
                PKIXVerificationFailure(
                    reason: .badSignature,
                    message: "the ECDSA signature (raw r‖s) does not verify with this key over this payload"))
        }
        return .notVerified(
            PKIXVerificationFailure(
                reason: .malformedSignature,
                message: "the ECDSA signature (\(signature.count) bytes) is neither ASN.1 DER "
                    + "(SEQUENCE { r INTEGER, s INTEGER }) nor raw r‖s of \(2 * coordinateBytes) bytes"))
    }

    // MARK: RSA

    private static func verifyPKCS1(
        _ signature: [UInt8], payload: [UInt8], key: _RSA.Signing.PublicKey, digest: SignatureAlgorithm.Digest
    ) -> PKIXVerificationResult {
        let rsaSignature = _RSA.Signing.RSASignature(rawRepresentation: signature)
        let valid: Bool =
            switch digest {
            case .sha256:
                key.isValidSignature(rsaSignature, for: SHA256.hash(data: payload), padding: .insecurePKCS1v1_5)
            case .sha384:
                key.isValidSignature(rsaSignature, for: SHA384.hash(data: payload), padding: .insecurePKCS1v1_5)
            case .sha512:
                key.isValidSignature(rsaSignature, for: SHA512.hash(data: payload), padding: .insecurePKCS1v1_5)
            }
        if valid { return .verified }
        return .notVerified(
            PKIXVerificationFailure(
                reason: .badSignature,
                message: "the RSASSA-PKCS1-v1_5 \(digest) signature does not verify with this key over this payload"))
    }

    private enum PSSOutcome {
        case verified(saltLength: Int)
        case failed(PKIXVerificationFailure)
    }

    /// RSASSA-PSS-VERIFY with any salt length, recovering the salt length the signature was made with.
    private static func verifyPSS(
        _ signature: [UInt8], payload: [UInt8], numbers: RSAPublicNumbers, digest: SignatureAlgorithm.Digest
    ) -> PSSOutcome {
        let encoded: [UInt8]
        switch numbers.publicOperation(signature) {
        case .success(let value): encoded = value
        case .failure(let problem): return .failed(malformed(problem, numbers))
        }
        switch EMSAPSS.verify(
            messageHash: DigestFunctions.hash(payload, digest), encoded: encoded, modulusBits: numbers.bitCount,
            digest: digest)
        {
        case .success(let saltLength):
            return .verified(saltLength: saltLength)
        case .failure(let inconsistency):
            return .failed(
                PKIXVerificationFailure(
                    reason: .badSignature,
                    message: "the RSASSA-PSS \(digest) signature does not verify with this key over this payload "
                        + "(\(inconsistency))"))
        }
    }

    /// Why bytes cannot be an RSA signature of this key.
    private static func malformed(_ problem: RSAPublicNumbers.Failure, _ numbers: RSAPublicNumbers)
        -> PKIXVerificationFailure
    {
        switch problem {
        case .wrongLength(let actual, let expected):
            PKIXVerificationFailure(
                reason: .malformedSignature,
                message: "the RSA signature is \(actual) bytes; signatures of a \(numbers.bitCount)-bit key are "
                    + "exactly \(expected) bytes")
        case .representativeOutOfRange:
            PKIXVerificationFailure(
                reason: .malformedSignature,
                message: "the RSA signature is not less than the key's modulus, so no key could have made it")
        }
    }
}

extension PKIXVerifier {
    /// The salt length an RSA-PSS signature was made with, recovered from the signature, or `nil` when the
    /// verifier is not for RSA-PSS or the signature does not verify. Useful for diagnostics and tests.
    public func pssSaltLength(signature: [UInt8], payload: [UInt8]) -> Int? {
        guard unusable == nil, let parameters = algorithm.parameters, parameters.padding == .pss,
            case .rsa(let numbers, _, _) = publicKey.material
        else { return nil }
        guard
            case .verified(let saltLength) = Self.verifyPSS(
                signature, payload: payload, numbers: numbers, digest: parameters.digest)
        else { return nil }
        return saltLength
    }
}
