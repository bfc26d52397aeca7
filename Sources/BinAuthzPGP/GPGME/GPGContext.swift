// SPDX-License-Identifier: Apache-2.0

internal import CGPGME

/// Owns one `gpgme_ctx_t` bound to a temporary GnuPG home. Not thread-safe: an ``EphemeralKeyring`` keeps it
/// behind a mutex (GPGME: "any `gpgme_ctx_t` object must only be accessed by one thread at a time").
///
/// Every `gpgme_*` call of the module that needs a context is in this file; results are copied into Swift values
/// before the next operation starts (GPGME result pointers are only valid until then).
final class GPGContext {
    private let handle: OpaquePointer
    /// The fingerprint the context's signer list holds, kept between signatures: looking the key up again
    /// (`gpgme_get_key`) costs two more gpg processes per signature in GPGME 1.18. Cleared whenever keys change.
    private var selectedSigner: String?
    /// The passphrase callback's state. Referenced unretained from C, so it lives exactly as long as the context.
    private let passphraseBox = PassphraseBox()

    /// Creates a context for the OpenPGP protocol on `home`: offline, armored output, text mode off, pinentry in
    /// `ERROR` mode until an operation supplies a passphrase.
    init(home: String) throws(PGPError) {
        _ = try GPGMELibrary.initialize()
        var context: gpgme_ctx_t?
        try GPGMEStatus(gpgme_new(&context)).check("creating a GPGME context")
        guard let context else { throw PGPError(code: .gpgme, message: "gpgme_new returned no context") }
        handle = context
        do throws(PGPError) {
            try GPGMEStatus(gpgme_set_protocol(handle, GPGME_PROTOCOL_OpenPGP)).check("selecting OpenPGP")
            // Must precede the first operation. A NULL file name keeps the default gpg.
            try GPGMEStatus(gpgme_ctx_set_engine_info(handle, GPGME_PROTOCOL_OpenPGP, nil, home))
                .check("binding GPGME to the temporary GnuPG home")
            gpgme_set_offline(handle, 1)
            gpgme_set_armor(handle, 1)
            gpgme_set_textmode(handle, 0)
            try GPGMEStatus(gpgme_set_pinentry_mode(handle, GPGME_PINENTRY_MODE_ERROR)).check(
                "setting the pinentry mode")
            gpgme_set_passphrase_cb(handle, passphraseCallback, Unmanaged.passUnretained(passphraseBox).toOpaque())
        } catch {
            gpgme_release(handle)
            throw error
        }
    }

    deinit {
        gpgme_set_passphrase_cb(handle, nil, nil)
        gpgme_release(handle)
    }

    // MARK: Passphrases

    /// Runs `body` with `passphrase` available to the loopback callback (pinentry `LOOPBACK`), or with pinentry
    /// `ERROR` when `nil`. The box's copy of the passphrase is zeroed and freed afterwards; a cancellation caused by a missing or
    /// rejected passphrase becomes a clear error.
    private func withPassphrase<R>(
        _ passphrase: [UInt8]?, operation: String, _ body: () throws(PGPError) -> R
    ) throws(PGPError) -> R {
        let mode = passphrase == nil ? GPGME_PINENTRY_MODE_ERROR : GPGME_PINENTRY_MODE_LOOPBACK
        try GPGMEStatus(gpgme_set_pinentry_mode(handle, mode)).check("setting the pinentry mode")
        passphraseBox.load(passphrase)
        defer { passphraseBox.clear() }
        do throws(PGPError) {
            return try body()
        } catch  where error.gpgErrorCode == .canceled || error.gpgErrorCode == .general {
            if passphraseBox.rejected {
                throw PGPError(
                    code: .badPassphrase, message: "\(operation): the passphrase is wrong", gpgErrorCode: .badPassphrase
                )
            }
            if passphraseBox.requestedWithoutPassphrase {
                throw PGPError(
                    code: .passphraseRequired,
                    message: "\(operation): the secret key is protected by a passphrase and none was given",
                    gpgErrorCode: .canceled)
            }
            throw error
        }
    }

    // MARK: Import and export

    struct ImportSummary {
        var considered = 0
        var imported = 0
        var unchanged = 0
        var newRevocations = 0
        var secretRead = 0
        var secretImported = 0
        var secretUnchanged = 0
        var notImported = 0
        /// Primary fingerprints GnuPG reported, in order, with per-key failures.
        var fingerprints: [String] = []
        var failures: [(fingerprint: String, status: GPGMEStatus)] = []
    }

    /// Forgets the selected signer: keys are about to change (an import may revoke it, a new subkey may sign).
    private func keysWillChange() {
        gpgme_signers_clear(handle)
        selectedSigner = nil
    }

