// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import BinAuthzTestSupport
import Foundation
import Testing

@testable import BinAuthzPGP

extension PGPTests {
    /// The pure-Swift OpenPGP reading: armor, CRC-24, packets, fingerprints. No GnuPG involved.
    @Suite("Armor, packets and fingerprints (pure Swift)")
    struct ArmorAndPacketTests {
        @Test("CRC-24 matches RFC 4880's definition (check value of \"123456789\" is 0x21CF02)")
        func crc24() {
            #expect(Armor.crc24([]) == 0xB7_04CE)
            #expect(Armor.crc24(Array("123456789".utf8)) == 0x21_CF02)
        }

        @Test("armor round trip, CRLF line endings, headers, and text around the block")
        func armorRoundTrip() throws {
            let data = (0..<200).map { UInt8($0) }
            let armored = Armor.encode(data, label: "PGP MESSAGE")
            #expect(try Armor.decode(Array(armored.utf8)) == [ArmorBlock(label: "PGP MESSAGE", data: data)])
            let crlf = armored.replacingOccurrences(of: "\n", with: "\r\n")
            #expect(try Armor.decode(Array(crlf.utf8))[0].data == data)
            let withHeaders = armored.replacingOccurrences(
                of: "-----BEGIN PGP MESSAGE-----\n\n",
                with: "prose before\n-----BEGIN PGP MESSAGE-----\nVersion: GnuPG v2\nComment: hello: world\n\n")
            #expect(try Armor.decode(Array((withHeaders + "prose after\n").utf8))[0].data == data)
            // No blank line and no headers (some encoders): accepted.
            let compact = armored.replacingOccurrences(of: "-----\n\n", with: "-----\n")
            #expect(try Armor.decode(Array(compact.utf8))[0].data == data)
            // Without the optional checksum line.
            let noChecksum = armored.split(separator: "\n").filter { !($0.hasPrefix("=") && $0.count == 5) }
                .joined(separator: "\n")
            #expect(try Armor.decode(Array(noChecksum.utf8))[0].data == data)
        }

        @Test("armor errors: CRC mismatch, missing END, bad base64, mismatched labels, no armor at all")
        func armorErrors() throws {
            let armored = Armor.encode(Array("hello world, this is data".utf8), label: "PGP MESSAGE")
            var lines = armored.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let body = lines[2]
            lines[2] = String(body.prefix(3)) + (body.dropFirst(3).first == "A" ? "B" : "A") + body.dropFirst(4)
            let tampered = lines.joined(separator: "\n")
            #expect(throws: PGPError.malformedArmor) { try Armor.decode(Array(tampered.utf8)) }
            do {
                _ = try Armor.decode(Array(tampered.utf8))
            } catch {
                #expect(error.message.contains("CRC-24"))
            }
            let noEnd = armored.replacingOccurrences(of: "-----END PGP MESSAGE-----\n", with: "")
            #expect(throws: PGPError.malformedArmor) { try Armor.decode(Array(noEnd.utf8)) }
            let badBase64 = armored.replacingOccurrences(of: body, with: "%%%%")
            #expect(throws: PGPError.malformedArmor) { try Armor.decode(Array(badBase64.utf8)) }
            let mismatched = armored.replacingOccurrences(of: "END PGP MESSAGE", with: "END PGP SIGNATURE")
            #expect(throws: PGPError.malformedArmor) { try Armor.decode(Array(mismatched.utf8)) }
            #expect(throws: PGPError.malformedArmor) { try Armor.decode(Array("just text".utf8)) }
        }

        @Test("base64 decoding inside armor: padding rules, standard alphabet only, no whitespace")
        func base64() {
            #expect(Base64.decode("aGk=", strict: true) == Array("hi".utf8))
            #expect(Base64.decode("aGk", strict: true) == Array("hi".utf8))
            #expect(Base64.decode("aGVsbG8=", strict: true) == Array("hello".utf8))
            #expect(Base64.decode("a", strict: true) == nil)
            #expect(Base64.decode("a===", strict: true) == nil)
            #expect(Base64.decode("a b=", strict: true) == nil)
            #expect(Base64.decode("-_8", strict: true) == nil)
            #expect(Base64.decode("-_8") == [0xFB, 0xFF], "the lenient form, for proto3 bytes fields, takes URL-safe")
            #expect(Base64.encode(Array("hello".utf8)) == "aGVsbG8=")
        }

        @Test("packet lengths: old format (1, 2, 4 octets, indeterminate) and new format (1, 2, 5 octets, partial)")
        func packetLengths() throws {
            let body = (0..<300).map { UInt8($0 & 0xFF) }
            // Old format, tag 11, two-octet length.
            let old2 = [0x80 | (11 << 2) | 1, 0x01, 0x2C] + body
            // Old format, indeterminate length.
            let oldIndeterminate = [0x80 | (11 << 2) | 3] + body
            // New format, two-octet length: 300 = ((first - 192) << 8) + second + 192.
            let new2: [UInt8] = [0xC0 | 11, UInt8(192 + (300 - 192) >> 8), UInt8((300 - 192) & 0xFF)] + body
            // New format, five-octet length.
            let new5: [UInt8] = [0xC0 | 11, 0xFF, 0, 0, 0x01, 0x2C] + body
            // New format, partial: 256 bytes, then the last 44 with a one-octet length.
            let partial: [UInt8] = [0xC0 | 11, 0xE8] + body[0..<256] + [44] + body[256...]
            for encoded in [old2, oldIndeterminate, new2, new5, partial] {
                let packets = try PacketReader.packets(encoded)
                #expect(packets.count == 1)
                #expect(packets.first?.tag == 11)
                #expect(packets.first?.body == body)
            }
            #expect(throws: PGPError.malformedPacket) { try PacketReader.packets([0xC0 | 11, 10, 1, 2]) }
            #expect(throws: PGPError.malformedPacket) { try PacketReader.packets([0x41, 0x42]) }
        }

