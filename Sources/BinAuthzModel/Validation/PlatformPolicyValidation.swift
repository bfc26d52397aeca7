// SPDX-License-Identifier: Apache-2.0

extension PlatformPolicy {
    /// The v1 API's limits for platform policies.
    public enum Limits {
        /// `containerAnalysisAttestationProjects`, `containerAnalysisVulnerabilityProjects`: at most 10 each.
        public static let projectsPerList = 10
    }

    /// Every problem the v1 API states for a platform policy, each with its field path
    /// (`gkePolicy.checkSets[1].scope`): a non-empty `checkSets` ends with an unscoped catch-all; a service-account
    /// scope comes before its namespace's scope; one check type per `Check`; at most one scope field;
    /// `maxUploadAgeDays > 0`; at most 10 projects of the form `projects/ID`; the trusted-directory pattern grammar;
    /// the required fields of each check. Empty when the policy is valid.
    public func validate() -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if let name, !name.isEmpty {
            let parts = name.split(separator: "/", omittingEmptySubsequences: false)
            if parts.count != 6 || parts[0] != "projects" || parts[2] != "platforms" || parts[4] != "policies"
                || parts.contains(where: \.isEmpty)
            {
                issues.append(
                    ValidationIssue(
                        path: "name", message: "\"\(name)\" is not projects/PROJECT/platforms/PLATFORM/policies/ID",
                        code: .invalidResourceName))
            } else if parts[3] != "gke", gkePolicy != nil {
                issues.append(
                    ValidationIssue(
                        path: "name", message: "a gkePolicy belongs to a gke platform policy, not \(parts[3])",
                        code: .invalidResourceName))
            }
        }
        switch (gkePolicy, cloudRunPolicy) {
        case (nil, nil):
            issues.append(
                ValidationIssue(
                    path: "gkePolicy", message: "a platform policy needs a gkePolicy (or a cloudRunPolicy)",
                    code: .missingField))
        case (.some, .some):
            issues.append(
                ValidationIssue(
                    path: "cloudRunPolicy",
                    message: "a platform policy holds a gkePolicy or a cloudRunPolicy, not both",
                    code: .conflictingFields))
        default:
            break
        }
        if let gkePolicy { issues += gkePolicy.validate(path: "gkePolicy") }
        return issues
    }
}

extension GkePolicy {
    /// The problems of a GKE policy; `path` prefixes each issue's path.
    public func validate(path: String = "") -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        func at(_ field: String) -> String { path.isEmpty ? field : "\(path).\(field)" }
        if let imageAllowlist { issues += imageAllowlist.validate(path: at("imageAllowlist")) }
        var namespaceScopes: [String: Int] = [:]
        var serviceAccountScopes: [String: Int] = [:]
        for (index, checkSet) in checkSets.enumerated() {
            let setPath = at("checkSets[\(index)]")
            issues += checkSet.validate(path: setPath)
            let isLast = index == checkSets.count - 1
            if checkSet.isUnscoped {
                if !isLast {
                    issues.append(
                        ValidationIssue(
                            path: setPath + ".scope",
                            message: "only the last check set may be unscoped (the catch-all): every later check set "
                                + "would be unreachable",
                            code: .checkSetOrder))
                }
                continue
            }
            if isLast {
                issues.append(
                    ValidationIssue(
                        path: setPath + ".scope",
                        message: "the last check set must have no scope: it is the catch-all for every pod no other "
                            + "check set matches",
                        code: .checkSetOrder))
            }
            guard let scope = checkSet.scope else { continue }
            if let namespace = scope.kubernetesNamespace, !namespace.isEmpty,
                (scope.kubernetesServiceAccount ?? "").isEmpty
            {
                if let earlier = namespaceScopes[namespace] {
                    issues.append(
                        ValidationIssue(
                            path: setPath + ".scope.kubernetesNamespace",
                            message: "namespace \(namespace) is already the scope of checkSets[\(earlier)]; this "
                                + "check set is unreachable",
                            code: .checkSetOrder))
                } else {
                    namespaceScopes[namespace] = index
                }
            }
            if let account = scope.kubernetesServiceAccount, !account.isEmpty,
                (scope.kubernetesNamespace ?? "").isEmpty
            {
                if let earlier = serviceAccountScopes[account] {
                    issues.append(
                        ValidationIssue(
                            path: setPath + ".scope.kubernetesServiceAccount",
                            message: "service account \(account) is already the scope of checkSets[\(earlier)]; "
                                + "this check set is unreachable",
                            code: .checkSetOrder))
                } else {
                    serviceAccountScopes[account] = index
                }
                let namespace = String(account.split(separator: ":", omittingEmptySubsequences: false)[0])
                if let earlier = namespaceScopes[namespace] {
                    issues.append(
                        ValidationIssue(
                            path: setPath + ".scope.kubernetesServiceAccount",
                            message: "the scope of service account \(account) must come before the scope of its "
                                + "namespace \(namespace) (checkSets[\(earlier)]), which matches its pods first",
                            code: .checkSetOrder))
                }
            }
        }
        return issues
    }
}