    func importKeys(_ bytes: [UInt8]) throws(PGPError) -> ImportSummary {
        keysWillChange()
        return try GPGData.withInput(bytes) { (data) throws(PGPError) -> ImportSummary in
            let status = GPGMEStatus(gpgme_op_import(handle, data.handle))
            try status.check("importing keys")
            guard let result = gpgme_op_import_result(handle)?.pointee else { return ImportSummary() }
            var summary = ImportSummary(
                considered: Int(result.considered), imported: Int(result.imported), unchanged: Int(result.unchanged),
                newRevocations: Int(result.new_revocations), secretRead: Int(result.secret_read),
                secretImported: Int(result.secret_imported), secretUnchanged: Int(result.secret_unchanged),
                notImported: Int(result.not_imported))
            var entry = result.imports
            while let current = entry {
                let fpr = current.pointee.fpr.map { String(cString: $0) } ?? ""
                let outcome = GPGMEStatus(current.pointee.result)
                if outcome.isSuccess {
                    if !summary.fingerprints.contains(fpr) { summary.fingerprints.append(fpr) }
                } else {
                    summary.failures.append((fpr, outcome))
                }
                entry = current.pointee.next
            }
            return summary
        }
    }

    func export(_ fingerprint: String, secret: Bool, passphrase: [UInt8]?) throws(PGPError) -> [UInt8] {
        try withPassphrase(passphrase, operation: "exporting the secret key") { () throws(PGPError) -> [UInt8] in
            let output = try GPGData()
            gpgme_set_armor(handle, 1)
            let mode: gpgme_export_mode_t = secret ? gpgme_export_mode_t(UInt32(GPGME_EXPORT_MODE_SECRET)) : 0
            try GPGMEStatus(gpgme_op_export(handle, fingerprint, mode, output.handle))
                .check(secret ? "exporting the secret key" : "exporting the public key")
            let bytes = output.takeBytes(wipe: secret)
            guard bytes.isEmpty else { return bytes }
            // GPGME reports success with no output when gpg could not unlock the key to export it.
            if !secret {
                throw PGPError(code: .keyNotFound, message: "no key \(fingerprint) to export")
            }
            if passphraseBox.rejected || passphrase != nil {
                throw PGPError(
                    code: .badPassphrase,
                    message: "exporting the secret key: the passphrase is wrong (GnuPG exported nothing)")
            }
            throw PGPError(
                code: .passphraseRequired,
                message: "exporting the secret key: it is protected by a passphrase and none was given")
        }
    }

    // MARK: Listing

    struct RawSubkey {
        var fingerprint: String
        var created: Int
        var expires: Int
        var revoked: Bool
        var canSign: Bool
        var canEncrypt: Bool
        var secret: Bool
        var algorithm: String
    }

    struct RawKey {
        var userIDs: [String]
        var revoked: Bool
        var secret: Bool
        /// The primary key first, then the subkeys.
        var subkeys: [RawSubkey]
    }

    /// Lists every key of the home (`withSecret` also marks which have secret parts; this needs the agent).
    func listKeys(withSecret: Bool) throws(PGPError) -> [RawKey] {
        var mode = gpgme_keylist_mode_t(UInt32(GPGME_KEYLIST_MODE_LOCAL))
        if withSecret { mode |= gpgme_keylist_mode_t(UInt32(GPGME_KEYLIST_MODE_WITH_SECRET)) }
        try GPGMEStatus(gpgme_set_keylist_mode(handle, mode)).check("setting the key listing mode")
        try GPGMEStatus(gpgme_op_keylist_start(handle, nil, 0)).check("listing keys")
        defer { gpgme_op_keylist_end(handle) }
        var keys: [RawKey] = []
        while true {
            var key: gpgme_key_t?
            let status = GPGMEStatus(gpgme_op_keylist_next(handle, &key))
            if status.is(.endOfFile) { break }
            try status.check("listing keys")
            guard let key else { break }
            defer { gpgme_key_unref(key) }
            keys.append(Self.copy(key))
        }
        return keys
    }

