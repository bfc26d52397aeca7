// SPDX-License-Identifier: Apache-2.0

import BinAuthz

/// How the webhook answers, where its configuration is, and the bounds on each request.
public struct WebhookSettings: Sendable {
    /// What the webhook answers when it cannot decide: the evidence source failed, the review passed its
    /// deadline, or too many reviews are already running.
    ///
    /// Set it to the `failurePolicy` of the ValidatingWebhookConfiguration, so the answer is the same whether the
    /// API server or the webhook finds the failure.
    public enum FailurePolicy: String, Sendable, CaseIterable {
        /// Deny: `allowed: false`, `status.code` 500, a message that says why (the safe choice for a gate).
        case fail = "Fail"
        /// Admit: `allowed: true` with a warning and an audit annotation that say it was not decided.
        case ignore = "Ignore"
    }

    /// The directory that holds `policy.yaml` (or `.yml`, `.json`), `attestors/` and `attestations/`.
    public var configDirectory: String
    /// The cluster as `location.clusterId` (`us-central1-a.prod`), for `clusterAdmissionRules`, or `nil`.
    public var cluster: String?
    /// The mesh trust domain for `istioServiceIdentityAdmissionRules`, or `nil`.
    public var istioTrustDomain: String?
    /// What an undecided review answers.
    public var failurePolicy: FailurePolicy
    /// Whether controllers (Deployment, Job, …) are answered with warnings for pod templates the policy would
    /// deny; they are always admitted, as GKE admits them.
    public var warnsAboutPodTemplates: Bool
    /// The largest request body accepted, in bytes; a larger one is answered 413 unread. Default 8 MiB: an
    /// AdmissionReview holds `object` and `oldObject`, each at most the API server's 3 MiB object limit.
    public var maximumBodyBytes: Int
    /// How long a client may take to send its body; a slower one is answered 408. Default 5 s.
    public var bodyTimeout: Duration
    /// How long a review may take once the body is read; past it the failure policy answers. Default 8 s, below
    /// the 10 s `timeoutSeconds` the deployment files give the API server, so the webhook's answer arrives first.
    public var reviewTimeout: Duration
    /// The most reviews decided at once; more are answered by the failure policy at once. Default 64.
    public var maximumConcurrentReviews: Int
    /// How often the configuration directory is checked for changes. Default 5 s.
    public var reloadInterval: Duration
    /// How PGP signatures are checked: in process with GnuPG for what it does not support (the default), or by
    /// one of them only.
    public var pgpVerifier: PGPAttestationKeys.Verifier
    /// Bounds on every file read and on the verification work of each review.
    public var limits: InputLimits

    /// Creates settings with the documented defaults.
    public init(
        configDirectory: String, cluster: String? = nil, istioTrustDomain: String? = nil,
        failurePolicy: FailurePolicy = .fail, warnsAboutPodTemplates: Bool = true,
        maximumBodyBytes: Int = 8 << 20, bodyTimeout: Duration = .seconds(5), reviewTimeout: Duration = .seconds(8),
        maximumConcurrentReviews: Int = 64, reloadInterval: Duration = .seconds(5),
        pgpVerifier: PGPAttestationKeys.Verifier = .automatic, limits: InputLimits = .default
    ) {
        self.configDirectory = configDirectory
        self.cluster = cluster
        self.istioTrustDomain = istioTrustDomain
        self.failurePolicy = failurePolicy
        self.warnsAboutPodTemplates = warnsAboutPodTemplates
        self.maximumBodyBytes = maximumBodyBytes
        self.bodyTimeout = bodyTimeout
        self.reviewTimeout = reviewTimeout
        self.maximumConcurrentReviews = maximumConcurrentReviews
        self.reloadInterval = reloadInterval
        self.pgpVerifier = pgpVerifier
        self.limits = limits
    }
}
