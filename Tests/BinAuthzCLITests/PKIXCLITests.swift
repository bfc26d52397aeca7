// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

extension CommandLineTests {
    @Suite("binauthz pkix")
    struct PKIXCLITests {
        static let openssl = Subprocess.which("openssl")

        static func mode(_ path: String) throws -> Int {
            (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
        }

        @Test(
            "generate-key writes a PKCS#8 private key (0600) and an SPKI public key, and prints the key id",
            arguments: [
                ("ecdsa-p256-sha256", "EC"), ("EC_SIGN_P384_SHA384", "EC"), ("ecdsa-p521-sha512", "EC"),
                ("rsa-pss-2048-sha256", "RSA"), ("RSA_SIGN_PKCS1_3072_SHA256", "RSA"),
                ("rsa-sign-pss-4096-sha512", "RSA"),
            ])
        func generateKey(algorithm: String, family: String) throws {
            let dir = try TemporaryDirectory()
            let publicFile = dir.file("pub.pem")
            let privateFile = dir.file("key.pem")
            let result = try Subprocess.binauthz([
                "pkix", "generate-key", "--algorithm", algorithm, "--public-key-file", publicFile, "--private-key-file",
                privateFile,
            ])
            #expect(result.status == 0, "\(result)")
            #expect(result.stderr.isEmpty)
            let id = result.stdoutText
            #expect(id.hasPrefix("ni:///sha-256;") && id.hasSuffix("\n") && id.count == 14 + 43 + 1, "\(id)")
            #expect(try Self.mode(privateFile) == 0o600)
            let privatePEM = try String(contentsOfFile: privateFile, encoding: .utf8)
            let publicPEM = try String(contentsOfFile: publicFile, encoding: .utf8)
            #expect(
                privatePEM.hasPrefix("-----BEGIN PRIVATE KEY-----\n")
                    && privatePEM.hasSuffix("-----END PRIVATE KEY-----\n")
            )
            #expect(
                publicPEM.hasPrefix("-----BEGIN PUBLIC KEY-----\n") && publicPEM.hasSuffix("-----END PUBLIC KEY-----\n")
            )

            // key-id agrees, from the file and from standard input.
            let keyID = try Subprocess.binauthz(["pkix", "key-id", "--public-key-file", publicFile])
            #expect(keyID.status == 0 && keyID.stdoutText == id, "\(keyID)")
            let fromStdin = try Subprocess.binauthz(
                ["pkix", "key-id", "--public-key-file", "-"], stdin: Array(publicPEM.utf8))
            #expect(fromStdin.stdoutText == id)

            // openssl reads both files; the public key is the private key's; the id is SHA-256 over the DER SPKI.
            if let openssl = Self.openssl {
                let derived = try Subprocess.run(openssl, ["pkey", "-in", privateFile, "-pubout"])
                #expect(derived.stdoutText == publicPEM)
                let text = try Subprocess.run(openssl, ["pkey", "-in", privateFile, "-noout", "-text"]).stdoutText
                #expect(text.contains(family == "RSA" ? "RSA" : "NIST CURVE") || text.contains("Private-Key"))
                let der = try Subprocess.run(openssl, ["pkey", "-pubin", "-in", publicFile, "-outform", "DER"]).stdout
                let sha = try Subprocess.run(openssl, ["dgst", "-sha256", "-binary"], stdin: der).stdout
                let expected =
                    "ni:///sha-256;"
                    + Data(sha).base64EncodedString()
                    .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                    .replacingOccurrences(of: "=", with: "") + "\n"
                #expect(id == expected)
            }
        }

