// SPDX-License-Identifier: Apache-2.0

internal import CGPGME

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import _BinAuthzSystem

/// Process-wide GPGME initialisation: the ABI-checked version check, run exactly once.
///
/// `gpgme_check_version` must run before any other GPGME call and initialises GPGME's thread support; a
/// `static let` gives once-only, thread-safe initialisation. The check also sets `SIGPIPE` to `SIG_IGN` if it was
/// `SIG_DFL`, which is what a process talking to child processes over pipes wants.
enum GPGMELibrary {
    struct Info: Sendable {
        /// GPGME's version string, e.g. `1.18.0`.
        var version: String
        /// The `gpg` engine GPGME will run, e.g. `/usr/bin/gpg`.
        var gpgPath: String
        /// `gpgconf`, used to stop the agent of a temporary home.
        var gpgconfPath: String?
        /// `GPGME_DEBUG` was set when GPGME initialised: its trace logs all I/O with gpg, secrets included.
        var traceEnabled: Bool
    }

    /// The minimum GPGME version this wrapper is written against (Debian 12).
    static let minimumVersion = "1.18.0"

    private static let state: Result<Info, PGPError> = {
        // GPGME reads GPGME_DEBUG during the version check, once per process.
        let traceEnabled = system_getenv("GPGME_DEBUG").map { $0.pointee != 0 } ?? false
        // The header's `gpgme_check_version` macro (the ABI-checked form) is not imported; call what it expands to.
        guard let offset = MemoryLayout<_gpgme_signature>.offset(of: \_gpgme_signature.validity),
            let version = gpgme_check_version_internal(minimumVersion, offset)
        else {
            return .failure(
                PGPError(
                    code: .gpgUnavailable,
                    message: "GPGME \(minimumVersion) or later is required (install libgpgme11 / libgpgme-dev)"))
        }
        let engineStatus = gpgme_engine_check_version(GPGME_PROTOCOL_OpenPGP)
        guard gpgme_err_code(engineStatus) == GPG_ERR_NO_ERROR else {
            return .failure(
                PGPError(
                    code: .gpgUnavailable,
                    message: "GnuPG (gpg 2.1.14 or later) was not found or is too old: "
                        + "\(GPGMEStatus(engineStatus).message); install the gnupg package",
                    gpgErrorCode: GPGMEStatus(engineStatus).code))
        }
        var gpgPath = "gpg"
        var info: gpgme_engine_info_t?
        if gpgme_get_engine_info(&info) == 0 {
            var engine = info
            while let current = engine {
                if current.pointee.protocol == GPGME_PROTOCOL_OpenPGP, let name = current.pointee.file_name {
                    gpgPath = String(cString: name)
                }
                engine = current.pointee.next
            }
        }
        let gpgconf = gpgme_get_dirinfo("gpgconf-name").map { String(cString: $0) }
        return .success(
            Info(
                version: String(cString: version), gpgPath: gpgPath, gpgconfPath: gpgconf, traceEnabled: traceEnabled))
    }()

    /// Initialises GPGME if needed and returns what was found.
    ///
    /// - Throws: ``PGPError/Code/gpgUnavailable`` when GPGME is too old or `gpg` is missing.
    static func initialize() throws(PGPError) -> Info {
        try state.get()
    }
}

/// A `gpgme_error_t`, split into its code, source and message (thread-safe `gpgme_strerror_r`).
struct GPGMEStatus {
    let raw: gpgme_error_t

    init(_ raw: gpgme_error_t) { self.raw = raw }

    var isSuccess: Bool { gpgme_err_code(raw) == GPG_ERR_NO_ERROR }
    var code: GPGErrorCode { GPGErrorCode(rawValue: gpgme_err_code(raw).rawValue) }
    var source: String { gpgme_strsource(raw).map { String(cString: $0) } ?? "" }

    var message: String {
        var buffer = [CChar](repeating: 0, count: 256)
        _ = gpgme_strerror_r(raw, &buffer, buffer.count)
        let text = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return source.isEmpty || source == "Unspecified source" ? text : "\(text) (\(source))"
    }

    func `is`(_ code: GPGErrorCode) -> Bool { self.code == code }

    /// Throws ``PGPError`` with the GnuPG code when not successful, naming the operation.
    func check(_ operation: @autoclosure () -> String) throws(PGPError) {
        guard !isSuccess else { return }
        throw error(operation())
    }

    /// The error for this status, with the common GnuPG codes mapped onto ``PGPError/Code``.
    func error(_ operation: String) -> PGPError {
        let what = "\(operation): \(message)"
        switch code {
        case .badPassphrase:
            return PGPError(
                code: .badPassphrase, message: "\(operation): the passphrase is wrong", gpgErrorCode: code)
        case .noPassphrase:
            return PGPError(
                code: .badPassphrase, message: "\(operation): the passphrase is empty", gpgErrorCode: code)
        case .noPinentry, .noTTY:
            return PGPError(
                code: .passphraseRequired,
                message: "\(operation): the secret key is protected by a passphrase and none was given",
                gpgErrorCode: code)
        case .noAgent:
            return PGPError(
                code: .agentUnavailable,
                message: "\(what); secret keys need a signing keyring (EphemeralKeyring.Options.signing) and a "
                    + "working gpg-agent (install the gpg-agent package; keep the home path short)",
                gpgErrorCode: code)
        case .unusableSecretKey:
            return PGPError(
                code: .unusableKey, message: "\(operation): the secret key is unusable (expired or revoked?)",
                gpgErrorCode: code)
        case .noSecretKey:
            return PGPError(code: .keyNotFound, message: "\(operation): secret key not available", gpgErrorCode: code)
        default:
            return PGPError(code: .gpgme, message: what, gpgErrorCode: code)
        }
    }
}
