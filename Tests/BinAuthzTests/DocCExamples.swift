// SPDX-License-Identifier: Apache-2.0
// swift-format-ignore-file
// (not formatted: the examples are the DocC catalogs' code blocks verbatim, see DocumentationTests)

// The Swift examples of the DocC catalogs (Sources/*/*.docc), verbatim, so they compile and run. Each test first
// makes what the article leaves to the reader — a key, an occurrence, a policy — then runs the block as printed,
// then checks what it did. `DocumentationTests` (BinAuthzCLITests) fails when a catalog's Swift block is not found
// here or in DocumentationExamples.swift.

import BinAuthz
import BinAuthzTesting
import BinAuthzTestSupport
import Foundation
import Testing

extension BinAuthzIntegrationTests {
    @Suite("DocC catalog examples")
    struct DocCExamples {
        static let seedKey = try! Fixtures.corpusText("seed-article/set-a/generated-key.pgp")
        static let seedSignature = try! Fixtures.corpusText("seed-article/set-a/generated_signature.pgp")
        static let june2019 = Date(timeIntervalSince1970: 1_559_347_200)  // 2019-06-01T00:00:00Z

        @Test("BinAuthz.docc: decide a request with the verifier as evidence")
        func umbrellaDecision() throws {
            let ci = try TestAttestor("projects/my-proj/attestors/built-by-ci")
            let image = "gcr.io/my-proj/app@sha256:" + String(repeating: "ab", count: 32)
            let attestors = [ci.attestor]
            let occurrences = [try ci.attest(image)]
            let policy = try Policy(yaml: """
                defaultAdmissionRule:
                  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
                  evaluationMode: REQUIRE_ATTESTATION
                  requireAttestationsBy: [projects/my-proj/attestors/built-by-ci]
                """)
            let request = AdmissionRequest(images: [image])
            let now = PolicyTestBed.defaultTime

            let verifier = try AttestorVerifier(attestors: attestors, occurrences: occurrences)
            defer { verifier.close() }
            let decision = try PolicyEvaluator(policy: policy).evaluate(request, evidence: verifier, at: now)

            #expect(decision.isAllowed, "\(decision.message)")
        }

        @Test("BinAuthzAttestation.docc: verify one attestor, match on failure kinds")
        func attestationVerifier() throws {
            let ci = try TestAttestor("projects/my-proj/attestors/built-by-ci")
            let signed = "gcr.io/my-proj/app@sha256:" + String(repeating: "ab", count: 32)
            let attestors = [ci.attestor]
            let occurrences = [try ci.attest(signed)]
            let now = PolicyTestBed.defaultTime
            var outcomes: [String] = []
            for image in [try ImageReference(signed), try ImageReference("gcr.io/my-proj/app@sha256:" + String(repeating: "cd", count: 32))] {

            let verifier = try AttestorVerifier(
                attestors: attestors, occurrences: occurrences, keyKinds: [PKIXAttestationKeys()])
            defer { verifier.close() }
            switch try verifier.verify(attestor: "projects/my-proj/attestors/built-by-ci", image: image, at: now) {
            case .verified(let attestation): print("verified by", attestation.keyID)
            case .notVerified(let failures): print(failures.map(\.kind))
            }

                switch try verifier.verify(attestor: "projects/my-proj/attestors/built-by-ci", image: image, at: now) {
                case .verified(let attestation): outcomes.append("verified \(attestation.keyID)")
                case .notVerified(let failures): outcomes.append("not verified \(failures.map(\.kind))")
                }
            }
            #expect(outcomes.count == 2)
            #expect(outcomes[0].hasPrefix("verified ni:///sha-256;"), "\(outcomes)")
            #expect(outcomes[1].hasPrefix("not verified"), "\(outcomes)")
        }

