// SPDX-License-Identifier: Apache-2.0

/// Limits the hosted service documents (https://cloud.google.com/binary-authorization/quotas).
public enum ServiceLimits {
    /// Attestor references per policy.
    public static let attestorReferencesPerPolicy = 200
    /// Keys per attestor.
    public static let keysPerAttestor = 1000
}

extension Policy {
    /// Checks the policy against the API's rules and returns every problem found, each with its field path.
    /// An empty result means the policy would be accepted by `gcloud container binauthz policy import`, as far as
    /// can be known offline (the server also checks that each referenced attestor exists and is readable).
    public func validate() -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        // `name` is not checked: `policy import` overwrites it with the configured project's policy name, so a file
        // may hold any string there (or none).
        if let mode = globalPolicyEvaluationMode, !mode.isKnown {
            issues.append(
                Self.unknownEnum("globalPolicyEvaluationMode", mode.rawValue, GlobalPolicyEvaluationMode.knownValues))
        }
        for (index, pattern) in admissionWhitelistPatterns.enumerated() {
            let path = "admissionWhitelistPatterns[\(index)].namePattern"
            guard let text = pattern.namePattern else {
                issues.append(ValidationIssue(path: path, message: "namePattern is required", code: .missingField))
                continue
            }
            if case .failure(let error) = SyntaxRules.parseNamePattern(text) {
                issues.append(ValidationIssue(path: path, message: error.message, code: .invalidPattern))
            }
        }
        let nonEmpty = specificRuleKinds
        if nonEmpty.count > 1 {
            for kind in nonEmpty.dropFirst() {
                issues.append(
                    ValidationIssue(
                        path: kind.fieldName,
                        message: "only one of clusterAdmissionRules, kubernetesNamespaceAdmissionRules, "
                            + "kubernetesServiceAccountAdmissionRules and istioServiceIdentityAdmissionRules may be "
                            + "non-empty; this policy also has \(nonEmpty[0].fieldName)",
                        code: .conflictingRuleMaps))
            }
        }
        var istioIdentities: [String: String] = [:]
        for key in istioServiceIdentityAdmissionRules.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            let identity = SyntaxRules.istioIdentityBody(key)
            if let other = istioIdentities[identity] {
                issues.append(
                    ValidationIssue(
                        path: "istioServiceIdentityAdmissionRules[\"\(key)\"]",
                        message:
                            "\"\(key)\" and \"\(other)\" name the same identity (with and without spiffe://); keep one",
                        code: .duplicate))
            } else {
                istioIdentities[identity] = key
            }
        }
        for kind in SpecificRuleKind.allCases {
            for (key, rule) in rules(kind).sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
                let path = "\(kind.fieldName)[\"\(key)\"]"
                let problem: String? =
                    switch kind {
                    case .cluster: SyntaxRules.problemWithClusterKey(key)
                    case .kubernetesNamespace: SyntaxRules.problemWithNamespaceKey(key)
                    case .kubernetesServiceAccount: SyntaxRules.problemWithServiceAccountKey(key)
                    case .istioServiceIdentity: SyntaxRules.problemWithIstioKey(key)
                    }
                if let problem { issues.append(ValidationIssue(path: path, message: problem, code: .invalidRuleKey)) }
                issues += rule.validate(path: path)
            }
        }
        if let defaultAdmissionRule {
            issues += defaultAdmissionRule.validate(path: "defaultAdmissionRule")
        } else {
            issues.append(
                ValidationIssue(
                    path: "defaultAdmissionRule", message: "a policy must have a defaultAdmissionRule",
                    code: .missingField))
        }
        let references =
            ([defaultAdmissionRule].compactMap { $0 } + SpecificRuleKind.allCases.flatMap { rules($0).values })
            .reduce(0) { $0 + $1.requireAttestationsBy.count }
        if references > ServiceLimits.attestorReferencesPerPolicy {
            issues.append(
                ValidationIssue(
                    path: "",
                    message: "the policy references attestors \(references) times; the service allows at most "
                        + "\(ServiceLimits.attestorReferencesPerPolicy)",
                    code: .limitExceeded))
        }
        return issues
    }

    static func unknownEnum<T: APIEnum>(_ path: String, _ value: String, _ known: [T]) -> ValidationIssue {
        let usable = known.map(\.rawValue).filter { !$0.hasSuffix("_UNSPECIFIED") }
        return ValidationIssue(
            path: path,
            message: value.hasSuffix("_UNSPECIFIED")
                ? "\(value) is not allowed; use one of \(usable.joined(separator: ", "))"
                : "unknown value \"\(value)\"; expected one of \(usable.joined(separator: ", "))",
            code: .unknownEnumValue)
    }
}

