// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

/// `--pgp-verifier native|gpgme` on every command that verifies (`attestations validate`, `policy evaluate`,
/// `review`): both verifiers give the same verdict and the same output for signatures made by the real `gpg`; the
/// reason of an admitted image says which verifier decided; the in-process verifier runs no `gpg` at all.
extension CommandLineTests {
    @Suite(
        "binauthz --pgp-verifier", .enabled(if: GnuPGHome.unavailableReason == nil, "needs the gpg command-line tool"))
    struct PGPVerifierCLITests {
        static let image = "gcr.io/nmallyatestproject/containerdemo@sha256:" + String(repeating: "5", count: 64)
        static let note = "projects/nmallyatestproject/notes/Human-Attestor-Note"
        static let attestor = "projects/nmallyatestproject/attestors/manually-verified"
        /// Requires `attestor` on `cluster`.
        static var policy: String { Fixtures.corpus("seed-article/set-a/sec-policy.yml").path }
        static let cluster = "us-central1-b.cd-cluster"
        static let verifiers: [[String]] = [[], ["--pgp-verifier", "native"], ["--pgp-verifier", "gpgme"]]

        /// An attestor with one RSA-2048 key made by `gpg`, and three occurrences for ``image``: signed by that key,
        /// signed by another key (an Ed25519 key the attestor does not hold) but naming the attestor's key, and signed
        /// by the attestor's key with one byte of the signed payload changed afterwards.
        final class Signed {
            let dir: TemporaryDirectory
            let fingerprint: String
            var attestorFile: String { dir.file("attestor.json") }
            var good: String { dir.file("good.json") }
            var wrongKey: String { dir.file("wrong-key.json") }
            var tampered: String { dir.file("tampered.json") }

            init() throws {
                dir = try TemporaryDirectory(prefix: "bzverifier")
                let gpg = try GnuPGHome()
                defer { gpg.close() }
                fingerprint = try gpg.generateKey(userID: "Verifier CLI <verifier@example.com>", algorithm: "rsa2048")
                let other = try gpg.generateKey(userID: "Someone Else <else@example.com>", algorithm: "ed25519")
                try dir.write("public.asc", try gpg.exportPublicKey(fingerprint))
                let payload = try Subprocess.binauthz(["create-signature-payload", "--artifact-url", image]).stdout
                try dir.write("payload.json", payload)

                // The payload signed without compression, so its bytes sit verbatim in the literal data packet.
                var tampered = try gpg.gpg(
                    [
                        "--passphrase", "", "--compress-algo", "none", "--local-user", fingerprint, "--output", "-",
                        "--sign",
                        dir.file("payload.json"),
                    ]).stdout
                let word = Array("container signature".utf8)
                let at = try #require(
                    (0...(tampered.count - word.count)).first { Array(tampered[$0..<($0 + word.count)]) == word })
                tampered[at + word.count - 1] = UInt8(ascii: "E")

                let signatures: [(String, [UInt8])] = [
                    ("good", try gpg.sign(payload, as: fingerprint)),
                    ("wrong-key", try gpg.sign(payload, as: other)),
                    ("tampered", tampered),
                ]
                for (name, signature) in signatures {
                    try dir.write("\(name).sig", signature)
                    let created = try Subprocess.binauthz(
                        [
                            "attestations", "create", "--artifact-url", image, "--note", note,
                            "--signature-file", dir.file("\(name).sig"), "--public-key-id", fingerprint,
                            "--output", dir.file("\(name).json"),
                        ])
                    #expect(created.status == 0, "\(created)")
                }
                let attestorJSON = try Subprocess.binauthz(
                    [
                        "attestors", "create", "--attestor", attestor, "--note", note, "--pgp-public-key-file",
                        dir.file("public.asc"),
                    ])
                #expect(attestorJSON.status == 0, "\(attestorJSON)")
                try dir.write("attestor.json", attestorJSON.stdout)
            }
        }

        /// Runs `arguments` with no flag, `native` and `gpgme`, and returns the three results.
        static func eachVerifier(_ arguments: [String], stdin: [UInt8] = [], environment: [String: String] = [:])
            throws -> [CommandResult]
        {
            try verifiers.map { try Subprocess.binauthz(arguments + $0, stdin: stdin, environment: environment) }
        }

