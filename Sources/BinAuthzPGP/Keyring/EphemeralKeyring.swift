// SPDX-License-Identifier: Apache-2.0

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import BinAuthzModel
import Synchronization

/// An isolated, temporary GnuPG keyring: import keys, sign, and verify attached signatures at an evaluation time.
///
/// Each keyring is its own GnuPG home — a fresh `0700` directory such as `/tmp/bzpgp.k3J9aQ` — so the user's
/// `~/.gnupg` and `GNUPGHOME` are never read or written. GPGME runs `gpg` offline (`--disable-dirmngr`), with an
/// explicit pinentry mode, so no operation can hang on a prompt or touch the network.
///
/// ```swift
/// // Verify: one keyring per attestor, built once, reused for every signature.
/// let keyring = try EphemeralKeyring(verifyingWith: [armoredPublicKey])
/// defer { keyring.close() }
/// let result = try keyring.verifyAttached(signatureBytes, at: evaluationTime)
///
/// // Sign: a scoped signing keyring that cleans up on exit.
/// let signature = try withEphemeralKeyring(.signing) { keyring in
///     let key = try keyring.importKeys(secretKeyBytes)[0]
///     return try keyring.sign(payload, with: key.fingerprint)
/// }
/// ```
///
/// ## Lifetime
///
/// ``close()`` (idempotent) stops the keyring's `gpg-agent` by its home (`gpgconf --homedir H --kill all`, never by
/// name), removes the agent's socket directory when it lives under `/run/user/$UID`, and deletes the home.
/// `deinit` does the same as a fallback; prefer ``withEphemeralKeyring(_:_:)`` or an explicit ``close()`` so cleanup
/// happens at a known point. Verify-only keyrings never start an agent at all.
///
/// ## Threads and cost
///
/// A keyring may be used from any thread. It owns one GPGME context and serialises operations on it with a mutex;
/// use several keyrings for parallel work. Every method **blocks**: GPGME runs a `gpg` process per operation
/// (about 5–10 ms per verification, 10–30 ms per import or signature, tens of milliseconds to seconds per key
/// generation). Call them from a thread that may block, not from a latency-sensitive executor.
public final class EphemeralKeyring: Sendable {
    /// The temporary GnuPG home of this keyring.
    public let homeDirectory: String
    /// The options the keyring was created with.
    public let options: Options

    private let home: KeyringHome
    private let gpgconf: String?
    private let state: Mutex<State>

    private struct State {
        /// `nil` once closed.
        var context: GPGContext?
        var keys: [PGPKey] = []
        /// Every key and subkey fingerprint → its primary key's fingerprint.
        var primaryOf: [PGPFingerprint: PGPFingerprint] = [:]
        /// Revocation signatures seen in imported material, for revocation times and reasons.
        var revocations: [RevocationPacket] = []
    }

    /// Creates an empty keyring in a new temporary home.
    ///
    /// - Parameter options: Verification (default) or signing, and where to put the home.
    /// - Throws: ``PGPError/Code/gpgUnavailable`` when GPGME or `gpg` is missing; ``PGPError/Code/homeUnusable`` when
    ///   the home cannot be created (or its path would be longer than 80 bytes); ``PGPError/Code/unsafeEnvironment``
    ///   for a signing keyring while `GPGME_DEBUG` is set.
    public init(options: Options = .verification) throws(PGPError) {
        let library = try GPGMELibrary.initialize()
        if options.allowsSecretKeys && library.traceEnabled {
            throw PGPError(
                code: .unsafeEnvironment,
                message: "GPGME_DEBUG is set: GPGME's trace would write secret keys and passphrases to its log; unset "
                    + "it to sign or generate keys (verification works with it set)")
        }
        let home = try KeyringHome.create(
            base: options.baseDirectory, signing: options.allowsSecretKeys, s2kCount: options.s2kCount,
            gnupgClock: options.gnupgClock.map { Int($0.timeIntervalSince1970) })
        let context: GPGContext
        do throws(PGPError) {
            context = try GPGContext(home: home.path)
        } catch {
            home.tearDown(agentMayRun: false, gpgconf: library.gpgconfPath)
            throw error
        }
        self.home = home
        self.homeDirectory = home.path
        self.options = options
        self.gpgconf = library.gpgconfPath
        self.state = Mutex(State(context: context))
    }

