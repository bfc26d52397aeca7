// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import BinAuthzPolicy
import BinAuthzTestSupport
import Testing

@Suite("Kubernetes manifests")
struct KubernetesManifestTests {
    /// What each fixture must yield.
    struct Expected: Sendable, CustomTestStringConvertible {
        var file: String
        var kind: String
        var name: String?
        var images: [String]
        var namespace = "default"
        var serviceAccount = "default"
        var labels: [String: String] = [:]
        var annotations: [String: String] = [:]
        var testDescription: String { file }
    }

    static let fixtures: [Expected] = [
        Expected(
            file: "pod.yaml", kind: "Pod", name: "shop-app",
            images: [
                "gcr.io/my-proj/app:1.0",
                "gcr.io/my-proj/sidecar@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                "busybox:1.36", "gcr.io/my-proj/debug:latest",
            ], namespace: "shop", serviceAccount: "deployer", labels: ["app": "shop"],
            annotations: ["example.com/owner": "team-a"]),
        Expected(
            file: "deployment.yaml", kind: "Deployment", name: "web",
            images: ["gcr.io/my-proj/web:2.1", "gcr.io/my-proj/migrate:2.1"], namespace: "shop",
            labels: ["app": "web", "image-policy.k8s.io/break-glass": "true"]),
        Expected(
            file: "deployment.json", kind: "Deployment", name: "web-json",
            images: ["gcr.io/my-proj/web@sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"],
            serviceAccount: "web", labels: ["app": "web", "tier": "frontend"], annotations: ["example.com/build": "42"]),
        Expected(
            file: "replicaset.yaml", kind: "ReplicaSet", name: "rs", images: ["gcr.io/my-proj/rs:1"],
            labels: ["app": "rs"]),
        Expected(
            file: "statefulset.yaml", kind: "StatefulSet", name: "db", images: ["gcr.io/my-proj/db:15"],
            namespace: "data",
            serviceAccount: "db", labels: ["app": "db"]),
        Expected(
            file: "daemonset.yaml", kind: "DaemonSet", name: "agent",
            images: ["gke.gcr.io/agent:1", "gcr.io/my-proj/node-init:1"], namespace: "kube-system",
            serviceAccount: "agent", labels: ["app": "agent"]),
        Expected(file: "job.yaml", kind: "Job", name: "batch", images: ["gcr.io/my-proj/batch:3"]),
        Expected(
            file: "cronjob.yaml", kind: "CronJob", name: "report", images: ["gcr.io/my-proj/report:4"],
            namespace: "reports", serviceAccount: "reporter", labels: ["app": "report"]),
        Expected(
            file: "replicationcontroller.yaml", kind: "ReplicationController", name: "legacy",
            images: ["gcr.io/my-proj/legacy:0.9"], labels: ["app": "legacy"]),
        Expected(
            file: "podtemplate.yaml", kind: "PodTemplate", name: "template", images: ["gcr.io/my-proj/template:1"],
            labels: ["app": "template"]),
        Expected(
            file: "breakglass-annotation.yaml", kind: "Pod", name: "emergency", images: ["gcr.io/my-proj/app:1.0"],
            annotations: ["alpha.image-policy.k8s.io/break-glass": "true"]),
    ]

