// SPDX-License-Identifier: Apache-2.0

import BinAuthzTesting
import BinAuthzTestSupport
import Foundation
import Testing

/// Platform policies as a user's test suite would test them with `BinAuthzTesting`, over real ECDSA signatures made
/// over DSSE's PAE and the real evaluator — and the evidence readers those tests and the CLI share.
extension BinAuthzIntegrationTests {
    @Suite("BinAuthzTesting: platform-policy tests; simple-signing and freshness evidence")
    struct PlatformTestingTests {
        static let digest = String(repeating: "a", count: 64)
        static let image = "us-docker.pkg.dev/my-proj/apps/web@sha256:" + digest

        /// A policy whose prod check set needs a signature by `ci` (limited to `projects`) and an image at most
        /// `days` old; other pods only need a trusted directory.
        static func policy(ci: TestAttestor, projects: [String] = [], days: Int = 30) -> String {
            let key = ci.authenticator.pkixPublicKeySet!.pkixPublicKeys[0]
            let pem = key.publicKeyPEM!.split(separator: "\n").map { "                  \($0)" }.joined(separator: "\n")
            let projectLines =
                projects.isEmpty
                ? ""
                : "\n        containerAnalysisAttestationProjects:\n"
                    + projects.map { "        - \($0)" }.joined(separator: "\n")
            return """
                name: projects/my-proj/platforms/gke/policies/prod
                gkePolicy:
                  checkSets:
                  - displayName: prod
                    scope:
                      kubernetesNamespace: prod
                    checks:
                    - displayName: signed by CI
                      simpleSigningAttestationCheck:
                        attestationAuthenticators:
                        - displayName: ci
                          pkixPublicKeySet:
                            pkixPublicKeys:
                            - keyId: \(key.keyID!)
                              signatureAlgorithm: ECDSA_P256_SHA256
                              publicKeyPem: |
                \(pem)\(projectLines)
                    - displayName: fresh
                      imageFreshnessCheck:
                        maxUploadAgeDays: \(days)
                  - displayName: everything else
                    checks:
                    - trustedDirectoryCheck:
                        trustedDirPatterns:
                        - us-docker.pkg.dev/my-proj/*
                """
        }

        @Test("A DSSE attestation by the authenticator's key and a fresh upload make the prod pod conformant")
        func signedAndFresh() throws {
            let ci = try TestAttestor("projects/my-proj/attestors/ci")
            var bed = try PlatformPolicyTestBed(policyYAML: Self.policy(ci: ci))
            let missing = try bed.expectNonConformant(
                images: [Self.image], namespace: "prod",
                explanationContaining: "No attestation was verified by a trusted authenticator")
            // No upload time recorded: the freshness check is ERROR, but non-conformance takes precedence.
            #expect(missing.results[0].imageResults[0].checkSetResult?.checkResults[1].verdict == .error)
            try bed.attest(Self.image, by: ci)
            try bed.expect(.error, images: [Self.image], namespace: "prod")
            bed.recordUpload(Self.image, at: bed.time.addingTimeInterval(-86_400))
            let response = try bed.expectConformant(images: [Self.image], namespace: "prod")
            #expect(response.results[0].imageResults[0].checkSetResult?.displayName == "prod")
            // Outside prod only the trusted directory counts, signed or not.
            try bed.expectConformant(images: ["us-docker.pkg.dev/my-proj/apps/other:1"], namespace: "dev")
            // gcloud's --image pod has no namespace: the catch-all applies.
            try bed.expectConformant(images: [Self.image])
        }

