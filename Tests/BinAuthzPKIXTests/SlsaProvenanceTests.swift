// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
@testable import BinAuthzPKIX
import BinAuthzPayload
import BinAuthzPolicy
import BinAuthzTestSupport
import Foundation
import Testing

@Suite("slsaCheck: Google Cloud Build provenance, the slsa-verifier vectors, rules and source patterns")
struct SlsaProvenanceTests {
    static let corpus = "slsa-verifier-gcb"
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func check(_ rules: [VerificationRule]) -> Check { Check(slsaCheck: SlsaCheck(rules: rules)) }
    static func rule(
        patterns: [String] = [], configBased: Bool? = nil, projects: [String] = [], cel: String? = nil,
        builder: TrustedBuilder = .googleCloudBuild
    ) -> VerificationRule {
        VerificationRule(
            trustedBuilder: builder,
            attestationSource: projects.isEmpty
                ? nil : AttestationSource(containerAnalysisAttestationProjects: projects),
            configBasedBuildRequired: configBased, trustedSourceRepoPatterns: patterns, customConstraints: cel)
    }

    /// A vector's provenance and the image it is for (`image_summary.fully_qualified_digest`).
    static func vector(_ name: String) throws -> (provenance: [BuildProvenance], image: String) {
        let text = try Fixtures.corpusText(corpus + "/testdata/" + name)
        let digest = try #require(text.firstMatch(of: /"digest": "(sha256:[0-9a-f]{64})"/)?.output.1)
        return (try BuildProvenance.readAll(text: text, format: .json), "us-docker.pkg.dev/p/r/image@" + digest)
    }

    static func outcome(_ name: String, _ rules: [VerificationRule]) throws -> PlatformCheckOutcome {
        let (provenance, image) = try vector(name)
        return try SlsaProvenances(provenance).evaluate(
            check(rules), image: image, pod: KubernetesWorkload(kind: "Pod", images: [image]), at: now)
    }

    static let conformant = [
        "gcloud-container-github.json", "gcloud-container-global-pae-signing-key-successful.json",
        "gcloud-container-github-v03-git.json", "gcloud-container-github-v03.json", "gcloud-container-gcs.json",
        "gcloud-container-multiple-signatures-2ndvalid.json", "gcloud-container-multiple-signatures-3rdvalid.json",
        "gcloud-container-multiple-signatures-global-pae-valid.json", "v1.0-gcloud-container-github.json",
        "v1.0-gcloud-container-github-single.json", "v1.0-gcloud-container-github-v0.1-valid.json",
        "v1.0-gcloud-container-github-inline.json", "v1.0-gcloud-container-github-nogit.json",
        "v1.0-gcloud-container-github-sourcediff.json", "v1.0-gcloud-container-github-tag.json",
        "v1.0-gcloud-container-bb.json", "v1.0-gcloud-container-gitlab.json",
    ]
    static let nonConformant = [
        "gcloud-container-empty-keyid.json", "gcloud-container-empty-payload.json",
        "gcloud-container-empty-signature-region.json", "gcloud-container-empty-signature.json",
        "gcloud-container-invalid-builderv01.json", "gcloud-container-invalid-fullyqualifieddigest.json",
        "gcloud-container-invalid-keyid.json", "gcloud-container-invalid-kind.json",
        "gcloud-container-invalid-payload-encoding.json", "gcloud-container-invalid-recipe.arguments.type.json",
        "gcloud-container-invalid-recipe.type.json", "gcloud-container-invalid-recipetypecloudv02.json",
        "gcloud-container-invalid-recipetypecloudv03.json", "gcloud-container-invalid-recipetyperandv03.json",
        "gcloud-container-invalid-recipetypestepsv02.json", "gcloud-container-invalid-recipetypestepsv03.json",
        "gcloud-container-invalid-signature-encodingv03.json", "gcloud-container-invalid-signature-global-pae-key.json",
        "gcloud-container-invalid-signature-payloadtype.json", "gcloud-container-invalid-signature.json",
        "gcloud-container-multiple-invalid-signatures.json", "gcloud-container-no-keyid.json",
        "gcloud-container-no-payload.json", "gcloud-container-no-provenance.json",
        "gcloud-container-tag-notpresent.json", "gcloud-container-tag-notstring.json", "gcloud-container-tag.json",
        "v1.0-gcloud-container-github-both-invalid-sig.json", "v1.0-gcloud-container-github-single-invalid-sig.json",
        "v1.0-gcloud-container-github-invalid-kind.json",
    ]
    /// Upstream files that are not JSON (a trailing comma in `envelope`): refused by the JSON reader, naming the line.
    static let unreadable = ["gcloud-container-no-signature.json", "v1.0-gcloud-container-github-nosigs.json"]

