// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import BinAuthzTestSupport
import Foundation
import Testing

/// Keeps README.md and Docs/*.md honest: no stale command or snippet.
///
/// - `sh` blocks run, in order, in a fresh directory per document (seeded from `Tests/Fixtures/docs/sandbox`) with the
///   built `binauthz` first on `PATH`, under `bash -euo pipefail`.
/// - `sh online` blocks need the network or root (apt-get, gcloud uploads); every `binauthz` invocation in them must
///   name an existing command and only flags that command has.
/// - The CI configurations' "(binauthz)" steps run with a real PGP key in `BINAUTH_PRIVATE_KEY`.
/// - `swift` blocks, here and in the DocC catalogs' articles, must appear verbatim in
///   `Tests/BinAuthzTests/DocumentationExamples.swift` or `DocCExamples.swift` (where they compile and run);
///   `swift manifest` blocks must name products the package has.
extension CommandLineTests {
    @Suite("Documentation: every command and snippet works")
    struct DocumentationTests {
        struct Block: Sendable, CustomTestStringConvertible {
            var document: String
            var info: String
            var text: String
            var line: Int
            var testDescription: String { "\(document):\(line) (\(info))" }
        }

        static let documents: [String] = {
            let docs = (try? FileManager.default.contentsOfDirectory(atPath: Fixtures.packageRoot.path + "/Docs")) ?? []
            return ["README.md"] + docs.filter { $0.hasSuffix(".md") }.sorted().map { "Docs/" + $0 }
        }()

        static func blocks(in document: String) -> [Block] {
            let text = (try? String(contentsOfFile: Fixtures.packageRoot.path + "/" + document, encoding: .utf8)) ?? ""
            var blocks: [Block] = []
            var current: (info: String, lines: [String], line: Int)?
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                if line.hasPrefix("```") {
                    if let block = current {
                        blocks.append(
                            Block(
                                document: document, info: block.info, text: block.lines.joined(separator: "\n"),
                                line: block.line))
                        current = nil
                    } else {
                        current = (String(line.dropFirst(3)).trimmingCharacters(in: .whitespaces), [], number + 1)
                    }
                } else if current != nil {
                    current!.lines.append(String(line))
                }
            }
            return blocks
        }

        static let allBlocks: [Block] = documents.flatMap(blocks(in:))

        @Test("The documents exist and have examples")
        func inventory() {
            #expect(Self.documents.contains("Docs/GettingStarted.md"))
            #expect(Self.documents.contains("Docs/CIIntegration.md"))
            #expect(Self.allBlocks.contains { $0.info == "sh" })
            #expect(Self.allBlocks.contains { $0.info == "swift" })
            let known = ["sh", "sh online", "swift", "swift manifest", "yaml", "text"]
            for block in Self.allBlocks {
                #expect(known.contains(block.info), "\(block.testDescription): unknown fence info; use one of \(known)")
            }
        }

        @Test("Shell blocks run as written", arguments: documents)
        func shellBlocks(document: String) throws {
            let blocks = Self.blocks(in: document).filter { $0.info == "sh" }
            guard !blocks.isEmpty else { return }
            let sandbox = try Self.sandbox()
            for block in blocks {
                let result = try Self.bash(block.text, in: sandbox.path)
                #expect(result.status == 0, "\(block.testDescription)\n\(block.text)\n\(result)")
            }
        }

