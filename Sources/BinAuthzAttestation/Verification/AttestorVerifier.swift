// SPDX-License-Identifier: Apache-2.0

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import BinAuthzModel
import BinAuthzPayload
import BinAuthzPolicy
import Synchronization

/// Verifies attestations for attestors, offline: what Binary Authorization's `ValidateAttestationOccurrence` and
/// the admission check do with an attestor's keys and the occurrences on its note.
///
/// ```swift
/// let verifier = try AttestorVerifier(
///     attestors: [attestor], occurrences: occurrences, keyKinds: [PKIXAttestationKeys()])
/// defer { verifier.close() }
/// // As the decision engine's evidence source:
/// let decision = try PolicyEvaluator(policy: policy).evaluate(request, evidence: verifier, at: now)
/// // Or one occurrence at a time:
/// let result = try verifier.validate(occurrence, attestor: attestor.name!, at: now)
/// print(result.jsonString)   // {"result": "VERIFIED"}
/// ```
///
/// (`import BinAuthz` adds `init(attestors:occurrences:options:)`, which verifies PGP and PKIX keys.)
///
/// An occurrence counts for an attestor when all of these hold (reference §6.3):
///
/// 1. its `noteName` is the attestor's `noteReference`;
/// 2. its resource (`resourceUri`, or v1beta1 `resource.uri`, with or without `https://`) names the image's
///    digest;
/// 3. one of its signatures names one of the attestor's key ids **exactly** in `publicKeyId` and verifies with
///    that key at the evaluation time (each key's ``AttestationKeyKind`` says how);
/// 4. the verified payload is JSON whose `critical.image.docker-manifest-digest` equals the image's digest.
///
/// An attestor with no keys verifies nothing; JWT attestations are reported as unsupported.
///
/// ## Cost
///
/// Keys are read once, when the verifier is made. Within the verifier's lifetime a (key, signature, payload, time)
/// combination is verified only once (a bounded cache). What one decision may cost is bounded by
/// `InputLimits`: signatures per occurrence, occurrences per image, checks per decision — each
/// counted before any signature is checked.
///
/// ## Lifetime
///
/// Key verifiers may own resources (a temporary GnuPG home); ``close()`` releases them. `deinit` closes as a
/// fallback.
public final class AttestorVerifier: AttestationEvidence, Sendable {
    /// Choices that make verification stricter than the hosted service's documented behaviour, and its limits.
    public struct Options: Sendable, Hashable {
        /// Also require the payload's `critical.identity.docker-reference` to equal the image's
        /// `registry/repository` (kritis does; the service documents that one attestation covers the same image in
        /// several registries, so the default is `false`).
        public var strictDockerReference: Bool
        /// Also require the occurrence's resource to name the image's repository, not just its digest.
        public var strictResourceRepository: Bool
        /// Bounds on the work an occurrence may cause: signatures per occurrence, occurrences per image,
        /// signature checks per decision, and the limits of the signatures and keys themselves.
        public var limits: InputLimits

        /// Creates options; the defaults follow the hosted service.
        public init(
            strictDockerReference: Bool = false, strictResourceRepository: Bool = false, limits: InputLimits = .default
        ) {
            self.strictDockerReference = strictDockerReference
            self.strictResourceRepository = strictResourceRepository
            self.limits = limits
        }
    }

    /// The attestors, in the order given.
    public let attestors: [Attestor]
    /// The occurrences that were provided (from every note).
    public let occurrences: [AttestationOccurrence]
    /// The options in force.
    public let options: Options

    private let entries: [ExactString: AttestorEntry]
    /// ``occurrences`` by note and by note and digest, each with the image its resource names, parsed once.
    private let occurrencesByNote: OccurrenceIndex
    private let cache = Mutex<[SignatureCacheKey: CachedCheck]>([:])
    private static let cacheLimit = 4096
    private let counters = Mutex(Statistics())

    /// How much work the verifier has done; for tests and benchmarks.
    package struct Statistics: Sendable, Equatable {
        package var signatureChecks = 0
        package var cacheHits = 0
    }

    package var statistics: Statistics { counters.withLock { $0 } }

