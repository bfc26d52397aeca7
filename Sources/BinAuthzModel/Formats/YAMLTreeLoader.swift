// SPDX-License-Identifier: Apache-2.0

/// Reads YAML into ``TreeNode`` documents the way the tool that owns the format reads it (see ``TreeDialect``).
///
/// libyaml parses the text into events (it never recurses); ``YAMLComposer`` builds the node graph with an
/// explicit stack and enforces every ``InputLimits`` bound on the event that would cross it, aliases counted at their
/// expanded size; the dialect's constructor below then turns nodes into values. Because the composer has already
/// bounded the expanded size and depth, construction costs at most those bounds, and recurses at most
/// ``InputLimits/maximumNestingDepth`` levels.
///
/// Plain scalars resolve by the dialect's own resolver, written here from its rules (libyaml only tokenizes; it
/// resolves nothing): YAML 1.1 as ruamel.yaml resolves it (gcloud's reader, also used for
/// the strict dialect; YAML 1.2 when a gcloud document declares `%YAML 1.2`), and go-yaml v2's rules for kubectl.
/// In YAML 1.1 an unquoted `yes` is a boolean and `2024-05-21T12:13:44Z` a timestamp.
package enum YAMLTreeLoader {
    /// Every document of a multi-document stream, and the warnings the dialect's reader would print. Documents
    /// whose root is empty (`---` alone) are returned as ``TreeNode/Value/null``.
    package static func read(
        _ text: some StringProtocol, dialect: TreeDialect = .strict, limits: InputLimits = .default
    ) throws(ModelError) -> ReadDocuments {
        let nodes: [YAMLNode]
        var bomStandIn: Unicode.Scalar?
        if dialect == .kubectl, text.utf8.count <= limits.maximumDocumentBytes, text.contains("\u{FEFF}") {
            nodes = try YAMLComposer.compose(strippingDocumentBOMs(text).utf8, limits: limits)
        } else if dialect == .gcloud, text.utf8.count <= limits.maximumDocumentBytes,
            text.unicodeScalars.dropFirst().contains("\u{FEFF}")
        {
            // ruamel skips a byte-order mark only at the very start; anywhere else it is a character like any other,
            // which libyaml refuses. It stands in as a noncharacter the text does not hold, and is put back below.
            let (standIn, replaced) = try Self.replacingInnerBOMs(String(text))
            bomStandIn = standIn
            nodes = try YAMLComposer.compose(replaced.utf8, limits: limits)
        } else {
            nodes = try YAMLComposer.compose(text.utf8, limits: limits)
        }
        var constructor = YAMLConstructor(dialect: dialect)
        var documents: [TreeNode] = []
        documents.reserveCapacity(nodes.count)
        for node in nodes {
            documents.append(try constructor.construct(node))
        }
        var warnings = constructor.warnings
        if let bomStandIn {
            documents = documents.map { $0.replacing(bomStandIn, with: "\u{FEFF}") }
            for index in warnings.indices {
                warnings[index].message = Self.replace(bomStandIn, with: "\u{FEFF}", in: warnings[index].message)
            }
        }
        return ReadDocuments(documents: documents, warnings: warnings)
    }

    /// The text with a leading byte-order mark removed and every other one replaced by a noncharacter
    /// (U+FDD0…U+FDEF) that does not occur in it.
    private static func replacingInnerBOMs(_ text: String) throws(ModelError) -> (Unicode.Scalar, String) {
        var scalars = Substring(text).unicodeScalars
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
        let present = Set(scalars.lazy.filter { (0xFDD0...0xFDEF).contains($0.value) }.map(\.value))
        guard let free = (UInt32(0xFDD0)...0xFDEF).first(where: { !present.contains($0) }) else {
            throw ModelError(
                code: .invalidValue, message: "the text holds byte-order marks and every noncharacter U+FDD0…U+FDEF")
        }
        let standIn = Unicode.Scalar(free)!
        var result = String.UnicodeScalarView()
        for scalar in scalars { result.append(scalar == "\u{FEFF}" ? standIn : scalar) }
        return (standIn, String(result))
    }

    fileprivate static func replace(_ scalar: Unicode.Scalar, with replacement: Unicode.Scalar, in text: String)
        -> String
    {
        guard text.unicodeScalars.contains(scalar) else { return text }
        var result = String.UnicodeScalarView()
        for s in text.unicodeScalars { result.append(s == scalar ? replacement : s) }
        return String(result)
    }

    /// kubectl splits a stream at `---` lines and reads each document on its own, dropping a byte-order mark at the
    /// start of each; libyaml accepts one only at the start of the stream.
    private static func strippingDocumentBOMs(_ text: some StringProtocol) -> String {
        var result = ""
        var atDocumentStart = true
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = Substring(line)
            if atDocumentStart, line.first == "\u{FEFF}" { line = line.dropFirst() }
            atDocumentStart = line.hasPrefix("---")
            result += line
            result += "\n"
        }
        result.removeLast()
        return result
    }

    /// Parses every document of a multi-document YAML stream (`---` separated). Empty documents are skipped.
    package static func parseAll(
        _ text: String, dialect: TreeDialect = .strict, limits: InputLimits = .default
    ) throws(ModelError) -> [TreeNode] {
        try read(text, dialect: dialect, limits: limits).documents.filter {
            if case .null = $0.value { return false }
            return true
        }
    }

    /// Parses a single-document YAML text. An empty document is a ``ModelError/Code/missingField`` error.
    package static func parse(
        _ text: String, dialect: TreeDialect = .strict, limits: InputLimits = .default
    ) throws(ModelError) -> TreeNode {
        let documents = try read(text, dialect: dialect, limits: limits).documents
        guard let first = documents.first, !(documents.count == 1 && first.isNull) else {
            throw ModelError(code: .missingField, message: "the document is empty")
        }
        guard documents.count == 1 else {
            throw ModelError(
                code: .syntax, line: documents[1].location?.line,
                message: "expected a single document in the stream, but found another document")
        }
        return first
    }
}

