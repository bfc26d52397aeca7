// SPDX-License-Identifier: Apache-2.0

import BinAuthz
import Dispatch
import Foundation
import Logging
import Synchronization

/// The webhook without its HTTP server: reviews with a deadline and the failure policy, the configuration and
/// its reloads, readiness and metrics. The server (`binauthz-webhook`) only moves bytes.
public final class AdmissionWebhook: Sendable {
    /// The settings in force.
    public let settings: WebhookSettings
    private let logger: Logger
    private let state: Mutex<State>
    private let counters = Mutex(Counters())

    private struct State {
        var configuration: WebhookConfiguration
        var fingerprint: [String]
        var generation = 1
        var lastReloadError: String?
        var shuttingDown = false
        var inFlight = 0
    }

    private struct Counters {
        var reviews: [ReviewOutcome: Int] = [:]
        var reloads = 0
        var failedReloads = 0
        var reviewSeconds = 0.0
    }

    /// How a review was answered, for metrics and tests.
    public enum ReviewOutcome: String, Sendable, CaseIterable {
        /// Decided: admitted (untouched kinds included).
        case allowed
        /// Decided: denied by the policy.
        case denied
        /// Not an AdmissionReview, or a pod that cannot be read.
        case badRequest = "bad_request"
        /// Not decided, answered by the failure policy.
        case undecided
    }

    /// An HTTP answer.
    public struct Answer: Sendable, Equatable {
        /// The HTTP status.
        public var status: Int
        /// The body: an AdmissionReview response for 200, a line of text otherwise.
        public var body: String
        /// How the review was answered.
        public var outcome: ReviewOutcome
    }

    /// Reads the configuration directory for the first time.
    ///
    /// - Throws: ``WebhookConfigurationError`` when it cannot be used; the webhook should not start.
    public init(settings: WebhookSettings, logger: Logger) throws(WebhookConfigurationError) {
        self.settings = settings
        self.logger = logger
        let fingerprint = WebhookConfiguration.fingerprint(of: settings.configDirectory)
        let configuration = try WebhookConfiguration(settings: settings)
        for warning in configuration.policyWarnings {
            logger.warning("\(configuration.policyFile): \(warning)")
        }
        self.state = Mutex(State(configuration: configuration, fingerprint: fingerprint))
    }

    /// The configuration reviews use now.
    public var configuration: WebhookConfiguration { state.withLock { $0.configuration } }

    /// How many configurations have been loaded (1 at start).
    public var generation: Int { state.withLock { $0.generation } }

    // MARK: Reviews

    /// Answers one AdmissionReview request body.
    ///
    /// - 200 with the AdmissionReview response when decided, or when undecided and answered by the failure policy;
    /// - 400 with a line of text when the body is not an AdmissionReview with a `request.uid`.
    public func review(_ body: [UInt8], at time: Date = Date()) async -> Answer {
        let started = ContinuousClock.now
        let answer = await decide(body, at: time)
        let elapsed = started.duration(to: .now)
        counters.withLock {
            $0.reviews[answer.outcome, default: 0] += 1
            $0.reviewSeconds += Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        }
        return answer
    }

    private func decide(_ body: [UInt8], at time: Date) async -> Answer {
        let admitted: WebhookConfiguration? = state.withLock { state in
            guard state.inFlight < settings.maximumConcurrentReviews else { return nil }
            state.inFlight += 1
            return state.configuration
        }
        guard let configuration = admitted else {
            return undecided(
                body, "\(settings.maximumConcurrentReviews) reviews are already running (maximumConcurrentReviews)")
        }
        // Evaluation is synchronous work (and GnuPG's processes); it runs on its own threads, so the server's event
        // loops and the deadline stay responsive. Past the deadline the review finishes unobserved, its work bounded
        // by InputLimits, and still counts as in flight until it does.
        let result = await Self.withDeadline(settings.reviewTimeout) { [self] in
            defer { state.withLock { $0.inFlight -= 1 } }
            return Result { () throws(PolicyEvaluationError) in try configuration.handler.handle(body, at: time) }
        }
        switch result {
        case nil:
            return undecided(body, "the review took longer than \(settings.reviewTimeout) (reviewTimeout)")
        case .success(let response)?:
            if let status = response.status, status.code == 400 {
                logger.notice("review \(response.uid): bad request: \(status.message)")
                return Answer(status: 200, body: response.jsonString(pretty: false), outcome: .badRequest)
            }
            if response.allowed {
                logger.debug("review \(response.uid): allowed")
            } else {
                logger.notice("review \(response.uid): denied: \(response.status?.message ?? "")")
            }
            return Answer(
                status: 200, body: response.jsonString(pretty: false), outcome: response.allowed ? .allowed : .denied)
        case .failure(let error)?:
            switch error.code {
            case .syntax, .invalidAdmissionReview:
                return Answer(status: 400, body: "\(error)\n", outcome: .badRequest)
            default:
                return undecided(body, "\(error)")
            }
        }
    }

