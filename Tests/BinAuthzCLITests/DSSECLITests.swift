// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

extension CommandLineTests {
    /// DSSE-signed simple-signing attestations: `sign-and-create --pae-encode-payload`, checked by openssl over the PAE
    /// bytes gcloud's own `PaeEncode` makes, and accepted by `attestations validate` only with `--accept-dsse-type`.
    @Suite("binauthz attestations sign-and-create --pae-encode-payload (DSSE)")
    struct DSSECLITests {
        static let image = "gcr.io/p/img@sha256:" + String(repeating: "ab", count: 32)
        static let note = "projects/p/notes/n"
        static let simpleSigning = "application/vnd.dev.cosign.simplesigning.v1+json"

        /// gcloud's own `util.PaeEncode(type, body)`, run with gcloud's Python.
        static func gcloudPAE(type: String, payload: [UInt8]) throws -> [UInt8] {
            let script = """
                import base64, sys
                sys.path.insert(0, sys.argv[1] + "/lib")
                sys.path.insert(0, sys.argv[1] + "/lib/third_party")
                from googlecloudsdk.command_lib.container.binauthz import util
                type_, body = sys.stdin.read().split("\\n", 1)
                sys.stdout.write(base64.b64encode(util.PaeEncode(type_, base64.b64decode(body).decode("utf-8"))).decode())
                """
            let result = try Subprocess.run(
                GcloudTool.python!, ["-c", script, GcloudTool.sdkRoot!],
                stdin: Array((type + "\n" + Data(payload).base64EncodedString()).utf8))
            guard result.status == 0, let bytes = Data(base64Encoded: result.stdoutText) else {
                throw CocoaError(.fileReadUnknown, userInfo: ["gcloud": result.description])
            }
            return [UInt8](bytes)
        }