extension TreeNode {
    /// The tree with one character replaced by another in every string and key.
    fileprivate func replacing(_ scalar: Unicode.Scalar, with replacement: Unicode.Scalar) -> TreeNode {
        var copy = self
        switch value {
        case .string(let text): copy.value = .string(YAMLTreeLoader.replace(scalar, with: replacement, in: text))
        case .timestamp(let text): copy.value = .timestamp(YAMLTreeLoader.replace(scalar, with: replacement, in: text))
        case .list(let items): copy.value = .list(items.map { $0.replacing(scalar, with: replacement) })
        case .map(let entries):
            copy.value = .map(
                entries.map {
                    (
                        YAMLTreeLoader.replace(scalar, with: replacement, in: $0.key), $0.keyLocation,
                        $0.value.replacing(scalar, with: replacement)
                    )
                })
        default: break
        }
        return copy
    }
}

/// Turns a composed node graph into ``TreeNode`` values under one dialect's rules.
struct YAMLConstructor {
    let dialect: TreeDialect
    private(set) var warnings: [ReadWarning] = []

    /// The YAML version plain scalars of the current document resolve by: 1.1, unless a gcloud document declares
    /// `%YAML 1.2` (ruamel honours the directive).
    private var version: YAMLScalarResolution.Version = .v1_1

    init(dialect: TreeDialect) { self.dialect = dialect }

    /// A list or mapping whose children are being built: construction keeps these on an explicit stack, so it
    /// costs the same few stack frames however deeply the document nests.
    private struct Frame {
        let location: SourceLocation
        /// The children in order; for a mapping, with the key text the dialect gives them.
        let children: [(key: String?, keyLocation: SourceLocation?, node: YAMLNode)]
        let isMapping: Bool
        var built: [TreeNode] = []

        var tree: TreeNode {
            if isMapping {
                var entries: [(key: String, keyLocation: SourceLocation?, value: TreeNode)] = []
                entries.reserveCapacity(children.count)
                for (child, value) in zip(children, built) { entries.append((child.key!, child.keyLocation, value)) }
                return TreeNode(.map(entries), at: location)
            }
            return TreeNode(.list(built), at: location)
        }
    }

    mutating func construct(_ root: YAMLNode) throws(ModelError) -> TreeNode {
        version = dialect == .gcloud && root.isYAML12Document ? .v1_2 : .v1_1
        guard let first = try frame(for: root) else { return try scalarTree(root) }
        var stack = [first]
        while true {
            let top = stack.count - 1
            let next = stack[top].built.count
            if next < stack[top].children.count {
                let child = stack[top].children[next].node
                if let frame = try frame(for: child) {
                    stack.append(frame)
                } else {
                    stack[top].built.append(try scalarTree(child))
                }
                continue
            }
            let done = stack.removeLast().tree
            guard !stack.isEmpty else { return done }
            stack[stack.count - 1].built.append(done)
        }
    }

