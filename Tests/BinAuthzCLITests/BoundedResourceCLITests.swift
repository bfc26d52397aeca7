// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

/// The hostile inputs of the hostile-input findings, each through the command a user would run, under a 1 GiB
/// address-space limit (`prlimit --as`): each ends with exit 1 or 2 and one line of reason, well before a deadline
/// that only a hang or an exponential blow-up would reach, and leaves no GnuPG home or agent (the suite tree checks).
extension CommandLineTests {
    @Suite(
        "Hostile inputs under a memory limit",
        .enabled(if: Subprocess.which("prlimit") != nil, "needs prlimit (util-linux) to bound the command's memory"))
    struct BoundedResourceCLITests {
        static let memory = 1 << 30
        static let deadline = Duration.seconds(120)
        static let image =
            "gcr.io/nmallyatestproject/containerdemo@sha256:"
            + "a46ab6b21371e1e3250d3b512b38aa2727ad61a2fc1ab2d2c135589d315c7442"

        /// Runs binauthz under the memory limit and checks the outcome.
        @discardableResult
        static func bounded(
            _ arguments: [String], expect statuses: Set<Int32>, stderrContains text: String? = nil,
            sourceLocation: SourceLocation = #_sourceLocation
        ) throws -> CommandResult {
            let started = ContinuousClock.now
            let result = try Subprocess.run(
                "prlimit", ["--as=\(memory)", "--", Subprocess.binauthzExecutable] + arguments,
                environment: ["BINAUTHZ_KEYRING_DIR": TestHomes.current])
            let elapsed = ContinuousClock.now - started
            #expect(
                statuses.contains(result.status), "\(arguments.prefix(3))…\n\(result)", sourceLocation: sourceLocation)
            #expect(elapsed < deadline, "ran \(elapsed): a hang or a blow-up", sourceLocation: sourceLocation)
            if let text {
                #expect(
                    result.stderrText.contains(text) || result.stdoutText.contains(text), "\(result)",
                    sourceLocation: sourceLocation)
            }
            return result
        }

        /// The seed article's attestor (its PGP key) in a file.
        static func seedAttestor(in dir: TemporaryDirectory) throws -> String {
            let attestor = try Subprocess.binauthz(
                [
                    "attestors", "create", "--attestor", "projects/nmallyatestproject/attestors/a", "--note",
                    "projects/nmallyatestproject/notes/n", "--pgp-public-key-file",
                    Fixtures.corpus("seed-article/set-a/generated-key.pgp").path,
                ])
            #expect(attestor.status == 0, "\(attestor)")
            return try dir.write("attestor.json", attestor.stdout)
        }

        static func occurrence(signature: [UInt8], count: Int = 1) -> String {
            let one =
                #"{"signature": "\#(Data(signature).base64EncodedString())", "publicKeyId": "E50ABDE5A0C05DB317479494C111AF41B88ECC96"}"#
            return
                #"{"resourceUri": "\#(image)", "noteName": "projects/nmallyatestproject/notes/n", "kind": "ATTESTATION", "attestation": {"serializedPayload": "e30=", "signatures": [\#(Array(repeating: one, count: count).joined(separator: ", "))]}}"#
        }

        @Test("Decompression bombs in an attestation", arguments: ["nested-zlib-bomb.asc", "bzip2-bomb-1gib.pgp"])
        func bombs(name: String) throws {
            let dir = try TemporaryDirectory()
            let attestor = try Self.seedAttestor(in: dir)
            let occurrence = try dir.write(
                "occurrence.json", Self.occurrence(signature: try Fixtures.data("hostile/\(name)")))
            try Self.bounded(
                [
                    "attestations", "validate", "--attestor-file", attestor, "--attestation-file", occurrence, "--at",
                    "2019-06-01T00:00:00Z",
                ], expect: [2], stderrContains: "InputLimits.maximum")
        }

        @Test("An occurrence with 20,000 signatures is refused before any is checked")
        func manySignatures() throws {
            let dir = try TemporaryDirectory()
            let attestor = try Self.seedAttestor(in: dir)
            // 3.6 MB, as in the finding: small signatures that all name the attestor's key.
            let signature = [UInt8](repeating: 0xC4, count: 120)
            let occurrence = try dir.write("occurrence.json", Self.occurrence(signature: signature, count: 20_000))
            try Self.bounded(
                [
                    "attestations", "validate", "--attestor-file", attestor, "--attestation-file", occurrence, "--at",
                    "2019-06-01T00:00:00Z",
                ], expect: [2], stderrContains: "InputLimits.maximumSignaturesPerOccurrence")
        }

        @Test(
            "Hostile policies: hidden nesting, alias bombs with keys, huge arrays",
            arguments: [
                "finding-quote-in-plain-scalar", "finding-escaped-backslash", "finding-block-nesting",
                "finding-alias-keys-bomb",
            ])
        func policies(name: String) throws {
            let dir = try TemporaryDirectory()
            let policy = try dir.write(
                "policy.yaml", try Fixtures.data("fuzz-regressions/policy-yaml/\(name)"))
            try Self.bounded(
                ["policy", "validate", "--policy-file", policy], expect: [1], stderrContains: "InputLimits.")
        }

        @Test("A 62 MB JSON array and a 4 MB one of 2,000,000 numbers")
        func jsonArrays() throws {
            let dir = try TemporaryDirectory()
            let huge = dir.file("huge.json")
            _ = FileManager.default.createFile(
                atPath: huge, contents: Data(("[" + String(repeating: "0,", count: 31_000_000) + "0]").utf8))
            try Self.bounded(
                ["policy", "validate", "--policy-file", huge], expect: [1],
                stderrContains: "InputLimits.maximumDocumentBytes")
            let many = try dir.write("many.json", "[" + String(repeating: "0,", count: 2_000_000) + "0]")
            try Self.bounded(
                ["policy", "validate", "--policy-file", many], expect: [1], stderrContains: "InputLimits.maximumNodes")
        }

        @Test("A 262,144-bit RSA key in an attestor")
        func hugeRSAKey() throws {
            let dir = try TemporaryDirectory()
            let pem = try Fixtures.text("fuzz-regressions/pkix/finding-huge-rsa-modulus.pem")
            let key = try dir.write("key.pem", pem)
            try Self.bounded(
                [
                    "attestors", "create", "--attestor", "projects/p/attestors/a", "--note", "projects/p/notes/n",
                    "--pkix-public-key-file", key, "--pkix-public-key-algorithm", "rsa-sign-pkcs1-4096-sha512",
                ],
                expect: [1], stderrContains: "InputLimits.maximumRSAModulusBits")
        }

        @Test("A merged init container is decided, and denied")
        func mergedInitContainer() throws {
            let dir = try TemporaryDirectory()
            let policy = try dir.write(
                "policy.yaml",
                """
                admissionWhitelistPatterns:
                - namePattern: docker.io/library/nginx*
                defaultAdmissionRule: {evaluationMode: ALWAYS_DENY, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}
                """)
            let manifest = try dir.write(
                "pod.yaml", try Fixtures.data("fuzz-regressions/manifest/finding-merged-init-container"))
            let result = try Self.bounded(
                ["policy", "evaluate", "--policy-file", policy, "--resource", manifest], expect: [2])
            #expect(result.stdoutText.contains("gcr.io/evil/miner:latest"), "\(result)")
        }

        @Test("A thousand workloads as JSON")
        func thousandWorkloads() throws {
            let dir = try TemporaryDirectory()
            let policy = try dir.write(
                "policy.yaml",
                "defaultAdmissionRule: {evaluationMode: ALWAYS_DENY, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}\n")
            let pods = (0..<1_000).map {
                "---\nkind: Pod\nmetadata: {name: p\($0)}\nspec: {containers: [{image: gcr.io/p/a\($0):1}]}\n"
            }
            let manifest = try dir.write("pods.yaml", pods.joined())
            let result = try Self.bounded(
                ["policy", "evaluate", "--policy-file", policy, "--resource", manifest, "--format", "json"], expect: [2]
            )
            let json = try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any]
            #expect((json?["workloads"] as? [Any])?.count == 1_000)
        }
    }
}
