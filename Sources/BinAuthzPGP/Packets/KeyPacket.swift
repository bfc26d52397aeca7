// SPDX-License-Identifier: Apache-2.0

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Crypto

/// The public part of a v4 key packet (public key, public subkey, secret key or secret subkey) and its
/// fingerprint, computed without GnuPG.
struct KeyPacket: Sendable {
    var isSecret: Bool
    var isSubkey: Bool
    var created: UInt32
    var algorithm: UInt8
    /// A human-readable algorithm name such as `RSA 3072` or `EdDSA ed25519`.
    var algorithmName: String
    /// The modulus size of an RSA key (algorithms 1, 2, 3), in bits.
    var rsaModulusBits: Int?
    var fingerprint: PGPFingerprint

    /// Parses a key packet body.
    ///
    /// The fingerprint is `SHA-1(0x99 ‖ two-octet length ‖ public key packet body)` (RFC 4880 §12.2). For a secret
    /// key packet the public part is measured field by field, so the algorithm must be known.
    ///
    /// - Throws: ``PGPError/Code/unsupportedKey`` for v3, v5 and v6 keys and for secret keys of unknown algorithms;
    ///   ``PGPError/Code/malformedPacket`` for truncated bodies.
    init(tag: UInt8, body: [UInt8]) throws(PGPError) {
        isSecret = tag == Packet.secretKey || tag == Packet.secretSubkey
        isSubkey = tag == Packet.publicSubkey || tag == Packet.secretSubkey
        var cursor = ByteCursor(body)
        let version = try cursor.byte()
        guard version == 4 else {
            let kind = version <= 3 ? "v\(version) (PGP 2.x era, MD5 fingerprints)" : "v\(version)"
            throw PGPError(
                code: .unsupportedKey,
                message: "\(kind) OpenPGP keys are not supported; Binary Authorization key ids are v4 fingerprints")
        }
        created = try cursor.uint32()
        algorithm = try cursor.byte()
        var name = Self.algorithmNames[algorithm] ?? "algorithm \(algorithm)"
        var known = true
        var rsaBits: Int?
        switch algorithm {
        case 1, 2, 3:
            let bits = try cursor.mpi()
            try cursor.mpi()
            name += " \(bits)"
            rsaBits = bits
        case 16, 20:
            let bits = try cursor.mpi()
            try cursor.mpi()
            try cursor.mpi()
            name += " \(bits)"
        case 17:
            let bits = try cursor.mpi()
            for _ in 0..<3 { try cursor.mpi() }
            name += " \(bits)"
        case 18:
            let oid = try cursor.oid()
            try cursor.mpi()
            let kdfLength = Int(try cursor.byte())
            _ = try cursor.take(kdfLength)
            name += " " + Self.curveName(oid)
        case 19, 22:
            let oid = try cursor.oid()
            try cursor.mpi()
            name += " " + Self.curveName(oid)
        case 25: _ = try cursor.take(32)
        case 26: _ = try cursor.take(56)
        case 27: _ = try cursor.take(32)
        case 28: _ = try cursor.take(57)
        default:
            known = false
        }
        algorithmName = name
        rsaModulusBits = rsaBits
        let publicBody: ArraySlice<UInt8>
        if isSecret {
            guard known else {
                throw PGPError(
                    code: .unsupportedKey,
                    message: "cannot find the public part of a secret key packet of OpenPGP algorithm \(algorithm)")
            }
            publicBody = body[0..<cursor.offset]
        } else {
            // A public key packet is hashed whole, whatever its algorithm.
            publicBody = body[...]
        }
        guard publicBody.count <= 0xFFFF else {
            throw PGPError(
                code: .malformedPacket, message: "malformed OpenPGP data: key packet longer than 65535 bytes")
        }
        var hasher = Insecure.SHA1()
        hasher.update(data: [0x99, UInt8(publicBody.count >> 8), UInt8(publicBody.count & 0xFF)])
        hasher.update(data: publicBody)
        fingerprint = PGPFingerprint(bytes: hasher.finalize())
    }

