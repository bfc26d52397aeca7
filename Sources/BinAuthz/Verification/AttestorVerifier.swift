// SPDX-License-Identifier: Apache-2.0

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// Verifies attestations for attestors, offline: what Binary Authorization's `ValidateAttestationOccurrence` and
/// the admission check do with an attestor's keys and the occurrences on its note.
///
/// ```swift
/// let verifier = try AttestorVerifier(attestors: [attestor], occurrences: occurrences)
/// defer { verifier.close() }
/// // As the decision engine's evidence source:
/// let decision = try PolicyEvaluator(policy: policy).evaluate(request, evidence: verifier, at: now)
/// // Or one occurrence at a time:
/// let result = try verifier.validate(occurrence, attestor: attestor.name!, at: now)
/// print(result.jsonString)   // {"denialReason": "", "result": "VERIFIED"}
/// ```
///
/// An occurrence counts for an attestor when all of these hold (reference §6.3):
///
/// 1. its `noteName` is the attestor's `noteReference`;
/// 2. its resource (`resourceUri`, or v1beta1 `resource.uri`, with or without `https://`) names the image's
///    digest;
/// 3. one of its signatures names one of the attestor's key ids **exactly** in `publicKeyId` and verifies with
///    that key at the evaluation time — PGP: an attached, armored signature made by that key (or one of its signing
///    subkeys), whose embedded literal data is the payload; PKIX: a signature over `serializedPayload`;
/// 4. the verified payload is JSON whose `critical.image.docker-manifest-digest` equals the image's digest.
///
/// An attestor with no keys verifies nothing; JWT attestations are reported as unsupported.
///
/// ## Cost
///
/// The PGP keyring of an attestor is built once, on first use, and reused for every signature; PKIX keys are
/// parsed once at initialisation. Within the verifier's lifetime a (key, signature, payload, time) combination is
/// verified only once. Verification blocks (GnuPG runs as a process per PGP signature, ~5–10 ms); PKIX and the
/// decision engine are in-process.
///
/// ## Lifetime
///
/// The verifier owns temporary GnuPG homes; ``close()`` removes them (no agent is ever started, verification
/// keyrings are verify-only). `deinit` closes as a fallback.
public final class AttestorVerifier: AttestationEvidence, Sendable {
    /// Choices that make verification stricter than the hosted service's documented behaviour.
    public struct Options: Sendable, Hashable {
        /// Also require the payload's `critical.identity.docker-reference` to equal the image's
        /// `registry/repository` (kritis does; the service documents that one attestation covers the same image in
        /// several registries, so the default is `false`).
        public var strictDockerReference: Bool
        /// Also require the occurrence's resource to name the image's repository, not just its digest.
        public var strictResourceRepository: Bool
        /// Where the temporary GnuPG homes are created.
        public var keyringBaseDirectory: String
        /// Bounds on the work an occurrence may cause: signatures per occurrence, occurrences per image,
        /// signature checks per decision, and the limits of the signatures themselves.
        public var limits: InputLimits

        /// Creates options; the defaults follow the hosted service.
        public init(
            strictDockerReference: Bool = false, strictResourceRepository: Bool = false,
            keyringBaseDirectory: String = EphemeralKeyring.Options.verification.baseDirectory,
            limits: InputLimits = .default
        ) {
            self.strictDockerReference = strictDockerReference
            self.strictResourceRepository = strictResourceRepository
            self.keyringBaseDirectory = keyringBaseDirectory
            self.limits = limits
        }
    }

    /// The attestors, by resource name.
    public let attestors: [String: Attestor]
    /// The occurrences that were provided (from every note).
    public let occurrences: [AttestationOccurrence]
    /// The options in force.
    public let options: Options

    private let keys: [ExactString: AttestorKeys]
    /// ``occurrences`` by note, each with the image its resource names, parsed once.
    private let occurrencesByNote: [ExactString: [IndexedOccurrence]]
    private let cache = Mutex<[SignatureCacheKey: SignatureCheck]>([:])
    private static let cacheLimit = 4096
    private let counters = Mutex(Statistics())

