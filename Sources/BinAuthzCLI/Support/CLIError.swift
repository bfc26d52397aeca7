// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel

/// A failure the CLI reports as one line on stderr with a specific exit status.
struct CLIError: Error, CustomStringConvertible {
    /// The line printed on stderr (without the `binauthz: ` prefix).
    var message: String
    /// The exit status: 1 for bad input or a broken environment, 2 for a negative verdict.
    var exitCode: Int32

    init(_ message: String, exitCode: Int32 = 1) {
        self.message = message
        self.exitCode = exitCode
    }

    var description: String { message }

    /// A verdict that is not an error: denied, not verifiable. Nothing extra is printed.
    static let negativeVerdict = CLIError("", exitCode: 2)

    /// An input error located in a file (`<stdin>` for `-`).
    static func input(_ file: String, _ error: ModelError) -> CLIError {
        inFile(file, error.description)
    }

    /// A problem with the content of a file (`<stdin>` for `-`): `FILE: message`.
    static func inFile(_ file: String, _ message: String) -> CLIError {
        CLIError("\(Output.displayName(file)): \(message)")
    }
}
