// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

@testable import BinAuthzPGP

extension PGPTests {
    /// grafeas/kritis `pkg/attestlib` PGP vectors (Tests/Fixtures/corpora/kritis/README.md). Every kritis key has
    /// expired by now, so signing tests run GnuPG with its clock set to 2021-01-01.
    @Suite("kritis attestlib vectors")
    struct KritisTests {
        static let dir = PGPTest.kritisVectors
        static let gpgKey = PGPTest.fingerprint("EE18BF76B63BE3B2B57DF36688BC30FC44D9AC5F")
        static let e2eKey = PGPTest.fingerprint("58FCB3BFACC717FF23E7C9FE044235A5E78F874C")
        static let pwKey = PGPTest.fingerprint("E3095E6E91239B901428740B6A570617A45FFE85")
        static let pgpPwKey = PGPTest.fingerprint("1CCC321125F72C18107A84294845B2E6F0FD217D")
        static let in2021 = PGPTest.date("2021-01-01T00:00:00Z")

        /// A signing keyring whose GnuPG clock is 2021-01-01, when the kritis keys were valid.
        static var signingIn2021: EphemeralKeyring.Options {
            var options = PGPTest.signing
            options.gnupgClock = in2021
            return options
        }

        static func text(_ name: String) throws -> String {
            try Fixtures.corpusText(dir + name).trimmingCharacters(in: .whitespacesAndNewlines)
        }

        @Test(
            "every key id file matches the fingerprint computed from the packets",
            arguments: [
                ("gpgPublicKey.asc", "gpgPublicKeyID.txt"), ("e2ePublicKey.asc", "e2eKeyID.txt"),
                ("pwPublicKey.asc", "pwKeyID.txt"), ("verifierPublicKey.asc", "verifierPublicKeyID.txt"),
                ("wrongPublicKey.asc", "wrongKeyID.txt"),
            ])
        func keyIDs(key: String, idFile: String) throws {
            let fingerprint = try PGPKeyBlock.fingerprint(of: try PGPTest.corpus(Self.dir + key))
            #expect(fingerprint.hex == (try Self.text(idFile)))
        }

        @Test("gpgSignature.asc verifies at 2021-01-01 and is reported expired (2022-04-23) afterwards")
        func gpgSignature() throws {
            try PGPTest.withKeys([Self.dir + "gpgPublicKey.asc"]) { keyring in
                let signature = try PGPTest.corpus(Self.dir + "gpgSignature.asc")
                let valid = try keyring.verifyAttached(signature, at: Self.in2021)
                let verified = try #require(valid.verified, "\(valid)")
                #expect(verified.payload == (try PGPTest.corpus(Self.dir + "testPayload.txt")))
                #expect(verified.primaryKeyFingerprint == Self.gpgKey)
                #expect(verified.hashAlgorithm == "SHA512")
                #expect(verified.createdAt < PGPTest.date("2020-05-27T00:00:00Z"))
                let expired = try keyring.verifyAttached(signature, at: PGPTest.today)
                #expect(expired == .failed(.keyExpired(Self.gpgKey, on: Date(timeIntervalSince1970: 1_650_754_513))))
                #expect(expired.failure?.description.contains("expired on 2022-04-23") == true)
            }
        }

        @Test("gpgSignature.asc against wrongPublicKey.asc: unknown key")
        func wrongKey() throws {
            let result = try PGPTest.withKeys([Self.dir + "wrongPublicKey.asc"]) { keyring in
                try keyring.verifyAttached(try PGPTest.corpus(Self.dir + "gpgSignature.asc"), at: Self.in2021)
            }
            #expect(result.failure?.kind == .unknownKey)
            #expect(result.failure?.issuer.map { Self.gpgKey.hex.hasSuffix($0) } == true)
        }

        @Test("kritis' atomic container signature by an unpublished key: unknown key")
        func unknownSigner() throws {
            let result = try PGPTest.withKeys([Self.dir + "gpgPublicKey.asc"]) { keyring in
                try keyring.verifyAttached(
                    try PGPTest.corpus("kritis/pkg/kritis/container/testvectors/atomic_container_sig_unknown_key.asc"),
                    at: Self.in2021)
            }
            #expect(result.failure?.kind == .unknownKey, "\(result)")
        }