extension AdmissionRule {
    /// Checks one rule; `path` is the rule's own path (`defaultAdmissionRule`, `clusterAdmissionRules["…"]`).
    public func validate(path: String) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if let mode = evaluationMode {
            if !mode.isKnown || mode == .unspecified {
                issues.append(Policy.unknownEnum("\(path).evaluationMode", mode.rawValue, EvaluationMode.knownValues))
            }
        } else {
            issues.append(
                ValidationIssue(
                    path: "\(path).evaluationMode", message: "evaluationMode is required", code: .missingField))
        }
        if let mode = enforcementMode {
            if !mode.isKnown || mode == .unspecified {
                issues.append(Policy.unknownEnum("\(path).enforcementMode", mode.rawValue, EnforcementMode.knownValues))
            }
        } else {
            issues.append(
                ValidationIssue(
                    path: "\(path).enforcementMode", message: "enforcementMode is required", code: .missingField))
        }
        if evaluationMode == .requireAttestation && requireAttestationsBy.isEmpty {
            issues.append(
                ValidationIssue(
                    path: "\(path).requireAttestationsBy",
                    message: "must list at least one attestor when evaluationMode is REQUIRE_ATTESTATION",
                    code: .attestorListMismatch))
        }
        if let mode = evaluationMode, mode != .requireAttestation, !requireAttestationsBy.isEmpty {
            issues.append(
                ValidationIssue(
                    path: "\(path).requireAttestationsBy",
                    message: "must be empty unless evaluationMode is REQUIRE_ATTESTATION (it is \(mode.rawValue))",
                    code: .attestorListMismatch))
        }
        var seen = Set<String>()
        for (index, name) in requireAttestationsBy.enumerated() {
            let entryPath = "\(path).requireAttestationsBy[\(index)]"
            if AttestorName(name) == nil {
                issues.append(
                    ValidationIssue(
                        path: entryPath,
                        message:
                            "\"\(name)\" is not an attestor name; expected projects/PROJECT_ID/attestors/ATTESTOR_ID",
                        code: .invalidResourceName))
            } else if !seen.insert(name).inserted {
                issues.append(
                    ValidationIssue(path: entryPath, message: "attestor \(name) is listed twice", code: .duplicate))
            }
        }
        return issues
    }
}

extension Attestor {
    /// Checks the attestor against the API's rules and returns every problem found, each with its field path.
    ///
    /// PKIX keys are checked for consistency with their declared algorithm (key type, RSA size, EC curve)
    /// without cryptography. PGP key ids are checked for form only; `BinAuthz` also recomputes fingerprints.
    public func validate() -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if let name {
            if AttestorName(name) == nil {
                issues.append(
                    ValidationIssue(
                        path: "name",
                        message:
                            "\"\(name)\" is not an attestor name; expected projects/PROJECT_ID/attestors/ATTESTOR_ID",
                        code: .invalidResourceName))
            }
        } else {
            issues.append(ValidationIssue(path: "name", message: "name is required", code: .missingField))
        }
        if userOwnedGrafeasNote != nil && userOwnedDrydockNote != nil {
            issues.append(
                ValidationIssue(
                    path: "userOwnedDrydockNote",
                    message: "give either userOwnedGrafeasNote (v1) or userOwnedDrydockNote (v1beta1), not both",
                    code: .invalidValue))
        }
        let notePath =
            userOwnedGrafeasNote == nil && userOwnedDrydockNote != nil ? "userOwnedDrydockNote" : "userOwnedGrafeasNote"
        guard let note else {
            issues.append(
                ValidationIssue(path: notePath, message: "userOwnedGrafeasNote is required", code: .missingField))
            return issues
        }
        if let reference = note.noteReference {
            if let parsed = NoteName(reference) {
                if parsed.usesProjectNumber {
                    issues.append(
                        ValidationIssue(
                            path: "\(notePath).noteReference",
                            message: "\"\(reference)\" uses a project number; a project ID must be used",
                            code: .invalidResourceName))
                }
            } else {
                issues.append(
                    ValidationIssue(
                        path: "\(notePath).noteReference",
                        message: "\"\(reference)\" is not a note name; expected projects/PROJECT_ID/notes/NOTE_ID",
                        code: .invalidResourceName))
            }
        } else {
            issues.append(
                ValidationIssue(
                    path: "\(notePath).noteReference", message: "noteReference is required", code: .missingField))
        }
        if note.publicKeys.count > ServiceLimits.keysPerAttestor {
            issues.append(
                ValidationIssue(
                    path: "\(notePath).publicKeys",
                    message:
                        "\(note.publicKeys.count) keys; the service allows at most \(ServiceLimits.keysPerAttestor)",
                    code: .limitExceeded))
        }
        var ids = Set<String>()
        for (index, key) in note.publicKeys.enumerated() {
            let path = "\(notePath).publicKeys[\(index)]"
            issues += key.validate(path: path)
            if let id = key.id, !ids.insert(id).inserted {
                issues.append(
                    ValidationIssue(
                        path: "\(path).id", message: "key id \(id) is used by another key", code: .duplicate))
            }
        }
        return issues
    }
}