    /// The frame that builds a collection, with its children resolved by the dialect; `nil` for a scalar.
    private mutating func frame(for node: YAMLNode) throws(ModelError) -> Frame? {
        switch node.content {
        case .scalar:
            return nil
        case .sequence(let items):
            if dialect == .gcloud, node.tag == "tag:yaml.org,2002:omap" {
                return Frame(location: node.location, children: try omapEntries(items), isMapping: true)
            }
            try checkCollectionTag(node, expected: "tag:yaml.org,2002:seq")
            return Frame(location: node.location, children: items.map { (nil, nil, $0) }, isMapping: false)
        case .mapping:
            try checkCollectionTag(node, expected: "tag:yaml.org,2002:map")
            let entries: [(key: String?, keyLocation: SourceLocation?, node: YAMLNode)]
            switch dialect {
            case .strict: entries = try strictEntries(node)
            case .gcloud: entries = try gcloudEntries(node)
            case .kubectl: entries = try kubectlEntries(node)
            }
            return Frame(location: node.location, children: entries, isMapping: true)
        }
    }

    private mutating func scalarTree(_ node: YAMLNode) throws(ModelError) -> TreeNode {
        guard case .scalar(let text, let style) = node.content else { preconditionFailure("not a scalar") }
        return try scalar(text, style: style, tag: node.tag, at: node.location)
    }

    // MARK: Scalars

    private func resolve(_ text: String, style: YAMLEvent.ScalarStyle, tag: String?) -> YAMLScalarResolution.Kind? {
        switch tag {
        case nil:
            guard style == .plain else { return .string }
            return dialect == .kubectl
                ? GoYAMLResolution.resolve(text) : YAMLScalarResolution.resolve(text, version: version)
        case "!", "tag:yaml.org,2002:str": return .string
        case "tag:yaml.org,2002:int": return .int
        case "tag:yaml.org,2002:float": return .float
        case "tag:yaml.org,2002:bool": return .bool
        case "tag:yaml.org,2002:null": return .null
        case "tag:yaml.org,2002:timestamp": return .timestamp
        case "tag:yaml.org,2002:merge": return .merge
        default: return nil
        }
    }

    private mutating func scalar(
        _ text: String, style: YAMLEvent.ScalarStyle, tag: String?, at location: SourceLocation
    ) throws(ModelError) -> TreeNode {
        guard let kind = resolve(text, style: style, tag: tag) else {
            // Application tags, `!!binary`, `!!set`…: gcloud's safe loader and kubectl do not give them values
            // the resources can hold.
            throw ModelError(
                code: unusableCode(tag), line: location.line, column: location.column,
                message: "unsupported YAML tag \(tag ?? "") on value \"\(text.prefix(40))\"")
        }
        var value: TreeNode.Value
        switch kind {
        case .null: value = .null
        case .bool: value = .bool(["y", "yes", "true", "on"].contains(text.lowercased()))
        case .int:
            switch dialect {
            case .gcloud:
                guard let decimal = PythonScalar.integerDecimal(text) else {
                    throw badScalar(text, "an integer", location)
                }
                value = .integer(decimal)
            case .kubectl:
                // What sigs.k8s.io/yaml writes into the JSON it sends: the number in decimal.
                guard let decimal = GoYAMLResolution.integerDecimal(text) else {
                    throw badScalar(text, "an integer", location)
                }
                value = .integer(decimal)
            case .strict:
                value = .integer(text)
            }
        case .float:
            switch dialect {
            case .gcloud:
                guard let number = PythonScalar.floatValue(text) else { throw badScalar(text, "a number", location) }
                noteMantissaWithoutDot(text, at: location)
                value = .float(PythonScalar.pythonRepr(number))
            case .kubectl:
                guard let number = GoYAMLResolution.floatValue(text) else {
                    throw badScalar(text, "a number", location)
                }
                value = .float(number.isFinite ? number.description : text)
            case .strict:
                value = .float(text)
            }
        case .timestamp: value = .timestamp(text)
        case .string: value = .string(text)
        case .merge where dialect == .kubectl:
            value = .string(text)  // go-yaml keeps a `<<` value as the string it is
        case .merge:
            throw ModelError(
                code: .invalidValue, line: location.line, column: location.column,
                message: "a YAML merge key (<<) is only allowed as a mapping key")
        case .value:
            throw ModelError(
                code: .typeMismatch, line: location.line, column: location.column,
                message: "unsupported YAML value key \"=\" as a value")
        }
        var result = TreeNode(value, at: location)
        switch value {
        case .bool, .integer, .float, .timestamp: result.isBareYAMLScalar = style == .plain && tag == nil
        default: break
        }
        return result
    }

