// SPDX-License-Identifier: Apache-2.0

import BinAuthz
import BinAuthzTestSupport
import Foundation

/// Shared vectors and helpers of the umbrella-module tests.
enum Seed {
    static let imageA =
        "gcr.io/nmallyatestproject/containerdemo@sha256:a46ab6b21371e1e3250d3b512b38aa2727ad61a2fc1ab2d2c135589d315c7442"
    static let keyA = "E50ABDE5A0C05DB317479494C111AF41B88ECC96"
    static let keyB = "70C2C69D3D48303F41CA9B8B894BE8262F04E1E0"
    static let note = NoteName(project: "nmallyatestproject", note: "Human-Attestor-Note")
    static let attestorName = "projects/nmallyatestproject/attestors/manually-verified"

    static let validDay = date("2019-06-01T00:00:00Z")
    static let today = date("2026-11-27T00:00:00Z")

    static func date(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

    static func file(_ set: String, _ name: String) throws -> [UInt8] {
        try Fixtures.corpusData("seed-article/\(set)/\(name)")
    }

    /// The attestor holding one set's public key, as gcloud would have created it.
    static func attestor(_ set: String, name: String = attestorName) throws -> Attestor {
        var attestor = Attestor(name: AttestorName(name)!, note: note)
        try attestor.addPGPPublicKey(String(decoding: try file(set, "generated-key.pgp"), as: UTF8.self))
        return attestor
    }

    /// The set's real signature wrapped as the v1 occurrence current gcloud writes.
    static func v1Occurrence(_ set: String, resource: String? = nil, keyID: String? = nil) throws
        -> AttestationOccurrence
    {
        AttestationOccurrence(
            resourceURI: resource ?? imageA, noteName: note.description,
            attestation: Attestation(
                serializedPayload: try file(set, "generated_payload.json"),
                signatures: [
                    .init(
                        signature: try file(set, "generated_signature.pgp"),
                        publicKeyID: keyID ?? (set == "set-a" ? keyA : keyB))
                ]))
    }

    /// The set's real signature as the v1beta1 occurrence the seed article's gcloud wrote (`https://` resource).
    static func v1beta1Occurrence(_ set: String) throws -> AttestationOccurrence {
        var occurrence = AttestationOccurrence(
            resourceURI: nil, noteName: note.description,
            attestation: Attestation(
                legacy: LegacyAttestation(
                    pgpSignedAttestation: .init(
                        signature: String(decoding: try file(set, "generated_signature.pgp"), as: UTF8.self),
                        pgpKeyID: set == "set-a" ? keyA : keyB))))
        occurrence.resource = .init(uri: "https://" + imageA)
        return occurrence
    }
}

extension String {
    /// A sha256 digest of 64 copies of `character`.
    static func digest(_ character: Character) -> String { "sha256:" + String(repeating: character, count: 64) }
}
