// SPDX-License-Identifier: Apache-2.0

import BinAuthz
import BinAuthzTesting
import Foundation
import Synchronization
import Testing

/// The built `binauthz-webhook` over real TLS: curl and a Swift client, every workload kind, bad and slow clients,
/// a reload under traffic, SIGTERM under traffic.
@Suite("binauthz-webhook over HTTPS", .serialized)
struct ServerTests {
    static func json(_ text: String) throws -> [String: Any] {
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "not JSON: \(text)")
        return try #require(document["response"] as? [String: Any], "no response: \(text)")
    }

    @Test("Probes, metrics, and reviews of every workload kind with curl")
    func curlReviews() throws {
        let ci = try TestAttestor(ConfigDirectory.attestorName)
        let config = try ConfigDirectory(attestor: ci, attested: [Images.image("a")])
        defer { config.delete() }
        let server = try WebhookServer(configDirectory: config.path, certificate: try ServingCertificate())
        defer { server.stop() }
        #expect(
            server.output.contains("(policy.yaml, 1 attestor, 1 occurrence; failurePolicy Fail)"), "\(server.output)")

        #expect(try server.curl("/healthz") == (200, "ok\n"))
        let ready = try server.curl("/readyz")
        #expect(ready.status == 200)
        #expect(ready.body.hasPrefix("configuration 1: policy.yaml"))

        let admitted = try Self.json(
            server.curl("/validate", body: Reviews.review(Reviews.pod("web", image: Images.image("a")))).body)
        #expect(admitted["allowed"] as? Bool == true)
        let denied = try Self.json(
            server.curl("/validate", body: Reviews.review(Reviews.pod("web", image: Images.image("b")))).body)
        #expect(denied["allowed"] as? Bool == false)
        #expect((denied["status"] as? [String: Any])?["reason"] as? String == "VIOLATES_POLICY")

        for (kind, object) in try Reviews.workloads(image: Images.image("b")) {
            let answer = try server.curl("/validate", body: Reviews.review(object))
            #expect(answer.status == 200, "\(kind)")
            let response = try Self.json(answer.body)
            #expect(response["allowed"] as? Bool == true, "\(kind)")
            #expect((response["warnings"] as? [String])?.count == 1, "\(kind): \(response)")
        }
        // DELETE and other operations are allowed untouched.
        let deletion = try Self.json(
            server.curl(
                "/validate",
                body: Reviews.review(Reviews.pod("web", image: Images.image("b")), operation: "DELETE")
            ).body)
        #expect(deletion["allowed"] as? Bool == true)
        #expect(deletion["status"] == nil)

        let metrics = try server.curl("/metrics")
        #expect(metrics.body.contains("binauthz_webhook_reviews_total{outcome=\"denied\"} 1"), "\(metrics.body)")
        #expect(server.stop() == 0)
        #expect(server.output.contains("binauthz-webhook stopped"))
    }

    @Test("Malformed, oversized and slow bodies: 400, 413 and 408 answers, and the server keeps serving")
    func badClients() async throws {
        let ci = try TestAttestor(ConfigDirectory.attestorName)
        let config = try ConfigDirectory(attestor: ci, attested: [Images.image("a")])
        defer { config.delete() }
        let certificate = try ServingCertificate()
        let server = try WebhookServer(
            configDirectory: config.path, certificate: certificate,
            arguments: ["--max-body-bytes", "65536", "--body-timeout", "1"])
        defer { server.stop() }

        for body in ["not json", "{}", "[1, 2", "{\"kind\": \"AdmissionReview\", \"request\": {\"uid\": 3}}"] {
            let answer = try await HTTPSClient.post(
                "/validate", body: Array(body.utf8), port: server.port, trusting: certificate.certificate)
            #expect(answer.status == 400, "\(body): \(answer)")
        }
        // Declared too large: refused before reading. Sent too large without saying so: refused at the limit.
        let big = try server.curl(
            "/validate", body: String(repeating: " ", count: 70_000) + "{}")
        #expect(big.status == 413, "\(big)")
        let chunked = try server.curl(
            "/validate", body: String(repeating: " ", count: 70_000) + "{}",
            extra: ["-H", "Transfer-Encoding: chunked"])
        #expect(chunked.status == 413, "\(chunked)")

        // A client that sends half its body and stalls is answered 408 after --body-timeout.
        let review = Array(try Reviews.review(Reviews.pod("web", image: Images.image("a"))).utf8)
        let head = Array(
            "POST /validate HTTP/1.1\r\nHost: x\r\nContent-Length: \(review.count)\r\nConnection: close\r\n\r\n".utf8)
        let started = ContinuousClock.now
        let slow = try await HTTPSClient.exchange(
            [head + review.prefix(100), Array(review.dropFirst(100))], pause: .seconds(3), port: server.port,
            trusting: certificate.certificate)
        #expect(slow.status == 408, "\(slow)")
        #expect(started.duration(to: .now) >= .seconds(1))

        // Still serving, to the Swift client too.
        let fine = try await HTTPSClient.post(
            "/validate", body: review, port: server.port, trusting: certificate.certificate)
        #expect(fine.status == 200)
        #expect(try Self.json(fine.body)["allowed"] as? Bool == true)
        #expect(server.process.isRunning)
    }

    @Test("A configuration change under traffic: every review is answered, by the old or the new configuration")
    func reloadUnderTraffic() async throws {
        let ci = try TestAttestor(ConfigDirectory.attestorName)
        let config = try ConfigDirectory(attestor: ci, attested: [Images.image("a")])
        defer { config.delete() }
        let certificate = try ServingCertificate()
        let server = try WebhookServer(
            configDirectory: config.path, certificate: certificate, arguments: ["--reload-interval", "0.2"])
        defer { server.stop() }
        let review = Array(try Reviews.review(Reviews.pod("web", image: Images.image("b"))).utf8)

        let answers = Locked<[Bool]>([])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    for _ in 0..<25 {
                        let answer = try await HTTPSClient.post(
                            "/validate", body: review, port: server.port, trusting: certificate.certificate)
                        #expect(answer.status == 200)
                        let allowed = try #require(try Self.json(answer.body)["allowed"] as? Bool)
                        answers.withLock { $0.append(allowed) }
                    }
                }
            }
            group.addTask {
                try await Task.sleep(for: .milliseconds(300))
                // A broken file first (kept out), then the attestation that admits the image.
                try config.write("attestations/broken.json", "{\"noteName\": []}")
                try await Task.sleep(for: .milliseconds(600))
                try config.remove("attestations/broken.json")
                try config.write("attestations/b.json", try ci.attest(Images.image("b")).jsonString())
            }
            try await group.waitForAll()
        }
        let all = answers.withLock { $0 }
        #expect(all.count == 100)
        // Denied until the change took effect, then admitted: never back.
        let firstAdmitted = all.firstIndex(of: true) ?? all.count
        #expect(all[firstAdmitted...].allSatisfy { $0 }, "\(all)")
        try await Task.sleep(for: .milliseconds(500))
        let after = try await HTTPSClient.post(
            "/validate", body: review, port: server.port, trusting: certificate.certificate)
        #expect(try Self.json(after.body)["allowed"] as? Bool == true)
        #expect(
            server.output.contains("configuration not reloaded, the previous one stays in force"), "\(server.output)")
        #expect(server.output.contains("attestations/broken.json"))
        #expect(server.output.contains("configuration 2 in force"))
    }

    @Test("SIGTERM under traffic: reviews in flight are answered, then the server exits 0")
    func sigtermUnderTraffic() async throws {
        let ci = try TestAttestor(ConfigDirectory.attestorName)
        let config = try ConfigDirectory(attestor: ci, attested: [Images.image("a")])
        defer { config.delete() }
        let certificate = try ServingCertificate()
        let server = try WebhookServer(configDirectory: config.path, certificate: certificate)
        let review = Array(try Reviews.review(Reviews.pod("web", image: Images.image("a"))).utf8)
        let head = Array(
            "POST /validate HTTP/1.1\r\nHost: x\r\nContent-Length: \(review.count)\r\nConnection: close\r\n\r\n".utf8)

        // Eight clients are half way through sending their reviews when SIGTERM arrives.
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    try await HTTPSClient.exchange(
                        [head + review.prefix(50), Array(review.dropFirst(50))], pause: .milliseconds(1500),
                        port: server.port, trusting: certificate.certificate
                    ).status
                }
            }
            try await Task.sleep(for: .milliseconds(700))
            kill(server.process.processIdentifier, SIGTERM)
            var statuses: [Int] = []
            for try await status in group { statuses.append(status) }
            return statuses
        }
        #expect(statuses == Array(repeating: 200, count: 8))
        #expect(server.stop() == 0)
        #expect(server.output.contains("binauthz-webhook stopped"), "\(server.output)")
    }

    @Test("A configuration that cannot be used stops the start with exit 1, naming the file")
    func badStart() throws {
        let ci = try TestAttestor(ConfigDirectory.attestorName)
        let config = try ConfigDirectory(attestor: ci, attested: [])
        defer { config.delete() }
        try config.write("policy.yaml", "defaultAdmissionRule: {evaluationMode: SOMETIMES}\n")
        let certificate = try ServingCertificate()
        let result = try Command.run(
            WebhookServer.executable,
            [
                "--config-dir", config.path, "--tls-cert", certificate.certificate, "--tls-key", certificate.key,
                "--port", "0",
            ])
        #expect(result.status == 1)
        #expect(result.standardError.contains("cannot start: \(config.path)/policy.yaml: "), "\(result.standardError)")
        let key = try Command.run(
            WebhookServer.executable,
            [
                "--config-dir", config.path, "--tls-cert", certificate.certificate, "--tls-key", "/nonexistent",
                "--failure-policy", "Sometimes",
            ])
        #expect(key.status == 64)
        #expect(key.standardError.contains("--failure-policy must be Fail or Ignore"), "\(key.standardError)")
    }
}
