// SPDX-License-Identifier: Apache-2.0

import BinAuthz
import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A configuration directory read and ready to decide: the policy, the attestors' keys read once, the
/// occurrences indexed. One is made per change of the directory; a review holds the one it started with, so a
/// reload never changes a review half way.
///
/// The directory (a mounted ConfigMap or Secret) holds:
///
/// - `policy.yaml`, `policy.yml` or `policy.json`: the project policy, read as `gcloud container binauthz policy
///   import` reads it;
/// - `attestors/`: one attestor per file (REST JSON or gcloud YAML), in any subdirectory;
/// - `attestations/`: occurrences, one or a list per file (an occurrence, a list, an `occurrences.list` page or a
///   YAML stream).
///
/// Only `.json`, `.yaml` and `.yml` files are read. Names that start with `.` are skipped: Kubernetes keeps a
/// mounted volume's previous and next contents in `..data` and `..2024_…` beside the links it swaps.
public final class WebhookConfiguration: Sendable {
    /// The most files the two directories may hold together.
    public static let maximumFiles = 10_000
    /// The most bytes all files may hold together (each file is also bounded by
    /// `InputLimits.maximumDocumentBytes`).
    public static let maximumTotalBytes = 64 << 20
    /// The deepest subdirectory read under `attestors/` and `attestations/`.
    public static let maximumDepth = 8

    /// The policy file's name (`policy.yaml`).
    public let policyFile: String
    /// The policy.
    public let policy: Policy
    /// gcloud's warnings about the policy file.
    public let policyWarnings: [String]
    /// The attestors, in file-name order.
    public let attestors: [Attestor]
    /// How many occurrences were read.
    public let occurrenceCount: Int
    /// SHA-256 of every file read, with its path: two loads of the same contents have the same digest.
    public let contentDigest: String
    /// The AdmissionReview handler over this configuration.
    public let handler: AdmissionReviewHandler
    private let verifier: AttestorVerifier

    /// Reads a configuration directory.
    ///
    /// - Throws: ``WebhookConfigurationError`` naming the file and what is wrong with it.
    public init(settings: WebhookSettings) throws(WebhookConfigurationError) {
        let directory = settings.configDirectory
        var hasher = SHA256()
        var budget = ReadBudget()

        let candidates = ["policy.yaml", "policy.yml", "policy.json"].filter {
            Self.isFile(Self.join(directory, $0))
        }
        guard candidates.count == 1, let policyFile = candidates.first else {
            throw WebhookConfigurationError(
                file: directory,
                candidates.isEmpty
                    ? "no policy.yaml, policy.yml or policy.json" : "give one policy file, not \(candidates)")
        }
        let policyBytes = try Self.read(Self.join(directory, policyFile), budget: &budget, settings.limits)
        hasher.update(data: Array(policyFile.utf8) + [0] + policyBytes)
        let imported: PolicyImport
        do {
            imported = try Policy.gcloudImport(contents: policyBytes, fileName: policyFile, limits: settings.limits)
        } catch {
            throw WebhookConfigurationError(file: Self.join(directory, policyFile), "\(error)")
        }
        let evaluator: PolicyEvaluator
        do {
            evaluator = try PolicyEvaluator(
                policy: imported.policy, options: EvaluationOptions(limits: settings.limits))
        } catch {
            throw WebhookConfigurationError(file: Self.join(directory, policyFile), "\(error)")
        }

        var attestors: [Attestor] = []
        var attestorFiles: [String] = []
        for file in try Self.dataFiles(in: Self.join(directory, "attestors"), budget: &budget) {
            let bytes = try Self.read(file, budget: &budget, settings.limits)
            hasher.update(data: Array(file.utf8) + [0] + bytes)
            do {
                attestors.append(
                    try Attestor(
                        text: String(decoding: bytes, as: UTF8.self), format: ResourceFormat(fileName: file),
                        limits: settings.limits))
                attestorFiles.append(file)
            } catch {
                throw WebhookConfigurationError(file: file, "\(error)")
            }
        }
        var occurrences: [AttestationOccurrence] = []
        for file in try Self.dataFiles(in: Self.join(directory, "attestations"), budget: &budget) {
            let bytes = try Self.read(file, budget: &budget, settings.limits)
            hasher.update(data: Array(file.utf8) + [0] + bytes)
            do {
                occurrences += try AttestationOccurrence.readAll(
                    text: String(decoding: bytes, as: UTF8.self), format: ResourceFormat(fileName: file),
                    limits: settings.limits)
            } catch {
                throw WebhookConfigurationError(file: file, "\(error)")
            }
        }
        let verifier: AttestorVerifier
        do {
            verifier = try AttestorVerifier(
                attestors: attestors, occurrences: occurrences, options: .init(limits: settings.limits),
                pgp: PGPAttestationKeys(verifier: settings.pgpVerifier))
        } catch {
            let file = error.attestorIndex.map { attestorFiles[$0] } ?? Self.join(directory, "attestors")
            throw WebhookConfigurationError(file: file, error.message)
        }
        self.policyFile = policyFile
        self.policy = imported.policy
        self.policyWarnings = imported.warnings
        self.attestors = attestors
        self.occurrenceCount = occurrences.count
        self.contentDigest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        self.verifier = verifier
        self.handler = AdmissionReviewHandler(
            evaluator: evaluator, evidence: verifier, cluster: settings.cluster,
            istioTrustDomain: settings.istioTrustDomain, warnsAboutPodTemplates: settings.warnsAboutPodTemplates)
    }

