// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

extension CommandLineTests {
    /// `binauthz attestors describe|list|update|public-keys add|update|remove` against what gcloud 528's commands did
    /// with the same attestors (the committed `gcloud-parity/attestor-edit` corpus), and gcloud's own KMS → algorithm
    /// mapping where gcloud is installed.
    @Suite("binauthz attestors describe / list / update / public-keys, as gcloud")
    struct AttestorEditCLITests {
        /// Cases with no offline equivalent: the fake server's 404 for a missing attestor or KMS key, and gcloud's
        /// ASCII table for a non-UTF-8 terminal (binauthz always writes UTF-8).
        static let cases = GcloudCommandCase.load("attestor-edit/cases.json").filter { item in
            item.request["missing"] == nil && item.string("encoding") == nil
                && (item.object("kms") as? [String: any Sendable])?["absent"] == nil
        }

        /// gcloud accepts these, the service or binauthz refuses them, on purpose (Docs/Semantics.md): key ids that
        /// are no URI (the API: "it MUST be a valid RFC3986 URI") and a PEM that is no key, which gcloud leaves to
        /// the service.
        static let refusedByBinauthz: Set<String> = [
            "add-pkix-comment-override", "add-kms-override", "add-pkix-garbage-pem",
        ]
        /// gcloud refuses these, binauthz accepts them: the API name of an algorithm (`ECDSA_P256_SHA256`) and its
        /// lower-case form (DESIGN: "the upper-case API name is accepted too").
        static let acceptedByBinauthz: Set<String> = ["add-pkix-ECDSA_P256_SHA256", "add-pkix-ecdsa_p256_sha256"]

        static func option(_ flag: String, _ value: String) -> [String] {
            value.hasPrefix("-") ? [flag + "=" + value] : [flag, value]
        }

        /// The v1 `PkixPublicKey.SignatureAlgorithm` names by enum number (gcloud's `enum-values`).
        static let algorithmNumbers = [
            "SIGNATURE_ALGORITHM_UNSPECIFIED", "RSA_PSS_2048_SHA256", "RSA_SIGN_PSS_2048_SHA256", "RSA_PSS_3072_SHA256",
            "RSA_SIGN_PSS_3072_SHA256", "RSA_PSS_4096_SHA256", "RSA_SIGN_PSS_4096_SHA256", "RSA_PSS_4096_SHA512",
            "RSA_SIGN_PSS_4096_SHA512", "RSA_SIGN_PKCS1_2048_SHA256", "RSA_SIGN_PKCS1_3072_SHA256",
            "RSA_SIGN_PKCS1_4096_SHA256", "RSA_SIGN_PKCS1_4096_SHA512", "ECDSA_P256_SHA256", "EC_SIGN_P256_SHA256",
            "ECDSA_P384_SHA384", "EC_SIGN_P384_SHA384", "ECDSA_P521_SHA512", "EC_SIGN_P521_SHA512",
        ]

        /// The attestor as served, with enum numbers (`"signatureAlgorithm": 13`, which apitools reads from the
        /// server) written as names: binauthz reads attestor files strictly, names only.
        static func withEnumNames(_ value: (any Sendable)?) -> (any Sendable)? {
            switch value {
            case let object as [String: any Sendable]:
                var copy: [String: any Sendable] = [:]
                for (key, item) in object {
                    if key == "signatureAlgorithm", let number = item as? Int, algorithmNumbers.indices.contains(number)
                    {
                        copy[key] = algorithmNumbers[number]
                    } else {
                        copy[key] = withEnumNames(item)
                    }
                }
                return copy
            case let array as [any Sendable]: return array.map { withEnumNames($0) ?? "" }
            default: return value
            }
        }

        /// Whether a PKIX key fits the algorithm gcloud was given (gcloud does not look; binauthz refuses a misfit).
        static func fits(_ item: GcloudCommandCase) -> Bool {
            guard
                let key = item.bytes("pkixPublicKey").map({ String(decoding: $0, as: UTF8.self) })
                    ?? (item.object("kms")
                    as? [String: any Sendable])?["pem"] as? String
            else { return true }
            let algorithm =
                (item.string("pkixAlgorithm")
                ?? ((item.object("kms") as? [String: any Sendable])?["algorithm"]
                    as? String ?? ""))
                .lowercased()
            let body = key.split(separator: "\n").dropFirst().first ?? ""
            if body.hasPrefix("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE") { return algorithm.contains("p256") }
            if body.hasPrefix("MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAE") { return algorithm.contains("p384") }
            if body.hasPrefix("MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8A") { return algorithm.contains("2048") }
            if body.hasPrefix("MIGbMBAGByqGSM49AgEGBSuBBAAjA4GGAAQ") { return algorithm.contains("p521") }
            return false
        }

