// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

@testable import BinAuthzPGP

extension PGPTests {
    /// The library against the `gpg` command-line tool: keys and signatures made by one are checked by the other.
    @Suite("Interoperability with the gpg command line")
    struct InteropTests {
        /// Bytes a text-mode signer would mangle: CRLF, a lone CR, no final newline, a NUL and high bytes.
        static let payload: [UInt8] =
            Array("{\"critical\":{\"type\":\"x\"}}\r\nline two\rthree".utf8) + [0, 0xFF, 0x80]

        @Test("`gpg --local-user FPR --armor --sign` verifies in the library; the literal data is the payload")
        func gpgSignsLibraryVerifies() throws {
            let cli = try GPGCommandLine()
            defer { cli.close() }
            let fpr = try cli.generateKey("CLI Signer <cli@example.com>")
            let payloadFile = try cli.file("payload.json", Self.payload)
            try cli.gpg(["--local-user", fpr.hex, "--armor", "--output", cli.home + "/sig.pgp", "--sign", payloadFile])
            let signature = try Array(Data(contentsOf: URL(fileURLWithPath: cli.home + "/sig.pgp")))
            #expect(String(decoding: signature.prefix(27), as: UTF8.self) == "-----BEGIN PGP MESSAGE-----")

            let keyring = try EphemeralKeyring(
                verifyingWith: [try cli.exportPublicKey(fpr)], options: PGPTest.verification)
            defer { keyring.close() }
            let result = try keyring.verifyAttached(signature, at: PGPTest.soon)
            let verified = try #require(result.verified, "\(result)")
            #expect(verified.payload == Self.payload)
            #expect(verified.primaryKeyFingerprint == fpr)
        }

        @Test(
            "the library's attached armored signature verifies with `gpg --verify`; `gpg --decrypt` gives the payload")
        func librarySignsGPGVerifies() throws {
            let (publicKey, fpr, signature) = try withEphemeralKeyring(PGPTest.signing) { keyring in
                let key = try keyring.generateKey(userID: "Library Signer <lib@example.com>")
                return (
                    try keyring.exportPublicKey(key.fingerprint), key.fingerprint,
                    try keyring.sign(Self.payload, with: key.fingerprint)
                )
            }
            #expect(String(decoding: signature.prefix(27), as: UTF8.self) == "-----BEGIN PGP MESSAGE-----")
            let cli = try GPGCommandLine()
            defer { cli.close() }
            try cli.gpg(["--import"], stdin: Array(publicKey.utf8))
            let sigFile = try cli.file("sig.pgp", signature)
            let verify = try cli.gpg(["--status-fd", "1", "--verify", sigFile])
            #expect(verify.stdoutText.contains("[GNUPG:] VALIDSIG \(fpr.hex)"))
            let decrypted = try cli.gpg(["--decrypt", sigFile])
            #expect(decrypted.stdout == Self.payload)
        }

        @Test("a detached signature from the library verifies with `gpg --verify sig data`; verifyAttached rejects it")
        func detached() throws {
            let cli = try GPGCommandLine()
            defer { cli.close() }
            try withEphemeralKeyring(PGPTest.signing) { keyring in
                let key = try keyring.generateKey(userID: "Detached <d@example.com>")
                let armored = try keyring.sign(Self.payload, with: key.fingerprint, mode: .detached)
                #expect(String(decoding: armored.prefix(29), as: UTF8.self) == "-----BEGIN PGP SIGNATURE-----")
                let binary = try keyring.sign(Self.payload, with: key.fingerprint, mode: .detached, armored: false)
                #expect(binary.first.map { $0 & 0x80 != 0 } == true)
                try cli.gpg(["--import"], stdin: Array(try keyring.exportPublicKey(key.fingerprint).utf8))
                let data = try cli.file("payload", Self.payload)
                try cli.gpg(["--verify", try cli.file("sig.asc", armored), data])
                try cli.gpg(["--verify", try cli.file("sig.bin", binary), data])
                #expect(try keyring.verifyAttached(armored, at: PGPTest.soon) == .failed(.detachedSignature))
                #expect(try keyring.verifyAttached(binary, at: PGPTest.soon) == .failed(.detachedSignature))
            }
        }

        @Test("clearsigned and detached input from gpg are rejected before GnuPG runs, with a precise reason")
        func clearsignedAndDetachedFromGPG() throws {
            let cli = try GPGCommandLine()
            defer { cli.close() }
            let fpr = try cli.generateKey("Clear <c@example.com>")
            let data = try cli.file("payload", Self.payload)
            let clear = try cli.gpg(["--local-user", fpr.hex, "--clearsign", "--output", "-", data]).stdout
            let detached = try cli.gpg(["--local-user", fpr.hex, "--armor", "--detach-sign", "--output", "-", data])
                .stdout
            let keyring = try EphemeralKeyring(
                verifyingWith: [try cli.exportPublicKey(fpr)], options: PGPTest.verification)
            defer { keyring.close() }
            #expect(try keyring.verifyAttached(clear, at: PGPTest.soon) == .failed(.clearsigned))
            #expect(try keyring.verifyAttached(detached, at: PGPTest.soon) == .failed(.detachedSignature))
        }

