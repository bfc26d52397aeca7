// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

@testable import BinAuthzPGP

extension PGPTests {
    /// Keys and signatures made by the `gpg` command line, edited by packet surgery and by seeded random mutation,
    /// through the native verifier and through GPGME: the results must be equal in every case.
    @Suite("Native verifier against GPGME on generated keys and signatures")
    struct NativeDifferentialTests {
        /// The least number of compared cases (key set × message × evaluation time).
        static let minimumCases = 2000
        /// Random mutations of signatures, and of keys.
        static let signatureMutations = 700
        static let keyMutations = 150
        static let seed: UInt64 = 0x5EED_B1A2_0000_0001

        @Test("generated corpus: every algorithm, expiry, revocation, subkeys, wrong keys, mutations — no disagreement")
        func generated() throws {
            let corpus = try GeneratedCorpus()
            defer { corpus.close() }
            var tally = NativeDifferential.Tally()
            // Well-formed cases at every boundary.
            for item in corpus.cases {
                let pair = NativeDifferential(keys: item.keys)
                defer { pair.close() }
                let listed = (try? pair.gpgme.get().keys) ?? []
                let times = NativeDifferential.boundaryTimes(
                    signature: item.signature, keys: listed, extra: [PGPTest.today, corpus.now])
                for agreement in pair.compare(item.signature, at: times, label: item.label) { tally.add(agreement) }
            }
            // Mutated signatures against the right keys.
            var generator = SeededGenerator(seed: Self.seed)
            let targets = corpus.cases.filter(\.mutate)
            var pairs: [Int: NativeDifferential] = [:]
            defer { pairs.values.forEach { $0.close() } }
            for round in 0..<Self.signatureMutations {
                let index = round % targets.count
                let item = targets[index]
                let pair = pairs[index] ?? NativeDifferential(keys: item.keys)
                pairs[index] = pair
                let armored = Bool.random(using: &generator)
                var binary = PacketSurgery.binary(item.signature)
                binary = Mutation.mutate(binary, using: &generator)
                let message = armored ? Array(Armor.encode(binary, label: "PGP MESSAGE").utf8) : binary
                let created =
                    NativeDifferential.signatureTimes(item.signature).first.map {
                        Date(timeIntervalSince1970: TimeInterval($0.0))
                    } ?? corpus.now
                for agreement in pair.compare(
                    message, at: [created, created.addingTimeInterval(1), corpus.now],
                    label: "\(item.label) mutated #\(round)")
                {
                    tally.add(agreement)
                }
            }
            // Mutated keys against good signatures.
            for round in 0..<Self.keyMutations {
                let item = targets[round % targets.count]
                var keys = item.keys
                let which = Int.random(in: 0..<keys.count, using: &generator)
                let mutated = Mutation.mutate(PacketSurgery.binary(keys[which]), using: &generator)
                keys[which] =
                    Bool.random(using: &generator)
                    ? Array(Armor.encode(mutated, label: "PGP PUBLIC KEY BLOCK").utf8) : mutated
                let pair = NativeDifferential(keys: keys)
                defer { pair.close() }
                tally.add(pair.keysAgreement)
                for agreement in pair.compare(
                    item.signature, at: [corpus.now], label: "\(item.label) key mutated #\(round)")
                {
                    tally.add(agreement)
                }
            }
            let reasons = tally.fallbackReasons.sorted { $0.value > $1.value }.prefix(25)
                .map { "\($0.value)× \($0.key)" }.joined(separator: "\n")
            print("Native differential: \(tally)\nFallbacks:\n\(reasons)")
            #expect(tally.disagreements.isEmpty, "\(tally)\n\(tally.disagreements.prefix(30).joined(separator: "\n"))")
            #expect(tally.total >= Self.minimumCases, "\(tally)")
            // The well-formed cases are decided natively, bar the algorithms that fall back by design.
            #expect(tally.agreed * 2 > tally.total, "\(tally)")
        }
    }
}

/// Keys and signatures made once per run by the `gpg` command line in a private home.
final class GeneratedCorpus {
    struct Case {
        var label: String
        var keys: [[UInt8]]
        var signature: [UInt8]
        /// Whether random mutations of this signature are worth trying.
        var mutate: Bool
    }