    deinit { verifier.close() }

    /// One line for logs: `policy.yaml, 2 attestors, 5 occurrences`.
    public var summary: String {
        "\(policyFile), \(attestors.count) attestor\(attestors.count == 1 ? "" : "s"), "
            + "\(occurrenceCount) occurrence\(occurrenceCount == 1 ? "" : "s")"
    }

    // MARK: Reading the directory

    /// What the files read so far have cost, against ``maximumFiles`` and ``maximumTotalBytes``.
    struct ReadBudget {
        var files = 0
        var bytes = 0
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    static func isFile(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }

    /// The `.json`, `.yaml` and `.yml` files under `directory`, sorted; none when it does not exist.
    static func dataFiles(in directory: String, budget: inout ReadBudget) throws(WebhookConfigurationError)
        -> [String]
    {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else { throw WebhookConfigurationError(file: directory, "is not a directory") }
        var found: [String] = []
        var pending: [(path: String, depth: Int)] = [(directory, 0)]
        while let (path, depth) = pending.popLast() {
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: path)
            } catch {
                throw WebhookConfigurationError(file: path, "cannot be listed: \(error.localizedDescription)")
            }
            for name in names.sorted() where !name.hasPrefix(".") {
                let child = join(path, name)
                var childIsDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: child, isDirectory: &childIsDirectory) else { continue }
                if childIsDirectory.boolValue {
                    guard depth < maximumDepth else {
                        throw WebhookConfigurationError(
                            file: child, "is nested deeper than \(maximumDepth) directories (maximumDepth)")
                    }
                    pending.append((child, depth + 1))
                } else if ResourceFormat(fileName: name) != nil {
                    budget.files += 1
                    guard budget.files <= maximumFiles else {
                        throw WebhookConfigurationError(
                            file: directory, "holds more than \(maximumFiles) files (maximumFiles)")
                    }
                    found.append(child)
                }
            }
        }
        return found.sorted()
    }

    /// A file's bytes, refused past `InputLimits.maximumDocumentBytes` or past ``maximumTotalBytes`` in all.
    static func read(_ path: String, budget: inout ReadBudget, _ limits: InputLimits) throws(WebhookConfigurationError)
        -> [UInt8]
    {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw WebhookConfigurationError(
                file: path, "cannot be opened: check that it exists and that the webhook's user may read it")
        }
        defer { try? handle.close() }
        let limit = min(limits.maximumDocumentBytes, maximumTotalBytes - budget.bytes)
        let data: Data
        do {
            data = try handle.read(upToCount: limit + 1) ?? Data()
        } catch {
            throw WebhookConfigurationError(file: path, "cannot be read: \(error.localizedDescription)")
        }
        guard data.count <= limit else {
            throw WebhookConfigurationError(
                file: path,
                limit == limits.maximumDocumentBytes
                    ? "is larger than \(limit) bytes (InputLimits.maximumDocumentBytes)"
                    : "takes the configuration past \(maximumTotalBytes) bytes (maximumTotalBytes)")
        }
        budget.bytes += data.count
        return [UInt8](data)
    }

    /// What changes when any file of the directory changes: every entry's path, device, inode, size and
    /// modification time, links followed (a ConfigMap update swaps a link, so the linked files' own times do not
    /// change). Cheap: nothing is read.
    static func fingerprint(of directory: String) -> [String] {
        var entries: [String] = []
        var pending: [(path: String, depth: Int)] = [(directory, 0)]
        while let (path, depth) = pending.popLast(), entries.count <= maximumFiles + 16 {
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { continue }
            for name in names.sorted() where !name.hasPrefix(".") {
                let child = join(path, name)
                var info = stat()
                guard stat(child, &info) == 0 else {
                    entries.append("\(child) missing")
                    continue
                }
                entries.append(
                    "\(child) \(info.st_dev) \(info.st_ino) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
                )
                if (info.st_mode & S_IFMT) == S_IFDIR, depth <= maximumDepth {
                    pending.append((child, depth + 1))
                }
            }
        }
        return entries
    }
}

/// A configuration file that cannot be used, and why.
public struct WebhookConfigurationError: Error, Sendable, CustomStringConvertible {
    /// The file (or directory) at fault.
    public var file: String
    /// What is wrong with it.
    public var message: String

    /// Creates an error.
    public init(file: String, _ message: String) {
        self.file = file
        self.message = message
    }

    /// `FILE: MESSAGE`.
    public var description: String { "\(file): \(message)" }
}
