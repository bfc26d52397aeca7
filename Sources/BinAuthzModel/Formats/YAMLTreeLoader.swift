// SPDX-License-Identifier: Apache-2.0

import Yams

/// Reads YAML into a ``TreeNode`` the way gcloud's loader sees it.
///
/// gcloud parses resource files with ruamel.yaml in YAML 1.1 mode, so an unquoted `yes` is a boolean and an
/// unquoted `2024-05-21T12:13:44Z` a timestamp; Yams' default resolver applies the same YAML 1.1 rules.
/// Aliases are expanded (with a node budget, so "billion laughs" documents fail instead of exhausting memory)
/// and duplicate keys are errors, as they are for ruamel.
package enum YAMLTreeLoader {
    /// Parses every document of a multi-document YAML stream (`---` separated). Empty documents are skipped.
    package static func parseAll(_ text: String) throws(ModelError) -> [TreeNode] {
        try checkSize(text)
        do {
            var budget = TreeLimits.maximumNodes
            var result: [TreeNode] = []
            var documents = try Yams.compose_all(yaml: text, .basic)
            while let node = documents.next() {
                result.append(try convert(node, depth: 0, budget: &budget))
            }
            // Yams stops at the first malformed document and keeps the error instead of throwing it.
            if let error = documents.error { throw error }
            return result
        } catch let error as ModelError {
            throw error
        } catch {
            throw translate(error)
        }
    }

    /// Parses a single-document YAML text. An empty document is a ``ModelError/Code/missingField`` error.
    package static func parse(_ text: String) throws(ModelError) -> TreeNode {
        try checkSize(text)
        do {
            guard let node = try Yams.compose(yaml: text, .basic) else {
                throw ModelError(code: .missingField, message: "the document is empty")
            }
            var budget = TreeLimits.maximumNodes
            return try convert(node, depth: 0, budget: &budget)
        } catch let error as ModelError {
            throw error
        } catch {
            throw translate(error)
        }
    }

    private static func checkSize(_ text: String) throws(ModelError) {
        guard text.utf8.count <= TreeLimits.maximumBytes else {
            throw ModelError(code: .tooLarge, message: "document is larger than \(TreeLimits.maximumBytes >> 20) MiB")
        }
        // libyaml limits nesting to 1000 levels, but Yams composes recursively, and 1000 levels overflow a 512 KiB
        // thread stack. Keep hostile nesting — flow (`[[[[…`) or block (indentation, `- - - …`) — well away from
        // that before handing the text to Yams; the converter then enforces the real limit.
        try checkBlockNesting(text)
        var depth = 0
        var line = 1
        var inDouble = false
        var inSingle = false
        var inComment = false
        var previous: UInt8 = 0x0A
        for byte in text.utf8 {
            if byte == 0x0A {
                line += 1
                inComment = false
            } else if inComment {
            } else if inDouble {
                if byte == UInt8(ascii: "\"") && previous != UInt8(ascii: "\\") { inDouble = false }
            } else if inSingle {
                if byte == UInt8(ascii: "'") { inSingle = false }
            } else {
                switch byte {
                case UInt8(ascii: "\""): inDouble = true
                case UInt8(ascii: "'"): inSingle = (previous == 0x20 || previous == 0x0A || previous == 0x09
                    || previous == UInt8(ascii: "[") || previous == UInt8(ascii: "{") || previous == UInt8(ascii: ","))
                case UInt8(ascii: "#") where previous == 0x20 || previous == 0x0A || previous == 0x09: inComment = true
                case UInt8(ascii: "["), UInt8(ascii: "{"):
                    depth += 1
                    if depth > TreeLimits.maximumDepth {
                        throw ModelError(
                            code: .tooLarge, line: line,
                            message: "nesting deeper than \(TreeLimits.maximumDepth) levels")
                    }
                case UInt8(ascii: "]"), UInt8(ascii: "}"):
                    depth = max(0, depth - 1)
                default: break
                }
            }
            previous = byte
        }
    }

    /// Rejects block nesting deeper than twice ``TreeLimits/maximumDepth``, estimated from the stack of
    /// indentation columns plus the `- ` / `? ` indicators that open a line. The estimate never undercounts the
    /// depth a line adds, and legitimate documents stay far below the bound.
    private static func checkBlockNesting(_ text: String) throws(ModelError) {
        let bound = TreeLimits.maximumDepth * 2
        var indents: [Int] = []
        var lineNumber = 0
        for line in text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let column = line.prefix { $0 == UInt8(ascii: " ") }.count
            var rest = line.dropFirst(column)
            guard let first = rest.first, first != UInt8(ascii: "#"), first != UInt8(ascii: "\r") else { continue }
            while let last = indents.last, last >= column { indents.removeLast() }
            indents.append(column)
            var inline = 0
            while let indicator = rest.first, indicator == UInt8(ascii: "-") || indicator == UInt8(ascii: "?"),
                rest.count == 1 || rest.dropFirst().first == UInt8(ascii: " ")
            {
                inline += 1
                rest = rest.dropFirst().drop { $0 == UInt8(ascii: " ") }
            }
            if indents.count + inline > bound {
                throw ModelError(
                    code: .tooLarge, line: lineNumber,
                    message: "nesting deeper than \(TreeLimits.maximumDepth) levels")
            }
        }
    }

    private static func location(_ mark: Mark?) -> SourceLocation? {
        mark.map { SourceLocation(line: $0.line, column: $0.column) }
    }

    private static func convert(_ node: Node, depth: Int, budget: inout Int) throws(ModelError) -> TreeNode {
        budget -= 1
        guard budget >= 0 else {
            throw ModelError(
                code: .tooLarge, line: node.mark?.line,
                message: "document expands to more than \(TreeLimits.maximumNodes) nodes (aliases included)")
        }
        guard depth <= TreeLimits.maximumDepth else {
            throw ModelError(
                code: .tooLarge, line: node.mark?.line,
                message: "nesting deeper than \(TreeLimits.maximumDepth) levels")
        }
        let loc = location(node.mark)
        switch node {
        case .scalar(let scalar):
            let text = scalar.string
            let value: TreeNode.Value
            switch scalarKind(scalar) {
            case .null: value = .null
            case .bool: value = .bool(["y", "yes", "true", "on"].contains(text.lowercased()))
            case .int: value = .integer(text)
            case .float: value = .float(text)
            case .timestamp: value = .timestamp(text)
            case .string: value = .string(text)
            case .merge:
                throw ModelError(
                    code: .invalidValue, line: loc?.line, column: loc?.column,
                    message: "YAML merge keys (<<) are not supported in resource files")
            case .value, nil:
                // `=` (the YAML 1.1 value key) and application tags: gcloud's safe loader accepts neither.
                throw ModelError(
                    code: .typeMismatch, line: loc?.line, column: loc?.column,
                    message: "unsupported YAML tag \(scalar.tag.description) on value \"\(text.prefix(40))\"")
            }
            var result = TreeNode(value, at: loc)
            switch value {
            case .bool, .integer, .float, .timestamp: result.isBareYAMLScalar = scalar.style == .plain
            default: break
            }
            return result
        case .sequence(let sequence):
            var items: [TreeNode] = []
            items.reserveCapacity(sequence.count)
            for item in sequence {
                items.append(try convert(item, depth: depth + 1, budget: &budget))
            }
            return TreeNode(.list(items), at: loc)
        case .mapping(let mapping):
            var entries: [(key: String, keyLocation: SourceLocation?, value: TreeNode)] = []
            var seen = Set<String>()
            for (keyNode, valueNode) in mapping {
                let keyLoc = location(keyNode.mark)
                guard case .scalar(let keyScalar) = keyNode else {
                    throw ModelError(
                        code: .typeMismatch, line: keyLoc?.line, column: keyLoc?.column,
                        message: "mapping keys must be strings, found a \(keyNode.mapping != nil ? "mapping" : "list")")
                }
                let key = keyScalar.string
                guard seen.insert(key).inserted else {
                    throw ModelError(
                        code: .duplicateKey, line: keyLoc?.line, column: keyLoc?.column,
                        message: "duplicate key \"\(key)\"")
                }
                entries.append((key, keyLoc, try convert(valueNode, depth: depth + 1, budget: &budget)))
            }
            return TreeNode(.map(entries), at: loc)
        case .alias(let alias):
            // Yams resolves aliases while composing; an unresolved one is an undefined anchor.
            throw ModelError(
                code: .syntax, line: loc?.line, column: loc?.column,
                message: "undefined YAML alias *\(alias.anchor)")
        }
    }

    /// The YAML 1.1 type of a scalar: explicit tags win, quoted scalars are strings, plain scalars are resolved
    /// with ruamel.yaml's 1.1 rules. `nil` for tags outside the core schema.
    private static func scalarKind(_ scalar: Node.Scalar) -> YAMLScalarResolution.Kind? {
        // Read the tag before anything resolves it: Yams resolves `Tag` objects in place.
        let tag = scalar.tag.description
        switch tag {
        case "", "?":
            return scalar.style == .plain ? YAMLScalarResolution.resolve(scalar.string, version: .v1_1) : .string
        case "!", "tag:yaml.org,2002:str": return .string
        case "tag:yaml.org,2002:int": return .int
        case "tag:yaml.org,2002:float": return .float
        case "tag:yaml.org,2002:bool": return .bool
        case "tag:yaml.org,2002:null": return .null
        case "tag:yaml.org,2002:timestamp": return .timestamp
        default: return nil
        }
    }

    private static func translate(_ error: any Error) -> ModelError {
        guard let yamlError = error as? YamlError else {
            return ModelError(code: .syntax, message: "invalid YAML: \(error)")
        }
        switch yamlError {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return ModelError(
                code: problem.contains("Maximum nesting") ? .tooLarge : .syntax,
                line: mark.line, column: mark.column, message: "invalid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ModelError(
                code: .duplicateKey, line: context.mark.line, column: context.mark.column,
                message: "duplicate key \(duplicates.sorted().map { "\"\($0)\"" }.joined(separator: ", "))")
        case .reader(let problem, _, _, _):
            return ModelError(code: .syntax, message: "invalid YAML: \(problem)")
        default:
            return ModelError(code: .syntax, message: "invalid YAML: \(yamlError)")
        }
    }
}