    private static func copy(_ key: gpgme_key_t) -> RawKey {
        var subkeys: [RawSubkey] = []
        var sub = key.pointee.subkeys
        while let current = sub {
            let s = current.pointee
            var algorithm = gpgme_pubkey_algo_name(s.pubkey_algo).map { String(cString: $0) } ?? "unknown"
            if let curve = s.curve, curve.pointee != 0 {
                algorithm += " " + String(cString: curve)
            } else if s.length > 0 {
                algorithm += " \(s.length)"
            }
            subkeys.append(
                RawSubkey(
                    fingerprint: s.fpr.map { String(cString: $0) } ?? "", created: s.timestamp, expires: s.expires,
                    revoked: s.revoked != 0, canSign: s.can_sign != 0, canEncrypt: s.can_encrypt != 0,
                    secret: s.secret != 0, algorithm: algorithm))
            sub = s.next
        }
        var uids: [String] = []
        var uid = key.pointee.uids
        while let current = uid {
            if let text = current.pointee.uid { uids.append(String(cString: text)) }
            uid = current.pointee.next
        }
        return RawKey(
            userIDs: uids, revoked: key.pointee.revoked != 0, secret: key.pointee.secret != 0, subkeys: subkeys)
    }

    // MARK: Key generation

    func createKey(
        userID: String, algorithm: String, expiresInSeconds: UInt?, passphrase: [UInt8]?
    ) throws(PGPError) -> String {
        var flags = UInt32(GPGME_CREATE_SIGN) | UInt32(GPGME_CREATE_CERT) | UInt32(GPGME_CREATE_FORCE)
        if passphrase == nil { flags |= UInt32(GPGME_CREATE_NOPASSWD) }
        if expiresInSeconds == nil { flags |= UInt32(GPGME_CREATE_NOEXPIRE) }
        keysWillChange()
        return try withPassphrase(passphrase, operation: "generating a key") { () throws(PGPError) -> String in
            try GPGMEStatus(
                gpgme_op_createkey(handle, userID, algorithm, 0, UInt(expiresInSeconds ?? 0), nil, flags)
            ).check("generating a key")
            guard let fpr = gpgme_op_genkey_result(handle)?.pointee.fpr else {
                throw PGPError(code: .gpgme, message: "generating a key: GnuPG reported no fingerprint")
            }
            return String(cString: fpr)
        }
    }

    func createSubkey(
        primary: String, algorithm: String, expiresInSeconds: UInt?, passphrase: [UInt8]?
    ) throws(PGPError) -> String {
        var flags = UInt32(GPGME_CREATE_SIGN)
        if passphrase == nil { flags |= UInt32(GPGME_CREATE_NOPASSWD) }
        if expiresInSeconds == nil { flags |= UInt32(GPGME_CREATE_NOEXPIRE) }
        keysWillChange()
        return try withPassphrase(passphrase, operation: "adding a signing subkey") { () throws(PGPError) -> String in
            let key = try self.key(primary, secret: true)
            defer { gpgme_key_unref(key) }
            try GPGMEStatus(gpgme_op_createsubkey(handle, key, algorithm, 0, UInt(expiresInSeconds ?? 0), flags))
                .check("adding a signing subkey")
            guard let fpr = gpgme_op_genkey_result(handle)?.pointee.fpr else {
                throw PGPError(code: .gpgme, message: "adding a subkey: GnuPG reported no fingerprint")
            }
            return String(cString: fpr)
        }
    }

    private func key(_ fingerprint: String, secret: Bool) throws(PGPError) -> gpgme_key_t {
        var key: gpgme_key_t?
        let status = GPGMEStatus(gpgme_get_key(handle, fingerprint, &key, secret ? 1 : 0))
        guard status.isSuccess, let key else {
            if status.is(.endOfFile) || status.isSuccess || status.is(.notFound) {
                throw PGPError(
                    code: .keyNotFound,
                    message: "no \(secret ? "secret " : "")key \(fingerprint) in the keyring", gpgErrorCode: status.code
                )
            }
            throw status.error("looking up key \(fingerprint)")
        }
        return key
    }

    // MARK: Signing

    /// Signs `payload` with `signer`'s key; returns the signature (or the signed message when not detached).
    func sign(
        _ payload: [UInt8], signer: String, passphrase: [UInt8]?, detached: Bool, armored: Bool
    ) throws(PGPError) -> [UInt8] {
        try withPassphrase(passphrase, operation: "signing") { () throws(PGPError) -> [UInt8] in
            if selectedSigner != signer {
                gpgme_signers_clear(handle)
                selectedSigner = nil
                let key = try self.key(signer, secret: true)
                let added = GPGMEStatus(gpgme_signers_add(handle, key))
                gpgme_key_unref(key)  // gpgme_signers_add took its own reference
                try added.check("selecting the signing key")
                selectedSigner = signer
            }
            gpgme_set_armor(handle, armored ? 1 : 0)
            gpgme_set_textmode(handle, 0)
            defer { gpgme_set_armor(handle, 1) }
            let output = try GPGData()
            try GPGData.withInput(payload) { (input) throws(PGPError) in
                let mode = detached ? GPGME_SIG_MODE_DETACH : GPGME_SIG_MODE_NORMAL
                try GPGMEStatus(gpgme_op_sign(handle, input.handle, output.handle, mode)).check("signing")
            }
            if let invalid = gpgme_op_sign_result(handle)?.pointee.invalid_signers {
                throw GPGMEStatus(invalid.pointee.reason).error("signing with key \(signer)")
            }
            return output.takeBytes()
        }
    }

