// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

@testable import BinAuthzModel

/// `ImageReference` against the distribution/reference test tables
/// (Tests/Fixtures/corpora/distribution-reference/reference_cases.json).
///
/// Deliberately skipped: rows that expect `ErrDigestUnsupported` for `sha512` — the upstream test binary links only
/// sha256, while this library accepts sha256, sha384 and sha512 digests (as go-digest does when those hashes are
/// linked). Those rows are checked to parse successfully instead.
@Suite("ImageReference: distribution/reference grammar")
struct ImageReferenceTests {
    nonisolated(unsafe) static let corpus: [String: Any] = {
        (try? Fixtures.corpusJSON("distribution-reference/reference_cases.json")) as? [String: Any] ?? [:]
    }()

    static func rows(_ key: String) -> [[String: Any]] { corpus[key] as? [[String: Any]] ?? [] }

    static func isSHA512Unsupported(_ row: [String: Any]) -> Bool {
        let input = row["input"] as? String ?? ""
        return input.contains("@sha512:")
    }

    @Test("Parse: every upstream row (repository, domain, path, tag, digest or the error)")
    func parseTable() throws {
        let rows = Self.rows("Parse")
        #expect(rows.count == 48)
        for row in rows {
            let input = row["input"] as! String
            if let error = row["error"] as? [String: Any] {
                if Self.isSHA512Unsupported(row) {
                    #expect((try? ImageReference(input)) != nil, "sha512 is supported here: \(input)")
                    continue
                }
                let message = error["message"] as! String
                #expect {
                    try ImageReference(input)
                } throws: { thrown in
                    (thrown as? ModelError)?.message.hasPrefix(message) == true
                }
                continue
            }
            let ref = try ImageReference(input)
            #expect(ref.repository == row["repository"] as? String, "\(input)")
            #expect((ref.registry ?? "") == row["domain"] as? String, "\(input)")
            #expect(ref.path == row["path"] as? String, "\(input)")
            #expect(ref.tag == row["tag"] as? String, "\(input)")
            #expect(ref.digest == row["digest"] as? String, "\(input)")
            #expect(ref.description == row["string"] as? String, "\(input)")
        }
    }

    @Test("Computed ground truth: Parse and ParseNormalizedNamed for 183 inputs")
    func computedTable() throws {
        let rows = Self.rows("computed")
        #expect(rows.count == 183)
        for row in rows {
            let input = row["input"] as! String
            check(input: input, expected: row["parse"] as! [String: Any]) { try ImageReference($0) }
            check(input: input, expected: row["parseNormalizedNamed"] as! [String: Any]) {
                try ImageReferenceParser.parseNormalized($0)
            }
        }
    }

    private func check(input: String, expected: [String: Any], _ parse: (String) throws -> ImageReference) {
        if let error = expected["error"] as? String {
            if error == "digest.ErrDigestUnsupported" && input.contains("@sha512:") { return }
            let message = expected["message"] as? String ?? ""
            do {
                let ref = try parse(input)
                Issue.record("\(input): expected \(error), parsed \(ref)")
            } catch let thrown as ModelError {
                #expect(thrown.message.hasPrefix(message), "\(input): \(thrown.message) vs \(message)")
            } catch {
                Issue.record("\(input): unexpected \(error)")
            }
            return
        }
        do {
            let ref = try parse(input)
            #expect((ref.registry ?? "") == expected["domain"] as? String, "\(input)")
            #expect(ref.path == expected["path"] as? String, "\(input)")
            #expect(ref.repository == expected["name"] as? String, "\(input)")
            #expect(ref.description == expected["string"] as? String, "\(input)")
            #expect(ref.tag == expected["tag"] as? String, "\(input)")
            #expect(ref.digest == expected["digest"] as? String, "\(input)")
        } catch {
            Issue.record("\(input): \(error)")
        }
    }

    @Test("ParseNormalizedNamed accept and reject lists")
    func normalizedLists() throws {
        for name in (Self.corpus["ParseNormalizedNamed_validNames"] as! [String])
            + (Self.corpus["ParseNormalizedNamed_validRepositoryNames"] as! [String])
        {
            #expect((try? ImageReferenceParser.parseNormalized(name)) != nil, "\(name) should be valid")
        }
        for name in (Self.corpus["ParseNormalizedNamed_invalidNames"] as! [String])
            + (Self.corpus["ParseNormalizedNamed_invalidRepositoryNames"] as! [String])
        {
            #expect((try? ImageReferenceParser.parseNormalized(name)) == nil, "\(name) should be invalid")
        }
    }

    @Test("Domain grammar (DomainRegexp rows)")
    func domainGrammar() {
        let rows = (Self.corpus["regexps"] as! [String: Any])["DomainRegexp"] as! [[String: Any]]
        for row in rows {
            let input = row["input"] as! String
            #expect(ImageReferenceParser.matchesDomain(Array(input.utf8)[...]) == (row["match"] as! Bool), "\(input)")
        }
    }

    @Test("The gcloud digest form: registry/repository@sha256:<64 lower-case hex>")
    func digestForm() throws {
        let hex = String(repeating: "a", count: 64)
        try ImageReference("gcr.io/p/app@sha256:\(hex)").requireDigestForm()
        try ImageReference("localhost:5000/app:tag@sha256:\(hex)").requireDigestForm()
        #expect(throws: ModelError.invalidImageReference) { try ImageReference("gcr.io/p/app:1.0").requireDigestForm() }
        #expect(throws: ModelError.invalidImageReference) {
            try ImageReference("ubuntu@sha256:\(hex)").requireDigestForm()
        }
        #expect(throws: ModelError.invalidImageReference) {
            try ImageReference("foo/bar@sha256:\(hex)").requireDigestForm()
        }
        try ImageReference("localhost/bar@sha256:\(hex)").requireDigestForm()
        #expect(try ImageReference("library/nginx").registry == "library")
        #expect(try ImageReference("library/nginx").hasRegistryHost == false)
        #expect(throws: ModelError.invalidImageReference) {
            try ImageReference("gcr.io/p/app@sha512:\(String(repeating: "a", count: 128))").requireDigestForm()
        }
        #expect(ImageReference.isSHA256Digest("sha256:\(hex)"))
        #expect(!ImageReference.isSHA256Digest("sha256:\(hex.uppercased())"))
        #expect(!ImageReference.isSHA256Digest("sha256:\(hex.dropLast())"))
        let ref = try ImageReference("us-docker.pkg.dev/p/r/app:v1@sha256:\(hex)")
        #expect(ref.registry == "us-docker.pkg.dev")
        #expect(ref.repository == "us-docker.pkg.dev/p/r/app")
        #expect(ref.digestHex == hex)
        #expect(ref.withoutTag.description == "us-docker.pkg.dev/p/r/app@sha256:\(hex)")
    }
}
