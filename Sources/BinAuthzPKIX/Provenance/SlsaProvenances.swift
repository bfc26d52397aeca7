// SPDX-License-Identifier: Apache-2.0

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import BinAuthzModel
import BinAuthzPayload
import BinAuthzPolicy

/// SLSA provenance as evidence for platform policies' `slsaCheck`, verified the way slsa-verifier verifies Google
/// Cloud Build provenance.
///
/// An image conforms when one rule of the check is satisfied (the API: "compliant … if any of the rules are
/// satisfied"), and a rule is satisfied by one `BUILD` occurrence for the image's digest that passes every step:
///
/// 1. the occurrence is stored in one of the rule's `attestationSource` projects (when it lists any);
/// 2. `kind` is `BUILD`, `resourceUri` ends with the image's digest, and a describe output's `image_summary` names it;
/// 3. the envelope's `payloadType` is `application/vnd.in-toto+json` and a signature whose `keyid` is a trusted key
///    verifies (ECDSA P-256 over SHA-256 of DSSE's PAE for the global keys, of the payload itself for the regional
///    `builtByGCB` keys);
/// 4. the statement is an in-toto statement of the key's predicate type, its builder is Cloud Build's
///    (`…/GoogleHostedWorker@v0.2`, `@v0.3` for SLSA v0.1; `…/GoogleHostedWorker` for v1) with the build type
///    that builder writes, and a subject's `sha256` is the image's digest;
/// 5. the source repository matches one of `trustedSourceRepoPatterns` (when given), and with
///    `configBasedBuildRequired` the build ran from a configuration file in that repository.
///
/// `customConstraints` (CEL) is not evaluated offline: such a rule is `ERROR`, never satisfied in silence. A rule
/// whose `trustedBuilder` is not `GOOGLE_CLOUD_BUILD` is `ERROR` too. No provenance that passes: `NON_CONFORMANT`.
///
/// ```swift
/// let provenance = try BuildProvenance.readAll(text: describeShowProvenanceJSON)
/// let evaluator = try PlatformPolicyEvaluator(policy: policy, checkEvaluators: [SlsaProvenances(provenance)])
/// ```
public struct SlsaProvenances: PlatformCheckEvaluator {
    /// The provenance given.
    public let provenances: [BuildProvenance]
    /// The keys trusted as Cloud Build's.
    public let builderKeys: CloudBuildProvenanceKeys
    private let verifiers: [String: (key: CloudBuildProvenanceKey, verifier: PKIXVerifier)]
    private let byDigest: [String: [BuildProvenance]]
    /// Keys given that cannot verify anything (not an ECDSA P-256 PEM), named in explanations.
    private let unusableKeys: [String]
    private let limits: InputLimits

    /// The in-toto payload type.
    public static let inTotoPayloadType = "application/vnd.in-toto+json"

    /// Collects provenance; `builderKeys` replaces the bundled Cloud Build keys.
    public init(
        _ provenances: [BuildProvenance], builderKeys: CloudBuildProvenanceKeys = .bundled,
        limits: InputLimits = .default
    ) {
        self.provenances = provenances
        self.builderKeys = builderKeys
        self.limits = limits
        var verifiers: [String: (CloudBuildProvenanceKey, PKIXVerifier)] = [:]
        var problems: [String] = []
        for key in builderKeys.keys {
            do {
                let verifier = try PKIXVerifier(
                    publicKeyPEM: key.publicKeyPEM, algorithm: .ecdsaP256SHA256, limits: limits)
                verifiers[key.keyID] = (key, verifier)
            } catch {
                problems.append("\(key.keyID): \(error.message)")
            }
        }
        self.verifiers = verifiers
        var byDigest: [String: [BuildProvenance]] = [:]
        for provenance in provenances {
            guard let uri = provenance.resourceURI, let range = uri.ranges(of: "@sha256:").last else { continue }
            byDigest[String(uri[range.upperBound...]), default: []].append(provenance)
        }
        self.byDigest = byDigest
        self.unusableKeys = problems
    }

    public var checkType: PlatformCheckType { .slsa }

