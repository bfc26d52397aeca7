// SPDX-License-Identifier: Apache-2.0

import BinAuthz
import BinAuthzTestSupport
import Foundation
import Testing

/// The seed article's CI step, replayed in Swift with keys made by the real `gpg` and `openssl` tools.
extension BinAuthzIntegrationTests {
    @Suite("End to end: payload → sign → occurrence → validate")
    struct EndToEndTests {
        static let image = "gcr.io/my-proj/app@" + String.digest("c")
        static let note = NoteName(project: "my-proj", note: "ci-note")
        static let attestorName = AttestorName(project: "my-proj", attestor: "built-by-ci")

        @Test(
            "CircleCI replay: gpg-made key, base64 secret key in an environment variable, attached signature → VERIFIED",
            .enabled(if: GnuPGHome.unavailableReason == nil, "needs the gpg command-line tool"))
        func pgpFromEnvironment() throws {
            let gpg = try GnuPGHome()
            defer { gpg.close() }
            let fingerprint = try gpg.generateKey(userID: "CI Attestor <ci@example.com>", algorithm: "rsa2048")
            // kube/extract_private_key.sh: gpg --export-secret-keys FPR | base64 → BINAUTH_PRIVATE_KEY
            let environmentValue = Base64.encode(try gpg.exportSecretKey(fingerprint))
            let signer = try AttestationSigner.pgp(base64SecretKey: environmentValue)
            defer { signer.close() }
            #expect(signer.publicKeyID == fingerprint)

            let occurrence = try AttestationOccurrence.signAndCreate(
                artifactURL: Self.image, note: Self.note, signer: signer)
            #expect(occurrence.resourceURI == Self.image)
            #expect(occurrence.noteName == Self.note.description)
            let signature = try #require(occurrence.attestation?.signatures.first)
            #expect(String(decoding: signature.signature!, as: UTF8.self).hasPrefix("-----BEGIN PGP MESSAGE-----"))
            #expect(occurrence.attestation?.serializedPayload == (try SignaturePayload.create(artifactURL: Self.image)))

            // gpg itself verifies what the library signed, and the literal data is the payload byte for byte.
            let check = try GnuPGHome()
            defer { check.close() }
            try check.gpg(["--import"], stdin: Array(try gpg.exportPublicKey(fingerprint).utf8))
            let literal = try check.gpg(["--decrypt"], stdin: signature.signature!)
            #expect(literal.stdout == occurrence.attestation?.serializedPayload)

            var attestor = Attestor(name: Self.attestorName, note: Self.note)
            try attestor.addPGPPublicKey(try gpg.exportPublicKey(fingerprint))
            #expect(attestor.publicKeys.first?.id == fingerprint)
            let verifier = try AttestorVerifier(attestors: [attestor], occurrences: [occurrence])
            defer { verifier.close() }
            let result = try verifier.validate(
                occurrence, attestor: Self.attestorName.description, at: Date().addingTimeInterval(60))
            #expect(result.isVerified, "\(result)")
        }

        @Test(
            "A signature made by `gpg --armor --sign` wraps into an occurrence (attestations create) and verifies",
            .enabled(if: GnuPGHome.unavailableReason == nil, "needs the gpg command-line tool"))
        func gpgSignatureCreate() throws {
            let gpg = try GnuPGHome()
            defer { gpg.close() }
            let fingerprint = try gpg.generateKey(userID: "Human <human@example.com>")
            let payload = try SignaturePayload.create(artifactURL: "https://" + Self.image)
            let signature = try gpg.sign(payload, as: fingerprint)
            let occurrence = try AttestationOccurrence.create(
                artifactURL: "https://" + Self.image, note: Self.note, signature: signature, publicKeyID: fingerprint)
            #expect(occurrence.resourceURI == Self.image, "gcloud ≥ 424 stores the URL without its scheme")
            var attestor = Attestor(name: Self.attestorName, note: Self.note)
            try attestor.addPGPPublicKey(try gpg.exportPublicKey(fingerprint))
            let verifier = try AttestorVerifier(attestors: [attestor], occurrences: [occurrence])
            defer { verifier.close() }
            #expect(
                try verifier.validate(
                    occurrence, attestor: Self.attestorName.description, at: Date().addingTimeInterval(60)
                ).isVerified)
        }

