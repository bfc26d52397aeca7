// SPDX-License-Identifier: Apache-2.0

/// The answer of ``NativePGPVerifier/verifyAttached(_:at:)-([UInt8],_)``: a verdict, or "ask GPGME".
///
/// ```swift
/// switch verifier.verifyAttached(signature, at: now) {
/// case .decided(let result):
///     use(result)                      // the same value EphemeralKeyring.verifyAttached gives
/// case .unsupported:
///     use(try keyring.verifyAttached(signature, at: now))   // the reference verifier decides
/// }
/// ```
public enum NativePGPVerification: Hashable, Sendable, CustomStringConvertible {
    /// The native verifier decided: the same ``PGPVerificationResult`` GnuPG through GPGME gives for this input.
    case decided(PGPVerificationResult)
    /// The input (or the verifier's keys) uses something the native verifier does not implement — BZip2, an
    /// algorithm other than RSA, ECDSA P-256/384/521 or Ed25519, v5/v6 packets, an unusual message layout — or
    /// whose GnuPG verdict depends on GnuPG's clock. Verify it with GPGME instead; the string says why.
    case unsupported(String)

    /// The decided result, or `nil` when the native verifier did not decide.
    public var result: PGPVerificationResult? {
        if case .decided(let result) = self { return result }
        return nil
    }

    public var description: String {
        switch self {
        case .decided(let result): "\(result)"
        case .unsupported(let reason): "unsupported: \(reason)"
        }
    }
}
