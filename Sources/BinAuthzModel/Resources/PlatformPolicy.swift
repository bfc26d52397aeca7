// SPDX-License-Identifier: Apache-2.0

/// A Binary Authorization platform policy: the v1 REST `PlatformPolicy` resource
/// (`projects/P/platforms/gke/policies/ID`).
///
/// Platform policies drive continuous validation of running pods and `gcloud beta container binauthz policy
/// evaluate`; the project ``Policy`` drives admission. Field names and nesting are those of the REST API and of the
/// YAML that `gcloud beta container binauthz policy describe` prints; empty lists are the same as absent ones.
///
/// ```swift
/// let policy = try PlatformPolicy.gcloudCreate(contents: bytes, fileName: "policy.yaml").policy
/// let problems = policy.validate()
/// ```
public struct PlatformPolicy: Hashable, Sendable, Codable {
    /// `projects/P/platforms/PLATFORM/policies/ID`. Output only on the server.
    public var name: String?
    /// A free-form description.
    public var description: String?
    /// The etag for optimistic concurrency.
    public var etag: String?
    /// When the server last updated the policy (RFC 3339, output only). Kept as written.
    public var updateTime: String?
    /// The GKE policy: what continuous validation and `policy evaluate` check.
    public var gkePolicy: GkePolicy?
    /// The Cloud Run policy, read and written but not evaluated by this library.
    public var cloudRunPolicy: InlineCloudRunPolicy?

    /// Creates a platform policy.
    public init(
        name: String? = nil, description: String? = nil, gkePolicy: GkePolicy?,
        cloudRunPolicy: InlineCloudRunPolicy? = nil, etag: String? = nil, updateTime: String? = nil
    ) {
        self.name = name
        self.description = description
        self.gkePolicy = gkePolicy
        self.cloudRunPolicy = cloudRunPolicy
        self.etag = etag
        self.updateTime = updateTime
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case cloudRunPolicy, description, etag, gkePolicy, name, updateTime
    }
}

/// The GKE part of a platform policy: an allowlist, then the check sets.
public struct GkePolicy: Hashable, Sendable, Codable {
    /// Images exempt from the whole policy ("the rest of the policy will not be evaluated").
    public var imageAllowlist: ImageAllowlist?
    /// The check sets, most specific scope first; the last one must have no scope (the catch-all). Exactly one is
    /// evaluated for a pod: the first whose scope matches. Empty means every image conforms.
    public var checkSets: [CheckSet]

    /// Creates a GKE policy.
    public init(imageAllowlist: ImageAllowlist? = nil, checkSets: [CheckSet]) {
        self.imageAllowlist = imageAllowlist
        self.checkSets = checkSets
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case checkSets, imageAllowlist }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        imageAllowlist = try c.decodeIfPresent(ImageAllowlist.self, forKey: .imageAllowlist)
        checkSets = try c.decodeIfPresent([CheckSet].self, forKey: .checkSets) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if !checkSets.isEmpty { try c.encode(checkSets, forKey: .checkSets) }
        try c.encodeIfPresent(imageAllowlist, forKey: .imageAllowlist)
    }
}

/// A disjunction of image patterns: an image matching any of them is exempt at the level the allowlist sits
/// (policy, check set or check). Patterns use the project policy's `namePattern` grammar.
public struct ImageAllowlist: Hashable, Sendable, Codable {
    /// The patterns. Required (at least one) when the allowlist is present.
    public var allowPattern: [String]

    /// Creates an allowlist.
    public init(allowPattern: [String]) { self.allowPattern = allowPattern }

    enum CodingKeys: String, CodingKey, CaseIterable { case allowPattern }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        allowPattern = try c.decodeIfPresent([String].self, forKey: .allowPattern) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if !allowPattern.isEmpty { try c.encode(allowPattern, forKey: .allowPattern) }
    }
}

/// A set of checks for the pods its scope matches.
public struct CheckSet: Hashable, Sendable, Codable {
    /// A name for people; it appears in results and logs.
    public var displayName: String?
    /// Which pods the set applies to; none (or an empty one) means every pod.
    public var scope: Scope?
    /// Images exempt from this set's checks.
    public var imageAllowlist: ImageAllowlist?
    /// The checks; every one must conform. Empty means every image conforms.
    public var checks: [Check]

