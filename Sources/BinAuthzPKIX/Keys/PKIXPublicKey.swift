// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import Crypto
import CryptoExtras
import SwiftASN1

/// A public key an attestor holds for PKIX signatures: a SubjectPublicKeyInfo of type EC (P-256, P-384, P-521)
/// or RSA (`rsaEncryption`, and `id-RSASSA-PSS` for the PSS algorithms).
///
/// ```swift
/// let key = try PKIXPublicKey(pemRepresentation: pem)
/// key.keyType       // .ec(.p256)
/// key.defaultKeyID  // "ni:///sha-256;…"
/// ```
///
/// Parsing is strict the way kritis is: exactly one `-----BEGIN PUBLIC KEY-----` block and nothing else but
/// whitespace around it. The key's type and size are read; whether they suit a `SignatureAlgorithm` is checked by
/// ``checkCompatibility(with:)`` and by ``PKIXVerifier`` (which reports a mismatch as a verification failure).
public struct PKIXPublicKey: Hashable, Sendable, CustomStringConvertible {
    /// The DER SubjectPublicKeyInfo, exactly as given (the key id is computed over these bytes).
    public let derRepresentation: [UInt8]
    /// The key type with its size or curve.
    public let keyType: SignatureAlgorithm.KeyType
    /// The parsed key.
    let material: Material

    enum Material: Sendable {
        case p256(P256.Signing.PublicKey)
        case p384(P384.Signing.PublicKey)
        case p521(P521.Signing.PublicKey)
        /// `crypto` is swift-crypto's key (nil below 1024 bits, which swift-crypto refuses); `pssOnly` marks an
        /// `id-RSASSA-PSS` key, which must not be used with PKCS#1 v1.5.
        case rsa(RSAPublicNumbers, crypto: _RSA.Signing.PublicKey?, pssOnly: Bool)
    }

    /// Reads a PEM `PUBLIC KEY` (SubjectPublicKeyInfo), as `openssl pkey -pubout` and Cloud KMS write it.
    ///
    /// - Parameter pemRepresentation: Exactly one `-----BEGIN PUBLIC KEY-----` block; only whitespace may
    ///   surround it.
    /// - Throws: ``PKIXError/Code/malformedPEM`` (no block, another label such as `RSA PUBLIC KEY` or a private
    ///   key, several blocks, text after the block), ``PKIXError/Code/malformedKey`` or
    ///   ``PKIXError/Code/unsupportedKey``.
    /// - Parameter limits: `InputLimits.maximumRSAModulusBits` bounds an RSA key before any
    ///   arithmetic is done with it.
    public init(pemRepresentation: String, limits: InputLimits = .default) throws(PKIXError) {
        let document: PEM.Document
        do {
            document = try PEM.parse(pemRepresentation)
        } catch {
            throw PKIXError(code: .malformedPEM, message: error.message)
        }
        guard let block = document.blocks.first else {
            throw PKIXError(
                code: .malformedPEM,
                message:
                    "no PEM block found; a public key must be -----BEGIN PUBLIC KEY----- … -----END PUBLIC KEY-----")
        }
        guard document.blocks.count == 1 else {
            throw PKIXError(
                code: .malformedPEM,
                message:
                    "\(document.blocks.count) PEM blocks found; give exactly one public key (one -----BEGIN PUBLIC KEY----- block)"
            )
        }
        if let stray = document.strayTextLine {
            throw PKIXError(
                code: .malformedPEM,
                message:
                    "unexpected text outside the PEM block (line \(stray)); a public key file must hold only the -----BEGIN PUBLIC KEY----- block"
            )
        }
        guard block.label == "PUBLIC KEY" else {
            throw PKIXError(code: .malformedPEM, message: Self.wrongLabelMessage(block.label))
        }
        try self.init(derRepresentation: block.der, limits: limits)
    }

