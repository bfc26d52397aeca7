// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

@testable import BinAuthzPGP

extension PGPTests {
    /// The containers/image simple-signing fixtures (Tests/Fixtures/corpora/containers-image/README.md): binary,
    /// ZIP-compressed signed messages, RSA/SHA-256, with V3 signature packet variants.
    @Suite("containers/image signature fixtures")
    struct ContainersImageTests {
        static let dir = PGPTest.containersFixtures
        static let skopeo = PGPTest.fingerprint("08CD26E446E2E95249B7A405E932F44B23E8DD43")
        static let withSubkey = PGPTest.fingerprint("B9F4CDB9FD8C475BFA340AC38D54A947EE396F36")
        static let signingSubkey = PGPTest.fingerprint("57D1D95BBC53BA0EAFF0718CD75B3109B3BAAEAF")
        static let withRevokedSubkey = PGPTest.fingerprint("6D88C5A1993648A17B2BB0DC6B8499AF63388D63")
        static let revokedSubkey = PGPTest.fingerprint("4D33404E00B470050709F3233EF0F93A1F602997")

        /// One verify-only keyring with the three keys the signatures need, as an attestor-style keyring.
        func verify(_ file: String, keys: [String] = ["public-key.gpg"], at time: Date = PGPTest.today) throws
            -> PGPVerificationResult
        {
            try PGPTest.withKeys(keys.map { Self.dir + $0 }) { keyring in
                try keyring.verifyAttached(try PGPTest.corpus(Self.dir + file), at: time)
            }
        }

        @Test(
            "valid signatures verify with the payload and the signer's primary key",
            arguments: [
                "image.signature", "no-optional-fields.signature", "invalid-reference.signature",
            ])
        func valid(file: String) throws {
            let result = try verify(file)
            let verified = try #require(result.verified, "\(result)")
            #expect(verified.primaryKeyFingerprint == Self.skopeo)
            #expect(verified.hashAlgorithm == "SHA256")
            let text = String(decoding: verified.payload, as: UTF8.self)
            #expect(text.hasPrefix("{\"critical\":{\"identity\":{\"docker-reference\":"))
            #expect(text.contains("sha256:20bf21ed457b390829cdbeec8795a7bea1626991fda603e0d01b4e7f60427e55"))
        }

        @Test(
            "a non-JSON payload is cryptographically valid and returned as is (parsing is the payload module's job)",
            arguments: ["invalid-blob.signature", "invalid-blob.signature-v3"])
        func nonJSONPayload(file: String) throws {
            let result = try verify(file)
            #expect(result.verified?.payload == Array("This is not JSON\n".utf8), "\(result)")
            #expect(result.verified?.primaryKeyFingerprint == Self.skopeo)
        }

        @Test("a corrupt signature is a bad signature", arguments: ["corrupt.signature", "corrupt.signature-v3"])
        func corrupt(file: String) throws {
            #expect(try verify(file) == .failed(.badSignature(issuer: "E932F44B23E8DD43")))
        }

        @Test("an expired signature: signature expired, 12h59m after it was made")
        func expired() throws {
            let result = try verify("expired.signature")
            #expect(result == .failed(.signatureExpired(on: Date(timeIntervalSince1970: 1_750_759_200))))
            // Before its expiry the same signature counts, with its expiry reported.
            let early = try verify("expired.signature", at: Date(timeIntervalSince1970: 1_750_759_199))
            #expect(early.verified?.payload == Array("This signature is expired.\n".utf8))
            #expect(early.verified?.expiresAt == Date(timeIntervalSince1970: 1_750_759_200))
        }

        @Test(
            "a signature by a key that is not in the keyring: unknown key, with the issuer id",
            arguments: ["unknown-key.signature", "unknown-key.signature-v3"])
        func unknownKey(file: String) throws {
            let result = try verify(file, keys: ["public-key.gpg", "public-key-with-subkey.gpg"])
            #expect(result == .failed(.unknownKey(issuer: "5F9470E3BC6C3B55")))
        }

        @Test(
            "a signing-subkey signature verifies and reports the primary key B9F4…",
            arguments: ["subkey.signature", "subkey.signature-v3"])
        func subkey(file: String) throws {
            let result = try verify(file, keys: ["public-key-with-subkey.gpg"])
            let verified = try #require(result.verified, "\(result)")
            #expect(verified.primaryKeyFingerprint == Self.withSubkey)
            #expect(verified.signingKeyFingerprint == Self.signingSubkey)
        }