    /// Creates a check set.
    public init(
        displayName: String? = nil, scope: Scope? = nil, imageAllowlist: ImageAllowlist? = nil, checks: [Check]
    ) {
        self.displayName = displayName
        self.scope = scope
        self.imageAllowlist = imageAllowlist
        self.checks = checks
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case checks, displayName, imageAllowlist, scope }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        displayName = try c.decodeIfPresent(String.self, forKey: .displayName)
        scope = try c.decodeIfPresent(Scope.self, forKey: .scope)
        imageAllowlist = try c.decodeIfPresent(ImageAllowlist.self, forKey: .imageAllowlist)
        checks = try c.decodeIfPresent([Check].self, forKey: .checks) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if !checks.isEmpty { try c.encode(checks, forKey: .checks) }
        try c.encodeIfPresent(displayName, forKey: .displayName)
        try c.encodeIfPresent(imageAllowlist, forKey: .imageAllowlist)
        try c.encodeIfPresent(scope, forKey: .scope)
    }

    /// Whether the set has no scope, or an empty one: the catch-all.
    public var isUnscoped: Bool { scope?.isEmpty ?? true }
}

/// A check set's scope: a namespace, or a `namespace:serviceaccount`.
public struct Scope: Hashable, Sendable, Codable {
    /// Every service account of this namespace (unless a more specific service-account scope matched first).
    public var kubernetesNamespace: String?
    /// One service account, `namespace:serviceaccount`.
    public var kubernetesServiceAccount: String?

    /// Creates a scope; set at most one field.
    public init(kubernetesNamespace: String? = nil, kubernetesServiceAccount: String? = nil) {
        self.kubernetesNamespace = kubernetesNamespace
        self.kubernetesServiceAccount = kubernetesServiceAccount
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case kubernetesNamespace, kubernetesServiceAccount }

    /// Whether neither field is set (or both are empty).
    public var isEmpty: Bool { (kubernetesNamespace ?? "").isEmpty && (kubernetesServiceAccount ?? "").isEmpty }
}

/// One check: exactly one check type, optionally with its own allowlist.
public struct Check: Hashable, Sendable, Codable {
    /// A name for people; it appears in results and logs.
    public var displayName: String?
    /// Images this check does not evaluate (they count as conforming to it).
    public var imageAllowlist: ImageAllowlist?
    /// `true`: every image the check applies to is non-conformant.
    public var alwaysDeny: Bool?
    /// Images uploaded more than a number of days ago are non-conformant.
    public var imageFreshnessCheck: ImageFreshnessCheck?
    /// Requires a cosign signature by a trusted key.
    public var sigstoreSignatureCheck: SigstoreSignatureCheck?
    /// Requires a DSSE-signed simple-signing attestation by a trusted PKIX key.
    public var simpleSigningAttestationCheck: SimpleSigningAttestationCheck?
    /// Requires SLSA provenance from a trusted builder.
    public var slsaCheck: SlsaCheck?
    /// Requires the image to come from a trusted directory.
    public var trustedDirectoryCheck: TrustedDirectoryCheck?
    /// Limits the vulnerabilities an image may have.
    public var vulnerabilityCheck: VulnerabilityCheck?

    /// Creates a check; set exactly one check type.
    public init(
        displayName: String? = nil, imageAllowlist: ImageAllowlist? = nil, alwaysDeny: Bool? = nil,
        imageFreshnessCheck: ImageFreshnessCheck? = nil, sigstoreSignatureCheck: SigstoreSignatureCheck? = nil,
        simpleSigningAttestationCheck: SimpleSigningAttestationCheck? = nil, slsaCheck: SlsaCheck? = nil,
        trustedDirectoryCheck: TrustedDirectoryCheck? = nil, vulnerabilityCheck: VulnerabilityCheck? = nil
    ) {
        self.displayName = displayName
        self.imageAllowlist = imageAllowlist
        self.alwaysDeny = alwaysDeny
        self.imageFreshnessCheck = imageFreshnessCheck
        self.sigstoreSignatureCheck = sigstoreSignatureCheck
        self.simpleSigningAttestationCheck = simpleSigningAttestationCheck
        self.slsaCheck = slsaCheck
        self.trustedDirectoryCheck = trustedDirectoryCheck
        self.vulnerabilityCheck = vulnerabilityCheck
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case alwaysDeny, displayName, imageAllowlist, imageFreshnessCheck, sigstoreSignatureCheck
        case simpleSigningAttestationCheck, slsaCheck, trustedDirectoryCheck, vulnerabilityCheck
    }

