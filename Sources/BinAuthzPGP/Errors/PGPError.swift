// SPDX-License-Identifier: Apache-2.0

/// An error thrown by the PGP layer: malformed key or armor input, or an environment that cannot do the work
/// (GnuPG missing, temporary home unusable, passphrase missing or wrong).
///
/// A signature that does not verify is *not* an error: ``EphemeralKeyring/verifyAttached(_:at:limits:)-([UInt8],_,_)`` returns a
/// ``PGPVerificationResult`` that says why. Errors are for input that cannot be processed at all and for
/// operations that could not run.
///
/// Equality and hashing consider only ``code``, so tests and callers can match on the kind of failure:
///
/// ```swift
/// #expect { try keyring.sign(payload, with: fpr, passphrase: "wrong") } throws: {
///     ($0 as? PGPError)?.code == .badPassphrase
/// }
/// ```
///
/// Messages never contain passphrases or secret key material.
public struct PGPError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public let code: Code
    /// A one-line, human-readable explanation that says what to do about it.
    public let message: String
    /// The GnuPG error code behind this failure, when GPGME reported one.
    public let gpgErrorCode: GPGErrorCode?
    /// The file that raised the error (`#fileID`), for diagnostics.
    public let file: String
    /// The line that raised the error, for diagnostics.
    public let line: Int

    /// Creates an error.
    ///
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - message: A one-line explanation; must never contain secrets.
    ///   - gpgErrorCode: The underlying GnuPG error code, if any.
    ///   - file: The source file raising the error; defaults to the caller's.
    ///   - line: The source line raising the error; defaults to the caller's.
    public init(
        code: Code, message: String, gpgErrorCode: GPGErrorCode? = nil,
        file: String = #fileID, line: Int = #line
    ) {
        self.code = code
        self.message = message
        self.gpgErrorCode = gpgErrorCode
        self.file = file
        self.line = line
    }

    /// The message (one line, suitable for stderr).
    public var description: String { message }

    public static func == (lhs: PGPError, rhs: PGPError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}

