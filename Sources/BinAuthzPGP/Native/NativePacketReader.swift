// SPDX-License-Identifier: Apache-2.0

/// One OpenPGP packet: tag and body, partial body chunks joined.
struct NativePacket: Sendable {
    var tag: UInt8
    var body: [UInt8]
}

/// Splits binary OpenPGP data into packets (RFC 4880 §4.2, old and new formats), with a packet-count bound.
///
/// Partial body lengths and old-format indeterminate lengths are accepted only where GnuPG accepts them (literal,
/// compressed and encrypted data).
enum NativePacketReader {
    enum Failure: Error, Equatable {
        /// The data is not a well-formed packet sequence (a non-header octet, a truncated length or body).
        case malformed(String)
        /// More packets than the limit allows.
        case tooManyPackets(Int)
        /// Well-formed in a way this library does not model.
        case unsupported(String)
    }

    static func packets(_ data: ArraySlice<UInt8>, maximumCount: Int) throws(Failure) -> [NativePacket] {
        var packets: [NativePacket] = []
        var offset = data.startIndex
        while offset < data.endIndex {
            guard packets.count < maximumCount else { throw .tooManyPackets(maximumCount) }
            let header = data[offset]
            guard header & 0x80 != 0 else {
                throw .malformed("octet \(offset - data.startIndex) is not a packet header")
            }
            offset += 1
            if header & 0x40 != 0 {
                let tag = header & 0x3F
                var body: [UInt8] = []
                while true {
                    guard offset < data.endIndex else { throw .malformed("truncated packet length") }
                    let first = Int(data[offset])
                    var length: Int
                    var partial = false
                    if first < 192 {
                        length = first
                        offset += 1
                    } else if first < 224 {
                        guard data.endIndex - offset >= 2 else { throw .malformed("truncated packet length") }
                        length = ((first - 192) << 8) + Int(data[offset + 1]) + 192
                        offset += 2
                    } else if first == 255 {
                        guard data.endIndex - offset >= 5 else { throw .malformed("truncated packet length") }
                        length = data[(offset + 1)..<(offset + 5)].reduce(0) { $0 << 8 | Int($1) }
                        offset += 5
                    } else {
                        length = 1 << (first & 0x1F)
                        partial = true
                        offset += 1
                        guard [8, 9, 11, 18, 20].contains(tag) else {
                            throw .unsupported("a partial body length on a packet of type \(tag)")
                        }
                    }
                    guard length <= data.endIndex - offset else { throw .malformed("packet (tag \(tag)) is truncated") }
                    body.append(contentsOf: data[offset..<offset + length])
                    offset += length
                    if !partial { break }
                }
                packets.append(NativePacket(tag: tag, body: body))
            } else {
                let tag = (header >> 2) & 0x0F
                let length: Int
                switch header & 0x03 {
                case 0:
                    guard offset < data.endIndex else { throw .malformed("truncated packet length") }
                    length = Int(data[offset])
                    offset += 1
                case 1:
                    guard data.endIndex - offset >= 2 else { throw .malformed("truncated packet length") }
                    length = Int(data[offset]) << 8 | Int(data[offset + 1])
                    offset += 2
                case 2:
                    guard data.endIndex - offset >= 4 else { throw .malformed("truncated packet length") }
                    length = data[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) }
                    offset += 4
                default:
                    // GnuPG allows an indeterminate length only on data packets; on any other packet it fails the
                    // whole read ("indeterminate length for invalid packet type"), so a key block ending in such a
                    // header imports nothing there. Leave those inputs to GnuPG.
                    guard [8, 9, 11, 18, 20].contains(tag) else {
                        throw .unsupported("an indeterminate length on a packet of type \(tag)")
                    }
                    length = data.endIndex - offset
                }
                guard length <= data.endIndex - offset else { throw .malformed("packet (tag \(tag)) is truncated") }
                packets.append(NativePacket(tag: tag, body: Array(data[offset..<offset + length])))
                offset += length
            }
        }
        return packets
    }
}