    /// Prepares a verifier.
    ///
    /// - Parameters:
    ///   - attestors: The attestors to verify for (REST JSON or gcloud YAML, read with `Attestor(text:)`).
    ///   - occurrences: Every occurrence that may be relevant; each attestor only looks at those on its note.
    ///   - keyKinds: The kinds of key to verify (`PKIXAttestationKeys()`, `PGPAttestationKeys()`, your own); every key
    ///     of every attestor must be handled by one of them.
    ///   - options: Strictness and limits.
    /// - Throws: ``AttestationError/Code/invalidAttestor`` when an attestor fails `Attestor.validate()`, is given
    ///   twice, a key cannot be read, no kind handles a key, or a key's `id` is not what the service would have
    ///   computed; ``AttestationError/attestorIndex`` says which attestor.
    public init(
        attestors: [Attestor], occurrences: [AttestationOccurrence], keyKinds: [any AttestationKeyKind],
        options: Options = Options()
    ) throws(AttestationError) {
        var entries: [ExactString: AttestorEntry] = [:]
        for (index, attestor) in attestors.enumerated() {
            let issues = attestor.validate()
            guard issues.isEmpty, let name = attestor.name else {
                let label = attestor.name ?? "attestor"
                throw AttestationError(
                    code: .invalidAttestor,
                    message: "\(label) is not valid: " + issues.map(\.description).joined(separator: "; "),
                    attestorIndex: index)
            }
            guard entries[ExactString(name)] == nil else {
                throw AttestationError(
                    code: .invalidAttestor, message: "attestor \(name) is given twice", attestorIndex: index)
            }
            do {
                entries[ExactString(name)] = try AttestorEntry(
                    attestor: attestor, name: name, kinds: keyKinds, limits: options.limits)
            } catch {
                for entry in entries.values { entry.close() }
                throw AttestationError(code: error.code, message: error.message, attestorIndex: index)
            }
        }
        self.attestors = attestors
        self.occurrences = occurrences
        self.occurrencesByNote = Self.index(occurrences)
        self.options = options
        self.entries = entries
    }

    deinit { close() }

    /// The cache's time for keys whose results do not depend on it.
    private static let anyTime = Date(timeIntervalSince1970: 0)

    /// The cache's time for keys whose results do (PGP): the whole second. Every time a PGP verdict turns on —
    /// key and signature creation, expiry, revocation — is a whole number of seconds, and each comparison is
    /// `time < t` or `time >= t` for such a `t`, which the floor of `time` answers exactly as `time` does; so all
    /// evaluations within one second share one check (an admission webhook's steady state) without changing one.
    private static func wholeSecond(_ time: Date) -> Date {
        Date(timeIntervalSince1970: time.timeIntervalSince1970.rounded(.down))
    }

    /// Releases what the key verifiers hold (temporary GnuPG homes). Safe to call more than once; later checks
    /// rebuild what they need.
    ///
    /// - Important: Call it when no verification is running: a keyring closed under a running PGP verification makes
    ///   that verification fail with ``AttestationError/Code/environment``.
    public func close() {
        for entry in entries.values { entry.close() }
    }

    /// The attestor named `name` (compared byte for byte), if it was given.
    public func attestor(named name: String) -> Attestor? { entries[ExactString(name)]?.attestor }

    // MARK: Evidence for the decision engine

    /// Decides whether `attestor` has a valid attestation for `image` at `time` (the engine's evidence protocol).
    ///
    /// - Returns: `AttestorVerification.verified(_:)` naming the key and occurrence, or
    ///   `AttestorVerification.notVerified(_:)` with each check that failed: an unknown attestor, an attestor
    ///   without keys, no occurrence on its note for this digest, or for each signature the check that failed
    ///   (unknown key id, bad signature, key expired on DATE, payload not JSON, digest mismatch, …).
    /// - Throws: ``AttestationError/Code/environment`` when a key verifier cannot run (gpg unusable).
    public func verify(attestor: String, image: ImageReference, at time: Date) throws -> AttestorVerification {
        guard let entry = entries[ExactString(attestor)] else {
            return .notVerified(AttestationFailure(.unknownAttestor, message: "attestor \(attestor) was not provided"))
        }
        return try judge(entry, candidates: occurrencesByNote, image: image, at: time)
    }

