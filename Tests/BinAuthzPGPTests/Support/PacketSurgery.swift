// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation

@testable import BinAuthzPGP

/// Packet-level edits for test fixtures: GnuPG always makes back-signatures and well-formed packets, so the cases it
/// cannot make are made from its output.
enum PacketSurgery {
    /// Splits binary OpenPGP data into packets.
    static func packets(_ binary: [UInt8]) -> [NativePacket] {
        (try? NativePacketReader.packets(binary[...], maximumCount: 100_000)) ?? []
    }

    /// Writes packets back in the new format.
    static func write(_ packets: [NativePacket]) -> [UInt8] {
        var out: [UInt8] = []
        for packet in packets {
            out.append(0xC0 | packet.tag)
            let count = packet.body.count
            if count < 192 {
                out.append(UInt8(count))
            } else if count < 8384 {
                let value = count - 192
                out += [UInt8(value >> 8 + 192), UInt8(value & 0xFF)]
            } else {
                out += [
                    0xFF, UInt8(count >> 24 & 0xFF), UInt8(count >> 16 & 0xFF), UInt8(count >> 8 & 0xFF),
                    UInt8(count & 0xFF),
                ]
            }
            out += packet.body
        }
        return out
    }

    /// The binary form of an armored or binary block.
    static func binary(_ bytes: [UInt8]) -> [UInt8] {
        (try? Armor.dearmorIfNeeded(bytes)) ?? bytes
    }

    /// Rewrites the unhashed subpacket area of every subkey binding signature (class 0x18) with `edit`. The binding
    /// stays valid: the unhashed area is not signed, and GnuPG keeps the back-signature there.
    static func editBindingUnhashedArea(_ key: [UInt8], _ edit: ([UInt8]) -> [UInt8]) -> [UInt8] {
        var packets = packets(binary(key))
        for index in packets.indices where packets[index].tag == 2 {
            let body = packets[index].body
            guard body.count > 6, body[0] == 4, body[1] == 0x18 else { continue }
            let hashedLength = Int(body[4]) << 8 | Int(body[5])
            let unhashedStart = 6 + hashedLength
            let unhashedLength = Int(body[unhashedStart]) << 8 | Int(body[unhashedStart + 1])
            let area = Array(body[(unhashedStart + 2)..<(unhashedStart + 2 + unhashedLength)])
            let edited = edit(area)
            packets[index].body =
                Array(body[..<unhashedStart]) + [UInt8(edited.count >> 8), UInt8(edited.count & 0xFF)] + edited
                + Array(body[(unhashedStart + 2 + unhashedLength)...])
        }
        return Array(Armor.encode(write(packets), label: "PGP PUBLIC KEY BLOCK").utf8)
    }

    /// Splits a subpacket area into whole subpackets (length header included).
    static func subpackets(_ area: [UInt8]) -> [[UInt8]] {
        var result: [[UInt8]] = []
        var offset = 0
        while offset < area.count {
            var length = Int(area[offset])
            var header = 1
            if length >= 192 && length < 255 {
                length = ((length - 192) << 8) + Int(area[offset + 1]) + 192
                header = 2
            } else if length == 255 {
                length = area[(offset + 1)..<(offset + 5)].reduce(0) { $0 << 8 | Int($1) }
                header = 5
            }
            result.append(Array(area[offset..<(offset + header + length)]))
            offset += header + length
        }
        return result
    }

    /// Removes embedded signatures (the back-signature) from an area.
    static func withoutEmbeddedSignatures(_ area: [UInt8]) -> [UInt8] {
        subpackets(area).filter { !isType($0, 32) }.flatMap { $0 }
    }

    /// Flips a bit near the end of each embedded signature (inside its last MPI): an invalid back-signature.
    static func corruptingEmbeddedSignatures(_ area: [UInt8]) -> [UInt8] {
        subpackets(area).map { subpacket in
            guard isType(subpacket, 32) else { return subpacket }
            var copy = subpacket
            copy[copy.count - 3] ^= 0x01
            return copy
        }.flatMap { $0 }
    }

    private static func isType(_ subpacket: [UInt8], _ type: UInt8) -> Bool {
        let first = subpacket[0]
        let header = first < 192 ? 1 : (first < 255 ? 2 : 5)
        return subpacket.count > header && subpacket[header] & 0x7F == type
    }
}

/// The suite's seeded generator (BinAuthzTestSupport), so mutation cases are the same on every run.
typealias SeededGenerator = SplitMix64

/// Random edits of bytes: flip a bit, replace a byte, truncate, insert, delete.
enum Mutation {
    static func mutate(_ bytes: [UInt8], using generator: inout SeededGenerator) -> [UInt8] {
        guard !bytes.isEmpty else { return [0x80] }
        var copy = bytes
        let position = Int.random(in: 0..<copy.count, using: &generator)
        switch Int.random(in: 0..<10, using: &generator) {
        case 0..<4: copy[position] ^= UInt8(1) << UInt8.random(in: 0..<8, using: &generator)
        case 4..<7: copy[position] = UInt8.random(in: 0...255, using: &generator)
        case 7: copy.removeSubrange(position...)
        case 8: copy.insert(UInt8.random(in: 0...255, using: &generator), at: position)
        default: copy.remove(at: position)
        }
        return copy
    }
}
