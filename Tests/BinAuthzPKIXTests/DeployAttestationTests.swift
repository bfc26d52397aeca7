// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import BinAuthzPKIX
import BinAuthzPayload
import BinAuthzPolicy
import BinAuthzTestSupport
import Foundation
import Testing

@Suite("Deploy attestations (GENERATE_DEPLOY): one signed DSSE per image of a CONFORMANT response")
struct DeployAttestationTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let digest = String(repeating: "c", count: 64)

    static func response(_ images: [String]) throws -> EvaluateGkePolicyResponse {
        let policy = try PlatformPolicy.gcloudCreate(
            text: """
                name: projects/p/platforms/gke/policies/dirs
                gkePolicy:
                  checkSets:
                  - checks:
                    - trustedDirectoryCheck: {trustedDirPatterns: ['us-docker.pkg.dev/p/*']}
                """, format: .yaml
        ).policy
        return try PlatformPolicyEvaluator(policy: policy).evaluate(
            [KubernetesWorkload(kind: "Pod", name: "web", images: images)], at: now)
    }

    @Test("The envelope: in-toto v1 statement, the image's name and digest, the predicate type, a PAE signature")
    func envelope() throws {
        let key = try PKIXPrivateKey.generate(for: .ecdsaP256SHA256)
        let signer = try PKIXSigner(privateKey: key, algorithm: .ecdsaP256SHA256)
        let image = "us-docker.pkg.dev/p/apps/web:1.2@sha256:" + Self.digest
        let attested = try DeployAttestations.attest(
            try Self.response([image, image, "us-docker.pkg.dev/p/apps/sidecar:3"]),
            policyName: "projects/p/platforms/gke/policies/dirs",
            signer: signer, at: Self.now)
        #expect(attested.response.attestations.count == 1, "one per distinct digest")
        #expect(attested.skipped == ["us-docker.pkg.dev/p/apps/sidecar:3"])
        #expect(
            DeployAttestations.imageURL(of: attested.response.attestations[0]) == "us-docker.pkg.dev/p/apps/web@sha256:"
                + Self.digest)
        let attestation = attested.response.attestations[0]
        #expect(!attestation.contains("+") && !attestation.contains("/"), "websafe base64")
        let envelope =
            try JSONSerialization.jsonObject(
                with: try #require(
                    Data(
                        base64Encoded: attestation.replacingOccurrences(of: "-", with: "+").replacingOccurrences(
                            of: "_", with: "/"))))
            as! [String: Any]
        #expect(envelope["payloadType"] as? String == "application/vnd.in-toto+json")
        let payload = try #require(Data(base64Encoded: envelope["payload"] as! String))
        let statement = try JSONSerialization.jsonObject(with: payload) as! [String: Any]
        #expect(statement["_type"] as? String == "https://in-toto.io/Statement/v1")
        #expect(
            statement["predicateType"] as? String
                == "https://binaryauthorization.googleapis.com/policy_verification/v0.1")
        let subject = (statement["subject"] as! [[String: Any]])[0]
        #expect(subject["name"] as? String == "us-docker.pkg.dev/p/apps/web")
        #expect((subject["digest"] as? [String: String])?["sha256"] == Self.digest)
        let predicate = statement["predicate"] as! [String: String]
        #expect(
            predicate == [
                "policy": "projects/p/platforms/gke/policies/dirs", "verdict": "CONFORMANT",
                "verificationTime": "2027-01-15T08:00:00Z",
            ])
        let signature = (envelope["signatures"] as! [[String: String]])[0]
        #expect(signature["keyid"] == key.publicKey.defaultKeyID)
        let signed = DSSE.preAuthenticationEncoding(
            payloadType: "application/vnd.in-toto+json", payload: [UInt8](payload))
        let verifier = PKIXVerifier(publicKey: key.publicKey, algorithm: .ecdsaP256SHA256)
        #expect(
            verifier.verify(signature: [UInt8](try #require(Data(base64Encoded: signature["sig"]!))), payload: signed)
                == .verified)
        #expect(attested.envelopes.map(\.image) == ["us-docker.pkg.dev/p/apps/web@sha256:" + Self.digest])
    }

    @Test("No attestation for a response that is not CONFORMANT; the response's JSON carries the attestations")
    func onlyConformant() throws {
        let signer = try PKIXSigner(
            privateKey: try PKIXPrivateKey.generate(for: .ecdsaP256SHA256), algorithm: .ecdsaP256SHA256)
        let denied = try DeployAttestations.attest(
            try Self.response(["docker.io/library/nginx@sha256:" + Self.digest]), policyName: nil, signer: signer,
            at: Self.now)
        #expect(denied.response.verdict == .nonConformant)
        #expect(denied.response.attestations.isEmpty && denied.envelopes.isEmpty)
        let allowed = try DeployAttestations.attest(
            try Self.response(["us-docker.pkg.dev/p/a/b@sha256:" + Self.digest]), policyName: nil, signer: signer,
            keyID:
                "//cloudkms.googleapis.com/v1/projects/p/locations/global/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1",
            at: Self.now)
        #expect(allowed.response.jsonString.hasPrefix(#"{"attestations": [""#))
        #expect(allowed.response.gcloudYAML.hasPrefix("attestations:\n- "))
        #expect(throws: PKIXError.self) {
            try DeployAttestations.attest(
                try Self.response(["us-docker.pkg.dev/p/a/b@sha256:" + Self.digest]), policyName: nil, signer: signer,
                keyID: "", at: Self.now)
        }
    }
}