        @Test(
            "Signatures that do not count: over the plain payload, by another key, for another digest, outside the projects"
        )
        func signaturesThatDoNotCount() throws {
            let ci = try TestAttestor("projects/my-proj/attestors/ci")
            let other = try TestAttestor("projects/my-proj/attestors/other")
            let uploaded = PolicyTestBed.defaultTime.addingTimeInterval(-3600)

            // Signed over the payload itself (no PAE): the check accepts DSSE only.
            var bed = try PlatformPolicyTestBed(policyYAML: Self.policy(ci: ci))
            bed.recordUpload(Self.image, at: uploaded)
            bed.occurrences.append(try ci.attest(Self.image))
            try bed.expectNonConformant(images: [Self.image], namespace: "prod")

            // Another key.
            bed.occurrences = [try other.attestDSSE(Self.image)]
            try bed.expectNonConformant(images: [Self.image], namespace: "prod")

            // Another digest.
            bed.occurrences = [
                try ci.attestDSSE("us-docker.pkg.dev/my-proj/apps/web@sha256:" + String(repeating: "b", count: 64))
            ]
            try bed.expectNonConformant(images: [Self.image], namespace: "prod")

            // The occurrence is stored in my-proj (its note's project); the check only trusts other-proj.
            var restricted = try PlatformPolicyTestBed(
                policyYAML: Self.policy(ci: ci, projects: ["projects/other-proj"]))
            restricted.recordUpload(Self.image, at: uploaded)
            try restricted.attest(Self.image, by: ci)
            try restricted.expectNonConformant(images: [Self.image], namespace: "prod")
            var allowed = try PlatformPolicyTestBed(
                policyYAML: Self.policy(ci: ci, projects: ["projects/other-proj", "projects/my-proj"]))
            allowed.recordUpload(Self.image, at: uploaded)
            try allowed.attest(Self.image, by: ci)
            try allowed.expectConformant(images: [Self.image], namespace: "prod")
        }

        @Test("Freshness boundary: exactly maxUploadAgeDays × 24 h conforms; one second more does not")
        func freshnessBoundary() throws {
            let ci = try TestAttestor("projects/my-proj/attestors/ci")
            var bed = try PlatformPolicyTestBed(policyYAML: Self.policy(ci: ci, days: 3))
            try bed.attest(Self.image, by: ci)
            bed.uploads = [ImageUpload(image: Self.image, uploadTime: bed.time.addingTimeInterval(-3 * 86_400))]
            try bed.expectConformant(images: [Self.image], namespace: "prod")
            bed.uploads = [ImageUpload(image: Self.image, uploadTime: bed.time.addingTimeInterval(-3 * 86_400 - 1))]
            try bed.expectNonConformant(images: [Self.image], namespace: "prod", explanationContaining: "3 days")
            // Found by digest, whatever the repository the record names.
            bed.uploads = [
                ImageUpload(image: "us-docker.pkg.dev/my-proj/mirror/web@sha256:" + Self.digest, uploadTime: bed.time)
            ]
            try bed.expectConformant(images: [Self.image], namespace: "prod")
        }

        @Test(
            "Upload times: this repository's record first; the same digest elsewhere counts only as the oldest (regression)"
        )
        func uploadLookup() throws {
            let ci = try TestAttestor("projects/my-proj/attestors/ci")
            var bed = try PlatformPolicyTestBed(policyYAML: Self.policy(ci: ci, days: 30))
            try bed.attest(Self.image, by: ci)
            let mirror = "us-docker.pkg.dev/my-proj/mirror/web@sha256:" + Self.digest
            // The image itself is old; a fresh push of the same digest to another repository must not make it fresh.
            bed.uploads = [
                ImageUpload(image: Self.image, uploadTime: bed.time.addingTimeInterval(-400 * 86_400)),
                ImageUpload(image: mirror, uploadTime: bed.time),
            ]
            try bed.expectNonConformant(images: [Self.image], namespace: "prod")
            bed.uploads.reverse()
            try bed.expectNonConformant(images: [Self.image], namespace: "prod")
            // With a tag before the digest, the repository's record still applies.
            try bed.attest("us-docker.pkg.dev/my-proj/apps/web:1@sha256:" + Self.digest, by: ci)
            try bed.expectNonConformant(
                images: ["us-docker.pkg.dev/my-proj/apps/web:1@sha256:" + Self.digest], namespace: "prod")
            // Only other repositories know the digest: the oldest of their records counts.
            bed.uploads = [
                ImageUpload(image: mirror, uploadTime: bed.time),
                ImageUpload(
                    image: "us-docker.pkg.dev/my-proj/old/web@sha256:" + Self.digest,
                    uploadTime: bed.time.addingTimeInterval(-400 * 86_400)),
            ]
            try bed.expectNonConformant(images: [Self.image], namespace: "prod")
        }

