// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import BinAuthzPolicy
import BinAuthzTestSupport
import Foundation
import Testing

/// Builds AdmissionReview request documents.
enum Review {
    static func request(
        operation: String = "CREATE", kind: String = "Pod", group: String = "", subResource: String? = nil,
        namespace: String? = "shop", object: String, apiVersion: String = "admission.k8s.io/v1"
    ) -> String {
        var fields = [
            "\"uid\": \"705ab4f5-6393-11e8-b7cc-42010a800002\"",
            "\"kind\": {\"group\": \"\(group)\", \"version\": \"v1\", \"kind\": \"\(kind)\"}",
            "\"resource\": {\"group\": \"\(group)\", \"version\": \"v1\", \"resource\": \"\(kind.lowercased())s\"}",
            "\"operation\": \"\(operation)\"",
            "\"userInfo\": {\"username\": \"admin\", \"groups\": [\"system:authenticated\"]}",
            "\"object\": \(object)",
            "\"oldObject\": null",
            "\"dryRun\": false",
        ]
        if let namespace { fields.append("\"namespace\": \"\(namespace)\"") }
        if let subResource { fields.append("\"subResource\": \"\(subResource)\"") }
        return
            "{\"apiVersion\": \"\(apiVersion)\", \"kind\": \"AdmissionReview\", \"request\": {\(fields.joined(separator: ", "))}}"
    }

    static func pod(images: [String], labels: String = "{}", serviceAccount: String? = nil) -> String {
        let containers = images.enumerated().map { "{\"name\": \"c\($0.offset)\", \"image\": \"\($0.element)\"}" }
        let account = serviceAccount.map { "\"serviceAccountName\": \"\($0)\", " } ?? ""
        return "{\"apiVersion\": \"v1\", \"kind\": \"Pod\", \"metadata\": {\"name\": \"p\", \"labels\": \(labels)}, "
            + "\"spec\": {\(account)\"containers\": [\(containers.joined(separator: ", "))]}}"
    }
}

@Suite("AdmissionReview handler")
struct AdmissionReviewHandlerTests {
    static let uid = "705ab4f5-6393-11e8-b7cc-42010a800002"

    func handler(_ yaml: String, cluster: String? = nil, istioTrustDomain: String? = nil) throws
        -> AdmissionReviewHandler
    {
        AdmissionReviewHandler(
            evaluator: try PolicyEvaluator(policy: Policy(yaml: yaml)), evidence: T.evidence, cluster: cluster,
            istioTrustDomain: istioTrustDomain)
    }