    /// The check types that are set, in field order. A valid check has exactly one. `alwaysDeny: false` counts
    /// as set: it names the type, and the check conforms.
    public var types: [PlatformCheckType] {
        var result: [PlatformCheckType] = []
        if alwaysDeny != nil { result.append(.alwaysDeny) }
        if imageFreshnessCheck != nil { result.append(.imageFreshness) }
        if sigstoreSignatureCheck != nil { result.append(.sigstoreSignature) }
        if simpleSigningAttestationCheck != nil { result.append(.simpleSigningAttestation) }
        if slsaCheck != nil { result.append(.slsa) }
        if trustedDirectoryCheck != nil { result.append(.trustedDirectory) }
        if vulnerabilityCheck != nil { result.append(.vulnerability) }
        return result
    }
}

/// The type of a ``Check``, spelled as continuous-validation logs spell `checkType` (`TrustedDirectoryCheck`).
public struct PlatformCheckType: Hashable, Sendable, CustomStringConvertible {
    /// The CV spelling.
    public let name: String
    /// The field of ``Check`` that holds it (`trustedDirectoryCheck`).
    public let fieldName: String

    private init(_ name: String, _ fieldName: String) {
        self.name = name
        self.fieldName = fieldName
    }

    public static let alwaysDeny = PlatformCheckType("AlwaysDeny", "alwaysDeny")
    public static let imageFreshness = PlatformCheckType("ImageFreshnessCheck", "imageFreshnessCheck")
    public static let sigstoreSignature = PlatformCheckType("SigstoreSignatureCheck", "sigstoreSignatureCheck")
    public static let simpleSigningAttestation = PlatformCheckType(
        "SimpleSigningAttestationCheck", "simpleSigningAttestationCheck")
    public static let slsa = PlatformCheckType("SlsaCheck", "slsaCheck")
    public static let trustedDirectory = PlatformCheckType("TrustedDirectoryCheck", "trustedDirectoryCheck")
    public static let vulnerability = PlatformCheckType("VulnerabilityCheck", "vulnerabilityCheck")

    /// Every check type the v1 API defines.
    public static let allTypes: [PlatformCheckType] = [
        .alwaysDeny, .imageFreshness, .sigstoreSignature, .simpleSigningAttestation, .slsa, .trustedDirectory,
        .vulnerability,
    ]

    public var description: String { name }
}

/// Images must come from one of the trusted directories.
public struct TrustedDirectoryCheck: Hashable, Sendable, Codable {
    /// `registry/path/to/directory`, with a leading `*` in the registry's first label, or a trailing `/*` (one
    /// level) or `/**` (any depth).
    public var trustedDirPatterns: [String]

    /// Creates the check.
    public init(trustedDirPatterns: [String]) { self.trustedDirPatterns = trustedDirPatterns }

    enum CodingKeys: String, CodingKey, CaseIterable { case trustedDirPatterns }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        trustedDirPatterns = try c.decodeIfPresent([String].self, forKey: .trustedDirPatterns) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if !trustedDirPatterns.isEmpty { try c.encode(trustedDirPatterns, forKey: .trustedDirPatterns) }
    }
}

/// Images uploaded more than ``maxUploadAgeDays`` days ago are non-conformant.
public struct ImageFreshnessCheck: Hashable, Sendable, Codable {
    /// The greatest age, in days. Required; greater than zero.
    public var maxUploadAgeDays: Int32?

    /// Creates the check.
    public init(maxUploadAgeDays: Int32?) { self.maxUploadAgeDays = maxUploadAgeDays }

    enum CodingKeys: String, CodingKey, CaseIterable { case maxUploadAgeDays }
}

/// Requires a simple-signing attestation, signed over DSSE's PAE, by a key of one of the authenticators.
public struct SimpleSigningAttestationCheck: Hashable, Sendable, Codable {
    /// The trusted authenticators; any one verifying one attestation is enough. Required.
    public var attestationAuthenticators: [AttestationAuthenticator]
    /// The projects whose attestation occurrences count (`projects/ID`, at most 10); empty means the policy's.
    public var containerAnalysisAttestationProjects: [String]

