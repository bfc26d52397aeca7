// SPDX-License-Identifier: Apache-2.0

/// A bounded DEFLATE decoder (RFC 1951: stored, fixed-Huffman and dynamic-Huffman blocks) and the zlib wrapper
/// (RFC 1950: header check, Adler-32 trailer).
///
/// Decoding is iterative (no recursion), costs time proportional to the output produced so far, and never holds
/// more than `limit` output bytes: it throws ``InflateError/Code/outputLimit`` the moment one more byte would pass
/// the limit, so a decompression bomb costs at most the limit in memory.
///
/// What is accepted follows zlib's `inflate`, which is what GnuPG uses, so both agree on which streams are damaged:
/// over-subscribed codes are refused, an incomplete code is accepted only when it has a single code of length one
/// (or no code at all: then any use of it fails), and a code-length code must be complete.
enum Inflate {
    /// The result of decoding a raw DEFLATE stream.
    struct Output {
        /// The decompressed bytes.
        var bytes: [UInt8]
        /// How many input bytes the stream used, through the byte holding the end of its final block.
        var consumed: Int
    }

    /// Decodes a raw DEFLATE stream (OpenPGP compression algorithm 1, "ZIP").
    ///
    /// Bytes after the final block are not read.
    ///
    /// - Throws: ``InflateError`` for malformed or truncated data and when the output would exceed `limit`.
    static func inflate(_ input: ArraySlice<UInt8>, limit: Int) throws(InflateError) -> Output {
        var decoder = Decoder(input: input, limit: limit)
        try decoder.run()
        return Output(bytes: decoder.output, consumed: decoder.reader.consumedBytes)
    }

    /// Decodes a zlib stream (OpenPGP compression algorithm 2, "ZLIB"): the two-byte header, DEFLATE data, and the
    /// Adler-32 of the decompressed data.
    ///
    /// - Throws: ``InflateError`` as ``inflate(_:limit:)``, plus ``InflateError/Code/invalidHeader`` and
    ///   ``InflateError/Code/checksumMismatch``.
    static func unzlib(_ input: ArraySlice<UInt8>, limit: Int) throws(InflateError) -> Output {
        guard input.count >= 2 else { throw InflateError(.truncated, "zlib stream: header truncated") }
        let cmf = input[input.startIndex]
        let flg = input[input.startIndex + 1]
        guard cmf & 0x0F == 8 else {
            throw InflateError(.invalidHeader, "zlib stream: compression method \(cmf & 0x0F) is not deflate")
        }
        guard (UInt16(cmf) << 8 | UInt16(flg)) % 31 == 0 else {
            throw InflateError(.invalidHeader, "zlib stream: header check bits are wrong")
        }
        guard cmf >> 4 <= 7 else {
            throw InflateError(.invalidHeader, "zlib stream: window size \(cmf >> 4) is over 32 KiB")
        }
        guard flg & 0x20 == 0 else {
            throw InflateError(.invalidHeader, "zlib stream: a preset dictionary is required")
        }
        let body = input.dropFirst(2)
        var decoder = Decoder(input: body, limit: limit)
        try decoder.run()
        let trailerStart = body.startIndex + decoder.reader.consumedBytes
        guard input.endIndex - trailerStart >= 4 else {
            throw InflateError(.truncated, "zlib stream: Adler-32 trailer truncated")
        }
        let expected = input[trailerStart..<trailerStart + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard Adler32.checksum(decoder.output) == expected else {
            throw InflateError(.checksumMismatch, "zlib stream: Adler-32 checksum mismatch")
        }
        return Output(bytes: decoder.output, consumed: 2 + decoder.reader.consumedBytes + 4)
    }
}

// MARK: - Decoder

extension Inflate {
    private struct Decoder {
        var reader: BitReader
        var output: [UInt8] = []
        let limit: Int

        init(input: ArraySlice<UInt8>, limit: Int) {
            reader = BitReader(input)
            self.limit = max(0, limit)
            output.reserveCapacity(Swift.min(self.limit, input.count * 4 + 64))
        }

        mutating func run() throws(InflateError) {
            var final = false
            while !final {
                final = try reader.bits(1) == 1
                switch try reader.bits(2) {
                case 0: try stored()
                case 1: try codes(literals: Tables.fixedLiterals, distances: Tables.fixedDistances)
                case 2:
                    let (literals, distances) = try dynamicTables()
                    try codes(literals: literals, distances: distances)
                default: throw InflateError(.invalidBlockType, "deflate stream: invalid block type 3")
                }
            }
        }

        private mutating func ensureRoom(_ count: Int) throws(InflateError) {
            guard count <= limit - output.count else {
                throw InflateError(.outputLimit, "deflate stream: output exceeds the limit of \(limit) bytes")
            }
        }