    var createdAt: Date { Date(timeIntervalSince1970: TimeInterval(created)) }

    static let algorithmNames: [UInt8: String] = [
        1: "RSA", 2: "RSA", 3: "RSA", 16: "Elgamal", 17: "DSA", 18: "ECDH", 19: "ECDSA", 20: "Elgamal",
        22: "EdDSA", 25: "X25519", 26: "X448", 27: "Ed25519", 28: "Ed448",
    ]

    static func curveName(_ oid: ArraySlice<UInt8>) -> String {
        switch Array(oid) {
        case [0x2B, 0x06, 0x01, 0x04, 0x01, 0xDA, 0x47, 0x0F, 0x01]: "ed25519"
        case [0x2B, 0x06, 0x01, 0x04, 0x01, 0x97, 0x55, 0x01, 0x05, 0x01]: "cv25519"
        case [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07]: "nistp256"
        case [0x2B, 0x81, 0x04, 0x00, 0x22]: "nistp384"
        case [0x2B, 0x81, 0x04, 0x00, 0x23]: "nistp521"
        case [0x2B, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x07]: "brainpoolP256r1"
        case [0x2B, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x0B]: "brainpoolP384r1"
        case [0x2B, 0x24, 0x03, 0x03, 0x02, 0x08, 0x01, 0x01, 0x0D]: "brainpoolP512r1"
        case [0x2B, 0x81, 0x04, 0x00, 0x0A]: "secp256k1"
        default: "unknown curve"
        }
    }
}

/// What this library reads from a signature packet: type, times, issuer and revocation reason.
struct SignaturePacket: Sendable {
    var version: UInt8
    var type: UInt8
    var created: UInt32?
    var issuerKeyID: String?
    var issuerFingerprint: PGPFingerprint?
    var revocationReason: UInt8?

    /// Parses v3 and v4 signature packets; returns `nil` for other versions.
    init?(body: [UInt8]) throws(PGPError) {
        var cursor = ByteCursor(body)
        version = try cursor.byte()
        switch version {
        case 3, 2:
            guard try cursor.byte() == 5 else { return nil }
            type = try cursor.byte()
            created = try cursor.uint32()
            issuerKeyID = Hex.encode(try cursor.take(8))
        case 4:
            type = try cursor.byte()
            _ = try cursor.byte()  // public key algorithm
            _ = try cursor.byte()  // hash algorithm
            let hashedLength = try cursor.uint16()
            try Self.readSubpackets(try cursor.take(hashedLength), hashed: true, into: &self)
            let unhashedLength = try cursor.uint16()
            try Self.readSubpackets(try cursor.take(unhashedLength), hashed: false, into: &self)
        default:
            return nil
        }
    }

    private static func readSubpackets(
        _ area: ArraySlice<UInt8>, hashed: Bool, into packet: inout SignaturePacket
    ) throws(PGPError) {
        var cursor = ByteCursor(Array(area))
        while cursor.remaining > 0 {
            let first = Int(try cursor.byte())
            let length: Int
            if first < 192 {
                length = first
            } else if first < 255 {
                length = ((first - 192) << 8) + Int(try cursor.byte()) + 192
            } else {
                length = Int(try cursor.uint32())
            }
            guard length >= 1 else { continue }
            let type = try cursor.byte() & 0x7F
            let data = Array(try cursor.take(length - 1))
            switch type {
            // Only trust data from the hashed area for times and reasons; the issuer is a hint either way.
            case 2 where hashed && data.count == 4:
                packet.created = data.reduce(0) { $0 << 8 | UInt32($1) }
            case 29 where hashed && !data.isEmpty:
                packet.revocationReason = data[0]
            case 16 where data.count == 8:
                packet.issuerKeyID = Hex.encode(data)
            case 33 where data.count == 21 && data[0] == 4:
                packet.issuerFingerprint = PGPFingerprint(bytes: data.dropFirst())
            default:
                break
            }
        }
    }
}