    /// Creates the check.
    public init(
        attestationAuthenticators: [AttestationAuthenticator], containerAnalysisAttestationProjects: [String] = []
    ) {
        self.attestationAuthenticators = attestationAuthenticators
        self.containerAnalysisAttestationProjects = containerAnalysisAttestationProjects
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case attestationAuthenticators, containerAnalysisAttestationProjects
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        attestationAuthenticators =
            try c.decodeIfPresent([AttestationAuthenticator].self, forKey: .attestationAuthenticators) ?? []
        containerAnalysisAttestationProjects =
            try c.decodeIfPresent([String].self, forKey: .containerAnalysisAttestationProjects) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if !attestationAuthenticators.isEmpty {
            try c.encode(attestationAuthenticators, forKey: .attestationAuthenticators)
        }
        if !containerAnalysisAttestationProjects.isEmpty {
            try c.encode(containerAnalysisAttestationProjects, forKey: .containerAnalysisAttestationProjects)
        }
    }
}

/// A set of PKIX keys trusted to sign attestations.
public struct AttestationAuthenticator: Hashable, Sendable, Codable {
    /// A name for people.
    public var displayName: String?
    /// The keys; any one is enough. Required.
    public var pkixPublicKeySet: PkixPublicKeySet?

    /// Creates an authenticator.
    public init(displayName: String? = nil, pkixPublicKeySet: PkixPublicKeySet?) {
        self.displayName = displayName
        self.pkixPublicKeySet = pkixPublicKeySet
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case displayName, pkixPublicKeySet }
}

/// PKIX public keys, any one of which is sufficient.
public struct PkixPublicKeySet: Hashable, Sendable, Codable {
    /// The keys (the v1 `PkixPublicKey`: `publicKeyPem`, `signatureAlgorithm`, `keyId`). Required.
    public var pkixPublicKeys: [PKIXKeySpec]

    /// Creates a key set.
    public init(pkixPublicKeys: [PKIXKeySpec]) { self.pkixPublicKeys = pkixPublicKeys }

    enum CodingKeys: String, CodingKey, CaseIterable { case pkixPublicKeys }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        pkixPublicKeys = try c.decodeIfPresent([PKIXKeySpec].self, forKey: .pkixPublicKeys) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if !pkixPublicKeys.isEmpty { try c.encode(pkixPublicKeys, forKey: .pkixPublicKeys) }
    }
}

/// Requires a cosign signature by a key of one of the authorities.
public struct SigstoreSignatureCheck: Hashable, Sendable, Codable {
    /// The trusted authorities; one verifying is enough. Required.
    public var sigstoreAuthorities: [SigstoreAuthority]

    /// Creates the check.
    public init(sigstoreAuthorities: [SigstoreAuthority]) { self.sigstoreAuthorities = sigstoreAuthorities }

    enum CodingKeys: String, CodingKey, CaseIterable { case sigstoreAuthorities }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        sigstoreAuthorities = try c.decodeIfPresent([SigstoreAuthority].self, forKey: .sigstoreAuthorities) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if !sigstoreAuthorities.isEmpty { try c.encode(sigstoreAuthorities, forKey: .sigstoreAuthorities) }
    }
}

/// A cosign signing authority.
public struct SigstoreAuthority: Hashable, Sendable, Codable {
    /// A name for people.
    public var displayName: String?
    /// The authority's keys. Required.
    public var publicKeySet: SigstorePublicKeySet?

    /// Creates an authority.
    public init(displayName: String? = nil, publicKeySet: SigstorePublicKeySet?) {
        self.displayName = displayName
        self.publicKeySet = publicKeySet
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case displayName, publicKeySet }
}

/// Cosign public keys, any one of which is sufficient.
public struct SigstorePublicKeySet: Hashable, Sendable, Codable {
    /// The keys. Required.
    public var publicKeys: [SigstorePublicKey]

    /// Creates a key set.
    public init(publicKeys: [SigstorePublicKey]) { self.publicKeys = publicKeys }