        private mutating func stored() throws(InflateError) {
            reader.alignToByte()
            let length = try reader.byteAligned(2)
            let complement = try reader.byteAligned(2)
            guard length == ~complement & 0xFFFF else {
                throw InflateError(.storedLengthMismatch, "deflate stream: stored block length check failed")
            }
            let bytes = try reader.takeBytes(length)
            try ensureRoom(bytes.count)
            output.append(contentsOf: bytes)
        }

        private mutating func codes(literals: Huffman, distances: Huffman) throws(InflateError) {
            while true {
                let symbol = try literals.decode(&reader)
                if symbol < 256 {
                    try ensureRoom(1)
                    output.append(UInt8(symbol))
                } else if symbol == 256 {
                    return
                } else {
                    let index = symbol - 257
                    guard index < Tables.lengthBase.count else {
                        throw InflateError(.invalidSymbol, "deflate stream: invalid literal/length code \(symbol)")
                    }
                    let length = Tables.lengthBase[index] + (try reader.bits(Tables.lengthExtra[index]))
                    let distanceSymbol = try distances.decode(&reader)
                    guard distanceSymbol < Tables.distanceBase.count else {
                        throw InflateError(.invalidSymbol, "deflate stream: invalid distance code \(distanceSymbol)")
                    }
                    let distance =
                        Tables.distanceBase[distanceSymbol] + (try reader.bits(Tables.distanceExtra[distanceSymbol]))
                    guard distance <= output.count else {
                        throw InflateError(.distanceTooFar, "deflate stream: distance \(distance) too far back")
                    }
                    try ensureRoom(length)
                    var from = output.count - distance
                    for _ in 0..<length {
                        output.append(output[from])
                        from += 1
                    }
                }
            }
        }

        private mutating func dynamicTables() throws(InflateError) -> (Huffman, Huffman) {
            let literalCount = try reader.bits(5) + 257
            let distanceCount = try reader.bits(5) + 1
            let codeLengthCount = try reader.bits(4) + 4
            guard literalCount <= 286, distanceCount <= 30 else {
                throw InflateError(.tooManyCodes, "deflate stream: too many length or distance symbols")
            }
            var codeLengthLengths = [UInt8](repeating: 0, count: 19)
            for index in 0..<codeLengthCount {
                codeLengthLengths[Tables.codeLengthOrder[index]] = UInt8(try reader.bits(3))
            }
            let codeLengthCode = try Huffman(lengths: codeLengthLengths[...], kind: .codeLengths)
            let total = literalCount + distanceCount
            var lengths = [UInt8](repeating: 0, count: total)
            var filled = 0
            while filled < total {
                let symbol = try codeLengthCode.decode(&reader)
                if symbol < 16 {
                    lengths[filled] = UInt8(symbol)
                    filled += 1
                    continue
                }
                let value: UInt8
                let repeats: Int
                switch symbol {
                case 16:
                    guard filled > 0 else {
                        throw InflateError(.invalidRepeat, "deflate stream: code-length repeat with nothing before")
                    }
                    value = lengths[filled - 1]
                    repeats = 3 + (try reader.bits(2))
                case 17:
                    value = 0
                    repeats = 3 + (try reader.bits(3))
                default:
                    value = 0
                    repeats = 11 + (try reader.bits(7))
                }
                guard repeats <= total - filled else {
                    throw InflateError(.invalidRepeat, "deflate stream: code-length repeat runs past the code count")
                }
                for _ in 0..<repeats {
                    lengths[filled] = value
                    filled += 1
                }
            }
            guard lengths[256] != 0 else {
                throw InflateError(.missingEndOfBlock, "deflate stream: the literal/length code has no end-of-block")
            }
            let literals = try Huffman(lengths: lengths[0..<literalCount], kind: .literals)
            let distances = try Huffman(lengths: lengths[literalCount...], kind: .distances)
            return (literals, distances)
        }
    }
}

// MARK: - Bits

extension Inflate {
    /// Reads bits least-significant first, as DEFLATE packs them, one input byte at a time.
    struct BitReader {
        private let bytes: ArraySlice<UInt8>
        private var next: Int
        private var buffer: UInt32 = 0
        private var count = 0

        init(_ bytes: ArraySlice<UInt8>) {
            self.bytes = bytes
            next = bytes.startIndex
        }

        /// Input bytes used so far (a partly used byte counts).
        var consumedBytes: Int { next - bytes.startIndex }

        /// The next `n` bits (0…16) as an integer, first bit lowest.
        mutating func bits(_ n: Int) throws(InflateError) -> Int {
            while count < n {
                guard next < bytes.endIndex else {
                    throw InflateError(.truncated, "deflate stream: input ends inside a block")
                }
                buffer |= UInt32(bytes[next]) << count
                next += 1
                count += 8
            }
            let value = Int(buffer & ((1 << n) - 1))
            buffer >>= n
            count -= n
            return value
        }

