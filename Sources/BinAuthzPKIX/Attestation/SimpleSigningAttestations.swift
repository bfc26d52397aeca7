// SPDX-License-Identifier: Apache-2.0

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import BinAuthzModel
import BinAuthzAttestation
import BinAuthzPayload
import BinAuthzPolicy
import Synchronization

/// Attestation occurrences as evidence for platform policies' `simpleSigningAttestationCheck`.
///
/// An image conforms when one `ATTESTATION` occurrence for its digest holds a signature that names a key of one of
/// the check's authenticators (its `keyId`, or the `ni:///sha-256;…` id computed from the key when `keyId` is blank)
/// and verifies over DSSE's `PAE("application/vnd.dev.cosign.simplesigning.v1+json", serializedPayload)` — what
/// `attestations sign-and-create --pae-encode-payload` makes — and whose payload names the image's digest. The note
/// an occurrence is on does not matter. With `containerAnalysisAttestationProjects`, only occurrences stored in those
/// projects count: the project of the occurrence's `name` (`projects/P/occurrences/…`), or, for an occurrence with
/// no name (as made offline), of its `noteName`. Every bound of `AttestorVerifier` applies.
///
/// ```swift
/// let evidence = SimpleSigningAttestations(occurrences: occurrences)
/// let evaluator = try PlatformPolicyEvaluator(policy: policy, checkEvaluators: [evidence])
/// ```
public final class SimpleSigningAttestations: PlatformCheckEvaluator, Sendable {
    /// The occurrences given.
    public let occurrences: [AttestationOccurrence]
    private let limits: InputLimits
    private let verifiers = Mutex<[SimpleSigningAttestationCheck: PreparedCheck]>([:])

    private struct PreparedCheck: @unchecked Sendable {
        // AttestorVerifier is Sendable; the error is a value.
        let result: Result<AttestorVerifier, AttestationError>
        let attestors: [String]
    }

    /// Uses `occurrences` as evidence.
    public init(occurrences: [AttestationOccurrence], limits: InputLimits = .default) {
        self.occurrences = occurrences
        self.limits = limits
    }

    deinit { close() }

    /// Releases what the verifiers hold.
    public func close() {
        verifiers.withLock { prepared in
            for entry in prepared.values { if case .success(let verifier) = entry.result { verifier.close() } }
        }
    }

    public var checkType: PlatformCheckType { .simpleSigningAttestation }

    static let note = "projects/binauthz-platform-policy/notes/simple-signing"

    private func prepared(_ check: SimpleSigningAttestationCheck) -> PreparedCheck {
        if let ready = verifiers.withLock({ $0[check] }) { return ready }
        var attestors: [Attestor] = []
        for (index, authenticator) in check.attestationAuthenticators.enumerated() {
            let keys = (authenticator.pkixPublicKeySet?.pkixPublicKeys ?? []).map { key in
                AttestorPublicKey(id: (key.keyID ?? "").isEmpty ? nil : key.keyID, pkixPublicKey: key)
            }
            attestors.append(
                Attestor(
                    name: "projects/binauthz-platform-policy/attestors/authenticator-\(index)",
                    userOwnedGrafeasNote: UserOwnedGrafeasNote(noteReference: Self.note, publicKeys: keys)))
        }
        let projects = Set(check.containerAnalysisAttestationProjects)
        let candidates = occurrences.compactMap { occurrence -> AttestationOccurrence? in
            guard occurrence.kind == nil || occurrence.kind == .attestation else { return nil }
            if !projects.isEmpty {
                guard let project = Self.project(of: occurrence), projects.contains("projects/" + project) else {
                    return nil
                }
            }
            var moved = occurrence
            moved.noteName = Self.note
            return moved
        }
        var keyKind = PKIXAttestationKeys(dssePayloadTypes: [DSSE.simpleSigningPayloadType])
        keyKind.acceptsPlainPayload = false
        let result = Result { () throws(AttestationError) in
            try AttestorVerifier(
                attestors: attestors, occurrences: candidates, keyKinds: [keyKind],
                options: AttestorVerifier.Options(limits: limits))
        }
        let entry = PreparedCheck(result: result, attestors: attestors.compactMap(\.name))
        verifiers.withLock { $0[check] = entry }
        return entry
    }

    /// The project an occurrence is stored in.
    static func project(of occurrence: AttestationOccurrence) -> String? {
        for name in [occurrence.name, occurrence.noteName] {
            guard let name else { continue }
            let parts = name.split(separator: "/", omittingEmptySubsequences: false)
            if parts.count >= 2, parts[0] == "projects", !parts[1].isEmpty { return String(parts[1]) }
        }
        return nil
    }

    public func evaluate(_ check: Check, image: String, pod: KubernetesWorkload, at time: Date) throws
        -> PlatformCheckOutcome
    {
        guard let simple = check.simpleSigningAttestationCheck else {
            return .error("the check has no simpleSigningAttestationCheck")
        }
        let prepared = prepared(simple)
        let verifier: AttestorVerifier
        switch prepared.result {
        case .success(let ready): verifier = ready
        case .failure(let error):
            return .error("the check's keys cannot be used: \(error.message)")
        }
        guard let reference = try? ImageReference(image), reference.digest != nil else {
            return .nonConformant("Image \(image) is not referenced by digest, so no attestation can be for it")
        }
        var reasons: [String] = []
        for (index, name) in prepared.attestors.enumerated() {
            switch try verifier.verify(attestor: name, image: reference, at: time) {
            case .verified(let verified):
                let label = simple.attestationAuthenticators[index].displayName.map { " \"\($0)\"" } ?? ""
                return .conformant(
                    "Image has a simple-signing attestation verified by authenticator \(index)\(label) "
                        + "(key \(verified.keyID))")
            case .notVerified(let failures):
                reasons += failures.map(\.message)
            }
        }
        let unique = reasons.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let scope =
            simple.containerAnalysisAttestationProjects.isEmpty
            ? "" : " in \(simple.containerAnalysisAttestationProjects.joined(separator: ", "))"
        return .nonConformant(
            "No attestation\(scope) was verified by a trusted authenticator: "
                + unique.prefix(5).joined(separator: "; ").replacing(Self.note, with: "any note"))
    }
}
