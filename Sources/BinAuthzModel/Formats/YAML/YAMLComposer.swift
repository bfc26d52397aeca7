// SPDX-License-Identifier: Apache-2.0

/// A node of a composed YAML document: what PyYAML, ruamel.yaml and go-yaml call the representation graph. An alias
/// is the very node it names, so an anchored node appears once in memory however often it is used.
final class YAMLNode {
    enum Content {
        case scalar(String, YAMLEvent.ScalarStyle)
        case sequence([YAMLNode])
        case mapping([(key: YAMLNode, value: YAMLNode)])
    }

    var content: Content
    /// The explicit tag (`tag:yaml.org,2002:str`, `!`), `nil` for an untagged node.
    let tag: String?
    let location: SourceLocation
    /// Nodes in the subtree with every alias expanded, this one included.
    fileprivate(set) var expandedNodes = 1
    /// Bytes of scalar text in the subtree with every alias expanded.
    fileprivate(set) var expandedScalarBytes = 0
    /// Levels of nesting the subtree adds: 0 for a scalar, 1 + the deepest child for a collection.
    fileprivate(set) var height = 0
    /// Whether the node's end has not been read yet (an alias to it would make the document recursive).
    fileprivate var isOpen = false
    /// For a document's root: whether the document declares `%YAML 1.2` (ruamel then resolves it as YAML 1.2).
    fileprivate(set) var isYAML12Document = false

    init(_ content: Content, tag: String?, at location: SourceLocation) {
        self.content = content
        self.tag = tag
        self.location = location
    }

    var scalarText: String? {
        if case .scalar(let text, _) = content { return text }
        return nil
    }

    var scalarStyle: YAMLEvent.ScalarStyle? {
        if case .scalar(_, let style) = content { return style }
        return nil
    }
}

/// Composes libyaml events into ``YAMLNode`` documents without recursion, enforcing ``InputLimits`` as it goes.
///
/// Every bound is checked on the event that would exceed it, before anything is built for it:
/// - nesting: a collection that opens deeper than ``InputLimits/maximumNestingDepth``, or an alias whose node
///   would reach deeper where it is used;
/// - nodes and scalar bytes: a running total over the whole input in which every node counts, mapping keys too,
///   and an alias counts as the whole subtree it stands for — so a "billion laughs" document is refused on the
///   alias that crosses ``InputLimits/maximumNodes`` or ``InputLimits/maximumExpandedScalarBytes``, having cost
///   no more than its own size.
/// Recursive aliases (`&a [*a]`) and undefined ones are errors.
struct YAMLComposer {
    let limits: InputLimits
    private var totalNodes = 0
    private var totalScalarBytes = 0

    init(limits: InputLimits) { self.limits = limits }

    /// The documents of the stream, in order; a document whose root is an empty plain scalar (`---` alone, or
    /// text that is only comments) is returned as such, and the caller decides what empty means.
    static func compose(_ bytes: some Collection<UInt8>, limits: InputLimits) throws(ModelError) -> [YAMLNode] {
        guard bytes.count <= limits.maximumDocumentBytes else {
            throw LimitError.documentBytes(limits)
        }
        var composer = YAMLComposer(limits: limits)
        return try composer.run(YAMLEventParser(bytes))
    }

    private struct Frame {
        let node: YAMLNode
        let anchor: String?
        var items: [YAMLNode] = []
        var entries: [(key: YAMLNode, value: YAMLNode)] = []
        var pendingKey: YAMLNode?
        var isMapping: Bool
    }

