// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

@testable import BinAuthzModel

/// Every reading limit just below and just above its value, on a 128 KiB stack, for YAML and JSON alike.
@Suite("Input limits: nesting, nodes, alias expansion, document size")
struct InputLimitsTests {
    /// `levels` nested flow lists around a scalar: `[[[0]]]` is three levels (and JSON too).
    static func flowNesting(_ levels: Int) -> String {
        String(repeating: "[", count: levels) + "0" + String(repeating: "]", count: levels)
    }

    /// `levels` nested block sequences (`- - - x`) under `description:`: the mapping is one more level.
    static func blockNesting(_ levels: Int) -> String {
        var text = ""
        for depth in 0..<levels { text += String(repeating: "  ", count: depth) + "-\n" }
        return text + String(repeating: "  ", count: levels) + "x\n"
    }

    static func tree(_ text: String, _ format: ResourceFormat, limits: InputLimits = .default) throws -> [TreeNode] {
        try SmallStack.run { try ResourceFormat.documents(in: text, format: format, limits: limits) }
    }

    static func expectLimit(_ text: String, _ format: ResourceFormat, limits: InputLimits = .default, _ name: String)
        throws
    {
        do {
            _ = try tree(text, format, limits: limits)
            Issue.record("\(format) input was accepted; expected InputLimits.\(name) to refuse it")
        } catch let error as ModelError {
            #expect(error.code == .tooLarge)
            #expect(error.message.contains("InputLimits.\(name)"), "\(error)")
        }
    }

    static func depth(of node: TreeNode) -> Int {
        switch node.value {
        case .list(let items): 1 + (items.map(depth).max() ?? 0)
        case .map(let entries): 1 + (entries.map { depth(of: $0.value) }.max() ?? 0)
        default: 0
        }
    }

    @Test("Nesting: exactly the limit is read, one more is refused (flow YAML, block YAML, JSON)")
    func nestingBoundary() throws {
        let limit = InputLimits.default.maximumNestingDepth
        for format in [ResourceFormat.yaml, .json] {
            let accepted = try Self.tree(Self.flowNesting(limit), format)
            #expect(Self.depth(of: accepted[0]) == limit)
            try Self.expectLimit(Self.flowNesting(limit + 1), format, "maximumNestingDepth")
        }
        #expect(Self.depth(of: try Self.tree(Self.blockNesting(limit), .yaml)[0]) == limit)
        try Self.expectLimit(Self.blockNesting(limit + 1), .yaml, "maximumNestingDepth")
    }

    @Test(
        "Quotes cannot hide nesting: a plain scalar with a quote inside, an escaped quote, comments",
        arguments: [
            "a: x\"y\nb: ", "a: \"\\\\\"\nb: ", "a: 'it''s'\nb: ", "# \"\nb: ", "a: x'y\nb: ", "a: \"\\\"\"\nb: ",
            "a: |\n  \"\nb: ", "a: >\n  [\nb: ",
        ])
    func quotingTricks(prefix: String) throws {
        // 1,000 levels behind the trick: far past the limit, and far past what a recursive reader survives here.
        try Self.expectLimit(prefix + Self.flowNesting(1_000) + "\n", .yaml, "maximumNestingDepth")
        let block =
            prefix + "\n" + Self.blockNesting(1_000).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")
        try Self.expectLimit(block + "\n", .yaml, "maximumNestingDepth")
    }

    @Test("An alias counts at its full depth where it is used")
    func aliasDepth() throws {
        let limit = InputLimits.default.maximumNestingDepth
        // An anchored 40-level node used 24 levels down is 64 deep: read. 25 levels down: refused.
        let anchored = "a: &deep " + Self.flowNesting(40) + "\n"
        let atLimit =
            anchored + "b: " + String(repeating: "[", count: limit - 41) + "*deep"
            + String(repeating: "]", count: limit - 41) + "\n"
        let tree = try Self.tree(atLimit, .yaml)
        #expect(Self.depth(of: tree[0]) == limit)
        let over =
            anchored + "b: " + String(repeating: "[", count: limit - 40) + "*deep"
            + String(repeating: "]", count: limit - 40) + "\n"
        try Self.expectLimit(over, .yaml, "maximumNestingDepth")
    }

    @Test("Nodes: mapping keys count, in YAML and JSON alike, with one message")
    func nodeBoundary() throws {
        // {k0: 0, …, k99: 0} is 1 mapping + 100 keys + 100 values = 201 nodes.
        let yaml = "{" + (0..<100).map { "k\($0): 0" }.joined(separator: ", ") + "}"
        let json = "{" + (0..<100).map { "\"k\($0)\": 0" }.joined(separator: ", ") + "}"
        var limits = InputLimits.default
        limits.maximumNodes = 201
        _ = try Self.tree(yaml, .yaml, limits: limits)
        _ = try Self.tree(json, .json, limits: limits)
        limits.maximumNodes = 200
        try Self.expectLimit(yaml, .yaml, limits: limits, "maximumNodes")
        try Self.expectLimit(json, .json, limits: limits, "maximumNodes")
    }

