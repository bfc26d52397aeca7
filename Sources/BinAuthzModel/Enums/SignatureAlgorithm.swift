// SPDX-License-Identifier: Apache-2.0

/// The `signatureAlgorithm` of a ``PKIXKeySpec``: key type, key size or curve, padding and digest.
///
/// All 18 values of the v1 API are known, including the KMS-style aliases (`RSA_SIGN_PSS_2048_SHA256` is
/// the same algorithm as `RSA_PSS_2048_SHA256`, `EC_SIGN_P256_SHA256` the same as `ECDSA_P256_SHA256`).
/// ``init(gcloudName:)`` accepts gcloud's lower-case spelling (`ecdsa-p256-sha256`) as well as the API name.
public struct SignatureAlgorithm: APIEnum {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `SIGNATURE_ALGORITHM_UNSPECIFIED` — not a usable value.
    public static let unspecified = SignatureAlgorithm(rawValue: "SIGNATURE_ALGORITHM_UNSPECIFIED")
    /// RSASSA-PSS, 2048-bit key, SHA-256.
    public static let rsaPSS2048SHA256 = SignatureAlgorithm(rawValue: "RSA_PSS_2048_SHA256")
    /// Alias of ``rsaPSS2048SHA256``.
    public static let rsaSignPSS2048SHA256 = SignatureAlgorithm(rawValue: "RSA_SIGN_PSS_2048_SHA256")
    /// RSASSA-PSS, 3072-bit key, SHA-256.
    public static let rsaPSS3072SHA256 = SignatureAlgorithm(rawValue: "RSA_PSS_3072_SHA256")
    /// Alias of ``rsaPSS3072SHA256``.
    public static let rsaSignPSS3072SHA256 = SignatureAlgorithm(rawValue: "RSA_SIGN_PSS_3072_SHA256")
    /// RSASSA-PSS, 4096-bit key, SHA-256.
    public static let rsaPSS4096SHA256 = SignatureAlgorithm(rawValue: "RSA_PSS_4096_SHA256")
    /// Alias of ``rsaPSS4096SHA256``.
    public static let rsaSignPSS4096SHA256 = SignatureAlgorithm(rawValue: "RSA_SIGN_PSS_4096_SHA256")
    /// RSASSA-PSS, 4096-bit key, SHA-512.
    public static let rsaPSS4096SHA512 = SignatureAlgorithm(rawValue: "RSA_PSS_4096_SHA512")
    /// Alias of ``rsaPSS4096SHA512``.
    public static let rsaSignPSS4096SHA512 = SignatureAlgorithm(rawValue: "RSA_SIGN_PSS_4096_SHA512")
    /// RSASSA-PKCS1-v1_5, 2048-bit key, SHA-256.
    public static let rsaSignPKCS1_2048SHA256 = SignatureAlgorithm(rawValue: "RSA_SIGN_PKCS1_2048_SHA256")
    /// RSASSA-PKCS1-v1_5, 3072-bit key, SHA-256.
    public static let rsaSignPKCS1_3072SHA256 = SignatureAlgorithm(rawValue: "RSA_SIGN_PKCS1_3072_SHA256")
    /// RSASSA-PKCS1-v1_5, 4096-bit key, SHA-256.
    public static let rsaSignPKCS1_4096SHA256 = SignatureAlgorithm(rawValue: "RSA_SIGN_PKCS1_4096_SHA256")
    /// RSASSA-PKCS1-v1_5, 4096-bit key, SHA-512.
    public static let rsaSignPKCS1_4096SHA512 = SignatureAlgorithm(rawValue: "RSA_SIGN_PKCS1_4096_SHA512")
    /// ECDSA on P-256 with SHA-256.
    public static let ecdsaP256SHA256 = SignatureAlgorithm(rawValue: "ECDSA_P256_SHA256")
    /// Alias of ``ecdsaP256SHA256``.
    public static let ecSignP256SHA256 = SignatureAlgorithm(rawValue: "EC_SIGN_P256_SHA256")
    /// ECDSA on P-384 with SHA-384.
    public static let ecdsaP384SHA384 = SignatureAlgorithm(rawValue: "ECDSA_P384_SHA384")
    /// Alias of ``ecdsaP384SHA384``.
    public static let ecSignP384SHA384 = SignatureAlgorithm(rawValue: "EC_SIGN_P384_SHA384")
    /// ECDSA on P-521 with SHA-512.
    public static let ecdsaP521SHA512 = SignatureAlgorithm(rawValue: "ECDSA_P521_SHA512")
    /// Alias of ``ecdsaP521SHA512``.
    public static let ecSignP521SHA512 = SignatureAlgorithm(rawValue: "EC_SIGN_P521_SHA512")

