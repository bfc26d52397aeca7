// SPDX-License-Identifier: Apache-2.0

import BinAuthz
import BinAuthzTesting
import BinAuthzWebhook
import Foundation
import Logging
import Testing

/// The webhook in process: reviews, the configuration directory and its reloads, deadlines and the failure policy.
@Suite("Webhook reviews and configuration")
struct WebhookTests {
    static let logger = Logger(label: "test")

    static func response(_ answer: AdmissionWebhook.Answer) throws -> [String: Any] {
        #expect(answer.status == 200, "\(answer.body)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any])
        #expect(document["kind"] as? String == "AdmissionReview")
        return try #require(document["response"] as? [String: Any])
    }

    static func review(_ webhook: AdmissionWebhook, pod image: String, at time: Date = Date()) async throws
        -> [String: Any]
    {
        try response(await webhook.review(Array(try Reviews.review(Reviews.pod("web", image: image)).utf8), at: time))
    }

    @Test("An attested pod is admitted; an unattested one is denied with GKE's text, code 403, VIOLATES_POLICY")
    func decides() async throws {
        let ci = try TestAttestor(ConfigDirectory.attestorName)
        let config = try ConfigDirectory(attestor: ci, attested: [Images.image("a")])
        defer { config.delete() }
        let webhook = try AdmissionWebhook(settings: config.settings(), logger: Self.logger)

        let admitted = try await Self.review(webhook, pod: Images.image("a"))
        #expect(admitted["allowed"] as? Bool == true)

        let unattested = Images.image("b")
        let denied = try await Self.review(webhook, pod: unattested)
        #expect(denied["allowed"] as? Bool == false)
        let status = try #require(denied["status"] as? [String: Any])
        #expect(status["code"] as? Int == 403)
        #expect(status["reason"] as? String == "VIOLATES_POLICY")
        #expect(
            status["message"] as? String
                == "Image \(unattested) denied by Binary Authorization default admission rule. Image \(unattested) denied by attestor \(ConfigDirectory.attestorName): No attestations found that were valid and signed by a key trusted by the attestor"
        )
        #expect(webhook.metrics.contains("binauthz_webhook_reviews_total{outcome=\"denied\"} 1"))
        #expect(webhook.metrics.contains("binauthz_webhook_reviews_total{outcome=\"allowed\"} 1"))
    }

    @Test("Controllers of every kind are admitted, with a warning when their pods would be denied")
    func controllers() async throws {
        let ci = try TestAttestor(ConfigDirectory.attestorName)
        let config = try ConfigDirectory(attestor: ci, attested: [Images.image("a")])
        defer { config.delete() }
        let webhook = try AdmissionWebhook(settings: config.settings(), logger: Self.logger)
        let unattested = try Reviews.workloads(image: Images.image("b"))
        let attested = try Reviews.workloads(image: Images.image("a"))
        #expect(unattested.count == (Kubectl.path == nil ? 4 : 7))
        for (kind, object) in unattested.sorted(by: { $0.key < $1.key }) {
            let response = try Self.response(await webhook.review(Array(try Reviews.review(object).utf8)))
            #expect(response["allowed"] as? Bool == true, "\(kind)")
            let warnings = try #require(response["warnings"] as? [String], "\(kind)")
            #expect(warnings.count == 1, "\(kind)")
            #expect(warnings.first?.hasPrefix("pods of \(kind)/") == true, "\(kind): \(warnings)")
            #expect(warnings.first?.contains("denied by attestor \(ConfigDirectory.attestorName)") == true)

            let fine = try Self.response(await webhook.review(Array(try Reviews.review(attested[kind]!).utf8)))
            #expect(fine["allowed"] as? Bool == true, "\(kind)")
            #expect(fine["warnings"] == nil, "\(kind)")
        }
        // Without the warnings, controllers are allowed untouched, as GKE does.
        let quiet = try AdmissionWebhook(
            settings: config.settings { $0.warnsAboutPodTemplates = false }, logger: Self.logger)
        let response = try Self.response(
            await quiet.review(Array(try Reviews.review(unattested["Deployment"]!).utf8)))
        #expect(response["allowed"] as? Bool == true)
        #expect(response["warnings"] == nil)
    }

    @Test("Malformed bodies are 400 with the reason, never a crash; a malformed pod is a 400 AdmissionReview")
    func malformed() async throws {
        let ci = try TestAttestor(ConfigDirectory.attestorName)
        let config = try ConfigDirectory(attestor: ci, attested: [])
        defer { config.delete() }
        let webhook = try AdmissionWebhook(settings: config.settings(), logger: Self.logger)
        for body in [
            "", "not json", "[]", "{\"apiVersion\": \"v1\", \"kind\": \"Pod\"}",
            "{\"apiVersion\": \"admission.k8s.io/v1\", \"kind\": \"AdmissionReview\", \"request\": {}}",
            String(repeating: "[", count: 100_000), "{\"request\": {\"uid\": \"\u{0}\"", "\u{FFFD}\u{1}",
        ] {
            let answer = await webhook.review(Array(body.utf8))
            #expect(answer.status == 400, "\(body.prefix(40)): \(answer)")
            #expect(answer.outcome == .badRequest)
            #expect(!answer.body.isEmpty)
        }
        let badPod = try Reviews.review(
            #"{"kind": "Pod", "apiVersion": "v1", "metadata": {"name": "x"}, "spec": {"containers": "nope"}}"#)
        let response = try Self.response(await webhook.review(Array(badPod.utf8)))
        #expect(response["allowed"] as? Bool == false)
        #expect((response["status"] as? [String: Any])?["code"] as? Int == 400)
    }

    @Test("A directory that cannot be used is refused at start, naming the file")
    func refusedAtStart() throws {
        let ci = try TestAttestor(ConfigDirectory.attestorName)
        let config = try ConfigDirectory(attestor: ci, attested: [])
        defer { config.delete() }
        try config.write("attestors/broken.yaml", "name: projects/p/attestors/x\nuserOwnedGrafeasNote: 3\n")
        let error = #expect(throws: WebhookConfigurationError.self) {
            try AdmissionWebhook(settings: config.settings(), logger: Self.logger)
        }
        #expect(error?.file.hasSuffix("attestors/broken.yaml") == true, "\(String(describing: error))")

        try config.remove("attestors/broken.yaml")
        try config.write("policy.json", "{}")
        let two = #expect(throws: WebhookConfigurationError.self) {
            try AdmissionWebhook(settings: config.settings(), logger: Self.logger)
        }
        #expect(two?.message.contains("give one policy file") == true, "\(String(describing: two))")

        try config.remove("policy.json")
        try config.remove("policy.yaml")
        let none = #expect(throws: WebhookConfigurationError.self) {
            try AdmissionWebhook(settings: config.settings(), logger: Self.logger)
        }
        #expect(none?.message == "no policy.yaml, policy.yml or policy.json")
    }

    @Test("A change is picked up; a bad change keeps the previous configuration in force, and is reported")
    func reloads() async throws {
        let ci = try TestAttestor(ConfigDirectory.attestorName)
        let config = try ConfigDirectory(attestor: ci, attested: [Images.image("a")])
        defer { config.delete() }
        let webhook = try AdmissionWebhook(settings: config.settings(), logger: Self.logger)
        #expect(webhook.reloadIfChanged() == .unchanged)
        #expect(try await Self.review(webhook, pod: Images.image("b"))["allowed"] as? Bool == false)

        try config.write("attestations/b.json", try ci.attest(Images.image("b")).jsonString())
        #expect(webhook.reloadIfChanged() == .reloaded(generation: 2))
        #expect(try await Self.review(webhook, pod: Images.image("b"))["allowed"] as? Bool == true)

        // A broken file: the previous configuration stays, /readyz says why, and it is reported once.
        try config.write("attestations/c.json", "{\"noteName\": 7}")
        guard case .rejected(let message) = webhook.reloadIfChanged() else {
            Issue.record("a broken attestation file was accepted")
            return
        }
        #expect(message.contains("attestations/c.json"), "\(message)")
        #expect(webhook.generation == 2)
        #expect(try await Self.review(webhook, pod: Images.image("b"))["allowed"] as? Bool == true)
        #expect(webhook.readiness.status == 200)
        #expect(webhook.readiness.body.contains("last reload rejected: "), "\(webhook.readiness.body)")
        #expect(webhook.reloadIfChanged() == .unchanged)

        // Mended: in force again. Touching a file without changing it is not a new configuration.
        try config.remove("attestations/c.json")
        try config.remove("attestations/b.json")
        #expect(webhook.reloadIfChanged() == .reloaded(generation: 3))
        #expect(try await Self.review(webhook, pod: Images.image("b"))["allowed"] as? Bool == false)
        try config.write("policy.yaml", ConfigDirectory.policy)
        #expect(webhook.reloadIfChanged() == .unchanged)
        #expect(!webhook.readiness.body.contains("rejected"))
        #expect(webhook.metrics.contains("binauthz_webhook_configuration_reloads_total{result=\"success\"} 2"))
        #expect(webhook.metrics.contains("binauthz_webhook_configuration_reloads_total{result=\"rejected\"} 1"))
    }

    @Test("A ConfigMap-style update (a swapped ..data link) is picked up")
    func configMapLinkSwap() async throws {
        let ci = try TestAttestor(ConfigDirectory.attestorName)
        let root = try Temporary.directory("configmap")
        defer { try? FileManager.default.removeItem(atPath: root) }
        // As the kubelet lays out a volume: ..2024_a/ holds the files, ..data links to it, each name links
        // through ..data.
        func version(_ name: String, attested: [String]) throws {
            let directory = root + "/" + name
            try FileManager.default.createDirectory(
                atPath: directory + "/attestations", withIntermediateDirectories: true)
            try Data(ConfigDirectory.policy.utf8).write(to: URL(fileURLWithPath: directory + "/policy.yaml"))
            try FileManager.default.createDirectory(atPath: directory + "/attestors", withIntermediateDirectories: true)
            try Data(ci.attestor.jsonString().utf8).write(to: URL(fileURLWithPath: directory + "/attestors/ci.json"))
            for (index, image) in attested.enumerated() {
                try Data(try ci.attest(image).jsonString().utf8).write(
                    to: URL(fileURLWithPath: directory + "/attestations/\(index).json"))
            }
        }
        try version("..2024_a", attested: [Images.image("a")])
        try FileManager.default.createSymbolicLink(atPath: root + "/..data", withDestinationPath: "..2024_a")
        for name in ["policy.yaml", "attestors", "attestations"] {
            try FileManager.default.createSymbolicLink(atPath: root + "/" + name, withDestinationPath: "..data/" + name)
        }
        let webhook = try AdmissionWebhook(settings: WebhookSettings(configDirectory: root), logger: Self.logger)
        #expect(try await Self.review(webhook, pod: Images.image("b"))["allowed"] as? Bool == false)

        try version("..2024_b", attested: [Images.image("a"), Images.image("b")])
        try FileManager.default.createSymbolicLink(atPath: root + "/..data_tmp", withDestinationPath: "..2024_b")
        _ = rename(root + "/..data_tmp", root + "/..data")
        #expect(webhook.reloadIfChanged() == .reloaded(generation: 2))
        #expect(try await Self.review(webhook, pod: Images.image("b"))["allowed"] as? Bool == true)
    }

    @Test("A PGP attestation is decided by GnuPG and by the in-process verifier alike")
    func pgpBothVerifiers() async throws {
        let config = try PGPConfig()
        defer { config.directory.delete() }
        let body = Array(try Reviews.review(Reviews.pod("web", image: PGPConfig.image)).utf8)

        for verifier in [PGPAttestationKeys.Verifier.gpgme, .native] {
            let patient = try AdmissionWebhook(
                settings: config.directory.settings { $0.pgpVerifier = verifier }, logger: Self.logger)
            #expect(
                try Self.response(await patient.review(body, at: PGPConfig.validDay))["allowed"] as? Bool == true,
                "\(verifier)")
        }
    }
}