        @Test("BinAuthzModel.docc: read, validate and print a policy as gcloud does")
        func modelPolicy() throws {
            let text = "clusterAdmissionRules:\n  prod:\n    evaluationMode: ALWAYS_DENY\n    enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\ndefaultAdmissionRule:\n  evaluationMode: ALWAYS_ALLOW\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n"

            let policy = try Policy(yaml: text)          // as gcloud would import it
            for issue in policy.validate() {              // every problem, with its path
                print(issue)                              // clusterAdmissionRules["prod"]: cluster key "prod" must be …
            }
            print(policy.yamlString())                    // as gcloud would export it

            #expect(policy.validate().contains { "\($0)".contains("clusterAdmissionRules") })
            #expect(policy.yamlString().contains("evaluationMode: ALWAYS_ALLOW"))
        }

        @Test("BinAuthzPGP.docc: an attestor's key id, then a signature verified at an evaluation time")
        func pgpOverview() throws {
            let armoredPublicKey = Self.seedKey
            let signature = Self.seedSignature
            let evaluationTime = Self.june2019

            // The attestor's key id.
            let keyID = try PGPKeyBlock.fingerprint(of: armoredPublicKey)

            // Verify an attestation signature at an evaluation time.
            let keyring = try EphemeralKeyring(verifyingWith: [armoredPublicKey])
            defer { keyring.close() }
            switch try keyring.verifyAttached(signature, at: evaluationTime) {
            case .verified(let verified) where verified.primaryKeyFingerprint == keyID:
                print(String(decoding: verified.payload, as: UTF8.self))
            case .verified(let verified):
                print("signed by \(verified.primaryKeyFingerprint), not \(keyID)")
            case .failed(let failure):
                print(failure)  // "key E50ABDE5… expired on 2020-12-18T21:02:38Z"
            }

            #expect(keyID.hex == "E50ABDE5A0C05DB317479494C111AF41B88ECC96")
            guard case .verified(let verified) = try keyring.verifyAttached(signature, at: evaluationTime) else {
                Issue.record("the seed signature did not verify in June 2019")
                return
            }
            #expect(verified.primaryKeyFingerprint == keyID)
        }

        @Test("BinAuthzPGP.docc EphemeralKeyrings: a verifying keyring, and signing with the CI secret")
        func ephemeralKeyrings() throws {
            let maker = try EphemeralKeyring(options: .signing)
            defer { maker.close() }
            let made = try maker.generateKey(userID: "CI <ci@example.com>", passphrase: "s3cret")
            let environment = ["BINAUTH_PRIVATE_KEY": Data(try maker.exportSecretKey(made.fingerprint, passphrase: "s3cret").utf8).base64EncodedString()]
            let attestorKeys = [try maker.exportPublicKey(made.fingerprint)]
            let payload = try SignaturePayload.create(artifactURL: "gcr.io/my-proj/app@sha256:" + String(repeating: "ab", count: 32))
            let passphrase = "s3cret"

            // Verify: build once per attestor, reuse for every signature.
            let keyring = try EphemeralKeyring(verifyingWith: attestorKeys)

            // Sign: import the CI secret and sign the payload.
            let signature = try withEphemeralKeyring(.signing) { keyring in
                let key = try keyring.importKeys(base64Encoded: environment["BINAUTH_PRIVATE_KEY"]!)[0]
                return try keyring.sign(payload, with: key.fingerprint, passphrase: passphrase)
            }

            defer { keyring.close() }
            guard case .verified(let verified) = try keyring.verifyAttached(signature, at: Date()) else {
                Issue.record("the signature made with the imported CI secret did not verify")
                return
            }
            #expect(verified.payload == payload)
            #expect(verified.primaryKeyFingerprint == made.fingerprint)
        }

