// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import BinAuthz
import Foundation

/// The inputs `policy evaluate` and `review` share: the policy, the attestors and attestations that make the
/// evidence, the cluster and the evaluation time.
struct EvaluationInputs: ParsableArguments {
    @Option(
        name: .customLong("policy-file"), help: "The policy: .yaml, .yml or .json, or - for standard input.",
        completion: .file())
    var policyFile: String

    @Option(
        name: .customLong("attestor-file"), help: "An attestor (REST JSON or gcloud YAML); repeat for several.",
        completion: .file())
    var attestorFiles: [String] = []

    @Option(
        name: .customLong("attestation-file"),
        help: "Attestation occurrences (one, a JSON array, or {\"occurrences\": [...]}); repeat for several.",
        completion: .file())
    var attestationFiles: [String] = []

    @Option(name: .customLong("cluster"), help: "The GKE cluster as LOCATION.CLUSTER, e.g. us-central1-a.prod-cluster.")
    var cluster: String?

    @Option(name: .customLong("at"), help: "The evaluation time, RFC 3339 (e.g. 2019-06-01T00:00:00Z); default now.")
    var at: String?

    @Option(
        name: .customLong("istio-trust-domain"),
        help: """
            The Istio trust domain, e.g. example.com: each pod's identity is then \
            spiffe://DOMAIN/ns/NAMESPACE/sa/SERVICE_ACCOUNT, for istioServiceIdentityAdmissionRules.
            """)
    var istioTrustDomain: String?

    @Option(
        name: .customLong("system-policy-file"),
        help: ArgumentHelp(
            "The system policy, as gcloud alpha container binauthz policy export-system-policy prints it.",
            discussion: """
                Replaces the bundled system image list, which is a partial seed (the real list is per region and \
                unpublished): its admissionWhitelistPatterns are the images admitted under \
                globalPolicyEvaluationMode: ENABLE. Get your region's with `gcloud alpha container binauthz policy \
                export-system-policy --location=REGION > system-policy.yaml`.
                """), completion: .file())
    var systemPolicyFile: String?

    @OptionGroup var pgpVerifier: PGPVerifierOption

    @OptionGroup var dsse: DSSEAcceptOption

    /// Refuses to read standard input (`-`) more than once across these inputs and `others`; a second read would
    /// silently see nothing.
    func checkStandardInput(with others: [String]) throws {
        try checkStandardInputOnce([policyFile, systemPolicyFile] + attestorFiles + attestationFiles + others)
    }

    /// `--at`, or now; also rejects a `--cluster` that can never match a rule key.
    func time() throws(CLIError) -> Date {
        try EvaluationTime.checkCluster(cluster)
        return try EvaluationTime.parse(at)
    }

    /// The policy, read as gcloud would import it and compiled for deciding.
    func evaluator() throws(CLIError) -> PolicyEvaluator {
        let policy = try ResourceInput.readPolicy(from: policyFile)
        let options = EvaluationOptions(systemPolicy: try systemPolicy() ?? .bundled)
        do {
            return try PolicyEvaluator(policy: policy, options: options)
        } catch {
            throw CLIError.inFile(policyFile, "\(error)")
        }
    }

    /// `--system-policy-file`: the `admissionWhitelistPatterns` of a saved `export-system-policy` output.
    func systemPolicy() throws(CLIError) -> SystemPolicy? {
        guard let systemPolicyFile else { return nil }
        let exported = try ResourceInput.read(Policy.self, from: systemPolicyFile)
        let patterns = exported.admissionWhitelistPatterns.compactMap(\.namePattern)
        if patterns.isEmpty {
            Output.standardError(
                "note: \(Output.displayName(systemPolicyFile)): the system policy has no admissionWhitelistPatterns, so "
                    + "no image is admitted as a system image")
        }
        do {
            return try SystemPolicy(patterns: patterns)
        } catch {
            throw CLIError.inFile(systemPolicyFile, "admissionWhitelistPatterns: \(error)")
        }
    }

    /// Notes on standard error for inputs that are valid but probably not what was meant (``EvaluationAdvice``): a
    /// `--cluster` that matches no cluster rule, cluster rules without `--cluster`, an attestor file no rule uses,
    /// a malformed `--namespace` / `--service-account`. They never change the verdict.
    func printAdvice(
        policy: Policy, evidence: AttestorVerifier, namespace: String? = nil, serviceAccount: String? = nil
    ) {
        if let systemPolicyFile, policy.globalPolicyEvaluationMode != .enable {
            Output.standardError(
                "note: --system-policy-file \(Output.displayName(systemPolicyFile)) is not consulted: the policy does not "
                    + "set globalPolicyEvaluationMode: ENABLE")
        }
        if let note = EvaluationAdvice.clusterNote(policy: policy, cluster: cluster) {
            Output.standardError("note: \(note)")
        }
        if let namespace, let problem = SyntaxRules.problemWithNamespace(namespace) {
            Output.standardError(
                "note: --namespace \(problem); no pod runs in such a namespace, so no namespace or "
                    + "service-account rule GKE evaluates can match it")
        }
        if let serviceAccount, let problem = SyntaxRules.problemWithServiceAccount(serviceAccount) {
            Output.standardError(
                "note: --service-account \(problem); no service-account rule GKE evaluates can match it")
        }
        let names = evidence.attestors.compactMap(\.name)
        let unused = Set(EvaluationAdvice.unusedAttestors(policy: policy, attestors: names))
        for (file, attestor) in zip(attestorFiles, evidence.attestors) {
            guard let name = attestor.name, unused.contains(name) else { continue }
            Output.standardError(
                "note: \(Output.displayName(file)): attestor \(name) is required by no REQUIRE_ATTESTATION rule of the "
                    + "policy, so it changes no decision")
        }
    }

    /// The verifier over the given attestors and occurrences; the caller closes it.
    func evidence() throws(CLIError) -> AttestorVerifier {
        try EvidenceLoader.load(
            attestorFiles: attestorFiles, attestationFiles: attestationFiles, pgpVerifier: pgpVerifier.verifier,
            dssePayloadTypes: dsse.payloadTypes)
    }
}

/// Parsing `--at` and checking `--cluster`, shared by `policy evaluate` and `review`.
enum EvaluationTime {
    /// Parses an RFC 3339 date-time (`2019-06-01T00:00:00Z`, `2019-06-01T02:00:00.5+02:00`); `nil` is now.
    static func parse(_ text: String?) throws(CLIError) -> Date {
        guard let text else { return Date() }
        // RFC3339.parse refuses such an offset too; this says which part is wrong.
        if text.contains(where: { $0 == "T" || $0 == "t" }), let sign = text.suffix(6).first,
            sign == "+" || sign == "-",
            text.suffix(3).first == ":"
        {
            let offset = text.suffix(5)
            let hours = Int(offset.prefix(2)) ?? 99
            let minutes = Int(offset.suffix(2)) ?? 99
            guard hours <= 23, minutes <= 59 else {
                throw CLIError("--at: \"\(text)\" has an invalid UTC offset; expected +HH:MM with HH ≤ 23, MM ≤ 59")
            }
        }
        if let date = RFC3339.parse(text) { return date }
        throw CLIError("--at: \"\(text)\" is not an RFC 3339 date-time, e.g. 2019-06-01T00:00:00Z")
    }

    /// Rejects a `--cluster` that can never match a `clusterAdmissionRules` key.
    static func checkCluster(_ cluster: String?) throws(CLIError) {
        guard let cluster, let problem = SyntaxRules.problemWithClusterKey(cluster) else { return }
        throw CLIError("--cluster: \(problem)")
    }
}