    /// How much work the verifier has done; for tests and benchmarks.
    package struct Statistics: Sendable, Equatable {
        package var keyringsBuilt = 0
        package var signatureChecks = 0
        package var cacheHits = 0
    }

    package var statistics: Statistics {
        var result = counters.withLock { $0 }
        result.keyringsBuilt = keys.values.reduce(0) { $0 + $1.keyringsBuilt }
        return result
    }

    /// Prepares a verifier.
    ///
    /// - Parameters:
    ///   - attestors: The attestors to verify for (REST JSON or gcloud YAML, read with `Attestor(text:)`).
    ///   - occurrences: Every occurrence that may be relevant; each attestor only looks at those on its note.
    ///   - options: Strictness options.
    /// - Throws: ``AttestationError/Code/invalidAttestor`` when an attestor fails `Attestor.validate()`, is given
    ///   twice, a PGP key cannot be read, or a key's `id` is not what the service would have computed (the PGP
    ///   fingerprint); ``AttestationError/attestorIndex`` says which attestor. No keyring is created yet, so this
    ///   never needs gpg.
    public init(attestors: [Attestor], occurrences: [AttestationOccurrence], options: Options = Options()) throws(AttestationError) {
        var byName: [String: Attestor] = [:]
        var keys: [ExactString: AttestorKeys] = [:]
        for (index, attestor) in attestors.enumerated() {
            let issues = attestor.validate()
            guard issues.isEmpty, let name = attestor.name else {
                let label = attestor.name ?? "attestor"
                throw AttestationError(
                    code: .invalidAttestor,
                    message: "\(label) is not valid: " + issues.map(\.description).joined(separator: "; "),
                    attestorIndex: index)
            }
            guard keys[ExactString(name)] == nil else {
                throw AttestationError(
                    code: .invalidAttestor, message: "attestor \(name) is given twice", attestorIndex: index)
            }
            byName[name] = attestor
            do {
                keys[ExactString(name)] = try AttestorKeys(attestor: attestor, name: name, options: options)
            } catch {
                throw AttestationError(code: error.code, message: error.message, attestorIndex: index)
            }
        }
        self.attestors = byName
        self.occurrences = occurrences
        self.occurrencesByNote = Self.index(occurrences)
        self.options = options
        self.keys = keys
    }

    deinit { close() }

    /// Removes the temporary GnuPG homes. Safe to call more than once; later PGP verifications rebuild them.
    ///
    /// - Important: Call it when no verification is running: a keyring closed under a running PGP verification makes
    ///   that verification fail with ``AttestationError/Code/environment``.
    public func close() {
        for entry in keys.values { entry.closeKeyring() }
    }

    // MARK: Evidence for the decision engine

    /// Decides whether `attestor` has a valid attestation for `image` at `time` (the engine's evidence protocol).
    ///
    /// - Returns: `verified` naming the key and occurrence, or `notVerified` saying precisely what failed: an
    ///   unknown attestor, an attestor without keys, no occurrence on its note for this digest, or for each
    ///   signature the check that failed (unknown key id, bad signature, key expired on DATE, payload not JSON,
    ///   digest mismatch, …).
    /// - Throws: ``AttestationError/Code/environment`` when gpg is unusable.
    public func check(attestor: String, image: ImageReference, at time: Date) throws -> AttestorVerdict {
        guard let entry = keys[ExactString(attestor)] else {
            return .notVerified("attestor \(attestor) was not provided")
        }
        return try judge(entry, candidates: occurrencesByNote, image: image, at: time)
    }

    /// How many signatures ``check(attestor:image:at:)`` would verify for this pair: those of the occurrences on
    /// the attestor's note for the image that name one of its keys, within the per-occurrence and per-image limits
    /// (an occurrence or image over its limit is refused without any check, so it costs nothing).
    public func signatureChecks(attestor: String, image: ImageReference) -> Int {
        guard let entry = keys[ExactString(attestor)], let digest = image.digest else { return 0 }
        return candidateChecks(entry, candidates: occurrencesByNote, image: image, digest: digest)
    }

