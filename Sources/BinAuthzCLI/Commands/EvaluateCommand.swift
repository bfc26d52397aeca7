// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import BinAuthz
import BinAuthzModel
import BinAuthzPolicy
import Foundation

/// `binauthz policy evaluate --policy-file F [--attestor-file F]... [--attestation-file F]...
/// (--image IMG | --resource F)... [--cluster LOCATION.CLUSTER] [--namespace NS] [--service-account SA]
/// [--at TIME] [--format text|json]`
struct EvaluatePolicy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Decide, offline, whether images or Kubernetes workloads would be admitted by a policy.",
        discussion: """
            Every --image goes into one pod (as `gcloud beta container binauthz policy evaluate --image` does); \
            every --resource file (or directory, read recursively: .yaml, .yml, .json) is read as Kubernetes manifests (multi-document YAML or JSON: Pods, \
            Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, CronJobs, ReplicationControllers, \
            PodTemplates, Lists) and each workload's pod (template) is decided on its own. The namespace and \
            service account come from the manifest unless --namespace / --service-account are given; the \
            default for both is `default`. Without --cluster no clusterAdmissionRules entry applies.

            Per image: break-glass (pod label image-policy.k8s.io/break-glass: "true") → system images \
            (globalPolicyEvaluationMode: ENABLE) → admissionWhitelistPatterns → the admission rule → its \
            enforcement mode (DRYRUN_AUDIT_LOG_ONLY admits and reports).

            --format json prints {"allowed", "message", "breakglass", "dryRun", "images": [{"image", \
            "allowed", "rule", "reason", …}], "workloads": [...]}; "rule" is default, cluster:SPEC, \
            namespace:NS, serviceAccount:NS:SA, istio:ID, allowlist:PATTERN, system or breakglass; "message" is \
            the GKE-style denial text (empty when admitted).

            Exit status: 0 every workload admitted; 2 at least one denied; 1 bad input (unreadable or invalid \
            policy, malformed manifest), with one line on standard error.
            """
    )

    @OptionGroup var inputs: EvaluationInputs

    @Option(name: .customLong("image"), help: "An image as a pod would reference it; repeat for several.")
    var images: [String] = []

    @Option(
        name: .customLong("resource"),
        help: "Kubernetes manifests: a file (YAML or JSON), a directory, or -; repeat for several.", completion: .file()
    )
    var resources: [String] = []

    @Option(name: .customLong("namespace"), help: "The Kubernetes namespace (overrides the manifest's).")
    var namespace: String?

    @Option(name: .customLong("service-account"), help: "The Kubernetes service account (overrides the manifest's).")
    var serviceAccount: String?

    @Option(name: .customLong("format"), help: "Output format: text or json.")
    var format: EvaluationOutputFormat = .text

    func validate() throws {
        if images.isEmpty && resources.isEmpty {
            throw ValidationError("Give at least one --image or --resource.")
        }
        try inputs.checkStandardInput(with: resources)
        if images.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw ValidationError("--image must name an image, not an empty string.")
        }
    }

    func run() throws {
        let time = try inputs.time()
        let evaluator = try inputs.evaluator()
        var workloads: [(source: String?, workload: KubernetesWorkload)] = []
        if !images.isEmpty {
            workloads.append((nil, KubernetesWorkload(kind: "Pod", images: images)))
        }
        let read = try ManifestInput.read(resources)
        workloads += read.workloads.map { ($0.source, $0.workload) }
        let skipped = read.skipped
        guard !workloads.isEmpty else {
            _ = try read.requireWorkloads()
            return
        }
        let evidence = try inputs.evidence()
        defer { evidence.close() }
        var results: [WorkloadResult] = []
        try Progress.during("deciding \(workloads.count) workload\(workloads.count == 1 ? "" : "s")") {
            for (source, workload) in workloads {
                let request = workload.request(
                    cluster: inputs.cluster, namespace: namespace, serviceAccount: serviceAccount,
                    istioTrustDomain: inputs.istioTrustDomain)
                do {
                    let decision = try evaluator.evaluate(request, evidence: evidence, at: time)
                    results.append(WorkloadResult(source: source, workload: workload, decision: decision))
                } catch {
                    throw CLIError("\(error)")
                }
            }
        }
        switch format {
        case .text: try Output.standardOutput(EvaluationReport.text(results, skipped: skipped))
        case .json: try Output.standardOutput(EvaluationReport.json(results, skipped: skipped, cluster: inputs.cluster))
        }
        // The most common surprise: the policy names an attestor whose file was not given, so it verifies nothing.
        let asked = results.flatMap { $0.decision.images.flatMap { $0.policyVerdict.attestorChecks.map(\.attestor) } }
        var hinted: Set<String> = []
        for attestor in asked where evidence.attestor(named: attestor) == nil && hinted.insert(attestor).inserted {
            Output.standardError(
                "note: the policy requires \(attestor), which no --attestor-file gives, so it verified nothing; "
                    + "export it with `gcloud container binauthz attestors describe \(attestor) --format=json`")
        }
        inputs.printAdvice(
            policy: evaluator.policy, evidence: evidence, namespace: namespace, serviceAccount: serviceAccount)
        if results.contains(where: { !$0.decision.isAllowed }) { throw CLIError.negativeVerdict }
    }
}

/// `--format` of `policy evaluate`.
enum EvaluationOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

/// One decided workload and where it came from (`nil` source: the `--image` pod).
struct WorkloadResult {
    var source: String?
    var workload: KubernetesWorkload
    var decision: AdmissionDecision

