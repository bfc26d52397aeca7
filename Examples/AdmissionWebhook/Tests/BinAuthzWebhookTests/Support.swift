// SPDX-License-Identifier: Apache-2.0

import BinAuthz
import BinAuthzTesting
import BinAuthzWebhook
import Foundation
import Synchronization
import Testing

/// A configuration directory made in a temporary directory, removed by `delete()`.
struct ConfigDirectory {
    let path: String

    static let attestorName = "projects/webhook-test/attestors/ci"
    static let policy = """
        defaultAdmissionRule:
          evaluationMode: REQUIRE_ATTESTATION
          enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
          requireAttestationsBy: [\(attestorName)]
        """

    /// A directory with `policy.yaml`, the attestor in `attestors/ci.json` and one occurrence per image in
    /// `attestations/`.
    init(attestor: TestAttestor, attested images: [String], policy: String = ConfigDirectory.policy) throws {
        path = try Temporary.directory("config")
        try write("policy.yaml", policy)
        try write("attestors/ci.json", attestor.attestor.jsonString())
        for (index, image) in images.enumerated() {
            try write("attestations/\(index).json", attestor.attest(image).jsonString())
        }
    }

    func write(_ relative: String, _ text: String) throws {
        let url = URL(fileURLWithPath: path).appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        // Written aside and renamed, as a ConfigMap update swaps its files: a reader never sees half a file.
        let aside = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).new")
        try Data(text.utf8).write(to: aside)
        _ = rename(aside.path, url.path)
    }

    func remove(_ relative: String) throws {
        try FileManager.default.removeItem(atPath: path + "/" + relative)
    }

    /// Settings for this directory with the defaults, changed by `change`.
    func settings(_ change: (inout WebhookSettings) -> Void = { _ in }) -> WebhookSettings {
        var settings = WebhookSettings(configDirectory: path)
        change(&settings)
        return settings
    }

    /// Removes the directory.
    func delete() { try? FileManager.default.removeItem(atPath: path) }
}

enum Temporary {
    /// A new directory under the system's temporary directory.
    static func directory(_ label: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "binauthz-webhook-\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }
}

/// Images by digest.
enum Images {
    static func image(_ character: Character, repository: String = "gcr.io/webhook-test/app") -> String {
        repository + "@sha256:" + String(repeating: character, count: 64)
    }
}

/// AdmissionReview requests for objects as `kubectl create … --dry-run=client -o json` prints them.
enum Reviews {
    /// The `request.kind` / `request.resource` of each workload kind.
    static let resources: [String: (group: String, version: String, resource: String)] = [
        "Pod": ("", "v1", "pods"),
        "Deployment": ("apps", "v1", "deployments"),
        "ReplicaSet": ("apps", "v1", "replicasets"),
        "StatefulSet": ("apps", "v1", "statefulsets"),
        "DaemonSet": ("apps", "v1", "daemonsets"),
        "Job": ("batch", "v1", "jobs"),
        "CronJob": ("batch", "v1", "cronjobs"),
        "ReplicationController": ("", "v1", "replicationcontrollers"),
    ]

