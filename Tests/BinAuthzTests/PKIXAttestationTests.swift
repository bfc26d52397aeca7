// SPDX-License-Identifier: Apache-2.0

import BinAuthz
import BinAuthzTesting
import Foundation
import Testing

/// PKIX attestor keys through the seam: each failure has its code, and a PAE-signed attestation verifies only
/// where the key kind is told to accept it.
@Suite("PKIX attestations: failure codes and DSSE PAE")
struct PKIXAttestationTests {
    static let image = "gcr.io/my-proj/app@sha256:" + String(repeating: "a", count: 64)
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    struct Key {
        let privateKey: PKIXPrivateKey
        let attestor: Attestor
        let keyID: String
        let algorithm: SignatureAlgorithm

        init(_ algorithm: SignatureAlgorithm = .ecdsaP256SHA256) throws {
            privateKey = try PKIXPrivateKey.generate(for: algorithm)
            var attestor = Attestor(
                name: AttestorName("projects/my-proj/attestors/pkix")!, note: NoteName("projects/my-proj/notes/pkix")!)
            let key = try attestor.addPKIXPublicKey(pem: privateKey.publicKey.pemRepresentation, algorithm: algorithm)
            self.attestor = attestor
            self.keyID = key.id!
            self.algorithm = algorithm
        }

        func occurrence(signing bytes: [UInt8]? = nil, signature: [UInt8]? = nil) throws -> AttestationOccurrence {
            let payload = try SignaturePayload.create(artifactURL: PKIXAttestationTests.image)
            let signed =
                try signature ?? PKIXSigner(privateKey: privateKey, algorithm: algorithm).sign(bytes ?? payload)
            return try AttestationOccurrence.create(
                artifactURL: PKIXAttestationTests.image, note: NoteName(attestor.note!.noteReference!)!,
                signature: signed, publicKeyID: keyID, payload: payload)
        }

        func verify(_ occurrence: AttestationOccurrence, kind: PKIXAttestationKeys = PKIXAttestationKeys())
            throws -> AttestorVerification
        {
            let verifier = try AttestorVerifier(attestors: [attestor], occurrences: [occurrence], keyKinds: [kind])
            return try verifier.verify(
                attestor: attestor.name!.description, image: ImageReference(PKIXAttestationTests.image),
                at: PKIXAttestationTests.now)
        }
    }

    @Test("A good signature verifies, naming the key, the digest and no backend")
    func verifies() throws {
        let key = try Key()
        let verification = try key.verify(key.occurrence())
        let verified = try #require(verification.verified)
        #expect(verified.keyID == key.keyID)
        #expect(verified.signer == "PKIX key \(key.keyID) (ECDSA_P256_SHA256)")
        #expect(verified.digest == "sha256:" + String(repeating: "a", count: 64))
        #expect(verified.backend == nil)
    }

    @Test("A tampered signature is badSignature; bytes that are no signature at all are malformedSignature")
    func failureCodes() throws {
        let key = try Key()
        var signature = try PKIXSigner(privateKey: key.privateKey, algorithm: key.algorithm)
            .sign(SignaturePayload.create(artifactURL: Self.image))
        signature[signature.count - 3] ^= 0x01
        let tampered = try key.verify(key.occurrence(signature: signature))
        #expect(tampered.failures.map(\.kind) == [.badSignature], "\(tampered)")
        #expect(tampered.reason.hasPrefix("occurrence: PKIX signature for key \(key.keyID): "), "\(tampered.reason)")

        let garbage = try key.verify(key.occurrence(signature: Array("not a DER signature".utf8)))
        #expect(garbage.failures.map(\.kind) == [.malformedSignature], "\(garbage)")
    }

    @Test("A signature over DSSE's PAE (gcloud --pae-encode-payload) verifies only where the kind accepts it")
    func preAuthenticationEncoding() throws {
        let key = try Key()
        let payload = try SignaturePayload.create(artifactURL: Self.image)
        let pae = DSSE.preAuthenticationEncoding(payloadType: DSSE.simpleSigningPayloadType, payload: payload)
        let occurrence = try key.occurrence(signing: pae)

        let plainOnly = try key.verify(occurrence)
        #expect(plainOnly.failures.map(\.kind) == [.badSignature], "project attestors fail closed on PAE")

        let accepting = try key.verify(
            occurrence, kind: PKIXAttestationKeys(dssePayloadTypes: [DSSE.simpleSigningPayloadType]))
        let verified = try #require(accepting.verified, "\(accepting)")
        #expect(verified.signer.hasSuffix(" over DSSE \(DSSE.simpleSigningPayloadType)"))
        #expect(verified.payload == payload, "the payload checked is the plain one the occurrence carries")
    }

    @Test("An attestor key no kind handles is refused when the verifier is made, naming the key")
    func unhandledKey() throws {
        let key = try Key()
        #expect {
            _ = try AttestorVerifier(attestors: [key.attestor], occurrences: [], keyKinds: [])
        } throws: { error in
            guard let error = error as? AttestationError else { return false }
            return error.code == .invalidAttestor && error.message.contains("publicKeys[0]")
        }
    }
}
