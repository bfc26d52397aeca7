// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import BinAuthzPKIX
import BinAuthzPayload
import BinAuthzPolicy
import BinAuthzTestSupport
import Crypto
import Foundation
import Testing

@Suite("sigstoreSignatureCheck: cosign signatures, the containers/image vectors, every key type cosign makes")
struct SigstoreSignatureTests {
    static let fixtures = "containers-image/signature/fixtures"
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func key(_ name: String) throws -> String { try Fixtures.corpusText(fixtures + "/" + name) }

    static func check(_ pems: [[String]]) -> Check {
        Check(
            sigstoreSignatureCheck: SigstoreSignatureCheck(
                sigstoreAuthorities: pems.enumerated().map { index, keys in
                    SigstoreAuthority(
                        displayName: "authority-\(index)",
                        publicKeySet: SigstorePublicKeySet(publicKeys: keys.map { SigstorePublicKey(publicKeyPEM: $0) })
                    )
                }))
    }

    static func outcome(_ signatures: [CosignSignature], _ check: Check, image: String) throws -> PlatformCheckOutcome {
        try SigstoreSignatures(signatures).evaluate(
            check, image: image, pod: KubernetesWorkload(kind: "Pod", images: [image]), at: now)
    }

    /// The signatures stored beside a containers/image `dir:` fixture, and the image as a pod names it (by the
    /// sha256 of its manifest.json).
    static func fixture(_ name: String) throws -> (signatures: [CosignSignature], image: String) {
        let directory = Fixtures.corpus(fixtures + "/" + name)
        let manifest = try Data(contentsOf: directory.appendingPathComponent("manifest.json"))
        let digest = SHA256.hash(data: manifest).map { String(format: "%02x", $0) }.joined()
        var signatures: [CosignSignature] = []
        for index in 1... {
            let url = directory.appendingPathComponent("signature-\(index)")
            guard let bytes = try? Data(contentsOf: url) else { break }
            if let signature = try CosignSignature.readContainersImageSignature([UInt8](bytes)) {
                signatures.append(signature)
            }
        }
        return (signatures, "192.168.64.2:5000/cosign-signed-single-sample@sha256:" + digest)
    }