    private static func wrongLabelMessage(_ label: String) -> String {
        switch label {
        case "RSA PUBLIC KEY":
            "the PEM block is RSA PUBLIC KEY (PKCS#1); expected PUBLIC KEY (SubjectPublicKeyInfo) — convert it with "
                + "`openssl rsa -RSAPublicKey_in -in FILE -pubout`"
        case "CERTIFICATE":
            "the PEM block is a CERTIFICATE; expected PUBLIC KEY — extract it with `openssl x509 -in FILE -pubkey -noout`"
        case "PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY":
            "the PEM block is a \(label); expected the PUBLIC KEY — derive it with `openssl pkey -in FILE -pubout`"
        default:
            "the PEM block is \"\(label)\"; expected PUBLIC KEY (SubjectPublicKeyInfo)"
        }
    }

    /// Reads a DER SubjectPublicKeyInfo.
    ///
    /// - Parameters:
    ///   - derRepresentation: The DER bytes, with nothing after them.
    ///   - limits: `InputLimits.maximumRSAModulusBits` bounds an RSA key before any arithmetic is
    ///     done with it.
    /// - Throws: ``PKIXError/Code/malformedKey``, ``PKIXError/Code/unsupportedKey``, or
    ///   ``PKIXError/Code/keyTooLarge`` for an RSA modulus over the limit.
    public init(derRepresentation: [UInt8], limits: InputLimits = .default) throws(PKIXError) {
        let spki: KeyStructures.SubjectPublicKeyInfo
        do {
            spki = try KeyStructures.subjectPublicKeyInfo(derRepresentation)
        } catch {
            throw PKIXError(
                code: .malformedKey, message: "not a DER SubjectPublicKeyInfo (\(KeyStructures.describe(error)))")
        }
        self.derRepresentation = derRepresentation
        switch spki.algorithm {
        case KeyStructures.ecPublicKey:
            guard let parameters = spki.parameters, let curveOID = try? ASN1ObjectIdentifier(derEncoded: parameters)
            else {
                throw PKIXError(
                    code: .unsupportedKey,
                    message: "the EC key does not name its curve (explicit curve parameters are not supported); "
                        + "use a named P-256, P-384 or P-521 key")
            }
            guard let curve = KeyStructures.curve(curveOID) else {
                throw PKIXError(
                    code: .unsupportedKey,
                    message: "EC curve \(KeyStructures.name(of: curveOID)) is not supported; Binary Authorization "
                        + "uses P-256, P-384 and P-521")
            }
            let point = Array(spki.key)
            let compressed = point.first == 0x02 || point.first == 0x03
            keyType = .ec(curve)
            do {
                switch curve {
                case .p256:
                    material = .p256(
                        compressed
                            ? try P256.Signing.PublicKey(compressedRepresentation: point)
                            : try P256.Signing.PublicKey(x963Representation: point))
                case .p384:
                    material = .p384(
                        compressed
                            ? try P384.Signing.PublicKey(compressedRepresentation: point)
                            : try P384.Signing.PublicKey(x963Representation: point))
                case .p521:
                    material = .p521(
                        compressed
                            ? try P521.Signing.PublicKey(compressedRepresentation: point)
                            : try P521.Signing.PublicKey(x963Representation: point))
                }
            } catch {
                throw PKIXError(code: .malformedKey, message: "the EC public key is not a valid point on its curve")
            }
        case KeyStructures.rsaEncryption, KeyStructures.rsassaPSS:
            let pssOnly = spki.algorithm == KeyStructures.rsassaPSS
            let numbers: RSAPublicNumbers
            do {
                let (n, e) = try KeyStructures.rsaPublicKey(spki.key)
                // Size first: setting up Montgomery arithmetic for a 262,144-bit modulus took seconds.
                let significant = n.drop { $0 == 0 }
                let bits = significant.isEmpty ? 0 : significant.count * 8 - significant.first!.leadingZeroBitCount
                guard bits <= limits.maximumRSAModulusBits else {
                    throw PKIXError(
                        code: .keyTooLarge,
                        message: "the RSA key has a \(bits)-bit modulus, more than \(limits.maximumRSAModulusBits) "
                            + "(InputLimits.maximumRSAModulusBits); Binary Authorization keys are 2048, 3072 or 4096 bits"
                    )
                }
                numbers = try RSAPublicNumbers(modulus: n, exponent: e)
            } catch let error as PKIXError {
                throw error
            } catch let error as RSAPublicNumbers.InvalidNumbers {
                throw PKIXError(code: .malformedKey, message: "invalid RSA public key: \(error.reason)")
            } catch {
                throw PKIXError(
                    code: .malformedKey,
                    message: "the RSA public key is not a DER RSAPublicKey (\(KeyStructures.describe(error)))")
            }
            keyType = .rsa(bits: numbers.bitCount)
            var crypto: _RSA.Signing.PublicKey?
            if numbers.bitCount >= 1024 {
                do {
                    crypto = try _RSA.Signing.PublicKey(unsafeDERRepresentation: derRepresentation)
                } catch {
                    throw PKIXError(
                        code: .malformedKey,
                        message: "the RSA public key is not valid (\(KeyStructures.describe(error)))")
                }
            }
            material = .rsa(numbers, crypto: crypto, pssOnly: pssOnly)
        default:
            throw PKIXError(
                code: .unsupportedKey,
                message: "key type \(KeyStructures.name(of: spki.algorithm)) is not supported; Binary Authorization "
                    + "PKIX keys are EC (P-256, P-384, P-521) or RSA (2048, 3072, 4096 bits)")
        }
    }

