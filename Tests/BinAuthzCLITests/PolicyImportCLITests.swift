// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

extension CommandLineTests {
    /// `binauthz policy import` and `policy export` against what gcloud 528 did with the same files (the committed
    /// `gcloud-parity/policies` corpus), and against gcloud itself on freshly generated policies where it is installed.
    @Suite("binauthz policy import / export")
    struct PolicyImportCLITests {
        /// The file names binauthz reads differently on purpose: `-` is standard input for every binauthz command.
        static let cases = PolicyImportCase.all.filter { $0.fileName != "-" && !$0.needsPromptAnswer }

        /// Writes the case's file under the name gcloud was given, in a fresh directory.
        static func place(_ item: PolicyImportCase, in dir: TemporaryDirectory) throws -> String {
            let path = dir.file(item.fileName)
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(try item.bytes).write(to: URL(fileURLWithPath: path))
            return path
        }

        @Test("policy import prints gcloud's request body, or fails where gcloud fails", arguments: cases)
        func importCase(_ item: PolicyImportCase) throws {
            let dir = try TemporaryDirectory()
            let path = try Self.place(item, in: dir)
            let result = try Subprocess.binauthz(
                ["policy", "import", "--policy-file", item.fileName, "--project", item.project],
                currentDirectory: dir.path)
            guard item.ok else {
                #expect(result.status == 1, "\(item.fileName): \(result)")
                #expect(result.stdout.isEmpty)
                let message = item.errorMessage ?? ""
                if !item.crash,
                    message.hasPrefix("Failed to parse") || message.hasPrefix("argument POLICY_FILE")
                        || message.hasPrefix("The ")
                {
                    // gcloud's text, on one line: a line break and the indentation after it become one space.
                    let oneLine = message.replacingOccurrences(of: "argument POLICY_FILE: ", with: "")
                        .split(separator: "\n").map { $0.drop(while: { $0 == " " }) }.joined(separator: " ")
                    let firstLine = oneLine.components(separatedBy: " To set your project").first ?? oneLine
                    #expect(result.stderrText.contains(firstLine), "\(result)")
                }
                _ = path
                return
            }
            #expect(result.status == 0, "\(item.fileName): \(result)")
            #expect(result.stdoutText == (item.bodyText ?? "") + "\n")
            let warnings = result.stderrText.split(separator: "\n").map(String.init)
            #expect(warnings.count == item.warningProblems.count, "\(result)")
            for (line, problem) in zip(warnings, item.warningProblems) {
                #expect(line.hasPrefix("binauthz: warning: \(item.fileName): \(problem)"), "\(line)")
            }
        }

        @Test("policy import --format yaml and policy export print what gcloud prints")
        func yamlOutput() throws {
            let dir = try TemporaryDirectory()
            for item in Self.cases.filter(\.ok).prefix(60) {
                let path = try Self.place(item, in: dir)
                let imported = try Subprocess.binauthz(
                    ["policy", "import", "--policy-file", path, "--project", item.project, "--format", "yaml"])
                #expect(imported.stdoutText == item.printedYAML, "\(item.fileName)")
                let stored = try dir.write("stored.json", item.bodyText ?? "")
                let exported = try Subprocess.binauthz(["policy", "export", "--policy-file", stored])
                #expect(exported.status == 0)
                #expect(exported.stdoutText == item.exportYAML, "\(item.fileName)")
            }
            for (json, yaml) in PolicyExportCorpus.cases {
                let stored = try dir.write("stored.json", json)
                let exported = try Subprocess.binauthz(["policy", "export", "--policy-file", stored])
                #expect(exported.stdoutText == yaml, "\(json)")
            }
        }

        @Test("Without --project the project of the file's own name is used; gcloud's project checks apply")
        func project() throws {
            let dir = try TemporaryDirectory()
            let named = try dir.write("p.yaml", "name: projects/mine/policy\ndescription: d\n")
            var result = try Subprocess.binauthz(["policy", "import", "--policy-file", named])
            #expect(result.stdoutText == #"{"description": "d", "name": "projects/mine/policy"}"# + "\n", "\(result)")
            result = try Subprocess.binauthz(["policy", "import", "--policy-file", named, "--project", "other"])
            #expect(result.stdoutText == #"{"description": "d", "name": "projects/other/policy"}"# + "\n")
            let unnamed = try dir.write("q.yaml", "description: d\n")
            result = try Subprocess.binauthz(["policy", "import", "--policy-file", unnamed])
            #expect(result.status == 1)
            #expect(result.stderrText.contains("The required property [project] is not currently set."))
            result = try Subprocess.binauthz(["policy", "import", "--policy-file", unnamed, "--project", "123"])
            #expect(result.status == 1)
            #expect(result.stderrText.contains("was set to Project number."))
            result = try Subprocess.binauthz([
                "policy", "import", "--policy-file", unnamed, "--project", "example.com:my-proj",
            ])
            #expect(result.stdoutText.contains("projects/example.com:my-proj/policy"), "\(result)")
        }

