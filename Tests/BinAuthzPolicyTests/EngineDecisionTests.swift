// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import BinAuthzPolicy
import Testing

/// The policies of the decision table, as gcloud YAML.
enum Policies {
    static let allowAll = """
        defaultAdmissionRule:
          evaluationMode: ALWAYS_ALLOW
          enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
        """
    static let denyAll = """
        defaultAdmissionRule:
          evaluationMode: ALWAYS_DENY
          enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
        """
    static let clusterDeny = """
        defaultAdmissionRule:
          evaluationMode: ALWAYS_ALLOW
          enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
        clusterAdmissionRules:
          us-central1-a.my-cluster-1:
            evaluationMode: ALWAYS_DENY
            enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
        """
    static let namespaceDeny = """
        defaultAdmissionRule:
          evaluationMode: ALWAYS_ALLOW
          enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
        kubernetesNamespaceAdmissionRules:
          prod:
            evaluationMode: ALWAYS_DENY
            enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
        """
    static let serviceAccountAttest = """
        defaultAdmissionRule:
          evaluationMode: ALWAYS_ALLOW
          enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
        kubernetesServiceAccountAdmissionRules:
          prod:deployer:
            evaluationMode: REQUIRE_ATTESTATION
            enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
            requireAttestationsBy:
            - \(T.builtByCI)
        """
    static let istioSpiffeKey = """
        defaultAdmissionRule:
          evaluationMode: ALWAYS_ALLOW
          enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
        istioServiceIdentityAdmissionRules:
          spiffe://example.com/ns/prod/sa/default:
            evaluationMode: ALWAYS_DENY
            enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
        """
    static let istioBareKey = """
        defaultAdmissionRule:
          evaluationMode: ALWAYS_ALLOW
          enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
        istioServiceIdentityAdmissionRules:
          example.com/ns/prod/sa/default:
            evaluationMode: ALWAYS_DENY
            enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
        """
    static let attestOne = """
        defaultAdmissionRule:
          evaluationMode: REQUIRE_ATTESTATION
          enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
          requireAttestationsBy:
          - \(T.builtByCI)
        """
    static let attestTwo = """
        defaultAdmissionRule:
          evaluationMode: REQUIRE_ATTESTATION
          enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
          requireAttestationsBy:
          - \(T.builtByCI)
          - \(T.qaApproved)
        """
    static let allowlistDeny = """
        admissionWhitelistPatterns:
        - namePattern: gcr.io/my-proj/vendor/*
        - namePattern: us-docker.pkg.dev/my-proj/mirror/**
        - namePattern: docker.io/library/busybox:1.36
        - namePattern: gcr.io/my-proj/im@sha256:*
        defaultAdmissionRule:
          evaluationMode: ALWAYS_DENY
          enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
        """
    static let allowlistAttest = """
        admissionWhitelistPatterns:
        - namePattern: gcr.io/my-proj/tools/*
        defaultAdmissionRule:
          evaluationMode: REQUIRE_ATTESTATION
          enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
          requireAttestationsBy:
          - \(T.builtByCI)
        """
    static let systemEnabled = """
        globalPolicyEvaluationMode: ENABLE
        admissionWhitelistPatterns:
        - namePattern: k8s.gcr.io/**
        - namePattern: gcr.io/my-proj/tools/*
        defaultAdmissionRule:
          evaluationMode: ALWAYS_DENY
          enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
        """
    static let systemDisabled = """
        globalPolicyEvaluationMode: DISABLE
        defaultAdmissionRule:
          evaluationMode: ALWAYS_DENY
          enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
        """
    static let systemUnspecified = """
        globalPolicyEvaluationMode: GLOBAL_POLICY_EVALUATION_MODE_UNSPECIFIED
        defaultAdmissionRule:
          evaluationMode: ALWAYS_DENY
          enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
        """
    static let dryRunDeny = """
        defaultAdmissionRule:
          evaluationMode: ALWAYS_DENY
          enforcementMode: DRYRUN_AUDIT_LOG_ONLY
        """
    static let dryRunAttest = """
        defaultAdmissionRule:
          evaluationMode: REQUIRE_ATTESTATION
          enforcementMode: DRYRUN_AUDIT_LOG_ONLY
          requireAttestationsBy:
          - \(T.builtByCI)
        """
    static let dryRunCluster = """
        defaultAdmissionRule:
          evaluationMode: ALWAYS_DENY
          enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
        clusterAdmissionRules:
          us-central1.staging-cluster:
            evaluationMode: ALWAYS_DENY
            enforcementMode: DRYRUN_AUDIT_LOG_ONLY
        """
}

