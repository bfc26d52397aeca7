// SPDX-License-Identifier: Apache-2.0

import BinAuthzPayload
import BinAuthzTestSupport
import Testing

@Suite("AtomicContainerSignature")
struct AtomicContainerSignatureTests {
    static let kritisPayload =
        #"{"critical":{"identity":{"docker-reference":"gcr.io/kritis-project/kritis-server"},"image":{"docker-manifest-digest":"sha256:b3f3eccfd27c9864312af3796067e7db28007a1566e1e042c5862eed3ff1b2c8"},"type":"atomic container signature"}}"#

    @Test("kritis' payload (229 bytes, compact, no optional) is reproduced in kritis style")
    func kritisStyle() throws {
        let url = try ArtifactURL(
            "gcr.io/kritis-project/kritis-server@sha256:b3f3eccfd27c9864312af3796067e7db28007a1566e1e042c5862eed3ff1b2c8"
        )
        let bytes = AtomicContainerSignature(artifactURL: url).serialized(style: .kritis)
        #expect(bytes == Array(Self.kritisPayload.utf8))
        #expect(bytes.count == 229)
    }

    @Test("containers/image's signed payload is reproduced byte for byte")
    func containersImageStyle() throws {
        let expected = try Fixtures.data("payload/containers-image/image.payload.json")
        let signature = AtomicContainerSignature(
            dockerReference: "testing/manifest",
            manifestDigest: "sha256:20bf21ed457b390829cdbeec8795a7bea1626991fda603e0d01b4e7f60427e55",
            creator: "atomic ", timestamp: 1_458_239_713)
        #expect(signature.serialized() == expected)
        #expect(try AtomicContainerSignature(parsing: expected) == signature)
    }

    @Test("an empty optional object is written in containers/image style, left out in kritis style")
    func emptyOptional() throws {
        let signature = AtomicContainerSignature(dockerReference: "r", manifestDigest: "d")
        #expect(
            String(decoding: signature.serialized(), as: UTF8.self).hasSuffix(
                #""type":"atomic container signature"},"optional":{}}"#))
        #expect(
            String(decoding: signature.serialized(style: .kritis), as: UTF8.self).hasSuffix(
                #""type":"atomic container signature"}}"#))
        let upstream = try Fixtures.data("payload/containers-image/no-optional-fields.payload.json")
        let parsed = try AtomicContainerSignature(parsing: upstream)
        #expect(parsed.creator == nil && parsed.timestamp == nil)
        #expect(parsed.serialized() + [0x0A] == upstream)
    }

    @Test("strings are escaped as Go's encoding/json does")
    func goEscaping() {
        let signature = AtomicContainerSignature(
            dockerReference: "a<b>&\"é\u{2028}\u{01}", manifestDigest: "d", creator: "x", timestamp: -5)
        let text = String(decoding: signature.serialized(), as: UTF8.self)
        #expect(text.contains(#""docker-reference":"a\u003cb\u003e\u0026\"é\u2028\u0001""#))
        #expect(text.hasSuffix(#""optional":{"creator":"x","timestamp":-5}}"#))
    }

    @Test("kritis' payload parses strictly; the gcloud payload type does not")
    func strictParse() throws {
        let parsed = try AtomicContainerSignature(parsing: Array(Self.kritisPayload.utf8))
        #expect(parsed.dockerReference == "gcr.io/kritis-project/kritis-server")
        let gcloud = try Fixtures.corpusData("seed-article/set-a/generated_payload.json")
        #expect(throws: PayloadError.invalidValue) { try AtomicContainerSignature(parsing: gcloud) }
    }

    @Test(
        "strict reading rejects what containers/image rejects",
        arguments: [
            (
                #"{"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"d"},"type":"atomic container signature","extra":1}}"#,
                PayloadError.unknownField, #"critical has an unknown member "extra""#
            ),
            (
                #"{"critical":{"identity":{"docker-reference":"r","x":1},"image":{"docker-manifest-digest":"d"},"type":"atomic container signature"}}"#,
                PayloadError.unknownField, "critical.identity has an unknown member"
            ),
            (
                #"{"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"d","x":1},"type":"atomic container signature"}}"#,
                PayloadError.unknownField, "critical.image has an unknown member"
            ),
            (
                #"{"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"d"}}}"#,
                PayloadError.missingField, "critical.type is missing"
            ),
            (
                #"{"critical":{"identity":{},"image":{"docker-manifest-digest":"d"},"type":"atomic container signature"}}"#,
                PayloadError.missingField, "critical.identity.docker-reference is missing"
            ),
            (
                #"{"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"d"},"type":"atomic container signature"},"other":{}}"#,
                PayloadError.unknownField, #"the payload has an unknown member "other""#
            ),
            (
                #"{"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"d"},"type":"atomic container signature"},"optional":{"timestamp":1.5}}"#,
                PayloadError.invalidValue, "optional.timestamp 1.5 is not an integer"
            ),
            (
                #"{"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"d"},"type":"atomic container signature"},"optional":{"creator":7}}"#,
                PayloadError.typeMismatch, "optional.creator is a number (7); expected a string"
            ),
            (
                #"{"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"d"},"type":"atomic container signature"},"optional":[]}"#,
                PayloadError.typeMismatch, "optional is an array; expected an object"
            ),
            (
                #"{"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"d"},"type":"cosign container image signature"}}"#,
                PayloadError.invalidValue, "critical.type is \"cosign container image signature\""
            ),
        ])
    func strictRejects(text: String, expected: PayloadError, message: String) {
        #expect {
            try AtomicContainerSignature(parsing: Array(text.utf8))
        } throws: { error in
            guard let error = error as? PayloadError else { return false }
            return error == expected && error.message.contains(message)
        }
    }

    @Test("optional may be null or hold unknown members; an integral float timestamp is accepted")
    func lenientOptional() throws {
        let base =
            #"{"critical":{"identity":{"docker-reference":"r"},"image":{"docker-manifest-digest":"d"},"type":"atomic container signature"}"#
        #expect(try AtomicContainerSignature(parsing: Array((base + #","optional":null}"#).utf8)).creator == nil)
        let withExtras = try AtomicContainerSignature(
            parsing: Array((base + #","optional":{"x":[1],"timestamp":1.458239713e9}}"#).utf8))
        #expect(withExtras.timestamp == 1_458_239_713)
    }
}