    /// `Deployment/web`, or `Pod (--image)` for the pod built from `--image` arguments.
    var label: String { source == nil ? "Pod (--image)" : workload.description }
}

/// The text and JSON renderings of `policy evaluate` results.
enum EvaluationReport {
    static func text(_ results: [WorkloadResult], skipped: [(file: String, object: KubernetesManifest.SkippedObject)])
        -> String
    {
        var out = ""
        for result in results {
            let decision = result.decision
            let target = decision.request.target
            var header = "\(result.label)"
            if let source = result.source, results.count > 1 || result.workload.document > 1 {
                header += " (\(source), document \(result.workload.document)"
                header += result.workload.path.isEmpty ? ")" : ", \(result.workload.path))"
            }
            header += ": namespace \(target.namespace), service account \(target.serviceAccount)"
            header += ", cluster \(target.cluster ?? "(none)")"
            out += "\(TextSafety.printable(header)): \(decision.isAllowed ? "ADMITTED" : "DENIED")\n"
            out += decision.imageLines
        }
        for (file, object) in skipped {
            var line = "\(object) (\(Output.displayName(file)), document \(object.document)"
            line += object.path.isEmpty ? ")" : ", \(object.path))"
            out += TextSafety.printable(line) + ": skipped, runs no containers\n"
        }
        return out
    }

    static func json(
        _ results: [WorkloadResult], skipped: [(file: String, object: KubernetesManifest.SkippedObject)],
        cluster: String?
    ) -> String {
        func string(_ text: String) -> TreeNode { TreeNode(.string(text)) }
        func bool(_ value: Bool) -> TreeNode { TreeNode(.bool(value)) }
        func object(_ entries: [(String, TreeNode)]) -> TreeNode {
            TreeNode(.map(entries.map { (key: $0.0, keyLocation: nil, value: $0.1) }))
        }
        func imageNode(_ image: ImageDecision, workload: WorkloadResult?) -> TreeNode {
            var entries: [(String, TreeNode)] = [
                ("image", string(image.image)),
                ("allowed", bool(image.isAllowed)),
                ("rule", string(image.rule.description)),
                ("reason", string(image.reason)),
                ("policyAllowed", bool(image.policyVerdict.isAllowed)),
                ("policyRule", string(image.policyVerdict.rule.description)),
            ]
            if let denial = image.policyVerdict.denialMessage { entries.append(("denialMessage", string(denial))) }
            if let override = image.override { entries.append(("override", string(override.description))) }
            if !image.policyVerdict.attestorChecks.isEmpty {
                entries.append(
                    (
                        "attestors",
                        TreeNode(
                            .list(
                                image.policyVerdict.attestorChecks.map {
                                    object([
                                        ("attestor", string($0.attestor)), ("verified", bool($0.verdict.isVerified)),
                                        ("reason", string($0.verdict.reason)),
                                    ])
                                }))
                    ))
            }
            if let workload { entries.append(("workload", string(workload.label))) }
            return object(entries)
        }
        var workloadNodes: [TreeNode] = []
        var allImages: [TreeNode] = []
        for result in results {
            let decision = result.decision
            let target = decision.request.target
            var entries: [(String, TreeNode)] = [
                ("kind", string(result.workload.kind)),
                ("namespace", string(target.namespace)),
                ("serviceAccount", string(target.serviceAccount)),
                ("allowed", bool(decision.isAllowed)),
                ("message", string(decision.message)),
                ("breakglass", bool(decision.isBreakGlass)),
                ("dryRun", bool(decision.isDryRun)),
                ("images", TreeNode(.list(decision.images.map { imageNode($0, workload: nil) }))),
                ("auditLabels", object(decision.auditLabels.map { ($0.key, string($0.value)) })),
            ]
            if let name = result.workload.name { entries.append(("name", string(name))) }
            if let cluster = target.cluster { entries.append(("cluster", string(cluster))) }
            if let source = result.source {
                entries.append(("file", string(source)))
                entries.append(("document", TreeNode(.integer(String(result.workload.document)))))
                if !result.workload.path.isEmpty { entries.append(("path", string(result.workload.path))) }
            }
            workloadNodes.append(object(entries))
            allImages += decision.images.map { imageNode($0, workload: results.count > 1 ? result : nil) }
        }
        var root: [(String, TreeNode)] = [
            ("allowed", bool(results.allSatisfy(\.decision.isAllowed))),
            ("message", string(results.map(\.decision.message).filter { !$0.isEmpty }.joined(separator: " "))),
            ("breakglass", bool(results.contains(where: \.decision.isBreakGlass))),
            ("dryRun", bool(results.contains(where: \.decision.isDryRun))),
            ("images", TreeNode(.list(allImages))),
            ("workloads", TreeNode(.list(workloadNodes))),
        ]
        if let cluster { root.append(("cluster", string(cluster))) }
        if !skipped.isEmpty {
            let nodes = skipped.map { file, skippedObject in
                var entries: [(String, TreeNode)] = [
                    ("kind", string(skippedObject.kind)), ("file", string(file)),
                    ("document", TreeNode(.integer(String(skippedObject.document)))),
                ]
                if let name = skippedObject.name { entries.append(("name", string(name))) }
                if !skippedObject.path.isEmpty { entries.append(("path", string(skippedObject.path))) }
                return object(entries)
            }
            root.append(("skipped", TreeNode(.list(nodes))))
        }
        return JSONTreeWriter.write(object(root))
    }
}
