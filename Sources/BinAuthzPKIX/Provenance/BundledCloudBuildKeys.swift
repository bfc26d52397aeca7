// SPDX-License-Identifier: Apache-2.0
// Data: Google Cloud Build's provenance signing public keys, as slsa-verifier publishes them
// (github.com/slsa-framework/slsa-verifier, verifiers/internal/gcb/keys/materials/*.key, Apache-2.0, commit
// aaf98fd77ddc1963c0f34f34c46bd84d7a08c260 of 2026-03-09; taken 2026-12-02). slsa-verifier fetched them with
// `gcloud kms keys versions get-public-key 1 --project verified-builder --keyring attestor --key KEY --location LOC`.
// Generated from those files; do not edit by hand.

extension CloudBuildProvenanceKeys {
    /// The bundled keys: every Cloud Build provenance key slsa-verifier knows (regional `builtByGCB` keys, which sign
    /// the payload itself, and the global `provenanceSigner` and `google-hosted-worker` keys, which sign DSSE's PAE).
    public static let bundled = CloudBuildProvenanceKeys(keys: [
        CloudBuildProvenanceKey(
            keyID:
                "projects/verified-builder/locations/asia-east1/keyRings/attestor/cryptoKeys/builtByGCB/cryptoKeyVersions/1",
            signsPAE: false, predicateType: CloudBuildProvenanceKey.slsaV01,
            publicKeyPEM: """
                -----BEGIN PUBLIC KEY-----
                MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAED19/xPzO6sLFZxDzsItbVQSLMPBS
                w7iVGtkXyNicWdplf4pXm6wFyZ/HyqL0Acd4Q3gfJvtVIY3HiAzjohx0cw==
                -----END PUBLIC KEY-----
                """),
        CloudBuildProvenanceKey(
            keyID:
                "projects/verified-builder/locations/asia-northeast1/keyRings/attestor/cryptoKeys/builtByGCB/cryptoKeyVersions/1",
            signsPAE: false, predicateType: CloudBuildProvenanceKey.slsaV01,
            publicKeyPEM: """
                -----BEGIN PUBLIC KEY-----
                MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE4RlI/MHfE9ZjKba6rMSGu3A/M0FH
                UPBu4anB9yXC+8ubmMBAWIoqgXr7CYGBenw27YasBOQhyGgZQSe9sF+DhQ==
                -----END PUBLIC KEY-----
                """),
        CloudBuildProvenanceKey(
            keyID:
                "projects/verified-builder/locations/asia-southeast1/keyRings/attestor/cryptoKeys/builtByGCB/cryptoKeyVersions/1",
            signsPAE: false, predicateType: CloudBuildProvenanceKey.slsaV01,
            publicKeyPEM: """
                -----BEGIN PUBLIC KEY-----
                MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEQGLAkRjCFqZbdd4BjhNFNS8l9xMJ
                K1MVNpTA/K+sGl9+HG0r43MMAIXt6QUst9kCiqiXRp+Oqc0HIGRFZMBFcg==
                -----END PUBLIC KEY-----
                """),
        CloudBuildProvenanceKey(
            keyID:
                "projects/verified-builder/locations/australia-southeast1/keyRings/attestor/cryptoKeys/builtByGCB/cryptoKeyVersions/1",
            signsPAE: false, predicateType: CloudBuildProvenanceKey.slsaV01,
            publicKeyPEM: """
                -----BEGIN PUBLIC KEY-----
                MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEcYAxYYze8pKKoggou7Pz5oAfFv/Y
                gWN1HAjtT0v0L6sOOKOXvFNTpjQ8nDz1ooNfuxv8pva6l8ZLICTH10CJog==
                -----END PUBLIC KEY-----
                """),
        CloudBuildProvenanceKey(
            keyID:
                "projects/verified-builder/locations/europe-north1/keyRings/attestor/cryptoKeys/builtByGCB/cryptoKeyVersions/1",
            signsPAE: false, predicateType: CloudBuildProvenanceKey.slsaV01,
            publicKeyPEM: """
                -----BEGIN PUBLIC KEY-----
                MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEoKSuwi41RBzyWlwYBu61xgVrO6zw
                G8yjVsbyha4FfDSPMQ0V8BIJbqOphh40ACwzEKCszMY36d22FJHSLDiNvg==
                -----END PUBLIC KEY-----
                """),
        CloudBuildProvenanceKey(
            keyID:
                "projects/verified-builder/locations/europe-west1/keyRings/attestor/cryptoKeys/builtByGCB/cryptoKeyVersions/1",
            signsPAE: false, predicateType: CloudBuildProvenanceKey.slsaV01,
            publicKeyPEM: """
                -----BEGIN PUBLIC KEY-----
                MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEDmJxa2BxOnfra0/J4FHf/2yIOElN
                p6+ah2tcpK0W8FGFFU3TaC4XEXFKVV/bWmormNDvZGtN710Qi4VforgRzg==
                -----END PUBLIC KEY-----
                """),
        CloudBuildProvenanceKey(
            keyID:
                "projects/verified-builder/locations/europe-west2/keyRings/attestor/cryptoKeys/builtByGCB/cryptoKeyVersions/1",
            signsPAE: false, predicateType: CloudBuildProvenanceKey.slsaV01,
            publicKeyPEM: """
                -----BEGIN PUBLIC KEY-----
                MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEfDuhy/obSeBa+RwcAZ3EYFvRJmIT
                1+lcAk/yINf0PBysMV9Lg482EEKmq8ce2rTZXuNFxLLMiHENunJ3oGlJIg==
                -----END PUBLIC KEY-----
                """),
        CloudBuildProvenanceKey(
            keyID:
                "projects/verified-builder/locations/europe-west3/keyRings/attestor/cryptoKeys/builtByGCB/cryptoKeyVersions/1",
            signsPAE: false, predicateType: CloudBuildProvenanceKey.slsaV01,
            publicKeyPEM: """
                -----BEGIN PUBLIC KEY-----
                MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEWNPQh5Z5gTBJGwINV7nja+uJ0qCD
                Pek4yIfgjrhmqM3Cu06kdpfod8TCL7z32uIQTb5VysO4XVhbAY2bN0BAkg==
                -----END PUBLIC KEY-----
                """),
        CloudBuildProvenanceKey(
            keyID:
                "projects/verified-builder/locations/europe-west4/keyRings/attestor/cryptoKeys/builtByGCB/cryptoKeyVersions/1",
            signsPAE: false, predicateType: CloudBuildProvenanceKey.slsaV01,
            publicKeyPEM: """
                -----BEGIN PUBLIC KEY-----
                MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEOHbdm8kpkMdEeD0i2WcWFCss620T
                ts1x82wakzDELaS4rxDfJ7eSTQOyfQupjDl9M9k99uY8DoX2vAABI8DdoA==
                -----END PUBLIC KEY-----
                """),
        CloudBuildProvenanceKey(
            keyID:
                "projects/verified-builder/locations/global/keyRings/attestor/cryptoKeys/google-hosted-worker/cryptoKeyVersions/1",
            signsPAE: true, predicateType: CloudBuildProvenanceKey.slsaV1,
            publicKeyPEM: """
                -----BEGIN PUBLIC KEY-----
                MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEg9KII7kzr/30HBluf00y9WwtMFkE
                qc3oCcFVH3QJ37IBLUv/MUApbnNHFfD75ayJ/a0F45xa+MLv5zoep+GxsA==
                -----END PUBLIC KEY-----
                """),
        CloudBuildProvenanceKey(
            keyID:
                "projects/verified-builder/locations/global/keyRings/attestor/cryptoKeys/provenanceSigner/cryptoKeyVersions/1",
            signsPAE: true, predicateType: CloudBuildProvenanceKey.slsaV01,
            publicKeyPEM: """
                -----BEGIN PUBLIC KEY-----
                MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEdMcJUyKbmarf6dydhfmAjgmK6c42
                oCCNRR1se3Bi3VO65KcGk6qyci6/bsu2s4u+dLKWrsUQomEw4v3FtVctoA==
                -----END PUBLIC KEY-----
                """),
        CloudBuildProvenanceKey(
            keyID:
                "projects/verified-builder/locations/global/keyRings/attestor/cryptoKeys/builtByGCB/cryptoKeyVersions/1",
            signsPAE: false, predicateType: CloudBuildProvenanceKey.slsaV01,
            publicKeyPEM: """
                -----BEGIN PUBLIC KEY-----
                MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAECGIoAk3mHV8xq/P1x6doSzAJlTaW
                YhrmI3rfN5zfk3/Dq6nPpm8D0CMVNyc4HZ5ChTDqTV8EyaR56nLqjvMYUA==
                -----END PUBLIC KEY-----
                """),
        CloudBuildProvenanceKey(
            keyID:
                "projects/verified-builder/locations/southamerica-west1/keyRings/attestor/cryptoKeys/builtByGCB/cryptoKeyVersions/1",
            signsPAE: false, predicateType: CloudBuildProvenanceKey.slsaV01,
            publicKeyPEM: """
                -----BEGIN PUBLIC KEY-----
                MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAExvyU8IkmPjrV8V8dkuBMcOtvJykf
                WZhaTuYcOS5KXMVpEllJ3jh9WFyuoG54mVLgFJUQwrYLhUWORRVGH1kskw==
                -----END PUBLIC KEY-----
                """),
        CloudBuildProvenanceKey(
            keyID:
                "projects/verified-builder/locations/us-central1/keyRings/attestor/cryptoKeys/builtByGCB/cryptoKeyVersions/1",
            signsPAE: false, predicateType: CloudBuildProvenanceKey.slsaV01,
            publicKeyPEM: """
                -----BEGIN PUBLIC KEY-----
                MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEAUqas+Xhfss+NCsiL8ayl1Sxz9TF
                bDxLuokg59lGmpm4ca2Idmh1aYt04ZkM8sgXq/FMTXxqISA4dQapp0utZg==
                -----END PUBLIC KEY-----
                """),
        CloudBuildProvenanceKey(
            keyID:
                "projects/verified-builder/locations/us-central2/keyRings/attestor/cryptoKeys/builtByGCB/cryptoKeyVersions/1",
            signsPAE: false, predicateType: CloudBuildProvenanceKey.slsaV01,
            publicKeyPEM: """
                -----BEGIN PUBLIC KEY-----
                MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEOBZl8kLzGV63W0ERoHAG0xpkOu+T
                zDUzk6kISDonvno/emAacWmrTMxbhDQwRcnTtT9TpUG98+WukL2PDPQ61g==
                -----END PUBLIC KEY-----
                """),
        CloudBuildProvenanceKey(
            keyID:
                "projects/verified-builder/locations/us-east1/keyRings/attestor/cryptoKeys/builtByGCB/cryptoKeyVersions/1",
            signsPAE: false, predicateType: CloudBuildProvenanceKey.slsaV01,
            publicKeyPEM: """
                -----BEGIN PUBLIC KEY-----
                MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEyWUk6LGBm/wTWioZ7pTA7Ds0sXQd
                3Y4HYyF3/Hl/UYNveSBhMdkM4yReQPU2fNh5CkK77+JzGU8NypnvFWYSVQ==
                -----END PUBLIC KEY-----
                """),
        CloudBuildProvenanceKey(
            keyID:
                "projects/verified-builder/locations/us-east4/keyRings/attestor/cryptoKeys/builtByGCB/cryptoKeyVersions/1",
            signsPAE: false, predicateType: CloudBuildProvenanceKey.slsaV01,
            publicKeyPEM: """
                -----BEGIN PUBLIC KEY-----
                MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE88g3xqG/UtPE5LFG3Z6MWpZ/ofJR
                E9VHeavlxhNSzV6USMUBJEU3I9/xfanRJUTT4oNdMi7cv5BeCaS2Q3mZ3w==
                -----END PUBLIC KEY-----
                """),
        CloudBuildProvenanceKey(
            keyID:
                "projects/verified-builder/locations/us-west1/keyRings/attestor/cryptoKeys/builtByGCB/cryptoKeyVersions/1",
            signsPAE: false, predicateType: CloudBuildProvenanceKey.slsaV01,
            publicKeyPEM: """
                -----BEGIN PUBLIC KEY-----
                MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEIZhFqz97qH9dFn23yWYVkwZVYXOA
                Hllzqzr14tRkXesHcZoVnekBMBkkIkP+jgechjkjZG3NPssdmIZFZ6+oyA==
                -----END PUBLIC KEY-----
                """),
        CloudBuildProvenanceKey(
            keyID:
                "projects/verified-builder/locations/us-west2/keyRings/attestor/cryptoKeys/builtByGCB/cryptoKeyVersions/1",
            signsPAE: false, predicateType: CloudBuildProvenanceKey.slsaV01,
            publicKeyPEM: """
                -----BEGIN PUBLIC KEY-----
                MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEw/gdczl7qDD4ww9B6WmJ6++/hQ5S
                mdw/1RBcwNNQE9qN0O+DilRE9/AjH7OvJUhNznOzEzH7mFq5mNdmUjYlXg==
                -----END PUBLIC KEY-----
                """),
        CloudBuildProvenanceKey(
            keyID:
                "projects/verified-builder/locations/us-west3/keyRings/attestor/cryptoKeys/builtByGCB/cryptoKeyVersions/1",
            signsPAE: false, predicateType: CloudBuildProvenanceKey.slsaV01,
            publicKeyPEM: """
                -----BEGIN PUBLIC KEY-----
                MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEolPSVMeD5XcXCa5gNIdSj51Z4VE7
                u3uie+EeCOAAi//g2zj+hsEchXjYA5edo9eH6iv2w1g2DMrNWutW45nRkg==
                -----END PUBLIC KEY-----
                """),
        CloudBuildProvenanceKey(
            keyID:
                "projects/verified-builder/locations/us-west4/keyRings/attestor/cryptoKeys/builtByGCB/cryptoKeyVersions/1",
            signsPAE: false, predicateType: CloudBuildProvenanceKey.slsaV01,
            publicKeyPEM: """
                -----BEGIN PUBLIC KEY-----
                MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAERM4hS/6KZNbEootGWRBc8lmTzIGp
                FvCKxVQL2xRU87d4OCyp1iP0IsSe2a1GQPQuK8SD0vwEb9hJDBZaEOF15g==
                -----END PUBLIC KEY-----
                """),
    ])
}
