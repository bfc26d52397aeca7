// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

extension CommandLineTests {
    /// `binauthz attestations create` against what gcloud 528's `attestations create` did (the committed
    /// `gcloud-parity/attestations-create` corpus: 251 artifact URLs, key ids, signatures, payloads, notes and
    /// attestors), against gcloud's own code on freshly generated URLs where it is installed, and `--validate` with
    /// real keys.
    @Suite("binauthz attestations create, as gcloud")
    struct AttestationsCreateCLITests {
        /// Cases whose outcome depends on gcloud's fake `ValidateAttestationOccurrence` answer or its prompt: binauthz
        /// validates for real (see ``validateWithRealKeys()``).
        static let cases = GcloudCommandCase.load("attestations-create/cases.json").filter {
            $0.request["validate"] == nil && $0.request["answer"] == nil
        }

        /// Key ids no attestor key can have: gcloud sends them, binauthz writes them too and warns.
        static let unusableKeyIDs: Set<String> = [
            "key-id-pgp-lower", "key-id-pgp-short", "key-id-pgp-spaced", "key-id-pgp-0x", "key-id-empty",
            "key-id-space",
            "key-id-words", "key-id-unicode", "key-id-dash", "key-id-double-dash", "key-id-tab", "key-id-newline",
            "key-id-long", "key-id-equals", "key-id-quote",
        ]

        /// Notes gcloud accepts that are no note name (`projects/q/notes/n/x`): binauthz refuses them, on purpose
        /// (Docs/Semantics.md).
        static let refusedNotes: Set<String> = ["note-extra-segment"]

        /// The arguments binauthz takes for the same request, with its input files written to `dir`.
        static func arguments(_ item: GcloudCommandCase, in dir: TemporaryDirectory) throws -> [String] {
            var arguments = ["attestations", "create"]
            arguments += option("--artifact-url", item.string("artifactUrl") ?? "")
            arguments += option("--public-key-id", item.string("publicKeyId") ?? "")
            arguments += ["--signature-file", try dir.write("signature.bin", item.bytes("signature") ?? [])]
            if let payload = item.bytes("payload") {
                arguments += ["--payload-file", try dir.write("payload.json", payload)]
            }
            if let note = item.string("note") {
                // gcloud's --note=N --note-project=Q is projects/Q/notes/N.
                if !note.hasPrefix("projects/"), let project = item.string("noteProject") {
                    arguments += ["--note", "projects/\(project)/notes/\(note)"]
                } else {
                    arguments += ["--note", note]
                }
            }
            if let attestor = item.string("attestor") {
                var served = item.object("attestorJson")
                if served == nil {
                    let project = item.string("attestorProject") ?? item.string("project") ?? "p"
                    let name = attestor.hasPrefix("projects/") ? attestor : "projects/\(project)/attestors/\(attestor)"
                    served =
                        ["name": name, "userOwnedGrafeasNote": ["noteReference": "projects/p/notes/n"]]
                        as [String: any Sendable]
                }
                let json = try JSONSerialization.data(withJSONObject: served!, options: [.sortedKeys])
                arguments += ["--attestor-file", try dir.write("attestor.json", [UInt8](json))]
            }
            return arguments
        }

        /// `--flag value`, or `--flag=value` for a value that looks like a flag.
        static func option(_ flag: String, _ value: String) -> [String] {
            value.hasPrefix("-") ? [flag + "=" + value] : [flag, value]
        }

        static func isSHA256(_ digest: Substring) -> Bool {
            digest.hasPrefix("sha256:") && digest.count == 71
                && digest.dropFirst(7).allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
        }

