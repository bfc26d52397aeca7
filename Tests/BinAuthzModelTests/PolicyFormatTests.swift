// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Testing

@testable import BinAuthzModel

@Suite("Policy formats: REST JSON and gcloud YAML")
struct PolicyFormatTests {
    static let seedPolicyPath = "corpora/seed-article/set-a/sec-policy.yml"
    static let completePolicyPath = "model/complete-policy.yaml"

    @Test("The seed article's sec-policy.yml loads with every field")
    func seedPolicyLoads() throws {
        let policy = try Policy(yaml: Fixtures.text(Self.seedPolicyPath))
        #expect(policy.name == "projects/nmallyatestproject/policy")
        #expect(
            policy.admissionWhitelistPatterns.map(\.namePattern) == [
                "gcr.io/google_containers/*", "gcr.io/google-containers/*", "k8s.gcr.io/*",
                "gcr.io/stackdriver-agents/*",
            ])
        #expect(policy.defaultAdmissionRule == AdmissionRule(evaluationMode: .alwaysAllow))
        #expect(policy.clusterAdmissionRules.keys.sorted() == ["us-central1-b.cd-cluster"])
        let rule = try #require(policy.clusterAdmissionRules["us-central1-b.cd-cluster"])
        #expect(rule.evaluationMode == .requireAttestation)
        #expect(rule.enforcementMode == .enforcedBlockAndAuditLog)
        #expect(rule.requireAttestationsBy == ["projects/nmallyatestproject/attestors/manually-verified"])
        #expect(policy.validate().isEmpty)
    }

    @Test("The reference's complete policy loads, validates and exports byte for byte as gcloud prints it")
    func completePolicyExportIsGcloudShaped() throws {
        let text = try Fixtures.text(Self.completePolicyPath)
        let policy = try Policy(yaml: text)
        #expect(policy.description == "Production policy")
        #expect(policy.etag == "\"BwW1e3UuSgY=\"")
        #expect(policy.updateTime == "2024-05-21T12:13:44.314367Z")
        #expect(policy.globalPolicyEvaluationMode == .enable)
        #expect(policy.clusterAdmissionRules.count == 2)
        #expect(policy.validate().isEmpty)
        #expect(policy.yamlString() == text)
    }

    @Test("Round trips through JSON and YAML are lossless", arguments: [seedPolicyPath, completePolicyPath])
    func roundTrips(path: String) throws {
        let policy = try Policy(yaml: Fixtures.text(path))
        let viaJSON = try Policy(json: policy.jsonString())
        #expect(viaJSON == policy)
        let viaYAML = try Policy(yaml: policy.yamlString())
        #expect(viaYAML == policy)
        // Text is stable too: exporting the re-read value prints the same bytes.
        #expect(viaYAML.yamlString() == policy.yamlString())
        #expect(viaJSON.jsonString() == policy.jsonString())
        // Compact and pretty JSON carry the same value.
        #expect(try Policy(json: policy.jsonString(pretty: false)) == policy)
    }

    @Test("REST JSON uses the v1 field names and omits empty maps and lists")
    func jsonShape() throws {
        let policy = Policy(
            name: "projects/p/policy",
            admissionWhitelistPatterns: ["gcr.io/p/*"],
            kubernetesNamespaceAdmissionRules: ["prod": .requireAttestation(by: ["projects/p/attestors/a"])],
            defaultAdmissionRule: .alwaysDeny)
        #expect(
            policy.jsonString() == """
                {
                  "admissionWhitelistPatterns": [
                    {
                      "namePattern": "gcr.io/p/*"
                    }
                  ],
                  "defaultAdmissionRule": {
                    "enforcementMode": "ENFORCED_BLOCK_AND_AUDIT_LOG",
                    "evaluationMode": "ALWAYS_DENY"
                  },
                  "kubernetesNamespaceAdmissionRules": {
                    "prod": {
                      "enforcementMode": "ENFORCED_BLOCK_AND_AUDIT_LOG",
                      "evaluationMode": "REQUIRE_ATTESTATION",
                      "requireAttestationsBy": [
                        "projects/p/attestors/a"
                      ]
                    }
                  },
                  "name": "projects/p/policy"
                }

                """)
    }

    @Test("All four specific-rule maps, istio and service-account keys included, survive a round trip")
    func allRuleMaps() throws {
        let rule = AdmissionRule(evaluationMode: .alwaysDeny, enforcementMode: .dryRunAuditLogOnly)
        let policy = Policy(
            clusterAdmissionRules: ["europe-west4-b.c1": rule],
            kubernetesNamespaceAdmissionRules: ["ns1": rule],
            kubernetesServiceAccountAdmissionRules: ["ns1:deployer": rule],
            istioServiceIdentityAdmissionRules: ["spiffe://example.com/ns/ns1/sa/default": rule],
            defaultAdmissionRule: .alwaysAllow)
        #expect(try Policy(yaml: policy.yamlString()) == policy)
        #expect(try Policy(json: policy.jsonString()) == policy)
        // ... and validation says only one map may be non-empty.
        let conflicts = policy.validate().filter { $0.code == .conflictingRuleMaps }
        #expect(
            conflicts.map(\.path) == [
                "kubernetesNamespaceAdmissionRules", "kubernetesServiceAccountAdmissionRules",
                "istioServiceIdentityAdmissionRules",
            ])
    }

    @Test("Unknown enum values are refused on reading, as gcloud refuses them; a policy built in code keeps them")
    func unknownEnumValues() throws {
        let json = """
            {"defaultAdmissionRule": {"evaluationMode": "ALWAYS_MAYBE", "enforcementMode": "ENFORCED_BLOCK_AND_AUDIT_LOG"},
             "globalPolicyEvaluationMode": "SOMETIMES"}
            """
        // An unknown name at the top hides the one below it, as apitools stops at the first message holding any.
        #expect {
            try Policy(json: json)
        } throws: { error in
            (error as? ModelError)?.message
                == "Failed to parse value(s) in protobuf [Policy]:\n  Policy.globalPolicyEvaluationMode"
        }
        let policy = Policy(
            globalPolicyEvaluationMode: "SOMETIMES",
            defaultAdmissionRule: AdmissionRule(evaluationMode: "ALWAYS_MAYBE"))
        #expect(policy.jsonString(pretty: false).contains("\"evaluationMode\":\"ALWAYS_MAYBE\""))
        #expect(policy.yamlString().contains("evaluationMode: ALWAYS_MAYBE"))
        let issues = policy.validate()
        #expect(issues.map(\.path) == ["globalPolicyEvaluationMode", "defaultAdmissionRule.evaluationMode"])
        #expect(issues.allSatisfy { $0.code == .unknownEnumValue })
        #expect(issues[1].message.contains("ALWAYS_ALLOW, REQUIRE_ATTESTATION, ALWAYS_DENY"))
    }

    @Test("An empty policy document is the empty policy gcloud imports (after its warning)")
    func emptyDocument() throws {
        #expect(try Policy(yaml: "") == Policy(defaultAdmissionRule: nil))
        #expect(try Policy(yaml: "# only a comment\n") == Policy(defaultAdmissionRule: nil))
        let imported = try Policy.gcloudImport(contents: Array("".utf8), fileName: "p.yaml", project: "p")
        #expect(imported.isEmpty && imported.warnings == ["Empty Policy provided!"])
        #expect(imported.requestBody == #"{"name": "projects/p/policy"}"#)
    }

    @Test("Field order in the input does not matter; null counts as absent")
    func orderAndNull() throws {
        let a = try Policy(yaml: "name: projects/p/policy\ndefaultAdmissionRule:\n  evaluationMode: ALWAYS_DENY\n")
        let b = try Policy(
            yaml: "defaultAdmissionRule: {evaluationMode: ALWAYS_DENY}\nname: projects/p/policy\ndescription: ~\n")
        #expect(a == b)
        #expect(b.description == nil)
    }
}

