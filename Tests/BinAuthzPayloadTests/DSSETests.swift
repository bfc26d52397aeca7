// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import BinAuthzPayload
import BinAuthzTestSupport
import Foundation
import Testing

@Suite("DSSE pre-authentication encoding")
struct DSSETests {
    @Test("the DSSE specification's example")
    func specificationVector() {
        let pae = DSSE.preAuthenticationEncoding(
            payloadType: "http://example.com/HelloWorld", payload: Array("hello world".utf8))
        #expect(String(decoding: pae, as: UTF8.self) == "DSSEv1 29 http://example.com/HelloWorld 11 hello world")
    }

    @Test("the default type is cosign's simple-signing type; lengths are byte counts")
    func defaults() throws {
        #expect(DSSE.simpleSigningPayloadType == "application/vnd.dev.cosign.simplesigning.v1+json")
        let pae = DSSE.preAuthenticationEncoding(payload: Array("é".utf8))
        #expect(
            String(decoding: pae, as: UTF8.self) == "DSSEv1 48 application/vnd.dev.cosign.simplesigning.v1+json 2 é")
        #expect(DSSE.preAuthenticationEncoding(payloadType: "", payload: []) == Array("DSSEv1 0  0 ".utf8))
        let payload = try SignaturePayload.create(
            artifactURL: "gcr.io/p/app@sha256:" + String(repeating: "0", count: 64))
        let encoded = DSSE.preAuthenticationEncoding(payload: payload)
        #expect(
            encoded.starts(
                with: Array("DSSEv1 48 application/vnd.dev.cosign.simplesigning.v1+json \(payload.count) ".utf8)))
        #expect(encoded.suffix(payload.count).elementsEqual(payload))
    }

    @Test(
        "gcloud's own PaeEncode gives the same bytes",
        .enabled(if: GcloudTool.python != nil, "gcloud's Python sources are not installed; skipping"))
    func matchesGcloudPaeEncode() throws {
        let cases: [(String, String)] = [
            (DSSE.simpleSigningPayloadType, "{\"critical\": {}}\n"), ("t", ""), ("ünïcödé/type", "bödy ✓"),
        ]
        let script = """
            import sys, json
            root = sys.argv[1]
            sys.path[:0] = [root + '/lib', root + '/lib/third_party']
            from googlecloudsdk.command_lib.container.binauthz import util
            out = [list(util.PaeEncode(t, b)) for t, b in json.load(sys.stdin)]
            json.dump(out, sys.stdout)
            """
        let input = try JSONSerialization.data(withJSONObject: cases.map { [$0.0, $0.1] })
        let run = try Subprocess.run(
            GcloudTool.python!, ["-c", script, GcloudTool.sdkRoot!.path], stdin: [UInt8](input))
        try #require(run.status == 0, "\(run)")
        let expected = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout)) as? [[Int]])
        for ((type, body), bytes) in zip(cases, expected) {
            #expect(
                DSSE.preAuthenticationEncoding(payloadType: type, payload: Array(body.utf8)) == bytes.map { UInt8($0) })
        }
    }

    @Test("gcloud 528's recorded PaeEncode vector (corpora gcloud-platform/gcloud_vectors.txt)")
    func recordedGcloudVector() throws {
        // PAE(default type, payload) = b'DSSEv1 48 application/vnd.dev.cosign.simplesigning.v1+json 274 {\n  "critical": …'
        let payload = try SignaturePayload.create(
            artifactURL: "gcr.io/p/img@sha256:" + String(repeating: "ab", count: 32))
        #expect(payload.count == 274)
        let expected =
            "DSSEv1 48 application/vnd.dev.cosign.simplesigning.v1+json 274 {\n  \"critical\": {\n    \"identity\": {\n"
            + "      \"docker-reference\": \"gcr.io/p/img\"\n    },\n    \"image\": {\n      \"docker-manifest-digest\": "
            + "\"sha256:" + String(repeating: "ab", count: 32) + "\"\n    },\n    \"type\": "
            + "\"Google cloud binauthz container signature\"\n  }\n}\n"
        #expect(DSSE.preAuthenticationEncoding(payload: payload) == Array(expected.utf8))
    }

    @Test("Envelopes: standard base64 written, both alphabets and YAML read, converted to and from an occurrence")
    func envelope() throws {
        let payload: [UInt8] = [0xFB, 0xFF, 0xFE, 0x7B]
        let envelope = DSSEEnvelope(
            payload: payload, signatures: [.init(keyID: "urn:k", signature: [0xFA, 0xFB, 0x3F])])
        let json = envelope.jsonString()
        #expect(json.contains(#""payload": "+//+ew==""#), "\(json)")
        #expect(json.contains(#""sig": "+vs/""#), "\(json)")
        #expect(json.contains(#""keyid": "urn:k""#))
        #expect(json.contains(#""payloadType": "application/vnd.dev.cosign.simplesigning.v1+json""#))
        #expect(try DSSEEnvelope(json: json) == envelope)
        let urlSafe =
            #"{"payload": "-__-ew", "payloadType": "application/vnd.dev.cosign.simplesigning.v1+json", "#
            + #""signatures": [{"keyid": "urn:k", "sig": "-vs_"}], "extra": 1}"#
        #expect(try DSSEEnvelope(json: urlSafe) == envelope)
        #expect(
            try DSSEEnvelope(
                yaml: "payload: +//+ew==\npayloadType: application/vnd.dev.cosign.simplesigning.v1+json\n"
                    + "signatures:\n- keyid: urn:k\n  sig: +vs/\n") == envelope)
        #expect(envelope.signedBytes == DSSE.preAuthenticationEncoding(payload: payload))
        let occurrence = envelope.occurrence(
            resourceURI: "gcr.io/p/i@sha256:" + String(repeating: "a", count: 64), noteName: "projects/p/notes/n")
        #expect(occurrence.attestation?.serializedPayload == payload)
        #expect(occurrence.attestation?.signatures.first?.publicKeyID == "urn:k")
        #expect(DSSEEnvelope(occurrence: occurrence) == envelope)
        #expect(throws: (any Error).self) { try DSSEEnvelope(json: #"{"payload": "!!", "payloadType": "t"}"#) }
        #expect(throws: (any Error).self) { try DSSEEnvelope(json: #"{"payload": ""}"#) }
    }
}
