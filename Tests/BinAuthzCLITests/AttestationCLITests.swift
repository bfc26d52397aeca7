// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

/// The seed article's whole CI + deploy flow through the `binauthz` executable.
extension CommandLineTests {
    @Suite("binauthz notes / attestors / attestations, end to end")
    struct AttestationCLITests {
        static let image = "gcr.io/nmallyatestproject/containerdemo@sha256:" + String(repeating: "7", count: 64)
        static let note = "projects/nmallyatestproject/notes/Human-Attestor-Note"
        static let attestor = "projects/nmallyatestproject/attestors/manually-verified"
        static var policy: String { Fixtures.corpus("seed-article/set-a/sec-policy.yml").path }

        @discardableResult
        static func run(
            _ arguments: [String], environment: [String: String] = [:], expect status: Int32 = 0,
            sourceLocation: SourceLocation = #_sourceLocation
        ) throws -> CommandResult {
            let result = try Subprocess.binauthz(arguments, environment: environment)
            #expect(
                result.status == status, "binauthz \(arguments.joined(separator: " "))\n\(result)",
                sourceLocation: sourceLocation)
            return result
        }

        @Test(
            "CircleCI step: base64 PGP key in BINAUTH_PRIVATE_KEY → occurrence → validate → policy evaluate",
            .enabled(if: GnuPGHome.unavailableReason == nil, "needs the gpg command-line tool"))
        func pgpFlow() throws {
            let dir = try TemporaryDirectory()
            let gpg = try GnuPGHome()
            defer { gpg.close() }
            let fingerprint = try gpg.generateKey(userID: "CI <attestor@example.com>", algorithm: "rsa2048")
            try dir.write("public.asc", try gpg.exportPublicKey(fingerprint))
            let secret = Data(try gpg.exportSecretKey(fingerprint)).base64EncodedString()

            let payload = try Self.run(["create-signature-payload", "--artifact-url", Self.image]).stdout
            #expect(String(decoding: payload, as: UTF8.self).contains("\"docker-manifest-digest\": \"sha256:7777"))

            try Self.run(
                [
                    "attestations", "sign-and-create", "--artifact-url", Self.image, "--note", Self.note,
                    "--pgp-private-key-env", "BINAUTH_PRIVATE_KEY", "--output", dir.file("occurrence.json"),
                ],
                environment: ["BINAUTH_PRIVATE_KEY": secret])
            let occurrence = try String(contentsOfFile: dir.file("occurrence.json"), encoding: .utf8)
            #expect(occurrence.contains("\"publicKeyId\": \"\(fingerprint)\""))
            #expect(occurrence.contains("\"kind\": \"ATTESTATION\""))
            #expect(!occurrence.contains("PRIVATE KEY"))

            let attestorJSON = try Self.run(
                [
                    "attestors", "create", "--attestor", Self.attestor, "--note", Self.note, "--pgp-public-key-file",
                    dir.file("public.asc"),
                ]
            ).stdoutText
            #expect(attestorJSON.contains("\"id\": \"\(fingerprint)\""))
            try dir.write("attestor.json", attestorJSON)

            let validation = try Self.run(
                [
                    "attestations", "validate", "--attestor-file", dir.file("attestor.json"), "--attestation-file",
                    dir.file("occurrence.json"),
                ])
            #expect(validation.stdoutText == "{\"result\": \"VERIFIED\"}\n")

            let admitted = try Self.run(
                [
                    "policy", "evaluate", "--policy-file", Self.policy, "--attestor-file", dir.file("attestor.json"),
                    "--attestation-file", dir.file("occurrence.json"), "--image", Self.image, "--cluster",
                    "us-central1-b.cd-cluster",
                ])
            #expect(admitted.stdoutText.contains("ADMITTED"))

            let unsigned = "gcr.io/nmallyatestproject/containerdemo@sha256:" + String(repeating: "8", count: 64)
            let denied = try Self.run(
                [
                    "policy", "evaluate", "--policy-file", Self.policy, "--attestor-file", dir.file("attestor.json"),
                    "--attestation-file", dir.file("occurrence.json"), "--image", unsigned, "--cluster",
                    "us-central1-b.cd-cluster",
                    "--format", "json",
                ], expect: 2)
            let decision = try JSONSerialization.jsonObject(with: Data(denied.stdout)) as! [String: Any]
            #expect(decision["allowed"] as? Bool == false)
            #expect(
                decision["message"] as? String
                    == "Image \(unsigned) denied by Binary Authorization cluster admission rule for us-central1-b.cd-cluster. Image \(unsigned) denied by attestor \(Self.attestor): No attestations found that were valid and signed by a key trusted by the attestor"
            )
        }

        @Test(
            "PKIX: an openssl key through attestors create, sign-and-create and validate",
            .enabled(if: OpenSSL.unavailableReason == nil, "needs the openssl command-line tool"))
        func pkixFlow() throws {
            let dir = try TemporaryDirectory()
            try OpenSSL.run([
                "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", dir.file("key.pem"),
            ])
            try OpenSSL.run(["pkey", "-in", dir.file("key.pem"), "-pubout", "-out", dir.file("pub.pem")])
            let attestorJSON = try Self.run(
                [
                    "attestors", "create", "--attestor", Self.attestor, "--note", Self.note,
                    "--pkix-public-key-file", dir.file("pub.pem"), "--pkix-public-key-algorithm", "rsa-pss-2048-sha256",
                ]).stdoutText
            try dir.write("attestor.json", attestorJSON)
            let keyID = try Self.run(["pkix", "key-id", "--public-key-file", dir.file("pub.pem")]).stdoutText
                .trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(attestorJSON.contains("\"id\": \"\(keyID)\""))
            try Self.run(
                [
                    "attestations", "sign-and-create", "--artifact-url", "https://" + Self.image, "--note", Self.note,
                    "--pkix-private-key-file", dir.file("key.pem"), "--pkix-algorithm", "RSA_PSS_2048_SHA256",
                    "--output", dir.file("occurrence.json"),
                ])
            let validation = try Self.run(
                [
                    "attestations", "validate", "--attestor-file", dir.file("attestor.json"),
                    "--attestation-file", dir.file("occurrence.json"), "--artifact-url", Self.image,
                ])
            #expect(validation.stdoutText.contains("\"result\": \"VERIFIED\""))
            // openssl's own PSS signature (maximum salt length) over the same payload, wrapped by attestations create.
            try Self.run(["create-signature-payload", "--artifact-url", Self.image]).stdout.write(
                to: dir, name: "payload.json")
            try OpenSSL.run([
                "dgst", "-sha256", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:max",
                "-sign", dir.file("key.pem"), "-out", dir.file("sig.bin"), dir.file("payload.json"),
            ])
            try Self.run([
                "attestations", "create", "--artifact-url", Self.image, "--note", Self.note,
                "--signature-file", dir.file("sig.bin"), "--public-key-id", keyID, "--output", dir.file("openssl.json"),
            ])
            try Self.run([
                "attestations", "validate", "--attestor-file", dir.file("attestor.json"), "--attestation-file",
                dir.file("openssl.json"),
            ])
        }

        @Test("The seed article's set-a: verified at 2019-06-01, not verifiable today (key expired on 2020-12-18)")
        func seedSetA() throws {
            let dir = try TemporaryDirectory()
            try Self.run([
                "attestors", "create", "--attestor", Self.attestor, "--note", Self.note, "--format", "yaml",
                "--pgp-public-key-file", Fixtures.corpus("seed-article/set-a/generated-key.pgp").path,
            ]
            ).stdout.write(to: dir, name: "attestor.yaml")
            let image =
                "gcr.io/nmallyatestproject/containerdemo@sha256:a46ab6b21371e1e3250d3b512b38aa2727ad61a2fc1ab2d2c135589d315c7442"
            try Self.run([
                "attestations", "create", "--artifact-url", image, "--note", Self.note,
                "--signature-file", Fixtures.corpus("seed-article/set-a/generated_signature.pgp").path,
                "--public-key-id", "E50ABDE5A0C05DB317479494C111AF41B88ECC96", "--output", dir.file("occurrence.json"),
            ])
            let valid = try Self.run([
                "attestations", "validate", "--attestor-file", dir.file("attestor.yaml"),
                "--attestation-file", dir.file("occurrence.json"), "--at", "2019-06-01T00:00:00Z",
            ])
            #expect(valid.stdoutText.contains("VERIFIED"))
            let expired = try Self.run(
                [
                    "attestations", "validate", "--attestor-file", dir.file("attestor.yaml"),
                    "--attestation-file", dir.file("occurrence.json"),
                ], expect: 2)
            #expect(expired.stdoutText.contains("\"result\": \"ATTESTATION_NOT_VERIFIABLE\""))
            #expect(expired.stdoutText.contains("expired on 2020-12-18"))
        }

        @Test("notes create prints the REST body")
        func notesCreate() throws {
            let result = try Self.run([
                "notes", "create", "--note", Self.note, "--human-readable-name", "Human Attestation Note Demo",
            ])
            #expect(
                result.stdoutText == """
                    {
                      "attestation": {
                        "hint": {
                          "humanReadableName": "Human Attestation Note Demo"
                        }
                      },
                      "name": "\(Self.note)"
                    }

                    """)
        }

        @Test("Bad input: exit 1 with one line on stderr, never echoing key material; usage errors: 64")
        func badInput() throws {
            var result = try Self.run(
                [
                    "attestations", "sign-and-create", "--artifact-url", Self.image, "--note", Self.note,
                    "--pgp-private-key-env", "NOPE_NOT_SET",
                ],
                expect: 1)
            #expect(
                result.stderrText
                    == "binauthz: --pgp-private-key-env: the environment variable NOPE_NOT_SET is not set or empty\n")
            let secretLooking = "c2VjcmV0LXRoYXQtaXMtbm90LWEta2V5"  // base64 of non-key bytes
            result = try Self.run(
                [
                    "attestations", "sign-and-create", "--artifact-url", Self.image, "--note", Self.note,
                    "--pgp-private-key-env", "K",
                ],
                environment: ["K": secretLooking], expect: 1)
            #expect(!result.stderrText.contains(secretLooking))
            #expect(result.stderrText.split(separator: "\n").count == 1)
            result = try Self.run(
                [
                    "attestations", "sign-and-create", "--artifact-url", "gcr.io/p/app:latest", "--note", Self.note,
                    "--pgp-private-key-env", "K",
                ], environment: ["K": secretLooking], expect: 1)
            #expect(result.stderrText.hasPrefix("binauthz: "))
            try Self.run(
                ["attestations", "sign-and-create", "--artifact-url", Self.image, "--note", Self.note], expect: 64)
            try Self.run(["attestors", "create", "--attestor", "attestors/x", "--note", Self.note], expect: 1)
            result = try Self.run(
                [
                    "attestors", "create", "--attestor", Self.attestor, "--note", Self.note,
                    "--pkix-public-key-file", "/dev/null", "--pkix-public-key-algorithm", "ecdsa-p999",
                ], expect: 1)
            #expect(
                result.stderrText.contains(
                    "--pkix-public-key-algorithm \"ecdsa-p999\" is not a PKIX signature algorithm; use one of rsa-pss-2048-sha256"
                ))
        }

        @Test("Key and attestor errors name the file they come from; a repeated attestor names both files")
        func errorsNameTheirFile() throws {
            let dir = try TemporaryDirectory()
            let pem = Fixtures.corpus("kritis/pkg/attestlib/testvectors/ec256PubKey.pem").path
            var result = try Self.run(
                [
                    "attestors", "create", "--attestor", Self.attestor, "--note", Self.note, "--pgp-public-key-file",
                    pem,
                ],
                expect: 1)
            #expect(result.stderrText.hasPrefix("binauthz: \(pem): the PGP public key cannot be read"), "\(result)")
            result = try Self.run(
                [
                    "attestors", "create", "--attestor", Self.attestor, "--note", Self.note, "--pkix-public-key-file",
                    pem,
                    "--pkix-public-key-algorithm", "ecdsa-p384-sha384",
                ], expect: 1)
            #expect(result.stderrText.hasPrefix("binauthz: \(pem): "), "\(result)")
            result = try Self.run(["attestors", "create", "--attestor", "attestors/x", "--note", Self.note], expect: 1)
            #expect(
                result.stderrText.hasPrefix("binauthz: --attestor: \"attestors/x\" is not an attestor name"),
                "\(result)")

            let attestor = try Self.run(
                [
                    "attestors", "create", "--attestor", Self.attestor, "--note", Self.note, "--pkix-public-key-file",
                    pem,
                    "--pkix-public-key-algorithm", "ecdsa-p256-sha256",
                ]).stdoutText
            let good = try dir.write("good.json", attestor)
            let again = try dir.write("again.json", attestor)
            let broken = try dir.write(
                "broken.json", attestor.replacingOccurrences(of: "ECDSA_P256_SHA256", with: "ECDSA_P384_SHA384"))
            let evaluate = ["policy", "evaluate", "--policy-file", Self.policy, "--image", Self.image]
            result = try Self.run(evaluate + ["--attestor-file", good, "--attestor-file", broken], expect: 1)
            #expect(result.stderrText.hasPrefix("binauthz: \(broken): "), "\(result)")
            result = try Self.run(evaluate + ["--attestor-file", good, "--attestor-file", again], expect: 1)
            #expect(
                result.stderrText.hasPrefix(
                    "binauthz: \(again): attestor \(Self.attestor) is given twice (also in \(good))"), "\(result)")
        }

        @Test("A policy attestor with no --attestor-file: the denial stands, and stderr says what to pass")
        func missingAttestorHint() throws {
            let result = try Self.run(
                [
                    "policy", "evaluate", "--policy-file", Self.policy, "--image", Self.image, "--cluster",
                    "us-central1-b.cd-cluster",
                ], expect: 2)
            #expect(result.stdoutText.contains("DENIED"))
            #expect(
                result.stderrText == "binauthz: note: the policy requires \(Self.attestor), which no --attestor-file "
                    + "gives, so it verified nothing; export it with `gcloud container binauthz attestors describe "
                    + "\(Self.attestor) --format=json`\n")
        }

        @Test("Standard input can feed one input only: a second - is a usage error, before anything is read")
        func standardInputOnce() throws {
            try Self.run(
                ["attestations", "validate", "--attestor-file", "-", "--attestation-file", "-"], expect: 64)
            try Self.run(
                [
                    "attestations", "create", "--artifact-url", Self.image, "--note", Self.note, "--signature-file",
                    "-",
                    "--payload-file", "-", "--public-key-id", "urn:k",
                ], expect: 64)
            try Self.run(
                [
                    "attestors", "create", "--attestor", Self.attestor, "--note", Self.note, "--pgp-public-key-file",
                    "-",
                    "--pkix-public-key-file", "-", "--pkix-public-key-algorithm", "ecdsa-p256-sha256",
                ], expect: 64)
        }

        @Test(
            "PGP signing: an armored key in the variable is taken as is; an empty passphrase variable is refused first",
            .enabled(if: GnuPGHome.unavailableReason == nil, "needs the gpg command-line tool"))
        func pgpKeyVariants() throws {
            let gpg = try GnuPGHome()
            defer { gpg.close() }
            let fingerprint = try gpg.generateKey(userID: "CI <ci@example.com>")
            let armored = try gpg.gpg(["--armor", "--export-secret-keys", fingerprint]).stdoutText
            let signed = try Self.run(
                [
                    "attestations", "sign-and-create", "--artifact-url", Self.image, "--note", Self.note,
                    "--pgp-private-key-env", "K",
                ], environment: ["K": armored])
            #expect(signed.stdoutText.contains("\"publicKeyId\": \"\(fingerprint)\""))
            let empty = try Self.run(
                [
                    "attestations", "sign-and-create", "--artifact-url", Self.image, "--note", Self.note,
                    "--pgp-private-key-env", "K", "--passphrase-env", "P",
                ], environment: ["K": armored, "P": ""], expect: 1)
            #expect(empty.stderrText == "binauthz: --passphrase-env: the environment variable P is empty\n")
        }
    }
}

extension [UInt8] {
    func write(to dir: TemporaryDirectory, name: String) throws { try dir.write(name, self) }
}