    private func candidateChecks(
        _ entry: AttestorKeys, candidates: [ExactString: [IndexedOccurrence]], image: ImageReference, digest: String
    ) -> Int {
        let forImage = occurrences(for: entry, in: candidates, image: image, digest: digest)
        guard forImage.count <= options.limits.maximumOccurrencesPerImage else { return 0 }
        var total = 0
        for indexed in forImage {
            let signatures = indexed.occurrence.signatures
            guard signatures.count <= options.limits.maximumSignaturesPerOccurrence else { continue }
            total += signatures.filter { signature in
                guard let id = signature.publicKeyId else { return false }
                return entry.key(id: id) != nil && !signature.signature.isEmpty
            }.count
        }
        return total
    }

    private func occurrences(
        for entry: AttestorKeys, in candidates: [ExactString: [IndexedOccurrence]], image: ImageReference,
        digest: String
    ) -> [IndexedOccurrence] {
        (candidates[ExactString(entry.noteReference)] ?? []).filter { indexed in
            guard let ref = indexed.image else { return false }
            if options.strictResourceRepository && !ref.repository.isIdentical(to: image.repository) { return false }
            return (ref.digest ?? "").isIdentical(to: digest)
        }
    }

    /// Validates one occurrence for one attestor: the offline `ValidateAttestationOccurrence`.
    ///
    /// - Parameters:
    ///   - occurrence: The occurrence (v1 or v1beta1).
    ///   - attestor: The attestor's resource name; it must be one of ``attestors``.
    ///   - image: The image to validate for; by default the occurrence's own resource
    ///     (`occurrenceResourceUri` = `resourceUri`, as gcloud's `--validate` sends).
    ///   - time: The evaluation time.
    /// - Returns: `VERIFIED`, or `ATTESTATION_NOT_VERIFIABLE` with the denial reason.
    /// - Throws: ``AttestationError/Code/unknownAttestor``; ``AttestationError/Code/invalidArtifactURL`` when no image is
    ///   given and the occurrence's resource is not a digest reference; ``AttestationError/Code/environment``.
    public func validate(
        _ occurrence: AttestationOccurrence, attestor: String, image: ImageReference? = nil, at time: Date
    ) throws(AttestationError) -> AttestationValidation {
        try validate([occurrence], attestor: attestor, image: image, at: time)
    }

    /// Validates several occurrences for one attestor: `VERIFIED` when any of them verifies for the image.
    ///
    /// - Parameters:
    ///   - occurrences: The occurrences.
    ///   - attestor: The attestor's resource name.
    ///   - image: The image; by default the one all the occurrences name (it is an error when they name several).
    ///   - time: The evaluation time.
    public func validate(
        _ occurrences: [AttestationOccurrence], attestor: String, image: ImageReference? = nil, at time: Date
    ) throws(AttestationError) -> AttestationValidation {
        guard let entry = keys[ExactString(attestor)] else {
            throw AttestationError(
                code: .unknownAttestor,
                message: "attestor \(attestor) is not among the verifier's attestors (\(keys.keys.map(\.string).sorted().joined(separator: ", ")))")
        }
        let target: ImageReference
        if let image {
            target = image
        } else {
            let named = occurrences.map { $0.imageURI.flatMap(Self.imageReference(fromResourceURI:)) }
            guard let first = named.first, let parsed = first, parsed.digest != nil else {
                throw AttestationError(
                    code: .invalidArtifactURL,
                    message: "the occurrence has no resource naming an image by digest; say which image to validate for")
            }
            guard named.allSatisfy({ ($0?.digest ?? "").isIdentical(to: parsed.digest ?? "") }) else {
                throw AttestationError(
                    code: .invalidArtifactURL,
                    message: "the occurrences are for different images; say which image to validate for")
            }
            target = parsed
        }
        let candidates = Self.index(occurrences)
        let checks = candidateChecks(entry, candidates: candidates, image: target, digest: target.digest ?? "")
        guard checks <= options.limits.maximumSignatureChecksPerDecision else {
            return AttestationValidation(
                result: .notVerifiable,
                denialReason: "the occurrences need \(checks) signature checks; at most "
                    + "\(options.limits.maximumSignatureChecksPerDecision) are made for one decision "
                    + "(InputLimits.maximumSignatureChecksPerDecision), so none was made")
        }
        let verdict = try judge(entry, candidates: candidates, image: target, at: time)
        return verdict.isVerified
            ? AttestationValidation(result: .verified, detail: verdict.reason)
            : AttestationValidation(result: .notVerifiable, denialReason: verdict.reason)
    }

