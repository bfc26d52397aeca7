// SPDX-License-Identifier: Apache-2.0

/// A v3 or v4 signature packet (RFC 4880 §5.2), read as GnuPG 2.2.40 reads it (`parse_signature`), with the
/// fields the native verifier needs to hash and check it.
///
/// GnuPG behaviour kept on purpose, where it differs from a strict reading of the RFC:
/// - A v3 packet's "hashed material length" octet is not checked (RFC 4880 says it must be 5).
/// - The creation time comes from the hashed area only; the issuer key id from the hashed area, else the
///   unhashed one; the issuer fingerprint (subpacket 33) only from the hashed area, only as 21 octets of version 4.
/// - The expiry is creation + subpacket 3 in 32-bit arithmetic, and a zero value means "never".
/// - An unknown critical subpacket in *either* area makes the signature bad (checked after the mathematics).
/// - The left 16 bits of the digest are carried but never compared: GnuPG does not compare them either, so a
///   signature whose quick-check octets were altered still verifies (`NativeVerifierTests`).
/// - Bytes after the last MPI are ignored.
struct NativeSignature: Sendable {
    var version: UInt8
    var sigClass: UInt8
    var publicKeyAlgorithm: UInt8
    var hashAlgorithm: UInt8
    /// The v4 hashed subpacket area (empty for v3).
    var hashed: SubpacketArea
    var unhashed: SubpacketArea
    var timestamp: UInt32
    /// The 64-bit issuer key id, 0 when the signature names none.
    var keyID: UInt64
    /// The issuer fingerprint from subpacket 33, when present in GnuPG's sense.
    var issuerFingerprint: [UInt8]?
    /// Creation + signature expiration, 0 for none.
    var expireDate: UInt32
    var unknownCritical: Bool
    /// The MPIs of the signature, as magnitudes (leading zero octets removed).
    var values: [[UInt8]]

    /// Why a packet could not be read as a signature.
    enum Failure: Error, Equatable {
        /// GnuPG reports the packet as invalid (`GPG_ERR_INV_PACKET`).
        case invalidPacket
        /// GnuPG would accept the packet in a form this library does not model (for example a packet shorter than
        /// 16 octets, which GnuPG reads as an empty signature).
        case unsupported(String)
    }

    init(body: ArraySlice<UInt8>) throws(Failure) {
        guard body.count >= 16 else {
            throw .unsupported("a signature packet shorter than 16 octets")
        }
        var cursor = Cursor(body)
        version = try cursor.byte()
        guard version == 2 || version == 3 || version == 4 else { throw .invalidPacket }
        let isV4 = version == 4
        if !isV4 { _ = try cursor.byte() }  // hashed material length: not checked, as in GnuPG
        sigClass = try cursor.byte()
        timestamp = 0
        keyID = 0
        if !isV4 {
            timestamp = try cursor.uint32()
            keyID = try cursor.uint64()
        }
        publicKeyAlgorithm = try cursor.byte()
        hashAlgorithm = try cursor.byte()
        hashed = SubpacketArea([])
        unhashed = SubpacketArea([])
        if isV4 {
            let hashedLength = try cursor.uint16()
            guard hashedLength <= 10_000 else { throw .invalidPacket }
            hashed = SubpacketArea(try cursor.take(hashedLength))
            let unhashedLength = try cursor.uint16()
            guard unhashedLength <= 10_000 else { throw .invalidPacket }
            unhashed = SubpacketArea(try cursor.take(unhashedLength))
        }
        _ = try cursor.take(2)  // the left 16 bits of the digest
        unknownCritical = false
        issuerFingerprint = nil
        expireDate = 0
        if isV4 && publicKeyAlgorithm != 0 {
            unknownCritical = hashed.hasUnknownCritical || unhashed.hasUnknownCritical
            if let created = hashed.first(SubpacketArea.signatureCreated) {
                timestamp = Self.uint32(created)
            }
            if let issuer = hashed.first(SubpacketArea.issuer) ?? unhashed.first(SubpacketArea.issuer) {
                keyID = issuer.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
            }
            if let expires = hashed.first(SubpacketArea.signatureExpires), Self.uint32(expires) != 0 {
                expireDate = timestamp &+ Self.uint32(expires)
            }
            if let fingerprint = hashed.first(SubpacketArea.issuerFingerprint), fingerprint.count == 21,
                fingerprint.first == 4
            {
                issuerFingerprint = Array(fingerprint.dropFirst())
            }
        }
        let count: Int
        switch publicKeyAlgorithm {
        case 1, 2, 3: count = 1
        case 16, 17, 19, 20, 22: count = 2
        default: throw .unsupported("signature public-key algorithm \(publicKeyAlgorithm)")
        }
        values = []
        for _ in 0..<count {
            values.append(try cursor.mpi())
        }
    }

