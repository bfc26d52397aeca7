// SPDX-License-Identifier: Apache-2.0

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import BinAuthzModel
import BinAuthzPayload
import BinAuthzPolicy
import Crypto
import SwiftASN1
import Synchronization

/// A sigstore authority's `publicKeyPem`, verifying signatures as `cosign verify --key` does.
///
/// cosign signs the payload bytes themselves (no PAE) and records no algorithm, so the key decides: ECDSA keys verify
/// with SHA-256 (cosign's default for every curve), and also with the curve's own hash (SHA-384 for P-384, SHA-512
/// for P-521), DER or raw r‖s; RSA keys with PKCS#1 v1.5 and SHA-256 (2048, 3072 and 4096 bits, as the API's
/// `signatureAlgorithm` values allow); Ed25519 keys with Ed25519 over the payload.
struct CosignVerificationKey: Sendable {
    enum Material: Sendable {
        case pkix(PKIXPublicKey)
        case ed25519(Curve25519.Signing.PublicKey)
    }
    let material: Material

    static let ed25519: ASN1ObjectIdentifier = [1, 3, 101, 112]

    init(pem: String, limits: InputLimits) throws(PKIXError) {
        // Ed25519 first: PKIXPublicKey refuses it, as Binary Authorization's PKIX attestors cannot use it.
        if let document = try? PEM.parse(pem), document.blocks.count == 1, let block = document.blocks.first,
            block.label == "PUBLIC KEY", let spki = try? KeyStructures.subjectPublicKeyInfo(block.der),
            spki.algorithm == Self.ed25519
        {
            guard spki.parameters == nil, let key = try? Curve25519.Signing.PublicKey(rawRepresentation: spki.key)
            else {
                throw PKIXError(
                    code: .malformedKey, message: "the Ed25519 key is malformed (32 key bytes, no parameters)")
            }
            material = .ed25519(key)
            return
        }
        material = .pkix(try PKIXPublicKey(pemRepresentation: pem, limits: limits))
    }

    /// Whether `signature` is a signature of `payload` by this key, under any scheme cosign uses for its type.
    func verifies(_ signature: [UInt8], over payload: [UInt8]) -> Bool {
        switch material {
        case .ed25519(let key):
            return key.isValidSignature(signature, for: payload)
        case .pkix(let key):
            let algorithms: [SignatureAlgorithm]
            switch key.material {
            case .p256: algorithms = [.ecdsaP256SHA256]
            case .p384: algorithms = [.ecdsaP384SHA384]
            case .p521: algorithms = [.ecdsaP521SHA512]
            case .rsa: algorithms = [.rsaSignPKCS1_2048SHA256, .rsaSignPKCS1_3072SHA256, .rsaSignPKCS1_4096SHA256]
            }
            if case .p384(let ec) = key.material,
                Self.ecdsaSHA256(
                    signature, payload, { (s: P384.Signing.ECDSASignature, d) in ec.isValidSignature(s, for: d) }, 48)
            {
                return true
            }
            if case .p521(let ec) = key.material,
                Self.ecdsaSHA256(
                    signature, payload, { (s: P521.Signing.ECDSASignature, d) in ec.isValidSignature(s, for: d) }, 66)
            {
                return true
            }
            return algorithms.contains { algorithm in
                key.isCompatible(with: algorithm)
                    && PKIXVerifier(publicKey: key, algorithm: algorithm).verify(signature: signature, payload: payload)
                        == .verified
            }
        }
    }

    /// ECDSA over SHA-256 on P-384 / P-521 (cosign's default hash, which the API's algorithms do not pair with
    /// those curves).
    private static func ecdsaSHA256<Signature: ECDSASignatureParsing>(
        _ signature: [UInt8], _ payload: [UInt8], _ check: (Signature, SHA256.Digest) -> Bool, _ coordinate: Int
    ) -> Bool {
        let digest = SHA256.hash(data: payload)
        if let parsed = try? Signature(derRepresentation: signature), check(parsed, digest) { return true }
        if signature.count == 2 * coordinate, let parsed = try? Signature(rawRepresentation: signature),
            check(parsed, digest)
        {
            return true
        }
        return false
    }
}

/// The ECDSA signature types of P-384 and P-521, parsed alike.
protocol ECDSASignatureParsing {
    init(derRepresentation: some DataProtocol) throws
    init(rawRepresentation: some DataProtocol) throws
}
extension P384.Signing.ECDSASignature: ECDSASignatureParsing {}
extension P521.Signing.ECDSASignature: ECDSASignatureParsing {}