    /// An AdmissionReview of `operation` on `object` (a JSON object), in namespace `default`.
    static func review(_ object: String, operation: String = "CREATE", uid: String = UUID().uuidString) throws
        -> String
    {
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(object.utf8)) as? [String: Any])
        let kind = try #require(parsed["kind"] as? String)
        let resource = try #require(resources[kind], "no resource for \(kind)")
        let request: [String: Any] = [
            "uid": uid,
            "kind": ["group": resource.group, "version": resource.version, "kind": kind],
            "resource": ["group": resource.group, "version": resource.version, "resource": resource.resource],
            "requestKind": ["group": resource.group, "version": resource.version, "kind": kind],
            "name": ((parsed["metadata"] as? [String: Any])?["name"] as? String) ?? "",
            "namespace": "default",
            "operation": operation,
            "userInfo": ["username": "kubernetes-admin", "groups": ["system:masters", "system:authenticated"]],
            "object": parsed,
            "dryRun": false,
        ]
        let review: [String: Any] = [
            "apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": request,
        ]
        return String(
            decoding: try JSONSerialization.data(withJSONObject: review, options: [.sortedKeys]), as: UTF8.self)
    }

    /// A Pod as `kubectl run NAME --image=IMAGE --dry-run=client -o json` prints it.
    static func pod(_ name: String, image: String) -> String {
        """
        {
            "kind": "Pod",
            "apiVersion": "v1",
            "metadata": {"name": "\(name)", "creationTimestamp": null, "labels": {"run": "\(name)"}},
            "spec": {
                "containers": [{"name": "\(name)", "image": "\(image)", "resources": {}}],
                "restartPolicy": "Always",
                "dnsPolicy": "ClusterFirst"
            },
            "status": {}
        }
        """
    }

    /// Every workload kind with a pod template, as kubectl prints them: from `kubectl create` where it makes the
    /// kind (Deployment, Job, CronJob), else written in the same shape.
    static func workloads(image: String) throws -> [String: String] {
        var objects: [String: String] = [:]
        for (kind, arguments) in [
            ("Deployment", ["create", "deployment", "web", "--image=\(image)"]),
            ("Job", ["create", "job", "batch", "--image=\(image)"]),
            ("CronJob", ["create", "cronjob", "nightly", "--image=\(image)", "--schedule=0 3 * * *"]),
        ] {
            if let printed = try Kubectl.run(arguments + ["--dry-run=client", "-o", "json"]) {
                objects[kind] = printed
            }
        }
        let template = """
            {"metadata": {"creationTimestamp": null, "labels": {"app": "web"}},
             "spec": {"containers": [{"name": "web", "image": "\(image)", "resources": {}}]}}
            """
        for (kind, apiVersion) in [("StatefulSet", "apps/v1"), ("DaemonSet", "apps/v1"), ("ReplicaSet", "apps/v1")] {
            objects[kind] = """
                {"kind": "\(kind)", "apiVersion": "\(apiVersion)",
                 "metadata": {"name": "web", "creationTimestamp": null, "labels": {"app": "web"}},
                 "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": \(template)},
                 "status": {}}
                """
        }
        objects["ReplicationController"] = """
            {"kind": "ReplicationController", "apiVersion": "v1", "metadata": {"name": "web"},
             "spec": {"replicas": 1, "selector": {"app": "web"}, "template": \(template)}, "status": {}}
            """
        return objects
    }
}

/// `kubectl`, when installed.
enum Kubectl {
    static let path: String? = ["/usr/local/bin/kubectl", "/usr/bin/kubectl"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// kubectl's standard output, or `nil` when kubectl is not installed.
    static func run(_ arguments: [String]) throws -> String? {
        guard let path else { return nil }
        let result = try Command.run(path, arguments)
        guard result.status == 0 else { throw CommandFailure("kubectl \(arguments): \(result.standardError)") }
        return result.standardOutput
    }
}

struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs a program to completion.
enum Command {
    struct Result {
        var status: Int32
        var standardOutput: String
        var standardError: String
    }

    static func run(_ path: String, _ arguments: [String], input: String? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = Pipe()
        let error = Pipe()
        process.standardOutput = output
        process.standardError = error
        let inputPipe = Pipe()
        process.standardInput = input == nil ? FileHandle.nullDevice : inputPipe
        try process.run()
        if let input {
            inputPipe.fileHandleForWriting.write(Data(input.utf8))
            try inputPipe.fileHandleForWriting.close()
        }
        // Read both pipes to the end before waiting, so a full pipe cannot stall the child.
        let errorData = ErrorReader(error.fileHandleForReading)
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, standardOutput: String(decoding: outputData, as: UTF8.self),
            standardError: String(decoding: errorData.wait(), as: UTF8.self))
    }

    /// Reads a pipe to its end on a thread of its own.
    final class ErrorReader: @unchecked Sendable {
        private var data = Data()
        private let done = DispatchSemaphore(value: 0)
        init(_ handle: FileHandle) {
            Thread.detachNewThread {
                self.data = handle.readDataToEndOfFile()
                self.done.signal()
            }
        }
        func wait() -> Data {
            done.wait()
            return data
        }
    }

    /// Finds a program on PATH.
    static func which(_ name: String) -> String? {
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// A value shared between tasks and threads.
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<R: Sendable>(_ body: (inout Value) -> R) -> R { mutex.withLock { body(&$0) } }
}
