// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

/// Input handling at the edges: standard input, empty and mixed files, Istio identities, odd URLs, secrets on disk.
extension CommandLineTests {
    @Suite("Input handling")
    struct InputHandlingCLITests {
        static let digest = "sha256:" + String(repeating: "a", count: 64)
        static var policy: String { Fixtures.url("docs/sandbox/policy.yaml").path }

        @Test("Standard input can be read only once; a second `-` is a usage error, not an empty file")
        func stdinOnce() throws {
            let yaml = Array(try Fixtures.text("docs/sandbox/policy.yaml").utf8)
            let result = try Subprocess.binauthz(
                [
                    "policy", "evaluate", "--policy-file", "-", "--attestation-file", "-", "--image",
                    "gcr.io/p/a@" + Self.digest,
                ],
                stdin: yaml)
            #expect(result.status == 64, "\(result)")
            #expect(result.stderrText.contains("Standard input (-) can be read only once"))
            let review = try Subprocess.binauthz(["review", "--policy-file", Self.policy, "--attestation-file", "-"])
            #expect(review.status == 64, "\(review)")
        }

        @Test("An empty attestation file is an error, not silently no evidence")
        func emptyAttestationFile() throws {
            let dir = try TemporaryDirectory()
            let empty = try dir.write("attestations.yaml", "\n")
            let result = try Subprocess.binauthz(
                ["policy", "evaluate", "--policy-file", Self.policy, "--attestation-file", empty, "--image", "busybox"])
            #expect(result.status == 1)
            #expect(result.stderrText == "binauthz: \(empty): the attestation file is empty\n")
        }

        @Test("YAML in flow style on standard input is read as YAML")
        func flowStyleYAML() throws {
            let flow =
                "{defaultAdmissionRule: {evaluationMode: ALWAYS_ALLOW, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}}"
            let result = try Subprocess.binauthz(["policy", "validate", "--policy-file", "-"], stdin: Array(flow.utf8))
            #expect(result.status == 0, "\(result)")
        }

        @Test("Manifests: objects that run no containers are skipped and listed; a file of only those is an error")
        func skippedObjects() throws {
            let dir = try TemporaryDirectory()
            let mixed = try dir.write(
                "app.yaml",
                """
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec: {ports: [{port: 80}]}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  template:
                    spec:
                      containers: [{name: web, image: busybox}]
                """)
            var result = try Subprocess.binauthz([
                "policy", "evaluate", "--policy-file", Self.policy, "--resource", mixed,
            ])
            #expect(result.status == 0, "\(result)")
            #expect(result.stdoutText.contains("Deployment/web"))
            #expect(result.stdoutText.contains("Service/web (\(mixed), document 1): skipped, runs no containers"))
            result = try Subprocess.binauthz(
                ["policy", "evaluate", "--policy-file", Self.policy, "--resource", mixed, "--format", "json"])
            let json = try JSONSerialization.jsonObject(with: Data(result.stdout)) as! [String: Any]
            let skipped = json["skipped"] as! [[String: Any]]
            #expect(skipped.first?["kind"] as? String == "Service")
            #expect(skipped.first?["name"] as? String == "web")
            let servicesOnly = try dir.write("svc.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: web}\n")
            result = try Subprocess.binauthz([
                "policy", "evaluate", "--policy-file", Self.policy, "--resource", servicesOnly,
            ])
            #expect(result.status == 1)
            #expect(result.stderrText.contains("no workload to decide"))
        }

        @Test("--istio-trust-domain gives each pod its SPIFFE identity, so Istio rules apply")
        func istio() throws {
            let dir = try TemporaryDirectory()
            let policy = try dir.write(
                "policy.yaml",
                """
                defaultAdmissionRule: {evaluationMode: ALWAYS_ALLOW, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}
                istioServiceIdentityAdmissionRules:
                  spiffe://example.com/ns/payments/sa/api: {evaluationMode: ALWAYS_DENY, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}
                """)
            var result = try Subprocess.binauthz(
                [
                    "policy", "evaluate", "--policy-file", policy, "--image", "busybox", "--namespace", "payments",
                    "--service-account", "api", "--istio-trust-domain", "example.com", "--format", "json",
                ])
            #expect(result.status == 2, "\(result)")
            let json = try JSONSerialization.jsonObject(with: Data(result.stdout)) as! [String: Any]
            let images = json["images"] as! [[String: Any]]
            #expect(images.first?["rule"] as? String == "istio:spiffe://example.com/ns/payments/sa/api")
            result = try Subprocess.binauthz(
                [
                    "policy", "evaluate", "--policy-file", policy, "--image", "busybox", "--namespace", "payments",
                    "--service-account", "api",
                ])
            #expect(result.status == 0, "without a trust domain the pod has no identity: \(result)")
        }

