// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

@testable import BinAuthzPGP

extension PGPTests {
    /// The bounded DEFLATE/zlib decoder against Python's zlib (the library GnuPG uses) and against bombs.
    @Suite("Native inflate")
    struct NativeInflateTests {
        /// Runs python3 with `script`, returning stdout.
        static func python(_ script: String) throws -> [UInt8] {
            let result = try Subprocess.run("python3", ["-c", script])
            guard result.status == 0 else { throw GPGFailure(description: "python3 failed: \(result)") }
            return result.stdout
        }

        /// Vectors made by zlib: (name, raw deflate, zlib stream, expected output), as hex lines.
        static let vectors: [(name: String, raw: [UInt8], zlib: [UInt8], plain: [UInt8])] = {
            let script = """
                import zlib, random
                random.seed(7)
                cases = {
                  'empty': b'',
                  'short': b'hello, world\\n',
                  'repetitive': b'abc' * 5000,
                  'random': bytes(random.getrandbits(8) for _ in range(70000)),
                  'text': (b'{"critical":{"identity":{"docker-reference":"gcr.io/p/i"}}}\\n' * 300),
                  'overlap': b'a' * 40000 + b'b' * 3,
                }
                for name, data in cases.items():
                  for level, strategy in ((0, zlib.Z_DEFAULT_STRATEGY), (6, zlib.Z_FIXED), (9, zlib.Z_DEFAULT_STRATEGY), (6, zlib.Z_HUFFMAN_ONLY), (1, zlib.Z_RLE)):
                    raw = zlib.compressobj(level, zlib.DEFLATED, -15, 9, strategy)
                    r = raw.compress(data) + raw.flush()
                    z = zlib.compressobj(level, zlib.DEFLATED, 15, 9, strategy)
                    w = z.compress(data) + z.flush()
                    print(f'{name}-{level}-{strategy}', r.hex(), w.hex(), data.hex())
                """
            let output = (try? python(script)) ?? []
            return String(decoding: output, as: UTF8.self).split(separator: "\n").map { line in
                let parts = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
                return (parts[0], hex(parts[1]), hex(parts[2]), hex(parts[3]))
            }
        }()

        static func hex(_ text: String) -> [UInt8] {
            var bytes: [UInt8] = []
            var index = text.startIndex
            while index < text.endIndex {
                let next = text.index(index, offsetBy: 2)
                bytes.append(UInt8(text[index..<next], radix: 16)!)
                index = next
            }
            return bytes
        }

        @Test("zlib's stored, fixed, dynamic, Huffman-only and RLE streams decode byte for byte, raw and wrapped")
        func zlibVectors() throws {
            #expect(Self.vectors.count == 30)
            for vector in Self.vectors {
                let raw = try Inflate.inflate(vector.raw[...], limit: 1 << 20)
                #expect(raw.bytes == vector.plain, "\(vector.name) raw")
                #expect(raw.consumed == vector.raw.count, "\(vector.name) consumed")
                let wrapped = try Inflate.unzlib(vector.zlib[...], limit: 1 << 20)
                #expect(wrapped.bytes == vector.plain, "\(vector.name) zlib")
            }
        }

        @Test("every prefix of a stream fails as truncated or decodes; none crashes")
        func truncation() throws {
            let vector = try #require(Self.vectors.first { $0.name.hasPrefix("text-9") })
            for length in 0..<vector.zlib.count {
                do {
                    _ = try Inflate.unzlib(vector.zlib.prefix(length), limit: 1 << 20)
                    Issue.record("a truncated zlib stream of \(length) bytes decoded")
                } catch {
                    #expect(error.code == .truncated || error.code == .checksumMismatch, "\(length): \(error)")
                }
            }
        }

        @Test("malformed streams get precise errors")
        func malformed() {
            func code(_ bytes: [UInt8], zlib: Bool = false) -> InflateError.Code? {
                do {
                    _ =
                        zlib
                        ? try Inflate.unzlib(bytes[...], limit: 1000) : try Inflate.inflate(bytes[...], limit: 1000)
                    return nil
                } catch { return error.code }
            }
            #expect(code([0x07]) == .invalidBlockType)  // final, type 3
            #expect(code([0x01, 0x05, 0x00, 0x00, 0x00]) == .storedLengthMismatch)
            #expect(code([0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x02], zlib: true) == .checksumMismatch)
            #expect(code([0x78, 0x9D], zlib: true) == .invalidHeader)  // check bits
            #expect(code([0x79, 0x9C], zlib: true) == .invalidHeader)  // method 9
            #expect(code([0x78, 0xBB], zlib: true) == .invalidHeader)  // FDICT
            // Fixed block: a back reference before any output.
            #expect(code([0x03, 0x02]) == .distanceTooFar || code([0x03, 0x02]) == .truncated)
            // Dynamic block declaring 30 + 257 literal codes.
            #expect(code([0xFD, 0x1F]) == .tooManyCodes || code([0xFD, 0x1F]) == .truncated)
        }

        @Test("a bomb stops at the limit: 10 KB that would inflate to 1 GiB costs only the limit")
        func bomb() throws {
            // A zlib stream of 1 GiB of zeros, made by Python in pieces (python3's zlib, level 9).
            let bomb = try Self.python(
                """
                import sys, zlib
                z = zlib.compressobj(9)
                chunk = bytes(1 << 20)
                out = b''.join(z.compress(chunk) for _ in range(1024)) + z.flush()
                sys.stdout.buffer.write(out)
                """)
            #expect(bomb.count < 1_100_000)
            let start = ContinuousClock.now
            #expect(throws: InflateError(.outputLimit, "")) { try Inflate.unzlib(bomb[...], limit: 256 << 10) }
            #expect(ContinuousClock.now - start < .seconds(5))
            // A hand-made one: fixed-Huffman back references of length 258, repeated.
            var handMade: [UInt8] = [0x4B, 0x04, 0x00]  // not a full stream: just make sure partial input is safe
            handMade += [UInt8](repeating: 0, count: 10_000)
            _ = try? Inflate.inflate(handMade[...], limit: 1 << 16)
        }

        @Test("a bomb inside a signed message is refused as too large, naming the limit")
        func bombInMessage() throws {
            let script = """
                import sys, zlib
                lit = bytes([0xCB, 0xFF]) + (1 << 24).to_bytes(4, 'big')  # literal, 16 MiB body (new format, 5-octet length)
                body = b'b' + bytes([0]) + bytes(4) + bytes(1 << 24)
                inner = bytes([0xCB, 0xFF]) + len(body).to_bytes(4, 'big') + body
                z = zlib.compressobj(9)
                data = z.compress(inner) + z.flush()
                pkt = bytes([0xA3, 0x02]) + data  # old-format compressed packet, indeterminate length, ZLIB
                sys.stdout.buffer.write(pkt)
                """
            let message = try Self.python(script)
            #expect(message.count < 100_000)
            let verifier = try NativePGPVerifier(
                publicKeys: [try PGPTest.corpus("seed-article/set-a/generated-key.pgp")])
            let result = verifier.verifyAttached(message, at: PGPTest.today)
            #expect(result.result?.failure?.kind == .tooLarge, "\(result)")
            #expect(result.result?.failure?.detail?.contains("262144") == true, "\(result)")
        }
    }
}
