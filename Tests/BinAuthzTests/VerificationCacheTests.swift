// SPDX-License-Identifier: Apache-2.0

import BinAuthz
import BinAuthzTestSupport
import BinAuthzTesting
import Foundation
import Testing

/// The verifier's cache: a long-lived verifier (an admission webhook) checks each signature once per second of
/// evaluation time for PGP keys, once for PKIX keys, and the cache never changes a verdict.
@Suite("Verification cache")
struct VerificationCacheTests {
    @Test("PGP: evaluations within one second share one check; the next second checks again")
    func pgpWithinOneSecond() throws {
        let verifier = try AttestorVerifier(
            attestors: [Seed.attestor("set-a")], occurrences: [Seed.v1Occurrence("set-a")])
        defer { verifier.close() }
        let image = try ImageReference(Seed.imageA)
        let second = Seed.validDay
        for offset in [0.0, 0.25, 0.999] {
            #expect(
                try verifier.verify(
                    attestor: Seed.attestorName, image: image, at: second.addingTimeInterval(offset)
                ).isVerified)
        }
        #expect(verifier.statistics.signatureChecks == 1)
        #expect(verifier.statistics.cacheHits == 2)
        #expect(try verifier.verify(attestor: Seed.attestorName, image: image, at: second + 1).isVerified)
        #expect(verifier.statistics.signatureChecks == 2)
    }

    @Test("PGP: around the key's expiry, a cached verifier answers exactly as a fresh one at every instant")
    func pgpExpiryBoundary() throws {
        let expiry = Seed.date("2020-12-18T21:02:38Z")
        let image = try ImageReference(Seed.imageA)
        let cached = try AttestorVerifier(
            attestors: [Seed.attestor("set-a")], occurrences: [Seed.v1Occurrence("set-a")])
        defer { cached.close() }
        // Each instant is asked of the long-lived verifier after an earlier instant of the same second, and of a
        // verifier that has seen nothing.
        for offset in [-1.0, -0.75, -0.5, -0.001, 0, 0.001, 0.5, 0.999, 1] {
            let time = expiry.addingTimeInterval(offset)
            let fresh = try AttestorVerifier(
                attestors: [Seed.attestor("set-a")], occurrences: [Seed.v1Occurrence("set-a")])
            defer { fresh.close() }
            let expected = try fresh.verify(attestor: Seed.attestorName, image: image, at: time)
            let got = try cached.verify(attestor: Seed.attestorName, image: image, at: time)
            #expect(got == expected, "at expiry\(offset >= 0 ? "+" : "")\(offset) s")
            #expect(expected.isVerified == (offset < 0), "at expiry\(offset >= 0 ? "+" : "")\(offset) s")
        }
        #expect(cached.statistics.cacheHits > 0)
    }

    @Test("PKIX: the time does not matter, so one check serves every evaluation")
    func pkixOnce() throws {
        let ci = try TestAttestor()
        let image = "gcr.io/my-proj/app@sha256:" + String(repeating: "c", count: 64)
        let verifier = try AttestorVerifier(attestors: [ci.attestor], occurrences: [try ci.attest(image)])
        defer { verifier.close() }
        for day in 0..<3 {
            #expect(
                try verifier.verify(
                    attestor: ci.name.description, image: ImageReference(image),
                    at: Seed.validDay.addingTimeInterval(Double(day) * 86_400.5)
                ).isVerified)
        }
        #expect(verifier.statistics.signatureChecks == 1)
    }
}
