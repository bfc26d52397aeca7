// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel

/// Editing an attestor as `gcloud container binauthz attestors update` and `attestors public-keys update|remove`
/// do: gcloud GETs the attestor, changes it, and PUTs the whole attestor back. These functions make the same change
/// to an attestor value, with gcloud's checks and error texts. Adding keys is
/// `addPGPPublicKey(_:comment:)` (BinAuthzPGP) and `addPKIXPublicKey(pem:algorithm:idOverride:comment:)` /
/// `addKMSPublicKey(pem:algorithm:keyVersion:idOverride:comment:)` (BinAuthzPKIX).
extension Attestor {
    /// The keys whose id is exactly `id` (gcloud compares ids exactly: a lower-case fingerprint matches nothing).
    public func publicKeyIndices(id: String) -> [Int] {
        publicKeys.indices.filter { publicKeys[$0].id.map { $0.isIdentical(to: id) } ?? false }
    }

    /// `gcloud … attestors public-keys remove ID`: removes every key whose id is `id`.
    ///
    /// - Throws: ``AttestationError/Code/keyNotFound`` with gcloud's `No matching public key found on attestor
    ///   [NAME]` when no key has the id.
    public mutating func removePublicKey(id: String) throws(AttestationError) {
        guard !publicKeyIndices(id: id).isEmpty else { throw Self.noMatch(name) }
        modifyKeys { keys in keys.removeAll { $0.id.map { $0.isIdentical(to: id) } ?? false } }
    }

    /// `gcloud … attestors public-keys update ID --comment C`: sets the comment of the one key whose id is `id`
    /// (`nil` leaves it; an empty comment is kept as an empty string, as gcloud sends it).
    ///
    /// - Returns: The updated key.
    /// - Throws: ``AttestationError/Code/keyNotFound`` (`No matching public key found on attestor [NAME]`),
    ///   ``AttestationError/Code/ambiguousKeyID`` (`Multiple matching public keys found on attestor [NAME]`).
    @discardableResult
    public mutating func updatePublicKey(id: String, comment: String?) throws(AttestationError) -> AttestorPublicKey {
        let index = try uniqueKeyIndex(id: id)
        if let comment { modifyKeys { $0[index].comment = comment } }
        return publicKeys[index]
    }

    /// The index of the one key whose id is `id`, with gcloud's errors for none and several.
    public func uniqueKeyIndex(id: String) throws(AttestationError) -> Int {
        let matches = publicKeyIndices(id: id)
        guard let index = matches.first else { throw Self.noMatch(name) }
        guard matches.count == 1 else {
            throw AttestationError(
                code: .ambiguousKeyID, message: "Multiple matching public keys found on attestor [\(name ?? "")]")
        }
        return index
    }

    /// Applies `change` to the key list of whichever note the attestor has.
    package mutating func modifyKeys(_ change: (inout [AttestorPublicKey]) -> Void) {
        if userOwnedGrafeasNote != nil {
            change(&userOwnedGrafeasNote!.publicKeys)
        } else if userOwnedDrydockNote != nil {
            change(&userOwnedDrydockNote!.publicKeys)
        }
    }

    private static func noMatch(_ name: String?) -> AttestationError {
        AttestationError(code: .keyNotFound, message: "No matching public key found on attestor [\(name ?? "")]")
    }
}