    /// The key as a PEM `PUBLIC KEY` block (64-character lines, final newline).
    public var pemRepresentation: String { PEM.encode(derRepresentation, label: "PUBLIC KEY") }

    /// The id Binary Authorization computes when an attestor's key has none:
    /// `ni:///sha-256;` + unpadded base64url of SHA-256 over ``derRepresentation`` (RFC 6920).
    public var defaultKeyID: String { PKIXKeyID.defaultID(forSubjectPublicKeyInfo: derRepresentation) }

    /// Whether this is an `id-RSASSA-PSS` key (usable only with the PSS algorithms).
    public var isRSAPSSKey: Bool {
        if case .rsa(_, _, true) = material { return true }
        return false
    }

    /// Checks that the key's type and size are the ones `algorithm` requires.
    ///
    /// - Parameter algorithm: Any of the API's algorithms; aliases behave like their canonical value.
    /// - Throws: ``PKIXError/Code/keyAlgorithmMismatch`` saying both, e.g.
    ///   `key is EC P-384 but ECDSA_P256_SHA256 needs EC P-256`, or ``PKIXError/Code/unsupportedAlgorithm``.
    public func checkCompatibility(with algorithm: SignatureAlgorithm) throws(PKIXError) {
        if let problem = incompatibility(with: algorithm) { throw problem }
    }

    /// Whether the key's type and size are the ones `algorithm` requires.
    public func isCompatible(with algorithm: SignatureAlgorithm) -> Bool { incompatibility(with: algorithm) == nil }

    func incompatibility(with algorithm: SignatureAlgorithm) -> PKIXError? {
        guard let parameters = algorithm.parameters else {
            return PKIXError(
                code: .unsupportedAlgorithm,
                message: "signature algorithm \(algorithm.rawValue) is not usable; use one of "
                    + SignatureAlgorithm.usableValues.map(\.rawValue).joined(separator: ", "))
        }
        guard parameters.key == keyType else {
            return PKIXError(
                code: .keyAlgorithmMismatch,
                message: "key is \(keyType) but \(algorithm.rawValue) needs \(parameters.key)")
        }
        if isRSAPSSKey && parameters.padding != .pss {
            return PKIXError(
                code: .keyAlgorithmMismatch,
                message: "key is an RSASSA-PSS key (id-RSASSA-PSS) but \(algorithm.rawValue) needs an rsaEncryption "
                    + "key for PKCS#1 v1.5 signatures")
        }
        return nil
    }

    /// `PKIXPublicKey(EC P-256, ni:///sha-256;…)`.
    public var description: String { "PKIXPublicKey(\(keyType), \(defaultKeyID))" }

    public static func == (lhs: PKIXPublicKey, rhs: PKIXPublicKey) -> Bool {
        lhs.derRepresentation == rhs.derRepresentation
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(derRepresentation) }
}
