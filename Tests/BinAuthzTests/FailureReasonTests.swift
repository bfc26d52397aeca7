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

        func occurrence(
            payload: [UInt8]? = nil, signedBy signer: String? = nil, keyID: String? = nil,
            resource: String? = nil, note: NoteName? = nil
        ) throws -> AttestationOccurrence {
            let bytes = try payload ?? SignaturePayload.create(artifactURL: image)
            let signature = try gpg.sign(bytes, as: signer ?? fingerprint)
            var occurrence = try AttestationOccurrence.create(
                artifactURL: image, note: note ?? self.note, signature: signature, publicKeyID: keyID ?? fingerprint,
                payload: bytes)
            if let resource { occurrence.resourceURI = resource }
            return occurrence
        }

        /// The verification's reason, after checking it failed with exactly `kind` — the code a caller branches on.
        func denial(
            _ occurrence: AttestationOccurrence, attestor: Attestor? = nil, at time: Date? = nil,
            kind: AttestationFailure.Kind, sourceLocation: Testing.SourceLocation = #_sourceLocation
        ) throws -> String {
            let verifier = try AttestorVerifier(
                attestors: [attestor ?? self.attestor([fingerprint])], occurrences: [occurrence])
            defer { verifier.close() }
            let verdict = try verifier.verify(attestor: attestorName, image: ImageReference(image), at: time ?? now)
            #expect(!verdict.isVerified, sourceLocation: sourceLocation)
            #expect(verdict.failures.map(\.kind) == [kind], "\(verdict.failures)", sourceLocation: sourceLocation)
            return verdict.reason
        }

        @Test("The good case verifies, so each failure below is caused by what it changes")
        func baseline() throws {
            let verifier = try AttestorVerifier(attestors: [attestor([fingerprint])], occurrences: [occurrence()])
            defer { verifier.close() }
            #expect(try verifier.verify(attestor: attestorName, image: ImageReference(image), at: now).isVerified)
        }

        @Test("Wrong note")
        func wrongNote() throws {
            let reason = try denial(occurrence(note: NoteName(project: "my-proj", note: "other")), kind: .noOccurrence)
            #expect(
                reason
                    == "no attestation occurrence on the attestor's note projects/my-proj/notes/n (occurrences given are on projects/my-proj/notes/other)"
            )
        }

        @Test("Occurrence for another image")
        func otherImage() throws {
            let reason = try denial(
                occurrence(resource: "gcr.io/my-proj/app@" + String.digest("b")), kind: .noOccurrenceForImage)
            #expect(reason.hasPrefix("no attestation occurrence on note projects/my-proj/notes/n is for \(image)"))
        }

        @Test("Payload for another digest than the image")
        func payloadDigestMismatch() throws {
            let other = try SignaturePayload.create(artifactURL: "gcr.io/my-proj/app@" + String.digest("b"))
            let reason = try denial(occurrence(payload: other), kind: .payloadMismatch)
            #expect(
                reason.contains(
                    "signature by PGP key \(fingerprint) verified, but the payload is for digest \(String.digest("b")), not \(String.digest("a"))"
                ), "\(reason)")
        }

        @Test("Unknown key id")
        func unknownKeyID() throws {
            let reason = try denial(occurrence(keyID: "0000000000000000000000000000000000000000"), kind: .unknownKeyID)
            #expect(
                reason.contains(
                    "key id 0000000000000000000000000000000000000000 is not one of the attestor's keys (\(fingerprint))"
                ))
        }

        @Test("Signature made by another of the attestor's keys than the one it names")
        func signerMismatch() throws {
            let reason = try denial(
                occurrence(signedBy: otherFingerprint), attestor: attestor([fingerprint, otherFingerprint]),
                kind: .badSignature)
            #expect(
                reason.contains(
                    "PGP signature was made by key \(otherFingerprint), not by key \(fingerprint) it names"),
                "\(reason)")
        }

        @Test("Tampered armor: the checksum no longer matches, so the signature is malformed")
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
            let reason = try denial(occurrence, kind: .malformedSignature)
            #expect(reason.contains("PGP signature for key \(fingerprint): "), "\(reason)")
            #expect(!reason.contains("verified"))
        }

        @Test("Key expired at the evaluation time, with the date")
        func keyExpired() throws {
            let later = Date().addingTimeInterval(3 * 86_400)
            let reason = try denial(occurrence(), at: later, kind: .keyExpired)
            #expect(
                reason.contains("PGP signature for key \(fingerprint): key \(fingerprint) expired on "), "\(reason)")
        }

        @Test("A signed payload that is not JSON")
        func notJSON() throws {
            let reason = try denial(occurrence(payload: Array("This is not JSON\n".utf8)), kind: .malformedPayload)
            #expect(
                reason.contains(
                    "signature by PGP key \(fingerprint) verified, but unexpected message was signed: payload is not JSON"
                ), "\(reason)")
        }

        @Test("A signed JSON payload without the manifest digest")
        func payloadMissingDigest() throws {
            let reason = try denial(
                occurrence(
                    payload: Array(#"{"critical": {"identity": {"docker-reference": "gcr.io/my-proj/app"}}}"#.utf8)),
                kind: .malformedPayload)
            #expect(reason.contains("unexpected message was signed:"), "\(reason)")
            #expect(reason.contains("critical.image"), "\(reason)")
        }

        @Test("JWT-only attestations are unsupported")
        func jwtOnly() throws {
            let occurrence = AttestationOccurrence(
                resourceURI: image, noteName: note.description,
                attestation: Attestation(serializedPayload: nil, signatures: [], jwts: [.init(compactJwt: "a.b.c")]))
            let reason = try denial(occurrence, kind: .unsupportedJWT)
            #expect(reason == "occurrence: JWT attestations are not supported by Binary Authorization project policies")
        }

        @Test("An attestor without keys verifies nothing")
        func noKeys() throws {
            let reason = try denial(
                occurrence(), attestor: Attestor(name: AttestorName(attestorName)!, note: note), kind: .noKeys)
            #expect(reason == "attestor \(attestorName) has no public keys, so it verifies no attestation")
        }

        @Test("No occurrence at all, an unknown attestor, a tag instead of a digest")
        func nothingToCheck() throws {
            let verifier = try AttestorVerifier(attestors: [attestor([fingerprint])], occurrences: [])
            defer { verifier.close() }
            #expect(
                try verifier.verify(attestor: attestorName, image: ImageReference(image), at: now).reason
                    == "no attestation occurrence on the attestor's note projects/my-proj/notes/n")
            #expect(
                try verifier.verify(attestor: "projects/my-proj/attestors/zzz", image: ImageReference(image), at: now)
                    .reason
                    == "attestor projects/my-proj/attestors/zzz was not provided")
            #expect(
                try verifier.verify(attestor: attestorName, image: ImageReference(image), at: now).failures.map(\.kind)
                    == [.noOccurrence])
            #expect(
                try verifier.verify(attestor: "projects/my-proj/attestors/zzz", image: ImageReference(image), at: now)
                    .failures.map(\.kind) == [.unknownAttestor])
            #expect(
                try verifier.verify(attestor: attestorName, image: ImageReference("gcr.io/my-proj/app:1.0"), at: now)
                    .failures.map(\.kind) == [.notReferencedByDigest])
            #expect(
                try verifier.validate(
                    occurrence(), attestor: attestorName, image: ImageReference("gcr.io/my-proj/app:1.0"), at: now
                ).denialReason
                    == "image gcr.io/my-proj/app:1.0 is not referenced by a sha256 digest")
            #expect(throws: AttestationError.self) {
                try verifier.validate(self.occurrence(), attestor: "projects/my-proj/attestors/zzz", at: self.now)
            }
        }

        @Test(
            "Identical checks are not repeated, in process and through GnuPG",
            arguments: [PGPAttestationKeys.Verifier.automatic, .gpgme])
        func cost(_ mode: PGPAttestationKeys.Verifier) throws {
            let occurrences = try (0..<3).map { _ in try occurrence() }
            let verifier = try AttestorVerifier(
                attestors: [attestor([fingerprint])], occurrences: occurrences,
                pgp: PGPAttestationKeys(verifier: mode, keyringBaseDirectory: TestHomes.current))
            defer { verifier.close() }
            for _ in 0..<4 {
                let verification = try verifier.verify(attestor: attestorName, image: ImageReference(image), at: now)
                #expect(verification.isVerified)
                #expect(verification.verified?.backend == (mode == .gpgme ? "GnuPG" : "in-process"))
            }
            let stats = verifier.statistics
            #expect(stats.signatureChecks == 1, "the first occurrence verifies; the others are never needed")
            #expect(stats.cacheHits == 3)
        }

        @Test("In process, no GnuPG home is ever made: verification works where none could be")
        func noGnuPG() throws {
            let verifier = try AttestorVerifier(
                attestors: [attestor([fingerprint])], occurrences: [occurrence()],
                pgp: PGPAttestationKeys(verifier: .native, keyringBaseDirectory: "/nonexistent/binauthz-no-homes"))
            defer { verifier.close() }
            let verification = try verifier.verify(attestor: attestorName, image: ImageReference(image), at: now)
            #expect(verification.isVerified, "\(verification)")
            // Through GnuPG the same base directory is unusable: the check cannot run.
            let gnupg = try AttestorVerifier(
                attestors: [attestor([fingerprint])], occurrences: [occurrence()],
                pgp: PGPAttestationKeys(verifier: .gpgme, keyringBaseDirectory: "/nonexistent/binauthz-no-homes"))
            defer { gnupg.close() }
            #expect(throws: AttestationError.self) {
                try gnupg.verify(attestor: self.attestorName, image: ImageReference(self.image), at: self.now)
            }
        }

        /// The first packet of a binary key export — a public key packet with no user id or self-signature, which
        /// GnuPG refuses to import while the packet itself is a well-formed key with a fingerprint.
        func bareKeyPacket(_ fpr: String) throws -> String {
            let binary = try gpg.gpg(["--export", fpr]).stdout
            let header = binary[0]
            let length: Int
            let headerLength: Int
            if header & 0x40 != 0 {  // new format, one-octet length for these small keys
                (length, headerLength) = (Int(binary[1]), 2)
            } else {  // old format; gpg writes a one- or two-octet length
                (length, headerLength) =
                    header & 0x03 == 0 ? (Int(binary[1]), 2) : (Int(binary[1]) << 8 | Int(binary[2]), 3)
            }
            let packet = Array(binary[0..<(headerLength + length)])
            let armored = try gpg.gpg(["--enarmor"], stdin: packet).stdoutText
            return armored.replacingOccurrences(of: "PGP ARMORED FILE", with: "PGP PUBLIC KEY BLOCK")
                .split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.hasPrefix("Comment:") }.joined(separator: "\n")
        }

        @Test("A key GnuPG refuses verifies nothing, with the reason; the attestor's other keys still verify")
        func refusedKey() throws {
            var attestor = Attestor(name: AttestorName(attestorName)!, note: note)
            try attestor.addPGPPublicKey(try bareKeyPacket(otherFingerprint))
            try attestor.addPGPPublicKey(try gpg.exportPublicKey(fingerprint))
            let byRefused = try occurrence(signedBy: otherFingerprint, keyID: otherFingerprint)
            let reason = try denial(byRefused, attestor: attestor, kind: .unusableKey)
            #expect(
                reason.contains("PGP key \(otherFingerprint) was refused by GnuPG, so it verifies nothing"), "\(reason)"
            )
            let verifier = try AttestorVerifier(attestors: [attestor], occurrences: [byRefused, try occurrence()])
            defer { verifier.close() }
            #expect(try verifier.verify(attestor: attestorName, image: ImageReference(image), at: now).isVerified)
        }

        @Test("A secret key in an attestor is refused, by the builder and by the verifier")
        func secretKeyInAttestor() throws {
            let secret = try gpg.gpg(["--armor", "--export-secret-keys", fingerprint]).stdoutText
            var attestor = Attestor(name: AttestorName(attestorName)!, note: note)
            #expect {
                try attestor.addPGPPublicKey(secret)
            } throws: { error in
                (error as! AttestationError).code == .invalidKey
                    && (error as! AttestationError).message.contains("gpg --armor --export \(self.fingerprint)")
            }
            // Validation refuses the armor label; a secret key relabelled as a public key block is refused too.
            let relabelled = secret.replacingOccurrences(of: "PRIVATE KEY BLOCK", with: "PUBLIC KEY BLOCK")
            for material in [secret, relabelled] {
                attestor.userOwnedGrafeasNote?.publicKeys = [.pgp(id: fingerprint, armoredKey: material)]
                #expect {
                    try AttestorVerifier(attestors: [attestor], occurrences: [])
                } throws: { error in
                    (error as! AttestationError).code == .invalidAttestor
                        && (error as! AttestationError).message.contains("gpg --armor --export")
                }
            }
        }

        @Test("An occurrence whose signature is missing says so")
        func missingSignature() throws {
            var occurrence = try occurrence()
            occurrence.attestation?.signatures[0].signature = nil
            #expect(
                try denial(occurrence, kind: .emptySignature).contains(
                    "the signature for key \(fingerprint) is empty or missing"))
        }

        @Test("Strict options: the payload's docker-reference and the occurrence's repository must name the image")
        func strictOptions() throws {
            let elsewhere = try ImageReference("eu.gcr.io/other/app@" + String.digest("a"))
            let occurrence = try occurrence()
            let lenient = try AttestorVerifier(attestors: [attestor([fingerprint])], occurrences: [occurrence])
            defer { lenient.close() }
            #expect(
                try lenient.verify(attestor: attestorName, image: elsewhere, at: now).isVerified,
                "by default one attestation covers the digest in any registry")

            let strictPayload = try AttestorVerifier(
                attestors: [attestor([fingerprint])], occurrences: [occurrence],
                options: .init(strictDockerReference: true))
            defer { strictPayload.close() }
            #expect(try strictPayload.verify(attestor: attestorName, image: ImageReference(image), at: now).isVerified)
            let denied = try strictPayload.verify(attestor: attestorName, image: elsewhere, at: now)
            #expect(!denied.isVerified)
            #expect(denied.reason.contains("verified, but"), "\(denied.reason)")
            #expect(
                strictPayload.statistics.signatureChecks == 1,
                "the signature is checked once; only the payload check differs")

            let strictResource = try AttestorVerifier(
                attestors: [attestor([fingerprint])], occurrences: [occurrence],
                options: .init(strictResourceRepository: true))
            defer { strictResource.close() }
            #expect(try strictResource.verify(attestor: attestorName, image: ImageReference(image), at: now).isVerified)
            #expect(
                try strictResource.verify(attestor: attestorName, image: elsewhere, at: now).reason
                    .hasPrefix("no attestation occurrence on note projects/my-proj/notes/n is for eu.gcr.io/other/app@")
            )
        }
    }
}
