// SPDX-License-Identifier: Apache-2.0

/// A protorpc message type as apitools knows it: fields in field-number order (apitools numbers them
/// alphabetically), each a string, an enum (names by number), or a message; map fields are messages whose only
/// field is the repeated `additionalProperties` of key/value pairs.
package final class ProtoMessageType: Sendable {
    package enum Kind: Sendable {
        case string
        case enumeration([String])
        case message(ProtoMessageType)
        /// A protorpc `BooleanField`: only a boolean.
        case boolean
        /// A protorpc `IntegerField`: an integer, a boolean (Python's `True` is an `int`), or text Python's `int()`
        /// reads (`" 30"`, `"+3_0"`).
        case integer
    }

    package struct Field: Sendable {
        package let name: String
        package let kind: Kind
        package let repeated: Bool
    }

    package let name: String
    package let fields: [Field]
    /// For a map message (`ClusterAdmissionRulesValue`), the message type of its values.
    package let mapValue: ProtoMessageType?

    package init(name: String, fields: [Field]) {
        self.name = name
        self.fields = fields
        self.mapValue = nil
    }

    /// A map message `name` whose values are `value` messages.
    package init(mapNamed name: String, value: ProtoMessageType) {
        self.name = name
        let pair = ProtoMessageType(
            name: "AdditionalProperty",
            fields: [
                Field(name: "key", kind: .string, repeated: false),
                Field(name: "value", kind: .message(value), repeated: false),
            ])
        self.fields = [Field(name: "additionalProperties", kind: .message(pair), repeated: true)]
        self.mapValue = value
    }

    package func field(named name: String) -> Field? { fields.first { $0.name.isIdentical(to: name) } }
}

extension ProtoMessageType.Field {
    package static func string(_ name: String, repeated: Bool = false) -> Self {
        Self(name: name, kind: .string, repeated: repeated)
    }
    package static func enumeration(_ name: String, _ values: [String]) -> Self {
        Self(name: name, kind: .enumeration(values), repeated: false)
    }
    package static func message(_ name: String, _ type: ProtoMessageType, repeated: Bool = false) -> Self {
        Self(name: name, kind: .message(type), repeated: repeated)
    }
    package static func boolean(_ name: String) -> Self { Self(name: name, kind: .boolean, repeated: false) }
    package static func integer(_ name: String) -> Self { Self(name: name, kind: .integer, repeated: false) }
}

/// A decoded protorpc message: the fields that are assigned, the names it did not recognise, and for a map message
/// its entries.
package struct ProtoMessage: Sendable {
    package indirect enum Value: Sendable {
        case string(String)
        case enumeration(String)
        case message(ProtoMessage)
        case boolean(Bool)
        /// The integer's decimal text (gcloud sends Python's `int`, of any size).
        case integer(String)
        case list([Value])
    }

    package let type: ProtoMessageType
    package var assigned: [(name: String, value: Value)] = []
    /// Unrecognised names in the order apitools recorded them.
    package var unrecognized: [String] = []
    /// Where the first unrecognised name is in the source.
    package var unrecognizedLocation: SourceLocation?
    package var entries: [(key: String, value: ProtoMessage)] = []

    init(type: ProtoMessageType) { self.type = type }

    mutating func assign(_ name: String, _ value: Value?) {
        assigned.removeAll { $0.name.isIdentical(to: name) }
        if let value { assigned.append((name, value)) }
    }

    func value(_ name: String) -> Value? { assigned.first { $0.name.isIdentical(to: name) }?.value }

    mutating func markUnrecognized(_ name: String, at location: SourceLocation?) {
        if !unrecognized.contains(where: { $0.isIdentical(to: name) }) { unrecognized.append(name) }
        if unrecognizedLocation == nil { unrecognizedLocation = location }
    }

    /// The message as the JSON apitools' `encoding.MessageToJson` writes: assigned fields (an empty repeated field
    /// is not written), map entries as members, nested messages as objects (`{}` when empty).
    package var json: TreeNode {
        if type.mapValue != nil {
            return TreeNode(.map(entries.map { ($0.key, nil, $0.value.json) }))
        }
        var members: [(key: String, keyLocation: SourceLocation?, value: TreeNode)] = []
        for field in type.fields {
            guard let value = value(field.name) else { continue }
            if case .list(let items) = value, items.isEmpty { continue }
            members.append((field.name, nil, Self.json(value)))
        }
        return TreeNode(.map(members))
    }

    private static func json(_ value: Value) -> TreeNode {
        switch value {
        case .string(let text), .enumeration(let text): TreeNode(.string(text))
        case .boolean(let value): TreeNode(.bool(value))
        case .integer(let text): TreeNode(.integer(text))
        case .message(let message): message.json
        case .list(let items): TreeNode(.list(items.map(json)))
        }
    }
}