extension CheckSet {
    /// The problems of a check set.
    public func validate(path: String) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if let scope {
            let namespace = scope.kubernetesNamespace ?? ""
            let account = scope.kubernetesServiceAccount ?? ""
            if !namespace.isEmpty && !account.isEmpty {
                issues.append(
                    ValidationIssue(
                        path: path + ".scope",
                        message: "set kubernetesNamespace or kubernetesServiceAccount, not both",
                        code: .conflictingFields))
            }
            if !namespace.isEmpty, let problem = SyntaxRules.problemWithNamespaceKey(namespace) {
                issues.append(
                    ValidationIssue(path: path + ".scope.kubernetesNamespace", message: problem, code: .invalidValue))
            }
            if !account.isEmpty, let problem = SyntaxRules.problemWithServiceAccountKey(account) {
                issues.append(
                    ValidationIssue(
                        path: path + ".scope.kubernetesServiceAccount", message: problem, code: .invalidValue))
            }
        }
        if let imageAllowlist { issues += imageAllowlist.validate(path: path + ".imageAllowlist") }
        for (index, check) in checks.enumerated() {
            issues += check.validate(path: path + ".checks[\(index)]")
        }
        return issues
    }
}

extension ImageAllowlist {
    /// The problems of an allowlist: at least one pattern, each in the allowlist grammar.
    public func validate(path: String) -> [ValidationIssue] {
        guard !allowPattern.isEmpty else {
            return [
                ValidationIssue(
                    path: path + ".allowPattern", message: "an image allowlist needs at least one pattern",
                    code: .missingField)
            ]
        }
        var issues: [ValidationIssue] = []
        for (index, pattern) in allowPattern.enumerated() {
            if case .failure(let error) = SyntaxRules.parseNamePattern(pattern) {
                issues.append(
                    ValidationIssue(
                        path: path + ".allowPattern[\(index)]", message: error.message, code: .invalidPattern))
            }
        }
        return issues
    }
}