    private mutating func run(_ parser: YAMLEventParser) throws(ModelError) -> [YAMLNode] {
        var documents: [YAMLNode] = []
        var anchors: [String: YAMLNode] = [:]
        var stack: [Frame] = []
        var root: YAMLNode?
        var isVersion12 = false

        func attach(_ node: YAMLNode, to stack: inout [Frame], root: inout YAMLNode?) {
            guard !stack.isEmpty else {
                root = node
                return
            }
            let top = stack.count - 1
            if stack[top].isMapping {
                if let key = stack[top].pendingKey {
                    stack[top].entries.append((key, node))
                    stack[top].pendingKey = nil
                } else {
                    stack[top].pendingKey = node
                }
            } else {
                stack[top].items.append(node)
            }
        }

        while true {
            let event = try parser.next()
            switch event.kind {
            case .streamStart:
                continue
            case .streamEnd:
                return documents
            case .documentStart:
                anchors.removeAll(keepingCapacity: true)  // anchors are scoped to their document
                root = nil
                isVersion12 = event.isVersion12
            case .documentEnd:
                if let root {
                    root.isYAML12Document = isVersion12
                    documents.append(root)
                }
            case .scalar:
                try count(nodes: 1, scalarBytes: event.value.utf8.count, at: event.mark)
                let node = YAMLNode(.scalar(event.value, event.style), tag: event.tag, at: event.mark)
                node.expandedScalarBytes = event.value.utf8.count
                if let anchor = event.anchor { anchors[anchor] = node }
                attach(node, to: &stack, root: &root)
            case .alias:
                let name = event.anchor ?? ""
                guard let target = anchors[name] else {
                    throw ModelError(
                        code: .syntax, line: event.mark.line, column: event.mark.column,
                        message: "undefined YAML alias *\(name)")
                }
                guard !target.isOpen else {
                    throw ModelError(
                        code: .syntax, line: event.mark.line, column: event.mark.column,
                        message: "recursive YAML alias *\(name): the anchored node contains itself")
                }
                if stack.count + target.height > limits.maximumNestingDepth {
                    throw LimitError.nesting(limits, at: event.mark)
                }
                try count(nodes: target.expandedNodes, scalarBytes: target.expandedScalarBytes, at: event.mark)
                attach(target, to: &stack, root: &root)
            case .sequenceStart, .mappingStart:
                if stack.count + 1 > limits.maximumNestingDepth {
                    throw LimitError.nesting(limits, at: event.mark)
                }
                try count(nodes: 1, scalarBytes: 0, at: event.mark)
                let isMapping = event.kind == .mappingStart
                let node = YAMLNode(isMapping ? .mapping([]) : .sequence([]), tag: event.tag, at: event.mark)
                node.isOpen = true
                if let anchor = event.anchor { anchors[anchor] = node }
                stack.append(Frame(node: node, anchor: event.anchor, isMapping: isMapping))
            case .sequenceEnd, .mappingEnd:
                guard let frame = stack.popLast() else { continue }
                let node = frame.node
                var nodes = 1
                var bytes = 0
                var height = 0
                if frame.isMapping {
                    node.content = .mapping(frame.entries)
                    for entry in frame.entries {
                        nodes = Self.add(nodes, entry.key.expandedNodes + entry.value.expandedNodes)
                        bytes = Self.add(bytes, entry.key.expandedScalarBytes + entry.value.expandedScalarBytes)
                        height = max(height, entry.key.height, entry.value.height)
                    }
                } else {
                    node.content = .sequence(frame.items)
                    for item in frame.items {
                        nodes = Self.add(nodes, item.expandedNodes)
                        bytes = Self.add(bytes, item.expandedScalarBytes)
                        height = max(height, item.height)
                    }
                }
                node.expandedNodes = nodes
                node.expandedScalarBytes = bytes
                node.height = height + 1
                node.isOpen = false
                attach(node, to: &stack, root: &root)
            }
        }
    }

    private mutating func count(nodes: Int, scalarBytes: Int, at mark: SourceLocation) throws(ModelError) {
        totalNodes = Self.add(totalNodes, nodes)
        totalScalarBytes = Self.add(totalScalarBytes, scalarBytes)
        if totalNodes > limits.maximumNodes { throw LimitError.nodes(limits, at: mark) }
        if totalScalarBytes > limits.maximumExpandedScalarBytes { throw LimitError.scalarBytes(limits, at: mark) }
    }

    /// Saturating addition: expanded sizes of nested aliases grow geometrically.
    private static func add(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? Int.max : sum
    }
}

/// The errors a reader reports when an input crosses one of the ``InputLimits``: code ``ModelError/Code/tooLarge``,
/// and a message that names the limit and its value.
package enum LimitError {
    package static func documentBytes(_ limits: InputLimits) -> ModelError {
        ModelError(
            code: .tooLarge,
            message: "the document is larger than \(describe(bytes: limits.maximumDocumentBytes)) "
                + "(InputLimits.maximumDocumentBytes)")
    }

    package static func nesting(_ limits: InputLimits, at mark: SourceLocation?) -> ModelError {
        ModelError(
            code: .tooLarge, line: mark?.line, column: mark?.column,
            message: "lists and mappings nest deeper than \(limits.maximumNestingDepth) levels "
                + "(InputLimits.maximumNestingDepth)")
    }

    package static func nodes(_ limits: InputLimits, at mark: SourceLocation?) -> ModelError {
        ModelError(
            code: .tooLarge, line: mark?.line, column: mark?.column,
            message: "the input has more than \(limits.maximumNodes) values, mapping keys and expanded YAML aliases "
                + "included (InputLimits.maximumNodes)")
    }

    package static func scalarBytes(_ limits: InputLimits, at mark: SourceLocation?) -> ModelError {
        ModelError(
            code: .tooLarge, line: mark?.line, column: mark?.column,
            message: "the input's text expands to more than \(describe(bytes: limits.maximumExpandedScalarBytes)), "
                + "YAML aliases included (InputLimits.maximumExpandedScalarBytes)")
    }

    /// `16 MiB`, `64 KiB`, `100 bytes`.
    package static func describe(bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}