    /// Creates a verify-only keyring holding the given public keys: what an attestor's keys become.
    ///
    /// - Parameters:
    ///   - publicKeys: ASCII-armored or binary public key blocks (for example the attestor's
    ///     `asciiArmoredPgpPublicKey` values).
    ///   - options: Where to put the home; the purpose should stay ``Options/Purpose/verification``.
    /// - Throws: The errors of ``init(options:)`` and ``importKeys(_:)``; the home is removed on failure.
    public convenience init(verifyingWith publicKeys: [[UInt8]], options: Options = .verification) throws(PGPError) {
        try self.init(options: options)
        do throws(PGPError) {
            _ = try importKeyBlocks(publicKeys)
        } catch {
            close()
            throw error
        }
    }

    deinit {
        close()
    }

    /// Stops the keyring's agent, removes its sockets and deletes the temporary home. Safe to call more than once;
    /// later operations throw ``PGPError/Code/keyringClosed``.
    public func close() {
        state.withLock { state in
            guard state.context != nil else { return }
            state.context = nil  // gpgme_release before the home goes away
            home.tearDown(agentMayRun: options.allowsSecretKeys, gpgconf: gpgconf)
        }
    }

    /// Whether ``close()`` has run.
    public var isClosed: Bool {
        state.withLock { $0.context == nil }
    }

    // MARK: Keys

    /// The keys in the keyring, in import order, as GnuPG lists them.
    public var keys: [PGPKey] {
        state.withLock { $0.keys }
    }

    /// The key whose primary key or subkey has `fingerprint`, or `nil`.
    public func key(_ fingerprint: PGPFingerprint) -> PGPKey? {
        state.withLock { state in
            guard let primary = state.primaryOf[fingerprint] else { return nil }
            return state.keys.first { $0.fingerprint == primary }
        }
    }

    /// Imports public or secret keys, or a revocation certificate.
    ///
    /// - Parameter bytes: ASCII-armored or binary OpenPGP key material: `gpg --export`, `gpg --export-secret-keys`,
    ///   or a revocation certificate (`gpg --gen-revoke`).
    /// - Returns: The keys the material touched (imported, updated or revoked), as they now stand.
    /// - Throws: ``PGPError/Code/noKey`` when there is nothing to import; ``PGPError/Code/agentUnavailable`` for secret
    ///   keys in a verification keyring; ``PGPError/Code/importFailed`` when GnuPG rejects the material.
    @discardableResult
    public func importKeys(_ bytes: [UInt8]) throws(PGPError) -> [PGPKey] {
        try importKeyBlocks([bytes])
    }

    /// Imports key material that is base64-encoded, the way CI systems keep secret keys in environment variables
    /// (`BINAUTH_PRIVATE_KEY=$(gpg --export-secret-keys FPR | base64)`). The decoded material may be armored or binary.
    /// A variable that holds the ASCII-armored key itself (`-----BEGIN PGP …`), not base64 of it, is imported as it
    /// is: it is the usual slip, and cannot be mistaken for base64.
    ///
    /// - Parameter text: The base64 text; line breaks and spaces are ignored.
    /// - Returns: The keys imported, as in ``importKeys(_:)``.
    /// - Throws: ``PGPError/Code/invalidArgument`` when the text is not base64 (the message never repeats the text),
    ///   then the errors of ``importKeys(_:)``.
    @discardableResult
    public func importKeys(base64Encoded text: String) throws(PGPError) -> [PGPKey] {
        if text.trimmingWhitespace().hasPrefix("-----BEGIN PGP ") { return try importKeys(Array(text.utf8)) }
        guard let bytes = Base64.decode(text), !bytes.isEmpty else {
            throw PGPError(
                code: .invalidArgument,
                message:
                    "the key text is not base64 (expected base64 of `gpg --export-secret-keys` or `gpg --export` output)"
            )
        }
        return try importKeys(bytes)
    }