        @Test("attestations create writes gcloud's occurrence, or fails where gcloud fails", arguments: cases)
        func createCase(_ item: GcloudCommandCase) throws {
            let dir = try TemporaryDirectory()
            let result = try Subprocess.binauthz(try Self.arguments(item, in: dir))
            guard item.ok, !Self.refusedNotes.contains(item.name) else {
                #expect(result.status != 0, "gcloud: \(item.errorMessage ?? "")\n\(result)")
                #expect(result.stdout.isEmpty)
                if let message = item.errorMessage, !item.crash,
                    message.hasPrefix("Invalid ") || message.hasPrefix("Docker image name")
                        || message.hasPrefix("A Docker")
                        || message.hasPrefix("Image URL")
                {
                    // binauthz shortens a very long URL in its message (400 characters), so compare its start.
                    let shown = message.count > 380 ? String(message.prefix(200)) : message
                    #expect(result.stderrText.contains(shown), "gcloud: \(message)\n\(result)")
                }
                return
            }
            #expect(result.status == 0, "\(result)")
            let written = try JSONSerialization.jsonObject(with: Data(result.stdout))
            #expect(jsonEqual(written, item.body), "gcloud: \(item.expected["bodyText"] ?? "")\n\(result)")
            // A warning exactly where the attestation can never verify.
            let body = item.body as? [String: any Sendable]
            let uri = body?["resourceUri"] as? String ?? ""
            let digest = uri.lastIndex(of: "@").map { uri[uri.index(after: $0)...] } ?? ""
            let cannotVerify =
                !Self.isSHA256(digest) || Self.unusableKeyIDs.contains(item.name)
                || item.name == "signature-empty" || item.request["attestor"] != nil  // the served attestor has no keys
            let warnings = result.stderrText.split(separator: "\n").filter { $0.contains("can never verify") }
            #expect(!warnings.isEmpty == cannotVerify, "\(result)")
            #expect(result.stderrText.split(separator: "\n").count == warnings.count, "\(result)")
        }

        @Test("The corpus covers at least 300 gcloud runs, 250 of them artifact URLs")
        func corpusSize() {
            #expect(Self.cases.count >= 300)
            #expect(Self.cases.filter { $0.name.hasPrefix("url-") }.count >= 250)
        }

