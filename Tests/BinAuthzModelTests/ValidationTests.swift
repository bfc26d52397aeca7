// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

@testable import BinAuthzModel

@Suite("Validation: every problem, with its field path")
struct ValidationTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var yaml: String
        var expected: [(path: String, code: ValidationIssue.Code)]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "valid minimal policy",
            yaml:
                "defaultAdmissionRule: {evaluationMode: ALWAYS_ALLOW, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}\n",
            expected: []),
        Case(
            name: "missing default rule", yaml: "name: projects/p/policy\n",
            expected: [("defaultAdmissionRule", .missingField)]),
        Case(
            name: "modes missing", yaml: "defaultAdmissionRule: {}\n",
            expected: [
                ("defaultAdmissionRule.evaluationMode", .missingField),
                ("defaultAdmissionRule.enforcementMode", .missingField),
            ]),
        Case(
            name: "unspecified modes are not usable",
            yaml:
                "defaultAdmissionRule: {evaluationMode: EVALUATION_MODE_UNSPECIFIED, enforcementMode: ENFORCEMENT_MODE_UNSPECIFIED}\n",
            expected: [
                ("defaultAdmissionRule.evaluationMode", .unknownEnumValue),
                ("defaultAdmissionRule.enforcementMode", .unknownEnumValue),
            ]),
        Case(
            name: "REQUIRE_ATTESTATION without attestors",
            yaml:
                "defaultAdmissionRule: {evaluationMode: REQUIRE_ATTESTATION, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}\n",
            expected: [("defaultAdmissionRule.requireAttestationsBy", .attestorListMismatch)]),
        Case(
            name: "attestors listed for ALWAYS_ALLOW",
            yaml: """
                defaultAdmissionRule:
                  evaluationMode: ALWAYS_ALLOW
                  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
                  requireAttestationsBy: [projects/p/attestors/a]
                """,
            expected: [("defaultAdmissionRule.requireAttestationsBy", .attestorListMismatch)]),
        Case(
            name: "malformed and duplicate attestor names",
            yaml: """
                defaultAdmissionRule:
                  evaluationMode: REQUIRE_ATTESTATION
                  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
                  requireAttestationsBy: [projects/p/attestors/a, attestors/a, projects/p/attestors/a, projects/p/notes/n, projects//attestors/a]
                """,
            expected: [
                ("defaultAdmissionRule.requireAttestationsBy[1]", .invalidResourceName),
                ("defaultAdmissionRule.requireAttestationsBy[2]", .duplicate),
                ("defaultAdmissionRule.requireAttestationsBy[3]", .invalidResourceName),
                ("defaultAdmissionRule.requireAttestationsBy[4]", .invalidResourceName),
            ]),
        Case(
            name: "two specific-rule maps",
            yaml: """
                defaultAdmissionRule: {evaluationMode: ALWAYS_ALLOW, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}
                clusterAdmissionRules:
                  us-central1-a.prod: {evaluationMode: ALWAYS_DENY, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}
                kubernetesNamespaceAdmissionRules:
                  prod: {evaluationMode: ALWAYS_DENY, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}
                """,
            expected: [("kubernetesNamespaceAdmissionRules", .conflictingRuleMaps)]),
        Case(
            name: "malformed rule keys of every kind",
            yaml: """
                defaultAdmissionRule: {evaluationMode: ALWAYS_ALLOW, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}
                clusterAdmissionRules:
                  prod-cluster: {evaluationMode: ALWAYS_DENY, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}
                  us-central1.Prod: {evaluationMode: ALWAYS_DENY, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}
                  central.prod: {evaluationMode: ALWAYS_DENY, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}
                  europe-west4-b.c-1: {evaluationMode: ALWAYS_DENY, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}
                """,
            expected: [
                ("clusterAdmissionRules[\"central.prod\"]", .invalidRuleKey),
                ("clusterAdmissionRules[\"prod-cluster\"]", .invalidRuleKey),
                ("clusterAdmissionRules[\"us-central1.Prod\"]", .invalidRuleKey),
            ]),
        Case(
            name: "namespace, service account and Istio keys",
            yaml: """
                defaultAdmissionRule: {evaluationMode: ALWAYS_ALLOW, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}
                kubernetesServiceAccountAdmissionRules:
                  prod:deployer: {evaluationMode: ALWAYS_DENY, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}
                  prod-deployer: {evaluationMode: ALWAYS_DENY, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}
                  Prod:x: {evaluationMode: ALWAYS_DENY, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}
                """,
            expected: [
                ("kubernetesServiceAccountAdmissionRules[\"Prod:x\"]", .invalidRuleKey),
                ("kubernetesServiceAccountAdmissionRules[\"prod-deployer\"]", .invalidRuleKey),
            ]),
        Case(
            name: "one Istio identity written with and without spiffe://",
            yaml: """
                defaultAdmissionRule: {evaluationMode: ALWAYS_ALLOW, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}
                istioServiceIdentityAdmissionRules:
                  spiffe://example.com/ns/a/sa/b: {evaluationMode: ALWAYS_DENY, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}
                  example.com/ns/a/sa/b: {evaluationMode: ALWAYS_ALLOW, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}
                """,
            expected: [("istioServiceIdentityAdmissionRules[\"spiffe://example.com/ns/a/sa/b\"]", .duplicate)]),
        Case(
            name: "allowlist wildcards only at the end and after registry/",
            yaml: """
                defaultAdmissionRule: {evaluationMode: ALWAYS_ALLOW, enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG}
                admissionWhitelistPatterns:
                - namePattern: gcr.io/ok/*
                - namePattern: gcr.io/ok/**
                - namePattern: gcr.i*
                - namePattern: '*'
                - namePattern: gcr.io/n*x
                - namePattern: gcr.io/x/***
                - namePattern: docker.io/library/busybox:*
                - namePattern: ''
                - {}
                """,
            expected: [
                ("admissionWhitelistPatterns[2].namePattern", .invalidPattern),
                ("admissionWhitelistPatterns[3].namePattern", .invalidPattern),
                ("admissionWhitelistPatterns[4].namePattern", .invalidPattern),
                ("admissionWhitelistPatterns[5].namePattern", .invalidPattern),
                ("admissionWhitelistPatterns[7].namePattern", .invalidPattern),
                ("admissionWhitelistPatterns[8].namePattern", .missingField),
            ]),
        Case(
            // gcloud's import overwrites the name with the configured project's, so any name is fine.
            name: "a policy name gcloud overwrites",
            yaml:
                "name: projects/p/policies/x\ndefaultAdmissionRule: {evaluationMode: ALWAYS_ALLOW, enforcementMode: DRYRUN_AUDIT_LOG_ONLY}\n",
            expected: []),
    ]

    @Test("Broken policies report every problem with the right path", arguments: cases)
    func policyValidation(_ c: Case) throws {
        let issues = try Policy(yaml: c.yaml).validate()
        #expect(issues.map(\.path) == c.expected.map(\.path), "\(issues)")
        #expect(issues.map(\.code) == c.expected.map(\.code), "\(issues)")
        #expect(issues.allSatisfy { !$0.message.isEmpty && $0.description.hasPrefix($0.path) })
    }

    @Test("Valid keys of every kind pass")
    func validKeys() {
        #expect(SyntaxRules.problemWithClusterKey("us-central1-b.cd-cluster") == nil)
        #expect(SyntaxRules.problemWithClusterKey("us-central1.staging-cluster") == nil)
        #expect(SyntaxRules.problemWithClusterKey("northamerica-northeast1-a.c9") == nil)
        #expect(SyntaxRules.problemWithNamespaceKey("prod-ns2") == nil)
        #expect(SyntaxRules.problemWithServiceAccountKey("test-ns:default") == nil)
        #expect(SyntaxRules.problemWithIstioKey("spiffe://example.com/ns/test-ns/sa/default") == nil)
        #expect(SyntaxRules.problemWithIstioKey("example.com/ns/test-ns/sa/default") == nil)
        #expect(SyntaxRules.problemWithIstioKey("spiffe://example.com/ns/test-ns") != nil)
        #expect(SyntaxRules.problemWithNamespaceKey("-bad") != nil)
    }

    @Test("Allowlist pattern semantics: * stays in one path level, ** crosses levels, no wildcard is exact")
    func namePatternMatching() throws {
        func pattern(_ text: String) throws -> SyntaxRules.NamePattern { try SyntaxRules.parseNamePattern(text).get() }
        let single = try pattern("gcr.io/nginx*")
        #expect(single.matches("gcr.io/nginx"))
        #expect(single.matches("gcr.io/nginx:1.2"))
        #expect(single.matches("gcr.io/nginx@sha256:abc"))
        #expect(single.matches("gcr.io/nginx-proxy"))
        #expect(!single.matches("gcr.io/nginx/image"))
        let deep = try pattern("gcr.io/nginx**")
        #expect(deep.matches("gcr.io/nginx/image"))
        let exact = try pattern("gcr.io/nginx")
        #expect(exact.matches("gcr.io/nginx"))
        #expect(!exact.matches("gcr.io/nginx:latest"))
    }

    // MARK: Attestors

    static func attestor(keys: [AttestorPublicKey], note: String = "projects/p/notes/n") -> Attestor {
        Attestor(
            name: "projects/p/attestors/a",
            userOwnedGrafeasNote: UserOwnedGrafeasNote(noteReference: note, publicKeys: keys))
    }

    @Test("A well-formed attestor with real PGP and PKIX keys validates")
    func validAttestor() throws {
        let pgp = try Fixtures.corpusText("seed-article/set-a/generated-key.pgp")
        let pem = try Fixtures.corpusText("kritis/pkg/attestlib/testvectors/ec256PubKey.pem")
        let rsa = try Fixtures.corpusText("kritis/pkg/attestlib/testvectors/rsa4096PubKey.pem")
        let attestor = Self.attestor(keys: [
            .pgp(id: "E50ABDE5A0C05DB317479494C111AF41B88ECC96", armoredKey: pgp),
            .pkix(
                id: "ni:///sha-256;F8ZLbGLECGCxd8yEtBiqNnSMB7S-TC0CpJ1G9JLJpD4",
                key: PKIXKeySpec(publicKeyPEM: pem, signatureAlgorithm: .ecSignP256SHA256)),
            .pkix(
                id: "//cloudkms.googleapis.com/v1/projects/p/locations/l/keyRings/r/cryptoKeys/k/cryptoKeyVersions/1",
                key: PKIXKeySpec(publicKeyPEM: rsa, signatureAlgorithm: .rsaSignPKCS1_4096SHA512)),
        ])
        #expect(attestor.validate() == [])
        #expect(try Attestor(yaml: attestor.yamlString()) == attestor)
        #expect(try Attestor(json: attestor.jsonString()) == attestor)
    }

    @Test("PEM that the PKIX reader refuses is refused here too: a missing END line, URL-safe base64")
    func pemAgreesWithPKIX() throws {
        let pem = try Fixtures.corpusText("kritis/pkg/attestlib/testvectors/ec256PubKey.pem")
        let noEnd = String(pem[..<pem.range(of: "-----END")!.lowerBound])
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        let urlSafe =
            "-----BEGIN PUBLIC KEY-----\n"
            + body.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            + "\n-----END PUBLIC KEY-----\n"
        #expect(body.contains("+") || body.contains("/"), "the fixture must exercise the URL-safe alphabet")
        for (text, expected) in [(noEnd, "has no END line"), (urlSafe, "is not valid base64")] {
            let issues = Self.attestor(keys: [
                .pkix(id: "urn:k", key: PKIXKeySpec(publicKeyPEM: text, signatureAlgorithm: .ecdsaP256SHA256))
            ]).validate()
            #expect(issues.map(\.message).contains { $0.contains(expected) }, "\(issues)")
        }
    }

    @Test("Key problems: wrong curve, wrong RSA size, not PEM, both kinds, ids")
    func keyProblems() throws {
        let ec384 = try Fixtures.corpusText("kritis/pkg/attestlib/testvectors/ec384PubKey.pem")
        let rsa2048 = try Fixtures.corpusText("kritis/pkg/attestlib/testvectors/rsa2048PubKey.pem")
        let extra = try Fixtures.corpusText("kritis/pkg/attestlib/testvectors/extraDataKey.pem")
        let attestor = Self.attestor(
            keys: [
                .pkix(
                    id: "ni:///sha-256;a", key: PKIXKeySpec(publicKeyPEM: ec384, signatureAlgorithm: .ecdsaP256SHA256)),
                .pkix(
                    id: "ni:///sha-256;b",
                    key: PKIXKeySpec(publicKeyPEM: rsa2048, signatureAlgorithm: .rsaPSS4096SHA512)),
                .pkix(
                    id: "ni:///sha-256;c",
                    key: PKIXKeySpec(publicKeyPEM: "not a key", signatureAlgorithm: .ecdsaP256SHA256)),
                .pkix(
                    id: "not a uri",
                    key: PKIXKeySpec(
                        publicKeyPEM: rsa2048, signatureAlgorithm: .rsaSignPKCS1_2048SHA256, keyID: "ni:///other")),
                AttestorPublicKey(
                    id: "x", asciiArmoredPGPPublicKey: "-----BEGIN PGP PUBLIC KEY BLOCK-----",
                    pkixPublicKey: PKIXKeySpec(publicKeyPEM: rsa2048, signatureAlgorithm: .unspecified)),
                .pgp(
                    id: "e50abde5a0c05db317479494c111af41b88ecc96",
                    armoredKey: "-----BEGIN PGP PUBLIC KEY BLOCK-----\n..."),
                .pkix(
                    id: "ni:///sha-256;a",
                    key: PKIXKeySpec(publicKeyPEM: extra, signatureAlgorithm: .rsaSignPKCS1_2048SHA256)),
            ],
            note: "projects/123456789012/notes/n")
        let issues = attestor.validate()
        let byPath = Dictionary(grouping: issues, by: \.path)
        #expect(byPath["userOwnedGrafeasNote.noteReference"]?.first?.message.contains("project number") == true)
        #expect(
            byPath["userOwnedGrafeasNote.publicKeys[0].pkixPublicKey.publicKeyPem"]?.first?.message
                == "the key is EC P-384 but signatureAlgorithm ECDSA_P256_SHA256 needs EC P-256")
        #expect(
            byPath["userOwnedGrafeasNote.publicKeys[1].pkixPublicKey.publicKeyPem"]?.first?.message
                == "the key is RSA 2048-bit but signatureAlgorithm RSA_PSS_4096_SHA512 needs RSA 4096-bit")
        #expect(byPath["userOwnedGrafeasNote.publicKeys[2].pkixPublicKey.publicKeyPem"]?.first?.code == .invalidKey)
        #expect(byPath["userOwnedGrafeasNote.publicKeys[3].id"]?.first?.code == .invalidValue)
        #expect(byPath["userOwnedGrafeasNote.publicKeys[3].pkixPublicKey.keyId"]?.first?.code == .invalidValue)
        #expect(byPath["userOwnedGrafeasNote.publicKeys[4]"]?.first?.code == .invalidValue)
        #expect(byPath["userOwnedGrafeasNote.publicKeys[5].id"]?.first?.message.contains("40 upper-case hex") == true)
        #expect(byPath["userOwnedGrafeasNote.publicKeys[6].id"]?.first?.code == .duplicate)
        #expect(
            byPath["userOwnedGrafeasNote.publicKeys[6].pkixPublicKey.publicKeyPem"]?.first?.message
                == "text outside the PEM block; expected exactly one -----BEGIN PUBLIC KEY----- block")
        #expect(Self.attestor(keys: []).validate() == [])
        #expect(
            Attestor(name: nil, userOwnedGrafeasNote: nil).validate().map(\.path) == ["name", "userOwnedGrafeasNote"])
    }
}