        /// All three results are the same (exit status, standard output and error), after `normalize`.
        static func expectSame(
            _ results: [CommandResult], status: Int32, normalize: (String) -> String = { $0 },
            sourceLocation: SourceLocation = #_sourceLocation
        ) {
            for (flags, result) in zip(verifiers, results) {
                #expect(result.status == status, "\(flags): \(result)", sourceLocation: sourceLocation)
                #expect(
                    normalize(result.stdoutText) == normalize(results[0].stdoutText),
                    "\(flags) prints something else than the default:\n\(result)\n--- default\n\(results[0])",
                    sourceLocation: sourceLocation)
                #expect(
                    result.stderrText == results[0].stderrText, "\(flags): \(result)", sourceLocation: sourceLocation)
            }
        }

        @Test("attestations validate: the same result and reason from native and gpgme")
        func validate() throws {
            let signed = try Signed()
            func run(_ occurrence: String) throws -> [CommandResult] {
                try Self.eachVerifier(
                    [
                        "attestations", "validate", "--attestor-file", signed.attestorFile, "--attestation-file",
                        occurrence,
                    ])
            }
            let good = try run(signed.good)
            Self.expectSame(good, status: 0)
            #expect(good[0].stdoutText == "{\"result\": \"VERIFIED\"}\n")

            let wrongKey = try run(signed.wrongKey)
            Self.expectSame(wrongKey, status: 2)
            #expect(wrongKey[0].stdoutText.contains("\"result\": \"ATTESTATION_NOT_VERIFIABLE\""), "\(wrongKey[0])")
            #expect(wrongKey[0].stdoutText.contains(signed.fingerprint), "\(wrongKey[0])")

            let tampered = try run(signed.tampered)
            Self.expectSame(tampered, status: 2)
            #expect(tampered[0].stdoutText.contains("\"result\": \"ATTESTATION_NOT_VERIFIABLE\""), "\(tampered[0])")
            #expect(tampered[0].stdoutText.contains("bad signature"), "\(tampered[0])")
            #expect(tampered[0].stdoutText != wrongKey[0].stdoutText)
        }

        @Test("policy evaluate: the same decision; an admitted image's reason names the verifier that decided")
        func policyEvaluate() throws {
            let signed = try Signed()
            /// The reasons differ only in the verifier named.
            let anyVerifier = { (text: String) in
                text.replacingOccurrences(of: "; verifier: in-process)", with: "; verifier: X)")
                    .replacingOccurrences(of: "; verifier: GnuPG)", with: "; verifier: X)")
            }
            for format in ["text", "json"] {
                func run(_ occurrence: String) throws -> [CommandResult] {
                    try Self.eachVerifier(
                        [
                            "policy", "evaluate", "--policy-file", Self.policy, "--attestor-file", signed.attestorFile,
                            "--attestation-file", occurrence, "--image", Self.image, "--cluster", Self.cluster,
                            "--format", format,
                        ])
                }
                let good = try run(signed.good)
                Self.expectSame(good, status: 0, normalize: anyVerifier)
                #expect(good[0].stdoutText.contains("verified for sha256:5555"), "\(good[0])")
                #expect(good[0].stdoutText.contains("; verifier: in-process)"), "\(good[0])")
                #expect(good[1].stdoutText.contains("; verifier: in-process)"), "\(good[1])")
                #expect(good[2].stdoutText.contains("; verifier: GnuPG)"), "\(good[2])")
                #expect(!good[2].stdoutText.contains("in-process"), "\(good[2])")

                for occurrence in [signed.wrongKey, signed.tampered] {
                    let denied = try run(occurrence)
                    Self.expectSame(denied, status: 2)
                    #expect(denied[0].stdoutText.contains(format == "json" ? "\"allowed\": false" : "DENIED"))
                    #expect(!denied[0].stdoutText.contains("verifier:"), "\(denied[0])")
                }
            }
        }

        @Test("review: the same AdmissionReview response from native and gpgme")
        func review() throws {
            let signed = try Signed()
            let request = Array(ReviewCLITests.review(images: [Self.image]).utf8)
            func run(_ occurrence: String) throws -> [CommandResult] {
                try Self.eachVerifier(
                    [
                        "review", "--policy-file", Self.policy, "--attestor-file", signed.attestorFile,
                        "--attestation-file", occurrence, "--cluster", Self.cluster,
                    ],
                    stdin: request)
            }
            let good = try run(signed.good)
            Self.expectSame(good, status: 0)
            #expect(try ReviewCLITests.response(good[0])["allowed"] as? Bool == true)
            for occurrence in [signed.wrongKey, signed.tampered] {
                let denied = try run(occurrence)
                Self.expectSame(denied, status: 2)
                let response = try ReviewCLITests.response(denied[0])
                #expect(response["allowed"] as? Bool == false)
                let status = try #require(response["status"] as? [String: Any], "\(denied[0])")
                #expect((status["message"] as? String)?.contains("denied by attestor \(Self.attestor)") == true)
            }
        }

        @Test(
            "An unknown --pgp-verifier is a usage error on every command that verifies",
            arguments: ["openpgp", "NATIVE", "automatic", ""])
        func unknownValue(value: String) throws {
            let commands: [[String]] = [
                ["attestations", "validate", "--attestor-file", "a.json", "--attestation-file", "o.json"],
                ["policy", "evaluate", "--policy-file", Self.policy, "--image", Self.image],
                ["review", "--policy-file", Self.policy],
            ]
            for command in commands {
                let result = try Subprocess.binauthz(command + ["--pgp-verifier", value])
                #expect(result.status == 64, "\(command): \(result)")
                #expect(result.stdout.isEmpty, "\(command): \(result)")
                #expect(
                    result.stderrText.contains("--pgp-verifier must be native or gpgme, not \(value)"),
                    "\(command): \(result)")
            }
        }

        @Test("--pgp-verifier is listed in the help of every command that verifies")
        func help() throws {
            for command in [["attestations", "validate"], ["policy", "evaluate"], ["review"]] {
                let result = try Subprocess.binauthz(command + ["--help"])
                #expect(result.status == 0, "\(result)")
                #expect(result.stdoutText.contains("--pgp-verifier <native|gpgme>"), "\(command): \(result)")
            }
        }

        @Test("With the in-process verifier no gpg runs: no gpg on PATH, and GPGME's trace shows no process spawned")
        func noGPG() throws {
            let signed = try Signed()
            let trace = try TemporaryDirectory(prefix: "bztrace")
            let empty = try TemporaryDirectory(prefix: "bznopath")
            #expect(!FileManager.default.fileExists(atPath: empty.file("gpg")))
            let validate = ["attestations", "validate", "--attestor-file", signed.attestorFile, "--attestation-file"]
            for flags in [["--pgp-verifier", "native"], []] {
                let log = trace.file("native\(flags.count).log")
                let environment = ["PATH": empty.path, "GPGME_DEBUG": "9:\(log)"]
                let good = try Subprocess.binauthz(validate + [signed.good] + flags, environment: environment)
                #expect(good.status == 0, "\(flags): \(good)")
                #expect(good.stdoutText == "{\"result\": \"VERIFIED\"}\n", "\(good)")
                let tampered = try Subprocess.binauthz(validate + [signed.tampered] + flags, environment: environment)
                #expect(tampered.status == 2, "\(flags): \(tampered)")
                #expect(tampered.stdoutText.contains("bad signature"), "\(tampered)")
                let admitted = try Subprocess.binauthz(
                    [
                        "policy", "evaluate", "--policy-file", Self.policy, "--attestor-file", signed.attestorFile,
                        "--attestation-file", signed.good, "--image", Self.image, "--cluster", Self.cluster,
                    ] + flags,
                    environment: environment)
                #expect(admitted.status == 0, "\(flags): \(admitted)")
                #expect(admitted.stdoutText.contains("; verifier: in-process)"), "\(admitted)")
                // GPGME was never even initialised, so it wrote no trace, let alone a spawn.
                let written = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                #expect(!written.contains("spawn"), "\(flags): GPGME ran a process:\n\(written.prefix(2000))")
            }
            // The control: forcing GPGME, the same trace records the gpg processes it runs.
            let log = trace.file("gpgme.log")
            let forced = try Subprocess.binauthz(
                validate + [signed.good, "--pgp-verifier", "gpgme"], environment: ["GPGME_DEBUG": "9:\(log)"])
            #expect(forced.status == 0, "\(forced)")
            let written = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            #expect(written.contains("spawn"), "no spawn in GPGME's trace:\n\(written.prefix(2000))")
        }
    }
}
