// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import BinAuthzTestSupport
import Foundation
import Testing

@testable import BinAuthzPGP

extension PGPTests {
    /// Hostile messages and keys: every answer is bounded — a failure or `unsupported` — never a crash or a hang.
    @Suite("Native verifier on hostile input")
    struct NativeHostileInputTests {
        static let key = "seed-article/set-a/generated-key.pgp"
        static let signature = "seed-article/set-a/generated_signature.pgp"
        static let valid = PGPTest.date("2019-06-01T00:00:00Z")

        func verifier(_ limits: InputLimits = InputLimits()) throws -> NativePGPVerifier {
            try NativePGPVerifier(publicKeys: [try PGPTest.corpus(Self.key)], limits: limits)
        }

        @Test("the seed article's signature verifies natively, with the payload and the primary key")
        func baseline() throws {
            let result = try verifier().verifyAttached(try PGPTest.corpus(Self.signature), at: Self.valid)
            let verified = try #require(result.result?.verified, "\(result)")
            #expect(verified.payload == (try PGPTest.corpus("seed-article/set-a/generated_payload.json")))
            #expect(verified.primaryKeyFingerprint.hex == "E50ABDE5A0C05DB317479494C111AF41B88ECC96")
        }

        @Test("compressed data nested past the depth limit is refused as too large")
        func nesting() throws {
            let message = try NativeInflateTests.python(
                """
                import sys, zlib
                data = bytes([0xCB, 0x0A]) + b'b' + bytes([0]) + bytes(4) + b'test'
                for _ in range(40):
                    z = zlib.compressobj(9, zlib.DEFLATED, -15)
                    body = bytes([1]) + z.compress(data) + z.flush()
                    data = bytes([0xC8, 0xFF]) + len(body).to_bytes(4, 'big') + body
                sys.stdout.buffer.write(data)
                """)
            let result = try verifier().verifyAttached(message, at: Self.valid)
            #expect(result.result?.failure?.kind == .tooLarge, "\(result)")
            #expect(result.result?.failure?.detail?.contains("nested more than 2") == true, "\(result)")
        }

        @Test("a packet claiming a 4 GiB body is refused before anything is allocated")
        func hugeLength() throws {
            let message: [UInt8] = [0xCB, 0xFF, 0xFF, 0xFF, 0xFF, 0xF0, 0x62, 0x00] + [UInt8](repeating: 0, count: 64)
            let result = try verifier().verifyAttached(message, at: Self.valid)
            #expect(result.result?.failure?.kind == .malformed, "\(result)")
        }

        @Test("more packets than the limit are refused")
        func manyPackets() throws {
            var limits = InputLimits()
            limits.maximumPGPMessagePackets = 8
            let marker: [UInt8] = [0xCA, 0x03, 0x50, 0x47, 0x50]  // "PGP" marker packets
            let signed = PacketSurgery.binary(try PGPTest.corpus(Self.signature))
            let message = Array([[UInt8]](repeating: marker, count: 20).joined()) + signed
            let result = try verifier(limits).verifyAttached(message, at: Self.valid)
            #expect(result.result?.failure?.kind == .tooLarge, "\(result)")
        }

        @Test("an oversized message and oversized literal data are refused, naming the limit")
        func sizeLimits() throws {
            var limits = InputLimits()
            limits.maximumSignatureBytes = 100
            let signature = try PGPTest.corpus(Self.signature)
            #expect(try verifier(limits).verifyAttached(signature, at: Self.valid).result?.failure?.kind == .tooLarge)
            limits = InputLimits()
            limits.maximumPayloadBytes = 100
            let result = try verifier(limits).verifyAttached(signature, at: Self.valid)
            #expect(result.result?.failure?.detail?.contains("100 bytes") == true, "\(result)")
        }

        @Test("every prefix of a signed message, armored and binary, gets a bounded answer")
        func truncatedEverything() throws {
            let verifier = try verifier()
            let armored = try PGPTest.corpus(Self.signature)
            let binary = PacketSurgery.binary(armored)
            for length in 0..<binary.count {
                let answer = verifier.verifyAttached(Array(binary.prefix(length)), at: Self.valid)
                #expect(answer.result?.isVerified != true, "prefix \(length) verified")
            }
            // Once the END line names the label the message is whole (the armor reader shared with the GPGME
            // path accepts a cut-off run of dashes), so stop there.
            let end =
                String(decoding: armored, as: UTF8.self).utf8.count
                - String(decoding: armored, as: UTF8.self).components(separatedBy: "-----END").last!.utf8.count
            for length in stride(from: 0, to: end, by: 7) {
                let answer = verifier.verifyAttached(Array(armored.prefix(length)), at: Self.valid)
                #expect(answer.result?.isVerified != true, "armored prefix \(length) verified")
            }
        }

