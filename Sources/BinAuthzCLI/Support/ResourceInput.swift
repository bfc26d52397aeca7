// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel

/// Reads resources from files given on the command line.
enum ResourceInput {
    /// Reads one resource. The format comes from the extension (`.json`, `.yaml`, `.yml`); `-` and other names
    /// are sniffed.
    static func read<R: BinAuthzResource>(_ type: R.Type, from path: String) throws(CLIError) -> R {
        let text = try Output.readText(path)
        do {
            return try R(text: text, format: ResourceFormat(fileName: path))
        } catch {
            throw CLIError.input(path, error)
        }
    }

    /// Reads a policy the way `gcloud container binauthz policy import` does: the extension must be `.yaml`,
    /// `.yml` or `.json` (standard input is sniffed).
    static func readPolicy(from path: String) throws(CLIError) -> Policy {
        if path != "-" {
            do {
                _ = try ResourceFormat(policyFileName: path)
            } catch {
                throw CLIError.inFile(path, error.message)
            }
        }
        return try read(Policy.self, from: path)
    }

    /// Reads every attestation occurrence in a file: one occurrence, a list, an `{"occurrences": […]}` list
    /// response, or several YAML documents.
    static func readOccurrences(from path: String) throws(CLIError) -> [AttestationOccurrence] {
        let text = try Output.readText(path)
        guard text.contains(where: { !$0.isWhitespace }) else {
            throw CLIError.inFile(path, "the attestation file is empty")
        }
        do {
            return try AttestationOccurrence.readAll(text: text, format: ResourceFormat(fileName: path))
        } catch {
            throw CLIError.input(path, error)
        }
    }
}
