// SPDX-License-Identifier: Apache-2.0

/// One area (hashed or unhashed) of a v4 signature's subpackets, read the way GnuPG 2.2.40 reads it
/// (`g10/parse-packet.c`, `enum_sig_subpkt`), because the verdicts must agree with GnuPG's on damaged input too:
///
/// - Each lookup walks the area from the start and stops at the first subpacket of the wanted type; a damaged
///   length *after* that subpacket does not matter to the lookup.
/// - A damaged length *before* it, or a subpacket that is too short for its type (a creation time of fewer than
///   four bytes, an issuer of fewer than eight), makes the lookup find nothing.
/// - A subpacket of length zero has no type octet: GnuPG then reads the next octet as both its type and the next
///   length, and this walk does the same.
/// - "Unknown critical" (RFC 4880 §5.2.3.1) is tested over the whole area; a damaged area counts as an unknown
///   critical subpacket, and GnuPG applies the test to the unhashed area as well as the hashed one.
struct SubpacketArea: Sendable {
    let bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    static let signatureCreated = 2
    static let signatureExpires = 3
    static let keyExpires = 9
    static let issuer = 16
    static let primaryUserID = 25
    static let keyFlags = 27
    static let revocationReason = 29
    static let embeddedSignature = 32
    static let issuerFingerprint = 33

    /// The data of the first subpacket of `type`, or `nil`.
    func first(_ type: Int) -> ArraySlice<UInt8>? {
        var sequence = 0
        return next(type, after: &sequence)
    }

    /// The data of every subpacket of `type`, in order, stopping where GnuPG's enumeration stops.
    func all(_ type: Int) -> [ArraySlice<UInt8>] {
        var found: [ArraySlice<UInt8>] = []
        var sequence = 0
        while let data = next(type, after: &sequence) { found.append(data) }
        return found
    }

    /// Whether the area has a critical subpacket GnuPG does not understand, or is damaged so that GnuPG's test
    /// fails.
    var hasUnknownCritical: Bool {
        var sequence = 0
        return walk(type: nil, after: &sequence) == .unknownCritical
    }

    // MARK: The walk

    private enum Step: Equatable {
        case found(Range<Int>)
        case unknownCritical
        case end
        case damaged
    }

    private func next(_ type: Int, after sequence: inout Int) -> ArraySlice<UInt8>? {
        guard sequence >= 0 else { return nil }
        if case .found(let range) = walk(type: type, after: &sequence) { return bytes[range] }
        return nil
    }

    /// Walks subpackets; `type == nil` tests criticality. `sequence` is GnuPG's resume counter (`*start`).
    private func walk(type wanted: Int?, after sequence: inout Int) -> Step {
        var position = bytes.startIndex
        var remaining = bytes.count
        var seen = 0
        let resumeAfter = sequence
        while remaining > 0 {
            var length = Int(bytes[position])
            position += 1
            remaining -= 1
            if length == 255 {
                guard remaining >= 4 else { return damaged(wanted, &sequence) }
                length = bytes[position..<position + 4].reduce(0) { $0 << 8 | Int($1) }
                position += 4
                remaining -= 4
            } else if length >= 192 {
                guard remaining >= 2 else { return damaged(wanted, &sequence) }
                length = ((length - 192) << 8) + Int(bytes[position]) + 192
                position += 1
                remaining -= 1
            }
            guard remaining >= length else { return damaged(wanted, &sequence) }
            guard remaining > 0 else { return damaged(wanted, &sequence) }
            let typeOctet = bytes[position]
            let critical = typeOctet & 0x80 != 0
            let type = Int(typeOctet & 0x7F)
            seen += 1
            if seen > resumeAfter {
                if let wanted {
                    if type == wanted {
                        // GnuPG computes n - 1 in unsigned arithmetic: a zero length can never fit.
                        guard length >= 1, length - 1 <= remaining - 1 else { return damaged(wanted, &sequence) }
                        let data = position + 1..<position + length
                        guard Self.longEnough(bytes[data], type: type) else { return .end }
                        sequence = seen
                        return .found(data)
                    }
                } else if critical {
                    guard length >= 1 else { return damaged(wanted, &sequence) }
                    if !Self.canHandleCritical(bytes[position + 1..<position + length], type: type) {
                        return .unknownCritical
                    }
                }
            }
            position += length
            remaining -= length
        }
        if wanted == nil { return .end }
        sequence = -1
        return .end
    }

    private func damaged(_ wanted: Int?, _ sequence: inout Int) -> Step {
        sequence = -1
        return wanted == nil ? .unknownCritical : .damaged
    }

    /// GnuPG's `parse_one_sig_subpkt` minimum lengths for the types this library reads.
    private static func longEnough(_ data: ArraySlice<UInt8>, type: Int) -> Bool {
        switch type {
        case 12: data.count >= 22
        case 2, 3, 9: data.count >= 4
        case 16: data.count >= 8
        case 33: data.count >= 21
        case 32, 4, 7, 29: !data.isEmpty
        case 25: data.count == 1
        case 5: data.count == 2
        case 20:
            data.count >= 8
                && 8 + (Int(data[data.startIndex + 4]) << 8 | Int(data[data.startIndex + 5]))
                    + (Int(data[data.startIndex + 6]) << 8 | Int(data[data.startIndex + 7])) == data.count
        case 38: data.isEmpty || data[data.startIndex] != 0 ? false : data.count >= 50
        default: true
        }
    }

    /// GnuPG's `can_handle_critical`.
    private static func canHandleCritical(_ data: ArraySlice<UInt8>, type: Int) -> Bool {
        switch type {
        case 20:
            guard data.count >= 8 else { return false }
            let nameLength = Int(data[data.startIndex + 4]) << 8 | Int(data[data.startIndex + 5])
            guard data.count - 8 >= nameLength else { return false }
            let name = Array(data[(data.startIndex + 8)..<(data.startIndex + 8 + nameLength)])
            return name == Array("preferred-email-encoding@pgp.com".utf8) || name == Array("pka-address@gnupg.org".utf8)
        case 32, 2, 3, 9, 4, 7, 12, 16, 33, 11, 21, 22, 27, 25, 30, 5, 6, 26, 24, 29:
            return true
        case 38:
            return !data.isEmpty && data[data.startIndex] == 0
        default:
            return false
        }
    }
}