        /// The binauthz arguments for the request, with the attestor and key files written to `dir`.
        static func arguments(_ item: GcloudCommandCase, in dir: TemporaryDirectory) throws -> [String] {
            func attestorFile(_ value: (any Sendable)?, _ name: String = "attestor.json") throws -> String {
                let named = withEnumNames(value) ?? [String: String]()
                guard JSONSerialization.isValidJSONObject(named) else {
                    Issue.record("\(item.name): the attestor is not a JSON object: \(named)")
                    return try dir.write(name, "{}")
                }
                let data = try JSONSerialization.data(withJSONObject: named, options: [.sortedKeys])
                return try dir.write(name, [UInt8](data))
            }
            let op = item.string("op") ?? ""
            var arguments: [String] = []
            switch op {
            case "attestors-describe":
                arguments = ["attestors", "describe", "--attestor-file", try attestorFile(item.object("attestor"))]
                if let format = item.string("format") { arguments += ["--format", format] }
                return arguments
            case "attestors-list":
                arguments = ["attestors", "list"]
                for (index, attestor) in (item.object("attestors") as? [any Sendable] ?? []).enumerated() {
                    arguments += ["--attestor-file", try attestorFile(attestor, "a\(index).json")]
                }
                if let format = item.string("format") { arguments += ["--format", format] }
                return arguments
            case "attestors-update":
                arguments = ["attestors", "update"]
                if let description = item.string("description") { arguments += option("--description", description) }
            case "public-keys-add":
                arguments = ["attestors", "public-keys", "add"]
                if let key = item.bytes("pgpPublicKey") {
                    arguments += ["--pgp-public-key-file", try dir.write("key.asc", key)]
                }
                if let key = item.bytes("pkixPublicKey") {
                    arguments += ["--pkix-public-key-file", try dir.write("key.pem", key)]
                }
                if let algorithm = item.string("pkixAlgorithm") {
                    arguments += ["--pkix-public-key-algorithm", algorithm]
                }
                if let kms = item.object("kms") as? [String: any Sendable] {
                    let flags = [
                        ("project", "--keyversion-project"), ("location", "--keyversion-location"),
                        ("keyring", "--keyversion-keyring"), ("key", "--keyversion-key"), ("version", "--keyversion"),
                        ("algorithm", "--keyversion-algorithm"),
                    ]
                    for (field, flag) in flags { if let value = kms[field] as? String { arguments += [flag, value] } }
                    if let pem = kms["pem"] as? String {
                        arguments += ["--keyversion-public-key-file", try dir.write("kms.pem", pem)]
                    }
                }
                if let comment = item.string("comment") { arguments += option("--comment", comment) }
                if let id = item.string("idOverride") { arguments += option("--public-key-id-override", id) }
            case "public-keys-update":
                arguments = ["attestors", "public-keys", "update", item.string("keyId") ?? ""]
                if let key = item.bytes("pgpPublicKey") {
                    arguments += ["--pgp-public-key-file", try dir.write("key.asc", key)]
                }
                if let comment = item.string("comment") { arguments += option("--comment", comment) }
            case "public-keys-remove":
                arguments = ["attestors", "public-keys", "remove", item.string("keyId") ?? ""]
            default:
                Issue.record("unknown op \(op)")
            }
            return arguments + ["--attestor-file", try attestorFile(item.object("attestor"))]
        }

        /// What the service stores after gcloud's PUT: the body, with the ids the service assigns (the added key's id
        /// is in what gcloud printed, `id: …`).
        static func stored(_ item: GcloudCommandCase) -> [String: Any]? {
            guard var body = item.body as? [String: Any] else { return nil }
            let printed = (item.expected["stdout"] as? String ?? "").split(separator: "\n")
                .first { $0.hasPrefix("id: ") }.map { String($0.dropFirst(4)) }
            guard var note = body["userOwnedGrafeasNote"] as? [String: Any],
                var keys = note["publicKeys"] as? [[String: Any]]
            else { return body }
            for index in keys.indices where (keys[index]["id"] as? String ?? "").isEmpty {
                if let printed { keys[index]["id"] = printed }
            }
            note["publicKeys"] = keys
            body["userOwnedGrafeasNote"] = note
            return body
        }

