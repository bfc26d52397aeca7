// SPDX-License-Identifier: Apache-2.0

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import BinAuthz
import BinAuthzModel
import BinAuthzPGP
import BinAuthzPKIX
import BinAuthzPayload
import BinAuthzPolicy

/// The parser families of the library as fuzzing entry points: each takes arbitrary bytes, runs them through the
/// public (and package) readers the way the command line and an admission webhook do, and checks the invariants
/// that must hold for any input. Errors are expected answers; a crash, a hang, a broken invariant is a bug.
///
/// The same entry points serve libFuzzer (the `Fuzz/` package, `make fuzz`) and the test suite, which replays the
/// regression corpus in `Tests/Fixtures/fuzz-regressions/<target>/` through them on a 128 KiB stack.
///
/// Not API: the underscore says so (this product exists so the separate fuzzing package can link it).
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// Policy files as YAML, under every dialect, and back: `Policy(yaml:)`, validation, the engine.
    case policyYAML = "policy-yaml"
    /// Policy files as JSON, and back.
    case policyJSON = "policy-json"
    /// Attestor files (JSON or YAML), their keys, a verifier made of them.
    case attestor
    /// Attestation files: one occurrence, a list, an `occurrences.list` page, a YAML stream; and the other evidence
    /// files of platform policies (vulnerability scans, Artifact Registry upload times).
    case occurrences
    /// Kubernetes manifests as kubectl reads them.
    case manifest
    /// AdmissionReview requests to the webhook handler.
    case admissionReview = "admission-review"
    /// OpenPGP messages (armored or binary) through the in-process verifier and the message classifier.
    case pgpMessage = "pgp-message"
    /// OpenPGP key blocks: fingerprints, the in-process keyring.
    case pgpKey = "pgp-key"
    /// PEM and DER keys, public and private, and PKIX verification with them.
    case pkix
    /// Signature payloads, artifact URLs and gcloud's payload builder.
    case payload
    /// Image references and allowlist patterns.
    case imageReference = "image-reference"

    /// Runs one input. Returns normally for every input; traps (so the fuzzer reports it) when an invariant breaks.
    public func run(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        switch self {
        case .policyYAML:
            for dialect in [TreeDialect.strict, .gcloud, .kubectl] {
                _ = try? YAMLTreeLoader.read(text, dialect: dialect)
            }
            if let policy = try? Policy(yaml: text) {
                Self.checkPolicy(policy)
            }
            Self.checkPlatformPolicy(try? PlatformPolicy.gcloudCreate(text: text, format: .yaml).policy)
        case .policyJSON:
            for dialect in [TreeDialect.strict, .gcloud, .kubectl] {
                _ = try? JSONTreeParser.read(bytes, dialect: dialect)
            }
            if let policy = try? Policy(jsonBytes: bytes) {
                Self.checkPolicy(policy)
            }
            Self.checkPlatformPolicy(try? PlatformPolicy.gcloudCreate(contents: bytes, fileName: "policy.json").policy)
        case .attestor:
            guard let attestor = try? Attestor(text: text) else { return }
            _ = attestor.validate()
            Self.roundTrip(attestor)
            for key in attestor.publicKeys {
                switch key.material {
                case .pgp(let armored)?: _ = try? PGPKeyBlock(armored: armored)
                case .pkix(let pkix)?:
                    if let pem = pkix.publicKeyPEM { _ = try? PKIXPublicKey(pemRepresentation: pem) }
                case nil: break
                }
            }
            if let verifier = try? AttestorVerifier(attestors: [attestor], occurrences: []) {
                // Deterministic, no gpg: an attestor with no occurrences verifies nothing.
                if let name = attestor.name, let image = try? ImageReference(Self.image) {
                    let verdict = try? verifier.verify(attestor: name, image: image, at: Self.time)
                    precondition(verdict?.isVerified != true, "an attestor without occurrences verified an image")
                }
                verifier.close()
            }
        case .occurrences:
            Self.checkPlatformEvidence(text)
            guard let occurrences = try? AttestationOccurrence.readAll(text: text) else { return }
            for occurrence in occurrences {
                Self.roundTrip(occurrence)
                _ = occurrence.signatures
                _ = occurrence.imageURI.map { try? ImageReference($0) }
            }
        case .manifest:
            for format in [ResourceFormat.yaml, .json, nil] {
                guard let contents = try? KubernetesManifest.contents(of: text, format: format) else { continue }
                for workload in contents.workloads {
                    _ = Self.evaluator.evaluate(workload.request(cluster: "us-central1-a.prod"), at: Self.time)
                }
            }
        case .admissionReview:
            if let response = try? Self.handler.handle(bytes, at: Self.time) {
                _ = response.jsonString(pretty: false)
            }
            // With pod-template warnings on, a request that is not a Pod's is still never refused: warnings only.
            if let response = try? Self.warningHandler.handle(bytes, at: Self.time), response.decision == nil {
                precondition(
                    response.allowed || response.status?.code == 400,
                    "a request that is not a Pod's was refused with pod-template warnings on")
                _ = response.jsonString(pretty: false)
            }
        case .pgpMessage:
            switch Self.nativeVerifier.verifyAttached(bytes, at: Self.time) {
            case .decided(.verified(let signature)):
                // Only the seed article's own key can have signed anything this verifier accepts.
                precondition(
                    signature.primaryKeyFingerprint == Self.nativeVerifier.keys?.first?.fingerprint,
                    "a signature verified for a key the verifier does not hold")
            case .decided(.failed), .unsupported:
                break
            }
            _ = try? PGPKeyBlock(bytes)
        case .pgpKey:
            _ = try? PGPKeyBlock(bytes)
            if let verifier = try? NativePGPVerifier(publicKeys: [bytes]) {
                _ = verifier.verifyAttached(Self.seedSignature, at: Self.time)
            }
        case .pkix:
            let keys = [try? PKIXPublicKey(pemRepresentation: text), try? PKIXPublicKey(derRepresentation: bytes)]
            for key in keys.compactMap({ $0 }) {
                _ = key.defaultKeyID
                for algorithm in SignatureAlgorithm.usableValues {
                    let verifier = PKIXVerifier(publicKey: key, algorithm: algorithm)
                    let result = verifier.verify(signature: Array(bytes.prefix(512)), payload: Self.signedBytes)
                    _ = result
                }
            }
            _ = try? PKIXPrivateKey(pemRepresentation: text)
            _ = try? PKIXPrivateKey(pkcs8DER: bytes)
            // And as a signature, against a fixed key.
            _ = Self.pkixVerifier.verify(signature: bytes, payload: Self.signedBytes)
        case .payload:
            _ = try? SignaturePayload(parsing: bytes)
            if let url = try? ArtifactURL(text) {
                _ = SignaturePayload(artifactURL: url)
            }
            _ = try? SignaturePayload.create(artifactURL: text)
            // DSSE envelopes (read as resources, under InputLimits): what is read writes back and reads the same.
            if let envelope = try? DSSEEnvelope(json: text) {
                let again = try? DSSEEnvelope(json: envelope.jsonString())
                precondition(again == envelope, "DSSE envelope does not read back")
                _ = envelope.signedBytes
            }
        case .imageReference:
            if let reference = try? ImageReference(text) {
                // The description reads back as the same reference.
                let again = try? ImageReference(reference.description)
                precondition(again == reference, "image reference \(reference) does not read back")
            }
            _ = Self.allowlistEvaluator.evaluate(AdmissionRequest(images: [text]), at: Self.time)
        }
    }

    // MARK: Invariants

    /// A policy read from any input writes as YAML and JSON that read back as the same policy, and can be
    /// validated; a valid one decides a request.
    /// A platform policy read from any input can be validated and written; a valid one evaluates a pod, and an
    /// image exempt by no allowlist never conforms to an `alwaysDeny: true` check.
    private static func checkPlatformPolicy(_ policy: PlatformPolicy?) {
        guard let policy else { return }
        _ = policy.gcloudYAML
        _ = policy.jsonString
        guard policy.validate().isEmpty, let evaluator = try? PlatformPolicyEvaluator(policy: policy) else { return }
        let pod = KubernetesWorkload(kind: "Pod", name: "p", namespace: "prod", images: [Self.image])
        let response = evaluator.evaluate([pod], at: Self.time)
        _ = response.jsonString
    }

    /// Vulnerability scans and upload times read from any input decide their checks: under `BLOCK_ALL`, an image
    /// with a finding is never conformant; an upload time read is a finite date.
    private static func checkPlatformEvidence(_ text: String) {
        if let scans = try? VulnerabilityScans.readAll(text: text) {
            let blockAll = Check(
                vulnerabilityCheck: VulnerabilityCheck(
                    maximumFixableSeverity: .blockAll, maximumUnfixableSeverity: .blockAll))
            for finding in scans.findings.prefix(64) {
                guard let at = finding.resourceURI.lastIndex(of: "@"), finding.resourceURI[at...].count > 1 else {
                    continue
                }
                let image = "gcr.io/p/i" + finding.resourceURI[at...]
                let pod = KubernetesWorkload(kind: "Pod", images: [image])
                let outcome = try? scans.evaluate(blockAll, image: image, pod: pod, at: Self.time)
                precondition(outcome?.verdict == .nonConformant, "a finding under BLOCK_ALL must violate")
            }
        }
        // cosign signatures in every form the CLI reads; a payload that names no digest is never matched.
        _ = try? CosignSignature.readSignatureImage(manifest: Array(text.utf8), blob: { _ in nil })
        _ = try? CosignSignature.readContainersImageSignature(Array(text.utf8))
        if let signatures = try? CosignSignature.readDownloadOutput(text) {
            let evidence = SigstoreSignatures(Array(signatures.prefix(64)))
            let check = Check(
                sigstoreSignatureCheck: SigstoreSignatureCheck(sigstoreAuthorities: [
                    SigstoreAuthority(
                        publicKeySet: SigstorePublicKeySet(publicKeys: [SigstorePublicKey(publicKeyPEM: Self.cosignKey)]
                        ))
                ]))
            for signature in evidence.signatures {
                guard case .success(let digest) = signature.signedDigest else { continue }
                let image = "gcr.io/p/i@" + digest
                _ = try? evidence.evaluate(
                    check, image: image, pod: KubernetesWorkload(kind: "Pod", images: [image]), at: Self.time)
            }
        }
        // Provenance read from any input is judged without a crash; a statement nobody signed never conforms.
        if let provenance = try? BuildProvenance.readAll(text: text) {
            let evidence = SlsaProvenances(
                Array(provenance.prefix(16)), builderKeys: CloudBuildProvenanceKeys(keys: []))
            let check = Check(slsaCheck: SlsaCheck(rules: [VerificationRule(trustedBuilder: .googleCloudBuild)]))
            for item in evidence.provenances {
                guard let uri = item.resourceURI, let at = uri.lastIndex(of: "@") else { continue }
                let image = "gcr.io/p/i" + uri[at...]
                let outcome = try? evidence.evaluate(
                    check, image: image, pod: KubernetesWorkload(kind: "Pod", images: [image]), at: Self.time)
                precondition(outcome?.verdict != .conformant, "provenance verified with no trusted key")
            }
        }
        // RFC 3339 reads at most 64 bytes; what it reads is finite, and, from year 1 to 9999 (the range the formatter
        // writes as RFC 3339), written back as the same second.
        for line in text.split(separator: "\n").prefix(64) {
            guard let date = RFC3339.parse(line) else { continue }
            precondition(date.timeIntervalSince1970.isFinite)
            guard date.timeIntervalSince1970 > -62_135_596_800 + 86_400, date.timeIntervalSince1970 < 253_402_214_400
            else { continue }
            let written = RFC3339.format(date)
            precondition(RFC3339.parse(written).map { abs($0.timeIntervalSince(date)) < 1 } ?? false, written)
        }
        _ = DeployAttestations.imageURL(of: text)
        if let uploads = try? ImageUpload.readAll(text: text) {
            for upload in uploads { precondition(upload.uploadTime.timeIntervalSince1970.isFinite) }
        }
    }

    /// containers/image's `cosign.pub` (a P-256 key), for the sigstore evidence checks.
    private static let cosignKey = """
        -----BEGIN PUBLIC KEY-----
        MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEFNLqFhf4fiN6o/glAuYnq2jYUeL0
        vRuLu/z39pmbVwS9ff5AYnlwaP9sxREajdLY9ynM6G1sy6AAmb7Z63TsLg==
        -----END PUBLIC KEY-----
        """

    private static func checkPolicy(_ policy: Policy) {
        roundTrip(policy)
        if policy.validate().isEmpty, let evaluator = try? PolicyEvaluator(policy: policy) {
            _ = evaluator.evaluate(AdmissionRequest(images: [image, "nginx:latest"]), at: time)
        }
    }

    private static func roundTrip<R: BinAuthzResource>(_ value: R) {
        let yaml = value.yamlString()
        let json = value.jsonString()
        let fromYAML = try? R(yaml: yaml)
        let fromJSON = try? R(json: json)
        precondition(fromYAML == value, "\(R.self) does not read back from its own YAML:\n\(yaml)")
        precondition(fromJSON == value, "\(R.self) does not read back from its own JSON:\n\(json)")
    }

    // MARK: Fixtures

    static let time = Date(timeIntervalSince1970: 1_560_000_000)  // 2019-06-08, inside the seed key's validity
    static let image = "gcr.io/my-proj/app@sha256:" + String(repeating: "a", count: 64)
    static let signedBytes = Array("{\"critical\":{}}".utf8)

    static let evaluator: PolicyEvaluator = {
        let policy = try! Policy(
            yaml: """
                admissionWhitelistPatterns:
                - namePattern: gcr.io/allowed/*
                defaultAdmissionRule: {evaluationMode: ALWAYS_DENY, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}
                clusterAdmissionRules:
                  us-central1-a.prod:
                    evaluationMode: REQUIRE_ATTESTATION
                    enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
                    requireAttestationsBy: [projects/p/attestors/a]
                """)
        return try! PolicyEvaluator(policy: policy)
    }()

    static let allowlistEvaluator: PolicyEvaluator = {
        let patterns = ["gcr.io/p/*", "gcr.io/q/**", "docker.io/library/nginx:*", "k8s.gcr.io/pause:3.9"]
        let yaml =
            "admissionWhitelistPatterns:\n" + patterns.map { "- namePattern: \($0)\n" }.joined()
            + "defaultAdmissionRule: {evaluationMode: ALWAYS_DENY, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}\n"
        return try! PolicyEvaluator(policy: Policy(yaml: yaml))
    }()

    static let handler = AdmissionReviewHandler(evaluator: evaluator, cluster: "us-central1-a.prod")
    static let warningHandler = AdmissionReviewHandler(
        evaluator: evaluator, cluster: "us-central1-a.prod", warnsAboutPodTemplates: true)

    /// The seed article's public key and signature (set a), the vectors every verifier test starts from.
    static let seedKey: [UInt8] = Array(SeedVectors.publicKey.utf8)
    static let seedSignature: [UInt8] = Array(SeedVectors.signature.utf8)
    static let nativeVerifier = try! NativePGPVerifier(publicKeys: [seedKey])

    static let pkixVerifier: PKIXVerifier = {
        let key = try! PKIXPublicKey(pemRepresentation: SeedVectors.ecdsaPublicKey)
        return PKIXVerifier(publicKey: key, algorithm: .ecdsaP256SHA256)
    }()
}