    enum CodingKeys: String, CodingKey, CaseIterable { case publicKeys }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        publicKeys = try c.decodeIfPresent([SigstorePublicKey].self, forKey: .publicKeys) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if !publicKeys.isEmpty { try c.encode(publicKeys, forKey: .publicKeys) }
    }
}

/// One cosign public key.
public struct SigstorePublicKey: Hashable, Sendable, Codable {
    /// The key in PEM.
    public var publicKeyPEM: String?

    /// Creates a key.
    public init(publicKeyPEM: String?) { self.publicKeyPEM = publicKeyPEM }

    enum CodingKeys: String, CodingKey, CaseIterable { case publicKeyPEM = "publicKeyPem" }
}

/// Requires SLSA provenance satisfying any one of the rules.
public struct SlsaCheck: Hashable, Sendable, Codable {
    /// The rules; one satisfied is enough.
    public var rules: [VerificationRule]

    /// Creates the check.
    public init(rules: [VerificationRule]) { self.rules = rules }

    enum CodingKeys: String, CodingKey, CaseIterable { case rules }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        rules = try c.decodeIfPresent([VerificationRule].self, forKey: .rules) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if !rules.isEmpty { try c.encode(rules, forKey: .rules) }
    }
}

/// One SLSA rule: a trusted builder, where to find its provenance, and constraints on it.
public struct VerificationRule: Hashable, Sendable, Codable {
    /// The builder whose provenance counts.
    public var trustedBuilder: TrustedBuilder?
    /// Where provenance occurrences are stored.
    public var attestationSource: AttestationSource?
    /// Whether the build must come from a top-level configuration.
    public var configBasedBuildRequired: Bool?
    /// Source repositories the build may come from (scheme ignored; exact, `/*`, `/**`).
    public var trustedSourceRepoPatterns: [String]
    /// A CEL expression over the provenance (not evaluated offline).
    public var customConstraints: String?

    /// Creates a rule.
    public init(
        trustedBuilder: TrustedBuilder? = nil, attestationSource: AttestationSource? = nil,
        configBasedBuildRequired: Bool? = nil, trustedSourceRepoPatterns: [String] = [],
        customConstraints: String? = nil
    ) {
        self.trustedBuilder = trustedBuilder
        self.attestationSource = attestationSource
        self.configBasedBuildRequired = configBasedBuildRequired
        self.trustedSourceRepoPatterns = trustedSourceRepoPatterns
        self.customConstraints = customConstraints
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case attestationSource, configBasedBuildRequired, customConstraints, trustedBuilder, trustedSourceRepoPatterns
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        trustedBuilder = try c.decodeIfPresent(TrustedBuilder.self, forKey: .trustedBuilder)
        attestationSource = try c.decodeIfPresent(AttestationSource.self, forKey: .attestationSource)
        configBasedBuildRequired = try c.decodeIfPresent(Bool.self, forKey: .configBasedBuildRequired)
        trustedSourceRepoPatterns = try c.decodeIfPresent([String].self, forKey: .trustedSourceRepoPatterns) ?? []
        customConstraints = try c.decodeIfPresent(String.self, forKey: .customConstraints)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(attestationSource, forKey: .attestationSource)
        try c.encodeIfPresent(configBasedBuildRequired, forKey: .configBasedBuildRequired)
        try c.encodeIfPresent(customConstraints, forKey: .customConstraints)
        try c.encodeIfPresent(trustedBuilder, forKey: .trustedBuilder)
        if !trustedSourceRepoPatterns.isEmpty {
            try c.encode(trustedSourceRepoPatterns, forKey: .trustedSourceRepoPatterns)
        }
    }
}

/// Where attestations are stored: Container Analysis projects.
public struct AttestationSource: Hashable, Sendable, Codable {
    /// `projects/ID`, at most 10.
    public var containerAnalysisAttestationProjects: [String]

    /// Creates a source.
    public init(containerAnalysisAttestationProjects: [String]) {
        self.containerAnalysisAttestationProjects = containerAnalysisAttestationProjects
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case containerAnalysisAttestationProjects }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        containerAnalysisAttestationProjects =
            try c.decodeIfPresent([String].self, forKey: .containerAnalysisAttestationProjects) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if !containerAnalysisAttestationProjects.isEmpty {
            try c.encode(containerAnalysisAttestationProjects, forKey: .containerAnalysisAttestationProjects)
        }
    }
}