extension Check {
    /// The problems of a check: exactly one check type, and that type's required fields.
    public func validate(path: String) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        let types = self.types
        if types.isEmpty {
            issues.append(
                ValidationIssue(
                    path: path,
                    message: "a check needs a check type: one of "
                        + PlatformCheckType.allTypes.map(\.fieldName).joined(separator: ", "),
                    code: .missingField))
        } else if types.count > 1 {
            issues.append(
                ValidationIssue(
                    path: path,
                    message: "a check has exactly one check type; this one has "
                        + types.map(\.fieldName).joined(separator: " and "),
                    code: .conflictingFields))
        }
        if let imageAllowlist { issues += imageAllowlist.validate(path: path + ".imageAllowlist") }
        if let check = trustedDirectoryCheck {
            let here = path + ".trustedDirectoryCheck.trustedDirPatterns"
            if check.trustedDirPatterns.isEmpty {
                issues.append(
                    ValidationIssue(
                        path: here, message: "at least one trusted directory is required", code: .missingField))
            }
            for (index, pattern) in check.trustedDirPatterns.enumerated() {
                if case .failure(let error) = TrustedDirectoryPattern.parse(pattern) {
                    issues.append(
                        ValidationIssue(path: here + "[\(index)]", message: error.message, code: .invalidPattern))
                }
            }
        }
        if let check = imageFreshnessCheck {
            let here = path + ".imageFreshnessCheck.maxUploadAgeDays"
            if let days = check.maxUploadAgeDays {
                if days <= 0 {
                    issues.append(
                        ValidationIssue(
                            path: here, message: "must be greater than zero (it is \(days))", code: .invalidValue))
                }
            } else {
                issues.append(ValidationIssue(path: here, message: "maxUploadAgeDays is required", code: .missingField))
            }
        }
        if let check = simpleSigningAttestationCheck {
            let here = path + ".simpleSigningAttestationCheck"
            if check.attestationAuthenticators.isEmpty {
                issues.append(
                    ValidationIssue(
                        path: here + ".attestationAuthenticators", message: "at least one authenticator is required",
                        code: .missingField))
            }
            for (index, authenticator) in check.attestationAuthenticators.enumerated() {
                let keysPath = here + ".attestationAuthenticators[\(index)].pkixPublicKeySet.pkixPublicKeys"
                let keys = authenticator.pkixPublicKeySet?.pkixPublicKeys ?? []
                if keys.isEmpty {
                    issues.append(
                        ValidationIssue(
                            path: keysPath, message: "at least one PKIX public key is required", code: .missingField))
                }
                for (keyIndex, key) in keys.enumerated() {
                    let keyPath = keysPath + "[\(keyIndex)]"
                    if (key.publicKeyPEM ?? "").isEmpty {
                        issues.append(
                            ValidationIssue(
                                path: keyPath + ".publicKeyPem", message: "publicKeyPem is required",
                                code: .missingField))
                    }
                    if let algorithm = key.signatureAlgorithm {
                        if !algorithm.isKnown || algorithm == .unspecified {
                            issues.append(
                                Policy.unknownEnum(
                                    keyPath + ".signatureAlgorithm", algorithm.rawValue, SignatureAlgorithm.knownValues)
                            )
                        }
                    } else {
                        issues.append(
                            ValidationIssue(
                                path: keyPath + ".signatureAlgorithm", message: "signatureAlgorithm is required",
                                code: .missingField))
                    }
                }
            }
            issues += Self.validateProjects(
                check.containerAnalysisAttestationProjects, path: here + ".containerAnalysisAttestationProjects")
        }
        if let check = sigstoreSignatureCheck {
            let here = path + ".sigstoreSignatureCheck.sigstoreAuthorities"
            if check.sigstoreAuthorities.isEmpty {
                issues.append(
                    ValidationIssue(path: here, message: "at least one authority is required", code: .missingField))
            }
            for (index, authority) in check.sigstoreAuthorities.enumerated() {
                let keysPath = here + "[\(index)].publicKeySet.publicKeys"
                let keys = authority.publicKeySet?.publicKeys ?? []
                if keys.isEmpty {
                    issues.append(
                        ValidationIssue(
                            path: keysPath, message: "at least one public key is required", code: .missingField))
                }
                for (keyIndex, key) in keys.enumerated() where (key.publicKeyPEM ?? "").isEmpty {
                    issues.append(
                        ValidationIssue(
                            path: keysPath + "[\(keyIndex)].publicKeyPem", message: "publicKeyPem is required",
                            code: .missingField))
                }
            }
        }
        if let check = slsaCheck {
            let here = path + ".slsaCheck.rules"
            if check.rules.isEmpty {
                issues.append(
                    ValidationIssue(path: here, message: "at least one rule is required", code: .missingField))
            }
            for (index, rule) in check.rules.enumerated() {
                let rulePath = here + "[\(index)]"
                if let builder = rule.trustedBuilder {
                    if !builder.isKnown || builder == .unspecified {
                        issues.append(
                            Policy.unknownEnum(
                                rulePath + ".trustedBuilder", builder.rawValue, TrustedBuilder.knownValues))
                    }
                } else {
                    issues.append(
                        ValidationIssue(
                            path: rulePath + ".trustedBuilder", message: "trustedBuilder is required",
                            code: .missingField))
                }
                issues += Self.validateProjects(
                    rule.attestationSource?.containerAnalysisAttestationProjects ?? [],
                    path: rulePath + ".attestationSource.containerAnalysisAttestationProjects")
            }
        }
        if let check = vulnerabilityCheck {
            let here = path + ".vulnerabilityCheck"
            for (field, value) in [
                ("maximumFixableSeverity", check.maximumFixableSeverity),
                ("maximumUnfixableSeverity", check.maximumUnfixableSeverity),
            ] {
                if let value {
                    if !value.isKnown || value == .unspecified {
                        issues.append(
                            Policy.unknownEnum(
                                here + "." + field, value.rawValue, MaximumAllowedSeverity.knownValues))
                    }
                } else {
                    issues.append(
                        ValidationIssue(path: here + "." + field, message: "\(field) is required", code: .missingField))
                }
            }
            issues += Self.validateProjects(
                check.containerAnalysisVulnerabilityProjects, path: here + ".containerAnalysisVulnerabilityProjects")
        }
        return issues
    }

    /// At most ten `projects/PROJECT_ID` (a project id, not a number).
    static func validateProjects(_ projects: [String], path: String) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if projects.count > PlatformPolicy.Limits.projectsPerList {
            issues.append(
                ValidationIssue(
                    path: path,
                    message: "at most \(PlatformPolicy.Limits.projectsPerList) projects are allowed; there are "
                        + "\(projects.count)",
                    code: .limitExceeded))
        }
        for (index, project) in projects.enumerated() {
            if let problem = SyntaxRules.problemWithProjectReference(project) {
                issues.append(ValidationIssue(path: path + "[\(index)]", message: problem, code: .invalidResourceName))
            }
        }
        return issues
    }
}

