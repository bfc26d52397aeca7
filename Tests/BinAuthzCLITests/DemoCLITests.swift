// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

extension CommandLineTests {
    @Suite("binauthz demo")
    struct DemoCLITests {
        static func workingDirectory(_ output: String) -> String? {
            output.split(separator: "\n").first { $0.hasPrefix("Working directory: ") }
                .map { String($0.dropFirst("Working directory: ".count)) }
        }

        @Test("The seed article's story runs, every step checks out, and the temporary directory is removed")
        func demoRuns() throws {
            let result = try Subprocess.binauthz(["demo"])
            #expect(result.status == 0, "\(result)")
            let out = result.stdoutText
            #expect(out.hasSuffix("Every step behaved as the article describes.\n"))
            #expect(!out.contains("✘"))
            #expect(
                out.contains(
                    "denied by attestor projects/nmallyatestproject/attestors/manually-verified: No attestations found that were valid and signed by a key trusted by the attestor"
                ))
            #expect(out.contains("admitted by allowlist:k8s.gcr.io/*"))
            #expect(out.contains("imagepolicywebhook.image-policy.k8s.io/break-glass: true"))
            let dir = try #require(Self.workingDirectory(out))
            #expect(!FileManager.default.fileExists(atPath: dir))
        }

        @Test("--keep-files keeps the artifacts, but no secret key is among them")
        func keepFiles() throws {
            let result = try Subprocess.binauthz(["demo", "--keep-files"])
            #expect(result.status == 0, "\(result)")
            let dir = try #require(Self.workingDirectory(result.stdoutText))
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let files = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
            #expect(
                files == [
                    "attestor-public.asc", "attestor.yaml", "generated_payload.json", "note.json", "occurrence.json",
                    "sec-policy.yml",
                ])
            for file in files {
                let text = try String(contentsOfFile: dir + "/" + file, encoding: .utf8)
                #expect(!text.contains("PRIVATE KEY"), "\(file)")
            }
            // The files are what the real commands read.
            let validate = try Subprocess.binauthz(
                [
                    "attestations", "validate", "--attestor-file", dir + "/attestor.yaml", "--attestation-file",
                    dir + "/occurrence.json",
                ])
            #expect(validate.status == 0, "\(validate)")
            let policy = try Subprocess.binauthz(["policy", "validate", "--policy-file", dir + "/sec-policy.yml"])
            #expect(policy.status == 0, "\(policy)")
        }
    }
}