    // MARK: Judging

    /// Groups occurrences by note, parsing each one's resource once.
    private static func index(_ occurrences: [AttestationOccurrence]) -> [ExactString: [IndexedOccurrence]] {
        var result: [ExactString: [IndexedOccurrence]] = [:]
        for occurrence in occurrences {
            let image = occurrence.imageURI.flatMap(imageReference(fromResourceURI:))
            result[ExactString(occurrence.noteName ?? ""), default: []].append(IndexedOccurrence(occurrence: occurrence, image: image))
        }
        return result
    }

    private func judge(
        _ entry: AttestorKeys, candidates: [ExactString: [IndexedOccurrence]], image: ImageReference, at time: Date
    ) throws(AttestationError) -> AttestorVerdict {
        let attestor = entry.name
        guard let digest = image.digest, ImageReference.isSHA256Digest(digest) else {
            return .notVerified("image \(image) is not referenced by a sha256 digest")
        }
        guard !entry.isEmpty else {
            return .notVerified("attestor \(attestor) has no public keys, so it verifies no attestation")
        }
        guard let onNote = candidates[ExactString(entry.noteReference)], !onNote.isEmpty else {
            let others = candidates.keys.map(\.string).filter { !$0.isEmpty }.sorted()
            return .notVerified(
                "no attestation occurrence on the attestor's note \(entry.noteReference)"
                    + (others.isEmpty ? "" : " (occurrences given are on \(others.joined(separator: ", ")))"))
        }
        let forImage = occurrences(for: entry, in: candidates, image: image, digest: digest)
        guard !forImage.isEmpty else {
            let resources = onNote.compactMap(\.occurrence.imageURI).prefix(3)
            return .notVerified(
                "no attestation occurrence on note \(entry.noteReference) is for \(image.withoutTag)"
                    + (resources.isEmpty
                        ? " (the occurrences on it name no resource)" : " (found \(resources.joined(separator: ", ")))"))
        }
        let limits = options.limits
        guard forImage.count <= limits.maximumOccurrencesPerImage else {
            return .notVerified(
                "\(forImage.count) attestation occurrences on note \(entry.noteReference) are for \(image.withoutTag); "
                    + "at most \(limits.maximumOccurrencesPerImage) are examined (InputLimits.maximumOccurrencesPerImage), "
                    + "so none was checked")
        }
        var failures: [String] = []
        for occurrence in forImage.map(\.occurrence) {
            let label = occurrence.name.map { "occurrence \($0)" } ?? "occurrence"
            let signatures = occurrence.signatures
            if signatures.count > limits.maximumSignaturesPerOccurrence {
                failures.append(
                    "\(label): \(signatures.count) signatures; at most \(limits.maximumSignaturesPerOccurrence) are "
                        + "allowed in one occurrence (InputLimits.maximumSignaturesPerOccurrence), so none was checked")
                continue
            }
            if signatures.isEmpty {
                failures.append(
                    occurrence.hasJWTs
                        ? "\(label): JWT attestations are not supported by Binary Authorization project policies"
                        : "\(label): no signatures")
                continue
            }
            for signature in signatures {
                let verdict = try evaluate(signature, entry: entry, image: image, at: time)
                if verdict.isVerified {
                    return .verified("\(verdict.reason) (\(label) on note \(entry.noteReference))")
                }
                failures.append("\(label): \(verdict.reason)")
            }
        }
        var unique: [String] = []
        for failure in failures where !unique.contains(failure) { unique.append(failure) }
        return .notVerified(unique.joined(separator: "; "))
    }

