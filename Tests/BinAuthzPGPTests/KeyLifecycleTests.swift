// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

@testable import BinAuthzPGP

extension PGPTests {
    /// Keys the library makes itself: generation, expiry, revocation, subkeys, passphrases, export and re-import.
    @Suite("Key lifecycle")
    struct KeyLifecycleTests {
        static let payload = Array("{\"critical\":{\"image\":{\"docker-manifest-digest\":\"sha256:00\"}}}\n".utf8)

        @Test(
            "generated keys of every algorithm: fingerprint from packets = GnuPG's; sign and verify",
            arguments: [
                (PGPKeyAlgorithm.ed25519, "EdDSA ed25519"), (.nistp256, "ECDSA nistp256"), (.rsa3072, "RSA 3072"),
                (.rsa4096, "RSA 4096"),
            ])
        func generate(algorithm: PGPKeyAlgorithm, listed: String) throws {
            try withEphemeralKeyring(PGPTest.signing) { keyring in
                let key = try keyring.generateKey(userID: "Gen \(algorithm) <gen@example.com>", algorithm: algorithm)
                #expect(key.algorithm == listed)
                #expect(key.userIDs == ["Gen \(algorithm) <gen@example.com>"])
                #expect(key.expiresAt == nil)
                #expect(key.canSign && key.hasSecretKey && key.revocation == nil)
                let exported = try keyring.exportPublicKey(key.fingerprint)
                #expect(exported.hasPrefix("-----BEGIN PGP PUBLIC KEY BLOCK-----"))
                #expect(try PGPKeyBlock.fingerprint(of: Array(exported.utf8)) == key.fingerprint)
                let secret = try keyring.exportSecretKey(key.fingerprint)
                #expect(secret.hasPrefix("-----BEGIN PGP PRIVATE KEY BLOCK-----"))
                #expect(try PGPKeyBlock(armored: secret).singleKey().fingerprint == key.fingerprint)
                let signature = try keyring.sign(Self.payload, with: key.fingerprint)
                let result = try EphemeralKeyring(verifyingWith: [Array(exported.utf8)], options: PGPTest.verification)
                    .verifyAttached(signature, at: PGPTest.soon)  // deinit closes this one
                #expect(result.verified?.payload == Self.payload, "\(result)")
                #expect(result.verified?.primaryKeyFingerprint == key.fingerprint)
            }
        }

        @Test("a key with a lifetime: valid before its expiry, 'key expired on …' after (no sleeping)")
        func expiringKey() throws {
            try withEphemeralKeyring(PGPTest.signing) { keyring in
                let key = try keyring.generateKey(userID: "Short <short@example.com>", expiresIn: .seconds(86_400))
                let expiry = try #require(key.expiresAt)
                #expect(expiry == key.createdAt.addingTimeInterval(86_400))
                let signature = try keyring.sign(Self.payload, with: key.fingerprint)
                #expect(try keyring.verifyAttached(signature, at: PGPTest.soon).isVerified)
                let later = expiry.addingTimeInterval(3600)
                #expect(
                    try keyring.verifyAttached(signature, at: later)
                        == .failed(.keyExpired(key.fingerprint, on: expiry)))
            }
        }