        @Test("random garbage and random key material never crash")
        func garbage() throws {
            var generator = SeededGenerator(seed: 42)
            let verifier = try verifier()
            for _ in 0..<2000 {
                let count = Int.random(in: 0..<300, using: &generator)
                var bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
                if let first = bytes.first { bytes[0] = first | 0x80 }
                _ = verifier.verifyAttached(bytes, at: Self.valid)
                _ = try? NativePGPVerifier(publicKeys: [bytes])
            }
            let key = PacketSurgery.binary(try PGPTest.corpus(Self.key))
            for _ in 0..<300 {
                _ = try? NativePGPVerifier(publicKeys: [Mutation.mutate(key, using: &generator)])
            }
        }

        @Test("keys beyond the key limits make the verifier fall back rather than guess")
        func keyLimits() throws {
            var limits = InputLimits()
            limits.maximumPGPKeyPackets = 2
            let verifier = try verifier(limits)
            #expect(verifier.keys == nil)
            let answer = verifier.verifyAttached(try PGPTest.corpus(Self.signature), at: Self.valid)
            guard case .unsupported = answer else {
                Issue.record("expected unsupported, got \(answer)")
                return
            }
        }

        @Test("BZip2 is left to GPGME")
        func bzip2() throws {
            // A compressed packet, algorithm 3, whatever follows.
            let message: [UInt8] = [0xC8, 0x05, 0x03, 0x42, 0x5A, 0x68, 0x39]
            guard case .unsupported(let reason) = try verifier().verifyAttached(message, at: Self.valid) else {
                Issue.record("BZip2 was decided natively")
                return
            }
            #expect(reason.contains("BZip2"))
        }
    }
}

extension PGPTests {
    /// Decompression bombs through both verifiers: refused at the decompression limit, with gpg stopped (or never
    /// started), whatever the compression.
    @Suite("Decompression bombs and oversized signatures, both verifiers")
    struct DecompressionBombTests {
        static let key = "seed-article/set-a/generated-key.pgp"

        static func bomb(_ name: String) throws -> [UInt8] { try Fixtures.data("hostile/\(name)") }

        @Test(
            "a bomb is refused as tooLarge by GPGME and natively",
            arguments: ["nested-zlib-bomb.asc", "bzip2-bomb-1gib.pgp"])
        func bombs(name: String) throws {
            let message = try Self.bomb(name)
            try PGPTest.withKeys([Self.key]) { keyring in
                let result = try keyring.verifyAttached(message, at: PGPTest.today)
                #expect(result.failure?.kind == .tooLarge, "\(result)")
                // The keyring still works, and verifies a real signature.
                let good = try keyring.verifyAttached(
                    try PGPTest.corpus("seed-article/set-a/generated_signature.pgp"),
                    at: PGPTest.date("2019-06-01T00:00:00Z"))
                #expect(good.isVerified, "\(good)")
            }
            let native = try NativePGPVerifier(publicKeys: [try PGPTest.corpus(Self.key)])
            switch native.verifyAttached(message, at: PGPTest.today) {
            case .decided(let result): #expect(result.failure?.kind == .tooLarge, "\(result)")
            case .unsupported(let reason): #expect(name.contains("bzip2"), "unexpected fallback: \(reason)")
            }
        }

        @Test("the payload limit holds just below and above, on the GPGME path")
        func payloadBoundary() throws {
            let signature = try PGPTest.corpus("seed-article/set-a/generated_signature.pgp")
            let payload = try PGPTest.corpus("seed-article/set-a/generated_payload.json")
            try PGPTest.withKeys([Self.key]) { keyring in
                var limits = InputLimits.default
                limits.maximumPayloadBytes = payload.count
                let at = PGPTest.date("2019-06-01T00:00:00Z")
                #expect(try keyring.verifyAttached(signature, at: at, limits: limits).isVerified)
                limits.maximumPayloadBytes = payload.count - 1
                let refused = try keyring.verifyAttached(signature, at: at, limits: limits)
                #expect(refused.failure?.kind == .tooLarge, "\(refused)")
                limits = .default
                limits.maximumSignatureBytes = signature.count - 1
                #expect(try keyring.verifyAttached(signature, at: at, limits: limits).failure?.kind == .tooLarge)
            }
        }
    }
}

