// SPDX-License-Identifier: Apache-2.0

/// Dead Simple Signing Envelope helpers: what platform-policy attestation checks and
/// `gcloud … sign-and-create --pae-encode-payload` sign instead of the raw payload.
public enum DSSE {
    /// The default DSSE `payloadType`: `application/vnd.dev.cosign.simplesigning.v1+json` (gcloud's `--dsse-type`
    /// default).
    public static let simpleSigningPayloadType = "application/vnd.dev.cosign.simplesigning.v1+json"

    /// The DSSE v1 pre-authentication encoding:
    /// `"DSSEv1" SP len(type) SP type SP len(body) SP body`, lengths as decimal byte counts (gcloud's `PaeEncode`).
    ///
    /// ```swift
    /// DSSE.preAuthenticationEncoding(payload: Array("hello".utf8))
    /// // "DSSEv1 48 application/vnd.dev.cosign.simplesigning.v1+json 5 hello"
    /// ```
    ///
    /// - Parameters:
    ///   - payloadType: The envelope's `payloadType`, UTF-8 encoded; defaults to ``simpleSigningPayloadType``.
    ///   - payload: The payload bytes (for example a ``SignaturePayload/serialized()`` payload).
    /// - Returns: The bytes to sign.
    public static func preAuthenticationEncoding(
        payloadType: String = DSSE.simpleSigningPayloadType, payload: some Collection<UInt8>
    ) -> [UInt8] {
        let type = Array(payloadType.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(type.count + payload.count + 32)
        out += Array("DSSEv1 \(type.count) ".utf8)
        out += type
        out += Array(" \(payload.count) ".utf8)
        out += payload
        return out
    }
}
