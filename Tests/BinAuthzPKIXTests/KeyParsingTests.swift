// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import BinAuthzPKIX
import BinAuthzTestSupport
import Foundation
import Testing

@Suite("PEM keys, key ids and signers")
struct KeyParsingTests {
    static let ec256PEM = "kritis/pkg/attestlib/testvectors/ec256PubKey.pem"

    @Test("a public key PEM may have CRLF line ends and blank lines around the block")
    func lenientWhitespace() throws {
        let pem = try Fixtures.corpusText(Self.ec256PEM)
        let crlf = "\r\n\n" + pem.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n  \n"
        #expect(try PKIXPublicKey(pemRepresentation: crlf) == PKIXPublicKey(pemRepresentation: pem))
        let key = try PKIXPublicKey(pemRepresentation: pem)
        #expect(key.keyType == .ec(.p256))
        #expect(try PKIXPublicKey(pemRepresentation: key.pemRepresentation) == key)
        #expect(try PKIXPublicKey(derRepresentation: key.derRepresentation) == key)
        #expect(key.description == "PKIXPublicKey(EC P-256, ni:///sha-256;F8ZLbGLECGCxd8yEtBiqNnSMB7S-TC0CpJ1G9JLJpD4)")
    }

    @Test(
        "malformed public key PEM is rejected with a message that says what to do",
        arguments: [
            ("", "no PEM block found"),
            ("malformed key", "no PEM block found"),
            ("-----BEGIN PUBLIC KEY-----\nAAAA\n", "has no END line"),
            ("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "ends with \"END PRIVATE KEY\""),
            ("-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n", "is not valid base64"),
            ("-----BEGIN RSA PUBLIC KEY-----\nAAAA\n-----END RSA PUBLIC KEY-----\n", "openssl rsa -RSAPublicKey_in"),
            ("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "openssl x509"),
            ("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "openssl pkey -in FILE -pubout"),
            (
                "comment\n-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
                "unexpected text outside the PEM block (line 1)"
            ),
        ])
    func malformedPublicPEM(text: String, message: String) {
        #expect {
            try PKIXPublicKey(pemRepresentation: text)
        } throws: { error in
            guard let error = error as? PKIXError else { return false }
            return error == .malformedPEM && error.message.contains(message)
        }
    }

    @Test("two public keys in one file are rejected")
    func twoBlocks() throws {
        let pem = try Fixtures.corpusText(Self.ec256PEM)
        #expect {
            try PKIXPublicKey(pemRepresentation: pem + "\n" + pem)
        } throws: { error in
            (error as? PKIXError)?.message.hasPrefix("2 PEM blocks found") == true
        }
    }

