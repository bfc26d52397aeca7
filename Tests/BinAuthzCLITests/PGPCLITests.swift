// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

/// `binauthz pgp generate-key` and `binauthz pgp fingerprint`, run as the built executable.
extension CommandLineTests {
    @Suite("binauthz pgp", .enabled(if: GnuPGHome.unavailableReason == nil, "needs the gpg command-line tool"))
    struct PGPCLITests {
        static let seedKey = Fixtures.corpus("seed-article/set-a/generated-key.pgp").path

        /// Runs `binauthz` with its temporary GnuPG homes under `keyrings`.
        func binauthz(_ arguments: [String], keyrings: TemporaryDirectory, environment: [String: String] = [:])
            throws -> CommandResult
        {
            var environment = environment
            if environment["BINAUTHZ_KEYRING_DIR"] == nil { environment["BINAUTHZ_KEYRING_DIR"] = keyrings.path }
            return try Subprocess.binauthz(arguments, environment: environment)
        }

        /// Nothing of the command's keyrings survives: no home under `keyrings`, no process mentioning it.
        func expectNoLeftovers(_ keyrings: TemporaryDirectory, sourceLocation: SourceLocation = #_sourceLocation) {
            let homes = (try? FileManager.default.contentsOfDirectory(atPath: keyrings.path)) ?? []
            #expect(homes.isEmpty, "temporary GnuPG homes left behind: \(homes)", sourceLocation: sourceLocation)
            var processes: [String] = []
            for pid in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            where pid.allSatisfy(\.isNumber) {
                guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { continue }
                let commandLine = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
                if commandLine.contains(keyrings.path) { processes.append(commandLine) }
            }
            #expect(processes.isEmpty, "processes outlived the command: \(processes)", sourceLocation: sourceLocation)
        }

        @Test("generate-key: prints the fingerprint, writes armored keys (secret 0600), leaves no agent or home")
        func generateKey() throws {
            let dir = try TemporaryDirectory(prefix: "bzpgpcli")
            let keyrings = try TemporaryDirectory(prefix: "bzk")
            let result = try binauthz(
                [
                    "pgp", "generate-key", "--user-id", "CLI Attestor <cli@example.com>", "--public-key-file",
                    dir.file("public.asc"), "--private-key-file", dir.file("private.asc"),
                ], keyrings: keyrings)
            #expect(result.status == 0, "\(result)")
            #expect(result.stderr.isEmpty)
            let fingerprint = String(result.stdoutText.dropLast())
            #expect(result.stdoutText.hasSuffix("\n"))
            #expect(fingerprint.count == 40 && fingerprint.allSatisfy { $0.isHexDigit && !$0.isLowercase })
            let publicKey = try String(contentsOfFile: dir.file("public.asc"), encoding: .utf8)
            let secretKey = try String(contentsOfFile: dir.file("private.asc"), encoding: .utf8)
            #expect(publicKey.hasPrefix("-----BEGIN PGP PUBLIC KEY BLOCK-----"))
            #expect(secretKey.hasPrefix("-----BEGIN PGP PRIVATE KEY BLOCK-----"))
            let mode =
                try FileManager.default.attributesOfItem(atPath: dir.file("private.asc"))[.posixPermissions] as? Int
            #expect(mode == 0o600)
            expectNoLeftovers(keyrings)

            // `pgp fingerprint` agrees, and so does gpg; the secret key signs in gpg and verifies there.
            let printed = try binauthz(
                ["pgp", "fingerprint", "--public-key-file", dir.file("public.asc")], keyrings: keyrings)
            #expect(printed.status == 0)
            #expect(printed.stdoutText == fingerprint + "\n")
            let gpg = try GnuPGHome()
            defer { gpg.close() }
            try gpg.gpg(["--import"], stdin: Array(secretKey.utf8))
            #expect(try gpg.fingerprint(of: "cli@example.com") == fingerprint)
            let signature = try gpg.sign(Array("payload".utf8), as: fingerprint)
            try dir.write("sig.pgp", signature)
            try gpg.gpg(["--verify", dir.file("sig.pgp")])
        }

