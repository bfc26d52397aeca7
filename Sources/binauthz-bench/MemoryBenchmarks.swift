// SPDX-License-Identifier: Apache-2.0

import BinAuthz
import BinAuthzTestSupport
import Foundation
import _BinAuthzSystem

#if canImport(Glibc)
import Glibc
#endif

/// Peak memory (maximum resident set size) of `binauthz` processes doing real work, as GNU time reports it (or
/// sampled from `/proc` without it), next to the same figure for the tool each replaces where one is installed.
enum MemoryBenchmarks: BenchmarkSuite {
    static let name = "peak memory"

    static func run() throws -> [BenchmarkRow] {
        guard let binauthz = BenchProcess.siblingExecutable("binauthz") else { return [] }
        let temporary = try TemporaryDirectory(prefix: "binauthz-bench")
        defer { temporary.remove() }
        let dir = temporary.path
        var rows: [BenchmarkRow] = []
        let image = "gcr.io/my-proj/app@sha256:" + String(repeating: "a", count: 64)

        // Payload.
        let payloadRSS = try peakRSS(binauthz, ["create-signature-payload", "--artifact-url", image])
        var gcloudRSS = "—"
        if let gcloud = Subprocess.which("gcloud") {
            let invocation = try BenchData.gcloudPayload(url: image, config: dir)
            gcloudRSS = format(try peakRSS(gcloud, invocation.arguments, environment: invocation.environment))
        }
        rows.append(
            BenchmarkRow(
                section: name, operation: "create-signature-payload process", ours: format(payloadRSS),
                reference: gcloudRSS,
                note: "reference: gcloud"))

        // PKIX sign-and-create, then a policy with 10,000 allowlist patterns and 200 cluster rules evaluating a
        // 3-image pod with a verified attestation.
        let key = try PKIXPrivateKey.generate(for: .ecdsaP256SHA256)
        try Data(key.pemRepresentation.utf8).write(to: URL(fileURLWithPath: dir + "/key.pem"))
        var attestor = Attestor(
            name: AttestorName(project: "my-proj", attestor: "ci"), note: NoteName(project: "my-proj", note: "ci"))
        try attestor.addPKIXPublicKey(pem: key.publicKey.pemRepresentation, algorithm: .ecdsaP256SHA256)
        try Data(attestor.jsonString().utf8).write(to: URL(fileURLWithPath: dir + "/attestor.json"))
        let signRSS = try peakRSS(
            binauthz,
            [
                "attestations", "sign-and-create", "--artifact-url", image, "--note", "projects/my-proj/notes/ci",
                "--pkix-private-key-file", dir + "/key.pem", "--pkix-algorithm", "ecdsa-p256-sha256",
                "--output", dir + "/occurrence.json",
            ])
        rows.append(
            BenchmarkRow(
                section: name, operation: "attestations sign-and-create (PKIX)", ours: format(signRSS), reference: "—",
                note: ""))

        var policy = Policy(defaultAdmissionRule: .alwaysAllow)
        policy.admissionWhitelistPatterns = (0..<10_000).map {
            AdmissionWhitelistPattern(namePattern: "gcr.io/vendor-\($0)/*")
        }
        for index in 0..<200 {
            policy.clusterAdmissionRules["us-central1-a.c\(index)"] = .requireAttestation(by: [
                "projects/my-proj/attestors/ci"
            ])
        }
        try Data(policy.yamlString().utf8).write(to: URL(fileURLWithPath: dir + "/policy.yaml"))
        let evaluateRSS = try peakRSS(
            binauthz,
            [
                "policy", "evaluate", "--policy-file", dir + "/policy.yaml", "--attestor-file", dir + "/attestor.json",
                "--attestation-file", dir + "/occurrence.json", "--image", image, "--image", "gcr.io/vendor-7/tool:1",
                "--image", "busybox", "--cluster", "us-central1-a.c7",
            ],
            acceptableStatuses: [0, 2])
        rows.append(
            BenchmarkRow(
                section: name, operation: "policy evaluate, 10,000 patterns + 200 rules, 3 images",
                ours: format(evaluateRSS),
                reference: "—", note: "YAML policy read, validated, compiled, one attestation verified"))

        rows.append(
            BenchmarkRow(
                section: name, operation: "this benchmark process (all suites)", ours: format(ownPeakRSS()),
                reference: "—",
                note: "includes every in-process measurement above it"))
        return rows
    }

    /// Runs the command and returns its peak resident set size in bytes.
    ///
    /// The figure comes from GNU `time -f %M` (a small process that forks and execs the command, so the child's
    /// high-water mark is its own: `wait4` from this large process would count the pages a child shares with it
    /// until `exec`). Without GNU time the high-water mark is sampled from `/proc/PID/status` while the command
    /// runs, which can miss a final spike.
    static func peakRSS(
        _ executable: String, _ arguments: [String], environment: [String: String] = [:],
        acceptableStatuses: Set<Int32> = [0]
    ) throws -> Int {
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        let timeTool = "/usr/bin/time"
        let useTime = FileManager.default.isExecutableFile(atPath: timeTool)
        let report = NSTemporaryDirectory() + "binauthz-bench-rss-\(getpid())"
        defer { unlink(report) }
        let command = useTime ? [timeTool, "-f", "%M", "-o", report, executable] + arguments : [executable] + arguments
        var pid: pid_t = 0
        var fileActions = posix_spawn_file_actions_t()
        system_posix_spawn_file_actions_init(&fileActions)
        defer { system_posix_spawn_file_actions_destroy(&fileActions) }
        system_posix_spawn_file_actions_addopen(&fileActions, 1, "/dev/null", O_WRONLY, 0)
        system_posix_spawn_file_actions_addopen(&fileActions, 2, "/dev/null", O_WRONLY, 0)
        let argv = command.map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        guard system_posix_spawn(&pid, command[0], &fileActions, nil, argv, envp) == 0 else {
            throw CocoaError(.executableLoad)
        }
        var sampled = 0
        var status: Int32 = 0
        while true {
            let reaped = system_waitpid(pid, &status, useTime ? 0 : WNOHANG)
            if reaped == pid { break }
            if let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
                let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
                let kilobytes = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
            {
                sampled = max(sampled, kilobytes)
            }
            system_usleep(1000)
        }
        let exitStatus = (status >> 8) & 0xFF
        guard acceptableStatuses.contains(exitStatus) else {
            throw CocoaError(
                .executableLoad, userInfo: ["command": arguments.joined(separator: " "), "status": exitStatus])
        }
        if useTime, let text = try? String(contentsOfFile: report, encoding: .utf8),
            let kilobytes = Int(text.split(separator: "\n").last?.trimmingCharacters(in: .whitespaces) ?? "")
        {
            return kilobytes * 1024
        }
        return sampled * 1024
    }

    static func ownPeakRSS() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Int(usage.ru_maxrss) * 1024
    }

    static func format(_ bytes: Int) -> String {
        String(format: "%.1f MiB", Double(bytes) / 1_048_576)
    }
}
