// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The command line tried as an attacker and as a careless user would: closed and full streams, odd output paths,
/// hostile input files. Every case ends in seconds with exit 1 or 2, one line on stderr, and no home or agent left
/// (the suite tree checks that).
extension CommandLineTests {
    @Suite("Hostile input and failing streams")
    struct HostileCLITests {
        static let image = "gcr.io/my-proj/app@sha256:" + String(repeating: "7", count: 64)
        static let note = "projects/my-proj/notes/n"

        /// Runs binauthz through `sh -c` with `redirections` applied (`>&-`, `>/dev/full`, `<&-`).
        static func shell(_ arguments: [String], _ redirections: String, environment: [String: String] = [:])
            throws -> CommandResult
        {
            var env = environment
            if env["BINAUTHZ_KEYRING_DIR"] == nil { env["BINAUTHZ_KEYRING_DIR"] = TestHomes.current }
            return try Subprocess.run(
                "/bin/sh", ["-c", "exec \"$0\" \"$@\" \(redirections)", Subprocess.binauthzExecutable] + arguments,
                environment: env)
        }

        @Test(
            "Standard output closed or full: exit 1 with one line, no crash",
            arguments: [(">&-", "the stream is closed"), (">/dev/full", "no space left on the device")])
        func failingStandardOutput(redirection: String, cause: String) throws {
            let result = try Self.shell(["create-signature-payload", "--artifact-url", Self.image], redirection)
            #expect(result.status == 1, "\(result)")
            #expect(result.stderrText == "binauthz: cannot write to standard output: \(cause)\n", "\(result)")
        }

        @Test(
            "sign-and-create with the key in the environment and stdout closed or full: exit 1, the key's home gone",
            .enabled(if: GnuPGHome.unavailableReason == nil, "needs the gpg command-line tool"),
            arguments: [">&-", ">/dev/full"])
        func signingWithFailingStandardOutput(redirection: String) throws {
            let gpg = try GnuPGHome()
            defer { gpg.close() }
            let fingerprint = try gpg.generateKey(userID: "CI <ci@example.com>")
            let secret = Data(try gpg.exportSecretKey(fingerprint)).base64EncodedString()
            let homes = try TemporaryDirectory(prefix: "bzh")
            let result = try Self.shell(
                [
                    "attestations", "sign-and-create", "--artifact-url", Self.image, "--note", Self.note,
                    "--pgp-private-key-env", "BINAUTH_PRIVATE_KEY",
                ],
                redirection, environment: ["BINAUTH_PRIVATE_KEY": secret, "BINAUTHZ_KEYRING_DIR": homes.path])
            #expect(result.status == 1, "\(result)")
            #expect(result.stderrText.hasPrefix("binauthz: cannot write to standard output"), "\(result)")
            #expect(!result.stderrText.contains(secret))
            #expect(try FileManager.default.contentsOfDirectory(atPath: homes.path).isEmpty)
            #expect(processes(mentioning: homes.path).isEmpty)
        }