@Suite("YAML and JSON round trips of arbitrary strings")
struct StringRoundTripTests {
    /// Characters that stress every quoting and block rule: indicators, quotes, whitespace of every kind, line
    /// breaks YAML normalises (CR, NEL, U+2028), control characters, non-ASCII, and YAML 1.1 keyword material.
    static let alphabet: [String] = [
        "a", "y", "0", "1", ".", " ", "  ", "\n", "\t", "\r", "\r\n", "'", "\"", ":", ": ", "#", " #", "-", "- ", "*",
        "&", "!", "|", ">", "%", "@", "`", "{", "}", "[", "]", ",", "?", "é", "😀", "\u{7}", "\u{85}", "\u{2028}",
        "\u{FEFF}", "\u{A0}", "\\", "---", "...", "yes", "~", "null", "2024-01-01",
    ]

    @Test("Every generated string reads back exactly, as a value and as a map key, in YAML and JSON")
    func randomStrings() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<1000 {
            let length = Int.random(in: 0...12, using: &generator)
            var text = (0..<length).map { _ in Self.alphabet.randomElement(using: &generator)! }.joined()
            // A YAML reader drops a byte-order mark at the start of a scalar, even an escaped one; nothing to write
            // can keep it, so such strings are left out (a BOM elsewhere round-trips).
            while text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
            let policy = Policy(
                description: text, admissionWhitelistPatterns: [.init(namePattern: text)],
                clusterAdmissionRules: [text: .alwaysDeny], defaultAdmissionRule: .alwaysAllow)
            let yaml = policy.yamlString()
            do {
                #expect(try Policy(yaml: yaml) == policy, "\(text.debugDescription)\n\(yaml)")
                #expect(try Policy(json: policy.jsonString()) == policy, "\(text.debugDescription)")
            } catch {
                Issue.record("\(text.debugDescription): \(error)\n\(yaml)")
            }
        }
    }

    @Test("A PGP key with CRLF line ends survives an attestor's YAML")
    func crlfKey() throws {
        let key =
            "-----BEGIN PGP PUBLIC KEY BLOCK-----\r\n\r\nmQENBFwaseIBCAC0\r\n-----END PGP PUBLIC KEY BLOCK-----\r\n"
        let attestor = Attestor(
            name: "projects/p/attestors/a",
            userOwnedGrafeasNote: UserOwnedGrafeasNote(
                noteReference: "projects/p/notes/n",
                publicKeys: [.pgp(id: "E50ABDE5A0C05DB317479494C111AF41B88ECC96", armoredKey: key)]))
        #expect(try Attestor(yaml: attestor.yamlString()) == attestor)
    }
}