    /// ruamel warns (`MantissaNoDotYAML1_1Warning`) about a YAML 1.1 float such as `1e3` whose mantissa has no dot.
    private mutating func noteMantissaWithoutDot(_ text: String, at location: SourceLocation) {
        guard version == .v1_1 else { return }
        let lower = text.replacing("_", with: "").lowercased()
        guard let e = lower.firstIndex(of: "e"), !lower[..<e].contains(".") else { return }
        warnings.append(
            ReadWarning(
                "MantissaNoDotYAML1_1Warning: In YAML 1.1 floating point values should have a dot ('.') in their "
                    + "mantissa.", at: location))
    }

    /// Python's `str()` of the value ruamel has built for a node when it reports a duplicate key: the scalar's
    /// value, and for a list or mapping the still-empty container (`[]`, `{}`), as ruamel fills them later.
    private func pythonDisplay(_ node: YAMLNode) -> String {
        switch node.content {
        case .sequence: return "[]"
        case .mapping: return "{}"
        case .scalar(let text, let style):
            let kind = resolve(text, style: style, tag: node.tag)
            guard let kind,
                let value = PythonScalar.construct(text, kind: kind == .value ? .string : kind, location: node.location)
            else { return text }
            return value.pythonString
        }
    }

    /// The code of an error for a YAML value no resource can hold: for gcloud, ruamel builds a Python value for the
    /// standard tags (`!!binary` bytes, `!!set` a set, a list key a tuple) that its own code then crashes on
    /// (`json.dumps` raises `TypeError`), and refuses any other tag itself.
    private func unusableCode(_ tag: String?) -> ModelError.Code {
        guard dialect == .gcloud else { return .typeMismatch }
        return tag?.hasPrefix("tag:yaml.org,2002:") == true ? .gcloudFailure : .invalidValue
    }

    private func badScalar(_ text: String, _ what: String, _ location: SourceLocation) -> ModelError {
        ModelError(
            code: .typeMismatch, line: location.line, column: location.column,
            message: "\"\(text.prefix(40))\" is tagged as \(what) but is not one")
    }

    private func checkCollectionTag(_ node: YAMLNode, expected: String) throws(ModelError) {
        guard let tag = node.tag, tag != "!", tag != expected else { return }
        throw ModelError(
            code: unusableCode(tag), line: node.location.line, column: node.location.column,
            message: "unsupported YAML tag \(tag) on a \(expected.hasSuffix("seq") ? "list" : "mapping")")
    }

    // MARK: Keys

    /// A mapping key as a scalar node, or an error for a list or mapping used as a key.
    private func scalarKey(_ key: YAMLNode) throws(ModelError) -> (text: String, style: YAMLEvent.ScalarStyle) {
        guard case .scalar(let text, let style) = key.content else {
            let what = if case .mapping = key.content { "mapping" } else { "list" }
            throw ModelError(
                code: what == "list" ? unusableCode("tag:yaml.org,2002:seq") : .typeMismatch, line: key.location.line,
                column: key.location.column,
                message: "mapping keys must be strings, found a \(what)")
        }
        return (text, style)
    }

    private func isMergeKey(_ key: YAMLNode) -> Bool {
        guard case .scalar(let text, let style) = key.content else { return false }
        if key.tag == "tag:yaml.org,2002:merge" { return true }
        return key.tag == nil && style == .plain && text == "<<"
    }

    // MARK: Strict

