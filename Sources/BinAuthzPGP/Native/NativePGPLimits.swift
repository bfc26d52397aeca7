// SPDX-License-Identifier: Apache-2.0

/// The bounds the in-process verifier (``NativePGPVerifier``) keeps to, so that hostile input costs bounded memory
/// and time.
///
/// The defaults are generous for Binary Authorization attestations (a payload is a few hundred bytes, a key block a
/// few kilobytes) and small enough that no input makes the verifier hold more than a few megabytes. Lower any of
/// them to be stricter:
///
/// ```swift
/// var limits = NativePGPLimits()
/// limits.maximumLiteralDataBytes = 4096
/// let verifier = try NativePGPVerifier(publicKeys: [key], limits: limits)
/// ```
///
/// What happens at a limit:
/// - A **message** that passes a message limit (input, packets, nesting, decompressed size, literal size) is
///   refused: ``NativePGPVerification/decided(_:)`` with ``PGPVerificationFailure/Kind/malformed``, and the reason
///   names the limit. Such input is never handed on to GPGME, so it cannot make GPGME do the work either.
/// - A **key block** that passes a key limit, and an RSA key outside the modulus bounds, makes the verifier answer
///   ``NativePGPVerification/unsupported(_:)`` (fall back to GPGME): keys are configuration, not attacker input, and
///   GnuPG accepts them.
public struct NativePGPLimits: Hashable, Sendable {
    /// The largest signed message accepted, ASCII-armored or binary, in bytes. Default 1 MiB.
    public var maximumMessageBytes: Int
    /// The most packets a message may hold, counting those inside compressed data. Default 64.
    public var maximumMessagePackets: Int
    /// How deeply compressed data packets may nest (a compressed packet inside a compressed packet is depth 2).
    /// Default 2.
    public var maximumCompressionDepth: Int
    /// The most bytes all compressed data of one message may decompress to. Decompression stops, with a failure,
    /// the moment its output would exceed this. Default 256 KiB.
    public var maximumDecompressedBytes: Int
    /// The largest literal data (the signed payload) accepted, in bytes. Default 64 KiB.
    public var maximumLiteralDataBytes: Int
    /// The largest key block accepted, ASCII-armored or binary, in bytes. Default 1 MiB.
    public var maximumKeyBlockBytes: Int
    /// The most packets one key block may hold (keys, user ids, signatures). Default 2,000.
    public var maximumKeyPackets: Int
    /// The smallest RSA modulus the verifier checks itself, in bits. Smaller keys fall back to GPGME. Default 1024
    /// (the smallest swift-crypto's RSA accepts).
    public var minimumRSAModulusBits: Int
    /// The largest RSA modulus the verifier checks, in bits, tested before any arithmetic. Larger keys fall back to
    /// GPGME. Default 8192.
    public var maximumRSAModulusBits: Int

    /// The default limits.
    public init() {
        maximumMessageBytes = 1 << 20
        maximumMessagePackets = 64
        maximumCompressionDepth = 2
        maximumDecompressedBytes = 256 << 10
        maximumLiteralDataBytes = 64 << 10
        maximumKeyBlockBytes = 1 << 20
        maximumKeyPackets = 2000
        minimumRSAModulusBits = 1024
        maximumRSAModulusBits = 8192
    }
}
