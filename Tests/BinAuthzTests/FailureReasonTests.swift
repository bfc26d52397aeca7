// SPDX-License-Identifier: Apache-2.0

import BinAuthz
import BinAuthzTestSupport
import Foundation
import Testing

/// Every way an attestation can fail to verify, each produced from real keys and signatures, each with the reason
/// that names the failed check.
extension BinAuthzIntegrationTests {
    @Suite(
        "Attestation failure reasons",
        .enabled(if: GnuPGHome.unavailableReason == nil, "needs the gpg command-line tool to make keys and signatures"))
    final class FailureReasonTests {
        let gpg: GnuPGHome
        let fingerprint: String
        let otherFingerprint: String
        let image = "gcr.io/my-proj/app@" + String.digest("a")
        let note = NoteName(project: "my-proj", note: "n")
        let attestorName = "projects/my-proj/attestors/a"
        let now = Date().addingTimeInterval(60)

        init() throws {
            gpg = try GnuPGHome()
            fingerprint = try gpg.generateKey(userID: "Key One <one@example.com>", expiry: "1d")
            otherFingerprint = try gpg.generateKey(userID: "Key Two <two@example.com>")
        }

        deinit { gpg.close() }

        func attestor(_ fingerprints: [String]) throws -> Attestor {
            var attestor = Attestor(name: AttestorName(attestorName)!, note: note)
            for fpr in fingerprints { try attestor.addPGPPublicKey(try gpg.exportPublicKey(fpr)) }
            return attestor
        }

        func occurrence(payload: [UInt8]? = nil, signedBy signer: String? = nil, keyID: String? = nil,
                        resource: String? = nil, note: NoteName? = nil) throws -> AttestationOccurrence {
            let bytes = try payload ?? SignaturePayload.create(artifactURL: image)
            let signature = try gpg.sign(bytes, as: signer ?? fingerprint)
            var occurrence = try AttestationOccurrence.create(
                artifactURL: image, note: note ?? self.note, signature: signature, publicKeyID: keyID ?? fingerprint, payload: bytes)
            if let resource { occurrence.resourceUri = resource }
            return occurrence
        }

        func denial(_ occurrence: AttestationOccurrence, attestor: Attestor? = nil, at time: Date? = nil) throws -> String {
            let verifier = try AttestorVerifier(attestors: [attestor ?? self.attestor([fingerprint])], occurrences: [occurrence])
            defer { verifier.close() }
            let verdict = try verifier.check(attestor: attestorName, image: ImageReference(image), at: time ?? now)
            #expect(!verdict.isVerified)
            return verdict.reason
        }

        @Test("The good case verifies, so each failure below is caused by what it changes")
        func baseline() throws {
            let verifier = try AttestorVerifier(attestors: [attestor([fingerprint])], occurrences: [occurrence()])
            defer { verifier.close() }
            #expect(try verifier.check(attestor: attestorName, image: ImageReference(image), at: now).isVerified)
        }

        @Test("Wrong note")
        func wrongNote() throws {
            let reason = try denial(occurrence(note: NoteName(project: "my-proj", note: "other")))
            #expect(reason == "no attestation occurrence on the attestor's note projects/my-proj/notes/n (occurrences given are on projects/my-proj/notes/other)")
        }

        @Test("Occurrence for another image")
        func otherImage() throws {
            let reason = try denial(occurrence(resource: "gcr.io/my-proj/app@" + String.digest("b")))
            #expect(reason.hasPrefix("no attestation occurrence on note projects/my-proj/notes/n is for \(image)"))
        }

        @Test("Payload for another digest than the image")
        func payloadDigestMismatch() throws {
            let other = try SignaturePayload.create(artifactURL: "gcr.io/my-proj/app@" + String.digest("b"))
            let reason = try denial(occurrence(payload: other))
            #expect(reason.contains("signature by PGP key \(fingerprint) verified, but the payload is for digest \(String.digest("b")), not \(String.digest("a"))"), "\(reason)")
        }

        @Test("Unknown key id")
        func unknownKeyID() throws {
            let reason = try denial(occurrence(keyID: "0000000000000000000000000000000000000000"))
            #expect(reason.contains("key id 0000000000000000000000000000000000000000 is not one of the attestor's keys (\(fingerprint))"))
        }

