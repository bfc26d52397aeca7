// SPDX-License-Identifier: Apache-2.0

import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization
import Testing

/// A serving certificate made by `openssl` for 127.0.0.1, self-signed (it is its own CA).
struct ServingCertificate {
    let directory: String
    var certificate: String { directory + "/tls.crt" }
    var key: String { directory + "/tls.key" }

    init() throws {
        directory = try Temporary.directory("tls")
        let openssl = try #require(Command.which("openssl"), "openssl is needed to make the serving certificate")
        let result = try Command.run(
            openssl,
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "1",
                "-subj", "/CN=binauthz-webhook.binauthz.svc", "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:binauthz-webhook.binauthz.svc",
                "-keyout", directory + "/tls.key", "-out", directory + "/tls.crt",
            ])
        try #require(result.status == 0, "openssl: \(result.standardError)")
    }
}

/// The built `binauthz-webhook`, started as a child process; `stop()` sends SIGTERM and waits.
final class WebhookServer: @unchecked Sendable {
    let process = Process()
    let port: Int
    private let log = Locked("")
    let certificate: ServingCertificate

    /// The executable: `$BINAUTHZ_WEBHOOK`, or `binauthz-webhook` beside the test bundle (swift build
    /// --build-tests builds both).
    static var executable: String {
        if let path = ProcessInfo.processInfo.environment["BINAUTHZ_WEBHOOK"] { return path }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if directory.path.hasSuffix(".xctest/Contents/MacOS") {
            directory = directory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        }
        return directory.appendingPathComponent("binauthz-webhook").path
    }

    /// Starts the server on 127.0.0.1 with a free port and waits for its ready line.
    init(configDirectory: String, certificate: ServingCertificate, arguments: [String] = []) throws {
        self.certificate = certificate
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments =
            [
                "--config-dir", configDirectory, "--tls-cert", certificate.certificate, "--tls-key", certificate.key,
                "--host", "127.0.0.1", "--port", "0",
            ] + arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let found = Locked<Int?>(nil)
        let ready = DispatchSemaphore(value: 0)
        let log = self.log
        Thread.detachNewThread {
            let handle = errors.fileHandleForReading
            var signalled = false
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                let text = String(decoding: data, as: UTF8.self)
                let all = log.withLock {
                    $0 += text
                    return $0
                }
                if !signalled, let range = all.range(of: "ready on https://127.0.0.1:") {
                    let digits = all[range.upperBound...].prefix { $0.isNumber }
                    found.withLock { $0 = Int(digits) }
                    signalled = true
                    ready.signal()
                }
            }
            if !signalled { ready.signal() }
        }
        _ = ready.wait(timeout: .now() + 60)
        guard let port = found.withLock({ $0 }) else {
            process.terminate()
            process.waitUntilExit()
            throw CommandFailure("binauthz-webhook did not become ready:\n\(log.withLock { $0 })")
        }
        self.port = port
    }

    /// Everything the server has logged so far.
    var output: String { log.withLock { $0 } }

    /// Sends SIGTERM and waits for the exit status.
    @discardableResult
    func stop() -> Int32 {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// `curl` to the server, trusting its certificate: the HTTP status and the body.
    func curl(_ path: String, body: String? = nil, extra: [String] = []) throws -> (status: Int, body: String) {
        let curl = try #require(Command.which("curl"), "curl is needed")
        var arguments = [
            "-sS", "--cacert", certificate.certificate, "-o", "-", "-w", "\n%{http_code}",
            "https://127.0.0.1:\(port)\(path)",
        ]
        if body != nil { arguments += ["-H", "Content-Type: application/json", "--data-binary", "@-"] }
        let result = try Command.run(curl, arguments + extra, input: body)
        try #require(result.status == 0, "curl: \(result.standardError)")
        let text = result.standardOutput
        let newline = try #require(text.lastIndex(of: "\n"))
        return (Int(text[text.index(after: newline)...]) ?? 0, String(text[..<newline]))
    }
}

/// A small HTTPS/1.1 client over SwiftNIO and swift-nio-ssl that trusts one certificate. It writes exactly the
/// bytes it is given, with the pauses it is given, then reads the answer to the end.
enum HTTPSClient {
    struct Response {
        var status: Int
        var headers: [String: String]
        var body: String
    }

    /// Sends `POST path` with `body` and `Connection: close`.
    static func post(_ path: String, body: [UInt8], port: Int, trusting certificate: String) async throws -> Response {
        var head = "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nContent-Type: application/json\r\n"
        head += "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        return try await exchange([Array(head.utf8) + body], port: port, trusting: certificate)
    }

    /// Writes each part (with `pause` between parts), then reads until the server closes.
    static func exchange(
        _ parts: [[UInt8]], pause: Duration = .zero, port: Int, trusting certificate: String
    ) async throws -> Response {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(certificate))
        let context = try NIOSSLContext(configuration: tls)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        try NIOSSLClientHandler(context: context, serverHostname: nil))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            do {
                for (index, part) in parts.enumerated() {
                    if index > 0 { try await Task.sleep(for: pause) }
                    try await outbound.write(ByteBuffer(bytes: part))
                }
            } catch {
                // The server answered and closed before the client finished (a stalled client): read its answer.
            }
            var received: [UInt8] = []
            do {
                for try await buffer in inbound { received += Array(buffer: buffer) }
            } catch let error as NIOSSLError where error == .uncleanShutdown {
                // A server that closes without close_notify after a complete answer.
            }
            return try parse(received)
        }
    }

    static func parse(_ bytes: [UInt8]) throws -> Response {
        let text = String(decoding: bytes, as: UTF8.self)
        let split = try #require(text.range(of: "\r\n\r\n"), "no HTTP response: \(text)")
        let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ").dropFirst().first ?? "") ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        var body = String(text[split.upperBound...])
        if headers["transfer-encoding"] == "chunked" { body = dechunk(body) }
        return Response(status: status, headers: headers, body: body)
    }

    private static func dechunk(_ text: String) -> String {
        var rest = Substring(text)
        var body = ""
        while let lineEnd = rest.range(of: "\r\n"), let size = Int(rest[..<lineEnd.lowerBound], radix: 16), size > 0 {
            let start = lineEnd.upperBound
            let end = rest.utf8.index(start, offsetBy: size)
            body += rest[start..<end]
            rest = rest[end...].dropFirst(2)
        }
        return body
    }
}
