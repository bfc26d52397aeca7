// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import BinAuthz

/// Builds the engine's evidence source from `--attestor-file` and `--attestation-file` arguments.
enum EvidenceLoader {
    /// Reads every attestor (one per file, REST JSON or gcloud YAML) and every occurrence (one per file, a list,
    /// an `{"occurrences": […]}` response or a YAML stream) and prepares a verifier. The caller closes it.
    static func load(
        attestorFiles: [String], attestationFiles: [String],
        pgpVerifier: PGPAttestationKeys.Verifier = .automatic, dssePayloadTypes: [String] = []
    ) throws(CLIError) -> AttestorVerifier {
        var attestors: [Attestor] = []
        for file in attestorFiles {
            attestors.append(try ResourceInput.read(Attestor.self, from: file))
        }
        var occurrences: [AttestationOccurrence] = []
        for file in attestationFiles {
            occurrences += try ResourceInput.readOccurrences(from: file)
        }
        do {
            return try AttestorVerifier(
                attestors: attestors, occurrences: occurrences,
                pgp: PGPAttestationKeys(verifier: pgpVerifier, keyringBaseDirectory: PGPKeyringDirectory.base),
                pkix: PKIXAttestationKeys(dssePayloadTypes: dssePayloadTypes))
        } catch {
            guard let index = error.attestorIndex else { throw CLIError(error.message) }
            let file = attestorFiles[index]
            if let first = attestors.firstIndex(where: { $0.name == attestors[index].name }), first != index {
                throw CLIError.inFile(
                    file,
                    "\(error.message) (also in \(Output.displayName(attestorFiles[first]))); give each attestor once")
            }
            throw CLIError.inFile(file, error.message)
        }
    }
}

/// `--pgp-verifier native|gpgme`, on every command that verifies PGP signatures.
struct PGPVerifierOption: ParsableArguments {
    @Option(
        name: .customLong("pgp-verifier"),
        help: ArgumentHelp(
            "Which verifier checks PGP signatures: native (in process only) or gpgme (GnuPG only).",
            discussion: """
                By default the in-process verifier decides whatever it supports — every attestation gpg makes, in \
                practice — and GnuPG decides the rest (BZip2 compression, DSA keys, …); the reason says which did. \
                With native no gpg runs at all, and input it does not support is not verified; with gpgme every \
                signature is checked by a gpg process.
                """, valueName: "native|gpgme"))
    var name: String?

    var verifier: PGPAttestationKeys.Verifier {
        name.flatMap(PGPAttestationKeys.Verifier.init) ?? .automatic
    }

    func validate() throws {
        if let name, name != "native" && name != "gpgme" {
            throw ValidationError("--pgp-verifier must be native or gpgme, not \(name)")
        }
    }
}

/// `--accept-dsse-type T`, on every command that verifies: PKIX signatures over DSSE's PAE(T, payload) count too.
struct DSSEAcceptOption: ParsableArguments {
    @Option(
        name: .customLong("accept-dsse-type"),
        help: ArgumentHelp(
            "Also accept PKIX signatures over DSSE's PAE(T, payload) (gcloud's --pae-encode-payload); repeatable.",
            discussion: """
                Off by default: whether project-policy attestors accept PAE-signed attestations is not documented, \
                so only signatures over the payload itself count (failing closed). Platform policies' \
                simpleSigningAttestationCheck accepts application/vnd.dev.cosign.simplesigning.v1+json.
                """, valueName: "T"))
    var payloadTypes: [String] = []
}
