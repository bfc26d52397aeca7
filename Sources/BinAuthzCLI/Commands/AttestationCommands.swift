// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import BinAuthz
import Foundation

// MARK: - binauthz notes

/// `binauthz notes …`
struct NotesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notes",
        abstract: "Build Container Analysis attestation notes.",
        subcommands: [CreateNote.self]
    )
}

/// `binauthz notes create --note projects/P/notes/N [--human-readable-name H] [--format json|yaml]`
struct CreateNote: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Print the note an attestor needs, as the body of a Container Analysis `notes.create` request.",
        discussion: """
            Upload it with: curl -X POST -H "Authorization: Bearer $(gcloud auth print-access-token)" \
            -H "Content-Type: application/json" --data-binary @note.json \
            "https://containeranalysis.googleapis.com/v1/projects/P/notes/?noteId=N"
            """
    )

    @Option(name: .customLong("note"), help: "The note, projects/PROJECT_ID/notes/NOTE_ID.")
    var note: String

    @Option(name: .customLong("human-readable-name"), help: "The hint shown for the note (default: the note id).")
    var humanReadableName: String?

    @Option(name: .customLong("format"), help: "json (REST body, default) or yaml.")
    var format: OutputFormat = .json

    func run() throws {
        let name = try parseName(note, flag: "--note", NoteName.init(parsing:))
        let note = Note.attestationNote(name, humanReadableName: humanReadableName)
        try Output.standardOutput(note.string(in: format.resourceFormat))
    }
}

// MARK: - binauthz attestors

/// `binauthz attestors …`
struct AttestorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attestors",
        abstract: "Build, describe, list and edit Binary Authorization attestors kept in files.",
        subcommands: [
            CreateAttestor.self, DescribeAttestor.self, ListAttestors.self, UpdateAttestor.self,
            AttestorPublicKeysCommand.self,
        ]
    )
}

