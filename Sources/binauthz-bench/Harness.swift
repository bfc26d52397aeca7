// SPDX-License-Identifier: Apache-2.0

import BinAuthzPayload
import Foundation

/// One line of the results table: a measured operation, our figure and, where there is one, the figure of the
/// independent tool doing the same work in the same run.
struct BenchmarkRow {
    var section: String
    var operation: String
    /// Our result, e.g. "1,234 ops/s" or "0.8 ms".
    var ours: String
    /// The reference tool's result on the same inputs ("—" when there is none).
    var reference: String
    /// Notes: what the reference is, input sizes.
    var note: String
}

/// A group of related measurements.
protocol BenchmarkSuite {
    static var name: String { get }
    static func run() throws -> [BenchmarkRow]
}

/// Timing helpers. Benchmarks measure wall time with a monotonic clock; figures are medians of repeated runs.
enum Measure {
    /// Runs `body` `iterations` times after `warmup` runs and returns the median seconds per call.
    static func median(iterations: Int, warmup: Int = 1, _ body: () throws -> Void) rethrows -> Double {
        for _ in 0..<warmup { try body() }
        var samples: [Double] = []
        samples.reserveCapacity(iterations)
        let clock = ContinuousClock()
        for _ in 0..<iterations {
            let elapsed = try clock.measure { try body() }
            samples.append(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        samples.sort()
        return samples[samples.count / 2]
    }

    /// Runs `body` in batches of `batch` calls until `seconds` have passed and returns calls per second.
    static func throughput(seconds: Double = 1.0, batch: Int = 1, _ body: () throws -> Void) rethrows -> Double {
        let clock = ContinuousClock()
        let start = clock.now
        var calls = 0
        while true {
            for _ in 0..<batch { try body() }
            calls += batch
            let elapsed = clock.now - start
            let secs = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            if secs >= seconds { return Double(calls) / secs }
        }
    }

    static func formatRate(_ perSecond: Double) -> String {
        perSecond >= 100 ? "\(Int(perSecond.rounded()).formatted()) /s" : String(format: "%.1f /s", perSecond)
    }

    static func formatDuration(_ seconds: Double) -> String {
        if seconds < 1e-3 { return String(format: "%.1f µs", seconds * 1e6) }
        if seconds < 1 { return String(format: "%.2f ms", seconds * 1e3) }
        return String(format: "%.2f s", seconds)
    }
}

/// Process helpers shared by the suites.
enum BenchProcess {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// An executable built next to this benchmark binary.
    static func siblingExecutable(_ name: String) -> String? {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let candidate = dir.appendingPathComponent(name).path
        return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
    }

    /// Runs a program to completion and returns its standard output (or, with `discardOutput`, nothing, for the
    /// least overhead in a timed loop); throws on a non-zero exit. Lighter than the test suite's `Subprocess.run`,
    /// which also feeds standard input and drains standard error on other threads.
    @discardableResult
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], discardOutput: Bool = false
    ) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = discardOutput ? FileHandle.nullDevice : output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = discardOutput ? Data() : output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(
                description: "\(executable) \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
        }
        return [UInt8](data)
    }
}

/// Inputs several suites share.
enum BenchData {
    /// The seed article's payload: what the attestations of its story sign.
    static let seedPayload = try! SignaturePayload.create(
        artifactURL: "gcr.io/nmallyatestproject/containerdemo@sha256:"
            + "a46ab6b21371e1e3250d3b512b38aa2727ad61a2fc1ab2d2c135589d315c7442")

    /// `gcloud … create-signature-payload` run offline: an access-token file and a private configuration directory
    /// (`config`), so gcloud neither prompts nor reads the user's configuration.
    static func gcloudPayload(url: String, config: String) throws -> (
        arguments: [String], environment: [String: String]
    ) {
        let token = config + "/token"
        if !FileManager.default.fileExists(atPath: token) {
            try Data("offline-benchmark\n".utf8).write(to: URL(fileURLWithPath: token))
        }
        return (
            [
                "--access-token-file=\(token)", "--account=x@example.com", "--verbosity=error", "container", "binauthz",
                "create-signature-payload", "--artifact-url=\(url)",
            ],
            ["CLOUDSDK_CONFIG": config + "/gcloud", "CLOUDSDK_CORE_DISABLE_PROMPTS": "1"]
        )
    }
}
