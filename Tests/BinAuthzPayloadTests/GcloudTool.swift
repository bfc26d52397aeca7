// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation

/// Runs the installed gcloud offline: a throw-away configuration directory and a dummy access token, so
/// `create-signature-payload` (which never talks to the network) runs without an account.
enum GcloudTool {
    static let executable: String? = Subprocess.which("gcloud")

    /// The SDK root (`…/google-cloud-sdk`), found from the resolved `gcloud` executable.
    static var sdkRoot: URL? {
        guard let executable else { return nil }
        let resolved = URL(fileURLWithPath: executable).resolvingSymlinksInPath()
        let root = resolved.deletingLastPathComponent().deletingLastPathComponent()
        let util = root.appendingPathComponent("lib/googlecloudsdk/command_lib/container/binauthz/util.py")
        return FileManager.default.fileExists(atPath: util.path) ? root : nil
    }

    /// The Python interpreter gcloud itself uses (the bundled one when present).
    static var python: String? {
        guard let root = sdkRoot else { return nil }
        let bundled = root.appendingPathComponent("platform/bundledpythonunix/bin/python3").path
        if FileManager.default.isExecutableFile(atPath: bundled) { return bundled }
        return Subprocess.which("python3")
    }

    /// `gcloud container binauthz create-signature-payload --artifact-url=URL`.
    static func createSignaturePayload(_ url: String) throws -> CommandResult {
        let config = try TemporaryDirectory(prefix: "gcloud-config")
        let token = try config.write("token", "dummy-token-for-offline-use\n")
        return try Subprocess.run(
            executable!,
            [
                "--access-token-file=\(token)", "--account=x@example.com", "--verbosity=error",
                "container", "binauthz", "create-signature-payload", "--artifact-url=\(url)",
            ],
            environment: [
                "CLOUDSDK_CONFIG": config.path,
                "CLOUDSDK_CORE_DISABLE_PROMPTS": "1",
                "CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK": "true",
                "CLOUDSDK_CORE_DISABLE_USAGE_REPORTING": "true",
            ])
    }

    /// gcloud's reason from its stderr: the text after `ERROR: (gcloud.…) ` or `ERROR: gcloud crashed (…): `.
    static func reason(fromStderr stderr: String) -> String? {
        guard let line = stderr.split(separator: "\n").first(where: { $0.hasPrefix("ERROR: ") }) else { return nil }
        var text = line.dropFirst("ERROR: ".count)
        if text.hasPrefix("(gcloud."), let close = text.firstIndex(of: ")") {
            text = text[text.index(close, offsetBy: 2)...]
        } else if text.hasPrefix("gcloud crashed ("), let colon = text.range(of: "): ") {
            text = text[colon.upperBound...]
        }
        return String(text)
    }

    /// Runs `body` over `items` on up to `width` threads and returns the results in order.
    static func parallelMap<T: Sendable, R: Sendable>(
        _ items: [T], width: Int = 4, _ body: @escaping @Sendable (T) -> R
    ) -> [R] {
        let lock = NSLock()
        nonisolated(unsafe) var results = [R?](repeating: nil, count: items.count)
        nonisolated(unsafe) var next = 0
        let group = DispatchGroup()
        for _ in 0..<min(width, items.count) {
            group.enter()
            Thread.detachNewThread {
                while true {
                    lock.lock()
                    let index = next
                    next += 1
                    lock.unlock()
                    guard index < items.count else { break }
                    let result = body(items[index])
                    lock.lock()
                    results[index] = result
                    lock.unlock()
                }
                group.leave()
            }
        }
        group.wait()
        return results.map { $0! }
    }
}