    /// Hashed subpacket area bytes as they enter the v4 trailer.
    var isV4: Bool { version == 4 }

    /// The key id as GnuPG prints it: 16 upper-case hex digits.
    var keyIDHex: String {
        Hex.encode((0..<8).map { UInt8(truncatingIfNeeded: keyID >> (56 - 8 * $0)) })
    }

    /// The octets appended to the hashed data (RFC 4880 §5.2.4): v3 class and time; v4 the packet's first
    /// fields, the hashed area and the final trailer.
    var trailer: [UInt8] {
        if !isV4 {
            return [
                sigClass, UInt8(timestamp >> 24), UInt8(timestamp >> 16 & 0xFF), UInt8(timestamp >> 8 & 0xFF),
                UInt8(timestamp & 0xFF),
            ]
        }
        let length = hashed.bytes.count
        var bytes: [UInt8] = [
            version, sigClass, publicKeyAlgorithm, hashAlgorithm, UInt8(length >> 8), UInt8(length & 0xFF),
        ]
        bytes += hashed.bytes
        let total = length + 6
        bytes += [
            version, 0xFF, UInt8(total >> 24 & 0xFF), UInt8(total >> 16 & 0xFF), UInt8(total >> 8 & 0xFF),
            UInt8(total & 0xFF),
        ]
        return bytes
    }

    static func uint32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        bytes.prefix(4).reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// A bounds-checked reader whose every failure is GnuPG's "packet too short" (`GPG_ERR_INV_PACKET`).
    struct Cursor {
        private let bytes: ArraySlice<UInt8>
        private(set) var offset: Int

        init(_ bytes: ArraySlice<UInt8>) {
            self.bytes = bytes
            offset = bytes.startIndex
        }

        var remaining: Int { bytes.endIndex - offset }

        mutating func byte() throws(Failure) -> UInt8 {
            guard offset < bytes.endIndex else { throw .invalidPacket }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func take(_ count: Int) throws(Failure) -> ArraySlice<UInt8> {
            guard count >= 0, count <= remaining else { throw .invalidPacket }
            defer { offset += count }
            return bytes[offset..<offset + count]
        }

        mutating func uint16() throws(Failure) -> Int {
            let two = try take(2)
            return Int(two[two.startIndex]) << 8 | Int(two[two.startIndex + 1])
        }

        mutating func uint32() throws(Failure) -> UInt32 {
            try take(4).reduce(0) { $0 << 8 | UInt32($1) }
        }

        mutating func uint64() throws(Failure) -> UInt64 {
            try take(8).reduce(0) { $0 << 8 | UInt64($1) }
        }

        /// An OpenPGP MPI (RFC 4880 §3.2), at most 16384 bits as GnuPG allows, returned without leading zeros.
        mutating func mpi() throws(Failure) -> [UInt8] {
            let bits = try uint16()
            guard bits <= 16_384 else { throw .invalidPacket }
            let value = try take((bits + 7) / 8)
            return Array(value.drop { $0 == 0 })
        }

        /// An MPI whose bit count is exactly its value's (RFC 4880 §3.2), or `nil` for a non-minimal one.
        mutating func canonicalMPI() throws(Failure) -> [UInt8]? {
            let bits = try uint16()
            guard bits <= 16_384 else { throw .invalidPacket }
            let value = try take((bits + 7) / 8)
            guard let first = value.first, first != 0, (bits + 7) / 8 * 8 - first.leadingZeroBitCount == bits
            else { return nil }
            return Array(value)
        }
    }
}