    /// Imports one attestor public key and returns its Binary Authorization key id.
    ///
    /// The block must hold exactly one primary key, as kritis requires ("expected 1 public key, got N"). The
    /// fingerprint is computed from the packets and cross-checked with GnuPG's listing.
    ///
    /// - Parameter bytes: An ASCII-armored or binary public key block.
    /// - Returns: The primary key's fingerprint.
    /// - Throws: ``PGPError/Code/multipleKeys``, ``PGPError/Code/noKey``, and the errors of ``importKeys(_:)``.
    @discardableResult
    public func importAttestorKey(_ bytes: [UInt8]) throws(PGPError) -> PGPFingerprint {
        let fingerprint = try PGPKeyBlock(bytes).singleKey().fingerprint
        let imported = try importKeys(bytes)
        guard imported.contains(where: { $0.fingerprint == fingerprint }) else {
            throw PGPError(
                code: .importFailed,
                message: "GnuPG did not list key \(fingerprint) after importing it (imported: "
                    + "\(imported.map(\.fingerprint.hex).joined(separator: ", ")))")
        }
        return fingerprint
    }

    private func importKeyBlocks(_ blocks: [[UInt8]]) throws(PGPError) -> [PGPKey] {
        let allowsSecret = options.allowsSecretKeys
        var parsedRevocations: [RevocationPacket] = []
        for bytes in blocks {
            guard bytes.contains(where: { !$0.isWhitespaceASCII }) else {
                throw PGPError(code: .noKey, message: "no OpenPGP key found: the key material is empty")
            }
            // Best effort: GnuPG is the authority on what the material contains; the walk adds revocation times
            // and catches secret keys headed for a verify-only home before gpg reports them obscurely.
            let parsedBlock: PGPKeyBlock.Parsed?
            do throws(PGPError) {
                parsedBlock = try PGPKeyBlock.parse(bytes)
            } catch  where error.code == .malformedArmor {
                throw error  // a CRC mismatch or broken armor: say so rather than let gpg import a partial block
            } catch {
                parsedBlock = nil
            }
            if let parsed = parsedBlock {
                parsedRevocations += parsed.revocations
                if !allowsSecret, parsed.keys.contains(where: { $0.isSecret || $0.subkeys.contains(where: \.isSecret) })
                {
                    throw PGPError(
                        code: .agentUnavailable,
                        message: "secret keys cannot be imported into a verification keyring; create it with "
                            + "EphemeralKeyring.Options.signing")
                }
            }
        }
        return try withContext { (state, context) throws(PGPError) -> [PGPKey] in
            var touched: [String] = []
            for bytes in blocks {
                let summary = try context.importKeys(bytes)
                guard summary.considered > 0 || summary.secretRead > 0 else {
                    throw PGPError(
                        code: .noKey, message: "no OpenPGP key found (expected the output of `gpg --export`)")
                }
                if summary.fingerprints.isEmpty, let failure = summary.failures.first {
                    throw PGPError(
                        code: .importFailed,
                        message: "GnuPG did not import key \(failure.fingerprint): \(failure.status.message)",
                        gpgErrorCode: failure.status.code)
                }
                if summary.fingerprints.isEmpty && summary.newRevocations == 0 && summary.unchanged == 0 {
                    throw PGPError(
                        code: .importFailed,
                        message: "GnuPG imported nothing from the key material (\(summary.considered) considered, "
                            + "\(summary.notImported) not imported; keys need a user id and a valid self-signature)")
                }
                if summary.secretRead > summary.secretImported + summary.secretUnchanged {
                    throw PGPError(
                        code: .importFailed,
                        message: "GnuPG read \(summary.secretRead) secret keys but imported \(summary.secretImported)")
                }
                touched += summary.fingerprints
            }
            state.revocations += parsedRevocations
            try Self.refresh(&state, context, withSecret: allowsSecret)
            var wanted = Set(touched.compactMap(PGPFingerprint.init))
            // A bare revocation certificate gets no per-key import status; report the keys it names.
            for revocation in parsedRevocations where revocation.target == nil {
                for key in state.keys where revocation.applies(to: key.fingerprint, isSubkey: false) {
                    wanted.insert(key.fingerprint)
                }
            }
            return state.keys.filter { wanted.contains($0.fingerprint) }
        }
    }

