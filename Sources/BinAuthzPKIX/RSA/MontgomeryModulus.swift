// SPDX-License-Identifier: Apache-2.0

/// Modular arithmetic for the RSA *public* operation, `s^e mod n`, with Montgomery multiplication over 64-bit
/// limbs.
///
/// swift-crypto's RSA-PSS verification fixes the salt length to the digest length and exposes no raw RSA
/// operation, so verifying PSS signatures made with other salt lengths (OpenSSL's and Go's maximum, zero, …)
/// needs the public operation done here. Only public values pass through this code (modulus, exponent,
/// signature), so it is not constant time and does not need to be.
///
/// Numbers are little-endian arrays of `UInt64` limbs, all of the modulus' limb count.
struct MontgomeryModulus: Sendable, Hashable {
    /// The modulus `n`, odd, little-endian limbs, no high zero limb.
    let modulus: [UInt64]
    /// `-n⁻¹ mod 2⁶⁴`.
    let inverse: UInt64
    /// `R² mod n` with `R = 2^(64·limbs)`: multiplying by it enters the Montgomery domain.
    let rSquared: [UInt64]
    /// The modulus' length in bits.
    let bitCount: Int

    var limbCount: Int { modulus.count }

    /// Prepares arithmetic modulo `n`.
    ///
    /// - Parameter bigEndian: The modulus as unsigned big-endian bytes (leading zeros allowed).
    /// - Returns: `nil` unless `n` is odd and greater than 1.
    init?(bigEndian: some Collection<UInt8>) {
        let limbs = Self.limbs(fromBigEndian: bigEndian)
        guard let low = limbs.first, low & 1 == 1, limbs.count > 1 || low > 1 else { return nil }
        modulus = limbs
        bitCount = (limbs.count - 1) * 64 + (64 - limbs[limbs.count - 1].leadingZeroBitCount)
        // Newton's iteration for the inverse modulo 2^64: an odd x is its own inverse modulo 8, and each step
        // doubles the number of correct low bits (3 → 6 → 12 → 24 → 48 → 96).
        var x = low
        for _ in 0..<5 { x = x &* (2 &- low &* x) }
        inverse = 0 &- x
        // R² mod n by doubling 1 modulo n, 2·64·limbs times.
        var value = [UInt64](repeating: 0, count: limbs.count)
        value[0] = 1
        for _ in 0..<(2 * 64 * limbs.count) {
            Self.doubleModulo(&value, limbs)
        }
        rSquared = value
    }

    // MARK: Conversions

    /// Little-endian limbs of an unsigned big-endian byte string (no high zero limbs, at least one limb).
    static func limbs(fromBigEndian bytes: some Collection<UInt8>) -> [UInt64] {
        var trimmed = Array(bytes.drop { $0 == 0 })
        if trimmed.isEmpty { trimmed = [0] }
        var limbs = [UInt64](repeating: 0, count: (trimmed.count + 7) / 8)
        for (offset, byte) in trimmed.reversed().enumerated() {
            limbs[offset / 8] |= UInt64(byte) << UInt64((offset % 8) * 8)
        }
        return limbs
    }