        @Test("Each gcloud run: the same output or attestor, or a failure where gcloud fails", arguments: cases)
        func editCase(_ item: GcloudCommandCase) throws {
            try Self.check(item)
        }

        /// Runs binauthz for the case and compares with what gcloud did.
        static func check(_ item: GcloudCommandCase) throws {
            let dir = try TemporaryDirectory()
            let result = try Subprocess.binauthz(try Self.arguments(item, in: dir))
            let op = item.string("op") ?? ""
            let gcloudOK = item.exitCode == 0 && !item.crash
            if Self.acceptedByBinauthz.contains(item.name) {
                #expect(result.status == 0, "\(result)")
                return
            }
            if item.name == "update-pgp" {
                // gcloud crashes (StopIteration) after the service stored the new key under its own fingerprint.
                #expect(result.status == 0, "\(result)")
                #expect(result.stderrText.contains("warning: the key's id changes from"), "\(result)")
                return
            }
            if gcloudOK, !Self.fits(item) {
                #expect(result.status == 1, "\(result)")
                #expect(result.stderrText.contains("key"), "\(result)")
                return
            }
            if gcloudOK, Self.refusedByBinauthz.contains(item.name) {
                #expect(result.status == 1, "\(result)")
                #expect(
                    result.stderrText.contains("RFC 3986 URI") || result.stderrText.contains("key.pem"), "\(result)")
                return
            }
            guard gcloudOK else {
                #expect(result.status != 0, "gcloud: \(item.errorMessage ?? "ok")\n\(result)")
                #expect(result.stdout.isEmpty, "\(result)")
                if let message = item.errorMessage, !item.crash, !message.contains("(fake server)"),
                    !message.hasPrefix("argument "), !message.hasPrefix("Exactly one of")
                {
                    #expect(result.stderrText.contains(message), "gcloud: \(message)\n\(result)")
                }
                return
            }
            #expect(result.status == 0, "gcloud: \(item.expected["stdout"] ?? "")\n\(result)")
            switch op {
            case "attestors-describe", "attestors-list":
                #expect(result.stdoutText == item.expected["stdout"] as? String, "\(result)")
                if op == "attestors-list", result.stdout.isEmpty {
                    #expect(result.stderrText.contains("Listed 0 items."))
                }
            default:
                let written = try JSONSerialization.jsonObject(with: Data(result.stdout))
                #expect(jsonEqual(written, Self.stored(item)), "gcloud stored: \(Self.stored(item) ?? [:])\n\(result)")
            }
        }

