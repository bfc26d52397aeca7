// SPDX-License-Identifier: Apache-2.0

/// A platform-policy file as `gcloud beta container binauthz policy create|update --policy-file F` reads it: the
/// policy the service receives, the exact request body, and the warnings gcloud prints.
public struct PlatformPolicyFile: Sendable {
    /// The policy as the service receives it.
    public let policy: PlatformPolicy
    /// What gcloud prints as warnings while it reads the file (repeated YAML keys, …).
    public let warnings: [String]
    /// The request body as a tree, members in field-number order.
    package let body: TreeNode

    /// The exact body gcloud sends (`encoding.MessageToJson`: keys sorted, `", "` and `": "` separators).
    public var requestBody: String { PythonValue.jsonDumps(body) }

    /// The policy as `gcloud beta container binauthz policy describe` prints it once stored (YAML, keys sorted).
    public var gcloudYAML: String { GcloudYAMLWriter.write(body, exact: true) }
}

extension PlatformPolicy {
    /// The apitools schema of the v1 `PlatformPolicy` message, as gcloud 528 generates it (fields in field-number
    /// order, which apitools makes alphabetical).
    package static let protoType: ProtoMessageType = {
        let allowlist = ProtoMessageType(name: "ImageAllowlist", fields: [.string("allowPattern", repeated: true)])
        let scope = ProtoMessageType(
            name: "Scope", fields: [.string("kubernetesNamespace"), .string("kubernetesServiceAccount")])
        let pkixKey = ProtoMessageType(
            name: "PkixPublicKey",
            fields: [
                .string("keyId"), .string("publicKeyPem"),
                .enumeration("signatureAlgorithm", SignatureAlgorithm.knownValues.map(\.rawValue)),
            ])
        let authenticator = ProtoMessageType(
            name: "AttestationAuthenticator",
            fields: [
                .string("displayName"),
                .message(
                    "pkixPublicKeySet",
                    ProtoMessageType(
                        name: "PkixPublicKeySet", fields: [.message("pkixPublicKeys", pkixKey, repeated: true)])),
            ])
        let sigstoreAuthority = ProtoMessageType(
            name: "SigstoreAuthority",
            fields: [
                .string("displayName"),
                .message(
                    "publicKeySet",
                    ProtoMessageType(
                        name: "SigstorePublicKeySet",
                        fields: [
                            .message(
                                "publicKeys",
                                ProtoMessageType(name: "SigstorePublicKey", fields: [.string("publicKeyPem")]),
                                repeated: true)
                        ])),
            ])
        let projects = ProtoMessageType(
            name: "AttestationSource", fields: [.string("containerAnalysisAttestationProjects", repeated: true)])
        let rule = ProtoMessageType(
            name: "VerificationRule",
            fields: [
                .message("attestationSource", projects), .boolean("configBasedBuildRequired"),
                .string("customConstraints"),
                .enumeration("trustedBuilder", TrustedBuilder.knownValues.map(\.rawValue)),
                .string("trustedSourceRepoPatterns", repeated: true),
            ])
        let severities = MaximumAllowedSeverity.knownValues.map(\.rawValue)
        let check = ProtoMessageType(
            name: "Check",
            fields: [
                .boolean("alwaysDeny"), .string("displayName"), .message("imageAllowlist", allowlist),
                .message(
                    "imageFreshnessCheck",
                    ProtoMessageType(name: "ImageFreshnessCheck", fields: [.integer("maxUploadAgeDays")])),
                .message(
                    "sigstoreSignatureCheck",
                    ProtoMessageType(
                        name: "SigstoreSignatureCheck",
                        fields: [.message("sigstoreAuthorities", sigstoreAuthority, repeated: true)])),
                .message(
                    "simpleSigningAttestationCheck",
                    ProtoMessageType(
                        name: "SimpleSigningAttestationCheck",
                        fields: [
                            .message("attestationAuthenticators", authenticator, repeated: true),
                            .string("containerAnalysisAttestationProjects", repeated: true),
                        ])),
                .message(
                    "slsaCheck", ProtoMessageType(name: "SlsaCheck", fields: [.message("rules", rule, repeated: true)])),
                .message(
                    "trustedDirectoryCheck",
                    ProtoMessageType(
                        name: "TrustedDirectoryCheck", fields: [.string("trustedDirPatterns", repeated: true)])),
                .message(
                    "vulnerabilityCheck",
                    ProtoMessageType(
                        name: "VulnerabilityCheck",
                        fields: [
                            .string("allowedCves", repeated: true), .string("blockedCves", repeated: true),
                            .string("containerAnalysisVulnerabilityProjects", repeated: true),
                            .enumeration("maximumFixableSeverity", severities),
                            .enumeration("maximumUnfixableSeverity", severities),
                        ])),
            ])
        let checkSet = ProtoMessageType(
            name: "CheckSet",
            fields: [
                .message("checks", check, repeated: true), .string("displayName"),
                .message("imageAllowlist", allowlist), .message("scope", scope),
            ])
        let gke = ProtoMessageType(
            name: "GkePolicy",
            fields: [.message("checkSets", checkSet, repeated: true), .message("imageAllowlist", allowlist)])
        let attestorKey = ProtoMessageType(
            name: "AttestorPublicKey",
            fields: [
                .string("asciiArmoredPgpPublicKey"), .string("comment"), .string("id"),
                .message("pkixPublicKey", pkixKey),
            ])
        let inlineAttestor = ProtoMessageType(
            name: "InlineAttestor",
            fields: [
                .string("attestationNote"), .string("description"), .string("id"),
                .message("publicKeys", attestorKey, repeated: true),
            ])
        let evaluationRule = ProtoMessageType(
            name: "EvaluationRule",
            fields: [
                .enumeration("enforcementMode", EnforcementMode.knownValues.map(\.rawValue)),
                .enumeration("evaluationMode", EvaluationMode.knownValues.map(\.rawValue)),
                .message("requiredAttestors", inlineAttestor, repeated: true),
            ])
        let cloudRun = ProtoMessageType(
            name: "InlineCloudRunPolicy",
            fields: [
                .message(
                    "allowlistPatterns", ProtoMessageType(name: "AllowlistPattern", fields: [.string("namePattern")]),
                    repeated: true),
                .message("rule", evaluationRule),
            ])
        return ProtoMessageType(
            name: "PlatformPolicy",
            fields: [
                .message("cloudRunPolicy", cloudRun), .string("description"), .string("etag"),
                .message("gkePolicy", gke), .string("name"), .string("updateTime"),
            ])
    }()