extension AttestorPublicKey {
    /// Checks one key entry; `path` is the entry's own path.
    public func validate(path: String) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        switch (asciiArmoredPGPPublicKey, pkixPublicKey) {
        case (nil, nil):
            issues.append(
                ValidationIssue(
                    path: path, message: "a key needs asciiArmoredPgpPublicKey or pkixPublicKey", code: .missingField))
        case (.some, .some):
            issues.append(
                ValidationIssue(
                    path: path, message: "a key holds either asciiArmoredPgpPublicKey or pkixPublicKey, not both",
                    code: .invalidValue))
        case (let armored?, nil):
            if !armored.contains("-----BEGIN PGP PUBLIC KEY BLOCK-----") {
                issues.append(
                    ValidationIssue(
                        path: "\(path).asciiArmoredPgpPublicKey",
                        message: "expected the output of gpg --armor --export (-----BEGIN PGP PUBLIC KEY BLOCK-----)",
                        code: .invalidKey))
            }
            if let id, !SyntaxRules.isPGPFingerprint(id) {
                issues.append(
                    ValidationIssue(
                        path: "\(path).id",
                        message: "\"\(id)\" is not a PGP key id; Binary Authorization uses the primary key's v4 "
                            + "fingerprint, 40 upper-case hex digits",
                        code: .invalidValue))
            }
        case (nil, let pkix?):
            issues += pkix.validate(path: "\(path).pkixPublicKey")
            if let id, !SyntaxRules.isURI(id) {
                issues.append(
                    ValidationIssue(
                        path: "\(path).id", message: "\"\(id)\" is not a URI; PKIX key ids must be RFC 3986 URIs",
                        code: .invalidValue))
            }
            if let keyID = pkix.keyID, !keyID.isEmpty, let id, keyID != id {
                issues.append(
                    ValidationIssue(
                        path: "\(path).pkixPublicKey.keyId",
                        message: "keyId \"\(keyID)\" differs from the key's id \"\(id)\"; it must equal it or be blank",
                        code: .invalidValue))
            }
        }
        return issues
    }
}

extension PKIXKeySpec {
    /// Checks the PEM and its agreement with ``signatureAlgorithm``.
    public func validate(path: String) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        var parameters: SignatureAlgorithm.Parameters?
        if let algorithm = signatureAlgorithm {
            parameters = algorithm.parameters
            if parameters == nil {
                issues.append(
                    Policy.unknownEnum("\(path).signatureAlgorithm", algorithm.rawValue, SignatureAlgorithm.knownValues)
                )
            }
        } else {
            issues.append(
                ValidationIssue(
                    path: "\(path).signatureAlgorithm", message: "signatureAlgorithm is required", code: .missingField))
        }
        guard let pem = publicKeyPEM else {
            issues.append(
                ValidationIssue(path: "\(path).publicKeyPem", message: "publicKeyPem is required", code: .missingField))
            return issues
        }
        do {
            let summary = try SPKISummary(pem: pem)
            if let parameters, let algorithm = signatureAlgorithm {
                if let keyType = summary.keyType {
                    if keyType != parameters.key {
                        issues.append(
                            ValidationIssue(
                                path: "\(path).publicKeyPem",
                                message: "the key is \(keyType) but signatureAlgorithm \(algorithm.rawValue) needs "
                                    + "\(parameters.key)",
                                code: .invalidKey))
                    } else if summary.isRSAPSS && parameters.padding != .pss {
                        issues.append(
                            ValidationIssue(
                                path: "\(path).publicKeyPem",
                                message: "the key is an RSASSA-PSS key (id-RSASSA-PSS), usable only with the PSS "
                                    + "algorithms, but signatureAlgorithm is \(algorithm.rawValue)",
                                code: .invalidKey))
                    }
                } else {
                    issues.append(
                        ValidationIssue(
                            path: "\(path).publicKeyPem",
                            message: "unsupported key type (algorithm \(summary.algorithmOID)); signatureAlgorithm "
                                + "\(algorithm.rawValue) needs \(parameters.key)",
                            code: .invalidKey))
                }
            }
        } catch {
            issues.append(ValidationIssue(path: "\(path).publicKeyPem", message: error.description, code: .invalidKey))
        }
        return issues
    }
}
