// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import BinAuthzPKIX
import BinAuthzPayload
import BinAuthzTestSupport
import Foundation
import Testing

/// grafeas/kritis `pkg/attestlib` vectors (see `Tests/Fixtures/corpora/kritis/README.md`).
@Suite("kritis PKIX vectors")
struct KritisVectorTests {
    static let vectors = "kritis/pkg/attestlib/testvectors/"

    static let algorithms: [String: SignatureAlgorithm] = [
        "RsaSignPkcs12048Sha256": .rsaSignPKCS1_2048SHA256, "RsaSignPkcs13072Sha256": .rsaSignPKCS1_3072SHA256,
        "RsaSignPkcs14096Sha256": .rsaSignPKCS1_4096SHA256, "RsaSignPkcs14096Sha512": .rsaSignPKCS1_4096SHA512,
        "RsaPss2048Sha256": .rsaPSS2048SHA256, "RsaPss3072Sha256": .rsaPSS3072SHA256,
        "RsaPss4096Sha256": .rsaPSS4096SHA256, "RsaPss4096Sha512": .rsaPSS4096SHA512,
        "EcdsaP256Sha256": .ecdsaP256SHA256, "EcdsaP384Sha384": .ecdsaP384SHA384, "EcdsaP521Sha512": .ecdsaP521SHA512,
    ]

    struct DetachedCase: Sendable, CustomTestStringConvertible {
        var name: String
        var signature: String
        var key: String
        var expectValid: Bool
        var pssSaltLength: Int?
        var testDescription: String { name }
    }

    static let cases: [DetachedCase] = {
        guard let json = try? Fixtures.corpusJSON("kritis/cases/attestlib_vectors.json") as? [String: Any],
            let detached = json["detachedSignatures"] as? [String: Any],
            let list = detached["cases"] as? [[String: Any]]
        else { return [] }
        return list.map {
            DetachedCase(
                name: $0["name"] as! String, signature: $0["sig"] as! String, key: $0["key"] as! String,
                expectValid: ($0["expect"] as! String) == "valid", pssSaltLength: $0["pssSaltLength"] as? Int)
        }
    }()

    @Test("the case table is complete: 11 valid signatures, 2 bad keys")
    func caseTable() {
        #expect(Self.cases.filter(\.expectValid).count == 11)
        #expect(Self.cases.filter { !$0.expectValid }.count == 2)
    }