/// The expected verdict of one image.
struct ExpectedImage: Sendable {
    var image: String
    var allowed: Bool
    var rule: String
    /// The exact reason, when the case pins it.
    var reason: String?

    init(_ image: String, _ allowed: Bool, _ rule: String, reason: String? = nil) {
        self.image = image
        self.allowed = allowed
        self.rule = rule
        self.reason = reason
    }
}

/// One row of the decision table.
struct EngineCase: Sendable, CustomTestStringConvertible {
    var name: String
    var policy: String
    var images: [String]
    var target = DeploymentTarget()
    var labels: [String: String] = [:]
    var annotations: [String: String] = [:]
    var allowed: Bool
    var expected: [ExpectedImage]
    var message: String
    var breakGlass = false
    var dryRun = false

    var testDescription: String { name }
}

let img = "gcr.io/my-proj/app"

let engineCases: [EngineCase] = [
    // MARK: Default rule
    EngineCase(
        name: "ALWAYS_ALLOW admits a tag", policy: Policies.allowAll, images: ["nginx:latest"], allowed: true,
        expected: [.init("nginx:latest", true, "default", reason: "Allowed by always_allow admission rule")],
        message: ""),
    EngineCase(
        name: "ALWAYS_DENY by the default rule", policy: Policies.denyAll,
        images: ["gcr.io/google-samples/hello-app:1.0"], allowed: false,
        expected: [.init("gcr.io/google-samples/hello-app:1.0", false, "default", reason: T.alwaysDeny)],
        message: "Image gcr.io/google-samples/hello-app:1.0 denied by Binary Authorization default admission rule. "
            + "Denied by always_deny admission rule"),

    // MARK: Cluster rules
    EngineCase(
        name: "ALWAYS_DENY by a cluster rule", policy: Policies.clusterDeny, images: ["gcr.io/my-proj/nginx:latest"],
        target: DeploymentTarget(cluster: "us-central1-a.my-cluster-1"), allowed: false,
        expected: [
            .init("gcr.io/my-proj/nginx:latest", false, "cluster:us-central1-a.my-cluster-1", reason: T.alwaysDeny)
        ],
        message: "Image gcr.io/my-proj/nginx:latest denied by Binary Authorization cluster admission rule for "
            + "us-central1-a.my-cluster-1. Denied by always_deny admission rule"),
    EngineCase(
        name: "another cluster falls through to the default rule", policy: Policies.clusterDeny,
        images: ["gcr.io/my-proj/nginx:latest"], target: DeploymentTarget(cluster: "us-central1-a.my-cluster-2"),
        allowed: true, expected: [.init("gcr.io/my-proj/nginx:latest", true, "default")], message: ""),
    EngineCase(
        name: "cluster keys match exactly (region is not the zone)", policy: Policies.clusterDeny,
        images: ["gcr.io/my-proj/nginx:latest"], target: DeploymentTarget(cluster: "us-central1.my-cluster-1"),
        allowed: true, expected: [.init("gcr.io/my-proj/nginx:latest", true, "default")], message: ""),
    EngineCase(
        name: "no cluster given: the default rule", policy: Policies.clusterDeny,
        images: ["gcr.io/my-proj/nginx:latest"],
        allowed: true, expected: [.init("gcr.io/my-proj/nginx:latest", true, "default")], message: ""),

    // MARK: Namespace, service account and Istio rules
    EngineCase(
        name: "namespace rule", policy: Policies.namespaceDeny, images: ["\(img):1"],
        target: DeploymentTarget(namespace: "prod"), allowed: false,
        expected: [.init("\(img):1", false, "namespace:prod", reason: T.alwaysDeny)],
        message: "Image \(img):1 denied by Binary Authorization Kubernetes namespace admission rule for prod. "
            + "Denied by always_deny admission rule"),
    EngineCase(
        name: "another namespace uses the default rule", policy: Policies.namespaceDeny, images: ["\(img):1"],
        target: DeploymentTarget(namespace: "staging"), allowed: true, expected: [.init("\(img):1", true, "default")],
        message: ""),
    EngineCase(
        name: "service account rule", policy: Policies.serviceAccountAttest, images: ["\(img)@\(T.d3)"],
        target: DeploymentTarget(namespace: "prod", serviceAccount: "deployer"), allowed: false,
        expected: [
            .init(
                "\(img)@\(T.d3)", false, "serviceAccount:prod:deployer",
                reason: "attestor \(T.builtByCI): no attestation occurrence for \(T.d3) on the note of \(T.builtByCI)")
        ],
        message: "Image \(img)@\(T.d3) denied by Binary Authorization Kubernetes service account admission rule for "
            + "prod:deployer. Image \(img)@\(T.d3) denied by attestor \(T.builtByCI): \(T.noAttestations)"),
    EngineCase(
        name: "same service account in another namespace uses the default rule", policy: Policies.serviceAccountAttest,
        images: ["\(img)@\(T.d3)"], target: DeploymentTarget(namespace: "staging", serviceAccount: "deployer"),
        allowed: true, expected: [.init("\(img)@\(T.d3)", true, "default")], message: ""),
    EngineCase(
        name: "Istio rule keyed with spiffe://", policy: Policies.istioSpiffeKey, images: ["\(img):1"],
        target: DeploymentTarget(istioIdentity: "spiffe://example.com/ns/prod/sa/default"), allowed: false,
        expected: [.init("\(img):1", false, "istio:spiffe://example.com/ns/prod/sa/default")],
        message: "Image \(img):1 denied by Binary Authorization Istio service identity admission rule for "
            + "spiffe://example.com/ns/prod/sa/default. Denied by always_deny admission rule"),
    EngineCase(
        name: "Istio identity without the scheme matches a spiffe:// key", policy: Policies.istioSpiffeKey,
        images: ["\(img):1"], target: DeploymentTarget(istioIdentity: "example.com/ns/prod/sa/default"),
        allowed: false, expected: [.init("\(img):1", false, "istio:spiffe://example.com/ns/prod/sa/default")],
        message: "Image \(img):1 denied by Binary Authorization Istio service identity admission rule for "
            + "spiffe://example.com/ns/prod/sa/default. Denied by always_deny admission rule"),
    EngineCase(
        name: "Istio key without the scheme matches a spiffe:// identity", policy: Policies.istioBareKey,
        images: ["\(img):1"], target: DeploymentTarget(istioIdentity: "spiffe://example.com/ns/prod/sa/default"),
        allowed: false, expected: [.init("\(img):1", false, "istio:example.com/ns/prod/sa/default")],
        message: "Image \(img):1 denied by Binary Authorization Istio service identity admission rule for "
            + "example.com/ns/prod/sa/default. Denied by always_deny admission rule"),
    EngineCase(
        name: "no Istio identity: the default rule", policy: Policies.istioSpiffeKey, images: ["\(img):1"],
        target: DeploymentTarget(namespace: "prod"), allowed: true, expected: [.init("\(img):1", true, "default")],
        message: ""),

    // MARK: REQUIRE_ATTESTATION
    EngineCase(
        name: "a tag under REQUIRE_ATTESTATION", policy: Policies.attestOne, images: ["nginx"], allowed: false,
        expected: [.init("nginx", false, "default", reason: T.digestRequired)],
        message: "Image nginx denied by Binary Authorization default admission rule. Image nginx denied by attestor "
            + "\(T.builtByCI): \(T.digestRequired)"),
    EngineCase(
        name: "upper-case digest hex is malformed", policy: Policies.attestOne,
        images: ["\(img)@sha256:" + String(repeating: "A", count: 64)], allowed: false,
        expected: [
            .init("\(img)@sha256:" + String(repeating: "A", count: 64), false, "default", reason: T.digestRequired)
        ],
        message: "Image \(img)@sha256:\(String(repeating: "A", count: 64)) denied by Binary Authorization default "
            + "admission rule. Image \(img)@sha256:\(String(repeating: "A", count: 64)) denied by attestor "
            + "\(T.builtByCI): \(T.digestRequired)"),
    EngineCase(
        name: "a sha512 digest is not accepted", policy: Policies.attestOne,
        images: ["\(img)@sha512:" + String(repeating: "a", count: 128)], allowed: false,
        expected: [
            .init("\(img)@sha512:" + String(repeating: "a", count: 128), false, "default", reason: T.digestRequired)
        ],
        message: "Image \(img)@sha512:\(String(repeating: "a", count: 128)) denied by Binary Authorization default "
            + "admission rule. Image \(img)@sha512:\(String(repeating: "a", count: 128)) denied by attestor "
            + "\(T.builtByCI): \(T.digestRequired)"),
    EngineCase(
        name: "an unparsable image is refused like a tag", policy: Policies.attestOne,
        images: ["gcr.io/{{ .Project }}/app@\(T.d1)"], allowed: false,
        expected: [.init("gcr.io/{{ .Project }}/app@\(T.d1)", false, "default", reason: T.digestRequired)],
        message: "Image gcr.io/{{ .Project }}/app@\(T.d1) denied by Binary Authorization default admission rule. "
            + "Image gcr.io/{{ .Project }}/app@\(T.d1) denied by attestor \(T.builtByCI): \(T.digestRequired)"),
    EngineCase(
        name: "tag and digest together: the digest counts", policy: Policies.attestOne, images: ["\(img):1.0@\(T.d1)"],
        allowed: true,
        expected: [
            .init(
                "\(img):1.0@\(T.d1)", true, "default",
                reason: "attested by every attestor: attestor \(T.builtByCI): signature by key "
                    + "E50ABDE5A0C05DB317479494C111AF41B88ECC96 verified for \(T.d1) "
                    + "(occurrence on note projects/my-proj/notes/test)")
        ], message: ""),
    EngineCase(
        name: "attested digest", policy: Policies.attestOne, images: ["\(img)@\(T.d1)"], allowed: true,
        expected: [
            .init(
                "\(img)@\(T.d1)", true, "default",
                reason: "attested by every attestor: attestor \(T.builtByCI): signature by key "
                    + "E50ABDE5A0C05DB317479494C111AF41B88ECC96 verified for \(T.d1) "
                    + "(occurrence on note projects/my-proj/notes/test)")
        ], message: ""),
    EngineCase(
        name: "unattested digest", policy: Policies.attestOne, images: ["\(img)@\(T.d3)"], allowed: false,
        expected: [
            .init(
                "\(img)@\(T.d3)", false, "default",
                reason: "attestor \(T.builtByCI): no attestation occurrence for \(T.d3) on the note of \(T.builtByCI)")
        ],
        message: "Image \(img)@\(T.d3) denied by Binary Authorization default admission rule. Image \(img)@\(T.d3) "
            + "denied by attestor \(T.builtByCI): \(T.noAttestations)"),
    EngineCase(
        name: "the evidence's detailed reason stays out of the GKE message", policy: Policies.attestOne,
        images: ["\(img)@\(T.d4)"], allowed: false,
        expected: [
            .init(
                "\(img)@\(T.d4)", false, "default",
                reason:
                    "attestor \(T.builtByCI): key E50ABDE5A0C05DB317479494C111AF41B88ECC96 expired on 2020-12-18T21:02:38Z"
            )
        ],
        message: "Image \(img)@\(T.d4) denied by Binary Authorization default admission rule. Image \(img)@\(T.d4) "
            + "denied by attestor \(T.builtByCI): \(T.noAttestations)"),
    EngineCase(
        name: "two attestors, both satisfied", policy: Policies.attestTwo, images: ["\(img)@\(T.d1)"], allowed: true,
        expected: [.init("\(img)@\(T.d1)", true, "default")], message: ""),
    EngineCase(
        name: "two attestors, one unsatisfied (AND over attestors)", policy: Policies.attestTwo,
        images: ["\(img)@\(T.d2)"], allowed: false,
        expected: [
            .init(
                "\(img)@\(T.d2)", false, "default",
                reason: "attestor \(T.qaApproved): no attestation occurrence for \(T.d2) on the note of \(T.qaApproved)"
            )
        ],
        message: "Image \(img)@\(T.d2) denied by Binary Authorization default admission rule. Image \(img)@\(T.d2) "
            + "denied by attestor \(T.qaApproved): \(T.noAttestations)"),
    EngineCase(
        name: "two attestors, both unsatisfied", policy: Policies.attestTwo, images: ["\(img)@\(T.d3)"], allowed: false,
        expected: [.init("\(img)@\(T.d3)", false, "default")],
        message: "Image \(img)@\(T.d3) denied by Binary Authorization default admission rule. Image \(img)@\(T.d3) "
            + "denied by attestor \(T.builtByCI): \(T.noAttestations) Image \(img)@\(T.d3) denied by attestor "
            + "\(T.qaApproved): \(T.noAttestations)"),
    EngineCase(
        name: "two attestors, a tag", policy: Policies.attestTwo, images: ["\(img):1"], allowed: false,
        expected: [.init("\(img):1", false, "default", reason: T.digestRequired)],
        message: "Image \(img):1 denied by Binary Authorization default admission rule. Image \(img):1 denied by "
            + "attestor \(T.builtByCI): \(T.digestRequired) Image \(img):1 denied by attestor \(T.qaApproved): "
            + "\(T.digestRequired)"),

    // MARK: Allowlist
    EngineCase(
        name: "allowlist: trailing * matches one level", policy: Policies.allowlistDeny,
        images: ["gcr.io/my-proj/vendor/tool:1"], allowed: true,
        expected: [
            .init(
                "gcr.io/my-proj/vendor/tool:1", true, "allowlist:gcr.io/my-proj/vendor/*",
                reason: "matches admissionWhitelistPatterns[0] gcr.io/my-proj/vendor/*")
        ], message: ""),
    EngineCase(
        name: "allowlist: trailing * does not cross /", policy: Policies.allowlistDeny,
        images: ["gcr.io/my-proj/vendor/team/tool:1"], allowed: false,
        expected: [.init("gcr.io/my-proj/vendor/team/tool:1", false, "default")],
        message: "Image gcr.io/my-proj/vendor/team/tool:1 denied by Binary Authorization default admission rule. "
            + "Denied by always_deny admission rule"),
    EngineCase(
        name: "allowlist: trailing ** crosses /", policy: Policies.allowlistDeny,
        images: ["us-docker.pkg.dev/my-proj/mirror/a/b/c:1"], allowed: true,
        expected: [
            .init("us-docker.pkg.dev/my-proj/mirror/a/b/c:1", true, "allowlist:us-docker.pkg.dev/my-proj/mirror/**")
        ],
        message: ""),
    EngineCase(
        name: "allowlist: exact pattern", policy: Policies.allowlistDeny, images: ["docker.io/library/busybox:1.36"],
        allowed: true,
        expected: [.init("docker.io/library/busybox:1.36", true, "allowlist:docker.io/library/busybox:1.36")],
        message: ""),
    EngineCase(
        name: "allowlist: no registry normalisation", policy: Policies.allowlistDeny, images: ["busybox:1.36"],
        allowed: false, expected: [.init("busybox:1.36", false, "default")],
        message: "Image busybox:1.36 denied by Binary Authorization default admission rule. Denied by always_deny "
            + "admission rule"),
    EngineCase(
        name: "allowlist: exact pattern, other tag", policy: Policies.allowlistDeny,
        images: ["docker.io/library/busybox:1.37"], allowed: false,
        expected: [.init("docker.io/library/busybox:1.37", false, "default")],
        message: "Image docker.io/library/busybox:1.37 denied by Binary Authorization default admission rule. "
            + "Denied by always_deny admission rule"),
    EngineCase(
        name: "allowlist: digest wildcard", policy: Policies.allowlistDeny, images: ["gcr.io/my-proj/im@\(T.d3)"],
        allowed: true, expected: [.init("gcr.io/my-proj/im@\(T.d3)", true, "allowlist:gcr.io/my-proj/im@sha256:*")],
        message: ""),
    EngineCase(
        name: "allowlist exempts a tag from REQUIRE_ATTESTATION", policy: Policies.allowlistAttest,
        images: ["gcr.io/my-proj/tools/kubectl:1.30", "gcr.io/my-proj/app:1"], allowed: false,
        expected: [
            .init("gcr.io/my-proj/tools/kubectl:1.30", true, "allowlist:gcr.io/my-proj/tools/*"),
            .init("gcr.io/my-proj/app:1", false, "default", reason: T.digestRequired),
        ],
        message: "Image gcr.io/my-proj/app:1 denied by Binary Authorization default admission rule. Image "
            + "gcr.io/my-proj/app:1 denied by attestor \(T.builtByCI): \(T.digestRequired)"),

    // MARK: System policy
    EngineCase(
        name: "system images under ENABLE", policy: Policies.systemEnabled,
        images: ["gke.gcr.io/gke-metrics-agent:1.0", "registry.k8s.io/pause:3.9", "gcr.io/my-proj/app:1"],
        allowed: false,
        expected: [
            .init(
                "gke.gcr.io/gke-metrics-agent:1.0", true, "system",
                reason: "matches system policy pattern gke.gcr.io/** (globalPolicyEvaluationMode: ENABLE)"),
            .init("registry.k8s.io/pause:3.9", true, "system"),
            .init("gcr.io/my-proj/app:1", false, "default"),
        ],
        message: "Image gcr.io/my-proj/app:1 denied by Binary Authorization default admission rule. Denied by "
            + "always_deny admission rule"),
    EngineCase(
        name: "the system policy is consulted before the allowlist", policy: Policies.systemEnabled,
        images: ["k8s.gcr.io/pause:3.1", "gcr.io/my-proj/tools/jq:1"], allowed: true,
        expected: [
            .init("k8s.gcr.io/pause:3.1", true, "system"),
            .init("gcr.io/my-proj/tools/jq:1", true, "allowlist:gcr.io/my-proj/tools/*"),
        ], message: ""),
    EngineCase(
        name: "system images under DISABLE", policy: Policies.systemDisabled,
        images: ["gke.gcr.io/gke-metrics-agent:1.0"],
        allowed: false, expected: [.init("gke.gcr.io/gke-metrics-agent:1.0", false, "default")],
        message: "Image gke.gcr.io/gke-metrics-agent:1.0 denied by Binary Authorization default admission rule. "
            + "Denied by always_deny admission rule"),
    EngineCase(
        name: "system images when the mode is unspecified (DISABLE assumed)", policy: Policies.systemUnspecified,
        images: ["gke.gcr.io/gke-metrics-agent:1.0"], allowed: false,
        expected: [.init("gke.gcr.io/gke-metrics-agent:1.0", false, "default")],
        message: "Image gke.gcr.io/gke-metrics-agent:1.0 denied by Binary Authorization default admission rule. "
            + "Denied by always_deny admission rule"),

    // MARK: Break-glass
    EngineCase(
        name: "break-glass label admits and keeps the would-be verdict", policy: Policies.denyAll, images: ["\(img):1"],
        labels: ["image-policy.k8s.io/break-glass": "true"], allowed: true,
        expected: [
            .init(
                "\(img):1", true, "breakglass",
                reason: "break-glass requested on the pod; the policy (default) would deny it (\(T.alwaysDeny))")
        ],
        message: "", breakGlass: true),
    EngineCase(
        name: "break-glass label with another value", policy: Policies.denyAll, images: ["\(img):1"],
        labels: ["image-policy.k8s.io/break-glass": "false"], allowed: false,
        expected: [.init("\(img):1", false, "default")],
        message: "Image \(img):1 denied by Binary Authorization default admission rule. \(T.alwaysDeny)"),
    EngineCase(
        name: "break-glass label value is case-sensitive", policy: Policies.denyAll, images: ["\(img):1"],
        labels: ["image-policy.k8s.io/break-glass": "True"], allowed: false,
        expected: [.init("\(img):1", false, "default")],
        message: "Image \(img):1 denied by Binary Authorization default admission rule. \(T.alwaysDeny)"),
    EngineCase(
        name: "break-glass as an annotation key is not the label", policy: Policies.denyAll, images: ["\(img):1"],
        annotations: ["image-policy.k8s.io/break-glass": "true"], allowed: false,
        expected: [.init("\(img):1", false, "default")],
        message: "Image \(img):1 denied by Binary Authorization default admission rule. \(T.alwaysDeny)"),
    EngineCase(
        name: "legacy break-glass annotation with value true", policy: Policies.denyAll, images: ["\(img):1"],
        annotations: ["alpha.image-policy.k8s.io/break-glass": "true"], allowed: true,
        expected: [.init("\(img):1", true, "breakglass")], message: "", breakGlass: true),
    EngineCase(
        name: "legacy break-glass annotation set to false does not break glass", policy: Policies.denyAll,
        images: ["\(img):1"], annotations: ["alpha.image-policy.k8s.io/break-glass": "false"], allowed: false,
        expected: [.init("\(img):1", false, "default")],
        message: "Image \(img):1 denied by Binary Authorization default admission rule. \(T.alwaysDeny)"),
    EngineCase(
        name: "legacy break-glass annotation without a value does not break glass", policy: Policies.denyAll,
        images: ["\(img):1"], annotations: ["alpha.image-policy.k8s.io/break-glass": ""], allowed: false,
        expected: [.init("\(img):1", false, "default")],
        message: "Image \(img):1 denied by Binary Authorization default admission rule. \(T.alwaysDeny)"),
    EngineCase(
        name: "break-glass when the policy would admit anyway", policy: Policies.allowAll, images: ["\(img):1"],
        labels: ["image-policy.k8s.io/break-glass": "true"], allowed: true,
        expected: [
            .init(
                "\(img):1", true, "breakglass",
                reason:
                    "break-glass requested on the pod; the policy (default) would admit it (Allowed by always_allow "
                    + "admission rule)")
        ], message: "", breakGlass: true),
    EngineCase(
        name: "break-glass wins over the system policy and dry run", policy: Policies.dryRunDeny,
        images: ["\(img):1"], labels: ["image-policy.k8s.io/break-glass": "true"], allowed: true,
        expected: [.init("\(img):1", true, "breakglass")], message: "", breakGlass: true, dryRun: false),

    // MARK: Enforcement mode
    EngineCase(
        name: "DRYRUN_AUDIT_LOG_ONLY admits a denial", policy: Policies.dryRunDeny, images: ["\(img):1"], allowed: true,
        expected: [
            .init(
                "\(img):1", true, "default",
                reason: "DRYRUN_AUDIT_LOG_ONLY: admitted; the rule would deny it: \(T.alwaysDeny)")
        ], message: "", dryRun: true),
    EngineCase(
        name: "DRYRUN_AUDIT_LOG_ONLY with nothing to override", policy: Policies.dryRunAttest,
        images: ["\(img)@\(T.d1)"],
        allowed: true, expected: [.init("\(img)@\(T.d1)", true, "default")], message: "", dryRun: false),
    EngineCase(
        name: "dry run on a cluster rule", policy: Policies.dryRunCluster, images: ["\(img):1"],
        target: DeploymentTarget(cluster: "us-central1.staging-cluster"), allowed: true,
        expected: [.init("\(img):1", true, "cluster:us-central1.staging-cluster")], message: "", dryRun: true),
    EngineCase(
        name: "the default rule is still enforced beside a dry-run cluster rule", policy: Policies.dryRunCluster,
        images: ["\(img):1"], target: DeploymentTarget(cluster: "us-central1.prod-cluster"), allowed: false,
        expected: [.init("\(img):1", false, "default")],
        message: "Image \(img):1 denied by Binary Authorization default admission rule. \(T.alwaysDeny)"),

    // MARK: Pods with several images
    EngineCase(
        name: "one clause per denied image, in pod order, separated by a space", policy: Policies.attestOne,
        images: ["\(img)-b:1", "\(img)@\(T.d1)", "\(img)-a@\(T.d3)", "\(img)-b:1"], allowed: false,
        expected: [
            .init("\(img)-b:1", false, "default"),
            .init("\(img)@\(T.d1)", true, "default"),
            .init("\(img)-a@\(T.d3)", false, "default"),
        ],
        message: "Image \(img)-b:1 denied by Binary Authorization default admission rule. Image \(img)-b:1 denied by "
            + "attestor \(T.builtByCI): \(T.digestRequired) Image \(img)-a@\(T.d3) denied by Binary Authorization "
            + "default admission rule. Image \(img)-a@\(T.d3) denied by attestor \(T.builtByCI): \(T.noAttestations)"),
    EngineCase(
        name: "an empty pod is admitted", policy: Policies.denyAll, images: [], allowed: true, expected: [], message: ""
    ),
]

