// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import BinAuthzPayload
import BinAuthzTestSupport
import Foundation
import Testing

@Suite("SignaturePayload")
struct SignaturePayloadTests {
    static let seedURL =
        "gcr.io/nmallyatestproject/containerdemo@sha256:a46ab6b21371e1e3250d3b512b38aa2727ad61a2fc1ab2d2c135589d315c7442"

    @Test("the seed article's 301-byte payload is reproduced byte for byte")
    func seedArticlePayload() throws {
        let expected = try Fixtures.corpusData("seed-article/set-a/generated_payload.json")
        let payload = try SignaturePayload.create(artifactURL: Self.seedURL)
        #expect(payload.count == 301)
        #expect(payload == expected)
        if let sha256sum = Subprocess.which("sha256sum") {
            let digest = try Subprocess.run(sha256sum, ["-"], stdin: payload).stdoutText
            #expect(digest.hasPrefix("7637a26f0cf8c4811476bd7fc3218d61b44409b8790a5eee1e59dff0b30ef8da"))
        }
    }

    @Test("the set-b payload is reproduced too, from its own digest")
    func seedArticleSetB() throws {
        let expected = try Fixtures.corpusData("seed-article/set-b/generated_payload.json")
        let parsed = try SignaturePayload(parsing: expected)
        let url = "\(parsed.dockerReference)@\(parsed.manifestDigest)"
        #expect(try SignaturePayload.create(artifactURL: url) == expected)
    }

    @Test("the reference example is 298 bytes with sorted keys and two-space indent")
    func referenceExample() throws {
        let digest = "sha256:" + String(repeating: "0", count: 60) + "abcd"
        let payload = try SignaturePayload.create(artifactURL: "gcr.io/example-project/example-image@\(digest)")
        let expected = """
            {
              "critical": {
                "identity": {
                  "docker-reference": "gcr.io/example-project/example-image"
                },
                "image": {
                  "docker-manifest-digest": "\(digest)"
                },
                "type": "Google cloud binauthz container signature"
              }
            }

            """
        #expect(String(decoding: payload, as: UTF8.self) == expected)
        #expect(payload.count == 298)
    }

    @Test("docker-reference is escaped as Python's json.dumps(ensure_ascii=True) does")
    func pythonEscaping() {
        let payload = SignaturePayload(dockerReference: "a\"b\\c\u{7F}é\u{1F600}\n\u{01}/x", manifestDigest: "d")
        let text = String(decoding: payload.serialized(), as: UTF8.self)
        #expect(text.contains(#""docker-reference": "a\"b\\c\u007f\u00e9\ud83d\ude00\n\u0001/x""#))
    }

    @Test("a payload without a type leaves the member out")
    func nilType() {
        let payload = SignaturePayload(dockerReference: "r.io/a", manifestDigest: "sha256:x", type: nil)
        #expect(String(decoding: payload.serialized(), as: UTF8.self).contains("\"sha256:x\"\n    }\n  }\n}\n"))
        #expect((try? SignaturePayload(parsing: payload.serialized())) == payload)
    }

    @Test("ArtifactURL exposes the parts gcloud uses")
    func artifactURLParts() throws {
        let url = try ArtifactURL(
            "https://us-docker.pkg.dev/proj/repo/app:1.2@sha256:" + String(repeating: "f", count: 64))
        #expect(url.registry == "us-docker.pkg.dev")
        #expect(url.path == "proj/repo/app")
        #expect(url.dockerReference == "us-docker.pkg.dev/proj/repo/app")
        #expect(url.digest == "sha256:" + String(repeating: "f", count: 64))
        #expect(url.withoutScheme == "us-docker.pkg.dev/proj/repo/app:1.2@sha256:" + String(repeating: "f", count: 64))
        #expect(url.description == "us-docker.pkg.dev/proj/repo/app@sha256:" + String(repeating: "f", count: 64))
    }