        @Test("a key revoked with the certificate GnuPG wrote to openpgp-revocs.d: key revoked, at any time")
        func revokedKey() throws {
            try withEphemeralKeyring(PGPTest.signing) { keyring in
                let key = try keyring.generateKey(userID: "Revoked <revoked@example.com>")
                let signature = try keyring.sign(Self.payload, with: key.fingerprint)
                let publicKey = try keyring.exportPublicKey(key.fingerprint)
                let certificatePath = "\(keyring.homeDirectory)/openpgp-revocs.d/\(key.fingerprint.hex).rev"
                let guarded = try String(contentsOfFile: certificatePath, encoding: .utf8)
                #expect(guarded.contains(":-----BEGIN PGP PUBLIC KEY BLOCK-----"))
                // Remove the colon guard GnuPG puts in front of the armor line to prevent accidental import.
                let certificate = guarded.replacingOccurrences(of: ":-----BEGIN", with: "-----BEGIN")

                let verifier = try EphemeralKeyring(
                    verifyingWith: [Array(publicKey.utf8)], options: PGPTest.verification)
                defer { verifier.close() }
                #expect(try verifier.verifyAttached(signature, at: PGPTest.soon).isVerified)
                let touched = try verifier.importKeys(Array(certificate.utf8))
                #expect(touched.map(\.fingerprint) == [key.fingerprint])
                let revocation = try #require(verifier.key(key.fingerprint)?.revocation)
                #expect(revocation.reasonCode == 0)  // "no reason specified": a hard revocation
                #expect(!revocation.isTimeBound)
                let result = try verifier.verifyAttached(signature, at: PGPTest.soon)
                #expect(result == .failed(.keyRevoked(key.fingerprint, on: revocation.date)))
                #expect(result.failure?.description.hasPrefix("key \(key.fingerprint) was revoked on ") == true)
                // Hard revocation reaches back before the signature.
                #expect(try verifier.verifyAttached(signature, at: key.createdAt).failure?.kind == .keyRevoked)

                // The signing keyring refuses to sign with the revoked key.
                try keyring.importKeys(Array(certificate.utf8))
                #expect(throws: PGPError.unusableKey) { try keyring.sign(Self.payload, with: key.fingerprint) }
            }
        }