        @Test(
            "Random policies: binauthz policy import agrees with gcloud's own policy import",
            .enabled(if: GcloudTool.unavailableReason == nil, "gcloud is not installed; the live comparison is skipped")
        )
        func liveOracle() throws {
            var generator = PolicyGenerator(seed: UInt64(Date().timeIntervalSince1970) & 0xFFFF)
            let files = (0..<60).map { _ in generator.next() }
            let requests = files.map { file in
                ["op": "policy-import", "fileName": file.name, "bytes": Data(file.bytes).base64EncodedString()]
            }
            let answers = try GcloudTool.batch(requests)
            #expect(answers.count == files.count)
            let dir = try TemporaryDirectory()
            for (file, answer) in zip(files, answers) {
                let path = try dir.write(file.name, file.bytes)
                let result = try Subprocess.binauthz(["policy", "import", "--policy-file", path, "--project", "p"])
                let text = String(decoding: file.bytes, as: UTF8.self)
                if answer["ok"] as? Bool == true {
                    #expect(
                        result.stdoutText == (answer["bodyText"] as? String ?? "") + "\n",
                        "seed \(generator.seed): \(text)")
                } else {
                    #expect(
                        result.status == 1, "seed \(generator.seed): \(text)\ngcloud: \(answer["errorMessage"] ?? "")")
                    if let message = answer["errorMessage"] as? String, message.hasPrefix("Failed to parse") {
                        let oneLine = message.split(separator: "\n").map { $0.drop(while: { $0 == " " }) }.joined(
                            separator: " ")
                        #expect(result.stderrText.contains(oneLine), "seed \(generator.seed): \(text)")
                    }
                }
            }
        }
    }
}

/// Random policy files mixing every kind of key, scalar, duplicate, enum form, merge key and name gcloud reads
/// specially; seeded, so a failure can be replayed.
struct PolicyGenerator {
    let seed: UInt64
    private var state: UInt64

    init(seed: UInt64) {
        self.seed = seed
        state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
    }

    private mutating func random(_ bound: Int) -> Int {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return Int(state % UInt64(bound))
    }

    private mutating func pick<T>(_ items: [T]) -> T { items[random(items.count)] }

    static let keys = [
        "a.b", "us-central1-a.prod", "no", "yes", "on", "off", "y", "n", "True", "~", "null", "0777", "0x1F", "1_000",
        "1:30", "1e3", ".5", ".inf", "-1", "08", "'no'", "\"yes\"", "ns:sa", "spiffe://x/ns/a/sa/b", "=", "1.0", "1",
    ]
    static let enums = [
        "ALWAYS_ALLOW", "ALWAYS_DENY", "REQUIRE_ATTESTATION", "1", "2", "3", "true", "yes", "on", "0x2", "03", "4",
        "-1",
        "'1'", "always_deny", "1.0", "~", "[]", "ENFORCED_BLOCK_AND_AUDIT_LOG", "DRYRUN_AUDIT_LOG_ONLY",
        "EVALUATION_MODE_UNSPECIFIED", "0", "false", "''", "{}",
    ]
    static let strings = [
        "plain", "'quoted'", "yes", "5", "1:30", "~", "[a]", "{a: b}", "projects/p/attestors/a", "\"x\"", "2024-01-01",
        "1e3", "!!str 7",
    ]

    private mutating func rule(indent: String) -> String {
        var lines: [String] = []
        let fields = ["evaluationMode", "enforcementMode", "requireAttestationsBy", "bogus"]
        for _ in 0..<(1 + random(3)) {
            let field = pick(fields)
            switch field {
            case "requireAttestationsBy":
                lines.append(
                    "\(indent)requireAttestationsBy: \(pick(["[projects/p/attestors/a]", "projects/p/attestors/a", "[]", "~", "[a, 5]"]))"
                )
            case "bogus":
                if random(4) == 0 { lines.append("\(indent)bogus: 1") }
            default:
                lines.append("\(indent)\(field): \(pick(Self.enums))")
            }
        }
        return lines.isEmpty ? "\(indent)evaluationMode: ALWAYS_DENY" : lines.joined(separator: "\n")
    }

    mutating func next() -> (name: String, bytes: [UInt8]) {
        if random(5) == 0 {
            // JSON: last of repeated keys wins, numbers and booleans for enums.
            let mode = pick(["\"ALWAYS_DENY\"", "3", "true", "2", "\"X\"", "1.5", "null"])
            let dup = random(2) == 0 ? ", \"description\": \"second\"" : ""
            let text = """
                {"description": "first"\(dup), "defaultAdmissionRule": {"evaluationMode": \(mode)},
                 "kubernetesNamespaceAdmissionRules": {"\(pick(["a", "b"]))": {"evaluationMode": \(mode)}}}
                """
            return ("p\(random(1000)).json", Array(text.utf8))
        }
        var lines: [String] = []
        if random(3) == 0 { lines.append("name: \(pick(["projects/x/policy", "whatever", "~", "''", "5"]))") }
        if random(3) == 0 { lines.append("description: \(pick(Self.strings))") }
        if random(4) == 0 { lines.append("description: \(pick(Self.strings))") }
        if random(3) == 0 {
            lines.append("globalPolicyEvaluationMode: \(pick(["ENABLE", "DISABLE", "1", "2", "yes", "enable"]))")
        }
        let anchored = random(3) == 0
        lines.append("defaultAdmissionRule:\(anchored ? " &r" : "")")
        lines.append(rule(indent: "  "))
        let map = pick([
            "clusterAdmissionRules", "kubernetesNamespaceAdmissionRules", "kubernetesServiceAccountAdmissionRules",
            "istioServiceIdentityAdmissionRules",
        ])
        lines.append("\(map):")
        for _ in 0..<(1 + random(3)) {
            lines.append("  \(pick(Self.keys)):")
            if anchored && random(2) == 0 {
                lines.append("    <<: *r")
                if random(2) == 0 { lines.append("    evaluationMode: \(pick(Self.enums))") }
            } else {
                lines.append(rule(indent: "    "))
            }
        }
        if random(6) == 0 {
            lines.append(
                "admissionWhitelistPatterns: \(pick(["[{namePattern: gcr.io/x/*}]", "{namePattern: a}", "[x]", "~"]))")
        }
        if random(8) == 0 { lines.append("\(pick(Self.keys)): 1") }
        return ("p\(random(1000)).\(pick(["yaml", "yml"]))", Array((lines.joined(separator: "\n") + "\n").utf8))
    }
}
