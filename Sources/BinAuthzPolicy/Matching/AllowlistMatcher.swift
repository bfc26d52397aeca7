// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel

/// Matches images against a list of allowlist patterns (`admissionWhitelistPatterns`, the system policy)
/// without scanning the patterns one by one.
///
/// The rules are those of the service's allowlist pattern grammar (see `Docs/Semantics.md`), on the image string exactly as written in
/// the pod spec (no registry normalisation):
///
/// | pattern | matches |
/// |---|---|
/// | `gcr.io/proj/app:1.0` (no wildcard) | only the identical string |
/// | `gcr.io/proj/*` (trailing `*`) | `gcr.io/proj/` followed by any text without `/` (`gcr.io/proj/app:tag`) |
/// | `gcr.io/proj/**` (trailing `**`) | `gcr.io/proj/` followed by any text (`gcr.io/proj/team/app`) |
///
/// Exact patterns live in a hash table; wildcard patterns in a byte trie over their prefixes. A lookup walks
/// the trie once along the image string and checks, at each node it passes, the `**` pattern ending there
/// and — when the rest of the image has no `/` — the `*` pattern ending there. The cost is proportional to the
/// length of the image, not the number of patterns.
///
/// When several patterns match, the one listed first wins, so the reported pattern is the one a reader of the
/// policy finds first.
public struct AllowlistMatcher: Sendable {
    /// A successful match.
    public struct Match: Hashable, Sendable {
        /// The pattern as written in the policy.
        public var pattern: String
        /// The pattern's position in the list the matcher was built from.
        public var index: Int

        /// Creates a match.
        public init(pattern: String, index: Int) {
            self.pattern = pattern
            self.index = index
        }
    }

    /// The patterns, in the order given.
    public let patterns: [String]

    /// Exact patterns by their bytes: an image matches only the very text, not a canonically equivalent one.
    private var exact: [ExactString: Int32] = [:]
    // The trie, frozen into flat arrays: node n's edges are edgeBytes/edgeTargets[edgeStart[n] ..< edgeStart[n+1]].
    private var edgeStart: [Int32] = [0]
    private var edgeBytes: [UInt8] = []
    private var edgeTargets: [Int32] = []
    /// Per node: the index of the first `*` pattern whose prefix ends at this node, or -1.
    private var singleLevel: [Int32] = []
    /// Per node: the index of the first `**` pattern whose prefix ends at this node, or -1.
    private var anyDepth: [Int32] = []
    /// Whether any pattern has a trailing wildcard (otherwise the trie is empty and never walked).
    private var hasWildcards = false

    /// Builds a matcher.
    ///
    /// - Parameter patterns: Allowlist patterns; each must satisfy
    ///   the allowlist pattern grammar.
    /// - Throws: ``PolicyEvaluationError/Code/invalidPattern`` naming the first invalid pattern.
    public init(patterns: [String]) throws(PolicyEvaluationError) {
        var parsed: [SyntaxRules.NamePattern] = []
        parsed.reserveCapacity(patterns.count)
        for (index, pattern) in patterns.enumerated() {
            switch SyntaxRules.parseNamePattern(pattern) {
            case .success(let value): parsed.append(value)
            case .failure(let error):
                throw PolicyEvaluationError(code: .invalidPattern, message: error.message, path: "[\(index)]")
            }
        }
        self.init(validated: patterns, parsed: parsed)
    }

    /// Builds a matcher from patterns already checked by validation.
    init(validated patterns: [String], parsed: [SyntaxRules.NamePattern]) {
        self.patterns = patterns
        // Build with per-node edge lists, then freeze.
        var children: [[(UInt8, Int32)]] = [[]]
        var single: [Int32] = [-1]
        var any: [Int32] = [-1]
        for (index, pattern) in parsed.enumerated() {
            let position = Int32(index)
            if pattern.wildcard == .none {
                if exact[ExactString(pattern.prefix)] == nil { exact[ExactString(pattern.prefix)] = position }
                continue
            }
            hasWildcards = true
            var node: Int32 = 0
            for byte in pattern.prefix.utf8 {
                if let next = children[Int(node)].first(where: { $0.0 == byte })?.1 {
                    node = next
                } else {
                    let next = Int32(children.count)
                    children.append([])
                    single.append(-1)
                    any.append(-1)
                    children[Int(node)].append((byte, next))
                    node = next
                }
            }
            switch pattern.wildcard {
            case .singleLevel: if single[Int(node)] < 0 { single[Int(node)] = position }
            case .anyDepth: if any[Int(node)] < 0 { any[Int(node)] = position }
            case .none: break
            }
        }
        edgeStart.reserveCapacity(children.count + 1)
        for edges in children {
            for (byte, target) in edges.sorted(by: { $0.0 < $1.0 }) {
                edgeBytes.append(byte)
                edgeTargets.append(target)
            }
            edgeStart.append(Int32(edgeBytes.count))
        }
        singleLevel = single
        anyDepth = any
    }

    /// Whether the matcher holds no pattern.
    public var isEmpty: Bool { patterns.isEmpty }

    /// The first pattern (in list order) that matches `image`, or `nil`.
    ///
    /// - Parameter image: The image as written in the pod spec.
    public func firstMatch(_ image: String) -> Match? {
        var best = Int32.max
        if let index = exact[ExactString(image)] { best = index }
        guard hasWildcards else {
            return best == .max ? nil : Match(pattern: patterns[Int(best)], index: Int(best))
        }
        var image = image
        image.withUTF8 { bytes in
            // Offset of the last "/" in the image: a `*` pattern ending at depth d matches only if lastSlash < d.
            var lastSlash = -1
            for i in stride(from: bytes.count - 1, through: 0, by: -1) where bytes[i] == UInt8(ascii: "/") {
                lastSlash = i
                break
            }
            var node = 0
            var depth = 0
            while true {
                let anyIndex = anyDepth[node]
                if anyIndex >= 0 && anyIndex < best { best = anyIndex }
                let singleIndex = singleLevel[node]
                if singleIndex >= 0 && singleIndex < best && lastSlash < depth { best = singleIndex }
                guard depth < bytes.count else { break }
                let byte = bytes[depth]
                guard let next = child(of: node, byte) else { break }
                node = next
                depth += 1
            }
        }
        return best == .max ? nil : Match(pattern: patterns[Int(best)], index: Int(best))
    }

    /// The child of `node` along `byte`: binary search over the node's sorted edges (most nodes have one).
    @inline(__always)
    private func child(of node: Int, _ byte: UInt8) -> Int? {
        var low = Int(edgeStart[node])
        var high = Int(edgeStart[node + 1])
        while low < high {
            let mid = (low + high) >> 1
            let b = edgeBytes[mid]
            if b == byte { return Int(edgeTargets[mid]) }
            if b < byte { low = mid + 1 } else { high = mid }
        }
        return nil
    }

    /// Whether any pattern matches `image`.
    public func matches(_ image: String) -> Bool { firstMatch(image) != nil }
}
