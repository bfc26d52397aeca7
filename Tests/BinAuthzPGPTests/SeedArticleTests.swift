// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

@testable import BinAuthzPGP

extension PGPTests {
    /// The seed article's real artifacts (Tests/Fixtures/corpora/seed-article/README.md).
    @Suite("Seed article vectors")
    struct SeedArticleTests {
        static let setA = "seed-article/set-a/"
        static let setB = "seed-article/set-b/"
        let keyA = PGPTest.fingerprint("E50ABDE5A0C05DB317479494C111AF41B88ECC96")
        let keyB = PGPTest.fingerprint("70C2C69D3D48303F41CA9B8B894BE8262F04E1E0")

        @Test("set-a verifies at 2019-06-01: payload byte for byte, primary fingerprint, signing time")
        func setAValidIn2019() throws {
            let result = try PGPTest.withKeys([Self.setA + "generated-key.pgp"]) { keyring in
                try keyring.verifyAttached(
                    try PGPTest.corpus(Self.setA + "generated_signature.pgp"), at: PGPTest.date("2019-06-01T00:00:00Z"))
            }
            let payload = try PGPTest.corpus(Self.setA + "generated_payload.json")
            let verified = try #require(result.verified, "\(result)")
            #expect(verified.payload == payload)
            #expect(verified.payload.count == 301)
            #expect(verified.primaryKeyFingerprint == keyA)
            #expect(verified.signingKeyFingerprint == keyA)
            #expect(verified.createdAt == PGPTest.date("2018-12-19T22:21:12Z"))
            #expect(verified.expiresAt == nil)
            #expect(verified.hashAlgorithm == "SHA256")
        }

        @Test("set-a today: the key expired on 2020-12-18 (never a bad signature)")
        func setAExpiredToday() throws {
            let result = try PGPTest.withKeys([Self.setA + "generated-key.pgp"]) { keyring in
                try keyring.verifyAttached(try PGPTest.corpus(Self.setA + "generated_signature.pgp"), at: PGPTest.today)
            }
            let expiry = PGPTest.date("2020-12-18T21:02:38Z")
            #expect(result == .failed(.keyExpired(keyA, on: expiry)))
            #expect(result.failure?.kind == .keyExpired)
            #expect(
                result.failure?.description
                    == "key E50ABDE5A0C05DB317479494C111AF41B88ECC96 expired on 2020-12-18T21:02:38Z")
        }

        @Test("set-a at the instant of expiry is expired; one second before it is valid")
        func expiryBoundary() throws {
            let expiry = PGPTest.date("2020-12-18T21:02:38Z")
            try PGPTest.withKeys([Self.setA + "generated-key.pgp"]) { keyring in
                let signature = try PGPTest.corpus(Self.setA + "generated_signature.pgp")
                #expect(try keyring.verifyAttached(signature, at: expiry) == .failed(.keyExpired(keyA, on: expiry)))
                #expect(try keyring.verifyAttached(signature, at: expiry.addingTimeInterval(-1)).isVerified)
            }
        }

        @Test("before the signature was made, the signature does not count yet")
        func beforeSigning() throws {
            try PGPTest.withKeys([Self.setA + "generated-key.pgp"]) { keyring in
                let signature = try PGPTest.corpus(Self.setA + "generated_signature.pgp")
                let result = try keyring.verifyAttached(signature, at: PGPTest.date("2018-12-19T22:00:00Z"))
                #expect(result == .failed(.signatureNotYetValid(createdOn: PGPTest.date("2018-12-19T22:21:12Z"))))
                let beforeKey = try keyring.verifyAttached(signature, at: PGPTest.date("2018-01-01T00:00:00Z"))
                #expect(beforeKey == .failed(.keyNotYetValid(keyA, createdOn: PGPTest.date("2018-12-19T21:02:38Z"))))
            }
        }

        @Test("set-a's signature against set-b's key: unknown key")
        func crossSet() throws {
            let result = try PGPTest.withKeys([Self.setB + "generated-key.pgp"]) { keyring in
                try keyring.verifyAttached(
                    try PGPTest.corpus(Self.setA + "generated_signature.pgp"), at: PGPTest.date("2019-06-01T00:00:00Z"))
            }
            #expect(result.failure?.kind == .unknownKey)
            #expect(result == .failed(.unknownKey(issuer: keyA.hex)))
        }

        @Test("set-b verifies at 2019-06-01 and is expired since 2020-12-16 today")
        func setB() throws {
            try PGPTest.withKeys([Self.setB + "generated-key.pgp"]) { keyring in
                let signature = try PGPTest.corpus(Self.setB + "generated_signature.pgp")
                let valid = try keyring.verifyAttached(signature, at: PGPTest.date("2019-06-01T00:00:00Z"))
                #expect(valid.verified?.payload == (try PGPTest.corpus(Self.setB + "generated_payload.json")))
                #expect(valid.verified?.primaryKeyFingerprint == keyB)
                #expect(valid.verified?.createdAt == PGPTest.date("2018-12-17T22:35:32Z"))
                let today = try keyring.verifyAttached(signature, at: PGPTest.today)
                #expect(today == .failed(.keyExpired(keyB, on: PGPTest.date("2020-12-16T22:25:39Z"))))
            }
        }

        @Test("a keyring holding both set keys verifies each signature by its own key")
        func bothKeys() throws {
            try PGPTest.withKeys([Self.setA + "generated-key.pgp", Self.setB + "generated-key.pgp"]) { keyring in
                #expect(keyring.keys.map(\.fingerprint) == [keyA, keyB])
                let a = try keyring.verifyAttached(
                    try PGPTest.corpus(Self.setA + "generated_signature.pgp"), at: PGPTest.date("2019-06-01T00:00:00Z"))
                let b = try keyring.verifyAttached(
                    try PGPTest.corpus(Self.setB + "generated_signature.pgp"), at: PGPTest.date("2019-06-01T00:00:00Z"))
                #expect(a.verified?.primaryKeyFingerprint == keyA)
                #expect(b.verified?.primaryKeyFingerprint == keyB)
            }
        }
    }
}