/// `binauthz attestors create --attestor A --note N [--pgp-public-key-file F]... [--pkix-public-key-file F
/// --pkix-public-key-algorithm ALG [--public-key-id-override ID]]... [--description D] [--format json|yaml]`
struct CreateAttestor: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Print an attestor with its keys, ids computed as the service computes them.",
        discussion: """
            PGP key ids are the primary key's v4 fingerprint; PKIX key ids default to ni:///sha-256;… of the \
            key. Repeat --pkix-public-key-file for several PKIX keys; give --pkix-public-key-algorithm once (for \
            all of them) or once per file, in the same order, and --public-key-id-override either not at all or \
            once per PKIX file. The output is the REST JSON body of attestors.create (or gcloud's YAML).
            """
    )

    @Option(name: .customLong("attestor"), help: "The attestor, projects/PROJECT_ID/attestors/ATTESTOR_ID.")
    var attestor: String

    @Option(name: .customLong("note"), help: "The attestor's note, projects/PROJECT_ID/notes/NOTE_ID.")
    var note: String

    @Option(
        name: .customLong("pgp-public-key-file"), help: "An armored PGP public key (gpg --armor --export).",
        completion: .file())
    var pgpPublicKeyFiles: [String] = []

    @Option(
        name: .customLong("pkix-public-key-file"), help: "A PEM public key (SubjectPublicKeyInfo).", completion: .file()
    )
    var pkixPublicKeyFiles: [String] = []

    @Option(
        name: .customLong("pkix-public-key-algorithm"),
        help: "The signature algorithm of the PKIX key, e.g. ecdsa-p256-sha256 or rsa-pss-2048-sha256.")
    var pkixAlgorithms: [String] = []

    @Option(name: .customLong("public-key-id-override"), help: "A URI to use as the PKIX key's id.")
    var idOverrides: [String] = []

    @Option(name: .customLong("description"), help: "A description of the attestor.")
    var description: String?

    @Option(name: .customLong("format"), help: "json (REST body, default) or yaml (as gcloud describe prints).")
    var format: OutputFormat = .json

    func validate() throws {
        try checkStandardInputOnce(pgpPublicKeyFiles + pkixPublicKeyFiles)
        guard !(pkixPublicKeyFiles.isEmpty && !pkixAlgorithms.isEmpty) else {
            throw ValidationError("--pkix-public-key-algorithm needs --pkix-public-key-file")
        }
        guard
            pkixPublicKeyFiles.isEmpty || pkixAlgorithms.count == 1 || pkixAlgorithms.count == pkixPublicKeyFiles.count
        else {
            throw ValidationError(
                "give --pkix-public-key-algorithm once, or once per --pkix-public-key-file (\(pkixPublicKeyFiles.count))"
            )
        }
        guard idOverrides.isEmpty || idOverrides.count == pkixPublicKeyFiles.count else {
            if pkixPublicKeyFiles.isEmpty && pgpPublicKeyFiles.isEmpty {
                throw ValidationError("--public-key-id-override needs --pkix-public-key-file")
            }
            if pkixPublicKeyFiles.isEmpty {
                throw ValidationError("--public-key-id-override may not be used with old-style PGP keys")
            }
            throw ValidationError("give --public-key-id-override once per --pkix-public-key-file, or not at all")
        }
    }

    func run() throws {
        var attestor = Attestor(
            name: try parseName(self.attestor, flag: "--attestor", AttestorName.init(parsing:)),
            note: try parseName(note, flag: "--note", NoteName.init(parsing:)),
            description: description)
        for file in pgpPublicKeyFiles {
            let text = try Output.readText(file)
            do {
                try attestor.addPGPPublicKey(text)
            } catch {
                throw CLIError.inFile(file, error.message)
            }
        }
        for (index, file) in pkixPublicKeyFiles.enumerated() {
            let algorithmText = pkixAlgorithms.count == 1 ? pkixAlgorithms[0] : pkixAlgorithms[index]
            let algorithm = try PKIXAlgorithmArgument.parse(algorithmText, flag: "--pkix-public-key-algorithm")
            let text = try Output.readText(file)
            do {
                try attestor.addPKIXPublicKey(
                    pem: text, algorithm: algorithm, idOverride: idOverrides.isEmpty ? nil : idOverrides[index])
            } catch {
                throw CLIError.inFile(file, error.message)
            }
        }
        try Output.standardOutput(attestor.string(in: format.resourceFormat))
    }
}

// MARK: - binauthz attestations

/// `binauthz attestations …`
struct AttestationsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attestations",
        abstract: "Create, sign and validate attestation occurrences offline.",
        subcommands: [CreateAttestation.self, SignAndCreateAttestation.self, ValidateAttestation.self]
    )
}

