// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import BinAuthz

// Attestors kept in files, described, listed and edited as gcloud's `attestors describe|list|update` and
// `attestors public-keys add|update|remove` do it against the API.

/// `binauthz attestors describe --attestor-file F [--format yaml|json]`
struct DescribeAttestor: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "Print an attestor as gcloud's attestors describe prints it.",
        discussion: """
            yaml (default) is exactly gcloud's resource printer (keys sorted, | blocks for keys, YAML 1.2 quoting, so \
            a description "yes" is printed bare as gcloud prints it); json is its --format=json (keys sorted, \
            two-space indentation).
            """
    )

    @Option(name: .customLong("attestor-file"), help: "The attestor (REST JSON or gcloud YAML).", completion: .file())
    var attestorFile: String

    @Option(name: .customLong("format"), help: "yaml (default) or json.")
    var format: OutputFormat = .yaml

    func run() throws {
        let attestor = try ResourceInput.read(Attestor.self, from: attestorFile)
        try Output.standardOutput(format == .json ? attestor.jsonString() : attestor.gcloudYAMLString())
    }
}

/// `binauthz attestors list --attestor-file F... [--format table|yaml|json]`
struct ListAttestors: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List attestors as gcloud's attestors list does: a boxed NAME / NOTE / NUM_PUBLIC_KEYS table.",
        discussion: """
            Rows are sorted by NAME (the attestor id); NOTE is the note reference, NUM_PUBLIC_KEYS the number of \
            keys. --format yaml prints each attestor as a YAML document (---), json a JSON list. With no attestor \
            files, standard error says "Listed 0 items.", as gcloud does for a project without attestors.
            """
    )

    @Option(name: .customLong("attestor-file"), help: "An attestor file; repeat for several.", completion: .file())
    var attestorFiles: [String] = []

    @Option(name: .customLong("format"), help: "table (default), yaml or json.")
    var format: ListFormat = .table

    enum ListFormat: String, ExpressibleByArgument, CaseIterable { case table, yaml, json }

    func validate() throws { try checkStandardInputOnce(attestorFiles) }

    func run() throws {
        var attestors: [Attestor] = []
        for file in attestorFiles { attestors.append(try ResourceInput.read(Attestor.self, from: file)) }
        switch format {
        case .table:
            guard !attestors.isEmpty else {
                Output.standardError("Listed 0 items.")
                return
            }
            let rows = attestors.map { attestor -> [String] in
                let name = attestor.name ?? ""
                let id =
                    name.split(separator: "/", omittingEmptySubsequences: false).dropFirst(3).first.map(String.init)
                    ?? ""
                return [id, attestor.note?.noteReference ?? "", String(attestor.publicKeys.count)]
            }.sortedByCodePoints(\.[0])
            try Output.standardOutput(GcloudTable.boxed(header: ["NAME", "NOTE", "NUM_PUBLIC_KEYS"], rows: rows))
        case .yaml:
            try Output.standardOutput(attestors.map { "---\n" + $0.gcloudYAMLString() }.joined())
        case .json:
            let items = attestors.map { attestor in
                attestor.jsonString().split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
            }
            try Output.standardOutput(items.isEmpty ? "[]\n" : "[\n" + items.joined(separator: ",\n") + "\n]\n")
        }
    }
}

/// `binauthz attestors update --attestor-file F [--description D] [--output F] [--format json|yaml]`
struct UpdateAttestor: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Change an attestor's description, as gcloud's attestors update does, and print the attestor.",
        discussion: """
            Prints (or writes to --output, which may be the attestor file itself) the whole attestor gcloud would \
            PUT back: every field as read, the description replaced (--description "" sets it empty).
            """
    )

    @OptionGroup var edit: AttestorEditOptions

    @Option(name: .customLong("description"), help: "The new description.")
    var description: String?

    func validate() throws { try edit.validate() }

    func run() throws {
        var attestor = try edit.read()
        if let description { attestor.description = description }
        try edit.write(attestor)
    }
}

/// `binauthz attestors public-keys …`
struct AttestorPublicKeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "public-keys",
        abstract: "Add, update and remove an attestor file's public keys, as gcloud's attestors public-keys does.",
        subcommands: [AddAttestorPublicKey.self, UpdateAttestorPublicKey.self, RemoveAttestorPublicKey.self]
    )
}