        @Test("e2e round trip: sign with e2ePrivateKey, verify with e2ePublicKey; wrongPublicKey does not verify it")
        func e2e() throws {
            let payload = try PGPTest.corpus(Self.dir + "e2eTestPayload.txt")
            let signature = try withEphemeralKeyring(Self.signingIn2021) { keyring in
                let imported = try keyring.importKeys(try PGPTest.corpus(Self.dir + "e2ePrivateKey.asc"))
                #expect(imported.map(\.fingerprint) == [Self.e2eKey])
                return try keyring.sign(payload, with: Self.e2eKey)
            }
            #expect(String(decoding: signature.prefix(27), as: UTF8.self) == "-----BEGIN PGP MESSAGE-----")
            try PGPTest.withKeys([Self.dir + "e2ePublicKey.asc"]) { keyring in
                let result = try keyring.verifyAttached(signature, at: Self.in2021.addingTimeInterval(3600))
                #expect(result.verified?.payload == payload, "\(result)")
                #expect(result.verified?.primaryKeyFingerprint == Self.e2eKey)
            }
            try PGPTest.withKeys([Self.dir + "wrongPublicKey.asc"]) { keyring in
                let result = try keyring.verifyAttached(signature, at: Self.in2021.addingTimeInterval(3600))
                #expect(result == .failed(.unknownKey(issuer: Self.e2eKey.hex)))
            }
        }

        @Test(
            "passphrase keys sign with passw0rd; a wrong, empty or missing passphrase is a clear error",
            arguments: [("pwPrivateKey.asc", pwKey), ("pgp__pwPrivateKey.asc", pgpPwKey)])
        func passphraseKeys(file: String, fingerprint: PGPFingerprint) throws {
            let payload = Array("good payload".utf8)
            let passphrase = try Self.text(file.hasPrefix("pgp__") ? "pgp__password.txt" : "password.txt")
            #expect(passphrase == "passw0rd")
            try withEphemeralKeyring(Self.signingIn2021) { keyring in
                let imported = try keyring.importKeys(try PGPTest.corpus(Self.dir + file))
                #expect(imported.map(\.fingerprint) == [fingerprint])
                #expect(throws: PGPError.badPassphrase) {
                    try keyring.sign(payload, with: fingerprint, passphrase: "wrong")
                }
                #expect(throws: PGPError.badPassphrase) { try keyring.sign(payload, with: fingerprint, passphrase: "") }
                #expect(throws: PGPError.passphraseRequired) { try keyring.sign(payload, with: fingerprint) }
                let signature = try keyring.sign(payload, with: fingerprint, passphrase: passphrase)
                let result = try keyring.verifyAttached(signature, at: Self.in2021.addingTimeInterval(3600))
                #expect(result.verified?.primaryKeyFingerprint == fingerprint, "\(result)")
                #expect(result.verified?.payload == payload)
                // The wrong passphrase after a right one is still wrong: the agent caches nothing.
                #expect(throws: PGPError.badPassphrase) {
                    try keyring.sign(payload, with: fingerprint, passphrase: "wrong")
                }
            }
        }

        @Test("errors about passphrases never contain the passphrase")
        func noSecretsInMessages() throws {
            try withEphemeralKeyring(Self.signingIn2021) { keyring in
                try keyring.importKeys(try PGPTest.corpus(Self.dir + "pwPrivateKey.asc"))
                let secret = "hunter2-very-secret"
                do {
                    _ = try keyring.sign([1, 2, 3], with: Self.pwKey, passphrase: secret)
                    Issue.record("signing with a wrong passphrase succeeded")
                } catch let error as PGPError {
                    #expect(error.code == .badPassphrase)
                    #expect(!error.message.contains(secret))
                    #expect(!"\(error)".contains(secret))
                }
            }
        }

        @Test("signing with a key that has expired (GnuPG's real clock): unusable key")
        func expiredKeyCannotSign() throws {
            try withEphemeralKeyring(PGPTest.signing) { keyring in
                try keyring.importKeys(try PGPTest.corpus(Self.dir + "gpgPrivateKey.asc"))
                #expect(throws: PGPError.unusableKey) { try keyring.sign([1], with: Self.gpgKey) }
            }
        }

        @Test(
            "secret key blocks: the fingerprint comes from the public part of the secret key packet",
            arguments: [
                ("pkg/attestlib/testvectors/gpgPrivateKey.asc", "EE18BF76B63BE3B2B57DF36688BC30FC44D9AC5F"),
                ("pkg/attestlib/testvectors/e2ePrivateKey.asc", "58FCB3BFACC717FF23E7C9FE044235A5E78F874C"),
                ("pkg/attestlib/testvectors/pwPrivateKey.asc", "E3095E6E91239B901428740B6A570617A45FFE85"),
                ("pkg/attestlib/testvectors/pgp__pwPrivateKey.asc", "1CCC321125F72C18107A84294845B2E6F0FD217D"),
                ("integration/testdata/keys/attestor-1-secret-key.pgp", "88D27A9C701BD8391D372E5CCD415CBF850E2029"),
                ("integration/testdata/keys/attestor-2-secret-key.pgp", "27FE3DC4C22F5182E459C07D1320634CB3865049"),
            ])
        func secretKeyFingerprints(path: String, expected: String) throws {
            let block = try PGPKeyBlock(try PGPTest.corpus("kritis/" + path))
            let key = try block.singleKey()
            #expect(key.fingerprint.hex == expected)
            #expect(key.isSecret)
            #expect(key.algorithm == "RSA 3072")
            #expect(key.subkeys.count == 1)
        }
    }
}
