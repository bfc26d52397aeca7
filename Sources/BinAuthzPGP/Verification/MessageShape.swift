// SPDX-License-Identifier: Apache-2.0

/// A first look at signature input, in pure Swift, before GnuPG runs: rejects what is certainly not an attached
/// signature (cleartext-signed, detached, unsigned, encrypted, not OpenPGP) with a precise reason, and dearmors
/// the rest (whatever its armor label: kritis writes attached signatures under `PGP SIGNATURE`).
enum MessageShape {
    case rejected(PGPVerificationFailure)
    /// Binary OpenPGP data for GnuPG to verify.
    case candidate([UInt8])

    static func classify(_ input: [UInt8]) -> MessageShape {
        let data: [UInt8]
        if Armor.isBinary(input) {
            data = input
        } else {
            guard let label = Armor.firstLabel(input) else {
                let empty = input.allSatisfy(\.isWhitespaceASCII)
                return .rejected(.notSigned(empty ? "the input is empty" : "the input is not OpenPGP data"))
            }
            switch label {
            case "PGP SIGNED MESSAGE":
                return .rejected(.clearsigned)
            case "PGP PUBLIC KEY BLOCK", "PGP PRIVATE KEY BLOCK":
                return .rejected(.notSigned("the input is a key block"))
            default:
                break
            }
            do throws(PGPError) {
                // Only the first block counts, as for gpg.
                data = try Armor.decode(input)[0].data
            } catch {
                return .rejected(.malformed(error.message))
            }
        }
        let packets: [Packet]
        do throws(PGPError) {
            packets = try PacketReader.packets(data)
        } catch {
            return .rejected(.malformed(error.message))
        }
        let tags = packets.map(\.tag).filter { $0 != Packet.marker }
        guard let first = tags.first else { return .rejected(.notSigned("no OpenPGP packets")) }
        if tags.contains(Packet.compressedData) {
            return .candidate(data)  // the signature may be inside; GnuPG decompresses
        }
        if tags.allSatisfy({ $0 == Packet.signature }) {
            return .rejected(.detachedSignature)
        }
        if Packet.encryption.contains(first) {
            return .rejected(.notSigned("the input is an encrypted message"))
        }
        let signed = tags.contains(Packet.onePassSignature) || tags.contains(Packet.signature)
        if tags.contains(Packet.literalData) && !signed {
            return .rejected(.notSigned("literal data without a signature"))
        }
        if !tags.contains(Packet.literalData) {
            return .rejected(
                .notSigned(
                    "the input holds no signed data (packet types \(tags.map { String($0) }.joined(separator: ", ")))"))
        }
        return .candidate(data)
    }
}