/// `binauthz attestors public-keys add --attestor-file F (--pgp-public-key-file F | --pkix-public-key-file F
/// --pkix-public-key-algorithm ALG | --keyversion-… ) [--comment C] [--public-key-id-override ID]`
struct AddAttestorPublicKey: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a PGP, PKIX or Cloud KMS public key to an attestor file.",
        discussion: """
            Exactly one of: --pgp-public-key-file F (the id is the key's fingerprint, as the service computes it); \
            --pkix-public-key-file F with --pkix-public-key-algorithm ALG (the id is ni:///sha-256;… of the key unless \
            --public-key-id-override gives one); or a Cloud KMS key version — --keyversion-project (default: the \
            attestor's project), --keyversion-location, --keyversion-keyring, --keyversion-key, --keyversion, with \
            --keyversion-public-key-file (the PEM gcloud kms keys versions get-public-key writes) and \
            --keyversion-algorithm (the KMS algorithm, as gcloud kms keys versions describe prints it); the id is \
            //cloudkms.googleapis.com/v1/projects/…/cryptoKeyVersions/V and the algorithm is mapped as gcloud maps \
            it. gcloud's errors: "Provided public key already present on attestor [A]", "Public key with ID [ID] \
            already present on attestor [A]", "--public-key-id-override may not be used with old-style PGP keys", \
            "Unsupported PkixPublicKey signature algorithm: "ALG"".
            """
    )

    @OptionGroup var edit: AttestorEditOptions

    @Option(
        name: .customLong("pgp-public-key-file"), help: "An armored PGP public key (gpg --armor --export).",
        completion: .file())
    var pgpPublicKeyFile: String?

    @Option(
        name: .customLong("pkix-public-key-file"), help: "A PEM public key (SubjectPublicKeyInfo).", completion: .file()
    )
    var pkixPublicKeyFile: String?

    @Option(
        name: .customLong("pkix-public-key-algorithm"),
        help: "The signature algorithm of the PKIX key, e.g. ecdsa-p256-sha256 or rsa-pss-2048-sha256.")
    var pkixAlgorithm: String?

    @Option(name: .customLong("keyversion-project"), help: "Cloud KMS: the key's project (default: the attestor's).")
    var keyVersionProject: String?

    @Option(name: .customLong("keyversion-location"), help: "Cloud KMS: the key's location.")
    var keyVersionLocation: String?

    @Option(name: .customLong("keyversion-keyring"), help: "Cloud KMS: the key ring.")
    var keyVersionKeyRing: String?

    @Option(name: .customLong("keyversion-key"), help: "Cloud KMS: the key.")
    var keyVersionKey: String?

    @Option(name: .customLong("keyversion"), help: "Cloud KMS: the key version.")
    var keyVersion: String?

    @Option(
        name: .customLong("keyversion-public-key-file"),
        help: "Cloud KMS: the version's PEM public key (gcloud kms keys versions get-public-key --output-file).",
        completion: .file())
    var keyVersionPublicKeyFile: String?

    @Option(
        name: .customLong("keyversion-algorithm"),
        help: "Cloud KMS: the version's algorithm, e.g. EC_SIGN_P256_SHA256 (gcloud kms keys versions describe).")
    var keyVersionAlgorithm: String?

    @Option(name: .customLong("comment"), help: "A comment on the key.")
    var comment: String?

    @Option(name: .customLong("public-key-id-override"), help: "A URI to use as the PKIX or KMS key's id.")
    var idOverride: String?

    private var usesKMS: Bool {
        [
            keyVersionProject, keyVersionLocation, keyVersionKeyRing, keyVersionKey, keyVersion,
            keyVersionPublicKeyFile,
            keyVersionAlgorithm,
        ].contains { $0 != nil }
    }

    func validate() throws {
        try edit.validate()
        try checkStandardInputOnce([edit.attestorFile, pgpPublicKeyFile, pkixPublicKeyFile, keyVersionPublicKeyFile])
        let sources = [pgpPublicKeyFile != nil, pkixPublicKeyFile != nil || pkixAlgorithm != nil, usesKMS]
        guard sources.filter({ $0 }).count == 1 else {
            throw ValidationError(
                "Exactly one of (--pgp-public-key-file | --pkix-public-key-file --pkix-public-key-algorithm | the "
                    + "--keyversion-* flags) must be specified.")
        }
        if pkixPublicKeyFile != nil && pkixAlgorithm == nil {
            throw ValidationError("--pkix-public-key-algorithm: Must be specified.")
        }
        if pkixAlgorithm != nil && pkixPublicKeyFile == nil {
            throw ValidationError("--pkix-public-key-file: Must be specified.")
        }
        if usesKMS {
            for (value, flag) in [
                (keyVersionLocation, "--keyversion-location"), (keyVersionKeyRing, "--keyversion-keyring"),
                (keyVersionKey, "--keyversion-key"), (keyVersion, "--keyversion"),
                (keyVersionPublicKeyFile, "--keyversion-public-key-file"),
                (keyVersionAlgorithm, "--keyversion-algorithm"),
            ] where value == nil {
                throw ValidationError("\(flag) must be specified.")
            }
        }
    }

    func run() throws {
        var attestor = try edit.read()
        if pgpPublicKeyFile != nil && idOverride != nil {
            throw CLIError("--public-key-id-override may not be used with old-style PGP keys")
        }
        if let pgpPublicKeyFile {
            try addPGP(to: &attestor, file: pgpPublicKeyFile)
        } else if let pkixPublicKeyFile, let pkixAlgorithm {
            try addPKIX(to: &attestor, file: pkixPublicKeyFile, algorithmName: pkixAlgorithm)
        } else if let file = keyVersionPublicKeyFile, let kmsAlgorithm = keyVersionAlgorithm {
            try addKMS(to: &attestor, file: file, kmsAlgorithm: kmsAlgorithm)
        }
        try edit.write(attestor)
    }

    private func addPGP(to attestor: inout Attestor, file: String) throws(CLIError) {
        let text = try AttestorEditOptions.readKeyText(file)
        do {
            try attestor.addPGPPublicKey(text, comment: comment)
        } catch {
            throw error.code == .duplicateKey ? CLIError(error.message) : CLIError.inFile(file, error.message)
        }
    }

    private func addPKIX(to attestor: inout Attestor, file: String, algorithmName: String) throws(CLIError) {
        let algorithm = try PKIXAlgorithmArgument.parse(algorithmName, flag: "--pkix-public-key-algorithm")
        let text = try AttestorEditOptions.readKeyText(file)
        do {
            // gcloud sends --public-key-id-override= as "id": "", which the service fills in as if absent.
            try attestor.addPKIXPublicKey(
                pem: text, algorithm: algorithm, idOverride: idOverride.flatMap { $0.isEmpty ? nil : $0 },
                comment: comment)
        } catch {
            throw error.code == .invalidKey ? CLIError.inFile(file, error.message) : CLIError(error.message)
        }
    }

    private func addKMS(to attestor: inout Attestor, file: String, kmsAlgorithm: String) throws(CLIError) {
        let project = keyVersionProject ?? AttestorName(attestor.name ?? "")?.project ?? ""
        let text = try AttestorEditOptions.readKeyText(file)
        do {
            let version = try CloudKMSKeyVersion(
                project: project, location: keyVersionLocation ?? "", keyRing: keyVersionKeyRing ?? "",
                cryptoKey: keyVersionKey ?? "", version: keyVersion ?? "")
            try attestor.addKMSPublicKey(
                pem: text, kmsAlgorithm: kmsAlgorithm, keyVersion: version, idOverride: idOverride, comment: comment)
        } catch {
            throw CLIError(error.message)
        }
    }
}

