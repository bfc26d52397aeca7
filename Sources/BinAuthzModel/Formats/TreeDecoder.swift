// SPDX-License-Identifier: Apache-2.0

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A `Decoder` over a ``TreeNode`` that is as strict as gcloud's import.
///
/// - Unknown fields are errors (when ``Options/rejectUnknownFields`` is set): a keyed container whose
///   `CodingKey` type is `CaseIterable` knows every field the resource has, and any other key in the input is
///   reported with its path and line.
/// - Scalars must have the declared type: a YAML `5` or `true` is not a string; `null` counts as absent.
/// - With ``Options/acceptProtoFieldNames`` a `snake_case` field (`human_readable_name`) is read as its
///   lowerCamelCase JSON name, as Google's JSON parsers do.
package struct TreeDecoder {
    package struct Options: Sendable {
        package var rejectUnknownFields: Bool
        package var acceptProtoFieldNames: Bool
        package init(rejectUnknownFields: Bool = true, acceptProtoFieldNames: Bool = false) {
            self.rejectUnknownFields = rejectUnknownFields
            self.acceptProtoFieldNames = acceptProtoFieldNames
        }
    }

    package var options: Options

    package init(options: Options = Options()) { self.options = options }

    package func decode<T: Decodable>(_ type: T.Type, from node: TreeNode) throws(ModelError) -> T {
        let decoder = _TreeDecoder(node: node, path: [], options: options)
        do {
            return try T(from: decoder)
        } catch let error as ModelError {
            throw error
        } catch let error as DecodingError {
            throw Self.translate(error, root: node)
        } catch {
            throw ModelError(code: .invalidValue, message: "\(error)")
        }
    }

    /// A `DecodingError` thrown by a type's own `init(from:)` (a base64 field that is not base64, …), as a
    /// ``ModelError`` with the field path and the line and column of the value, as the decoder's own errors have.
    private static func translate(_ error: DecodingError, root: TreeNode) -> ModelError {
        func located(_ code: ModelError.Code, _ path: [any CodingKey], _ message: String) -> ModelError {
            let location = root.deepestLocation(along: path)
            return ModelError(
                code: code, path: FieldPath.render(path), line: location?.line, column: location?.column,
                message: message)
        }
        switch error {
        case .dataCorrupted(let context):
            return located(.invalidValue, context.codingPath, context.debugDescription)
        case .keyNotFound(let key, let context):
            return located(.missingField, context.codingPath + [key], "required field is missing")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return located(.typeMismatch, context.codingPath, context.debugDescription)
        @unknown default:
            return ModelError(code: .invalidValue, message: "\(error)")
        }
    }
}

