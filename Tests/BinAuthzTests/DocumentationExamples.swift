// SPDX-License-Identifier: Apache-2.0
// swift-format-ignore-file
// (not formatted: the examples are the documentation's code blocks verbatim, see DocumentationTests)

// The Swift examples of README.md and Docs/*.md, verbatim, so they compile and run.
// `DocumentationTests` (BinAuthzCLITests) fails when a Swift block of the documentation is not found here.

import BinAuthz
import BinAuthzTesting
import BinAuthzTestSupport
import Foundation
import Testing

extension BinAuthzIntegrationTests {
    @Suite("Documentation examples")
    struct DocumentationExamples {
        @Test("README: sign an image in CI with a base64 PGP key from the environment")
        func readmeSignInCI() throws {
            // Set-up the README leaves to the CI system: a secret key in BINAUTH_PRIVATE_KEY and the pushed digest.
            let keyring = try EphemeralKeyring(options: .signing)
            defer { keyring.close() }
            let key = try keyring.generateKey(userID: "CI <ci@example.com>")
            let environment = ["BINAUTH_PRIVATE_KEY": Data(try keyring.exportSecretKey(key.fingerprint).utf8).base64EncodedString()]
            let digest = String(repeating: "ab", count: 32)

            let signer = try AttestationSigner.pgp(base64SecretKey: environment["BINAUTH_PRIVATE_KEY"]!)
            defer { signer.close() }
            let occurrence = try AttestationOccurrence.signAndCreate(
                artifactURL: "gcr.io/my-proj/app@sha256:" + digest,
                note: NoteName(project: "my-proj", note: "built-by-ci"),
                signer: signer)
            print(occurrence.jsonString())   // POST to containeranalysis.googleapis.com/v1/projects/my-proj/occurrences

            #expect(occurrence.attestation?.signatures.first?.publicKeyID == key.fingerprint.hex)
        }

        @Test("README: test a policy offline")
        func readmePolicyTest() throws {
            let policyYAML = """
                defaultAdmissionRule: {evaluationMode: ALWAYS_ALLOW, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}
                clusterAdmissionRules:
                  us-central1-a.prod:
                    evaluationMode: REQUIRE_ATTESTATION
                    enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
                    requireAttestationsBy: [projects/my-proj/attestors/built-by-ci]
                """
            let image = "gcr.io/my-proj/app@sha256:" + String(repeating: "c", count: 64)

            let ci = try TestAttestor("projects/my-proj/attestors/built-by-ci")
            var bed = try PolicyTestBed(policyYAML: policyYAML, attestors: [ci])
            try bed.expectDenied(images: [image], cluster: "us-central1-a.prod")
            try bed.attest(image, by: ci)
            try bed.expectAdmitted(images: [image], cluster: "us-central1-a.prod")
        }

        @Test("Offline policy testing: decide every workload of a manifest")
        func manifestDecisions() throws {
            let ci = try TestAttestor("projects/my-proj/attestors/built-by-ci")
            let qa = try TestAttestor("projects/my-proj/attestors/qa-approved")
            var bed = try PolicyTestBed(policyYAML: ProductionPolicyTests().policy, attestors: [ci, qa])
            let image = ProductionPolicyTests().image
            try bed.attest(image, by: ci)
            try bed.attest(image, by: qa)
            let deploymentYAML = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: payments}
                spec:
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: web, image: "\(image)"}]
                """

            let decisions = try bed.evaluate(manifest: deploymentYAML, cluster: "us-central1-a.prod-cluster")
            #expect(decisions.allSatisfy { $0.isAllowed }, "\(decisions.map(\.report))")
        }
    }
}

// Docs/OfflinePolicyTesting.md — the example suite, verbatim.

extension BinAuthzIntegrationTests {
    @Suite struct ProductionPolicyTests {
        // As `gcloud container binauthz policy export` prints it (or read it from your repository).
        let policy = """
            admissionWhitelistPatterns:
            - namePattern: gcr.io/google_containers/*
            clusterAdmissionRules:
              us-central1-a.prod-cluster:
                enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
                evaluationMode: REQUIRE_ATTESTATION
                requireAttestationsBy:
                - projects/my-proj/attestors/built-by-ci
                - projects/my-proj/attestors/qa-approved
            defaultAdmissionRule:
              enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
              evaluationMode: ALWAYS_ALLOW
            """
        let image = "gcr.io/my-proj/app@sha256:" + String(repeating: "a", count: 64)

        @Test func prodNeedsBothAttestations() throws {
            let ci = try TestAttestor("projects/my-proj/attestors/built-by-ci")
            let qa = try TestAttestor("projects/my-proj/attestors/qa-approved")
            var bed = try PolicyTestBed(policyYAML: policy, attestors: [ci, qa])

            try bed.attest(image, by: ci)
            try bed.expectDenied(images: [image], cluster: "us-central1-a.prod-cluster")
            try bed.attest(image, by: qa)
            try bed.expectAdmitted(images: [image], cluster: "us-central1-a.prod-cluster")
        }

        @Test func tagsAreRefusedOnProdButFineOnStaging() throws {
            let bed = try PolicyTestBed(policyYAML: policy)
            try bed.expectDenied(
                images: ["gcr.io/my-proj/app:1.0"], cluster: "us-central1-a.prod-cluster",
                message: "Image gcr.io/my-proj/app:1.0 denied by Binary Authorization cluster admission rule for us-central1-a.prod-cluster. Image gcr.io/my-proj/app:1.0 denied by attestor projects/my-proj/attestors/built-by-ci: Expected digest with sha256 scheme, but got tag or malformed digest Image gcr.io/my-proj/app:1.0 denied by attestor projects/my-proj/attestors/qa-approved: Expected digest with sha256 scheme, but got tag or malformed digest")
            try bed.expectAdmitted(images: ["gcr.io/my-proj/app:1.0"], cluster: "us-central1.staging-cluster")
        }

        @Test func systemPodsAreAllowlisted() throws {
            let bed = try PolicyTestBed(policyYAML: policy)
            try bed.expectAdmitted(images: ["gcr.io/google_containers/pause:3.2"], cluster: "us-central1-a.prod-cluster")
        }
    }
}
