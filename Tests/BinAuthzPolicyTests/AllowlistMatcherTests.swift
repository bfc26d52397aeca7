// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import BinAuthzPolicy
import BinAuthzTestSupport
import Foundation
import Testing

@Suite("Allowlist matching")
struct AllowlistMatcherTests {
    // MARK: Semantics

    @Test(
        "Binary Authorization's pattern rules",
        arguments: [
            // (pattern, image, matches)
            ("gcr.io/nginx*", "gcr.io/nginx", true),
            ("gcr.io/nginx*", "gcr.io/nginx:1.2", true),
            ("gcr.io/nginx*", "gcr.io/nginx@sha256:" + String(repeating: "a", count: 64), true),
            ("gcr.io/nginx*", "gcr.io/nginx-proxy", true),
            ("gcr.io/nginx*", "gcr.io/nginx/image", false),
            ("gcr.io/nginx**", "gcr.io/nginx/image", true),
            ("gcr.io/proj/*", "gcr.io/proj/app:tag", true),
            ("gcr.io/proj/*", "gcr.io/proj/team/app", false),
            ("gcr.io/proj/*", "gcr.io/proj/", true),
            ("gcr.io/proj/*", "gcr.io/proj", false),
            ("k8s.gcr.io/**", "k8s.gcr.io/sig-storage/csi-provisioner:v3", true),
            ("gcr.io/nginx:2.*", "gcr.io/nginx:2.1", true),
            ("gcr.io/nginx:2.*", "gcr.io/nginx:3.1", false),
            ("gcr.io/im@sha256:ab2345*", "gcr.io/im@sha256:ab2345" + String(repeating: "0", count: 58), true),
            ("gcr.io/im@sha256:ab2345*", "gcr.io/im@sha256:ab2346" + String(repeating: "0", count: 58), false),
            ("gcr.io/nginx[@:]*", "gcr.io/nginx[@:]latest", true),  // [ ] are literal characters
            ("gcr.io/nginx[@:]*", "gcr.io/nginx:latest", false),
            ("gcr.io/proj/app", "gcr.io/proj/app", true),
            ("gcr.io/proj/app", "gcr.io/proj/app:latest", false),  // no wildcard: exact
            ("docker.io/library/nginx*", "nginx:latest", false),  // no normalisation
            ("gcr.io/proj/app", "GCR.IO/proj/app", false),  // case-sensitive
        ])
    func semantics(_ row: (String, String, Bool)) throws {
        let matcher = try AllowlistMatcher(patterns: [row.0])
        #expect(matcher.matches(row.1) == row.2)
        // The trie agrees with the model's single-pattern rule.
        let pattern = try SyntaxRules.parseNamePattern(row.0).get()
        #expect(pattern.matches(row.1) == row.2)
    }

    @Test("The first pattern in list order is reported")
    func firstMatchWins() throws {
        let matcher = try AllowlistMatcher(patterns: ["gcr.io/**", "gcr.io/p/*", "gcr.io/p/app", "gcr.io/p/**"])
        #expect(matcher.firstMatch("gcr.io/p/app") == .init(pattern: "gcr.io/**", index: 0))
        let reversed = try AllowlistMatcher(patterns: ["gcr.io/p/**", "gcr.io/p/app", "gcr.io/p/*", "gcr.io/**"])
        #expect(reversed.firstMatch("gcr.io/p/app")?.index == 0)
        #expect(reversed.firstMatch("gcr.io/q/app") == .init(pattern: "gcr.io/**", index: 3))
        let exactFirst = try AllowlistMatcher(patterns: ["gcr.io/p/app", "gcr.io/p/*"])
        #expect(exactFirst.firstMatch("gcr.io/p/app")?.index == 0)
        #expect(try AllowlistMatcher(patterns: []).firstMatch("anything") == nil)
    }

    @Test(
        "Invalid patterns are rejected",
        arguments: ["gcr.i*", "*", "**", "gcr.io/n*x", "", "gcr.io/a b", "*/**", "nginx:*"])
    func invalidPatterns(_ pattern: String) {
        let error = #expect(throws: PolicyEvaluationError.invalidPattern) { try AllowlistMatcher(patterns: [pattern]) }
        #expect(error?.path == "[0]")
    }

    @Test("The trie agrees with a linear scan on 20,000 random pattern/image pairs")
    func agreesWithLinearScan() throws {
        var random = SplitMix64(seed: 0x5EED)
        let alphabet = Array("ab/:.@-")
        func text(_ length: Int) -> String { String((0..<length).map { _ in alphabet[random.next(alphabet.count)] }) }
        for _ in 0..<200 {
            var patterns: [String] = []
            for _ in 0..<(1 + random.next(30)) {
                let body = "r.io/" + text(random.next(6))
                switch random.next(3) {
                case 0: patterns.append(body)
                case 1: patterns.append(body + "*")
                default: patterns.append(body + "**")
                }
            }
            let parsed = try patterns.map { try SyntaxRules.parseNamePattern($0).get() }
            let matcher = try AllowlistMatcher(patterns: patterns)
            for _ in 0..<100 {
                let image = (random.next(4) == 0 ? "q.io/" : "r.io/") + text(random.next(9))
                let linear = parsed.firstIndex { $0.matches(image) }
                #expect(matcher.firstMatch(image)?.index == linear, "\(patterns) vs \(image)")
            }
        }
    }

