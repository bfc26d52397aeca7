// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import BinAuthzModel

/// `binauthz policy …`
struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Validate and evaluate Binary Authorization policies offline.",
        subcommands: [ValidatePolicy.self, EvaluatePolicy.self]
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

    @Option(name: .customLong("policy-file"), help: "The policy: .yaml, .yml or .json, or - for standard input.")
    var policyFile: String

    func run() throws {
        let policy = try ResourceInput.readPolicy(from: policyFile)
        let issues = policy.validate()
        guard !issues.isEmpty else {
            try Output.standardOutput("\(Output.displayName(policyFile)): valid\n")
            return
        }
        try Output.standardOutput(issues.map { "\($0)\n" }.joined())
        throw CLIError.negativeVerdict
    }
}
