// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import Foundation
import Testing

@testable import BinAuthzPGP

/// Runs one input through both verifiers — ``NativePGPVerifier`` and GPGME's ``EphemeralKeyring`` — and compares.
struct NativeDifferential {
    /// How one case came out.
    enum Agreement: Equatable {
        /// Both decided the same (or both refused the keys with the same error code).
        case agreed
        /// The native verifier handed the case to GPGME.
        case fellBack(String)
        /// They differ: a bug in one of them.
        case disagreed(String)
    }

    /// Tallies of a batch of cases.
    struct Tally: CustomStringConvertible {
        var agreed = 0
        var fellBack = 0
        var disagreements: [String] = []
        var fallbackReasons: [String: Int] = [:]

        var total: Int { agreed + fellBack + disagreements.count }

        mutating func add(_ agreement: Agreement) {
            switch agreement {
            case .agreed: agreed += 1
            case .fellBack(let reason):
                fellBack += 1
                fallbackReasons[reason, default: 0] += 1
            case .disagreed(let detail): disagreements.append(detail)
            }
        }

        var description: String {
            "\(total) cases: \(agreed) agreed, \(fellBack) fell back to GPGME, \(disagreements.count) disagreed"
        }
    }

    /// Where to write the inputs of each disagreement (key blocks and message), for inspection and for the
    /// regression corpus: the `BINAUTHZ_NATIVE_DUMP` directory, when set.
    static let dumpDirectory = ProcessInfo.processInfo.environment["BINAUTHZ_NATIVE_DUMP"]

    static func dump(keys: [[UInt8]], message: [UInt8]?, label: String) {
        guard let directory = dumpDirectory else { return }
        let name = label.map { $0.isLetter || $0.isNumber ? $0 : "_" }
        let base = directory + "/" + String(name.prefix(80))
        try? FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        for (index, key) in keys.enumerated() {
            _ = FileManager.default.createFile(atPath: base + "/key\(index).pgp", contents: Data(key))
        }
        if let message { _ = FileManager.default.createFile(atPath: base + "/message.pgp", contents: Data(message)) }
    }

    let keys: [[UInt8]]

    /// The two verifiers for one set of key blocks, or the errors they threw.
    let native: Result<NativePGPVerifier, PGPError>
    let gpgme: Result<EphemeralKeyring, PGPError>

    init(keys: [[UInt8]]) {
        self.keys = keys
        native = Result { () throws(PGPError) in try NativePGPVerifier(publicKeys: keys) }
        gpgme = Result { () throws(PGPError) in try EphemeralKeyring(verifyingWith: keys, options: PGPTest.verification)
        }
    }

    func close() {
        if case .success(let keyring) = gpgme { keyring.close() }
    }

    /// Whether both accepted or both refused the keys with the same code.
    var keysAgreement: Agreement {
        switch (native, gpgme) {
        case (.success, .success): return .agreed
        case (.failure(let a), .failure(let b)) where a.code == b.code: return .agreed
        case (.success(let verifier), .failure(let error)) where verifier.keys == nil:
            return .fellBack("keys unsupported natively; GPGME throws \(error.code)")
        default:
            Self.dump(keys: keys, message: nil, label: "keys-\(keys.hashValue)")
            return .disagreed("keys: native \(Self.text(native)) vs GPGME \(Self.text(gpgme))")
        }
    }

    /// Compares both verifiers on `signature` at each of `times`.
    func compare(_ signature: [UInt8], at times: [Date], label: String) -> [Agreement] {
        guard case .success(let verifier) = native, case .success(let keyring) = gpgme else {
            return [keysAgreement]
        }
        return times.map { time in
            let nativeResult = verifier.verifyAttached(signature, at: time)
            let reference: PGPVerificationResult
            do {
                reference = try keyring.verifyAttached(signature, at: time)
            } catch {
                return .disagreed("\(label) at \(time): GPGME threw \(error)")
            }
            switch nativeResult {
            case .unsupported(let reason): return .fellBack("\(reason) → GPGME \(Self.summary(reference))")
            case .decided(let result):
                if result == reference { return .agreed }
                Self.dump(keys: keys, message: signature, label: label)
                return .disagreed("\(label) at \(Timestamp.rfc3339(time)): native \(result) ≠ GPGME \(reference)")
            }
        }
    }

    /// A short form of a result for grouping fallbacks: the verdict and the failure kind and detail.
    static func summary(_ result: PGPVerificationResult) -> String {
        switch result {
        case .verified: "verified"
        case .failed(let failure): "\(failure.kind)" + (failure.detail.map { "(\($0))" } ?? "")
        }
    }

    private static func text<T>(_ result: Result<T, PGPError>) -> String {
        switch result {
        case .success: "accepted"
        case .failure(let error): "threw \(error.code) (\(error.message))"
        }
    }

    /// Interesting instants for a message and its keys: every key, subkey, revocation and signature time, one
    /// second either side, plus fixed points.
    static func boundaryTimes(signature: [UInt8], keys: [PGPKey], extra: [Date] = []) -> [Date] {
        var instants: [Date] = extra
        for key in keys {
            instants.append(key.createdAt)
            if let expiry = key.expiresAt { instants.append(expiry) }
            if let date = key.revocation?.date { instants.append(date) }
            for subkey in key.subkeys {
                instants.append(subkey.createdAt)
                if let expiry = subkey.expiresAt { instants.append(expiry) }
                if let date = subkey.revocation?.date { instants.append(date) }
            }
        }
        for (created, expires) in signatureTimes(signature) {
            instants.append(Date(timeIntervalSince1970: TimeInterval(created)))
            if expires != 0 { instants.append(Date(timeIntervalSince1970: TimeInterval(expires))) }
        }
        var times: Set<Date> = []
        for instant in instants {
            times.insert(instant.addingTimeInterval(-1))
            times.insert(instant)
            times.insert(instant.addingTimeInterval(1))
        }
        return times.sorted()
    }

    /// Creation and expiry of each signature in a message, read with the native parser.
    static func signatureTimes(_ signature: [UInt8]) -> [(UInt32, UInt32)] {
        guard case .candidate(let binary) = MessageShape.classify(signature),
            case .message(let message) = NativeMessage.read(binary, limits: InputLimits())
        else { return [] }
        return message.signatures.compactMap { body in
            (try? NativeSignature(body: body[...])).map { ($0.timestamp, $0.expireDate) }
        }
    }
}
