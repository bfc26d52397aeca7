// SPDX-License-Identifier: Apache-2.0

import BinAuthzPayload
import Foundation
import _BinAuthzSystem

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

    /// Runs the bodies by turns — `batch` calls of the first, then of the second, … — for `rounds` rounds after
    /// one warm-up round, and returns each body's median seconds per call. Figures to be compared are measured
    /// this way, side by side in time, so that a machine shared with other work slows them alike.
    static func interleaved(rounds: Int, _ bodies: [(batch: Int, body: () throws -> Void)]) throws -> [Double] {
        let clock = ContinuousClock()
        var samples = Array(repeating: [Double](), count: bodies.count)
        for round in 0...rounds {
            for (index, entry) in bodies.enumerated() {
                let elapsed = try clock.measure {
                    for _ in 0..<entry.batch { try entry.body() }
                }
                guard round > 0 else { continue }
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                samples[index].append(seconds / Double(entry.batch))
            }
        }
        return samples.map { $0.sorted()[$0.count / 2] }
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
    /// least overhead in a timed loop); throws unless it exits with `status`. Standard input and error are
    /// `/dev/null`.
    ///
    /// `posix_spawn` and `waitpid`, not Foundation's `Process`: on Linux `Process.waitUntilExit()` polls its run
    /// loop every 50 ms, which made every process in the table take about 52 ms, `gpg --version` included.
    @discardableResult
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:], discardOutput: Bool = false,
        status expected: Int32 = 0
    ) throws -> [UInt8] {
        let merged = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        var ends: [Int32] = [-1, -1]
        if !discardOutput {
            guard system_pipe(&ends) == 0 else { throw Failure(description: "pipe: errno \(errno)") }
        }
        var actions = posix_spawn_file_actions_t()
        system_posix_spawn_file_actions_init(&actions)
        defer { system_posix_spawn_file_actions_destroy(&actions) }
        system_posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if discardOutput {
            system_posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        } else {
            system_posix_spawn_file_actions_adddup2(&actions, ends[1], 1)
            system_posix_spawn_file_actions_addclose(&actions, ends[0])
            system_posix_spawn_file_actions_addclose(&actions, ends[1])
        }
        system_posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var pid: pid_t = 0
        let spawned = withCStrings([executable] + arguments) { argv in
            withCStrings(merged.map { "\($0.key)=\($0.value)" }) { envp in
                system_posix_spawn(&pid, executable, &actions, nil, argv, envp)
            }
        }
        var output: [UInt8] = []
        if !discardOutput {
            system_close(ends[1])
            if spawned == 0 {
                var chunk = [UInt8](repeating: 0, count: 65_536)
                while true {
                    let count = chunk.withUnsafeMutableBytes { system_read(ends[0], $0.baseAddress, $0.count) }
                    if count < 0 && errno == EINTR { continue }
                    if count <= 0 { break }
                    output += chunk[0..<count]
                }
            }
            system_close(ends[0])
        }
        guard spawned == 0 else { throw Failure(description: "cannot run \(executable): error \(spawned)") }
        var status: Int32 = 0
        while system_waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS, which Swift does not import.
        guard status & 0x7F == 0, (status >> 8) & 0xFF == expected else {
            throw Failure(description: "\(executable) \(arguments.joined(separator: " ")) ended with status \(status)")
        }
        return output
    }

    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        var pointers = strings.map { strdup($0) }
        pointers.append(nil)
        defer { pointers.forEach { free($0) } }
        return body(pointers)
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
