// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import BinAuthzModel

/// `binauthz policy …`
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Validate, evaluate, import and export Binary Authorization policies offline.",
        subcommands: [ValidatePolicy.self, EvaluatePolicy.self, ImportPolicy.self, ExportPolicy.self]
    )
}

/// `binauthz policy validate --policy-file F`
struct ValidatePolicy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a policy file the way `gcloud container binauthz policy import` would.",
        discussion: """
            Reads the policy (YAML or JSON, as gcloud accepts it), reports every problem as one line \
            `path: message` on standard output, and exits 0 when the policy is valid, 2 when it has problems, \
            1 when the file cannot be read or parsed.
            """
    )

    @Option(
        name: .customLong("policy-file"), help: "The policy: .yaml, .yml or .json, or - for standard input.",
        completion: .file())
    var policyFile: String

    func run() throws {
        try Self.report(ResourceInput.readPolicy(from: policyFile).validate(), file: policyFile)
    }

    /// `FILE: valid` (exit 0), or one `path: message` line per problem (exit 2): what both validate commands print.
    static func report(_ issues: [ValidationIssue], file: String) throws(CLIError) {
        guard !issues.isEmpty else {
            try Output.standardOutput("\(Output.displayName(file)): valid\n")
            return
        }
        try Output.standardOutput(issues.map { "\($0)\n" }.joined())
        throw CLIError.negativeVerdict
    }
}

/// `binauthz policy import --policy-file F [--project P] [--format json|yaml]`
struct ImportPolicy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Print the request `gcloud container binauthz policy import` would send for a policy file.",
        discussion: """
            Reads the file exactly as gcloud 528 reads it (the extension, case-sensitive, picks the parser; YAML 1.1 \
            keys become the JSON text gcloud sends; the first of repeated YAML keys and the last of repeated JSON \
            keys win; enum numbers and booleans count; the name becomes projects/P/policy) and prints the PUT body \
            byte for byte (--format json, the default) or the policy YAML gcloud prints after importing it \
            (--format yaml). gcloud's warnings go to standard error as `warning:` lines; where gcloud refuses the \
            file its error text is printed (on one line) and the exit status is 1. Without --project the project \
            of the file's own projects/P/policy name is used. An empty file is imported as gcloud imports it \
            when its prompt is answered with the default: a policy that has only its name.
            """
    )

    @Option(
        name: .customLong("policy-file"), help: "The policy: .yaml, .yml or .json, or - for standard input.",
        completion: .file())
    var policyFile: String

    @Option(name: .customLong("project"), help: "The project whose policy is replaced (gcloud's --project).")
    var project: String?

    @Option(name: .customLong("format"), help: "json (the request body, default) or yaml (what gcloud prints).")
    var format: OutputFormat = .json

    func run() throws {
        if let project { try GcloudProject.check(project) }
        var imported = try ResourceInput.importPolicy(from: policyFile, project: project)
        if project == nil {
            guard let name = imported.policy.name.flatMap(PolicyName.init) else {
                throw CLIError("The required property [project] is not currently set. (give --project)")
            }
            try GcloudProject.check(name.project)
            imported = imported.sent(to: name.project)
        }
        switch format {
        case .json: try Output.standardOutput(imported.requestBody + "\n")
        case .yaml: try Output.standardOutput(imported.gcloudYAML)
        }
    }
}

/// `binauthz policy export --policy-file F`
struct ExportPolicy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Print a stored policy as `gcloud container binauthz policy export` prints it.",
        discussion: """
            Reads a policy as the service stores it (the REST JSON of GET …/v1/projects/P/policy, or the YAML \
            `policy export` printed) and prints it as gcloud's export does: YAML, keys sorted, in gcloud's scalar \
            styles. Unknown fields and values are refused as `policy import` refuses them.
            """
    )

    @Option(
        name: .customLong("policy-file"), help: "The stored policy: .json, .yaml or .yml, or - for standard input.",
        completion: .file())
    var policyFile: String

    func run() throws {
        let imported = try ResourceInput.importPolicy(from: policyFile)
        try Output.standardOutput(imported.gcloudYAML)
    }
}

/// gcloud's checks of the project it is given (`core/properties.py` `ProjectValidator`, `calliope/base.py`
/// `RequireProjectID`), with its texts.
enum GcloudProject {
    static func check(_ project: String) throws(CLIError) {
        if project.isEmpty {
            throw CLIError("The project property is set to the empty string, which is invalid.")
        }
        guard isValid(project) else {
            let first = project.unicodeScalars.first!
            if ("A"..."Z").contains(first) || ("0"..."9").contains(first) || first == "-"
                || project.contains(where: { " !\"'".contains($0) })
            {
                throw CLIError(
                    "The project property must be set to a valid project ID, not the project name [\(project)]")
            }
            throw CLIError(
                "The project property must be set to a valid project ID, [\(project)] is not a valid project ID.")
        }
        if project.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) {
            throw CLIError(
                "The value of ``--project'' flag was set to Project number.To use this command, set it to PROJECT ID instead."
            )
        }
    }

    /// `_VALID_PROJECT_REGEX`: an optional `domain:` prefix, then `[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?`.
    private static func isValid(_ project: String) -> Bool {
        let bytes = Array(project.utf8)
        func isLowerDigit(_ b: UInt8) -> Bool { (0x61...0x7A).contains(b) || (0x30...0x39).contains(b) }
        func identifier(_ part: ArraySlice<UInt8>, letterFirst: Bool) -> Bool {
            guard let first = part.first, let last = part.last, part.count <= 63 else { return false }
            if letterFirst ? !(0x61...0x7A).contains(first) : !isLowerDigit(first) { return false }
            return isLowerDigit(last) && part.allSatisfy { isLowerDigit($0) || $0 == UInt8(ascii: "-") }
        }
        var id = bytes[...]
        if let colon = bytes.firstIndex(of: UInt8(ascii: ":")) {
            var labels = bytes[..<colon].split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
            let last = labels.removeLast()
            guard identifier(last, letterFirst: true) || (last.count == 1 && (0x61...0x7A).contains(last.first!)),
                labels.allSatisfy({
                    !$0.isEmpty && $0.count <= 63 && $0.allSatisfy { isLowerDigit($0) || $0 == UInt8(ascii: "-") }
                })
            else { return false }
            id = bytes[(colon + 1)...]
        }
        return identifier(id, letterFirst: false) || (id.count == 1 && isLowerDigit(id.first!))
    }
}
