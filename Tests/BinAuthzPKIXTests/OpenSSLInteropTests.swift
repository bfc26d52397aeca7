// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import BinAuthzPKIX
import BinAuthzPayload
import BinAuthzTestSupport
import Crypto
import Foundation
import Testing

private let pssAlgorithms = SignatureAlgorithm.usableValues.filter { $0.parameters?.padding == .pss }

/// The salt-length settings `openssl dgst -sign` is asked for, with the length each one produces.
private func expectedSaltLength(_ setting: String, keyBits: Int, digest: SignatureAlgorithm.Digest) -> Int {
    switch setting {
    case "digest": digest.byteCount
    case "max", "auto": (keyBits - 1 + 7) / 8 - digest.byteCount - 2
    default: Int(setting)!
    }
}

@Suite("PKIX interop with the openssl CLI", .enabled(if: OpenSSL.path != nil, "openssl is not installed"))
struct OpenSSLInteropTests {
    @Test(
        "openssl-made keys and openssl signatures verify in the library, for every algorithm",
        arguments: SignatureAlgorithm.usableValues)
    func opensslSignsLibraryVerifies(algorithm: SignatureAlgorithm) throws {
        let parameters = try #require(algorithm.parameters)
        let key = try TestKeys.openssl(parameters.key)
        let verifier = try PKIXVerifier(publicKeyPEM: key.publicKeyPEM, algorithm: algorithm)
        let pss = parameters.padding == .pss ? "digest" : nil
        let signature = try OpenSSL.sign(
            seedPayload, privateKeyPEM: key.privateKeyPEM, digest: parameters.digest, pssSaltLength: pss)
        #expect(verifier.verify(signature: signature, payload: seedPayload) == .verified, "\(key.recipe)")

        // Tampered payload, tampered signature, another key: not verified.
        var tampered = seedPayload
        tampered[40] ^= 0x01
        #expect(verifier.verify(signature: signature, payload: tampered) == .notVerified(.badSignature))
        #expect(verifier.verify(signature: signature, payload: seedPayload + [0x0A]) == .notVerified(.badSignature))
        let flipped = signature.flippingBit(0, ofByte: signature.count - 2)
        #expect(!verifier.verify(signature: flipped, payload: seedPayload).isVerified)
        let other = PKIXVerifier(publicKey: try TestKeys.library(parameters.key).publicKey, algorithm: algorithm)
        // (Another RSA key's modulus may be smaller than this signature, which then cannot be one of its signatures.)
        let otherResult = other.verify(signature: signature, payload: seedPayload)
        #expect(otherResult == .notVerified(.badSignature) || otherResult == .notVerified(.malformedSignature))
    }

