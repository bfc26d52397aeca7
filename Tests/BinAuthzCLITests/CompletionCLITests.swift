// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

extension CommandLineTests {
    /// Shell completion: every flag that takes a file or directory completes file names.
    @Suite("binauthz --generate-completion-script")
    struct CompletionCLITests {
        static let fileFlags = [
            "--policy-file", "--attestor-file", "--attestation-file", "--resource", "--system-policy-file",
            "--image-metadata-file", "--vulnerability-file", "--sigstore-signature-file", "--provenance-file",
            "--builder-key-file", "--signing-key", "--output-file", "--oci-layout", "--pkix-private-key-file",
            "--pgp-private-key-file", "--public-key-file", "--private-key-file", "--payload-file", "--signature-file",
        ]

        @Test("bash: each file flag completes with file names, everywhere it appears; the script parses")
        func bash() throws {
            let result = try Subprocess.binauthz(["--generate-completion-script", "bash"])
            #expect(result.status == 0, "\(result)")
            let lines = result.stdoutText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for flag in Self.fileFlags {
                let cases = lines.indices.filter { lines[$0].trimmingCharacters(in: .whitespaces) == "'\(flag)')" }
                #expect(!cases.isEmpty, "\(flag) has no value completion")
                for index in cases {
                    #expect(lines[index + 1].contains("__binauthz_add_completions -f"), "\(flag): \(lines[index + 1])")
                }
            }
            let dir = try TemporaryDirectory()
            let script = try dir.write("binauthz.bash", result.stdout)
            let check = try Subprocess.run("/bin/bash", ["-n", script])
            #expect(check.status == 0, "\(check)")
        }

        @Test("zsh and fish scripts offer files for the file flags")
        func zshAndFish() throws {
            let zsh = try Subprocess.binauthz(["--generate-completion-script", "zsh"])
            #expect(zsh.status == 0)
            #expect(zsh.stdoutText.contains(":policy-file:_files'"), "\(zsh.stdoutText.prefix(400))")
            #expect(zsh.stdoutText.contains(":resource:_files'"))
            let fish = try Subprocess.binauthz(["--generate-completion-script", "fish"])
            #expect(fish.status == 0)
            let policyLines = fish.stdoutText.split(separator: "\n").filter { $0.contains("-l 'policy-file'") }
            #expect(!policyLines.isEmpty && policyLines.allSatisfy { $0.hasSuffix("-rF") }, "\(policyLines)")
        }
    }
}
