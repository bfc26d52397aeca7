// SPDX-License-Identifier: Apache-2.0

import BinAuthz
import BinAuthzTestSupport
import Foundation
import Testing

extension BinAuthzIntegrationTests {
    @Suite("Building notes, attestors and occurrences as gcloud does")
    struct BuilderTests {
        static let vectors = "kritis/pkg/attestlib/testvectors/"

        @Test("A note for an attestor, in the v1 REST shape")
        func note() {
            let note = Note.attestationNote(NoteName(project: "p", note: "ci-note"), humanReadableName: "Built by CI")
            #expect(
                note.jsonString(pretty: false)
                    == #"{"attestation":{"hint":{"humanReadableName":"Built by CI"}},"name":"projects/p/notes/ci-note"}"#
            )
            #expect(Note.attestationNote(NoteName(project: "p", note: "n")).humanReadableName == "n")
        }

        @Test("Key ids are computed as the service computes them: PGP fingerprint, PKIX ni:///sha-256")
        func keyIDs() throws {
            var attestor = Attestor(
                name: AttestorName(project: "p", attestor: "a"), note: NoteName(project: "p", note: "n"))
            let pgp = try attestor.addPGPPublicKey(Fixtures.corpusText("seed-article/set-a/generated-key.pgp"))
            #expect(pgp.id == "E50ABDE5A0C05DB317479494C111AF41B88ECC96")
            let ec = try attestor.addPKIXPublicKey(
                pem: Fixtures.corpusText(Self.vectors + "ec256PubKey.pem"), algorithm: .ecdsaP256SHA256)
            #expect(ec.id == "ni:///sha-256;F8ZLbGLECGCxd8yEtBiqNnSMB7S-TC0CpJ1G9JLJpD4")
            let rsa = try attestor.addPKIXPublicKey(
                pem: Fixtures.corpusText(Self.vectors + "rsa2048PubKey.pem"), algorithm: .rsaSignPKCS1_2048SHA256,
                idOverride:
                    "//cloudkms.googleapis.com/v1/projects/p/locations/global/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1"
            )
            #expect(rsa.id?.hasPrefix("//cloudkms.googleapis.com/") == true)
            #expect(attestor.validate() == [])
            #expect(attestor.publicKeys.count == 3)
            // The attestor survives the formats it is printed in.
            #expect(try Attestor(yaml: attestor.yamlString()) == attestor)
            #expect(try Attestor(json: attestor.jsonString()) == attestor)
        }

