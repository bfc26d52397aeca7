// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import BinAuthzPKIX
import BinAuthzTestSupport
import Foundation

/// The `openssl` command-line tool, driven through temporary files.
enum OpenSSL {
    static let path: String? = Subprocess.which("openssl")

    /// Runs openssl; throws with its output when it exits non-zero.
    @discardableResult
    static func run(_ arguments: [String], stdin: [UInt8] = []) throws -> CommandResult {
        let result = try Subprocess.run(path!, arguments, stdin: stdin)
        guard result.status == 0 else {
            throw Failure(message: "openssl \(arguments.joined(separator: " ")):\n\(result)")
        }
        return result
    }

    struct Failure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    static func digestFlag(_ digest: SignatureAlgorithm.Digest) -> String {
        switch digest {
        case .sha256: "-sha256"
        case .sha384: "-sha384"
        case .sha512: "-sha512"
        }
    }

    /// `openssl dgst -SHA -sign key.pem [-sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:N] payload`.
    static func sign(
        _ payload: [UInt8], privateKeyPEM: String, digest: SignatureAlgorithm.Digest, pssSaltLength: String? = nil
    ) throws -> [UInt8] {
        let dir = try TemporaryDirectory(prefix: "pkix-openssl")
        let key = try dir.write("key.pem", privateKeyPEM)
        let input = try dir.write("payload", payload)
        var arguments = ["dgst", digestFlag(digest), "-sign", key, "-out", dir.file("sig")]
        if let pssSaltLength {
            arguments += ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:\(pssSaltLength)"]
        }
        try run(arguments + [input])
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: dir.file("sig"))))
    }

    /// `openssl dgst -SHA -verify pub.pem -signature sig [-sigopt …] payload`: whether openssl says `Verified OK`.
    static func verify(
        signature: [UInt8], payload: [UInt8], publicKeyPEM: String, digest: SignatureAlgorithm.Digest,
        pssSaltLength: String? = nil
    ) throws -> Bool {
        let dir = try TemporaryDirectory(prefix: "pkix-openssl")
        let key = try dir.write("pub.pem", publicKeyPEM)
        let sig = try dir.write("sig", signature)
        let input = try dir.write("payload", payload)
        var arguments = ["dgst", digestFlag(digest), "-verify", key, "-signature", sig]
        if let pssSaltLength {
            arguments += ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:\(pssSaltLength)"]
        }
        let result = try Subprocess.run(path!, arguments + [input])
        return result.status == 0 && result.stdoutText.contains("Verified OK")
    }

    /// `openssl pkey -in key.pem -pubout`.
    static func publicKeyPEM(ofPrivateKey pem: String) throws -> String {
        try run(["pkey", "-pubout"], stdin: Array(pem.utf8)).stdoutText
    }

    /// The raw RSA public operation `s^e mod n` (`pkeyutl -verifyrecover` without padding).
    static func rawPublicOperation(_ signature: [UInt8], publicKeyPEM: String) throws -> [UInt8] {
        let dir = try TemporaryDirectory(prefix: "pkix-openssl")
        let key = try dir.write("pub.pem", publicKeyPEM)
        let input = try dir.write("in", signature)
        return try run([
            "pkeyutl", "-verifyrecover", "-pubin", "-inkey", key, "-pkeyopt", "rsa_padding_mode:none", "-in", input,
        ]).stdout
    }

    /// The raw RSA private operation `m^d mod n` (`pkeyutl -decrypt` without padding computes exactly that):
    /// signs a hand-made encoded message.
    static func rawPrivateOperation(_ message: [UInt8], privateKeyPEM: String) throws -> [UInt8] {
        let dir = try TemporaryDirectory(prefix: "pkix-openssl")
        let key = try dir.write("key.pem", privateKeyPEM)
        let input = try dir.write("in", message)
        return try run(["pkeyutl", "-decrypt", "-inkey", key, "-pkeyopt", "rsa_padding_mode:none", "-in", input]).stdout
    }
}

