// SPDX-License-Identifier: Apache-2.0

/// An enum-like string of the Binary Authorization API (`ALWAYS_DENY`, `ECDSA_P256_SHA256`, …).
///
/// Conforming types are structs over the raw API spelling rather than Swift enums, so a value this
/// version of the library does not know survives a decode → encode round trip unchanged (the server may add
/// values at any time). ``isKnown`` tells whether the value is one of ``knownValues``; validation reports
/// unknown values as problems instead of the decoder rejecting them.
public protocol APIEnum: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
where RawValue == String {
    /// Every value documented by the API version this library implements, in declaration order.
    static var knownValues: [Self] { get }
    /// Creates a value from its API spelling; unknown spellings are kept as they are.
    init(rawValue: String)
}

extension APIEnum {
    /// Whether this value is one of ``knownValues``.
    public var isKnown: Bool { Self.knownValues.contains(self) }

    public var description: String { rawValue }

    public init(stringLiteral value: String) { self.init(rawValue: value) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self.init(rawValue: try container.decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
