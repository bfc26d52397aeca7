// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import BinAuthzModel
import BinAuthzPKIX
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `binauthz pkix …`
struct PKIXCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pkix",
        abstract: "Generate PKIX signing keys and compute PKIX key ids.",
        subcommands: [PKIXGenerateKeyCommand.self, PKIXKeyIDCommand.self]
    )
}

/// `binauthz pkix generate-key --algorithm ALG --public-key-file F --private-key-file F`
struct PKIXGenerateKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate-key",
        abstract: "Generate a key pair for a PKIX signature algorithm and print its key id.",
        discussion: """
            Writes the private key as PEM PKCS#8 (PRIVATE KEY, file mode 0600) and the public key as PEM \
            SubjectPublicKeyInfo (PUBLIC KEY), the form `gcloud container binauthz attestors public-keys add \
            --pkix-public-key-file` reads, then prints the key id Binary Authorization computes for it \
            (ni:///sha-256;…). Existing files are overwritten. RSA 4096-bit generation can take a few seconds.
            """
    )

    @Option(
        name: .customLong("algorithm"),
        help: ArgumentHelp(
            "The signature algorithm, in gcloud's spelling or the API's.",
            discussion: "One of: " + SignatureAlgorithm.usableValues.map(\.gcloudName).joined(separator: ", ") + "."))
    var algorithm: String

    @Option(
        name: .customLong("public-key-file"), help: "Where to write the public key (PEM PUBLIC KEY).",
        completion: .file())
    var publicKeyFile: String

    @Option(
        name: .customLong("private-key-file"), help: "Where to write the private key (PEM PRIVATE KEY, mode 0600).",
        completion: .file())
    var privateKeyFile: String

    func validate() throws {
        guard publicKeyFile != "-", privateKeyFile != "-" else {
            throw ValidationError("--public-key-file and --private-key-file must name files, not -")
        }
        guard publicKeyFile != privateKeyFile else {
            throw ValidationError("--public-key-file and --private-key-file must be different files")
        }
    }

    func run() throws {
        let algorithm = try PKIXAlgorithmArgument.parse(algorithm, flag: "--algorithm")
        let key: PKIXPrivateKey
        do {
            key = try PKIXPrivateKey.generate(for: algorithm)
        } catch {
            throw CLIError(error.message)
        }
        try Output.write(Array(key.publicKey.pemRepresentation.utf8), to: publicKeyFile)
        try SecretFile.save(Array(key.pemRepresentation.utf8), to: privateKeyFile)
        try Output.standardOutput(key.publicKey.defaultKeyID + "\n")
    }
}

/// `binauthz pkix key-id --public-key-file F`
struct PKIXKeyIDCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key-id",
        abstract: "Print the key id Binary Authorization computes for a PKIX public key.",
        discussion: """
            Prints ni:///sha-256; followed by the unpadded base64url SHA-256 of the key's DER \
            SubjectPublicKeyInfo — the id an attestor gives a PKIX key added without --public-key-id-override. \
            The file must hold exactly one PEM PUBLIC KEY block.
            """
    )

    @Option(
        name: .customLong("public-key-file"), help: "The public key (PEM PUBLIC KEY), or - for standard input.",
        completion: .file())
    var publicKeyFile: String

    func run() throws {
        let text = try Output.readText(publicKeyFile)
        let key: PKIXPublicKey
        do {
            key = try PKIXPublicKey(pemRepresentation: text)
        } catch {
            throw CLIError.inFile(publicKeyFile, error.message)
        }
        try Output.standardOutput(key.defaultKeyID + "\n")
    }
}

/// Reading `--algorithm`-style arguments.
enum PKIXAlgorithmArgument {
    /// Parses gcloud's spelling (`ecdsa-p256-sha256`) or the API name (`ECDSA_P256_SHA256`).
    static func parse(_ text: String, flag: String) throws(CLIError) -> SignatureAlgorithm {
        guard let algorithm = SignatureAlgorithm(gcloudName: text) else {
            throw CLIError(
                "\(flag) \"\(text)\" is not a PKIX signature algorithm; use one of "
                    + SignatureAlgorithm.usableValues.map(\.gcloudName).joined(separator: ", "))
        }
        return algorithm
    }
}

/// Writing secrets: the key goes to a new file created with mode 0600 (`mkstemp`, so `O_EXCL`: never an existing
/// file, never through a symbolic link) next to the destination, which then takes its place with `rename(2)`. The
/// key is never readable by others, not even briefly, and a symbolic link at the destination is replaced rather
/// than followed.
enum SecretFile {
    /// Writes a private key file: `0600`, never through a symbolic link or into a non-regular file
    /// (``FileIO/writeSecret(_:to:)``).
    static func save(_ bytes: [UInt8], to path: String) throws(CLIError) {
        SignalCleanup.waitIfTerminating()  // an interrupted command writes no key
        try FileIO.writeSecret(bytes, to: path)
    }
}