    /// Reads a platform-policy file exactly as `gcloud beta container binauthz policy create ID --platform=gke
    /// --policy-file=FILE` does (`parsing.LoadResourceFile`, then `DictToMessageWithErrorCheck(…, PlatformPolicy)`).
    ///
    /// - Parameters:
    ///   - contents: The file's bytes.
    ///   - fileName: The file's name: `.json` is read as JSON, `.yaml` and `.yml` as YAML 1.1 (compared
    ///     case-sensitively); anything else is refused with gcloud's `Input file [F] not of type YAML or JSON`.
    ///     `nil` (standard input) sniffs the format.
    ///   - limits: Bounds on the input (``InputLimits/default``).
    /// - Throws: ``ModelError`` with gcloud's text where gcloud refuses the file (`Failed to parse value(s) in
    ///   protobuf [PlatformPolicy]:\n  PlatformPolicy.gkePolicy.checkSets[0].checks[0].imageApprovalAttestationCheck`),
    ///   and ``ModelError/Code/gcloudFailure`` where gcloud itself crashes.
    public static func gcloudCreate(
        contents: some Collection<UInt8>, fileName: String?, limits: InputLimits = .default
    ) throws(ModelError) -> PlatformPolicyFile {
        var format: ResourceFormat?
        if let fileName {
            guard let known = ResourceFormat(gcloudFileName: fileName) else {
                throw ModelError(
                    code: .unsupportedFileType,
                    message: "Input file [\(fileName)] not of type YAML or JSON")
            }
            format = known
        }
        let text = try GcloudResourceFile.text(contents, limits: limits)
        return try gcloudCreate(text: text, format: format ?? ResourceFormat.detect(text), limits: limits)
    }

    /// Reads platform-policy text in a known format as gcloud's `policy create --policy-file` does.
    public static func gcloudCreate(text: String, format: ResourceFormat, limits: InputLimits = .default)
        throws(ModelError) -> PlatformPolicyFile
    {
        let read = try GcloudResourceFile.load(text: text, format: format, limits: limits)
        guard let root = read.root else {
            // DictToMessage(None, …) raises in apitools; gcloud reports it as a crash.
            throw ModelError(
                code: .gcloudFailure,
                message: "the policy file is empty; gcloud crashes on it (AttributeError: 'NoneType' object has no "
                    + "attribute 'items'); binauthz refuses it")
        }
        let message: ProtoMessage
        do {
            message = try ApitoolsDecoder.decode(root, as: protoType)
        } catch {
            throw error.modelError(typeName: "PlatformPolicy")
        }
        let policy = try TreeDecoder().decode(PlatformPolicy.self, from: message.json)
        return PlatformPolicyFile(policy: policy, warnings: read.warnings, body: message.json)
    }

    /// The policy as `gcloud beta container binauthz policy describe` prints it (YAML, keys sorted, empty lists
    /// left out).
    public var gcloudYAML: String { GcloudYAMLWriter.write(TreeEncoder.encode(self), exact: true) }

    /// The policy as REST JSON (`encoding.MessageToJson`: keys sorted, `", "` and `": "` separators).
    public var jsonString: String { PythonValue.jsonDumps(TreeEncoder.encode(self)) }
}
