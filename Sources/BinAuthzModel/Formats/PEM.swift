// SPDX-License-Identifier: Apache-2.0

/// PEM (RFC 7468) reading and writing, without any cryptography: the one splitter both attestor validation and
/// the PKIX key readers use, so a key file that passes one passes the other.
package enum PEM {
    /// One `-----BEGIN LABEL-----` … `-----END LABEL-----` block.
    package struct Block: Sendable {
        package var label: String
        package var der: [UInt8]
        /// 1-based line of the BEGIN line.
        package var line: Int
        /// Whether the block carries RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`, …).
        package var hasHeaders: Bool
    }

    /// The blocks of a document and the first line of text outside them that is not blank.
    package struct Document: Sendable {
        package var blocks: [Block]
        package var strayTextLine: Int?
    }

    /// Why a text is not PEM; the message names the block and line.
    package struct Failure: Error, Sendable {
        package var message: String
    }

    /// Splits a document into blocks. Lines may end in LF, CRLF or CR; surrounding spaces are ignored.
    ///
    /// - Throws: ``Failure`` for a BEGIN without its END, mismatched labels, or a body that is not standard base64.
    package static func parse(_ text: String) throws(Failure) -> Document {
        var blocks: [Block] = []
        var stray: Int?
        var current: (label: String, line: Int, body: String, headers: Bool)?
        var lineNumber = 0
        for rawLine in text.split(
            omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        {
            lineNumber += 1
            let line = rawLine.trimmingWhitespace()
            if var block = current {
                if line.hasPrefix("-----END "), line.hasSuffix("-----"), line.count >= 14 {
                    let label = String(line.dropFirst(9).dropLast(5))
                    guard label == block.label else {
                        throw Failure(
                            message:
                                "PEM block \"\(block.label)\" (line \(block.line)) ends with \"END \(label)\" (line \(lineNumber))"
                        )
                    }
                    guard let der = Base64.decode(block.body, strict: true), !der.isEmpty else {
                        throw Failure(
                            message: "the body of PEM block \"\(label)\" (line \(block.line)) is not valid base64")
                    }
                    blocks.append(Block(label: label, der: der, line: block.line, hasHeaders: block.headers))
                    current = nil
                } else if line.hasPrefix("-----") {
                    throw Failure(message: "PEM block \"\(block.label)\" (line \(block.line)) has no END line")
                } else if line.contains(":") {
                    block.headers = true
                    current = block
                } else {
                    block.body += line
                    current = block
                }
            } else if line.hasPrefix("-----BEGIN "), line.hasSuffix("-----"), line.count >= 16 {
                let label = String(line.dropFirst(11).dropLast(5))
                if label.hasPrefix("PGP ") {
                    // OpenPGP armor looks like PEM but is not (a CRC line, other labels): say what it is.
                    throw Failure(
                        message: "this is OpenPGP armor (-----BEGIN \(label)-----, line \(lineNumber)), not a PEM "
                            + "key; a PGP key goes in a PGP key option (--pgp-public-key-file), a PKIX key is "
                            + "-----BEGIN PUBLIC KEY-----")
                }
                current = (label, lineNumber, "", false)
            } else if !line.isEmpty, stray == nil {
                stray = lineNumber
            }
        }
        if let block = current {
            throw Failure(message: "PEM block \"\(block.label)\" (line \(block.line)) has no END line")
        }
        return Document(blocks: blocks, strayTextLine: stray)
    }

    /// Encodes DER as a PEM block with 64-character lines and a final newline.
    package static func encode(_ der: [UInt8], label: String) -> String {
        let base64 = Base64.encode(der)
        var text = "-----BEGIN \(label)-----\n"
        var index = base64.startIndex
        while index < base64.endIndex {
            let end = base64.index(index, offsetBy: 64, limitedBy: base64.endIndex) ?? base64.endIndex
            text += base64[index..<end] + "\n"
            index = end
        }
        text += "-----END \(label)-----\n"
        return text
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs and line-break characters.
    package func trimmingWhitespace() -> String {
        var scalars = Substring(self).unicodeScalars[...]
        func isSpace(_ s: Unicode.Scalar) -> Bool { s == " " || s == "\t" || s == "\r" || s == "\n" }
        while let first = scalars.first, isSpace(first) { scalars.removeFirst() }
        while let last = scalars.last, isSpace(last) { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