    private let cli: GPGCommandLine
    private(set) var cases: [Case] = []
    /// A minute after the keys were made (GnuPG stamps them with the wall clock).
    private(set) var now = Date()
    static let payload = Array(
        "{\"critical\":{\"identity\":{\"docker-reference\":\"gcr.io/p/i\"},\"image\":{\"docker-manifest-digest\":\"sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\"},\"type\":\"Google cloud binauthz container signature\"}}\n"
            .utf8)

    init() throws {
        cli = try GPGCommandLine()
        let payloadFile = try cli.file("payload.json", Self.payload)
        var keys: [String: (fpr: PGPFingerprint, block: [UInt8])] = [:]
        func export(_ name: String, _ fpr: PGPFingerprint) throws {
            keys[name] = (fpr, try cli.exportPublicKey(fpr))
        }
        func sign(_ signer: PGPFingerprint, _ options: [String] = [], armored: Bool = true, faked: String? = nil) throws
            -> [UInt8]
        {
            var arguments = faked.map { ["--faked-system-time", $0] } ?? []
            arguments += ["--local-user", signer.hex] + options
            if armored { arguments.append("--armor") }
            arguments += ["--output", "-", "--sign", payloadFile]
            return try cli.gpg(arguments).stdout
        }

        // One signing key per algorithm.
        let algorithms = ["rsa2048", "rsa3072", "ed25519", "nistp256", "nistp384", "nistp521"]
        for algorithm in algorithms {
            try export(algorithm, try cli.generateKey("\(algorithm) <\(algorithm)@example.com>", algorithm: algorithm))
        }
        // Expiry: one key that expires in a year, one made in 2020 that expired in 2021.
        try export("expiring", try cli.generateKey("Expiring <e@example.com>", expire: "seconds=31536000"))
        try cli.gpg([
            "--faked-system-time", "20200101T000000!", "--passphrase", "", "--quick-generate-key",
            "Old <old@example.com>",
            "rsa2048", "sign", "1y",
        ])
        try export("old", PGPFingerprint(try cliFingerprint("Old <old@example.com>"))!)
        // Revocations: GnuPG's own hard one (no reason), and a soft one ("superseded").
        let hard = try cli.generateKey("Hard <hard@example.com>")
        let hardSignature = try sign(hard)
        try importRevocationCertificate(of: hard)
        try export("hard", hard)
        let soft = try cli.generateKey("Soft <soft@example.com>", algorithm: "nistp256")
        let softSignature = try sign(soft)
        try interactive(
            ["--yes", "--armor", "--output", cli.home + "/soft.rev", "--gen-revoke", soft.hex],
            "y\n1\nsuperseded\n\ny\n")
        if let certificate = FileManager.default.contents(atPath: cli.home + "/soft.rev") {
            try cli.gpg(["--import"], stdin: [UInt8](certificate))
        }
        try export("soft", soft)
        // Signing subkeys on certify-only primaries.
        let withSubkey = try cli.generateKey("Sub <sub@example.com>", usage: "cert")
        try cli.gpg(["--passphrase", "", "--quick-add-key", withSubkey.hex, "ed25519", "sign", "seconds=63072000"])
        try export("subkey", withSubkey)
        let rsaSubkey = try cli.generateKey("RSA Sub <rsasub@example.com>", algorithm: "rsa2048", usage: "cert")
        try cli.gpg(["--passphrase", "", "--quick-add-key", rsaSubkey.hex, "rsa2048", "sign", "never"])
        try export("rsasubkey", rsaSubkey)
        let revokedSubkey = try cli.generateKey("Revoked Sub <revsub@example.com>", usage: "cert")
        try cli.gpg(["--passphrase", "", "--quick-add-key", revokedSubkey.hex, "ed25519", "sign", "never"])
        let revokedSubkeySignature = try sign(revokedSubkey)
        try interactive(["--edit-key", revokedSubkey.hex], "key 1\nrevkey\ny\n2\n\ny\nsave\n")
        try export("revokedsubkey", revokedSubkey)
        now = Date().addingTimeInterval(60)

        func add(_ label: String, _ keyNames: [String], _ signature: [UInt8], mutate: Bool = false) {
            cases.append(
                Case(label: label, keys: keyNames.map { keys[$0]!.block }, signature: signature, mutate: mutate))
        }
        for algorithm in algorithms {
            let fpr = keys[algorithm]!.fpr
            add("\(algorithm) default", [algorithm], try sign(fpr), mutate: true)
            add("\(algorithm) uncompressed", [algorithm], try sign(fpr, ["--compress-algo", "none"]), mutate: true)
            add(
                "\(algorithm) binary zip", [algorithm], try sign(fpr, ["--compress-algo", "zip"], armored: false),
                mutate: true)
            add("\(algorithm) bzip2", [algorithm], try sign(fpr, ["--compress-algo", "bzip2"]))
            add("\(algorithm) textmode", [algorithm], try sign(fpr, ["--textmode"]))
            add("\(algorithm) expiring signature", [algorithm], try sign(fpr, ["--default-sig-expire", "1d"]))
            add(
                "\(algorithm) wrong key", [algorithms[(algorithms.firstIndex(of: algorithm)! + 1) % algorithms.count]],
                try sign(fpr))
            add("\(algorithm) among keys", [algorithm, "ed25519", "hard"], try sign(fpr))
            for digest in ["SHA224", "SHA384", "SHA512", "SHA1", "RIPEMD160"] {
                if let signature = try? sign(fpr, ["--digest-algo", digest, "--compress-algo", "none"]) {
                    add("\(algorithm) \(digest)", [algorithm], signature)
                }
            }
        }
        let ed = keys["ed25519"]!.fpr
        let rsa = keys["rsa2048"]!.fpr
        add("two signers", ["ed25519", "rsa2048"], try sign(ed, ["--local-user", rsa.hex]))
        add("expiring key", ["expiring"], try sign(keys["expiring"]!.fpr), mutate: true)
        add("old key signed in 2020", ["old"], try sign(keys["old"]!.fpr, faked: "20200601T000000!"))
        add(
            "old key, expired signature", ["old"],
            try sign(keys["old"]!.fpr, ["--default-sig-expire", "1d"], faked: "20200601T000000!"))
        add("hard-revoked key", ["hard"], hardSignature)
        add("soft-revoked key", ["soft"], softSignature)
        let subkeySignature = try sign(keys["subkey"]!.fpr)
        add("signing subkey", ["subkey"], subkeySignature, mutate: true)
        add("rsa signing subkey", ["rsasubkey"], try sign(keys["rsasubkey"]!.fpr), mutate: true)
        add("revoked signing subkey", ["revokedsubkey"], revokedSubkeySignature)
        // Back-signatures removed or broken by packet surgery.
        let stripped = PacketSurgery.editBindingUnhashedArea(
            keys["subkey"]!.block, PacketSurgery.withoutEmbeddedSignatures)
        let broken = PacketSurgery.editBindingUnhashedArea(
            keys["subkey"]!.block, PacketSurgery.corruptingEmbeddedSignatures)
        cases.append(
            Case(label: "subkey without back-signature", keys: [stripped], signature: subkeySignature, mutate: false))
        cases.append(
            Case(
                label: "subkey with a broken back-signature", keys: [broken], signature: subkeySignature, mutate: false)
        )
    }