    @Test("Every workload kind", arguments: fixtures)
    func everyKind(_ expected: Expected) throws {
        let workloads = try KubernetesManifest.workloads(in: Fixtures.text("manifests/\(expected.file)"))
        #expect(workloads.count == 1)
        let workload = try #require(workloads.first)
        #expect(workload.kind == expected.kind)
        #expect(workload.name == expected.name)
        #expect(workload.images == expected.images)
        #expect(workload.effectiveNamespace == expected.namespace)
        #expect(workload.effectiveServiceAccount == expected.serviceAccount)
        #expect(workload.labels == expected.labels)
        #expect(workload.annotations == expected.annotations)
        #expect(workload.document == 1)
        #expect(workload.line != nil)
        let request = workload.request(cluster: "us-central1-a.prod")
        #expect(request.images == expected.images)
        #expect(
            request.target
                == DeploymentTarget(
                    cluster: "us-central1-a.prod", namespace: expected.namespace,
                    serviceAccount: expected.serviceAccount))
    }

    @Test("Only the pod template's labels count: break-glass on a controller's own metadata does not")
    func templateLabelsOnly() throws {
        let cron = try KubernetesManifest.workloads(in: Fixtures.text("manifests/cronjob.yaml"))[0]
        #expect(!cron.request().requestsBreakGlass)
        let deployment = try KubernetesManifest.workloads(in: Fixtures.text("manifests/deployment.yaml"))[0]
        #expect(deployment.request().requestsBreakGlass)
        let policy = try Policy(yaml: Policies.denyAll)
        let decision = try policy.evaluate(deployment.request(), evidence: NoAttestationEvidence(), at: T.time)
        #expect(decision.isAllowed && decision.isBreakGlass)
    }

    @Test("A List, nested Lists included, yields its items in order")
    func list() throws {
        let workloads = try KubernetesManifest.workloads(in: Fixtures.text("manifests/list.yaml"))
        #expect(workloads.map(\.description) == ["Pod/a", "Deployment/b"])
        #expect(workloads.map(\.path) == ["items[0]", "items[1].items[0]"])
        #expect(workloads.map(\.images) == [["gcr.io/my-proj/a:1"], ["gcr.io/my-proj/b:1"]])
    }

    @Test("Multi-document YAML: one workload per document, empty documents skipped")
    func multiDocument() throws {
        let workloads = try KubernetesManifest.workloads(in: Fixtures.text("manifests/multi-document.yaml"))
        #expect(workloads.map(\.description) == ["Deployment/frontend", "Job/migrate", "CronJob/cleanup"])
        #expect(workloads.map(\.document) == [1, 2, 3])
        #expect(workloads.map(\.line) == [2, 15, 28])
        #expect(
            workloads.flatMap(\.images) == [
                "gcr.io/my-proj/frontend:1", "gcr.io/my-proj/migrate:1", "gcr.io/my-proj/cleanup:1",
            ])
    }

    @Test("Service account: serviceAccountName wins over the legacy serviceAccount; empty means default")
    func serviceAccounts() throws {
        func account(_ spec: String) throws -> String {
            try KubernetesManifest.workloads(
                in: "kind: Pod\nspec:\n\(spec)  containers:\n  - image: x\n")[0].effectiveServiceAccount
        }
        #expect(try account("  serviceAccountName: a\n  serviceAccount: b\n") == "a")
        #expect(try account("  serviceAccount: b\n") == "b")
        #expect(try account("  serviceAccountName: \"\"\n  serviceAccount: b\n") == "b")
        #expect(try account("  serviceAccountName: \"\"\n") == "default")
        #expect(try account("") == "default")
    }

    @Test("Flags override the manifest's namespace and service account")
    func overrides() throws {
        let pod = try KubernetesManifest.workloads(in: Fixtures.text("manifests/pod.yaml"))[0]
        let request = pod.request(
            namespace: "other", serviceAccount: "robot", istioIdentity: "spiffe://d/ns/other/sa/robot")
        #expect(request.target.namespace == "other")
        #expect(request.target.serviceAccount == "robot")
        #expect(request.target.istioIdentity == "spiffe://d/ns/other/sa/robot")
        #expect(request.target.cluster == nil)
    }

    @Test("An Istio trust domain gives the pod its SPIFFE identity from the final namespace and service account")
    func istioTrustDomain() throws {
        let pod = try KubernetesManifest.workloads(in: Fixtures.text("manifests/pod.yaml"))[0]
        #expect(
            pod.request(istioTrustDomain: "cluster.local").target.istioIdentity
                == "spiffe://cluster.local/ns/shop/sa/deployer")
        #expect(
            pod.request(namespace: "other", istioTrustDomain: "d").target.istioIdentity
                == "spiffe://d/ns/other/sa/deployer")
        #expect(pod.request(istioTrustDomain: nil).target.istioIdentity == nil)
    }

    @Test("JSON Lists and format detection")
    func jsonList() throws {
        let text = """
            {"apiVersion": "v1", "kind": "PodList", "items": [
              {"kind": "Pod", "metadata": {"name": "p", "namespace": "n"}, "spec": {"containers": [{"image": "a.io/x/y:1"}]}}
            ]}
            """
        let workloads = try KubernetesManifest.workloads(in: text)
        #expect(workloads.map(\.description) == ["Pod/p"])
        #expect(workloads[0].effectiveNamespace == "n")
        #expect(try KubernetesManifest.workloads(in: text, format: .json) == workloads)
        // YAML is a superset of this JSON, and reads the same.
        #expect(try KubernetesManifest.workloads(in: text, format: .yaml).map(\.images) == workloads.map(\.images))
    }

    @Test("Text that opens with '{' is JSON only, as for kubectl: flow-style YAML needs format .yaml")
    func flowStyleIsJSONOnly() throws {
        let flow = "{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: c, image: a.io/x:1}]}}"
        #expect(throws: PolicyEvaluationError.syntax) { try KubernetesManifest.workloads(in: flow) }
        #expect(try KubernetesManifest.workloads(in: flow, format: .yaml).map(\.images) == [["a.io/x:1"]])
    }

    @Test("The kritis nginx pods: images extracted as written, their kritis annotation is not break-glass")
    func kritisPods() throws {
        let allowlist = try KubernetesManifest.workloads(
            in: Fixtures.corpusText("kritis/integration/testdata/nginx/nginx-digest-allowlist.yaml"))
        #expect(
            allowlist.map(\.images) == [
                [
                    "gcr.io/{{ .Project }}/nginx-digest-whitelist@sha256:56e0af16f4a9d2401d3f55bc8d214d519f070b5317512c87568603f315a8be72"
                ]
            ])
        let breakglass = try KubernetesManifest.workloads(
            in: Fixtures.corpusText("kritis/integration/testdata/nginx/nginx-no-digest-breakglass.yaml"))
        #expect(breakglass[0].annotations == ["kritis.grafeas.io/breakglass": "true"])
        #expect(!breakglass[0].request().requestsBreakGlass)
    }

    // MARK: Errors

    struct ErrorCase: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var code: PolicyEvaluationError.Code
        var description: String
        var testDescription: String { name }
    }

    @Test("Objects that run no containers (Service, ConfigMap, custom resources) are skipped and reported")
    func skippedObjects() throws {
        let text = """
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            ---
            kind: Pod
            metadata: {name: p}
            spec:
              containers:
              - image: a
            ---
            apiVersion: v1
            kind: List
            items:
            - {kind: ConfigMap, metadata: {name: settings}, data: {}}
            """
        let contents = try KubernetesManifest.contents(of: text)
        #expect(contents.workloads.map(\.description) == ["Pod/p"])
        #expect(contents.skipped.map(\.description) == ["Service/web", "ConfigMap/settings"])
        #expect(contents.skipped.map(\.document) == [1, 3])
        #expect(contents.skipped.map(\.path) == ["", "items[0]"])
        #expect(try KubernetesManifest.workloads(in: text).count == 1)
    }

    @Test("An empty metadata.namespace is the default namespace")
    func emptyNamespace() throws {
        let workloads = try KubernetesManifest.workloads(
            in: "kind: Pod\nmetadata: {name: p, namespace: \"\"}\nspec:\n  containers:\n  - image: a\n")
        #expect(workloads.first?.effectiveNamespace == "default")
        #expect(workloads.first?.request().target.namespace == "default")
    }

    static let errorCases: [ErrorCase] = [
        ErrorCase(
            name: "missing kind", text: "apiVersion: v1\nmetadata: {name: x}\n", code: .missingField,
            description: "document 1 (line 1): kind: required field is missing"),
        ErrorCase(
            name: "not a mapping", text: "- a\n- b\n", code: .typeMismatch,
            description:
                "document 1 (line 1): expected a Kubernetes object (a mapping with apiVersion and kind), found a list"),
        ErrorCase(
            name: "missing image",
            text: "kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n",
            code: .missingField,
            description: "document 1 (line 6): spec.template.spec.containers[0].image: required field is missing"),
        ErrorCase(
            name: "image not a string", text: "kind: Pod\nspec:\n  containers:\n  - image: 3\n", code: .typeMismatch,
            description: "document 1 (line 4): spec.containers[0].image: expected a string, found an integer (3); "
                + "quote it to make it a string"),
        ErrorCase(
            name: "no containers", text: "kind: Pod\nspec:\n  containers: []\n", code: .missingField,
            description: "document 1 (line 3): spec.containers: a pod needs at least one container"),
        ErrorCase(
            name: "no spec", text: "kind: Pod\nmetadata: {name: p}\n", code: .missingField,
            description: "document 1 (line 1): spec: required field is missing"),
        ErrorCase(
            name: "no template", text: "kind: Job\nspec:\n  backoffLimit: 1\n", code: .missingField,
            description: "document 1 (line 3): spec.template: required field is missing"),
        ErrorCase(
            name: "CronJob without jobTemplate", text: "kind: CronJob\nspec:\n  schedule: x\n", code: .missingField,
            description: "document 1 (line 3): spec.jobTemplate: required field is missing"),
        ErrorCase(
            name: "unquoted boolean label",
            text:
                "kind: Pod\nmetadata:\n  labels:\n    image-policy.k8s.io/break-glass: true\nspec:\n  containers:\n  - image: a\n",
            code: .typeMismatch,
            description: "document 1 (line 4): metadata.labels[\"image-policy.k8s.io/break-glass\"]: expected a "
                + "string, found a boolean (true); quote it to make it a string"),
        ErrorCase(
            name: "labels not a mapping",
            text: "kind: Pod\nmetadata:\n  labels: [a]\nspec:\n  containers:\n  - image: a\n",
            code: .typeMismatch, description: "document 1 (line 3): metadata.labels: expected a mapping, found a list"),
        ErrorCase(
            name: "error inside a List item",
            text: "kind: List\nitems:\n- kind: Pod\n  spec:\n    containers:\n    - name: x\n", code: .missingField,
            description: "document 1 (line 6): items[0].spec.containers[0].image: required field is missing"),
        ErrorCase(
            name: "malformed YAML", text: "kind: Pod\nspec: [\n", code: .syntax,
            description: "line 3: invalid YAML: did not find expected node content"),
        ErrorCase(
            name: "a syntax error in a later document is not swallowed",
            text: "kind: Pod\nspec:\n  containers:\n  - image: a\n---\nkind: Pod\nspec: {containers: [\n",
            code: .syntax,
            description: "line 8: invalid YAML: did not find expected node content"),
        ErrorCase(
            name: "malformed JSON", text: "{\"kind\": \"Pod\",}", code: .syntax,
            description: "line 1: invalid JSON: expected a quoted member name"),
    ]

    @Test("Malformed manifests name the document, line and field", arguments: errorCases)
    func errors(_ row: ErrorCase) {
        let error = #expect(throws: PolicyEvaluationError(code: row.code, message: "")) {
            try KubernetesManifest.workloads(in: row.text)
        }
        #expect(error?.description == row.description)
    }

    @Test("Unknown fields are ignored")
    func lenient() throws {
        let text = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: p
              creationTimestamp: null
              managedFields: [{manager: kubectl}]
              ownerReferences: []
            spec:
              containers:
              - image: a.io/x/y:1
                securityContext: {runAsNonRoot: true}
                futureField: {x: 1}
              topologySpreadConstraints: []
            status:
              conditions: [{type: Ready}]
            """
        #expect(try KubernetesManifest.workloads(in: text).map(\.images) == [["a.io/x/y:1"]])
    }

    @Test("An empty manifest has no workloads")
    func empty() throws {
        #expect(try KubernetesManifest.workloads(in: "").isEmpty)
        #expect(try KubernetesManifest.workloads(in: "---\n# nothing\n---\n").isEmpty)
    }
}
