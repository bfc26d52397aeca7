// SPDX-License-Identifier: Apache-2.0

@testable import BinAuthzPKIX
import BinAuthzModel
import BinAuthzTestSupport
import Crypto
import Foundation
import Testing

/// The hand-written RSA public operation and EMSA-PSS-VERIFY, checked against openssl's raw RSA operations.
@Suite("RSA public operation and EMSA-PSS", .enabled(if: OpenSSL.path != nil, "openssl is not installed"))
struct RSAPublicOperationTests {
    /// Deterministic pseudo-random bytes.
    struct Bytes {
        var state: UInt64
        mutating func next(_ count: Int) -> [UInt8] {
            (0..<count).map { _ in
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return UInt8(truncatingIfNeeded: state >> 56)
            }
        }
    }

    static func numbers(_ publicKeyPEM: String) throws -> RSAPublicNumbers {
        let key = try PKIXPublicKey(pemRepresentation: publicKeyPEM)
        guard case .rsa(let numbers, _, _) = key.material else { throw OpenSSL.Failure(message: "not RSA") }
        return numbers
    }

    @Test(
        "s^e mod n equals openssl's raw public operation for random s, every key size", arguments: [2048, 3072, 4096])
    func matchesOpenSSL(bits: Int) throws {
        let key = try TestKeys.openssl(.rsa(bits: bits))
        let numbers = try Self.numbers(key.publicKeyPEM)
        #expect(numbers.bitCount == bits)
        var random = Bytes(state: UInt64(bits))
        for round in 0..<6 {
            var s = random.next(bits / 8)
            s[0] &= 0x7F  // below n, whose top bit is set
            if round == 0 { s = [UInt8](repeating: 0, count: bits / 8 - 1) + [2] }
            if round == 1 { s = [UInt8](repeating: 0, count: bits / 8 - 1) + [1] }
            let ours = try numbers.publicOperation(s).get()
            #expect(ours == (try OpenSSL.rawPublicOperation(s, publicKeyPEM: key.publicKeyPEM)), "round \(round)")
        }
    }