/// The seed article's real PGP attestation (set-a, valid in 2019), as a configuration directory.
struct PGPConfig {
    static let image =
        "gcr.io/nmallyatestproject/containerdemo@sha256:a46ab6b21371e1e3250d3b512b38aa2727ad61a2fc1ab2d2c135589d315c7442"
    static let attestorName = "projects/nmallyatestproject/attestors/manually-verified"
    static let note = "projects/nmallyatestproject/notes/Human-Attestor-Note"
    static let validDay = Date(timeIntervalSince1970: 1_559_347_200)  // 2019-06-01T00:00:00Z
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../../../Tests/Fixtures/corpora/seed-article/set-a").standardized

    let directory: ConfigDirectory

    init() throws {
        func file(_ name: String) throws -> [UInt8] {
            [UInt8](try Data(contentsOf: Self.corpus.appendingPathComponent(name)))
        }
        var attestor = Attestor(name: AttestorName(Self.attestorName)!, note: NoteName(Self.note)!)
        let key = try attestor.addPGPPublicKey(String(decoding: try file("generated-key.pgp"), as: UTF8.self))
        let occurrence = AttestationOccurrence(
            resourceURI: Self.image, noteName: Self.note,
            attestation: Attestation(
                serializedPayload: try file("generated_payload.json"),
                signatures: [.init(signature: try file("generated_signature.pgp"), publicKeyID: key.id!)]))
        let policy = ConfigDirectory.policy.replacingOccurrences(
            of: ConfigDirectory.attestorName, with: Self.attestorName)
        let ci = try TestAttestor(ConfigDirectory.attestorName)
        directory = try ConfigDirectory(attestor: ci, attested: [], policy: policy)
        try directory.remove("attestors/ci.json")
        try directory.write("attestors/seed.json", attestor.jsonString())
        try directory.write("attestations/seed.json", occurrence.jsonString())
    }
}

/// The deployment files beside the example.
@Suite("Deployment files")
struct DeploymentFileTests {
    @Test("deploy/webhook.yaml reads as Kubernetes objects, and the webhook's pods are outside its own selector")
    func deploymentFile() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../deploy/webhook.yaml").standardized
        let text = try String(contentsOf: url, encoding: .utf8)
        let contents = try KubernetesManifest.contents(of: text)
        #expect(contents.workloads.map(\.description) == ["Deployment/binauthz-webhook"])
        #expect(contents.workloads.first?.namespace == "binauthz")
        #expect(Set(contents.skipped.map(\.kind)) == ["Namespace", "Service", "ValidatingWebhookConfiguration"])
        #expect(text.contains("values: [kube-system, kube-node-lease, binauthz]"))
        #expect(text.contains("timeoutSeconds: 10"))
        #expect(text.contains("failurePolicy: Fail"))
    }
}
