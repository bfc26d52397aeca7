// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

extension CommandLineTests {
    @Suite("binauthz create-signature-payload")
    struct PayloadCLITests {
        static let digest = "sha256:a46ab6b21371e1e3250d3b512b38aa2727ad61a2fc1ab2d2c135589d315c7442"
        static let seedURL = "gcr.io/nmallyatestproject/containerdemo@\(digest)"

        @Test("prints exactly the seed article's 301-byte payload; exit 0, nothing on stderr")
        func seedPayload() throws {
            let expected = try Fixtures.corpusData("seed-article/set-a/generated_payload.json")
            for arguments in [
                ["create-signature-payload", "--artifact-url", Self.seedURL],
                ["create-signature-payload", "--artifact-url=https://\(Self.seedURL)"],
                [
                    "create-signature-payload", "--artifact-url",
                    "gcr.io/nmallyatestproject/containerdemo:v1@\(Self.digest)",
                ],
            ] {
                let result = try Subprocess.binauthz(arguments)
                #expect(result.status == 0, "\(result)")
                #expect(result.stdout == expected)
                #expect(result.stderr.isEmpty)
            }
        }

        @Test(
            "a URL gcloud rejects: exit 1, nothing on stdout, one line on stderr with gcloud's reason",
            arguments: [
                ("gcr.io/p/app:latest", "Docker image name must be fully qualified"),
                (
                    "ubuntu@sha256:a46ab6b21371e1e3250d3b512b38aa2727ad61a2fc1ab2d2c135589d315c7442",
                    "A Docker registry domain must be specified."
                ),
                (
                    "localhost:5000/app@sha256:a46ab6b21371e1e3250d3b512b38aa2727ad61a2fc1ab2d2c135589d315c7442",
                    "does not have a host component"
                ),
                ("gcr.io/p/app@sha256:abc", "Invalid digest: sha256:abc, must be at least 71 characters"),
            ])
        func badURL(url: String, reason: String) throws {
            let result = try Subprocess.binauthz(["create-signature-payload", "--artifact-url", url])
            #expect(result.status == 1, "\(result)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderrText.hasPrefix("binauthz: invalid artifact URL '\(url)': "))
            #expect(result.stderrText.contains(reason))
            #expect(result.stderrText.filter { $0 == "\n" }.count == 1)
        }

        @Test("a missing --artifact-url is a usage error (exit 64)")
        func missingFlag() throws {
            let result = try Subprocess.binauthz(["create-signature-payload"])
            #expect(result.status == 64, "\(result)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderrText.contains("--artifact-url"))
        }

        @Test("--help documents the command")
        func help() throws {
            let result = try Subprocess.binauthz(["create-signature-payload", "--help"])
            #expect(result.status == 0)
            #expect(result.stdoutText.contains("--artifact-url"))
            #expect(result.stdoutText.hasPrefix("OVERVIEW: Print the signature payload for an image"))
        }

        @Test(
            "the output equals gcloud's for the same URL",
            .enabled(if: Subprocess.which("gcloud") != nil, "gcloud is not installed; skipping"))
        func sameAsGcloud() throws {
            let config = try TemporaryDirectory(prefix: "gcloud-config")
            let token = try config.write("token", "offline\n")
            let url = "https://us-central1-docker.pkg.dev/proj/repo/team/app:1.0@\(Self.digest)"
            let gcloud = try Subprocess.run(
                "gcloud",
                [
                    "--access-token-file=\(token)", "--account=x@example.com", "--verbosity=error", "container",
                    "binauthz",
                    "create-signature-payload", "--artifact-url=\(url)",
                ],
                environment: ["CLOUDSDK_CONFIG": config.path, "CLOUDSDK_CORE_DISABLE_PROMPTS": "1"])
            let ours = try Subprocess.binauthz(["create-signature-payload", "--artifact-url", url])
            #expect(gcloud.status == 0, "\(gcloud)")
            #expect(ours.stdout == gcloud.stdout)
        }
    }
}
