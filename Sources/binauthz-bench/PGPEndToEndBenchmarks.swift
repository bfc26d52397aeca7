// SPDX-License-Identifier: Apache-2.0

import BinAuthz
import BinAuthzTestSupport
import Foundation

/// PGP attestations end to end, in one run:
///
/// - `binauthz attestations validate` as a whole process, with the in-process verifier (the default) and with
///   `--pgp-verifier gpgme`, next to one `gpg --verify` process on the same signature in a prepared home, and next
///   to the floor of any `binauthz` process (`--version`);
/// - a continuous-validation-sized pass through the library: 10,000 pods × 3 images under a policy requiring two
///   PGP attestors, from attestor keys and occurrences to the last decision, native against GPGME.
///
/// Keys and signatures are made by the real `gpg` (through GPGME and the command line) in temporary 0700 homes
/// whose agents are stopped when the suite ends.
enum PGPEndToEndBenchmarks: BenchmarkSuite {
    static let name = "PGP end to end"

    static let note = "projects/bench/notes/built-by-ci"
    static let attestorName = "projects/bench/attestors/built-by-ci"

    static func run() throws -> [BenchmarkRow] {
        var rows: [BenchmarkRow] = []
        let gpg = try GnuPGHome(base: "/tmp")
        defer { gpg.close() }
        rows += try wholeProcess(gpg)
        rows += try continuousValidation()
        return rows
    }

    // MARK: One process per validation

    static func wholeProcess(_ gpg: GnuPGHome) throws -> [BenchmarkRow] {
        guard let binauthz = BenchProcess.siblingExecutable("binauthz") else {
            FileHandle.standardError.write(Data("binauthz not built next to the benchmark; skipping\n".utf8))
            return []
        }
        let gpgPath = Subprocess.which("gpg") ?? "gpg"
        let keyrings = try TemporaryDirectory(prefix: "bzbench")
        defer { keyrings.remove() }
        var rows: [BenchmarkRow] = []
        let image = "gcr.io/bench/app@sha256:" + String(repeating: "ab", count: 32)
        for (algorithm, label) in [("rsa3072", "RSA-3072"), ("ed25519", "Ed25519")] {
            let fingerprint = try gpg.generateKey(
                userID: "Process \(label) <p-\(algorithm)@example.com>", algorithm: algorithm)
            let publicKey = try gpg.exportPublicKey(fingerprint)
            let payload = try SignaturePayload.create(artifactURL: image)
            let signature = try gpg.sign(payload, as: fingerprint)
            let signatureFile = gpg.path + "/validate-\(algorithm).asc"
            try Data(signature).write(to: URL(fileURLWithPath: signatureFile))

            var attestor = Attestor(
                name: try AttestorName(parsing: attestorName), note: try NoteName(parsing: note))
            try attestor.addPGPPublicKey(publicKey)
            let occurrence = try AttestationOccurrence.create(
                artifactURL: image, note: try NoteName(parsing: note), signature: signature, publicKeyID: fingerprint)
            let attestorFile = gpg.path + "/attestor-\(algorithm).json"
            let occurrenceFile = gpg.path + "/occurrence-\(algorithm).json"
            try Data(attestor.jsonString().utf8).write(to: URL(fileURLWithPath: attestorFile))
            try Data(occurrence.jsonString().utf8).write(to: URL(fileURLWithPath: occurrenceFile))
            let validate = [
                "attestations", "validate", "--attestor-file", attestorFile, "--attestation-file", occurrenceFile,
            ]
            let environment = ["BINAUTHZ_KEYRING_DIR": keyrings.path]
            for arguments in [validate, validate + ["--pgp-verifier", "gpgme"]] {
                let output = try BenchProcess.run(binauthz, arguments, environment: environment)
                guard String(decoding: output, as: UTF8.self).contains("\"VERIFIED\"") else {
                    throw BenchProcess.Failure(
                        description: "binauthz \(arguments): \(String(decoding: output, as: UTF8.self))")
                }
            }

            // Side by side: one process of each per round.
            let seconds = try Measure.interleaved(
                rounds: 25,
                [
                    (1, { try BenchProcess.run(binauthz, validate, environment: environment, discardOutput: true) }),
                    (
                        1,
                        {
                            try BenchProcess.run(
                                binauthz, validate + ["--pgp-verifier", "gpgme"], environment: environment,
                                discardOutput: true)
                        }
                    ),
                    (
                        1,
                        {
                            try BenchProcess.run(
                                gpgPath, ["--homedir", gpg.path, "--batch", "--no-tty", "--verify", signatureFile],
                                discardOutput: true)
                        }
                    ),
                ])
            let (native, gpgme, process) = (seconds[0], seconds[1], seconds[2])
            rows.append(
                BenchmarkRow(
                    section: "pgp process", operation: "`binauthz attestations validate` (\(label))",
                    ours: Measure.formatDuration(native), reference: Measure.formatDuration(process),
                    note: String(format: "**validate / gpg --verify = %.2f×**; ", native / process)
                        + "median of 25 interleaved rounds; in-process verifier (default); reference = one `gpg --verify` "
                        + "process on the same signature in a prepared GNUPGHOME"))
            rows.append(
                BenchmarkRow(
                    section: "pgp process",
                    operation: "`binauthz attestations validate --pgp-verifier gpgme` (\(label))",
                    ours: Measure.formatDuration(native), reference: Measure.formatDuration(gpgme),
                    note: String(format: "**gpgme / native = %.1f×**; ", gpgme / native)
                        + "ours = the default (in-process); reference = the same command forcing GPGME: a temporary "
                        + "keyring, an import and a `gpg` child"))
        }
        let floors = try Measure.interleaved(
            rounds: 25,
            [
                (1, { try BenchProcess.run(binauthz, ["--version"], discardOutput: true) }),
                (
                    1,
                    {
                        try BenchProcess.run(
                            gpgPath, ["--homedir", gpg.path, "--batch", "--no-tty", "--version"], discardOutput: true)
                    }
                ),
            ])
        let (floor, gpgFloor) = (floors[0], floors[1])
        rows.append(
            BenchmarkRow(
                section: "pgp process", operation: "`binauthz --version` (the floor of any binauthz process)",
                ours: Measure.formatDuration(floor), reference: Measure.formatDuration(gpgFloor),
                note: "process start-up: dynamic loader, Swift runtime and Foundation; reference = `gpg --version`"))
        return rows
    }

