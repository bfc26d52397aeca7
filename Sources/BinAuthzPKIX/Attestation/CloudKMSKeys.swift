// SPDX-License-Identifier: Apache-2.0

import BinAuthzAttestation
import BinAuthzModel

/// A Cloud KMS key version, `projects/P/locations/L/keyRings/R/cryptoKeys/K/cryptoKeyVersions/V` — what gcloud's
/// `--keyversion-project`, `--keyversion-location`, `--keyversion-keyring`, `--keyversion-key` and `--keyversion`
/// flags name.
public struct CloudKMSKeyVersion: Hashable, Sendable, CustomStringConvertible {
    /// The project id.
    public var project: String
    /// The location (`global`, `us-east1`, …).
    public var location: String
    /// The key ring.
    public var keyRing: String
    /// The crypto key.
    public var cryptoKey: String
    /// The version, e.g. `1`.
    public var version: String

    /// Creates a key version name.
    ///
    /// - Throws: `AttestationError.Code.invalidKeyID` when a part is empty or holds `/` or
    ///   whitespace (no such KMS resource exists).
    public init(project: String, location: String, keyRing: String, cryptoKey: String, version: String)
        throws(AttestationError)
    {
        for (part, value) in [
            ("project", project), ("location", location), ("key ring", keyRing), ("key", cryptoKey),
            ("key version", version),
        ] where value.isEmpty || value.contains(where: { $0 == "/" || $0.isWhitespace }) {
            throw AttestationError(
                code: .invalidKeyID, message: "the Cloud KMS \(part) \"\(value)\" is empty or contains / or whitespace")
        }
        self.project = project
        self.location = location
        self.keyRing = keyRing
        self.cryptoKey = cryptoKey
        self.version = version
    }

    /// The relative resource name.
    public var description: String {
        "projects/\(project)/locations/\(location)/keyRings/\(keyRing)/cryptoKeys/\(cryptoKey)/cryptoKeyVersions/\(version)"
    }

    /// The attestor key id gcloud gives a KMS key (`kms.GetKeyUri`: the key version's self link without its scheme),
    /// `//cloudkms.googleapis.com/v1/projects/…/cryptoKeyVersions/V`.
    public var keyID: String { "//cloudkms.googleapis.com/v1/" + description }
}

extension SignatureAlgorithm {
    /// The 39 `CryptoKeyVersionAlgorithm` names of Cloud KMS v1 that gcloud 528 knows, in enum order.
    public static let cloudKMSAlgorithms: [String] = [
        "CRYPTO_KEY_VERSION_ALGORITHM_UNSPECIFIED", "GOOGLE_SYMMETRIC_ENCRYPTION", "AES_128_GCM", "AES_256_GCM",
        "AES_128_CBC", "AES_256_CBC", "AES_128_CTR", "AES_256_CTR", "RSA_SIGN_PSS_2048_SHA256",
        "RSA_SIGN_PSS_3072_SHA256",
        "RSA_SIGN_PSS_4096_SHA256", "RSA_SIGN_PSS_4096_SHA512", "RSA_SIGN_PKCS1_2048_SHA256",
        "RSA_SIGN_PKCS1_3072_SHA256",
        "RSA_SIGN_PKCS1_4096_SHA256", "RSA_SIGN_PKCS1_4096_SHA512", "RSA_SIGN_RAW_PKCS1_2048",
        "RSA_SIGN_RAW_PKCS1_3072",
        "RSA_SIGN_RAW_PKCS1_4096", "RSA_DECRYPT_OAEP_2048_SHA256", "RSA_DECRYPT_OAEP_3072_SHA256",
        "RSA_DECRYPT_OAEP_4096_SHA256", "RSA_DECRYPT_OAEP_4096_SHA512", "RSA_DECRYPT_OAEP_2048_SHA1",
        "RSA_DECRYPT_OAEP_3072_SHA1", "RSA_DECRYPT_OAEP_4096_SHA1", "EC_SIGN_P256_SHA256", "EC_SIGN_P384_SHA384",
        "EC_SIGN_SECP256K1_SHA256", "EC_SIGN_ED25519", "HMAC_SHA256", "HMAC_SHA1", "HMAC_SHA384", "HMAC_SHA512",
        "HMAC_SHA224", "EXTERNAL_SYMMETRIC_ENCRYPTION", "PQ_SIGN_ML_DSA_65", "PQ_SIGN_SLH_DSA_SHA2_128S",
        "PQ_SIGN_HASH_SLH_DSA_SHA2_128S_SHA256",
    ]