/// Renders coding paths the way this library prints field paths:
/// `clusterAdmissionRules["us-east1-b.prod"].requireAttestationsBy[0]`.
package enum FieldPath {
    package static func render(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue, key is IndexKey {
                text += "[\(index)]"
            } else if key is MapKey {
                text += "[\"\(key.stringValue)\"]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }

    /// `base.field`, or `base[0]` when `field` is an index; either side may be empty.
    package static func join(_ base: String, _ field: String) -> String {
        if base.isEmpty { return field }
        if field.isEmpty { return base }
        return field.hasPrefix("[") ? base + field : "\(base).\(field)"
    }
}

/// A coding key for an element of a list.
package struct IndexKey: CodingKey {
    package var stringValue: String { "\(index)" }
    package var intValue: Int? { index }
    package let index: Int
    package init(index: Int) { self.index = index }
    package init?(stringValue: String) { nil }
    package init?(intValue: Int) { self.index = intValue }
}

/// A coding key for an entry of a map-valued field (e.g. a cluster spec in `clusterAdmissionRules`).
package struct MapKey: CodingKey {
    package let stringValue: String
    package var intValue: Int? { nil }
    package init(_ string: String) { self.stringValue = string }
    package init?(stringValue: String) { self.stringValue = stringValue }
    package init?(intValue: Int) { nil }
}

/// A coding key for a field of a message.
package struct FieldKey: CodingKey {
    package let stringValue: String
    package var intValue: Int? { nil }
    package init(_ string: String) { self.stringValue = string }
    package init?(stringValue: String) { self.stringValue = stringValue }
    package init?(intValue: Int) { nil }
}

private func camelCase(_ key: String) -> String {
    guard key.contains("_") else { return key }
    var result = ""
    var upperNext = false
    for ch in key {
        if ch == "_" {
            upperNext = !result.isEmpty
        } else if upperNext {
            result += ch.uppercased()
            upperNext = false
        } else {
            result.append(ch)
        }
    }
    return result
}

private struct _TreeDecoder: Decoder {
    let node: TreeNode
    let path: [any CodingKey]
    let options: TreeDecoder.Options

    var codingPath: [any CodingKey] { path }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func error(_ code: ModelError.Code, _ message: String, at node: TreeNode? = nil, extra: [any CodingKey] = [])
        -> ModelError
    {
        let loc = (node ?? self.node).location
        return ModelError(
            code: code, path: FieldPath.render(path + extra), line: loc?.line, column: loc?.column, message: message)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .map(let entries) = node.value else {
            throw error(.typeMismatch, "expected a mapping, found \(node.kindDescription)")
        }
        let isMessage = Key.self is any CaseIterable.Type
        var byKey: [String: (key: String, keyLocation: SourceLocation?, value: TreeNode)] = [:]
        for entry in entries {
            var name = entry.key
            if isMessage && options.acceptProtoFieldNames { name = camelCase(name) }
            if byKey[name] != nil {
                throw ModelError(
                    code: .duplicateKey, path: FieldPath.render(path + [FieldKey(name)]),
                    line: entry.keyLocation?.line, column: entry.keyLocation?.column,
                    message: "field given twice (as \(entry.key) and in another spelling)")
            }
            byKey[name] = entry
            if isMessage && options.rejectUnknownFields && Key(stringValue: name) == nil {
                throw ModelError(
                    code: .unknownField, path: FieldPath.render(path + [FieldKey(entry.key)]),
                    line: entry.keyLocation?.line, column: entry.keyLocation?.column,
                    message: "unknown field")
            }
        }
        let ordered = entries.map { isMessage && options.acceptProtoFieldNames ? camelCase($0.key) : $0.key }
        return KeyedDecodingContainer(
            KeyedContainer<Key>(
                decoder: self, entries: byKey, orderedKeys: ordered, isMessage: isMessage))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        switch node.value {
        case .list(let items):
            return UnkeyedContainer(decoder: self, items: items)
        case .null:
            return UnkeyedContainer(decoder: self, items: [])
        default:
            // apitools (gcloud's import) accepts a single value for a repeated field and wraps it in a list.
            return UnkeyedContainer(decoder: self, items: [node])
        }
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        SingleValueContainer(decoder: self)
    }

    func child(_ node: TreeNode, key: any CodingKey) -> _TreeDecoder {
        _TreeDecoder(node: node, path: path + [key], options: options)
    }
}

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: _TreeDecoder
    let entries: [String: (key: String, keyLocation: SourceLocation?, value: TreeNode)]
    let orderedKeys: [String]
    let isMessage: Bool

    var codingPath: [any CodingKey] { decoder.path }
    var allKeys: [Key] { orderedKeys.compactMap { Key(stringValue: $0) } }

    private func pathKey(_ key: Key) -> any CodingKey {
        isMessage ? FieldKey(key.stringValue) : MapKey(key.stringValue)
    }

    func contains(_ key: Key) -> Bool { entries[key.stringValue] != nil }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let entry = entries[key.stringValue] else { return true }
        if case .null = entry.value.value { return true }
        return false
    }

    private func childDecoder(_ key: Key) throws -> _TreeDecoder {
        guard let entry = entries[key.stringValue] else {
            throw ModelError(
                code: .missingField, path: FieldPath.render(codingPath + [pathKey(key)]),
                line: decoder.node.location?.line, column: decoder.node.location?.column,
                message: "required field is missing")
        }
        return decoder.child(entry.value, key: pathKey(key))
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try T(from: childDecoder(key))
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let entry = entries[key.stringValue] else { return nil }
        if case .null = entry.value.value { return nil }
        return try T(from: decoder.child(entry.value, key: pathKey(key)))
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try childDecoder(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try childDecoder(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> any Decoder { try childDecoder(key) }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: _TreeDecoder
    let items: [TreeNode]
    var currentIndex = 0

    init(decoder: _TreeDecoder, items: [TreeNode]) {
        self.decoder = decoder
        self.items = items
    }

    var codingPath: [any CodingKey] { decoder.path }
    var count: Int? { items.count }
    var isAtEnd: Bool { currentIndex >= items.count }

    private mutating func next() throws -> _TreeDecoder {
        guard !isAtEnd else {
            throw decoder.error(.invalidValue, "list has fewer elements than expected")
        }
        defer { currentIndex += 1 }
        return decoder.child(items[currentIndex], key: IndexKey(index: currentIndex))
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else { return false }
        if case .null = items[currentIndex].value {
            currentIndex += 1
            return true
        }
        return false
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: next()) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey>
    {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { try next() }
}

private struct SingleValueContainer: SingleValueDecodingContainer {
    let decoder: _TreeDecoder
    var codingPath: [any CodingKey] { decoder.path }
    var node: TreeNode { decoder.node }

    func decodeNil() -> Bool {
        if case .null = node.value { return true }
        return false
    }

    private func mismatch(_ expected: String) -> ModelError {
        decoder.error(.typeMismatch, node.mismatch(expected: expected))
    }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let value) = node.value else { throw mismatch("a boolean") }
        return value
    }

    func decode(_ type: String.Type) throws -> String {
        guard case .string(let value) = node.value else { throw mismatch("a string") }
        return value
    }

    func decode(_ type: Double.Type) throws -> Double {
        switch node.value {
        case .integer(let text), .float(let text):
            guard let value = Double(text.replacing("_", with: "")) else { throw mismatch("a number") }
            return value
        default:
            throw mismatch("a number")
        }
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    private func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        switch node.value {
        case .integer(let text):
            guard let value = T(text.replacing("_", with: "")) else {
                throw decoder.error(.invalidValue, "integer \(text) is out of range")
            }
            return value
        case .string(let text):
            // proto3 JSON writes 64-bit integers as strings.
            guard let value = T(text) else { throw mismatch("an integer") }
            return value
        default:
            throw mismatch("an integer")
        }
    }

    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: decoder) }
}

extension TreeNode {
    /// The location of the node at `path`, or of the deepest node on the way there that exists (a missing field is
    /// reported at its parent).
    fileprivate func deepestLocation(along path: [any CodingKey]) -> SourceLocation? {
        var node = self
        for key in path {
            let next: TreeNode?
            switch node.value {
            case .map(let entries): next = entries.first { $0.key == key.stringValue }?.value
            case .list(let items): next = key.intValue.flatMap { items.indices.contains($0) ? items[$0] : nil }
            default: next = nil
            }
            guard let next else { break }
            node = next
        }
        return node.location
    }
}
