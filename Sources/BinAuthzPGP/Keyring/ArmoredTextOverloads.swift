// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import Foundation

// Armored OpenPGP material is text: an attestor's `asciiArmoredPgpPublicKey`, `gpg --armor` output read from a file,
// an occurrence's armored signature. These overloads take it as the `String` callers hold and pass its UTF-8 bytes
// on unchanged, so they behave exactly as the `[UInt8]` methods they forward to.

extension PGPKeyBlock {
    /// The v4 fingerprint of the single primary key in an ASCII-armored key block: the Binary Authorization PGP key
    /// id of an attestor's `asciiArmoredPgpPublicKey`.
    ///
    /// - Parameter armored: The key block's text (`-----BEGIN PGP PUBLIC KEY BLOCK-----` …).
    /// - Returns: The primary key's fingerprint.
    /// - Throws: The errors of ``fingerprint(of:)-([UInt8])``.
    public static func fingerprint(of armored: String) throws(PGPError) -> PGPFingerprint {
        try fingerprint(of: Array(armored.utf8))
    }
}

extension EphemeralKeyring {
    /// Creates a verify-only keyring holding ASCII-armored public keys, such as an attestor's
    /// `asciiArmoredPgpPublicKey` values.
    ///
    /// - Parameters:
    ///   - publicKeys: The armored key blocks.
    ///   - options: Where to put the home; the purpose should stay ``Options/Purpose/verification``.
    /// - Throws: The errors of the `[[UInt8]]` initializer.
    public convenience init(verifyingWith publicKeys: [String], options: Options = .verification) throws(PGPError) {
        try self.init(verifyingWith: publicKeys.map { Array($0.utf8) }, options: options)
    }

    /// Imports ASCII-armored keys (`gpg --armor --export`, `gpg --armor --export-secret-keys`) or an armored
    /// revocation certificate. Base64 text from a CI variable goes to ``importKeys(base64Encoded:)`` instead.
    ///
    /// - Parameter armored: The armored text.
    /// - Returns: The keys the material touched, as ``importKeys(_:)`` returns them.
    /// - Throws: The errors of ``importKeys(_:)``.
    @discardableResult
    public func importKeys(armored: String) throws(PGPError) -> [PGPKey] {
        try importKeys(Array(armored.utf8))
    }

    /// Verifies an ASCII-armored attached signature (`gpg --armor --sign`) at `time`; see
    /// ``verifyAttached(_:at:limits:)-([UInt8],_,_)``.
    ///
    /// - Parameters:
    ///   - armored: The armored message (`-----BEGIN PGP MESSAGE-----` …).
    ///   - time: The evaluation time. The library never reads the clock.
    ///   - limits: Bounds on the signature and what it holds.
    /// - Returns: The verified payload and signer, or the reason it did not verify.
    /// - Throws: Only when verification could not run.
    public func verifyAttached(
        _ armored: String, at time: Date, limits: InputLimits = .default
    ) throws(PGPError) -> PGPVerificationResult {
        try verifyAttached(Array(armored.utf8), at: time, limits: limits)
    }
}

extension NativePGPVerifier {
    /// Parses ASCII-armored public keys once, as ``init(publicKeys:limits:)-([[UInt8]],_)`` does for bytes.
    ///
    /// - Parameters:
    ///   - publicKeys: The armored key blocks (an attestor's `asciiArmoredPgpPublicKey` values).
    ///   - limits: The bounds to keep to.
    /// - Throws: The errors of the `[[UInt8]]` initializer.
    public init(publicKeys: [String], limits: InputLimits = InputLimits()) throws(PGPError) {
        try self.init(publicKeys: publicKeys.map { Array($0.utf8) }, limits: limits)
    }

    /// Verifies an ASCII-armored attached signature at `time`, in process; see
    /// ``verifyAttached(_:at:)-([UInt8],_)``.
    public func verifyAttached(_ armored: String, at time: Date) -> NativePGPVerification {
        verifyAttached(Array(armored.utf8), at: time)
    }
}
