// SPDX-License-Identifier: Apache-2.0

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import BinAuthzModel
import Crypto
import CryptoExtras

/// Signs payloads with a private key under one `SignatureAlgorithm`, producing the bytes an occurrence's
/// `signatures[].signature` holds.
///
/// ```swift
/// let signer = try PKIXSigner(privateKeyPEM: pem, algorithm: .ecdsaP256SHA256)
/// let signature = try signer.sign(payload)
/// let keyID = signer.publicKey.defaultKeyID
/// ```
///
/// ECDSA signatures are ASN.1 DER; RSA-PSS uses MGF1 with the algorithm's digest and a salt as long as the digest
/// (what Cloud KMS does); RSA PKCS#1 v1.5 is deterministic.
public struct PKIXSigner: Sendable {
    /// The signing key.
    public let privateKey: PKIXPrivateKey
    /// The algorithm signatures are made with.
    public let algorithm: SignatureAlgorithm
    private let digest: SignatureAlgorithm.Digest
    private let padding: SignatureAlgorithm.RSAPadding?

    /// Creates a signer.
    ///
    /// - Parameters:
    ///   - privateKey: The key.
    ///   - algorithm: The algorithm; the key's type and size must be the ones it requires.
    /// - Throws: ``PKIXError/Code/keyAlgorithmMismatch`` (saying both, e.g. `key is RSA 2048-bit but
    ///   RSA_PSS_4096_SHA512 needs RSA 4096-bit`) or ``PKIXError/Code/unsupportedAlgorithm``.
    public init(privateKey: PKIXPrivateKey, algorithm: SignatureAlgorithm) throws(PKIXError) {
        try privateKey.publicKey.checkCompatibility(with: algorithm)
        self.privateKey = privateKey
        self.algorithm = algorithm
        let parameters = algorithm.parameters!
        digest = parameters.digest
        padding = parameters.padding
    }

    /// Creates a signer from a PEM private key (PKCS#8, SEC 1 or PKCS#1).
    ///
    /// - Throws: ``PKIXError`` for a malformed key or one that does not suit `algorithm`.
    public init(privateKeyPEM: String, algorithm: SignatureAlgorithm) throws(PKIXError) {
        try self.init(privateKey: PKIXPrivateKey(pemRepresentation: privateKeyPEM), algorithm: algorithm)
    }

    /// The public half of the key.
    public var publicKey: PKIXPublicKey { privateKey.publicKey }

    /// Signs `payload` (for Binary Authorization, the exact `serializedPayload` bytes).
    ///
    /// - Parameter payload: The bytes to sign.
    /// - Returns: The signature: DER for ECDSA, modulus-length bytes for RSA.
    /// - Throws: ``PKIXError/Code/signingFailed`` if the cryptographic library fails.
    public func sign(_ payload: [UInt8]) throws(PKIXError) -> [UInt8] {
        do {
            switch privateKey.material {
            case .p256(let key): return [UInt8](try key.signature(for: SHA256.hash(data: payload)).derRepresentation)
            case .p384(let key): return [UInt8](try key.signature(for: SHA384.hash(data: payload)).derRepresentation)
            case .p521(let key): return [UInt8](try key.signature(for: SHA512.hash(data: payload)).derRepresentation)
            case .rsa(let key):
                let rsaPadding: _RSA.Signing.Padding = padding == .pss ? .PSS : .insecurePKCS1v1_5
                let signature: _RSA.Signing.RSASignature =
                    switch digest {
                    case .sha256: try key.signature(for: SHA256.hash(data: payload), padding: rsaPadding)
                    case .sha384: try key.signature(for: SHA384.hash(data: payload), padding: rsaPadding)
                    case .sha512: try key.signature(for: SHA512.hash(data: payload), padding: rsaPadding)
                    }
                return [UInt8](signature.rawRepresentation)
            }
        } catch {
            throw PKIXError(code: .signingFailed, message: "signing with \(algorithm.rawValue) failed: \(error)")
        }
    }
}
