// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import BinAuthzPolicy
import BinAuthzTestSupport
import Testing

/// `kubectl` as an independent implementation: it writes the manifests, we must find the images it put in them.
/// Only client-side generators are used (`--dry-run=client`); no cluster is contacted.
enum Kubectl {
    static let path = Subprocess.which("kubectl")

    /// Runs kubectl with a configuration that points nowhere, so a developer's real cluster is never involved.
    static func run(_ arguments: [String]) throws -> CommandResult {
        try Subprocess.run(
            path ?? "kubectl", arguments, environment: ["KUBECONFIG": "/nonexistent/binauthz-kubeconfig"])
    }

    /// `kubectl run --dry-run=client` still asks an API server for discovery in current kubectl releases, so it
    /// works only where a cluster is reachable; `kubectl create deployment|job|cronjob` do not.
    static let runWorksOffline: Bool = {
        guard path != nil, let result = try? run(["run", "probe", "--image=nginx", "--dry-run=client", "-o", "yaml"])
        else { return false }
        return result.status == 0
    }()
}

@Suite("kubectl interop", .enabled(if: Kubectl.path != nil, "kubectl is not installed"))
struct KubectlInteropTests {
    static let digest = "sha256:" + String(repeating: "c", count: 64)

    @Test("kubectl create deployment (YAML and JSON), several images", arguments: ["yaml", "json"])
    func deployment(_ output: String) throws {
        let result = try Kubectl.run([
            "create", "deployment", "web", "--image=gcr.io/my-proj/web:1", "--image=gcr.io/my-proj/side@\(Self.digest)",
            "--namespace=shop", "--dry-run=client", "-o", output,
        ])
        try #require(result.status == 0, "\(result)")
        let workloads = try KubernetesManifest.workloads(in: result.stdoutText)
        #expect(workloads.map(\.description) == ["Deployment/web"])
        #expect(workloads[0].images == ["gcr.io/my-proj/web:1", "gcr.io/my-proj/side@\(Self.digest)"])
        #expect(workloads[0].effectiveNamespace == "shop")
        #expect(workloads[0].labels == ["app": "web"])
    }

    @Test("kubectl create job")
    func job() throws {
        let result = try Kubectl.run([
            "create", "job", "migrate", "--image=gcr.io/my-proj/migrate:7", "--dry-run=client", "-o", "yaml",
        ])
        try #require(result.status == 0, "\(result)")
        let workloads = try KubernetesManifest.workloads(in: result.stdoutText)
        #expect(workloads.map(\.description) == ["Job/migrate"])
        #expect(workloads[0].images == ["gcr.io/my-proj/migrate:7"])
    }

    @Test("kubectl create cronjob")
    func cronJob() throws {
        let result = try Kubectl.run([
            "create", "cronjob", "report", "--image=gcr.io/my-proj/report@\(Self.digest)", "--schedule=*/5 * * * *",
            "--dry-run=client", "-o", "yaml",
        ])
        try #require(result.status == 0, "\(result)")
        let workloads = try KubernetesManifest.workloads(in: result.stdoutText)
        #expect(workloads.map(\.description) == ["CronJob/report"])
        #expect(workloads[0].images == ["gcr.io/my-proj/report@\(Self.digest)"])
    }

    @Test("kubectl-made manifests decided end to end")
    func decided() throws {
        let result = try Kubectl.run([
            "create", "deployment", "web", "--image=gcr.io/my-proj/web:1", "--dry-run=client", "-o", "yaml",
        ])
        try #require(result.status == 0, "\(result)")
        let workload = try #require(try KubernetesManifest.workloads(in: result.stdoutText).first)
        let policy = try Policy(yaml: Fixtures.text("policy/cluster-always-deny.yaml"))
        let decision = try policy.evaluate(
            workload.request(cluster: "us-central1-a.my-cluster-1"), evidence: NoAttestationEvidence(), at: T.time)
        #expect(
            decision.message
                == "Image gcr.io/my-proj/web:1 denied by Binary Authorization cluster admission rule for "
                + "us-central1-a.my-cluster-1. Denied by always_deny admission rule")
    }

    @Test(
        "kubectl run",
        .enabled(
            if: Kubectl.runWorksOffline,
            "kubectl run --dry-run=client needs API discovery from a reachable cluster; skipped offline"))
    func run() throws {
        let result = try Kubectl.run([
            "run", "web", "--image=gcr.io/my-proj/web:1", "--labels=image-policy.k8s.io/break-glass=true",
            "--dry-run=client", "-o", "yaml",
        ])
        try #require(result.status == 0, "\(result)")
        let workloads = try KubernetesManifest.workloads(in: result.stdoutText)
        #expect(workloads.map(\.description) == ["Pod/web"])
        #expect(workloads[0].images == ["gcr.io/my-proj/web:1"])
        #expect(workloads[0].request().requestsBreakGlass)
    }
}
