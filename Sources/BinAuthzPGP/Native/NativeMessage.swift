// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel

/// A signed message's parts after decompression: one-pass signatures, the literal data and the signatures.
///
/// Two layouts are modelled, the ones GnuPG accepts for an attached signature: `OPS{n} literal S{n}` (what
/// `gpg --sign` writes) and the old `S{n} literal`, each optionally inside compressed data (uncompressed, ZIP or
/// ZLIB; up to `InputLimits.maximumPGPCompressionDepth` levels). Marker packets are skipped as GnuPG skips them.
struct NativeMessage: Sendable {
    /// The hash algorithms the one-pass signatures announce (GnuPG hashes the literal data with just these).
    var announcedHashes: Set<Int>
    /// Whether the message is `S{n} literal` (signatures first).
    var signaturesFirst: Bool
    /// The literal data format octet (`b`, `t`, `u`, `m`, …).
    var format: UInt8
    /// The literal data as it is hashed.
    var data: [UInt8]
    /// The signature packet bodies, in order.
    var signatures: [[UInt8]]

    enum Reading {
        case message(NativeMessage)
        case failed(PGPVerificationFailure)
        case unsupported(String)
    }

    /// What GnuPG writes out as the plaintext: the literal data, with every carriage return removed in text modes
    /// `t` and `u` (`g10/plaintext.c` converts to the native line ending; mode `m` and binary are left alone). The
    /// signature is still checked over the data as stored.
    var plaintext: [UInt8] {
        format == UInt8(ascii: "t") || format == UInt8(ascii: "u") ? data.filter { $0 != 0x0D } : data
    }

    /// Reads the binary message `bytes` (already dearmored) within `limits`.
    static func read(_ bytes: [UInt8], limits: InputLimits) -> Reading {
        var data = bytes
        var depth = 0
        var packetCount = 0
        var decompressed = 0
        while true {
            let packets: [NativePacket]
            do throws(NativePacketReader.Failure) {
                packets = try NativePacketReader.packets(
                    data[...], maximumCount: limits.maximumPGPMessagePackets - packetCount)
            } catch {
                switch error {
                case .tooManyPackets:
                    return .failed(
                        .tooLarge(
                            "the message has more than \(limits.maximumPGPMessagePackets) packets (InputLimits.maximumPGPMessagePackets)"
                        ))
                case .malformed(let detail) where detail == "octet 0 is not a packet header":
                    // GnuPG's parser stops at a non-header octet with GPG_ERR_INV_PACKET and says NODATA, which
                    // GPGME turns into "no data" for the whole operation. (At the top level MessageShape has
                    // already refused such input, for both paths.)
                    return .failed(.notSigned("GnuPG found no signed OpenPGP data"))
                case .malformed(let detail) where detail.hasSuffix("is not a packet header"):
                    // Further in, GnuPG has already processed the packets before the bad octet, in stream order:
                    // what GPGME then reports depends on what they were (a signature already checked stays
                    // reported; found by the differential corpus, `pgp-regressions/junk-after-signature-*`).
                    return .unsupported("packets GnuPG reads up to an invalid octet at depth \(depth) (\(detail))")
                case .malformed(let detail):
                    return .unsupported("packets GnuPG reads as damaged at depth \(depth) (\(detail))")
                case .unsupported(let detail):
                    return .unsupported(detail)
                }
            }
            packetCount += packets.count
            // GnuPG skips a marker packet only when it is exactly "PGP"; any other is an invalid packet, after which
            // what GPGME reports depends on where it sits (found by the differential corpus: a mutated marker after
            // the signature turned GnuPG's BADSIG into "no data"). Leave those to GnuPG.
            if packets.contains(where: { $0.tag == Packet.marker && $0.body != Array("PGP".utf8) }) {
                return .unsupported("a marker packet that is not \"PGP\" (GnuPG reads it as invalid)")
            }
            let significant = packets.filter { $0.tag != Packet.marker }
            guard significant.count == 1, significant[0].tag == Packet.compressedData else {
                return layout(significant, limits: limits)
            }
            depth += 1
            guard depth <= limits.maximumPGPCompressionDepth else {
                return .failed(
                    .tooLarge(
                        "compressed data nested more than \(limits.maximumPGPCompressionDepth) levels deep "
                            + "(InputLimits.maximumPGPCompressionDepth)"))
            }
            let body = significant[0].body
            guard let algorithm = body.first else { return .unsupported("an empty compressed data packet") }
            let room = limits.maximumDecompressedBytes - decompressed
            do throws(InflateError) {
                switch algorithm {
                case 0:
                    guard body.count - 1 <= room else { throw InflateError(.outputLimit, "stored data over the limit") }
                    data = Array(body.dropFirst())
                case 1:
                    data = try Inflate.inflate(body.dropFirst(), limit: room).bytes
                case 2:
                    data = try Inflate.unzlib(body.dropFirst(), limit: room).bytes
                case 3:
                    return .unsupported("BZip2-compressed data")
                default:
                    return .unsupported("compression algorithm \(algorithm)")
                }
            } catch  where error.code == .outputLimit {
                return .failed(
                    .tooLarge(
                        "compressed data decompresses to more than \(limits.maximumDecompressedBytes) bytes "
                            + "(InputLimits.maximumDecompressedBytes)"))
            } catch {
                return .unsupported("damaged compressed data (\(error.message))")
            }
            decompressed += data.count
        }
    }