    /// The attestor `signatureAlgorithm` for a Cloud KMS key version's algorithm, as gcloud's
    /// `ConvertFromKmsSignatureAlgorithm` maps it: `RSA_SIGN_PSS_*` → `RSA_PSS_*`, `RSA_SIGN_PKCS1_*` → the same name,
    /// `EC_SIGN_P256_SHA256` → `ECDSA_P256_SHA256`, `EC_SIGN_P384_SHA384` → `ECDSA_P384_SHA384`.
    ///
    /// - Parameter kmsAlgorithm: The KMS name, as `gcloud kms keys versions describe … --format='value(algorithm)'`
    ///   prints it (upper case).
    /// - Throws: `AttestationError.Code.invalidKey` with gcloud's `Unsupported PkixPublicKey
    ///   signature algorithm: "EC_SIGN_ED25519"` for every other KMS algorithm, and a message listing the KMS names
    ///   for a name that is none of them (gcloud crashes on that).
    public static func fromCloudKMS(_ kmsAlgorithm: String) throws(AttestationError) -> SignatureAlgorithm {
        let map: [String: SignatureAlgorithm] = [
            "RSA_SIGN_PSS_2048_SHA256": .rsaPSS2048SHA256, "RSA_SIGN_PSS_3072_SHA256": .rsaPSS3072SHA256,
            "RSA_SIGN_PSS_4096_SHA256": .rsaPSS4096SHA256, "RSA_SIGN_PSS_4096_SHA512": .rsaPSS4096SHA512,
            "RSA_SIGN_PKCS1_2048_SHA256": .rsaSignPKCS1_2048SHA256,
            "RSA_SIGN_PKCS1_3072_SHA256": .rsaSignPKCS1_3072SHA256,
            "RSA_SIGN_PKCS1_4096_SHA256": .rsaSignPKCS1_4096SHA256,
            "RSA_SIGN_PKCS1_4096_SHA512": .rsaSignPKCS1_4096SHA512,
            "EC_SIGN_P256_SHA256": .ecdsaP256SHA256, "EC_SIGN_P384_SHA384": .ecdsaP384SHA384,
        ]
        if let algorithm = map[kmsAlgorithm] { return algorithm }
        guard cloudKMSAlgorithms.contains(kmsAlgorithm) else {
            throw AttestationError(
                code: .invalidKey,
                message: "\"\(kmsAlgorithm)\" is not a Cloud KMS key algorithm; expected one of "
                    + map.keys.sorted().joined(separator: ", ") + " (the key version's algorithm)")
        }
        throw AttestationError(
            code: .invalidKey, message: "Unsupported PkixPublicKey signature algorithm: \"\(kmsAlgorithm)\"")
    }
}

extension Attestor {
    /// Adds a Cloud KMS key version the way `gcloud … attestors public-keys add --keyversion-project P
    /// --keyversion-location L --keyversion-keyring R --keyversion-key K --keyversion V` does: the PEM and algorithm
    /// KMS reports for the version (`gcloud kms keys versions get-public-key` and `… describe`), the algorithm mapped
    /// by `SignatureAlgorithm.fromCloudKMS(_:)`, and the id `//cloudkms.googleapis.com/v1/…` unless
    /// overridden.
    ///
    /// - Parameters:
    ///   - pem: The version's public key.
    ///   - kmsAlgorithm: The version's KMS algorithm name (`EC_SIGN_P256_SHA256`).
    ///   - keyVersion: The key version.
    ///   - idOverride: An explicit id (a URI); `nil` or empty for the KMS id (gcloud: `override or GetKeyUri`).
    ///   - comment: An optional comment.
    /// - Returns: The key entry that was added.
    /// - Throws: As ``addPKIXPublicKey(pem:algorithm:idOverride:comment:)``, and gcloud's `Unsupported PkixPublicKey
    ///   signature algorithm` error.
    @discardableResult
    public mutating func addKMSPublicKey(
        pem: String, kmsAlgorithm: String, keyVersion: CloudKMSKeyVersion, idOverride: String? = nil,
        comment: String? = nil
    ) throws(AttestationError) -> AttestorPublicKey {
        let algorithm = try SignatureAlgorithm.fromCloudKMS(kmsAlgorithm)
        let id = idOverride.flatMap { $0.isEmpty ? nil : $0 } ?? keyVersion.keyID
        return try addPKIXPublicKey(pem: pem, algorithm: algorithm, idOverride: id, comment: comment)
    }
}