    @Test("containers/image dir-img-cosign-* vectors: their upstream outcomes, key-based")
    func containersImageVectors() throws {
        let cosign = try Self.key("cosign.pub")
        let cosign2 = try Self.key("cosign2.pub")
        func verdict(_ name: String, _ keys: [[String]]) throws -> PlatformVerdict {
            let (signatures, image) = try Self.fixture(name)
            return try Self.outcome(signatures, Self.check(keys), image: image).verdict
        }
        #expect(try verdict("dir-img-cosign-valid", [[cosign]]) == .conformant)
        #expect(try verdict("dir-img-cosign-valid", [[cosign, cosign2]]) == .conformant)
        #expect(try verdict("dir-img-cosign-valid", [[cosign2], [cosign]]) == .conformant, "any key of any authority")
        #expect(try verdict("dir-img-cosign-valid", [[cosign2]]) == .nonConformant)
        #expect(try verdict("dir-img-cosign-valid-2", [[cosign]]) == .conformant)
        #expect(try verdict("dir-img-cosign-mixed", [[cosign]]) == .conformant, "one valid signature is enough")
        // The signature is for the manifest before it was modified.
        #expect(try verdict("dir-img-cosign-modified-manifest", [[cosign]]) == .nonConformant)
        // The payload's docker-reference (with a tag) is not compared.
        #expect(try verdict("dir-img-cosign-valid-with-tag", [[cosign]]) == .conformant)
        // Key-based: the signature alone verifies with cosign2.pub; the Rekor bundle is not required.
        #expect(try verdict("dir-img-cosign-key-rekor-valid", [[cosign2]]) == .conformant)
        #expect(try verdict("dir-img-cosign-key-rekor-valid", [[cosign]]) == .nonConformant)
        // Keyless and BYO-PKI signatures verify with no listed key.
        #expect(try verdict("dir-img-cosign-fulcio-rekor-valid", [[cosign, cosign2]]) == .nonConformant)
        #expect(try verdict("dir-img-cosign-pki-valid", [[cosign, cosign2]]) == .nonConformant)
        // An attachment that is not a signature is skipped by the reader.
        #expect(try Self.fixture("dir-img-cosign-other-attachment").signatures.isEmpty)
        // A valid signature by an unknown key.
        let unknown = try #require(
            try CosignSignature.readContainersImageSignature(
                Fixtures.corpusData(Self.fixtures + "/unknown-cosign-key.signature")))
        let image = try Self.fixture("dir-img-cosign-valid").image
        #expect(try Self.outcome([unknown], Self.check([[cosign, cosign2]]), image: image).verdict == .nonConformant)
    }

    @Test("TestVerifySigstorePayload's rejections: broken signatures, payloads that are not cosign's")
    func payloadRejections() throws {
        let cosign = try Self.key("cosign.pub")
        let (signatures, image) = try Self.fixture("dir-img-cosign-valid")
        let valid = try #require(signatures.first)
        for bytes in [
            [], Array("invalid signature".utf8), valid.signature + valid.signature, Array(valid.signature.dropLast()),
        ] {
            let broken = CosignSignature(payload: valid.payload, signature: bytes)
            #expect(try Self.outcome([broken], Self.check([[cosign]]), image: image).verdict == .nonConformant)
        }
        // No key at all, or only keys that cannot be used: ERROR, never a pass.
        #expect(try Self.outcome([valid], Self.check([]), image: image).verdict == .error)
        let bad = try Self.outcome(
            [valid], Self.check([["-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"]]), image: image)
        #expect(bad.verdict == .error)
        // Valid signatures under cosign.pub over payloads that are not cosign payloads (`&`, `{}`).
        let vectors =
            try JSONSerialization.jsonObject(
                with: Data(Fixtures.corpusData("cosign-signatures/containers-image/test-constant-vectors.json")))
            as! [String: Any]
        let entries = vectors["vectors"] as? [[String: Any]] ?? vectors["entries"] as? [[String: Any]] ?? []
        #expect(entries.count == 2, "\(vectors.keys)")
        for entry in entries {
            let payload = try #require((entry["payload_utf8"] as? String).map { Array($0.utf8) })
            let signature = try #require((entry["signature_b64"] as? String).flatMap { Data(base64Encoded: $0) })
            let outcome = try Self.outcome(
                [CosignSignature(payload: payload, signature: [UInt8](signature))], Self.check([[cosign]]), image: image
            )
            #expect(outcome.verdict == .nonConformant, "\(entry)")
            #expect(outcome.explanation.contains("not cosign payloads"), "\(outcome)")
        }
        // An image referenced by tag has no digest to match.
        #expect(
            try Self.outcome([valid], Self.check([[cosign]]), image: "192.168.64.2:5000/cosign-signed-single-sample:v1")
                .verdict == .nonConformant)
    }

    /// A cosign payload for `digest`, as cosign 2 writes it.
    static func payload(_ digest: String) -> [UInt8] {
        Array(
            #"{"critical":{"identity":{"docker-reference":"us-docker.pkg.dev/p/r/app"},"image":{"docker-manifest-digest":"\#(digest)"},"type":"cosign container image signature"},"optional":{"key":"value"}}"#
                .utf8)
    }

    @Test(
        "Every key type cosign signs with: ECDSA P-256/P-384/P-521 (SHA-256 and the curve's hash), RSA PKCS#1, Ed25519")
    func keyTypes() throws {
        let digest = "sha256:" + String(repeating: "e", count: 64)
        let image = "us-docker.pkg.dev/p/r/app@" + digest
        let other = "us-docker.pkg.dev/p/r/app@sha256:" + String(repeating: "f", count: 64)
        let payload = Self.payload(digest)
        var cases: [(String, String, [UInt8])] = []
        let p256 = P256.Signing.PrivateKey()
        cases.append(
            ("P-256", p256.publicKey.pemRepresentation, Array(try p256.signature(for: payload).derRepresentation)))
        let p384 = P384.Signing.PrivateKey()
        cases.append(
            (
                "P-384/SHA-256", p384.publicKey.pemRepresentation,
                Array(try p384.signature(for: SHA256.hash(data: payload)).derRepresentation)
            ))
        cases.append(
            (
                "P-384/SHA-384", p384.publicKey.pemRepresentation,
                Array(try p384.signature(for: payload).derRepresentation)
            ))
        let p521 = P521.Signing.PrivateKey()
        cases.append(
            (
                "P-521/SHA-256 raw", p521.publicKey.pemRepresentation,
                Array(try p521.signature(for: SHA256.hash(data: payload)).rawRepresentation)
            ))
        let ed = Curve25519.Signing.PrivateKey()
        let edSPKI =
            [0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00]
            + Array(ed.publicKey.rawRepresentation)
        let edPEM = "-----BEGIN PUBLIC KEY-----\n" + Data(edSPKI).base64EncodedString() + "\n-----END PUBLIC KEY-----\n"
        cases.append(("Ed25519", edPEM, Array(try ed.signature(for: payload))))
        let rsa = try PKIXPrivateKey.generate(for: .rsaSignPKCS1_2048SHA256)
        let rsaSignature = try PKIXSigner(privateKey: rsa, algorithm: .rsaSignPKCS1_2048SHA256).sign(payload)
        cases.append(("RSA-2048", rsa.publicKey.pemRepresentation, rsaSignature))
        for (name, pem, signature) in cases {
            let signed = CosignSignature(payload: payload, signature: signature)
            #expect(try Self.outcome([signed], Self.check([[pem]]), image: image).verdict == .conformant, "\(name)")
            #expect(try Self.outcome([signed], Self.check([[pem]]), image: other).verdict == .nonConformant, "\(name)")
            let tampered = CosignSignature(payload: payload + [0x20], signature: signature)
            #expect(
                try Self.outcome([tampered], Self.check([[pem]]), image: image).verdict == .nonConformant, "\(name)")
        }
        // RSA-PSS is not how cosign signs with RSA keys.
        let pssSignature = try PKIXSigner(privateKey: rsa, algorithm: .rsaPSS2048SHA256).sign(payload)
        #expect(
            try Self.outcome(
                [CosignSignature(payload: payload, signature: pssSignature)],
                Self.check([[rsa.publicKey.pemRepresentation]]),
                image: image
            ).verdict == .nonConformant)
    }

    @Test("cosign download signature output: today's Go field names, and the pre-1.0 example, which is refused")
    func downloadOutput() throws {
        let digest = "sha256:" + String(repeating: "e", count: 64)
        let key = P256.Signing.PrivateKey()
        let payload = Self.payload(digest)
        let signature = try key.signature(for: payload).derRepresentation.base64EncodedString()
        let line =
            #"{"Base64Signature":"\#(signature)","Payload":"\#(Data(payload).base64EncodedString())","Cert":null,"Chain":null,"Bundle":{"SignedEntryTimestamp":"MEUCIQ==","Payload":{"body":"e30=","integratedTime":1700000000,"logIndex":7,"logID":"c0d2"}},"RFC3161Timestamp":null}"#
        let read = try CosignSignature.readDownloadOutput(line + "\n" + line + "\n")
        #expect(read.count == 2)
        #expect(read[0].payload == payload)
        #expect(read[1].source == "line 2")
        #expect(
            try Self.outcome(read, Self.check([[key.publicKey.pemRepresentation]]), image: "gcr.io/p/i@" + digest)
                .verdict
                == .conformant)
        // The only published example (pre-1.0 cosign: capitalised payload keys, no sha256: prefix) reads, but its
        // payload is not a cosign payload today.
        let legacy = try CosignSignature.readDownloadOutput(
            try Fixtures.corpusText("cosign-signatures/cosign/usage-md-download-signature-example.jsonl"))
        #expect(legacy.count == 1)
        guard case .failure = legacy[0].signedDigest else {
            Issue.record("the pre-1.0 payload must not read as a cosign payload")
            return
        }
        func failure(_ text: String) throws -> ModelError {
            try #require(throws: ModelError.self, performing: { try CosignSignature.readDownloadOutput(text) })
        }
        #expect(try failure(#"{"Payload": "e30="}"#).path == "Base64Signature")
        #expect(try failure(#"{"Base64Signature": "&", "Payload": "e30="}"#).path == "Base64Signature")
        #expect(try failure(#"{"Base64Signature": "AA==", "Payload": 3}"#).path == "Payload")
    }

    @Test("A .sig image: layers of the simple-signing type with their annotation; blob digests are checked")
    func signatureImage() throws {
        let digest = "sha256:" + String(repeating: "e", count: 64)
        let key = P256.Signing.PrivateKey()
        let payload = Self.payload(digest)
        let blobDigest = "sha256:" + SHA256.hash(data: payload).map { String(format: "%02x", $0) }.joined()
        let signature = try key.signature(for: payload).derRepresentation.base64EncodedString()
        func manifest(_ layerDigest: String, annotation: String? = signature) -> [UInt8] {
            let annotations =
                annotation.map { #","annotations":{"dev.cosignproject.cosign/signature":"\#($0)"}"# } ?? ""
            return Array(
                #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":2,"digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"},"layers":[{"mediaType":"text/plain","size":1,"digest":"sha256:00"},{"mediaType":"application/vnd.dev.cosign.simplesigning.v1+json","size":\#(payload.count),"digest":"\#(layerDigest)"\#(annotations)}]}"#
                    .utf8)
        }
        let blobs = [blobDigest: payload]
        let read = try CosignSignature.readSignatureImage(manifest: manifest(blobDigest), blob: { blobs[$0] })
        #expect(read.count == 1)
        #expect(
            try Self.outcome(read, Self.check([[key.publicKey.pemRepresentation]]), image: "gcr.io/p/i@" + digest)
                .verdict
                == .conformant)
        func failure(_ manifest: [UInt8], _ blobs: [String: [UInt8]]) throws -> ModelError {
            try #require(
                throws: ModelError.self,
                performing: {
                    try CosignSignature.readSignatureImage(manifest: manifest, blob: { blobs[$0] })
                })
        }
        let wrong = "sha256:" + String(repeating: "0", count: 64)
        #expect(try failure(manifest(wrong), [wrong: payload]).message.contains("does not have digest"))
        #expect(try failure(manifest(wrong), [:]).message.contains("is missing"))
        #expect(try failure(manifest("sha256:../../etc/passwd"), [:]).message.contains("not a sha256 digest"))
        #expect(try failure(manifest(blobDigest, annotation: nil), blobs).path == "layers[1].annotations")
        #expect(try failure(Array(#"{"manifests": []}"#.utf8), [:]).message.contains("no layers list"))
        // More layers than InputLimits.maximumOccurrencesPerImage: refused before any blob is read.
        let many =
            "{\"layers\": ["
            + Array(repeating: #"{"mediaType": "text/plain", "digest": "sha256:00"}"#, count: 257)
            .joined(separator: ",") + "]}"
        #expect(try failure(Array(many.utf8), [:]).code == .tooLarge)
    }
}
