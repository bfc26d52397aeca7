// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import Foundation
import Synchronization

/// Reading inputs (`-` is standard input) and writing outputs for the commands.
enum Output {
    /// Writes `text` to standard output exactly as given (no newline added).
    static func standardOutput(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Writes bytes to standard output exactly as given.
    static func standardOutput(bytes: [UInt8]) {
        FileHandle.standardOutput.write(Data(bytes))
    }

    /// Writes one line (`binauthz: message`) to standard error; an empty message writes nothing.
    static func standardError(_ message: String) {
        guard !message.isEmpty else { return }
        let line = message.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: " ")
        FileHandle.standardError.write(Data("binauthz: \(line)\n".utf8))
    }

    /// How a path is named in messages: `<stdin>` for `-`.
    static func displayName(_ path: String) -> String { path == "-" ? "<stdin>" : path }

    /// Whether standard input has been read; a second read would silently see nothing.
    private static let standardInputRead = Mutex(false)

    /// Reads a file, or standard input for `-` (once per command: `checkStandardInputOnce` refuses a second `-` in
    /// the arguments; this is the backstop).
    static func readBytes(_ path: String) throws(CLIError) -> [UInt8] {
        if path == "-" {
            let alreadyRead = standardInputRead.withLock { read in
                defer { read = true }
                return read
            }
            guard !alreadyRead else {
                throw CLIError("standard input (-) was already read for another option; give the other inputs as files")
            }
            return [UInt8](FileHandle.standardInput.readDataToEndOfFile())
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
                throw CLIError("\(path): cannot read \(isDirectory.boolValue ? "a directory" : "the file (permission denied?)")")
            }
            throw CLIError("\(path): no such file")
        }
        return [UInt8](data)
    }

    /// Reads a text file (UTF-8), or standard input for `-`.
    static func readText(_ path: String) throws(CLIError) -> String {
        let bytes = try readBytes(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw CLIError.inFile(path, "not UTF-8 text")
        }
        return text
    }

    /// Writes `bytes` to `path` (standard output for `-` or `nil`), with the given permissions for new files.
    static func write(_ bytes: [UInt8], to path: String?, permissions: Int = 0o644) throws(CLIError) {
        SignalCleanup.waitIfTerminating()  // nothing is written once an interrupted command is cleaning up
        guard let path, path != "-" else {
            standardOutput(bytes: bytes)
            return
        }
        let created = FileManager.default.createFile(
            atPath: path, contents: Data(bytes), attributes: [.posixPermissions: permissions])
        guard created else { throw CLIError("\(path): cannot write the file") }
        // createFile keeps an existing file's mode; make sure secrets end up private.
        try? FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: path)
    }
}

/// Refuses `-` (standard input) for more than one of a command's inputs: the second would read nothing.
func checkStandardInputOnce(_ paths: [String?]) throws {
    if paths.compactMap({ $0 }).filter({ $0 == "-" }).count > 1 {
        throw ValidationError("Standard input (-) can be read only once; give the other inputs as files.")
    }
}