        @Test("A failed expectation explains every check of every image")
        func readableFailure() throws {
            let ci = try TestAttestor("projects/my-proj/attestors/ci")
            let bed = try PlatformPolicyTestBed(policyYAML: Self.policy(ci: ci))
            let failure = try #require(
                throws: PolicyTestFailure.self,
                performing: { try bed.expectConformant(images: [Self.image], namespace: "prod") })
            let text = failure.description
            #expect(text.hasPrefix("expected the pod to be CONFORMANT, but it is NON_CONFORMANT"), "\(text)")
            #expect(text.contains("pod test-pod (namespace prod, service account default): NON_CONFORMANT"), "\(text)")
            #expect(text.contains("check set 0 \"prod\""), "\(text)")
            #expect(text.contains("[0] SimpleSigningAttestationCheck \"signed by CI\": NON_CONFORMANT"), "\(text)")
            #expect(text.contains("[1] ImageFreshnessCheck \"fresh\": ERROR — no upload time is known"), "\(text)")
            // An invalid policy is refused with its problems.
            let invalid = try #require(
                throws: PolicyTestFailure.self,
                performing: {
                    try PlatformPolicyTestBed(
                        policyYAML: "gkePolicy:\n  checkSets:\n  - scope:\n      kubernetesNamespace: prod\n")
                })
            #expect(invalid.description.contains("the platform policy is invalid"), "\(invalid)")
        }

        @Test("audit(manifest:) logs the violating pod of a kubectl dump, with its container types")
        func auditOfDump() throws {
            let ci = try TestAttestor("projects/my-proj/attestors/ci")
            var bed = try PlatformPolicyTestBed(policyYAML: Self.policy(ci: ci))
            try bed.attest(Self.image, by: ci)
            bed.recordUpload(Self.image, at: bed.time)
            let dump = KubernetesDump.json([
                .init(name: "web-1", namespace: "prod", containers: [Self.image]),
                .init(
                    name: "web-2", namespace: "prod", containers: [Self.image], initContainers: ["docker.io/busybox"]),
                .init(name: "tool", namespace: "dev", containers: ["us-docker.pkg.dev/my-proj/apps/tool:1"]),
            ])
            let audit = try bed.audit(manifest: dump)
            #expect(audit.violations == 1)
            let entry = try JSONSerialization.jsonObject(with: Data(audit.entries[0].utf8)) as! [String: Any]
            let event = (entry["jsonPayload"] as! [String: Any])["podEvent"] as! [String: Any]
            #expect(event["pod"] as? String == "web-2")
            let images = event["images"] as! [[String: Any]]
            #expect(images.map { $0["containerType"] as? String } == ["CONTAINER", "INIT_CONTAINER"])
            #expect(images.map { $0["result"] as? String } == ["ALLOW", "DENY"])
        }

        @Test("ImageUpload.readAll reads DockerImage, dockerImages.list pages and gcloud's list output")
        func uploadReaders() throws {
            let digest = "sha256:" + Self.digest
            let dockerImage = """
                {"name": "projects/my-proj/locations/us/repositories/apps/dockerImages/web@\(digest)",
                 "uri": "us-docker.pkg.dev/my-proj/apps/web@\(digest)", "tags": ["v1"], "imageSizeBytes": "2837",
                 "uploadTime": "2026-11-20T10:11:12.123456789Z", "mediaType": "application/vnd.oci.image.manifest.v1+json",
                 "buildTime": "2026-11-20T10:00:00Z", "updateTime": "2026-11-20T10:11:12.123456Z"}
                """
            var uploads = try ImageUpload.readAll(text: dockerImage)
            #expect(uploads.map(\.image) == ["us-docker.pkg.dev/my-proj/apps/web@\(digest)"])
            #expect(
                abs(
                    uploads[0].uploadTime.timeIntervalSince1970
                        - (RFC3339.parse("2026-11-20T10:11:12Z")!.timeIntervalSince1970 + 0.123456789))
                    < 1e-5)
            uploads = try ImageUpload.readAll(
                text: "{\"dockerImages\": [\(dockerImage), \(dockerImage)], \"nextPageToken\": \"x\"}")
            #expect(uploads.count == 2)
            let gcloudList = """
                - createTime: '2026-11-01T00:00:00.5Z'
                  metadata: {buildTime: '2026-11-01T00:00:00Z', imageSizeBytes: '2837', mediaType: application/vnd.docker.distribution.manifest.v2+json}
                  package: us-docker.pkg.dev/my-proj/apps/web
                  tags: ''
                  updateTime: '2026-11-02T00:00:00Z'
                  version: \(digest)
                """
            uploads = try ImageUpload.readAll(text: gcloudList, format: .yaml)
            #expect(
                uploads == [
                    ImageUpload(
                        image: "us-docker.pkg.dev/my-proj/apps/web@\(digest)",
                        uploadTime: RFC3339.parse("2026-11-01T00:00:00.5Z")!)
                ])

            func failure(_ text: String) throws -> ModelError {
                try #require(throws: ModelError.self, performing: { try ImageUpload.readAll(text: text) })
            }
            #expect(try failure(#"[{"uri": "a@sha256:b"}]"#).path == "[0].uploadTime")
            #expect(try failure(#"{"uri": "a", "uploadTime": "2026-13-01T00:00:00Z"}"#).code == .invalidValue)
            #expect(try failure(#"{"package": "a"}"#).path == "version")
            let describe = try failure(#"{"image_summary": {"digest": "sha256:aa", "fully_qualified_digest": "x"}}"#)
            #expect(describe.message.contains("prints no upload time"))
            #expect(try failure(#"{"dockerImages": 3}"#).code == .typeMismatch)
            #expect(try failure("{\"kind\": \"Pod\"}").message.contains("not Artifact Registry image metadata"))
        }

        @Test(
            "RFC 3339 date-times: the grammar and each field's range",
            arguments: [
                ("2019-06-01T00:00:00Z", 1_559_347_200.0), ("2019-06-01t00:00:00z", 1_559_347_200),
                ("2019-06-01 00:00:00Z", 1_559_347_200), ("2019-06-01T02:00:00+02:00", 1_559_347_200),
                ("2019-05-31T19:30:00-04:30", 1_559_347_200), ("2019-06-01T00:00:00.25Z", 1_559_347_200.25),
                ("2024-02-29T00:00:00Z", 1_709_164_800), ("1970-01-01T00:00:00Z", 0),
                ("1969-12-31T23:59:59Z", -1), ("2016-12-31T23:59:60Z", 1_483_228_800),
                ("2019-06-01T00:00:00.99999999999999999999999Z", 1_559_347_200.999999999),
            ] as [(String, Double)])
        func rfc3339Valid(text: String, seconds: Double) throws {
            #expect(try #require(RFC3339.parse(text)).timeIntervalSince1970 == seconds)
        }

        @Test(
            "Not RFC 3339",
            arguments: [
                "2019-06-01", "2019-06-01T00:00:00", "2019-06-01T00:00Z", "2023-02-29T00:00:00Z",
                "2019-13-01T00:00:00Z",
                "2019-04-31T00:00:00Z", "2019-06-01T24:00:00Z", "2019-06-01T00:60:00Z", "2019-06-01T00:00:61Z",
                "2019-06-01T00:00:00+24:00", "2019-06-01T00:00:00+99:99", "2019-06-01T00:00:00+0200",
                "2019-06-01T00:00:00.Z", "2019-06-01T00:00:00ZZ", "+2019-06-01T00:00:00Z", "２０19-06-01T00:00:00Z",
                "2019-06-01X00:00:00Z",
            ])
        func rfc3339Invalid(text: String) {
            #expect(RFC3339.parse(text) == nil)
        }
    }
}

