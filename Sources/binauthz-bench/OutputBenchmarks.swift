// SPDX-License-Identifier: Apache-2.0

import Foundation

/// `binauthz policy evaluate` over a large manifest, text and JSON side by side: the JSON report must cost about
/// what the text report costs (its string writer once copied the whole output per string).
enum OutputBenchmarks: BenchmarkSuite {
    static let name = "output"

    static func run() throws -> [BenchmarkRow] {
        guard let binauthz = BenchProcess.siblingExecutable("binauthz") else { return [] }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "binauthz-bench-output-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let policy = directory.appendingPathComponent("policy.yaml").path
        try Data(
            """
            admissionWhitelistPatterns:
            - namePattern: gcr.io/my-proj/allowed/*
            defaultAdmissionRule:
              evaluationMode: ALWAYS_DENY
              enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
            """.utf8
        ).write(to: URL(fileURLWithPath: policy))
        let workloads = 10_000
        var manifest = ""
        manifest.reserveCapacity(workloads * 160)
        for index in 0..<workloads {
            let image = index.isMultiple(of: 2) ? "gcr.io/my-proj/allowed/app\(index):1" : "gcr.io/other/app\(index):1"
            manifest += "---\napiVersion: v1\nkind: Pod\nmetadata: {name: pod-\(index), namespace: shop}\n"
            manifest += "spec: {containers: [{name: app, image: \(image)}]}\n"
        }
        let resource = directory.appendingPathComponent("pods.yaml").path
        try Data(manifest.utf8).write(to: URL(fileURLWithPath: resource))

        func evaluate(_ format: String) throws -> Double {
            try Measure.median(iterations: 3) {
                let process = Process()
                process.executableURL = URL(fileURLWithPath: binauthz)
                process.arguments = [
                    "policy", "evaluate", "--policy-file", policy, "--resource", resource, "--format", format,
                ]
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                process.waitUntilExit()
                // Exit 2: half the pods are denied, as intended.
                guard process.terminationStatus == 2 else {
                    throw BenchProcess.Failure(
                        description: "policy evaluate --format \(format) exited \(process.terminationStatus)")
                }
            }
        }
        let text = try evaluate("text")
        let json = try evaluate("json")
        return [
            BenchmarkRow(
                section: "output", operation: "policy evaluate, \(workloads.formatted()) pods, --format json",
                ours: Measure.formatDuration(json), reference: Measure.formatDuration(text),
                note: String(format: "reference = the same run with --format text; JSON/text = %.2f×", json / text))
        ]
    }
}
