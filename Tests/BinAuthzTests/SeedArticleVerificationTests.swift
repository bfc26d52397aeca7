// SPDX-License-Identifier: Apache-2.0

import BinAuthz
import BinAuthzTestSupport
import Foundation
import Testing

/// The seed article's real files, wrapped as occurrences, through the offline ValidateAttestationOccurrence.
extension BinAuthzIntegrationTests {
    @Suite("Attestor verification with the seed article's real signatures")
    struct SeedArticleVerificationTests {
        static let shapes = ["v1", "v1beta1"]

        static func occurrence(_ shape: String) throws -> AttestationOccurrence {
            shape == "v1" ? try Seed.v1Occurrence("set-a") : try Seed.v1beta1Occurrence("set-a")
        }

        @Test("set-a verifies at 2019-06-01 (v1 and v1beta1 shapes)", arguments: shapes)
        func verifiesWhileKeyValid(shape: String) throws {
            let verifier = try AttestorVerifier(
                attestors: [Seed.attestor("set-a")], occurrences: [Self.occurrence(shape)])
            defer { verifier.close() }
            let result = try verifier.validate(Self.occurrence(shape), attestor: Seed.attestorName, at: Seed.validDay)
            #expect(result.result == .verified, "\(result)")
            #expect(result.detail.hasPrefix("signature by PGP key \(Seed.keyA) verified for sha256:a46ab6b2"))
            #expect(result.jsonString == #"{"result": "VERIFIED"}"#)
            let verdict = try verifier.verify(
                attestor: Seed.attestorName, image: ImageReference(Seed.imageA), at: Seed.validDay)
            #expect(verdict.isVerified)
        }

        @Test("Today the key has expired: the reason says when, never 'bad signature'", arguments: shapes)
        func expiredToday(shape: String) throws {
            let verifier = try AttestorVerifier(
                attestors: [Seed.attestor("set-a")], occurrences: [Self.occurrence(shape)])
            defer { verifier.close() }
            let result = try verifier.validate(Self.occurrence(shape), attestor: Seed.attestorName, at: Seed.today)
            #expect(result.result == .notVerifiable)
            #expect(
                result.denialReason.contains(
                    "PGP signature for key \(Seed.keyA): key \(Seed.keyA) expired on 2020-12-18"), "\(result)")
            #expect(!result.denialReason.contains("bad signature"))
        }

        @Test("set-a's occurrence does not verify another digest")
        func otherDigest() throws {
            let verifier = try AttestorVerifier(
                attestors: [Seed.attestor("set-a")], occurrences: [Seed.v1Occurrence("set-a")])
            defer { verifier.close() }
            let setB = try SignaturePayload(parsing: Seed.file("set-b", "generated_payload.json"))
            let otherImage = try ImageReference("gcr.io/nmallyatestproject/containerdemo@" + setB.manifestDigest)
            let verdict = try verifier.verify(attestor: Seed.attestorName, image: otherImage, at: Seed.validDay)
            #expect(!verdict.isVerified)
            #expect(
                verdict.reason.hasPrefix("no attestation occurrence on note \(Seed.note) is for \(otherImage)"),
                "\(verdict)")
            // An occurrence that *claims* the other digest but carries set-a's signature: the payload decides.
            let lying = try Seed.v1Occurrence("set-a", resource: otherImage.description)
            let result = try verifier.validate(lying, attestor: Seed.attestorName, at: Seed.validDay)
            #expect(
                result.denialReason.contains("verified, but the payload is for digest sha256:a46ab6b2"), "\(result)")
        }

        @Test("set-a's signature does not satisfy set-b's attestor")
        func otherAttestor() throws {
            let attestorB = try Seed.attestor("set-b")
            let verifier = try AttestorVerifier(attestors: [attestorB], occurrences: [Seed.v1Occurrence("set-a")])
            defer { verifier.close() }
            var result = try verifier.validate(
                Seed.v1Occurrence("set-a"), attestor: Seed.attestorName, at: Seed.validDay)
            #expect(
                result.denialReason.contains("key id \(Seed.keyA) is not one of the attestor's keys (\(Seed.keyB))"),
                "\(result)")
            // Naming set-b's key does not help: the signature was made by set-a's key, unknown to this attestor.
            let renamed = try Seed.v1Occurrence("set-a", keyID: Seed.keyB)
            result = try verifier.validate(renamed, attestor: Seed.attestorName, at: Seed.validDay)
            #expect(
                result.denialReason.contains("PGP signature for key \(Seed.keyB): signed by an unknown key"),
                "\(result)")
            #expect(!result.isVerified)
        }
    }
}
