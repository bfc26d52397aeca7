// SPDX-License-Identifier: Apache-2.0

/// The RSA public key as numbers, and the RSAVP1 primitive (RFC 8017 §5.2.2) over it.
struct RSAPublicNumbers: Sendable, Hashable {
    /// Precomputed arithmetic modulo `n`.
    let modulus: MontgomeryModulus
    /// The public exponent `e`, big-endian, no leading zeros.
    let exponent: [UInt8]

    /// `k`: the modulus' length in bytes, which every signature must have.
    var byteCount: Int { (modulus.bitCount + 7) / 8 }
    /// The modulus' length in bits (the key size).
    var bitCount: Int { modulus.bitCount }

    /// Why RSAVP1 refused a signature.
    enum Failure: Error, Equatable {
        case wrongLength(actual: Int, expected: Int)
        case representativeOutOfRange
    }

    /// Why numbers are not an RSA public key.
    struct InvalidNumbers: Error, Equatable {
        var reason: String
    }

    /// Validates the numbers of an RSA public key.
    ///
    /// - Throws: ``InvalidNumbers`` when `n` is not odd and > 1, or `e` is not odd, > 1 and < `n`.
    init(modulus n: some Collection<UInt8>, exponent e: some Collection<UInt8>) throws(InvalidNumbers) {
        guard let modulus = MontgomeryModulus(bigEndian: n) else {
            throw InvalidNumbers(reason: "the RSA modulus is not an odd number greater than 1")
        }
        let exponent = Array(e.drop { $0 == 0 })
        guard let low = exponent.last, low & 1 == 1, exponent.count > 1 || low > 1 else {
            throw InvalidNumbers(reason: "the RSA public exponent is not an odd number greater than 1")
        }
        guard modulus.reduced(MontgomeryModulus.limbs(fromBigEndian: exponent)) != nil else {
            throw InvalidNumbers(reason: "the RSA public exponent is not less than the modulus")
        }
        self.modulus = modulus
        self.exponent = exponent
    }

    /// RSAVP1 with the length check of RSASSA-PSS-VERIFY / RSASSA-PKCS1-V1_5-VERIFY step 1:
    /// `m = s^e mod n` for a `k`-byte signature `s < n`, returned as `k` bytes.
    func publicOperation(_ signature: [UInt8]) -> Result<[UInt8], Failure> {
        switch representative(signature) {
        case .failure(let failure):
            return .failure(failure)
        case .success(let s):
            let m = modulus.power(s, exponent: exponent)
            // m < n < 256^k, so it always fits.
            return .success(MontgomeryModulus.bigEndianBytes(m, count: byteCount)!)
        }
    }

    /// Why `signature` cannot be an RSA signature of this key (wrong length, not less than `n`), or `nil`.
    func problem(with signature: [UInt8]) -> Failure? {
        if case .failure(let failure) = representative(signature) { return failure }
        return nil
    }

    /// The signature as a number `s < n`, after the length check.
    private func representative(_ signature: [UInt8]) -> Result<[UInt64], Failure> {
        guard signature.count == byteCount else {
            return .failure(.wrongLength(actual: signature.count, expected: byteCount))
        }
        guard let s = modulus.reduced(MontgomeryModulus.limbs(fromBigEndian: signature)) else {
            return .failure(.representativeOutOfRange)
        }
        return .success(s)
    }
}
