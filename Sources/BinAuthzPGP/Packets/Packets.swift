// SPDX-License-Identifier: Apache-2.0

/// One OpenPGP packet (RFC 4880 §4): its tag and body, with partial body lengths already joined.
struct Packet: Sendable {
    var tag: UInt8
    var body: [UInt8]

    static let signature: UInt8 = 2
    static let secretKey: UInt8 = 5
    static let publicKey: UInt8 = 6
    static let secretSubkey: UInt8 = 7
    static let compressedData: UInt8 = 8
    static let marker: UInt8 = 10
    static let literalData: UInt8 = 11
    static let userID: UInt8 = 13
    static let publicSubkey: UInt8 = 14
    static let onePassSignature: UInt8 = 4
    /// Packets that start an encrypted message: PKESK, SKESK, SED, SEIPD, AEAD.
    static let encryption: Set<UInt8> = [1, 3, 9, 18, 20]
}

/// Splits binary OpenPGP data into packets, old and new formats, including partial body lengths.
enum PacketReader {
    static func packets(_ data: [UInt8]) throws(PGPError) -> [Packet] {
        var packets: [Packet] = []
        var offset = 0
        while offset < data.count {
            let header = data[offset]
            guard header & 0x80 != 0 else {
                throw malformed("byte \(offset) is not a packet header (0x\(Hex.encode([header])))")
            }
            offset += 1
            if header & 0x40 != 0 {
                // New format: tag in the low 6 bits, then one or more length octets.
                let tag = header & 0x3F
                var body: [UInt8] = []
                while true {
                    guard offset < data.count else { throw malformed("truncated packet length") }
                    let first = Int(data[offset])
                    var length: Int
                    var partial = false
                    if first < 192 {
                        length = first
                        offset += 1
                    } else if first < 224 {
                        guard offset + 1 < data.count else { throw malformed("truncated packet length") }
                        length = ((first - 192) << 8) + Int(data[offset + 1]) + 192
                        offset += 2
                    } else if first == 255 {
                        guard offset + 4 < data.count else { throw malformed("truncated packet length") }
                        length =
                            Int(data[offset + 1]) << 24 | Int(data[offset + 2]) << 16
                            | Int(data[offset + 3]) << 8 | Int(data[offset + 4])
                        offset += 5
                    } else {
                        length = 1 << (first & 0x1F)
                        partial = true
                        offset += 1
                    }
                    guard length <= data.count - offset else { throw malformed("packet (tag \(tag)) is truncated") }
                    body.append(contentsOf: data[offset..<offset + length])
                    offset += length
                    if !partial { break }
                }
                packets.append(Packet(tag: tag, body: body))
            } else {
                // Old format: tag in bits 5…2, length type in bits 1…0.
                let tag = (header >> 2) & 0x0F
                let length: Int
                switch header & 0x03 {
                case 0:
                    guard offset < data.count else { throw malformed("truncated packet length") }
                    length = Int(data[offset])
                    offset += 1
                case 1:
                    guard offset + 1 < data.count else { throw malformed("truncated packet length") }
                    length = Int(data[offset]) << 8 | Int(data[offset + 1])
                    offset += 2
                case 2:
                    guard offset + 3 < data.count else { throw malformed("truncated packet length") }
                    length =
                        Int(data[offset]) << 24 | Int(data[offset + 1]) << 16
                        | Int(data[offset + 2]) << 8 | Int(data[offset + 3])
                    offset += 4
                default:
                    length = data.count - offset  // indeterminate: to the end of the data
                }
                guard length <= data.count - offset else { throw malformed("packet (tag \(tag)) is truncated") }
                packets.append(Packet(tag: tag, body: Array(data[offset..<offset + length])))
                offset += length
            }
        }
        return packets
    }

    private static func malformed(_ detail: String) -> PGPError {
        PGPError(code: .malformedPacket, message: "malformed OpenPGP data: \(detail)")
    }
}

/// A cursor over a packet body.
struct ByteCursor {
    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var remaining: Int { bytes.count - offset }

    mutating func byte() throws(PGPError) -> UInt8 {
        guard offset < bytes.count else { throw truncated }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func take(_ count: Int) throws(PGPError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else { throw truncated }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    mutating func uint16() throws(PGPError) -> Int {
        let b = try take(2)
        return Int(b[b.startIndex]) << 8 | Int(b[b.startIndex + 1])
    }

    mutating func uint32() throws(PGPError) -> UInt32 {
        let b = try take(4)
        return b.reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// Skips a multiprecision integer and returns its bit count.
    @discardableResult
    mutating func mpi() throws(PGPError) -> Int {
        let bits = try uint16()
        _ = try take((bits + 7) / 8)
        return bits
    }

    /// Reads a curve OID (one length octet, then the OID bytes).
    mutating func oid() throws(PGPError) -> ArraySlice<UInt8> {
        let length = Int(try byte())
        guard length != 0, length != 0xFF else { throw truncated }
        return try take(length)
    }

    private var truncated: PGPError {
        PGPError(code: .malformedPacket, message: "malformed OpenPGP data: a packet body is truncated")
    }
}