        @Test("Closed standard input reads as empty: the command ends at once, and SIGTERM still stops a reader")
        func closedStandardInput() throws {
            let started = ContinuousClock.now
            let fingerprint = try Self.shell(["pgp", "fingerprint", "--public-key-file", "-"], "<&-")
            #expect(fingerprint.status == 1, "\(fingerprint)")
            #expect(ContinuousClock.now - started < .seconds(60))
            let policy = Fixtures.url("docs/sandbox/policy.yaml").path
            let review = try Self.shell(["review", "--policy-file", policy], "<&-")
            #expect(review.status == 1 || review.status == 64, "\(review)")
            // A command left waiting on a real (never written) standard input is stopped by SIGTERM.
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Subprocess.binauthzExecutable)
            process.arguments = ["pgp", "fingerprint", "--public-key-file", "-"]
            process.environment = ["BINAUTHZ_KEYRING_DIR": TestHomes.current]
            let input = Pipe()
            process.standardInput = input
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: 0.5)
            process.terminate()
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGTERM)
            try? input.fileHandleForWriting.close()
        }

        @Test("--output writes through a symlink, into a FIFO and into /dev/null, like a redirection")
        func publicOutputs() throws {
            let dir = try TemporaryDirectory()
            let arguments = { (output: String) in
                [
                    "attestations", "create", "--artifact-url", Self.image, "--note", Self.note, "--signature-file",
                    Fixtures.corpus("seed-article/set-a/generated_signature.pgp").path, "--public-key-id",
                    "E50ABDE5A0C05DB317479494C111AF41B88ECC96", "--output", output,
                ]
            }
            // Through a symlink: the target is replaced, the link stays a link.
            let target = try dir.write("target.json", "old")
            try FileManager.default.createSymbolicLink(atPath: dir.file("link.json"), withDestinationPath: target)
            #expect(try Subprocess.binauthz(arguments(dir.file("link.json"))).status == 0)
            #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir.file("link.json")) == target)
            #expect(try String(contentsOfFile: target, encoding: .utf8).contains("\"noteName\""))
            // Into a FIFO: the reader gets the occurrence.
            let fifo = dir.file("fifo")
            #expect(mkfifo(fifo, 0o600) == 0)
            nonisolated(unsafe) var received: [UInt8] = []
            let reader = Thread {
                let fd = open(fifo, O_RDONLY)
                guard fd >= 0 else { return }
                defer { close(fd) }
                var chunk = [UInt8](repeating: 0, count: 4096)
                while true {
                    let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                    if count <= 0 { break }
                    received += chunk[0..<count]
                }
            }
            reader.start()
            #expect(try Subprocess.binauthz(arguments(fifo)).status == 0)
            while !reader.isFinished { Thread.sleep(forTimeInterval: 0.05) }
            #expect(String(decoding: received, as: UTF8.self).contains("\"noteName\""))
            var info = stat()
            #expect(lstat(fifo, &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO, "the FIFO is still a FIFO")
            // Into /dev/null: nothing is replaced.
            #expect(try Subprocess.binauthz(arguments("/dev/null")).status == 0)
            #expect(stat("/dev/null", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR)
        }

        @Test("A private key is never written through a symlink or into a FIFO; it is created 0600")
        func secretOutputs() throws {
            let dir = try TemporaryDirectory()
            let victim = try dir.write("victim", "untouched")
            try FileManager.default.createSymbolicLink(atPath: dir.file("key.pem"), withDestinationPath: victim)
            let viaLink = try Subprocess.binauthz(
                [
                    "pkix", "generate-key", "--algorithm", "ecdsa-p256-sha256", "--public-key-file",
                    dir.file("pub.pem"),
                    "--private-key-file", dir.file("key.pem"),
                ])
            #expect(viaLink.status == 1, "\(viaLink)")
            #expect(viaLink.stderrText.contains("symbolic link"), "\(viaLink)")
            #expect(try String(contentsOfFile: victim, encoding: .utf8) == "untouched")
            let fifo = dir.file("fifo")
            #expect(mkfifo(fifo, 0o600) == 0)
            let intoFIFO = try Subprocess.binauthz(
                [
                    "pkix", "generate-key", "--algorithm", "ecdsa-p256-sha256", "--public-key-file",
                    dir.file("pub2.pem"),
                    "--private-key-file", fifo,
                ])
            #expect(intoFIFO.status == 1, "\(intoFIFO)")
            let fresh = try Subprocess.binauthz(
                [
                    "pkix", "generate-key", "--algorithm", "ecdsa-p256-sha256", "--public-key-file",
                    dir.file("pub3.pem"),
                    "--private-key-file", dir.file("new.pem"),
                ])
            #expect(fresh.status == 0, "\(fresh)")
            var info = stat()
            #expect(stat(dir.file("new.pem"), &info) == 0 && info.st_mode & 0o777 == 0o600)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasPrefix(".") }
            #expect(leftovers.isEmpty, "temporary files left: \(leftovers)")
        }

        @Test("Messages name the real problem")
        func messages() throws {
            let dir = try TemporaryDirectory()
            // A PGP key where a PKIX key is expected.
            let pgp = Fixtures.corpus("seed-article/set-a/generated-key.pgp").path
            let asPKIX = try Subprocess.binauthz(["pkix", "key-id", "--public-key-file", pgp])
            #expect(asPKIX.status == 1)
            #expect(asPKIX.stderrText.contains("OpenPGP armor"), "\(asPKIX)")
            // A PEM key where a PGP key is expected.
            let generated = try Subprocess.binauthz(
                [
                    "pkix", "generate-key", "--algorithm", "ecdsa-p256-sha256", "--public-key-file",
                    dir.file("pub.pem"),
                    "--private-key-file", dir.file("k.pem"),
                ])
            #expect(generated.status == 0, "\(generated)")
            let asPGP = try Subprocess.binauthz(["pgp", "fingerprint", "--public-key-file", dir.file("pub.pem")])
            #expect(asPGP.status == 1)
            #expect(asPGP.stderrText.contains("PEM block"), "\(asPGP)")
            let der = try dir.write("pub.der", [0x30, 0x59, 0x30, 0x13] + [UInt8](repeating: 0x86, count: 87))
            let asDER = try Subprocess.binauthz(["pkix", "key-id", "--public-key-file", der])
            #expect(asDER.status == 1)
            #expect(asDER.stderrText.contains("DER"), "\(asDER)")
            // A FIFO is read like a file.
            // (Named .yaml: gcloud refuses policy files by their extension, and so do we.)
            let fifo = dir.file("policy-fifo.yaml")
            #expect(mkfifo(fifo, 0o600) == 0)
            let writer = Thread {
                let text = Array(((try? Fixtures.text("docs/sandbox/policy.yaml")) ?? "").utf8)
                let fd = open(fifo, O_WRONLY)
                guard fd >= 0 else { return }
                _ = text.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
                close(fd)
            }
            writer.start()
            let fromFIFO = try Subprocess.binauthz(["policy", "validate", "--policy-file", fifo])
            #expect(fromFIFO.status == 0, "\(fromFIFO)")
            // A symlink loop says so.
            try FileManager.default.createSymbolicLink(
                atPath: dir.file("a.yaml"), withDestinationPath: dir.file("b.yaml"))
            try FileManager.default.createSymbolicLink(
                atPath: dir.file("b.yaml"), withDestinationPath: dir.file("a.yaml"))
            let loop = try Subprocess.binauthz(["policy", "validate", "--policy-file", dir.file("a.yaml")])
            #expect(loop.status == 1)
            #expect(loop.stderrText.contains("symlink loop"), "\(loop)")
            // A 50 MB policy is refused by its size at once.
            let big = dir.file("big.yaml")
            _ = FileManager.default.createFile(
                atPath: big, contents: Data(("description: " + String(repeating: "x", count: 50 << 20) + "\n").utf8))
            let started = ContinuousClock.now
            let tooBig = try Subprocess.binauthz(["policy", "validate", "--policy-file", big])
            #expect(tooBig.status == 1)
            #expect(tooBig.stderrText.contains("InputLimits.maximumDocumentBytes"), "\(tooBig)")
            #expect(ContinuousClock.now - started < .seconds(30))
        }

        @Test("Control characters and terminal escapes in image names are shown escaped")
        func terminalEscapes() throws {
            let policy = Fixtures.url("docs/sandbox/policy.yaml").path
            let hostile = "gcr.io/p/app\u{1B}[2J\u{1B}]0;owned\u{07}\nADMITTED:1"
            let result = try Subprocess.binauthz(["policy", "evaluate", "--policy-file", policy, "--image", hostile])
            let output = result.stdoutText + result.stderrText
            #expect(!output.contains("\u{1B}"))
            #expect(!output.contains("\u{07}"))
            #expect(output.contains("\\u{1b}[2J"), "\(result)")
            #expect(!result.stdoutText.split(separator: "\n").contains { $0.hasPrefix("ADMITTED") })
        }
    }
}