    /// How many signatures ``verify(attestor:image:at:)`` would check for this pair: those of the occurrences on
    /// the attestor's note for the image that name one of its keys, within the per-occurrence and per-image limits
    /// (an occurrence or image over its limit is refused without any check, so it costs nothing).
    public func signatureChecks(attestor: String, image: ImageReference) -> Int {
        guard let entry = entries[ExactString(attestor)], let digest = image.digest else { return 0 }
        return candidateChecks(entry, candidates: occurrencesByNote, image: image, digest: digest)
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
        guard let entry = entries[ExactString(attestor)] else {
            throw AttestationError(
                code: .unknownAttestor,
                message: "attestor \(attestor) is not among the verifier's attestors "
                    + "(\(entries.keys.map(\.string).sorted().joined(separator: ", ")))")
        }
        let target: ImageReference
        if let image {
            target = image
        } else {
            let named = occurrences.map { $0.imageURI.flatMap(Self.imageReference(fromResourceURI:)) }
            guard let first = named.first, let parsed = first, parsed.digest != nil else {
                throw AttestationError(
                    code: .invalidArtifactURL,
                    message: "the occurrence has no resource naming an image by digest; say which image to validate for"
                )
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
        let verification: AttestorVerification
        if checks > options.limits.maximumSignatureChecksPerDecision {
            verification = .notVerified(
                AttestationFailure(
                    .tooMuchWork,
                    message: "the occurrences need \(checks) signature checks; at most "
                        + "\(options.limits.maximumSignatureChecksPerDecision) are made for one decision "
                        + "(InputLimits.maximumSignatureChecksPerDecision), so none was made"))
        } else {
            verification = try judge(entry, candidates: candidates, image: target, at: time)
        }
        return AttestationValidation(verification)
    }

    // MARK: Judging

    /// Groups occurrences by note, and by note and the digest their resource names, parsing each one's resource
    /// once. The groups keep the order the occurrences were given in.
    private static func index(_ occurrences: [AttestationOccurrence]) -> OccurrenceIndex {
        var result = OccurrenceIndex()
        for occurrence in occurrences {
            let image = occurrence.imageURI.flatMap(imageReference(fromResourceURI:))
            let note = ExactString(occurrence.noteName ?? "")
            let indexed = IndexedOccurrence(occurrence: occurrence, image: image)
            result.byNote[note, default: []].append(indexed)
            if let image {
                result.byDigest[OccurrenceIndex.Key(note: note, digest: ExactString(image.digest ?? "")), default: []]
                    .append(indexed)
            }
        }
        return result
    }

    private func occurrences(
        for entry: AttestorEntry, in candidates: OccurrenceIndex, image: ImageReference, digest: String
    ) -> [IndexedOccurrence] {
        // A dictionary lookup, not a scan of the note's occurrences: a verifier over a whole cluster's
        // attestations answers each (attestor, image) in constant time.
        let forDigest =
            candidates.byDigest[
                OccurrenceIndex.Key(note: ExactString(entry.noteReference), digest: ExactString(digest))]
            ?? []
        guard options.strictResourceRepository else { return forDigest }
        return forDigest.filter { $0.image?.repository.isIdentical(to: image.repository) ?? false }
    }

    private func candidateChecks(
        _ entry: AttestorEntry, candidates: OccurrenceIndex, image: ImageReference, digest: String
    ) -> Int {
        let forImage = occurrences(for: entry, in: candidates, image: image, digest: digest)
        guard forImage.count <= options.limits.maximumOccurrencesPerImage else { return 0 }
        var total = 0
        for indexed in forImage {
            let signatures = indexed.occurrence.signatures
            guard signatures.count <= options.limits.maximumSignaturesPerOccurrence else { continue }
            total +=
                signatures.filter { signature in
                    guard let id = signature.publicKeyID else { return false }
                    return entry.key(id: id) != nil && !signature.signature.isEmpty
                }.count
        }
        return total
    }

    private func judge(
        _ entry: AttestorEntry, candidates: OccurrenceIndex, image: ImageReference, at time: Date
    ) throws(AttestationError) -> AttestorVerification {
        let attestor = entry.name
        guard let digest = image.digest, ImageReference.isSHA256Digest(digest) else {
            return .notVerified(
                AttestationFailure(
                    .notReferencedByDigest, message: "image \(image) is not referenced by a sha256 digest"))
        }
        guard !entry.isEmpty else {
            return .notVerified(
                AttestationFailure(
                    .noKeys, message: "attestor \(attestor) has no public keys, so it verifies no attestation"))
        }
        guard let onNote = candidates.byNote[ExactString(entry.noteReference)], !onNote.isEmpty else {
            let others = candidates.byNote.keys.map(\.string).filter { !$0.isEmpty }.sorted()
            return .notVerified(
                AttestationFailure(
                    .noOccurrence,
                    message: "no attestation occurrence on the attestor's note \(entry.noteReference)"
                        + (others.isEmpty ? "" : " (occurrences given are on \(others.joined(separator: ", ")))")))
        }
        let forImage = occurrences(for: entry, in: candidates, image: image, digest: digest)
        guard !forImage.isEmpty else {
            let resources = onNote.compactMap(\.occurrence.imageURI).prefix(3)
            return .notVerified(
                AttestationFailure(
                    .noOccurrenceForImage,
                    message: "no attestation occurrence on note \(entry.noteReference) is for \(image.withoutTag)"
                        + (resources.isEmpty
                            ? " (the occurrences on it name no resource)"
                            : " (found \(resources.joined(separator: ", ")))")))
        }
        let limits = options.limits
        guard forImage.count <= limits.maximumOccurrencesPerImage else {
            return .notVerified(
                AttestationFailure(
                    .tooManyOccurrences,
                    message: "\(forImage.count) attestation occurrences on note \(entry.noteReference) are for "
                        + "\(image.withoutTag); at most \(limits.maximumOccurrencesPerImage) are examined "
                        + "(InputLimits.maximumOccurrencesPerImage), so none was checked"))
        }
        var failures: [AttestationFailure] = []
        for occurrence in forImage.map(\.occurrence) {
            let label = occurrence.name.map { "occurrence \($0)" } ?? "occurrence"
            let signatures = occurrence.signatures
            if signatures.count > limits.maximumSignaturesPerOccurrence {
                failures.append(
                    AttestationFailure(
                        .tooManySignatures, occurrence: label,
                        message: "\(signatures.count) signatures; at most \(limits.maximumSignaturesPerOccurrence) "
                            + "are allowed in one occurrence (InputLimits.maximumSignaturesPerOccurrence), so none was "
                            + "checked"))
                continue
            }
            if signatures.isEmpty {
                failures.append(
                    occurrence.hasJWTs
                        ? AttestationFailure(
                            .unsupportedJWT, occurrence: label,
                            message: "JWT attestations are not supported by Binary Authorization project policies")
                        : AttestationFailure(.noSignature, occurrence: label, message: "no signatures"))
                continue
            }
            for signature in signatures {
                switch try evaluate(signature, entry: entry, image: image, at: time) {
                case .success(let verified):
                    return .verified(
                        VerifiedAttestation(
                            uncheckedOccurrence: occurrence.name, note: entry.noteReference, keyID: verified.keyID,
                            signer: verified.signer, payload: verified.payload, digest: verified.digest,
                            backend: verified.backend))
                case .failure(let failure):
                    failures.append(failure.inOccurrence(label))
                }
            }
        }
        return .notVerified(failures)
    }

    /// A signature's outcome before it is tied to its occurrence.
    private enum Checked {
        case success(Signed)
        case failure(AttestationFailure)
    }

    /// What a signature that checked out established, before it is tied to its occurrence.
    private struct Signed {
        var keyID: String
        var signer: String
        var payload: [UInt8]
        var digest: String
        var backend: String?
    }

    /// Checks one signature: the cryptographic check (cached: it is the expensive part, and does not depend on the
    /// image), then whether the signed payload is for `image`.
    private func evaluate(_ signature: OccurrenceSignature, entry: AttestorEntry, image: ImageReference, at time: Date)
        throws(AttestationError) -> Checked
    {
        guard let keyID = signature.publicKeyID, !keyID.isEmpty else {
            return .failure(AttestationFailure(.missingKeyID, message: "signature has no publicKeyId"))
        }
        guard let key = entry.key(id: keyID) else {
            return .failure(
                AttestationFailure(
                    .unknownKeyID, keyID: keyID,
                    message:
                        "key id \(keyID) is not one of the attestor's keys (\(entry.keyIDs.joined(separator: ", ")))"))
        }
        guard !signature.signature.isEmpty else {
            return .failure(
                AttestationFailure(
                    .emptySignature, keyID: keyID, message: "the signature for key \(keyID) is empty or missing"))
        }
        let cacheKey = SignatureCacheKey(
            attestor: ExactString(entry.name), keyID: ExactString(keyID), signature: signature.signature,
            payload: signature.serializedPayload, time: key.dependsOnTime ? Self.wholeSecond(time) : Self.anyTime)
        let check: CachedCheck
        if let cached = cache.withLock({ $0[cacheKey] }) {
            counters.withLock { $0.cacheHits += 1 }
            check = cached
        } else {
            counters.withLock { $0.signatureChecks += 1 }
            check = CachedCheck(try key.verify(signature, at: time, limits: options.limits))
            cache.withLock { cache in
                // A verifier kept for a long time (an admission webhook) sees new times and signatures forever;
                // keep the memory bounded. Within one evaluation the cache is far smaller than this.
                if cache.count >= Self.cacheLimit { cache.removeAll(keepingCapacity: true) }
                cache[cacheKey] = check
            }
        }
        switch check.verification {
        case .signed(let payload, let signer, let backend):
            return checkPayload(
                payload, parsed: check.parsedPayload, image: image, signer: signer, keyID: keyID, backend: backend)
        case .failed(let failure):
            return .failure(failure)
        }
    }

    private func checkPayload(
        _ payload: [UInt8], parsed cachedParse: Result<SignaturePayload, PayloadError>?, image: ImageReference,
        signer: String, keyID: String, backend: String?
    ) -> Checked {
        let parsed: SignaturePayload
        do throws(PayloadError) {
            parsed = try (cachedParse ?? Result { () throws(PayloadError) in try SignaturePayload(parsing: payload) })
                .get()
        } catch {
            return .failure(
                AttestationFailure(
                    .malformedPayload, keyID: keyID,
                    message: "signature by \(signer) verified, but unexpected message was signed: \(error.message)"))
        }
        let check = parsed.check(image: image, strict: options.strictDockerReference)
        guard check.isMatch else {
            return .failure(
                AttestationFailure(
                    .payloadMismatch, keyID: keyID, message: "signature by \(signer) verified, but \(check)"))
        }
        return .success(
            Signed(keyID: keyID, signer: signer, payload: payload, digest: parsed.manifestDigest, backend: backend))
    }

    /// The image a resource URI names: `https://`/`http://` stripped, then parsed as an image reference — or, for
    /// the few URLs gcloud writes that distribution/reference does not parse, as gcloud's artifact URL.
    package static func imageReference(fromResourceURI uri: String) -> ImageReference? {
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

/// Occurrences by note, and by note and the digest their resource names (`""` for a resource without one); every
/// group in the order the occurrences were given.
struct OccurrenceIndex: Sendable {
    struct Key: Hashable, Sendable {
        var note: ExactString
        var digest: ExactString
    }

    var byNote: [ExactString: [IndexedOccurrence]] = [:]
    var byDigest: [Key: [IndexedOccurrence]] = [:]
}

/// A cached signature check: the key's verdict and, for a signed payload, the payload as parsed (the same for
/// every image it is checked against, so a verifier answering many images parses it once).
struct CachedCheck: Sendable {
    let verification: SignatureVerification
    let parsedPayload: Result<SignaturePayload, PayloadError>?

    init(_ verification: SignatureVerification) {
        self.verification = verification
        if case .signed(let payload, _, _) = verification {
            parsedPayload = Result { () throws(PayloadError) in try SignaturePayload(parsing: payload) }
        } else {
            parsedPayload = nil
        }
    }
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

/// One attestor's keys, ready to verify: each key read once by the kind that handles it.
final class AttestorEntry: Sendable {
    let attestor: Attestor
    let name: String
    let noteReference: String
    private let byID: [ExactString: any AttestationKeyVerifier]
    let keyIDs: [String]

    var isEmpty: Bool { byID.isEmpty }

    init(attestor: Attestor, name: String, kinds: [any AttestationKeyKind], limits: InputLimits)
        throws(AttestationError)
    {
        self.attestor = attestor
        self.name = name
        noteReference = attestor.note?.noteReference ?? ""
        var claimed: [[(index: Int, key: AttestorPublicKey)]] = Array(repeating: [], count: kinds.count)
        for (index, key) in attestor.publicKeys.enumerated() {
            guard let kind = kinds.firstIndex(where: { $0.handles(key) }) else {
                let what = key.material == nil ? "has no key material" : "is of a kind no verifier was given for"
                let given = kinds.map(\.name).joined(separator: ", ")
                throw .invalidAttestor(
                    "\(name): publicKeys[\(index)] \(what) (verifiers: \(given.isEmpty ? "none" : given))")
            }
            claimed[kind].append((index, key))
        }
        // Each kind answers one verifier per key, in the order given; put them back in the attestor's order.
        var atIndex: [Int: any AttestationKeyVerifier] = [:]
        for (kind, keys) in zip(kinds, claimed) where !keys.isEmpty {
            let made = try kind.verifiers(for: keys, attestor: name, limits: limits)
            guard made.count == keys.count else {
                throw .invalidAttestor(
                    "\(name): the \(kind.name) verifier answered \(made.count) keys for \(keys.count)")
            }
            for (entry, verifier) in zip(keys, made) { atIndex[entry.index] = verifier }
        }
        let ordered = attestor.publicKeys.indices.compactMap { atIndex[$0] }
        var byID: [ExactString: any AttestationKeyVerifier] = [:]
        for verifier in ordered { byID[ExactString(verifier.keyID)] = verifier }
        self.byID = byID
        keyIDs = ordered.map(\.keyID)
    }

    func key(id: String) -> (any AttestationKeyVerifier)? { byID[ExactString(id)] }

    func close() {
        for verifier in byID.values { verifier.close() }
    }
}