        @Test("Duplicates and bad keys are refused with gcloud's messages")
        func refusals() throws {
            var attestor = Attestor(
                name: AttestorName(project: "p", attestor: "a"), note: NoteName(project: "p", note: "n"))
            let armored = try Fixtures.corpusText("seed-article/set-a/generated-key.pgp")
            try attestor.addPGPPublicKey(armored)
            #expect {
                try attestor.addPGPPublicKey(armored)
            } throws: {
                ($0 as? AttestationError)?.message
                    == "Provided public key already present on attestor [projects/p/attestors/a]"
            }
            let pem = try Fixtures.corpusText(Self.vectors + "ec256PubKey.pem")
            try attestor.addPKIXPublicKey(pem: pem, algorithm: .ecdsaP256SHA256, idOverride: "urn:key:1")
            #expect {
                try attestor.addPKIXPublicKey(pem: pem, algorithm: .ecdsaP256SHA256, idOverride: "urn:key:1")
            } throws: {
                ($0 as? AttestationError)?.message
                    == "Public key with ID [urn:key:1] already present on attestor [projects/p/attestors/a]"
            }
            #expect(throws: AttestationError(code: .invalidKeyID, message: "")) {
                try attestor.addPKIXPublicKey(pem: pem, algorithm: .ecdsaP256SHA256, idOverride: "not a uri")
            }
            #expect {
                try attestor.addPKIXPublicKey(
                    pem: Fixtures.corpusText(Self.vectors + "ec384PubKey.pem"), algorithm: .ecdsaP256SHA256)
            } throws: { error in
                let e = error as! AttestationError
                return e.code == .invalidKey && e.message.contains("P-384") && e.message.contains("ECDSA_P256_SHA256")
            }
            #expect(throws: AttestationError(code: .invalidKey, message: "")) {
                try attestor.addPGPPublicKey(Fixtures.corpusText(Self.vectors + "gpgPrivateKey.asc"))
            }
            #expect(throws: AttestationError(code: .invalidKey, message: "")) { try attestor.addPGPPublicKey("hello") }
        }

        @Test("An attestor whose PGP id is not the key's fingerprint is refused by the verifier")
        func wrongPGPID() throws {
            var attestor = try Seed.attestor("set-a")
            attestor.userOwnedGrafeasNote!.publicKeys[0].id = Seed.keyB
            #expect {
                try AttestorVerifier(attestors: [attestor], occurrences: [])
            } throws: { error in
                let e = error as! AttestationError
                return e.code == .invalidAttestor && e.message.contains("the key's fingerprint is \(Seed.keyA)")
            }
        }

        @Test("attestations create: the occurrence gcloud writes, with base64 bytes and a scheme-less resource")
        func createOccurrence() throws {
            let url = "https://gcr.io/p/app@" + String.digest("e")
            let occurrence = try AttestationOccurrence.create(
                artifactURL: url, note: NoteName(project: "p", note: "n"), signature: [1, 2, 3],
                publicKeyID: "E50ABDE5A0C05DB317479494C111AF41B88ECC96")
            let payload = try SignaturePayload.create(artifactURL: url)
            #expect(
                occurrence.jsonString() == """
                    {
                      "attestation": {
                        "serializedPayload": "\(Base64.encodeURLSafe(payload))",
                        "signatures": [
                          {
                            "publicKeyId": "E50ABDE5A0C05DB317479494C111AF41B88ECC96",
                            "signature": "AQID"
                          }
                        ]
                      },
                      "kind": "ATTESTATION",
                      "noteName": "projects/p/notes/n",
                      "resourceUri": "gcr.io/p/app@\(String.digest("e"))"
                    }

                    """)
            #expect {
                try AttestationOccurrence.create(
                    artifactURL: "gcr.io/p/app:latest", note: NoteName(project: "p", note: "n"), signature: [1],
                    publicKeyID: "urn:x")
            } throws: { ($0 as? AttestationError)?.code == .invalidArtifactURL }
            // gcloud's digest check is only length and alphabet, and it takes any key id: create accepts what gcloud
            // accepts and says why such an occurrence can never verify.
            let note = NoteName(project: "p", note: "n")
            let odd = "gcr.io/p/app@" + "sh:a256" + String(repeating: "a", count: 64)
            #expect(throws: Never.self) { try SignaturePayload.create(artifactURL: odd) }
            let oddOccurrence = try AttestationOccurrence.create(
                artifactURL: odd, note: note, signature: [1], publicKeyID: "urn:x")
            #expect(oddOccurrence.resourceURI == "gcr.io/p/app@sh:a256" + String(repeating: "a", count: 64))
            #expect(oddOccurrence.neverVerifiableReasons().count == 1)
            #expect(
                oddOccurrence.neverVerifiableReasons().first?.contains("admits images by sha256 digest only") == true)
            #expect(occurrence.neverVerifiableReasons() == [])
            let lower = try AttestationOccurrence.create(
                artifactURL: url, note: note, signature: [], publicKeyID: "e50abde5a0c05db317479494c111af41b88ecc96")
            let reasons = lower.neverVerifiableReasons()
            #expect(reasons.count == 2, "\(reasons)")
            #expect(reasons.first?.contains("E50ABDE5A0C05DB317479494C111AF41B88ECC96") == true)
            #expect(reasons.last?.contains("is empty") == true)
            for id in ["", "not a uri", "0xE50ABDE5"] {
                let made = try AttestationOccurrence.create(
                    artifactURL: url, note: note, signature: [1], publicKeyID: id)
                #expect(made.attestation?.signatures.first?.publicKeyID == id)
                #expect(made.neverVerifiableReasons().count == 1, "\(id): \(made.neverVerifiableReasons())")
            }
            // Against an attestor: the id must be one of its keys, the note its note; a PKIX payload must name the digest.
            let attestor = try Seed.attestor("set-a")
            let other = try AttestationOccurrence.create(
                artifactURL: url, note: note, signature: [1], publicKeyID: Seed.keyB)
            let againstAttestor = other.neverVerifiableReasons(attestor: attestor)
            #expect(againstAttestor.count == 2, "\(againstAttestor)")
            #expect(
                againstAttestor.contains { $0.contains("is not the id of a key of attestor") && $0.contains(Seed.keyA) }
            )
            #expect(againstAttestor.contains { $0.contains("is not the note of attestor") })
            let wrongPayload = try AttestationOccurrence.create(
                artifactURL: url, note: note, signature: [1], publicKeyID: "urn:x",
                payload: try SignaturePayload.create(artifactURL: "gcr.io/p/app@" + String.digest("a")))
            #expect(wrongPayload.neverVerifiableReasons().first?.contains("the payload is for digest") == true)
            let notJSON = try AttestationOccurrence.create(
                artifactURL: url, note: note, signature: [1], publicKeyID: "urn:x", payload: Array("x".utf8))
            #expect(notJSON.neverVerifiableReasons().first?.contains("not a simple-signing payload") == true)
            // gcloud builds the default payload from the URL without its scheme, parsed again: a port then reads as a
            // scheme. With the payload given, the URL is parsed once and accepted.
            let port = "https://localhost:5000/team/app@" + String.digest("c")
            #expect {
                try AttestationOccurrence.create(artifactURL: port, note: note, signature: [1], publicKeyID: "urn:x")
            } throws: { ($0 as? AttestationError)?.message.contains("--payload-file") == true }
            let withPayload = try AttestationOccurrence.create(
                artifactURL: port, note: note, signature: [1], publicKeyID: "urn:x",
                payload: try SignaturePayload.create(artifactURL: port))
            #expect(withPayload.resourceURI == "localhost:5000/team/app@" + String.digest("c"))
            #expect(withPayload.neverVerifiableReasons() == [])
            // A PGP signature carries its own payload: serializedPayload is not judged.
            let pgp = try AttestationOccurrence.create(
                artifactURL: url, note: note, signature: [1], publicKeyID: Seed.keyA, payload: Array("x".utf8))
            #expect(pgp.neverVerifiableReasons() == [])
        }

        @Test("A signer for a subkey's fingerprint names the primary key, so its attestations verify")
        func signerForSubkey() throws {
            let keyring = try EphemeralKeyring(options: .init(purpose: .signing, baseDirectory: TestHomes.current))
            defer { keyring.close() }
            let primary = try keyring.generateKey(userID: "CI <ci@example.com>")
            let subkey = try keyring.addSigningSubkey(to: primary.fingerprint)
            let signer = try AttestationSigner.pgp(keyring: keyring, fingerprint: subkey.fingerprint)
            #expect(signer.publicKeyID == primary.fingerprint.hex)

            let url = "gcr.io/p/app@" + String.digest("f")
            let note = NoteName(project: "p", note: "n")
            let occurrence = try AttestationOccurrence.signAndCreate(artifactURL: url, note: note, signer: signer)
            var attestor = Attestor(name: AttestorName(project: "p", attestor: "a"), note: note)
            try attestor.addPGPPublicKey(try keyring.exportPublicKey(primary.fingerprint))
            let verifier = try AttestorVerifier(
                attestors: [attestor], occurrences: [occurrence],
                pgp: PGPAttestationKeys(keyringBaseDirectory: TestHomes.current))
            defer { verifier.close() }
            #expect(try verifier.validate(occurrence, attestor: "projects/p/attestors/a", at: Date()).isVerified)

            #expect {
                try AttestationSigner.pgp(
                    keyring: keyring, fingerprint: PGPFingerprint(String(repeating: "A", count: 40))!)
            } throws: { ($0 as? AttestationError)?.code == .invalidKey }
        }

        @Test("Editing an attestor: comments, PGP key replacement, removal and Cloud KMS keys, with gcloud's errors")
        func editing() throws {
            var attestor = try Seed.attestor("set-a")
            let name = attestor.name ?? ""
            #expect(throws: AttestationError(code: .keyNotFound, message: "")) {
                try attestor.updatePublicKey(id: Seed.keyA.lowercased(), comment: "x")
            }
            try attestor.updatePublicKey(id: Seed.keyA, comment: "ci")
            #expect(attestor.publicKeys.first?.comment == "ci")
            // Replacing the text with another key: the id becomes that key's fingerprint, as the service computes it.
            let other = try Fixtures.corpusText("seed-article/set-b/generated-key.pgp")
            let replaced = try attestor.updatePGPPublicKey(id: Seed.keyA, armoredKey: other)
            #expect(replaced.id == Seed.keyB)
            #expect(replaced.comment == "ci")
            let pem = try Fixtures.corpusText(Self.vectors + "ec256PubKey.pem")
            let version = try CloudKMSKeyVersion(
                project: "kp", location: "global", keyRing: "r", cryptoKey: "k", version: "1")
            let kms = try attestor.addKMSPublicKey(pem: pem, kmsAlgorithm: "EC_SIGN_P256_SHA256", keyVersion: version)
            #expect(
                kms.id
                    == "//cloudkms.googleapis.com/v1/projects/kp/locations/global/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1"
            )
            #expect(kms.pkixPublicKey?.signatureAlgorithm == .ecdsaP256SHA256)
            #expect {
                try attestor.updatePGPPublicKey(id: kms.id ?? "", armoredKey: other)
            } throws: {
                ($0 as? AttestationError)?.message == "Cannot update a non-PGP PublicKey with a PGP public key"
            }
            #expect {
                try attestor.addKMSPublicKey(pem: pem, kmsAlgorithm: "EC_SIGN_P256_SHA256", keyVersion: version)
            } throws: {
                ($0 as? AttestationError)?.message
                    == "Public key with ID [\(kms.id ?? "")] already present on attestor [\(name)]"
            }
            #expect {
                try attestor.addKMSPublicKey(pem: pem, kmsAlgorithm: "EC_SIGN_ED25519", keyVersion: version)
            } throws: {
                ($0 as? AttestationError)?.message
                    == #"Unsupported PkixPublicKey signature algorithm: "EC_SIGN_ED25519""#
            }
            #expect(throws: AttestationError(code: .invalidKeyID, message: "")) {
                try CloudKMSKeyVersion(project: "kp", location: "global", keyRing: "r/x", cryptoKey: "k", version: "1")
            }
            try attestor.removePublicKey(id: Seed.keyB)
            #expect(attestor.publicKeys.map(\.id) == [kms.id])
            #expect {
                try attestor.removePublicKey(id: Seed.keyB)
            } throws: { ($0 as? AttestationError)?.message == "No matching public key found on attestor [\(name)]" }
            // gcloud's map: ten KMS algorithms have a Binary Authorization equivalent, the other 29 are unsupported.
            let mapped = SignatureAlgorithm.cloudKMSAlgorithms.compactMap { try? SignatureAlgorithm.fromCloudKMS($0) }
            #expect(SignatureAlgorithm.cloudKMSAlgorithms.count == 39)
            #expect(
                mapped.map(\.rawValue) == [
                    "RSA_PSS_2048_SHA256", "RSA_PSS_3072_SHA256", "RSA_PSS_4096_SHA256", "RSA_PSS_4096_SHA512",
                    "RSA_SIGN_PKCS1_2048_SHA256", "RSA_SIGN_PKCS1_3072_SHA256", "RSA_SIGN_PKCS1_4096_SHA256",
                    "RSA_SIGN_PKCS1_4096_SHA512", "ECDSA_P256_SHA256", "ECDSA_P384_SHA384",
                ])
        }
    }
}
