// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import SwiftASN1

/// The DER structures keys come in, read with SwiftASN1: SubjectPublicKeyInfo (RFC 5280), PKCS#8
/// PrivateKeyInfo (RFC 5208/5958), SEC 1 ECPrivateKey (RFC 5915) and PKCS#1 RSAPublicKey (RFC 8017).
enum KeyStructures {
    /// What went wrong reading DER, in words: swift-asn1's own description ends with its source file and line
    /// (`SwiftASN1/ASN1.swift:508`), which means nothing to someone holding a key file.
    static func describe(_ error: any Error) -> String {
        guard let asn1 = error as? ASN1Error else {
            let text = "\(error)"
            // swift-crypto's errors print as enum cases; keep them, but never a source location.
            return text.split(separator: " ").filter { !$0.contains(".swift:") }.joined(separator: " ")
        }
        switch asn1.code {
        case .truncatedASN1Field: return "the DER data is truncated"
        case .unexpectedFieldType: return "a DER field has an unexpected type"
        case .invalidASN1IntegerEncoding: return "a DER integer is badly encoded"
        case .unsupportedFieldLength: return "a DER length is too large or badly encoded"
        case .invalidPEMDocument: return "the PEM document is malformed"
        case .tooFewOIDComponents: return "an object identifier is malformed"
        default: return "the DER structure is malformed"
        }
    }