extension BinAuthzIntegrationTests {
    @Suite("BinAuthzTesting: cosign signatures, SLSA provenance and vulnerability scans in a few lines")
    struct SupplyChainTestingTests {
        static let image = "us-docker.pkg.dev/my-proj/apps/web:1@sha256:" + String(repeating: "d", count: 64)

        static func policy(ci: TestAttestor) -> PlatformPolicy {
            PlatformPolicy(
                gkePolicy: GkePolicy(checkSets: [
                    CheckSet(checks: [
                        Check(
                            displayName: "cosign",
                            sigstoreSignatureCheck: SigstoreSignatureCheck(sigstoreAuthorities: [ci.sigstoreAuthority])),
                        Check(
                            displayName: "slsa",
                            slsaCheck: SlsaCheck(rules: [
                                VerificationRule(
                                    trustedBuilder: .googleCloudBuild, configBasedBuildRequired: true,
                                    trustedSourceRepoPatterns: ["github.com/my-org/*"])
                            ])),
                        Check(
                            displayName: "vulns",
                            vulnerabilityCheck: VulnerabilityCheck(
                                maximumFixableSeverity: .medium, maximumUnfixableSeverity: .high)),
                    ])
                ]))
        }

        @Test("Each kind of evidence turns its check from NON_CONFORMANT or ERROR to CONFORMANT")
        func everyCheck() throws {
            let ci = try TestAttestor("projects/my-proj/attestors/ci")
            let builder = try TestCloudBuilder()
            var bed = try PlatformPolicyTestBed(policy: Self.policy(ci: ci))
            try bed.expectNonConformant(images: [Self.image], explanationContaining: "No cosign signature")
            try bed.cosignSign(Self.image, by: ci)
            // Google's bundled keys are trusted by default: a test builder's provenance does not verify with them.
            bed.provenance.append(
                try builder.provenance(for: Self.image, repository: "git+https://github.com/my-org/web"))
            try bed.expectNonConformant(images: [Self.image], explanationContaining: "No SLSA provenance")
            bed.builderKeys = builder.keys
            // No scan yet: the vulnerability check is ERROR.
            try bed.expect(.error, images: [Self.image])
            bed.recordScan(Self.image)
            try bed.expectConformant(images: [Self.image])
            bed.recordVulnerability(Self.image, cve: "CVE-2026-1", severity: .high, fixable: true)
            try bed.expectNonConformant(images: [Self.image], explanationContaining: "CVE-2026-1 (HIGH, fixable")
        }

