// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

@testable import BinAuthzModel

/// gcloud converts an imported policy with apitools' `DictToMessageWithErrorCheck`: unknown fields and values of
/// the wrong type are errors, with gcloud's own text. The same documents must fail here, with that text and a line;
/// a type mismatch also names the field (gcloud says `??`).
@Suite("Strict import: unknown fields, wrong types, malformed text")
struct StrictImportTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var yaml: String
        var code: ModelError.Code
        /// Our field path for a type mismatch; gcloud's `Policy.<path>` for an unknown name.
        var path: String
        var line: Int?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "unknown top-level field", yaml: "defaultAdmissionRule: {evaluationMode: ALWAYS_DENY}\nfoo: 2\n",
            code: .unknownField, path: "Policy.foo", line: 2),
        Case(
            name: "unknown field inside a cluster rule",
            yaml: """
                defaultAdmissionRule:
                  evaluationMode: ALWAYS_ALLOW
                clusterAdmissionRules:
                  us-east1-b.prod:
                    evaluationMode: ALWAYS_DENY
                    enforcmentMode: ENFORCED_BLOCK_AND_AUDIT_LOG
                """,
            code: .unknownField, path: "Policy.clusterAdmissionRules[us-east1-b.prod].enforcmentMode", line: 6),
        Case(
            name: "snake_case field names are not gcloud's",
            yaml: "default_admission_rule:\n  evaluationMode: ALWAYS_DENY\n", code: .unknownField,
            path: "Policy.default_admission_rule", line: 1),
        Case(
            name: "a number where a pattern string is required",
            yaml: "admissionWhitelistPatterns:\n- namePattern: 3\n", code: .typeMismatch,
            path: "admissionWhitelistPatterns[0].namePattern", line: 2),
        Case(
            name: "YAML 1.1 boolean where a string is required",
            yaml: "description: yes\n", code: .typeMismatch, path: "description", line: 1),
        Case(
            name: "YAML 1.1 short boolean y",
            yaml: "description: y\n", code: .typeMismatch, path: "description", line: 1),
        Case(
            name: "unquoted timestamp (json.dumps cannot write it: gcloud crashes)",
            yaml: "updateTime: 2024-05-21T12:13:44.314367Z\n", code: .gcloudFailure, path: "", line: 1),
        Case(
            name: "an enum number gcloud does not have", yaml: "defaultAdmissionRule:\n  evaluationMode: 7\n",
            code: .unknownField, path: "Policy.defaultAdmissionRule.evaluationMode", line: 2),
        Case(
            name: "a list where a map is required (gcloud crashes)", yaml: "clusterAdmissionRules:\n- a\n",
            code: .gcloudFailure, path: "", line: 2),
        Case(
            name: "a string where a list of patterns is required (gcloud wraps it, then crashes on it)",
            yaml: "admissionWhitelistPatterns: gcr.io/x/*\n", code: .gcloudFailure, path: "", line: 1),
        Case(
            name: "a scalar where the rule map is required (gcloud crashes)",
            yaml: "defaultAdmissionRule: ALWAYS_ALLOW\n", code: .gcloudFailure, path: "", line: 1),
        Case(
            name: "requireAttestationsBy entries must be strings",
            yaml: "defaultAdmissionRule:\n  requireAttestationsBy:\n  - {name: x}\n", code: .typeMismatch,
            path: "defaultAdmissionRule.requireAttestationsBy[0]", line: 3),
        Case(
            name: "an enum value 0 (gcloud crashes)", yaml: "defaultAdmissionRule: {evaluationMode: 0}\n",
            code: .gcloudFailure, path: "", line: 1),
        Case(
            name: "truncated flow mapping", yaml: "defaultAdmissionRule: {evaluationMode: ALWAYS_DENY\n",
            code: .syntax, path: "", line: 2),
        Case(
            name: "bad indentation",
            yaml: "defaultAdmissionRule:\n  evaluationMode: ALWAYS_DENY\n enforcementMode: X\n",
            code: .syntax, path: "", line: 3),
        Case(name: "a bare scalar document (gcloud crashes)", yaml: "hello\n", code: .gcloudFailure, path: "", line: 1),
        Case(name: "a list document (gcloud crashes)", yaml: "- a\n- b\n", code: .gcloudFailure, path: "", line: 1),
        Case(
            name: "an anchor on an unknown key", yaml: "base: &b {evaluationMode: ALWAYS_DENY}\n", code: .unknownField,
            path: "Policy.base", line: 1),
        Case(
            name: "tab indentation", yaml: "defaultAdmissionRule:\n\tevaluationMode: ALWAYS_DENY\n", code: .syntax,
            path: "", line: 2),
    ]

    @Test("Broken policy files fail with the right code, gcloud's text, path and line", arguments: cases)
    func brokenPolicies(_ c: Case) {
        do {
            _ = try Policy(yaml: c.yaml)
            Issue.record("expected \(c.code) at \(c.path)")
        } catch {
            #expect(error.code == c.code, "\(error)")
            switch c.code {
            case .unknownField:
                #expect(error.message == "Failed to parse value(s) in protobuf [Policy]:\n  \(c.path)", "\(error)")
            case .typeMismatch:
                #expect(error.path == c.path, "\(error)")
                #expect(
                    error.message.hasPrefix("Failed to parse value in protobuf [Policy]:\n  Policy.??: \"Expected type")
                )
            default:
                break
            }
            if let line = c.line { #expect(error.line == line, "\(error)") }
            #expect(!error.description.isEmpty)
        }
    }

    @Test("A bare YAML 1.1 scalar where a string is required: gcloud's text shows the Python value")
    func bareScalarMessages() {
        for (yaml, found) in [
            ("description: yes\n", "True (type <class 'bool'>)"), ("description: 5\n", "5 (type <class 'int'>)"),
            ("description: 1:30\n", "90 (type <class 'int'>)"), ("description: 1e3\n", "1000.0 (type <class 'float'>)"),
            ("description: [a, 'b', 1.5]\n", "['a', 'b', 1.5] (type <class 'list'>)"),
            ("description: {a: .inf}\n", "{'a': inf} (type <class 'dict'>)"),
        ] {
            #expect {
                try Policy(yaml: yaml)
            } throws: { error in
                (error as! ModelError).message
                    == "Failed to parse value in protobuf [Policy]:\n  Policy.??: \"Expected type <class 'str'> for field description, found \(found)\""
            }
        }
    }

    @Test("Enum numbers, booleans and repeated keys are read as gcloud reads them")
    func gcloudReadings() throws {
        #expect(
            try Policy(yaml: "defaultAdmissionRule:\n  evaluationMode: 3\n").defaultAdmissionRule?.evaluationMode
                == .alwaysDeny)
        #expect(
            try Policy(yaml: "defaultAdmissionRule: {evaluationMode: yes}\n").defaultAdmissionRule?.evaluationMode
                == .alwaysAllow)
        #expect(
            try Policy(json: #"{"defaultAdmissionRule": {"evaluationMode": 2}}"#).defaultAdmissionRule?.evaluationMode
                == .requireAttestation)
        #expect(try Policy(yaml: "description: a\ndescription: b\n").description == "a")
        #expect(try Policy(json: #"{"description": "a", "description": "b"}"#).description == "b")
        #expect(
            try Array(
                Policy(yaml: "kubernetesNamespaceAdmissionRules: {no: {evaluationMode: ALWAYS_DENY}}\n")
                    .kubernetesNamespaceAdmissionRules.keys) == ["false"])
        #expect(try Policy(yaml: "name: projects/other/policy\n").name == "projects/other/policy")
        let imported = try Policy.gcloudImport(
            contents: Array("name: x\ndescription: a\ndescription: b\n".utf8), fileName: "p.yaml", project: "q")
        #expect(imported.policy.name == "projects/q/policy")
        #expect(
            imported.warnings == [
                #"DuplicateKeyFutureWarning: found duplicate key "description" with value "b" (original value: "a") (line 3, column 1)"#
            ])
    }

    @Test("Policy files are read by extension, as gcloud's import does; anything else is refused with its message")
    func policyFileNames() throws {
        #expect(ResourceFormat(gcloudFileName: "policy.YAML") == nil)
        #expect(ResourceFormat(gcloudFileName: ".yaml") == nil)
        #expect(ResourceFormat(gcloudFileName: "p.yaml.") == nil)
        #expect(ResourceFormat(gcloudFileName: "dir.json/p.yaml") == .yaml)
        #expect(ResourceFormat(gcloudFileName: "p.yaml.json") == .json)
        #expect(try ResourceFormat(policyFileName: "p.yml") == .yaml)
        #expect(try ResourceFormat(policyFileName: "p.json") == .json)
        #expect {
            try ResourceFormat(policyFileName: "policy.txt")
        } throws: { error in
            (error as! ModelError).code == .unsupportedFileType
                && (error as! ModelError).message == "Policy file must be a .yaml or .json file."
        }
    }

    @Test("JSON errors carry paths and lines too")
    func jsonErrors() {
        let text = """
            {
              "defaultAdmissionRule": {
                "evaluationMode": "ALWAYS_DENY",
                "requireAttestationsBy": ["projects/p/attestors/a", 7]
              }
            }
            """
        #expect {
            try Policy(json: text)
        } throws: { error in
            let e = error as! ModelError
            return e.code == .typeMismatch && e.path == "defaultAdmissionRule.requireAttestationsBy[1]" && e.line == 4
                && e.message.hasSuffix("for field requireAttestationsBy, found 7 (type <class 'int'>)\"")
        }
        #expect(throws: ModelError.syntax) { try Policy(json: "{\"name\": \"x\",}") }
        #expect(throws: ModelError.syntax) { try Policy(json: "{\"name\": \"x\"") }
        #expect(throws: ModelError.syntax) { try Policy(json: "{\"name\": \"\\q\"}") }
        #expect(throws: ModelError.syntax) { try Policy(json: "{\"name\": \"\u{01}\"}") }
        #expect(throws: ModelError.syntax) { try Policy(json: "{\"name\": \"\\ud800\"}") }
        #expect(throws: ModelError.syntax) { try Policy(json: "\u{FEFF}{}") }
        #expect(throws: ModelError.gcloudFailure) { try Policy(json: "[1]") }
        #expect(throws: ModelError.unknownField) { try Policy(json: "{\"nmae\": \"a\"}") }
    }

    @Test("A single value for a repeated field is read as a one-element list, as gcloud's import does")
    func singleValueForRepeatedField() throws {
        let policy = try Policy(yaml: "defaultAdmissionRule:\n  requireAttestationsBy: projects/p/attestors/a\n")
        #expect(policy.defaultAdmissionRule?.requireAttestationsBy == ["projects/p/attestors/a"])
        let patterns = try Policy(yaml: "admissionWhitelistPatterns:\n  namePattern: gcr.io/p/*\n")
        #expect(patterns.admissionWhitelistPatterns == ["gcr.io/p/*"])
    }

    @Test("JSON escapes decode exactly")
    func jsonEscapes() throws {
        let policy = try Policy(json: #"{"description": "a\"b\\c\/d\n\u00e9\ud83d\ude00"}"#)
        #expect(policy.description == "a\"b\\c/d\né😀")
    }

    @Test("Hostile inputs fail cleanly instead of crashing")
    func hostileInputs() throws {
        try Self.onSmallStack { try Self.hostile() }
    }

    /// Runs `body` on a thread with a 512 KiB stack (the size of a secondary thread on some platforms), so a
    /// recursion that only fits in the 8 MiB main stack would crash the test.
    static func onSmallStack(_ body: @escaping @Sendable () throws -> Void) throws {
        nonisolated(unsafe) var failure: (any Error)?
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            do { try body() } catch { failure = error }
            done.signal()
        }
        thread.stackSize = 512 << 10
        thread.start()
        done.wait()
        if let failure { throw failure }
    }

    static func hostile() throws {
        // Deep flow nesting, both formats.
        let deepYAML = "description: " + String(repeating: "[", count: 100_000)
        #expect(throws: ModelError.tooLarge) { try Policy(yaml: deepYAML) }
        let deepJSON = "{\"description\": " + String(repeating: "[", count: 100_000)
        #expect(throws: ModelError.tooLarge) { try Policy(json: deepJSON) }
        // Deep block nesting.
        var block = ""
        for depth in 0..<500 { block += String(repeating: " ", count: depth) + "k\(depth):\n" }
        #expect(throws: ModelError.self) { try Policy(yaml: block) }
        // Block nesting libyaml allows (up to 1000 levels) but a recursive composer would not survive on a small
        // thread stack: refused before parsing.
        #expect(throws: ModelError.tooLarge) {
            try Policy(yaml: "description:\n" + String(repeating: "- ", count: 990) + "x\n")
        }
        var blockMaps = ""
        for depth in 0..<900 { blockMaps += String(repeating: " ", count: depth) + "k:\n" }
        #expect(throws: ModelError.tooLarge) { try Policy(yaml: blockMaps) }
        // "Billion laughs": aliases expanding exponentially.
        var laughs = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for i in 1..<12 {
            laughs += "a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        #expect(throws: ModelError.self) { try Policy(yaml: laughs) }
        // A 10 MB string is just a (long) string.
        let big = String(repeating: "x", count: 10 << 20)
        let policy = try Policy(yaml: "description: \(big)\n")
        #expect(policy.description?.utf8.count == 10 << 20)
        let viaJSON = try Policy(json: "{\"description\": \"\(big)\"}")
        #expect(viaJSON.description == policy.description)
        // Binary garbage and truncation at every byte of a real policy.
        let text = try Fixtures.text("model/complete-policy.yaml")
        for cut in stride(from: 0, to: text.utf8.count, by: 7) {
            _ = try? Policy(yaml: String(decoding: Array(text.utf8.prefix(cut)), as: UTF8.self))
            _ = try? Policy(
                json: String(decoding: Array(Policy(yaml: text).jsonString().utf8.prefix(cut)), as: UTF8.self))
        }
        _ = try? Policy(yaml: String(decoding: (0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 7919) }, as: UTF8.self))
    }
}
