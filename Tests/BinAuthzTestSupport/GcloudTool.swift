// SPDX-License-Identifier: Apache-2.0

import Foundation

/// gcloud as an independent implementation: its own Python code (resource printer, YAML loader, apitools
/// message conversion) driven through `Tests/Fixtures/tools/gcloud_resource_tool.py`, and the `gcloud` command.
public enum GcloudTool {
    /// The Cloud SDK root (`…/google-cloud-sdk`) when gcloud is installed.
    public static var sdkRoot: String? {
        guard let gcloud = Subprocess.which("gcloud") else { return nil }
        let resolved = URL(fileURLWithPath: gcloud).resolvingSymlinksInPath()  // …/google-cloud-sdk/bin/gcloud
        let root = resolved.deletingLastPathComponent().deletingLastPathComponent().path
        return FileManager.default.fileExists(atPath: root + "/lib/googlecloudsdk") ? root : nil
    }

    /// The Python interpreter gcloud itself uses.
    public static var python: String? {
        guard let root = sdkRoot else { return nil }
        let bundled = root + "/platform/bundledpythonunix/bin/python3"
        if FileManager.default.isExecutableFile(atPath: bundled) { return bundled }
        return Subprocess.which("python3")
    }

    /// Why interop tests that need gcloud are skipped, or `nil` when gcloud is usable.
    public static var unavailableReason: String? {
        sdkRoot == nil ? "gcloud is not installed; skipping the comparison with gcloud's own code" : nil
    }

    /// Sends each request to the tool and returns the answers in order.
    public static func batch(_ requests: [[String: String]]) throws -> [[String: Any]] {
        guard let python, let root = sdkRoot else { throw CocoaError(.fileNoSuchFile) }
        let input =
            try requests.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
            .joined(separator: "\n") + "\n"
        let config = try TemporaryDirectory(prefix: "binauthz-gcloud")
        defer { config.remove() }
        let result = try Subprocess.run(
            python, [Fixtures.url("tools/gcloud_resource_tool.py").path], stdin: Array(input.utf8),
            environment: ["GCLOUD_SDK_ROOT": root, "CLOUDSDK_CONFIG": config.path])
        guard result.status == 0 else { throw CocoaError(.fileReadUnknown, userInfo: ["detail": result.description]) }
        return try result.stdoutText.split(separator: "\n").map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
    }
}
