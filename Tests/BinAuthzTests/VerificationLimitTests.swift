// SPDX-License-Identifier: Apache-2.0

import BinAuthz
import BinAuthzTestSupport
import BinAuthzTesting
import Foundation
import Testing

/// Signatures per occurrence, occurrences per image and signature checks per decision: each limit just below and
/// just above, and over a limit nothing is verified at all.
@Suite("Verification work limits")
struct VerificationLimitTests {
    static let image = "gcr.io/my-proj/app@sha256:" + String(repeating: "a", count: 64)
    static let now = Date()

    /// An occurrence with `count` copies of a good signature.
    static func occurrence(_ ci: TestAttestor, signatures count: Int) throws -> AttestationOccurrence {
        var occurrence = try ci.attest(image)
        let one = occurrence.attestation!.signatures[0]
        occurrence.attestation!.signatures = Array(repeating: one, count: count)
        return occurrence
    }

    static func verifier(_ ci: TestAttestor, _ occurrences: [AttestationOccurrence], _ limits: InputLimits)
        throws -> AttestorVerifier
    {
        try AttestorVerifier(attestors: [ci.attestor], occurrences: occurrences, options: .init(limits: limits))
    }

    @Test("Signatures per occurrence: at the limit it verifies, one more is refused unchecked")
    func signaturesPerOccurrence() throws {
        let ci = try TestAttestor()
        var limits = InputLimits.default
        limits.maximumSignaturesPerOccurrence = 3
        let atLimit = try Self.verifier(ci, [Self.occurrence(ci, signatures: 3)], limits)
        #expect(
            try atLimit.verify(attestor: ci.name.description, image: ImageReference(Self.image), at: Self.now)
                .isVerified)
        let over = try Self.verifier(ci, [Self.occurrence(ci, signatures: 4)], limits)
        let verdict = try over.verify(attestor: ci.name.description, image: ImageReference(Self.image), at: Self.now)
        #expect(!verdict.isVerified)
        #expect(verdict.reason.contains("InputLimits.maximumSignaturesPerOccurrence"), "\(verdict)")
        #expect(over.statistics.signatureChecks == 0)
    }

    @Test("Occurrences per image: at the limit it verifies, one more is refused unchecked")
    func occurrencesPerImage() throws {
        let ci = try TestAttestor()
        var limits = InputLimits.default
        limits.maximumOccurrencesPerImage = 2
        let two = [try ci.attest(Self.image), try ci.attest(Self.image)]
        #expect(
            try Self.verifier(ci, two, limits).verify(
                attestor: ci.name.description, image: ImageReference(Self.image), at: Self.now
            ).isVerified)
        let over = try Self.verifier(ci, two + [try ci.attest(Self.image)], limits)
        let verdict = try over.verify(attestor: ci.name.description, image: ImageReference(Self.image), at: Self.now)
        #expect(!verdict.isVerified)
        #expect(verdict.reason.contains("InputLimits.maximumOccurrencesPerImage"), "\(verdict)")
        #expect(over.statistics.signatureChecks == 0)
    }

    @Test("Signature checks per decision: the engine counts first and refuses the whole decision over the limit")
    func checksPerDecision() throws {
        let ci = try TestAttestor("projects/my-proj/attestors/ci")
        let images = ["b", "c", "d"].map { "gcr.io/my-proj/app@sha256:" + String(repeating: $0, count: 64) }
        // Each image has one occurrence of four signatures that name the attestor's key, the first one bad: the
        // count is of candidate signatures, not of the ones that would pass.
        var occurrences: [AttestationOccurrence] = []
        for image in images {
            var occurrence = try ci.attest(image)
            let good = occurrence.attestation!.signatures[0]
            var bad = good
            bad.signature = Array((bad.signature ?? []).reversed())
            occurrence.attestation!.signatures = [bad, good, good, good]
            occurrences.append(occurrence)
        }
        let policy = try Policy(
            yaml: """
                defaultAdmissionRule:
                  evaluationMode: REQUIRE_ATTESTATION
                  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
                  requireAttestationsBy: [\(ci.name)]
                """)
        for (limit, admitted) in [(12, true), (11, false)] {
            var limits = InputLimits.default
            limits.maximumSignatureChecksPerDecision = limit
            let verifier = try Self.verifier(ci, occurrences, limits)
            defer { verifier.close() }
            let evaluator = try PolicyEvaluator(policy: policy, options: EvaluationOptions(limits: limits))
            let decision = try evaluator.evaluate(AdmissionRequest(images: images), evidence: verifier, at: Self.now)
            #expect(decision.isAllowed == admitted, "limit \(limit): \(decision.images.map(\.reason))")
            if !admitted {
                #expect(verifier.statistics.signatureChecks == 0)
                #expect(
                    decision.images.allSatisfy { $0.reason.contains("InputLimits.maximumSignatureChecksPerDecision") })
                // GKE's own wording stays in the message.
                #expect(decision.message.contains("No attestations found that were valid and signed by a key trusted"))
            }
        }
    }

    @Test("A huge RSA key is refused by its size before any arithmetic; the limit holds just below and above")
    func hugeRSAKey() throws {
        // A 262,144-bit "modulus" (all ones) in a well-formed SubjectPublicKeyInfo: setting up arithmetic for it
        // took seconds; now it is refused by its size at once.
        func der(_ tag: UInt8, _ body: [UInt8]) -> [UInt8] {
            var length: [UInt8]
            if body.count < 128 {
                length = [UInt8(body.count)]
            } else {
                var n = body.count
                var bytes: [UInt8] = []
                while n > 0 {
                    bytes.insert(UInt8(n & 0xFF), at: 0)
                    n >>= 8
                }
                length = [0x80 | UInt8(bytes.count)] + bytes
            }
            return [tag] + length + body
        }
        func spki(bits: Int) -> [UInt8] {
            let modulus = [UInt8(0)] + [UInt8](repeating: 0xFF, count: bits / 8)
            let rsaKey = der(0x30, der(0x02, modulus) + der(0x02, [0x01, 0x00, 0x01]))
            let algorithm = der(
                0x30, der(0x06, [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01]) + [0x05, 0x00])
            return der(0x30, algorithm + der(0x03, [0] + rsaKey))
        }
        let refused = #expect(throws: PKIXError.self) { try PKIXPublicKey(derRepresentation: spki(bits: 262_144)) }
        #expect(refused?.code == .keyTooLarge)
        #expect(refused?.message.contains("InputLimits.maximumRSAModulusBits") == true)
        // A real 2048-bit key at and over a lowered limit.
        let key = try PKIXPrivateKey.generate(for: .rsaSignPKCS1_2048SHA256).publicKey.derRepresentation
        var limits = InputLimits.default
        limits.maximumRSAModulusBits = 2048
        _ = try PKIXPublicKey(derRepresentation: key, limits: limits)
        limits.maximumRSAModulusBits = 2047
        let over = #expect(throws: PKIXError.self) { try PKIXPublicKey(derRepresentation: key, limits: limits) }
        #expect(over?.code == .keyTooLarge)
    }
}
