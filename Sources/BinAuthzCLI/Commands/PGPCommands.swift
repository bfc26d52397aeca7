// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import BinAuthzPGP

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import _BinAuthzSystem

/// `binauthz pgp …`
struct PGPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pgp",
        abstract: "Generate PGP signing keys and compute PGP key ids (v4 fingerprints).",
        subcommands: [PGPGenerateKeyCommand.self, PGPFingerprintCommand.self]
    )
}

/// `binauthz pgp generate-key --user-id UID [--algorithm A] [--expires-in-days N] [--passphrase-env VAR]
/// --public-key-file F --private-key-file F`
struct PGPGenerateKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate-key",
        abstract: "Generate a PGP key pair for an attestor and print its fingerprint (the attestor key id).",
        discussion: """
            GnuPG generates the key in a private temporary keyring (a 0700 directory under /tmp, or under \
            $\(PGPKeyringDirectory.environmentVariable) if set; it must be a short path) that is deleted, with its \
            gpg-agent, before the command exits; your own keyring is never touched. Writes the ASCII-armored public \
            key (what `gcloud container binauthz attestors public-keys add --pgp-public-key-file` reads) and the \
            ASCII-armored secret key (file mode 0600; protected by the passphrase from --passphrase-env if given), \
            then prints the 40-hex-digit fingerprint. Existing files are overwritten. RSA keys take seconds.
            """
    )

    @Option(name: .customLong("user-id"), help: "The key's user id, e.g. \"Attestor <attestor@example.com>\".")
    var userID: String

    @Option(
        name: .customLong("algorithm"),
        help: ArgumentHelp(
            "The key algorithm.",
            discussion: "One of: " + PGPKeyAlgorithm.all.map(\.gnupgName).joined(separator: ", ") + "."))
    var algorithm: String = PGPKeyAlgorithm.ed25519.gnupgName

    @Option(name: .customLong("expires-in-days"), help: "The key's lifetime in days (default: never expires).")
    var expiresInDays: Int?

    @Option(
        name: .customLong("passphrase-env"),
        help: "The name of an environment variable holding a passphrase for the secret key (default: none).")
    var passphraseEnvironmentVariable: String?

    @Option(name: .customLong("public-key-file"), help: "Where to write the armored public key.", completion: .file())
    var publicKeyFile: String

    @Option(
        name: .customLong("private-key-file"), help: "Where to write the armored secret key (mode 0600).",
        completion: .file())
    var privateKeyFile: String

    func validate() throws {
        guard PGPKeyAlgorithm(algorithm) != nil else {
            throw ValidationError(
                "--algorithm must be one of \(PGPKeyAlgorithm.all.map(\.gnupgName).joined(separator: ", ")), not '\(algorithm)'"
            )
        }
        if let expiresInDays, !(1...36_500).contains(expiresInDays) {
            throw ValidationError("--expires-in-days must be between 1 and 36500")
        }
        guard publicKeyFile != "-", privateKeyFile != "-" else {
            throw ValidationError("--public-key-file and --private-key-file must name files, not -")
        }
        guard publicKeyFile != privateKeyFile else {
            throw ValidationError("--public-key-file and --private-key-file must be different files")
        }
    }

    func run() throws {
        let algorithm = PGPKeyAlgorithm(algorithm) ?? .ed25519
        let passphrase = try passphraseEnvironmentVariable.map(PGPKeyringDirectory.passphrase(from:))
        let generated: (fingerprint: PGPFingerprint, publicKey: String, secretKey: String)
        do {
            let what = passphrase == nil ? "generating the PGP key" : "generating the PGP key and protecting it"
            generated = try Progress.during(what) {
                try withEphemeralKeyring(PGPKeyringDirectory.options(.signing)) { keyring in
                    let key = try keyring.generateKey(
                        userID: userID, algorithm: algorithm,
                        expiresIn: expiresInDays.map { .seconds(Int64($0) * 86_400) }, passphrase: passphrase)
                    return (
                        key.fingerprint, try keyring.exportPublicKey(key.fingerprint),
                        try keyring.exportSecretKey(key.fingerprint, passphrase: passphrase)
                    )
                }
            }
        } catch let error as PGPError {
            throw CLIError(error.message)
        }
        let (fingerprint, publicKey, secretKey) = generated
        try Output.write(Array(publicKey.utf8), to: publicKeyFile)
        try SecretFile.save(Array(secretKey.utf8), to: privateKeyFile)
        try Output.standardOutput(fingerprint.hex + "\n")
    }
}

/// `binauthz pgp fingerprint --public-key-file F`
struct PGPFingerprintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fingerprint",
        abstract: "Print the key id Binary Authorization computes for a PGP public key.",
        discussion: """
            Prints the OpenPGP v4 fingerprint of the key's primary key as 40 upper-case hexadecimal digits — the id \
            an attestor gives the key. It is computed from the key packets in Swift; GnuPG is not needed. The file \
            (the output of `gpg --armor --export`, or binary) must hold exactly one primary key.
            """
    )

    @Option(
        name: .customLong("public-key-file"), help: "The public key (armored or binary), or - for standard input.",
        completion: .file())
    var publicKeyFile: String

    func run() throws {
        let bytes = try Output.readBytes(publicKeyFile)
        let fingerprint: PGPFingerprint
        do {
            fingerprint = try PGPKeyBlock.fingerprint(of: bytes)
        } catch {
            throw CLIError.inFile(publicKeyFile, error.message)
        }
        try Output.standardOutput(fingerprint.hex + "\n")
    }
}

/// Where the CLI's temporary GnuPG homes go, and other PGP plumbing shared by the commands.
enum PGPKeyringDirectory {
    /// Overrides the base directory of temporary GnuPG homes (default `/tmp`). Keep it short: homes must be 80
    /// bytes or fewer for gpg-agent's sockets.
    static let environmentVariable = "BINAUTHZ_KEYRING_DIR"

    /// The base directory for temporary GnuPG homes: `$BINAUTHZ_KEYRING_DIR`, or `/tmp`.
    static var base: String { options(.verification).baseDirectory }

    /// Keyring options for `purpose`, with the base directory from the environment.
    static func options(_ purpose: EphemeralKeyring.Options.Purpose) -> EphemeralKeyring.Options {
        var options = EphemeralKeyring.Options(purpose: purpose)
        if let base = system_getenv(environmentVariable).map({ String(cString: $0) }), !base.isEmpty {
            options.baseDirectory = base
        }
        return options
    }

    /// Reads a passphrase from the named environment variable.
    static func passphrase(from variable: String) throws(CLIError) -> String {
        guard let value = system_getenv(variable) else {
            throw CLIError("--passphrase-env: the environment variable \(variable) is not set")
        }
        let passphrase = String(cString: value)
        guard !passphrase.isEmpty else {
            throw CLIError("--passphrase-env: the environment variable \(variable) is empty")
        }
        return passphrase
    }
}
