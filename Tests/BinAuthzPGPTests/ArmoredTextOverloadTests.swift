// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

@testable import BinAuthzPGP

extension PGPTests {
    /// The `String` overloads hand the text's UTF-8 bytes to the byte methods, so they must answer exactly as those
    /// do: the same fingerprint, the same verdict at the same instant, the same keys imported.
    @Suite("Armored text overloads answer as the byte methods do")
    struct ArmoredTextOverloadTests {
        static let key = "seed-article/set-a/generated-key.pgp"
        static let signature = "seed-article/set-a/generated_signature.pgp"

        @Test(
            "Fingerprint, GnuPG verification and native verification from Strings",
            arguments: [
                "2019-06-01T00:00:00Z", "2026-12-01T00:00:00Z",
            ])
        func sameAnswers(at instant: String) throws {
            let time = PGPTest.date(instant)
            let keyText = try Fixtures.corpusText(Self.key)
            let signatureText = try Fixtures.corpusText(Self.signature)
            let keyBytes = try PGPTest.corpus(Self.key)
            let signatureBytes = try PGPTest.corpus(Self.signature)

            #expect(try PGPKeyBlock.fingerprint(of: keyText) == PGPKeyBlock.fingerprint(of: keyBytes))

            let fromText = try EphemeralKeyring(verifyingWith: [keyText])
            defer { fromText.close() }
            let fromBytes = try EphemeralKeyring(verifyingWith: [keyBytes])
            defer { fromBytes.close() }
            let textVerdict = try fromText.verifyAttached(signatureText, at: time)
            #expect(textVerdict == (try fromBytes.verifyAttached(signatureBytes, at: time)))
            #expect(textVerdict == (try fromBytes.verifyAttached(signatureText, at: time)))

            let native = try NativePGPVerifier(publicKeys: [keyText])
            let nativeBytes = try NativePGPVerifier(publicKeys: [keyBytes])
            #expect(
                native.verifyAttached(signatureText, at: time) == nativeBytes.verifyAttached(signatureBytes, at: time))
            guard case .decided(let decided) = native.verifyAttached(signatureText, at: time) else {
                Issue.record("the native verifier should decide the seed signature")
                return
            }
            #expect(decided == textVerdict)
        }

        @Test("importKeys(armored:) imports what importKeys(_:) imports, and refuses base64 text as GnuPG does")
        func importArmored() throws {
            let keyText = try Fixtures.corpusText(Self.key)
            let keyring = try EphemeralKeyring()
            defer { keyring.close() }
            let imported = try keyring.importKeys(armored: keyText)
            #expect(imported.map(\.fingerprint) == [PGPTest.fingerprint("E50ABDE5A0C05DB317479494C111AF41B88ECC96")])
            #expect(throws: PGPError.self) {
                try keyring.importKeys(armored: Data(keyText.utf8).base64EncodedString())
            }
        }
    }
}
