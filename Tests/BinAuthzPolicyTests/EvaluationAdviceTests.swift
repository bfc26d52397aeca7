// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import BinAuthzPolicy
import Testing

@Suite("EvaluationAdvice: notes that never change a decision")
struct EvaluationAdviceTests {
    static func policy(_ yaml: String) throws -> Policy { try Policy(yaml: yaml) }

    @Test("Nearest cluster keys by edit distance, ties in key order; nothing to say for a matching key")
    func nearest() throws {
        let policy = try Self.policy(
            """
            defaultAdmissionRule: {evaluationMode: ALWAYS_ALLOW, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}
            clusterAdmissionRules:
              us-east1-b.prod: {evaluationMode: ALWAYS_DENY, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}
              us-east1-c.prod: {evaluationMode: ALWAYS_DENY, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}
              europe-west4.staging: {evaluationMode: ALWAYS_DENY, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}
              us-east1-b.prod2: {evaluationMode: ALWAYS_DENY, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}
            """)
        #expect(EvaluationAdvice.clusterNote(policy: policy, cluster: "us-east1-b.prod") == nil)
        let note = try #require(EvaluationAdvice.clusterNote(policy: policy, cluster: "us-east1-d.prod"))
        #expect(note.hasSuffix("nearest keys: us-east1-b.prod, us-east1-c.prod, us-east1-b.prod2"), "\(note)")
        #expect(EvaluationAdvice.clusterNote(policy: policy, cluster: nil)?.contains("no --cluster was given") == true)
        #expect(
            EvaluationAdvice.clusterNote(
                policy: try Self.policy("defaultAdmissionRule: {evaluationMode: ALWAYS_ALLOW}"), cluster: nil) == nil)
        #expect(EvaluationAdvice.nearestKeys(to: "abc", among: ["abd", "xyz", "abc1"], count: 2) == ["abd", "abc1"])
    }

    @Test("Unused attestors: only REQUIRE_ATTESTATION rules use their attestors")
    func unused() throws {
        let policy = try Self.policy(
            """
            defaultAdmissionRule:
              evaluationMode: ALWAYS_ALLOW
              enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
              requireAttestationsBy: [projects/p/attestors/listed-but-allow]
            kubernetesNamespaceAdmissionRules:
              prod:
                evaluationMode: REQUIRE_ATTESTATION
                enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
                requireAttestationsBy: [projects/p/attestors/a]
            """)
        #expect(
            EvaluationAdvice.unusedAttestors(
                policy: policy,
                attestors: [
                    "projects/p/attestors/a", "projects/p/attestors/listed-but-allow", "projects/p/attestors/z",
                ])
                == ["projects/p/attestors/listed-but-allow", "projects/p/attestors/z"])
    }

    @Test("Namespace and service account names: the usual mistakes are named")
    func names() {
        #expect(SyntaxRules.problemWithNamespace("prod-1") == nil)
        #expect(SyntaxRules.problemWithNamespace("Prod") != nil)
        #expect(SyntaxRules.problemWithNamespace("-x") != nil)
        #expect(SyntaxRules.problemWithServiceAccount("deployer.v2") == nil)
        #expect(
            SyntaxRules.problemWithServiceAccount("prod:deployer")?.contains("the namespace is --namespace") == true)
        #expect(SyntaxRules.problemWithServiceAccount("a@b.iam.gserviceaccount.com")?.contains("e-mail") == true)
    }
}
