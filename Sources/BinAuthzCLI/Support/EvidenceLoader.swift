// SPDX-License-Identifier: Apache-2.0

import BinAuthz

/// Builds the engine's evidence source from `--attestor-file` and `--attestation-file` arguments.
enum EvidenceLoader {
    /// Reads every attestor (one per file, REST JSON or gcloud YAML) and every occurrence (one per file, a list,
    /// an `{"occurrences": […]}` response or a YAML stream) and prepares a verifier. The caller closes it.
    static func load(attestorFiles: [String], attestationFiles: [String]) throws(CLIError) -> AttestorVerifier {
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
                options: AttestorVerifier.Options(keyringBaseDirectory: PGPKeyringDirectory.base))
        } catch {
            guard let index = error.attestorIndex else { throw CLIError(error.message) }
            let file = attestorFiles[index]
            if let first = attestors.firstIndex(where: { $0.name == attestors[index].name }), first != index {
                throw CLIError.inFile(
                    file, "\(error.message) (also in \(Output.displayName(attestorFiles[first]))); give each attestor once")
            }
            throw CLIError.inFile(file, error.message)
        }
    }
}
