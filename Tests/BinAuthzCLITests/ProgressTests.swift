// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

/// Progress on standard error: shown on a terminal for operations that take seconds, erased when they end, never
/// written to a pipe or when `BINAUTHZ_NO_PROGRESS` is set, and never holding a key or a passphrase. A terminal comes
/// from util-linux `script`, which runs the command on a pseudo-terminal and copies what it writes.
extension CommandLineTests {
    @Suite(
        "Progress on a terminal",
        .enabled(if: Subprocess.which("script") != nil, "util-linux `script` is not installed; no pseudo-terminal"))
    struct ProgressTests {
        static let passphrase = "correct horse battery staple"

        /// Runs binauthz on a pseudo-terminal; returns everything the terminal received, and the exit status.
        func onTerminal(_ arguments: [String], environment: [String: String] = [:], in dir: TemporaryDirectory) throws
            -> CommandResult
        {
            let command = ([Subprocess.binauthzExecutable] + arguments).map { "'\($0)'" }.joined(separator: " ")
            var env = environment
            env["BINAUTHZ_KEYRING_DIR"] = TestHomes.current
            env["PASSPHRASE"] = Self.passphrase
            return try Subprocess.run(
                "script", ["--quiet", "--return", "--command", command, "/dev/null"], environment: env,
                currentDirectory: dir.path)
        }

        func generateKey(in dir: TemporaryDirectory) throws -> CommandResult {
            try onTerminal(
                [
                    "pgp", "generate-key", "--user-id", "CI <ci@example.com>", "--passphrase-env", "PASSPHRASE",
                    "--public-key-file", "key.pub", "--private-key-file", "key.sec",
                ], in: dir)
        }

        func signArguments() -> [String] {
            [
                "attestations", "sign-and-create", "--artifact-url",
                "gcr.io/my-proj/app@sha256:" + String(repeating: "5", count: 64), "--note",
                "projects/my-proj/notes/built-by-ci", "--pgp-private-key-env", "BINAUTH_PRIVATE_KEY",
                "--passphrase-env", "PASSPHRASE", "--output", "occurrence.json",
            ]
        }

        @Test("A passphrase-protected key shows what is happening, then erases the line; no secret is shown")
        func passphraseOperations() throws {
            let dir = try TemporaryDirectory()
            defer { dir.remove() }
            let generated = try generateKey(in: dir)
            #expect(generated.status == 0, "\(generated)")
            #expect(generated.stdoutText.contains("binauthz: generating the PGP key and protecting it… "))
            let secret = try String(contentsOfFile: dir.file("key.sec"), encoding: .utf8)
            let base64 = Data(secret.utf8).base64EncodedString()

            let signed = try onTerminal(signArguments(), environment: ["BINAUTH_PRIVATE_KEY": base64], in: dir)
            #expect(signed.status == 0, "\(signed)")
            let terminal = signed.stdoutText
            #expect(terminal.contains("\r\u{1B}[Kbinauthz: importing the PGP key and signing… 0 s"), "\(terminal)")
            // The last thing the line did was erase itself.
            let lastDraw = try #require(terminal.range(of: "binauthz: importing", options: .backwards))
            #expect(terminal[lastDraw.upperBound...].contains("\r\u{1B}[K"), "the progress line was left on screen")
            for secretText in [Self.passphrase, String(base64.prefix(40)), "PRIVATE KEY"] {
                #expect(!terminal.contains(secretText), "the terminal showed \(secretText)")
                #expect(!generated.stdoutText.contains(secretText))
            }
            #expect(FileManager.default.fileExists(atPath: dir.file("occurrence.json")))
        }

        @Test("BINAUTHZ_NO_PROGRESS turns it off on a terminal, and a pipe never gets it")
        func offWhenAskedOrPiped() throws {
            let dir = try TemporaryDirectory()
            defer { dir.remove() }
            try #require(try generateKey(in: dir).status == 0)
            let secret = try String(contentsOfFile: dir.file("key.sec"), encoding: .utf8)
            let environment = ["BINAUTH_PRIVATE_KEY": Data(secret.utf8).base64EncodedString()]

            let off = try onTerminal(
                signArguments(), environment: environment.merging(["BINAUTHZ_NO_PROGRESS": "1"]) { $1 }, in: dir)
            #expect(off.status == 0, "\(off)")
            #expect(!off.stdoutText.contains("binauthz:"), "\(off.stdoutText)")

            let piped = try Subprocess.binauthz(
                signArguments(), environment: environment.merging(["PASSPHRASE": Self.passphrase]) { $1 },
                currentDirectory: dir.path)
            #expect(piped.status == 0, "\(piped)")
            #expect(piped.stderr.isEmpty, "\(piped.stderrText)")
        }

        @Test("A quick command shows nothing even on a terminal")
        func quickCommandsStayQuiet() throws {
            let dir = try TemporaryDirectory()
            defer { dir.remove() }
            try
                "defaultAdmissionRule:\n  evaluationMode: ALWAYS_ALLOW\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n"
                .write(toFile: dir.file("policy.yaml"), atomically: true, encoding: .utf8)
            let result = try onTerminal(
                ["policy", "evaluate", "--policy-file", "policy.yaml", "--image", "gcr.io/p/app:1"], in: dir)
            #expect(result.status == 0, "\(result)")
            #expect(!result.stdoutText.contains("binauthz: deciding"), "\(result.stdoutText)")
        }
    }
}
