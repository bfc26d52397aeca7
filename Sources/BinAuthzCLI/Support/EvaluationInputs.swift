// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import BinAuthz
import Foundation

/// The inputs `policy evaluate` and `review` share: the policy, the attestors and attestations that make the
/// evidence, the cluster and the evaluation time.
struct EvaluationInputs: ParsableArguments {
    @Option(name: .customLong("policy-file"), help: "The policy: .yaml, .yml or .json, or - for standard input.")
    var policyFile: String

    @Option(name: .customLong("attestor-file"), help: "An attestor (REST JSON or gcloud YAML); repeat for several.")
    var attestorFiles: [String] = []

    @Option(
        name: .customLong("attestation-file"),
        help: "Attestation occurrences (one, a JSON array, or {\"occurrences\": [...]}); repeat for several.")
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

    @OptionGroup var pgpVerifier: PGPVerifierOption

    /// Refuses to read standard input (`-`) more than once across these inputs and `others`; a second read would
    /// silently see nothing.
    func checkStandardInput(with others: [String]) throws {
        try checkStandardInputOnce([policyFile] + attestorFiles + attestationFiles + others)
    }

    /// `--at`, or now; also rejects a `--cluster` that can never match a rule key.
    func time() throws(CLIError) -> Date {
        try EvaluationTime.checkCluster(cluster)
        return try EvaluationTime.parse(at)
    }

    /// The policy, read as gcloud would import it and compiled for deciding.
    func evaluator() throws(CLIError) -> PolicyEvaluator {
        let policy = try ResourceInput.readPolicy(from: policyFile)
        do {
            return try PolicyEvaluator(policy: policy)
        } catch {
            throw CLIError.inFile(policyFile, "\(error)")
        }
    }

    /// The verifier over the given attestors and occurrences; the caller closes it.
    func evidence() throws(CLIError) -> AttestorVerifier {
        try EvidenceLoader.load(
            attestorFiles: attestorFiles, attestationFiles: attestationFiles, pgpVerifier: pgpVerifier.verifier)
    }
}

/// Parsing `--at` and checking `--cluster`, shared by `policy evaluate` and `review`.
enum EvaluationTime {
    /// Parses an RFC 3339 date-time (`2019-06-01T00:00:00Z`, `2019-06-01T02:00:00.5+02:00`); `nil` is now.
    static func parse(_ text: String?) throws(CLIError) -> Date {
        guard let text else { return Date() }
        // ISO8601DateFormatter accepts offsets such as +99:99; RFC 3339 allows hours 00–23 and minutes 00–59.
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
        let plain = ISO8601DateFormatter()
        plain.formatOptions = [.withInternetDateTime]
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let normalized = text.replacingOccurrences(of: "t", with: "T").replacingOccurrences(of: "z", with: "Z")
        if let date = plain.date(from: normalized) ?? fractional.date(from: normalized) { return date }
        throw CLIError("--at: \"\(text)\" is not an RFC 3339 date-time, e.g. 2019-06-01T00:00:00Z")
    }

    /// Rejects a `--cluster` that can never match a `clusterAdmissionRules` key.
    static func checkCluster(_ cluster: String?) throws(CLIError) {
        guard let cluster, let problem = SyntaxRules.problemWithClusterKey(cluster) else { return }
        throw CLIError("--cluster: \(problem)")
    }
}