    /// `value` as exactly `count` big-endian bytes; `nil` if it does not fit.
    static func bigEndianBytes(_ value: [UInt64], count: Int) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: count)
        for (index, limb) in value.enumerated() {
            for byteIndex in 0..<8 {
                let byte = UInt8(truncatingIfNeeded: limb >> UInt64(byteIndex * 8))
                let position = index * 8 + byteIndex  // from the least significant end
                if position < count {
                    out[count - 1 - position] = byte
                } else if byte != 0 {
                    return nil
                }
            }
        }
        return out
    }

    /// `value` widened or checked to the modulus' limb count; `nil` when it is not less than the modulus.
    func reduced(_ value: [UInt64]) -> [UInt64]? {
        var padded = value
        while padded.count > limbCount {
            guard padded.last == 0 else { return nil }
            padded.removeLast()
        }
        while padded.count < limbCount { padded.append(0) }
        return Self.compare(padded, modulus) < 0 ? padded : nil
    }

    // MARK: Exponentiation

    /// `base^exponent mod n` for `base < n`.
    ///
    /// - Parameters:
    ///   - base: Little-endian limbs, already less than the modulus, of the modulus' limb count.
    ///   - exponent: The exponent as big-endian bytes.
    func power(_ base: [UInt64], exponent: [UInt8]) -> [UInt64] {
        let bits = exponent.drop { $0 == 0 }
        var one = [UInt64](repeating: 0, count: limbCount)
        one[0] = 1
        guard !bits.isEmpty else { return Self.compare(one, modulus) < 0 ? one : [UInt64](repeating: 0, count: limbCount) }
        let baseM = multiply(base, rSquared)
        var accumulator: [UInt64]?
        for byte in bits {
            for shift in stride(from: 7, through: 0, by: -1) {
                if let current = accumulator {
                    accumulator = multiply(current, current)
                }
                if (byte >> UInt8(shift)) & 1 == 1 {
                    accumulator = accumulator.map { multiply($0, baseM) } ?? baseM
                }
            }
        }
        return multiply(accumulator!, one)
    }

    /// Montgomery product `a·b·R⁻¹ mod n` (CIOS: coarsely integrated operand scanning) for `a, b < n`.
    func multiply(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
        let s = limbCount
        let n = modulus
        var t = [UInt64](repeating: 0, count: s + 2)
        for i in 0..<s {
            // t += a · b[i]
            var carry: UInt64 = 0
            let bi = b[i]
            for j in 0..<s {
                let (high, low) = a[j].multipliedFullWidth(by: bi)
                let (sum1, overflow1) = t[j].addingReportingOverflow(low)
                let (sum2, overflow2) = sum1.addingReportingOverflow(carry)
                t[j] = sum2
                carry = high &+ (overflow1 ? 1 : 0) &+ (overflow2 ? 1 : 0)
            }
            let (top, topOverflow) = t[s].addingReportingOverflow(carry)
            t[s] = top
            t[s + 1] = topOverflow ? 1 : 0
            // t = (t + m·n) / 2^64 with m chosen so the low limb vanishes.
            let m = t[0] &* inverse
            let (high0, low0) = m.multipliedFullWidth(by: n[0])
            let (_, overflow0) = t[0].addingReportingOverflow(low0)
            carry = high0 &+ (overflow0 ? 1 : 0)
            for j in 1..<max(s, 1) {
                let (high, low) = m.multipliedFullWidth(by: n[j])
                let (sum1, overflow1) = t[j].addingReportingOverflow(low)
                let (sum2, overflow2) = sum1.addingReportingOverflow(carry)
                t[j - 1] = sum2
                carry = high &+ (overflow1 ? 1 : 0) &+ (overflow2 ? 1 : 0)
            }
            let (sum, overflow) = t[s].addingReportingOverflow(carry)
            t[s - 1] = sum
            t[s] = t[s + 1] &+ (overflow ? 1 : 0)
            t[s + 1] = 0
        }
        // t < 2n: one conditional subtraction brings it below n.
        var result = Array(t[0..<s])
        if t[s] != 0 || Self.compare(result, n) >= 0 {
            Self.subtract(&result, n)
        }
        return result
    }

    // MARK: Limb helpers

    /// Compares two numbers of equal limb count: negative, zero or positive.
    static func compare(_ a: [UInt64], _ b: [UInt64]) -> Int {
        for i in stride(from: a.count - 1, through: 0, by: -1) where a[i] != b[i] {
            return a[i] < b[i] ? -1 : 1
        }
        return 0
    }

    /// `a -= b` modulo 2^(64·count) (the caller guarantees the true result is non-negative or wraps as wanted).
    static func subtract(_ a: inout [UInt64], _ b: [UInt64]) {
        var borrow = false
        for i in 0..<a.count {
            let (d1, o1) = a[i].subtractingReportingOverflow(b[i])
            let (d2, o2) = d1.subtractingReportingOverflow(borrow ? 1 : 0)
            a[i] = d2
            borrow = o1 || o2
        }
    }

    /// `value = 2·value mod n` for `value < n`.
    static func doubleModulo(_ value: inout [UInt64], _ n: [UInt64]) {
        var carry: UInt64 = 0
        for i in 0..<value.count {
            let next = value[i] >> 63
            value[i] = (value[i] << 1) | carry
            carry = next
        }
        if carry != 0 || compare(value, n) >= 0 {
            subtract(&value, n)
        }
    }
}
