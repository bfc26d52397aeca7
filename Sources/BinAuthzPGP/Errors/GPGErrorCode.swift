// SPDX-License-Identifier: Apache-2.0

/// A GnuPG error code (`gpg_err_code_t`), as GPGME reports it, mirrored the way swift-system mirrors `errno`.
///
/// Only the *code* part of a `gpgme_error_t` is kept; the error source ("GPG Agent", "Pinentry", …) is folded into
/// the ``PGPError/message``. Unknown codes keep their raw value.
public struct GPGErrorCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The numeric `gpg_err_code_t` value.
    public let rawValue: UInt32

    /// Creates a code from its numeric value.
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public var description: String { "gpg error \(rawValue)" }

    /// A general error. The corresponding C error is `GPG_ERR_GENERAL` (1).
    public static let general = GPGErrorCode(rawValue: 1)
    /// The signature does not verify. The corresponding C error is `GPG_ERR_BAD_SIGNATURE` (8).
    public static let badSignature = GPGErrorCode(rawValue: 8)
    /// The public key is not in the keyring. The corresponding C error is `GPG_ERR_NO_PUBKEY` (9).
    public static let noPublicKey = GPGErrorCode(rawValue: 9)
    /// The passphrase is wrong. The corresponding C error is `GPG_ERR_BAD_PASSPHRASE` (11).
    public static let badPassphrase = GPGErrorCode(rawValue: 11)
    /// An empty passphrase was given. The corresponding C error is `GPG_ERR_NO_PASSPHRASE` (177).
    public static let noPassphrase = GPGErrorCode(rawValue: 177)
    /// The secret key is not available. The corresponding C error is `GPG_ERR_NO_SECKEY` (17).
    public static let noSecretKey = GPGErrorCode(rawValue: 17)
    /// The secret key cannot be used (expired, revoked). The corresponding C error is `GPG_ERR_UNUSABLE_SECKEY` (54).
    public static let unusableSecretKey = GPGErrorCode(rawValue: 54)
    /// No (OpenPGP) data was found. The corresponding C error is `GPG_ERR_NO_DATA` (58).
    public static let noData = GPGErrorCode(rawValue: 58)
    /// No gpg-agent is running and none may be started. The corresponding C error is `GPG_ERR_NO_AGENT` (77).
    public static let noAgent = GPGErrorCode(rawValue: 77)
    /// Pinentry is disabled (`GPGME_PINENTRY_MODE_ERROR`). The corresponding C error is `GPG_ERR_NO_PIN_ENTRY` (85).
    public static let noPinentry = GPGErrorCode(rawValue: 85)
    /// The key was revoked. The corresponding C error is `GPG_ERR_CERT_REVOKED` (94).
    public static let certificateRevoked = GPGErrorCode(rawValue: 94)
    /// The operation was cancelled (for example by the passphrase callback). The corresponding C error is
    /// `GPG_ERR_CANCELED` (99).
    public static let canceled = GPGErrorCode(rawValue: 99)
    /// The key has expired. The corresponding C error is `GPG_ERR_KEY_EXPIRED` (153).
    public static let keyExpired = GPGErrorCode(rawValue: 153)
    /// The signature has expired. The corresponding C error is `GPG_ERR_SIG_EXPIRED` (154).
    public static let signatureExpired = GPGErrorCode(rawValue: 154)
    /// The key lacks the capability for this use. The corresponding C error is `GPG_ERR_WRONG_KEY_USAGE` (125).
    public static let wrongKeyUsage = GPGErrorCode(rawValue: 125)
    /// The algorithm is not supported. The corresponding C error is `GPG_ERR_UNSUPPORTED_ALGORITHM` (84).
    public static let unsupportedAlgorithm = GPGErrorCode(rawValue: 84)
    /// The digest algorithm is invalid or disabled. The corresponding C error is `GPG_ERR_DIGEST_ALGO` (5).
    public static let digestAlgorithm = GPGErrorCode(rawValue: 5)
    /// The public key algorithm is invalid or disabled. The corresponding C error is `GPG_ERR_PUBKEY_ALGO` (4).
    public static let publicKeyAlgorithm = GPGErrorCode(rawValue: 4)
    /// End of a listing. The corresponding C error is `GPG_ERR_EOF` (16383).
    public static let endOfFile = GPGErrorCode(rawValue: 16383)
    /// No terminal for pinentry ("Inappropriate ioctl for device"). The corresponding C error is
    /// `GPG_ERR_ENOTTY` (32870), the famous container failure of the default pinentry mode.
    public static let noTTY = GPGErrorCode(rawValue: 32870)
}

// Codes the module reacts to but does not publish.
extension GPGErrorCode {
    /// `GPG_ERR_INV_PACKET` (14).
    static let invalidPacket = GPGErrorCode(rawValue: 14)
    /// `GPG_ERR_NOT_FOUND` (27).
    static let notFound = GPGErrorCode(rawValue: 27)
    /// `GPG_ERR_UNEXPECTED` (38).
    static let unexpected = GPGErrorCode(rawValue: 38)
    /// `GPG_ERR_BAD_DATA` (89).
    static let badData = GPGErrorCode(rawValue: 89)
    /// `GPG_ERR_INV_ENGINE` (150).
    static let invalidEngine = GPGErrorCode(rawValue: 150)
    /// `GPG_ERR_SYSTEM_ERROR` (bit 15): the code is an `errno` value, a problem of the environment.
    var isSystemError: Bool { rawValue & 0x8000 != 0 }
}