    public func evaluate(_ check: Check, image: String, pod: KubernetesWorkload, at time: Date) throws
        -> PlatformCheckOutcome
    {
        guard let slsa = check.slsaCheck else { return .error("the check has no slsaCheck") }
        guard !slsa.rules.isEmpty else { return .error("the slsaCheck has no rules") }
        guard let at = image.lastIndex(of: "@"), image[image.index(after: at)...].hasPrefix("sha256:") else {
            return .nonConformant("Image \(image) is not referenced by a sha256 digest, so no provenance can be for it")
        }
        let hex = String(image[image.index(after: at)...].dropFirst(7))
        let candidates = byDigest[hex] ?? []
        var errors: [String] = []
        var reasons: [String] = []
        // The envelope of each candidate is verified once, whatever the number of rules.
        var envelopes: [Int: Result<(Statement, String), Reason>] = [:]
        var checks = 0
        for (index, rule) in slsa.rules.enumerated() {
            guard rule.trustedBuilder == .googleCloudBuild else {
                errors.append(
                    "rule \(index): trustedBuilder \(rule.trustedBuilder?.rawValue ?? "(none)") cannot be "
                        + "verified offline (only GOOGLE_CLOUD_BUILD)")
                continue
            }
            if let constraints = rule.customConstraints, !constraints.isEmpty {
                errors.append("rule \(index): customConstraints (CEL) are not evaluated offline")
                continue
            }
            let projects = Set(
                (rule.attestationSource?.containerAnalysisAttestationProjects ?? []).compactMap(Self.project))
            for (position, provenance) in candidates.enumerated() {
                if !projects.isEmpty {
                    guard let project = provenance.name.flatMap(Self.project), projects.contains(project) else {
                        reasons.append(
                            "rule \(index): occurrence \(provenance.name ?? "(no name)") is not in attestationSource")
                        continue
                    }
                }
                let envelope: Result<(Statement, String), Reason>
                if let known = envelopes[position] {
                    envelope = known
                } else {
                    envelope = verifyEnvelope(provenance, hex: hex, checks: &checks)
                    envelopes[position] = envelope
                    if checks > limits.maximumSignatureChecksPerDecision {
                        return .error(
                            "more than \(limits.maximumSignatureChecksPerDecision) provenance signature checks for one "
                                + "image (InputLimits.maximumSignatureChecksPerDecision)")
                    }
                }
                switch envelope.flatMap({ statement, keyID in
                    statement.satisfies(rule, hex: hex).map { "\($0), signed by \(keyID)" }
                }) {
                case .success(let description):
                    return .conformant("Image has SLSA provenance satisfying rule \(index): \(description)")
                case .failure(let reason):
                    reasons.append("rule \(index): \(reason.text)")
                }
            }
        }
        if !errors.isEmpty {
            return .error(
                (errors + reasons.prefix(3)).joined(separator: "; ")
                    + "; no rule that can be evaluated offline is satisfied")
        }
        if candidates.isEmpty {
            return .nonConformant(
                "No SLSA provenance for sha256:\(hex) was given"
                    + (provenances.isEmpty ? " (give BUILD occurrences with --provenance-file)" : ""))
        }
        let unique = reasons.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        return .nonConformant(
            "No SLSA provenance for sha256:\(hex) satisfies a rule: " + unique.prefix(5).joined(separator: "; "))
    }

    struct Reason: Error { let text: String }

    private static func project(_ name: String) -> String? {
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0] == "projects", !parts[1].isEmpty else { return nil }
        return String(parts[1])
    }

    /// Everything about one occurrence that no rule changes: its kind and summary, the envelope's type and a
    /// trusted signature, the statement. `checks` counts the signatures verified.
    private func verifyEnvelope(_ provenance: BuildProvenance, hex: String, checks: inout Int)
        -> Result<(Statement, String), Reason>
    {
        guard provenance.kind == "BUILD" else {
            return .failure(Reason(text: "kind is \(provenance.kind ?? "(none)"), not BUILD"))
        }
        if provenance.imageSummary.contains(where: { !$0.hasSuffix("sha256:" + hex) }) {
            return .failure(Reason(text: "image_summary names another digest"))
        }
        guard provenance.payloadType == Self.inTotoPayloadType else {
            return .failure(
                Reason(text: "payloadType is \(provenance.payloadType ?? "(none)"), not \(Self.inTotoPayloadType)"))
        }
        guard let payload = provenance.payload else {
            return .failure(Reason(text: "the envelope's payload is missing, empty or not base64"))
        }
        var last = Reason(
            text: "no signature by a trusted Cloud Build key"
                + (unusableKeys.isEmpty ? "" : " (unusable builder keys: \(unusableKeys.joined(separator: "; ")))"))
        for signature in provenance.signatures {
            guard let keyID = signature.keyID, let (key, verifier) = verifiers[keyID] else { continue }
            guard let bytes = signature.signature else {
                last = Reason(text: "the signature by \(keyID) is not base64")
                continue
            }
            checks += 1
            let signed =
                key.signsPAE
                ? DSSE.preAuthenticationEncoding(payloadType: Self.inTotoPayloadType, payload: payload) : payload
            guard verifier.verify(signature: bytes, payload: signed) == .verified else {
                last = Reason(text: "the signature by \(keyID) does not verify")
                continue
            }
            switch Statement.parse(payload, predicateType: key.predicateType, limits: limits) {
            case .failure(let reason):
                last = reason
            case .success(let statement):
                return .success((statement, keyID))
            }
        }
        return .failure(last)
    }
}