    // MARK: Verification

    struct RawSignature {
        var fingerprint: String
        var status: GPGMEStatus
        var created: Int
        var expires: Int
        var wrongKeyUsage: Bool
        var hashAlgorithm: Int
        var hashAlgorithmName: String
    }

    struct VerifyOutcome {
        var operationStatus: GPGMEStatus
        var signatures: [RawSignature]
        var plaintext: [UInt8]
        /// GnuPG wrote more signed data than the limit allowed; the operation was cut off.
        var plaintextOverflowed = false
    }

    /// Verifies an opaque (attached) signature, recovering the signed data — at most `plaintextLimit` bytes of it:
    /// GnuPG's output is not collected beyond that, and gpg is stopped when it tries to write more.
    func verifyOpaque(_ message: [UInt8], plaintextLimit: Int) throws(PGPError) -> VerifyOutcome {
        try GPGMEStatus(gpgme_set_pinentry_mode(handle, GPGME_PINENTRY_MODE_ERROR)).check("setting the pinentry mode")
        let plaintext = try BoundedSink(limit: plaintextLimit)
        let status = try GPGData.withInput(message) { (input) throws(PGPError) -> GPGMEStatus in
            GPGMEStatus(gpgme_op_verify(handle, input.handle, nil, plaintext.handle))
        }
        if plaintext.overflowed {
            return VerifyOutcome(operationStatus: status, signatures: [], plaintext: [], plaintextOverflowed: true)
        }
        var signatures: [RawSignature] = []
        if status.isSuccess, let result = gpgme_op_verify_result(handle)?.pointee {
            var sig = result.signatures
            while let current = sig {
                let s = current.pointee
                signatures.append(
                    RawSignature(
                        fingerprint: s.fpr.map { String(cString: $0) } ?? "", status: GPGMEStatus(s.status),
                        created: Int(s.timestamp), expires: Int(s.exp_timestamp), wrongKeyUsage: s.wrong_key_usage != 0,
                        hashAlgorithm: Int(s.hash_algo.rawValue),
                        hashAlgorithmName: gpgme_hash_algo_name(s.hash_algo).map { String(cString: $0) } ?? "unknown"))
                sig = s.next
            }
        }
        return VerifyOutcome(operationStatus: status, signatures: signatures, plaintext: plaintext.bytes)
    }
}

// MARK: - Passphrase callback

/// The loopback passphrase callback's state: the passphrase for the current operation and what happened.
final class PassphraseBox {
    /// The box's own copy of the passphrase and the newline GnuPG's loopback protocol ends it with, zeroed before it
    /// is freed. (The caller's `String` cannot be wiped; this keeps the library from adding copies of its own.)
    private var line: UnsafeMutableBufferPointer<UInt8>?
    private(set) var rejected = false
    private(set) var requestedWithoutPassphrase = false

    func load(_ passphrase: [UInt8]?) {
        clear()
        if let passphrase {
            let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: passphrase.count + 1)
            _ = buffer.initialize(from: passphrase)
            buffer[passphrase.count] = 0x0A
            line = buffer
        }
        rejected = false
        requestedWithoutPassphrase = false
    }

    func clear() {
        guard let line else { return }
        for index in line.indices { line[index] = 0 }
        line.deallocate()
        self.line = nil
    }

    deinit { clear() }

    /// Writes the passphrase and a newline to `fd`, as GnuPG's loopback protocol expects.
    func respond(previousWasBad: Bool, fd: Int32) -> gpgme_error_t {
        if previousWasBad {
            rejected = true
            return gpgme_error(GPG_ERR_CANCELED)
        }
        guard let line else {
            requestedWithoutPassphrase = true
            return gpgme_error(GPG_ERR_CANCELED)
        }
        let written = gpgme_io_writen(fd, line.baseAddress, line.count)
        return written == 0 ? 0 : gpgme_error(GPG_ERR_CANCELED)
    }
}

/// A non-capturing C callback; the hook is the context's ``PassphraseBox``.
private let passphraseCallback: gpgme_passphrase_cb_t = { hook, _, _, previousWasBad, fd in
    guard let hook else { return gpgme_error(GPG_ERR_CANCELED) }
    let box = Unmanaged<PassphraseBox>.fromOpaque(hook).takeUnretainedValue()
    return box.respond(previousWasBad: previousWasBad != 0, fd: fd)
}