        @Test("generate-key with an algorithm, a lifetime and a passphrase from the environment")
        func generateKeyOptions() throws {
            let dir = try TemporaryDirectory(prefix: "bzpgpcli")
            let keyrings = try TemporaryDirectory(prefix: "bzk")
            let result = try binauthz(
                [
                    "pgp", "generate-key", "--user-id", "Options <o@example.com>", "--algorithm", "nistp256",
                    "--expires-in-days", "30", "--passphrase-env", "BZ_TEST_PASSPHRASE",
                    "--public-key-file", dir.file("public.asc"), "--private-key-file", dir.file("private.asc"),
                ], keyrings: keyrings, environment: ["BZ_TEST_PASSPHRASE": "open sesame"])
            #expect(result.status == 0, "\(result)")
            let fingerprint = String(result.stdoutText.dropLast())
            expectNoLeftovers(keyrings)
            let secretKey = try String(contentsOfFile: dir.file("private.asc"), encoding: .utf8)
            #expect(!secretKey.contains("open sesame"))

            let gpg = try GnuPGHome()
            defer { gpg.close() }
            try gpg.gpg(["--import"], stdin: Array(secretKey.utf8))
            let listing = try gpg.gpg(["--with-colons", "--list-keys", fingerprint]).stdoutText
            let pub = try #require(listing.split(separator: "\n").first { $0.hasPrefix("pub:") })
            let fields = pub.split(separator: ":", omittingEmptySubsequences: false)
            #expect(fields[3] == "19")  // ECDSA
            let created = try #require(Int(fields[5]))
            let expires = try #require(Int(fields[6]))
            #expect(expires - created == 30 * 86_400)
            // The secret key is protected: a wrong passphrase cannot sign, the right one can.
            #expect(throws: (any Error).self) { try gpg.sign(Array("x".utf8), as: fingerprint, passphrase: "wrong") }
            _ = try gpg.sign(Array("x".utf8), as: fingerprint, passphrase: "open sesame")
        }

        @Test("generate-key usage errors exit 64; a missing passphrase variable exits 1 with one line")
        func generateKeyErrors() throws {
            let dir = try TemporaryDirectory(prefix: "bzpgpcli")
            let keyrings = try TemporaryDirectory(prefix: "bzk")
            let files = ["--public-key-file", dir.file("p"), "--private-key-file", dir.file("s")]
            for arguments in [
                ["--user-id", "x", "--algorithm", "dsa1024"] + files,
                ["--user-id", "x", "--expires-in-days", "0"] + files,
                ["--algorithm", "ed25519"] + files,
                ["--user-id", "x", "--public-key-file", "-", "--private-key-file", dir.file("s")],
                ["--user-id", "x", "--public-key-file", dir.file("s"), "--private-key-file", dir.file("s")],
            ] {
                let result = try binauthz(["pgp", "generate-key"] + arguments, keyrings: keyrings)
                #expect(result.status == 64, "\(arguments): \(result)")
            }
            let missing = try binauthz(
                ["pgp", "generate-key", "--user-id", "x", "--passphrase-env", "BZ_UNSET_VARIABLE"] + files,
                keyrings: keyrings)
            #expect(missing.status == 1)
            #expect(
                missing.stderrText
                    == "binauthz: --passphrase-env: the environment variable BZ_UNSET_VARIABLE is not set\n")
            let longBase = try binauthz(
                [
                    "pgp", "generate-key", "--user-id", "x", "--public-key-file", dir.file("p2"), "--private-key-file",
                    dir.file("s2"),
                ],
                keyrings: keyrings,
                environment: ["BINAUTHZ_KEYRING_DIR": "/tmp/" + String(repeating: "d", count: 90)])
            #expect(longBase.status == 1)
            #expect(longBase.stderrText.hasPrefix("binauthz: "))
            #expect(longBase.stderrText.contains("80 or fewer"))
            #expect(longBase.stderrText.split(separator: "\n").count == 1)
            #expect(!FileManager.default.fileExists(atPath: dir.file("s2")))
            #expect(!FileManager.default.fileExists(atPath: dir.file("s")))
            expectNoLeftovers(keyrings)
        }

        @Test("fingerprint: the seed article's key, armored, binary and from standard input")
        func fingerprint() throws {
            let keyrings = try TemporaryDirectory(prefix: "bzk")
            let expected = "E50ABDE5A0C05DB317479494C111AF41B88ECC96\n"
            let armored = try binauthz(["pgp", "fingerprint", "--public-key-file", Self.seedKey], keyrings: keyrings)
            #expect(armored.status == 0)
            #expect(armored.stdoutText == expected)
            let binaryKey = Fixtures.corpus("containers-image/signature/fixtures/public-key-1.gpg").path
            let binary = try binauthz(["pgp", "fingerprint", "--public-key-file", binaryKey], keyrings: keyrings)
            #expect(binary.stdoutText == "08CD26E446E2E95249B7A405E932F44B23E8DD43\n")
            let stdin = try Subprocess.binauthz(
                ["pgp", "fingerprint", "--public-key-file", "-"],
                stdin: try Fixtures.corpusData("seed-article/set-a/generated-key.pgp"))
            #expect(stdin.stdoutText == expected)
            // Computed from the packets: no keyring, no gpg.
            expectNoLeftovers(keyrings)
        }