/// `binauthz attestations create --artifact-url URL (--note N | --attestor-file F [--validate]) --signature-file F
/// --public-key-id ID [--payload-file F] [--output F]`
struct CreateAttestation: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Wrap an existing signature into the v1 occurrence gcloud would upload.",
        discussion: """
            What gcloud's attestations create accepts is accepted: any artifact URL its parser takes (also a \
            71-character digest that is not sha256:<64 hex>), any --public-key-id, an empty signature; where such \
            an attestation can never verify, a warning on standard error says why. The payload is recomputed from \
            --artifact-url unless --payload-file gives the exact bytes that were signed. The note is --note, or the \
            note of the attestor in --attestor-file (gcloud's --attestor); with --validate the occurrence is first \
            validated against that attestor offline (gcloud's --validate): if it does not verify, gcloud's \
            "Attestation could not be validated! (REASON)" is printed, nothing is written and the exit status is 2 \
            (binauthz never prompts; leave out --validate to write it anyway). Prints {"resourceUri", "noteName", \
            "kind": "ATTESTATION", "attestation": {"serializedPayload", "signatures": [{"signature", \
            "publicKeyId"}]}} with bytes fields in URL-safe base64 with padding, as gcloud writes them.
            """
    )

    @Option(name: .customLong("artifact-url"), help: "The image, registry/repository@sha256:<64 hex>.")
    var artifactURL: String

    @Option(name: .customLong("note"), help: "The attestor's note, projects/PROJECT_ID/notes/NOTE_ID.")
    var note: String?

    @Option(
        name: .customLong("attestor-file"),
        help: "The attestor (REST JSON or gcloud YAML) whose note hosts the attestation; instead of --note.",
        completion: .file())
    var attestorFile: String?

    @Flag(name: .customLong("validate"), help: "Validate the attestation against --attestor-file before writing it.")
    var validateAttestation = false

    @Option(
        name: .customLong("signature-file"), help: "The signature (for PGP: gpg --armor --sign output).",
        completion: .file())
    var signatureFile: String

    @Option(name: .customLong("public-key-id"), help: "The PGP fingerprint or PKIX key id of the signing key.")
    var publicKeyID: String

    @Option(
        name: .customLong("payload-file"), help: "The signed payload, when it is not the recomputed one.",
        completion: .file())
    var payloadFile: String?

    @Option(
        name: .customLong("output"), help: "Write the occurrence here instead of standard output.", completion: .file())
    var output: String?

    @Option(
        name: .customLong("at"),
        help: "With --validate: the evaluation time for key validity, RFC 3339; default now.")
    var at: String?

    @OptionGroup var pgpVerifier: PGPVerifierOption

    @OptionGroup var dsse: DSSEAcceptOption

    func validate() throws {
        try checkStandardInputOnce([signatureFile, payloadFile, attestorFile])
        switch (note, attestorFile) {
        case (nil, nil): throw ValidationError("One of --attestor-file or --note must be provided.")
        case (.some, .some): throw ValidationError("give --note or --attestor-file, not both")
        default: break
        }
        if validateAttestation && attestorFile == nil {
            throw ValidationError("--validate needs --attestor-file (the attestor to validate against)")
        }
        if at != nil && !validateAttestation { throw ValidationError("--at goes with --validate") }
    }

    func run() throws {
        let time = try EvaluationTime.parse(at)
        var attestor: Attestor?
        let noteName: NoteName
        if let attestorFile {
            let read = try ResourceInput.read(Attestor.self, from: attestorFile)
            guard let reference = read.note?.noteReference else {
                throw CLIError.inFile(
                    attestorFile,
                    "userOwnedGrafeasNote.noteReference is missing: the attestor has no note to host the "
                        + "attestation")
            }
            do {
                noteName = try NoteName(parsing: reference)
            } catch {
                throw CLIError.inFile(attestorFile, "userOwnedGrafeasNote.noteReference: \(error.message)")
            }
            attestor = read
        } else {
            noteName = try parseName(note ?? "", flag: "--note", NoteName.init(parsing:))
        }
        let signature = try Output.readBytes(signatureFile)
        let payload = try payloadFile.map { path throws(CLIError) in try Output.readBytes(path) }
        let created: AttestationOccurrence
        do {
            created = try AttestationOccurrence.create(
                artifactURL: artifactURL, note: noteName, signature: signature, publicKeyID: publicKeyID,
                payload: payload)
        } catch {
            throw CLIError("--artifact-url: \(error.message)")
        }
        for reason in created.neverVerifiableReasons(attestor: attestor) {
            Output.standardError("warning: this attestation can never verify: \(reason)")
        }
        if validateAttestation, let attestor, let attestorFile {
            let validation = try Self.validate(
                created, attestor: attestor, file: attestorFile, at: time, pgp: pgpVerifier, dsse: dsse)
            guard validation.isVerified else {
                Output.standardError("Attestation could not be validated! (\(validation.denialReason))")
                throw CLIError.negativeVerdict
            }
        }
        try Output.write(Array(created.jsonString().utf8), to: output)
    }

    /// The offline `ValidateAttestationOccurrence` gcloud's `--validate` calls: the occurrence, its note and its
    /// resource, for the attestor.
    private static func validate(
        _ occurrence: AttestationOccurrence, attestor: Attestor, file: String, at time: Date, pgp: PGPVerifierOption,
        dsse: DSSEAcceptOption
    ) throws(CLIError) -> AttestationValidation {
        let verifier: AttestorVerifier
        do {
            verifier = try AttestorVerifier(
                attestors: [attestor], occurrences: [occurrence],
                pgp: PGPAttestationKeys(verifier: pgp.verifier, keyringBaseDirectory: PGPKeyringDirectory.base),
                pkix: PKIXAttestationKeys(dssePayloadTypes: dsse.payloadTypes))
        } catch {
            throw CLIError.inFile(file, error.message)
        }
        defer { verifier.close() }
        do {
            return try verifier.validate(occurrence, attestor: attestor.name ?? "", at: time)
        } catch  where error.code == .invalidArtifactURL {
            return AttestationValidation(result: .notVerifiable, denialReason: error.message)
        } catch {
            throw CLIError(error.message)
        }
    }
}

