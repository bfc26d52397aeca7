// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

extension CommandLineTests {
    /// The notes `policy evaluate` and `review` print for inputs that are valid but probably not what was meant; the
    /// verdict and standard output never change.
    @Suite("binauthz policy evaluate / review: footgun notes")
    struct AdviceCLITests {
        static let policy = Fixtures.corpus("seed-article/set-a/sec-policy.yml").path
        static let image = "gcr.io/nmallyatestproject/containerdemo@sha256:" + String(repeating: "7", count: 64)

        /// Runs evaluate and returns the result with the notes it printed.
        static func evaluate(_ extra: [String]) throws -> (result: CommandResult, notes: [String]) {
            let result = try Subprocess.binauthz(
                ["policy", "evaluate", "--policy-file", policy, "--image", image] + extra)
            let notes = result.stderrText.split(separator: "\n").map(String.init).filter {
                $0.hasPrefix("binauthz: note: ")
            }
            return (result, notes)
        }

        @Test("A --cluster that is no cluster rule key: the default rule decides, and the note names the nearest keys")
        func clusterMismatch() throws {
            let (result, notes) = try Self.evaluate(["--cluster", "us-central1-b.cd-clustr"])
            #expect(result.status == 0, "\(result)")  // the default rule admits; the note does not change that
            #expect(notes.count == 1, "\(result)")
            #expect(
                notes.first?.contains("--cluster us-central1-b.cd-clustr matches no clusterAdmissionRules key") == true)
            #expect(notes.first?.contains("nearest keys: us-central1-b.cd-cluster") == true, "\(notes)")
            let (matched, none) = try Self.evaluate(["--cluster", "us-central1-b.cd-cluster"])
            #expect(matched.status == 2)  // the cluster rule requires an attestation nobody gave
            #expect(!none.contains { $0.contains("clusterAdmissionRules") }, "\(matched)")
            // The same verdict and output as without the note: compare with a policy without cluster rules.
            let plain = try Subprocess.binauthz(
                [
                    "policy", "evaluate", "--policy-file", Self.policy, "--image", Self.image, "--cluster",
                    "us-central1-b.cd-clustr",
                    "--format", "json",
                ])
            #expect(plain.status == 0)
            #expect(plain.stdoutText.contains(#""rule": "default""#), "\(plain)")
        }