        /// Drops the bits left in the current byte. Whole bytes are never buffered, so the next read starts at a
        /// byte boundary of the input.
        mutating func alignToByte() {
            buffer = 0
            count = 0
        }

        /// A little-endian integer of `width` bytes at a byte boundary.
        mutating func byteAligned(_ width: Int) throws(InflateError) -> Int {
            let taken = try takeBytes(width)
            var value = 0
            for (shift, byte) in taken.enumerated() { value |= Int(byte) << (8 * shift) }
            return value
        }

        mutating func takeBytes(_ n: Int) throws(InflateError) -> ArraySlice<UInt8> {
            guard n <= bytes.endIndex - next else {
                throw InflateError(.truncated, "deflate stream: input ends inside a stored block")
            }
            defer { next += n }
            return bytes[next..<next + n]
        }
    }
}

// MARK: - Huffman codes

extension Inflate {
    /// A canonical Huffman code (RFC 1951 §3.2.2), decoded one bit at a time: at most 15 steps per symbol.
    struct Huffman {
        enum Kind { case codeLengths, literals, distances }

        /// `counts[n]`: how many symbols have code length `n` (1…15).
        private var counts = [Int](repeating: 0, count: 16)
        /// The symbols ordered by code length, then by symbol value.
        private var symbols: [Int] = []

        init(lengths: ArraySlice<UInt8>, kind: Kind) throws(InflateError) {
            for length in lengths { counts[Int(length)] += 1 }
            counts[0] = 0
            var left = 1
            var longest = 0
            for length in 1...15 {
                left <<= 1
                left -= counts[length]
                if counts[length] > 0 { longest = length }
                guard left >= 0 else {
                    throw InflateError(.invalidCodeLengths, "deflate stream: over-subscribed \(kind) code")
                }
            }
            // zlib: an incomplete code is refused, except a lone one-bit code (or none) for literals or distances.
            if left > 0 && longest > 0 && (kind == .codeLengths || longest != 1) {
                throw InflateError(.invalidCodeLengths, "deflate stream: incomplete \(kind) code")
            }
            if kind == .codeLengths && longest == 0 {
                throw InflateError(.invalidCodeLengths, "deflate stream: empty code-length code")
            }
            var offsets = [Int](repeating: 0, count: 16)
            for length in 1..<15 { offsets[length + 1] = offsets[length] + counts[length] }
            symbols = [Int](repeating: 0, count: offsets[15] + counts[15])
            for (symbol, length) in lengths.enumerated() where length != 0 {
                symbols[offsets[Int(length)]] = symbol
                offsets[Int(length)] += 1
            }
        }

        func decode(_ reader: inout BitReader) throws(InflateError) -> Int {
            var code = 0  // the bits read so far
            var first = 0  // the first code of the current length
            var index = 0  // where the current length's symbols start
            for length in 1...15 {
                code |= try reader.bits(1)
                let count = counts[length]
                if code - first < count { return symbols[index + code - first] }
                index += count
                first = (first + count) << 1
                code <<= 1
            }
            throw InflateError(.invalidSymbol, "deflate stream: invalid code")
        }
    }

    private enum Tables {
        static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
        static let lengthBase = [
            3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195,
            227, 258,
        ]
        static let lengthExtra = [
            0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
        ]
        static let distanceBase = [
            1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
            4097, 6145, 8193, 12289, 16385, 24577,
        ]
        static let distanceExtra = [
            0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
        ]

        /// The fixed literal/length code of block type 1 (RFC 1951 §3.2.6), with its two unused symbols 286 and 287.
        static let fixedLiterals: Huffman = {
            var lengths = [UInt8](repeating: 8, count: 288)
            for symbol in 144..<256 { lengths[symbol] = 9 }
            for symbol in 256..<280 { lengths[symbol] = 7 }
            return try! Huffman(lengths: lengths[...], kind: .literals)
        }()

        /// The fixed distance code: 30 used and 2 unused five-bit codes.
        static let fixedDistances: Huffman = try! Huffman(
            lengths: [UInt8](repeating: 5, count: 32)[...], kind: .distances)
    }
}

/// Adler-32 (RFC 1950 §8.2).
enum Adler32 {
    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        var start = 0
        // 5552 is the largest run for which `b` cannot overflow 32 bits before the reduction.
        while start < bytes.count {
            let end = Swift.min(start + 5552, bytes.count)
            for index in start..<end {
                a &+= UInt32(bytes[index])
                b &+= a
            }
            a %= 65521
            b %= 65521
            start = end
        }
        return b << 16 | a
    }
}
