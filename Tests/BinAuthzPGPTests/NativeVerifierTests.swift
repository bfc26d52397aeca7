// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

@testable import BinAuthzPGP

extension PGPTests {
    /// GnuPG behaviours the native verifier reproduces on purpose, each checked against GPGME.
    @Suite("Native verifier: GnuPG's own rules")
    struct NativeVerifierTests {
        static let key = "seed-article/set-a/generated-key.pgp"
        static let signature = "seed-article/set-a/generated_signature.pgp"
        static let valid = PGPTest.date("2019-06-01T00:00:00Z")

        /// The seed article's message without its compression: one-pass signature, literal data, signature.
        static func uncompressedPackets() throws -> [NativePacket] {
            let outer = PacketSurgery.packets(PacketSurgery.binary(try PGPTest.corpus(signature)))
            let inner = try Inflate.inflate(outer[0].body.dropFirst(), limit: 1 << 20).bytes
            return PacketSurgery.packets(inner)
        }

        @Test("SHA-224 matches Python's hashlib")
        func sha224() throws {
            for input in ["", "abc", String(repeating: "a", count: 1000), String(repeating: "0123456789", count: 13)] {
                var hasher = SHA224Hasher()
                hasher.update(Array(input.utf8))
                let expected = try NativeInflateTests.python(
                    "import hashlib,sys; sys.stdout.write(hashlib.sha224(bytes(\(Array(input.utf8)))).hexdigest())"
                )
                #expect(Hex.encode(hasher.finalize()).lowercased() == String(decoding: expected, as: UTF8.self))
            }
        }

        @Test("the left 16 bits of the digest are not checked, by GnuPG or natively: altered, it still verifies")
        func quickCheckIgnored() throws {
            var packets = try Self.uncompressedPackets()
            var body = packets[2].body
            let hashed = Int(body[4]) << 8 | Int(body[5])
            let unhashed = Int(body[6 + hashed]) << 8 | Int(body[7 + hashed])
            body[8 + hashed + unhashed] ^= 0xFF
            body[9 + hashed + unhashed] ^= 0xFF
            packets[2].body = body
            let message = PacketSurgery.write(packets)
            let pair = NativeDifferential(keys: [try PGPTest.corpus(Self.key)])
            defer { pair.close() }
            #expect(pair.compare(message, at: [Self.valid], label: "left16") == [.agreed])
            #expect(try pair.native.get().verifyAttached(message, at: Self.valid).result?.isVerified == true)
        }

        @Test("an unknown critical subpacket in the unhashed area makes the signature bad, as in GnuPG")
        func unhashedCritical() throws {
            var packets = try Self.uncompressedPackets()
            var body = packets[2].body
            let hashed = Int(body[4]) << 8 | Int(body[5])
            let unhashed = Int(body[6 + hashed]) << 8 | Int(body[7 + hashed])
            let extra: [UInt8] = [0x02, 0x80 | 100, 0x00]  // critical private subpacket 100
            let total = unhashed + extra.count
            body =
                Array(body[..<(6 + hashed)]) + [UInt8(total >> 8), UInt8(total & 0xFF)] + extra
                + Array(body[(8 + hashed)...])
            packets[2].body = body
            let message = PacketSurgery.write(packets)
            let pair = NativeDifferential(keys: [try PGPTest.corpus(Self.key)])
            defer { pair.close() }
            #expect(pair.compare(message, at: [Self.valid], label: "critical") == [.agreed])
            #expect(
                try pair.native.get().verifyAttached(message, at: Self.valid).result?.failure?.kind == .badSignature)
        }

        @Test("text-mode literal data: the payload loses its carriage returns, as GnuPG writes it out")
        func textModePayload() throws {
            var packets = try Self.uncompressedPackets()
            packets[1].body[0] = UInt8(ascii: "t")
            let message = PacketSurgery.write(packets)
            let pair = NativeDifferential(keys: [try PGPTest.corpus(Self.key)])
            defer { pair.close() }
            // The format octet is not signed in a v4 signature, so this still verifies in both.
            #expect(pair.compare(message, at: [Self.valid], label: "textmode") == [.agreed])
        }

        @Test("a second signature that is bad: GnuPG stops there, and so does the count")
        func multipleSignatures() throws {
            var packets = try Self.uncompressedPackets()
            var bad = packets[2]
            bad.body[bad.body.count - 2] ^= 0x01
            packets = [packets[0], packets[0], packets[1], packets[2], bad]
            let message = PacketSurgery.write(packets)
            let pair = NativeDifferential(keys: [try PGPTest.corpus(Self.key)])
            defer { pair.close() }
            #expect(pair.compare(message, at: [Self.valid], label: "two") == [.agreed])
            #expect(
                try pair.native.get().verifyAttached(message, at: Self.valid).result == .failed(.multipleSignatures(2)))
        }
    }
}