/// `binauthz attestors public-keys update ID --attestor-file F [--pgp-public-key-file F] [--comment C]`
struct UpdateAttestorPublicKey: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Change a key's comment or PGP key text, as gcloud's attestors public-keys update does.",
        discussion: """
            The key is found by its exact id. Replacing a PGP key with a different key changes its id to the new \
            key's fingerprint, as the service does (gcloud then crashes looking for the old id); a warning says so.
            """
    )

    @Argument(help: "The id of the key to update.")
    var publicKeyID: String

    @OptionGroup var edit: AttestorEditOptions

    @Option(
        name: .customLong("pgp-public-key-file"), help: "A new armored PGP public key for the key.", completion: .file()
    )
    var pgpPublicKeyFile: String?

    @Option(name: .customLong("comment"), help: "A new comment.")
    var comment: String?

    func validate() throws {
        try edit.validate()
        try checkStandardInputOnce([edit.attestorFile, pgpPublicKeyFile])
    }

    func run() throws {
        var attestor = try edit.read()
        do {
            if let pgpPublicKeyFile {
                let text = try AttestorEditOptions.readKeyText(pgpPublicKeyFile)
                let updated = try attestor.updatePGPPublicKey(id: publicKeyID, armoredKey: text, comment: comment)
                if let id = updated.id, !id.isIdentical(to: publicKeyID) {
                    Output.standardError(
                        "warning: the key's id changes from \(publicKeyID) to \(id) (the new key's fingerprint); "
                            + "attestations naming \(publicKeyID) no longer verify")
                }
            } else {
                try attestor.updatePublicKey(id: publicKeyID, comment: comment)
            }
        } catch let error as AttestationError {
            throw CLIError(error.message)
        }
        try edit.write(attestor)
    }
}

