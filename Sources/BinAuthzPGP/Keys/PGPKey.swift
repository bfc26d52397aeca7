// SPDX-License-Identifier: Apache-2.0

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A key as an ``EphemeralKeyring`` holds it, as GnuPG lists it after import: the primary key, its subkeys,
/// user ids, validity period and revocation.
///
/// These are the facts ``EphemeralKeyring/verifyAttached(_:at:limits:)-([UInt8],_,_)`` uses to decide whether a key was valid at the
/// evaluation time. GnuPG's own trust and validity judgements are not used (in a throwaway keyring every imported
/// key has "unknown" validity).
public struct PGPKey: Hashable, Sendable, CustomStringConvertible {
    /// The primary key's v4 fingerprint: the Binary Authorization key id.
    public let fingerprint: PGPFingerprint
    /// The user ids, in order.
    public let userIDs: [String]
    /// The primary key's algorithm as GnuPG names it, e.g. `RSA 2048`, `EdDSA ed25519`.
    public let algorithm: String
    /// When the primary key was created.
    public let createdAt: Date
    /// When the primary key expires (the first instant it is no longer valid), or `nil` if it does not.
    public let expiresAt: Date?
    /// The revocation of the primary key, if GnuPG considers it revoked.
    public let revocation: PGPRevocation?
    /// Whether the primary key itself may make data signatures.
    public let canSign: Bool
    /// Whether the keyring holds the secret part of the key (for signing).
    public let hasSecretKey: Bool
    /// The subkeys, in order (the primary key is not repeated here).
    public let subkeys: [PGPSubkey]

    /// Whether the key is revoked (at some time, see ``revocation``).
    public var isRevoked: Bool { revocation != nil }

    public var description: String {
        var text = "\(fingerprint) \(algorithm) created \(Timestamp.rfc3339(createdAt))"
        if let expiresAt { text += " expires \(Timestamp.rfc3339(expiresAt))" }
        if revocation != nil { text += " revoked" }
        if let uid = userIDs.first { text += " \(uid)" }
        return text
    }
}

/// A subkey of a ``PGPKey``.
public struct PGPSubkey: Hashable, Sendable {
    /// The subkey's v4 fingerprint.
    public let fingerprint: PGPFingerprint
    /// The algorithm as GnuPG names it.
    public let algorithm: String
    /// When the subkey was created.
    public let createdAt: Date
    /// When the subkey expires, or `nil` if it does not.
    public let expiresAt: Date?
    /// The revocation of the subkey, if GnuPG considers it revoked.
    public let revocation: PGPRevocation?
    /// Whether the subkey may make data signatures.
    public let canSign: Bool
    /// Whether the subkey may encrypt.
    public let canEncrypt: Bool
}

/// A key revocation: since when, and whether it reaches back in time.
///
/// GnuPG reports *that* a key is revoked; the time and reason come from the revocation signature in the imported
/// key material. RFC 4880 §5.2.3.23 distinguishes *soft* revocations ("superseded", "retired"), which end the key's
/// validity at the revocation time, from *hard* ones ("compromised", or no reason given), after which no signature
/// by the key can be trusted whenever it claims to have been made.
public struct PGPRevocation: Hashable, Sendable {
    /// The creation time of the revocation signature, when it could be read.
    public let date: Date?
    /// The RFC 4880 reason code (0 none, 1 superseded, 2 compromised, 3 retired), when the signature states one.
    public let reasonCode: UInt8?

    /// Creates a revocation value.
    public init(date: Date?, reasonCode: UInt8?) {
        self.date = date
        self.reasonCode = reasonCode
    }

    /// Whether the revocation is *soft* and dated: the key stays valid before ``date``.
    ///
    /// A revocation without a known date, without a reason, or for reason "compromised" applies at any time.
    public var isTimeBound: Bool {
        guard date != nil, let reasonCode else { return false }
        return reasonCode == 1 || reasonCode == 3
    }

    /// Whether the key counts as revoked at `time`.
    public func applies(at time: Date) -> Bool {
        guard isTimeBound, let date else { return true }
        return time >= date
    }
}