/// How apitools' decoding of a dict into a message failed, in gcloud's words.
package enum ApitoolsFailure: Error, Sendable {
    /// protorpc's `ValidationError` (a value of the wrong type): gcloud reports
    /// `Failed to parse value in protobuf [T]:\n  T.??: "<message>"`.
    case validation(String, path: String, at: SourceLocation?)
    /// Unknown fields and unknown enum values after a successful decode: `Failed to parse value(s) in protobuf
    /// [T]:` and one `  T.<path>` line per message holding them.
    case unrecognized([String], at: SourceLocation?)
    /// gcloud itself crashes here (`gcloud crashed (<type>): <message>`).
    case crash(type: String, message: String, at: SourceLocation? = nil)

    /// gcloud's text for a failure to decode a `typeName` message.
    package func message(typeName: String) -> String {
        switch self {
        case .validation(let text, _, _):
            "Failed to parse value in protobuf [\(typeName)]:\n  \(typeName).??: \"\(text)\""
        case .unrecognized(let paths, _):
            (["Failed to parse value(s) in protobuf [\(typeName)]:"] + paths.map { "  \(typeName).\($0)" })
                .joined(separator: "\n")
        case .crash(let type, let message, _):
            "gcloud crashes on this input (\(type): \(message)); binauthz refuses it"
        }
    }
}