        @Test("BinAuthzPGP.docc VerifyingAttestations: the seed signature in 2019 and today")
        func evaluationTimeMatters() throws {
            let seedKey = Self.seedKey
            let seedSignature = Self.seedSignature
            let june2019 = Self.june2019
            let today = Date(timeIntervalSince1970: 1_796_169_600)  // 2026-12-01

            let keyring = try EphemeralKeyring(verifyingWith: [seedKey])
            defer { keyring.close() }
            let then = try keyring.verifyAttached(seedSignature, at: june2019)  // .verified: payload, E50ABDE5…, 2018-12-19T22:21:12Z
            let now = try keyring.verifyAttached(seedSignature, at: today)
            // .failed: "key E50ABDE5A0C05DB317479494C111AF41B88ECC96 expired on 2020-12-18T21:02:38Z"

            guard case .verified = then else {
                Issue.record("expected the 2019 verification to pass: \(then)")
                return
            }
            guard case .failed(let failure) = now else {
                Issue.record("expected the key to be expired today: \(now)")
                return
            }
            #expect("\(failure)".contains("key E50ABDE5A0C05DB317479494C111AF41B88ECC96 expired on 2020-12-18T21:02:38Z"))
        }

        @Test("BinAuthzPKIX.docc: verify an occurrence's signatures with an attestor's PEM key")
        func pkixVerify() throws {
            let ci = try TestAttestor("projects/my-proj/attestors/built-by-ci")
            let publicKeyPEM = try #require(ci.attestor.publicKeys.first?.pkixPublicKey?.publicKeyPEM)
            let occurrence = try ci.attest("gcr.io/my-proj/app@sha256:" + String(repeating: "ab", count: 32))
            var tampered = occurrence
            tampered.attestation?.serializedPayload?[0] ^= 1
            var failures: [String] = []
            for occurrence in [occurrence, tampered] {

            let verifier = try PKIXVerifier(publicKeyPEM: publicKeyPEM, algorithm: .ecdsaP256SHA256)
            for signature in occurrence.signatures {  // each with the serializedPayload it signs
                let result = verifier.verify(signature: signature.signature, payload: signature.serializedPayload)
                if case .notVerified(let failure) = result {
                    print(failure.message)  // e.g. "key is EC P-384 but ECDSA_P256_SHA256 needs EC P-256"
                }
            }

                failures += occurrence.signatures.compactMap {
                    if case .notVerified(let failure) = verifier.verify(signature: $0.signature, payload: $0.serializedPayload) {
                        return failure.message
                    }
                    return nil
                }
            }
            #expect(failures.count == 1, "only the tampered payload fails: \(failures)")
        }

        @Test("BinAuthzPKIX.docc: generate a key and sign")
        func pkixSign() throws {
            let payload = Array("payload".utf8)

            let key = try PKIXPrivateKey.generate(for: .ecdsaP256SHA256)
            let signer = try PKIXSigner(privateKey: key, algorithm: .ecdsaP256SHA256)
            let signature = try signer.sign(payload)
            let keyID = key.publicKey.defaultKeyID  // "ni:///sha-256;…"

            #expect(keyID.hasPrefix("ni:///sha-256;"))
            let verifier = PKIXVerifier(publicKey: key.publicKey, algorithm: .ecdsaP256SHA256)
            #expect(verifier.verify(signature: signature, payload: payload) == .verified)
        }

        @Test("BinAuthzPayload.docc: create the payload gcloud would, then check a signed one against an image")
        func payloads() throws {
            let ci = try TestAttestor("projects/my-proj/attestors/built-by-ci")
            let image = try ImageReference("gcr.io/my-project/app@sha256:a46ab6b21371e1e3250d3b512b38aa2727ad61a2fc1ab2d2c135589d315c7442")
            let signature = try #require(try ci.attest(image.description).signatures.first)

            let payload = try SignaturePayload.create(
                artifactURL: "gcr.io/my-project/app@sha256:a46ab6b21371e1e3250d3b512b38aa2727ad61a2fc1ab2d2c135589d315c7442")
            // sign `payload` with gpg or a PKIX key, store it as the occurrence's serializedPayload

            let signed = try SignaturePayload(parsing: signature.serializedPayload)  // an OccurrenceSignature that verified
            switch signed.check(digest: image.digest!) {
            case .match: break                     // this attestation is for this image
            case .mismatch(let reason): print(reason)
            }

            #expect(payload == signature.serializedPayload)
            #expect(signed.check(digest: image.digest!) == .match)
        }

