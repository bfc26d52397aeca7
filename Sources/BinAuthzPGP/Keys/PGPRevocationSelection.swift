// SPDX-License-Identifier: Apache-2.0

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension PGPRevocation {
    /// The revocation to report for a key GnuPG says is revoked, chosen among the (unverified) revocation
    /// signatures read from the imported key material; `nil` when GnuPG does not say it is revoked.
    ///
    /// A hard revocation (no reason, "compromised", unknown) wins over a soft one; among those, the earliest.
    /// Both verifiers use this one rule, so their reports agree.
    static func chosen(
        among revocations: [RevocationPacket], for fingerprint: PGPFingerprint, subkey: Bool, revoked: Bool
    ) -> PGPRevocation? {
        guard revoked else { return nil }
        let candidates = revocations.filter { $0.applies(to: fingerprint, isSubkey: subkey) }
        let hard = candidates.filter { !PGPRevocation(date: .distantPast, reasonCode: $0.reason).isTimeBound }
        let chosen = (hard.isEmpty ? candidates : hard).min { ($0.created ?? 0) < ($1.created ?? 0) }
        return PGPRevocation(
            date: chosen?.created.map { Date(timeIntervalSince1970: TimeInterval($0)) }, reasonCode: chosen?.reason)
    }
}
