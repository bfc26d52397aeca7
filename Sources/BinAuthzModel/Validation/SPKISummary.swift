// SPDX-License-Identifier: Apache-2.0

import SwiftASN1

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
        // SwiftASN1, the DER parser BinAuthzPKIX verifies with, so that validation and verification read a key the
        // same way (strict DER: definite, minimal lengths).
        let notSPKI = Failure.notSPKI("not a DER SubjectPublicKeyInfo")
        guard let root = try? DER.parse(der), root.identifier == .sequence, case .constructed(let top) = root.content
        else { throw notSPKI }
        var fields = top.makeIterator()
        guard let algorithm = fields.next(), algorithm.identifier == .sequence,
            case .constructed(let algorithmFields) = algorithm.content,
            let keyNode = fields.next(), keyNode.identifier == .bitString, fields.next() == nil
        else { throw notSPKI }
        var parameters = algorithmFields.makeIterator()
        guard let oidNode = parameters.next(), let oid = try? ASN1ObjectIdentifier(derEncoded: oidNode) else {
            throw .notSPKI("missing algorithm identifier")
        }
        algorithmOID = oid.description
        switch algorithmOID {
        case "1.2.840.113549.1.1.1", "1.2.840.113549.1.1.10":  // rsaEncryption, RSASSA-PSS
            let malformed = Failure.notSPKI("malformed RSA public key")
            guard let key = try? ASN1BitString(derEncoded: keyNode), key.paddingBits == 0,
                let rsaKey = try? DER.parse(key.bytes), rsaKey.identifier == .sequence,
                case .constructed(let numbers) = rsaKey.content,
                let modulusNode = numbers.first(where: { _ in true }), modulusNode.identifier == .integer,
                case .primitive(var modulus) = modulusNode.content
            else { throw malformed }
            while modulus.first == 0 { modulus = modulus.dropFirst() }
            let bits = modulus.first.map { (modulus.count - 1) * 8 + (8 - $0.leadingZeroBitCount) } ?? 0
            keyType = .rsa(bits: bits)
        case "1.2.840.10045.2.1":  // id-ecPublicKey
            guard let curveNode = parameters.next(), let curve = try? ASN1ObjectIdentifier(derEncoded: curveNode)
            else { throw .notSPKI("EC key without a named curve") }
            switch curve.description {
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