    @Test("A huge JSON array is refused at the node limit, not after building it")
    func jsonArrayBudget() throws {
        // 2,000,001 nodes in 4 MB of text; the default limit is 1,000,000.
        let text = "[" + String(repeating: "0,", count: 2_000_000) + "0]"
        try Self.expectLimit(text, .json, "maximumNodes")
        let yaml = "- " + String(repeating: "0\n- ", count: 2_000_000) + "0\n"
        try Self.expectLimit(yaml, .yaml, "maximumNodes")
    }

    @Test("Billion laughs, keys included: refused at the alias that crosses the limit")
    func billionLaughs() throws {
        // Each level is a mapping of ten keys whose values alias the level below: 10^9 leaves.
        var text = "l0: &l0 {k0: x, k1: x, k2: x, k3: x, k4: x, k5: x, k6: x, k7: x, k8: x, k9: x}\n"
        for level in 1..<9 {
            text +=
                "l\(level): &l\(level) {" + (0..<10).map { "k\($0): *l\(level - 1)" }.joined(separator: ", ")
                + "}\n"
        }
        #expect(text.utf8.count < 1_000)
        let started = ContinuousClock.now
        try Self.expectLimit(text, .yaml, "maximumNodes")
        // Not a timing assertion on speed, a sanity bound on work: the refusal must not have expanded anything.
        #expect(ContinuousClock.now - started < .seconds(30))
        // Aliased keys: the key side counts too.
        let keyed = "a: &a x\nb: &b {" + (0..<50).map { "? *a\n  : \($0)" }.joined(separator: ", ") + "}"
        _ = try? Self.tree(keyed, .yaml)
    }

    @Test("Expanded scalar bytes: a long string aliased many times")
    func scalarBytes() throws {
        let long = String(repeating: "x", count: 1_000)
        let text = "a: &a \(long)\nb: [" + Array(repeating: "*a", count: 99).joined(separator: ", ") + "]\n"
        // 1 ("a") + 1,000 + 1 ("b") + 99 × 1,000 bytes = 100,002.
        var limits = InputLimits.default
        limits.maximumExpandedScalarBytes = 100_002
        _ = try Self.tree(text, .yaml, limits: limits)
        limits.maximumExpandedScalarBytes = 100_001
        try Self.expectLimit(text, .yaml, limits: limits, "maximumExpandedScalarBytes")
        // JSON strings count the same way.
        let json = "{\"a\": \"\(long)\"}"
        limits.maximumExpandedScalarBytes = 1_001
        _ = try Self.tree(json, .json, limits: limits)
        limits.maximumExpandedScalarBytes = 1_000
        try Self.expectLimit(json, .json, limits: limits, "maximumExpandedScalarBytes")
    }

    @Test("Document bytes: the size is checked before parsing")
    func documentBytes() throws {
        let text = "description: " + String(repeating: "x", count: 100)
        var limits = InputLimits.default
        limits.maximumDocumentBytes = text.utf8.count
        _ = try Self.tree(text, .yaml, limits: limits)
        limits.maximumDocumentBytes = text.utf8.count - 1
        try Self.expectLimit(text, .yaml, limits: limits, "maximumDocumentBytes")
        try Self.expectLimit(
            "{\"d\": 1}" + String(repeating: " ", count: 200), .json, limits: limits, "maximumDocumentBytes")
    }

    @Test("Recursive and undefined aliases are syntax errors")
    func badAliases() throws {
        for text in ["a: &a [*a]\n", "a: &a {b: *a}\n", "a: *missing\n"] {
            #expect(throws: ModelError.syntax) { try Self.tree(text, .yaml) }
        }
    }

    @Test("Every resource reader enforces the limits it is given")
    func resourceReaders() throws {
        var limits = InputLimits.default
        limits.maximumNestingDepth = 3
        let deep = "description: [[[x]]]\n"
        #expect(throws: ModelError.tooLarge) { try SmallStack.run { try Policy(yaml: deep, limits: limits) } }
        #expect(throws: ModelError.tooLarge) {
            try SmallStack.run { try Policy(json: #"{"description": [[["x"]]]}"#, limits: limits) }
        }
        #expect(throws: ModelError.tooLarge) {
            try SmallStack.run { try AttestationOccurrence.readAll(text: "noteName: [[[x]]]\n", limits: limits) }
        }
        #expect(throws: ModelError.tooLarge) { try SmallStack.run { try Attestor(text: deep, limits: limits) } }
    }
}
