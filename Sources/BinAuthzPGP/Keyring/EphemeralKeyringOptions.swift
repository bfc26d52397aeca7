// SPDX-License-Identifier: Apache-2.0

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension EphemeralKeyring {
    /// How an ``EphemeralKeyring`` is set up.
    public struct Options: Hashable, Sendable {
        /// What the keyring is for, which decides whether `gpg-agent` may run.
        public struct Purpose: Hashable, Sendable, CustomStringConvertible {
            fileprivate enum Backing: String, Hashable, Sendable {
                case verification, signing
            }
            fileprivate let backing: Backing
            private init(_ backing: Backing) { self.backing = backing }

            /// Public keys only. The home's `gpg.conf` says `no-autostart`, so no `gpg-agent` is ever started;
            /// secret-key operations fail with ``PGPError/Code/agentUnavailable``.
            public static let verification = Purpose(.verification)
            /// Secret keys too: importing, generating, exporting and signing. A `gpg-agent` runs for the keyring's
            /// lifetime and is stopped by ``EphemeralKeyring/close()``.
            public static let signing = Purpose(.signing)

            public var description: String { backing.rawValue }
        }

        /// What the keyring is for.
        public var purpose: Purpose
        /// The directory the temporary home is created in (`<base>/bzpgp.XXXXXX`). Keep it short: the home path
        /// must be 80 bytes or fewer because gpg-agent's socket paths are limited to 108 bytes.
        public var baseDirectory: String
        /// The agent's `s2k-count` (passphrase hashing iterations) for passphrase-protected keys.
        ///
        /// `nil` keeps GnuPG's calibrated default (protecting a key takes about 100 ms).
        ///
        /// - Warning: Lowering it (for example to 65536) makes passphrase operations ~50× faster, which suits tests,
        ///   but also weakens the protection of secret keys *exported* from this keyring. Never lower it for keys
        ///   that leave the test.
        public var s2kCount: Int?
        /// Test hook: GnuPG's clock (`faked-system-time` in `gpg.conf`), so tests can sign with fixture keys that
        /// have expired since. Not public: a signature's creation time must be the real time.
        var gnupgClock: Date?

        /// Creates options.
        ///
        /// - Parameters:
        ///   - purpose: ``Purpose/verification`` (the default) or ``Purpose/signing``.
        ///   - baseDirectory: Where the temporary home is created; `/tmp` by default.
        ///   - s2kCount: The agent's `s2k-count`; `nil` for GnuPG's default.
        public init(purpose: Purpose = .verification, baseDirectory: String = "/tmp", s2kCount: Int? = nil) {
            self.purpose = purpose
            self.baseDirectory = baseDirectory
            self.s2kCount = s2kCount
        }

        /// A verify-only keyring in `/tmp`: no agent ever runs.
        public static let verification = Options()
        /// A signing keyring in `/tmp`: secret keys, key generation and signing.
        public static let signing = Options(purpose: .signing)

        var allowsSecretKeys: Bool { purpose == .signing }
    }
}
