// SPDX-License-Identifier: Apache-2.0

import BinAuthzTesting
import BinAuthzTestSupport
import Foundation
import Testing

/// `BinAuthzTesting` as a user's test suite would use it.
extension BinAuthzIntegrationTests {
    @Suite("BinAuthzTesting: policy tests in a few lines")
    struct TestingProductTests {
        static let policy = """
            defaultAdmissionRule:
              evaluationMode: ALWAYS_ALLOW
              enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
            clusterAdmissionRules:
              us-central1-a.prod:
                evaluationMode: REQUIRE_ATTESTATION
                enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
                requireAttestationsBy:
                - projects/my-proj/attestors/built-by-ci
                - projects/my-proj/attestors/qa
            """
        static let image = "gcr.io/my-proj/app@sha256:" + String(repeating: "a", count: 64)

        @Test("Both attestors are needed on prod; other clusters use the default rule")
        func twoAttestors() throws {
            let ci = try TestAttestor("projects/my-proj/attestors/built-by-ci")
            let qa = try TestAttestor("projects/my-proj/attestors/qa")
            var bed = try PolicyTestBed(policyYAML: Self.policy, attestors: [ci, qa])
            try bed.expectDenied(images: [Self.image], cluster: "us-central1-a.prod")
            try bed.attest(Self.image, by: ci)
            let partial = try bed.expectDenied(images: [Self.image], cluster: "us-central1-a.prod")
            #expect(
                partial.message
                    == "Image \(Self.image) denied by Binary Authorization cluster admission rule for us-central1-a.prod. Image \(Self.image) denied by attestor projects/my-proj/attestors/qa: No attestations found that were valid and signed by a key trusted by the attestor"
            )
            try bed.attest(Self.image, by: qa)
            try bed.expectAdmitted(images: [Self.image], cluster: "us-central1-a.prod")
            try bed.expectAdmitted(images: ["gcr.io/my-proj/app:latest"], cluster: "us-central1-a.staging")
        }

        @Test("A failed expectation explains the decision image by image")
        func readableFailure() throws {
            let bed = try PolicyTestBed(policyYAML: Self.policy)
            do {
                try bed.expectAdmitted(images: ["gcr.io/my-proj/app:1.0"], cluster: "us-central1-a.prod")
                Issue.record("expected a failure")
            } catch let failure as PolicyTestFailure {
                #expect(
                    failure.description == """
                        expected the pod to be admitted
                        pod: cluster us-central1-a.prod, namespace default, service account default
                        decision: DENIED
                          denied  gcr.io/my-proj/app:1.0 [cluster:us-central1-a.prod] Expected digest with sha256 scheme, but got tag or malformed digest
                          message: Image gcr.io/my-proj/app:1.0 denied by Binary Authorization cluster admission rule for us-central1-a.prod. Image gcr.io/my-proj/app:1.0 denied by attestor projects/my-proj/attestors/built-by-ci: Expected digest with sha256 scheme, but got tag or malformed digest Image gcr.io/my-proj/app:1.0 denied by attestor projects/my-proj/attestors/qa: Expected digest with sha256 scheme, but got tag or malformed digest

                        """)
            }
            #expect(throws: PolicyTestFailure.self) { try PolicyTestBed(policyYAML: "name: projects/p/policy\n") }
        }

        @Test("Manifests: every workload of a multi-document file is decided")
        func manifest() throws {
            let ci = try TestAttestor("projects/my-proj/attestors/built-by-ci")
            let qa = try TestAttestor("projects/my-proj/attestors/qa")
            var bed = try PolicyTestBed(policyYAML: Self.policy, attestors: [ci, qa])
            try bed.attest(Self.image, by: ci)
            try bed.attest(Self.image, by: qa)
            let manifest = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  template:
                    spec:
                      containers: [{name: web, image: "\(Self.image)"}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: debug}
                spec:
                  containers: [{name: sh, image: busybox}]
                """
            let decisions = try bed.evaluate(manifest: manifest, cluster: "us-central1-a.prod")
            #expect(decisions.map(\.isAllowed) == [true, false])
        }

        @Test(
            "Keys of every PKIX family can back a test attestor",
            arguments: [SignatureAlgorithm.ecdsaP384SHA384, .rsaSignPKCS1_2048SHA256])
        func otherAlgorithms(_ algorithm: SignatureAlgorithm) throws {
            let attestor = try TestAttestor("projects/my-proj/attestors/built-by-ci", algorithm: algorithm)
            var bed = try PolicyTestBed(
                policy: Policy(
                    defaultAdmissionRule: .requireAttestation(by: ["projects/my-proj/attestors/built-by-ci"])))
            try bed.attest(Self.image, by: attestor)
            try bed.expectAdmitted(images: [Self.image])
        }
    }
}
