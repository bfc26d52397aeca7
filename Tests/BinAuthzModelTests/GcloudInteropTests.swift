// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

@testable import BinAuthzModel

/// Our YAML writer and strict reader, compared with gcloud's own code on the same documents.
@Suite(
    "gcloud interop: export printing and import acceptance",
    .enabled(
        if: GcloudTool.unavailableReason == nil, "gcloud is not installed; the comparison with its own code is skipped")
)
struct GcloudInteropTests {
    /// Strings chosen to exercise every branch of ruamel's scalar analysis: indicators, quotes, whitespace,
    /// values that would resolve to other types, unicode, and lines long enough to fold.
    static let trickyStrings: [String] = [
        "plain", "gcr.io/google_containers/*", "k8s.gcr.io/**", "*", "*x", "**", "&anchor", "!tag", "%percent",
        "@at", "`tick", "|pipe", ">gt", "#hash", "a #b", "a#b", "x: y", "x:y", "a: b: c", ": a", "? q", "?q", "- a",
        "-a", "-", "--- doc", "... end", "[a]", "{a}", "a,b", "a[b]", "'single'", "\"double\"", "it's", "say \"hi\"",
        " lead", "trail ", "two  spaces", "tab\there", "bell\u{7}", "é accent", "日本語", "emoji 😀", "nbsp\u{A0}x",
        "null", "Null", "~", "true", "False", "1", "-1", "+1", "1.5", "1e5", ".5", ".inf", "-.inf", ".nan",
        "0x1F", "0o17", "0b101", "1_000", "2024-01-01", "2024-05-21T12:13:44.314367Z", "2024-5-1 1:02:03",
        "=", "<<", "\"BwW1e3UuSgY=\"", "'\"mixed'\"", "",
        String(repeating: "word ", count: 30) + "end",
        "it's " + String(repeating: "a ", count: 60) + "end",
        String(repeating: "x", count: 120) + " tail",
        "tab\t" + String(repeating: "word ", count: 25) + "end",
        "multi\nline\n", "no trailing\nnewline", " leading\nspace", "\nleading newline", "blank\n\nlines\n",
        "ends with two\n\n", "trailing space \nline", "\n", "a\n   indented\n",
    ]

    @Test("gcloud's printer and ours print the same policy YAML for tricky strings")
    func policyPrinting() throws {
        var policies: [Policy] = []
        for text in Self.trickyStrings {
            policies.append(
                Policy(
                    name: "projects/p/policy", description: text,
                    admissionWhitelistPatterns: [.init(namePattern: text)],
                    clusterAdmissionRules: [text: .alwaysDeny], defaultAdmissionRule: .alwaysAllow, etag: text))
        }
        policies.append(try Policy(yaml: Fixtures.text("model/complete-policy.yaml")))
        policies.append(try Policy(yaml: Fixtures.text("corpora/seed-article/set-a/sec-policy.yml")))
        let answers = try GcloudTool.batch(policies.map { ["op": "print", "kind": "Policy", "json": $0.jsonString()] })
        for (policy, answer) in zip(policies, answers) {
            let gcloud = try #require(answer["yaml"] as? String, "\(answer)")
            #expect(policy.yamlString() == gcloud, "description: \(policy.description ?? "")")
        }
    }

    @Test("gcloud's printer and ours print the same attestor YAML (multi-line keys, PKIX, comments)")
    func attestorPrinting() throws {
        let pgp = try Fixtures.corpusText("seed-article/set-a/generated-key.pgp")
        let pem = try Fixtures.corpusText("kritis/pkg/attestlib/testvectors/ec256PubKey.pem")
        let attestor = Attestor(
            name: "projects/my-proj/attestors/built-by-ci", description: "CI attestor: signs every push",
            userOwnedGrafeasNote: UserOwnedGrafeasNote(
                noteReference: "projects/my-proj/notes/built-by-ci-note",
                publicKeys: [
                    .pgp(id: "E50ABDE5A0C05DB317479494C111AF41B88ECC96", armoredKey: pgp, comment: "seed key"),
                    .pkix(
                        id: "ni:///sha-256;F8ZLbGLECGCxd8yEtBiqNnSMB7S-TC0CpJ1G9JLJpD4",
                        key: PKIXKeySpec(publicKeyPEM: pem, signatureAlgorithm: .ecdsaP256SHA256)),
                ],
                delegationServiceAccountEmail: "service-123456789012@gcp-sa-binaryauthorization.iam.gserviceaccount.com"
            ),
            updateTime: "2024-05-21T12:13:44.314367Z", etag: "\"abc\"")
        let answers = try GcloudTool.batch([["op": "print", "kind": "Attestor", "json": attestor.jsonString()]])
        let gcloud = try #require(answers.first?["yaml"] as? String)
        #expect(attestor.yamlString() == gcloud)
        #expect(try Attestor(yaml: attestor.yamlString()) == attestor)
    }

