// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

/// `binauthz policy evaluate`, run as the built executable.
extension CommandLineTests {
    @Suite("binauthz policy evaluate")
    struct EvaluateCLITests {
        static let seedPolicy = Fixtures.url("policy/seed-article-binauth-attestor.yml").path
        static let verbatimSeedPolicy = Fixtures.corpus("seed-article/set-a/sec-policy.yml").path
        static func policy(_ name: String) -> String { Fixtures.url("policy/\(name)").path }
        static func manifest(_ name: String) -> String { Fixtures.url("manifests/\(name)").path }
        static let kritisPods = [
            Fixtures.corpus("kritis/integration/testdata/nginx/nginx-digest-allowlist.yaml").path,
            Fixtures.corpus("kritis/integration/testdata/nginx/nginx-no-digest-breakglass.yaml").path,
        ]

        /// The JSON output, decoded.
        static func json(_ result: CommandResult) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any], "\(result)")
        }

        /// Bad input: exit 1, nothing on stdout, exactly one line on stderr.
        static func expectBadInput(_ result: CommandResult, containing text: String) {
            #expect(result.status == 1, "\(result)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderrText.hasPrefix("binauthz: "))
            #expect(result.stderrText.filter { $0 == "\n" }.count == 1, "\(result.stderrText)")
            if !text.isEmpty { #expect(result.stderrText.contains(text), "\(result.stderrText)") }
        }

        // MARK: Images

        @Test("Text output: a tag denied on the CD cluster, an allowlisted image admitted; exit 2")
        func textDenied() throws {
            let result = try Subprocess.binauthz([
                "policy", "evaluate", "--policy-file", Self.seedPolicy, "--image",
                "gcr.io/nmallyatestproject/containerdemo:v1",
                "--image", "k8s.gcr.io/pause:3.1", "--cluster", "us-central1-b.cd-cluster",
            ])
            #expect(result.status == 2, "\(result)")
            #expect(result.stderr.isEmpty)
            #expect(
                result.stdoutText
                    == """
                    Pod (--image): namespace default, service account default, cluster us-central1-b.cd-cluster: DENIED
                      denied  gcr.io/nmallyatestproject/containerdemo:v1 [cluster:us-central1-b.cd-cluster] Expected digest with sha256 scheme, but got tag or malformed digest
                      allowed k8s.gcr.io/pause:3.1 [allowlist:k8s.gcr.io/*] matches admissionWhitelistPatterns[2] k8s.gcr.io/*
                      message: Image gcr.io/nmallyatestproject/containerdemo:v1 denied by Binary Authorization cluster admission rule for us-central1-b.cd-cluster. Image gcr.io/nmallyatestproject/containerdemo:v1 denied by attestor projects/nmallyatestproject/attestors/binauth-attestor: Expected digest with sha256 scheme, but got tag or malformed digest

                    """)
        }

        @Test("JSON output carries the contract's keys")
        func jsonDenied() throws {
            let result = try Subprocess.binauthz([
                "policy", "evaluate", "--policy-file", Self.verbatimSeedPolicy, "--image",
                "gcr.io/nmallyatestproject/containerdemo:v1", "--image", "gcr.io/google_containers/pause:3.1",
                "--cluster",
                "us-central1-b.cd-cluster", "--format", "json",
            ])
            #expect(result.status == 2, "\(result)")
            let output = try Self.json(result)
            #expect(output["allowed"] as? Bool == false)
            #expect(output["breakglass"] as? Bool == false)
            #expect(output["dryRun"] as? Bool == false)
            #expect(
                output["message"] as? String
                    == "Image gcr.io/nmallyatestproject/containerdemo:v1 denied by Binary Authorization cluster admission rule "
                    + "for us-central1-b.cd-cluster. Image gcr.io/nmallyatestproject/containerdemo:v1 denied by attestor "
                    + "projects/nmallyatestproject/attestors/manually-verified: Expected digest with sha256 scheme, but got "
                    + "tag or malformed digest")
            let images = try #require(output["images"] as? [[String: Any]])
            #expect(
                images.map { $0["image"] as? String } == [
                    "gcr.io/nmallyatestproject/containerdemo:v1", "gcr.io/google_containers/pause:3.1",
                ])
            #expect(images.map { $0["allowed"] as? Bool } == [false, true])
            #expect(
                images.map { $0["rule"] as? String } == [
                    "cluster:us-central1-b.cd-cluster", "allowlist:gcr.io/google_containers/*",
                ])
            #expect(
                images.map { $0["reason"] as? String } == [
                    "Expected digest with sha256 scheme, but got tag or malformed digest",
                    "matches admissionWhitelistPatterns[0] gcr.io/google_containers/*",
                ])
        }

        @Test(
            "Another cluster admits by the default rule; exit 0",
            arguments: ["us-central1-a.cd-cluster", nil] as [String?])
        func otherCluster(_ cluster: String?) throws {
            var arguments = [
                "policy", "evaluate", "--policy-file", Self.seedPolicy, "--image",
                "gcr.io/nmallyatestproject/containerdemo:v1", "--format", "json",
            ]
            if let cluster { arguments += ["--cluster", cluster] }
            let result = try Subprocess.binauthz(arguments)
            #expect(result.status == 0, "\(result)")
            let output = try Self.json(result)
            #expect(output["allowed"] as? Bool == true)
            #expect(output["message"] as? String == "")
            #expect((output["images"] as? [[String: Any]])?.first?["rule"] as? String == "default")
        }

        @Test("An ALWAYS_DENY cluster rule, in GKE's words")
        func alwaysDeny() throws {
            let result = try Subprocess.binauthz([
                "policy", "evaluate", "--policy-file", Self.policy("cluster-always-deny.yaml"), "--image",
                "gcr.io/my-proj/nginx:latest", "--cluster", "us-central1-a.my-cluster-1", "--format", "json",
            ])
            #expect(result.status == 2)
            #expect(
                try Self.json(result)["message"] as? String
                    == "Image gcr.io/my-proj/nginx:latest denied by Binary Authorization cluster admission rule for "
                    + "us-central1-a.my-cluster-1. Denied by always_deny admission rule")
        }

        // MARK: Resources

        @Test("The kritis nginx pods: malformed images are denied on the CD cluster, admitted elsewhere")
        func kritisPods() throws {
            let denied = try Subprocess.binauthz(
                [
                    "policy", "evaluate", "--policy-file", Self.seedPolicy, "--cluster", "us-central1-b.cd-cluster",
                    "--format", "json",
                ]
                    + Self.kritisPods.flatMap { ["--resource", $0] })
            #expect(denied.status == 2, "\(denied)")
            let output = try Self.json(denied)
            let workloads = try #require(output["workloads"] as? [[String: Any]])
            #expect(
                workloads.map { $0["name"] as? String } == ["nginx-digest-allowlist", "nginx-no-digest-breakglass"])
            #expect(workloads.map { $0["allowed"] as? Bool } == [false, false])
            // kritis' own break-glass annotation is not Binary Authorization's.
            #expect(workloads.map { $0["breakglass"] as? Bool } == [false, false])
            #expect(
                (output["images"] as? [[String: Any]])?.map { $0["workload"] as? String } == [
                    "Pod/nginx-digest-allowlist", "Pod/nginx-no-digest-breakglass",
                ])

            let admitted = try Subprocess.binauthz(
                ["policy", "evaluate", "--policy-file", Self.seedPolicy, "--cluster", "us-east1-b.other"]
                    + Self.kritisPods.flatMap { ["--resource", $0] })
            #expect(admitted.status == 0, "\(admitted)")
            #expect(admitted.stdoutText.components(separatedBy: ": ADMITTED\n").count == 3)
        }

        @Test("Several files and documents: each workload reported, exit 2 when any is denied")
        func severalWorkloads() throws {
            let result = try Subprocess.binauthz([
                "policy", "evaluate", "--policy-file", Self.policy("namespace-rules.yaml"), "--resource",
                Self.manifest("multi-document.yaml"), "--resource", Self.manifest("list.yaml"), "--resource",
                Self.manifest("statefulset.yaml"), "--format", "json",
            ])
            #expect(result.status == 0, "\(result)")
            let workloads = try #require(try Self.json(result)["workloads"] as? [[String: Any]])
            #expect(
                workloads.map { "\($0["kind"] ?? "")/\($0["name"] ?? "")" } == [
                    "Deployment/frontend", "Job/migrate", "CronJob/cleanup", "Pod/a", "Deployment/b", "StatefulSet/db",
                ])
            #expect(workloads.map { $0["document"] as? Int } == [1, 2, 3, 1, 1, 1])
            #expect(workloads.map { $0["path"] as? String } == [nil, nil, nil, "items[0]", "items[1].items[0]", nil])
            #expect(
                workloads.map { $0["namespace"] as? String } == [
                    "default", "default", "default", "default", "default", "data",
                ])

            // --namespace overrides the manifests: now the prod namespace rule denies them all.
            let prod = try Subprocess.binauthz([
                "policy", "evaluate", "--policy-file", Self.policy("namespace-rules.yaml"), "--resource",
                Self.manifest("multi-document.yaml"), "--resource", Self.manifest("statefulset.yaml"), "--namespace",
                "prod",
            ])
            #expect(prod.status == 2)
            #expect(prod.stdoutText.components(separatedBy: ": DENIED\n").count == 5)
            #expect(prod.stdoutText.contains("[namespace:prod]"))
        }

        @Test("Mixed: one denied workload among admitted ones gives exit 2")
        func mixed() throws {
            let result = try Subprocess.binauthz([
                "policy", "evaluate", "--policy-file", Self.policy("namespace-rules.yaml"), "--resource",
                Self.manifest("job.yaml"), "--image", "a.io/x/y:1", "--namespace", "prod", "--format", "json",
            ])
            #expect(result.status == 2)
            let output = try Self.json(result)
            #expect((output["workloads"] as? [[String: Any]])?.map { $0["kind"] as? String } == ["Pod", "Job"])
            #expect(output["allowed"] as? Bool == false)
        }

        @Test("Break-glass on the pod template admits and reports the audit labels")
        func breakGlass() throws {
            let result = try Subprocess.binauthz([
                "policy", "evaluate", "--policy-file", Self.policy("default-always-deny.yaml"), "--resource",
                Self.manifest("deployment.yaml"), "--format", "json",
            ])
            #expect(result.status == 0, "\(result)")
            let output = try Self.json(result)
            #expect(output["breakglass"] as? Bool == true)
            #expect(output["message"] as? String == "")
            let images = try #require(output["images"] as? [[String: Any]])
            #expect(images.map { $0["rule"] as? String } == ["breakglass", "breakglass"])
            #expect(images.map { $0["policyAllowed"] as? Bool } == [false, false])
            let workload = try #require((output["workloads"] as? [[String: Any]])?.first)
            let labels = try #require(workload["auditLabels"] as? [String: String])
            #expect(labels["imagepolicywebhook.image-policy.k8s.io/break-glass"] == "true")
            #expect(
                labels["imagepolicywebhook.image-policy.k8s.io/overridden-verification-result"]
                    == "'gcr.io/my-proj/web:2.1' : Image gcr.io/my-proj/web:2.1 denied by Binary Authorization default "
                    + "admission rule. Denied by always_deny admission rule\n'gcr.io/my-proj/migrate:2.1' : Image "
                    + "gcr.io/my-proj/migrate:2.1 denied by Binary Authorization default admission rule. Denied by "
                    + "always_deny admission rule\n")
        }

        @Test("Dry run admits and says so")
        func dryRun() throws {
            let result = try Subprocess.binauthz([
                "policy", "evaluate", "--policy-file", Self.policy("dry-run.yaml"), "--image", "a.io/x/y:1",
            ])
            #expect(result.status == 0)
            #expect(
                result.stdoutText
                    == """
                    Pod (--image): namespace default, service account default, cluster (none): ADMITTED
                      allowed a.io/x/y:1 [default] DRYRUN_AUDIT_LOG_ONLY: admitted; the rule would deny it: Denied by always_deny admission rule
                      dry run: admitted; the rule would have denied it
                      overridden: 'a.io/x/y:1' : Image a.io/x/y:1 denied by Binary Authorization default admission rule. Denied by always_deny admission rule

                    """)
            let json = try Subprocess.binauthz([
                "policy", "evaluate", "--policy-file", Self.policy("dry-run.yaml"), "--image", "a.io/x/y:1", "--format",
                "json",
            ])
            #expect(try Self.json(json)["dryRun"] as? Bool == true)
        }

        @Test("System images under globalPolicyEvaluationMode: ENABLE")
        func system() throws {
            let result = try Subprocess.binauthz([
                "policy", "evaluate", "--policy-file", Self.policy("system-enabled.yaml"), "--resource",
                Self.manifest("daemonset.yaml"), "--format", "json",
            ])
            #expect(result.status == 2)
            let images = try #require(try Self.json(result)["images"] as? [[String: Any]])
            #expect(images.map { $0["rule"] as? String } == ["system", "default"])
        }

        @Test("A manifest on standard input, and --service-account")
        func standardInput() throws {
            let result = try Subprocess.binauthz(
                [
                    "policy", "evaluate", "--policy-file", Self.policy("cluster-always-deny.yaml"), "--resource", "-",
                    "--service-account", "robot", "--format", "json",
                ],
                stdin: Array(try Fixtures.text("manifests/replicaset.yaml").utf8))
            #expect(result.status == 0, "\(result)")
            let workload = try #require((try Self.json(result)["workloads"] as? [[String: Any]])?.first)
            #expect(workload["file"] as? String == "-")
            #expect(workload["serviceAccount"] as? String == "robot")
        }

        @Test("--at takes RFC 3339", arguments: ["2019-06-01T00:00:00Z", "2019-06-01T02:00:00.5+02:00"])
        func at(_ time: String) throws {
            let result = try Subprocess.binauthz([
                "policy", "evaluate", "--policy-file", Self.seedPolicy, "--image", "nginx", "--at", time,
            ])
            #expect(result.status == 0, "\(result)")
        }

        // MARK: Bad input

        @Test("Bad input: exit 1 with one line on stderr")
        func badInput() throws {
            let tmp = try TemporaryDirectory()
            let notAPolicy = try tmp.write("policy.txt", Fixtures.text("policy/dry-run.yaml"))
            let service = try tmp.write("service.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: s}\n")
            let broken = try tmp.write("broken.yaml", "kind: Pod\nspec:\n  containers:\n  - name: x\n")
            let empty = try tmp.write("empty.yaml", "# nothing here\n")
            let cases: [([String], String)] = [
                (["--policy-file", tmp.file("missing.yaml"), "--image", "x"], "missing.yaml: no such file"),
                (["--policy-file", notAPolicy, "--image", "x"], "Policy file must be a .yaml or .json file."),
                (
                    ["--policy-file", Self.policy("invalid-two-maps.yaml"), "--image", "x"],
                    "invalid-two-maps.yaml: the policy is invalid (1 problem): kubernetesNamespaceAdmissionRules: only one of"
                ),
                (
                    ["--policy-file", Self.seedPolicy, "--resource", service],
                    "no workload to decide: the manifests hold only objects that run no containers (Service/s)"
                ),
                (
                    ["--policy-file", Self.seedPolicy, "--resource", broken],
                    "broken.yaml: document 1 (line 4): spec.containers[0].image: required field is missing"
                ),
                (["--policy-file", Self.seedPolicy, "--resource", empty], "empty.yaml: no Kubernetes object found"),
                (
                    ["--policy-file", Self.seedPolicy, "--image", "x", "--at", "2019-06-01"],
                    "--at: \"2019-06-01\" is not an RFC 3339"
                ),
                (
                    ["--policy-file", Self.seedPolicy, "--image", "x", "--cluster", "cd-cluster"],
                    "--cluster: cluster key \"cd-cluster\""
                ),
                // A policy is not an attestor (and, until the verifier lands, attestor files are refused outright).
                (["--policy-file", Self.seedPolicy, "--image", "x", "--attestor-file", Self.seedPolicy], ""),
            ]
            for (arguments, message) in cases {
                Self.expectBadInput(try Subprocess.binauthz(["policy", "evaluate"] + arguments), containing: message)
            }
        }

        @Test("Neither --image nor --resource is a usage error")
        func usage() throws {
            let result = try Subprocess.binauthz(["policy", "evaluate", "--policy-file", Self.seedPolicy])
            #expect(result.status == 64)
            #expect(result.stderrText.contains("Give at least one --image or --resource."))
        }

        @Test("--help documents the flags and the exit status")
        func help() throws {
            let result = try Subprocess.binauthz(["policy", "evaluate", "--help"])
            #expect(result.status == 0)
            for flag in [
                "--policy-file", "--attestor-file", "--attestation-file", "--image", "--resource", "--cluster",
                "--namespace",
                "--service-account", "--at", "--format",
            ] {
                #expect(result.stdoutText.contains(flag), "\(flag)")
            }
            #expect(result.stdoutText.contains("Exit status: 0 every workload admitted; 2 at least one denied"))
        }
    }
}
