// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

@testable import BinAuthzPGP

/// Shared state and helpers of the PGP tests.
enum PGPTest {
    /// Every temporary GnuPG home of this test process — the library's keyrings and the `gpg` CLI homes alike —
    /// lives under this short, private directory, so the leak check can find exactly ours.
    static let base: String = {
        var template = Array("/tmp/bzt.XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) != nil }) else {
            fatalError("cannot create the test base directory under /tmp")
        }
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()

    /// A fixed "today" (never the wall clock): the day these tests were written against.
    static let today = date("2026-11-27T00:00:00Z")

    /// For keys and signatures made during the test (GnuPG stamps them with the wall clock): a minute from now.
    static var soon: Date { Date().addingTimeInterval(60) }

    /// Verify-only keyrings under the test base.
    static let verification = EphemeralKeyring.Options(purpose: .verification, baseDirectory: base)
    /// Signing keyrings under the test base, with a cheap S2K so passphrase keys take milliseconds.
    static let signing = EphemeralKeyring.Options(purpose: .signing, baseDirectory: base, s2kCount: 65536)

    static func date(_ text: String) -> Date {
        try! Date(text, strategy: .iso8601)
    }

    static func fingerprint(_ hex: String) -> PGPFingerprint {
        PGPFingerprint(hex)!
    }

    /// A corpus file's bytes.
    static func corpus(_ path: String) throws -> [UInt8] {
        try Fixtures.corpusData(path)
    }

    static let kritisVectors = "kritis/pkg/attestlib/testvectors/"
    static let containersFixtures = "containers-image/signature/fixtures/"

    /// A verify-only keyring holding the given corpus keys, closed after `body`.
    static func withKeys<R>(_ paths: [String], _ body: (EphemeralKeyring) throws -> R) throws -> R {
        let keyring = try EphemeralKeyring(verifyingWith: try paths.map(corpus), options: verification)
        defer { keyring.close() }
        return try body(keyring)
    }
}

/// A private GnuPG home for the `gpg` command-line tool (the independent implementation the library is checked
/// against). Its agent is killed by home (`gpgconf --homedir H --kill all`) and the directory removed on `close()`.
final class GPGCommandLine {
    let home: String

    init() throws {
        var template = Array("\(PGPTest.base)/cli.XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) != nil }) else {
            throw CocoaError(.fileWriteUnknown)
        }
        home = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        try "disable-scdaemon\n".write(toFile: home + "/gpg-agent.conf", atomically: false, encoding: .utf8)
        try "pinentry-mode loopback\n".write(toFile: home + "/gpg.conf", atomically: false, encoding: .utf8)
    }

    /// Runs `gpg --homedir HOME --batch` with the arguments; throws with gpg's stderr on failure.
    @discardableResult
    func gpg(_ arguments: [String], stdin: [UInt8] = [], allowFailure: Bool = false) throws -> CommandResult {
        let result = try Subprocess.run(
            "gpg", ["--homedir", home, "--batch", "--no-tty"] + arguments, stdin: stdin,
            environment: ["GNUPGHOME": home, "LC_ALL": "C"])
        if result.status != 0 && !allowFailure {
            throw GPGFailure(description: "gpg \(arguments.joined(separator: " ")) failed: \(result)")
        }
        return result
    }

    /// Generates a key with `gpg --quick-generate-key` and returns its fingerprint.
    func generateKey(_ userID: String, algorithm: String = "ed25519", usage: String = "sign", expire: String = "never")
        throws -> PGPFingerprint
    {
        try gpg(["--passphrase", "", "--quick-generate-key", userID, algorithm, usage, expire])
        let listing = try gpg(["--with-colons", "--list-keys", userID]).stdoutText
        let fpr = listing.split(separator: "\n").first { $0.hasPrefix("fpr:") }!.split(
            separator: ":", omittingEmptySubsequences: false)[9]
        return PGPFingerprint(String(fpr))!
    }

    func exportPublicKey(_ fpr: PGPFingerprint) throws -> [UInt8] {
        try gpg(["--armor", "--export", fpr.hex]).stdout
    }

    func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = home + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func close() {
        _ = try? Subprocess.run("gpgconf", ["--homedir", home, "--kill", "all"])
        try? FileManager.default.removeItem(atPath: home)
    }

    deinit { close() }
}

struct GPGFailure: Error, CustomStringConvertible {
    var description: String
}

/// Processes whose command line mentions `path` (for example `gpg-agent --homedir /tmp/bzt.x/bzpgp.y`).
func processes(mentioning path: String) -> [String] {
    let procs = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    var found: [String] = []
    for pid in procs where pid.allSatisfy(\.isNumber) {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), !data.isEmpty else { continue }
        let commandLine = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
        if commandLine.contains(path) { found.append("\(pid): \(commandLine)") }
    }
    return found
}

/// Wraps the whole PGP test suite: afterwards, no process started for any of its homes may still run and no home
/// may be left under ``PGPTest/base``.
struct NoLeakedAgentsOrHomes: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        try await function()
        let leakedProcesses = processes(mentioning: PGPTest.base)
        #expect(leakedProcesses.isEmpty, "gpg-agent (or other daemons) outlived their homes: \(leakedProcesses)")
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: PGPTest.base)) ?? []
        #expect(leftovers.isEmpty, "temporary homes left behind under \(PGPTest.base): \(leftovers)")
        try? FileManager.default.removeItem(atPath: PGPTest.base)
    }
}

/// The root of every PGP test; the nested suites live in extensions, one file per topic.
@Suite("BinAuthzPGP", NoLeakedAgentsOrHomes())
struct PGPTests {}
