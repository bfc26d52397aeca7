// SPDX-License-Identifier: Apache-2.0

/// Why ``Inflate`` stopped: malformed DEFLATE or zlib data, truncated input, or an output limit reached.
struct InflateError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure.
    struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Backing: String, Hashable, Sendable {
            case truncated, invalidBlockType, storedLengthMismatch, tooManyCodes, invalidCodeLengths
            case invalidRepeat, missingEndOfBlock, invalidSymbol, distanceTooFar, outputLimit
            case invalidHeader, checksumMismatch
        }
        fileprivate let backing: Backing
        fileprivate init(_ backing: Backing) { self.backing = backing }

        /// The input ended before the final block (or the zlib trailer) did.
        static let truncated = Code(.truncated)
        /// A block header names block type 3, which RFC 1951 reserves.
        static let invalidBlockType = Code(.invalidBlockType)
        /// A stored block's LEN is not the one's complement of its NLEN.
        static let storedLengthMismatch = Code(.storedLengthMismatch)
        /// A dynamic block declares more than 286 literal/length or 30 distance codes.
        static let tooManyCodes = Code(.tooManyCodes)
        /// Code lengths that do not form a prefix code (over-subscribed, or incomplete where zlib refuses that).
        static let invalidCodeLengths = Code(.invalidCodeLengths)
        /// A code-length repeat with nothing to repeat, or one that runs past the declared code count.
        static let invalidRepeat = Code(.invalidRepeat)
        /// The literal/length code has no end-of-block symbol (256).
        static let missingEndOfBlock = Code(.missingEndOfBlock)
        /// A literal/length symbol above 285 or a distance symbol above 29, or a code the table does not define.
        static let invalidSymbol = Code(.invalidSymbol)
        /// A back reference reaches before the start of the output.
        static let distanceTooFar = Code(.distanceTooFar)
        /// The output would exceed the caller's limit: decoding stopped there.
        static let outputLimit = Code(.outputLimit)
        /// The zlib header is invalid: wrong method, window, check bits, or a preset dictionary.
        static let invalidHeader = Code(.invalidHeader)
        /// The zlib Adler-32 trailer does not match the decompressed data.
        static let checksumMismatch = Code(.checksumMismatch)

        var description: String { backing.rawValue }
    }

    let code: Code
    let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    var description: String { message }

    static func == (lhs: InflateError, rhs: InflateError) -> Bool { lhs.code == rhs.code }
    func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