    /// Runs gpg without `--batch`, answering its prompts from `answers` (`--gen-revoke` and `--edit-key` refuse
    /// batch mode).
    private func interactive(_ arguments: [String], _ answers: String) throws {
        _ = try Subprocess.run(
            "gpg",
            ["--homedir", cli.home, "--no-tty", "--command-fd", "0", "--pinentry-mode", "loopback", "--passphrase", ""]
                + arguments, stdin: Array(answers.utf8), environment: ["GNUPGHOME": cli.home, "LC_ALL": "C"])
    }

    private func cliFingerprint(_ userID: String) throws -> String {
        let listing = try cli.gpg(["--with-colons", "--fingerprint", userID]).stdoutText
        let line = listing.split(separator: "\n").first { $0.hasPrefix("fpr:") }!
        return String(line.split(separator: ":", omittingEmptySubsequences: false)[9])
    }

    /// Imports the revocation certificate GnuPG wrote when it made the key (its armor line is "colon-guarded").
    private func importRevocationCertificate(of fpr: PGPFingerprint) throws {
        let path = cli.home + "/openpgp-revocs.d/\(fpr.hex).rev"
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(
            of: ":-----BEGIN", with: "-----BEGIN")
        try cli.gpg(["--import"], stdin: Array(text.utf8))
    }

    func close() { cli.close() }
}
