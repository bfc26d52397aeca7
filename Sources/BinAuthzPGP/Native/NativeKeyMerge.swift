// SPDX-License-Identifier: Apache-2.0

/// GnuPG 2.2.40's `merge_selfsigs` (`g10/getkey.c`) over an imported key: revocation, usage and expiry of the
/// primary key and of each subkey, and each subkey's back-signature.
///
/// Where GnuPG differs from what RFC 4880 suggests, this follows GnuPG:
/// - **Expiry and usage** come from the newest valid direct-key signature if it has them, else from the user id
///   whose chosen self-signature is newest *among those that carry them* — not necessarily the primary user id, and
///   not necessarily the newest self-signature overall (`NativeKeyringTests`).
/// - **Key expiration** is creation time plus the subpacket value in 32-bit arithmetic.
/// - **A subkey revocation** counts whatever its date relative to the binding ("even if the binding sig is dated
///   after the revocation sig, the subkey is still marked as revoked").
/// - **The back-signature** is the newest (strictly later creation time, starting from zero) embedded 0x19
///   signature in the chosen binding's hashed area, then its unhashed area; it is checked only when the subkey is
///   used to sign.
/// - A revoked primary key makes every subkey revoked.
enum NativeKeyMerge {
    static func merge(
        primary: NativePublicKey, direct: [NativeSignature], userIDs: [NativeKeyImport.Component],
        subkeys: [NativeKeyImport.Component], checker: inout NativeKeyImport.Checker
    ) -> NativeKeyImport.Result {
        var revoked = false
        var directChoice: NativeSignature?
        for signature in direct where signature.keyID == primary.keyID {
            guard checker.check(signature, over: .primaryKey) == .valid else { continue }
            if signature.sigClass == 0x20 {
                revoked = true
            } else if signature.sigClass == 0x1F, signature.timestamp >= directChoice?.timestamp ?? 0 {
                directChoice = signature
            }
        }
        var usage: KeyUsage = []
        var expires: UInt32 = 0
        var expirySeen = false
        var valid = false
        if let choice = directChoice {
            usage = KeyUsage(keyFlagsOf: choice)
            if let value = choice.hashed.first(SubpacketArea.keyExpires), NativeSignature.uint32(value) != 0 {
                expires = primary.created &+ NativeSignature.uint32(value)
                expirySeen = true
            }
            valid = true
        }

        struct UserIDState {
            var created: UInt32 = 0
            var usage: KeyUsage = []
            var expires: UInt32 = 0
        }
        var states: [UserIDState] = []
        for component in userIDs {
            var state = UserIDState()
            var choice: NativeSignature?
            for signature in component.signatures
            where signature.keyID == primary.keyID && [0x10, 0x11, 0x12, 0x13, 0x30].contains(signature.sigClass) {
                guard checker.check(signature, over: .userID(component.userID ?? [])) == .valid else { continue }
                if signature.timestamp >= choice?.timestamp ?? 0 { choice = signature }
            }
            if let choice {
                valid = true
                if choice.sigClass != 0x30 {
                    state.created = choice.timestamp
                    state.usage = KeyUsage(keyFlagsOf: choice)
                    if let value = choice.hashed.first(SubpacketArea.keyExpires), NativeSignature.uint32(value) != 0 {
                        state.expires = primary.created &+ NativeSignature.uint32(value)
                    }
                }
            }
            states.append(state)
        }
        if usage.isEmpty {
            var date: UInt32 = 0
            for state in states
            where !state.usage.isEmpty && (state.created > date || (state.created == 0 && date == 0)) {
                usage = state.usage
                date = state.created
            }
        }
        usage = masked(usage, by: primary.algorithmUsage)
        usage.insert(.certify)
        if !expirySeen {
            var date: UInt32 = 0
            for state in states where state.expires != 0 && (state.created > date || (state.created == 0 && date == 0))
            {
                expires = state.expires
                date = state.created
            }
        }
        if let reason = checker.unsupportedReason { return .unsupported(reason) }

        var merged: [NativeSubkey] = []
        for component in subkeys {
            guard let subkey = component.subkey else { continue }
            var subkeyRevoked = false
            var binding: NativeSignature?
            for signature in component.signatures where signature.keyID == primary.keyID {
                guard signature.sigClass == 0x18 || signature.sigClass == 0x28,
                    checker.check(signature, over: .subkey(subkey)) == .valid
                else { continue }
                if signature.sigClass == 0x28 {
                    subkeyRevoked = true
                } else if signature.timestamp >= binding?.timestamp ?? 0 {
                    binding = signature
                }
            }
            var result = NativeSubkey(
                key: subkey, valid: false, revoked: subkeyRevoked || revoked, usage: [], expires: 0, backsig: 0)
            if let binding {
                result.usage = masked(KeyUsage(keyFlagsOf: binding), by: subkey.algorithmUsage)
                if let value = binding.hashed.first(SubpacketArea.keyExpires), NativeSignature.uint32(value) != 0 {
                    result.expires = subkey.created &+ NativeSignature.uint32(value)
                }
                if subkey.gnupgSupportsAlgorithm {
                    result.valid = valid
                    switch backSignature(in: binding, primary: primary, subkey: subkey, checker: &checker) {
                    case .none: result.backsig = 0
                    case .some(true): result.backsig = 2
                    case .some(false): result.backsig = 1
                    }
                }
            }
            merged.append(result)
        }
        if let reason = checker.unsupportedReason { return .unsupported(reason) }
        return .imported(
            NativeKey(
                primary: primary, userIDs: userIDs.map { String(decoding: $0.userID ?? [], as: UTF8.self) },
                valid: valid, revoked: revoked, usage: usage, expires: expires, subkeys: merged))
    }

    /// No key flags: the algorithm's usage; else the flags, masked by what the algorithm can do.
    private static func masked(_ usage: KeyUsage, by algorithm: KeyUsage) -> KeyUsage {
        if usage.isEmpty { return algorithm }
        return algorithm.isEmpty ? usage : usage.intersection(algorithm)
    }

    /// Whether the newest embedded back-signature verifies, or `nil` when there is none.
    private static func backSignature(
        in binding: NativeSignature, primary: NativePublicKey, subkey: NativePublicKey,
        checker: inout NativeKeyImport.Checker
    ) -> Bool? {
        var newest: NativeSignature?
        for area in [binding.hashed, binding.unhashed] {
            for data in area.all(SubpacketArea.embeddedSignature) {
                let bytes = Array(data)
                guard bytes.count > 3, (bytes[0] == 3 && bytes[2] == 0x19) || (bytes[0] == 4 && bytes[1] == 0x19),
                    let candidate = try? NativeSignature(body: bytes[...])
                else { continue }
                if candidate.timestamp > newest?.timestamp ?? 0 { newest = candidate }
            }
        }
        guard let newest else { return nil }
        switch NativeKeySignatures.check(
            newest, signer: subkey, primary: primary, target: .subkey(subkey), limits: checker.limits)
        {
        case .valid: return true
        case .invalid: return false
        case .unsupported(let reason):
            checker.markUnsupported(reason)
            return false
        }
    }
}
