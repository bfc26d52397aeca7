// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

@testable import BinAuthzPGP

extension PGPTests {
    /// Replays Tests/Fixtures/pgp-regressions: inputs on which the two verifiers once disagreed.
    @Suite("Native verifier regression cases")
    struct NativeRegressionTests {
        static let directory = Fixtures.url("pgp-regressions")

        static var cases: [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
                .filter {
                    FileManager.default.fileExists(atPath: directory.appendingPathComponent($0 + "/case.json").path)
                }
                .sorted()
        }

        struct Case: Decodable {
            var note: String
            var times: [Int]
            var expected: String
        }

        @Test("every recorded disagreement is now an agreement, with GPGME's recorded result", arguments: cases)
        func replay(name: String) throws {
            let folder = Self.directory.appendingPathComponent(name)
            let description = try JSONDecoder().decode(
                Case.self, from: Data(contentsOf: folder.appendingPathComponent("case.json")))
            var keys: [[UInt8]] = []
            while let data = FileManager.default.contents(
                atPath: folder.appendingPathComponent("key\(keys.count).pgp").path)
            {
                keys.append([UInt8](data))
            }
            let pair = NativeDifferential(keys: keys)
            defer { pair.close() }
            if description.expected == "keys:accepted" {
                // Keys GnuPG imports: the native verifier must import them too, or leave them to GPGME.
                #expect(throws: Never.self) { try pair.gpgme.get() }
                if case .disagreed(let detail) = pair.keysAgreement { Issue.record("\(name): \(detail)") }
                return
            }
            if description.expected.hasPrefix("keys:") {
                guard case .failure(let error) = pair.gpgme else {
                    Issue.record("GPGME accepted the keys of \(name)")
                    return
                }
                #expect("keys:\(error.code)" == description.expected)
                // Refusing them with GPGME's code, or leaving them to GPGME, are both right.
                switch pair.keysAgreement {
                case .agreed, .fellBack: break
                case .disagreed(let detail): Issue.record("\(name): \(detail) — \(description.note)")
                }
                return
            }
            let message = [UInt8](try Data(contentsOf: folder.appendingPathComponent("message.pgp")))
            let times = description.times.map { Date(timeIntervalSince1970: TimeInterval($0)) }
            for agreement in pair.compare(message, at: times, label: name) {
                // Agreeing, or leaving the input to GPGME, are both right; deciding differently is the bug.
                if case .disagreed = agreement { Issue.record("\(name): \(agreement) — \(description.note)") }
            }
            let keyring = try pair.gpgme.get()
            for time in times {
                let result = try keyring.verifyAttached(message, at: time)
                #expect(NativeDifferential.summary(result).hasPrefix(description.expected), "\(result)")
            }
        }
    }
}
