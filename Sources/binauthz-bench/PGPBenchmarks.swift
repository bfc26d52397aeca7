// SPDX-License-Identifier: Apache-2.0

import BinAuthzPGP
import BinAuthzTestSupport
import Crypto
import CryptoExtras
import Foundation

/// PGP attestations, per signature, side by side in one run:
///
/// - the in-process verifier (``NativePGPVerifier``) against the bare swift-crypto primitive it ends in (the same
///   algorithm, key size and hash, key built once): what parsing, dearmoring, inflating, hashing and judging add;
/// - the in-process verifier against GPGME with one reused ``EphemeralKeyring`` (a `gpg` child per signature);
/// - GPGME against one `gpg --verify` process per signature in a prepared GNUPGHOME;
/// - signatures per second against `gpg --sign`.
///
/// Keys and signatures are made by the real `gpg` in a temporary 0700 home whose agent is stopped
/// (`gpgconf --kill all`) and which is removed when the suite ends. Every signature is checked to get the same
/// verdict from both verifiers before anything is timed.
enum PGPBenchmarks: BenchmarkSuite {
    static let name = "PGP signatures"

    static var payload: [UInt8] { BenchData.seedPayload }

    /// The key types of the comparison: gpg's algorithm name and the label of the table.
    static let algorithms: [(gnupg: String, label: String)] = [
        ("rsa2048", "RSA-2048"), ("rsa3072", "RSA-3072"), ("ed25519", "Ed25519"), ("nistp256", "P-256"),
    ]

