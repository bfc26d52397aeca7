// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import BinAuthzTestSupport
import Foundation
import Testing

/// Validation reads an attestor's PKIX key with the same DER parser (SwiftASN1) that verification uses, so the two
/// cannot disagree about what a key is.
@Suite("SubjectPublicKeyInfo as validation reads it")
struct SPKISummaryTests {
    static func hex(_ text: String) -> [UInt8] {
        stride(from: 0, to: text.count, by: 2).map {
            let start = text.index(text.startIndex, offsetBy: $0)
            return UInt8(text[start..<text.index(start, offsetBy: 2)], radix: 16)!
        }
    }

    /// An id-ecPublicKey / prime256v1 SPKI (the point is not checked here), in DER.
    static let p256 = hex(
        "3059301306072a8648ce3d020106082a8648ce3d03010703420004" + String(repeating: "11", count: 64))

    /// A public key PEM made by `openssl genpkey` with the given options.
    static func openSSLPublicKey(_ options: [String]) throws -> String {
        let key = try OpenSSL.run(["genpkey"] + options).stdout
        return try OpenSSL.run(["pkey", "-pubout"], stdin: key).stdoutText
    }

    @Test(
        "Keys made by openssl are classified by type and size; the OIDs are read in dotted form",
        .enabled(if: OpenSSL.unavailableReason == nil, "openssl is not installed"))
    func classification() throws {
        let ec = try SPKISummary(der: Self.p256)
        #expect(ec.keyType == .ec(.p256))
        #expect(ec.algorithmOID == "1.2.840.10045.2.1")
        for bits in [2048, 3072] {
            let pem = try Self.openSSLPublicKey(["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:\(bits)"])
            #expect(try SPKISummary(pem: pem).keyType == .rsa(bits: bits))
        }
        let pss = try SPKISummary(
            pem: Self.openSSLPublicKey(["-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:2048"]))
        #expect(pss.keyType == .rsa(bits: 2048) && pss.isRSAPSS)
        for (name, type) in [
            ("P-256", SignatureAlgorithm.KeyType.ec(.p256)), ("P-384", .ec(.p384)), ("P-521", .ec(.p521)),
        ] {
            let pem = try Self.openSSLPublicKey(["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:\(name)"])
            #expect(try SPKISummary(pem: pem).keyType == type)
        }
        let ed = try SPKISummary(pem: Self.openSSLPublicKey(["-algorithm", "ED25519"]))
        #expect(ed.keyType == nil && ed.algorithmOID == "1.3.101.112")
    }

    @Test("BER is not DER: a long-form length where the short form fits, or trailing bytes, is not a key")
    func strictDER() {
        var ber = Self.p256
        ber.replaceSubrange(0..<2, with: [0x30, 0x81, 0x59])
        #expect(throws: SPKISummary.Failure.notSPKI("not a DER SubjectPublicKeyInfo")) { try SPKISummary(der: ber) }
        #expect(throws: SPKISummary.Failure.notSPKI("not a DER SubjectPublicKeyInfo")) {
            try SPKISummary(der: Self.p256 + [0])
        }
        var noCurve = Self.p256
        // Replace the curve OID's tag with NULL's: an EC key without a named curve.
        noCurve[13] = 0x05
        #expect(throws: SPKISummary.Failure.self) { try SPKISummary(der: noCurve) }
    }
}