/// cosign signatures as evidence for platform policies' `sigstoreSignatureCheck`.
///
/// An image conforms when one signature's payload is a cosign payload (`critical.type` `cosign container image
/// signature`) whose `critical.image.docker-manifest-digest` is the image's digest, and the signature verifies with
/// a `publicKeyPem` of one of the check's `sigstoreAuthorities` (any key of any authority). The payload's
/// `docker-reference` is not compared (cosign ignores it). Transparency-log entries (Rekor bundles) and
/// certificates are not required and not checked: the check is key-based, and offline there is no log to ask.
/// An image referenced by tag has no digest to match: non-conformant.
///
/// ```swift
/// let signatures = try CosignSignature.readDownloadOutput(cosignDownloadOutput)
/// let evaluator = try PlatformPolicyEvaluator(policy: policy, checkEvaluators: [SigstoreSignatures(signatures)])
/// ```
public final class SigstoreSignatures: PlatformCheckEvaluator, Sendable {
    /// The signatures given.
    public let signatures: [CosignSignature]
    private let byDigest: [String: [CosignSignature]]
    private let unreadable: [(source: String, problem: String)]
    private let limits: InputLimits
    private let keys = Mutex<[String: Result<CosignVerificationKey, PKIXError>]>([:])

    /// The most distinct keys kept parsed at once; more are parsed again when needed.
    static let keyCacheLimit = 1_024

    /// Collects signatures.
    public init(_ signatures: [CosignSignature], limits: InputLimits = .default) {
        self.signatures = signatures
        self.limits = limits
        var byDigest: [String: [CosignSignature]] = [:]
        var unreadable: [(String, String)] = []
        for signature in signatures {
            switch signature.signedDigest {
            case .success(let digest): byDigest[digest, default: []].append(signature)
            case .failure(let error): unreadable.append((signature.source ?? "a signature", error.message))
            }
        }
        self.byDigest = byDigest
        self.unreadable = unreadable
    }

    public var checkType: PlatformCheckType { .sigstoreSignature }

    private func key(_ pem: String) -> Result<CosignVerificationKey, PKIXError> {
        if let cached = keys.withLock({ $0[pem] }) { return cached }
        let parsed = Result { () throws(PKIXError) in try CosignVerificationKey(pem: pem, limits: limits) }
        keys.withLock { cache in
            if cache.count >= Self.keyCacheLimit { cache.removeAll() }
            cache[pem] = parsed
        }
        return parsed
    }

    public func evaluate(_ check: Check, image: String, pod: KubernetesWorkload, at time: Date) throws
        -> PlatformCheckOutcome
    {
        guard let sigstore = check.sigstoreSignatureCheck else {
            return .error("the check has no sigstoreSignatureCheck")
        }
        var usable: [(authority: Int, name: String?, key: CosignVerificationKey)] = []
        var keyProblems: [String] = []
        for (index, authority) in sigstore.sigstoreAuthorities.enumerated() {
            for pem in authority.publicKeySet?.publicKeys.compactMap(\.publicKeyPEM) ?? [] {
                switch key(pem) {
                case .success(let key): usable.append((index, authority.displayName, key))
                case .failure(let error): keyProblems.append("authority \(index): \(error.message)")
                }
            }
        }
        guard !usable.isEmpty else {
            return .error(
                "none of the check's public keys can be used"
                    + (keyProblems.isEmpty ? "" : ": " + keyProblems.joined(separator: "; ")))
        }
        guard let at = image.lastIndex(of: "@") else {
            return .nonConformant("Image \(image) is not referenced by digest, so no signature can be for it")
        }
        let digest = String(image[image.index(after: at)...])
        let candidates = byDigest[digest] ?? []
        var checks = 0
        for signature in candidates {
            for (index, name, key) in usable {
                checks += 1
                guard checks <= limits.maximumSignatureChecksPerDecision else {
                    return .error(
                        "more than \(limits.maximumSignatureChecksPerDecision) signature checks for one image "
                            + "(InputLimits.maximumSignatureChecksPerDecision)")
                }
                if key.verifies(signature.signature, over: signature.payload) {
                    let label = name.map { " \"\($0)\"" } ?? ""
                    return .conformant("Image has a cosign signature verified by sigstore authority \(index)\(label)")
                }
            }
        }
        var explanation =
            candidates.isEmpty
            ? "No cosign signature for \(digest) was given"
                + (signatures.isEmpty ? " (no signatures at all: give them with --sigstore-signature-file)" : "")
            : "None of the \(candidates.count) cosign signature\(candidates.count == 1 ? "" : "s") for \(digest) "
                + "verifies with a key of the check's authorities"
        if !unreadable.isEmpty {
            explanation +=
                " (\(unreadable.count) signature\(unreadable.count == 1 ? " was" : "s were") not cosign payloads: "
                + unreadable.prefix(3).map { "\($0.source): \($0.problem)" }.joined(separator: "; ") + ")"
        }
        return .nonConformant(explanation)
    }
}