    @Test("Where gcloud prints a YAML 1.1 keyword bare, we quote it so the export re-imports (documented)")
    func deliberateQuotingDifference() throws {
        for word in ["yes", "no", "on", "off", "y", "N", "1:20", "0777"] {
            let policy = Policy(description: word, defaultAdmissionRule: .alwaysAllow)
            let ours = policy.yamlString()
            #expect(ours.contains("description: '\(word)'"), "\(ours)")
            #expect(try Policy(yaml: ours) == policy)
            // gcloud's own loader accepts our quoted form and refuses its own bare output.
            let gcloudYAML = try #require(
                GcloudTool.batch([["op": "print", "kind": "Policy", "json": policy.jsonString()]]).first?["yaml"]
                    as? String)
            let verdicts = try GcloudTool.batch([
                ["op": "import", "kind": "Policy", "yaml": ours],
                ["op": "import", "kind": "Policy", "yaml": gcloudYAML],
            ])
            #expect(verdicts[0]["ok"] as? Bool == true)
            if gcloudYAML != ours { #expect(verdicts[1]["ok"] as? Bool == false, "\(gcloudYAML)") }
        }
    }

    static let importDocuments: [String] = [
        "defaultAdmissionRule:\n  evaluationMode: ALWAYS_DENY\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n",
        "defaultAdmissionRule:\n  evaluationMode: BOGUS\n",
        "defaultAdmissionRule:\n  evaluationMode: 5\n",
        "defaultAdmissionRule:\n  evaluationMode: ALWAYS_DENY\n  bogus: 1\n",
        "foo: 2\n",
        "admissionWhitelistPatterns:\n- namePattern: 3\n",
        "admissionWhitelistPatterns:\n- namePattern: ~\n",
        "admissionWhitelistPatterns:\n- {}\n",
        "clusterAdmissionRules:\n  a.b:\n    evaluationMode: ALWAYS_DENY\n    xx: 1\n",
        "description: true\n", "description: yes\n", "description: y\n", "description: 'yes'\n", "description: 1.5\n",
        "description: 2024-01-01\n", "description: '2024-01-01'\n", "description: 1:20\n", "description: 0x1F\n",
        "description: =\n", "description: ~\n", "description: null\n", "description: \"\"\n",
        "description: !!str 12\n",
        "etag: '\"BwW1e3UuSgY=\"'\n", "updateTime: 2024-05-21T12:13:44.314367Z\n",
        "updateTime: '2024-05-21T12:13:44.314367Z'\n",
        "defaultAdmissionRule: null\n",
        "defaultAdmissionRule:\n  requireAttestationsBy: [projects/p/attestors/a, 7]\n",
        "defaultAdmissionRule:\n  requireAttestationsBy: projects/p/attestors/a\n",
        "globalPolicyEvaluationMode: ENABLE\n", "globalPolicyEvaluationMode: enable\n",
        "kubernetesNamespaceAdmissionRules:\n  prod:\n    evaluationMode: ALWAYS_ALLOW\n",
        "istioServiceIdentityAdmissionRules:\n  spiffe://example.com/ns/a/sa/b:\n    evaluationMode: ALWAYS_ALLOW\n",
    ]

    @Test("Duplicate keys: gcloud keeps the first value of a repeated YAML key, and so do we")
    func duplicateKeys() throws {
        let document =
            "clusterAdmissionRules:\n  a.b: {evaluationMode: ALWAYS_DENY}\nclusterAdmissionRules:\n  c.d: {evaluationMode: ALWAYS_DENY}\n"
        let answer = try GcloudTool.batch([["op": "import", "kind": "Policy", "yaml": document]])
        #expect(answer.first?["ok"] as? Bool == true)
        #expect(try Array(Policy(yaml: document).clusterAdmissionRules.keys) == ["a.b"])
    }

    @Test("We accept exactly the policy documents gcloud's import accepts")
    func importAcceptance() throws {
        let answers = try GcloudTool.batch(Self.importDocuments.map { ["op": "import", "kind": "Policy", "yaml": $0] })
        for (document, answer) in zip(Self.importDocuments, answers) {
            let gcloudAccepts = answer["ok"] as? Bool ?? false
            let weAccept = (try? Policy(yaml: document)) != nil
            #expect(weAccept == gcloudAccepts, "document: \(document) gcloud: \(answer)")
        }
    }
}
