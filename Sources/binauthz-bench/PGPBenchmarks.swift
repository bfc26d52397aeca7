// SPDX-License-Identifier: Apache-2.0

import BinAuthzPGP
import BinAuthzTestSupport
import Foundation

/// PGP attestations: verifications per second through one reused ``EphemeralKeyring`` against one
/// `gpg --verify` process per signature in a prepared GNUPGHOME, and signatures per second against `gpg --sign`,
/// on the same keys and the same signatures, in one run. Plus the one-off cost of building a keyring.
///
/// Both sides run GnuPG underneath (GPGME spawns `gpg` per operation), so the comparison shows what reusing a
/// keyring and skipping the shell saves, not a different cryptographic implementation.
enum PGPBenchmarks: BenchmarkSuite {
    static let name = "PGP signatures"

    static var payload: [UInt8] { BenchData.seedPayload }

    static func run() throws -> [BenchmarkRow] {
        var rows: [BenchmarkRow] = []
        let signer = try EphemeralKeyring(options: .signing)
        defer { signer.close() }
        let gpg = try GnuPGHome(base: "/tmp")
        defer { gpg.close() }
        let gpgPath = Subprocess.which("gpg") ?? "gpg"
        /// `gpg --homedir HOME --batch --no-tty ARGS`, output discarded: the reference side of each timed loop.
        func runGPG(_ arguments: [String]) throws {
            try BenchProcess.run(
                gpgPath, ["--homedir", gpg.path, "--batch", "--no-tty"] + arguments, discardOutput: true)
        }
        func write(_ name: String, _ bytes: [UInt8]) throws -> String {
            let path = gpg.path + "/" + name
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            return path
        }

        for algorithm in [PGPKeyAlgorithm.ed25519, .rsa3072] {
            let key = try signer.generateKey(userID: "Bench \(algorithm) <bench@example.com>", algorithm: algorithm)
            let publicKey = try signer.exportPublicKey(key.fingerprint)
            try gpg.gpg(["--import"], stdin: Array(try signer.exportSecretKey(key.fingerprint).utf8))

            // The same signatures for both verifiers; distinct payloads so nothing is cached anywhere.
            let signatures = try (0..<8).map { index in
                try signer.sign(payload + Array("\(index)".utf8), with: key.fingerprint)
            }
            let files = try signatures.enumerated().map {
                try write("sig-\(algorithm)-\($0.offset).pgp", $0.element)
            }
            let verifier = try EphemeralKeyring(verifyingWith: [Array(publicKey.utf8)], options: .verification)
            defer { verifier.close() }
            let now = Date()  // the benchmark's own evaluation time; the library never reads the clock
            for signature in signatures {
                let result = try verifier.verifyAttached(signature, at: now.addingTimeInterval(60))
                precondition(result.isVerified, "\(result)")
            }

            var next = 0
            let ours = try Measure.throughput(seconds: 2) {
                let result = try verifier.verifyAttached(
                    signatures[next % signatures.count], at: now.addingTimeInterval(60))
                precondition(result.isVerified)
                next += 1
            }
            next = 0
            let reference = try Measure.throughput(seconds: 2) {
                try runGPG(["--verify", files[next % files.count]])
                next += 1
            }
            rows.append(
                BenchmarkRow(
                    section: "pgp", operation: "verify attached (\(algorithm))", ours: Measure.formatRate(ours),
                    reference: Measure.formatRate(reference),
                    note: "one keyring reused for every signature; reference = one `gpg --verify` process per "
                        + "signature in a prepared GNUPGHOME; same \(signatures.count) signatures"))

            let payloadFile = try write("payload.json", payload)
            let signing = try Measure.throughput(seconds: 2) {
                _ = try signer.sign(payload, with: key.fingerprint)
            }
            let gpgSigning = try Measure.throughput(seconds: 2) {
                try runGPG(["--local-user", key.fingerprint.hex, "--armor", "--output", "-", "--sign", payloadFile])
            }
            rows.append(
                BenchmarkRow(
                    section: "pgp", operation: "sign attached, armored (\(algorithm))",
                    ours: Measure.formatRate(signing),
                    reference: Measure.formatRate(gpgSigning),
                    note: "no passphrase; reference = one `gpg --local-user FPR --armor --sign` process per signature"))
        }

        // MARK: One-off costs

        let armored = Array(try signer.exportPublicKey(signer.keys[0].fingerprint).utf8)
        let build = try Measure.median(iterations: 15) {
            let keyring = try EphemeralKeyring(verifyingWith: [armored], options: .verification)
            keyring.close()
        }
        rows.append(
            BenchmarkRow(
                section: "pgp", operation: "build + close a verify-only keyring (1 key)",
                ours: Measure.formatDuration(build), reference: "—",
                note: "mkdtemp, GPGME context, import, key listing, removal; no agent is started"))
        let fingerprint = try Measure.median(iterations: 200) {
            _ = try PGPKeyBlock.fingerprint(of: armored)
        }
        rows.append(
            BenchmarkRow(
                section: "pgp", operation: "fingerprint of an armored public key",
                ours: Measure.formatDuration(fingerprint),
                reference: "—", note: "pure Swift: dearmor + CRC-24 + packet walk + SHA-1; no gpg"))
        return rows
    }
}