    private static func layout(_ packets: [NativePacket], limits: InputLimits) -> Reading {
        let tags = packets.map(\.tag)
        if tags == [Packet.literalData] {
            // Compressed literal data with no signature: GnuPG reports no signature at all (the same message
            // without compression is refused earlier, by MessageShape, with its own reason).
            return .failed(.notSigned("the message carries no signature"))
        }
        guard let literalIndex = tags.firstIndex(of: Packet.literalData),
            tags.lastIndex(of: Packet.literalData) == literalIndex
        else { return .unsupported("a message layout other than one-pass signatures, literal data, signatures") }
        let before = packets[..<literalIndex]
        let after = packets[(literalIndex + 1)...]
        var announced: Set<Int> = []
        let signatures: [[UInt8]]
        let signaturesFirst: Bool
        if !before.isEmpty && before.allSatisfy({ $0.tag == Packet.onePassSignature }) && !after.isEmpty
            && after.allSatisfy({ $0.tag == Packet.signature }) && before.count == after.count
        {
            for onePass in before {
                let body = onePass.body
                guard body.count >= 13, body[0] == 3 else {
                    return .unsupported("a one-pass signature packet GnuPG reads as invalid")
                }
                if body[2] != 0 { announced.insert(Int(body[2])) }
            }
            // No one-pass signature names a hash: GnuPG then hashes with RIPEMD-160 and SHA-1 (`proc_plaintext`).
            if announced.isEmpty { announced = [OpenPGPHash.sha1, OpenPGPHash.ripemd160] }
            signatures = after.map(\.body)
            signaturesFirst = false
        } else if !before.isEmpty && before.allSatisfy({ $0.tag == Packet.signature }) && after.isEmpty {
            signatures = before.map(\.body)
            signaturesFirst = true
        } else {
            return .unsupported("a message layout other than one-pass signatures, literal data, signatures")
        }
        let literal = packets[literalIndex].body
        guard literal.count >= 6 else { return .unsupported("a literal data packet GnuPG reads as too short") }
        let nameLength = Int(literal[1])
        guard literal.count >= 2 + nameLength + 4 else {
            return .unsupported("a literal data packet GnuPG reads as too short")
        }
        let data = Array(literal[(2 + nameLength + 4)...])
        guard data.count <= limits.maximumPayloadBytes else {
            return .failed(
                .tooLarge(
                    "the signed data is larger than \(limits.maximumPayloadBytes) bytes (InputLimits.maximumPayloadBytes)"
                ))
        }
        return .message(
            NativeMessage(
                announcedHashes: announced, signaturesFirst: signaturesFirst, format: literal[0], data: data,
                signatures: signatures))
    }
}