    @Test(
        "bad artifact URLs are rejected with gcloud's reason",
        arguments: [
            ("gcr.io/p/app:latest", "must be fully qualified"),
            ("ubuntu@sha256:" + String(repeating: "a", count: 64), "A Docker registry domain must be specified."),
            ("gcr.io/a@sha256:" + String(repeating: "a", count: 64), "must be at least 2 characters"),
            ("gcr.io/p/app@sha256:abc", "Invalid digest"),
            ("localhost:5000/p@sha256:" + String(repeating: "a", count: 64), "does not have a host component"),
            ("[::1/p@sha256:" + String(repeating: "a", count: 64), "Invalid IPv6 URL"),
        ])
    func badURLs(url: String, reason: String) {
        #expect {
            try SignaturePayload.create(artifactURL: url)
        } throws: { error in
            guard let error = error as? PayloadError else { return false }
            return error.code == .invalidArtifactURL && error.message.contains(reason)
                && error.message.contains("expected [https://]REGISTRY/REPOSITORY@sha256:<64 hex digits>")
        }
    }

    @Test("A registry with a port and no scheme: gcloud's reason, then the fix")
    func portWithoutScheme() {
        let url = "localhost:5000/app@sha256:" + String(repeating: "a", count: 64)
        #expect {
            try SignaturePayload.create(artifactURL: url)
        } throws: { error in
            (error as? PayloadError)?.message.hasSuffix("(a registry with a port needs the scheme: https://\(url))")
                == true
        }
        #expect(throws: Never.self) { try SignaturePayload.create(artifactURL: "https://" + url) }
    }

    // MARK: Parsing

    @Test("kritis' validPayload parses; its fields are read as written")
    func kritisValidPayload() throws {
        let payload = try SignaturePayload(
            parsing: Fixtures.corpusData("kritis/pkg/attestlib/testvectors/validPayload.txt"))
        #expect(payload.dockerReference == "gcr.io/google-samples/hello-app")
        #expect(payload.manifestDigest == "sha256:bedb3feb23e81d162e33976fd7b245adff00379f4755c0213e84405e5b1e0988")
        #expect(payload.type == SignaturePayload.gcloudType)
    }

    @Test("kritis' invalidPayload is not JSON")
    func kritisInvalidPayload() throws {
        let bytes = try Fixtures.corpusData("kritis/pkg/attestlib/testvectors/invalidPayload.txt")
        #expect(throws: PayloadError.notJSON) { try SignaturePayload(parsing: bytes) }
    }

    @Test("compact atomic payloads (kritis) and containers/image payloads parse as well; type is not enforced")
    func otherFormatsParse() throws {
        let kritis =
            #"{"critical":{"identity":{"docker-reference":"gcr.io/kritis-project/kritis-server"},"image":{"docker-manifest-digest":"sha256:b3f3eccfd27c9864312af3796067e7db28007a1566e1e042c5862eed3ff1b2c8"},"type":"atomic container signature"}}"#
        let parsed = try SignaturePayload(parsing: Array(kritis.utf8))
        #expect(parsed.type == "atomic container signature")
        #expect(parsed.dockerReference == "gcr.io/kritis-project/kritis-server")
        let noType = try SignaturePayload(
            parsing: Array(
                #"  {"critical" : {"image": {"docker-manifest-digest": "d"}, "identity": {"docker-reference": "r"}, "type": 7}, "x": []}  "#
                    .utf8))
        #expect(noType.type == nil)
        #expect(noType.manifestDigest == "d")
    }

    @Test(
        "malformed payloads are reported precisely",
        arguments: [
            ("", "payload is not JSON: unexpected end of input (line 1, column 1)"),
            ("This is not JSON\n", "payload is not JSON: unexpected character 'T' (line 1, column 1)"),
            ("[]", "payload is an array, not a JSON object"),
            ("{}", "critical is missing"),
            (#"{"critical": 1}"#, "critical is a number (1); expected an object"),
            (#"{"critical": {"identity": {"docker-reference": "r"}}}"#, "critical.image is missing"),
            (
                #"{"critical": {"image": {}, "identity": {"docker-reference": "r"}}}"#,
                "critical.image.docker-manifest-digest is missing"
            ),
            (
                #"{"critical": {"image": {"docker-manifest-digest": null}, "identity": {"docker-reference": "r"}}}"#,
                "critical.image.docker-manifest-digest is null; expected a string"
            ),
            (#"{"critical": {"image": {"docker-manifest-digest": "d"}}}"#, "critical.identity is missing"),
            (
                #"{"critical": {"image": {"docker-manifest-digest": "d"}, "identity": {"docker-reference": 5}}}"#,
                "critical.identity.docker-reference is a number (5); expected a string"
            ),
            (
                #"{"critical": {"image": {"docker-manifest-digest": "d", "docker-manifest-digest": "e"}}}"#,
                "duplicate member name"
            ),
            (#"{"critical": {}} x"#, "payload is not JSON: unexpected text after the JSON document"),
        ])
    func malformed(text: String, message: String) {
        #expect {
            try SignaturePayload(parsing: Array(text.utf8))
        } throws: { error in
            (error as? PayloadError)?.message.contains(message) == true
        }
    }

    // MARK: Checking

    @Test("check compares the digest exactly, and docker-reference only in strict mode")
    func check() throws {
        let payload = try SignaturePayload(parsing: SignaturePayload.create(artifactURL: Self.seedURL))
        let digest = "sha256:a46ab6b21371e1e3250d3b512b38aa2727ad61a2fc1ab2d2c135589d315c7442"
        #expect(payload.check(digest: digest) == .match)
        #expect(payload.check(digest: digest, dockerReference: "gcr.io/nmallyatestproject/containerdemo").isMatch)
        #expect(!payload.check(digest: digest.uppercased()).isMatch)
        #expect(!payload.check(digest: "sha256:" + String(repeating: "a", count: 64)).isMatch)
        let otherRegistry = payload.check(digest: digest, dockerReference: "eu.gcr.io/nmallyatestproject/containerdemo")
        #expect(otherRegistry.description.contains("critical.identity.docker-reference"))

        let image = try ImageReference("eu.gcr.io/other/place:tag@\(digest)")
        #expect(payload.check(image: image) == .match)
        #expect(!payload.check(image: image, strict: true).isMatch)
        #expect(
            payload.check(image: try ImageReference("gcr.io/nmallyatestproject/containerdemo@\(digest)"), strict: true)
                == .match)
        #expect(!payload.check(image: try ImageReference("gcr.io/nmallyatestproject/containerdemo:latest")).isMatch)
    }

    @Test("kritis payload-check cases: digest and name mismatches are reported")
    func kritisPayloadChecks() {
        let payload = SignaturePayload(dockerReference: "test-image", manifestDigest: "test-digest")
        #expect(payload.check(digest: "test-digest", dockerReference: "test-image") == .match)
        #expect(
            !SignaturePayload(dockerReference: "invalid", manifestDigest: "test-digest")
                .check(digest: "test-digest", dockerReference: "test-image").isMatch)
        #expect(
            !SignaturePayload(dockerReference: "test-image", manifestDigest: "invalid")
                .check(digest: "test-digest", dockerReference: "test-image").isMatch)
    }
}