        @Test("Signature made by another of the attestor's keys than the one it names")
        func signerMismatch() throws {
            let reason = try denial(occurrence(signedBy: otherFingerprint), attestor: attestor([fingerprint, otherFingerprint]))
            #expect(reason.contains("PGP signature was made by key \(otherFingerprint), not by key \(fingerprint) it names"), "\(reason)")
        }

        @Test("Tampered signature: invalid")
        func tampered() throws {
            var occurrence = try occurrence()
            var text = String(decoding: occurrence.attestation!.signatures[0].signature!, as: UTF8.self)
            // Flip one base64 character in the middle of the armored body.
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let index = lines.count / 2
            var chars = Array(lines[index])
            chars[5] = chars[5] == "A" ? "B" : "A"
            lines[index] = String(chars)
            text = lines.joined(separator: "\n")
            occurrence.attestation!.signatures[0].signature = Array(text.utf8)
            let reason = try denial(occurrence)
            #expect(reason.contains("PGP signature for key \(fingerprint): "), "\(reason)")
            #expect(!reason.contains("verified"))
        }

        @Test("Key expired at the evaluation time, with the date")
        func keyExpired() throws {
            let later = Date().addingTimeInterval(3 * 86_400)
            let reason = try denial(occurrence(), at: later)
            #expect(reason.contains("PGP signature for key \(fingerprint): key \(fingerprint) expired on "), "\(reason)")
        }

        @Test("A signed payload that is not JSON")
        func notJSON() throws {
            let reason = try denial(occurrence(payload: Array("This is not JSON\n".utf8)))
            #expect(reason.contains("signature by PGP key \(fingerprint) verified, but unexpected message was signed: payload is not JSON"), "\(reason)")
        }

        @Test("A signed JSON payload without the manifest digest")
        func payloadMissingDigest() throws {
            let reason = try denial(occurrence(payload: Array(#"{"critical": {"identity": {"docker-reference": "gcr.io/my-proj/app"}}}"#.utf8)))
            #expect(reason.contains("unexpected message was signed:"), "\(reason)")
            #expect(reason.contains("critical.image"), "\(reason)")
        }

        @Test("JWT-only attestations are unsupported")
        func jwtOnly() throws {
            let occurrence = AttestationOccurrence(
                resourceUri: image, noteName: note.description,
                attestation: Attestation(serializedPayload: nil, signatures: [], jwts: [.init(compactJwt: "a.b.c")]))
            let reason = try denial(occurrence)
            #expect(reason == "occurrence: JWT attestations are not supported by Binary Authorization project policies")
        }

        @Test("An attestor without keys verifies nothing")
        func noKeys() throws {
            let reason = try denial(occurrence(), attestor: Attestor(name: AttestorName(attestorName)!, note: note))
            #expect(reason == "attestor \(attestorName) has no public keys, so it verifies no attestation")
        }

        @Test("No occurrence at all, an unknown attestor, a tag instead of a digest")
        func nothingToCheck() throws {
            let verifier = try AttestorVerifier(attestors: [attestor([fingerprint])], occurrences: [])
            defer { verifier.close() }
            #expect(try verifier.check(attestor: attestorName, image: ImageReference(image), at: now).reason
                == "no attestation occurrence on the attestor's note projects/my-proj/notes/n")
            #expect(try verifier.check(attestor: "projects/my-proj/attestors/zzz", image: ImageReference(image), at: now).reason
                == "attestor projects/my-proj/attestors/zzz was not provided")
            #expect(try verifier.validate(occurrence(), attestor: attestorName, image: ImageReference("gcr.io/my-proj/app:1.0"), at: now).denialReason
                == "image gcr.io/my-proj/app:1.0 is not referenced by a sha256 digest")
            #expect(throws: AttestationError.self) {
                try verifier.validate(self.occurrence(), attestor: "projects/my-proj/attestors/zzz", at: self.now)
            }
        }

        @Test("A keyring is built once per attestor, and identical checks are not repeated")
        func cost() throws {
            let occurrences = try (0..<3).map { _ in try occurrence() }
            let verifier = try AttestorVerifier(attestors: [attestor([fingerprint])], occurrences: occurrences)
            defer { verifier.close() }
            for _ in 0..<4 {
                #expect(try verifier.check(attestor: attestorName, image: ImageReference(image), at: now).isVerified)
            }
            let stats = verifier.statistics
            #expect(stats.keyringsBuilt == 1)
            #expect(stats.signatureChecks == 1, "the first occurrence verifies; the others are never needed")
            #expect(stats.cacheHits == 3)
        }
    }
}