    /// The failure policy's answer to a review that was not decided; 400 when the body has no `request.uid` to
    /// answer.
    private func undecided(_ body: [UInt8], _ reason: String) -> Answer {
        guard let (apiVersion, uid) = Self.identity(of: body) else {
            return Answer(status: 400, body: "not an AdmissionReview with request.uid\n", outcome: .badRequest)
        }
        var response = AdmissionReviewResponse(apiVersion: apiVersion, uid: uid, allowed: false)
        switch settings.failurePolicy {
        case .fail:
            response.status = .init(
                code: 500, reason: "InternalError",
                message: "binauthz-webhook could not decide: \(reason); denied because failurePolicy is Fail")
            logger.error("review \(uid): not decided, denied (failurePolicy Fail): \(reason)")
        case .ignore:
            response.allowed = true
            response.warnings = [
                "binauthz-webhook could not decide: \(reason); admitted because failurePolicy is Ignore"
            ]
            response.auditAnnotations = ["undecided": reason]
            logger.error("review \(uid): not decided, admitted (failurePolicy Ignore): \(reason)")
        }
        return Answer(status: 200, body: response.jsonString(pretty: false), outcome: .undecided)
    }

    /// The request's `apiVersion` and `request.uid`, read without the engine (which could not decide).
    private static func identity(of body: [UInt8]) -> (String, String)? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let request = object["request"] as? [String: Any], let uid = request["uid"] as? String, !uid.isEmpty
        else { return nil }
        return (object["apiVersion"] as? String ?? "admission.k8s.io/v1", uid)
    }

    /// Runs `work` on a thread of its own and returns its result, or `nil` once `timeout` has passed.
    static func withDeadline<T: Sendable>(_ timeout: Duration, _ work: @escaping @Sendable () -> T) async -> T? {
        let waiting = Waiting<T>()
        return await withCheckedContinuation { continuation in
            waiting.continuation.withLock { $0 = continuation }
            DispatchQueue.global().async {
                let value = work()
                waiting.resume(returning: value)
            }
            Task {
                try? await Task.sleep(for: timeout)
                waiting.resume(returning: nil)
            }
        }
    }

    /// The continuation of ``withDeadline(_:_:)``, resumed by whichever of the work and the deadline comes first.
    private final class Waiting<T: Sendable>: Sendable {
        let continuation = Mutex<CheckedContinuation<T?, Never>?>(nil)

        func resume(returning value: T?) {
            continuation.withLock { $0.take() }?.resume(returning: value)
        }
    }

    // MARK: Reloads

    /// What one check of the configuration directory did.
    public enum ReloadResult: Sendable, Equatable {
        /// Nothing changed.
        case unchanged
        /// A new configuration is in force.
        case reloaded(generation: Int)
        /// The directory changed but cannot be used; the previous configuration stays in force.
        case rejected(String)
    }

    /// Checks the directory and, when it changed, reads it; a configuration that cannot be used is reported and
    /// the one in force kept. Reviews already running finish with the configuration they started with.
    @discardableResult
    public func reloadIfChanged() -> ReloadResult {
        let fingerprint = WebhookConfiguration.fingerprint(of: settings.configDirectory)
        let (previous, previousDigest) = state.withLock { ($0.fingerprint, $0.configuration.contentDigest) }
        guard fingerprint != previous else { return .unchanged }
        let loaded: WebhookConfiguration
        do {
            loaded = try WebhookConfiguration(settings: settings)
        } catch {
            let message = "\(error)"
            let isNew = state.withLock { state in
                defer {
                    state.fingerprint = fingerprint
                    state.lastReloadError = message
                }
                return state.lastReloadError != message
            }
            counters.withLock { $0.failedReloads += 1 }
            if isNew { logger.error("configuration not reloaded, the previous one stays in force: \(message)") }
            return .rejected(message)
        }
        if loaded.contentDigest == previousDigest {
            state.withLock {
                $0.fingerprint = fingerprint
                $0.lastReloadError = nil
            }
            return .unchanged
        }
        let generation = state.withLock { state in
            state.configuration = loaded
            state.fingerprint = fingerprint
            state.lastReloadError = nil
            state.generation += 1
            return state.generation
        }
        counters.withLock { $0.reloads += 1 }
        for warning in loaded.policyWarnings { logger.warning("\(loaded.policyFile): \(warning)") }
        logger.notice("configuration \(generation) in force: \(loaded.summary)")
        return .reloaded(generation: generation)
    }

    /// Checks the directory every ``WebhookSettings/reloadInterval`` until the task is cancelled.
    public func reloadPeriodically() async {
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: settings.reloadInterval)
            } catch {
                return
            }
            reloadIfChanged()
        }
    }

    // MARK: Probes and metrics

    /// Marks the webhook as stopping: ``readiness`` answers 503 from now on, so the Service stops sending reviews
    /// while those in flight are answered.
    public func beginShutdown() { state.withLock { $0.shuttingDown = true } }

    /// `/readyz`: 200 while serving, 503 once shutting down; the body says which configuration is in force and
    /// the last reload error.
    public var readiness: Answer {
        state.withLock { state in
            var body = "configuration \(state.generation): \(state.configuration.summary)\n"
            if let error = state.lastReloadError { body += "last reload rejected: \(error)\n" }
            if state.shuttingDown { return Answer(status: 503, body: "shutting down\n" + body, outcome: .undecided) }
            return Answer(status: 200, body: body, outcome: .allowed)
        }
    }

    /// `/metrics`, in Prometheus' text format.
    public var metrics: String {
        let counters = self.counters.withLock { $0 }
        let (generation, inFlight, rejected) = state.withLock {
            ($0.generation, $0.inFlight, $0.lastReloadError == nil ? 0 : 1)
        }
        var text = """
            # HELP binauthz_webhook_reviews_total AdmissionReviews answered, by outcome.
            # TYPE binauthz_webhook_reviews_total counter

            """
        for outcome in ReviewOutcome.allCases {
            text +=
                "binauthz_webhook_reviews_total{outcome=\"\(outcome.rawValue)\"} \(counters.reviews[outcome] ?? 0)\n"
        }
        let total = counters.reviews.values.reduce(0, +)
        text += """
            # HELP binauthz_webhook_review_seconds Time spent answering reviews.
            # TYPE binauthz_webhook_review_seconds summary
            binauthz_webhook_review_seconds_sum \(counters.reviewSeconds)
            binauthz_webhook_review_seconds_count \(total)
            # HELP binauthz_webhook_reviews_in_flight Reviews being decided now.
            # TYPE binauthz_webhook_reviews_in_flight gauge
            binauthz_webhook_reviews_in_flight \(inFlight)
            # HELP binauthz_webhook_configuration_reloads_total Configuration changes, by result.
            # TYPE binauthz_webhook_configuration_reloads_total counter
            binauthz_webhook_configuration_reloads_total{result="success"} \(counters.reloads)
            binauthz_webhook_configuration_reloads_total{result="rejected"} \(counters.failedReloads)
            # HELP binauthz_webhook_configuration_generation The configuration in force (1 at start).
            # TYPE binauthz_webhook_configuration_generation gauge
            binauthz_webhook_configuration_generation \(generation)
            # HELP binauthz_webhook_configuration_rejected Whether the directory's current contents were rejected.
            # TYPE binauthz_webhook_configuration_rejected gauge
            binauthz_webhook_configuration_rejected \(rejected)

            """
        return text
    }
}