        @Test("a message signed by two keys is rejected: exactly one signature is required")
        func twoSignatures() throws {
            let cli = try GPGCommandLine()
            defer { cli.close() }
            let first = try cli.generateKey("One <1@example.com>")
            let second = try cli.generateKey("Two <2@example.com>")
            let data = try cli.file("payload", Self.payload)
            let signed = try cli.gpg(["-u", first.hex, "-u", second.hex, "--armor", "--sign", "--output", "-", data])
                .stdout
            let keyring = try EphemeralKeyring(
                verifyingWith: [try cli.exportPublicKey(first), try cli.exportPublicKey(second)],
                options: PGPTest.verification)
            defer { keyring.close() }
            #expect(try keyring.verifyAttached(signed, at: PGPTest.soon) == .failed(.multipleSignatures(2)))
        }

        @Test(
            "Only the SHA-2 family counts: SHA-1 and RIPEMD-160 are weak, SHA-224…512 verify, on both verifiers",
            arguments: [
                ("SHA1", false), ("RIPEMD160", false), ("SHA224", true), ("SHA256", true), ("SHA384", true),
                ("SHA512", true),
            ])
        func hashPolicy(digest: String, accepted: Bool) throws {
            let cli = try GPGCommandLine()
            defer { cli.close() }
            let fpr = try cli.generateKey("Old <old@example.com>", algorithm: "rsa2048")
            let data = try cli.file("payload", Self.payload)
            let signed = try cli.gpg([
                "-u", fpr.hex, "--digest-algo", digest, "--armor", "--sign", "--output", "-", data,
            ]).stdout
            let key = try cli.exportPublicKey(fpr)
            let keyring = try EphemeralKeyring(verifyingWith: [key], options: PGPTest.verification)
            defer { keyring.close() }
            let result = try keyring.verifyAttached(signed, at: PGPTest.soon)
            if accepted {
                #expect(result.isVerified, "\(digest): \(result)")
            } else {
                #expect(result == .failed(.weakAlgorithm(digest)), "\(digest): \(result)")
            }
            // The in-process verifier decides the same, or leaves it to GPGME (RSA over SHA-224, RIPEMD-160).
            if case .decided(let native) = try NativePGPVerifier(publicKeys: [key]).verifyAttached(
                signed, at: PGPTest.soon)
            {
                #expect(native == result, "\(digest): native \(native)")
            }
        }

        @Test("a tampered payload is a bad signature, never another reason")
        func tamperedPayload() throws {
            let cli = try GPGCommandLine()
            defer { cli.close() }
            let fpr = try cli.generateKey("Tamper <t@example.com>")
            let payload = Array("{\"docker-manifest-digest\":\"sha256:aaaa\"}".utf8)
            let data = try cli.file("payload", payload)
            // Uncompressed, so the literal data can be edited in place.
            var signed = try cli.gpg(["-u", fpr.hex, "--compress-algo", "none", "--sign", "--output", "-", data]).stdout
            let marker = Array("sha256:aaaa".utf8)
            let start = try #require(
                (0...(signed.count - marker.count)).first { signed[$0..<$0 + marker.count].elementsEqual(marker) })
            signed[start + 7] = UInt8(ascii: "b")  // "sha256:baaa": the signed bytes changed, nothing else
            let keyring = try EphemeralKeyring(
                verifyingWith: [try cli.exportPublicKey(fpr)], options: PGPTest.verification)
            defer { keyring.close() }
            #expect(try keyring.verifyAttached(signed, at: PGPTest.soon) == .failed(.badSignature(issuer: fpr.keyID)))
            // The same edit in armored form.
            let armored = Armor.encode(signed, label: "PGP MESSAGE")
            #expect(try keyring.verifyAttached(Array(armored.utf8), at: PGPTest.soon).failure?.kind == .badSignature)
        }

        @Test("kritis' signer format: an attached message armored as `PGP SIGNATURE` still verifies")
        func attachedUnderSignatureLabel() throws {
            let cli = try GPGCommandLine()
            defer { cli.close() }
            let fpr = try cli.generateKey("Kritis-like <k@example.com>")
            let data = try cli.file("payload", Self.payload)
            let binary = try cli.gpg(["-u", fpr.hex, "--sign", "--output", "-", data]).stdout
            let relabelled = Armor.encode(binary, label: "PGP SIGNATURE")
            let keyring = try EphemeralKeyring(
                verifyingWith: [try cli.exportPublicKey(fpr)], options: PGPTest.verification)
            defer { keyring.close() }
            let result = try keyring.verifyAttached(Array(relabelled.utf8), at: PGPTest.soon)
            #expect(result.verified?.payload == Self.payload, "\(result)")
        }

