// SPDX-License-Identifier: Apache-2.0

extension AttestorVerifier {
    /// Prepares a verifier for attestors with PGP and PKIX keys — every key kind Binary Authorization attestors have.
    ///
    /// - Parameters:
    ///   - attestors: The attestors to verify for.
    ///   - occurrences: Every occurrence that may be relevant; each attestor only looks at those on its note.
    ///   - options: Strictness and limits.
    ///   - pgp: How PGP keys are verified: in process with GPGME as the fallback (the default), or by one of them.
    ///   - pkix: How PKIX keys are verified.
    /// - Throws: As `AttestorVerifier.init(attestors:occurrences:keyKinds:options:)`.
    public convenience init(
        attestors: [Attestor], occurrences: [AttestationOccurrence], options: Options = Options(),
        pgp: PGPAttestationKeys = PGPAttestationKeys(), pkix: PKIXAttestationKeys = PKIXAttestationKeys()
    ) throws(AttestationError) {
        try self.init(attestors: attestors, occurrences: occurrences, keyKinds: [pgp, pkix], options: options)
    }
}