/// Limits on the vulnerabilities an image may have.
public struct VulnerabilityCheck: Hashable, Sendable, Codable {
    /// The highest severity allowed for vulnerabilities with a fix. Required.
    public var maximumFixableSeverity: MaximumAllowedSeverity?
    /// The highest severity allowed for vulnerabilities without a fix. Required.
    public var maximumUnfixableSeverity: MaximumAllowedSeverity?
    /// CVEs ignored whatever their severity.
    public var allowedCves: [String]
    /// CVEs that always violate.
    public var blockedCves: [String]
    /// The projects whose vulnerability occurrences count (`projects/ID`, at most 10).
    public var containerAnalysisVulnerabilityProjects: [String]

    /// Creates the check.
    public init(
        maximumFixableSeverity: MaximumAllowedSeverity?, maximumUnfixableSeverity: MaximumAllowedSeverity?,
        allowedCves: [String] = [], blockedCves: [String] = [], containerAnalysisVulnerabilityProjects: [String] = []
    ) {
        self.maximumFixableSeverity = maximumFixableSeverity
        self.maximumUnfixableSeverity = maximumUnfixableSeverity
        self.allowedCves = allowedCves
        self.blockedCves = blockedCves
        self.containerAnalysisVulnerabilityProjects = containerAnalysisVulnerabilityProjects
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case allowedCves, blockedCves, containerAnalysisVulnerabilityProjects, maximumFixableSeverity
        case maximumUnfixableSeverity
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        maximumFixableSeverity = try c.decodeIfPresent(MaximumAllowedSeverity.self, forKey: .maximumFixableSeverity)
        maximumUnfixableSeverity = try c.decodeIfPresent(
            MaximumAllowedSeverity.self, forKey: .maximumUnfixableSeverity)
        allowedCves = try c.decodeIfPresent([String].self, forKey: .allowedCves) ?? []
        blockedCves = try c.decodeIfPresent([String].self, forKey: .blockedCves) ?? []
        containerAnalysisVulnerabilityProjects =
            try c.decodeIfPresent([String].self, forKey: .containerAnalysisVulnerabilityProjects) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if !allowedCves.isEmpty { try c.encode(allowedCves, forKey: .allowedCves) }
        if !blockedCves.isEmpty { try c.encode(blockedCves, forKey: .blockedCves) }
        if !containerAnalysisVulnerabilityProjects.isEmpty {
            try c.encode(containerAnalysisVulnerabilityProjects, forKey: .containerAnalysisVulnerabilityProjects)
        }
        try c.encodeIfPresent(maximumFixableSeverity, forKey: .maximumFixableSeverity)
        try c.encodeIfPresent(maximumUnfixableSeverity, forKey: .maximumUnfixableSeverity)
    }
}

/// The v1 `VerificationRule.TrustedBuilderValueValuesEnum`.
public struct TrustedBuilder: APIEnum {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `BUILDER_UNSPECIFIED`.
    public static let unspecified = TrustedBuilder(rawValue: "BUILDER_UNSPECIFIED")
    /// `GOOGLE_CLOUD_BUILD`: the whole Google Cloud Build builder group.
    public static let googleCloudBuild = TrustedBuilder(rawValue: "GOOGLE_CLOUD_BUILD")

    public static let knownValues: [TrustedBuilder] = [.unspecified, .googleCloudBuild]
}

/// The v1 vulnerability-check severity thresholds, in the API's order (numbers 0…7).
public struct MaximumAllowedSeverity: APIEnum {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// `MAXIMUM_ALLOWED_SEVERITY_UNSPECIFIED`.
    public static let unspecified = MaximumAllowedSeverity(rawValue: "MAXIMUM_ALLOWED_SEVERITY_UNSPECIFIED")
    /// `BLOCK_ALL`: any vulnerability violates.
    public static let blockAll = MaximumAllowedSeverity(rawValue: "BLOCK_ALL")
    /// `MINIMAL`.
    public static let minimal = MaximumAllowedSeverity(rawValue: "MINIMAL")
    /// `LOW`.
    public static let low = MaximumAllowedSeverity(rawValue: "LOW")
    /// `MEDIUM`.
    public static let medium = MaximumAllowedSeverity(rawValue: "MEDIUM")
    /// `HIGH`.
    public static let high = MaximumAllowedSeverity(rawValue: "HIGH")
    /// `CRITICAL`.
    public static let critical = MaximumAllowedSeverity(rawValue: "CRITICAL")
    /// `ALLOW_ALL`: nothing violates, even a vulnerability of unspecified severity.
    public static let allowAll = MaximumAllowedSeverity(rawValue: "ALLOW_ALL")

