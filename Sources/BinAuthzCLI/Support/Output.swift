// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import BinAuthzModel
import Foundation
import Synchronization
import _BinAuthzSystem

/// Reading inputs (`-` is standard input) and writing outputs for the commands.
enum Output {
    /// Writes `text` to standard output exactly as given (no newline added).
    ///
    /// - Throws: ``CLIError`` (exit 1) when standard output cannot take it (closed, full, a broken pipe).
    static func standardOutput(_ text: String) throws(CLIError) {
        SignalCleanup.waitIfTerminating()
        try FileIO.writeStandardOutput(text.utf8)
    }

    /// Writes bytes to standard output exactly as given.
    static func standardOutput(bytes: [UInt8]) throws(CLIError) {
        SignalCleanup.waitIfTerminating()
        try FileIO.writeStandardOutput(bytes)
    }

    /// Writes one line (`binauthz: message`) to standard error; an empty message writes nothing. Line breaks become
    /// spaces and other control characters are shown as `\u{…}`, so a hostile name in a message can neither add
    /// lines nor drive the terminal.
    static func standardError(_ message: String) {
        guard !message.isEmpty else { return }
        // A multi-line message (gcloud's `Failed to parse value(s) in protobuf [Policy]:` and its indented paths)
        // is joined into one line: each line break and the indentation after it become one space.
        let line = message.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { index, part in
            index == 0 ? part : part.drop(while: { $0 == " " })
        }.joined(separator: " ")
        FileIO.writeStandardError(Array("binauthz: \(TextSafety.printable(line))\n".utf8))
    }

    /// How a path is named in messages: `<stdin>` for `-`.
    static func displayName(_ path: String) -> String { FileIO.display(path) }

    /// Whether standard input has been read; a second read would silently see nothing.
    private static let standardInputRead = Mutex(false)

    /// Reads a file, or standard input for `-` (once per command: `checkStandardInputOnce` refuses a second `-` in
    /// the arguments; this is the backstop). At most `limit` bytes are accepted.
    static func readBytes(_ path: String, limit: Int = InputLimits.default.maximumDocumentBytes) throws(CLIError)
        -> [UInt8]
    {
        if path == "-" {
            let alreadyRead = standardInputRead.withLock { read in
                defer { read = true }
                return read
            }
            guard !alreadyRead else {
                throw CLIError("standard input (-) was already read for another option; give the other inputs as files")
            }
        }
        return try FileIO.read(path, limit: limit)
    }

    /// Reads a text file (UTF-8), or standard input for `-`.
    static func readText(_ path: String, limit: Int = InputLimits.default.maximumDocumentBytes) throws(CLIError)
        -> String
    {
        let bytes = try readBytes(path, limit: limit)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CLIError.inFile(path, "not UTF-8 text" + binaryHint(bytes))
        }
        return text
    }

    /// What a binary file that should have been text probably is.
    private static func binaryHint(_ bytes: [UInt8]) -> String {
        guard let first = bytes.first else { return "" }
        if first == 0x30 {
            return " (it looks like DER; this option takes PEM — convert it with "
                + "`openssl pkey -inform DER -in FILE -out FILE.pem`, adding -pubin for a public key)"
        }
        if first & 0x80 != 0 {
            return " (it looks like binary OpenPGP data; export it armored with `gpg --armor --export`)"
        }
        return ""
    }

    /// Writes `bytes` to `path` (standard output for `-` or `nil`) as a public output: see
    /// ``FileIO/writePublic(_:to:mode:)``.
    static func write(_ bytes: [UInt8], to path: String?) throws(CLIError) {
        SignalCleanup.waitIfTerminating()  // nothing is written once an interrupted command is cleaning up
        guard let path, path != "-" else {
            try FileIO.writeStandardOutput(bytes)
            return
        }
        try FileIO.writePublic(bytes, to: path)
    }
}

/// Refuses `-` (standard input) for more than one of a command's inputs: the second would read nothing.
func checkStandardInputOnce(_ paths: [String?]) throws {
    if paths.compactMap({ $0 }).filter({ $0 == "-" }).count > 1 {
        throw ValidationError("Standard input (-) can be read only once; give the other inputs as files.")
    }
}