    @Test("a non-default public exponent (3) works too")
    func exponentThree() throws {
        let privateKey = try OpenSSL.run([
            "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-pkeyopt", "rsa_keygen_pubexp:3",
        ]).stdoutText
        let publicKey = try OpenSSL.publicKeyPEM(ofPrivateKey: privateKey)
        let numbers = try Self.numbers(publicKey)
        #expect(numbers.exponent == [3])
        var random = Bytes(state: 3)
        var s = random.next(256)
        s[0] &= 0x3F
        #expect(try numbers.publicOperation(s).get() == (try OpenSSL.rawPublicOperation(s, publicKeyPEM: publicKey)))
        let signature = try OpenSSL.sign(seedPayload, privateKeyPEM: privateKey, digest: .sha256, pssSaltLength: "max")
        #expect(
            try PKIXVerifier(publicKeyPEM: publicKey, algorithm: .rsaPSS2048SHA256).verify(
                signature: signature, payload: seedPayload) == .verified)
    }

    @Test("moduli whose bit length is not a multiple of 8 (top bits of EM masked)", arguments: [2046, 2050, 2056])
    func oddModulusSizes(bits: Int) throws {
        let privateKey = try OpenSSL.run(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:\(bits)"])
            .stdoutText
        let publicKey = try OpenSSL.publicKeyPEM(ofPrivateKey: privateKey)
        let numbers = try Self.numbers(publicKey)
        #expect(numbers.bitCount == bits)
        for salt in ["digest", "max", "0"] {
            let signature = try OpenSSL.sign(
                seedPayload, privateKeyPEM: privateKey, digest: .sha256, pssSaltLength: salt)
            let encoded = try numbers.publicOperation(signature).get()
            let result = EMSAPSS.verify(
                messageHash: Array(SHA256.hash(data: seedPayload)), encoded: encoded, modulusBits: bits, digest: .sha256
            )
            let expected = salt == "digest" ? 32 : salt == "0" ? 0 : (bits - 1 + 7) / 8 - 32 - 2
            #expect(result == .success(expected), "salt \(salt)")
        }
        // The verifier reports the size mismatch rather than verifying.
        #expect(
            try PKIXVerifier(publicKeyPEM: publicKey, algorithm: .rsaPSS2048SHA256).verify(signature: [], payload: [])
                == .notVerified(.keyAlgorithmMismatch))
    }

    @Test("a modulus of 8k+1 bits: EM is one byte shorter than the signature, and that byte must be zero")
    func encodedMessageShorterThanModulus() {
        // openssl only makes even-sized moduli, so this path is checked on hand-made encoded messages.
        let em = Self.encode(seedPayload, modulusBits: 2049, salt: Array(repeating: 7, count: 32))
        #expect(em.count == 256)
        let hash = Array(SHA256.hash(data: seedPayload))
        #expect(
            EMSAPSS.verify(messageHash: hash, encoded: [0] + em, modulusBits: 2049, digest: .sha256) == .success(32))
        #expect(
            EMSAPSS.verify(messageHash: hash, encoded: [1] + em, modulusBits: 2049, digest: .sha256)
                == .failure(.leadingBits))
        var topBit = em
        topBit[0] |= 0x80
        #expect(
            EMSAPSS.verify(messageHash: hash, encoded: topBit, modulusBits: 2048, digest: .sha256)
                == .failure(.leadingBits))
    }

    // MARK: Hand-made encoded messages

    /// EMSA-PSS-ENCODE (RFC 8017 §9.1.1), written independently of the library, with knobs to break it.
    static func encode(
        _ message: [UInt8], modulusBits: Int, salt: [UInt8], separator: UInt8 = 0x01, trailer: UInt8 = 0xBC,
        paddingByte: UInt8 = 0, wrongHash: Bool = false
    ) -> [UInt8] {
        let emBits = modulusBits - 1
        let emLen = (emBits + 7) / 8
        let mHash = Array(SHA256.hash(data: message))
        var h = Array(SHA256.hash(data: [UInt8](repeating: 0, count: 8) + mHash + salt))
        if wrongHash { h[0] ^= 1 }
        var db = [UInt8](repeating: paddingByte, count: emLen - salt.count - 32 - 2) + [separator] + salt
        var mask: [UInt8] = []
        var counter: UInt32 = 0
        while mask.count < db.count {
            mask += SHA256.hash(data: h + withUnsafeBytes(of: counter.bigEndian, Array.init))
            counter += 1
        }
        for i in 0..<db.count { db[i] ^= mask[i] }
        db[0] &= 0xFF >> UInt8(8 * emLen - emBits)
        return db + h + [trailer]
    }

    @Test("EMSA-PSS accepts any salt length and rejects every malformed encoding")
    func handMadeEncodings() throws {
        let key = try TestKeys.openssl(.rsa(bits: 2048))
        let numbers = try Self.numbers(key.publicKeyPEM)
        let verifier = try PKIXVerifier(publicKeyPEM: key.publicKeyPEM, algorithm: .rsaPSS2048SHA256)
        func sign(_ em: [UInt8]) throws -> [UInt8] {
            try OpenSSL.rawPrivateOperation(em, privateKeyPEM: key.privateKeyPEM)
        }
        var random = Bytes(state: 42)
        for saltLength in [0, 1, 20, 32, 64, 100, 222] {
            let em = Self.encode(seedPayload, modulusBits: 2048, salt: random.next(saltLength))
            let signature = try sign(em)
            #expect(verifier.verify(signature: signature, payload: seedPayload) == .verified, "salt \(saltLength)")
            #expect(verifier.pssSaltLength(signature: signature, payload: seedPayload) == saltLength)
        }
        let salt = random.next(32)
        let broken: [(String, [UInt8], EMSAPSS.Inconsistency)] = [
            ("trailer 0xbb", Self.encode(seedPayload, modulusBits: 2048, salt: salt, trailer: 0xBB), .trailer),
            ("separator 0x02", Self.encode(seedPayload, modulusBits: 2048, salt: salt, separator: 0x02), .separator),
            (
                "non-zero padding", Self.encode(seedPayload, modulusBits: 2048, salt: salt, paddingByte: 0x07),
                .separator
            ),
            ("wrong H", Self.encode(seedPayload, modulusBits: 2048, salt: salt, wrongHash: true), .digestMismatch),
        ]
        for (label, em, expected) in broken {
            let signature = try sign(em)
            let result = EMSAPSS.verify(
                messageHash: Array(SHA256.hash(data: seedPayload)),
                encoded: try numbers.publicOperation(signature).get(),
                modulusBits: 2048, digest: .sha256)
            #expect(result == .failure(expected), "\(label)")
            #expect(
                verifier.verify(signature: signature, payload: seedPayload) == .notVerified(.badSignature), "\(label)")
        }
        // The leftmost bit of EM (beyond emBits) must be zero; n's top byte is ≥ 0x80, so EM = 0x80… may fit below n.
        var topBit = Self.encode(seedPayload, modulusBits: 2048, salt: salt)
        topBit[0] |= 0x80
        if topBit.lexicographicallyPrecedes(try OpenSSLInteropTests.modulus(ofPublicKeyPEM: key.publicKeyPEM)) {
            let signature = try sign(topBit)
            #expect(
                EMSAPSS.verify(
                    messageHash: Array(SHA256.hash(data: seedPayload)),
                    encoded: try numbers.publicOperation(signature).get(), modulusBits: 2048, digest: .sha256)
                    == .failure(.leadingBits))
            #expect(verifier.verify(signature: signature, payload: seedPayload) == .notVerified(.badSignature))
        }
        // Arbitrary bytes ending in 0xbc do not pass; neither does a message too short for the digest.
        let arbitrary = [UInt8](repeating: 0, count: 256 - 33) + Array(SHA256.hash(data: [1])) + [0xBC]
        #expect(
            (try? EMSAPSS.verify(
                messageHash: Array(SHA256.hash(data: seedPayload)), encoded: arbitrary, modulusBits: 2048,
                digest: .sha256
            ).get()) == nil)
        #expect(
            EMSAPSS.verify(
                messageHash: [UInt8](repeating: 0, count: 64), encoded: [UInt8](repeating: 0, count: 60) + [0xBC],
                modulusBits: 489, digest: .sha512) == .failure(.tooShort))
    }

    @Test("invalid RSA numbers are refused")
    func invalidNumbers() {
        #expect(throws: RSAPublicNumbers.InvalidNumbers.self) {
            try RSAPublicNumbers(modulus: [0x10, 0x00], exponent: [3])
        }
        #expect(throws: RSAPublicNumbers.InvalidNumbers.self) { try RSAPublicNumbers(modulus: [0x01], exponent: [3]) }
        #expect(throws: RSAPublicNumbers.InvalidNumbers.self) {
            try RSAPublicNumbers(modulus: [0xC5, 0x01], exponent: [4])
        }
        #expect(throws: RSAPublicNumbers.InvalidNumbers.self) {
            try RSAPublicNumbers(modulus: [0xC5, 0x01], exponent: [1])
        }
        #expect(throws: RSAPublicNumbers.InvalidNumbers.self) {
            try RSAPublicNumbers(modulus: [0xC5, 0x01], exponent: [0xC5, 0x03])
        }
        #expect(throws: Never.self) { try RSAPublicNumbers(modulus: [0xC5, 0x01], exponent: [0x00, 0x11]) }
    }

    @Test("Montgomery arithmetic agrees with schoolbook arithmetic on small numbers")
    func smallNumbers() throws {
        // 3233 = 61 · 53, e = 17: the textbook example (m = 65 → c = 2790).
        let numbers = try RSAPublicNumbers(modulus: [0x0C, 0xA1], exponent: [17])
        let c = MontgomeryModulus.limbs(fromBigEndian: [0x00, 65])
        #expect(numbers.modulus.power(c, exponent: [17]) == [2790])
        let modulus = numbers.modulus
        for base in stride(from: 0 as UInt64, to: 3233, by: 97) {
            var expected: UInt64 = 1
            for _ in 0..<17 { expected = expected * base % 3233 }
            #expect(modulus.power([base], exponent: [17]) == [expected], "base \(base)")
        }
    }
}