    private func strictEntries(_ node: YAMLNode) throws(ModelError)
        -> [(key: String?, keyLocation: SourceLocation?, node: YAMLNode)]
    {
        guard case .mapping(let pairs) = node.content else { preconditionFailure() }
        var entries: [(key: String?, keyLocation: SourceLocation?, node: YAMLNode)] = []
        entries.reserveCapacity(pairs.count)
        var seen = Set<ExactString>()
        for (keyNode, valueNode) in pairs {
            if isMergeKey(keyNode) {
                throw ModelError(
                    code: .invalidValue, line: keyNode.location.line, column: keyNode.location.column,
                    message: "YAML merge keys (<<) are not supported in resource files")
            }
            let key = try scalarKey(keyNode).text
            guard seen.insert(ExactString(key)).inserted else {
                throw ModelError(
                    code: .duplicateKey, line: keyNode.location.line, column: keyNode.location.column,
                    message: "duplicate key \"\(key)\"")
            }
            entries.append((key, keyNode.location, valueNode))
        }
        return entries
    }

    // MARK: gcloud (ruamel.yaml SafeConstructor, then json.dumps / json.loads)

    /// ruamel's `flatten_mapping`: the merged pairs (in the order ruamel lists them) and the mapping's own pairs.
    private mutating func ruamelFlatten(_ node: YAMLNode) throws(ModelError)
        -> (merge: [(key: YAMLNode, value: YAMLNode)], own: [(key: YAMLNode, value: YAMLNode)])
    {
        guard case .mapping(let pairs) = node.content else { return ([], []) }
        var merge: [(key: YAMLNode, value: YAMLNode)] = []
        var own: [(key: YAMLNode, value: YAMLNode)] = []
        for (keyNode, valueNode) in pairs {
            guard isMergeKey(keyNode) else {
                own.append((keyNode, valueNode))
                continue
            }
            if !merge.isEmpty {
                warnings.append(
                    ReadWarning("DuplicateKeyFutureWarning: found duplicate key \"<<\"", at: keyNode.location))
            }
            switch valueNode.content {
            case .mapping:
                let flattened = try ruamelFlatten(valueNode)
                merge.append(contentsOf: flattened.merge + flattened.own)
            case .sequence(let items):
                var submerge: [[(key: YAMLNode, value: YAMLNode)]] = []
                for item in items {
                    guard case .mapping = item.content else {
                        throw mergeError("expected a mapping for merging, but found \(Self.nodeID(item))", item)
                    }
                    let flattened = try ruamelFlatten(item)
                    submerge.append(flattened.merge + flattened.own)
                }
                for value in submerge.reversed() { merge.append(contentsOf: value) }
            case .scalar:
                throw mergeError(
                    "expected a mapping or list of mappings for merging, but found \(Self.nodeID(valueNode))", valueNode
                )
            }
        }
        return (merge, own)
    }

    private func mergeError(_ problem: String, _ node: YAMLNode) -> ModelError {
        ModelError(
            code: .invalidValue, line: node.location.line, column: node.location.column,
            message: "while constructing a mapping: \(problem)")
    }

    private static func nodeID(_ node: YAMLNode) -> String {
        switch node.content {
        case .scalar: "scalar"
        case .sequence: "sequence"
        case .mapping: "mapping"
        }
    }

    private mutating func pythonKey(_ keyNode: YAMLNode) throws(ModelError) -> PythonScalar {
        let (text, style) = try scalarKey(keyNode)
        let kind = resolve(text, style: style, tag: keyNode.tag)
        // ruamel turns the value-key `=` into the string "=".
        let effective: YAMLScalarResolution.Kind? = kind == .value ? .string : kind
        if effective == .float { noteMantissaWithoutDot(text, at: keyNode.location) }
        guard let effective, let value = PythonScalar.construct(text, kind: effective, location: keyNode.location)
        else {
            throw ModelError(
                code: .typeMismatch, line: keyNode.location.line, column: keyNode.location.column,
                message: "unsupported YAML key \"\(text.prefix(40))\"\(keyNode.tag.map { " tagged \($0)" } ?? "")")
        }
        return value
    }

