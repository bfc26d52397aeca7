// SPDX-License-Identifier: Apache-2.0

import Foundation

/// The result of running a command.
public struct CommandResult: Sendable, CustomStringConvertible {
    public var status: Int32
    public var stdout: [UInt8]
    public var stderr: [UInt8]

    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }

    public var description: String {
        "exit \(status)\n--- stdout\n\(stdoutText)\n--- stderr\n\(stderrText)"
    }
}

/// Runs external programs for interop tests (gpg, openssl, gcloud, kubectl) and the `binauthz` executable.
public enum Subprocess {
    /// The absolute path of `tool` on `PATH`, or `nil` when it is not installed.
    public static func which(_ tool: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(tool)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `executable` with `arguments`, feeding `stdin`, with `environment` added to (or, with
    /// `replaceEnvironment`, replacing) the current environment. Blocks until it exits.
    @discardableResult
    public static func run(
        _ executable: String, _ arguments: [String], stdin: [UInt8] = [], environment: [String: String] = [:],
        replaceEnvironment: Bool = false, currentDirectory: String? = nil
    ) throws -> CommandResult {
        let process = Process()
        process.executableURL = URL(
            fileURLWithPath: executable.hasPrefix("/") ? executable : (which(executable) ?? executable))
        process.arguments = arguments
        var env = replaceEnvironment ? [:] : ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        let inPipe = Pipe()
        let outPipe = Pipe()
        let errPipe = Pipe()
        process.standardInput = inPipe
        process.standardOutput = outPipe
        process.standardError = errPipe
        try process.run()
        // Drain both pipes concurrently so a chatty child cannot block on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var out = Data()
        nonisolated(unsafe) var err = Data()
        group.enter()
        DispatchQueue.global().async {
            out = outPipe.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        group.enter()
        DispatchQueue.global().async {
            err = errPipe.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        if !stdin.isEmpty { try? inPipe.fileHandleForWriting.write(contentsOf: Data(stdin)) }
        try? inPipe.fileHandleForWriting.close()
        group.wait()
        process.waitUntilExit()
        return CommandResult(status: process.terminationStatus, stdout: [UInt8](out), stderr: [UInt8](err))
    }

    /// The path of the `binauthz` executable built alongside the tests.
    public static var binauthzExecutable: String {
        if let explicit = ProcessInfo.processInfo.environment["BINAUTHZ_EXECUTABLE"] { return explicit }
        // The test bundle and the executable products live in the same build directory.
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("binauthz").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return Fixtures.packageRoot.appendingPathComponent(".build/debug/binauthz").path
    }

    /// Runs `binauthz` with the given arguments.
    @discardableResult
    public static func binauthz(
        _ arguments: [String], stdin: [UInt8] = [], environment: [String: String] = [:],
        currentDirectory: String? = nil
    ) throws -> CommandResult {
        var environment = environment
        if environment["BINAUTHZ_KEYRING_DIR"] == nil { environment["BINAUTHZ_KEYRING_DIR"] = TestHomes.current }
        return try run(
            binauthzExecutable, arguments, stdin: stdin, environment: environment, currentDirectory: currentDirectory)
    }
}

/// A private temporary directory (mode 0700) removed when the value is released or `remove()` is called.
public final class TemporaryDirectory: @unchecked Sendable {
    public let path: String
    public var url: URL { URL(fileURLWithPath: path) }

    public init(prefix: String = "binauthz-test") throws {
        var template = Array("/tmp/\(prefix).XXXXXX".utf8CString)
        let ok = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) != nil }
        guard ok else { throw CocoaError(.fileWriteUnknown) }
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A path inside the directory.
    public func file(_ name: String) -> String { path + "/" + name }

    /// Writes a file inside the directory and returns its path.
    @discardableResult
    public func write(_ name: String, _ contents: String) throws -> String {
        try write(name, Array(contents.utf8))
    }

    /// Writes a file inside the directory and returns its path.
    @discardableResult
    public func write(_ name: String, _ bytes: [UInt8]) throws -> String {
        let target = file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: target))
        return target
    }

    public func remove() { try? FileManager.default.removeItem(atPath: path) }

    deinit { remove() }
}