        @Test("Cluster rules without --cluster: a note says none applies")
        func noCluster() throws {
            let (result, notes) = try Self.evaluate([])
            #expect(result.status == 0)
            #expect(
                notes == [
                    "binauthz: note: the policy has clusterAdmissionRules (us-central1-b.cd-cluster) but no --cluster was given, "
                        + "so none of them applies and the default rule decides; pass --cluster LOCATION.CLUSTER to test a cluster"
                ], "\(result)")
        }

        @Test("An attestor file no REQUIRE_ATTESTATION rule uses is named")
        func unusedAttestor() throws {
            let dir = try TemporaryDirectory()
            let used = try dir.write(
                "used.json",
                #"{"name": "projects/nmallyatestproject/attestors/manually-verified", "userOwnedGrafeasNote": {"noteReference": "projects/nmallyatestproject/notes/n"}}"#
            )
            let unused = try dir.write(
                "unused.json",
                #"{"name": "projects/nmallyatestproject/attestors/other", "userOwnedGrafeasNote": {"noteReference": "projects/nmallyatestproject/notes/n"}}"#
            )
            let (result, notes) = try Self.evaluate(
                ["--cluster", "us-central1-b.cd-cluster", "--attestor-file", used, "--attestor-file", unused])
            #expect(result.status == 2)
            #expect(notes.count == 1, "\(result)")
            #expect(
                notes.first?.contains(
                    "unused.json: attestor projects/nmallyatestproject/attestors/other is required by no "
                        + "REQUIRE_ATTESTATION rule") == true, "\(notes)")
        }

        @Test(
            "A malformed --namespace or --service-account is flagged, saying why",
            arguments: [
                (["--namespace", "Prod"], "--namespace \"Prod\" is not a Kubernetes namespace name"),
                (["--service-account", "prod:deployer"], "give the name alone; the namespace is --namespace"),
                (["--service-account", "ci@p.iam.gserviceaccount.com"], "is a Google service account e-mail"),
                (["--service-account", "Deployer"], "is not a Kubernetes service account name (DNS-1123 subdomain"),
            ])
        func malformedTarget(arguments: [String], expected: String) throws {
            let (result, notes) = try Self.evaluate(["--cluster", "us-central1-b.other"] + arguments)
            #expect(result.status == 0, "\(result)")
            #expect(notes.contains { $0.contains(expected) }, "\(notes)")
            #expect(notes.count == 2, "\(notes)")  // and the cluster note
        }

        @Test("review prints the same notes after its response; the response is unchanged")
        func review() throws {
            let dir = try TemporaryDirectory()
            let request = try dir.write(
                "review.json",
                #"{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {"uid": "u", "operation": "CREATE", "kind": {"group": "", "version": "v1", "kind": "Pod"}, "namespace": "default", "object": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "\#(Self.image)"}]}}}}"#
            )
            let result = try Subprocess.binauthz(
                [
                    "review", "--policy-file", Self.policy, "--request", request, "--cluster",
                    "us-central1-b.cd-clusterx",
                ])
            #expect(result.status == 0, "\(result)")
            #expect(result.stdoutText.contains(#""allowed": true"#), "\(result)")
            #expect(
                result.stderrText.contains("--cluster us-central1-b.cd-clusterx matches no clusterAdmissionRules key"))
        }

        @Test("--system-policy-file replaces the bundled system images, on evaluate and review")
        func systemPolicyFile() throws {
            let dir = try TemporaryDirectory()
            let policy = Fixtures.url("policy/system-enabled.yaml").path
            // As export-system-policy prints it: gcloud's YAML of the locations/global policy.
            let system = try dir.write(
                "system-policy.yaml",
                """
                admissionWhitelistPatterns:
                - namePattern: gcr.io/gke-release/asm/*
                - namePattern: us-docker.pkg.dev/my-vendor/agents/**
                defaultAdmissionRule:
                  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
                  evaluationMode: ALWAYS_DENY
                name: locations/global/policy

                """)
            let vendor = "us-docker.pkg.dev/my-vendor/agents/log/collector:1"
            let bundledOnly = "gke.gcr.io/pause:3.9"
            func rules(_ extra: [String]) throws -> [String?] {
                let result = try Subprocess.binauthz(
                    [
                        "policy", "evaluate", "--policy-file", policy, "--image", vendor, "--image", bundledOnly,
                        "--format", "json",
                    ]
                        + extra)
                let json = try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any]
                return (json?["images"] as? [[String: Any]] ?? []).map { $0["rule"] as? String }
            }
            #expect(try rules([]) == ["default", "system"])
            #expect(try rules(["--system-policy-file", system]) == ["system", "default"])
            // review takes it too.
            let request = try dir.write(
                "review.json",
                #"{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": {"uid": "u", "operation": "CREATE", "kind": {"group": "", "version": "v1", "kind": "Pod"}, "namespace": "default", "object": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"name": "c", "image": "\#(vendor)"}]}}}}"#
            )
            var result = try Subprocess.binauthz(["review", "--policy-file", policy, "--request", request])
            #expect(result.status == 2, "\(result)")
            result = try Subprocess.binauthz([
                "review", "--policy-file", policy, "--request", request, "--system-policy-file", system,
            ])
            #expect(result.status == 0, "\(result)")
            // Not consulted without ENABLE: a note says so.
            result = try Subprocess.binauthz(
                [
                    "policy", "evaluate", "--policy-file", Self.policy, "--image", vendor, "--cluster",
                    "us-central1-b.cd-cluster",
                    "--system-policy-file", system,
                ])
            #expect(
                result.stderrText.contains(
                    "is not consulted: the policy does not set globalPolicyEvaluationMode: ENABLE"))
            // A bad pattern names the file.
            let bad = try dir.write("bad.yaml", "admissionWhitelistPatterns:\n- namePattern: gcr.io/*/x\n")
            result = try Subprocess.binauthz([
                "policy", "evaluate", "--policy-file", policy, "--image", vendor, "--system-policy-file", bad,
            ])
            #expect(result.status == 1, "\(result)")
            #expect(result.stderrText.contains("bad.yaml: admissionWhitelistPatterns"), "\(result)")
        }
    }
}
