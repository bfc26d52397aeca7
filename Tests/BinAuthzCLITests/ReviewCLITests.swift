// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

/// `binauthz review`, run as the built executable.
extension CommandLineTests {
    @Suite("binauthz review")
    struct ReviewCLITests {
        static let uid = "b2d5c9a4-0000-4000-8000-000000000001"

        static func review(operation: String = "CREATE", labels: String = "{}", images: [String]) -> String {
            let containers = images.map { "{\"name\": \"c\", \"image\": \"\($0)\"}" }.joined(separator: ", ")
            return """
                {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
                 "request": {"uid": "\(uid)", "kind": {"group": "", "version": "v1", "kind": "Pod"},
                             "resource": {"group": "", "version": "v1", "resource": "pods"},
                             "namespace": "default", "operation": "\(operation)",
                             "object": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p", "labels": \(labels)},
                                        "spec": {"containers": [\(containers)]}}}}
                """
        }

        static func response(_ result: CommandResult) throws -> [String: Any] {
            let root = try #require(
                try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any], "\(result)")
            #expect(root["apiVersion"] as? String == "admission.k8s.io/v1")
            #expect(root["kind"] as? String == "AdmissionReview")
            let response = try #require(root["response"] as? [String: Any])
            #expect(response["uid"] as? String == uid)
            return response
        }

        static let seedPolicy = Fixtures.url("policy/seed-article-binauth-attestor.yml").path

        @Test("--warn-pod-templates: a Deployment with a denied template is allowed (exit 0) with a warning")
        func podTemplateWarnings() throws {
            let tmp = try TemporaryDirectory()
            let request = try tmp.write(
                "deployment.json",
                """
                {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
                 "request": {"uid": "\(Self.uid)", "kind": {"group": "apps", "version": "v1", "kind": "Deployment"},
                             "resource": {"group": "apps", "version": "v1", "resource": "deployments"},
                             "namespace": "default", "operation": "CREATE",
                             "object": {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
                                        "spec": {"template": {"spec": {"containers": [{"name": "c", "image": "nginx:1.25"}]}}}}}}
                """)
            let arguments = [
                "review", "--policy-file", Self.seedPolicy, "--cluster", "us-central1-b.cd-cluster", "--request",
                request,
            ]
            let warned = try Subprocess.binauthz(arguments + ["--warn-pod-templates"])
            #expect(warned.status == 0, "\(warned)")
            let response = try Self.response(warned)
            #expect(response["allowed"] as? Bool == true)
            let warnings = try #require(response["warnings"] as? [String])
            #expect(warnings.count == 1)
            #expect(
                warnings.first?.hasPrefix(
                    "pods of Deployment/web would be denied: Image nginx:1.25 denied by Binary Authorization cluster admission rule for us-central1-b.cd-cluster."
                ) == true, "\(warnings)")
            let quiet = try Subprocess.binauthz(arguments)
            #expect(quiet.status == 0, "\(quiet)")
            #expect(try Self.response(quiet)["warnings"] == nil)
        }

        @Test("Allowed, from a file: exit 0")
        func allowed() throws {
            let tmp = try TemporaryDirectory()
            let request = try tmp.write("review.json", Self.review(images: ["k8s.gcr.io/pause:3.1", "nginx:1.25"]))
            let result = try Subprocess.binauthz([
                "review", "--policy-file", Self.seedPolicy, "--cluster", "us-central1-b.cd-cluster", "--request",
                request,
            ])
            // nginx:1.25 is a tag on the CD cluster: denied; pause is allowlisted.
            #expect(result.status == 2, "\(result)")
            let elsewhere = try Subprocess.binauthz(["review", "--policy-file", Self.seedPolicy, "--request", request])
            #expect(elsewhere.status == 0, "\(elsewhere)")
            #expect(
                elsewhere.stdoutText
                    == """
                    {
                      "apiVersion": "admission.k8s.io/v1",
                      "kind": "AdmissionReview",
                      "response": {
                        "allowed": true,
                        "uid": "\(Self.uid)"
                      }
                    }

                    """)
        }

        @Test("Denied, from standard input: exit 2, the response still printed")
        func denied() throws {
            let result = try Subprocess.binauthz(
                [
                    "review", "--policy-file", Self.seedPolicy, "--cluster", "us-central1-b.cd-cluster", "--at",
                    "2019-06-01T00:00:00Z",
                ],
                stdin: Array(Self.review(images: ["gcr.io/nmallyatestproject/containerdemo:v2"]).utf8))
            #expect(result.status == 2, "\(result)")
            #expect(result.stderr.isEmpty)
            let response = try Self.response(result)
            #expect(response["allowed"] as? Bool == false)
            let status = try #require(response["status"] as? [String: Any])
            #expect(status["code"] as? Int == 403)
            #expect(status["reason"] as? String == "VIOLATES_POLICY")
            #expect(status["status"] as? String == "Failure")
            #expect(
                status["message"] as? String
                    == "Image gcr.io/nmallyatestproject/containerdemo:v2 denied by Binary Authorization cluster admission rule "
                    + "for us-central1-b.cd-cluster. Image gcr.io/nmallyatestproject/containerdemo:v2 denied by attestor "
                    + "projects/nmallyatestproject/attestors/binauth-attestor: Expected digest with sha256 scheme, but got tag "
                    + "or malformed digest")
        }

        @Test("Break-glass: allowed with a warning and audit annotations")
        func breakGlass() throws {
            let result = try Subprocess.binauthz(
                ["review", "--policy-file", Fixtures.url("policy/default-always-deny.yaml").path],
                stdin: Array(
                    Self.review(labels: "{\"image-policy.k8s.io/break-glass\": \"true\"}", images: ["a.io/x/y:1"]).utf8)
            )
            #expect(result.status == 0, "\(result)")
            let response = try Self.response(result)
            #expect(response["allowed"] as? Bool == true)
            #expect((response["warnings"] as? [String])?.count == 1)
            let annotations = try #require(response["auditAnnotations"] as? [String: String])
            #expect(annotations["break-glass"] == "true")
            #expect(
                annotations["overridden-verification-result"]
                    == "'a.io/x/y:1' : Image a.io/x/y:1 denied by Binary Authorization default admission rule. Denied by "
                    + "always_deny admission rule\n")
        }

        @Test("Dry run: allowed with a warning")
        func dryRun() throws {
            let result = try Subprocess.binauthz(
                ["review", "--policy-file", Fixtures.url("policy/dry-run.yaml").path],
                stdin: Array(Self.review(images: ["a.io/x/y:1"]).utf8))
            #expect(result.status == 0, "\(result)")
            let response = try Self.response(result)
            #expect((response["auditAnnotations"] as? [String: String])?["dry-run"] == "true")
            #expect((response["warnings"] as? [String])?.first?.hasPrefix("Binary Authorization dry run") == true)
        }

        @Test("DELETE is allowed untouched")
        func delete() throws {
            let result = try Subprocess.binauthz(
                ["review", "--policy-file", Fixtures.url("policy/default-always-deny.yaml").path],
                stdin: Array(Self.review(operation: "DELETE", images: ["a.io/x/y:1"]).utf8))
            #expect(result.status == 0, "\(result)")
            let response = try Self.response(result)
            #expect(response.keys.sorted() == ["allowed", "uid"])
        }

        @Test("Bad input: exit 1 with one line on stderr")
        func badInput() throws {
            let cases: [([String], String, String)] = [
                (["--policy-file", Self.seedPolicy], "not json", "<stdin>: line 1: invalid JSON"),
                (
                    ["--policy-file", Self.seedPolicy],
                    "{\"apiVersion\": \"admission.k8s.io/v1\", \"kind\": \"AdmissionReview\"}",
                    "<stdin>: request: required field is missing"
                ),
                (
                    ["--policy-file", Fixtures.url("policy/invalid-two-maps.yaml").path], Self.review(images: ["x"]),
                    "the policy is invalid"
                ),
                (
                    ["--policy-file", Self.seedPolicy, "--cluster", "nope"], Self.review(images: ["x"]),
                    "--cluster: cluster key \"nope\""
                ),
            ]
            for (arguments, stdin, message) in cases {
                let result = try Subprocess.binauthz(["review"] + arguments, stdin: Array(stdin.utf8))
                #expect(result.status == 1, "\(result)")
                #expect(result.stdout.isEmpty)
                #expect(result.stderrText.filter { $0 == "\n" }.count == 1)
                #expect(result.stderrText.contains(message), "\(result.stderrText)")
            }
        }
    }
}
