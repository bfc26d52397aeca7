// SPDX-License-Identifier: Apache-2.0

/// The engine's answer for one pod: admitted or not, a verdict per image, the GKE-style message and the audit
/// events the service would write.
///
/// A denial is a value, not an error:
///
/// ```swift
/// let decision = try evaluator.evaluate(request, evidence: verifier, at: now)
/// if !decision.isAllowed {
///     print(decision.message)   // Image … denied by Binary Authorization default admission rule. …
/// }
/// ```
public struct AdmissionDecision: Hashable, Sendable {
    /// The request that was decided.
    public package(set) var request: AdmissionRequest
    /// One decision per distinct image, in pod order. Everything else about the pod follows from these.
    public package(set) var images: [ImageDecision]

    /// Creates a decision from the decisions of the pod's images.
    package init(request: AdmissionRequest, images: [ImageDecision]) {
        self.request = request
        self.images = images
    }

    /// Whether the pod is admitted: every image is.
    public var isAllowed: Bool { images.allSatisfy(\.isAllowed) }

    /// The GKE-style denial message: one clause per denied image, in pod order, separated by a space. Empty when
    /// the pod is admitted (also when break-glass or dry run admitted it; see ``overriddenVerificationResult``).
    public var message: String {
        images.filter { !$0.isAllowed }.compactMap(\.policyVerdict.denialMessage).joined(separator: " ")
    }

    /// Whether the pod requested break-glass (it is then admitted, and the would-be verdicts are still reported).
    public var isBreakGlass: Bool { request.requestsBreakGlass }

    /// Whether a `DRYRUN_AUDIT_LOG_ONLY` rule admitted an image it would have denied.
    public var isDryRun: Bool { images.contains { $0.override == .dryRun } }

    /// The audit events the service writes for this pod: break-glass use (whatever the policy would have said),
    /// else dry-run overrides — each with the would-be denials as `overridden-verification-result`.
    public var auditEvents: [AuditEvent] {
        let kind: AuditEvent.Kind
        if isBreakGlass {
            kind = .breakGlass
        } else if isDryRun {
            kind = .dryRun
        } else {
            return []
        }
        var labels = [AuditEvent.labelPrefix + kind.description: "true"]
        labels[AuditEvent.overriddenVerificationResultLabel] = overriddenVerificationResult
        return [AuditEvent(kind: kind, labels: labels)]
    }

    /// The images whose policy denial was overridden (by break-glass or dry run), formatted as the service's
    /// `overridden-verification-result` audit label: `'<image>' : <clause>\n` per image; `nil` when nothing was
    /// overridden.
    public var overriddenVerificationResult: String? {
        let text = images.compactMap { decision -> String? in
            guard decision.override != nil, let clause = decision.policyVerdict.denialMessage else { return nil }
            return "'\(decision.image)' : \(clause)\n"
        }.joined()
        return text.isEmpty ? nil : text
    }

    /// Every audit label of every event, merged (keys are `imagepolicywebhook.image-policy.k8s.io/…`).
    public var auditLabels: [String: String] {
        var labels: [String: String] = [:]
        for event in auditEvents { labels.merge(event.labels) { current, _ in current } }
        return labels
    }

    /// Human-readable warnings for an admitted pod whose verdict was overridden (what an AdmissionReview
    /// response carries in `warnings`). The texts are this library's own **[UNCONFIRMED]**.
    public var warnings: [String] {
        var warnings: [String] = []
        let overridden = images.compactMap { $0.override != nil ? $0.policyVerdict.denialMessage : nil }
        if isBreakGlass {
            warnings.append(
                overridden.isEmpty
                    ? "Binary Authorization break-glass: the pod was admitted without policy enforcement"
                    : "Binary Authorization break-glass: the pod was admitted without policy enforcement; the policy "
                        + "would have denied it: " + overridden.joined(separator: " "))
        } else if isDryRun {
            warnings.append(
                "Binary Authorization dry run (DRYRUN_AUDIT_LOG_ONLY): the pod was admitted but would have been "
                    + "denied: " + overridden.joined(separator: " "))
        }
        return warnings
    }
}

/// An audit event the service writes for a pod admitted by an override.
public struct AuditEvent: Hashable, Sendable {
    /// The kind of event — the override that admitted the pod. New kinds may be added in minor releases.
    public typealias Kind = ImageDecision.Override

    /// The prefix of every audit label: the name of GKE's admission webhook.
    public static let labelPrefix = "imagepolicywebhook.image-policy.k8s.io/"
    /// `imagepolicywebhook.image-policy.k8s.io/break-glass`.
    public static let breakGlassLabel = labelPrefix + "break-glass"
    /// `imagepolicywebhook.image-policy.k8s.io/dry-run`.
    public static let dryRunLabel = labelPrefix + "dry-run"
    /// `imagepolicywebhook.image-policy.k8s.io/overridden-verification-result`.
    public static let overriddenVerificationResultLabel = labelPrefix + "overridden-verification-result"

    /// The kind of event.
    public package(set) var kind: Kind
    /// The labels the service writes on the audit log entry, e.g. `…/break-glass: "true"` and
    /// `…/overridden-verification-result: "'<image>' : <clause>\n"`.
    public package(set) var labels: [String: String]

    /// Creates an event.
    package init(kind: Kind, labels: [String: String]) {
        self.kind = kind
        self.labels = labels
    }
}
