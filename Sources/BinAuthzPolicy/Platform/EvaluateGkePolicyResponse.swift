// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel

/// A verdict of a platform-policy evaluation, at any level (response, pod, image, check).
///
/// The v1 API has one enum per level (`Verdict`, `PodVerdict`, `ImageVerdict`, `CheckVerdict`) with the same three
/// values; this type writes each as the API spells it.
public struct PlatformVerdict: Hashable, Sendable, CustomStringConvertible {
    /// The API's spelling: `CONFORMANT`, `NON_CONFORMANT`, `ERROR`.
    public let rawValue: String
    private init(_ rawValue: String) { self.rawValue = rawValue }

    /// Every check applied conforms (or the image is exempt).
    public static let conformant = PlatformVerdict("CONFORMANT")
    /// At least one check does not conform.
    public static let nonConformant = PlatformVerdict("NON_CONFORMANT")
    /// At least one check could not be evaluated, and none is non-conformant.
    public static let error = PlatformVerdict("ERROR")

    public var description: String { rawValue }

    /// The API's aggregation: `NON_CONFORMANT` if any is ("non-conformance has precedence over errors"), else
    /// `ERROR` if any is, else `CONFORMANT` (also for none at all).
    public static func aggregate(_ verdicts: some Sequence<PlatformVerdict>) -> PlatformVerdict {
        var sawError = false
        for verdict in verdicts {
            if verdict == .nonConformant { return .nonConformant }
            if verdict == .error { sawError = true }
        }
        return sawError ? .error : .conformant
    }
}

/// The v1 `EvaluateGkePolicyResponse`: what `gcloud beta container binauthz policy evaluate` prints.
///
/// Only ``PlatformPolicyEvaluator`` makes one. ``jsonString`` is the REST JSON (which gcloud's message class
/// decodes); ``gcloudYAML`` is what gcloud's default printer prints for it.
public struct EvaluateGkePolicyResponse: Hashable, Sendable {
    /// The overall verdict: the aggregate of the pods'.
    public let verdict: PlatformVerdict
    /// One result per pod in the resource.
    public let results: [PodResult]
    /// Deploy attestations (`attestationMode: GENERATE_DEPLOY`): websafe base64 of a DSSE envelope's JSON, one per
    /// image, only for a `CONFORMANT` verdict. Empty unless `DeployAttestations.attest` (BinAuthzPKIX) added them.
    public let attestations: [String]

    package init(verdict: PlatformVerdict, results: [PodResult], attestations: [String] = []) {
        self.verdict = verdict
        self.results = results
        self.attestations = attestations
    }

    /// The same response with deploy attestations, as `GENERATE_DEPLOY` returns them.
    package func attestingDeployment(_ attestations: [String]) -> EvaluateGkePolicyResponse {
        EvaluateGkePolicyResponse(verdict: verdict, results: results, attestations: attestations)
    }

    /// A pod's result.
    public struct PodResult: Hashable, Sendable {
        /// `metadata.name` (absent when empty, as for `--image`'s synthetic pod).
        public let podName: String?
        /// The namespace, when the resource names one.
        public let kubernetesNamespace: String?
        /// The service account, when the resource has a namespace.
        public let kubernetesServiceAccount: String?
        /// The aggregate of the images'.
        public let verdict: PlatformVerdict
        /// One result per container image, in pod order (containers, init containers, ephemeral containers).
        public let imageResults: [ImageResult]
        /// The workload it came from (not part of the API's response).
        public let workload: KubernetesWorkload
    }

    /// One container image's result.
    public struct ImageResult: Hashable, Sendable {
        /// The image as written in the pod.
        public let imageURI: String
        /// The image's verdict.
        public let verdict: PlatformVerdict
        /// Set when the policy-level allowlist exempts the image: the pattern that matched.
        public let allowlistMatchedPattern: String?
        /// The check set evaluated; absent when the image is exempt or there are no check sets.
        public let checkSetResult: CheckSetResult?
        /// Why no check set was evaluated.
        public let explanation: String?
        /// The container (not part of the API's response; continuous-validation logs report it).
        public let container: KubernetesContainer
    }

    /// The evaluated check set's result.
    public struct CheckSetResult: Hashable, Sendable {
        /// The check set's index in `gkePolicy.checkSets`.
        public let index: Int
        /// Its display name.
        public let displayName: String?
        /// Its scope (absent for the catch-all).
        public let scope: Scope?
        /// Set when the check set's allowlist exempts the image.
        public let allowlistMatchedPattern: String?
        /// One result per check, in order; empty when the image is exempt or the set has no checks.
        public let checkResults: [CheckResult]
        /// Why no check was evaluated.
        public let explanation: String?
    }

