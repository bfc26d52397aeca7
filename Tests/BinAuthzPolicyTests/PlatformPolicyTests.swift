// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import BinAuthzPolicy
import BinAuthzTestSupport
import Foundation
import Testing

@Suite("Platform policies: reading as gcloud does, validation, evaluation")
struct PlatformPolicyTests {
    static let corpus = "corpora/gcloud-platform"

    static func policy(_ yaml: String) throws(ModelError) -> PlatformPolicy {
        try PlatformPolicy.gcloudCreate(text: yaml, format: .yaml).policy
    }

    @Test("pp-full.yaml reads as gcloud reads it: the same request body")
    func fullPolicyBody() throws {
        let file = try PlatformPolicy.gcloudCreate(
            contents: try Fixtures.data(Self.corpus + "/pp-full.yaml"), fileName: "pp-full.yaml")
        let lines = try Fixtures.text(Self.corpus + "/gcloud_platform_policy_parse.txt").split(separator: "\n")
        let expected = try #require(lines.first { $0.hasPrefix("pp-full.yaml OK ") }).dropFirst(
            "pp-full.yaml OK ".count)
        // The corpus line is cut after its first 160 characters; the body must begin with it.
        #expect(expected.count > 100 && file.requestBody.hasPrefix(String(expected)))
        #expect(file.policy.validate().isEmpty, "\(file.policy.validate())")
        #expect(file.policy.gkePolicy?.checkSets.count == 3)
    }

    @Test("gcloud's refusals: an old check name and a lower-case enum value, with gcloud's text")
    func gcloudRefusals() throws {
        let old = """
            gkePolicy:
              checkSets:
              - checks:
                - imageApprovalAttestationCheck: {}
            """
        #expect(throws: ModelError.self) { try Self.policy(old) }
        do throws(ModelError) {
            _ = try Self.policy(old)
        } catch {
            #expect(
                error.message
                    == "Failed to parse value(s) in protobuf [PlatformPolicy]:\n  "
                    + "PlatformPolicy.gkePolicy.checkSets[0].checks[0].imageApprovalAttestationCheck")
        }
        let lower = """
            gkePolicy:
              checkSets:
              - checks:
                - vulnerabilityCheck:
                    maximumFixableSeverity: medium
                    maximumUnfixableSeverity: HIGH
            """
        do throws(ModelError) {
            _ = try Self.policy(lower)
            Issue.record("accepted a lower-case enum value")
        } catch {
            #expect(
                error.message
                    == "Failed to parse value(s) in protobuf [PlatformPolicy]:\n  "
                    + "PlatformPolicy.gkePolicy.checkSets[0].checks[0].vulnerabilityCheck.maximumFixableSeverity")
        }
        do throws(ModelError) {
            _ = try PlatformPolicy.gcloudCreate(contents: Array("{}".utf8), fileName: "p.txt")
            Issue.record("accepted a .txt file")
        } catch {
            #expect(error.message == "Input file [p.txt] not of type YAML or JSON")
        }
    }

    @Test(
        "Booleans and integers as apitools takes them",
        arguments: [
            ("alwaysDeny: true", true), ("alwaysDeny: 1", false), ("alwaysDeny: 'true'", false),
            ("imageFreshnessCheck: {maxUploadAgeDays: 30}", true),
            ("imageFreshnessCheck: {maxUploadAgeDays: '+3_0'}", true),
            ("imageFreshnessCheck: {maxUploadAgeDays: 30.0}", false),
            ("imageFreshnessCheck: {maxUploadAgeDays: x}", false),
        ])
    func scalarFields(check: String, accepted: Bool) throws {
        let yaml = "gkePolicy:\n  checkSets:\n  - checks:\n    - \(check)\n"
        let result = Result { try Self.policy(yaml) }
        #expect(((try? result.get()) != nil) == accepted, "\(result)")
        if accepted, check.contains("maxUploadAgeDays") {
            #expect(try result.get().gkePolicy?.checkSets[0].checks[0].imageFreshnessCheck?.maxUploadAgeDays == 30)
        }
    }

    @Test(
        "Validation: every rule, each with its field path",
        arguments: [
            // (check sets YAML under gkePolicy.checkSets, expected path, expected code)
            (
                "- scope: {kubernetesNamespace: prod}\n  checks: [{alwaysDeny: true}]", "gkePolicy.checkSets[0].scope",
                "checkSetOrder"
            ),
            (
                "- checks: [{alwaysDeny: true}]\n- checks: [{alwaysDeny: true}]", "gkePolicy.checkSets[0].scope",
                "checkSetOrder"
            ),
            (
                "- scope: {kubernetesNamespace: prod}\n  checks: []\n- scope: {kubernetesServiceAccount: 'prod:sa'}\n  checks: []\n- checks: []",
                "gkePolicy.checkSets[1].scope.kubernetesServiceAccount", "checkSetOrder"
            ),
            (
                "- scope: {kubernetesNamespace: a, kubernetesServiceAccount: 'a:b'}\n  checks: []\n- checks: []",
                "gkePolicy.checkSets[0].scope", "conflictingFields"
            ),
            (
                "- checks: [{alwaysDeny: true, trustedDirectoryCheck: {trustedDirPatterns: [gcr.io/p]}}]",
                "gkePolicy.checkSets[0].checks[0]", "conflictingFields"
            ),
            ("- checks: [{displayName: nothing}]", "gkePolicy.checkSets[0].checks[0]", "missingField"),
            (
                "- checks: [{imageFreshnessCheck: {maxUploadAgeDays: 0}}]",
                "gkePolicy.checkSets[0].checks[0].imageFreshnessCheck.maxUploadAgeDays", "invalidValue"
            ),
            (
                "- checks: [{imageFreshnessCheck: {}}]",
                "gkePolicy.checkSets[0].checks[0].imageFreshnessCheck.maxUploadAgeDays", "missingField"
            ),
            (
                "- checks: [{trustedDirectoryCheck: {trustedDirPatterns: ['gcr.i*']}}]",
                "gkePolicy.checkSets[0].checks[0].trustedDirectoryCheck.trustedDirPatterns[0]", "invalidPattern"
            ),
            (
                "- checks: [{simpleSigningAttestationCheck: {attestationAuthenticators: [{pkixPublicKeySet: {pkixPublicKeys: [{publicKeyPem: x, signatureAlgorithm: ECDSA_P256_SHA256}]}}], containerAnalysisAttestationProjects: [projects/123456]}}]",
                "gkePolicy.checkSets[0].checks[0].simpleSigningAttestationCheck.containerAnalysisAttestationProjects[0]",
                "invalidResourceName"
            ),
            (
                "- checks: [{simpleSigningAttestationCheck: {}}]",
                "gkePolicy.checkSets[0].checks[0].simpleSigningAttestationCheck.attestationAuthenticators",
                "missingField"
            ),
            (
                "- checks: [{vulnerabilityCheck: {maximumFixableSeverity: HIGH}}]",
                "gkePolicy.checkSets[0].checks[0].vulnerabilityCheck.maximumUnfixableSeverity", "missingField"
            ),
            (
                "- checks: [{slsaCheck: {rules: [{}]}}]",
                "gkePolicy.checkSets[0].checks[0].slsaCheck.rules[0].trustedBuilder", "missingField"
            ),
            (
                "- imageAllowlist: {}\n  checks: []", "gkePolicy.checkSets[0].imageAllowlist.allowPattern",
                "missingField"
            ),
        ])
    func validation(checkSets: String, path: String, code: String) throws {
        let indented = checkSets.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n")
        let policy = try Self.policy("gkePolicy:\n  checkSets:\n\(indented)\n")
        let issues = policy.validate()
        #expect(issues.contains { $0.path == path && $0.code.rawValue == code }, "\(issues)")
    }

    @Test(
        "Trusted-directory patterns: the API's valid and invalid examples",
        arguments: [
            ("gcr.io/my-project/my-repo", true), ("gcr.io/my-project/*", true), ("gcr.io/my-project/**", true),
            ("*-docker.pkg.dev/my-project/my-repo", true), ("*.gcr.io/my-project", true), ("gcr.i*", false),
            ("sub*domain.gcr.io/nginx", false), ("*pkg.dev/my-project/my-repo", false), ("**-docker.pkg.dev", false),
            ("gcr.io", false), ("gcr.io/a*/b", false), ("localhost/x", false),
        ])
    func trustedDirectoryGrammar(pattern: String, valid: Bool) {
        let parsed = TrustedDirectoryPattern.parse(pattern)
        #expect(((try? parsed.get()) != nil) == valid, "\(parsed)")
    }

    @Test(
        "Trusted-directory matching: the image's directory against each pattern form",
        arguments: [
            ("gcr.io/my-project/my-repo", "gcr.io/my-project/my-repo", true),
            ("gcr.io/my-project/my-repo", "gcr.io/my-project/my-repo/sub", false),
            ("gcr.io/my-project/*", "gcr.io/my-project/team", true),
            ("gcr.io/my-project/*", "gcr.io/my-project/team/sub", false),
            ("gcr.io/my-project/*", "gcr.io/my-project", false),
            ("gcr.io/my-project/**", "gcr.io/my-project/team/sub", true),
            ("*-docker.pkg.dev/p/r", "us-docker.pkg.dev/p/r", true),
            ("*-docker.pkg.dev/p/r", "europe-west1-docker.pkg.dev/p/r", true),
            ("*-docker.pkg.dev/p/r", "-docker.pkg.dev/p/r", false),
            ("*.gcr.io/p", "eu.gcr.io/p", true), ("*.gcr.io/p", "gcr.io/p", false),
            ("*.gcr.io/p", "a.b.gcr.io/p", false),
        ])
    func trustedDirectoryMatching(pattern: String, directory: String, matches: Bool) throws {
        let parsed = try TrustedDirectoryPattern.parse(pattern).get()
        #expect(parsed.matches(directory: directory) == matches)
    }

    static let scoped = """
        gkePolicy:
          imageAllowlist:
            allowPattern: [gcr.io/exempt/*]
          checkSets:
          - displayName: sa
            scope: {kubernetesServiceAccount: 'prod:deployer'}
            checks:
            - displayName: dirs
              trustedDirectoryCheck: {trustedDirPatterns: [gcr.io/trusted/**]}
          - displayName: ns
            scope: {kubernetesNamespace: prod}
            imageAllowlist: {allowPattern: [gcr.io/ns-exempt/*]}
            checks:
            - alwaysDeny: true
          - displayName: all
            checks:
            - imageAllowlist: {allowPattern: [gcr.io/ok/*]}
              alwaysDeny: true
            - displayName: fresh
              imageFreshnessCheck: {maxUploadAgeDays: 1}
        """

    static func pod(_ namespace: String?, _ account: String?, _ images: [String]) -> KubernetesWorkload {
        KubernetesWorkload(
            kind: "Pod", name: "p", namespace: namespace, serviceAccountName: account, images: images)
    }

    @Test("Scope selection: the first matching check set, service account before namespace before catch-all")
    func scopeSelection() throws {
        let evaluator = try PlatformPolicyEvaluator(policy: try Self.policy(Self.scoped))
        #expect(evaluator.checkSetIndex(for: Self.pod("prod", "deployer", ["x"])) == 0)
        #expect(evaluator.checkSetIndex(for: Self.pod("prod", "other", ["x"])) == 1)
        #expect(evaluator.checkSetIndex(for: Self.pod("prod", nil, ["x"])) == 1)
        #expect(evaluator.checkSetIndex(for: Self.pod("dev", "deployer", ["x"])) == 2)
        #expect(evaluator.checkSetIndex(for: Self.pod(nil, "deployer", ["x"])) == 2)
    }

    @Test("Allowlists at every level, verdict aggregation and explanations")
    func evaluation() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let evaluator = try PlatformPolicyEvaluator(
            policy: try Self.policy(Self.scoped),
            checkEvaluators: [
                ImageUploadTimes([
                    ImageUpload(image: "gcr.io/new/app@sha256:" + String(repeating: "a", count: 64), uploadTime: now)
                ])
            ])
        let response = evaluator.evaluate(
            [
                Self.pod("prod", "deployer", ["gcr.io/trusted/a/b:1", "gcr.io/exempt/x"]),
                Self.pod("prod", "x", ["gcr.io/ns-exempt/y", "gcr.io/z/y"]),
                Self.pod("dev", nil, ["gcr.io/ok/y@sha256:" + String(repeating: "b", count: 64)]),
                Self.pod("dev", nil, ["gcr.io/new/app@sha256:" + String(repeating: "a", count: 64)]),
            ], at: now)
        #expect(response.verdict == .nonConformant)
        let verdicts = response.results.map(\.verdict)
        #expect(verdicts == [.conformant, .nonConformant, .error, .nonConformant])
        let first = response.results[0].imageResults
        #expect(first[0].checkSetResult?.checkResults.first?.verdict == .conformant)
        #expect(first[1].allowlistMatchedPattern == "gcr.io/exempt/*")
        let second = response.results[1].imageResults
        #expect(second[0].checkSetResult?.allowlistMatchedPattern == "gcr.io/ns-exempt/*")
        #expect(second[1].verdict == .nonConformant)
        // Check-level allowlist exempts the alwaysDeny check; freshness has no upload time: ERROR.
        let third = try #require(response.results[2].imageResults.first?.checkSetResult)
        #expect(third.checkResults[0].allowlistMatchedPattern == "gcr.io/ok/*")
        #expect(third.checkResults[0].verdict == nil)
        #expect(third.checkResults[1].verdict == .error)
        // Non-conformance has precedence over errors.
        let fourth = try #require(response.results[3].imageResults.first?.checkSetResult)
        #expect(fourth.checkResults.map(\.verdict) == [.nonConformant, .conformant])
        #expect(response.jsonString.contains("\"index\": \"1\""))
    }

    @Test("Supply-chain checks without evidence are ERROR, never CONFORMANT; empty check sets allow")
    func notImplemented() throws {
        let policy = try Self.policy(
            """
            gkePolicy:
              checkSets:
              - checks:
                - sigstoreSignatureCheck: {sigstoreAuthorities: [{publicKeySet: {publicKeys: [{publicKeyPem: k}]}}]}
            """)
        let response = try PlatformPolicyEvaluator(policy: policy).evaluate(
            [Self.pod(nil, nil, ["gcr.io/a/b"])], at: Date())
        #expect(response.verdict == .error)
        let empty = try PlatformPolicyEvaluator(policy: try Self.policy("gkePolicy: {}"))
            .evaluate([Self.pod(nil, nil, ["gcr.io/a/b"])], at: Date())
        #expect(empty.verdict == .conformant)
        #expect(empty.results[0].imageResults[0].explanation?.contains("no check sets") == true)
    }

    @Test("Continuous validation: one WARNING entry per violating pod, in the documented form")
    func audit() throws {
        let evaluator = try PlatformPolicyEvaluator(policy: try Self.policy(Self.scoped))
        let response = evaluator.evaluate(
            [
                Self.pod("prod", "deployer", ["gcr.io/untrusted/a:1"]),
                Self.pod("prod", "deployer", ["gcr.io/trusted/a/b"]),
            ],
            at: Date())
        let audit = ContinuousValidationAudit(
            response, policyName: "projects/p/platforms/gke/policies/x",
            cluster: .init(projectID: "p", location: "us-central1-a", clusterName: "c"), at: Date())
        #expect(audit.violations == 1)
        let entry = try #require(
            JSONSerialization.jsonObject(with: Data(audit.entries[0].utf8)) as? [String: Any])
        #expect(entry["severity"] as? String == "WARNING")
        #expect(
            entry["logName"] as? String == "projects/p/logs/binaryauthorization.googleapis.com%2Fcontinuous_validation")
        let payload = try #require(entry["jsonPayload"] as? [String: Any])
        let event = try #require(payload["podEvent"] as? [String: Any])
        #expect(event["verdict"] as? String == "VIOLATES_POLICY")
        let image = try #require((event["images"] as? [[String: Any]])?.first)
        let check = try #require((image["checkResults"] as? [[String: Any]])?.first)
        #expect(check["checkType"] as? String == "TrustedDirectoryCheck")
        #expect(check["checkSetIndex"] as? String == "0")
        #expect(
            (check["explanation"] as? String)?.hasPrefix(
                "TrustedDirectoryCheck at index 0 with display name \"dirs\" has verdict NOT_CONFORMANT. Image is not in a trusted directory"
            )
                == true)
    }

    @Test("gcloud's EvaluateGkePolicyResponse decodes our JSON and its default printer prints our YAML")
    func gcloudRoundTrip() throws {
        guard let python = GcloudTool.python, let sdk = GcloudTool.sdkRoot else {
            print(GcloudTool.unavailableReason ?? "gcloud is not installed; skipping")
            return
        }
        let evaluator = try PlatformPolicyEvaluator(policy: try Self.policy(Self.scoped))
        let response = evaluator.evaluate(
            [Self.pod("prod", "deployer", ["gcr.io/untrusted/a:1"]), Self.pod("dev", nil, ["gcr.io/ok/x"])],
            at: Date())
        let script = """
            import sys, json, io
            sys.path.insert(0, sys.argv[1] + "/lib"); sys.path.insert(0, sys.argv[1] + "/lib/third_party")
            from googlecloudsdk.api_lib.util import apis
            from apitools.base.py import encoding
            from googlecloudsdk.core.resource import resource_printer
            m = apis.GetMessagesModule("binaryauthorization", "v1")
            text = sys.stdin.read()
            r = encoding.JsonToMessage(m.EvaluateGkePolicyResponse, text)
            out = io.StringIO(); resource_printer.Print(r, "default", out=out)
            sys.stdout.write(json.dumps({"json": encoding.MessageToJson(r), "yaml": out.getvalue()}))
            """
        let result = try Subprocess.run(python, ["-c", script, sdk], stdin: Array(response.jsonString.utf8))
        let answer = try #require(
            JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: String], "\(result.stderrText)")
        #expect(answer["json"] == response.jsonString)
        #expect(answer["yaml"] == response.gcloudYAML)
    }
}
