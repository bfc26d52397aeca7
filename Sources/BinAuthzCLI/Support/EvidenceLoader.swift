// SPDX-License-Identifier: Apache-2.0

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import BinAuthzModel
import BinAuthzPolicy

/// Builds the engine's evidence source from `--attestor-file` and `--attestation-file` arguments.
enum EvidenceLoader {
    static func load(attestorFiles: [String], attestationFiles: [String]) throws(CLIError) -> any AttestationEvidence {
        guard attestorFiles.isEmpty && attestationFiles.isEmpty else {
            // Replaced by the real PGP/PKIX verifier when the attestations module lands.
            throw CLIError("--attestor-file and --attestation-file are not supported by this build yet")
        }
        return NoAttestorsGiven()
    }
}

/// The evidence source when no attestor files were given: every attestor is unknown.
struct NoAttestorsGiven: AttestationEvidence {
    func check(attestor: String, image: ImageReference, at time: Date) throws -> AttestorVerdict {
        .notVerified("attestor \(attestor) was not provided (pass it with --attestor-file)")
    }
}
