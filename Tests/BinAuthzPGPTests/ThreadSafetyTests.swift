// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Synchronization
import Testing

@testable import BinAuthzPGP

extension PGPTests {
    /// Many verifications in parallel give the same results as one after the other.
    @Suite("Thread safety")
    struct ThreadSafetyTests {
        /// A mix of outcomes: valid, expired, bad, unknown key, revoked, not signed.
        static let cases: [(signature: String, time: Date)] = [
            ("seed-article/set-a/generated_signature.pgp", PGPTest.date("2019-06-01T00:00:00Z")),
            ("seed-article/set-a/generated_signature.pgp", PGPTest.today),
            ("seed-article/set-b/generated_signature.pgp", PGPTest.date("2019-06-01T00:00:00Z")),
            (PGPTest.containersFixtures + "image.signature", PGPTest.today),
            (PGPTest.containersFixtures + "corrupt.signature", PGPTest.today),
            (PGPTest.containersFixtures + "unknown-key.signature", PGPTest.today),
            (PGPTest.containersFixtures + "subkey.signature", PGPTest.today),
            (PGPTest.containersFixtures + "subkey-revoked.signature", PGPTest.today),
            (PGPTest.containersFixtures + "expired.signature", PGPTest.today),
            (PGPTest.containersFixtures + "unsigned-literal.signature", PGPTest.today),
        ]
        static let keys = [
            "seed-article/set-a/generated-key.pgp", "seed-article/set-b/generated-key.pgp",
            PGPTest.containersFixtures + "public-key.gpg", PGPTest.containersFixtures + "public-key-with-subkey.gpg",
            PGPTest.containersFixtures + "public-key-with-revoked-subkey.gpg",
        ]

        @Test("one shared keyring, 40 verifications from many threads = the sequential results")
        func sharedKeyring() throws {
            let signatures = try Self.cases.map { try PGPTest.corpus($0.signature) }
            let keyring = try EphemeralKeyring(
                verifyingWith: try Self.keys.map(PGPTest.corpus), options: PGPTest.verification)
            defer { keyring.close() }
            let sequential = try Self.cases.indices.map {
                try keyring.verifyAttached(signatures[$0], at: Self.cases[$0].time)
            }
            #expect(Set(sequential.map { $0.failure?.kind.description ?? "verified" }).count == 7)

            let parallel = Mutex<[Int: PGPVerificationResult]>([:])
            let errors = Mutex<[String]>([])
            DispatchQueue.concurrentPerform(iterations: 40) { iteration in
                let index = iteration % Self.cases.count
                do {
                    let result = try keyring.verifyAttached(signatures[index], at: Self.cases[index].time)
                    parallel.withLock { results in
                        if let previous = results[index], previous != result {
                            errors.withLock { $0.append("case \(index) differs") }
                        }
                        results[index] = result
                    }
                } catch {
                    errors.withLock { $0.append("\(error)") }
                }
            }
            #expect(errors.withLock { $0 }.isEmpty)
            let results = parallel.withLock { $0 }
            for index in Self.cases.indices {
                #expect(results[index] == sequential[index], "case \(index): \(Self.cases[index].signature)")
            }
        }

        @Test("several keyrings on several threads at once: signing and verifying stay independent")
        func manyKeyrings() throws {
            let outcomes = Mutex<[String]>([])
            DispatchQueue.concurrentPerform(iterations: 4) { worker in
                do {
                    try withEphemeralKeyring(PGPTest.signing) { keyring in
                        let key = try keyring.generateKey(userID: "Worker \(worker) <w\(worker)@example.com>")
                        let payload = Array("payload of worker \(worker)".utf8)
                        for _ in 0..<3 {
                            let signature = try keyring.sign(payload, with: key.fingerprint)
                            let result = try keyring.verifyAttached(signature, at: PGPTest.soon)
                            guard result.verified?.payload == payload,
                                result.verified?.primaryKeyFingerprint == key.fingerprint
                            else {
                                outcomes.withLock { $0.append("worker \(worker): \(result)") }
                                return
                            }
                        }
                        outcomes.withLock { $0.append("ok") }
                    }
                } catch {
                    outcomes.withLock { $0.append("worker \(worker): \(error)") }
                }
            }
            #expect(outcomes.withLock { $0 } == ["ok", "ok", "ok", "ok"])
        }
    }
}
