// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import BinAuthzPolicy
import BinAuthzTestSupport
import Foundation

/// Continuous validation offline over a large cluster: `binauthz platform-policy audit` of a 10,000-pod dump in the
/// shape `kubectl get pods -A -o json` prints, beside Python's `json.load` of it (reading alone, a floor for any tool
/// that reads the dump); then the library's share (reading vs evaluating) and the audit's peak memory. (`policy
/// evaluate` cannot be the reference: it reads with the default limits, which stop at 10,000 manifest objects.)
enum PlatformBenchmarks: BenchmarkSuite {
    static let name = "platform"

    static let policyText = """
        name: projects/prod-project/platforms/gke/policies/cv
        gkePolicy:
          imageAllowlist:
            allowPattern:
            - gke.gcr.io/*
          checkSets:
          - displayName: system
            scope:
              kubernetesNamespace: kube-system
            checks:
            - trustedDirectoryCheck:
                trustedDirPatterns:
                - us-docker.pkg.dev/prod-project/*
          - displayName: runner
            scope:
              kubernetesServiceAccount: team-1:runner
            checks:
            - alwaysDeny: true
          - displayName: everything else
            checks:
            - displayName: trusted
              trustedDirectoryCheck:
                trustedDirPatterns:
                - us-docker.pkg.dev/prod-project/**
                - '*-docker.pkg.dev/prod-project/*'
        """

    static func run() throws -> [BenchmarkRow] {
        guard let binauthz = BenchProcess.siblingExecutable("binauthz") else { return [] }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "binauthz-bench-platform-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let pods = 10_000
        let dump = KubernetesDump.json(KubernetesDump.synthetic(count: pods))
        let dumpPath = directory.appendingPathComponent("pods.json").path
        try Data(dump.utf8).write(to: URL(fileURLWithPath: dumpPath))
        let policyPath = directory.appendingPathComponent("cv.yaml").path
        try Data(policyText.utf8).write(to: URL(fileURLWithPath: policyPath))
        let audit = [
            "platform-policy", "audit", "--policy-file", policyPath, "--resource", dumpPath, "--cluster",
            "us-central1-a.prod", "--at", "2026-12-01T00:00:00Z",
        ]
        let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        var bodies: [(batch: Int, body: () throws -> Void)] = [
            (1, { try BenchProcess.run(binauthz, audit, discardOutput: true, status: 2) })
        ]
        if let python {
            let script = "import json,sys; json.load(open(sys.argv[1]))"
            bodies.append((1, { try BenchProcess.run(python, ["-c", script, dumpPath], discardOutput: true) }))
        }
        let times = try Measure.interleaved(rounds: 3, bodies)
        let entries = try BenchProcess.run(binauthz, audit, status: 2).split(separator: UInt8(ascii: "\n")).count
        let megabytes = Double(dump.utf8.count) / 1_048_576

        // In process: reading the dump, and evaluating and auditing what was read.
        let policy = try PlatformPolicy.gcloudCreate(text: policyText, format: .yaml).policy
        let evaluator = try PlatformPolicyEvaluator(policy: policy)
        var workloads: [KubernetesWorkload] = []
        let read = try Measure.median(iterations: 3) {
            workloads = try KubernetesManifest.contents(of: dump, format: .json, limits: .clusterDump).workloads
        }
        let now = Date(timeIntervalSince1970: 1_796_083_200)
        let cluster = ContinuousValidationAudit.Cluster(
            projectID: "prod-project", location: "us-central1-a", clusterName: "prod")
        let decide = Measure.median(iterations: 3) {
            let response = evaluator.evaluate(workloads, at: now)
            _ = ContinuousValidationAudit(
                response, policyName: "projects/prod-project/platforms/gke/policies/cv", cluster: cluster, at: now)
        }
        let peak = try MemoryBenchmarks.peakRSS(binauthz, audit, acceptableStatuses: [2])

        return [
            BenchmarkRow(
                section: "platform",
                operation:
                    "platform-policy audit, \(pods.formatted())-pod kubectl dump (\(String(format: "%.1f", megabytes)) MiB JSON)",
                ours: Measure.formatDuration(times[0]),
                reference: python == nil ? "—" : Measure.formatDuration(times[1]),
                note:
                    "one process: read, evaluate, write \(entries.formatted()) entries; median of 3 interleaved runs; "
                    + "reference = Python's json.load of the same file (reading alone, no evaluation)"),
            BenchmarkRow(
                section: "platform",
                operation: "in process: read the dump / evaluate and audit \(pods.formatted()) pods",
                ours: "\(Measure.formatDuration(read)) / \(Measure.formatDuration(decide))", reference: "—",
                note: "KubernetesManifest.contents with InputLimits.clusterDump; PlatformPolicyEvaluator + "
                    + "ContinuousValidationAudit (4 check sets, trusted directories)"),
            BenchmarkRow(
                section: "platform", operation: "platform-policy audit, peak memory",
                ours: MemoryBenchmarks.format(peak), reference: "—",
                note:
                    "maximum resident set size of the audit process (GNU time), dump \(String(format: "%.1f", megabytes)) MiB"
            ),
        ]
    }
}
