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

    /// Reads a policy the way `gcloud container binauthz policy import` does (see `PolicyImport`): the extension
    /// must be `.yaml`, `.yml` or `.json`, case-sensitively (standard input is sniffed), and gcloud's warnings are
    /// printed on standard error, one `warning:` line each.
    static func readPolicy(from path: String, project: String? = nil) throws(CLIError) -> Policy {
        try importPolicy(from: path, project: project).policy
    }

    /// As ``readPolicy(from:project:)``, with everything gcloud makes of the file.
    static func importPolicy(from path: String, project: String? = nil) throws(CLIError) -> PolicyImport {
        if path != "-" {
            do {
                _ = try ResourceFormat(policyFileName: path)
            } catch {
                throw CLIError.inFile(path, error.message)
            }
        }
        let bytes = try Output.readBytes(path)
        let imported: PolicyImport
        do {
            imported = try Policy.gcloudImport(contents: bytes, fileName: path == "-" ? nil : path, project: project)
        } catch {
            if PolicyKind.sniff(bytes) == .platform {
                throw CLIError.inFile(
                    path,
                    "this is a platform policy (projects/P/platforms/gke/policies/ID, with gkePolicy), not a project "
                        + "policy; use `binauthz platform-policy validate` or `binauthz platform-policy evaluate`")
            }
            throw CLIError.input(path, error)
        }
        for warning in imported.warnings {
            Output.standardError("warning: \(Output.displayName(path)): \(warning)")
        }
        return imported
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
