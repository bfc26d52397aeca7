// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import BinAuthzPolicy
import BinAuthzTestSupport
import Foundation
import Testing

@Suite("Engine behaviour")
struct EngineBehaviourTests {
    // MARK: Audit events

    @Test("Break-glass writes the service's audit labels, with the overridden verdict")
    func breakGlassAudit() throws {
        let evaluator = try PolicyEvaluator(policy: Policy(yaml: Policies.attestOne))
        let request = AdmissionRequest(
            images: ["gcr.io/my-proj/app:1", "gcr.io/my-proj/app@\(T.d1)"],
            labels: ["image-policy.k8s.io/break-glass": "true"])
        let decision = try evaluator.evaluate(request, evidence: T.evidence, at: T.time)
        #expect(decision.isAllowed)
        #expect(decision.isBreakGlass)
        #expect(decision.message == "")
        let clause =
            "Image gcr.io/my-proj/app:1 denied by Binary Authorization default admission rule. Image "
            + "gcr.io/my-proj/app:1 denied by attestor \(T.builtByCI): \(T.digestRequired)"
        #expect(decision.overriddenVerificationResult == "'gcr.io/my-proj/app:1' : \(clause)\n")
        #expect(decision.auditEvents.count == 1)
        #expect(decision.auditEvents.first?.kind == .breakGlass)
        #expect(
            decision.auditLabels == [
                "imagepolicywebhook.image-policy.k8s.io/break-glass": "true",
                "imagepolicywebhook.image-policy.k8s.io/overridden-verification-result":
                    "'gcr.io/my-proj/app:1' : \(clause)\n",
            ])
        #expect(decision.images.map(\.override) == [.breakGlass, .breakGlass])
        #expect(decision.images.map(\.policyVerdict.isAllowed) == [false, true])
        #expect(decision.images[0].policyVerdict.denialMessage == clause)
        #expect(decision.images[1].policyVerdict.attestorChecks.map(\.attestor) == [T.builtByCI])
        #expect(
            decision.warnings == [
                "Binary Authorization break-glass: the pod was admitted without policy enforcement; the policy would "
                    + "have denied it: \(clause)"
            ])
    }

    @Test("Break-glass is logged even when the policy would admit the pod")
    func breakGlassAuditWhenAdmitted() throws {
        let decision = try PolicyEvaluator(policy: Policy(yaml: Policies.allowAll)).evaluate(
            AdmissionRequest(images: ["nginx"], labels: ["image-policy.k8s.io/break-glass": "true"]), at: T.time)
        #expect(decision.auditLabels == ["imagepolicywebhook.image-policy.k8s.io/break-glass": "true"])
        #expect(decision.overriddenVerificationResult == nil)
        #expect(
            decision.warnings == ["Binary Authorization break-glass: the pod was admitted without policy enforcement"])
    }

    @Test("Dry run writes the dry-run audit labels for each overridden image")
    func dryRunAudit() throws {
        let decision = try PolicyEvaluator(policy: Policy(yaml: Policies.dryRunDeny)).evaluate(
            AdmissionRequest(images: ["a.io/x/y:1", "a.io/x/z:2"]), at: T.time)
        let a = "Image a.io/x/y:1 denied by Binary Authorization default admission rule. \(T.alwaysDeny)"
        let b = "Image a.io/x/z:2 denied by Binary Authorization default admission rule. \(T.alwaysDeny)"
        #expect(decision.isAllowed && decision.isDryRun && !decision.isBreakGlass)
        #expect(decision.message == "")
        #expect(decision.auditEvents.map(\.kind) == [.dryRun])
        #expect(
            decision.auditLabels == [
                "imagepolicywebhook.image-policy.k8s.io/dry-run": "true",
                "imagepolicywebhook.image-policy.k8s.io/overridden-verification-result":
                    "'a.io/x/y:1' : \(a)\n'a.io/x/z:2' : \(b)\n",
            ])
        #expect(decision.images.allSatisfy { $0.override == .dryRun && $0.rule == .default })
        #expect(
            decision.warnings == [
                "Binary Authorization dry run (DRYRUN_AUDIT_LOG_ONLY): the pod was admitted but would have been denied: "
                    + "\(a) \(b)"
            ])
    }

    @Test("No audit event and no warning for an ordinary admission or denial")
    func noAuditEvents() throws {
        for yaml in [Policies.allowAll, Policies.denyAll] {
            let decision = try PolicyEvaluator(policy: Policy(yaml: yaml)).evaluate(
                AdmissionRequest(images: ["nginx"]), at: T.time)
            #expect(decision.auditEvents.isEmpty)
            #expect(decision.auditLabels.isEmpty)
            #expect(decision.warnings.isEmpty)
            #expect(decision.overriddenVerificationResult == nil)
        }
    }

    // MARK: Evidence

    @Test("The evidence source is asked at most once per (attestor, image), and only when a rule needs it")
    func evidenceCalledOncePerPair() throws {
        let evidence = TableEvidence([(T.builtByCI, T.d1, .verified("ok")), (T.qaApproved, T.d1, .verified("ok"))])
        let policy = try Policy(
            yaml: Policies.attestTwo + "\nadmissionWhitelistPatterns:\n- namePattern: gcr.io/my-proj/tools/*\n")
        let image = "gcr.io/my-proj/app@\(T.d1)"
        let request = AdmissionRequest(
            images: [image, "gcr.io/my-proj/tools/jq@\(T.d1)", image, "gcr.io/my-proj/app:tag", image])
        let decision = try PolicyEvaluator(policy: policy).evaluate(request, evidence: evidence, at: T.time)
        #expect(evidence.log.calls == ["\(T.builtByCI)|\(image)", "\(T.qaApproved)|\(image)"])
        #expect(decision.images.map(\.image) == [image, "gcr.io/my-proj/tools/jq@\(T.d1)", "gcr.io/my-proj/app:tag"])
    }

    @Test("The evaluation time reaches the evidence source")
    func timeIsPassed() throws {
        let evidence = ExpiringEvidence(expiry: Date(timeIntervalSince1970: 1_608_327_758))  // 2020-12-18T21:02:38Z
        let evaluator = try PolicyEvaluator(policy: Policy(yaml: Policies.attestOne))
        let request = AdmissionRequest(images: ["gcr.io/my-proj/app@\(T.d1)"])
        #expect(try evaluator.evaluate(request, evidence: evidence, at: T.time).isAllowed)
        let later = try evaluator.evaluate(request, evidence: evidence, at: Date(timeIntervalSince1970: 1_700_000_000))
        #expect(!later.isAllowed)
        #expect(later.images[0].reason.contains("expired on 2020-12-18T21:02:38Z"))
        #expect(later.message.hasSuffix(T.noAttestations))
    }

    @Test("A broken evidence source is an error, not a denial")
    func brokenEvidence() throws {
        let evaluator = try PolicyEvaluator(policy: Policy(yaml: Policies.attestOne))
        let error = #expect(throws: PolicyEvaluationError.evidenceUnavailable) {
            try evaluator.evaluate(
                AdmissionRequest(images: ["gcr.io/my-proj/app@\(T.d1)"]), evidence: BrokenEvidence(), at: T.time)
        }
        #expect(error?.message.contains("gpg: cannot create the temporary home") == true)
        // Policies that never need evidence do not ask it.
        let allow = try PolicyEvaluator(policy: Policy(yaml: Policies.allowAll))
        #expect(try allow.evaluate(AdmissionRequest(images: ["x"]), evidence: BrokenEvidence(), at: T.time).isAllowed)
    }

    @Test("Without evidence every attestor is unsatisfied")
    func noEvidence() throws {
        let decision = try PolicyEvaluator(policy: Policy(yaml: Policies.attestOne)).evaluate(
            AdmissionRequest(images: ["gcr.io/my-proj/app@\(T.d1)"]), at: T.time)
        #expect(!decision.isAllowed)
        #expect(
            decision.images[0].reason
                == "attestor \(T.builtByCI): no attestation evidence was supplied for attestor \(T.builtByCI)")
    }

    // MARK: Invalid policies

    @Test("A policy that fails validation is refused before any decision, listing every problem")
    func invalidPolicy() throws {
        let policy = try Policy(yaml: Fixtures.text("policy/invalid-two-maps.yaml"))
        let error = #expect(throws: PolicyEvaluationError.invalidPolicy) { try PolicyEvaluator(policy: policy) }
        #expect(error?.issues.map(\.code) == [.conflictingRuleMaps])
        #expect(error?.issues.first?.path == "kubernetesNamespaceAdmissionRules")
        #expect(
            error?.description.hasPrefix("the policy is invalid (1 problem): kubernetesNamespaceAdmissionRules: ")
                == true)
        #expect(throws: PolicyEvaluationError.invalidPolicy) {
            try policy.evaluate(AdmissionRequest(images: ["x"]), evidence: T.evidence, at: T.time)
        }
    }

    @Test(
        "Other invalid policies are refused too",
        arguments: [
            ("no default rule", "clusterAdmissionRules: {}\n", ValidationIssue.Code.missingField),
            (
                "REQUIRE_ATTESTATION without attestors",
                "defaultAdmissionRule:\n  evaluationMode: REQUIRE_ATTESTATION\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n",
                .attestorListMismatch
            ),
            (
                "a wildcard in the middle of a pattern",
                Policies.allowAll + "\nadmissionWhitelistPatterns:\n- namePattern: gcr.io/*/app\n", .invalidPattern
            ),
            (
                "an unspecified evaluation mode",
                "defaultAdmissionRule:\n  evaluationMode: EVALUATION_MODE_UNSPECIFIED\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n",
                .unknownEnumValue
            ),
        ])
    func otherInvalidPolicies(_ row: (String, String, ValidationIssue.Code)) throws {
        let policy = try Policy(yaml: row.1)
        let error = #expect(throws: PolicyEvaluationError.invalidPolicy) { try PolicyEvaluator(policy: policy) }
        #expect(error?.issues.map(\.code).contains(row.2) == true, "\(row.0)")
    }

    // MARK: API shape

    @Test("Rule selection is exposed for explanations")
    func ruleForTarget() throws {
        let evaluator = try PolicyEvaluator(policy: Policy(yaml: Policies.clusterDeny))
        let hit = evaluator.rule(for: DeploymentTarget(cluster: "us-central1-a.my-cluster-1"))
        #expect(hit.reference == .cluster("us-central1-a.my-cluster-1"))
        #expect(hit.rule.evaluationMode == .alwaysDeny)
        #expect(evaluator.rule(for: DeploymentTarget()).reference == .default)
    }

    @Test("Policy.evaluate is the one-off form of PolicyEvaluator")
    func oneOff() throws {
        let policy = try Policy(yaml: Policies.attestTwo)
        let request = AdmissionRequest(images: ["gcr.io/my-proj/app@\(T.d2)"])
        #expect(
            try policy.evaluate(request, evidence: T.evidence, at: T.time)
                == PolicyEvaluator(policy: policy).evaluate(request, evidence: T.evidence, at: T.time))
    }

    @Test("The system policy can be replaced")
    func customSystemPolicy() throws {
        let policy = try Policy(yaml: Policies.systemEnabled)
        let mirror = try SystemPolicy(patterns: ["mirror.example.com/google/**"])
        let evaluator = try PolicyEvaluator(policy: policy, options: EvaluationOptions(systemPolicy: mirror))
        let decision = evaluator.evaluate(
            AdmissionRequest(images: ["mirror.example.com/google/gke/agent:1", "gke.gcr.io/agent:1"]), at: T.time)
        #expect(decision.images.map(\.rule.description) == ["system", "default"])
        let none = try PolicyEvaluator(policy: policy, options: EvaluationOptions(systemPolicy: .empty))
        #expect(none.evaluate(AdmissionRequest(images: ["gke.gcr.io/agent:1"]), at: T.time).images[0].rule == .default)
        #expect(throws: PolicyEvaluationError.invalidPattern) { try SystemPolicy(patterns: ["gke.gcr.*"]) }
        #expect(
            SystemPolicy.bundled.patterns == [
                "gcr.io/google_containers/*", "gcr.io/google-containers/*", "k8s.gcr.io/**", "gke.gcr.io/**",
                "gcr.io/stackdriver-agents/*", "registry.k8s.io/*",
            ])
    }

    @Test("Rule references print as the CLI's rule column")
    func ruleReferenceText() {
        #expect(
            [
                RuleReference.default, .cluster("us-central1-a.c"), .namespace("ns"), .serviceAccount("ns:sa"),
                .istio("spiffe://d/ns/n/sa/s"), .allowlist("gcr.io/p/*"), .system, .breakGlass,
            ].map(\.description) == [
                "default", "cluster:us-central1-a.c", "namespace:ns", "serviceAccount:ns:sa",
                "istio:spiffe://d/ns/n/sa/s", "allowlist:gcr.io/p/*", "system", "breakglass",
            ])
        #expect(RuleReference.allowlist("x/*").gkeDescription == nil)
        #expect(
            RuleReference.cluster("us-central1-a.c").gkeDescription
                == "Binary Authorization cluster admission rule for us-central1-a.c")
    }

    @Test("Deployment targets default to namespace and service account `default`")
    func targetDefaults() {
        let target = DeploymentTarget()
        #expect(target.namespace == "default" && target.serviceAccount == "default" && target.cluster == nil)
        #expect(target.serviceAccountKey == "default:default")
        #expect(
            DeploymentTarget(namespace: "prod", serviceAccount: "web").spiffeIdentity(trustDomain: "cluster.local")
                == "spiffe://cluster.local/ns/prod/sa/web")
    }
}
