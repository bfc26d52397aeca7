// SPDX-License-Identifier: Apache-2.0

import Foundation

/// A private GnuPG home for the `gpg` command-line tool, the independent implementation the library is checked
/// against. Its agent is stopped by home (`gpgconf --homedir H --kill all`, never by name) and the directory is
/// removed by ``close()`` (or on deinit).
public final class GnuPGHome: @unchecked Sendable {
    public let path: String
    private var closed = false

    /// Creates a home under a short base (socket paths are limited to 107 bytes); by default the base of the
    /// enclosing ``NoLeakedHomes`` suite tree.
    public init(base: String = TestHomes.current) throws {
        var template = Array("\(base)/bzg.XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) != nil }) else {
            throw CocoaError(.fileWriteUnknown)
        }
        path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        try "disable-scdaemon\n".write(toFile: path + "/gpg-agent.conf", atomically: false, encoding: .utf8)
        try "pinentry-mode loopback\n".write(toFile: path + "/gpg.conf", atomically: false, encoding: .utf8)
    }

    /// Why tests that need the `gpg` CLI are skipped, or `nil` when it is available.
    public static var unavailableReason: String? {
        Subprocess.which("gpg") == nil || Subprocess.which("gpgconf") == nil
            ? "gpg/gpgconf are not installed (apt-get install gnupg)" : nil
    }

    /// Runs `gpg --homedir HOME --batch --no-tty ARGS`; throws with gpg's output when it fails.
    @discardableResult
    public func gpg(_ arguments: [String], stdin: [UInt8] = []) throws -> CommandResult {
        let result = try gpgResult(arguments, stdin: stdin)
        guard result.status == 0 else {
            throw CocoaError(
                .fileReadUnknown, userInfo: ["gpg": arguments.joined(separator: " "), "result": result.description])
        }
        return result
    }

    /// Runs `gpg --homedir HOME --batch --no-tty ARGS` and returns the result whatever the exit status.
    public func gpgResult(_ arguments: [String], stdin: [UInt8] = []) throws -> CommandResult {
        try Subprocess.run(
            "gpg", ["--homedir", path, "--batch", "--no-tty"] + arguments, stdin: stdin,
            environment: ["GNUPGHOME": path, "LC_ALL": "C"])
    }

    /// `gpg --quick-generate-key UID ALGO sign EXPIRY` without a passphrase; returns the primary fingerprint.
    public func generateKey(
        userID: String, algorithm: String = "ed25519", expiry: String = "never", passphrase: String = ""
    )
        throws -> String
    {
        try gpg(["--passphrase", passphrase, "--quick-generate-key", userID, algorithm, "sign", expiry])
        return try fingerprint(of: userID)
    }

    /// The 40-hex fingerprint of the primary key for `userID`, read from `--with-colons` (the first `fpr` line).
    public func fingerprint(of userID: String) throws -> String {
        let listing = try gpg(["--with-colons", "--fingerprint", userID]).stdoutText
        guard let line = listing.split(separator: "\n").first(where: { $0.hasPrefix("fpr:") }) else {
            throw CocoaError(.fileReadUnknown)
        }
        return String(line.split(separator: ":", omittingEmptySubsequences: false)[9])
    }

    /// `gpg --armor --export ID`.
    public func exportPublicKey(_ id: String) throws -> String { try gpg(["--armor", "--export", id]).stdoutText }

    /// `gpg --export-secret-keys ID` (binary, as the seed article's extract_private_key.sh does).
    public func exportSecretKey(_ id: String, passphrase: String = "") throws -> [UInt8] {
        try gpg(["--passphrase", passphrase, "--export-secret-keys", id]).stdout
    }

    /// `gpg --local-user ID --armor --sign`: an attached, armored signature over `payload`.
    public func sign(_ payload: [UInt8], as id: String, passphrase: String = "") throws -> [UInt8] {
        let input = path + "/payload.json"
        try Data(payload).write(to: URL(fileURLWithPath: input))
        let output = path + "/signature.pgp"
        try? FileManager.default.removeItem(atPath: output)
        try gpg(["--passphrase", passphrase, "--local-user", id, "--armor", "--output", output, "--sign", input])
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: output)))
    }

    /// Stops this home's agent and removes the directory. Safe to call twice.
    ///
    /// The agent removes its own sockets as it exits, which can race with the removal of the tree ("Directory not
    /// empty"), so the removal is retried until the directory is gone.
    public func close() {
        guard !closed else { return }
        closed = true
        _ = try? Subprocess.run("gpgconf", ["--homedir", path, "--kill", "all"])
        for _ in 0..<20 {
            try? FileManager.default.removeItem(atPath: path)
            if !FileManager.default.fileExists(atPath: path) { return }
            usleep(50_000)
        }
    }

    deinit { close() }
}

/// The `openssl` command line as an independent PKIX implementation.
public enum OpenSSL {
    /// Why tests that need `openssl` are skipped, or `nil` when it is available.
    public static var unavailableReason: String? {
        Subprocess.which("openssl") == nil ? "openssl is not installed" : nil
    }

    /// Runs `openssl ARGS`; throws with its output when it fails.
    @discardableResult
    public static func run(_ arguments: [String], stdin: [UInt8] = []) throws -> CommandResult {
        let result = try Subprocess.run("openssl", arguments, stdin: stdin)
        guard result.status == 0 else {
            throw CocoaError(
                .fileReadUnknown, userInfo: ["openssl": arguments.joined(separator: " "), "result": result.description])
        }
        return result
    }
}
