// SPDX-License-Identifier: Apache-2.0
//
// Decides a pod with a PKIX attestor twice — through the verifier directly and through BinAuthzTesting — and
// exits non-zero unless the signed image is admitted and the unsigned one denied with GKE's text.

import BinAuthzAttestation
import BinAuthzPKIX
import BinAuthzPolicy
import BinAuthzTesting
import Foundation

let signed = "gcr.io/my-proj/app@sha256:" + String(repeating: "a", count: 64)
let unsigned = "gcr.io/my-proj/app@sha256:" + String(repeating: "b", count: 64)
let policyYAML = """
    defaultAdmissionRule:
      evaluationMode: REQUIRE_ATTESTATION
      enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
      requireAttestationsBy:
      - projects/my-proj/attestors/built-by-ci
    globalPolicyEvaluationMode: ENABLE
    """

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("pkix-only-consumer: \(message)\n".utf8))
    exit(1)
}

do {
    let ci = try TestAttestor("projects/my-proj/attestors/built-by-ci")
    let now = Date(timeIntervalSince1970: 1_893_456_000)

    // 1. The attestor verifier with the one key kind this program needs.
    let verifier = try AttestorVerifier(
        attestors: [ci.attestor], occurrences: [try ci.attest(signed)], keyKinds: [PKIXAttestationKeys()])
    defer { verifier.close() }
    let verification = try verifier.verify(attestor: ci.name.description, image: ImageReference(signed), at: now)
    guard let verified = verification.verified else { fail("the signed image did not verify: \(verification)") }
    print("verified: \(verified)")
    let refused = try verifier.verify(attestor: ci.name.description, image: ImageReference(unsigned), at: now)
    guard refused.failures.map(\.kind) == [.noOccurrenceForImage] else { fail("unexpected: \(refused)") }

    // 2. The policy engine over that verifier.
    let evaluator = try PolicyEvaluator(policy: try Policy(text: policyYAML))
    let decision = try evaluator.evaluate(
        AdmissionRequest(images: [signed, unsigned], target: DeploymentTarget(cluster: "us-central1-a.prod")),
        evidence: verifier, at: now)
    guard !decision.isAllowed, decision.images.map(\.isAllowed) == [true, false] else {
        fail("unexpected decision: \(decision.message)")
    }
    print("denied: \(decision.message)")

    // 3. The same through BinAuthzTesting's bed.
    var bed = try PolicyTestBed(policyYAML: policyYAML, attestors: [ci])
    try bed.expectDenied(images: [signed])
    try bed.attest(signed, by: ci)
    try bed.expectAdmitted(images: [signed])
    print("ok: PKIX-only consumer verified, decided and tested without GPGME")
} catch {
    fail("\(error)")
}