    static let rsaEncryption: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 1, 1]
    static let rsassaPSS: ASN1ObjectIdentifier = [1, 2, 840, 113_549, 1, 1, 10]
    static let ecPublicKey: ASN1ObjectIdentifier = [1, 2, 840, 10_045, 2, 1]
    static let p256: ASN1ObjectIdentifier = [1, 2, 840, 10_045, 3, 1, 7]
    static let p384: ASN1ObjectIdentifier = [1, 3, 132, 0, 34]
    static let p521: ASN1ObjectIdentifier = [1, 3, 132, 0, 35]

    /// Names for algorithm and curve OIDs users are likely to meet, for messages.
    static func name(of oid: ASN1ObjectIdentifier) -> String {
        let known: [ASN1ObjectIdentifier: String] = [
            [1, 3, 101, 112]: "Ed25519", [1, 3, 101, 113]: "Ed448", [1, 3, 101, 110]: "X25519",
            [1, 3, 101, 111]: "X448", [1, 2, 840, 10_040, 4, 1]: "DSA", [1, 2, 840, 10_046, 2, 1]: "DH",
            [1, 3, 132, 0, 10]: "secp256k1", [1, 3, 36, 3, 3, 2, 8, 1, 1, 7]: "brainpoolP256r1",
            [1, 3, 36, 3, 3, 2, 8, 1, 1, 11]: "brainpoolP384r1", [1, 3, 36, 3, 3, 2, 8, 1, 1, 13]: "brainpoolP512r1",
            [1, 2, 840, 10_045, 3, 1, 1]: "P-192", [1, 3, 132, 0, 33]: "P-224",
            [1, 2, 840, 113_549, 1, 1, 1]: "rsaEncryption", [1, 2, 840, 113_549, 1, 1, 10]: "RSASSA-PSS",
        ]
        return known[oid].map { "\($0) (\(oid))" } ?? "\(oid)"
    }

    /// The curve of a named-curve OID, if it is one of the API's three.
    static func curve(_ oid: ASN1ObjectIdentifier) -> SignatureAlgorithm.Curve? {
        switch oid {
        case p256: .p256
        case p384: .p384
        case p521: .p521
        default: nil
        }
    }

    // MARK: SubjectPublicKeyInfo

    struct SubjectPublicKeyInfo {
        var algorithm: ASN1ObjectIdentifier
        /// The AlgorithmIdentifier's parameters, if any.
        var parameters: ASN1Node?
        /// The BIT STRING's bytes (whole octets only).
        var key: ArraySlice<UInt8>
    }

    static func subjectPublicKeyInfo(_ der: [UInt8]) throws -> SubjectPublicKeyInfo {
        let root = try DER.parse(der)
        return try DER.sequence(root, identifier: .sequence) { nodes in
            guard let algorithmNode = nodes.next() else {
                throw ASN1Error.invalidASN1Object(reason: "missing AlgorithmIdentifier")
            }
            let (algorithm, parameters) = try algorithmIdentifier(algorithmNode)
            guard let keyNode = nodes.next() else {
                throw ASN1Error.invalidASN1Object(reason: "missing subjectPublicKey")
            }
            let bits = try ASN1BitString(derEncoded: keyNode)
            guard bits.paddingBits == 0 else {
                throw ASN1Error.invalidASN1Object(reason: "subjectPublicKey is not a whole number of octets")
            }
            return SubjectPublicKeyInfo(algorithm: algorithm, parameters: parameters, key: bits.bytes)
        }
    }

    static func algorithmIdentifier(_ node: ASN1Node) throws -> (ASN1ObjectIdentifier, ASN1Node?) {
        try DER.sequence(node, identifier: .sequence) { nodes in
            guard let oidNode = nodes.next() else {
                throw ASN1Error.invalidASN1Object(reason: "empty AlgorithmIdentifier")
            }
            let oid = try ASN1ObjectIdentifier(derEncoded: oidNode)
            return (oid, nodes.next())
        }
    }

    // MARK: RSAPublicKey

    /// `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }`, as unsigned big-endian bytes.
    static func rsaPublicKey(_ der: ArraySlice<UInt8>) throws -> (
        modulus: ArraySlice<UInt8>, exponent: ArraySlice<UInt8>
    ) {
        let root = try DER.parse(der)
        return try DER.sequence(root, identifier: .sequence) { nodes in
            guard let n = nodes.next(), let e = nodes.next() else {
                throw ASN1Error.invalidASN1Object(reason: "RSAPublicKey needs a modulus and an exponent")
            }
            return (try positiveInteger(n), try positiveInteger(e))
        }
    }

    /// The magnitude of a DER INTEGER that must be positive.
    static func positiveInteger(_ node: ASN1Node) throws -> ArraySlice<UInt8> {
        guard node.identifier == .integer, case .primitive(let bytes) = node.content, let first = bytes.first else {
            throw ASN1Error.invalidASN1Object(reason: "expected an INTEGER")
        }
        guard first & 0x80 == 0 else { throw ASN1Error.invalidASN1Object(reason: "negative INTEGER") }
        if bytes.count > 1, first == 0, bytes[bytes.startIndex + 1] & 0x80 == 0 {
            throw ASN1Error.invalidASN1Object(reason: "INTEGER is not minimally encoded")
        }
        return bytes.drop { $0 == 0 }
    }

    // MARK: Private keys

    /// PKCS#8 PrivateKeyInfo / OneAsymmetricKey: the algorithm and its parameters.
    static func pkcs8Algorithm(_ der: [UInt8]) throws -> (ASN1ObjectIdentifier, ASN1Node?) {
        let root = try DER.parse(der)
        guard root.identifier == .sequence, case .constructed(let nodes) = root.content else {
            throw ASN1Error.invalidASN1Object(reason: "PrivateKeyInfo is not a SEQUENCE")
        }
        var iterator = nodes.makeIterator()
        guard let version = iterator.next(), version.identifier == .integer, let algorithm = iterator.next(),
            let key = iterator.next(), key.identifier == .octetString
        else { throw ASN1Error.invalidASN1Object(reason: "not a PKCS#8 PrivateKeyInfo") }
        return try algorithmIdentifier(algorithm)
    }

    /// SEC 1 ECPrivateKey: the curve OID from `[0] parameters`, or `nil` when absent, and the private key length.
    static func sec1Curve(_ der: [UInt8]) throws -> (curve: ASN1ObjectIdentifier?, privateKeyLength: Int) {
        let root = try DER.parse(der)
        guard root.identifier == .sequence, case .constructed(let nodes) = root.content else {
            throw ASN1Error.invalidASN1Object(reason: "ECPrivateKey is not a SEQUENCE")
        }
        var iterator = nodes.makeIterator()
        guard let version = iterator.next(), version.identifier == .integer, let key = iterator.next() else {
            throw ASN1Error.invalidASN1Object(reason: "not a SEC 1 ECPrivateKey")
        }
        let privateKey = try ASN1OctetString(derEncoded: key)
        let curve = try DER.optionalExplicitlyTagged(&iterator, tagNumber: 0, tagClass: .contextSpecific) {
            try ASN1ObjectIdentifier(derEncoded: $0)
        }
        return (curve, privateKey.bytes.count)
    }
}
