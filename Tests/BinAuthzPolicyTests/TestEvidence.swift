// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import BinAuthzPolicy
import Foundation
import Synchronization

/// Records every question an evidence source is asked, so tests can check the engine asks at most once per
/// (attestor, image).
final class EvidenceLog: Sendable {
    private let entries = Mutex<[String]>([])

    func record(_ entry: String) { entries.withLock { $0.append(entry) } }
    var calls: [String] { entries.withLock { $0 } }
}

/// An in-test evidence source: a table of (attestor, digest) → verdict. The engine's contract is the
/// ``AttestationEvidence`` protocol; the real PGP/PKIX verifier is tested in its own modules.
struct TableEvidence: AttestationEvidence {
    /// What the table says for one (attestor, digest).
    enum Entry {
        /// Verified; the reason names `signer`.
        case verified(String)
        /// Not verified, for this reason.
        case notVerified(String)
    }

    var verdicts: [String: Entry]
    let log = EvidenceLog()

    init(_ verdicts: [(attestor: String, digest: String, verdict: Entry)]) {
        var table: [String: Entry] = [:]
        for entry in verdicts { table["\(entry.attestor)|\(entry.digest)"] = entry.verdict }
        self.verdicts = table
    }

    func verify(attestor: String, image: ImageReference, at time: Date) throws -> AttestorVerification {
        log.record("\(attestor)|\(image)")
        let digest = image.digest ?? "(none)"
        switch verdicts["\(attestor)|\(digest)"] {
        case .verified(let signer)?: return .table(signer: signer, digest: digest)
        case .notVerified(let reason)?: return .notVerified(AttestationFailure(.other, message: reason))
        case nil:
            return .notVerified(
                AttestationFailure(
                    .noOccurrenceForImage, message: "no attestation occurrence for \(digest) on the note of \(attestor)"
                ))
        }
    }
}

extension AttestorVerification {
    /// What a table of pre-verified answers says for a verified pair.
    static func table(signer: String, digest: String) -> AttestorVerification {
        .verified(
            VerifiedAttestation(
                uncheckedOccurrence: nil, note: "projects/my-proj/notes/test", keyID: "test-key", signer: signer,
                payload: [], digest: digest))
    }
}

/// Verified until a key expires: shows the evaluation time reaches the evidence source.
struct ExpiringEvidence: AttestationEvidence {
    var expiry: Date

    func verify(attestor: String, image: ImageReference, at time: Date) throws -> AttestorVerification {
        time < expiry
            ? .table(signer: "key E50ABDE5A0C05DB317479494C111AF41B88ECC96", digest: image.digest ?? "")
            : .notVerified(
                AttestationFailure(
                    .keyExpired, message: "key E50ABDE5A0C05DB317479494C111AF41B88ECC96 expired on 2020-12-18T21:02:38Z"
                ))
    }
}

/// An evidence source whose environment is broken.
struct BrokenEvidence: AttestationEvidence {
    struct GPGUnusable: Error, CustomStringConvertible {
        var description: String { "gpg: cannot create the temporary home" }
    }

    func verify(attestor: String, image: ImageReference, at time: Date) throws -> AttestorVerification {
        throw GPGUnusable()
    }
}

/// Names and digests shared by the engine tests.
enum T {
    static let builtByCI = "projects/my-proj/attestors/built-by-ci"
    static let qaApproved = "projects/my-proj/attestors/qa-approved"
    static let d1 = "sha256:" + String(repeating: "1", count: 64)
    static let d2 = "sha256:" + String(repeating: "2", count: 64)
    static let d3 = "sha256:" + String(repeating: "3", count: 64)
    static let d4 = "sha256:" + String(repeating: "4", count: 64)
    static let noAttestations = "No attestations found that were valid and signed by a key trusted by the attestor"
    static let digestRequired = "Expected digest with sha256 scheme, but got tag or malformed digest"
    static let alwaysDeny = "Denied by always_deny admission rule"

    /// A fixed evaluation time (the seed article's keys were valid then).
    static let time = Date(timeIntervalSince1970: 1_559_347_200)  // 2019-06-01T00:00:00Z

    static let evidence = TableEvidence([
        (builtByCI, d1, .verified("key E50ABDE5A0C05DB317479494C111AF41B88ECC96")),
        (qaApproved, d1, .verified("key ni:///sha-256;qa")),
        (builtByCI, d2, .verified("key E50ABDE5A0C05DB317479494C111AF41B88ECC96")),
        (builtByCI, d4, .notVerified("key E50ABDE5A0C05DB317479494C111AF41B88ECC96 expired on 2020-12-18T21:02:38Z")),
    ])
}