    // MARK: Continuous validation

    static let pods = 10_000
    static let distinctImages = 300

    static func continuousValidation() throws -> [BenchmarkRow] {
        let signer = try EphemeralKeyring(options: .signing)
        defer { signer.close() }
        let names = ["projects/bench/attestors/built-by-ci", "projects/bench/attestors/qa"]
        let notes = ["projects/bench/notes/built-by-ci", "projects/bench/notes/qa"]
        let images = (0..<distinctImages).map { index in
            "gcr.io/bench/svc-\(index % 37)@sha256:" + String(format: "%064x", index + 1)
        }
        let unsigned = "gcr.io/bench/unsigned@sha256:" + String(repeating: "e", count: 64)
        var attestors: [Attestor] = []
        var occurrences: [AttestationOccurrence] = []
        for (index, algorithm) in [PGPKeyAlgorithm.rsa3072, .ed25519].enumerated() {
            let key = try signer.generateKey(userID: "CV \(algorithm) <cv@example.com>", algorithm: algorithm)
            let note = try NoteName(parsing: notes[index])
            var attestor = Attestor(name: try AttestorName(parsing: names[index]), note: note)
            try attestor.addPGPPublicKey(try signer.exportPublicKey(key.fingerprint))
            attestors.append(attestor)
            for image in images {
                let payload = try SignaturePayload.create(artifactURL: image)
                occurrences.append(
                    try AttestationOccurrence.create(
                        artifactURL: image, note: note, signature: try signer.sign(payload, with: key.fingerprint),
                        publicKeyID: key.fingerprint.hex))
            }
        }
        let policy = Policy(defaultAdmissionRule: .requireAttestation(by: names))
        // Pods draw 3 images from the pool; one pod in 50 runs an unsigned image and is denied.
        let requests = (0..<pods).map { pod in
            AdmissionRequest(
                images: (0..<3).map { slot in
                    slot == 2 && pod % 50 == 0 ? unsigned : images[(pod * 7 + slot * 101) % images.count]
                },
                target: DeploymentTarget(cluster: "us-central1-a.prod", namespace: "ns-\(pod % 40)"))
        }
        let time = Date().addingTimeInterval(60)

        struct Pass {
            var seconds: Double
            var admitted: Int
            var statistics: AttestorVerifier.Statistics?
            var backends: Set<String>
        }
        func pass(_ verifier: PGPAttestationKeys.Verifier) throws -> Pass {
            let clock = ContinuousClock()
            var admitted = 0
            var statistics: AttestorVerifier.Statistics?
            var backends: Set<String> = []
            let elapsed = try clock.measure {
                let evidence = try AttestorVerifier(
                    attestors: attestors, occurrences: occurrences,
                    pgp: PGPAttestationKeys(verifier: verifier, keyringBaseDirectory: "/tmp"))
                defer { evidence.close() }
                let evaluator = try PolicyEvaluator(policy: policy)
                for request in requests where try evaluator.evaluate(request, evidence: evidence, at: time).isAllowed {
                    admitted += 1
                }
                statistics = evidence.statistics
                if case .verified(let verified) = try evidence.verify(
                    attestor: names[0], image: try ImageReference(images[0]), at: time)
                {
                    backends.insert(verified.backend ?? "?")
                }
            }
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            return Pass(seconds: seconds, admitted: admitted, statistics: statistics, backends: backends)
        }
        _ = try pass(.automatic)  // warm-up
        let ours = try pass(.automatic)
        let reference = try pass(.gpgme)
        let expected = requests.count - requests.count / 50
        guard ours.admitted == expected, reference.admitted == expected,
            let checked = ours.statistics, checked == reference.statistics,
            ours.backends == ["in-process"], reference.backends == ["GnuPG"]
        else {
            throw BenchProcess.Failure(description: "continuous validation: \(ours) vs \(reference)")
        }
        let perPod = { (pass: Pass) in Measure.formatDuration(pass.seconds / Double(pods)) }
        return [
            BenchmarkRow(
                section: "pgp end to end",
                operation: "continuous validation: \(pods.formatted()) pods × 3 images, 2 PGP attestors",
                ours: "\(Measure.formatDuration(ours.seconds)) (\(perPod(ours)) per pod)",
                reference: "\(Measure.formatDuration(reference.seconds)) (\(perPod(reference)) per pod)",
                note: String(format: "**GPGME / native = %.1f×**; ", reference.seconds / ours.seconds)
                    + "library end to end: attestor keys read, policy compiled, every pod decided; RSA-3072 and "
                    + "Ed25519 attestors, \(distinctImages) distinct images, \(occurrences.count) occurrences; "
                    + "\(checked.signatureChecks.formatted()) signatures checked, "
                    + "\(checked.cacheHits.formatted()) checks answered from the verifier's cache; "
                    + "\(requests.count - expected) pods denied; reference = `PGPAttestationKeys(verifier: .gpgme)`")
        ]
    }
}