    /// Checks one signature: the cryptographic check (cached: it is the expensive part, and does not depend on the
    /// image), then whether the signed payload is for `image`.
    private func evaluate(_ signature: OccurrenceSignature, entry: AttestorKeys, image: ImageReference, at time: Date)
        throws(AttestationError) -> AttestorVerdict
    {
        guard let keyID = signature.publicKeyId, !keyID.isEmpty else {
            return .notVerified("signature has no publicKeyId")
        }
        guard let key = entry.key(id: keyID) else {
            return .notVerified(
                "key id \(keyID) is not one of the attestor's keys (\(entry.keyIDs.joined(separator: ", ")))")
        }
        guard !signature.signature.isEmpty else {
            return .notVerified("the signature for key \(keyID) is empty or missing")
        }
        // PGP payloads are inside the signature, and PGP results depend on the time (expiry, revocation); PKIX
        // results do not, so they are shared across evaluation times.
        let cacheKey: SignatureCacheKey
        switch key {
        case .pgp:
            cacheKey = SignatureCacheKey(
                attestor: ExactString(entry.name), keyID: ExactString(keyID), signature: signature.signature, payload: [],
                time: time)
        case .pkix:
            cacheKey = SignatureCacheKey(
                attestor: ExactString(entry.name), keyID: ExactString(keyID), signature: signature.signature,
                payload: signature.serializedPayload, time: Date(timeIntervalSince1970: 0))
        }
        let check: SignatureCheck
        if let cached = cache.withLock({ $0[cacheKey] }) {
            counters.withLock { $0.cacheHits += 1 }
            check = cached
        } else {
            counters.withLock { $0.signatureChecks += 1 }
            check = try verifySignature(signature, key: key, keyID: keyID, entry: entry, at: time)
            cache.withLock { cache in
                // A verifier kept for a long time (an admission webhook) sees new times and signatures forever;
                // keep the memory bounded. Within one evaluation the cache is far smaller than this.
                if cache.count >= Self.cacheLimit { cache.removeAll(keepingCapacity: true) }
                cache[cacheKey] = check
            }
        }
        switch check {
        case .signed(let payload, let signer):
            return checkPayload(payload, image: image, signer: signer)
        case .failed(let reason):
            return .notVerified(reason)
        }
    }

    private func verifySignature(
        _ signature: OccurrenceSignature, key: AttestorKeys.Key, keyID: String, entry: AttestorKeys, at time: Date
    ) throws(AttestationError) -> SignatureCheck {
        switch key {
        case .pgp(let fingerprint):
            let result: PGPVerificationResult
            do {
                let (keyring, refusals) = try entry.keyring()
                if let refusal = refusals[fingerprint] {
                    return .failed("PGP key \(keyID) was refused by GnuPG, so it verifies nothing: \(refusal)")
                }
                result = try keyring.verifyAttached(signature.signature, at: time, limits: options.limits)
            } catch {
                throw AttestationError(code: .environment, message: "PGP verification unavailable: \(error)")
            }
            switch result {
            case .verified(let verified):
                guard verified.primaryKeyFingerprint == fingerprint else {
                    return .failed(
                        "PGP signature was made by key \(verified.primaryKeyFingerprint), not by key \(keyID) it names")
                }
                return .signed(payload: verified.payload, signer: "PGP key \(keyID)")
            case .failed(let failure):
                return .failed("PGP signature for key \(keyID): \(failure)")
            }
        case .pkix(let verifier):
            let limits = options.limits
            guard signature.serializedPayload.count <= limits.maximumPayloadBytes else {
                return .failed(
                    "PKIX signature for key \(keyID): the payload is larger than \(limits.maximumPayloadBytes) bytes "
                        + "(InputLimits.maximumPayloadBytes), so it was not checked")
            }
            guard signature.signature.count <= limits.maximumSignatureBytes else {
                return .failed(
                    "PKIX signature for key \(keyID): the signature is larger than \(limits.maximumSignatureBytes) "
                        + "bytes (InputLimits.maximumSignatureBytes), so it was not checked")
            }
            switch verifier.verify(signature: signature.signature, payload: signature.serializedPayload) {
            case .verified:
                return .signed(
                    payload: signature.serializedPayload, signer: "PKIX key \(keyID) (\(verifier.algorithm.rawValue))")
            case .notVerified(let failure):
                return .failed("PKIX signature for key \(keyID): \(failure.message)")
            }
        }
    }

