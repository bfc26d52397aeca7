// SPDX-License-Identifier: Apache-2.0

/// An algorithm for ``EphemeralKeyring/generateKey(userID:algorithm:expiresIn:passphrase:)``, named as GnuPG
/// names it.
public struct PGPKeyAlgorithm: Hashable, Sendable, CustomStringConvertible {
    /// GnuPG's algorithm name (`gpg --quick-generate-key UID ALGO`).
    public let gnupgName: String

    private init(gnupgName: String) { self.gnupgName = gnupgName }

    /// EdDSA over Curve25519 (fast, small signatures). GnuPG's `ed25519`.
    public static let ed25519 = PGPKeyAlgorithm(gnupgName: "ed25519")
    /// ECDSA over NIST P-256. GnuPG's `nistp256`.
    public static let nistp256 = PGPKeyAlgorithm(gnupgName: "nistp256")
    /// RSA with a 3072-bit modulus. GnuPG's `rsa3072` (generation takes about half a second).
    public static let rsa3072 = PGPKeyAlgorithm(gnupgName: "rsa3072")
    /// RSA with a 4096-bit modulus. GnuPG's `rsa4096` (generation takes seconds).
    public static let rsa4096 = PGPKeyAlgorithm(gnupgName: "rsa4096")

    /// Every algorithm, in the order the CLI lists them.
    public static let all: [PGPKeyAlgorithm] = [.ed25519, .rsa3072, .rsa4096, .nistp256]

    /// Looks an algorithm up by its GnuPG name (case-insensitive), or returns `nil`.
    public init?(_ description: String) {
        guard let found = Self.all.first(where: { $0.gnupgName == description.lowercased() }) else { return nil }
        self = found
    }

    public var description: String { gnupgName }
}

/// How ``EphemeralKeyring/sign(_:with:passphrase:mode:armored:)`` packages a signature.
public struct PGPSignatureMode: Hashable, Sendable, CustomStringConvertible {
    fileprivate enum Backing: String, Hashable, Sendable {
        case attached, detached
    }
    fileprivate let backing: Backing
    private init(_ backing: Backing) { self.backing = backing }

    /// An attached (opaque) signature that contains the payload: what `gpg --sign` makes and what Binary
    /// Authorization PGP attestations carry.
    public static let attached = PGPSignatureMode(.attached)
    /// A detached signature: what `gpg --detach-sign` makes. Not accepted by Binary Authorization attestations.
    public static let detached = PGPSignatureMode(.detached)

    public var description: String { backing.rawValue }
    var isDetached: Bool { backing == .detached }
}
