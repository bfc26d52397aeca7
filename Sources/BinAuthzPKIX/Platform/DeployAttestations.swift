// SPDX-License-Identifier: Apache-2.0

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import BinAuthzModel
import BinAuthzPayload
import BinAuthzPolicy
import Crypto

/// Deploy attestations, as `platforms.gke.policies.evaluate` returns them with `attestationMode: GENERATE_DEPLOY`:
/// for a `CONFORMANT` verdict, one DSSE envelope per image, "in the form of websafe base64 encoded JSON DSSEs".
///
/// The service signs with Google's key, which no one else holds, so offline the envelopes are signed with a PKIX
/// key you give: they have the shape gcloud's helpers read (`AttestationToImageUrl`, the `sha256-<hex>.att` image,
/// the `binaryauthorization.googleapis.com/attestations` annotation), not Google's signature. The statement is an
/// in-toto v1 statement: subject `name` (the repository, without tag or digest) and `digest.sha256`, predicate type
/// ``predicateType``, and a predicate this library chooses (the service's is not published):
/// `{"policy": NAME, "verdict": "CONFORMANT", "verificationTime": RFC 3339}`. The DSSE `payloadType` is
/// `application/vnd.in-toto+json`, the signature is over DSSE's PAE.
///
/// ```swift
/// let response = evaluator.evaluate(pods, at: now)
/// let attested = try DeployAttestations.attest(response, policyName: name, signer: signer, at: now)
/// attested.response.attestations   // websafe base64 DSSEs
/// ```
public enum DeployAttestations {
    /// `https://binaryauthorization.googleapis.com/policy_verification/v0.1` (gcloud's `BINAUTHZ_CUSTOM_PREDICATE`).
    public static let predicateType = "https://binaryauthorization.googleapis.com/policy_verification/v0.1"
    /// The envelopes' `payloadType`.
    public static let payloadType = "application/vnd.in-toto+json"
    /// The annotation gcloud's `evaluate-and-sign --output-file` writes the attestations into.
    public static let annotation = "binaryauthorization.googleapis.com/attestations"

    /// One deploy attestation: the image and the envelope.
    public struct Envelope: Hashable, Sendable {
        /// The attested image, `REPOSITORY@sha256:HEX` (gcloud's `AttestationToImageUrl`).
        public let image: String
        /// The DSSE envelope's JSON (the attestation decoded; the layer of the `sha256-HEX.att` image).
        public let json: [UInt8]
    }

    /// What ``attest(_:policyName:signer:keyID:at:)`` made.
    public struct Attested: Sendable {
        /// The response with its `attestations`.
        public let response: EvaluateGkePolicyResponse
        /// For each attestation, the image it is for and the DSSE envelope's JSON.
        public let envelopes: [Envelope]
        /// Images that got no attestation: referenced by tag (or by something that is not a sha256 digest), so there
        /// is no digest to attest.
        public let skipped: [String]
    }

    /// Attests every image of a `CONFORMANT` response (each distinct digest once).
    ///
    /// - Throws: ``PKIXError`` when signing fails or `keyID` is not a key id the API accepts (see ``PKIXKeyID``). A response that is not `CONFORMANT` gets no attestation (and no error), as the API returns none.
    public static func attest(
        _ response: EvaluateGkePolicyResponse, policyName: String?, signer: PKIXSigner, keyID: String? = nil,
        at time: Date
    ) throws(PKIXError) -> Attested {
        if let keyID { try PKIXKeyID.validate(keyID) }
        guard response.verdict == .conformant else { return Attested(response: response, envelopes: [], skipped: []) }
        let id = keyID ?? signer.publicKey.defaultKeyID
        var seen: Set<String> = []
        var attestations: [String] = []
        var envelopes: [Envelope] = []
        var skipped: [String] = []
        for image in response.results.flatMap({ $0.imageResults.map(\.imageURI) }) {
            guard let at = image.lastIndex(of: "@"), image[image.index(after: at)...].hasPrefix("sha256:") else {
                if !skipped.contains(image) { skipped.append(image) }
                continue
            }
            let hex = String(image[image.index(after: at)...].dropFirst(7))
            guard hex.utf8.count == 64,
                hex.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
            else {
                if !skipped.contains(image) { skipped.append(image) }
                continue
            }
            var name = String(image[..<at])
            if let slash = name.lastIndex(of: "/"), let colon = name.lastIndex(of: ":"), colon > slash {
                name = String(name[..<colon])  // a tag before the digest
            }
            guard seen.insert(name + "@" + hex).inserted else { continue }
            let statement = TreeNode.object([
                ("_type", TreeNode(.string("https://in-toto.io/Statement/v1"))),
                (
                    "predicate",
                    TreeNode.object([
                        ("policy", policyName.map { TreeNode(.string($0)) }),
                        ("verdict", TreeNode(.string(response.verdict.rawValue))),
                        ("verificationTime", TreeNode(.string(RFC3339.format(time)))),
                    ])
                ),
                ("predicateType", TreeNode(.string(predicateType))),
                (
                    "subject",
                    TreeNode(
                        .list([
                            TreeNode.object([
                                ("digest", TreeNode.object([("sha256", TreeNode(.string(hex)))])),
                                ("name", TreeNode(.string(name))),
                            ])
                        ]))
                ),
            ])
            let payload = Array(JSONTreeWriter.write(statement, pretty: false).utf8)
            let signature = try signer.sign(DSSE.preAuthenticationEncoding(payloadType: payloadType, payload: payload))
            let envelope = TreeNode.object([
                ("payload", TreeNode(.string(Base64.encode(payload)))),
                ("payloadType", TreeNode(.string(payloadType))),
                (
                    "signatures",
                    TreeNode(
                        .list([
                            TreeNode.object([
                                ("keyid", TreeNode(.string(id))), ("sig", TreeNode(.string(Base64.encode(signature)))),
                            ])
                        ]))
                ),
            ])
            let json = Array(JSONTreeWriter.write(envelope, pretty: false).utf8)
            attestations.append(Base64.encodeURLSafe(json))
            envelopes.append(Envelope(image: name + "@sha256:" + hex, json: json))
        }
        return Attested(
            response: response.attestingDeployment(attestations), envelopes: envelopes, skipped: skipped)
    }

    /// The image an attestation is for, as gcloud's `AttestationToImageUrl` reads it (`subject[0].name` and
    /// `subject[0].digest.sha256`; the envelope in standard or URL-safe base64). Not a verification.
    public static func imageURL(of attestation: String) -> String? {
        guard let envelope = Base64.decode(attestation),
            let root = try? JSONTreeParser.parse(envelope),
            let payloadText = root.field("payload")?.stringValue, let payload = Base64.decode(payloadText),
            let statement = try? JSONTreeParser.parse(payload),
            case .list(let subjects)? = statement.field("subject")?.value, let first = subjects.first,
            let name = first.field("name")?.stringValue,
            let hex = first.field("digest")?.field("sha256")?.stringValue
        else { return nil }
        return "\(name)@sha256:\(hex)"
    }
}
