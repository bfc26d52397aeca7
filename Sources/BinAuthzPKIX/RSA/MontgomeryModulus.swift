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
        let s = limbCount
        let bits = exponent.drop { $0 == 0 }
        var result = [UInt64](repeating: 0, count: s)
        guard !bits.isEmpty else {
            result[0] = 1  // x^0 = 1, and 1 < n
            return result
        }
        // One allocation for the whole exponentiation: base·R, accumulator, product, one, CIOS scratch.
        let memory = UnsafeMutablePointer<UInt64>.allocate(capacity: 5 * s + 2)
        defer { memory.deallocate() }
        memory.initialize(repeating: 0, count: 5 * s + 2)
        let baseM = memory
        var accumulator = memory + s
        var product = memory + 2 * s
        let one = memory + 3 * s
        let scratch = memory + 4 * s
        one[0] = 1
        modulus.withUnsafeBufferPointer { n in
            base.withUnsafeBufferPointer { b in
                rSquared.withUnsafeBufferPointer { r2 in
                    Self.montgomeryMultiply(b.baseAddress!, r2.baseAddress!, n.baseAddress!, s, inverse, baseM, scratch)
                }
            }
            var started = false
            for byte in bits {
                for shift in stride(from: 7, through: 0, by: -1) {
                    if started {
                        Self.montgomeryMultiply(accumulator, accumulator, n.baseAddress!, s, inverse, product, scratch)
                        swap(&accumulator, &product)
                    }
                    if (byte >> UInt8(shift)) & 1 == 1 {
                        if started {
                            Self.montgomeryMultiply(accumulator, baseM, n.baseAddress!, s, inverse, product, scratch)
                            swap(&accumulator, &product)
                        } else {
                            accumulator.update(from: baseM, count: s)
                            started = true
                        }
                    }
                }
            }
            result.withUnsafeMutableBufferPointer { out in
                Self.montgomeryMultiply(accumulator, one, n.baseAddress!, s, inverse, out.baseAddress!, scratch)
            }
        }
        return result
    }

    /// The CIOS kernel: `result = a·b·R⁻¹ mod n`, all operands `s` limbs, `t` scratch of `s + 2` limbs.
    /// `result` may not alias `a` or `b`.
    static func montgomeryMultiply(
        _ a: UnsafePointer<UInt64>, _ b: UnsafePointer<UInt64>, _ n: UnsafePointer<UInt64>, _ s: Int,
        _ inverse: UInt64, _ result: UnsafeMutablePointer<UInt64>, _ t: UnsafeMutablePointer<UInt64>
    ) {
        t.update(repeating: 0, count: s + 2)
        for i in 0..<s {
            // t += a · b[i]   (each step fits: (2^64−1)² + 2·(2^64−1) < 2^128)
            var carry: UInt64 = 0
            let bi = UInt128(b[i])
            for j in 0..<s {
                let product = UInt128(a[j]) &* bi &+ UInt128(t[j]) &+ UInt128(carry)
                t[j] = UInt64(truncatingIfNeeded: product)
                carry = UInt64(truncatingIfNeeded: product &>> 64)
            }
            let top = UInt128(t[s]) &+ UInt128(carry)
            t[s] = UInt64(truncatingIfNeeded: top)
            t[s + 1] = UInt64(truncatingIfNeeded: top &>> 64)
            // t = (t + m·n) / 2^64, with m chosen so that the low limb vanishes.
            let m = UInt128(t[0] &* inverse)
            var sum = m &* UInt128(n[0]) &+ UInt128(t[0])
            carry = UInt64(truncatingIfNeeded: sum &>> 64)
            var j = 1
            while j < s {
                sum = m &* UInt128(n[j]) &+ UInt128(t[j]) &+ UInt128(carry)
                t[j - 1] = UInt64(truncatingIfNeeded: sum)
                carry = UInt64(truncatingIfNeeded: sum &>> 64)
                j += 1
            }
            sum = UInt128(t[s]) &+ UInt128(carry)
            t[s - 1] = UInt64(truncatingIfNeeded: sum)
            t[s] = t[s + 1] &+ UInt64(truncatingIfNeeded: sum &>> 64)
            t[s + 1] = 0
        }
        // t < 2n: one conditional subtraction brings it below n.
        var needsSubtraction = t[s] != 0
        if !needsSubtraction {
            needsSubtraction = true  // equal counts as "not less"
            var k = s - 1
            while k >= 0 {
                if t[k] != n[k] {
                    needsSubtraction = t[k] > n[k]
                    break
                }
                k -= 1
            }
        }
        if needsSubtraction {
            var borrow = false
            for k in 0..<s {
                let (d1, o1) = t[k].subtractingReportingOverflow(n[k])
                let (d2, o2) = d1.subtractingReportingOverflow(borrow ? 1 : 0)
                result[k] = d2
                borrow = o1 || o2
            }
        } else {
            result.update(from: t, count: s)
        }
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