        @Test("a signing subkey signs; verification reports the primary key and the subkey")
        func signingSubkey() throws {
            try withEphemeralKeyring(PGPTest.signing) { keyring in
                let primary = try keyring.generateKey(userID: "Primary <p@example.com>")
                let subkey = try keyring.addSigningSubkey(to: primary.fingerprint, expiresIn: .seconds(7200))
                #expect(subkey.canSign)
                #expect(keyring.key(subkey.fingerprint)?.fingerprint == primary.fingerprint)
                let publicKey = Array(try keyring.exportPublicKey(primary.fingerprint).utf8)
                let block = try PGPKeyBlock(publicKey).singleKey()
                #expect(block.fingerprint == primary.fingerprint)
                #expect(block.subkeys.map(\.fingerprint) == [subkey.fingerprint])

                // GnuPG picks the newest signing subkey, as `gpg --local-user PRIMARY` does.
                let signature = try keyring.sign(Self.payload, with: primary.fingerprint)
                let verifier = try EphemeralKeyring(verifyingWith: [publicKey], options: PGPTest.verification)
                defer { verifier.close() }
                let result = try verifier.verifyAttached(signature, at: PGPTest.soon)
                let verified = try #require(result.verified, "\(result)")
                #expect(verified.primaryKeyFingerprint == primary.fingerprint)
                #expect(verified.signingKeyFingerprint == subkey.fingerprint)
                // The subkey's own expiry counts: after it, the signature no longer verifies.
                let expiry = try #require(subkey.expiresAt)
                #expect(
                    try verifier.verifyAttached(signature, at: expiry.addingTimeInterval(1))
                        == .failed(.keyExpired(primary.fingerprint, subkey: subkey.fingerprint, on: expiry)))

                // gpg verifies it too.
                let cli = try GPGCommandLine()
                defer { cli.close() }
                try cli.gpg(["--import"], stdin: publicKey)
                let status = try cli.gpg(["--status-fd", "1", "--verify", try cli.file("s.pgp", signature)]).stdoutText
                #expect(status.contains("VALIDSIG \(subkey.fingerprint.hex)"))
                #expect(status.contains(primary.fingerprint.hex))
            }
        }

        @Test("a passphrase key: generated, signs only with its passphrase, exports protected, re-imports via base64")
        func passphraseKey() throws {
            let passphrase = "correct horse battery staple"
            let (fingerprint, exported) = try withEphemeralKeyring(PGPTest.signing) { keyring in
                let key = try keyring.generateKey(userID: "Protected <p@example.com>", passphrase: passphrase)
                #expect(throws: PGPError.passphraseRequired) { try keyring.sign(Self.payload, with: key.fingerprint) }
                #expect(throws: PGPError.badPassphrase) {
                    try keyring.sign(Self.payload, with: key.fingerprint, passphrase: "wrong")
                }
                _ = try keyring.sign(Self.payload, with: key.fingerprint, passphrase: passphrase)
                #expect(throws: PGPError.badPassphrase) {
                    try keyring.exportSecretKey(key.fingerprint, passphrase: "wrong")
                }
                return (key.fingerprint, try keyring.exportSecretKey(key.fingerprint, passphrase: passphrase))
            }
            #expect(!exported.contains(passphrase))
            #expect(try PGPKeyBlock(armored: exported).singleKey().isSecret)
            let environmentValue = Data(exported.utf8).base64EncodedString()
            try withEphemeralKeyring(PGPTest.signing) { keyring in
                #expect(try keyring.importKeys(base64Encoded: environmentValue).map(\.fingerprint) == [fingerprint])
                #expect(throws: PGPError.passphraseRequired) { try keyring.sign(Self.payload, with: fingerprint) }
                let signature = try keyring.sign(Self.payload, with: fingerprint, passphrase: passphrase)
                #expect(
                    try keyring.verifyAttached(signature, at: PGPTest.soon).verified?.primaryKeyFingerprint
                        == fingerprint)
            }
        }

        @Test("bad input and misuse are clear errors")
        func errors() throws {
            try withEphemeralKeyring(PGPTest.signing) { keyring in
                let unknown = PGPTest.fingerprint("0123456789ABCDEF0123456789ABCDEF01234567")
                #expect(throws: PGPError.keyNotFound) { try keyring.sign(Self.payload, with: unknown) }
                #expect(throws: PGPError.keyNotFound) { try keyring.exportPublicKey(unknown) }
                #expect(throws: PGPError.invalidArgument) { try keyring.generateKey(userID: "") }
                #expect(throws: PGPError.invalidArgument) { try keyring.generateKey(userID: "a\nb") }
                #expect(throws: PGPError.invalidArgument) { try keyring.generateKey(userID: "x", passphrase: "") }
                #expect(throws: PGPError.invalidArgument) { try keyring.generateKey(userID: "x", expiresIn: .zero) }
                #expect(throws: PGPError.noKey) { try keyring.importKeys([]) }
                #expect(throws: PGPError.noKey) { try keyring.importKeys(Array(" \n".utf8)) }
                #expect(throws: PGPError.malformedArmor) {
                    try keyring.importKeys(Array("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n".utf8))
                }
                do {
                    _ = try keyring.importKeys(base64Encoded: "s3cr3t!*not-base64")
                    Issue.record("importing non-base64 text succeeded")
                } catch let error as PGPError {
                    #expect(error.code == .invalidArgument)
                    #expect(!error.message.contains("s3cr3t"))
                }
                // A public-only key cannot sign.
                try keyring.importKeys(try PGPTest.corpus("seed-article/set-b/generated-key.pgp"))
                #expect(throws: PGPError.keyNotFound) {
                    try keyring.sign(
                        Self.payload, with: PGPTest.fingerprint("70C2C69D3D48303F41CA9B8B894BE8262F04E1E0"))
                }
            }
            // A verify-only keyring has no agent: no secret keys, no generation, no signing.
            try withEphemeralKeyring(PGPTest.verification) { keyring in
                #expect(throws: PGPError.agentUnavailable) { try keyring.generateKey(userID: "x") }
                #expect(throws: PGPError.agentUnavailable) {
                    try keyring.importKeys(try PGPTest.corpus(PGPTest.kritisVectors + "e2ePrivateKey.asc"))
                }
                #expect(throws: PGPError.agentUnavailable) {
                    try keyring.sign(
                        Self.payload, with: PGPTest.fingerprint("58FCB3BFACC717FF23E7C9FE044235A5E78F874C"))
                }
                #expect(keyring.keys.isEmpty)
            }
        }
    }
}