    // MARK: kritis (grafeas/kritis pkg/kritis/util/allowlist_test.go)

    /// kritis accepts wildcards on registry-less images (`local-image-1:*`); Binary Authorization allows a
    /// wildcard only after `registry/`, so policy validation rejects those two patterns and the images they would
    /// match are not allowlisted.
    static let kritisPatternsRejected: Set<String> = ["local-image-1:*", "local-image-3:tag*"]
    /// The kritis rows whose result differs because of those patterns (the 17 others agree).
    static let kritisRowsDiffering: Set<String> = [
        "test local image any tag match", "test local image tag wildcard match",
    ]

    @Test("kritis allowlist cases")
    func kritisCases() throws {
        let corpus = try #require(try Fixtures.corpusJSON("kritis/cases/allowlist_cases.json") as? [String: Any])
        let table = try #require(corpus["imageNamePatternMatch_gapAllowlist"] as? [String: Any])
        let patterns = try #require(table["allowlist"] as? [String])
        let valid = patterns.filter { !Self.kritisPatternsRejected.contains($0) }
        for pattern in Self.kritisPatternsRejected {
            #expect(throws: PolicyEvaluationError.invalidPattern) { try AllowlistMatcher(patterns: [pattern]) }
            let policy = Policy(
                admissionWhitelistPatterns: [AdmissionWhitelistPattern(namePattern: pattern)],
                defaultAdmissionRule: .alwaysAllow)
            #expect(policy.validate().map(\.code) == [.invalidPattern])
        }
        let matcher = try AllowlistMatcher(patterns: valid)
        let cases = try #require(table["cases"] as? [[String: Any]])
        #expect(cases.count == 19)
        for row in cases {
            let name = try #require(row["name"] as? String)
            let image = try #require(row["image"] as? String)
            let upstream = try #require(row["expected"] as? Bool)
            // kritis matched these two through a rejected pattern; Binary Authorization does not match them.
            let expected = Self.kritisRowsDiffering.contains(name) ? false : upstream
            if Self.kritisRowsDiffering.contains(name) { #expect(upstream) }
            #expect(matcher.matches(image) == expected, "\(name)")
        }

        let split = try #require(corpus["splitGapAllowedImages"] as? [String: Any])
        let splitMatcher = try AllowlistMatcher(patterns: try #require(split["allowlist"] as? [String]))
        let images = try #require(split["images"] as? [String])
        #expect(images.filter(splitMatcher.matches) == (try #require(split["allowlisted"] as? [String])))
        #expect(images.filter { !splitMatcher.matches($0) } == (try #require(split["notAllowlisted"] as? [String])))
    }

    /// kritis' *global* allowlist (its own deployment images) matches by repository, ignoring tag and digest.
    /// That is a kritis feature, not `admissionWhitelistPatterns`: a Binary Authorization pattern without a
    /// wildcard matches only the identical string, so a tagged or digested image needs `repo:*` / `repo@*`.
    @Test("kritis' global allowlist matches by repository; Binary Authorization patterns do not")
    func kritisGlobalAllowlist() throws {
        let corpus = try #require(try Fixtures.corpusJSON("kritis/cases/allowlist_cases.json") as? [String: Any])
        let table = try #require(corpus["globalAllowlist_referenceMatch"] as? [String: Any])
        let matcher = try AllowlistMatcher(patterns: try #require(table["globalAllowlist"] as? [String]))
        let cases = try #require(table["cases"] as? [[String: Any]])
        let ours = try cases.map { matcher.matches(try #require($0["image"] as? String)) }
        let upstream = try cases.map { try #require($0["expected"] as? Bool) }
        #expect(upstream == [true, true, false])
        #expect(ours == [false, false, false])
    }

    // MARK: sigstore/policy-controller (pkg/apis/glob/glob_test.go)

    enum Outcome: Sendable, Equatable { case match, noMatch, invalidPattern }

    /// Every row of `glob_cases.json` in order, with Binary Authorization's outcome. `why` explains each row whose
    /// upstream result differs; rows without `why` are the Binary-Authorization-compatible ones.
    ///
    /// | difference | why |
    /// |---|---|
    /// | normalisation | policy-controller rewrites `foo` to `index.docker.io/library/foo:latest` before matching; Binary Authorization compares the image as written |
    /// | middle wildcard | policy-controller allows `*` anywhere (`index.docker.io/*/*`); Binary Authorization only a trailing `*` or `**` |
    /// | wildcard before `registry/` | policy-controller allows `**`, `inde**`, `foo*`; Binary Authorization requires the wildcard after `registry/` |
    /// | character set | policy-controller rejects globs outside `[a-zA-Z0-9-_:/*.@]` (`.+`); Binary Authorization has no documented character rule, so `.+` is a literal exact pattern |
    static let globRows: [(image: String, glob: String, outcome: Outcome, why: String?)] = {
        let norm = "normalisation"
        let middle = "middle wildcard"
        let early = "wildcard before registry/"
        return [
            ("foo", "index.docker.io/library/foo:latest", .noMatch, norm),
            ("foo", "index.docker.io/library/foo:*", .noMatch, norm),
            ("foo", "index.docker.io/library/*", .noMatch, norm),
            ("foo", "index.docker.io/library/*:latest", .invalidPattern, middle),
            ("foo", "index.docker.io/*/*", .invalidPattern, middle),
            ("foo", "index.docker.io/**", .noMatch, norm),
            ("foo", "index.docker.**", .invalidPattern, early),
            ("foo", "inde**", .invalidPattern, early),
            ("foo", "**", .invalidPattern, early),
            ("foo", "foo", .match, nil),
            ("foo", "foo*", .invalidPattern, early),
            ("foo", "foo**", .invalidPattern, early),
            ("myuser/myapp", "index.docker.io/myuser/myapp:latest", .noMatch, norm),
            ("myuser/myapp", "index.docker.io/myuser/myapp:*", .noMatch, norm),
            ("myuser/myapp", "index.docker.io/myuser/*", .noMatch, norm),
            ("myuser/myapp", "index.docker.io/myuser/*:latest", .invalidPattern, middle),
            ("myuser/myapp", "index.docker.io/*/*", .invalidPattern, middle),
            ("myuser/myapp", "index.docker.io/**", .noMatch, norm),
            ("myuser/myapp", "index.docker.**", .invalidPattern, early),
            ("myuser/myapp", "inde**", .invalidPattern, early),
            ("myuser/myapp", "**", .invalidPattern, early),
            ("myuser/myapp", "myuser/myapp", .match, nil),
            ("myuser/myapp", "myuser/myapp*", .match, nil),
            ("myuser/myapp", "myuser/myapp**", .match, nil),
            ("ghcr.io/foo/bar", "ghcr.io/*/*", .invalidPattern, middle),
            ("ghcr.io/foo/bar", "ghcr.io/**", .match, nil),
            ("ghcr.io/foo", "ghcr.io/*/*", .invalidPattern, middle),
            ("ghcr.io/foo", "ghcr.io/**", .match, nil),
            ("ghcr.io/foo", "ghc**", .invalidPattern, early),
            ("ghcr.io/foo", "**", .invalidPattern, early),
            ("ghcr.io/foo", "*/**", .invalidPattern, middle),
            ("ghcr.io/foo", "ghcr.io/foo*", .match, nil),
            ("ghcr.io/foo", "ghcr.io/foo**", .match, nil),
            ("prefix-ghcr.io/foo", "ghcr.io/foo", .noMatch, nil),
            ("ghcr.io/foo-suffix", "ghcr.io/foo", .noMatch, nil),
            ("ghcrxio/foo", "ghcr.io/**", .noMatch, nil),
            ("invalid&name", "**", .invalidPattern, nil),  // both refuse: upstream the image, here the pattern
            ("invalid-glob", ".+", .noMatch, "character set"),
            ("invalid-glob", "[a-z]*", .invalidPattern, nil),
            ("foo", "*", .invalidPattern, early),
            ("myuser/myapp", "*/*", .invalidPattern, middle),
            (
                "ghcr.io/foo@sha256:5504f2a95018e3d8a52d80d9e1a128c6ea337581808ff9fe96f5628ce2336350",
                "ghcr.io/foo@sha256:5504f2a95018e3d8a52d80d9e1a128c6ea337581808ff9fe96f5628ce2336350", .match, nil
            ),
        ]
    }()

    @Test("policy-controller glob cases: the compatible rows agree, the others differ for a documented reason")
    func policyControllerCases() throws {
        let corpus = try #require(try Fixtures.corpusJSON("policy-controller/cases/glob_cases.json") as? [String: Any])
        let cases = try #require(corpus["cases"] as? [[String: Any]])
        #expect(cases.count == Self.globRows.count)
        for (row, ours) in zip(cases, Self.globRows) {
            let image = try #require(row["image"] as? String)
            let glob = try #require(row["glob"] as? String)
            #expect(image == ours.image && glob == ours.glob)
            let upstream: Outcome =
                (row["wantErr"] as? Bool == true)
                ? .invalidPattern : (row["wantMatch"] as? Bool == true ? .match : .noMatch)
            let actual: Outcome
            do {
                actual = try AllowlistMatcher(patterns: [glob]).matches(image) ? .match : .noMatch
            } catch {
                actual = .invalidPattern
            }
            #expect(actual == ours.outcome, "\(image) ~ \(glob)")
            #expect((ours.why == nil) == (upstream == ours.outcome), "\(image) ~ \(glob): \(ours.why ?? "compatible")")
        }
        #expect(Self.globRows.filter { $0.why == nil }.count == 14)
    }
}
