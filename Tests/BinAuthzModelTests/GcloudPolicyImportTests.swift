// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

@testable import BinAuthzModel

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

@Suite("policy export as gcloud 528 prints it")
struct GcloudPolicyExportCorpusTests {
    @Test("Every imported body prints as gcloud's export prints it")
    func importedBodies() throws {
        var compared = 0
        for item in PolicyImportCase.all where item.ok {
            let imported = try Policy.gcloudImport(
                contents: try item.bytes, fileName: item.fileName, project: item.project)
            #expect(imported.gcloudYAML == item.exportYAML, "\(item.fileName)")
            #expect(imported.gcloudYAML == item.printedYAML, "\(item.fileName)")
            compared += 1
        }
        #expect(compared >= 250)
    }

    @Test("The printer-stressing stored policies print as gcloud's export prints them")
    func storedPolicies() throws {
        #expect(PolicyExportCorpus.cases.count >= 50)
        for (json, yaml) in PolicyExportCorpus.cases {
            let imported = try Policy.gcloudImport(contents: Array(json.utf8), fileName: "stored.json")
            #expect(imported.gcloudYAML == yaml, "\(json)")
        }
    }
}