/// `binauthz attestations sign-and-create …`
struct SignAndCreateAttestation: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign-and-create",
        abstract: "Build the payload for an image, sign it with a PGP or PKIX private key, and print the occurrence.",
        discussion: """
            PGP: --pgp-private-key-file F (armored or binary, as gpg --export-secret-keys writes it) or \
            --pgp-private-key-env VAR (the same, base64-encoded in an environment variable — the CircleCI \
            pattern); the signature is attached and ASCII-armored (gpg --armor --sign). PKIX: \
            --pkix-private-key-file F (PKCS#8, SEC1 or PKCS#1 PEM) with --pkix-algorithm ALG; the key id defaults to \
            ni:///sha-256;… of the public key; --pae-encode-payload [--dsse-type T] signs DSSE's PAE(T, payload) and stores \
            the plain payload, as gcloud does for KMS keys (what platform policies' simpleSigningAttestationCheck \
            wants), and --dsse-envelope-output F writes the same attestation as a DSSE envelope. Keys are handled in a private temporary GnuPG home that is removed \
            before the command exits; neither keys nor passphrases are logged.
            """
    )

    @OptionGroup var occurrence: OccurrenceOptions

    @Option(name: .customLong("pgp-private-key-file"), help: "A PGP secret key file.", completion: .file())
    var pgpPrivateKeyFile: String?

    @Option(name: .customLong("pgp-private-key-env"), help: "An environment variable holding a base64 PGP secret key.")
    var pgpPrivateKeyEnv: String?

    @Option(name: .customLong("passphrase-env"), help: "An environment variable holding the PGP key's passphrase.")
    var passphraseEnv: String?

    @Option(name: .customLong("pkix-private-key-file"), help: "A PEM private key.", completion: .file())
    var pkixPrivateKeyFile: String?

    @Option(name: .customLong("pkix-algorithm"), help: "The PKIX signature algorithm, e.g. ecdsa-p256-sha256.")
    var pkixAlgorithm: String?

    @Option(name: .customLong("public-key-id"), help: "The attestor's id for the PKIX key (default ni:///sha-256;…).")
    var publicKeyID: String?

    @Flag(
        name: .customLong("pae-encode-payload"),
        help: "PKIX: sign DSSE's PAE(--dsse-type, payload) instead of the payload, as gcloud's --pae-encode-payload.")
    var paeEncodePayload = false

    @Option(
        name: .customLong("dsse-type"),
        help:
            "The DSSE payload type for --pae-encode-payload (default application/vnd.dev.cosign.simplesigning.v1+json)."
    )
    var dsseType: String?

    @Option(
        name: .customLong("dsse-envelope-output"),
        help: "With --pae-encode-payload: also write the attestation as a DSSE envelope (JSON) to this file.",
        completion: .file())
    var dsseEnvelopeOutput: String?

    func validate() throws {
        if (dsseType != nil || dsseEnvelopeOutput != nil) && !paeEncodePayload {
            throw ValidationError("--dsse-type and --dsse-envelope-output go with --pae-encode-payload")
        }
        if paeEncodePayload && pkixPrivateKeyFile == nil {
            throw ValidationError(
                "--pae-encode-payload signs with a PKIX key (--pkix-private-key-file), as gcloud's KMS keys")
        }
        if let dsseType, dsseType.isEmpty { throw ValidationError("--dsse-type must not be empty") }
        let pgpSources = [pgpPrivateKeyFile, pgpPrivateKeyEnv].compactMap { $0 }.count
        let pkix = pkixPrivateKeyFile != nil
        guard (pgpSources == 1) != pkix else {
            throw ValidationError(
                "give exactly one key: --pgp-private-key-file, --pgp-private-key-env, or --pkix-private-key-file")
        }
        if pkix && pkixAlgorithm == nil { throw ValidationError("--pkix-private-key-file needs --pkix-algorithm") }
        if !pkix && (pkixAlgorithm != nil || publicKeyID != nil) {
            throw ValidationError("--pkix-algorithm and --public-key-id go with --pkix-private-key-file")
        }
        if pkix && passphraseEnv != nil { throw ValidationError("--passphrase-env goes with a PGP key") }
    }

    func run() throws {
        let note = try occurrence.noteName()
        // A bad URL is refused before any key is imported.
        do {
            _ = try ArtifactURL(occurrence.artifactURL)
        } catch {
            throw CLIError("--artifact-url: \(error.message)")
        }
        // Importing and using a passphrase-protected PGP key runs GnuPG's key derivation: seconds, not milliseconds.
        let created = try Progress.during(pkixPrivateKeyFile != nil ? "signing" : "importing the PGP key and signing") {
            () throws(CLIError) -> AttestationOccurrence in
            let signer = try makeSigner()
            defer { signer.close() }
            do throws(AttestationError) {
                return try AttestationOccurrence.signAndCreate(
                    artifactURL: occurrence.artifactURL, note: note, signer: signer)
            } catch {
                throw CLIError(error.message)
            }
        }
        if let dsseEnvelopeOutput {
            let envelope = DSSEEnvelope(occurrence: created, payloadType: dsseType ?? DSSE.simpleSigningPayloadType)
            try Output.write(Array(envelope.jsonString().utf8), to: dsseEnvelopeOutput)
        }
        try occurrence.write(created)
    }

    private func makeSigner() throws(CLIError) -> AttestationSigner {
        let environment = ProcessInfo.processInfo.environment
        do {
            if let pkixPrivateKeyFile, let pkixAlgorithm {
                let algorithm = try PKIXAlgorithmArgument.parse(pkixAlgorithm, flag: "--pkix-algorithm")
                let signer: PKIXSigner
                do {
                    signer = try PKIXSigner(
                        privateKeyPEM: try Output.readText(pkixPrivateKeyFile), algorithm: algorithm)
                } catch let error as PKIXError {
                    throw CLIError("\(pkixPrivateKeyFile): \(error.message)")
                }
                return try AttestationSigner.pkix(
                    signer, keyID: publicKeyID,
                    dssePayloadType: paeEncodePayload ? (dsseType ?? DSSE.simpleSigningPayloadType) : nil)
            }
            let passphrase = try passphraseEnv.map(PGPKeyringDirectory.passphrase(from:))
            if let pgpPrivateKeyEnv {
                guard let value = environment[pgpPrivateKeyEnv], !value.isEmpty else {
                    throw CLIError(
                        "--pgp-private-key-env: the environment variable \(pgpPrivateKeyEnv) is not set or empty")
                }
                do {
                    return try AttestationSigner.pgp(
                        base64SecretKey: value, passphrase: passphrase, keyringBaseDirectory: PGPKeyringDirectory.base)
                } catch {
                    throw CLIError("--pgp-private-key-env \(pgpPrivateKeyEnv): \(error.message)")
                }
            }
            let file = pgpPrivateKeyFile!
            let bytes = try Output.readBytes(file)
            do {
                return try AttestationSigner.pgp(
                    secretKey: bytes, passphrase: passphrase, keyringBaseDirectory: PGPKeyringDirectory.base)
            } catch {
                throw CLIError.inFile(file, error.message)
            }
        } catch let error as AttestationError {
            throw CLIError(error.message)
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError("\(error)")
        }
    }
}