extension PGPError {
    /// The kind of a ``PGPError``. New codes may be added in minor releases.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Backing: String, Hashable, Sendable {
            case malformedArmor
            case malformedPacket
            case noKey
            case multipleKeys
            case unsupportedKey
            case gpgUnavailable
            case homeUnusable
            case agentUnavailable
            case passphraseRequired
            case badPassphrase
            case keyNotFound
            case unusableKey
            case importFailed
            case keyringClosed
            case invalidArgument
            case unsafeEnvironment
            case gpgme
        }
        fileprivate let backing: Backing
        fileprivate init(_ backing: Backing) { self.backing = backing }

        /// ASCII armor is broken: bad base64, a CRC-24 mismatch, or a missing `-----END …-----` line.
        public static let malformedArmor = Code(.malformedArmor)
        /// The OpenPGP packet stream is truncated or inconsistent.
        public static let malformedPacket = Code(.malformedPacket)
        /// The input holds no OpenPGP key.
        public static let noKey = Code(.noKey)
        /// The input holds more than one primary key where exactly one is expected (an attestor key).
        public static let multipleKeys = Code(.multipleKeys)
        /// A key version or algorithm this library cannot fingerprint (v3 or v5/v6 keys, unknown algorithms).
        public static let unsupportedKey = Code(.unsupportedKey)
        /// GPGME or the `gpg` engine is missing or too old.
        public static let gpgUnavailable = Code(.gpgUnavailable)
        /// The temporary GnuPG home could not be created, configured or is unusable (for example its path
        /// is too long for the agent's sockets).
        public static let homeUnusable = Code(.homeUnusable)
        /// The operation needs `gpg-agent` (secret keys, key generation) and none could be used, for example
        /// because the keyring was made for verification only.
        public static let agentUnavailable = Code(.agentUnavailable)
        /// The secret key is passphrase-protected and no passphrase was given.
        public static let passphraseRequired = Code(.passphraseRequired)
        /// The passphrase given for a secret key is wrong.
        public static let badPassphrase = Code(.badPassphrase)
        /// No key (or no secret key) with the requested fingerprint is in the keyring.
        public static let keyNotFound = Code(.keyNotFound)
        /// The key exists but cannot be used for this operation (expired, revoked, no signing capability).
        public static let unusableKey = Code(.unusableKey)
        /// GnuPG did not import the key material.
        public static let importFailed = Code(.importFailed)
        /// The keyring was closed.
        public static let keyringClosed = Code(.keyringClosed)
        /// An argument is out of range or malformed (a fingerprint, a user id, a lifetime).
        public static let invalidArgument = Code(.invalidArgument)
        /// The process environment would expose secret material, so signing keyrings are refused: `GPGME_DEBUG`
        /// is set, and GPGME's trace writes everything sent to gpg — secret keys, passphrases — to its log.
        public static let unsafeEnvironment = Code(.unsafeEnvironment)
        /// Any other failure reported by GPGME; ``PGPError/gpgErrorCode`` holds the GnuPG code.
        public static let gpgme = Code(.gpgme)

        public var description: String { backing.rawValue }
    }

    /// Matches any error with code ``Code/malformedArmor``.
    package static let malformedArmor = PGPError(code: .malformedArmor, message: "malformed ASCII armor")
    /// Matches any error with code ``Code/malformedPacket``.
    package static let malformedPacket = PGPError(code: .malformedPacket, message: "malformed OpenPGP packet")
    /// Matches any error with code ``Code/noKey``.
    package static let noKey = PGPError(code: .noKey, message: "no OpenPGP key found")
    /// Matches any error with code ``Code/multipleKeys``.
    package static let multipleKeys = PGPError(code: .multipleKeys, message: "more than one key")
    /// Matches any error with code ``Code/unsupportedKey``.
    package static let unsupportedKey = PGPError(code: .unsupportedKey, message: "unsupported key")
    /// Matches any error with code ``Code/gpgUnavailable``.
    package static let gpgUnavailable = PGPError(code: .gpgUnavailable, message: "GnuPG unavailable")
    /// Matches any error with code ``Code/homeUnusable``.
    package static let homeUnusable = PGPError(code: .homeUnusable, message: "GnuPG home unusable")
    /// Matches any error with code ``Code/agentUnavailable``.
    package static let agentUnavailable = PGPError(code: .agentUnavailable, message: "gpg-agent unavailable")
    /// Matches any error with code ``Code/passphraseRequired``.
    package static let passphraseRequired = PGPError(code: .passphraseRequired, message: "passphrase required")
    /// Matches any error with code ``Code/badPassphrase``.
    package static let badPassphrase = PGPError(code: .badPassphrase, message: "bad passphrase")
    /// Matches any error with code ``Code/keyNotFound``.
    package static let keyNotFound = PGPError(code: .keyNotFound, message: "key not found")
    /// Matches any error with code ``Code/unusableKey``.
    package static let unusableKey = PGPError(code: .unusableKey, message: "unusable key")
    /// Matches any error with code ``Code/importFailed``.
    package static let importFailed = PGPError(code: .importFailed, message: "import failed")
    /// Matches any error with code ``Code/keyringClosed``.
    package static let keyringClosed = PGPError(code: .keyringClosed, message: "keyring closed")
    /// Matches any error with code ``Code/unsafeEnvironment``.
    package static let unsafeEnvironment = PGPError(code: .unsafeEnvironment, message: "unsafe environment")
    /// Matches any error with code ``Code/invalidArgument``.
    package static let invalidArgument = PGPError(code: .invalidArgument, message: "invalid argument")
    /// Matches any error with code ``Code/gpgme``.
    package static let gpgme = PGPError(code: .gpgme, message: "GPGME error")
}
