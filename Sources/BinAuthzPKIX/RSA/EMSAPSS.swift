// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel

/// EMSA-PSS-VERIFY (RFC 8017 §9.1.2) with MGF1 over the message digest, recovering the salt length from the
/// encoded message instead of assuming one — so signatures made with the digest length (swift-crypto, KMS,
/// OpenSSL `digest`), the maximum (OpenSSL `max`/`auto`, Go's default), zero or anything in between verify.
enum EMSAPSS {
    /// Why an encoded message is inconsistent (every case means "bad signature").
    enum Inconsistency: Error, Equatable, CustomStringConvertible {
        case tooShort
        case trailer
        case leadingBits
        case separator
        case digestMismatch

        var description: String {
            switch self {
            case .tooShort: "the encoded message is too short for the digest"
            case .trailer: "the encoded message does not end in 0xbc"
            case .leadingBits: "the encoded message's leftmost bits are not zero"
            case .separator: "no 0x01 separator after the zero padding"
            case .digestMismatch: "the digest does not match"
            }
        }
    }

    /// Verifies an encoded message.
    ///
    /// - Parameters:
    ///   - messageHash: `mHash`, the digest of the signed bytes.
    ///   - encoded: The output of RSAVP1 as `k` bytes (`k` = modulus bytes).
    ///   - modulusBits: The modulus' bit length; `emBits = modulusBits − 1`.
    ///   - digest: The hash used for `H`, MGF1 and `mHash`.
    /// - Returns: The recovered salt length.
    static func verify(
        messageHash: [UInt8], encoded: [UInt8], modulusBits: Int, digest: SignatureAlgorithm.Digest
    ) -> Result<Int, Inconsistency> {
        let emBits = modulusBits - 1
        let emLen = (emBits + 7) / 8
        // I2OSP(m, emLen): when emLen < k the extra leading byte must be zero ("integer too large" otherwise).
        let extra = encoded.count - emLen
        guard extra >= 0, encoded.prefix(extra).allSatisfy({ $0 == 0 }) else { return .failure(.leadingBits) }
        let em = Array(encoded.dropFirst(extra))
        let hLen = digest.byteCount
        guard emLen >= hLen + 2 else { return .failure(.tooShort) }
        guard em[emLen - 1] == 0xBC else { return .failure(.trailer) }
        let dbLen = emLen - hLen - 1
        let h = Array(em[dbLen..<(dbLen + hLen)])
        let zeroBits = 8 * emLen - emBits
        let topMask: UInt8 = zeroBits == 0 ? 0xFF : 0xFF >> UInt8(zeroBits)
        guard em[0] & ~topMask == 0 else { return .failure(.leadingBits) }
        var db = mgf1(seed: h, length: dbLen, digest: digest)
        for i in 0..<dbLen { db[i] ^= em[i] }
        db[0] &= topMask
        // DB = PS (zeros) || 0x01 || salt
        guard let separator = db.firstIndex(where: { $0 != 0 }), db[separator] == 0x01 else {
            return .failure(.separator)
        }
        let salt = db[(separator + 1)...]
        var mPrime = [UInt8](repeating: 0, count: 8)
        mPrime += messageHash
        mPrime += salt
        guard DigestFunctions.hash(mPrime, digest) == h else { return .failure(.digestMismatch) }
        return .success(salt.count)
    }

    /// MGF1 (RFC 8017 §B.2.1) with the given hash.
    static func mgf1(seed: [UInt8], length: Int, digest: SignatureAlgorithm.Digest) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(length + digest.byteCount)
        var counter: UInt32 = 0
        while output.count < length {
            let block =
                seed + [
                    UInt8(truncatingIfNeeded: counter >> 24), UInt8(truncatingIfNeeded: counter >> 16),
                    UInt8(truncatingIfNeeded: counter >> 8), UInt8(truncatingIfNeeded: counter),
                ]
            output += DigestFunctions.hash(block, digest)
            counter += 1
        }
        return Array(output.prefix(length))
    }
}
