// SPDX-License-Identifier: Apache-2.0

import Foundation
import Testing

/// Where the temporary GnuPG homes of a test tree go: the `gpg` command-line homes of ``GnuPGHome`` and, through
/// `BINAUTHZ_KEYRING_DIR`, the keyrings of every `binauthz` process the tests run.
///
/// ``NoLeakedHomes`` gives each suite tree it wraps its own base (a task-local value), so it can check, when the
/// tree is done, that no agent or other process still mentions a home there and that no home is left — without
/// mistaking the homes of suites running in parallel for leaks.
public enum TestHomes {
    @TaskLocal public static var current: String = "/tmp"

    /// Creates a fresh, short base directory (`/tmp/bzt.XXXXXX`).
    public static func makeBase() throws -> String {
        var template = Array("/tmp/bzt.XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) != nil }) else {
            throw CocoaError(.fileWriteUnknown)
        }
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// Processes whose command line mentions `path` (for example `gpg-agent --homedir /tmp/bzt.x/bzg.y`).
public func processes(mentioning path: String) -> [String] {
    let procs = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    var found: [String] = []
    for pid in procs where pid.allSatisfy(\.isNumber) {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), !data.isEmpty else { continue }
        let commandLine = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
        if commandLine.contains(path) { found.append("\(pid): \(commandLine)") }
    }
    return found
}

/// Wraps a suite tree: its GnuPG homes live under a private base, and afterwards no process may still mention that
/// base (a `gpg-agent` that outlived its home) and no home may be left in it.
public struct NoLeakedHomes: SuiteTrait, TestScoping {
    public var isRecursive: Bool { false }

    public init() {}

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        let base = try TestHomes.makeBase()
        try await TestHomes.$current.withValue(base) {
            try await function()
        }
        let leakedProcesses = processes(mentioning: base)
        #expect(leakedProcesses.isEmpty, "processes outlived their GnuPG homes: \(leakedProcesses)")
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? []
        #expect(leftovers.isEmpty, "temporary GnuPG homes left behind under \(base): \(leftovers)")
        try? FileManager.default.removeItem(atPath: base)
    }
}