/// `binauthz attestations validate --attestor-file F --attestation-file F [--artifact-url URL] [--at TIME]`
struct ValidateAttestation: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Validate attestation occurrences against an attestor, offline (ValidateAttestationOccurrence).",
        discussion: """
            Prints {"denialReason": "…", "result": "VERIFIED" | "ATTESTATION_NOT_VERIFIABLE"} and exits 0 when \
            verified, 2 when not verifiable, 1 on bad input. The image defaults to the occurrence's resourceUri; \
            key validity (expiry, revocation) is judged at --at (RFC 3339, default now).
            """
    )

    @Option(name: .customLong("attestor-file"), help: "The attestor (REST JSON or gcloud YAML).", completion: .file())
    var attestorFile: String

    @Option(
        name: .customLong("attestation-file"), help: "The occurrence(s): one, a list, or a list response.",
        completion: .file())
    var attestationFile: String

    @Option(name: .customLong("artifact-url"), help: "The image to validate for, registry/repository@sha256:<64 hex>.")
    var artifactURL: String?

    @Option(name: .customLong("at"), help: "The evaluation time, RFC 3339 (e.g. 2019-06-01T00:00:00Z); default now.")
    var at: String?

    @OptionGroup var pgpVerifier: PGPVerifierOption

    @OptionGroup var dsse: DSSEAcceptOption

    func validate() throws { try checkStandardInputOnce([attestorFile, attestationFile]) }

    func run() throws {
        let time = try EvaluationTime.parse(at)
        var image: ImageReference?
        if let artifactURL {
            do {
                image = try ArtifactURL(artifactURL).imageReference
            } catch {
                throw CLIError("--artifact-url: \(error.message)")
            }
        }
        let verifier = try EvidenceLoader.load(
            attestorFiles: [attestorFile], attestationFiles: [attestationFile], pgpVerifier: pgpVerifier.verifier,
            dssePayloadTypes: dsse.payloadTypes)
        defer { verifier.close() }
        guard !verifier.occurrences.isEmpty else {
            throw CLIError.inFile(attestationFile, "no attestation occurrence in the file")
        }
        let result: AttestationValidation
        do {
            let attestor = verifier.attestors.first?.name ?? ""
            result = try verifier.validate(verifier.occurrences, attestor: attestor, image: image, at: time)
        } catch  where error.code == .invalidArtifactURL {
            throw CLIError(error.message + " (--artifact-url)")
        } catch {
            throw CLIError(error.message)
        }
        try Output.standardOutput(result.jsonString + "\n")
        if !result.isVerified { throw CLIError.negativeVerdict }
    }
}

