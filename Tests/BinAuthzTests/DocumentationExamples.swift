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

        @Test("Platform policies: evaluate a manifest, then audit a cluster dump")
        func platformPolicies() throws {
            // Set-up: a policy file, a manifest and a cluster dump (as `kubectl get pods -A -o json` prints one).
            let bytes = Array("""
                gkePolicy:
                  checkSets:
                  - displayName: all
                    checks:
                    - displayName: dirs
                      trustedDirectoryCheck: {trustedDirPatterns: [us-docker.pkg.dev/p/**]}
                    - imageFreshnessCheck: {maxUploadAgeDays: 30}
                """.utf8)
            let now = Date(timeIntervalSince1970: 1_800_000_000)
            let uploaded = now.addingTimeInterval(-86_400)
            let occurrences: [AttestationOccurrence] = []
            let manifestText = "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: prod}\nspec:\n  containers: [{name: web, image: 'us-docker.pkg.dev/p/r/app@sha256:…'}]\n"
            let kubectlGetPodsJSON = Data(#"{"kind": "List", "items": [{"kind": "Pod", "metadata": {"name": "bad", "namespace": "prod"}, "spec": {"containers": [{"name": "c", "image": "docker.io/library/nginx:1"}]}}]}"#.utf8)

            let file = try PlatformPolicy.gcloudCreate(contents: bytes, fileName: "policy.yaml")   // gcloud's parser and errors
            let problems = file.policy.validate()                                                // every rule, with field paths
            let evaluator = try PlatformPolicyEvaluator(
                policy: file.policy,
                checkEvaluators: [
                    ImageUploadTimes([ImageUpload(image: "us-docker.pkg.dev/p/r/app@sha256:…", uploadTime: uploaded)]),
                    SimpleSigningAttestations(occurrences: occurrences),
                ])
            let response = evaluator.evaluate(try KubernetesManifest.workloads(in: manifestText), at: now)
            print(response.gcloudYAML)          // what `gcloud beta container binauthz policy evaluate` prints
            print(response.jsonString)          // the v1 EvaluateGkePolicyResponse

            #expect(problems.isEmpty)
            #expect(response.verdict == .conformant, "\(response.gcloudYAML)")

            let pods = try KubernetesManifest.workloads(in: String(decoding: kubectlGetPodsJSON, as: UTF8.self))
            let cvResponse = evaluator.evaluate(pods, at: now)
            let audit = ContinuousValidationAudit(
                cvResponse, policyName: "projects/p/platforms/gke/policies/prod",
                cluster: .init(projectID: "p", location: "us-central1-a", clusterName: "prod"), at: now)
            audit.entries.forEach { print($0) }   // one Cloud Logging entry (JSON) per violating pod

            #expect(audit.violations == 1)
        }

        @Test("Docs/PlatformPolicies.md: In your own tests")
        func platformPolicyTestBed() throws {
            // Set-up: the test's own function that puts the authenticator's key into the policy.
            func platformPolicyText(trusting authenticator: AttestationAuthenticator) -> String {
                let key = authenticator.pkixPublicKeySet!.pkixPublicKeys[0]
                let pem = key.publicKeyPEM!.split(separator: "\n").map { "                  \($0)" }.joined(separator: "\n")
                return """
                    gkePolicy:
                      checkSets:
                      - scope: {kubernetesNamespace: prod}
                        checks:
                        - simpleSigningAttestationCheck:
                            attestationAuthenticators:
                            - pkixPublicKeySet:
                                pkixPublicKeys:
                                - keyId: \(key.keyID!)
                                  signatureAlgorithm: ECDSA_P256_SHA256
                                  publicKeyPem: |
                    \(pem)
                        - imageFreshnessCheck: {maxUploadAgeDays: 7}
                      - checks: []
                    """
            }

            let ci = try TestAttestor("projects/my-proj/attestors/built-by-ci")
            var bed = try PlatformPolicyTestBed(policyYAML: platformPolicyText(trusting: ci.authenticator))
            let image = "us-docker.pkg.dev/my-proj/apps/web@sha256:" + String(repeating: "a", count: 64)
            try bed.expectNonConformant(images: [image], namespace: "prod")
            try bed.attest(image, by: ci)
            bed.recordUpload(image, at: bed.time.addingTimeInterval(-86_400))
            try bed.expectConformant(images: [image], namespace: "prod")
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
