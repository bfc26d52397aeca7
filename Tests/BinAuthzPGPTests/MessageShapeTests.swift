// SPDX-License-Identifier: Apache-2.0

import Foundation
import Testing

@testable import BinAuthzPGP

extension PGPTests {
    /// What is rejected before GnuPG runs, and why.
    @Suite("Signature input shapes")
    struct MessageShapeTests {
        func reason(_ input: [UInt8]) -> PGPVerificationFailure? {
            if case .rejected(let failure) = MessageShape.classify(input) { return failure }
            return nil
        }

        @Test("clearsigned text is rejected as clearsigned")
        func clearsigned() {
            let text = """
                -----BEGIN PGP SIGNED MESSAGE-----
                Hash: SHA256

                {"critical":{}}
                -----BEGIN PGP SIGNATURE-----

                iHUEARYIAB0WIQ==
                -----END PGP SIGNATURE-----
                """
            #expect(reason(Array(text.utf8)) == .clearsigned)
        }

        @Test("text, empty input and key blocks are not signed messages")
        func notSigned() throws {
            #expect(reason([]) == .notSigned("the input is empty"))
            #expect(reason(Array("{\"critical\":{}}".utf8)) == .notSigned("the input is not OpenPGP data"))
            let key = try PGPTest.corpus("seed-article/set-a/generated-key.pgp")
            #expect(reason(key) == .notSigned("the input is a key block"))
            // The same key, binary: key packets hold no signed data.
            let binary = try Armor.decode(key)[0].data
            #expect(reason(binary)?.kind == .notSigned)
        }

        @Test("bare literal data and encrypted messages are not signed")
        func literalAndEncrypted() {
            let literal: [UInt8] = [0xCB, 11, UInt8(ascii: "b"), 0, 0, 0, 0, 0] + Array("hello".utf8)
            #expect(reason(literal) == .notSigned("literal data without a signature"))
            let pkesk: [UInt8] = [0xC1, 3, 3, 0, 0]
            #expect(reason(pkesk) == .notSigned("the input is an encrypted message"))
        }

        @Test("signature packets alone are a detached signature, armored or not")
        func detached() {
            let signaturePacket: [UInt8] = [0xC2, 4, 4, 0, 22, 8]
            #expect(reason(signaturePacket) == .detachedSignature)
            let armored = Armor.encode(signaturePacket, label: "PGP SIGNATURE")
            #expect(reason(Array(armored.utf8)) == .detachedSignature)
        }

        @Test("damaged armor and truncated packets are malformed")
        func malformed() {
            let armored = Armor.encode([0xCB, 11, UInt8(ascii: "b"), 0, 0, 0, 0, 0, 1, 2, 3], label: "PGP MESSAGE")
            let damaged = armored.replacingOccurrences(of: "\n=", with: "\n=A").replacingOccurrences(
                of: "=A", with: "=")
            let crcChanged = damaged.split(separator: "\n").map { line in
                line.hasPrefix("=") ? "=AAAA" : String(line)
            }.joined(separator: "\n")
            #expect(reason(Array(crcChanged.utf8))?.kind == .malformed)
            #expect(reason([0xCB, 50, 1])?.kind == .malformed)
        }

        @Test("compressed, one-pass-signed and old-style signed messages go to GnuPG")
        func candidates() {
            let compressed: [UInt8] = [0xC8, 2, 1, 0]
            if case .candidate = MessageShape.classify(compressed) {
            } else {
                Issue.record("compressed data was rejected")
            }
            let onePass: [UInt8] = [0xC4, 1, 3, 0xCB, 6, UInt8(ascii: "b"), 0, 0, 0, 0, 0, 0xC2, 1, 4]
            if case .candidate = MessageShape.classify(onePass) {
            } else {
                Issue.record("a signed message was rejected")
            }
        }
    }
}