        @Test("fingerprint errors: several keys, no key, missing file — exit 1, one line on stderr")
        func fingerprintErrors() throws {
            let keyrings = try TemporaryDirectory(prefix: "bzk")
            let pubring = Fixtures.corpus("containers-image/signature/fixtures/pubring.gpg").path
            let several = try binauthz(["pgp", "fingerprint", "--public-key-file", pubring], keyrings: keyrings)
            #expect(several.status == 1)
            #expect(several.stderrText.hasPrefix("binauthz: \(pubring): expected 1 public key, got 4"))
            let signature = Fixtures.corpus("seed-article/set-a/generated_signature.pgp").path
            let noKey = try binauthz(["pgp", "fingerprint", "--public-key-file", signature], keyrings: keyrings)
            #expect(noKey.status == 1)
            #expect(noKey.stderrText.contains("no OpenPGP key found"))
            let missing = try binauthz(
                ["pgp", "fingerprint", "--public-key-file", "/nonexistent/key.asc"], keyrings: keyrings)
            #expect(missing.status == 1)
            #expect(missing.stdout.isEmpty)
            for result in [several, noKey, missing] {
                #expect(result.stderrText.split(separator: "\n").count == 1)
            }
            let usage = try binauthz(["pgp", "fingerprint"], keyrings: keyrings)
            #expect(usage.status == 64)
        }

        @Test("With GPGME_DEBUG set, no signing keyring is made: its trace would log the secret key")
        func gpgmeDebugRefused() throws {
            let dir = try TemporaryDirectory(prefix: "bzpgpcli")
            let keyrings = try TemporaryDirectory(prefix: "bzk")
            let result = try binauthz(
                [
                    "pgp", "generate-key", "--user-id", "Traced <t@example.com>", "--public-key-file",
                    dir.file("public.asc"), "--private-key-file", dir.file("private.asc"),
                ], keyrings: keyrings, environment: ["GPGME_DEBUG": "9"])
            #expect(result.status == 1, "\(result)")
            #expect(result.stderrText.contains("GPGME_DEBUG is set"), "\(result)")
            #expect(!result.stderrText.contains("PRIVATE KEY"))
            #expect(!FileManager.default.fileExists(atPath: dir.file("private.asc")))
            expectNoLeftovers(keyrings)
        }

        @Test(
            "Terminated mid-operation (SIGTERM, SIGINT, SIGHUP): the secret key's home and its agent are gone",
            arguments: [SIGTERM, SIGINT, SIGHUP])
        func interrupted(_ signal: Int32) throws {
            let dir = try TemporaryDirectory(prefix: "bzpgpcli")
            let keyrings = try TemporaryDirectory(prefix: "bzk")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Subprocess.binauthzExecutable)
            process.arguments = [
                "pgp", "generate-key", "--user-id", "Interrupted <i@example.com>", "--algorithm", "rsa4096",
                "--public-key-file", dir.file("public.asc"), "--private-key-file", dir.file("private.asc"),
            ]
            process.environment = ProcessInfo.processInfo.environment.merging(
                ["BINAUTHZ_KEYRING_DIR": keyrings.path]) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Wait until the keyring's home exists — RSA-4096 generation then runs for a second or more.
            let deadline = Date().addingTimeInterval(30)
            while ((try? FileManager.default.contentsOfDirectory(atPath: keyrings.path)) ?? []).isEmpty,
                process.isRunning, Date() < deadline
            {
                usleep(2_000)
            }
            try #require(process.isRunning, "the command finished before it could be interrupted")
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal)
            #expect(process.terminationStatus == signal, "the exit status still says what killed the command")
            #expect(!FileManager.default.fileExists(atPath: dir.file("private.asc")))
            expectNoLeftovers(keyrings)
        }
    }
}

extension CommandLineTests.PGPCLITests {
    @Test(
        "Killed mid-operation (SIGKILL): the watchdog removes the home and its agent",
        arguments: [SIGKILL])
    func killed(_ signal: Int32) throws {
        let dir = try TemporaryDirectory(prefix: "bzpgpcli")
        let keyrings = try TemporaryDirectory(prefix: "bzk")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Subprocess.binauthzExecutable)
        process.arguments = [
            "pgp", "generate-key", "--user-id", "Killed <k@example.com>", "--algorithm", "rsa4096",
            "--public-key-file", dir.file("public.asc"), "--private-key-file", dir.file("private.asc"),
        ]
        process.environment = ProcessInfo.processInfo.environment.merging(["BINAUTHZ_KEYRING_DIR": keyrings.path]) {
            $1
        }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while ((try? FileManager.default.contentsOfDirectory(atPath: keyrings.path)) ?? []).isEmpty,
            process.isRunning, Date() < deadline
        {
            usleep(2_000)
        }
        // Give the command the moment between creating the home and telling its watchdog (RSA-4096 generation then
        // takes seconds more).
        usleep(300_000)
        try #require(process.isRunning, "the command finished before it could be killed")
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(!FileManager.default.fileExists(atPath: dir.file("private.asc")))
        // Nothing in the command ran; its watchdog cleans up within a second or so.
        let cleaned = Date().addingTimeInterval(10)
        while !((try? FileManager.default.contentsOfDirectory(atPath: keyrings.path)) ?? []).isEmpty, Date() < cleaned {
            usleep(20_000)
        }
        usleep(200_000)
        expectNoLeftovers(keyrings)
    }
}
