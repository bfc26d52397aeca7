// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import BinAuthz
import BinAuthzWebhook
import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle

/// `binauthz-webhook --config-dir DIR --tls-cert F --tls-key F [--host H] [--port N] …`
@main
struct WebhookCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "binauthz-webhook",
        abstract: "A Kubernetes validating admission webhook that decides pods with a Binary Authorization policy.",
        discussion: """
            Serves POST /validate (AdmissionReview admission.k8s.io/v1), GET /healthz, /readyz and /metrics over \
            HTTPS. DIR holds policy.yaml (or .yml, .json), attestors/ and attestations/; it is checked for changes \
            every --reload-interval seconds and a change that cannot be used keeps the previous configuration \
            (logged, and shown by /readyz). SIGTERM and SIGINT stop accepting connections, answer the reviews in \
            flight, then exit 0. One line is logged when the server is ready.

            Exit status: 0 after a graceful shutdown; 1 when the configuration, certificate or key cannot be used.
            """
    )

    @Option(name: .customLong("config-dir"), help: "The configuration directory.", completion: .directory)
    var configDirectory: String

    @Option(name: .customLong("tls-cert"), help: "The serving certificate chain (PEM).", completion: .file())
    var tlsCertificate: String

    @Option(name: .customLong("tls-key"), help: "The serving certificate's private key (PEM).", completion: .file())
    var tlsKey: String

    @Option(help: "The address to listen on.")
    var host: String = "0.0.0.0"

    @Option(help: "The port to listen on; 0 picks a free one (the ready line says which).")
    var port: Int = 8443

    @Option(help: "The cluster as location.clusterId (us-central1-a.prod), for clusterAdmissionRules.")
    var cluster: String?

    @Option(
        name: .customLong("istio-trust-domain"),
        help: "The mesh trust domain, for istioServiceIdentityAdmissionRules.")
    var istioTrustDomain: String?

    @Option(
        name: .customLong("failure-policy"),
        help: "What an undecided review answers: Fail (deny) or Ignore (admit); match the webhook's failurePolicy.")
    var failurePolicy: String = "Fail"

    @Flag(
        name: .customLong("no-pod-template-warnings"),
        help: "Do not warn about controllers' pod templates the policy would deny.")
    var noPodTemplateWarnings = false

    @Option(name: .customLong("max-body-bytes"), help: "The largest request body accepted.")
    var maximumBodyBytes: Int = 8 << 20

    @Option(name: .customLong("body-timeout"), help: "Seconds a client may take to send its body.")
    var bodyTimeout: Double = 5

    @Option(name: .customLong("review-timeout"), help: "Seconds a review may take before the failure policy answers.")
    var reviewTimeout: Double = 8

    @Option(name: .customLong("max-concurrent-reviews"), help: "The most reviews decided at once.")
    var maximumConcurrentReviews: Int = 64

    @Option(name: .customLong("reload-interval"), help: "Seconds between checks of the configuration directory.")
    var reloadInterval: Double = 5

    @Option(name: .customLong("pgp-verifier"), help: "native or gpgme; by default native with GnuPG as fallback.")
    var pgpVerifier: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    func validate() throws {
        guard WebhookSettings.FailurePolicy(rawValue: failurePolicy) != nil else {
            throw ValidationError("--failure-policy must be Fail or Ignore, not \(failurePolicy)")
        }
        if let pgpVerifier, pgpVerifier != "native" && pgpVerifier != "gpgme" {
            throw ValidationError("--pgp-verifier must be native or gpgme, not \(pgpVerifier)")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
        for (name, value) in [
            ("--body-timeout", bodyTimeout), ("--review-timeout", reviewTimeout), ("--reload-interval", reloadInterval),
        ] where !(value > 0 && value <= 3600) {
            throw ValidationError("\(name) must be more than 0 and at most 3600 seconds")
        }
        guard maximumBodyBytes > 0, maximumConcurrentReviews > 0 else {
            throw ValidationError("--max-body-bytes and --max-concurrent-reviews must be positive")
        }
    }

    func run() async throws {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var configured = Logger(label: "binauthz-webhook")
        configured.logLevel = Logger.Level(rawValue: logLevel) ?? .info
        let logger = configured

        let settings = WebhookSettings(
            configDirectory: configDirectory, cluster: cluster, istioTrustDomain: istioTrustDomain,
            failurePolicy: WebhookSettings.FailurePolicy(rawValue: failurePolicy) ?? .fail,
            warnsAboutPodTemplates: !noPodTemplateWarnings, maximumBodyBytes: maximumBodyBytes,
            bodyTimeout: .milliseconds(Int64(bodyTimeout * 1000)),
            reviewTimeout: .milliseconds(Int64(reviewTimeout * 1000)),
            maximumConcurrentReviews: maximumConcurrentReviews,
            reloadInterval: .milliseconds(Int64(reloadInterval * 1000)),
            pgpVerifier: pgpVerifier.flatMap(PGPAttestationKeys.Verifier.init) ?? .automatic)

        let webhook: AdmissionWebhook
        let tls: TLSConfiguration
        do {
            webhook = try AdmissionWebhook(settings: settings, logger: logger)
            tls = try Self.tlsConfiguration(certificate: tlsCertificate, key: tlsKey)
        } catch {
            logger.critical("cannot start: \(error)")
            throw ExitCode.failure
        }

        let router = Router()
        router.post("/validate") { request, _ -> Response in
            try await Self.validate(request, webhook: webhook)
        }
        router.get("/healthz") { _, _ in Self.text(200, "ok\n") }
        router.get("/readyz") { _, _ in
            let readiness = webhook.readiness
            return Self.text(readiness.status, readiness.body)
        }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: webhook.metrics)))
        }

        let host = host
        let summary = webhook.configuration.summary
        let failurePolicy = settings.failurePolicy.rawValue
        let app = Application(
            router: router,
            server: try .tls(.http1(configuration: .init(idleTimeout: .seconds(60))), tlsConfiguration: tls),
            configuration: .init(address: .hostname(host, port: port), serverName: "binauthz-webhook"),
            services: [ReloadService(webhook: webhook)],
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                logger.notice(
                    "binauthz-webhook ready on https://\(host):\(port) (\(summary); failurePolicy \(failurePolicy))")
            },
            logger: logger
        )
        let group = ServiceGroup(
            configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        logger.notice("binauthz-webhook stopped")
    }

    /// `POST /validate`: the body read within its size and time bounds, then the review.
    static func validate(_ request: Request, webhook: AdmissionWebhook) async throws -> Response {
        let settings = webhook.settings
        if let length = request.headers[.contentLength].flatMap(Int.init), length > settings.maximumBodyBytes {
            return text(413, "the body is larger than \(settings.maximumBodyBytes) bytes (--max-body-bytes)\n")
        }
        let body: ByteBuffer
        do {
            body = try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
                group.addTask { try await request.body.collect(upTo: settings.maximumBodyBytes) }
                group.addTask {
                    try await Task.sleep(for: settings.bodyTimeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let body = first else { throw BodyTimeout() }
                return body
            }
        } catch is BodyTimeout {
            return text(408, "the body did not arrive within \(settings.bodyTimeout) (--body-timeout)\n")
        } catch let error as HTTPError where error.status == .contentTooLarge {
            return text(413, "the body is larger than \(settings.maximumBodyBytes) bytes (--max-body-bytes)\n")
        }
        let answer = await webhook.review(Array(buffer: body))
        return Response(
            status: .init(code: answer.status),
            headers: [.contentType: answer.status == 200 ? "application/json" : "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: answer.body)))
    }

    struct BodyTimeout: Error {}

    static func text(_ status: Int, _ body: String) -> Response {
        Response(
            status: .init(code: status), headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    static func tlsConfiguration(certificate: String, key: String) throws -> TLSConfiguration {
        let chain = try NIOSSLCertificate.fromPEMFile(certificate)
        guard !chain.isEmpty else { throw TLSFileError(file: certificate, message: "holds no PEM certificate") }
        let privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
        return TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
    }

    struct TLSFileError: Error, CustomStringConvertible {
        var file: String
        var message: String
        var description: String { "\(file): \(message)" }
    }
}

/// Checks the configuration directory until shutdown begins, then marks the webhook not ready.
struct ReloadService: Service {
    let webhook: AdmissionWebhook

    func run() async throws {
        await withGracefulShutdownHandler {
            await cancelWhenGracefulShutdown {
                await webhook.reloadPeriodically()
            }
        } onGracefulShutdown: {
            webhook.beginShutdown()
        }
    }
}
