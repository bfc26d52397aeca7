// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import Crypto

/// PKIX key ids: the default `ni:///sha-256;…` form and the rule for ids users choose.
public enum PKIXKeyID {
    /// The prefix of default key ids (RFC 6920 named information, SHA-256).
    public static let defaultPrefix = "ni:///sha-256;"

    /// The id Binary Authorization computes for a key added without one: `ni:///sha-256;` followed by the
    /// unpadded base64url SHA-256 of the DER SubjectPublicKeyInfo (43 characters).
    ///
    /// - Parameter der: The DER SubjectPublicKeyInfo.
    /// - Returns: For example `ni:///sha-256;F8ZLbGLECGCxd8yEtBiqNnSMB7S-TC0CpJ1G9JLJpD4`.
    public static func defaultID(forSubjectPublicKeyInfo der: [UInt8]) -> String {
        defaultPrefix + Base64.encodeURLSafeUnpadded(SHA256.hash(data: der))
    }

    /// Whether `id` may be used as a PKIX key id: an RFC 3986 URI (`ni:///sha-256;…`, `//cloudkms.googleapis.com/…`,
    /// `https://…`), as the API requires of `--public-key-id-override`.
    public static func isValid(_ id: String) -> Bool { SyntaxRules.isURI(id) }

    /// Checks a user-chosen key id.
    ///
    /// - Parameter id: The id.
    /// - Throws: ``PKIXError/Code/invalidKeyID`` when it is not an RFC 3986 URI.
    public static func validate(_ id: String) throws(PKIXError) {
        guard isValid(id) else {
            throw PKIXError(
                code: .invalidKeyID,
                message: "key id \"\(id)\" is not an RFC 3986 URI; use the default ni:///sha-256;… id or a URI "
                    + "such as //cloudkms.googleapis.com/v1/projects/P/locations/L/keyRings/R/cryptoKeys/K/cryptoKeyVersions/1"
            )
        }
    }
}