        @Test("review: a request the handler cannot read is bad input (exit 1), its 400 response still printed")
        func reviewBadPod() throws {
            let dir = try TemporaryDirectory()
            for object in [
                #"{"kind": "List", "items": []}"#, #"{"kind": "Deployment", "metadata": {"name": "d"}, "spec": {}}"#,
            ] {
                let request = try dir.write(
                    "review.json",
                    """
                    {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
                     "request": {"uid": "1", "operation": "CREATE", "namespace": "default",
                                 "kind": {"group": "", "version": "v1", "kind": "Pod"}, "object": \(object)}}
                    """)
                let result = try Subprocess.binauthz(["review", "--policy-file", Self.policy, "--request", request])
                #expect(result.status == 1, "\(result)")
                #expect(result.stdoutText.contains("\"code\": 400"))
                #expect(result.stderrText.hasPrefix("binauthz: \(request): "))
                #expect(result.stderrText.split(separator: "\n").count == 1)
            }
        }

        @Test("Artifact URLs gcloud accepts but distribution/reference does not still create and validate")
        func oddArtifactURL() throws {
            let dir = try TemporaryDirectory()
            let url = "https://gcr.io:/p/app@" + Self.digest
            try Subprocess.binauthz([
                "pkix", "generate-key", "--algorithm", "ecdsa-p256-sha256",
                "--public-key-file", dir.file("p.pem"), "--private-key-file", dir.file("k.pem"),
            ])
            let attestor = try Subprocess.binauthz(
                [
                    "attestors", "create", "--attestor", "projects/p/attestors/a", "--note", "projects/p/notes/n",
                    "--pkix-public-key-file", dir.file("p.pem"), "--pkix-public-key-algorithm", "ecdsa-p256-sha256",
                ])
            try dir.write("attestor.json", attestor.stdout)
            var result = try Subprocess.binauthz(
                [
                    "attestations", "sign-and-create", "--artifact-url", url, "--note", "projects/p/notes/n",
                    "--pkix-private-key-file", dir.file("k.pem"), "--pkix-algorithm", "ecdsa-p256-sha256",
                    "--output", dir.file("occurrence.json"),
                ])
            #expect(result.status == 0, "\(result)")
            for extra in [[], ["--artifact-url", url]] {
                result = try Subprocess.binauthz(
                    [
                        "attestations", "validate", "--attestor-file", dir.file("attestor.json"),
                        "--attestation-file", dir.file("occurrence.json"),
                    ] + extra)
                #expect(result.status == 0, "\(extra) \(result)")
            }
        }

        @Test("Odd arguments: an empty --image is a usage error; an --at offset out of range is bad input")
        func oddArguments() throws {
            var result = try Subprocess.binauthz(["policy", "evaluate", "--policy-file", Self.policy, "--image", ""])
            #expect(result.status == 64)
            result = try Subprocess.binauthz(
                [
                    "policy", "evaluate", "--policy-file", Self.policy, "--image", "busybox", "--at",
                    "2019-06-01T00:00:00+99:99",
                ])
            #expect(result.status == 1)
            #expect(result.stderrText.contains("invalid UTC offset"))
            result = try Subprocess.binauthz(
                [
                    "pkix", "generate-key", "--algorithm", "ecdsa-p256-sha256", "--public-key-file", "-",
                    "--private-key-file", "k",
                ])
            #expect(result.status == 64)
        }

        @Test(
            "A private key is never written through a symbolic link at its path: refused, the link and its target kept")
        func symlinkedKeyPath() throws {
            let dir = try TemporaryDirectory()
            let victim = try dir.write("victim", "do not overwrite\n")
            for command in [
                ["pkix", "generate-key", "--algorithm", "ecdsa-p256-sha256"],
                ["pgp", "generate-key", "--user-id", "T <t@example.com>"],
            ] {
                let link = dir.file("key-\(command[0])")
                try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: victim)
                let result = try Subprocess.binauthz(
                    command + ["--public-key-file", dir.file("pub-\(command[0])"), "--private-key-file", link])
                #expect(result.status == 1, "\(result)")
                #expect(result.stderrText.contains("is a symbolic link"), "\(result)")
                #expect(try String(contentsOfFile: victim, encoding: .utf8) == "do not overwrite\n")
                let attributes = try FileManager.default.attributesOfItem(atPath: link)
                #expect(attributes[.type] as? FileAttributeType == .typeSymbolicLink)
            }
        }
    }
}
