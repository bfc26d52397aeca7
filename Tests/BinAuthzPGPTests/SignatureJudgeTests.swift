// SPDX-License-Identifier: Apache-2.0

import Foundation
import Testing

@testable import BinAuthzPGP

extension PGPTests {
    /// The time rules alone, on synthetic keys: validity is judged at the evaluation time, never at the wall clock.
    @Suite("Validity at the evaluation time")
    struct SignatureJudgeTests {
        static let primary = PGPTest.fingerprint("1111111111111111111111111111111111111111")
        static let sub = PGPTest.fingerprint("2222222222222222222222222222222222222222")
        static let t0 = Date(timeIntervalSince1970: 1_600_000_000)  // key creation

        static func key(
            expires: Date? = nil, revocation: PGPRevocation? = nil, canSign: Bool = true, subkeys: [PGPSubkey] = []
        ) -> PGPKey {
            PGPKey(
                fingerprint: primary, userIDs: ["u"], algorithm: "EdDSA ed25519", createdAt: t0, expiresAt: expires,
                revocation: revocation, canSign: canSign, hasSecretKey: false, subkeys: subkeys)
        }

        static func subkey(
            created: Date = t0, expires: Date? = nil, revocation: PGPRevocation? = nil, canSign: Bool = true
        )
            -> PGPSubkey
        {
            PGPSubkey(
                fingerprint: sub, algorithm: "EdDSA ed25519", createdAt: created, expiresAt: expires,
                revocation: revocation, canSign: canSign, canEncrypt: false)
        }

        func judge(
            _ key: PGPKey, subkey: PGPSubkey? = nil, signed: TimeInterval, expires: TimeInterval? = nil,
            wrongKeyUsage: Bool = false, revokedByGnuPG: Bool = false, at: TimeInterval
        ) -> PGPVerificationFailure? {
            SignatureJudge.judgeKey(
                primary: key, subkey: subkey, signatureCreated: Self.t0 + signed,
                signatureExpires: expires.map { Self.t0 + $0 }, wrongKeyUsage: wrongKeyUsage,
                gnupgSaysRevoked: revokedByGnuPG, at: Self.t0 + at)
        }

        @Test("valid: signed after creation, evaluated after signing, nothing expired or revoked")
        func valid() {
            #expect(judge(Self.key(), signed: 10, at: 20) == nil)
            #expect(judge(Self.key(expires: Self.t0 + 100), signed: 10, expires: 50, at: 49) == nil)
        }

        @Test("key expiry is judged at the evaluation time, with its date")
        func keyExpiry() {
            let key = Self.key(expires: Self.t0 + 100)
            #expect(judge(key, signed: 10, at: 99) == nil)
            #expect(judge(key, signed: 10, at: 100) == .keyExpired(Self.primary, on: Self.t0 + 100))
            // A signature made after the key expired never counts.
            #expect(judge(key, signed: 150, at: 200) == .keyExpired(Self.primary, on: Self.t0 + 100))
        }

        @Test("existence: the key must exist at the evaluation time and when signing; the signature by then")
        func existence() {
            #expect(judge(Self.key(), signed: 10, at: -5) == .keyNotYetValid(Self.primary, createdOn: Self.t0))
            #expect(judge(Self.key(), signed: -5, at: 10) == .keyNotYetValid(Self.primary, createdOn: Self.t0))
            #expect(judge(Self.key(), signed: 30, at: 20) == .signatureNotYetValid(createdOn: Self.t0 + 30))
        }

        @Test("signature expiry")
        func signatureExpiry() {
            #expect(judge(Self.key(), signed: 10, expires: 50, at: 50) == .signatureExpired(on: Self.t0 + 50))
        }

        @Test("revocation: hard at any time, soft from its date, unknown date at any time")
        func revocation() {
            let hard = Self.key(revocation: PGPRevocation(date: Self.t0 + 100, reasonCode: 2))
            #expect(judge(hard, signed: 10, at: 20) == .keyRevoked(Self.primary, on: Self.t0 + 100))
            let noReason = Self.key(revocation: PGPRevocation(date: Self.t0 + 100, reasonCode: nil))
            #expect(judge(noReason, signed: 10, at: 20)?.kind == .keyRevoked)
            let soft = Self.key(revocation: PGPRevocation(date: Self.t0 + 100, reasonCode: 1))
            #expect(judge(soft, signed: 10, at: 99) == nil)
            #expect(judge(soft, signed: 10, at: 100) == .keyRevoked(Self.primary, on: Self.t0 + 100))
            let retired = Self.key(revocation: PGPRevocation(date: Self.t0 + 100, reasonCode: 3))
            #expect(judge(retired, signed: 10, at: 50) == nil)
            let undated = Self.key(revocation: PGPRevocation(date: nil, reasonCode: 1))
            #expect(judge(undated, signed: 10, at: 20) == .keyRevoked(Self.primary, on: nil))
            // GnuPG said CERT_REVOKED but the listing showed no revocation: still revoked.
            #expect(judge(Self.key(), signed: 10, revokedByGnuPG: true, at: 20) == .keyRevoked(Self.primary, on: nil))
        }

        @Test("subkeys: their own creation, expiry, revocation and usage count, reported with the primary")
        func subkeys() {
            let expiring = Self.subkey(expires: Self.t0 + 100)
            let key = Self.key(subkeys: [expiring])
            #expect(judge(key, subkey: expiring, signed: 10, at: 50) == nil)
            #expect(
                judge(key, subkey: expiring, signed: 10, at: 100)
                    == .keyExpired(Self.primary, subkey: Self.sub, on: Self.t0 + 100))
            let late = Self.subkey(created: Self.t0 + 50)
            #expect(
                judge(Self.key(subkeys: [late]), subkey: late, signed: 10, at: 60)
                    == .keyNotYetValid(Self.primary, subkey: Self.sub, createdOn: Self.t0 + 50))
            let revoked = Self.subkey(revocation: PGPRevocation(date: Self.t0 + 5, reasonCode: 2))
            #expect(
                judge(Self.key(subkeys: [revoked]), subkey: revoked, signed: 10, at: 20)
                    == .keyRevoked(Self.primary, subkey: Self.sub, on: Self.t0 + 5))
            let encryptOnly = Self.subkey(canSign: false)
            #expect(
                judge(Self.key(subkeys: [encryptOnly]), subkey: encryptOnly, signed: 10, at: 20)
                    == .wrongKeyUsage(Self.primary, subkey: Self.sub))
            // A certify-only primary signing data directly.
            #expect(judge(Self.key(canSign: false), signed: 10, at: 20) == .wrongKeyUsage(Self.primary))
            #expect(judge(Self.key(), signed: 10, wrongKeyUsage: true, at: 20) == .wrongKeyUsage(Self.primary))
        }

        @Test("failure descriptions say what and when")
        func descriptions() {
            #expect(
                PGPVerificationFailure.keyExpired(Self.primary, subkey: Self.sub, on: Self.t0).description
                    == "signing subkey \(Self.sub) of key \(Self.primary) expired on 2020-09-13T12:26:40Z")
            #expect(
                PGPVerificationFailure.keyRevoked(Self.primary, on: nil).description
                    == "key \(Self.primary) was revoked")
            #expect(
                PGPVerificationFailure.unknownKey(issuer: "5F9470E3BC6C3B55").description.contains("5F9470E3BC6C3B55"))
            #expect(PGPVerificationFailure.multipleSignatures(2).description.contains("2 signatures"))
            #expect(
                PGPVerificationFailure.signatureExpired(on: Self.t0).description
                    == "signature expired on 2020-09-13T12:26:40Z")
        }
    }
}