    private mutating func gcloudEntries(_ node: YAMLNode) throws(ModelError)
        -> [(key: String?, keyLocation: SourceLocation?, node: YAMLNode)]
    {
        let (merge, own) = try ruamelFlatten(node)
        // ruamel's construct_mapping: without a merge, a repeated key keeps its first value and warns; with one,
        // it builds the merged pairs, then merged + own pairs, assigning without checks, so the last value wins.
        // A Python dict keeps the key object it first saw.
        var order: [PythonScalar] = []
        var values: [PythonScalar: (keyNode: YAMLNode, value: YAMLNode)] = [:]
        func assign(_ keyNode: YAMLNode, _ valueNode: YAMLNode, check: Bool) throws(ModelError) {
            let key = try pythonKey(keyNode)
            if let existing = values[key] {
                if check {
                    warnings.append(
                        ReadWarning(
                            "DuplicateKeyFutureWarning: found duplicate key \"\(key.pythonString)\" with value "
                                + "\"\(pythonDisplay(valueNode))\" (original value: \"\(pythonDisplay(existing.value))\")",
                            at: keyNode.location))
                    return
                }
                values[key] = (existing.keyNode, valueNode)
            } else {
                order.append(key)
                values[key] = (keyNode, valueNode)
            }
        }
        if merge.isEmpty {
            for (k, v) in own { try assign(k, v, check: true) }
        } else {
            for (k, v) in merge { try assign(k, v, check: false) }
            for (k, v) in merge { try assign(k, v, check: false) }
            for (k, v) in own { try assign(k, v, check: false) }
        }
        // json.dumps writes each key as text, json.loads keeps the last value of a repeated text at the place of
        // the first.
        var entries: [(key: String?, keyLocation: SourceLocation?, node: YAMLNode)] = []
        var positions: [ExactString: Int] = [:]
        for key in order {
            let (keyNode, valueNode) = values[key]!
            guard let text = key.jsonKey else {
                throw ModelError(
                    code: .gcloudFailure, line: keyNode.location.line, column: keyNode.location.column,
                    message: "the key \"\(keyNode.scalarText ?? "")\" is a YAML timestamp, which gcloud cannot use "
                        + "as a key (it fails with a TypeError); quote it to make it a string")
            }
            if let position = positions[ExactString(text)] {
                entries[position].node = valueNode
            } else {
                positions[ExactString(text)] = entries.count
                entries.append((text, keyNode.location, valueNode))
            }
        }
        return entries
    }

    /// ruamel's `!!omap`: a list of one-pair mappings, read as the mapping of those pairs.
    private mutating func omapEntries(_ items: [YAMLNode]) throws(ModelError)
        -> [(key: String?, keyLocation: SourceLocation?, node: YAMLNode)]
    {
        var entries: [(key: String?, keyLocation: SourceLocation?, node: YAMLNode)] = []
        var positions: [ExactString: Int] = [:]
        for item in items {
            guard case .mapping(let pairs) = item.content, pairs.count == 1 else {
                throw ModelError(
                    code: .invalidValue, line: item.location.line, column: item.location.column,
                    message: "while constructing an ordered map: expected a single mapping item")
            }
            let (keyNode, valueNode) = pairs[0]
            guard let text = try pythonKey(keyNode).jsonKey else {
                throw ModelError(
                    code: .gcloudFailure, line: keyNode.location.line, column: keyNode.location.column,
                    message:
                        "the key \"\(keyNode.scalarText ?? "")\" is a YAML timestamp, which gcloud cannot use as a key")
            }
            if let position = positions[ExactString(text)] {
                entries[position].node = valueNode
            } else {
                positions[ExactString(text)] = entries.count
                entries.append((text, keyNode.location, valueNode))
            }
        }
        return entries
    }

    // MARK: kubectl (go-yaml v2 into map[interface{}]interface{}, then sigs.k8s.io/yaml)

    private struct GoKey: Hashable {
        enum Value: Hashable {
            case string(ExactString)
            case int(String)
            case float(UInt64)
            case nan(Int, Int)
            case bool(Bool)
            case null
        }
        let value: Value
    }