        @Test(
            "Random artifact URLs: binauthz accepts exactly what gcloud's own attestations create accepts, byte for byte",
            .enabled(if: GcloudTool.unavailableReason == nil, "gcloud is not installed; the live comparison is skipped")
        )
        func liveOracle() throws {
            var random = SplitMix(seed: UInt64(Date().timeIntervalSince1970) & 0xFFFF)
            let urls = (0..<80).map { _ in random.artifactURL() }
            let signature = Data([0xFA, 0xFB, 0xFC, 0xFD, 0xFE, 0xFF, 0x3F, 0x3E]).base64EncodedString()
            let answers = try GcloudTool.batch(
                urls.map {
                    [
                        "op": "attestations-create", "artifactUrl": $0, "note": "projects/p/notes/n",
                        "signature": signature,
                        "publicKeyId": "urn:k",
                    ]
                })
            #expect(answers.count == urls.count)
            let dir = try TemporaryDirectory()
            let file = try dir.write("signature.bin", [0xFA, 0xFB, 0xFC, 0xFD, 0xFE, 0xFF, 0x3F, 0x3E])
            for (url, answer) in zip(urls, answers) {
                let result = try Subprocess.binauthz(
                    ["attestations", "create"] + Self.option("--artifact-url", url) + [
                        "--note", "projects/p/notes/n",
                        "--signature-file", file, "--public-key-id", "urn:k",
                    ])
                if answer["ok"] as? Bool == true {
                    #expect(result.status == 0, "seed \(random.seed): \(url.debugDescription)\n\(result)")
                    let written = try? JSONSerialization.jsonObject(with: Data(result.stdout))
                    #expect(
                        jsonEqual(written, answer["body"]), "seed \(random.seed): \(url.debugDescription)\n\(result)")
                } else {
                    #expect(result.status == 1, "seed \(random.seed): \(url.debugDescription)\n\(result)")
                    if let message = answer["errorMessage"] as? String, answer["crash"] as? Bool != true {
                        #expect(
                            result.stderrText.contains(message),
                            "seed \(random.seed): \(url.debugDescription)\n\(result)")
                    }
                }
            }
        }

        @Test(
            "--note and --attestor-file: exactly one; --validate needs --attestor-file; an attestor without a note is refused"
        )
        func noteOrAttestor() throws {
            let dir = try TemporaryDirectory()
            let signature = try dir.write("sig", "x")
            let image = "gcr.io/p/app@sha256:" + String(repeating: "a", count: 64)
            let base = [
                "attestations", "create", "--artifact-url", image, "--signature-file", signature, "--public-key-id",
                "urn:k",
            ]
            var result = try Subprocess.binauthz(base)
            #expect(result.status == 64)
            #expect(result.stderrText.contains("One of --attestor-file or --note must be provided."), "\(result)")
            let attestor = try dir.write(
                "a.json",
                #"{"name": "projects/p/attestors/a", "userOwnedGrafeasNote": {"noteReference": "projects/q/notes/n"}}"#)
            result = try Subprocess.binauthz(base + ["--note", "projects/p/notes/n", "--attestor-file", attestor])
            #expect(result.status == 64, "\(result)")
            result = try Subprocess.binauthz(base + ["--note", "projects/p/notes/n", "--validate"])
            #expect(result.status == 64, "\(result)")
            #expect(result.stderrText.contains("--validate needs --attestor-file"), "\(result)")
            result = try Subprocess.binauthz(base + ["--attestor-file", attestor])
            #expect(result.status == 0, "\(result)")
            #expect(result.stdoutText.contains(#""noteName": "projects/q/notes/n""#))
            #expect(result.stderrText.contains("attestor projects/p/attestors/a has no public keys"), "\(result)")
            let noNote = try dir.write("b.json", #"{"name": "projects/p/attestors/a"}"#)
            result = try Subprocess.binauthz(base + ["--attestor-file", noNote])
            #expect(result.status == 1)
            #expect(result.stderrText.contains("b.json: userOwnedGrafeasNote.noteReference is missing"), "\(result)")
            let badNote = try dir.write(
                "c.yaml", "name: projects/p/attestors/a\nuserOwnedGrafeasNote:\n  noteReference: bogus\n")
            result = try Subprocess.binauthz(base + ["--attestor-file", badNote])
            #expect(result.status == 1)
            #expect(result.stderrText.contains("c.yaml: userOwnedGrafeasNote.noteReference"), "\(result)")
        }

        @Test(
            "--validate with the seed article's real key: written when it verifies, gcloud's error and exit 2 when not")
        func validateWithRealKeys() throws {
            let dir = try TemporaryDirectory()
            let image =
                "gcr.io/nmallyatestproject/containerdemo@sha256:a46ab6b21371e1e3250d3b512b38aa2727ad61a2fc1ab2d2c135589d315c7442"
            let key = "E50ABDE5A0C05DB317479494C111AF41B88ECC96"
            let note = "projects/nmallyatestproject/notes/Human-Attestor-Note"
            let attestor = try Subprocess.binauthz(
                [
                    "attestors", "create", "--attestor", "projects/nmallyatestproject/attestors/manually-verified",
                    "--note", note,
                    "--pgp-public-key-file", Fixtures.corpus("seed-article/set-a/generated-key.pgp").path,
                ])
            #expect(attestor.status == 0)
            let attestorFile = try dir.write("attestor.json", attestor.stdout)
            let signature = Fixtures.corpus("seed-article/set-a/generated_signature.pgp").path
            let base = [
                "attestations", "create", "--artifact-url", image, "--attestor-file", attestorFile,
                "--signature-file", signature, "--validate",
            ]
            let output = dir.file("occurrence.json")

            var result = try Subprocess.binauthz(
                base + ["--public-key-id", key, "--at", "2019-06-01T00:00:00Z", "--output", output])
            #expect(result.status == 0, "\(result)")
            #expect(result.stderrText.isEmpty, "\(result)")
            let written = try String(contentsOfFile: output, encoding: .utf8)
            #expect(written.contains(#""noteName": "\#(note)""#))
            let validation = try Subprocess.binauthz(
                [
                    "attestations", "validate", "--attestor-file", attestorFile, "--attestation-file", output,
                    "--at", "2019-06-01T00:00:00Z",
                ])
            #expect(validation.stdoutText == "{\"result\": \"VERIFIED\"}\n", "\(validation)")
            try FileManager.default.removeItem(atPath: output)

            // Today the key has expired: gcloud's words with the reason, nothing written, exit 2.
            result = try Subprocess.binauthz(
                base + ["--public-key-id", key, "--at", "2026-01-01T00:00:00Z", "--output", output])
            #expect(result.status == 2, "\(result)")
            #expect(result.stdout.isEmpty)
            #expect(!FileManager.default.fileExists(atPath: output))
            #expect(result.stderrText.hasPrefix("binauthz: Attestation could not be validated! ("), "\(result)")
            #expect(result.stderrText.contains("expired on 2020-12-18"), "\(result)")

            // Another image: the embedded payload names the seed digest.
            let other = "gcr.io/nmallyatestproject/containerdemo@sha256:" + String(repeating: "b", count: 64)
            result = try Subprocess.binauthz(
                [
                    "attestations", "create", "--artifact-url", other, "--attestor-file", attestorFile,
                    "--signature-file", signature,
                    "--validate", "--public-key-id", key, "--at", "2019-06-01T00:00:00Z",
                ])
            #expect(result.status == 2, "\(result)")
            #expect(result.stderrText.contains("Attestation could not be validated!"), "\(result)")

            // A key id the attestor does not have: the warning says so before validation fails.
            result = try Subprocess.binauthz(
                base + ["--public-key-id", key.lowercased(), "--at", "2019-06-01T00:00:00Z"])
            #expect(result.status == 2, "\(result)")
            #expect(
                result.stderrText.contains("warning: this attestation can never verify: public key id"), "\(result)")
            #expect(result.stderrText.contains("Attestation could not be validated!"), "\(result)")
        }
    }
}