/// A key pair made by openssl.
struct OpenSSLKey: Sendable {
    var privateKeyPEM: String
    var publicKeyPEM: String
    /// How it was made, for messages.
    var recipe: String
}

/// Keys generated once per test run (RSA-4096 generation is slow), in several PEM formats.
enum TestKeys {
    private static func generate(_ arguments: [String], recipe: String) -> Result<OpenSSLKey, OpenSSL.Failure> {
        do {
            let privateKey = try OpenSSL.run(arguments).stdoutText
            return .success(
                OpenSSLKey(
                    privateKeyPEM: privateKey, publicKeyPEM: try OpenSSL.publicKeyPEM(ofPrivateKey: privateKey),
                    recipe: recipe))
        } catch let error as OpenSSL.Failure {
            return .failure(error)
        } catch {
            return .failure(OpenSSL.Failure(message: "\(error)"))
        }
    }

    // One key per type, each in a different private-key format.
    private static let p256 = generate(
        ["ecparam", "-name", "prime256v1", "-genkey", "-noout"], recipe: "openssl ecparam (SEC 1, no parameters block)")
    private static let p384 = generate(
        ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"], recipe: "openssl genpkey (PKCS#8)")
    private static let p521 = generate(
        ["ecparam", "-name", "secp521r1", "-genkey"], recipe: "openssl ecparam (SEC 1 with EC PARAMETERS block)")
    private static let rsa2048 = generate(
        ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"], recipe: "openssl genpkey (PKCS#8)")
    private static let rsa3072 = generate(
        ["genrsa", "-traditional", "3072"], recipe: "openssl genrsa -traditional (PKCS#1)")
    private static let rsa4096 = generate(
        ["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:4096"], recipe: "openssl genpkey (PKCS#8)")

    /// The openssl-made key of a type.
    static func openssl(_ type: SignatureAlgorithm.KeyType) throws -> OpenSSLKey {
        switch type {
        case .ec(.p256): try p256.get()
        case .ec(.p384): try p384.get()
        case .ec(.p521): try p521.get()
        case .rsa(2048): try rsa2048.get()
        case .rsa(3072): try rsa3072.get()
        case .rsa(4096): try rsa4096.get()
        default: throw OpenSSL.Failure(message: "no test key of type \(type)")
        }
    }

    private static let libraryKeys: [SignatureAlgorithm.KeyType: Result<PKIXPrivateKey, PKIXError>] = {
        var keys: [SignatureAlgorithm.KeyType: Result<PKIXPrivateKey, PKIXError>] = [:]
        for algorithm in [
            SignatureAlgorithm.ecdsaP256SHA256, .ecdsaP384SHA384, .ecdsaP521SHA512, .rsaPSS2048SHA256,
            .rsaPSS3072SHA256, .rsaPSS4096SHA256,
        ] {
            keys[algorithm.parameters!.key] = Result { () throws(PKIXError) in
                try PKIXPrivateKey.generate(for: algorithm)
            }
        }
        return keys
    }()

    /// The library-generated key of a type (each generated once per run).
    static func library(_ type: SignatureAlgorithm.KeyType) throws -> PKIXPrivateKey {
        try libraryKeys[type]!.get()
    }
}

/// The payload most tests sign: gcloud's payload for the seed article's image.
let seedPayload: [UInt8] = Array(
    """
    {
      "critical": {
        "identity": {
          "docker-reference": "gcr.io/nmallyatestproject/containerdemo"
        },
        "image": {
          "docker-manifest-digest": "sha256:a46ab6b21371e1e3250d3b512b38aa2727ad61a2fc1ab2d2c135589d315c7442"
        },
        "type": "Google cloud binauthz container signature"
      }
    }

    """.utf8)

extension Array where Element == UInt8 {
    /// A copy with one bit flipped.
    func flippingBit(_ bit: Int, ofByte index: Int) -> [UInt8] {
        var copy = self
        copy[index] ^= UInt8(1) << UInt8(bit)
        return copy
    }
}
