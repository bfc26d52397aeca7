// SPDX-License-Identifier: Apache-2.0

/// What a PEM `PUBLIC KEY` (SubjectPublicKeyInfo) holds, read without any cryptography: enough to tell whether
/// a key matches the ``SignatureAlgorithm`` an attestor declares for it.
package struct SPKISummary: Hashable, Sendable {
    package var keyType: SignatureAlgorithm.KeyType?
    /// The algorithm OID in dotted form, for messages about unsupported keys.
    package var algorithmOID: String
    /// Whether the key is an `id-RSASSA-PSS` key, usable only with the PSS algorithms.
    package var isRSAPSS: Bool { algorithmOID == "1.2.840.113549.1.1.10" }

    package enum Failure: Error, Equatable, CustomStringConvertible {
        case notPEM(String)
        case notSPKI(String)
        package var description: String {
            switch self {
            case .notPEM(let s), .notSPKI(let s): s
            }
        }
    }

    /// Parses exactly one `-----BEGIN PUBLIC KEY-----` block (kritis: "more than one public key given" is an error).
    package init(pem: String) throws(Failure) {
        let document: PEM.Document
        do {
            document = try PEM.parse(pem)
        } catch {
            throw .notPEM(error.message)
        }
        let blocks = document.blocks
        guard !blocks.isEmpty else { throw .notPEM("no PEM block found; expected -----BEGIN PUBLIC KEY-----") }
        guard document.strayTextLine == nil else {
            throw .notPEM("text outside the PEM block; expected exactly one -----BEGIN PUBLIC KEY----- block")
        }
        guard blocks.count == 1 else {
            throw .notPEM("\(blocks.count) PEM blocks found; expected exactly one public key")
        }
        let block = blocks[0]
        guard block.label == "PUBLIC KEY" else {
            throw .notPEM("PEM block is \"\(block.label)\"; expected PUBLIC KEY (SubjectPublicKeyInfo)")
        }
        try self.init(der: block.der)
    }

    package init(der: [UInt8]) throws(Failure) {
        var reader = DERReader(der[...])
        guard let spki = reader.read(tag: 0x30), reader.isAtEnd else {
            throw .notSPKI("not a DER SubjectPublicKeyInfo")
        }
        var fields = DERReader(spki)
        guard let algorithm = fields.read(tag: 0x30), let bitString = fields.read(tag: 0x03), fields.isAtEnd else {
            throw .notSPKI("not a DER SubjectPublicKeyInfo")
        }
        var algFields = DERReader(algorithm)
        guard let oid = algFields.read(tag: 0x06) else { throw .notSPKI("missing algorithm identifier") }
        algorithmOID = DERReader.dotted(oid)
        switch algorithmOID {
        case "1.2.840.113549.1.1.1", "1.2.840.113549.1.1.10":  // rsaEncryption, RSASSA-PSS
            guard bitString.first == 0 else { throw .notSPKI("malformed RSA public key") }
            var keyReader = DERReader(bitString.dropFirst())
            guard let rsaKey = keyReader.read(tag: 0x30) else { throw .notSPKI("malformed RSA public key") }
            var numbers = DERReader(rsaKey)
            guard var modulus = numbers.read(tag: 0x02) else { throw .notSPKI("malformed RSA public key") }
            while modulus.first == 0 { modulus = modulus.dropFirst() }
            let bits = modulus.first.map { (modulus.count - 1) * 8 + (8 - $0.leadingZeroBitCount) } ?? 0
            keyType = .rsa(bits: bits)
        case "1.2.840.10045.2.1":  // id-ecPublicKey
            guard let curveOID = algFields.read(tag: 0x06) else { throw .notSPKI("EC key without a named curve") }
            switch DERReader.dotted(curveOID) {
            case "1.2.840.10045.3.1.7": keyType = .ec(.p256)
            case "1.3.132.0.34": keyType = .ec(.p384)
            case "1.3.132.0.35": keyType = .ec(.p521)
            default: keyType = nil
            }
        default:
            keyType = nil
        }
    }
}

/// A minimal DER reader: definite lengths only, enough for SubjectPublicKeyInfo.
package struct DERReader {
    private var bytes: ArraySlice<UInt8>

    package init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    package var isAtEnd: Bool { bytes.isEmpty }

    /// Reads one element with the given tag and returns its contents, or `nil` if the next element differs or
    /// is malformed.
    package mutating func read(tag: UInt8) -> ArraySlice<UInt8>? {
        guard bytes.count >= 2, bytes[bytes.startIndex] == tag else { return nil }
        var index = bytes.startIndex + 1
        let first = bytes[index]
        index += 1
        var length = 0
        if first < 0x80 {
            length = Int(first)
        } else {
            let count = Int(first & 0x7F)
            guard count >= 1, count <= 4, bytes.endIndex - index >= count else { return nil }
            for _ in 0..<count {
                length = length << 8 | Int(bytes[index])
                index += 1
            }
        }
        guard bytes.endIndex - index >= length else { return nil }
        let contents = bytes[index..<(index + length)]
        bytes = bytes[(index + length)...]
        return contents
    }

    package static func dotted(_ oid: ArraySlice<UInt8>) -> String {
        var parts: [String] = []
        var value = 0
        var first = true
        for byte in oid {
            value = value << 7 | Int(byte & 0x7F)
            if byte & 0x80 == 0 {
                if first {
                    parts.append(value < 80 ? "\(value / 40)" : "2")
                    parts.append(value < 80 ? "\(value % 40)" : "\(value - 80)")
                    first = false
                } else {
                    parts.append("\(value)")
                }
                value = 0
            }
        }
        return parts.joined(separator: ".")
    }
}
