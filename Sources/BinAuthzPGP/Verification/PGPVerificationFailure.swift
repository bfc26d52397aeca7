// SPDX-License-Identifier: Apache-2.0

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Why a signature did not verify at the evaluation time.
///
/// The ``kind`` says what went wrong; the other properties carry the facts behind it (which key, since when).
/// Equality compares every property, so tests can assert an exact reason:
///
/// ```swift
/// #expect(result == .failed(.keyExpired(fingerprint, on: expiry)))
/// ```
///
/// ``description`` is the reason as one sentence, e.g.
/// `key E50ABDE5A0C05DB317479494C111AF41B88ECC96 expired on 2020-12-18T21:02:38Z`.
public struct PGPVerificationFailure: Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public let kind: Kind
    /// The primary key concerned, when known.
    public let keyFingerprint: PGPFingerprint?
    /// The subkey concerned, when the signature was made by a subkey and the subkey is what failed.
    public let subkeyFingerprint: PGPFingerprint?
    /// The issuer as the signature names it (16 or 40 hex digits), for ``Kind/unknownKey`` and
    /// ``Kind/badSignature``.
    public let issuer: String?
    /// The time behind the reason: when the key expired or was revoked, when the signature expired, when the key
    /// or signature came into existence.
    public let date: Date?
    /// The number of signatures, for ``Kind/multipleSignatures``.
    public let count: Int?
    /// Extra detail: the weak algorithm's name, GnuPG's message for ``Kind/gpgError``.
    public let detail: String?
    /// GnuPG's error code, for ``Kind/gpgError``.
    public let gpgErrorCode: GPGErrorCode?

    init(
        _ kind: Kind, key: PGPFingerprint? = nil, subkey: PGPFingerprint? = nil, issuer: String? = nil,
        date: Date? = nil, count: Int? = nil, detail: String? = nil, gpgErrorCode: GPGErrorCode? = nil
    ) {
        self.kind = kind
        keyFingerprint = key
        subkeyFingerprint = subkey
        self.issuer = issuer
        self.date = date
        self.count = count
        self.detail = detail
        self.gpgErrorCode = gpgErrorCode
    }

    // MARK: Factories

    /// The signature does not match the signed data or the key (GnuPG's `BADSIG`).
    public static func badSignature(issuer: String?) -> Self { Self(.badSignature, issuer: issuer) }
    /// The signing key is not in the keyring (GnuPG's `NO_PUBKEY`); `issuer` is the key id or fingerprint the
    /// signature names.
    public static func unknownKey(issuer: String?) -> Self { Self(.unknownKey, issuer: issuer) }
    /// The key (or, with `subkey`, its signing subkey) had expired at the evaluation time.
    public static func keyExpired(_ key: PGPFingerprint, subkey: PGPFingerprint? = nil, on date: Date) -> Self {
        Self(.keyExpired, key: key, subkey: subkey, date: date)
    }
    /// The key (or, with `subkey`, its signing subkey) was revoked at the evaluation time; `date` is the revocation
    /// time when known.
    public static func keyRevoked(_ key: PGPFingerprint, subkey: PGPFingerprint? = nil, on date: Date?) -> Self {
        Self(.keyRevoked, key: key, subkey: subkey, date: date)
    }
    /// The key (or its signing subkey) did not exist yet at the evaluation time or when the signature was made;
    /// `date` is the key creation time.
    public static func keyNotYetValid(_ key: PGPFingerprint, subkey: PGPFingerprint? = nil, createdOn date: Date)
        -> Self
    {
        Self(.keyNotYetValid, key: key, subkey: subkey, date: date)
    }
    /// The signature had expired at the evaluation time.
    public static func signatureExpired(on date: Date) -> Self { Self(.signatureExpired, date: date) }
    /// The signature was made after the evaluation time.
    public static func signatureNotYetValid(createdOn date: Date) -> Self { Self(.signatureNotYetValid, date: date) }
    /// The signing key is not allowed to make data signatures.
    public static func wrongKeyUsage(_ key: PGPFingerprint?, subkey: PGPFingerprint? = nil) -> Self {
        Self(.wrongKeyUsage, key: key, subkey: subkey)
    }
    /// The input is not a signed OpenPGP message (unsigned literal data, an encrypted message, a key, not OpenPGP).
    public static func notSigned(_ detail: String? = nil) -> Self { Self(.notSigned, detail: detail) }
    /// The input is a cleartext-signed message (`gpg --clearsign`); an attached signature is required.
    public static let clearsigned = Self(.clearsigned)
    /// The input is a detached signature (`gpg --detach-sign`); an attached signature is required.
    public static let detachedSignature = Self(.detachedSignature)
    /// The message carries more than one signature.
    public static func multipleSignatures(_ count: Int) -> Self { Self(.multipleSignatures, count: count) }
    /// The signature uses a weak or unsupported algorithm (MD5 or SHA-1 hashes, algorithms GnuPG rejects).
    public static func weakAlgorithm(_ name: String) -> Self { Self(.weakAlgorithm, detail: name) }
    /// The ASCII armor is damaged (CRC-24 mismatch, bad base64) or the packets are truncated.
    public static func malformed(_ detail: String) -> Self { Self(.malformed, detail: detail) }
    /// The input crosses one of the `InputLimits` (signature, payload or decompressed size, packets, nesting);
    /// it was refused before the work the limit protects. `detail` names the limit.
    public static func tooLarge(_ detail: String) -> Self { Self(.tooLarge, detail: detail) }
    /// GnuPG rejected the signature for another reason; `detail` is its message.
    public static func gpgError(_ code: GPGErrorCode, _ detail: String) -> Self {
        Self(.gpgError, detail: detail, gpgErrorCode: code)
    }

    // MARK: Description

    public var description: String {
        let key = keyFingerprint?.hex ?? "(unknown)"
        let subject = subkeyFingerprint.map { "signing subkey \($0) of key \(key)" } ?? "key \(key)"
        let when = date.map(Timestamp.rfc3339)
        switch kind {
        case .badSignature:
            return "bad signature" + (issuer.map { " (issuer \($0))" } ?? "")
        case .unknownKey:
            return "signed by an unknown key" + (issuer.map { " \($0)" } ?? "") + " (not among the trusted keys)"
        case .keyExpired:
            return "\(subject) expired on \(when ?? "an unknown date")"
        case .keyRevoked:
            return "\(subject) was revoked" + (when.map { " on \($0)" } ?? "")
        case .keyNotYetValid:
            return "\(subject) was created on \(when ?? "an unknown date"), after the signature or evaluation time"
        case .signatureExpired:
            return "signature expired on \(when ?? "an unknown date")"
        case .signatureNotYetValid:
            return "signature was made on \(when ?? "an unknown date"), after the evaluation time"
        case .wrongKeyUsage:
            return "\(subject) is not allowed to sign data"
        case .notSigned:
            return "not a signed OpenPGP message" + (detail.map { " (\($0))" } ?? "")
        case .clearsigned:
            return "cleartext-signed message (gpg --clearsign); an attached signature (gpg --armor --sign) is required"
        case .detachedSignature:
            return "detached signature; an attached signature (gpg --armor --sign) is required"
        case .multipleSignatures:
            return "the message carries \(count ?? 0) signatures; exactly one is required"
        case .weakAlgorithm:
            return "signature uses a weak or unsupported algorithm (\(detail ?? "unknown"))"
        case .malformed:
            return "malformed signature: \(detail ?? "")"
        case .tooLarge:
            return "signature refused unchecked: \(detail ?? "it crosses an input limit")"
        default:
            return "signature rejected by GnuPG: \(detail ?? "")"
        }
    }
}