    public static let knownValues: [MaximumAllowedSeverity] = [
        .unspecified, .blockAll, .minimal, .low, .medium, .high, .critical, .allowAll,
    ]
}

/// The Cloud Run part of a platform policy (read and written, not evaluated).
public struct InlineCloudRunPolicy: Hashable, Sendable, Codable {
    /// Images always allowed.
    public var allowlistPatterns: [AdmissionWhitelistPattern]
    /// The rule for every other image.
    public var rule: CloudRunEvaluationRule?

    /// Creates a Cloud Run policy.
    public init(allowlistPatterns: [AdmissionWhitelistPattern] = [], rule: CloudRunEvaluationRule?) {
        self.allowlistPatterns = allowlistPatterns
        self.rule = rule
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case allowlistPatterns, rule }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        allowlistPatterns = try c.decodeIfPresent([AdmissionWhitelistPattern].self, forKey: .allowlistPatterns) ?? []
        rule = try c.decodeIfPresent(CloudRunEvaluationRule.self, forKey: .rule)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        if !allowlistPatterns.isEmpty { try c.encode(allowlistPatterns, forKey: .allowlistPatterns) }
        try c.encodeIfPresent(rule, forKey: .rule)
    }
}

/// The v1 `EvaluationRule` of a Cloud Run policy.
public struct CloudRunEvaluationRule: Hashable, Sendable, Codable {
    /// How images are evaluated.
    public var evaluationMode: EvaluationMode?
    /// What a denial does.
    public var enforcementMode: EnforcementMode?
    /// The attestors required with `REQUIRE_ATTESTATION`.
    public var requiredAttestors: [InlineAttestor]

    /// Creates a rule.
    public init(
        evaluationMode: EvaluationMode?, enforcementMode: EnforcementMode? = nil,
        requiredAttestors: [InlineAttestor] = []
    ) {
        self.evaluationMode = evaluationMode
        self.enforcementMode = enforcementMode
        self.requiredAttestors = requiredAttestors
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case enforcementMode, evaluationMode, requiredAttestors }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        evaluationMode = try c.decodeIfPresent(EvaluationMode.self, forKey: .evaluationMode)
        enforcementMode = try c.decodeIfPresent(EnforcementMode.self, forKey: .enforcementMode)
        requiredAttestors = try c.decodeIfPresent([InlineAttestor].self, forKey: .requiredAttestors) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(enforcementMode, forKey: .enforcementMode)
        try c.encodeIfPresent(evaluationMode, forKey: .evaluationMode)
        if !requiredAttestors.isEmpty { try c.encode(requiredAttestors, forKey: .requiredAttestors) }
    }
}

/// An attestor defined inside a Cloud Run policy.
public struct InlineAttestor: Hashable, Sendable, Codable {
    /// Unique within the policy.
    public var id: String?
    /// `projects/P/notes/N`.
    public var attestationNote: String?
    /// A free-form description.
    public var description: String?
    /// The attestor's keys.
    public var publicKeys: [AttestorPublicKey]

    /// Creates an inline attestor.
    public init(
        id: String?, attestationNote: String?, description: String? = nil, publicKeys: [AttestorPublicKey] = []
    ) {
        self.id = id
        self.attestationNote = attestationNote
        self.description = description
        self.publicKeys = publicKeys
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case attestationNote, description, id, publicKeys }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(String.self, forKey: .id)
        attestationNote = try c.decodeIfPresent(String.self, forKey: .attestationNote)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        publicKeys = try c.decodeIfPresent([AttestorPublicKey].self, forKey: .publicKeys) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encodeIfPresent(attestationNote, forKey: .attestationNote)
        try c.encodeIfPresent(description, forKey: .description)
        try c.encodeIfPresent(id, forKey: .id)
        if !publicKeys.isEmpty { try c.encode(publicKeys, forKey: .publicKeys) }
    }
}