// MARK: - Shared parsing

/// The options every command that makes an occurrence takes: the image, the attestor's note, where to write.
struct OccurrenceOptions: ParsableArguments {
    @Option(name: .customLong("artifact-url"), help: "The image, registry/repository@sha256:<64 hex>.")
    var artifactURL: String

    @Option(name: .customLong("note"), help: "The attestor's note, projects/PROJECT_ID/notes/NOTE_ID.")
    var note: String

    @Option(
        name: .customLong("output"), help: "Write the occurrence here instead of standard output.", completion: .file())
    var output: String?

    func noteName() throws(CLIError) -> NoteName { try parseName(note, flag: "--note", NoteName.init(parsing:)) }

    /// Writes the occurrence as REST JSON to `--output`, or standard output.
    func write(_ occurrence: AttestationOccurrence) throws(CLIError) {
        try Output.write(Array(occurrence.jsonString().utf8), to: output)
    }
}

/// `--format json|yaml` for printed resources.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case json, yaml
    var resourceFormat: ResourceFormat { self == .json ? .json : .yaml }
}

/// Parses a resource name given with `flag`, reporting the model's message (with the expected form) on failure.
func parseName<Name>(_ text: String, flag: String, _ parse: (String) throws(ModelError) -> Name) throws(CLIError)
    -> Name
{
    do {
        return try parse(text)
    } catch {
        throw CLIError("\(flag): \(error.message)")
    }
}