    private func goKey(_ keyNode: YAMLNode) throws(ModelError) -> (key: GoKey, text: String) {
        let (text, style) = try scalarKey(keyNode)
        let loc = keyNode.location
        guard let kind = resolve(text, style: style, tag: keyNode.tag) else {
            throw ModelError(
                code: .typeMismatch, line: loc.line, column: loc.column,
                message: "unsupported YAML key \"\(text.prefix(40))\"")
        }
        switch kind {
        case .string, .merge, .value, .timestamp:
            // A timestamp key becomes a time.Time, which sigs.k8s.io/yaml cannot use as a key.
            if kind == .timestamp {
                throw ModelError(
                    code: .typeMismatch, line: loc.line, column: loc.column,
                    message: "the key \"\(text.prefix(40))\" is a YAML timestamp, which kubectl cannot use as a key; "
                        + "quote it")
            }
            return (GoKey(value: .string(ExactString(text))), text)
        case .null:
            throw ModelError(
                code: .typeMismatch, line: loc.line, column: loc.column,
                message: "a null mapping key (\"\(text)\") is not allowed by kubectl; quote it")
        case .bool:
            let b = ["y", "yes", "true", "on"].contains(text.lowercased())
            return (GoKey(value: .bool(b)), b ? "true" : "false")
        case .int:
            guard let decimal = GoYAMLResolution.integerDecimal(text) else {
                return (GoKey(value: .string(ExactString(text))), text)
            }
            return (GoKey(value: .int(decimal)), decimal)
        case .float:
            guard let value = GoYAMLResolution.floatValue(text) else {
                return (GoKey(value: .string(ExactString(text))), text)
            }
            let shown = GoYAMLResolution.formatKey(value)
            if value.isNaN { return (GoKey(value: .nan(loc.line, loc.column)), shown) }
            return (GoKey(value: .float((value == 0 ? 0 : value).bitPattern)), shown)
        }
    }

    /// go-yaml v2's `mapping` into a Go map: pairs in order, a merge key merging at its place.
    private mutating func kubectlCollect(
        _ node: YAMLNode, into map: inout [GoKey: (text: String, keyNode: YAMLNode, value: YAMLNode)],
        order: inout [GoKey], merging: Bool
    ) throws(ModelError) {
        guard case .mapping(let pairs) = node.content else { preconditionFailure() }
        for (keyNode, valueNode) in pairs {
            if isMergeKey(keyNode) {
                try kubectlMerge(valueNode, into: &map, order: &order)
                continue
            }
            let (key, text) = try goKey(keyNode)
            if let previous = map[key], !merging {
                warnings.append(
                    ReadWarning(
                        "the key \"\(text)\" is repeated (first at line \(previous.keyNode.location.line)); kubectl "
                            + "uses the last value", at: keyNode.location))
            }
            if map[key] == nil { order.append(key) }
            map[key] = (text, keyNode, valueNode)
        }
    }

    private mutating func kubectlMerge(
        _ value: YAMLNode, into map: inout [GoKey: (text: String, keyNode: YAMLNode, value: YAMLNode)],
        order: inout [GoKey]
    ) throws(ModelError) {
        switch value.content {
        case .mapping:
            try kubectlCollect(value, into: &map, order: &order, merging: true)
        case .sequence(let items):
            // "Step backwards as earlier nodes take precedence."
            for item in items.reversed() {
                guard case .mapping = item.content else {
                    throw ModelError(
                        code: .invalidValue, line: item.location.line, column: item.location.column,
                        message: "map merge requires map or sequence of maps as the value")
                }
                try kubectlCollect(item, into: &map, order: &order, merging: true)
            }
        case .scalar:
            throw ModelError(
                code: .invalidValue, line: value.location.line, column: value.location.column,
                message: "map merge requires map or sequence of maps as the value")
        }
    }

    private mutating func kubectlEntries(_ node: YAMLNode) throws(ModelError)
        -> [(key: String?, keyLocation: SourceLocation?, node: YAMLNode)]
    {
        var map: [GoKey: (text: String, keyNode: YAMLNode, value: YAMLNode)] = [:]
        var order: [GoKey] = []
        try kubectlCollect(node, into: &map, order: &order, merging: false)
        var entries: [(key: String?, keyLocation: SourceLocation?, node: YAMLNode)] = []
        entries.reserveCapacity(order.count)
        var seen: [ExactString: YAMLNode] = [:]
        for key in order {
            let (text, keyNode, valueNode) = map[key]!
            if let other = seen[ExactString(text)] {
                throw ModelError(
                    code: .duplicateKey, line: keyNode.location.line, column: keyNode.location.column,
                    message: "the keys \"\(other.scalarText ?? "")\" (line \(other.location.line)) and "
                        + "\"\(keyNode.scalarText ?? "")\" both become \"\(text)\"; kubectl would keep either one at "
                        + "random — quote them or remove one")
            }
            seen[ExactString(text)] = keyNode
            entries.append((text, keyNode.location, valueNode))
        }
        return entries
    }
}
