// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import BinAuthzPKIX
import BinAuthzTestSupport
import Foundation
import Testing

/// Project Wycheproof (C2SP/wycheproof) verification vectors, run against the PKIX module: the hand-written RSA-PSS
/// path (our RSA public operation and EMSA-PSS decoding) and the swift-crypto paths for PKCS #1 v1.5 and ECDSA.
/// See `Tests/Fixtures/wycheproof/README.md` for the files, their source commit and their licence.
@Suite("Wycheproof vectors")
struct WycheproofTests {
    /// A vector file and the Binary Authorization algorithm its keys are used with.
    struct VectorFile: Sendable, CustomTestStringConvertible {
        var name: String
        var algorithm: SignatureAlgorithm
        var testDescription: String { name }
    }

    static let files: [VectorFile] = [
        VectorFile(name: "rsa_pss_2048_sha256_mgf1_32_test", algorithm: .rsaPSS2048SHA256),
        VectorFile(name: "rsa_pss_2048_sha256_mgf1_0_test", algorithm: .rsaPSS2048SHA256),
        VectorFile(name: "rsa_pss_3072_sha256_mgf1_32_test", algorithm: .rsaPSS3072SHA256),
        VectorFile(name: "rsa_pss_4096_sha256_mgf1_32_test", algorithm: .rsaPSS4096SHA256),
        VectorFile(name: "rsa_pss_4096_sha512_mgf1_64_test", algorithm: .rsaPSS4096SHA512),
        VectorFile(name: "rsa_signature_2048_sha256_test", algorithm: .rsaSignPKCS1_2048SHA256),
        VectorFile(name: "rsa_signature_3072_sha256_test", algorithm: .rsaSignPKCS1_3072SHA256),
        VectorFile(name: "rsa_signature_4096_sha256_test", algorithm: .rsaSignPKCS1_4096SHA256),
        VectorFile(name: "rsa_signature_4096_sha512_test", algorithm: .rsaSignPKCS1_4096SHA512),
        VectorFile(name: "ecdsa_secp256r1_sha256_test", algorithm: .ecdsaP256SHA256),
        VectorFile(name: "ecdsa_secp384r1_sha384_test", algorithm: .ecdsaP384SHA384),
        VectorFile(name: "ecdsa_secp521r1_sha512_test", algorithm: .ecdsaP521SHA512),
    ]

    static func bytes(hex: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(hex.utf8.count / 2)
        var high: UInt8?
        for c in hex.utf8 {
            let v: UInt8 =
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
                default: 0
                }
            if let h = high {
                out.append(h << 4 | v)
                high = nil
            } else {
                high = v
            }
        }
        return out
    }

    @Test("Every valid vector verifies and every invalid one is refused", arguments: files)
    func vectors(_ file: VectorFile) throws {
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(Fixtures.data("wycheproof/\(file.name).json")))
                as? [String: Any])
        let groups = try #require(json["testGroups"] as? [[String: Any]])
        var counted = (valid: 0, invalid: 0, acceptable: 0)
        var saltLengthCases = 0
        for group in groups {
            let pem = try #require(group["publicKeyPem"] as? String)
            let verifier: PKIXVerifier
            do {
                verifier = try PKIXVerifier(publicKeyPEM: pem, algorithm: file.algorithm)
            } catch {
                // A key the algorithm does not fit (Wycheproof groups keep one key size per file; see below).
                Issue.record("\(file.name): key refused for \(file.algorithm): \(error)")
                continue
            }
            for test in try #require(group["tests"] as? [[String: Any]]) {
                let id = test["tcId"] as? Int ?? -1
                let message = Self.bytes(hex: test["msg"] as? String ?? "")
                let signature = Self.bytes(hex: test["sig"] as? String ?? "")
                let result = verifier.verify(signature: signature, payload: message)
                let flags = (test["flags"] as? [String] ?? []).joined(separator: ",")
                switch test["result"] as? String {
                case "valid":
                    counted.valid += 1
                    #expect(result == .verified, "\(file.name) tcId \(id) [\(flags)]: \(result)")
                case "invalid":
                    counted.invalid += 1
                    let comment = test["comment"] as? String ?? ""
                    if comment.hasPrefix("s_len changed to "), let saltLength = Int(comment.dropFirst(17)) {
                        // The one documented difference (Docs/Semantics.md): like kritis' attestlib (Go's
                        // rsa.VerifyPSS with PSSSaltLengthAuto), any salt length verifies. Wycheproof files fix
                        // one salt length, so these cases are "invalid" there; here they verify, and the salt
                        // recovered is exactly the one the case says it was changed to.
                        saltLengthCases += 1
                        #expect(result == .verified, "\(file.name) tcId \(id): \(result)")
                        #expect(
                            verifier.pssSaltLength(signature: signature, payload: message) == saltLength,
                            "\(file.name) tcId \(id)")
                    } else {
                        #expect(result != .verified, "\(file.name) tcId \(id) [\(flags)] verified but is invalid")
                    }
                default:
                    // "acceptable": either answer conforms (e.g. legacy encodings); we record nothing.
                    counted.acceptable += 1
                }
            }
        }
        // The file was read: every Wycheproof file here has both kinds of case.
        #expect(counted.valid > 0 && counted.invalid > saltLengthCases, "\(file.name): \(counted)")
        #expect((saltLengthCases > 0) == (file.algorithm.parameters?.padding == .pss), "\(file.name)")
    }
}
