// SPDX-License-Identifier: Apache-2.0

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import BinAuthzModel

/// Continuous validation offline: the Cloud Logging entries CV writes for pods that violate a platform policy.
///
/// Each entry is what `cv-view-logs` documents: log `projects/P/logs/binaryauthorization.googleapis.com%2Fcontinuous_validation`,
/// resource `k8s_cluster` with `project_id`, `location` and `cluster_name`, severity `WARNING`, and a `jsonPayload`
/// that is a `google.cloud.binaryauthorization.v1beta1.ContinuousValidationEvent` with a `podEvent`: the pod, its
/// namespace, the policy, verdict `VIOLATES_POLICY`, and every image with its container, container type, result
/// (`ALLOW` or `DENY`) and the non-conformant checks (`checkSetIndex`, `checkSetName`, `checkSetScope`,
/// `checkIndex`, `checkName`, `checkType`, `verdict: NON_CONFORMANT`, and an explanation such as
/// `TrustedDirectoryCheck at index 0 with display name "dirs" has verdict NOT_CONFORMANT. Image is not in a
/// trusted directory`). Pods that conform, or whose checks only have errors, get no entry (CV logs violations only);
/// ``ContinuousValidationAudit/errors`` lists the latter.
public struct ContinuousValidationAudit: Sendable {
    /// Where the pods run: the `k8s_cluster` resource labels.
    public struct Cluster: Hashable, Sendable {
        /// `project_id`.
        public var projectID: String
        /// `location` (`us-central1-a`, `us-central1`).
        public var location: String
        /// `cluster_name`.
        public var clusterName: String

        /// Creates a cluster description.
        public init(projectID: String, location: String, clusterName: String) {
            self.projectID = projectID
            self.location = location
            self.clusterName = clusterName
        }
    }

    /// One JSON object (a Cloud Logging `LogEntry`) per violating pod, in pod order.
    public let entries: [String]
    /// The pods with no violation but a check that could not be evaluated: `namespace/name: explanation`.
    public let errors: [String]
    /// The number of pods that violate the policy.
    public var violations: Int { entries.count }

    /// Audits an evaluation.
    ///
    /// - Parameters:
    ///   - response: The evaluation of every pod (``PlatformPolicyEvaluator/evaluate(_:at:)``).
    ///   - policyName: `projects/P/platforms/gke/policies/ID`.
    ///   - cluster: The cluster the pods run in.
    ///   - time: The entries' `timestamp`.
    public init(
        _ response: EvaluateGkePolicyResponse, policyName: String, cluster: Cluster, at time: Date
    ) {
        var entries: [String] = []
        var errors: [String] = []
        let timestamp = RFC3339.format(time)
        let logName =
            "projects/\(cluster.projectID)/logs/binaryauthorization.googleapis.com%2Fcontinuous_validation"
        for pod in response.results {
            let podLabel = "\(pod.kubernetesNamespace ?? "default")/\(pod.podName ?? "")"
            if pod.verdict == .error {
                let reasons = pod.imageResults.flatMap { image in
                    (image.checkSetResult?.checkResults ?? []).filter { $0.verdict == .error }.map {
                        "\(image.imageURI): \($0.type.name) at index \($0.index): \($0.explanation ?? "")"
                    }
                }
                errors.append("\(podLabel): " + reasons.joined(separator: "; "))
            }
            guard pod.verdict == .nonConformant else { continue }
            let images = pod.imageResults.map { image -> TreeNode in
                let failed = (image.checkSetResult?.checkResults ?? []).filter { $0.verdict == .nonConformant }
                let set = image.checkSetResult
                let checks = failed.map { check -> TreeNode in
                    var scope: TreeNode?
                    if let s = set?.scope, !s.isEmpty {
                        scope = TreeNode.object([
                            ("kubernetesNamespace", s.kubernetesNamespace.nonEmptyNode),
                            ("kubernetesServiceAccount", s.kubernetesServiceAccount.nonEmptyNode),
                        ])
                    }
                    let name = check.displayName.map { " with display name \"\($0)\"" } ?? ""
                    return TreeNode.object([
                        ("checkSetIndex", TreeNode(.string(String(set?.index ?? 0)))),
                        ("checkSetName", set?.displayName.nonEmptyNode),
                        ("checkSetScope", scope),
                        ("checkIndex", TreeNode(.string(String(check.index)))),
                        ("checkName", check.displayName.nonEmptyNode),
                        ("checkType", TreeNode(.string(check.type.name))),
                        ("verdict", TreeNode(.string("NON_CONFORMANT"))),
                        (
                            "explanation",
                            TreeNode(
                                .string(
                                    "\(check.type.name) at index \(check.index)\(name) has verdict NOT_CONFORMANT. "
                                        + (check.explanation ?? "")))
                        ),
                    ])
                }
                return TreeNode.object([
                    ("image", TreeNode(.string(image.imageURI))),
                    ("containerName", image.container.name.nonEmptyNode),
                    ("containerType", TreeNode(.string(image.container.type.rawValue))),
                    ("result", TreeNode(.string(image.verdict == .nonConformant ? "DENY" : "ALLOW"))),
                    (
                        "description",
                        TreeNode(
                            .string(
                                image.verdict == .nonConformant
                                    ? "Image violates the platform policy" : "Image conforms to the platform policy"))
                    ),
                    ("checkResults", checks.isEmpty ? nil : TreeNode(.list(checks))),
                ])
            }
            let payload = TreeNode.object([
                (
                    "@type",
                    TreeNode(
                        .string(
                            "type.googleapis.com/google.cloud.binaryauthorization.v1beta1.ContinuousValidationEvent"))
                ),
                (
                    "podEvent",
                    TreeNode.object([
                        ("podNamespace", TreeNode(.string(pod.kubernetesNamespace ?? "default"))),
                        ("pod", TreeNode(.string(pod.podName ?? ""))),
                        ("policyName", TreeNode(.string(policyName))),
                        ("verdict", TreeNode(.string("VIOLATES_POLICY"))),
                        ("images", TreeNode(.list(images))),
                    ])
                ),
            ])
            let entry = TreeNode.object([
                ("logName", TreeNode(.string(logName))),
                (
                    "resource",
                    TreeNode.object([
                        ("type", TreeNode(.string("k8s_cluster"))),
                        (
                            "labels",
                            TreeNode.object([
                                ("project_id", TreeNode(.string(cluster.projectID))),
                                ("location", TreeNode(.string(cluster.location))),
                                ("cluster_name", TreeNode(.string(cluster.clusterName))),
                            ])
                        ),
                    ])
                ),
                ("severity", TreeNode(.string("WARNING"))),
                ("timestamp", TreeNode(.string(timestamp))),
                ("jsonPayload", payload),
            ])
            entries.append(JSONTreeWriter.write(entry, pretty: false))
        }
        self.entries = entries
        self.errors = errors
    }
}