@Suite("Decision table")
struct EngineDecisionTests {
    @Test(arguments: engineCases)
    func decides(_ row: EngineCase) throws {
        let policy = try Policy(yaml: row.policy)
        let evaluator = try PolicyEvaluator(policy: policy)
        let request = AdmissionRequest(
            images: row.images, target: row.target, labels: row.labels, annotations: row.annotations)
        let decision = try evaluator.evaluate(request, evidence: T.evidence, at: T.time)
        #expect(decision.isAllowed == row.allowed)
        #expect(decision.message == row.message)
        #expect(decision.isBreakGlass == row.breakGlass)
        #expect(decision.isDryRun == row.dryRun)
        #expect(decision.images.map(\.image) == row.expected.map(\.image))
        for (actual, expected) in zip(decision.images, row.expected) {
            #expect(actual.isAllowed == expected.allowed, "\(expected.image)")
            #expect(actual.rule.description == expected.rule, "\(expected.image)")
            if let reason = expected.reason { #expect(actual.reason == reason, "\(expected.image)") }
        }
        // The pod verdict is the conjunction of the image verdicts, and the message is empty exactly when admitted.
        #expect(decision.isAllowed == decision.images.allSatisfy(\.isAllowed))
        #expect(decision.message.isEmpty == decision.isAllowed)
    }
}
