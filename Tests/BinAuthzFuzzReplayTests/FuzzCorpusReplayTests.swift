// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing
import _BinAuthzFuzzTargets

/// Every input in `Tests/Fixtures/fuzz-regressions/<target>/` — each one that ever crashed, hung or broke an
/// invariant, plus minimized seeds — through the fuzz entry point it was found with, on a 128 KiB stack, without
/// libFuzzer. A regression crashes the test run.
@Suite("Fuzzing regression corpus, replayed")
struct FuzzCorpusReplayTests {
    static let root = Fixtures.url("fuzz-regressions")

    struct Input: Sendable, CustomTestStringConvertible {
        var target: String
        var file: String
        var testDescription: String { "\(target)/\(file)" }
    }

    static let inputs: [Input] = {
        var result: [Input] = []
        for target in FuzzTarget.allCases {
            let directory = root.appendingPathComponent(target.rawValue).path
            let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for file in files.sorted() where !file.hasPrefix(".") && file != "README.md" {
                result.append(Input(target: target.rawValue, file: file))
            }
        }
        return result
    }()

    @Test("Every target has a corpus")
    func everyTargetHasACorpus() {
        for target in FuzzTarget.allCases {
            #expect(Self.inputs.contains { $0.target == target.rawValue }, "no corpus for \(target.rawValue)")
        }
    }

    @Test("Each input runs to its end", arguments: inputs)
    func replay(_ input: Input) throws {
        let target = try #require(FuzzTarget(rawValue: input.target))
        let bytes = [UInt8](try Data(contentsOf: Self.root.appendingPathComponent("\(input.target)/\(input.file)")))
        target.run(bytes, stackSize: SmallStack.bytes)
    }
}