        @Test("BinAuthzPolicy.docc: decide every workload of a manifest")
        func policyOverview() throws {
            let policyText = "defaultAdmissionRule:\n  evaluationMode: ALWAYS_DENY\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\nadmissionWhitelistPatterns:\n- namePattern: gcr.io/google_containers/*\n"
            let manifestText = "apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers: [{name: a, image: gcr.io/google_containers/pause:3.2}, {name: b, image: 'gcr.io/my-proj/app:1'}]\n"

            let evaluator = try PolicyEvaluator(policy: Policy(yaml: policyText))   // refuses an invalid policy
            let evidence = NoAttestationEvidence()  // or the AttestorVerifier of BinAuthzAttestation
            for workload in try KubernetesManifest.workloads(in: manifestText) {
                let decision = try evaluator.evaluate(
                    workload.request(cluster: "us-central1-b.cd-cluster"), evidence: evidence, at: .now)
                print(workload, decision.isAllowed ? "admitted" : decision.message)
            }

            let decision = try evaluator.evaluate(
                KubernetesManifest.workloads(in: manifestText)[0].request(cluster: "us-central1-b.cd-cluster"),
                evidence: evidence, at: .now)
            #expect(!decision.isAllowed)
            #expect(decision.message.contains("gcr.io/my-proj/app:1"))
        }
    }

    /// BinAuthzTesting.docc: the article's test, as printed, with the policy and image it assumes.
    @Suite("DocC catalog examples: BinAuthzTesting")
    struct DocCTestingExample {
        let policyText = "defaultAdmissionRule:\n  evaluationMode: ALWAYS_ALLOW\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\nclusterAdmissionRules:\n  us-central1-a.prod:\n    evaluationMode: REQUIRE_ATTESTATION\n    enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n    requireAttestationsBy: [projects/my-proj/attestors/built-by-ci]\n"
        let image = "gcr.io/my-proj/app@sha256:" + String(repeating: "ab", count: 32)

        @Test func prodRequiresCI() throws {
            let ci = try TestAttestor("projects/my-proj/attestors/built-by-ci")
            var bed = try PolicyTestBed(policyYAML: policyText, attestors: [ci])
            try bed.expectDenied(images: [image], cluster: "us-central1-a.prod")
            try bed.attest(image, by: ci)
            try bed.expectAdmitted(images: [image], cluster: "us-central1-a.prod")
        }
    }

    /// BinAuthzPolicy.docc, TestingAPolicyOffline: the table-driven suite as printed. It reads `deploy/` files of the
    /// reader's repository, so it is compiled here and not run (the same calls run in `policyOverview` above).
    @Suite(.disabled("compiled only: the article's suite reads deploy/policy.yaml and deploy/web.yaml of the reader's repository"))
    enum DocCTestingAPolicyOffline {
        struct PolicyTests {
            let evaluator = try! PolicyEvaluator(policy: Policy(yaml: String(contentsOfFile: "deploy/policy.yaml", encoding: .utf8)))
            let evidence = NoAttestationEvidence()  // see "Choose the evidence"

            @Test(arguments: [
                ("us-central1-b.prod", "deploy/web.yaml", false),
                ("us-central1-b.staging", "deploy/web.yaml", true),
            ])
            func web(cluster: String, manifest: String, admitted: Bool) throws {
                for workload in try KubernetesManifest.workloads(in: String(contentsOfFile: manifest, encoding: .utf8)) {
                    let decision = try evaluator.evaluate(
                        workload.request(cluster: cluster), evidence: evidence, at: Date(timeIntervalSince1970: 1_700_000_000))
                    #expect(decision.isAllowed == admitted, "\(workload): \(decision.message)")
                }
            }
        }
    }
}