        @Test("Provenance from the wrong repository or without a configuration file does not satisfy the rule")
        func provenanceRules() throws {
            let ci = try TestAttestor("projects/my-proj/attestors/ci")
            let builder = try TestCloudBuilder()
            var bed = try PlatformPolicyTestBed(policy: Self.policy(ci: ci))
            bed.builderKeys = builder.keys
            try bed.cosignSign(Self.image, by: ci)
            bed.recordScan(Self.image)
            bed.provenance = [try builder.provenance(for: Self.image, repository: "git+https://github.com/other/web")]
            try bed.expectNonConformant(
                images: [Self.image], explanationContaining: "matches no trustedSourceRepoPatterns")
            bed.provenance = [
                try builder.provenance(for: Self.image, repository: "https://github.com/my-org/web", configPath: nil)
            ]
            try bed.expectNonConformant(images: [Self.image], explanationContaining: "configBasedBuildRequired")
            bed.provenance = [try builder.provenance(for: Self.image, repository: "https://github.com/my-org/web")]
            try bed.expectConformant(images: [Self.image])
            #expect(throws: PolicyTestFailure.self) {
                try builder.provenance(for: "us-docker.pkg.dev/my-proj/apps/web:1")
            }
            #expect(throws: PolicyTestFailure.self) { try ci.cosignSignature("us-docker.pkg.dev/my-proj/apps/web:1") }
        }
    }
}