/// `binauthz attestors public-keys remove ID --attestor-file F`
struct RemoveAttestorPublicKey: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove the keys with an id, as gcloud's attestors public-keys remove does.",
        discussion: "Every key whose id is exactly ID is removed."
    )

    @Argument(help: "The id of the key(s) to remove.")
    var publicKeyID: String

    @OptionGroup var edit: AttestorEditOptions

    func validate() throws { try edit.validate() }

    func run() throws {
        var attestor = try edit.read()
        do {
            try attestor.removePublicKey(id: publicKeyID)
        } catch {
            throw CLIError(error.message)
        }
        try edit.write(attestor)
    }
}

/// The attestor file an edit command reads, and where and how it writes the result.
struct AttestorEditOptions: ParsableArguments {
    @Option(
        name: .customLong("attestor-file"), help: "The attestor to edit (REST JSON or gcloud YAML).",
        completion: .file())
    var attestorFile: String

    @Option(
        name: .customLong("output"), help: "Write the updated attestor here (may be the attestor file itself).",
        completion: .file())
    var output: String?

    @Option(
        name: .customLong("format"),
        help: "json (REST body, default) or yaml (gcloud's layout, YAML 1.1 keywords quoted so the file reads back).")
    var format: OutputFormat = .json

    func validate() throws {}

    func read() throws(CLIError) -> Attestor { try ResourceInput.read(Attestor.self, from: attestorFile) }

    func write(_ attestor: Attestor) throws(CLIError) {
        try Output.write(Array(attestor.string(in: format.resourceFormat).utf8), to: output)
    }

    /// A key file as gcloud reads one (`arg_parsers.FileContents`): UTF-8 text with universal newlines, so a CRLF
    /// key is the same key as its LF twin.
    static func readKeyText(_ path: String) throws(CLIError) -> String {
        let text = try Output.readText(path)
        return text.replacing("\r\n", with: "\n").replacing("\r", with: "\n")
    }
}

/// gcloud's `table[box]` printer, for the few columns `attestors list` prints.
enum GcloudTable {
    /// A boxed table: header cells centred (Python's `str.center`), body cells left-aligned, one space of padding,
    /// box-drawing characters as gcloud writes them to a UTF-8 terminal. Widths count Unicode scalars.
    static func boxed(header: [String], rows: [[String]]) -> String {
        let widths = header.indices.map { column in
            ([header[column]] + rows.map { $0[column] }).map(\.unicodeScalars.count).max() ?? 0
        }
        func rule(_ left: String, _ middle: String, _ right: String) -> String {
            left + widths.map { String(repeating: "─", count: $0 + 2) }.joined(separator: middle) + right + "\n"
        }
        var out = rule("┌", "┬", "┐")
        out += "│ " + zip(header, widths).map { center($0, $1) }.joined(separator: " │ ") + " │\n"
        out += rule("├", "┼", "┤")
        for row in rows {
            out +=
                "│ "
                + zip(row, widths).map { $0 + String(repeating: " ", count: $1 - $0.unicodeScalars.count) }
                .joined(separator: " │ ") + " │\n"
        }
        return out + rule("└", "┴", "┘")
    }

    /// Python's `str.center(width)`: the odd space goes left when `width` is odd.
    static func center(_ text: String, _ width: Int) -> String {
        let margin = width - text.unicodeScalars.count
        guard margin > 0 else { return text }
        let left = margin / 2 + (margin & width & 1)
        return String(repeating: " ", count: left) + text + String(repeating: " ", count: margin - left)
    }
}

extension Array {
    /// Sorted by a string key in Unicode code point order (Python's string order), stably.
    func sortedByCodePoints(_ key: (Element) -> String) -> [Element] {
        enumerated().sorted { a, b in
            let x = key(a.element).unicodeScalars.map(\.value)
            let y = key(b.element).unicodeScalars.map(\.value)
            return x == y ? a.offset < b.offset : x.lexicographicallyPrecedes(y)
        }.map(\.element)
    }
}
