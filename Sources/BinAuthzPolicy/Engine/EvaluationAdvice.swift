// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel

/// Notes on an evaluation's inputs that a policy author would want flagged — a `--cluster` that matches no cluster
/// rule, cluster rules evaluated without a cluster, an attestor no rule uses, a malformed namespace or service
/// account. Advice never changes a decision: the engine decides as GKE does, and these say why that decision may
/// not be the one the author meant to test.
public enum EvaluationAdvice {
    /// The note for the cluster an evaluation is for, or `nil`.
    ///
    /// - Parameters:
    ///   - policy: The policy.
    ///   - cluster: `LOCATION.CLUSTER`, or `nil` when none was given.
    /// - Returns: For a policy with `clusterAdmissionRules`: without a cluster, that none of them applies; with a
    ///   cluster that is none of the keys, that the default rule decides, naming the nearest keys (by edit distance).
    public static func clusterNote(policy: Policy, cluster: String?) -> String? {
        let keys = policy.clusterAdmissionRules.keys.sorted {
            $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars)
        }
        guard !keys.isEmpty else { return nil }
        guard let cluster else {
            return "the policy has clusterAdmissionRules (\(list(keys))) but no --cluster was given, so none of them "
                + "applies and the default rule decides; pass --cluster LOCATION.CLUSTER to test a cluster"
        }
        guard !keys.contains(where: { $0.isIdentical(to: cluster) }) else { return nil }
        let nearest = nearestKeys(to: cluster, among: keys)
        return "--cluster \(cluster) matches no clusterAdmissionRules key, so the default rule decides; nearest keys: "
            + list(nearest)
    }

    /// The attestors among `attestors` that no `REQUIRE_ATTESTATION` rule of `policy` requires, in the given order:
    /// their files change no decision.
    public static func unusedAttestors(policy: Policy, attestors: [String]) -> [String] {
        var required = Set<String>()
        let rules =
            [policy.defaultAdmissionRule].compactMap { $0 }
            + Policy.SpecificRuleKind.allCases.flatMap { policy.rules($0).values }
        for rule in rules where rule.evaluationMode == .requireAttestation {
            required.formUnion(rule.requireAttestationsBy)
        }
        return attestors.filter { !required.contains($0) }
    }

    /// Up to three keys closest to `text` by Levenshtein distance (ties in key order).
    public static func nearestKeys(to text: String, among keys: [String], count: Int = 3) -> [String] {
        let target = Array(text.unicodeScalars)
        return keys.map { (key: $0, distance: editDistance(target, Array($0.unicodeScalars))) }
            .enumerated()
            .sorted { ($0.element.distance, $0.offset) < ($1.element.distance, $1.offset) }
            .prefix(count).map(\.element.key)
    }

    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            for (j, y) in b.enumerated() {
                current[j + 1] = Swift.min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }

    private static func list(_ keys: [String]) -> String {
        let shown = keys.prefix(5).joined(separator: ", ")
        return keys.count > 5 ? shown + ", … (\(keys.count) in all)" : shown
    }
}
