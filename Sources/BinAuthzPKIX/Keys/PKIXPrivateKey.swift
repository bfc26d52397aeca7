// SPDX-License-Identifier: Apache-2.0

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import BinAuthzModel
import Crypto
import CryptoExtras
import SwiftASN1

/// A private key for PKIX signing: EC P-256, P-384, P-521 or RSA.
///
/// Read from PEM in the three usual forms — PKCS#8 `PRIVATE KEY` (`openssl genpkey`), SEC 1 `EC PRIVATE KEY`
/// (`openssl ecparam -genkey`, whose `EC PARAMETERS` block is skipped) and PKCS#1 `RSA PRIVATE KEY` — or generate one
/// for an algorithm with ``generate(for:)``. Written out as PKCS#8.
///
/// The key material is never printed: ``description`` and reflection show only the type and key id.
public struct PKIXPrivateKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    enum Material: Sendable {
        case p256(P256.Signing.PrivateKey)
        case p384(P384.Signing.PrivateKey)
        case p521(P521.Signing.PrivateKey)
        case rsa(_RSA.Signing.PrivateKey)
    }

    let material: Material
    /// The matching public key.
    public let publicKey: PKIXPublicKey

    /// The key type with its size or curve.
    public var keyType: SignatureAlgorithm.KeyType { publicKey.keyType }

    init(material: Material) throws(PKIXError) {
        self.material = material
        let spki: Data
        switch material {
        case .p256(let key): spki = key.publicKey.derRepresentation
        case .p384(let key): spki = key.publicKey.derRepresentation
        case .p521(let key): spki = key.publicKey.derRepresentation
        case .rsa(let key): spki = key.publicKey.derRepresentation
        }
        publicKey = try PKIXPublicKey(derRepresentation: [UInt8](spki))
    }

    // MARK: Reading

    /// Reads a PEM private key: `PRIVATE KEY` (PKCS#8), `EC PRIVATE KEY` (SEC 1) or `RSA PRIVATE KEY` (PKCS#1).
    ///
    /// Explanatory text around the block and an `EC PARAMETERS` block are ignored; exactly one private key block
    /// must be present.
    ///
    /// - Parameter pemRepresentation: The PEM text.
    /// - Throws: ``PKIXError/Code/malformedPEM``, ``PKIXError/Code/malformedKey``, or
    ///   ``PKIXError/Code/unsupportedKey`` (encrypted keys, other key types, RSA below 1024 bits).
    public init(pemRepresentation: String) throws(PKIXError) {
        let document: PEM.Document
        do {
            document = try PEM.parse(pemRepresentation)
        } catch {
            throw PKIXError(code: .malformedPEM, message: error.message)
        }
        let keyBlocks = document.blocks.filter { $0.label != "EC PARAMETERS" }
        guard let block = keyBlocks.first else {
            throw PKIXError(
                code: .malformedPEM,
                message: "no private key PEM block found; expected -----BEGIN PRIVATE KEY----- (PKCS#8), "
                    + "-----BEGIN EC PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----")
        }
        guard keyBlocks.count == 1 else {
            throw PKIXError(
                code: .malformedPEM, message: "\(keyBlocks.count) PEM blocks found; give exactly one private key")
        }
        if block.hasHeaders {
            throw PKIXError(
                code: .unsupportedKey,
                message: "the private key is encrypted (Proc-Type header); decrypt it first, e.g. "
                    + "`openssl pkey -in FILE -out plain.pem`")
        }
        switch block.label {
        case "PRIVATE KEY":
            try self.init(pkcs8DER: block.der)
        case "EC PRIVATE KEY":
            try self.init(sec1DER: block.der)
        case "RSA PRIVATE KEY":
            try self.init(material: .rsa(Self.rsaKey(block.der, format: "PKCS#1 RSAPrivateKey")))
        case "ENCRYPTED PRIVATE KEY":
            throw PKIXError(
                code: .unsupportedKey,
                message: "the private key is encrypted (ENCRYPTED PRIVATE KEY); decrypt it first, e.g. "
                    + "`openssl pkey -in FILE -out plain.pem`")
        case "PUBLIC KEY":
            throw PKIXError(code: .malformedPEM, message: "this is a PUBLIC KEY; signing needs the private key")
        default:
            throw PKIXError(
                code: .malformedPEM,
                message: "the PEM block is \"\(block.label)\"; expected PRIVATE KEY, EC PRIVATE KEY or RSA PRIVATE KEY")
        }
    }

    /// Reads a DER PKCS#8 PrivateKeyInfo.
    ///
    /// - Throws: ``PKIXError/Code/malformedKey`` or ``PKIXError/Code/unsupportedKey``.
    public init(pkcs8DER der: [UInt8]) throws(PKIXError) {
        let algorithm: ASN1ObjectIdentifier
        let parameters: ASN1Node?
        do {
            (algorithm, parameters) = try KeyStructures.pkcs8Algorithm(der)
        } catch {
            throw PKIXError(
                code: .malformedKey, message: "not a DER PKCS#8 private key (\(KeyStructures.describe(error)))")
        }
        switch algorithm {
        case KeyStructures.rsaEncryption:
            try self.init(material: .rsa(Self.rsaKey(der, format: "PKCS#8 RSA private key")))
        case KeyStructures.ecPublicKey:
            guard let parameters, let curveOID = try? ASN1ObjectIdentifier(derEncoded: parameters) else {
                throw PKIXError(code: .unsupportedKey, message: "the EC private key does not name its curve")
            }
            try self.init(material: Self.ecKey(der, curveOID: curveOID))
        case KeyStructures.rsassaPSS:
            throw PKIXError(
                code: .unsupportedKey,
                message: "this is an id-RSASSA-PSS private key (openssl genpkey -algorithm RSA-PSS); signing needs an "
                    + "rsaEncryption key, which makes RSA-PSS signatures too: create one with `openssl genpkey "
                    + "-algorithm RSA -pkeyopt rsa_keygen_bits:2048` or `binauthz pkix generate-key`")
        default:
            throw PKIXError(
                code: .unsupportedKey,
                message: "key type \(KeyStructures.name(of: algorithm)) is not supported; Binary Authorization "
                    + "PKIX keys are EC (P-256, P-384, P-521) or RSA (2048, 3072, 4096 bits)")
        }
    }

    private init(sec1DER der: [UInt8]) throws(PKIXError) {
        let curve: ASN1ObjectIdentifier?
        let length: Int
        do {
            (curve, length) = try KeyStructures.sec1Curve(der)
        } catch {
            throw PKIXError(
                code: .malformedKey, message: "not a DER SEC 1 EC private key (\(KeyStructures.describe(error)))")
        }
        // Without parameters, the private key's length tells the curve.
        let inferred: ASN1ObjectIdentifier? =
            switch length {
            case 32: KeyStructures.p256
            case 48: KeyStructures.p384
            case 66: KeyStructures.p521
            default: nil
            }
        guard let curveOID = curve ?? inferred else {
            throw PKIXError(code: .unsupportedKey, message: "the EC private key does not name its curve")
        }
        try self.init(material: Self.ecKey(der, curveOID: curveOID))
    }

    private static func ecKey(_ der: [UInt8], curveOID: ASN1ObjectIdentifier) throws(PKIXError) -> Material {
        guard let curve = KeyStructures.curve(curveOID) else {
            throw PKIXError(
                code: .unsupportedKey,
                message: "EC curve \(KeyStructures.name(of: curveOID)) is not supported; Binary Authorization "
                    + "uses P-256, P-384 and P-521")
        }
        do {
            switch curve {
            case .p256: return .p256(try P256.Signing.PrivateKey(derRepresentation: der))
            case .p384: return .p384(try P384.Signing.PrivateKey(derRepresentation: der))
            case .p521: return .p521(try P521.Signing.PrivateKey(derRepresentation: der))
            }
        } catch {
            throw PKIXError(
                code: .malformedKey, message: "the EC private key is not valid (\(KeyStructures.describe(error)))")
        }
    }

    private static func rsaKey(_ der: [UInt8], format: String) throws(PKIXError) -> _RSA.Signing.PrivateKey {
        do {
            return try _RSA.Signing.PrivateKey(unsafeDERRepresentation: der)
        } catch {
            throw PKIXError(
                code: .malformedKey, message: "not a valid \(format) (or smaller than 1024 bits): \(error)")
        }
    }

    // MARK: Generating

    /// Generates a fresh key of the type and size `algorithm` requires.
    ///
    /// - Parameter algorithm: Any usable `SignatureAlgorithm`; RSA keys are 2048, 3072 or 4096 bits
    ///   (4096-bit generation takes up to a few seconds).
    /// - Throws: ``PKIXError/Code/unsupportedAlgorithm`` or ``PKIXError/Code/keyGenerationFailed``.
    public static func generate(for algorithm: SignatureAlgorithm) throws(PKIXError) -> PKIXPrivateKey {
        guard let parameters = algorithm.parameters else {
            throw PKIXError(
                code: .unsupportedAlgorithm,
                message: "signature algorithm \(algorithm.rawValue) is not usable; use one of "
                    + SignatureAlgorithm.usableValues.map(\.gcloudName).joined(separator: ", "))
        }
        switch parameters.key {
        case .ec(.p256): return try PKIXPrivateKey(material: .p256(P256.Signing.PrivateKey()))
        case .ec(.p384): return try PKIXPrivateKey(material: .p384(P384.Signing.PrivateKey()))
        case .ec(.p521): return try PKIXPrivateKey(material: .p521(P521.Signing.PrivateKey()))
        case .rsa(let bits):
            do {
                return try PKIXPrivateKey(material: .rsa(_RSA.Signing.PrivateKey(keySize: .init(bitCount: bits))))
            } catch let error as PKIXError {
                throw error
            } catch {
                throw PKIXError(code: .keyGenerationFailed, message: "RSA \(bits)-bit key generation failed: \(error)")
            }
        }
    }

    // MARK: Writing

    /// The key as DER PKCS#8 PrivateKeyInfo.
    public var pkcs8DERRepresentation: [UInt8] {
        switch material {
        case .p256(let key): [UInt8](key.derRepresentation)
        case .p384(let key): [UInt8](key.derRepresentation)
        case .p521(let key): [UInt8](key.derRepresentation)
        case .rsa(let key): [UInt8](key.pkcs8DERRepresentation)
        }
    }

    /// The key as a PEM `PRIVATE KEY` block (PKCS#8), as `openssl genpkey` writes it.
    ///
    /// - Important: This is the secret key. Write it only to a file readable by its owner (mode 0600).
    public var pemRepresentation: String { PEM.encode(pkcs8DERRepresentation, label: "PRIVATE KEY") }

    // MARK: Not printing secrets

    /// `PKIXPrivateKey(EC P-256, ni:///sha-256;…)` — the key material is never included.
    public var description: String { "PKIXPrivateKey(\(keyType), \(publicKey.defaultKeyID))" }
    /// Same as ``description``.
    public var debugDescription: String { description }
    /// A mirror without children, so `dump` and reflection do not reveal the key.
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
