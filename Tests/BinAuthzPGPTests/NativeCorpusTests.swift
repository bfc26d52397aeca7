// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

@testable import BinAuthzPGP

extension PGPTests {
    /// Every PGP vector of the corpora through the native verifier and through GPGME: the same result, at every
    /// boundary instant of its keys and signature.
    @Suite("Native verifier on the corpus vectors")
    struct NativeCorpusTests {
        static let containers = PGPTest.containersFixtures
        static let kritis = PGPTest.kritisVectors

        /// (key files, signature file) pairs: right keys, wrong keys, several keys.
        static let cases: [(keys: [String], signature: String)] = {
            var cases: [(keys: [String], signature: String)] = []
            let seed = ["seed-article/set-a/", "seed-article/set-b/"]
            for keys in [[seed[0]], [seed[1]], seed] {
                for set in seed {
                    cases.append((keys.map { $0 + "generated-key.pgp" }, set + "generated_signature.pgp"))
                }
            }
            let signatures = [
                "image.signature", "no-optional-fields.signature", "invalid-blob.signature",
                "invalid-blob.signature-v3", "invalid-reference.signature", "corrupt.signature",
                "corrupt.signature-v3", "expired.signature", "unknown-key.signature", "unknown-key.signature-v3",
                "subkey.signature", "subkey.signature-v3", "subkey-revoked.signature", "subkey-revoked.signature-v3",
                "unsigned-literal.signature", "unsigned-encrypted.signature",
            ]
            let keySets = [
                ["public-key.gpg"], ["public-key-1.gpg"], ["public-key-with-subkey.gpg"],
                ["public-key-with-revoked-subkey.gpg"], ["pubring.gpg"], ["public-key-2.gpg"],
            ]
            for keys in keySets {
                for signature in signatures {
                    cases.append((keys.map { containers + $0 }, containers + signature))
                }
            }
            for key in ["gpgPublicKey.asc", "wrongPublicKey.asc", "e2ePublicKey.asc", "pwPublicKey.asc"] {
                cases.append(([kritis + key], kritis + "gpgSignature.asc"))
                cases.append(
                    ([kritis + key], "kritis/pkg/kritis/container/testvectors/atomic_container_sig_unknown_key.asc"))
            }
            return cases
        }()

        @Test("every corpus signature, against every key set, at every boundary: native equals GPGME")
        func corpus() throws {
            var tally = NativeDifferential.Tally()
            for (keyFiles, signatureFile) in Self.cases {
                let keys = try keyFiles.map(PGPTest.corpus)
                let signature = try PGPTest.corpus(signatureFile)
                let pair = NativeDifferential(keys: keys)
                defer { pair.close() }
                let listed = (try? pair.gpgme.get().keys) ?? []
                let times = NativeDifferential.boundaryTimes(
                    signature: signature, keys: listed,
                    extra: [PGPTest.today, PGPTest.date("2019-06-01T00:00:00Z"), PGPTest.date("2021-01-01T00:00:00Z")])
                for agreement in pair.compare(signature, at: times, label: "\(signatureFile) with \(keyFiles)") {
                    tally.add(agreement)
                }
            }
            #expect(tally.disagreements.isEmpty, "\(tally)\n\(tally.disagreements.prefix(20).joined(separator: "\n"))")
            // The corpus is what attestations look like: the native verifier decides all of it.
            #expect(tally.fellBack == 0, "\(tally): \(tally.fallbackReasons)")
            #expect(tally.agreed > 500, "\(tally)")
        }

        @Test("the native verifier lists each corpus key as GnuPG does")
        func listings() throws {
            let files = [
                "seed-article/set-a/generated-key.pgp", "seed-article/set-b/generated-key.pgp",
                Self.containers + "public-key.gpg", Self.containers + "public-key-with-subkey.gpg",
                Self.containers + "public-key-with-revoked-subkey.gpg", Self.containers + "pubring.gpg",
                Self.kritis + "gpgPublicKey.asc", Self.kritis + "e2ePublicKey.asc", Self.kritis + "wrongPublicKey.asc",
            ]
            for file in files {
                let bytes = try PGPTest.corpus(file)
                let native = try NativePGPVerifier(publicKeys: [bytes])
                try PGPTest.withKeys([file]) { keyring in
                    let expected = keyring.keys.map(Self.comparable)
                    #expect(native.keys?.map(Self.comparable) == expected, "\(file)")
                }
            }
        }

        /// What the verdicts depend on, leaving out GnuPG's algorithm spelling.
        static func comparable(_ key: PGPKey) -> String {
            var text = "\(key.fingerprint) c\(key.createdAt) e\(String(describing: key.expiresAt)) "
            text += "r\(String(describing: key.revocation)) s\(key.canSign)"
            for subkey in key.subkeys {
                text += " | \(subkey.fingerprint) c\(subkey.createdAt) e\(String(describing: subkey.expiresAt)) "
                text += "r\(String(describing: subkey.revocation)) s\(subkey.canSign)"
            }
            return text
        }
    }
}
