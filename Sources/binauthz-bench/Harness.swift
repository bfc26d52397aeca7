// SPDX-License-Identifier: Apache-2.0

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

    static func which(_ tool: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(dir)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// An executable built next to this benchmark binary.
    static func siblingExecutable(_ name: String) -> String? {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let candidate = dir.appendingPathComponent(name).path
        return FileManager.default.isExecutableFile(atPath: candidate) ? candidate : nil
    }

    static func temporaryDirectory() throws -> String {
        var template = Array("/tmp/binauthz-bench.XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw Failure(description: "cannot create a temporary directory")
        }
        return String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Runs a program to completion and returns its standard output; throws on a non-zero exit.
    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> [UInt8]
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(
                description: "\(executable) \(arguments.joined(separator: " ")) exited \(process.terminationStatus)")
        }
        return [UInt8](data)
    }
}