        @Test("an existing private key file is made private (0600) before the key is written")
        func existingFileBecomesPrivate() throws {
            let dir = try TemporaryDirectory()
            let privateFile = try dir.write("key.pem", "old contents that are longer than nothing\n")
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: privateFile)
            let result = try Subprocess.binauthz([
                "pkix", "generate-key", "--algorithm", "ecdsa-p256-sha256", "--public-key-file", dir.file("pub.pem"),
                "--private-key-file", privateFile,
            ])
            #expect(result.status == 0, "\(result)")
            #expect(try Self.mode(privateFile) == 0o600)
            #expect(try String(contentsOfFile: privateFile, encoding: .utf8).hasPrefix("-----BEGIN PRIVATE KEY-----"))
        }

        @Test(
            "generate-key rejects bad arguments with exit 1 and one line on stderr",
            arguments: [
                (
                    ["--algorithm", "ecdsa-p999-sha256", "--public-key-file", "P", "--private-key-file", "K"],
                    "binauthz: --algorithm \"ecdsa-p999-sha256\" is not a PKIX signature algorithm; use one of rsa-pss-2048-sha256, "
                ),
                (
                    [
                        "--algorithm", "signature-algorithm-unspecified", "--public-key-file", "P",
                        "--private-key-file",
                        "K",
                    ],
                    "is not a PKIX signature algorithm"
                ),
            ])
        func badArguments(arguments: [String], message: String) throws {
            let dir = try TemporaryDirectory()
            let result = try Subprocess.binauthz(["pkix", "generate-key"] + arguments, currentDirectory: dir.path)
            #expect(result.status == 1, "\(result)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderrText.contains(message), "\(result)")
            #expect(result.stderrText.filter { $0 == "\n" }.count == 1)
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
        }

        @Test(
            "generate-key refuses standard output and one file for both keys as usage errors (exit 64), like pgp",
            arguments: [
                (["--public-key-file", "-", "--private-key-file", "K"], "must name files, not -"),
                (["--public-key-file", "K", "--private-key-file", "K"], "must be different files"),
            ])
        func usageErrors(arguments: [String], message: String) throws {
            let dir = try TemporaryDirectory()
            let result = try Subprocess.binauthz(
                ["pkix", "generate-key", "--algorithm", "ecdsa-p256-sha256"] + arguments, currentDirectory: dir.path)
            #expect(result.status == 64, "\(result)")
            #expect(result.stderrText.contains(message), "\(result)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
        }

        @Test("key-id prints the kritis vector's id exactly")
        func keyIDOfVector() throws {
            let path = Fixtures.corpus("kritis/pkg/attestlib/testvectors/ec256PubKey.pem").path
            let result = try Subprocess.binauthz(["pkix", "key-id", "--public-key-file", path])
            #expect(result.status == 0, "\(result)")
            #expect(result.stdoutText == "ni:///sha-256;F8ZLbGLECGCxd8yEtBiqNnSMB7S-TC0CpJ1G9JLJpD4\n")
            #expect(result.stderr.isEmpty)
        }

        @Test(
            "key-id of a bad file: exit 1 with the file and the reason",
            arguments: [
                ("kritis/pkg/attestlib/testvectors/extraDataKey.pem", "unexpected text outside the PEM block"),
                ("kritis/pkg/attestlib/testvectors/badKey.txt", "no PEM block found"),
                ("kritis/pkg/attestlib/testvectors/ec256PrivateKey.pem", "openssl pkey -in FILE -pubout"),
                ("kritis/pkg/attestlib/testvectors/no-such-file.pem", "no such file"),
            ])
        func keyIDErrors(file: String, message: String) throws {
            let path = Fixtures.corpus(file).path
            let result = try Subprocess.binauthz(["pkix", "key-id", "--public-key-file", path])
            #expect(result.status == 1, "\(result)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderrText.hasPrefix("binauthz: \(path): "))
            #expect(result.stderrText.contains(message), "\(result)")
        }

        @Test("missing flags are usage errors (exit 64)")
        func usage() throws {
            #expect(try Subprocess.binauthz(["pkix", "key-id"]).status == 64)
            #expect(try Subprocess.binauthz(["pkix", "generate-key", "--algorithm", "ecdsa-p256-sha256"]).status == 64)
            let help = try Subprocess.binauthz(["pkix", "generate-key", "--help"])
            #expect(help.status == 0 && help.stdoutText.contains("rsa-sign-pkcs1-4096-sha512"))
        }
    }
}
