// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import BinAuthz
import BinAuthzModel
import BinAuthzPolicy

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import _BinAuthzSystem

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
            policy, a request that is not an AdmissionReview, a pod that cannot be read — its 400 response is \
            still printed), with one line on standard error.
            """
    )

    @OptionGroup var inputs: EvaluationInputs

    @Option(name: .customLong("request"), help: "The AdmissionReview request file, or - for standard input.")
    var request: String = "-"

    @Flag(
        name: .customLong("warn-pod-templates"),
        help: ArgumentHelp(
            "Answer a controller's create or update (Deployment, Job, …) with warnings for denied pod templates.",
            discussion: "The controller is still allowed, as GKE allows it; its pods are denied when they are made."))
    var warnPodTemplates = false

    func validate() throws {
        try inputs.checkStandardInput(with: [request])
        if request == "-" && system_isatty(STDIN_FILENO) == 1 {
            throw ValidationError("Give the AdmissionReview with --request FILE, or pipe it to standard input.")
        }
    }

    func run() throws {
        let time = try inputs.time()
        let evaluator = try inputs.evaluator()
        let evidence = try inputs.evidence()
        defer { evidence.close() }
        let body = try Output.readBytes(request)
        let handler = AdmissionReviewHandler(
            evaluator: evaluator, evidence: evidence, cluster: inputs.cluster,
            istioTrustDomain: inputs.istioTrustDomain,
            warnsAboutPodTemplates: warnPodTemplates)
        let response: AdmissionReviewResponse
        do {
            response = try handler.handle(body, at: time)
        } catch {
            throw CLIError.inFile(request, "\(error)")
        }
        try Output.standardOutput(response.jsonString())
        if let status = response.status, status.code == 400 {
            // The request could not be decided (a malformed pod): bad input, not a verdict.
            throw CLIError.inFile(request, status.message)
        }
        inputs.printAdvice(policy: evaluator.policy, evidence: evidence)
        if !response.allowed { throw CLIError.negativeVerdict }
    }
}