/// apitools' `encoding.DictToMessage` followed by gcloud's `UnrecognizedFieldIter` check
/// (`messages_util.DictToMessageWithErrorCheck`), on a tree read with ``TreeDialect/gcloud``.
///
/// The decode walks the dict in its order (Python dicts keep insertion order) and raises the first problem it
/// meets — a type mismatch, or one of the inputs on which gcloud crashes; only when the whole value decoded are
/// unknown names reported, in field-number order, not descending below a message that has any.
package enum ApitoolsDecoder {
    package static func decode(_ node: TreeNode, as type: ProtoMessageType) throws(ApitoolsFailure) -> ProtoMessage {
        try checkSerializable(node)
        let message = try decodeMessage(type, node, path: "")
        var paths: [String] = []
        var location: SourceLocation?
        unrecognizedPaths(message, prefix: "", into: &paths, location: &location)
        guard paths.isEmpty else { throw .unrecognized(paths, at: location) }
        return message
    }

    /// `json.dumps` refuses dates and datetimes (ruamel's timestamps) anywhere in the value.
    private static func checkSerializable(_ root: TreeNode) throws(ApitoolsFailure) {
        var stack = [root]
        while let node = stack.popLast() {
            switch node.value {
            case .timestamp:
                throw .crash(
                    type: "TypeError", message: "Object of type \(PythonValue.typeName(node)) is not JSON serializable",
                    at: node.location)
            case .list(let items): stack.append(contentsOf: items.reversed())
            case .map(let entries): stack.append(contentsOf: entries.reversed().map(\.value))
            default: break
            }
        }
    }

    private static func noItems(_ node: TreeNode) -> ApitoolsFailure {
        .crash(
            type: "AttributeError", message: "'\(PythonValue.typeName(node))' object has no attribute 'items'",
            at: node.location)
    }

    /// protojson's `__find_variant`: whether an unknown value is kept; a list holding a boolean makes it raise
    /// `ValueError` (`Variant(BOOL, 8) is not in list`), which gcloud does not catch.
    private static func checkVariant(_ node: TreeNode) throws(ApitoolsFailure) {
        guard case .list(let items) = node.value else { return }
        for item in items {
            switch item.value {
            case .bool: throw .crash(type: "ValueError", message: "Variant(BOOL, 8) is not in list", at: item.location)
            case .list: try checkVariant(item)
            default: break
            }
        }
    }

    /// `decode_message(type, json.dumps(value))`: `__decode_dictionary`, then `_ProcessUnknownEnums`,
    /// `_ProcessUnknownMessages` and, for a map message, `_DecodeUnknownMessages`.
    private static func decodeMessage(_ type: ProtoMessageType, _ node: TreeNode, path: String)
        throws(ApitoolsFailure) -> ProtoMessage
    {
        guard case .map(let entries) = node.value else { throw noItems(node) }
        var message = ProtoMessage(type: type)
        for entry in entries {
            let key = entry.key
            let value = entry.value
            if value.isNull {
                message.assign(key, nil)  // `reset`; an unknown name is recorded below
                continue
            }
            let fieldPath = FieldPath.join(path, key)
            guard let field = type.field(named: key) else {
                try checkVariant(value)
                message.markUnrecognized(key, at: entry.keyLocation)
                continue
            }
            if field.repeated {
                let items: [TreeNode]
                if case .list(let list) = value.value { items = list } else { items = [value] }
                var decoded: [ProtoMessage.Value?] = []
                for (index, item) in items.enumerated() {
                    decoded.append(
                        try decodeField(
                            field, item, message: &message, key: key, keyLocation: entry.keyLocation,
                            path: fieldPath + "[\(index)]"))
                }
                // `setattr` validates every element: `None` first fails, then a wrong type.
                var valid: [ProtoMessage.Value] = []
                for (index, (item, value)) in zip(items, decoded).enumerated() {
                    if item.isNull {
                        throw .validation(
                            "Repeated values for field \(field.name) may not be None", path: fieldPath + "[\(index)]",
                            at: item.location)
                    }
                    guard let value else { throw mismatch(field, item, path: fieldPath + "[\(index)]") }
                    valid.append(value)
                }
                message.assign(key, .list(valid))
                continue
            }
            if case .list(let list) = value.value, list.isEmpty { continue }  // "consistency with the old behavior"
            let decoded = try decodeField(
                field, value, message: &message, key: key, keyLocation: entry.keyLocation, path: fieldPath)
            if let decoded {
                message.assign(key, decoded)
            } else if case .enumeration = field.kind {
                message.assign(key, nil)
            } else {
                throw mismatch(field, value, path: fieldPath)
            }
        }
        // _ProcessUnknownEnums: an enum field named in the input that holds no value is an unknown value.
        for field in type.fields {
            guard case .enumeration = field.kind, message.value(field.name) == nil,
                let entry = entries.first(where: { $0.key.isIdentical(to: field.name) })
            else { continue }
            message.markUnrecognized(field.name, at: entry.value.location ?? entry.keyLocation)
        }
        // _ProcessUnknownMessages: every other name that is not a field.
        for entry in entries where type.field(named: entry.key) == nil {
            message.markUnrecognized(entry.key, at: entry.keyLocation)
        }
        if let valueType = type.mapValue {
            // _DecodeUnknownMessages: every name but the map's own field is an entry, decoded in order; the
            // entries replace whatever `additionalProperties` held, and the names are no longer unrecognised.
            var decoded: [(key: String, value: ProtoMessage)] = []
            for entry in entries where !entry.key.isIdentical(to: "additionalProperties") {
                decoded.append(
                    (entry.key, try decodeMessage(valueType, entry.value, path: path + "[\"\(entry.key)\"]")))
            }
            message.entries = decoded
            message.unrecognized = []
        }
        return message
    }

    /// `_ProtoJsonApiTools.decode_field` for one (non-null) value: a message, an enum member, or a string.
    /// `nil` is a value the field cannot hold: for an enum an unknown value (recorded), otherwise a type mismatch
    /// the caller raises when it assigns.
    private static func decodeField(
        _ field: ProtoMessageType.Field, _ value: TreeNode, message: inout ProtoMessage, key: String,
        keyLocation: SourceLocation?, path: String
    ) throws(ApitoolsFailure) -> ProtoMessage.Value? {
        switch field.kind {
        case .message(let type):
            return .message(try decodeMessage(type, value, path: path))
        case .string:
            guard case .string(let text) = value.value else { return nil }
            return .string(text)
        case .boolean:
            guard case .bool(let flag) = value.value else { return nil }
            return .boolean(flag)
        case .integer:
            switch value.value {
            case .integer(let text): return .integer(PythonValue.integerText(text.replacing("_", with: "")))
            case .bool(let flag): return .boolean(flag)  // `True` is an int to protorpc; json.dumps writes `true`
            case .string(let text):
                // ProtoJson.decode_field: `int(value)` for text; what int() refuses stays a string and fails below.
                guard let number = PythonValue.int(text) else { return nil }
                return .integer(number)
            default: return nil
            }
        case .enumeration(let names):
            // GetCustomJsonEnumMapping(json_name=value) raises on any falsy value before the enum is consulted.
            if PythonValue.isFalsy(value) {
                throw .crash(
                    type: "InvalidDataError",
                    message: "Must specify either python_name or json_name for enum remapping",
                    at: value.location)
            }
            switch value.value {
            case .string(let text):
                if let name = names.first(where: { $0.isIdentical(to: text) }) { return .enumeration(name) }
                return nil
            case .bool:
                // `True` is the integer 1.
                return names.count > 1 ? .enumeration(names[1]) : nil
            case .integer(let text):
                if let number = Int(PythonValue.integerText(text)), names.indices.contains(number) {
                    return .enumeration(names[number])
                }
                // Not a number of the enum: protorpc raises DecodeError, which marks the field unrecognised.
                try checkVariant(value)
                message.markUnrecognized(key, at: value.location ?? keyLocation)
                return nil
            default:
                try checkVariant(value)
                message.markUnrecognized(key, at: value.location ?? keyLocation)
                return nil
            }
        }
    }

    private static func mismatch(_ field: ProtoMessageType.Field, _ value: TreeNode, path: String) -> ApitoolsFailure {
        let expected =
            switch field.kind {
            case .boolean: "<class 'bool'>"
            case .integer: "(<class 'int'>,)"
            default: "<class 'str'>"
            }
        return .validation(
            "Expected type \(expected) for field \(field.name), found \(PythonValue.str(value)) "
                + "(type <class '\(PythonValue.typeName(value))'>)", path: path, at: value.location)
    }

    /// `UnrecognizedFieldIter` rendered by gcloud's `DecodeError.FromErrorPaths`.
    private static func unrecognizedPaths(
        _ message: ProtoMessage, prefix: String, into paths: inout [String], location: inout SourceLocation?
    ) {
        if !message.unrecognized.isEmpty {
            if location == nil { location = message.unrecognizedLocation }
            let names = message.unrecognized
            let last =
                names.count == 1
                ? names[0]
                : "{"
                    + names.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) }
                    .joined(separator: ",") + "}"
            paths.append(prefix.isEmpty ? last : prefix + "." + last)
            return
        }
        func edge(_ text: String) -> String { prefix.isEmpty ? text : prefix + "." + text }
        if message.type.mapValue != nil {
            return  // a map's entries are reached through the field that holds the map
        }
        for field in message.type.fields {
            guard let value = message.value(field.name) else { continue }
            switch value {
            case .list(let items):
                for (index, item) in items.enumerated() {
                    if case .message(let child) = item {
                        unrecognizedPaths(
                            child, prefix: edge("\(field.name)[\(index)]"), into: &paths, location: &location)
                    }
                }
            case .message(let child) where child.type.mapValue != nil:
                for entry in child.entries {
                    unrecognizedPaths(
                        entry.value, prefix: edge("\(field.name)[\(entry.key)]"), into: &paths, location: &location)
                }
            case .message(let child):
                unrecognizedPaths(child, prefix: edge(field.name), into: &paths, location: &location)
            default:
                break
            }
        }
    }
}