    @Test("Every slsa-verifier vector, signatures checked: accepted only with a valid signature by a Cloud Build key")
    func vectors() throws {
        for name in Self.conformant {
            let outcome = try Self.outcome(name, [Self.rule()])
            #expect(outcome.verdict == .conformant, "\(name): \(outcome)")
        }
        for name in Self.nonConformant {
            let outcome = try Self.outcome(name, [Self.rule()])
            #expect(outcome.verdict == .nonConformant, "\(name): \(outcome)")
        }
        for name in Self.unreadable {
            let error = try #require(
                throws: ModelError.self,
                performing: {
                    try BuildProvenance.readAll(
                        text: try Fixtures.corpusText(Self.corpus + "/testdata/" + name), format: .json)
                })
            #expect(error.code == .syntax && error.line != nil, "\(name): \(error)")
        }
        // provenance_summary.provenance is an object, not a list.
        #expect(throws: ModelError.self) {
            try BuildProvenance.readAll(
                text: try Fixtures.corpusText(Self.corpus + "/testdata/gcloud-container-empty-provenance.json"),
                format: .json)
        }
    }

    @Test(
        "trustedSourceRepoPatterns: scheme, git+, #fragment and /commit/<sha> ignored; exact, * one level, ** any depth"
    )
    func sourcePatterns() throws {
        func verdict(_ name: String, _ patterns: [String]) throws -> PlatformVerdict {
            try Self.outcome(name, [Self.rule(patterns: patterns)]).verdict
        }
        let github = "gcloud-container-github.json"  // https://github.com/laurentsimon/gcb-tests/commit/fbbb…
        #expect(try verdict(github, ["github.com/laurentsimon/gcb-tests"]) == .conformant)
        #expect(try verdict(github, ["github.com/laurentsimon/*"]) == .conformant)
        #expect(try verdict(github, ["github.com/**"]) == .conformant)
        #expect(try verdict(github, ["github.com/*"]) == .nonConformant, "* is one level")
        #expect(try verdict(github, ["github.com/laurentsimon/gcb-tests2", "github.com/wrong/*"]) == .nonConformant)
        #expect(try verdict(github, ["github.com/wrong/*", "github.com/laurentsimon/gcb-tests"]) == .conformant)
        // git+https://github.com/slsa-framework/example-package
        #expect(
            try verdict("gcloud-container-github-v03-git.json", ["github.com/slsa-framework/example-package"])
                == .conformant)
        // gs://damith-sds_cloudbuild/source/1665165360….tgz#1665165361152729
        #expect(try verdict("gcloud-container-gcs.json", ["damith-sds_cloudbuild/**"]) == .conformant)
        #expect(try verdict("gcloud-container-gcs.json", ["damith-sds_cloudbuilds/**"]) == .nonConformant)
        // v1: buildConfigSource.repository git+https://github.com/khalkie/gcb-prod-prov (ref refs/heads/main)
        #expect(
            try verdict("v1.0-gcloud-container-github-single.json", ["github.com/khalkie/gcb-prod-prov"]) == .conformant
        )
        let mismatch = try Self.outcome(github, [Self.rule(patterns: ["gitlab.com/**"])])
        #expect(mismatch.explanation.contains("matches no trustedSourceRepoPatterns"), "\(mismatch)")
    }

    @Test("configBasedBuildRequired, attestationSource, CEL, the builder, several rules")
    func ruleFields() throws {
        // v1 with buildConfigSource (repository and path); v0.1 with a cloudbuild.yaml entry point.
        #expect(
            try Self.outcome("v1.0-gcloud-container-github-single.json", [Self.rule(configBased: true)]).verdict
                == .conformant)
        #expect(try Self.outcome("gcloud-container-github.json", [Self.rule(configBased: true)]).verdict == .conformant)
        let inline = try Self.outcome("gcloud-container-gcs.json", [Self.rule(configBased: true)])
        #expect(inline.verdict == .nonConformant, "CloudBuildSteps, no entry point: \(inline)")
        #expect(
            try Self.outcome("gcloud-container-github.json", [Self.rule(projects: ["projects/gosst-scare-sandbox"])])
                .verdict
                == .conformant)
        #expect(
            try Self.outcome("gcloud-container-github.json", [Self.rule(projects: ["projects/other"])]).verdict
                == .nonConformant)
        // CEL is not evaluated offline: ERROR, unless another rule is satisfied.
        let cel = try Self.outcome("gcloud-container-github.json", [Self.rule(cel: "true")])
        #expect(cel.verdict == .error)
        #expect(cel.explanation.contains("customConstraints (CEL) are not evaluated offline"), "\(cel)")
        #expect(
            try Self.outcome("gcloud-container-github.json", [Self.rule(cel: "true"), Self.rule()]).verdict
                == .conformant)
        #expect(
            try Self.outcome(
                "gcloud-container-github.json", [Self.rule(cel: "x"), Self.rule(patterns: ["gitlab.com/**"])]
            )
            .verdict == .error, "a rule that could not be evaluated might have been satisfied")
        #expect(try Self.outcome("gcloud-container-github.json", [Self.rule(builder: .unspecified)]).verdict == .error)
        #expect(try Self.outcome("gcloud-container-github.json", []).verdict == .error)
    }

    @Test("The bundled keys can be replaced: keys read from files named as slsa-verifier names them")
    func builderKeys() throws {
        #expect(CloudBuildProvenanceKeys.bundled.keys.count == 21)
        let pae = try ["global-pae-provenanceSigner_1.key", "global-pae-google-hosted-worker_1.key"].map { name in
            try #require(
                CloudBuildProvenanceKey(
                    fileName: "keys/" + name, publicKeyPEM: try Fixtures.corpusText(Self.corpus + "/keys/" + name)))
        }
        #expect(
            pae.map(\.keyID) == [
                "projects/verified-builder/locations/global/keyRings/attestor/cryptoKeys/provenanceSigner/cryptoKeyVersions/1",
                "projects/verified-builder/locations/global/keyRings/attestor/cryptoKeys/google-hosted-worker/cryptoKeyVersions/1",
            ])
        // The bundle holds the corpus' keys (its PEM without the file's final line break).
        for key in pae {
            let bundled = CloudBuildProvenanceKeys.bundled.keys.first { $0.keyID == key.keyID }
            #expect(bundled?.publicKeyPEM == key.publicKeyPEM.trimmingCharacters(in: .whitespacesAndNewlines))
            #expect(bundled?.signsPAE == true && bundled?.predicateType == key.predicateType)
        }
        let region = try #require(
            CloudBuildProvenanceKey(
                fileName: "us-west2.key", publicKeyPEM: try Fixtures.corpusText(Self.corpus + "/keys/us-west2.key")))
        #expect(
            !region.signsPAE && region.keyID.contains("/locations/us-west2/")
                && region.predicateType == CloudBuildProvenanceKey.slsaV01)
        #expect(CloudBuildProvenanceKey(fileName: "key.pem", publicKeyPEM: "") == nil)
        #expect(CloudBuildProvenanceKey(fileName: "us-west2/../x.key", publicKeyPEM: "") != nil, "the base name counts")
        func verdict(_ name: String, _ keys: [CloudBuildProvenanceKey]) throws -> PlatformVerdict {
            let (provenance, image) = try Self.vector(name)
            return try SlsaProvenances(provenance, builderKeys: CloudBuildProvenanceKeys(keys: keys)).evaluate(
                Self.check([Self.rule()]), image: image, pod: KubernetesWorkload(kind: "Pod", images: [image]),
                at: Self.now
            ).verdict
        }
        // Only the global PAE keys: the regional signature of github.json no longer counts.
        #expect(try verdict("gcloud-container-github.json", pae) == .nonConformant)
        #expect(try verdict("gcloud-container-global-pae-signing-key-successful.json", pae) == .conformant)
        #expect(try verdict("gcloud-container-global-pae-signing-key-successful.json", []) == .nonConformant)
    }

    @Test("The signed statement is what counts: an edited payload, another digest, a tag")
    func tampering() throws {
        let (provenance, image) = try Self.vector("gcloud-container-global-pae-signing-key-successful.json")
        var edited = provenance
        edited[0].payload = Array(
            String(decoding: provenance[0].payload!, as: UTF8.self).replacing("khalkie", with: "attacker").utf8)
        let evaluator = SlsaProvenances(edited)
        func verdict(_ evaluator: SlsaProvenances, _ image: String) throws -> PlatformVerdict {
            try evaluator.evaluate(
                Self.check([Self.rule()]), image: image, pod: KubernetesWorkload(kind: "Pod", images: [image]),
                at: Self.now
            ).verdict
        }
        #expect(try verdict(evaluator, image) == .nonConformant)
        #expect(try verdict(SlsaProvenances(provenance), image) == .conformant)
        #expect(
            try verdict(
                SlsaProvenances(provenance), "us-docker.pkg.dev/p/r/image@sha256:" + String(repeating: "0", count: 64))
                == .nonConformant)
        #expect(try verdict(SlsaProvenances(provenance), "us-docker.pkg.dev/p/r/image:latest") == .nonConformant)
        #expect(try verdict(SlsaProvenances([]), image) == .nonConformant)
    }

    @Test("Generated provenance, validly signed: a wrong builder, build type, predicate type or subject is refused")
    func generatedStatements() throws {
        let key = try PKIXPrivateKey.generate(for: .ecdsaP256SHA256)
        let signer = try PKIXSigner(privateKey: key, algorithm: .ecdsaP256SHA256)
        let keyID =
            "projects/verified-builder/locations/global/keyRings/attestor/cryptoKeys/google-hosted-worker/cryptoKeyVersions/1"
        let keys = CloudBuildProvenanceKeys(keys: [
            CloudBuildProvenanceKey(
                keyID: keyID, signsPAE: true, predicateType: CloudBuildProvenanceKey.slsaV1,
                publicKeyPEM: key.publicKey.pemRepresentation)
        ])
        let hex = String(repeating: "a", count: 64)
        let image = "us-docker.pkg.dev/p/r/app@sha256:" + hex
        func provenance(
            builder: String = "https://cloudbuild.googleapis.com/GoogleHostedWorker",
            buildType: String = "https://cloud.google.com/build/gcb-buildtypes/google-worker/v1",
            predicateType: String = "https://slsa.dev/provenance/v1", subject: String = hex
        ) throws -> BuildProvenance {
            let statement = """
                {"_type":"https://in-toto.io/Statement/v1","predicateType":"\(predicateType)",\
                "subject":[{"name":"us-docker.pkg.dev/p/r/app","digest":{"sha256":"\(subject)"}}],\
                "predicate":{"buildDefinition":{"buildType":"\(buildType)","externalParameters":{"buildConfigSource":\
                {"repository":"git+https://github.com/org/repo","ref":"refs/heads/main","path":"cloudbuild.yaml"}}},\
                "runDetails":{"builder":{"id":"\(builder)"}}}}
                """
            let payload = Array(statement.utf8)
            let signature = try signer.sign(
                DSSE.preAuthenticationEncoding(payloadType: "application/vnd.in-toto+json", payload: payload))
            return BuildProvenance(
                name: "projects/p/occurrences/1", kind: "BUILD", resourceURI: "https://" + image,
                payloadType: "application/vnd.in-toto+json", payload: payload,
                signatures: [BuildProvenance.Signature(keyID: keyID, signature: signature)])
        }
        func outcome(_ item: BuildProvenance) throws -> PlatformCheckOutcome {
            try SlsaProvenances([item], builderKeys: keys).evaluate(
                Self.check([Self.rule(patterns: ["github.com/org/*"])]), image: image,
                pod: KubernetesWorkload(kind: "Pod", images: [image]), at: Self.now)
        }
        #expect(try outcome(provenance()).verdict == .conformant)
        let builder = try outcome(provenance(builder: "https://github.com/slsa-framework/slsa-github-generator"))
        #expect(builder.verdict == .nonConformant)
        #expect(builder.explanation.contains("is not Cloud Build's"), "\(builder)")
        #expect(try outcome(provenance(buildType: "https://example.com/other")).verdict == .nonConformant)
        #expect(try outcome(provenance(predicateType: "https://slsa.dev/provenance/v0.1")).verdict == .nonConformant)
        #expect(try outcome(provenance(subject: String(repeating: "b", count: 64))).verdict == .nonConformant)
        // A signature by the regional scheme's rule (raw payload) under a PAE key does not verify.
        var raw = try provenance()
        raw.signatures = [BuildProvenance.Signature(keyID: keyID, signature: try signer.sign(raw.payload!))]
        #expect(try outcome(raw).verdict == .nonConformant)
    }

    @Test("Source URLs that are not plain match no pattern: dot segments, escapes, user info in the path (regression)")
    func hostileSources() {
        for uri in [
            "https://github.com/org/../evil/repo", "https://github.com/org/./repo", "https://github.com/org//repo",
            "https://github.com/org/%2e%2e/evil", "https://github.com/org/repo?x=1", "https://github.com/org\\evil",
            "https://github.com/org/re\u{301}po", "https://github.com/org/x@evil/repo",
        ] {
            let repository = SourceRepository.normalize(uri)
            #expect(!SourceRepository.matches(repository, pattern: "github.com/org/**"), "\(uri) → \(repository)")
            #expect(!SourceRepository.matches(repository, pattern: "github.com/org/*"), "\(uri) → \(repository)")
        }
        #expect(SourceRepository.normalize("git+ssh://git@github.com/org/repo") == "github.com/org/repo")
        #expect(SourceRepository.matches("github.com/org/repo", pattern: "github.com/org/*"))
        #expect(SourceRepository.matches("github.com/org/repo/sub", pattern: "github.com/org/**"))
        #expect(!SourceRepository.matches("github.com/org", pattern: "github.com/org/**"))
    }
}