extension SyntaxRules {
    /// Checks `projects/PROJECT_ID`: a project id (6–30 lower-case letters, digits and hyphens, starting with a
    /// letter, optionally `domain:`-prefixed), not a project number.
    package static func problemWithProjectReference(_ text: String) -> String? {
        guard text.hasPrefix("projects/") else {
            return "\"\(text)\" is not projects/PROJECT_ID"
        }
        let id = text.dropFirst("projects/".count)
        if !id.isEmpty, id.allSatisfy(\.isASCIIDigit) {
            return "\"\(text)\" names a project by number; use the project id"
        }
        let bare = id.split(separator: ":", maxSplits: 1).last ?? ""
        guard bare.count >= 6, bare.count <= 30, let first = bare.first, first >= "a", first <= "z",
            let last = bare.last, last != "-",
            bare.allSatisfy({ ($0 >= "a" && $0 <= "z") || $0.isASCIIDigit || $0 == "-" })
        else {
            return "\"\(text)\" is not projects/PROJECT_ID (a project id is 6 to 30 lower-case letters, digits and "
                + "hyphens, starting with a letter)"
        }
        return nil
    }
}

/// A parsed `trustedDirectoryCheck.trustedDirPatterns` entry: `registry/path/to/directory`, where `*` may appear
/// only as one leading `*` in the registry's first label (`*-docker.pkg.dev`, `*.gcr.io`), or as a trailing `/*`
/// (the directories directly below) or `/**` (every directory below).
///
/// An image's directory is its repository without the last path segment: `gcr.io/p/team/app:1` is in
/// `gcr.io/p/team`. See `Docs/Semantics.md`.
public struct TrustedDirectoryPattern: Hashable, Sendable, CustomStringConvertible {
    /// The trailing wildcard.
    enum Depth: Hashable, Sendable {
        case exact, oneLevel, anyDepth
    }

    /// The pattern as written.
    public let pattern: String
    /// The registry after a leading `*` (`-docker.pkg.dev`), or the whole registry.
    let registrySuffix: String
    let hasLeadingWildcard: Bool
    /// The path after `registry/`, without the trailing wildcard (`my-project` for `gcr.io/my-project/*`).
    let path: String
    let depth: Depth

    public var description: String { pattern }

    /// Why a pattern is invalid.
    public struct Problem: Error, Hashable, Sendable, CustomStringConvertible {
        /// What is wrong, in the API's words where it has them.
        public let message: String
        public var description: String { message }
    }

