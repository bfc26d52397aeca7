// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import BinAuthz
import BinAuthzModel
import BinAuthzPolicy

/// `binauthz review --policy-file F [--attestor-file F]... [--attestation-file F]... [--cluster LOCATION.CLUSTER]
/// [--at TIME] [--request F]`
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Answer a Kubernetes AdmissionReview (admission.k8s.io/v1) the way GKE's enforcer would.",
        discussion: """
            Reads an AdmissionReview request (JSON, from --request or standard input) and prints the \
            AdmissionReview response. CREATE and UPDATE of Pods are decided by the policy; anything else is \
            allowed untouched. A denial carries allowed: false, status.code 403, status.reason VIOLATES_POLICY and \
            the GKE-style message; break-glass and dry run carry warnings and auditAnnotations.

            Exit status: 0 allowed; 2 denied (the response is still printed); 1 bad input (unreadable or invalid \
            policy, a request that is not an AdmissionReview), with one line on standard error.
            """
    )

    @Option(name: .customLong("policy-file"), help: "The policy: .yaml, .yml or .json.")
    var policyFile: String

    @Option(name: .customLong("attestor-file"), help: "An attestor (REST JSON or gcloud YAML); repeat for several.")
    var attestorFiles: [String] = []

    @Option(name: .customLong("attestation-file"), help: "Attestation occurrences; repeat for several.")
    var attestationFiles: [String] = []

    @Option(name: .customLong("cluster"), help: "The GKE cluster as LOCATION.CLUSTER, e.g. us-central1-a.prod-cluster.")
    var cluster: String?

    @Option(name: .customLong("at"), help: "The evaluation time, RFC 3339; default now.")
    var at: String?

    @Option(name: .customLong("request"), help: "The AdmissionReview request file, or - for standard input.")
    var request: String = "-"

    func validate() throws {
        if policyFile == "-" && request == "-" {
            throw ValidationError("The policy and the request cannot both come from standard input; give --request F.")
        }
    }

    func run() throws {
        let time = try EvaluationTime.parse(at)
        try EvaluationTime.checkCluster(cluster)
        let policy = try ResourceInput.readPolicy(from: policyFile)
        let evaluator: PolicyEvaluator
        do {
            evaluator = try PolicyEvaluator(policy: policy)
        } catch {
            throw CLIError("\(policyFile == "-" ? "<stdin>" : policyFile): \(error)")
        }
        let evidence = try EvidenceLoader.load(attestorFiles: attestorFiles, attestationFiles: attestationFiles)
        defer { evidence.close() }
        let body = try Output.readBytes(request)
        let handler = AdmissionReviewHandler(evaluator: evaluator, evidence: evidence, cluster: cluster)
        let response: AdmissionReviewResponse
        do {
            response = try handler.handle(body, at: time)
        } catch {
            throw CLIError("\(request == "-" ? "<stdin>" : request): \(error)")
        }
        Output.standardOutput(response.jsonString())
        if !response.allowed { throw CLIError.negativeVerdict }
    }
}