extension PGPVerificationFailure {
    /// The kind of a ``PGPVerificationFailure``. New kinds may be added in minor releases.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Backing: String, Hashable, Sendable {
            case badSignature, unknownKey, keyExpired, keyRevoked, keyNotYetValid, signatureExpired
            case signatureNotYetValid, wrongKeyUsage, notSigned, clearsigned, detachedSignature
            case multipleSignatures, weakAlgorithm, malformed, gpgError, tooLarge
        }
        fileprivate let backing: Backing
        fileprivate init(_ backing: Backing) { self.backing = backing }

        /// See ``PGPVerificationFailure/badSignature(issuer:)``.
        public static let badSignature = Kind(.badSignature)
        /// See ``PGPVerificationFailure/unknownKey(issuer:)``.
        public static let unknownKey = Kind(.unknownKey)
        /// See ``PGPVerificationFailure/keyExpired(_:subkey:on:)``.
        public static let keyExpired = Kind(.keyExpired)
        /// See ``PGPVerificationFailure/keyRevoked(_:subkey:on:)``.
        public static let keyRevoked = Kind(.keyRevoked)
        /// See ``PGPVerificationFailure/keyNotYetValid(_:subkey:createdOn:)``.
        public static let keyNotYetValid = Kind(.keyNotYetValid)
        /// See ``PGPVerificationFailure/signatureExpired(on:)``.
        public static let signatureExpired = Kind(.signatureExpired)
        /// See ``PGPVerificationFailure/signatureNotYetValid(createdOn:)``.
        public static let signatureNotYetValid = Kind(.signatureNotYetValid)
        /// See ``PGPVerificationFailure/wrongKeyUsage(_:subkey:)``.
        public static let wrongKeyUsage = Kind(.wrongKeyUsage)
        /// See ``PGPVerificationFailure/notSigned(_:)``.
        public static let notSigned = Kind(.notSigned)
        /// See ``PGPVerificationFailure/clearsigned``.
        public static let clearsigned = Kind(.clearsigned)
        /// See ``PGPVerificationFailure/detachedSignature``.
        public static let detachedSignature = Kind(.detachedSignature)
        /// See ``PGPVerificationFailure/multipleSignatures(_:)``.
        public static let multipleSignatures = Kind(.multipleSignatures)
        /// See ``PGPVerificationFailure/weakAlgorithm(_:)``.
        public static let weakAlgorithm = Kind(.weakAlgorithm)
        /// See ``PGPVerificationFailure/malformed(_:)``.
        public static let malformed = Kind(.malformed)
        /// See ``PGPVerificationFailure/tooLarge(_:)``.
        public static let tooLarge = Kind(.tooLarge)
        /// See ``PGPVerificationFailure/gpgError(_:_:)``.
        public static let gpgError = Kind(.gpgError)

        public var description: String { backing.rawValue }
    }
}