    /// One check's result.
    public struct CheckResult: Hashable, Sendable {
        /// The check's index in its check set.
        public let index: Int
        /// Its display name.
        public let displayName: String?
        /// Its type, as continuous-validation logs spell it.
        public let type: PlatformCheckType
        /// Set when the check's own allowlist exempts the image (the check is then not evaluated).
        public let allowlistMatchedPattern: String?
        /// The verdict; absent when the check was not evaluated because of its allowlist.
        public let verdict: PlatformVerdict?
        /// Why.
        public let explanation: String?
    }

    // MARK: Writing

    /// The response as REST JSON, as `encoding.MessageToJson` writes it: keys sorted, `", "` and `": "`
    /// separators, `int64` indexes as strings, empty fields left out.
    public var jsonString: String { PythonValue.jsonDumps(tree) }

    /// The response as gcloud's default (YAML) printer prints it.
    public var gcloudYAML: String { GcloudYAMLWriter.write(tree, exact: true) }

    package var tree: TreeNode {
        TreeNode.object([
            ("attestations", attestations.isEmpty ? nil : TreeNode(.list(attestations.map { TreeNode(.string($0)) }))),
            ("results", results.isEmpty ? nil : TreeNode(.list(results.map(\.tree)))),
            ("verdict", TreeNode(.string(verdict.rawValue))),
        ])
    }
}

extension EvaluateGkePolicyResponse.PodResult {
    var tree: TreeNode {
        TreeNode.object([
            ("imageResults", imageResults.isEmpty ? nil : TreeNode(.list(imageResults.map(\.tree)))),
            ("kubernetesNamespace", kubernetesNamespace.nonEmptyNode),
            ("kubernetesServiceAccount", kubernetesServiceAccount.nonEmptyNode),
            ("podName", podName.nonEmptyNode),
            ("verdict", TreeNode(.string(verdict.rawValue))),
        ])
    }
}

extension EvaluateGkePolicyResponse.ImageResult {
    var tree: TreeNode {
        TreeNode.object([
            ("allowlistResult", allowlistMatchedPattern.map(TreeNode.allowlistResult)),
            ("checkSetResult", checkSetResult?.tree),
            ("explanation", explanation.nonEmptyNode),
            ("imageUri", TreeNode(.string(imageURI))),
            ("verdict", TreeNode(.string(verdict.rawValue))),
        ])
    }
}

extension EvaluateGkePolicyResponse.CheckSetResult {
    var tree: TreeNode {
        var scopeNode: TreeNode?
        if let scope, !scope.isEmpty {
            scopeNode = TreeNode.object([
                ("kubernetesNamespace", scope.kubernetesNamespace.nonEmptyNode),
                ("kubernetesServiceAccount", scope.kubernetesServiceAccount.nonEmptyNode),
            ])
        }
        return TreeNode.object([
            ("allowlistResult", allowlistMatchedPattern.map(TreeNode.allowlistResult)),
            (
                "checkResults",
                checkResults.isEmpty
                    ? nil : TreeNode.object([("results", TreeNode(.list(checkResults.map(\.tree))))])
            ),
            ("displayName", displayName.nonEmptyNode),
            ("explanation", explanation.nonEmptyNode),
            ("index", TreeNode(.string(String(index)))),
            ("scope", scopeNode),
        ])
    }
}

extension EvaluateGkePolicyResponse.CheckResult {
    var tree: TreeNode {
        TreeNode.object([
            ("allowlistResult", allowlistMatchedPattern.map(TreeNode.allowlistResult)),
            ("displayName", displayName.nonEmptyNode),
            ("evaluationResult", verdict.map { TreeNode.object([("verdict", TreeNode(.string($0.rawValue)))]) }),
            ("explanation", explanation.nonEmptyNode),
            ("index", TreeNode(.string(String(index)))),
            ("type", TreeNode(.string(type.name))),
        ])
    }
}

extension TreeNode {
    /// A mapping of the members that are present, in the order given.
    package static func object(_ members: [(String, TreeNode?)]) -> TreeNode {
        TreeNode(.map(members.compactMap { key, value in value.map { (key: key, keyLocation: nil, value: $0) } }))
    }

    static func allowlistResult(_ pattern: String) -> TreeNode {
        object([("matchedPattern", TreeNode(.string(pattern)))])
    }
}

extension Optional where Wrapped == String {
    var nonEmptyNode: TreeNode? {
        guard let self, !self.isEmpty else { return nil }
        return TreeNode(.string(self))
    }
}
