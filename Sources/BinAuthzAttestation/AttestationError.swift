// SPDX-License-Identifier: Apache-2.0

/// An error from building attestors and occurrences, or from a verifier whose inputs or environment are broken.
///
/// A signature that does not verify is *not* an error: verification answers with an ``AttestationValidation`` or
/// an `AttestorVerification` that says why. Equality and hashing consider only ``code``.
public struct AttestationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public let code: Code
    /// What went wrong and what to do about it. Never contains key material or passphrases.
    public let message: String
    /// For errors about one of the attestors given to ``AttestorVerifier/init(attestors:occurrences:keyKinds:options:)``,
    /// its position in that array — so a caller that read each from a file can say which file is wrong.
    public let attestorIndex: Int?

    /// Creates an error.
    public init(code: Code, message: String, attestorIndex: Int? = nil) {
        self.code = code
        self.message = message
        self.attestorIndex = attestorIndex
    }

    public var description: String { message }

    public static func == (lhs: AttestationError, rhs: AttestationError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// The kind of an ``AttestationError``. New codes may be added in minor releases.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Backing: String, Hashable, Sendable {
            case invalidAttestor, invalidKey, duplicateKey, invalidKeyID, invalidArtifactURL, invalidPayload
            case signingFailed, environment, unknownAttestor, keyNotFound, ambiguousKeyID
        }
        fileprivate let backing: Backing
        fileprivate init(_ backing: Backing) { self.backing = backing }

        /// An attestor fails validation (bad name, note reference, key, or a key id that is not the key's).
        public static let invalidAttestor = Code(.invalidAttestor)
        /// A public or private key cannot be read, or does not suit the declared algorithm.
        public static let invalidKey = Code(.invalidKey)
        /// The key or key id is already present on the attestor (gcloud's messages).
        public static let duplicateKey = Code(.duplicateKey)
        /// A key id is not acceptable (PKIX ids must be URIs; PGP ids are fingerprints).
        public static let invalidKeyID = Code(.invalidKeyID)
        /// The artifact URL is not `registry/repository@sha256:<64 hex>` (with an optional scheme).
        public static let invalidArtifactURL = Code(.invalidArtifactURL)
        /// A payload file cannot be used.
        public static let invalidPayload = Code(.invalidPayload)
        /// Signing failed (wrong passphrase, unusable key, …).
        public static let signingFailed = Code(.signingFailed)
        /// The environment is broken: gpg missing, temporary home unusable.
        public static let environment = Code(.environment)
        /// An attestor named by the caller is not known to the verifier.
        public static let unknownAttestor = Code(.unknownAttestor)
        /// No key of the attestor has the id (gcloud's `No matching public key found on attestor [NAME]`).
        public static let keyNotFound = Code(.keyNotFound)
        /// Several keys of the attestor have the id (gcloud's `Multiple matching public keys found on attestor [NAME]`).
        public static let ambiguousKeyID = Code(.ambiguousKeyID)

        public var description: String { backing.rawValue }
    }

    /// An attestor that cannot be used, for the reason given (a key kind's ``AttestationKeyKind`` throws this for a
    /// key it cannot read).
    public static func invalidAttestor(_ message: String) -> AttestationError {
        .init(code: .invalidAttestor, message: message)
    }
}