    @Test(
        "every detached signature over 'good payload' verifies; bad and extra-data keys are rejected", arguments: cases)
    func detachedSignature(testCase: DetachedCase) throws {
        let payload = try Fixtures.corpusData(Self.vectors + "goodPayload.txt")
        #expect(payload == Array("good payload".utf8))
        let signatureText = try Fixtures.corpusText("kritis/" + testCase.signature)
        let signature = try #require(Base64.decode(signatureText))
        let keyPEM = try Fixtures.corpusText("kritis/" + testCase.key)
        guard testCase.expectValid else {
            #expect(throws: PKIXError.malformedPEM) { try PKIXPublicKey(pemRepresentation: keyPEM) }
            return
        }
        let algorithm = try #require(Self.algorithms[testCase.name])
        let verifier = try PKIXVerifier(publicKeyPEM: keyPEM, algorithm: algorithm)
        #expect(verifier.verify(signature: signature, payload: payload) == .verified)
        #expect(
            verifier.verify(signature: signature, payload: Array("bad payload".utf8)) == .notVerified(.badSignature))
        if let salt = testCase.pssSaltLength {
            // Go signs with the maximum salt length; a digest-length-only verifier would reject these.
            #expect(verifier.pssSaltLength(signature: signature, payload: payload) == salt)
        }
        // Aliases behave like their canonical value.
        for alias in SignatureAlgorithm.usableValues where alias.canonical == algorithm && alias != algorithm {
            #expect(
                PKIXVerifier(publicKey: verifier.publicKey, algorithm: alias).verify(
                    signature: signature, payload: payload) == .verified)
        }
    }

    @Test("the extra-data key's message says what is wrong")
    func extraDataMessage() throws {
        let text = try Fixtures.corpusText(Self.vectors + "extraDataKey.pem")
        #expect {
            try PKIXPublicKey(pemRepresentation: text)
        } throws: { error in
            (error as? PKIXError)?.message.contains("unexpected text outside the PEM block (line 15)") == true
        }
        #expect {
            try PKIXPublicKey(pemRepresentation: Fixtures.corpusText(Self.vectors + "badKey.txt"))
        } throws: { error in
            (error as? PKIXError)?.message.contains("no PEM block found") == true
        }
    }

    @Test("public key ids match the table")
    func publicKeyIDs() throws {
        let json = try #require(try Fixtures.corpusJSON("kritis/cases/attestlib_vectors.json") as? [String: Any])
        let ids = try #require((json["pkixKeyIds"] as? [String: Any])?["ids"] as? [String: String])
        #expect(ids.count == 8)
        for (path, id) in ids {
            #expect(
                try PKIXPublicKey(pemRepresentation: Fixtures.corpusText("kritis/" + path)).defaultKeyID == id,
                "\(path)")
        }
        #expect(
            try PKIXPublicKey(pemRepresentation: Fixtures.corpusText(Self.vectors + "ec256PubKey.pem")).defaultKeyID
                == "ni:///sha-256;F8ZLbGLECGCxd8yEtBiqNnSMB7S-TC0CpJ1G9JLJpD4")
    }

    @Test(
        "private keys in PKCS#1, SEC 1 and PKCS#8 map to their public key's id",
        arguments: [
            ("rsaPkcs1PrivKey.pem", "rsa2048PubKey.pem"), ("rsa2048Pkcs1PrivateKey.pem", "rsa2048PubKey.pem"),
            ("rsa2048PrivateKey.pem", "rsa2048PubKey.pem"), ("unsecureRsa2048PrivateKey.pem", "rsa2048PubKey1.pem"),
            ("rsa3072PrivateKey.pem", "rsa3072PubKey.pem"), ("rsa4096PrivateKey.pem", "rsa4096PubKey.pem"),
            ("ec256PrivateKey.pem", "ec256PubKey.pem"), ("ec256Pkcs1PrivateKey.pem", "ec256PubKey.pem"),
            ("ec384PrivateKey.pem", "ec384PubKey.pem"), ("ec521PrivateKey.pem", "ec521PubKey.pem"),
        ])
    func privateKeyIDs(privateKey: String, publicKey: String) throws {
        let key = try PKIXPrivateKey(pemRepresentation: Fixtures.corpusText(Self.vectors + privateKey))
        let expected = try PKIXPublicKey(pemRepresentation: Fixtures.corpusText(Self.vectors + publicKey))
        #expect(key.publicKey == expected)
        #expect(key.publicKey.defaultKeyID == expected.defaultKeyID)
    }

    @Test(
        "PKIX end to end: kritis' private key signs the e2e payload; rsa2048PubKey1 verifies it, rsa2048PubKey2 does not"
    )
    func pkixEndToEnd() throws {
        let payload = try Fixtures.corpusData(Self.vectors + "e2eTestPayload.txt")
        let signer = try PKIXSigner(
            privateKeyPEM: Fixtures.corpusText(Self.vectors + "unsecureRsa2048PrivateKey.pem"),
            algorithm: .rsaSignPKCS1_2048SHA256)
        let signature = try signer.sign(payload)
        #expect(signer.publicKey.defaultKeyID == "ni:///sha-256;oHaUIw-d05XG9aUBfcaXLVnYw1sZS0U5vxx9rqjpSE4")
        let good = try PKIXVerifier(
            publicKeyPEM: Fixtures.corpusText(Self.vectors + "rsa2048PubKey1.pem"), algorithm: .rsaSignPKCS1_2048SHA256)
        let other = try PKIXVerifier(
            publicKeyPEM: Fixtures.corpusText(Self.vectors + "rsa2048PubKey2.pem"), algorithm: .rsaSignPKCS1_2048SHA256)
        #expect(good.verify(signature: signature, payload: payload) == .verified)
        #expect(other.verify(signature: signature, payload: payload) == .notVerified(.badSignature))
        #expect(other.publicKey.defaultKeyID != good.publicKey.defaultKeyID)

        // The payload names the e2e image, not the wrong one.
        let parsed = try SignaturePayload(parsing: payload)
        let image = try Fixtures.corpusText(Self.vectors + "e2eTestImage.txt").trimmingCharacters(
            in: .whitespacesAndNewlines)
        let wrongImage = try Fixtures.corpusText(Self.vectors + "wrongTestImage.txt").trimmingCharacters(
            in: .whitespacesAndNewlines)
        #expect(parsed.check(image: try ImageReference(image), strict: true) == .match)
        #expect(!parsed.check(image: try ImageReference(wrongImage)).isMatch)
    }
}