    @Test("DER that is not a SubjectPublicKeyInfo, or has trailing bytes, is a malformed key")
    func malformedDER() throws {
        let key = try PKIXPublicKey(pemRepresentation: Fixtures.corpusText(Self.ec256PEM))
        #expect(throws: PKIXError.malformedKey) { try PKIXPublicKey(derRepresentation: key.derRepresentation + [0]) }
        #expect(throws: PKIXError.malformedKey) {
            try PKIXPublicKey(derRepresentation: Array(key.derRepresentation.dropLast()))
        }
        #expect(throws: PKIXError.malformedKey) { try PKIXPublicKey(derRepresentation: [0x30, 0x00]) }
        // Move the point off the curve.
        var offCurve = key.derRepresentation
        offCurve[offCurve.count - 1] ^= 0x01
        #expect(throws: PKIXError.malformedKey) { try PKIXPublicKey(derRepresentation: offCurve) }
    }

    @Test("key types Binary Authorization does not use are unsupported, and named", .enabled(if: OpenSSL.path != nil))
    func unsupportedKeyTypes() throws {
        for (arguments, name) in [
            (["genpkey", "-algorithm", "ed25519"], "Ed25519"),
            (["ecparam", "-name", "secp256k1", "-genkey", "-noout"], "secp256k1"),
        ] {
            let privateKey = try OpenSSL.run(arguments).stdoutText
            let publicKey = try OpenSSL.publicKeyPEM(ofPrivateKey: privateKey)
            #expect {
                try PKIXPublicKey(pemRepresentation: publicKey)
            } throws: { error in
                guard let error = error as? PKIXError else { return false }
                return error == .unsupportedKey && error.message.contains(name)
            }
            #expect(throws: PKIXError.unsupportedKey) { try PKIXPrivateKey(pemRepresentation: privateKey) }
        }
    }

    @Test("small RSA keys parse, and are reported as the wrong size", .enabled(if: OpenSSL.path != nil))
    func smallRSAKey() throws {
        let privateKey = try OpenSSL.run(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"])
            .stdoutText
        let publicKey = try PKIXPublicKey(pemRepresentation: OpenSSL.publicKeyPEM(ofPrivateKey: privateKey))
        #expect(publicKey.keyType == .rsa(bits: 1024))
        #expect(!publicKey.isCompatible(with: .rsaSignPKCS1_2048SHA256))
        #expect(throws: PKIXError.keyAlgorithmMismatch) {
            try publicKey.checkCompatibility(with: .rsaSignPKCS1_2048SHA256)
        }
        #expect(throws: PKIXError.keyAlgorithmMismatch) {
            try PKIXSigner(privateKeyPEM: privateKey, algorithm: .rsaPSS2048SHA256)
        }
    }

    @Test("encrypted private keys are refused with advice", .enabled(if: OpenSSL.path != nil))
    func encryptedPrivateKeys() throws {
        let plain = try TestKeys.openssl(.ec(.p256)).privateKeyPEM
        let pkcs8 = try OpenSSL.run(
            ["pkcs8", "-topk8", "-v2", "aes-256-cbc", "-passout", "pass:secret"], stdin: Array(plain.utf8)
        ).stdoutText
        let legacy = try OpenSSL.run(["ec", "-aes256", "-passout", "pass:secret"], stdin: Array(plain.utf8)).stdoutText
        #expect(legacy.contains("Proc-Type: 4,ENCRYPTED"))
        for encrypted in [pkcs8, legacy] {
            #expect {
                try PKIXPrivateKey(pemRepresentation: encrypted)
            } throws: { error in
                guard let error = error as? PKIXError else { return false }
                return error == .unsupportedKey && error.message.contains("decrypt it first")
            }
        }
    }

    @Test(
        "private key PEM errors",
        arguments: [
            ("", "no private key PEM block found"),
            ("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "this is a PUBLIC KEY"),
            ("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "not a DER PKCS#8 private key"),
            (
                "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n",
                "not a valid PKCS#1 RSAPrivateKey"
            ),
            ("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n", "not a DER SEC 1 EC private key"),
        ])
    func privateKeyErrors(text: String, message: String) {
        #expect {
            try PKIXPrivateKey(pemRepresentation: text)
        } throws: { error in
            (error as? PKIXError)?.message.contains(message) == true
        }
    }

    @Test("private keys never appear in descriptions or dumps")
    func noSecretsInDescriptions() throws {
        let key = try PKIXPrivateKey(
            pemRepresentation: Fixtures.corpusText("kritis/pkg/attestlib/testvectors/ec256PrivateKey.pem"))
        let body = key.pemRepresentation.split(separator: "\n")[1]
        var dumped = ""
        dump(key, to: &dumped)
        for text in ["\(key)", String(reflecting: key), dumped] {
            #expect(!text.contains(body))
            #expect(
                text.contains("PKIXPrivateKey(EC P-256, ni:///sha-256;F8ZLbGLECGCxd8yEtBiqNnSMB7S-TC0CpJ1G9JLJpD4)"))
        }
    }

    @Test("key ids: default form, and user ids must be URIs")
    func keyIDs() throws {
        #expect(
            PKIXKeyID.defaultID(forSubjectPublicKeyInfo: [])
                == "ni:///sha-256;47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU")
        for valid in [
            "ni:///sha-256;cD9o9Cq6LG3jD0iKXqEi_vdjJGecm_iXkbqVoScViaU",
            "//cloudkms.googleapis.com/v1/projects/p/locations/l/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1",
            "https://example.com/keys/1", "urn:example:key-1",
        ] {
            #expect(PKIXKeyID.isValid(valid))
            #expect(throws: Never.self) { try PKIXKeyID.validate(valid) }
        }
        for invalid in ["", "my key", "no-scheme", ":x", "1abc:x", "a b:c"] {
            #expect(!PKIXKeyID.isValid(invalid))
            #expect(throws: PKIXError.invalidKeyID) { try PKIXKeyID.validate(invalid) }
        }
    }

    @Test("generate(for:) makes a key of the algorithm's type for every algorithm, and signs what verifies")
    func generateForEveryAlgorithm() throws {
        for algorithm in SignatureAlgorithm.usableValues {
            let parameters = try #require(algorithm.parameters)
            // RSA keys come from the per-run cache (generation is slow); EC keys are cheap to make fresh.
            let key: PKIXPrivateKey =
                if case .ec = parameters.key { try PKIXPrivateKey.generate(for: algorithm) } else {
                    try TestKeys.library(parameters.key)
                }
            #expect(key.keyType == parameters.key)
            let signer = try PKIXSigner(privateKey: key, algorithm: algorithm)
            let signature = try signer.sign(seedPayload)
            let verifier = PKIXVerifier(publicKey: signer.publicKey, algorithm: algorithm.canonical)
            #expect(verifier.verify(signature: signature, payload: seedPayload) == .verified, "\(algorithm)")
            if parameters.padding == .pss {
                #expect(
                    verifier.pssSaltLength(signature: signature, payload: seedPayload) == parameters.digest.byteCount)
            }
        }
    }
}