/// The parts of a Cloud Build provenance statement the check reads.
struct Statement {
    var builderID: String
    var buildType: String
    var sourceURI: String?
    var isConfigBased: Bool
    var subjects: [String]
    var isV1: Bool
    var recipeArgumentsType: String?

    static let v01Builders = [
        "https://cloudbuild.googleapis.com/GoogleHostedWorker@v0.2",
        "https://cloudbuild.googleapis.com/GoogleHostedWorker@v0.3",
    ]
    static let v1Builder = "https://cloudbuild.googleapis.com/GoogleHostedWorker"
    static let v1BuildType = "https://cloud.google.com/build/gcb-buildtypes/google-worker/v1"

    static func parse(_ payload: [UInt8], predicateType: String, limits: InputLimits) -> Result<
        Statement, SlsaProvenances.Reason
    > {
        typealias Reason = SlsaProvenances.Reason
        guard let root = try? JSONTreeParser.parse(payload, limits: limits) else {
            return .failure(Reason(text: "the payload is not JSON"))
        }
        func text(_ node: TreeNode?, _ path: [String]) -> String? {
            var current = node
            for key in path { current = current?.field(key) }
            return current?.stringValue
        }
        guard let type = text(root, ["_type"]),
            ["https://in-toto.io/Statement/v0.1", "https://in-toto.io/Statement/v1"].contains(type)
        else { return .failure(Reason(text: "the payload is not an in-toto statement")) }
        guard text(root, ["predicateType"]) == predicateType else {
            return .failure(Reason(text: "the predicate type is not \(predicateType)"))
        }
        var subjects: [String] = []
        if case .list(let items)? = root.field("subject")?.value {
            for item in items {
                guard let digest = text(item, ["digest", "sha256"]) else {
                    return .failure(Reason(text: "a subject has no sha256 digest"))
                }
                subjects.append(digest)
            }
        }
        let predicate = root.field("predicate")
        if predicateType == CloudBuildProvenanceKey.slsaV1 {
            let source = predicate?.field("buildDefinition")?.field("externalParameters")?.field("buildConfigSource")
            let repository = text(source, ["repository"])
            return .success(
                Statement(
                    builderID: text(predicate, ["runDetails", "builder", "id"]) ?? "",
                    buildType: text(predicate, ["buildDefinition", "buildType"]) ?? "",
                    sourceURI: repository, isConfigBased: repository != nil && text(source, ["path"]) != nil,
                    subjects: subjects, isV1: true, recipeArgumentsType: nil))
        }
        var material: String?
        if case .list(let items)? = predicate?.field("materials")?.value, let first = items.first {
            material = text(first, ["uri"])
        }
        let recipeType = text(predicate, ["recipe", "type"]) ?? ""
        return .success(
            Statement(
                builderID: text(predicate, ["builder", "id"]) ?? "", buildType: recipeType, sourceURI: material,
                isConfigBased: recipeType.hasPrefix("https://cloudbuild.googleapis.com/CloudBuildYaml@")
                    || !(text(predicate, ["recipe", "entryPoint"]) ?? "").isEmpty,
                subjects: subjects, isV1: false,
                recipeArgumentsType: text(predicate, ["recipe", "arguments", "@type"])))
    }