        @Test("CI pattern: a gpg-exported secret key, base64-encoded (armored or binary), signs in the library")
        func base64SecretKey() throws {
            let cli = try GPGCommandLine()
            defer { cli.close() }
            let fpr = try cli.generateKey("CI <ci@example.com>")
            let armored = try cli.gpg(["--armor", "--export-secret-keys", fpr.hex]).stdout
            let binary = try cli.gpg(["--export-secret-keys", fpr.hex]).stdout
            for secret in [armored, binary] {
                let environmentValue = Data(secret).base64EncodedString(options: .lineLength76Characters)
                let signature = try withEphemeralKeyring(PGPTest.signing) { keyring in
                    let imported = try keyring.importKeys(base64Encoded: environmentValue)
                    #expect(imported.map(\.fingerprint) == [fpr])
                    #expect(imported.first?.hasSecretKey == true)
                    return try keyring.sign(Self.payload, with: fpr)
                }
                let verify = try cli.gpg(["--status-fd", "1", "--verify", try cli.file("ci.sig", signature)])
                #expect(verify.stdoutText.contains("[GNUPG:] VALIDSIG \(fpr.hex)"))
            }
        }

        @Test(
            "fingerprints from the packets equal gpg's for keys, subkeys and secret keys of every algorithm family",
            arguments: [
                ("ed25519", "cv25519"), ("nistp256", "nistp256"), ("rsa2048", "rsa2048"), ("dsa2048", "elg2048"),
            ])
        func fingerprintsAcrossAlgorithms(primary: String, subkey: String) throws {
            let cli = try GPGCommandLine()
            defer { cli.close() }
            let fpr = try cli.generateKey("Algo \(primary) <a@example.com>", algorithm: primary)
            try cli.gpg(["--passphrase", "", "--quick-add-key", fpr.hex, subkey, "encr", "never"])
            let listing = try cli.gpg(["--with-colons", "--list-keys", fpr.hex]).stdoutText
            let expected = listing.split(separator: "\n").filter { $0.hasPrefix("fpr:") }
                .map { String($0.split(separator: ":", omittingEmptySubsequences: false)[9]) }
            #expect(expected.count == 2)
            for exportCommand in ["--export", "--export-secret-keys"] {
                for armor in [true, false] {
                    let bytes = try cli.gpg((armor ? ["--armor"] : []) + [exportCommand, fpr.hex]).stdout
                    let key = try PGPKeyBlock(bytes).singleKey()
                    #expect(([key.fingerprint] + key.subkeys.map(\.fingerprint)).map(\.hex) == expected)
                    #expect(key.isSecret == (exportCommand == "--export-secret-keys"))
                }
            }
            // And GPGME's view after import agrees.
            let keyring = try EphemeralKeyring(
                verifyingWith: [try cli.exportPublicKey(fpr)], options: PGPTest.verification)
            defer { keyring.close() }
            let listed = try #require(keyring.keys.first)
            #expect(([listed.fingerprint] + listed.subkeys.map(\.fingerprint)).map(\.hex) == expected)
        }

        @Test("a soft (superseded) revocation ends validity at its date; earlier evaluation times still verify")
        func softRevocation() throws {
            let cli = try GPGCommandLine()
            defer { cli.close() }
            let fpr = try cli.generateKey("Superseded <s@example.com>")
            let data = try cli.file("payload", Self.payload)
            let signed = try cli.gpg(["-u", fpr.hex, "--armor", "--sign", "--output", "-", data]).stdout
            let revocationTime = Int(Date().timeIntervalSince1970) + 3600
            // Menu choice 2 = "Key is superseded" (reason 0x01), dated an hour from now.
            let revoke = try Subprocess.run(
                "gpg",
                [
                    "--homedir", cli.home, "--yes", "--no-tty", "--command-fd", "0", "--pinentry-mode", "loopback",
                    "--passphrase", "", "--faked-system-time", "\(revocationTime)!", "--armor", "--output", "-",
                    "--gen-revoke", fpr.hex,
                ], stdin: Array("y\n2\nsuperseded\n\ny\n".utf8))
            try #require(revoke.status == 0, "\(revoke)")
            let keyring = try EphemeralKeyring(
                verifyingWith: [try cli.exportPublicKey(fpr)], options: PGPTest.verification)
            defer { keyring.close() }
            try keyring.importKeys(revoke.stdout)
            let revocation = try #require(keyring.key(fpr)?.revocation)
            #expect(
                revocation
                    == PGPRevocation(date: Date(timeIntervalSince1970: TimeInterval(revocationTime)), reasonCode: 1))
            #expect(revocation.isTimeBound)
            #expect(try keyring.verifyAttached(signed, at: PGPTest.soon).isVerified)
            let later = Date(timeIntervalSince1970: TimeInterval(revocationTime + 60))
            #expect(try keyring.verifyAttached(signed, at: later) == .failed(.keyRevoked(fpr, on: revocation.date)))
        }
    }
}