    @Test(
        "library signatures verify with openssl dgst -verify, for every algorithm",
        arguments: SignatureAlgorithm.usableValues)
    func librarySignsOpenSSLVerifies(algorithm: SignatureAlgorithm) throws {
        let parameters = try #require(algorithm.parameters)
        for privateKeyPEM in [
            try TestKeys.library(parameters.key).pemRepresentation, try TestKeys.openssl(parameters.key).privateKeyPEM,
        ] {
            let signer = try PKIXSigner(privateKeyPEM: privateKeyPEM, algorithm: algorithm)
            let signature = try signer.sign(seedPayload)
            let publicPEM = signer.publicKey.pemRepresentation
            // PSS: openssl checks the salt is exactly the digest length, and also verifies with auto-detection.
            for salt in parameters.padding == .pss ? ["digest", "auto"] : [nil] {
                #expect(
                    try OpenSSL.verify(
                        signature: signature, payload: seedPayload, publicKeyPEM: publicPEM, digest: parameters.digest,
                        pssSaltLength: salt))
            }
            var tampered = seedPayload
            tampered[tampered.count - 3] ^= 0x20
            #expect(
                try !OpenSSL.verify(
                    signature: signature, payload: tampered, publicKeyPEM: publicPEM, digest: parameters.digest,
                    pssSaltLength: parameters.padding == .pss ? "auto" : nil))
            #expect(
                PKIXVerifier(publicKey: signer.publicKey, algorithm: algorithm).verify(
                    signature: signature, payload: seedPayload
                ).isVerified)
        }
    }

    @Test("RSA-PSS verifies whatever salt length openssl used", arguments: pssAlgorithms)
    func pssAnySaltLength(algorithm: SignatureAlgorithm) throws {
        let parameters = try #require(algorithm.parameters)
        let key = try TestKeys.openssl(parameters.key)
        let verifier = try PKIXVerifier(publicKeyPEM: key.publicKeyPEM, algorithm: algorithm)
        guard case .rsa(let bits) = parameters.key else {
            Issue.record("not RSA")
            return
        }
        for setting in ["digest", "max", "auto", "0", "1", "20", "-1", "-2"] {
            let signature = try OpenSSL.sign(
                seedPayload, privateKeyPEM: key.privateKeyPEM, digest: parameters.digest, pssSaltLength: setting)
            #expect(verifier.verify(signature: signature, payload: seedPayload) == .verified, "salt \(setting)")
            let normalized = setting == "-1" ? "digest" : setting == "-2" ? "max" : setting
            #expect(
                verifier.pssSaltLength(signature: signature, payload: seedPayload)
                    == expectedSaltLength(normalized, keyBits: bits, digest: parameters.digest),
                "salt \(setting)")
            #expect(verifier.verify(signature: signature, payload: Array("other".utf8)) == .notVerified(.badSignature))
        }
    }

    @Test("ECDSA signatures are accepted as DER and as raw r‖s; garbage is malformed")
    func ecdsaEncodings() throws {
        for (algorithm, rawSize) in [
            (SignatureAlgorithm.ecdsaP256SHA256, 64), (.ecdsaP384SHA384, 96), (.ecdsaP521SHA512, 132),
        ] {
            let parameters = algorithm.parameters!
            let key = try TestKeys.openssl(parameters.key)
            let verifier = try PKIXVerifier(publicKeyPEM: key.publicKeyPEM, algorithm: algorithm)
            let der = try OpenSSL.sign(seedPayload, privateKeyPEM: key.privateKeyPEM, digest: parameters.digest)
            let raw: [UInt8] =
                switch parameters.key {
                case .ec(.p256): [UInt8](try P256.Signing.ECDSASignature(derRepresentation: der).rawRepresentation)
                case .ec(.p384): [UInt8](try P384.Signing.ECDSASignature(derRepresentation: der).rawRepresentation)
                default: [UInt8](try P521.Signing.ECDSASignature(derRepresentation: der).rawRepresentation)
                }
            #expect(raw.count == rawSize)
            #expect(verifier.verify(signature: raw, payload: seedPayload) == .verified)
            #expect(
                verifier.verify(signature: raw.flippingBit(3, ofByte: 10), payload: seedPayload)
                    == .notVerified(.badSignature))
            for garbage in [[], [0x30, 0x00], Array(repeating: 0x41, count: 70), der + [0x00], Array(der.dropLast())] {
                #expect(verifier.verify(signature: garbage, payload: seedPayload) == .notVerified(.malformedSignature))
            }
            let failure = verifier.verify(signature: [1, 2, 3], payload: seedPayload).failure
            #expect(failure?.message.contains("neither ASN.1 DER") == true)
        }
    }

    @Test("RSA signatures of the wrong length, or not less than the modulus, are malformed")
    func rsaMalformed() throws {
        for algorithm in [SignatureAlgorithm.rsaSignPKCS1_2048SHA256, .rsaPSS2048SHA256] {
            let key = try TestKeys.openssl(.rsa(bits: 2048))
            let verifier = try PKIXVerifier(publicKeyPEM: key.publicKeyPEM, algorithm: algorithm)
            let signature = try OpenSSL.sign(
                seedPayload, privateKeyPEM: key.privateKeyPEM, digest: .sha256,
                pssSaltLength: algorithm.parameters?.padding == .pss ? "max" : nil)
            #expect(verifier.verify(signature: signature, payload: seedPayload) == .verified)
            for wrongLength in [
                [], Array(signature.dropFirst()), signature + [0], [0] + signature, Array(repeating: 0, count: 512),
            ] {
                let result = verifier.verify(signature: wrongLength, payload: seedPayload)
                #expect(result == .notVerified(.malformedSignature))
                #expect(result.description.contains("exactly 256 bytes"))
            }
            let modulus = try Self.modulus(ofPublicKeyPEM: key.publicKeyPEM)
            for outOfRange in [modulus, Array(repeating: 0xFF, count: 256)]
            where !outOfRange.lexicographicallyPrecedes(modulus) {
                let result = verifier.verify(signature: outOfRange, payload: seedPayload)
                #expect(result == .notVerified(.malformedSignature))
                #expect(result.description.contains("not less than the key's modulus"))
            }
            // n − 1 and 0 are in range, and simply wrong.
            var nMinusOne = modulus
            nMinusOne[255] -= 1
            #expect(verifier.verify(signature: nMinusOne, payload: seedPayload) == .notVerified(.badSignature))
            #expect(
                verifier.verify(signature: Array(repeating: 0, count: 256), payload: seedPayload)
                    == .notVerified(.badSignature))
        }
    }

    @Test("openssl RSASSA-PSS keys (id-RSASSA-PSS) verify PSS signatures and are refused for PKCS#1")
    func rsassaPSSKeys() throws {
        let privateKey = try OpenSSL.run(["genpkey", "-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:2048"])
            .stdoutText
        let publicKeyPEM = try OpenSSL.publicKeyPEM(ofPrivateKey: privateKey)
        let key = try PKIXPublicKey(pemRepresentation: publicKeyPEM)
        #expect(key.isRSAPSSKey)
        #expect(key.keyType == .rsa(bits: 2048))
        let signature = try OpenSSL.sign(seedPayload, privateKeyPEM: privateKey, digest: .sha256, pssSaltLength: "max")
        #expect(
            PKIXVerifier(publicKey: key, algorithm: .rsaSignPSS2048SHA256).verify(
                signature: signature, payload: seedPayload) == .verified)
        let pkcs1 = PKIXVerifier(publicKey: key, algorithm: .rsaSignPKCS1_2048SHA256).verify(
            signature: signature, payload: seedPayload)
        #expect(pkcs1 == .notVerified(.keyAlgorithmMismatch))
        #expect(pkcs1.description.contains("RSASSA-PSS key"))
        // Attestor validation, which reads keys without cryptography, agrees on both.
        func attestor(_ algorithm: SignatureAlgorithm) -> Attestor {
            Attestor(
                name: "projects/p/attestors/a",
                userOwnedGrafeasNote: UserOwnedGrafeasNote(
                    noteReference: "projects/p/notes/n",
                    publicKeys: [
                        .pkix(id: "urn:k", key: PKIXKeySpec(publicKeyPEM: publicKeyPEM, signatureAlgorithm: algorithm))
                    ]))
        }
        // The private half cannot sign here; the error says which key to make instead.
        #expect {
            try PKIXPrivateKey(pemRepresentation: privateKey)
        } throws: { error in
            (error as? PKIXError)?.code == .unsupportedKey
                && (error as? PKIXError)?.message.contains("id-RSASSA-PSS private key") == true
        }
        #expect(attestor(.rsaSignPSS2048SHA256).validate() == [])
        #expect(attestor(.rsaSignPKCS1_2048SHA256).validate().map(\.message).contains { $0.contains("RSASSA-PSS key") })
        #expect(
            key.defaultKeyID == PKIXKeyID.defaultID(forSubjectPublicKeyInfo: try Self.der(ofPublicKeyPEM: publicKeyPEM))
        )
    }

    @Test("compressed EC public keys are read")
    func compressedECKey() throws {
        let key = try TestKeys.openssl(.ec(.p256))
        let compressed = try OpenSSL.run(
            ["ec", "-pubout", "-conv_form", "compressed"], stdin: Array(key.privateKeyPEM.utf8)
        ).stdoutText
        let verifier = try PKIXVerifier(publicKeyPEM: compressed, algorithm: .ecdsaP256SHA256)
        let signature = try OpenSSL.sign(seedPayload, privateKeyPEM: key.privateKeyPEM, digest: .sha256)
        #expect(verifier.verify(signature: signature, payload: seedPayload) == .verified)
    }

    @Test(
        "the library's key ids equal openssl's SHA-256 over the DER SubjectPublicKeyInfo",
        arguments: [
            SignatureAlgorithm.KeyType.ec(.p256), .ec(.p384), .ec(.p521), .rsa(bits: 2048), .rsa(bits: 3072),
            .rsa(bits: 4096),
        ])
    func keyIDs(type: SignatureAlgorithm.KeyType) throws {
        for publicKeyPEM in [
            try TestKeys.openssl(type).publicKeyPEM, try TestKeys.library(type).publicKey.pemRepresentation,
        ] {
            let der = try Self.der(ofPublicKeyPEM: publicKeyPEM)
            let sha = try OpenSSL.run(["dgst", "-sha256", "-binary"], stdin: der).stdout
            let expected =
                "ni:///sha-256;"
                + Data(sha).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
            let key = try PKIXPublicKey(pemRepresentation: publicKeyPEM)
            #expect(key.defaultKeyID == expected)
            #expect(key.defaultKeyID.count == 14 + 43)
            #expect(key.keyType == type)
        }
    }

    @Test(
        "generated keys are written as openssl writes them: PKCS#8 private, identical SPKI public",
        arguments: [
            SignatureAlgorithm.KeyType.ec(.p256), .ec(.p384), .ec(.p521), .rsa(bits: 2048), .rsa(bits: 3072),
            .rsa(bits: 4096),
        ])
    func generatedKeysReadByOpenSSL(type: SignatureAlgorithm.KeyType) throws {
        let key = try TestKeys.library(type)
        #expect(key.pemRepresentation.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        #expect(try OpenSSL.publicKeyPEM(ofPrivateKey: key.pemRepresentation) == key.publicKey.pemRepresentation)
        let text = try OpenSSL.run(["pkey", "-noout", "-text"], stdin: Array(key.pemRepresentation.utf8)).stdoutText
        switch type {
        case .rsa(let bits): #expect(text.contains("Private-Key: (\(bits) bit"))
        case .ec(let curve): #expect(text.contains("NIST CURVE: \(curve)"))
        }
        // Reading our own PEM back gives the same key.
        #expect(try PKIXPrivateKey(pemRepresentation: key.pemRepresentation).publicKey == key.publicKey)
    }

    @Test("a key of the wrong type or size is reported with both, by the verifier (a value) and the signer (an error)")
    func keyAlgorithmMismatch() throws {
        let p384 = try TestKeys.openssl(.ec(.p384))
        let verifier = try PKIXVerifier(publicKeyPEM: p384.publicKeyPEM, algorithm: .ecdsaP256SHA256)
        let signature = try OpenSSL.sign(seedPayload, privateKeyPEM: p384.privateKeyPEM, digest: .sha256)
        let result = verifier.verify(signature: signature, payload: seedPayload)
        #expect(result == .notVerified(.keyAlgorithmMismatch))
        #expect(result.description == "key is EC P-384 but ECDSA_P256_SHA256 needs EC P-256")
        #expect {
            try PKIXSigner(privateKeyPEM: p384.privateKeyPEM, algorithm: .ecSignP256SHA256)
        } throws: { error in
            (error as? PKIXError)?.message == "key is EC P-384 but EC_SIGN_P256_SHA256 needs EC P-256"
        }
        let rsa2048 = try TestKeys.openssl(.rsa(bits: 2048))
        let wrongSize = try PKIXVerifier(publicKeyPEM: rsa2048.publicKeyPEM, algorithm: .rsaPSS4096SHA512)
            .verify(signature: [], payload: seedPayload)
        #expect(wrongSize.description == "key is RSA 2048-bit but RSA_PSS_4096_SHA512 needs RSA 4096-bit")
        let ecForRSA = try PKIXVerifier(publicKeyPEM: p384.publicKeyPEM, algorithm: .rsaSignPKCS1_3072SHA256)
            .verify(signature: [], payload: seedPayload)
        #expect(ecForRSA.description == "key is EC P-384 but RSA_SIGN_PKCS1_3072_SHA256 needs RSA 3072-bit")
        for unusable in [SignatureAlgorithm.unspecified, SignatureAlgorithm(rawValue: "ED25519")] {
            #expect(
                PKIXVerifier(publicKey: try PKIXPublicKey(pemRepresentation: p384.publicKeyPEM), algorithm: unusable)
                    .verify(signature: signature, payload: seedPayload) == .notVerified(.unsupportedAlgorithm))
            #expect(throws: PKIXError.unsupportedAlgorithm) { try PKIXPrivateKey.generate(for: unusable) }
        }
    }

    // MARK: Helpers

    static func der(ofPublicKeyPEM pem: String) throws -> [UInt8] {
        try OpenSSL.run(["pkey", "-pubin", "-outform", "DER"], stdin: Array(pem.utf8)).stdout
    }

    /// The modulus as exactly 256 big-endian bytes (2048-bit keys).
    static func modulus(ofPublicKeyPEM pem: String) throws -> [UInt8] {
        let text = try OpenSSL.run(["rsa", "-pubin", "-noout", "-modulus"], stdin: Array(pem.utf8)).stdoutText
        let hex = Array(text.trimmingCharacters(in: .whitespacesAndNewlines).dropFirst("Modulus=".count))
        return stride(from: 0, to: hex.count, by: 2).map { UInt8(String(hex[$0...$0 + 1]), radix: 16)! }
    }
}