    /// Exports a public key, ASCII-armored (`gpg --armor --export FPR`).
    ///
    /// - Parameter fingerprint: The primary key's fingerprint.
    /// - Returns: The armored key block.
    /// - Throws: ``PGPError/Code/keyNotFound``.
    public func exportPublicKey(_ fingerprint: PGPFingerprint) throws(PGPError) -> String {
        let bytes = try withContext { (state, context) throws(PGPError) -> [UInt8] in
            guard state.keys.contains(where: { $0.fingerprint == fingerprint }) else {
                throw PGPError(code: .keyNotFound, message: "no key \(fingerprint) in the keyring")
            }
            return try context.export(fingerprint.hex, secret: false, passphrase: nil)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Exports a secret key, ASCII-armored (`gpg --armor --export-secret-keys FPR`).
    ///
    /// - Parameters:
    ///   - fingerprint: The primary key's fingerprint.
    ///   - passphrase: The key's passphrase, if it has one (GnuPG asks for it to export).
    /// - Returns: The armored secret key block, still protected by its passphrase.
    /// - Throws: ``PGPError/Code/keyNotFound``, ``PGPError/Code/passphraseRequired``, ``PGPError/Code/badPassphrase``.
    public func exportSecretKey(_ fingerprint: PGPFingerprint, passphrase: String? = nil) throws(PGPError) -> String {
        try requireSigning("exporting secret keys")
        let bytes = try withContext { (state, context) throws(PGPError) -> [UInt8] in
            guard state.keys.contains(where: { $0.fingerprint == fingerprint && $0.hasSecretKey }) else {
                throw PGPError(code: .keyNotFound, message: "no secret key \(fingerprint) in the keyring")
            }
            return try context.export(fingerprint.hex, secret: true, passphrase: passphrase.map { Array($0.utf8) })
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Generates a key pair in the keyring with `gpgme_op_createkey`: a primary key that can sign and certify.
    ///
    /// - Parameters:
    ///   - userID: The user id, e.g. `Attestor <attestor@example.com>`.
    ///   - algorithm: The algorithm; ``PGPKeyAlgorithm/ed25519`` by default.
    ///   - expiresIn: The key's lifetime from now (whole seconds, at least 1), or `nil` for a key that never expires.
    ///   - passphrase: A passphrase to protect the secret key, or `nil` for none.
    /// - Returns: The new key.
    /// - Throws: ``PGPError/Code/invalidArgument`` for an empty user id, a lifetime under a second or an empty
    ///   passphrase; ``PGPError/Code/agentUnavailable`` in a verification keyring.
    public func generateKey(
        userID: String, algorithm: PGPKeyAlgorithm = .ed25519, expiresIn: Duration? = nil, passphrase: String? = nil
    ) throws(PGPError) -> PGPKey {
        try requireSigning("generating keys")
        guard !userID.isEmpty, !userID.unicodeScalars.contains(where: { $0.properties.generalCategory == .control })
        else {
            throw PGPError(
                code: .invalidArgument, message: "the user id must be non-empty text without control characters")
        }
        let seconds = try Self.lifetimeSeconds(expiresIn)
        let secret = try Self.passphraseBytes(passphrase)
        return try withContext { (state, context) throws(PGPError) -> PGPKey in
            let fpr = try context.createKey(
                userID: userID, algorithm: algorithm.gnupgName, expiresInSeconds: seconds, passphrase: secret)
            try Self.refresh(&state, context, withSecret: true)
            guard let fingerprint = PGPFingerprint(fpr),
                let key = state.keys.first(where: { $0.fingerprint == fingerprint })
            else {
                throw PGPError(code: .gpgme, message: "generated key \(fpr) is not listed by GnuPG")
            }
            return key
        }
    }

    /// Adds a signing subkey to a key of this keyring with `gpgme_op_createsubkey`. Signatures then come from the
    /// subkey and verify as made by the primary key.
    ///
    /// - Parameters:
    ///   - primary: The primary key's fingerprint (its secret part must be in the keyring).
    ///   - algorithm: The subkey's algorithm; ``PGPKeyAlgorithm/ed25519`` by default.
    ///   - expiresIn: The subkey's lifetime, or `nil` for none.
    ///   - passphrase: The primary key's passphrase, if it has one; the subkey gets the same protection.
    /// - Returns: The new subkey.
    public func addSigningSubkey(
        to primary: PGPFingerprint, algorithm: PGPKeyAlgorithm = .ed25519, expiresIn: Duration? = nil,
        passphrase: String? = nil
    ) throws(PGPError) -> PGPSubkey {
        try requireSigning("adding subkeys")
        let seconds = try Self.lifetimeSeconds(expiresIn)
        let secret = try Self.passphraseBytes(passphrase)
        return try withContext { (state, context) throws(PGPError) -> PGPSubkey in
            let fpr = try context.createSubkey(
                primary: primary.hex, algorithm: algorithm.gnupgName, expiresInSeconds: seconds, passphrase: secret)
            try Self.refresh(&state, context, withSecret: true)
            guard let fingerprint = PGPFingerprint(fpr),
                let subkey = state.keys.first(where: { $0.fingerprint == primary })?.subkeys
                    .first(where: { $0.fingerprint == fingerprint })
            else {
                throw PGPError(code: .gpgme, message: "new subkey \(fpr) is not listed by GnuPG")
            }
            return subkey
        }
    }

    // MARK: Signing

    /// Signs `payload` with a secret key of this keyring.
    ///
    /// The default is what Binary Authorization PGP attestations carry and `gpg --armor --sign` makes: an attached,
    /// ASCII-armored OpenPGP message (`-----BEGIN PGP MESSAGE-----`) whose literal data is exactly `payload` (text
    /// mode off, so no line-ending conversion). If the key has a signing subkey, GnuPG signs with it, as
    /// `gpg --local-user FPR` would.
    ///
    /// - Parameters:
    ///   - payload: The bytes to sign.
    ///   - signer: The fingerprint of the signing key (primary or subkey).
    ///   - passphrase: The key's passphrase, if it has one. It is handed to GnuPG through a loopback callback and
    ///     never cached by the agent.
    ///   - mode: ``PGPSignatureMode/attached`` (default) or ``PGPSignatureMode/detached``.
    ///   - armored: ASCII armor (default) or binary.
    /// - Returns: The signature bytes.
    /// - Throws: ``PGPError/Code/keyNotFound``, ``PGPError/Code/passphraseRequired``, ``PGPError/Code/badPassphrase``,
    ///   ``PGPError/Code/unusableKey`` (expired or revoked key).
    public func sign(
        _ payload: [UInt8], with signer: PGPFingerprint, passphrase: String? = nil, mode: PGPSignatureMode = .attached,
        armored: Bool = true
    ) throws(PGPError) -> [UInt8] {
        try requireSigning("signing")
        let secret = passphrase.map { Array($0.utf8) }
        return try withContext { (state, context) throws(PGPError) -> [UInt8] in
            guard let primary = state.primaryOf[signer],
                state.keys.contains(where: { $0.fingerprint == primary && $0.hasSecretKey })
            else {
                throw PGPError(code: .keyNotFound, message: "no secret key \(signer) in the keyring")
            }
            return try context.sign(
                payload, signer: signer.hex, passphrase: secret, detached: mode.isDetached, armored: armored)
        }
    }

    // MARK: Verification

    /// Verifies an attached OpenPGP signature (what `gpg --sign` makes, armored or binary) against the keys of this
    /// keyring, judging key and signature validity at `time`.
    ///
    /// The signature counts only if GnuPG finds it cryptographically good **and**, at `time`: the signing key and
    /// (for a subkey) its primary key exist, have not expired and are not revoked; the signature was made no later
    /// than `time`, after the key was created and before it expired, and has not itself expired. GnuPG's own
    /// trust and validity bits are not used: GnuPG judges expiry at the wall clock, this method at `time`.
    ///
    /// Input that is not an attached signature is rejected before GnuPG runs: cleartext-signed messages
    /// (``PGPVerificationFailure/clearsigned``) and detached signatures (``PGPVerificationFailure/detachedSignature``).
    ///
    /// Input over a limit is refused with ``PGPVerificationFailure/tooLarge(_:)``: before GnuPG runs when its size,
    /// its packets or its ZIP/ZLIB-compressed content already show it (decompressed here, within the limit); while
    /// GnuPG runs otherwise (BZip2), by collecting at most `InputLimits.maximumPayloadBytes` of what it writes and
    /// stopping it at the first byte more.
    ///
    /// - Parameters:
    ///   - signature: The signed message, ASCII-armored or binary.
    ///   - time: The evaluation time. The library never reads the clock.
    ///   - limits: Bounds on the signature, its packets, its decompressed and signed data (`InputLimits.default`).
    /// - Returns: ``PGPVerificationResult/verified(_:)`` with the literal data and the signer's primary fingerprint,
    ///   or ``PGPVerificationResult/failed(_:)`` with the reason.
    /// - Throws: Only when verification could not run: ``PGPError/Code/keyringClosed``, or a GPGME or system failure.
    public func verifyAttached(
        _ signature: [UInt8], at time: Date, limits: InputLimits = .default
    ) throws(PGPError) -> PGPVerificationResult {
        guard !isClosed else {
            throw PGPError(code: .keyringClosed, message: "the keyring \(homeDirectory) was closed")
        }
        guard signature.count <= limits.maximumSignatureBytes else {
            return .failed(
                .tooLarge(
                    "the message is larger than \(limits.maximumSignatureBytes) bytes (InputLimits.maximumSignatureBytes)"
                ))
        }
        let message: [UInt8]
        switch MessageShape.classify(signature) {
        case .rejected(let failure): return .failed(failure)
        case .candidate(let binary): message = binary
        }
        // What the packets already show — a payload, a decompressed size, a packet count over a limit — is refused
        // before gpg runs; the same reading the in-process verifier makes.
        if case .failed(let failure) = NativeMessage.read(message, limits: limits), failure.kind == .tooLarge {
            return .failed(failure)
        }
        return try withContext { (state, context) throws(PGPError) -> PGPVerificationResult in
            let outcome = try context.verifyOpaque(message, plaintextLimit: limits.maximumPayloadBytes)
            if outcome.plaintextOverflowed {
                // GPGME stops reading but leaves gpg blocked on a full pipe: stop it.
                home.killProcessesUsingHome(includingAgent: false)
                return .failed(
                    .tooLarge(
                        "the signed data is larger than \(limits.maximumPayloadBytes) bytes "
                            + "(InputLimits.maximumPayloadBytes); gpg was stopped"))
            }
            return try SignatureJudge.judge(
                outcome, keys: state.keys, primaryOf: state.primaryOf, at: time)
        }
    }

    // MARK: Internals

    private func withContext<R>(
        _ body: (inout State, GPGContext) throws(PGPError) -> R
    ) throws(PGPError) -> sending R where R: Sendable {
        try state.withLock { (state) throws(PGPError) -> R in
            guard let context = state.context else {
                throw PGPError(code: .keyringClosed, message: "the keyring \(homeDirectory) was closed")
            }
            return try body(&state, context)
        }
    }

    private func requireSigning(_ what: String) throws(PGPError) {
        guard options.allowsSecretKeys else {
            throw PGPError(
                code: .agentUnavailable,
                message: "\(what) needs a signing keyring (EphemeralKeyring.Options.signing); this one is verify-only")
        }
    }

    private static func lifetimeSeconds(_ duration: Duration?) throws(PGPError) -> UInt? {
        guard let duration else { return nil }
        let seconds = duration.components.seconds
        guard seconds >= 1, seconds <= Int64(UInt32.max) else {
            throw PGPError(code: .invalidArgument, message: "a key lifetime must be between 1 second and 136 years")
        }
        return UInt(seconds)
    }

    private static func passphraseBytes(_ passphrase: String?) throws(PGPError) -> [UInt8]? {
        guard let passphrase else { return nil }
        guard !passphrase.isEmpty else {
            throw PGPError(
                code: .invalidArgument, message: "the passphrase is empty; pass nil for a key without passphrase")
        }
        return Array(passphrase.utf8)
    }

    /// Re-lists the keyring and rebuilds the key records and the fingerprint → primary map.
    private static func refresh(_ state: inout State, _ context: GPGContext, withSecret: Bool) throws(PGPError) {
        let raw = try context.listKeys(withSecret: withSecret)
        var keys: [PGPKey] = []
        var primaryOf: [PGPFingerprint: PGPFingerprint] = [:]
        for entry in raw {
            guard let primary = entry.subkeys.first, let fingerprint = PGPFingerprint(primary.fingerprint) else {
                continue
            }
            let revocations = state.revocations
            func revocation(_ fpr: PGPFingerprint, subkey: Bool, revoked: Bool) -> PGPRevocation? {
                PGPRevocation.chosen(among: revocations, for: fpr, subkey: subkey, revoked: revoked)
            }
            var subkeys: [PGPSubkey] = []
            for sub in entry.subkeys.dropFirst() {
                guard let subFingerprint = PGPFingerprint(sub.fingerprint) else { continue }
                subkeys.append(
                    PGPSubkey(
                        fingerprint: subFingerprint, algorithm: sub.algorithm,
                        createdAt: Date(timeIntervalSince1970: TimeInterval(sub.created)),
                        expiresAt: Timestamp.date(unix: sub.expires),
                        revocation: revocation(subFingerprint, subkey: true, revoked: sub.revoked),
                        canSign: sub.canSign, canEncrypt: sub.canEncrypt))
                primaryOf[subFingerprint] = fingerprint
            }
            primaryOf[fingerprint] = fingerprint
            keys.append(
                PGPKey(
                    fingerprint: fingerprint, userIDs: entry.userIDs, algorithm: primary.algorithm,
                    createdAt: Date(timeIntervalSince1970: TimeInterval(primary.created)),
                    expiresAt: Timestamp.date(unix: primary.expires),
                    revocation: revocation(fingerprint, subkey: false, revoked: entry.revoked || primary.revoked),
                    canSign: primary.canSign, hasSecretKey: entry.secret || primary.secret, subkeys: subkeys))
        }
        // Keep import order stable: GnuPG lists in keyring order, which is import order.
        state.keys = keys
        state.primaryOf = primaryOf
    }
}

extension UInt8 {
    var isWhitespaceASCII: Bool { self == 0x20 || self == 0x0A || self == 0x0D || self == 0x09 }
}

/// Runs `body` with a new ``EphemeralKeyring`` and closes it when `body` returns or throws: no agent, socket or
/// file of the keyring survives the call.
///
/// ```swift
/// let keyID = try withEphemeralKeyring(.signing) { keyring in
///     try keyring.generateKey(userID: "CI <ci@example.com>").fingerprint
/// }
/// ```
///
/// - Parameters:
///   - options: How to set up the keyring; verify-only by default.
///   - body: The work to do with the keyring. Do not let the keyring escape: it is closed afterwards.
/// - Returns: What `body` returns.
/// - Throws: The errors of ``EphemeralKeyring/init(options:)`` and whatever `body` throws.
public func withEphemeralKeyring<Result>(
    _ options: EphemeralKeyring.Options = .verification, _ body: (EphemeralKeyring) throws -> Result
) throws -> Result {
    let keyring = try EphemeralKeyring(options: options)
    defer { keyring.close() }
    return try body(keyring)
}