typealias SplitMix = SplitMix64

/// Artifact URLs in the spellings users type and get wrong, from the suite's seeded generator.
extension SplitMix64 {
    mutating func artifactURL() -> String {
        let schemes = ["", "", "https://", "http://", "HTTPS://", "//", "oci://", "docker://", "https:", "ftp://"]
        let registries = [
            "gcr.io", "us-docker.pkg.dev", "GCR.IO", "localhost:5000", "127.0.0.1:5000", "[::1]:5000", "quay.io", "x",
            "a.b", "reg.example.com:8443", "docker.io", "", "gcr.io.",
        ]
        let paths = ["p/i", "i", "ab", "p/r/i", "P/i", "p//i", "library/busybox", "p/i_x-y.z", "p/i/", "p/é", "p i"]
        let tags = ["", "", ":v1", ":latest", ":TAG_1.0", ":t!", ":", ":" + String(repeating: "t", count: 128)]
        let hex = [
            "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", String(repeating: "a", count: 64),
        ]
        let digests = [
            "@sha256:" + pick(hex), "@sha256:" + pick(hex), "@sha512:" + pick(hex), "@hhhhhhh" + pick(hex),
            "@sha256:" + pick(hex).uppercased(), "@sha256:" + pick(hex).dropLast(), "@sha256:" + pick(hex) + "b",
            "@sha384:" + pick(hex) + String(repeating: "a", count: 32), "",
            "@sha256:" + pick(hex) + "@sha256:" + pick(hex),
            "@sha256:" + pick(hex) + "?", "@sha256:" + pick(hex) + "#x",
        ]
        let registry = pick(registries)
        return pick(schemes) + registry + (registry.isEmpty ? "" : "/") + pick(paths) + pick(tags) + pick(digests)
    }
}
