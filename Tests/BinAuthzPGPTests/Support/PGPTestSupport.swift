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
        // Removed when the test process exits, if it is empty: a home left in it stays, for the leak check to name.
        atexit { _ = rmdir(PGPTest.base) }
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

/// The `gpg` command-line tool in a private home under ``PGPTest/base`` (the independent implementation the library
/// is checked against): the shared ``GnuPGHome`` with the conveniences these tests use.
final class GPGCommandLine {
    private let cli: GnuPGHome
    var home: String { cli.path }

    init() throws { cli = try GnuPGHome(base: PGPTest.base) }

    /// Runs `gpg --homedir HOME --batch` with the arguments; throws with gpg's stderr on failure.
    @discardableResult
    func gpg(_ arguments: [String], stdin: [UInt8] = [], allowFailure: Bool = false) throws -> CommandResult {
        let result = try cli.gpgResult(arguments, stdin: stdin)
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
        return PGPFingerprint(try cli.fingerprint(of: userID))!
    }

    func exportPublicKey(_ fpr: PGPFingerprint) throws -> [UInt8] {
        try gpg(["--armor", "--export", fpr.hex]).stdout
    }

    func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let path = home + "/" + name
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func close() { cli.close() }
}

struct GPGFailure: Error, CustomStringConvertible {
    var description: String
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