        @Test(
            "PKIX: an openssl-made P-256 key signs in the library, and openssl's own signature verifies too",
            .enabled(if: OpenSSL.unavailableReason == nil, "needs the openssl command-line tool"))
        func pkixWithOpenSSL() throws {
            let dir = try TemporaryDirectory()
            try OpenSSL.run(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", dir.file("key.pem")])
            try OpenSSL.run(["ec", "-in", dir.file("key.pem"), "-pubout", "-out", dir.file("pub.pem")])
            let pem = try String(contentsOfFile: dir.file("pub.pem"), encoding: .utf8)
            var attestor = Attestor(name: Self.attestorName, note: Self.note)
            let key = try attestor.addPKIXPublicKey(pem: pem, algorithm: .ecdsaP256SHA256)
            #expect(key.id?.hasPrefix("ni:///sha-256;") == true)

            let signer = try AttestationSigner.pkix(
                PKIXSigner(
                    privateKeyPEM: String(contentsOfFile: dir.file("key.pem"), encoding: .utf8),
                    algorithm: .ecdsaP256SHA256))
            #expect(signer.publicKeyID == key.id)
            let ours = try AttestationOccurrence.signAndCreate(artifactURL: Self.image, note: Self.note, signer: signer)

            let payload = try SignaturePayload.create(artifactURL: Self.image)
            try dir.write("payload.json", payload)
            try OpenSSL.run([
                "dgst", "-sha256", "-sign", dir.file("key.pem"), "-out", dir.file("sig.der"), dir.file("payload.json"),
            ])
            let theirs = try AttestationOccurrence.create(
                artifactURL: Self.image, note: Self.note,
                signature: [UInt8](try Data(contentsOf: dir.url.appendingPathComponent("sig.der"))),
                publicKeyID: key.id!)

            let verifier = try AttestorVerifier(attestors: [attestor], occurrences: [ours, theirs])
            defer { verifier.close() }
            let now = Date()
            #expect(try verifier.validate(ours, attestor: Self.attestorName.description, at: now).isVerified)
            #expect(try verifier.validate(theirs, attestor: Self.attestorName.description, at: now).isVerified)
            #expect(
                try verifier.verify(attestor: Self.attestorName.description, image: ImageReference(Self.image), at: now)
                    .isVerified)
        }

        @Test("The verifier is the engine's evidence: an attested digest is admitted, an unsigned one denied")
        func engineWithRealVerifier() throws {
            let policy = try Policy(yaml: Fixtures.corpusText("seed-article/set-a/sec-policy.yml"))
            let verifier = try AttestorVerifier(
                attestors: [Seed.attestor("set-a")], occurrences: [Seed.v1Occurrence("set-a")])
            defer { verifier.close() }
            let evaluator = try PolicyEvaluator(policy: policy)
            let target = DeploymentTarget(cluster: "us-central1-b.cd-cluster")
            let signed = try evaluator.evaluate(
                AdmissionRequest(images: [Seed.imageA], target: target), evidence: verifier, at: Seed.validDay)
            #expect(signed.isAllowed, "\(signed.message)")
            let unsigned = "gcr.io/nmallyatestproject/containerdemo@" + String.digest("d")
            let denied = try evaluator.evaluate(
                AdmissionRequest(images: [unsigned], target: target), evidence: verifier, at: Seed.validDay)
            #expect(!denied.isAllowed)
            #expect(
                denied.message
                    == "Image \(unsigned) denied by Binary Authorization cluster admission rule for us-central1-b.cd-cluster. Image \(unsigned) denied by attestor \(Seed.attestorName): No attestations found that were valid and signed by a key trusted by the attestor"
            )
            // Today the same signed image is denied, and the per-image reason says why.
            let expired = try evaluator.evaluate(
                AdmissionRequest(images: [Seed.imageA], target: target), evidence: verifier, at: Seed.today)
            #expect(!expired.isAllowed)
            #expect(expired.images.first?.reason.contains("expired on 2020-12-18") == true, "\(expired.images)")
        }
    }
}