    @Test("An admitted pod: allowed, nothing else")
    func allowed() throws {
        let response = try handler(Policies.attestOne).handle(
            Array(Review.request(object: Review.pod(images: ["gcr.io/my-proj/app@\(T.d1)"])).utf8), at: T.time)
        #expect(response.allowed)
        #expect(response.uid == Self.uid)
        #expect(response.status == nil)
        #expect(response.decision?.isAllowed == true)
        #expect(
            response.jsonString(pretty: false)
                == "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"response\":"
                + "{\"allowed\":true,\"uid\":\"\(Self.uid)\"}}")
    }

    @Test("A denied pod: 403 VIOLATES_POLICY with the GKE message")
    func denied() throws {
        let response = try handler(Policies.clusterDeny, cluster: "us-central1-a.my-cluster-1").handle(
            Array(Review.request(object: Review.pod(images: ["gcr.io/my-proj/nginx:latest"])).utf8), at: T.time)
        let message =
            "Image gcr.io/my-proj/nginx:latest denied by Binary Authorization cluster admission rule for "
            + "us-central1-a.my-cluster-1. Denied by always_deny admission rule"
        #expect(!response.allowed)
        #expect(response.status == .init(code: 403, reason: "VIOLATES_POLICY", message: message))
        #expect(
            response.jsonString()
                == """
                {
                  "apiVersion": "admission.k8s.io/v1",
                  "kind": "AdmissionReview",
                  "response": {
                    "allowed": false,
                    "status": {
                      "code": 403,
                      "message": "\(message)",
                      "metadata": {},
                      "reason": "VIOLATES_POLICY",
                      "status": "Failure"
                    },
                    "uid": "\(Self.uid)"
                  }
                }

                """)
    }

    @Test("Dry run: allowed, with a warning and the dry-run audit annotations")
    func dryRun() throws {
        let response = try handler(Policies.dryRunDeny).handle(
            Array(Review.request(object: Review.pod(images: ["a.io/x/y:1"])).utf8), at: T.time)
        let clause = "Image a.io/x/y:1 denied by Binary Authorization default admission rule. \(T.alwaysDeny)"
        #expect(response.allowed)
        #expect(response.status == nil)
        #expect(
            response.auditAnnotations == [
                "dry-run": "true", "overridden-verification-result": "'a.io/x/y:1' : \(clause)\n",
            ])
        #expect(
            response.warnings == [
                "Binary Authorization dry run (DRYRUN_AUDIT_LOG_ONLY): the pod was admitted but would have been "
                    + "denied: \(clause)"
            ])
        let json = response.jsonString()
        #expect(json.contains("\"dry-run\": \"true\""))
        #expect(json.contains("\"overridden-verification-result\": \"'a.io/x/y:1' : \(clause)\\n\""))
    }

    @Test("Break-glass: allowed, with a warning and the break-glass audit annotations")
    func breakGlass() throws {
        let object = Review.pod(images: ["a.io/x/y:1"], labels: "{\"image-policy.k8s.io/break-glass\": \"true\"}")
        let response = try handler(Policies.denyAll).handle(Array(Review.request(object: object).utf8), at: T.time)
        let clause = "Image a.io/x/y:1 denied by Binary Authorization default admission rule. \(T.alwaysDeny)"
        #expect(response.allowed)
        #expect(response.decision?.isBreakGlass == true)
        #expect(
            response.auditAnnotations == [
                "break-glass": "true", "overridden-verification-result": "'a.io/x/y:1' : \(clause)\n",
            ])
        #expect(response.warnings.count == 1)
        #expect(response.warnings[0].hasPrefix("Binary Authorization break-glass"))
    }

    @Test(
        "Requests that are not Pod creations or updates are allowed untouched",
        arguments: [
            ("DELETE of a pod", Review.request(operation: "DELETE", object: "null")),
            ("CONNECT", Review.request(operation: "CONNECT", object: "null")),
            (
                "a Deployment",
                Review.request(
                    kind: "Deployment", group: "apps",
                    object:
                        "{\"kind\": \"Deployment\", \"spec\": {\"template\": {\"spec\": {\"containers\": [{\"image\": \"x\"}]}}}}"
                )
            ),
            ("a ConfigMap", Review.request(kind: "ConfigMap", object: "{\"kind\": \"ConfigMap\"}")),
            (
                "the status subresource",
                Review.request(operation: "UPDATE", subResource: "status", object: Review.pod(images: ["x"]))
            ),
        ])
    func untouched(_ row: (String, String)) throws {
        let response = try handler(Policies.denyAll).handle(Array(row.1.utf8), at: T.time)
        #expect(response.allowed, "\(row.0)")
        #expect(response.decision == nil, "\(row.0)")
        #expect(response.status == nil && response.warnings.isEmpty && response.auditAnnotations.isEmpty)
    }

    @Test("warnsAboutPodTemplates: controllers stay admitted, with one warning per pod template the policy denies")
    func podTemplateWarnings() throws {
        let handler = AdmissionReviewHandler(
            evaluator: try PolicyEvaluator(policy: Policy(yaml: Policies.attestOne)), evidence: T.evidence,
            warnsAboutPodTemplates: true)
        let template = { (image: String) in "{\"spec\": {\"containers\": [{\"name\": \"c\", \"image\": \"\(image)\"}]}}"
        }
        let good = "gcr.io/my-proj/app@\(T.d1)"
        let bad = "gcr.io/my-proj/nginx:latest"
        for (kind, group, body) in [
            ("Deployment", "apps", { (t: String) in "\"spec\": {\"template\": \(t)}" }),
            ("StatefulSet", "apps", { (t: String) in "\"spec\": {\"template\": \(t)}" }),
            ("Job", "batch", { (t: String) in "\"spec\": {\"template\": \(t)}" }),
            ("CronJob", "batch", { (t: String) in "\"spec\": {\"jobTemplate\": {\"spec\": {\"template\": \(t)}}}" }),
        ] {
            let object = { (image: String) in
                "{\"kind\": \"\(kind)\", \"metadata\": {\"name\": \"web\"}, \(body(template(image)))}"
            }
            let denied = try handler.handle(
                Array(Review.request(kind: kind, group: group, object: object(bad)).utf8), at: T.time)
            #expect(denied.allowed, "\(kind)")
            #expect(denied.status == nil && denied.decision == nil, "\(kind)")
            #expect(denied.warnings.count == 1, "\(kind): \(denied.warnings)")
            #expect(
                denied.warnings.first?.hasPrefix("pods of \(kind)/web would be denied: Image \(bad) denied") == true)
            let admitted = try handler.handle(
                Array(Review.request(kind: kind, group: group, object: object(good)).utf8), at: T.time)
            #expect(admitted.allowed && admitted.warnings.isEmpty, "\(kind): \(admitted.warnings)")
            // Off (the default), the same request is allowed untouched.
            let quiet = try self.handler(Policies.attestOne).handle(
                Array(Review.request(kind: kind, group: group, object: object(bad)).utf8), at: T.time)
            #expect(quiet.allowed && quiet.warnings.isEmpty, "\(kind)")
        }
        // An object the reader cannot take apart is left to the API server's validation: no warning, no error.
        let odd = try handler.handle(
            Array(
                Review.request(kind: "Deployment", group: "apps", object: "{\"kind\": \"Deployment\", \"spec\": 3}")
                    .utf8),
            at: T.time)
        #expect(odd.allowed && odd.warnings.isEmpty)
    }

    @Test("UPDATE and the ephemeralcontainers subresource are decided; every container kind counts")
    func updates() throws {
        let object = """
            {"kind": "Pod", "metadata": {"name": "p"}, "spec": {"containers": [{"image": "a.io/x/ok:1"}],
             "ephemeralContainers": [{"name": "debug", "image": "a.io/x/debug:1"}]}}
            """
        let policy =
            Policies.allowAll + "\nkubernetesNamespaceAdmissionRules:\n  shop:\n    evaluationMode: ALWAYS_DENY\n"
            + "    enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n"
        for request in [
            Review.request(operation: "UPDATE", object: object),
            Review.request(operation: "UPDATE", subResource: "ephemeralcontainers", object: object),
        ] {
            let response = try handler(policy).handle(Array(request.utf8), at: T.time)
            #expect(!response.allowed)
            #expect(response.decision?.images.map(\.image) == ["a.io/x/ok:1", "a.io/x/debug:1"])
            #expect(response.decision?.images.map(\.rule) == [.namespace("shop"), .namespace("shop")])
        }
    }

    @Test("The namespace comes from the request, else the pod, else default; the service account from the pod")
    func target() throws {
        let object =
            "{\"kind\": \"Pod\", \"metadata\": {\"namespace\": \"from-pod\"}, \"spec\": {\"serviceAccountName\": "
            + "\"robot\", \"containers\": [{\"image\": \"a.io/x/y:1\"}]}}"
        let h = try handler(Policies.allowAll, istioTrustDomain: "cluster.local")
        let fromRequest = try h.handle(Array(Review.request(namespace: "shop", object: object).utf8), at: T.time)
        #expect(fromRequest.decision?.request.target.namespace == "shop")
        #expect(fromRequest.decision?.request.target.serviceAccount == "robot")
        #expect(fromRequest.decision?.request.target.istioIdentity == "spiffe://cluster.local/ns/shop/sa/robot")
        let fromPod = try h.handle(Array(Review.request(namespace: nil, object: object).utf8), at: T.time)
        #expect(fromPod.decision?.request.target.namespace == "from-pod")
        let fallback = try h.handle(
            Array(Review.request(namespace: nil, object: Review.pod(images: ["x"])).utf8), at: T.time)
        #expect(fallback.decision?.request.target.namespace == "default")
        #expect(fallback.decision?.request.target.serviceAccount == "default")
    }

    @Test("An Istio rule applies through the derived SPIFFE identity")
    func istio() throws {
        let response = try handler(Policies.istioSpiffeKey, istioTrustDomain: "example.com").handle(
            Array(Review.request(namespace: "prod", object: Review.pod(images: ["a.io/x/y:1"])).utf8), at: T.time)
        #expect(!response.allowed)
        #expect(response.decision?.images.first?.rule == .istio("spiffe://example.com/ns/prod/sa/default"))
    }

    @Test("An object without its kind is read as the Pod the request says it is")
    func kindlessObject() throws {
        let object = "{\"metadata\": {\"name\": \"p\"}, \"spec\": {\"containers\": [{\"image\": \"a.io/x/y:1\"}]}}"
        let response = try handler(Policies.denyAll).handle(Array(Review.request(object: object).utf8), at: T.time)
        #expect(!response.allowed)
        #expect(response.status?.code == 403)
        #expect(response.decision?.images.map(\.image) == ["a.io/x/y:1"])
    }

    @Test("A v1beta1 review is answered in v1beta1")
    func v1beta1() throws {
        let response = try handler(Policies.allowAll).handle(
            Array(Review.request(object: Review.pod(images: ["x"]), apiVersion: "admission.k8s.io/v1beta1").utf8),
            at: T.time)
        #expect(response.apiVersion == "admission.k8s.io/v1beta1")
        #expect(response.jsonString().contains("\"apiVersion\": \"admission.k8s.io/v1beta1\""))
    }

    @Test("A pod the engine cannot read is refused with 400")
    func unreadablePod() throws {
        let response = try handler(Policies.allowAll).handle(
            Array(Review.request(object: "{\"kind\": \"Pod\", \"spec\": {\"containers\": [{\"name\": \"x\"}]}}").utf8),
            at: T.time)
        #expect(!response.allowed)
        #expect(response.status?.code == 400)
        #expect(response.status?.reason == "BadRequest")
        #expect(
            response.status?.message == "line 1: request.object.spec.containers[0].image: required field is missing")
    }

    @Test(
        "Bodies that are not AdmissionReviews are errors",
        arguments: [
            ("not JSON", "nope", PolicyEvaluationError.Code.syntax),
            ("an array", "[]", .invalidAdmissionReview),
            ("another API", "{\"apiVersion\": \"v1\", \"kind\": \"Pod\"}", .invalidAdmissionReview),
            (
                "no request", "{\"apiVersion\": \"admission.k8s.io/v1\", \"kind\": \"AdmissionReview\"}",
                .invalidAdmissionReview
            ),
            (
                "no uid",
                "{\"apiVersion\": \"admission.k8s.io/v1\", \"kind\": \"AdmissionReview\", \"request\": {\"operation\": \"CREATE\"}}",
                .invalidAdmissionReview
            ),
        ])
    func invalid(_ row: (String, String, PolicyEvaluationError.Code)) throws {
        let h = try handler(Policies.allowAll)
        #expect(throws: PolicyEvaluationError(code: row.2, message: ""), "\(row.0)") {
            try h.handle(Array(row.1.utf8), at: T.time)
        }
    }

    @Test("A broken evidence source is an error (the host answers 500 and failurePolicy decides)")
    func brokenEvidence() throws {
        let h = AdmissionReviewHandler(
            evaluator: try PolicyEvaluator(policy: Policy(yaml: Policies.attestOne)), evidence: BrokenEvidence())
        #expect(throws: PolicyEvaluationError.evidenceUnavailable) {
            try h.handle(Array(Review.request(object: Review.pod(images: ["a.io/x/y@\(T.d1)"])).utf8), at: T.time)
        }
    }
}
