// SPDX-License-Identifier: Apache-2.0

/// An `Encoder` that builds a ``TreeNode`` directly, so resources are written without a JSON round trip (and
/// without the reader's size limits, which are for untrusted input, not for what this library writes).
package enum TreeEncoder {
    package static func encode(_ value: some Encodable) -> TreeNode {
        let root = Box()
        do {
            try value.encode(to: _TreeEncoder(box: root, path: []))
        } catch {
            // The model's types encode strings, lists and maps only; nothing in them can throw.
            preconditionFailure("encoding a resource cannot fail: \(error)")
        }
        return root.node
    }

    /// A mutable node under construction. Lists and maps grow in place (no copy per element).
    final class Box {
        enum Kind { case empty, value, list, map }
        var kind = Kind.empty
        var value = TreeNode.Value.null
        var items: [Box] = []
        var entries: [(key: String, box: Box)] = []
        var positions: [String: Int] = [:]

        var node: TreeNode {
            switch kind {
            case .empty: TreeNode(.null)
            case .value: TreeNode(value)
            case .list: TreeNode(.list(items.map(\.node)))
            case .map: TreeNode(.map(entries.map { (key: $0.key, keyLocation: nil, value: $0.box.node) }))
            }
        }

        func set(_ value: TreeNode.Value) {
            kind = .value
            self.value = value
        }

        func child(forKey key: String) -> Box {
            kind = .map
            if let position = positions[key] { return entries[position].box }
            let box = Box()
            positions[key] = entries.count
            entries.append((key, box))
            return box
        }

        func appendChild() -> Box {
            kind = .list
            let box = Box()
            items.append(box)
            return box
        }
    }
}

private struct _TreeEncoder: Encoder {
    let box: TreeEncoder.Box
    let path: [any CodingKey]
    var codingPath: [any CodingKey] { path }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if box.kind == .empty { box.kind = .map }
        return KeyedEncodingContainer(KeyedContainer<Key>(box: box, path: path))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if box.kind == .empty { box.kind = .list }
        return UnkeyedContainer(box: box, path: path)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { SingleValue(box: box, path: path) }
}

private struct KeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: TreeEncoder.Box
    let path: [any CodingKey]
    var codingPath: [any CodingKey] { path }

    mutating func encodeNil(forKey key: Key) { box.child(forKey: key.stringValue).set(.null) }
    mutating func encode(_ value: Bool, forKey key: Key) { box.child(forKey: key.stringValue).set(.bool(value)) }
    mutating func encode(_ value: String, forKey key: Key) {
        box.child(forKey: key.stringValue).set(.string(value))
    }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try value.encode(to: _TreeEncoder(box: box.child(forKey: key.stringValue), path: path + [key]))
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
        -> KeyedEncodingContainer<NestedKey>
    {
        _TreeEncoder(box: box.child(forKey: key.stringValue), path: path + [key]).container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        _TreeEncoder(box: box.child(forKey: key.stringValue), path: path + [key]).unkeyedContainer()
    }
    mutating func superEncoder() -> any Encoder { _TreeEncoder(box: box.child(forKey: "super"), path: path) }
    mutating func superEncoder(forKey key: Key) -> any Encoder {
        _TreeEncoder(box: box.child(forKey: key.stringValue), path: path + [key])
    }
}

private struct UnkeyedContainer: UnkeyedEncodingContainer {
    let box: TreeEncoder.Box
    let path: [any CodingKey]
    var codingPath: [any CodingKey] { path }
    var count: Int { box.items.count }

    mutating func encodeNil() { box.appendChild().set(.null) }
    mutating func encode(_ value: Bool) { box.appendChild().set(.bool(value)) }
    mutating func encode(_ value: String) { box.appendChild().set(.string(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        try value.encode(to: _TreeEncoder(box: box.appendChild(), path: path + [IndexKey(index: count)]))
    }
    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type)
        -> KeyedEncodingContainer<NestedKey>
    {
        _TreeEncoder(box: box.appendChild(), path: path).container(keyedBy: keyType)
    }
    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        _TreeEncoder(box: box.appendChild(), path: path).unkeyedContainer()
    }
    mutating func superEncoder() -> any Encoder { _TreeEncoder(box: box.appendChild(), path: path) }
}

private struct SingleValue: SingleValueEncodingContainer {
    let box: TreeEncoder.Box
    let path: [any CodingKey]
    var codingPath: [any CodingKey] { path }

    mutating func encodeNil() { box.set(.null) }
    mutating func encode(_ value: Bool) { box.set(.bool(value)) }
    mutating func encode(_ value: String) { box.set(.string(value)) }
    mutating func encode(_ value: Double) { box.set(.float(String(value))) }
    mutating func encode(_ value: Float) { box.set(.float(String(value))) }
    mutating func encode(_ value: Int) { box.set(.integer(String(value))) }
    mutating func encode(_ value: Int8) { box.set(.integer(String(value))) }
    mutating func encode(_ value: Int16) { box.set(.integer(String(value))) }
    mutating func encode(_ value: Int32) { box.set(.integer(String(value))) }
    mutating func encode(_ value: Int64) { box.set(.integer(String(value))) }
    mutating func encode(_ value: UInt) { box.set(.integer(String(value))) }
    mutating func encode(_ value: UInt8) { box.set(.integer(String(value))) }
    mutating func encode(_ value: UInt16) { box.set(.integer(String(value))) }
    mutating func encode(_ value: UInt32) { box.set(.integer(String(value))) }
    mutating func encode(_ value: UInt64) { box.set(.integer(String(value))) }
    mutating func encode<T: Encodable>(_ value: T) throws { try value.encode(to: _TreeEncoder(box: box, path: path)) }
}
