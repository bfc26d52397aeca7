// SPDX-License-Identifier: Apache-2.0

@testable import BinAuthzModel
import BinAuthzPolicy
import BinAuthzTestSupport
import Foundation
import Testing

/// Identities are compared by their bytes: `é` (U+00E9) and `e` + U+0301 are canonically equivalent for Swift's
/// `String ==`, but two different images, keys and rule keys for registries, Kubernetes and gcloud.
@Suite("Identities compare by exact bytes")
struct ExactIdentityTests {
    static let composed = "gcr.io/p/caf\u{E9}:1"
    static let decomposed = "gcr.io/p/cafe\u{301}:1"

    @Test("Two spellings of an image are two images, each decided")
    func images() throws {
        #expect(Self.composed == Self.decomposed)  // what String == says
        let policy = try Policy(
            yaml: """
                admissionWhitelistPatterns:
                - namePattern: \(Self.composed)
                defaultAdmissionRule:
                  evaluationMode: ALWAYS_DENY
                  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
                """)
        let decision = try PolicyEvaluator(policy: policy).evaluate(
            AdmissionRequest(images: [Self.composed, Self.decomposed]), at: Date(timeIntervalSince1970: 0))
        #expect(decision.images.count == 2)
        #expect(decision.images.map(\.isAllowed) == [true, false])
        #expect(!decision.isAllowed)
    }

    @Test("Keys that differ only in normalization are two keys to every reader")
    func parserKeys() throws {
        let json = "{\"caf\u{E9}\": 1, \"cafe\u{301}\": 2}"
        for dialect in [TreeDialect.strict, .gcloud, .kubectl] {
            let tree = try JSONTreeParser.parse(json.utf8, dialect: dialect)
            guard case .map(let entries) = tree.value else {
                Issue.record("not a map")
                return
            }
            #expect(entries.count == 2, "\(dialect)")
            let yaml = try YAMLTreeLoader.parse("caf\u{E9}: 1\ncafe\u{301}: 2\n", dialect: dialect)
            guard case .map(let yamlEntries) = yaml.value else {
                Issue.record("not a map")
                return
            }
            #expect(yamlEntries.count == 2, "\(dialect)")
        }
    }
}

extension ExactIdentityTests {
    @Test("An allowlist pattern matches only its own bytes, with and without wildcards")
    func allowlist() throws {
        let policy = try Policy(
            yaml: """
                admissionWhitelistPatterns:
                - namePattern: gcr.io/p/caf\u{E9}/*
                defaultAdmissionRule: {evaluationMode: ALWAYS_DENY, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}
                """)
        let evaluator = try PolicyEvaluator(policy: policy)
        let at = Date(timeIntervalSince1970: 0)
        #expect(evaluator.evaluate(AdmissionRequest(images: ["gcr.io/p/caf\u{E9}/x:1"]), at: at).isAllowed)
        #expect(!evaluator.evaluate(AdmissionRequest(images: ["gcr.io/p/cafe\u{301}/x:1"]), at: at).isAllowed)
    }
}
