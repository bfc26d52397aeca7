// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import BinAuthzPKIX
import BinAuthzTestSupport
import Foundation

/// PKIX verification: signatures verified per second per algorithm with a verifier built once per key, against
/// one `openssl dgst -verify` process per signature (what a shell pipeline does); and the one-off cost of building
/// a verifier from a PEM key.
enum PKIXBenchmarks: BenchmarkSuite {
    static let name = "PKIX signatures"

    static let algorithms: [SignatureAlgorithm] = [
        .ecdsaP256SHA256, .ecdsaP384SHA384, .ecdsaP521SHA512,
        .rsaSignPKCS1_2048SHA256, .rsaSignPKCS1_3072SHA256, .rsaSignPKCS1_4096SHA256, .rsaSignPKCS1_4096SHA512,
        .rsaPSS2048SHA256, .rsaPSS3072SHA256, .rsaPSS4096SHA256, .rsaPSS4096SHA512,
    ]

    static func run() throws -> [BenchmarkRow] {
        var rows: [BenchmarkRow] = []
        let payload = BenchData.seedPayload
        let openssl = Subprocess.which("openssl")
        let temporary = try TemporaryDirectory(prefix: "binauthz-bench")
        defer { temporary.remove() }
        let directory = temporary.path
        var keys: [SignatureAlgorithm.KeyType: PKIXPrivateKey] = [:]

        for algorithm in algorithms {
            let parameters = algorithm.parameters!
            let key = try keys[parameters.key] ?? PKIXPrivateKey.generate(for: algorithm)
            keys[parameters.key] = key
            let signature = try PKIXSigner(privateKey: key, algorithm: algorithm).sign(payload)
            let publicPEM = key.publicKey.pemRepresentation
            let verifier = try PKIXVerifier(publicKeyPEM: publicPEM, algorithm: algorithm)
            precondition(verifier.verify(signature: signature, payload: payload).isVerified)
            var sink = 0
            let ours = Measure.throughput(batch: 20) {
                if verifier.verify(signature: signature, payload: payload).isVerified { sink &+= 1 }
            }
            precondition(sink > 0)

            var reference = "—"
            if let openssl {
                let keyFile = directory + "/pub.pem"
                let signatureFile = directory + "/sig"
                let payloadFile = directory + "/payload"
                try Data(publicPEM.utf8).write(to: URL(fileURLWithPath: keyFile))
                try Data(signature).write(to: URL(fileURLWithPath: signatureFile))
                try Data(payload).write(to: URL(fileURLWithPath: payloadFile))
                let digest = "-" + parameters.digest.rawValue.lowercased().replacingOccurrences(of: "-", with: "")
                var arguments = ["dgst", digest, "-verify", keyFile, "-signature", signatureFile]
                if parameters.padding == .pss {
                    arguments += ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:auto"]
                }
                arguments.append(payloadFile)
                let seconds = try Measure.median(iterations: 15) {
                    try _ = BenchProcess.run(openssl, arguments)
                }
                reference = Measure.formatRate(1 / seconds)
            }
            rows.append(
                BenchmarkRow(
                    section: "pkix", operation: "verify \(algorithm.rawValue)",
                    ours: Measure.formatRate(ours), reference: reference,
                    note: "verifier built once per key; reference = one `openssl dgst -verify` process per signature"
                        + (parameters.padding == .pss ? "; PSS via our RSA public operation, salt auto-detected" : "")))
        }

        // MARK: Building a verifier

        for type in [SignatureAlgorithm.KeyType.ec(.p256), .rsa(bits: 2048), .rsa(bits: 4096)] {
            guard let key = keys[type] else { continue }
            let algorithm = algorithms.first { $0.parameters?.key == type && $0.parameters?.padding != .pkcs1v15 }!
            let pem = key.publicKey.pemRepresentation
            let seconds = try Measure.median(iterations: 50) {
                _ = try PKIXVerifier(publicKeyPEM: pem, algorithm: algorithm)
            }
            rows.append(
                BenchmarkRow(
                    section: "pkix", operation: "build a verifier from PEM (\(type))",
                    ours: Measure.formatDuration(seconds), reference: "—",
                    note: "PEM + SPKI parsing" + (type == .ec(.p256) ? "" : ", Montgomery constants (R² mod n)")))
        }
        return rows
    }
}
