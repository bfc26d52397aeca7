// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel

/// One ASCII-armored block (RFC 4880 §6.2): its label (`PGP PUBLIC KEY BLOCK`, `PGP MESSAGE`, …) and the
/// decoded bytes.
struct ArmorBlock: Sendable, Hashable {
    /// The text between `-----BEGIN ` and `-----`, e.g. `PGP MESSAGE`.
    var label: String
    /// The decoded binary content, CRC-24 checked when a checksum line is present.
    var data: [UInt8]
}

/// Pure-Swift ASCII armor: detection, decoding with the CRC-24 check, and encoding.
enum Armor {
    /// Whether `bytes` look like binary OpenPGP data: the first octet of every packet has its high bit set.
    static func isBinary(_ bytes: [UInt8]) -> Bool {
        guard let first = bytes.first else { return false }
        return first & 0x80 != 0
    }

    /// The label of the first `-----BEGIN …-----` line, if the text has one.
    static func firstLabel(_ bytes: [UInt8]) -> String? {
        for line in lines(bytes) {
            if let label = beginLabel(line) { return label }
        }
        return nil
    }

    /// Decodes every armored block in the text, in order. Text outside the blocks is ignored (a revocation
    /// certificate written by GnuPG starts with a prose comment).
    ///
    /// - Throws: ``PGPError/Code/malformedArmor`` for bad base64, a CRC-24 mismatch or a missing END line,
    ///   and when the text holds no armored block at all.
    static func decode(_ bytes: [UInt8]) throws(PGPError) -> [ArmorBlock] {
        let all = lines(bytes)
        var blocks: [ArmorBlock] = []
        var index = 0
        while index < all.count {
            guard let label = beginLabel(all[index]) else {
                index += 1
                continue
            }
            guard label.hasPrefix("PGP ") else {
                // PEM looks like armor but is not OpenPGP: say what it is instead of failing on its packets.
                throw PGPError(
                    code: .malformedArmor,
                    message: "this is a PEM block (-----BEGIN \(label)-----), not OpenPGP data; "
                        + (label.contains("KEY")
                            ? "a PKIX key goes in a PKIX key option (--pkix-public-key-file), a PGP key is the output "
                                + "of `gpg --armor --export`" : "expected -----BEGIN PGP …-----"))
            }
            index += 1
            // Armor headers ("Version: …", "Comment: …") end at the first blank line. Be lenient with encoders
            // that omit the blank line when there are no headers.
            var sawHeader = false
            while index < all.count {
                let line = all[index]
                if line.isEmpty {
                    index += 1
                    break
                }
                if isHeaderLine(line) {
                    sawHeader = true
                    index += 1
                    continue
                }
                if sawHeader {
                    throw PGPError(
                        code: .malformedArmor,
                        message: "ASCII armor of '\(label)': the armor headers are not followed by an empty line")
                }
                break
            }
            var body: [UInt8] = []
            var checksum: [UInt8]?
            var ended = false
            while index < all.count {
                let line = all[index]
                index += 1
                if line.starts(with: Array("-----END ".utf8)) {
                    let endLabel = String(decoding: line.dropFirst(9).prefix { $0 != UInt8(ascii: "-") }, as: UTF8.self)
                    guard endLabel == label else {
                        throw PGPError(
                            code: .malformedArmor,
                            message: "ASCII armor: '-----BEGIN \(label)-----' ends with '-----END \(endLabel)-----'")
                    }
                    ended = true
                    break
                }
                if line.first == UInt8(ascii: "="), line.count == 5 {
                    checksum = Array(line.dropFirst())
                    continue
                }
                body.append(contentsOf: line)
            }
            guard ended else {
                throw PGPError(code: .malformedArmor, message: "ASCII armor: '-----END \(label)-----' line missing")
            }
            guard let data = Base64.decode(utf8: body, strict: true) else {
                throw PGPError(code: .malformedArmor, message: "ASCII armor of '\(label)': invalid base64")
            }
            if let checksum {
                guard let crcBytes = Base64.decode(utf8: checksum, strict: true),
                    crcBytes.count == 3
                else {
                    throw PGPError(code: .malformedArmor, message: "ASCII armor of '\(label)': invalid checksum line")
                }
                let expected = UInt32(crcBytes[0]) << 16 | UInt32(crcBytes[1]) << 8 | UInt32(crcBytes[2])
                guard crc24(data) == expected else {
                    throw PGPError(
                        code: .malformedArmor,
                        message:
                            "ASCII armor of '\(label)': CRC-24 checksum mismatch (the text was altered or truncated)")
                }
            }
            blocks.append(ArmorBlock(label: label, data: data))
        }
        guard !blocks.isEmpty else {
            throw PGPError(
                code: .malformedArmor,
                message: "neither binary OpenPGP data nor ASCII armor ('-----BEGIN PGP …-----' line not found)")
        }
        return blocks
    }