        @Test(
            "a signature by a subkey revoked as compromised: key revoked, at any evaluation time",
            arguments: ["subkey-revoked.signature", "subkey-revoked.signature-v3"])
        func revokedSubkey(file: String) throws {
            let revokedAt = Date(timeIntervalSince1970: 1_753_303_223)
            let expected = PGPVerificationResult.failed(
                .keyRevoked(Self.withRevokedSubkey, subkey: Self.revokedSubkey, on: revokedAt))
            #expect(try verify(file, keys: ["public-key-with-revoked-subkey.gpg"]) == expected)
            // "Compromised" is a hard revocation: it reaches back before the revocation date.
            let before = try verify(
                file, keys: ["public-key-with-revoked-subkey.gpg"], at: revokedAt.addingTimeInterval(-5))
            #expect(before == expected)
        }

        @Test("the revoked subkey is listed with its revocation date and reason")
        func revocationMetadata() throws {
            try PGPTest.withKeys([Self.dir + "public-key-with-revoked-subkey.gpg"]) { keyring in
                let key = try #require(keyring.key(Self.withRevokedSubkey))
                #expect(key.revocation == nil)
                let subkey = try #require(key.subkeys.first { $0.fingerprint == Self.revokedSubkey })
                #expect(
                    subkey.revocation == PGPRevocation(date: Date(timeIntervalSince1970: 1_753_303_223), reasonCode: 2))
                #expect(subkey.revocation?.isTimeBound == false)
                #expect(keyring.key(Self.revokedSubkey)?.fingerprint == Self.withRevokedSubkey)
            }
        }

        @Test(
            "unsigned input is not a signed message",
            arguments: [
                "unsigned-literal.signature", "unsigned-encrypted.signature",
            ])
        func unsigned(file: String) throws {
            let result = try verify(file)
            #expect(result.failure?.kind == .notSigned, "\(result)")
        }

        @Test("the binary and armored copies of the skopeo key have the same fingerprint, in Swift and in GnuPG")
        func binaryAndArmoredKeys() throws {
            let armored = try PGPKeyBlock.fingerprint(of: try PGPTest.corpus(Self.dir + "public-key.gpg"))
            let binary = try PGPKeyBlock.fingerprint(of: try PGPTest.corpus(Self.dir + "public-key-1.gpg"))
            #expect(armored == Self.skopeo)
            #expect(binary == Self.skopeo)
            try PGPTest.withKeys([Self.dir + "public-key-1.gpg"]) { keyring in
                #expect(keyring.keys.map(\.fingerprint) == [Self.skopeo])
            }
        }

        @Test("pubring.gpg holds four primary keys in order; as an attestor key it is rejected")
        func pubring() throws {
            let bytes = try PGPTest.corpus(Self.dir + "pubring.gpg")
            let block = try PGPKeyBlock(bytes)
            #expect(
                block.keys.map(\.fingerprint.hex) == [
                    "F2B501009F78B0B340221A12A3CD242DA6028093", "08CD26E446E2E95249B7A405E932F44B23E8DD43",
                    "B9F4CDB9FD8C475BFA340AC38D54A947EE396F36", "6D88C5A1993648A17B2BB0DC6B8499AF63388D63",
                ])
            #expect(throws: PGPError.multipleKeys) { try block.singleKey() }
            do {
                _ = try block.singleKey()
            } catch {
                #expect(error.message.hasPrefix("expected 1 public key, got 4"))
            }
            let keyring = try EphemeralKeyring(options: PGPTest.verification)
            defer { keyring.close() }
            #expect(throws: PGPError.multipleKeys) { try keyring.importAttestorKey(bytes) }
            // As plain key material the whole ring imports.
            #expect(try keyring.importKeys(bytes).count == 4)
        }

        @Test("secring.gpg signs round trips: without a passphrase (08CD…) and with one (F2B5…)")
        func secring() throws {
            let payload = Array("{\"critical\":{}}\n".utf8)
            let keyring = try EphemeralKeyring(options: PGPTest.signing)
            defer { keyring.close() }
            let imported = try keyring.importKeys(try PGPTest.corpus(Self.dir + "secring.gpg"))
            #expect(
                Set(imported.map(\.fingerprint.hex)) == ["F2B501009F78B0B340221A12A3CD242DA6028093", Self.skopeo.hex])
            #expect(imported.allSatisfy { $0.hasSecretKey })
            let plain = try keyring.sign(payload, with: Self.skopeo)
            #expect(try keyring.verifyAttached(plain, at: PGPTest.soon).verified?.payload == payload)
            let protected = PGPTest.fingerprint("F2B501009F78B0B340221A12A3CD242DA6028093")
            #expect(throws: PGPError.passphraseRequired) { try keyring.sign(payload, with: protected) }
            #expect(throws: PGPError.badPassphrase) { try keyring.sign(payload, with: protected, passphrase: "nope") }
            let signed = try keyring.sign(payload, with: protected, passphrase: "WithPassphrase123")
            #expect(try keyring.verifyAttached(signed, at: PGPTest.soon).verified?.primaryKeyFingerprint == protected)
        }
    }
}