        @Test("the seed article's keys: fingerprints, algorithms, creation times and subkeys from the packets")
        func seedKeys() throws {
            let a = try PGPKeyBlock(try PGPTest.corpus("seed-article/set-a/generated-key.pgp")).singleKey()
            #expect(a.fingerprint.hex == "E50ABDE5A0C05DB317479494C111AF41B88ECC96")
            #expect(a.fingerprint.keyID == "C111AF41B88ECC96")
            #expect(a.algorithm == "RSA 2048")
            #expect(a.createdAt == PGPTest.date("2018-12-19T21:02:38Z"))
            #expect(a.userIDs == ["nithdevsecops@gmail.com"])
            #expect(a.subkeys.map(\.fingerprint.hex) == ["ADF36CBB93F7159FC45D12C35C2873CB85388839"])
            #expect(!a.isSecret)
            let b = try PGPKeyBlock.fingerprint(of: try PGPTest.corpus("seed-article/set-b/generated-key.pgp"))
            #expect(b.hex == "70C2C69D3D48303F41CA9B8B894BE8262F04E1E0")
        }

        @Test(
            "the pure-Swift fingerprint equals GnuPG's for every public key fixture",
            arguments: [
                "seed-article/set-a/generated-key.pgp", "seed-article/set-b/generated-key.pgp",
                PGPTest.containersFixtures + "public-key.gpg", PGPTest.containersFixtures + "public-key-2.gpg",
                PGPTest.containersFixtures + "public-key-with-subkey.gpg",
                PGPTest.containersFixtures + "public-key-with-revoked-subkey.gpg",
                PGPTest.kritisVectors + "gpgPublicKey.asc", PGPTest.kritisVectors + "e2ePublicKey.asc",
                PGPTest.kritisVectors + "pwPublicKey.asc", PGPTest.kritisVectors + "verifierPublicKey.asc",
                PGPTest.kritisVectors + "wrongPublicKey.asc",
            ])
        func crossCheckWithGnuPG(path: String) throws {
            let bytes = try PGPTest.corpus(path)
            let key = try PGPKeyBlock(bytes).singleKey()
            try PGPTest.withKeys([path]) { keyring in
                let listed = try #require(keyring.keys.first)
                #expect(keyring.keys.count == 1)
                #expect(listed.fingerprint == key.fingerprint)
                #expect(listed.subkeys.map(\.fingerprint) == key.subkeys.map(\.fingerprint))
                #expect(listed.createdAt == key.createdAt)
                #expect(listed.algorithm == key.algorithm)
            }
            let keyring = try EphemeralKeyring(options: PGPTest.verification)
            defer { keyring.close() }
            #expect(try keyring.importAttestorKey(bytes) == key.fingerprint)
        }

        @Test("no key, a v3 key, and truncated key packets are clear errors")
        func keyErrors() throws {
            #expect(throws: PGPError.noKey) {
                try PGPKeyBlock(try PGPTest.corpus("seed-article/set-a/generated_signature.pgp"))
            }
            // A v3 RSA public key packet (version 3, created, validity days, algorithm 1, n, e).
            let v3: [UInt8] = [0x99, 0x00, 0x0E, 3, 0, 0, 0, 0, 0, 0, 1, 0x00, 0x08, 0xFF, 0x00, 0x02, 0x03]
            #expect(throws: PGPError.unsupportedKey) { try PGPKeyBlock(v3) }
            // A v4 secret key packet cut inside its public MPIs.
            let truncated: [UInt8] = [0x95, 0x00, 0x08, 4, 0, 0, 0, 0, 1, 0x08, 0x00]
            #expect(throws: PGPError.malformedPacket) { try PGPKeyBlock(truncated) }
        }

        @Test("fingerprint text: 40 hex digits, normalised to upper case")
        func fingerprintParsing() throws {
            let fpr = try PGPFingerprint(validating: "e50abde5a0c05db317479494c111af41b88ecc96")
            #expect(fpr.hex == "E50ABDE5A0C05DB317479494C111AF41B88ECC96")
            #expect(fpr.description == fpr.hex)
            #expect(PGPFingerprint("E50ABDE5A0C05DB317479494C111AF41B88ECC9") == nil)
            #expect(PGPFingerprint("0xE50ABDE5A0C05DB317479494C111AF41B88ECC") == nil)
            #expect(PGPFingerprint("E50ABDE5A0C05DB317479494C111AF41B88ECC9G") == nil)
            #expect(throws: PGPError.invalidArgument) { try PGPFingerprint(validating: "openpgp4fpr:E50A") }
        }

        @Test("RFC 3339 timestamps in messages")
        func timestamps() {
            #expect(Timestamp.rfc3339(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
            #expect(Timestamp.rfc3339(Date(timeIntervalSince1970: 1_608_325_358)) == "2020-12-18T21:02:38Z")
            #expect(Timestamp.rfc3339(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00Z")
            #expect(Timestamp.rfc3339(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
            // Fractions are dropped, not rounded; the largest OpenPGP time (2106) and a four-digit-year edge.
            #expect(Timestamp.rfc3339(Date(timeIntervalSince1970: 1_608_325_358.999)) == "2020-12-18T21:02:38Z")
            #expect(Timestamp.rfc3339(Date(timeIntervalSince1970: 4_294_967_295)) == "2106-02-07T06:28:15Z")
            #expect(Timestamp.rfc3339(Date(timeIntervalSince1970: 253_402_300_799)) == "9999-12-31T23:59:59Z")
        }
    }
}