    /// The binary content: `bytes` themselves when binary, else the concatenation of the decoded armor blocks.
    static func dearmorIfNeeded(_ bytes: [UInt8]) throws(PGPError) -> [UInt8] {
        if isBinary(bytes) { return bytes }
        return try decode(bytes).flatMap(\.data)
    }

    /// Encodes `data` as an armored block with a CRC-24 line, 64 columns, LF line endings.
    static func encode(_ data: [UInt8], label: String) -> String {
        var text = "-----BEGIN \(label)-----\n\n"
        let encoded = Base64.encode(data)
        var start = encoded.startIndex
        while start < encoded.endIndex {
            let end = encoded.index(start, offsetBy: 64, limitedBy: encoded.endIndex) ?? encoded.endIndex
            text += encoded[start..<end] + "\n"
            start = end
        }
        let crc = crc24(data)
        text += "=" + Base64.encode([UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)]) + "\n"
        text += "-----END \(label)-----\n"
        return text
    }

    /// CRC-24 as RFC 4880 §6.1 defines it (init 0xB704CE, generator 0x1864CFB), a byte at a time.
    static func crc24(_ data: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xB7_04CE
        for byte in data {
            crc = (crc << 8 ^ crc24Table[Int((crc >> 16 ^ UInt32(byte)) & 0xFF)]) & 0xFF_FFFF
        }
        return crc
    }

    /// The CRC-24 of each byte value shifted into the top of the register: RFC 4880's bitwise loop, tabulated.
    private static let crc24Table: [UInt32] = (0..<256).map { (value: UInt32) in
        var crc = value << 16
        for _ in 0..<8 {
            crc <<= 1
            if crc & 0x100_0000 != 0 { crc ^= 0x186_4CFB }
        }
        return crc & 0xFF_FFFF
    }

    // MARK: Lines

    /// Splits into lines (LF or CRLF), trailing spaces and tabs removed.
    private static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            var line = line
            while let last = line.last,
                last == UInt8(ascii: "\r") || last == UInt8(ascii: " ") || last == UInt8(ascii: "\t")
            {
                line.removeLast()
            }
            return line
        }
    }

    private static func beginLabel(_ line: ArraySlice<UInt8>) -> String? {
        let prefix = Array("-----BEGIN ".utf8)
        let suffix = Array("-----".utf8)
        guard line.starts(with: prefix), line.count > prefix.count + suffix.count,
            line.suffix(suffix.count).elementsEqual(suffix)
        else { return nil }
        return String(decoding: line.dropFirst(prefix.count).dropLast(suffix.count), as: UTF8.self)
    }

    private static func isHeaderLine(_ line: ArraySlice<UInt8>) -> Bool {
        // "Key: value" where Key is printable ASCII without spaces.
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex else { return false }
        let key = line[line.startIndex..<colon]
        guard key.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return false }
        let next = line.index(after: colon)
        return next == line.endIndex || line[next] == UInt8(ascii: " ")
    }
}
