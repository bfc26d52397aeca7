// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

@testable import BinAuthzModel

/// One case of `Tests/Fixtures/gcloud-parity/policies`: the file gcloud 528's `policy import` was given and what it
/// did with it (see that folder's README).
struct PolicyImportCase: CustomTestStringConvertible, Sendable {
    let file: String
    let fileName: String
    let project: String
    let expected: [String: any Sendable]

    var testDescription: String { fileName }

    var ok: Bool { expected["ok"] as? Bool ?? false }
    var crash: Bool { expected["crash"] as? Bool ?? false }
    var errorMessage: String? { expected["errorMessage"] as? String }
    var bodyText: String? { expected["bodyText"] as? String }
    /// The texts of the warnings gcloud printed, as ``PolicyImport/warnings`` words them (without the position).
    var warningProblems: [String] {
        (expected["warnings"] as? [[String: any Sendable]] ?? []).map { warning in
            if warning["source"] as? String == "gcloud" { return warning["message"] as? String ?? "" }
            let category = warning["category"] as? String ?? ""
            if category == "MantissaNoDotYAML1_1Warning" {
                return "MantissaNoDotYAML1_1Warning: In YAML 1.1 floating point values should have a dot ('.') in "
                    + "their mantissa."
            }
            return "\(category): \(warning["problem"] as? String ?? "")"
        }
    }
    var warningLines: [Int?] {
        (expected["warnings"] as? [[String: any Sendable]] ?? []).map { $0["problemLine"] as? Int }
    }

    static let directory = Fixtures.url("gcloud-parity/policies")

    static let all: [PolicyImportCase] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".expected.json") }.sorted().compactMap { name in
            guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            else { return nil }
            let input = String(name.dropLast(".expected.json".count))
            return PolicyImportCase(
                file: input, fileName: object["fileName"] as? String ?? input, project: object["project"] as? String ?? "p",
                expected: object.mapValues { sendable($0) })
        }
    }()

    /// Cases whose outcome depends on an answer typed at gcloud's prompt (binauthz never prompts: it imports an empty
    /// policy, as gcloud's default answer does).
    var needsPromptAnswer: Bool { expected["answer"] != nil }

    var bytes: [UInt8] {
        get throws { try Fixtures.data("gcloud-parity/policies/\(file)") }
    }
}

/// JSON values from `JSONSerialization` as `Sendable` values (`[String: Any]` is not).
func sendable(_ value: Any) -> any Sendable {
    switch value {
    case let dictionary as [String: Any]: return dictionary.mapValues { sendable($0) }
    case let array as [Any]: return array.map { sendable($0) }
    case let string as String: return string
    case let number as NSNumber:
        if String(cString: number.objCType) == "c" { return number.boolValue }
        return number.intValue
    default: return String(describing: value)
    }
}

@Suite("policy import as gcloud 528 does it: the committed corpus")
struct GcloudPolicyImportCorpusTests {
    @Test("the corpus has every kind of case", .tags(.gcloudParity))
    func corpusSize() {
        #expect(PolicyImportCase.all.count >= 500)
        #expect(PolicyImportCase.all.filter(\.ok).count >= 250)
    }

    @Test("binauthz reads each policy file as gcloud's policy import does", arguments: PolicyImportCase.all)
    func importCase(_ item: PolicyImportCase) throws {
        let bytes = try item.bytes
        let result = Result { () throws(ModelError) -> PolicyImport in
            try Policy.gcloudImport(contents: bytes, fileName: item.fileName, project: item.project)
        }
        if item.ok {
            let imported = try result.get()
            #expect(imported.requestBody == item.bodyText)
            #expect(imported.warnings.map(Self.withoutPosition) == item.warningProblems)
            return
        }
        if item.needsPromptAnswer || item.errorMessage?.hasPrefix("The ") == true {
            return  // a declined prompt; a --project gcloud refuses (checked by the CLI tests)
        }
        switch result {
        case .success(let imported):
            Issue.record("gcloud fails (\(item.errorMessage ?? "")) but binauthz imported \(imported.requestBody)")
        case .failure(let error):
            let message = item.errorMessage ?? ""
            if item.crash {
                #expect(error.code != .typeMismatch && error.code != .unknownField, "\(error)")
            } else if message.hasPrefix("Failed to parse value") || message.hasPrefix("argument POLICY_FILE") {
                let expected = message.replacingOccurrences(of: "argument POLICY_FILE: ", with: "")
                #expect(error.message == expected)
            } else if message.hasPrefix("Error in resource file") {
                #expect(error.code == .syntax || error.code == .invalidValue || error.code == .typeMismatch, "\(error)")
            }
        }
    }

    static func withoutPosition(_ warning: String) -> String {
        guard let range = warning.range(of: " (line ", options: .backwards) else { return warning }
        return String(warning[..<range.lowerBound])
    }
}

extension Tag {
    @Tag static var gcloudParity: Self
}