    /// slsa-verifier's builder and build-type rules, the subject digest, then the rule's source and configuration.
    func satisfies(_ rule: VerificationRule, hex: String) -> Result<String, SlsaProvenances.Reason> {
        typealias Reason = SlsaProvenances.Reason
        if isV1 {
            guard builderID == Self.v1Builder else {
                return .failure(Reason(text: "builder \(builderID) is not Cloud Build's"))
            }
            guard buildType == Self.v1BuildType else {
                return .failure(Reason(text: "build type \(buildType) is not Cloud Build's"))
            }
        } else {
            guard Self.v01Builders.contains(builderID) else {
                return .failure(Reason(text: "builder \(builderID) is not Cloud Build's"))
            }
            let recipeOK =
                builderID.hasSuffix("@v0.2")
                ? buildType == builderID
                : buildType.hasPrefix("https://cloudbuild.googleapis.com/CloudBuildYaml@")
                    || buildType.hasPrefix("https://cloudbuild.googleapis.com/CloudBuildSteps@")
            guard recipeOK else {
                return .failure(Reason(text: "recipe type \(buildType) does not fit builder \(builderID)"))
            }
            guard recipeArgumentsType == "type.googleapis.com/google.devtools.cloudbuild.v1.Build" else {
                return .failure(Reason(text: "recipe arguments are not a Cloud Build v1 Build"))
            }
        }
        guard subjects.contains(hex) else {
            return .failure(Reason(text: "no subject has the image's digest"))
        }
        let repository = sourceURI.map(SourceRepository.normalize)
        if !rule.trustedSourceRepoPatterns.isEmpty {
            guard let repository else { return .failure(Reason(text: "the provenance names no source repository")) }
            guard rule.trustedSourceRepoPatterns.contains(where: { SourceRepository.matches(repository, pattern: $0) })
            else {
                return .failure(Reason(text: "source \(repository) matches no trustedSourceRepoPatterns"))
            }
        }
        if rule.configBasedBuildRequired == true && !isConfigBased {
            return .failure(Reason(text: "the build did not run from a configuration file (configBasedBuildRequired)"))
        }
        return .success("built by \(builderID) from \(repository ?? "an unnamed source")")
    }
}

/// `trustedSourceRepoPatterns`: repository URLs without their scheme, matched exactly, or with a trailing `*` (one
/// more path segment) or `**` (anything below) after a `/`.
enum SourceRepository {
    /// A provenance's source as a repository URL: `git+`, the scheme and user info removed, then a `#fragment`, an
    /// `@ref` and a trailing `/commit/<sha>` (Cloud Build's v0.2 materials).
    static func normalize(_ uri: String) -> String {
        var text = Substring(uri)
        if text.hasPrefix("git+") { text = text.dropFirst(4) }
        if let scheme = text.firstRange(of: "://") { text = text[scheme.upperBound...] }
        // User info (`git@` of an SSH URL) is not part of the repository.
        let host = text.prefix { $0 != "/" }
        if let at = host.lastIndex(of: "@") { text = text[text.index(after: at)...] }
        if let hash = text.firstIndex(of: "#") { text = text[..<hash] }
        if let at = text.lastIndex(of: "@"), !text[at...].contains("/") { text = text[..<at] }
        if let commit = text.ranges(of: "/commit/").last { text = text[..<commit.lowerBound] }
        return String(text)
    }

    /// Whether a repository URL is plain enough to match patterns by its text: no `.`, `..` or empty path segments,
    /// no percent-escapes, query, backslash, user info or whitespace. A URL that is not is matched by no pattern
    /// (`github.com/org/../evil` must not pass for `github.com/org/**`).
    static func isPlain(_ repository: String) -> Bool {
        let bytes = Array(repository.utf8)
        guard !bytes.isEmpty, bytes.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { return false }
        guard
            !bytes.contains(where: {
                [UInt8(ascii: "%"), UInt8(ascii: "?"), UInt8(ascii: "\\"), UInt8(ascii: "@")].contains($0)
            })
        else { return false }
        return repository.split(separator: "/", omittingEmptySubsequences: false).allSatisfy {
            !$0.isEmpty && $0 != "." && $0 != ".."
        }
    }

    static func matches(_ repositoryText: String, pattern patternText: String) -> Bool {
        guard isPlain(repositoryText) else { return false }
        // Compared as UTF-8 bytes: Character comparison would let a combining mark hide a "/".
        let repository = Array(repositoryText.utf8)
        let pattern = Array(patternText.utf8)
        if pattern.count >= 3, pattern.suffix(3).elementsEqual("/**".utf8) {
            let prefix = pattern.dropLast(2)
            return repository.starts(with: prefix) && repository.count > prefix.count
        }
        if pattern.count >= 2, pattern.suffix(2).elementsEqual("/*".utf8) {
            let prefix = pattern.dropLast(1)
            guard repository.starts(with: prefix) else { return false }
            let rest = repository.dropFirst(prefix.count)
            return !rest.isEmpty && !rest.contains(UInt8(ascii: "/"))
        }
        return repository == pattern
    }
}