    static func run() throws -> [BenchmarkRow] {
        var rows: [BenchmarkRow] = []
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
        let now = Date()  // the benchmark's own evaluation time; the library never reads the clock
        let at = now.addingTimeInterval(60)

        for algorithm in algorithms {
            let fingerprint = try gpg.generateKey(
                userID: "Bench \(algorithm.label) <bench-\(algorithm.gnupg)@example.com>", algorithm: algorithm.gnupg)
            let publicKey = Array(try gpg.exportPublicKey(fingerprint).utf8)
            // The same signatures for every verifier; distinct payloads so nothing is cached anywhere.
            let signatures = try (0..<8).map { index in
                try gpg.sign(payload + Array("\(index)".utf8), as: fingerprint)
            }
            let files = try signatures.enumerated().map {
                try write("sig-\(algorithm.gnupg)-\($0.offset).asc", $0.element)
            }
            let native = try NativePGPVerifier(publicKeys: [publicKey])
            let keyring = try EphemeralKeyring(verifyingWith: [publicKey], options: .verification)
            defer { keyring.close() }
            var hash = ""
            for signature in signatures {
                guard case .decided(let result) = native.verifyAttached(signature, at: at), result.isVerified else {
                    throw BenchProcess.Failure(description: "native: \(native.verifyAttached(signature, at: at))")
                }
                let reference = try keyring.verifyAttached(signature, at: at)
                guard reference == result else {
                    throw BenchProcess.Failure(description: "native \(result) but GPGME \(reference)")
                }
                hash = result.verified!.hashAlgorithm
            }

            let primitive = try Primitive(algorithm: algorithm.gnupg, hash: hash, payload: payload)
            var nextNative = 0
            let inProcess = {
                let verdict = native.verifyAttached(signatures[nextNative % signatures.count], at: at)
                precondition(verdict.result?.isVerified == true)
                nextNative &+= 1
            }
            // Side by side, finely interleaved: 10 in-process verifications, then 10 bare primitives, 300 times.
            let fast = try Measure.interleaved(
                rounds: 300, [(10, inProcess), (10, { precondition(primitive.verify()) })])
            var nextGPGME = 0
            var nextProcess = 0
            // Then 10 in-process verifications, 1 GPGME verification and 1 `gpg --verify` process, 40 times.
            let slow = try Measure.interleaved(
                rounds: 40,
                [
                    (10, inProcess),
                    (
                        1,
                        {
                            let result = try keyring.verifyAttached(signatures[nextGPGME % signatures.count], at: at)
                            precondition(result.isVerified)
                            nextGPGME += 1
                        }
                    ),
                    (
                        1,
                        {
                            try runGPG(["--verify", files[nextProcess % files.count]])
                            nextProcess += 1
                        }
                    ),
                ])
            let seconds = [fast[0], fast[1], slow[1], slow[2]]
            let nativeAgain = slow[0]
            let (nativeRate, primitiveRate, gpgmeRate, processRate) =
                (1 / seconds[0], 1 / seconds[1], 1 / seconds[2], 1 / seconds[3])
            rows.append(
                BenchmarkRow(
                    section: "pgp", operation: "verify attached, in process (\(algorithm.label), \(hash))",
                    ours: perSignature(nativeRate), reference: perSignature(primitiveRate),
                    note: String(format: "**native / primitive = %.2f×**; ", primitiveRate / nativeRate)
                        + "reference = \(primitive.name) on the same hash of the payload, key built once; ours = "
                        + "dearmor, packets, inflate, hash, verify, key validity; same \(signatures.count) `gpg "
                        + "--armor --sign` signatures; medians of 300 interleaved rounds"))
            rows.append(
                BenchmarkRow(
                    section: "pgp", operation: "verify attached, in process vs GPGME (\(algorithm.label))",
                    ours: perSignature(1 / nativeAgain), reference: perSignature(gpgmeRate),
                    note: String(format: "**GPGME / native = %.0f×**; ", (1 / nativeAgain) / gpgmeRate)
                        + "reference = one verify-only GPGME keyring reused for every signature (a `gpg` child each); "
                        + "identical results checked"))
            rows.append(
                BenchmarkRow(
                    section: "pgp", operation: "verify attached, GPGME vs `gpg --verify` (\(algorithm.label))",
                    ours: perSignature(gpgmeRate), reference: perSignature(processRate),
                    note: "ours = GPGME, one keyring reused; reference = one `gpg --verify` process per signature in a "
                        + "prepared GNUPGHOME"))
        }

        // MARK: Signing (GPGME against gpg)

        let signer = try EphemeralKeyring(options: .signing)
        defer { signer.close() }
        for algorithm in [PGPKeyAlgorithm.ed25519, .rsa3072] {
            let key = try signer.generateKey(userID: "Bench \(algorithm) <sign@example.com>", algorithm: algorithm)
            try gpg.gpg(["--import"], stdin: Array(try signer.exportSecretKey(key.fingerprint).utf8))
            let payloadFile = try write("payload.json", payload)
            let signingSeconds = try Measure.interleaved(
                rounds: 20,
                [
                    (1, { _ = try signer.sign(payload, with: key.fingerprint) }),
                    (
                        1,
                        {
                            try runGPG([
                                "--local-user", key.fingerprint.hex, "--armor", "--output", "-", "--sign", payloadFile,
                            ])
                        }
                    ),
                ])
            let (signing, gpgSigning) = (1 / signingSeconds[0], 1 / signingSeconds[1])
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
        let nativeBuild = try Measure.median(iterations: 200) {
            _ = try NativePGPVerifier(publicKeys: [armored])
        }
        rows.append(
            BenchmarkRow(
                section: "pgp", operation: "read an attestor key for the in-process verifier (1 key)",
                ours: Measure.formatDuration(nativeBuild), reference: Measure.formatDuration(build),
                note: "dearmor, packets, self-signatures checked; reference = building a verify-only GPGME keyring"))
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

    /// `12.3 µs (81,234 /s)`.
    static func perSignature(_ rate: Double) -> String {
        "\(Measure.formatDuration(1 / rate)) (\(Measure.formatRate(rate)))"
    }

    /// The bare swift-crypto verification the in-process verifier ends in, for a fresh key of the same type and
    /// size: hash the payload, verify one signature over the digest.
    struct Primitive {
        let name: String
        let verify: () -> Bool

        init(algorithm: String, hash: String, payload: [UInt8]) throws {
            let maker: any PrimitiveMaker
            switch algorithm {
            case "rsa2048", "rsa3072":
                let key = try _RSA.Signing.PrivateKey(keySize: .init(bitCount: algorithm == "rsa2048" ? 2048 : 3072))
                maker = RSAPrimitive(key: key, payload: payload)
                name = "swift-crypto `_RSA.Signing.PublicKey.isValidSignature` (PKCS#1 v1.5)"
            case "ed25519":
                maker = Ed25519Primitive(key: Curve25519.Signing.PrivateKey(), payload: payload)
                name = "swift-crypto `Curve25519.Signing.PublicKey.isValidSignature`"
            case "nistp256":
                maker = P256Primitive(key: P256.Signing.PrivateKey(), payload: payload)
                name = "swift-crypto `P256.Signing.PublicKey.isValidSignature`"
            default:
                throw BenchProcess.Failure(description: "no primitive for \(algorithm)")
            }
            switch hash {
            case "SHA256": verify = try maker.make(SHA256.self)
            case "SHA384": verify = try maker.make(SHA384.self)
            case "SHA512": verify = try maker.make(SHA512.self)
            default: throw BenchProcess.Failure(description: "no primitive for hash \(hash)")
            }
        }
    }
}

/// Makes the timed closure of a ``PGPBenchmarks/Primitive`` for one hash function.
private protocol PrimitiveMaker {
    func make<H: HashFunction>(_ hash: H.Type) throws -> () -> Bool
}

private struct RSAPrimitive: PrimitiveMaker {
    let key: _RSA.Signing.PrivateKey
    let payload: [UInt8]

    func make<H: HashFunction>(_ hash: H.Type) throws -> () -> Bool {
        let publicKey = key.publicKey
        let signature = try key.signature(for: H.hash(data: payload), padding: .insecurePKCS1v1_5)
        return { [payload] in
            publicKey.isValidSignature(signature, for: H.hash(data: payload), padding: .insecurePKCS1v1_5)
        }
    }
}

/// OpenPGP's (legacy) EdDSA signs the digest itself.
private struct Ed25519Primitive: PrimitiveMaker {
    let key: Curve25519.Signing.PrivateKey
    let payload: [UInt8]

    func make<H: HashFunction>(_ hash: H.Type) throws -> () -> Bool {
        let publicKey = key.publicKey
        let signature = try key.signature(for: Array(H.hash(data: payload)))
        return { [payload] in publicKey.isValidSignature(signature, for: Array(H.hash(data: payload))) }
    }
}

private struct P256Primitive: PrimitiveMaker {
    let key: P256.Signing.PrivateKey
    let payload: [UInt8]

    func make<H: HashFunction>(_ hash: H.Type) throws -> () -> Bool {
        let publicKey = key.publicKey
        let signature = try key.signature(for: H.hash(data: payload))
        return { [payload] in publicKey.isValidSignature(signature, for: H.hash(data: payload)) }
    }
}