    private func checkPayload(_ payload: [UInt8], image: ImageReference, signer: String) -> AttestorVerdict {
        let parsed: SignaturePayload
        do {
            parsed = try SignaturePayload(parsing: payload)
        } catch {
            return .notVerified("signature by \(signer) verified, but unexpected message was signed: \(error.message)")
        }
        let check = parsed.check(image: image, strict: options.strictDockerReference)
        guard check.isMatch else {
            return .notVerified("signature by \(signer) verified, but \(check)")
        }
        return .verified("signature by \(signer) verified for \(parsed.manifestDigest)")
    }

    /// The image a resource URI names: `https://`/`http://` stripped, then parsed as an image reference — or, for
    /// the few URLs gcloud writes that distribution/reference does not parse, as gcloud's artifact URL.
    static func imageReference(fromResourceURI uri: String) -> ImageReference? {
        var text = Substring(uri)
        for scheme in ["https://", "http://"] where text.hasPrefix(scheme) { text = text.dropFirst(scheme.count) }
        if let reference = try? ImageReference(String(text)) { return reference }
        // gcloud strips the scheme when it stores a URL, and without one its parser misreads `gcr.io:/…` (the
        // `gcr.io:` becomes a scheme); put one back before asking it.
        return (try? ArtifactURL("https://" + text))?.imageReference
    }
}

// MARK: - Internals

/// An occurrence and the image its resource names (`nil` when it names none that parses).
struct IndexedOccurrence: Sendable {
    let occurrence: AttestationOccurrence
    let image: ImageReference?
}

/// The cryptographic outcome of one signature: the payload it signs, or why it does not verify.
enum SignatureCheck: Hashable, Sendable {
    case signed(payload: [UInt8], signer: String)
    case failed(String)
}

/// What makes two signature checks the same within one verifier.
struct SignatureCacheKey: Hashable, Sendable {
    /// By exact bytes: two key ids that are merely canonically equivalent are two keys.
    var attestor: ExactString
    var keyID: ExactString
    var signature: [UInt8]
    var payload: [UInt8]
    var time: Date
}

/// One attestor's keys, ready to verify: PKIX verifiers parsed up front, the PGP keyring built on first use.
final class AttestorKeys: Sendable {
    enum Key: Sendable {
        case pgp(PGPFingerprint)
        case pkix(PKIXVerifier)
    }

    let name: String
    let noteReference: String
    private let byID: [ExactString: Key]
    let keyIDs: [String]
    private let armoredPGPKeys: [(fingerprint: PGPFingerprint, bytes: [UInt8])]
    private let keyringBase: String
    private let keyringState = Mutex(KeyringState())

    /// The verify-only keyring once built, the keys GnuPG refused to import into it, and how often it was built.
    private struct KeyringState {
        var keyring: EphemeralKeyring?
        var refusals: [PGPFingerprint: String] = [:]
        var builds = 0
    }

