// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

@testable import BinAuthzPGP

extension PGPTests {
    /// Temporary homes are private, short, and leave nothing behind: no agent, no socket, no file.
    @Suite("Keyring homes and cleanup")
    struct KeyringCleanupTests {
        static let seedKey = "seed-article/set-a/generated-key.pgp"

        func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

        @Test("a home is a 0700 directory /…/bzpgp.XXXXXX with 0600 config files, removed by close()")
        func homeLayout() throws {
            let keyring = try EphemeralKeyring(options: PGPTest.signing)
            let home = keyring.homeDirectory
            #expect(home.hasPrefix(PGPTest.base + "/bzpgp."))
            #expect(home.utf8.count <= 80)
            let attributes = try FileManager.default.attributesOfItem(atPath: home)
            #expect((attributes[.posixPermissions] as? Int) == 0o700)
            for file in ["gpg.conf", "gpg-agent.conf"] {
                let mode =
                    try FileManager.default.attributesOfItem(atPath: "\(home)/\(file)")[.posixPermissions] as? Int
                #expect(mode == 0o600)
            }
            let agentConf = try String(contentsOfFile: "\(home)/gpg-agent.conf", encoding: .utf8)
            #expect(agentConf.contains("max-cache-ttl 0"))
            keyring.close()
            #expect(!exists(home))
        }

        @Test("a verify-only keyring never starts gpg-agent")
        func verifyOnlyStartsNoAgent() throws {
            let keyring = try EphemeralKeyring(
                verifyingWith: [try PGPTest.corpus(Self.seedKey)], options: PGPTest.verification)
            let home = keyring.homeDirectory
            let conf = try String(contentsOfFile: "\(home)/gpg.conf", encoding: .utf8)
            #expect(conf.contains("no-autostart"))
            _ = try keyring.verifyAttached(
                try PGPTest.corpus("seed-article/set-a/generated_signature.pgp"), at: PGPTest.today)
            #expect(processes(mentioning: home).isEmpty)
            #expect(!exists("\(home)/S.gpg-agent"))
            keyring.close()
            #expect(!exists(home))
        }

        @Test("a signing keyring's agent runs while it is open and is gone, with its sockets, after close()")
        func signingAgentStops() throws {
            let keyring = try EphemeralKeyring(options: PGPTest.signing)
            let home = keyring.homeDirectory
            _ = try keyring.generateKey(userID: "Agent <agent@example.com>")
            #expect(!processes(mentioning: home).isEmpty, "generation should have started an agent for \(home)")
            keyring.close()
            #expect(processes(mentioning: home).isEmpty)
            #expect(!exists(home))
            #expect(keyring.isClosed)
            keyring.close()  // idempotent
            #expect(throws: PGPError.keyringClosed) { try keyring.generateKey(userID: "late") }
            #expect(throws: PGPError.keyringClosed) { try keyring.verifyAttached([0x90], at: PGPTest.today) }
        }

        @Test("withEphemeralKeyring cleans up when the body returns and when it throws")
        func scoped() throws {
            struct Boom: Error {}
            var home = ""
            let fingerprint = try withEphemeralKeyring(PGPTest.signing) { keyring in
                home = keyring.homeDirectory
                return try keyring.generateKey(userID: "Scoped <s@example.com>").fingerprint
            }
            #expect(fingerprint.hex.count == 40)
            #expect(!exists(home))
            #expect(processes(mentioning: home).isEmpty)
            #expect(throws: Boom.self) {
                try withEphemeralKeyring(PGPTest.signing) { keyring in
                    home = keyring.homeDirectory
                    _ = try keyring.generateKey(userID: "Throws <t@example.com>")
                    throw Boom()
                }
            }
            #expect(!exists(home))
            #expect(processes(mentioning: home).isEmpty)
        }

        @Test("deinit is a fallback: a dropped keyring stops its agent and removes its home")
        func deinitCleansUp() throws {
            var home = ""
            do {
                let keyring = try EphemeralKeyring(options: PGPTest.signing)
                home = keyring.homeDirectory
                _ = try keyring.generateKey(userID: "Dropped <d@example.com>")
            }
            #expect(!exists(home))
            #expect(processes(mentioning: home).isEmpty)
        }

        @Test("a base directory that would make the home too long for the agent's sockets is refused up front")
        func longBase() throws {
            let long = PGPTest.base + "/" + String(repeating: "x", count: 80)
            do {
                _ = try EphemeralKeyring(options: .init(baseDirectory: long))
                Issue.record("a keyring was created under a too-long base")
            } catch {
                #expect(error.code == .homeUnusable)
                #expect(error.message.contains("80 or fewer"))
            }
            #expect(throws: PGPError.homeUnusable) {
                try EphemeralKeyring(options: .init(baseDirectory: PGPTest.base + "/missing/dir"))
            }
        }

        @Test("GPGME is initialised once with the ABI check and finds gpg and gpgconf")
        func library() throws {
            let info = try GPGMELibrary.initialize()
            #expect(info.version.hasPrefix("1."))
            #expect(info.gpgPath.hasSuffix("gpg"))
            #expect(info.gpgconfPath?.hasSuffix("gpgconf") == true)
        }
    }
}
