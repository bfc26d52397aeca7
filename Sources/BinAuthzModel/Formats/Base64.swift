// SPDX-License-Identifier: Apache-2.0

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Base64 for `bytes` fields, PEM and armor. `bytes` fields of resources are written as gcloud writes them
/// (apitools: URL-safe alphabet with padding) and read in either alphabet, padded or not, as Google's JSON
/// parsers read them.
package enum Base64 {
    /// Encodes with the standard alphabet and padding.
    package static func encode(_ bytes: some Sequence<UInt8>) -> String {
        Data(bytes).base64EncodedString()
    }

    /// Encodes with the URL-safe alphabet and padding (RFC 4648 §5), as gcloud's apitools writes `bytes` fields
    /// (`base64.urlsafe_b64encode`): `fa fb fc fd fe ff 3f 3e` → `-vv8_f7_Pz4=`.
    package static func encodeURLSafe(_ bytes: some Sequence<UInt8>) -> String {
        String(encode(bytes).map { $0 == "+" ? "-" : $0 == "/" ? "_" : $0 })
    }

    /// Encodes with the URL-safe alphabet and no padding (RFC 4648 §5), as used by `ni:` key ids and JWTs.
    package static func encodeURLSafeUnpadded(_ bytes: some Sequence<UInt8>) -> String {
        var text = encode(bytes)
        while text.hasSuffix("=") { text.removeLast() }
        return String(text.map { $0 == "+" ? "-" : $0 == "/" ? "_" : $0 })
    }

    /// Decodes standard or URL-safe base64, with or without padding. Line breaks and spaces are ignored
    /// (a base64 secret pasted into a CI variable often carries them). Returns `nil` for anything else.
    ///
    /// - Parameter strict: Accept only the standard alphabet with no whitespace (padding still optional), as
    ///   inside PEM and OpenPGP armor, whose lines are joined before decoding.
    package static func decode(_ text: some StringProtocol, strict: Bool = false) -> [UInt8]? {
        decode(utf8: Array(text.utf8), strict: strict)
    }

    /// ``decode(_:strict:)`` over the text's UTF-8 bytes, for readers that hold bytes (OpenPGP armor).
    package static func decode(utf8 input: [UInt8], strict: Bool = false) -> [UInt8]? {
        // Byte by byte: only ASCII is rewritten or dropped, so every other scalar reaches the decoder intact (and
        // is refused there). One String is made at the end, not one append per character — this runs on every
        // armored signature the in-process PGP verifier reads.
        var normalized: [UInt8] = []
        normalized.reserveCapacity(input.count + 3)
        for byte in input {
            switch byte {
            case UInt8(ascii: "-"):
                if strict { return nil }
                normalized.append(UInt8(ascii: "+"))
            case UInt8(ascii: "_"):
                if strict { return nil }
                normalized.append(UInt8(ascii: "/"))
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"):
                if strict { return nil }
            default:
                normalized.append(byte)
            }
        }
        // Padding may be absent; where present it must be at the end and make a whole quantum.
        var padding = 0
        while normalized.last == UInt8(ascii: "=") {
            normalized.removeLast()
            padding += 1
        }
        guard padding <= 2, !normalized.contains(UInt8(ascii: "=")) else { return nil }
        switch normalized.count % 4 {
        case 0 where padding == 0: break
        case 2 where padding == 0 || padding == 2: normalized += Array("==".utf8)
        case 3 where padding <= 1: normalized.append(UInt8(ascii: "="))
        default: return nil
        }
        return Data(base64Encoded: String(decoding: normalized, as: UTF8.self)).map { [UInt8]($0) }
    }
}

extension KeyedDecodingContainer {
    /// Decodes a proto3 `bytes` field written as base64.
    func decodeBase64IfPresent(forKey key: Key) throws -> [UInt8]? {
        guard let text = try decodeIfPresent(String.self, forKey: key) else { return nil }
        guard let bytes = Base64.decode(text) else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(
                    codingPath: codingPath + [key],
                    debugDescription: "expected base64 data (a bytes field), found text that is not base64"))
        }
        return bytes
    }
}

extension KeyedEncodingContainer {
    /// Encodes a `bytes` field as gcloud does: URL-safe, padded base64.
    mutating func encodeBase64IfPresent(_ bytes: [UInt8]?, forKey key: Key) throws {
        if let bytes { try encode(Base64.encodeURLSafe(bytes), forKey: key) }
    }
}
