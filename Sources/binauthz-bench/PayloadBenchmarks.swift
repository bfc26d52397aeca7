// SPDX-License-Identifier: Apache-2.0

import BinAuthzPayload
import BinAuthzTestSupport
import Foundation

/// The signature payload: `binauthz create-signature-payload` against `gcloud container binauthz
/// create-signature-payload`, one process per call with the same URLs; and payloads built in-library against
/// gcloud's own `MakeSignaturePayload` running in its own Python.
enum PayloadBenchmarks: BenchmarkSuite {
    static let name = "signature payload"

    static let urls = [
        "gcr.io/nmallyatestproject/containerdemo@sha256:a46ab6b21371e1e3250d3b512b38aa2727ad61a2fc1ab2d2c135589d315c7442",
        "https://us-central1-docker.pkg.dev/my-proj/my-repo/team/app:1.4.2@sha256:"
            + "65addc85d2a17d3d3e4c5a3ef0ad4d6ba8f9a6d3e0cbdd1d22d4b7ae64a459d1",
        "https://localhost:5000/app@sha256:000000000000000000000000000000000000000000000000000000000000abcd",
        "10.0.0.1:5000/team/app@sha256:b0be9acc0c8ca214f64fa4e0e214abc0bf342e8a4bc23b7e842ab21cfb50a6ea",
        "eu.gcr.io/a/b/c/d@sha256:bedb3feb23e81d162e33976fd7b245adff00379f4755c0213e84405e5b1e0988",
    ]

    static func run() throws -> [BenchmarkRow] {
        var rows: [BenchmarkRow] = []
        let expected = try urls.map { try SignaturePayload.create(artifactURL: $0) }

        // MARK: One process per call

        let binauthz = BenchProcess.siblingExecutable("binauthz")
        let gcloud = Subprocess.which("gcloud")
        var ours = "—"
        var reference = "—"
        if let binauthz {
            var index = 0
            let seconds = try Measure.median(iterations: 25) {
                let url = urls[index % urls.count]
                let output = try BenchProcess.run(binauthz, ["create-signature-payload", "--artifact-url", url])
                precondition(output == expected[index % urls.count], "binauthz printed another payload for \(url)")
                index += 1
            }
            ours = Measure.formatDuration(seconds) + " per call"
        }
        if let gcloud {
            let config = try TemporaryDirectory(prefix: "binauthz-bench")
            defer { config.remove() }
            var index = 0
            let seconds = try Measure.median(iterations: 5) {
                let url = urls[index % urls.count]
                let invocation = try BenchData.gcloudPayload(url: url, config: config.path)
                let output = try BenchProcess.run(gcloud, invocation.arguments, environment: invocation.environment)
                precondition(output == expected[index % urls.count], "gcloud printed another payload for \(url)")
                index += 1
            }
            reference = Measure.formatDuration(seconds) + " per call"
        }
        rows.append(
            BenchmarkRow(
                section: "payload", operation: "create-signature-payload, one process per call",
                ours: ours, reference: reference,
                note: "median; \(urls.count) URLs round-robin, identical output checked; reference = gcloud CLI "
                    + "(offline config)" + (binauthz == nil ? "; binauthz not built next to binauthz-bench" : "")
                    + (gcloud == nil ? "; gcloud not installed" : "")))

        // MARK: In-library

        var sink = 0
        var index = 0
        let built = try Measure.throughput(batch: 500) {
            sink &+= try SignaturePayload.create(artifactURL: urls[index % urls.count]).count
            index &+= 1
        }
        let pythonRate = try gcloudPythonPayloadsPerSecond()
        rows.append(
            BenchmarkRow(
                section: "payload", operation: "build payloads in-process",
                ours: Measure.formatRate(built),
                reference: pythonRate.map(Measure.formatRate) ?? "—",
                note: "URL parsing + JSON writing; reference = gcloud's util.MakeSignaturePayload in its own Python "
                    + "(in-process loop)"))

        let parsed = try Measure.throughput(batch: 1_000) {
            sink &+= try SignaturePayload(parsing: expected[index % expected.count]).manifestDigest.utf8.count
            index &+= 1
        }
        rows.append(
            BenchmarkRow(
                section: "payload", operation: "parse a signed payload and check its digest",
                ours: Measure.formatRate(parsed), reference: "—", note: "gcloud-format payloads (~300 bytes)"))
        precondition(sink > 0)
        return rows
    }

    /// Runs gcloud's own `MakeSignaturePayload` in a loop inside gcloud's Python and returns payloads per second.
    static func gcloudPythonPayloadsPerSecond() throws -> Double? {
        guard let gcloud = Subprocess.which("gcloud") else { return nil }
        let root = URL(fileURLWithPath: gcloud).resolvingSymlinksInPath().deletingLastPathComponent()
            .deletingLastPathComponent().path
        let bundled = root + "/platform/bundledpythonunix/bin/python3"
        guard
            let python = FileManager.default.isExecutableFile(atPath: bundled)
                ? bundled : Subprocess.which("python3"),
            FileManager.default.fileExists(atPath: root + "/lib/googlecloudsdk/command_lib/container/binauthz/util.py")
        else { return nil }
        let script = """
            import sys, time, json
            sys.path[:0] = [sys.argv[1] + '/lib', sys.argv[1] + '/lib/third_party']
            from googlecloudsdk.command_lib.container.binauthz import util
            urls = json.loads(sys.argv[2])
            n, start = 0, time.perf_counter()
            while time.perf_counter() - start < 1.0:
                for u in urls: util.MakeSignaturePayload(u)
                n += len(urls)
            print(n / (time.perf_counter() - start))
            """
        let urlsJSON = String(decoding: try JSONSerialization.data(withJSONObject: urls), as: UTF8.self)
        let output = try BenchProcess.run(python, ["-c", script, root, urlsJSON])
        return Double(String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