extension PGPTests {
    /// The OpenPGP limits just below and above, on both verifiers: the seed article's signature and key exactly at
    /// each limit verify; one less refuses them, as tooLarge for a message and as an error for a key block.
    @Suite("OpenPGP limits at their boundaries")
    struct PGPLimitBoundaryTests {
        static let key = "seed-article/set-a/generated-key.pgp"
        static let at = PGPTest.date("2019-06-01T00:00:00Z")

        /// The seed signature's measures: packets (the compressed packet and the three inside it), compression depth,
        /// decompressed size.
        static func measures() throws -> (packets: Int, depth: Int, decompressed: Int) {
            let binary = PacketSurgery.binary(try PGPTest.corpus("seed-article/set-a/generated_signature.pgp"))
            let outer = try PacketReader.packets(binary)
            #expect(outer.count == 1 && outer[0].tag == Packet.compressedData)
            let inner = try Inflate.inflate(outer[0].body.dropFirst(), limit: 1 << 20).bytes
            return (outer.count + (try PacketReader.packets(inner)).count, 1, inner.count)
        }

        static func both(_ limits: InputLimits) throws -> (native: PGPVerificationResult?, gpgme: PGPVerificationResult)
        {
            let signature = try PGPTest.corpus("seed-article/set-a/generated_signature.pgp")
            let native = try NativePGPVerifier(publicKeys: [try PGPTest.corpus(Self.key)], limits: limits)
            let gpgme = try PGPTest.withKeys([Self.key]) {
                try $0.verifyAttached(signature, at: Self.at, limits: limits)
            }
            return (native.verifyAttached(signature, at: Self.at).result, gpgme)
        }

        @Test(
            "Message packets, compression depth and decompressed bytes",
            arguments: [
                \InputLimits.maximumPGPMessagePackets, \.maximumPGPCompressionDepth, \.maximumDecompressedBytes,
            ])
        func messageLimits(_ limit: WritableKeyPath<InputLimits, Int> & Sendable) throws {
            let measured = try Self.measures()
            let value =
                limit == \InputLimits.maximumPGPMessagePackets
                ? measured.packets
                : limit == \InputLimits.maximumPGPCompressionDepth ? measured.depth : measured.decompressed
            var limits = InputLimits.default
            limits[keyPath: limit] = value
            let atLimit = try Self.both(limits)
            #expect(atLimit.native?.isVerified == true, "\(String(describing: atLimit.native))")
            #expect(atLimit.gpgme.isVerified, "\(atLimit.gpgme)")
            limits[keyPath: limit] = value - 1
            let over = try Self.both(limits)
            #expect(over.native?.failure?.kind == .tooLarge, "\(String(describing: over.native))")
            #expect(over.gpgme.failure?.kind == .tooLarge, "\(over.gpgme)")
        }

        @Test("Key block bytes and packets")
        func keyLimits() throws {
            let key = try PGPTest.corpus(Self.key)
            let packets = try PacketReader.packets(try Armor.dearmorIfNeeded(key)).count
            var limits = InputLimits.default
            limits.maximumPGPKeyBytes = key.count
            limits.maximumPGPKeyPackets = packets
            _ = try PGPKeyBlock(key, limits: limits)
            _ = try NativePGPVerifier(publicKeys: [key], limits: limits)
            limits.maximumPGPKeyBytes = key.count - 1
            #expect(throws: PGPError.self) { try PGPKeyBlock(key, limits: limits) }
            #expect(throws: PGPError.self) { try NativePGPVerifier(publicKeys: [key], limits: limits) }
            limits.maximumPGPKeyBytes = key.count
            limits.maximumPGPKeyPackets = packets - 1
            #expect(throws: PGPError.self) { try PGPKeyBlock(key, limits: limits) }
        }
    }
}