    var keyringsBuilt: Int { keyringState.withLock { $0.builds } }

    var isEmpty: Bool { byID.isEmpty }

    init(attestor: Attestor, name: String, options: AttestorVerifier.Options) throws(AttestationError) {
        self.name = name
        noteReference = attestor.note?.noteReference ?? ""
        var byID: [ExactString: Key] = [:]
        var ids: [String] = []
        var armored: [(PGPFingerprint, [UInt8])] = []
        for (index, key) in attestor.publicKeys.enumerated() {
            let path = "\(name): publicKeys[\(index)]"
            switch key.material {
            case .pgp(let text)?:
                let fingerprint: PGPFingerprint
                do {
                    fingerprint = try Attestor.readPGPPublicKey(text).fingerprint
                } catch {
                    throw .invalidAttestor("\(path): \(error.message)")
                }
                let id = key.id ?? fingerprint.hex
                guard id.isIdentical(to: fingerprint.hex) else {
                    throw .invalidAttestor(
                        "\(path).id is \(id), but the key's fingerprint is \(fingerprint.hex); Binary Authorization "
                            + "sets a PGP key's id to its fingerprint")
                }
                byID[ExactString(id)] = .pgp(fingerprint)
                ids.append(id)
                armored.append((fingerprint, Array(text.utf8)))
            case .pkix(let pkix)?:
                guard let pem = pkix.publicKeyPem, let algorithm = pkix.signatureAlgorithm else {
                    throw .invalidAttestor("\(path): the PKIX key needs publicKeyPem and signatureAlgorithm")
                }
                let verifier: PKIXVerifier
                do {
                    verifier = try PKIXVerifier(publicKeyPEM: pem, algorithm: algorithm, limits: options.limits)
                } catch {
                    throw .invalidAttestor("\(path): \(error.message)")
                }
                let id = key.id ?? verifier.publicKey.defaultKeyID
                byID[ExactString(id)] = .pkix(verifier)
                ids.append(id)
            case nil:
                throw .invalidAttestor("\(path) has no key material")
            }
        }
        self.byID = byID
        self.keyIDs = ids
        self.armoredPGPKeys = armored
        self.keyringBase = options.keyringBaseDirectory
    }

    func key(id: String) -> Key? { byID[ExactString(id)] }

    /// The attestor's verify-only keyring, built on first use, with the reason GnuPG refused each key it would not
    /// import (a key with no user id or no valid self-signature): such a key verifies nothing, but the attestor's
    /// other keys still do.
    ///
    /// - Throws: Only when GnuPG itself is unusable (no gpg, no home, a GPGME failure).
    func keyring() throws(PGPError) -> (keyring: EphemeralKeyring, refusals: [PGPFingerprint: String]) {
        try keyringState.withLock { (state: inout KeyringState) throws(PGPError) in
            if let existing = state.keyring, !existing.isClosed { return (existing, state.refusals) }
            let keyring = try EphemeralKeyring(
                options: EphemeralKeyring.Options(purpose: .verification, baseDirectory: keyringBase))
            var refusals: [PGPFingerprint: String] = [:]
            for key in armoredPGPKeys {
                do throws(PGPError) {
                    try keyring.importAttestorKey(key.bytes)
                } catch where !Self.environmentFailures.contains(error.code) {
                    refusals[key.fingerprint] = error.message
                } catch {
                    keyring.close()
                    throw error
                }
            }
            state = KeyringState(keyring: keyring, refusals: refusals, builds: state.builds + 1)
            return (keyring, refusals)
        }
    }

    /// The errors that say GnuPG cannot work here at all, as opposed to refusing one key.
    private static let environmentFailures: Set<PGPError.Code> = [
        .gpgUnavailable, .homeUnusable, .agentUnavailable, .keyringClosed, .gpgme,
    ]

    func closeKeyring() {
        keyringState.withLock { state in
            state.keyring?.close()
            state.keyring = nil
        }
    }

    deinit { closeKeyring() }
}
