// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

extension CommandLineTests {
    @Suite("binauthz policy validate")
    struct PolicyValidateCLITests {
        @Test("The seed article's policy is valid: exit 0")
        func seedPolicyIsValid() throws {
            let path = Fixtures.corpus("seed-article/set-a/sec-policy.yml").path
            let result = try Subprocess.binauthz(["policy", "validate", "--policy-file", path])
            #expect(result.status == 0, "\(result)")
            #expect(result.stdoutText == "\(path): valid\n")
            #expect(result.stderr.isEmpty)
        }

        @Test("Every problem is one `path: message` line; exit 2")
        func problemsAreListed() throws {
            let dir = try TemporaryDirectory()
            let file = try dir.write(
                "policy.yaml",
                """
                clusterAdmissionRules:
                  prod-cluster:
                    evaluationMode: REQUIRE_ATTESTATION
                    enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
                admissionWhitelistPatterns:
                - namePattern: gcr.i*
                """)
            let result = try Subprocess.binauthz(["policy", "validate", "--policy-file", file])
            #expect(result.status == 2, "\(result)")
            let lines = result.stdoutText.split(separator: "\n").map(String.init)
            #expect(lines.count == 4, "\(result)")
            #expect(lines[0].hasPrefix("admissionWhitelistPatterns[0].namePattern: "))
            #expect(lines[1].hasPrefix("clusterAdmissionRules[\"prod-cluster\"]: "))
            #expect(lines[2].hasPrefix("clusterAdmissionRules[\"prod-cluster\"].requireAttestationsBy: "))
            #expect(lines[3] == "defaultAdmissionRule: a policy must have a defaultAdmissionRule")
        }

        @Test("Unreadable or malformed input: exit 1 with one line on stderr naming the file, field and line")
        func badInput() throws {
            let dir = try TemporaryDirectory()
            let unknown = try dir.write(
                "p.yaml", "defaultAdmissionRule:\n  evaluationMode: ALWAYS_ALLOW\n  enforcmentMode: X\n")
            var result = try Subprocess.binauthz(["policy", "validate", "--policy-file", unknown])
            #expect(result.status == 1)
            #expect(
                result.stderrText == "binauthz: \(unknown): Failed to parse value(s) in protobuf [Policy]: "
                    + "Policy.defaultAdmissionRule.enforcmentMode (line 3, column 3)\n")

            let wrongType = try dir.write("p.json", "{\"description\": 5}")
            result = try Subprocess.binauthz(["policy", "validate", "--policy-file", wrongType])
            #expect(result.status == 1)
            #expect(
                result.stderrText == "binauthz: \(wrongType): description: Failed to parse value in protobuf [Policy]: "
                    + "Policy.??: \"Expected type <class 'str'> for field description, found 5 (type <class 'int'>)\" "
                    + "(line 1, column 17)\n")

            let txt = try dir.write("policy.txt", "defaultAdmissionRule: {evaluationMode: ALWAYS_ALLOW}\n")
            result = try Subprocess.binauthz(["policy", "validate", "--policy-file", txt])
            #expect(result.status == 1)
            #expect(result.stderrText == "binauthz: \(txt): Policy file must be a .yaml or .json file.\n")

            result = try Subprocess.binauthz(["policy", "validate", "--policy-file", dir.file("missing.yaml")])
            #expect(result.status == 1)
            #expect(result.stderrText == "binauthz: \(dir.file("missing.yaml")): no such file\n")

            result = try Subprocess.binauthz(["policy", "validate"])
            #expect(result.status == 64)
        }

        @Test("Standard input is read for `-`, in either format")
        func stdin() throws {
            let yaml = "defaultAdmissionRule: {evaluationMode: ALWAYS_DENY, enforcementMode: DRYRUN_AUDIT_LOG_ONLY}\n"
            var result = try Subprocess.binauthz(["policy", "validate", "--policy-file", "-"], stdin: Array(yaml.utf8))
            #expect(result.status == 0, "\(result)")
            #expect(result.stdoutText == "<stdin>: valid\n")
            let json =
                #"{"defaultAdmissionRule": {"evaluationMode": "ALWAYS_DENY", "enforcementMode": "ENFORCEMENT_MODE_UNSPECIFIED"}}"#
            result = try Subprocess.binauthz(["policy", "validate", "--policy-file", "-"], stdin: Array(json.utf8))
            #expect(result.status == 2)
            #expect(result.stdoutText.hasPrefix("defaultAdmissionRule.enforcementMode: "), "\(result)")
            // An unknown enum value is refused while reading, as gcloud refuses it.
            let bogus = #"{"defaultAdmissionRule": {"evaluationMode": "ALWAYS_DENY", "enforcementMode": "BOGUS"}}"#
            result = try Subprocess.binauthz(["policy", "validate", "--policy-file", "-"], stdin: Array(bogus.utf8))
            #expect(result.status == 1)
            #expect(result.stderrText.contains("Policy.defaultAdmissionRule.enforcementMode"))
        }
    }
}