    /// Parses a pattern.
    public static func parse(_ pattern: String) -> Result<TrustedDirectoryPattern, Problem> {
        func fail(_ why: String) -> Result<TrustedDirectoryPattern, Problem> {
            .failure(Problem(message: "\"\(pattern)\": \(why)"))
        }
        guard !pattern.isEmpty else { return fail("the pattern is empty") }
        if pattern.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 }) {
            return fail("the pattern contains whitespace")
        }
        if pattern.contains("://") { return fail("give registry/path without a scheme") }
        let slash = pattern.firstIndex(of: "/")
        var registry = Substring(slash.map { pattern[..<$0] } ?? pattern[...])
        var leading = false
        if registry.hasPrefix("**") {
            return fail("one leading * is allowed, and it cannot match /")
        }
        if registry.hasPrefix("*") {
            leading = true
            registry = registry.dropFirst()
            guard let next = registry.first, next == "-" || next == "." else {
                return fail(
                    "a leading * can only match the start of a subdomain label (write *-docker.pkg.dev or *.gcr.io)")
            }
        }
        if registry.contains("*") {
            return registry.hasSuffix("*") && !registry.dropLast().contains("*")
                ? fail("the registry is not completely specified")
                : fail("only a leading * or a trailing * is allowed")
        }
        let labels = (leading && registry.first == "." ? registry.dropFirst() : registry)
            .split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }) else {
            return fail("the registry must be two or more dot-separated words, e.g. gcr.io or us-docker.pkg.dev")
        }
        guard
            registry.allSatisfy({
                $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == ":" || $0 == "_")
            })
        else {
            return fail("the registry \"\(registry)\" has characters a host name cannot have")
        }
        guard let slash else {
            return fail("a trusted directory is registry/path: name a directory after the registry")
        }
        var path = pattern[pattern.index(after: slash)...]
        var depth = Depth.exact
        if path.hasSuffix("**") {
            path = path.dropLast(2)
            depth = .anyDepth
        } else if path.hasSuffix("*") {
            path = path.dropLast()
            depth = .oneLevel
        }
        if path.contains("*") {
            return fail("only a leading * or a trailing * is allowed")
        }
        if depth != .exact {
            guard path.isEmpty || path.hasSuffix("/") else {
                return fail("a trailing * or ** must follow a / (gcr.io/my-project/*)")
            }
            if path.hasSuffix("/") { path = path.dropLast() }
        } else if path.isEmpty {
            return fail("a trusted directory is registry/path: name a directory after the registry")
        }
        if !path.isEmpty, path.split(separator: "/", omittingEmptySubsequences: false).contains(where: \.isEmpty) {
            return fail("the path has an empty segment")
        }
        return .success(
            TrustedDirectoryPattern(
                pattern: pattern, registrySuffix: String(registry), hasLeadingWildcard: leading, path: String(path),
                depth: depth))
    }

    /// Whether `directory` (`registry/path`, an image repository without its last segment) is trusted.
    public func matches(directory: String) -> Bool {
        let slash = directory.firstIndex(of: "/")
        let registry = Substring(slash.map { directory[..<$0] } ?? directory[...])
        let rest = slash.map { directory[directory.index(after: $0)...] } ?? ""
        if hasLeadingWildcard {
            guard registry.utf8.count > registrySuffix.utf8.count, registry.hasSuffix(registrySuffix) else {
                return false
            }
            let matched = registry.dropLast(registrySuffix.count)
            guard !matched.contains("."), !matched.contains("/") else { return false }
        } else {
            guard registry.utf8.elementsEqual(registrySuffix.utf8) else { return false }
        }
        switch depth {
        case .exact:
            return rest.utf8.elementsEqual(path.utf8)
        case .oneLevel, .anyDepth:
            let below: Substring
            if path.isEmpty {
                below = rest
            } else {
                guard rest.hasPrefix(path + "/") else { return false }
                below = rest.dropFirst(path.count + 1)
            }
            guard !below.isEmpty,
                !below.split(separator: "/", omittingEmptySubsequences: false).contains(where: \.isEmpty)
            else { return false }
            return depth == .anyDepth || !below.contains("/")
        }
    }
}