    /// The API's values in declaration order (`SIGNATURE_ALGORITHM_UNSPECIFIED` first).
    public static let knownValues: [SignatureAlgorithm] = [
        .unspecified,
        .rsaPSS2048SHA256, .rsaSignPSS2048SHA256,
        .rsaPSS3072SHA256, .rsaSignPSS3072SHA256,
        .rsaPSS4096SHA256, .rsaSignPSS4096SHA256,
        .rsaPSS4096SHA512, .rsaSignPSS4096SHA512,
        .rsaSignPKCS1_2048SHA256, .rsaSignPKCS1_3072SHA256, .rsaSignPKCS1_4096SHA256, .rsaSignPKCS1_4096SHA512,
        .ecdsaP256SHA256, .ecSignP256SHA256,
        .ecdsaP384SHA384, .ecSignP384SHA384,
        .ecdsaP521SHA512, .ecSignP521SHA512,
    ]

    /// The values gcloud offers for `--pkix-public-key-algorithm` (every known value but the unspecified one).
    public static var usableValues: [SignatureAlgorithm] { knownValues.filter { $0 != .unspecified } }

    /// Parses gcloud's lower-case, dash-separated spelling (`rsa-pss-2048-sha256`) or the API name
    /// (`RSA_PSS_2048_SHA256`). Returns `nil` for anything that is not a usable, known algorithm.
    public init?(gcloudName: String) {
        let apiName = gcloudName.uppercased().replacing("-", with: "_")
        let value = SignatureAlgorithm(rawValue: apiName)
        guard value.isKnown, value != .unspecified else { return nil }
        self = value
    }

    /// gcloud's spelling of this value: lower case with `-` for `_` (`ecdsa-p256-sha256`).
    public var gcloudName: String { rawValue.lowercased().replacing("_", with: "-") }

    /// The key family, size and digest this algorithm requires, or `nil` for unspecified and unknown values.
    public var parameters: Parameters? {
        let parts = rawValue.split(separator: "_").map(String.init)
        guard isKnown, self != .unspecified, let hashName = parts.last else { return nil }
        let digest: Digest
        switch hashName {
        case "SHA256": digest = .sha256
        case "SHA384": digest = .sha384
        case "SHA512": digest = .sha512
        default: return nil
        }
        if parts.contains("PSS") || parts.contains("PKCS1") {
            guard let bits = parts.compactMap({ Int($0) }).first else { return nil }
            return Parameters(key: .rsa(bits: bits), padding: parts.contains("PSS") ? .pss : .pkcs1v15, digest: digest)
        }
        let curve: Curve
        if parts.contains("P256") {
            curve = .p256
        } else if parts.contains("P384") {
            curve = .p384
        } else if parts.contains("P521") {
            curve = .p521
        } else {
            return nil
        }
        return Parameters(key: .ec(curve), padding: nil, digest: digest)
    }

    /// The primary spelling of an alias (`EC_SIGN_P256_SHA256` → `ECDSA_P256_SHA256`,
    /// `RSA_SIGN_PSS_2048_SHA256` → `RSA_PSS_2048_SHA256`); other values are returned unchanged.
    public var canonical: SignatureAlgorithm {
        switch self {
        case .rsaSignPSS2048SHA256: .rsaPSS2048SHA256
        case .rsaSignPSS3072SHA256: .rsaPSS3072SHA256
        case .rsaSignPSS4096SHA256: .rsaPSS4096SHA256
        case .rsaSignPSS4096SHA512: .rsaPSS4096SHA512
        case .ecSignP256SHA256: .ecdsaP256SHA256
        case .ecSignP384SHA384: .ecdsaP384SHA384
        case .ecSignP521SHA512: .ecdsaP521SHA512
        default: self
        }
    }
}

extension SignatureAlgorithm {
    /// What a ``SignatureAlgorithm`` requires of the key and how it signs.
    public struct Parameters: Hashable, Sendable {
        /// The key type and size the algorithm requires.
        public var key: KeyType
        /// The RSA padding, or `nil` for ECDSA.
        public var padding: RSAPadding?
        /// The digest applied to the payload.
        public var digest: Digest
    }

    /// A key type with its size or curve.
    public enum KeyType: Hashable, Sendable, CustomStringConvertible {
        /// An RSA key with a modulus of exactly `bits` bits.
        case rsa(bits: Int)
        /// An elliptic-curve key on the given curve.
        case ec(Curve)

        public var description: String {
            switch self {
            case .rsa(let bits): "RSA \(bits)-bit"
            case .ec(let curve): "EC \(curve)"
            }
        }
    }

    /// A NIST curve used by the API's ECDSA algorithms.
    public enum Curve: String, Hashable, Sendable, CustomStringConvertible {
        case p256 = "P-256"
        case p384 = "P-384"
        case p521 = "P-521"
        public var description: String { rawValue }
    }

    /// RSA signature padding.
    public enum RSAPadding: String, Hashable, Sendable {
        /// RSASSA-PKCS1-v1_5.
        case pkcs1v15 = "PKCS#1 v1.5"
        /// RSASSA-PSS with MGF1 over the same digest.
        case pss = "PSS"
    }

    /// A digest algorithm.
    public enum Digest: String, Hashable, Sendable, CustomStringConvertible {
        case sha256 = "SHA-256"
        case sha384 = "SHA-384"
        case sha512 = "SHA-512"
        public var description: String { rawValue }
        /// The digest length in bytes.
        public var byteCount: Int {
            switch self {
            case .sha256: 32
            case .sha384: 48
            case .sha512: 64
            }
        }
    }
}