        @Test("binauthz invocations in `sh online` blocks name real commands and flags")
        func onlineBlocks() throws {
            for block in Self.allBlocks where block.info == "sh online" || block.info == "yaml" {
                for invocation in Self.binauthzInvocations(in: block.text) {
                    let (path, flags) = Self.commandPath(invocation)
                    let help = try Subprocess.binauthz(path + ["--help"])
                    #expect(
                        help.status == 0,
                        "\(block.testDescription): binauthz \(path.joined(separator: " ")) is not a command")
                    for flag in flags {
                        #expect(
                            help.stdoutText.contains(flag),
                            "\(block.testDescription): binauthz \(path.joined(separator: " ")) has no \(flag)")
                    }
                }
            }
        }

        @Test(
            "The CI configurations' binauthz steps sign and validate with a real key",
            .enabled(if: GnuPGHome.unavailableReason == nil, "needs the gpg command-line tool"))
        func ciConfigurations() throws {
            let configs = Self.allBlocks.filter { $0.document == "Docs/CIIntegration.md" && $0.info == "yaml" }
            #expect(configs.count == 2)
            let gpg = try GnuPGHome()
            defer { gpg.close() }
            let fingerprint = try gpg.generateKey(userID: "CI <ci@example.com>")
            let secret = Data(try gpg.exportSecretKey(fingerprint)).base64EncodedString()
            let publicKey = try gpg.exportPublicKey(fingerprint)
            for config in configs {
                let tree = try YAMLTreeLoader.parse(config.text)
                let steps = Self.steps(in: tree).filter { $0.name.contains("(binauthz)") }
                #expect(steps.count == 1, "\(config.testDescription)")
                for step in steps {
                    // CircleCI: the job's environment; GitHub Actions: the workflow's.
                    let environment = Self.stringMap(tree, path: ["jobs", step.job, "environment"])
                        .merging(Self.stringMap(tree, path: ["env"])) { a, _ in a }
                    let sandbox = try TemporaryDirectory()
                    for directory in ["binauthz", "bin"] {
                        try FileManager.default.createDirectory(
                            atPath: sandbox.file(directory), withIntermediateDirectories: true)
                    }
                    // Where the build job leaves it (the workspace or the downloaded artifact).
                    try FileManager.default.createSymbolicLink(
                        atPath: sandbox.file("bin/binauthz"), withDestinationPath: Subprocess.binauthzExecutable)
                    try sandbox.write("attestor-public.asc", publicKey)
                    let project = environment["PROJECT"] ?? ""
                    let attestor = try Subprocess.binauthz(
                        [
                            "attestors", "create", "--attestor", "projects/\(project)/attestors/built-by-ci",
                            "--note", "projects/\(project)/notes/built-by-ci", "--pgp-public-key-file",
                            sandbox.file("attestor-public.asc"),
                            "--format", "yaml",
                        ])
                    try sandbox.write("binauthz/attestor.yaml", attestor.stdout)
                    try sandbox.write("digest.txt", "sha256:" + String(repeating: "5", count: 64) + "\n")
                    let result = try Self.bash(
                        step.script, in: sandbox.path,
                        environment: environment.merging(["BINAUTH_PRIVATE_KEY": secret]) { $1 })
                    #expect(result.status == 0, "\(config.testDescription) step \(step.name)\n\(result)")
                    let occurrence = try String(contentsOfFile: sandbox.file("occurrence.json"), encoding: .utf8)
                    #expect(occurrence.contains("\"publicKeyId\": \"\(fingerprint)\""))
                }
            }
        }

        /// The articles of the DocC catalogs, `Sources/MODULE/MODULE.docc/*.md`.
        static let doccDocuments: [String] = {
            let sources = Fixtures.packageRoot.path + "/Sources"
            let modules = (try? FileManager.default.contentsOfDirectory(atPath: sources)) ?? []
            return modules.sorted().flatMap { module -> [String] in
                let catalog = "Sources/\(module)/\(module).docc"
                let files =
                    (try? FileManager.default.contentsOfDirectory(atPath: Fixtures.packageRoot.path + "/" + catalog))
                return (files ?? []).filter { $0.hasSuffix(".md") }.sorted().map { catalog + "/" + $0 }
            }
        }()

        @Test("Swift blocks of Docs/ and of the DocC catalogs are compiled and run by the example tests")
        func swiftBlocks() throws {
            var normalizedExamples: [String: String] = [:]
            for file in ["DocumentationExamples.swift", "DocCExamples.swift"] {
                normalizedExamples[file] = Self.normalize(
                    try String(
                        contentsOfFile: Fixtures.packageRoot.path + "/Tests/BinAuthzTests/" + file, encoding: .utf8))
            }
            let doccBlocks = Self.doccDocuments.flatMap(Self.blocks(in:)).filter { $0.info == "swift" }
            #expect(Self.doccDocuments.count >= 8 && doccBlocks.count >= 14, "\(Self.doccDocuments)")
            for block in Self.allBlocks + doccBlocks where block.info == "swift" {
                #expect(
                    normalizedExamples.values.contains { $0.contains(Self.normalize(block.text)) },
                    "\(block.testDescription) is not in Tests/BinAuthzTests/DocumentationExamples.swift or DocCExamples.swift"
                )
            }
            let manifest = try String(contentsOfFile: Fixtures.packageRoot.path + "/Package.swift", encoding: .utf8)
            for block in Self.allBlocks where block.info == "swift manifest" {
                for product in Self.productNames(in: block.text) {
                    #expect(
                        manifest.contains(".library(name: \"\(product)\""),
                        "\(block.testDescription): no product \(product)")
                }
            }
        }

        // MARK: Helpers

        static func sandbox() throws -> TemporaryDirectory {
            let dir = try TemporaryDirectory()
            let seed = Fixtures.url("docs/sandbox").path
            for item in try FileManager.default.contentsOfDirectory(atPath: seed) {
                try FileManager.default.copyItem(atPath: seed + "/" + item, toPath: dir.file(item))
            }
            return dir
        }

        static func bash(_ script: String, in directory: String, environment: [String: String] = [:]) throws
            -> CommandResult
        {
            let bin = URL(fileURLWithPath: Subprocess.binauthzExecutable).deletingLastPathComponent().path
            var env = environment
            env["PATH"] = bin + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
            return try Subprocess.run(
                "/bin/bash", ["-euo", "pipefail", "-c", script], environment: env, currentDirectory: directory)
        }

        /// The argument lists of `binauthz …` invocations, with `\` continuations joined.
        static func binauthzInvocations(in text: String) -> [[String]] {
            let joined = text.replacingOccurrences(of: "\\\n", with: " ")
            var result: [[String]] = []
            for line in joined.split(separator: "\n") {
                var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                // `binauthz` (or `bin/binauthz`, as the CI recipes run it) as a command, not as the gcloud command
                // group (`gcloud container binauthz …`).
                guard
                    let start = words.indices.first(where: {
                        (words[$0] == "binauthz" || words[$0] == "bin/binauthz")
                            && ($0 == 0 || words[$0 - 1] != "container")
                    })
                else { continue }
                words = Array(words[(start + 1)...])
                if let end = words.firstIndex(where: { ["|", ">", "&&", "||", ";", "2>/dev/null"].contains($0) }) {
                    words = Array(words[..<end])
                }
                if !words.isEmpty { result.append(words) }
            }
            return result
        }

        /// Splits `attestors create --attestor X` into the command path and the flags used.
        static func commandPath(_ words: [String]) -> ([String], [String]) {
            var path: [String] = []
            for word in words {
                guard !word.hasPrefix("-"), path.count < 2, word.allSatisfy({ $0.isLowercase || $0 == "-" }) else {
                    break
                }
                path.append(word)
            }
            let flags = words.filter { $0.hasPrefix("--") }.map { String($0.split(separator: "=")[0]) }
            return (path, flags)
        }

        static func normalize(_ text: String) -> String {
            text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && !$0.hasPrefix("import ") }.joined(separator: "\n")
        }

        static func productNames(in text: String) -> [String] {
            text.components(separatedBy: ".product(name: \"").dropFirst().compactMap {
                $0.split(separator: "\"").first.map(String.init)
            }
        }

        static func node(_ tree: TreeNode, _ path: [String]) -> TreeNode? {
            var node = tree
            for key in path {
                guard case .map(let entries) = node.value, let next = entries.first(where: { $0.key == key })?.value
                else { return nil }
                node = next
            }
            return node
        }

        static func stringMap(_ tree: TreeNode, path: [String]) -> [String: String] {
            guard let node = node(tree, path), case .map(let entries) = node.value else { return [:] }
            var result: [String: String] = [:]
            for entry in entries { if case .string(let value) = entry.value.value { result[entry.key] = value } }
            return result
        }

        /// Named steps of a CircleCI (`run: {name, command}`) or GitHub Actions (`name`, `run`) configuration.
        static func steps(in tree: TreeNode) -> [(job: String, name: String, script: String)] {
            guard let jobs = node(tree, ["jobs"]), case .map(let jobEntries) = jobs.value else { return [] }
            var result: [(String, String, String)] = []
            for job in jobEntries {
                guard let steps = node(job.value, ["steps"]), case .list(let items) = steps.value else { continue }
                for item in items {
                    guard case .map(let fields) = item.value else { continue }
                    let dict = Dictionary(fields.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
                    if let run = dict["run"], case .map = run.value {
                        let runFields = stringMap(run, path: [])
                        if let name = runFields["name"], let command = runFields["command"] {
                            result.append((job.key, name, command))
                        }
                    } else if let run = dict["run"], case .string(let script) = run.value,
                        let nameNode = dict["name"], case .string(let name) = nameNode.value
                    {
                        result.append((job.key, name, script))
                    }
                }
            }
            return result
        }
    }
}