        @Test(
            "Random attestors and edits: binauthz prints and stores what gcloud's own commands print and PUT",
            .enabled(if: GcloudTool.unavailableReason == nil, "gcloud is not installed; the live comparison is skipped")
        )
        func liveOracle() throws {
            var random = SplitMix(seed: UInt64(Date().timeIntervalSince1970) & 0xFFFF)
            let texts = [
                "yes", "no", "1:30", "~", "null", "0777", "1e3", "multi\nline", "  leading", "trailing  ", "a: b",
                "#hash",
                "'quoted'", "\"dq\"", "été 😀", "-dash", "[list]", "{map}", "@at", "%pct", "tab\there", "",
                String(repeating: "word ", count: 30), "ends with newline\n", "ünïcode ünïcode ünïcode",
            ]
            let vectors = "kritis/pkg/attestlib/testvectors/"
            let keys: [(pem: String, algorithm: String)] = [
                (try Fixtures.corpusText(vectors + "ec256PubKey.pem"), "ecdsa-p256-sha256"),
                (try Fixtures.corpusText(vectors + "ec384PubKey.pem"), "ec-sign-p384-sha384"),
                (try Fixtures.corpusText(vectors + "ec521PubKey.pem"), "ecdsa-p521-sha512"),
                (try Fixtures.text("gcloud-parity/attestor-edit/keys/rsa2048.pem"), "rsa-sign-pkcs1-2048-sha256"),
            ]
            func json(_ value: Any) -> String {
                String(
                    decoding: try! JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]), as: UTF8.self)
            }
            var requests: [[String: String]] = []
            for n in 0..<100 {
                var publicKeys: [[String: Any]] = []
                for k in 0..<Int(random.next() % 3) {
                    let key = random.pick(keys)
                    var entry: [String: Any] = [
                        "id": "urn:key:\(n):\(k)",
                        "pkixPublicKey": [
                            "publicKeyPem": key.pem,
                            "signatureAlgorithm": key.algorithm.uppercased().replacingOccurrences(of: "-", with: "_"),
                        ],
                    ]
                    if random.next() % 2 == 0 { entry["comment"] = random.pick(texts) }
                    publicKeys.append(entry)
                }
                var attestor: [String: Any] = [
                    "name": "projects/p/attestors/a\(n)",
                    "userOwnedGrafeasNote": ["noteReference": "projects/p/notes/n\(n)", "publicKeys": publicKeys],
                ]
                if random.next() % 2 == 0 { attestor["description"] = random.pick(texts) }
                let text = json(attestor)
                switch random.next() % 5 {
                case 0: requests.append(["op": "attestors-describe", "attestor": text])
                case 1:
                    requests.append(["op": "attestors-update", "attestor": text, "description": random.pick(texts)])
                case 2 where !publicKeys.isEmpty:
                    requests.append([
                        "op": "public-keys-update", "attestor": text, "keyId": publicKeys[0]["id"] as! String,
                        "comment": random.pick(texts),
                    ])
                case 3 where !publicKeys.isEmpty:
                    requests.append([
                        "op": "public-keys-remove", "attestor": text, "keyId": random.pick(publicKeys)["id"] as! String,
                    ])
                default:
                    let key = random.pick(keys)
                    var request = [
                        "op": "public-keys-add", "attestor": text,
                        "pkixPublicKey": Data(key.pem.utf8).base64EncodedString(),
                        "pkixAlgorithm": key.algorithm, "comment": random.pick(texts),
                    ]
                    if random.next() % 2 == 0 { request["idOverride"] = "urn:new:\(n)" }
                    requests.append(request)
                }
            }
            let answers = try GcloudTool.batch(requests)
            #expect(answers.count == requests.count)
            for (n, (request, answer)) in zip(requests, answers).enumerated() {
                let item = GcloudCommandCase(
                    name: "live-\(random.seed)-\(n)", request: request.mapValues { $0 },
                    expected: answer.mapValues { sendable($0) })
                try Self.check(item)
            }
        }

        @Test(
            "An attestor file with an enum number (which apitools reads from the server) is refused, naming the field")
        func enumNumbers() throws {
            let dir = try TemporaryDirectory()
            let file = try dir.write(
                "a.json",
                #"{"name": "projects/p/attestors/a", "userOwnedGrafeasNote": {"noteReference": "projects/p/notes/n", "publicKeys": [{"id": "k", "pkixPublicKey": {"publicKeyPem": "x", "signatureAlgorithm": 13}}]}}"#
            )
            let result = try Subprocess.binauthz(["attestors", "describe", "--attestor-file", file])
            #expect(result.status == 1)
            #expect(
                result.stderrText.contains("publicKeys[0].pkixPublicKey.signatureAlgorithm: expected a string"),
                "\(result)")
        }

        @Test("The corpus covers every command, and every Cloud KMS algorithm gcloud knows")
        func coverage() {
            let ops = Set(Self.cases.compactMap { $0.string("op") })
            #expect(ops.count == 6)
            #expect(Self.cases.filter { $0.request["kms"] != nil }.count >= 39)
        }

        @Test(
            "Cloud KMS: --keyversion-* build gcloud's id, and every KMS algorithm maps (or fails) as gcloud's code maps it",
            .enabled(if: GcloudTool.unavailableReason == nil, "gcloud is not installed; the live comparison is skipped")
        )
        func kmsLive() throws {
            let names =
                try GcloudTool.batch([
                    [
                        "op": "enum-values", "api": "cloudkms", "version": "v1", "message": "CryptoKeyVersion",
                        "enum": "AlgorithmValueValuesEnum",
                    ]
                ])[0]["names"] as? [String] ?? []
            #expect(names.count >= 39)
            let pem = try Fixtures.text("gcloud-parity/attestor-edit/keys/rsa2048.pem")
            let attestor =
                #"{"name": "projects/p/attestors/a", "userOwnedGrafeasNote": {"noteReference": "projects/p/notes/n"}}"#
            let requests = names.map { name in
                [
                    "op": "public-keys-add", "attestor": attestor,
                    "kms":
                        #"{"project": "kp", "location": "global", "keyring": "r", "key": "k", "version": "3", "algorithm": "\#(name)", "pem": \#(String(decoding: try! JSONSerialization.data(withJSONObject: pem, options: [.fragmentsAllowed]), as: UTF8.self))}"#,
                ]
            }
            let answers = try GcloudTool.batch(requests)
            let dir = try TemporaryDirectory()
            let attestorFile = try dir.write("a.json", attestor)
            let pemFile = try dir.write("kms.pem", pem)
            for (name, answer) in zip(names, answers) {
                let result = try Subprocess.binauthz(
                    [
                        "attestors", "public-keys", "add", "--attestor-file", attestorFile, "--keyversion-project",
                        "kp",
                        "--keyversion-location", "global", "--keyversion-keyring", "r", "--keyversion-key", "k",
                        "--keyversion", "3", "--keyversion-public-key-file", pemFile, "--keyversion-algorithm", name,
                    ])
                if answer["exitCode"] as? Int == 0 {
                    let body = answer["body"] as? [String: Any]
                    let key = ((body?["userOwnedGrafeasNote"] as? [String: Any])?["publicKeys"] as? [[String: Any]])?
                        .first
                    let algorithm = (key?["pkixPublicKey"] as? [String: Any])?["signatureAlgorithm"] as? String ?? ""
                    // The RSA-2048 key fits only the 2048-bit RSA algorithms; binauthz refuses it for the others.
                    if algorithm.hasPrefix("RSA") && algorithm.contains("2048") {
                        #expect(result.status == 0, "\(name): \(result)")
                        #expect(
                            result.stdoutText.contains(#""signatureAlgorithm": "\#(algorithm)""#), "\(name): \(result)")
                        #expect(
                            result.stdoutText.contains(
                                #""id": "//cloudkms.googleapis.com/v1/projects/kp/locations/global/keyRings/r/cryptoKeys/k/cryptoKeyVersions/3""#
                            ))
                    } else {
                        #expect(result.status == 1, "\(name): \(result)")
                    }
                } else {
                    #expect(result.status == 1, "\(name): \(result)")
                    if let message = answer["errorMessage"] as? String, answer["crash"] as? Bool != true {
                        #expect(result.stderrText.contains(message), "\(name): \(result)")
                    }
                }
            }
        }

        @Test("Edits can be written back to the attestor file; errors name gcloud's texts")
        func inPlace() throws {
            let dir = try TemporaryDirectory()
            let file = try dir.write(
                "a.yaml", "name: projects/p/attestors/a\nuserOwnedGrafeasNote:\n  noteReference: projects/p/notes/n\n")
            let pem = Fixtures.url("gcloud-parity/attestor-edit/keys/rsa2048.pem").path
            var result = try Subprocess.binauthz(
                [
                    "attestors", "public-keys", "add", "--attestor-file", file, "--pkix-public-key-file", pem,
                    "--pkix-public-key-algorithm", "rsa-pss-2048-sha256", "--public-key-id-override", "urn:k:1",
                    "--comment", "ci", "--output", file, "--format", "yaml",
                ])
            #expect(result.status == 0, "\(result)")
            result = try Subprocess.binauthz(
                [
                    "attestors", "public-keys", "add", "--attestor-file", file, "--pkix-public-key-file", pem,
                    "--pkix-public-key-algorithm", "rsa-pss-2048-sha256", "--public-key-id-override", "urn:k:1",
                ])
            #expect(result.status == 1)
            #expect(
                result.stderrText.contains(
                    "Public key with ID [urn:k:1] already present on attestor [projects/p/attestors/a]"))
            result = try Subprocess.binauthz([
                "attestors", "update", "--attestor-file", file, "--description", "d", "--output", file,
            ])
            #expect(result.status == 0, "\(result)")
            result = try Subprocess.binauthz([
                "attestors", "public-keys", "update", "urn:k:1", "--attestor-file", file, "--comment", "new",
            ])
            #expect(result.stdoutText.contains(#""comment": "new""#), "\(result)")
            #expect(result.stdoutText.contains(#""description": "d""#), "\(result)")
            result = try Subprocess.binauthz(["attestors", "public-keys", "remove", "urn:k:2", "--attestor-file", file])
            #expect(result.status == 1)
            #expect(result.stderrText.contains("No matching public key found on attestor [projects/p/attestors/a]"))
            result = try Subprocess.binauthz(["attestors", "public-keys", "remove", "urn:k:1", "--attestor-file", file])
            #expect(result.status == 0)
            #expect(!result.stdoutText.contains("publicKeys"), "\(result)")
            result = try Subprocess.binauthz(
                [
                    "attestors", "public-keys", "add", "--attestor-file", file,
                    "--pgp-public-key-file", Fixtures.corpus("seed-article/set-a/generated-key.pgp").path,
                    "--public-key-id-override", "x",
                ])
            #expect(result.status == 1)
            #expect(result.stderrText.contains("--public-key-id-override may not be used with old-style PGP keys"))
        }
    }
}