        @Test(
            "--pae-encode-payload signs PAE(type, payload) as gcloud builds it; openssl verifies it; validate needs --accept-dsse-type",
            .enabled(if: OpenSSL.unavailableReason == nil, "needs the openssl command-line tool"),
            arguments: [
                ("ecdsa-p256-sha256", ["ecparam", "-name", "prime256v1", "-genkey", "-noout"], "-sha256"),
                (
                    "rsa-pss-2048-sha256", ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
                    "-sha256"
                ),
            ])
        func signAndVerify(algorithm: String, keygen: [String], digest: String) throws {
            let dir = try TemporaryDirectory()
            try OpenSSL.run(keygen + ["-out", dir.file("key.pem")])
            try OpenSSL.run(["pkey", "-in", dir.file("key.pem"), "-pubout", "-out", dir.file("pub.pem")])
            var result = try Subprocess.binauthz(
                [
                    "attestors", "create", "--attestor", "projects/p/attestors/a", "--note", Self.note,
                    "--pkix-public-key-file", dir.file("pub.pem"), "--pkix-public-key-algorithm", algorithm,
                ])
            let attestor = try dir.write("attestor.json", result.stdout)
            for type in [nil, "application/vnd.in-toto+json"] as [String?] {
                var arguments = [
                    "attestations", "sign-and-create", "--artifact-url", Self.image, "--note", Self.note,
                    "--pkix-private-key-file", dir.file("key.pem"), "--pkix-algorithm", algorithm,
                    "--pae-encode-payload",
                    "--output", dir.file("occurrence.json"), "--dsse-envelope-output", dir.file("envelope.json"),
                ]
                if let type { arguments += ["--dsse-type", type] }
                result = try Subprocess.binauthz(arguments)
                #expect(result.status == 0, "\(result)")
                let occurrence =
                    try JSONSerialization.jsonObject(
                        with: Data(contentsOf: URL(fileURLWithPath: dir.file("occurrence.json")))) as! [String: Any]
                let attestation = occurrence["attestation"] as! [String: Any]
                let payload = [UInt8](try #require(Self.urlSafeDecode(attestation["serializedPayload"] as! String)))
                // The stored payload is the plain one, byte for byte what create-signature-payload prints.
                #expect(
                    payload
                        == (try Subprocess.binauthz(["create-signature-payload", "--artifact-url", Self.image]).stdout))
                let signature = ((attestation["signatures"] as! [[String: Any]])[0]["signature"] as! String)
                try Data(try #require(Self.urlSafeDecode(signature))).write(
                    to: URL(fileURLWithPath: dir.file("sig.bin")))
                // openssl verifies the signature over gcloud's PAE of the payload.
                let pae: [UInt8]
                if GcloudTool.unavailableReason == nil {
                    pae = try Self.gcloudPAE(type: type ?? Self.simpleSigning, payload: payload)
                } else {
                    let t = Array((type ?? Self.simpleSigning).utf8)
                    pae = Array("DSSEv1 \(t.count) ".utf8) + t + Array(" \(payload.count) ".utf8) + payload
                }
                _ = try dir.write("pae.bin", pae)
                var verify = ["dgst", digest, "-verify", dir.file("pub.pem"), "-signature", dir.file("sig.bin")]
                if algorithm.hasPrefix("rsa-pss") {
                    verify += ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:-2"]
                }
                #expect(throws: Never.self) { try OpenSSL.run(verify + [dir.file("pae.bin")]) }
                // The envelope holds the same: standard base64 payload and signature, the key id.
                let envelope =
                    try JSONSerialization.jsonObject(
                        with: Data(contentsOf: URL(fileURLWithPath: dir.file("envelope.json")))) as! [String: Any]
                #expect(envelope["payloadType"] as? String == type ?? Self.simpleSigning)
                #expect(Data(base64Encoded: envelope["payload"] as! String).map { [UInt8]($0) } == payload)
                let sig = (envelope["signatures"] as! [[String: Any]])[0]
                #expect(Data(base64Encoded: sig["sig"] as! String).map { [UInt8]($0) } == Self.urlSafeDecode(signature))
                #expect(
                    sig["keyid"] as? String
                        == ((attestation["signatures"] as! [[String: Any]])[0]["publicKeyId"] as? String))

                // Project attestors fail closed on PAE signatures; --accept-dsse-type T accepts them, for that T only.
                let validate = [
                    "attestations", "validate", "--attestor-file", attestor, "--attestation-file",
                    dir.file("occurrence.json"),
                ]
                result = try Subprocess.binauthz(validate)
                #expect(result.status == 2, "\(result)")
                result = try Subprocess.binauthz(validate + ["--accept-dsse-type", type ?? Self.simpleSigning])
                #expect(result.status == 0, "\(result)")
                #expect(result.stdoutText == "{\"result\": \"VERIFIED\"}\n")
                result = try Subprocess.binauthz(validate + ["--accept-dsse-type", "application/other"])
                #expect(result.status == 2, "\(result)")
            }
        }

        @Test("DSSE flags go with --pae-encode-payload and a PKIX key")
        func usage() throws {
            var result = try Subprocess.binauthz(
                [
                    "attestations", "sign-and-create", "--artifact-url", Self.image, "--note", Self.note,
                    "--pgp-private-key-file", "x", "--pae-encode-payload",
                ])
            #expect(result.status == 64)
            #expect(result.stderrText.contains("--pae-encode-payload signs with a PKIX key"), "\(result)")
            result = try Subprocess.binauthz(
                [
                    "attestations", "sign-and-create", "--artifact-url", Self.image, "--note", Self.note,
                    "--pkix-private-key-file", "x", "--pkix-algorithm", "ecdsa-p256-sha256", "--dsse-type", "t",
                ])
            #expect(result.status == 64)
            #expect(result.stderrText.contains("go with --pae-encode-payload"), "\(result)")
        }

        static func urlSafeDecode(_ text: String) -> [UInt8]? {
            Data(base64Encoded: text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/"))
                .map { [UInt8]($0) }
        }
    }
}
