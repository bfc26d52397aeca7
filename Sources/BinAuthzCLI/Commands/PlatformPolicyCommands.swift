// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import BinAuthz
import BinAuthzModel
import BinAuthzPKIX
import BinAuthzPolicy
import Foundation
import _BinAuthzSystem

/// `binauthz platform-policy …`
struct PlatformPolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "platform-policy",
        abstract: "Validate and evaluate GKE platform policies offline, and audit a cluster as continuous validation.",
        discussion: """
            Platform policies (projects/P/platforms/gke/policies/ID, gkePolicy.checkSets) are what \
            `gcloud beta container binauthz policy create|evaluate` and continuous validation use; project \
            policies (projects/P/policy) are `binauthz policy …`.
            """,
        subcommands: [
            ValidatePlatformPolicy.self, EvaluatePlatformPolicy.self, EvaluateAndSignPlatformPolicy.self,
            AuditPlatformPolicy.self,
        ]
    )
}

/// `binauthz platform-policy validate --policy-file F`
struct ValidatePlatformPolicy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a platform policy as `gcloud beta container binauthz policy create` and the API would.",
        discussion: """
            Reads the file exactly as gcloud 528 does (.json as JSON, .yaml/.yml as YAML 1.1, anything else \
            refused; unknown fields refused with gcloud's DecodeError text), then checks every rule the API \
            states: check sets ordered most specific first and ending with an unscoped catch-all, one check type \
            and at most one scope per entry, maxUploadAgeDays > 0, at most 10 projects/ID, the trusted-directory \
            pattern grammar, required fields. Each problem is one line `path: message` on standard output.

            Exit status: 0 valid; 2 problems found; 1 the file cannot be read or gcloud would refuse it.
            """
    )

    @Option(
        name: .customLong("policy-file"), help: "The platform policy: .yaml, .yml or .json, or - for standard input.",
        completion: .file())
    var policyFile: String

    func run() throws {
        try ValidatePolicy.report(PlatformPolicyInput.read(policyFile).validate(), file: policyFile)
    }
}

/// The policy and evidence that `platform-policy evaluate` and `audit` share.
struct PlatformEvaluationInputs: ParsableArguments {
    @Option(
        name: .customLong("policy-file"), help: "The platform policy: .yaml, .yml or .json, or - for standard input.",
        completion: .file())
    var policyFile: String

    @Option(
        name: .customLong("attestation-file"),
        help: ArgumentHelp(
            "ATTESTATION occurrences for simpleSigningAttestationCheck: a file or a directory; repeatable.",
            discussion: """
                One occurrence, a list, or {"occurrences": [...]} (`gcloud container binauthz attestations list \
                --format=json`); a directory is read recursively (.json, .yaml, .yml).
                """), completion: .file())
    var attestationFiles: [String] = []

    @Option(
        name: .customLong("image-metadata-file"),
        help: ArgumentHelp(
            "Artifact Registry image metadata with upload times, for imageFreshnessCheck: a file or a directory.",
            discussion: """
                A DockerImage as the API returns it (uri, uploadTime), a saved dockerImages.list page, or what \
                `gcloud artifacts docker images list IMAGE_PATH --format=json` prints (package, version, \
                createTime); repeatable. (`gcloud artifacts docker images describe` prints no upload time.)
                """), completion: .file())
    var imageMetadataFiles: [String] = []

    @Option(
        name: .customLong("upload-time"),
        help: ArgumentHelp(
            "An image's upload time as IMAGE=TIME (RFC 3339), for imageFreshnessCheck; repeatable.",
            valueName: "IMAGE=TIME"))
    var uploadTimes: [String] = []

    @Option(
        name: .customLong("vulnerability-file"),
        help: ArgumentHelp(
            "Vulnerability scans for vulnerabilityCheck: a file or a directory; repeatable.",
            discussion: """
                What `gcloud artifacts docker images describe IMAGE --show-package-vulnerability --format=json` \
                prints, or VULNERABILITY and DISCOVERY occurrences (one, a list, or an occurrences.list page).
                """), completion: .file())
    var vulnerabilityFiles: [String] = []

    @Option(
        name: .customLong("sigstore-signature-file"),
        help: ArgumentHelp(
            "cosign signatures for sigstoreSignatureCheck: a file or a directory; repeatable.",
            discussion: """
                What `cosign download signature IMAGE` prints (JSON lines); a signature image (REPO:sha256-HEX.sig) \
                as an OCI layout or a dir: copy (`skopeo copy docker://REPO:sha256-HEX.sig oci:DIR`); a dir: image \
                with containers/image signature-N files; or a directory of download outputs (.json, .jsonl).
                """), completion: .file())
    var sigstoreSignatureFiles: [String] = []

    @Option(
        name: .customLong("provenance-file"),
        help: ArgumentHelp(
            "SLSA provenance for slsaCheck: a file or a directory; repeatable.",
            discussion: """
                What `gcloud artifacts docker images describe IMAGE --show-provenance --format=json` prints, or BUILD \
                occurrences (one, a list, or an occurrences.list page).
                """), completion: .file())
    var provenanceFiles: [String] = []

    @Option(
        name: .customLong("builder-key-file"),
        help: ArgumentHelp(
            "Cloud Build provenance keys to trust instead of the bundled ones: a .key file or a directory of them.",
            discussion: """
                Named as slsa-verifier names its key materials: <location>.key (a regional builtByGCB key, or \
                global.key), global-pae-provenanceSigner_1.key, global-pae-google-hosted-worker_1.key.
                """), completion: .file())
    var builderKeyFiles: [String] = []

    @Option(name: .customLong("at"), help: "The evaluation time, RFC 3339 (e.g. 2019-06-01T00:00:00Z); default now.")
    var at: String?

    func checkStandardInput(with others: [String]) throws {
        try checkStandardInputOnce(
            [policyFile] + attestationFiles + imageMetadataFiles + vulnerabilityFiles + sigstoreSignatureFiles
                + provenanceFiles + others)
    }

    func validate() throws {
        for entry in uploadTimes {
            guard let equals = entry.lastIndex(of: "="), equals != entry.startIndex,
                entry.index(after: equals) != entry.endIndex
            else {
                throw ValidationError(
                    "--upload-time must be IMAGE=TIME, e.g. gcr.io/p/app@sha256:…=2024-05-21T12:00:00Z")
            }
        }
    }

    /// The evaluator over the policy and every evidence source given; the caller closes `closeables`.
    func evaluator(limits: InputLimits = .default) throws(CLIError) -> (
        evaluator: PlatformPolicyEvaluator, attestations: SimpleSigningAttestations
    ) {
        let policy = try PlatformPolicyInput.read(policyFile)
        var uploads = try Self.readEach(imageMetadataFiles, limits: limits) { text, format throws(ModelError) in
            try ImageUpload.readAll(text: text, format: format, limits: limits)
        }
        for entry in uploadTimes {
            let equals = entry.lastIndex(of: "=")!
            let image = String(entry[..<equals])
            let text = String(entry[entry.index(after: equals)...])
            guard let time = RFC3339.parse(text) else {
                throw CLIError(
                    "--upload-time \(image): \"\(text)\" is not an RFC 3339 date-time, e.g. 2024-05-21T12:00:00Z")
            }
            uploads.append(ImageUpload(image: image, uploadTime: time))
        }
        var occurrences: [AttestationOccurrence] = []
        for argument in attestationFiles {
            for file in try FileIO.files(in: argument, extensions: PlatformPolicyInput.dataExtensions) {
                occurrences += try ResourceInput.readOccurrences(from: file)
            }
        }
        let scans = try Self.readEach(vulnerabilityFiles, limits: limits) { text, format throws(ModelError) in
            [try VulnerabilityScans.readAll(text: text, format: format, limits: limits)]
        }
        var cosign: [CosignSignature] = []
        for argument in sigstoreSignatureFiles {
            cosign += try SigstoreInput.read(argument, limits: limits)
        }
        let provenances = try Self.readEach(provenanceFiles, limits: limits) { text, format throws(ModelError) in
            try BuildProvenance.readAll(text: text, format: format, limits: limits)
        }
        var builderKeys = CloudBuildProvenanceKeys.bundled
        if !builderKeyFiles.isEmpty {
            var keys: [CloudBuildProvenanceKey] = []
            for argument in builderKeyFiles {
                for file in try FileIO.files(in: argument, extensions: [".key"]) {
                    let pem = try Output.readText(file, limit: limits.maximumDocumentBytes)
                    guard let key = CloudBuildProvenanceKey(fileName: file, publicKeyPEM: pem) else {
                        throw CLIError.inFile(
                            file,
                            "name the key as slsa-verifier does: <location>.key, global-pae-provenanceSigner_1.key "
                                + "or global-pae-google-hosted-worker_1.key")
                    }
                    let parsed: PKIXPublicKey
                    do {
                        parsed = try PKIXPublicKey(pemRepresentation: pem, limits: limits)
                    } catch {
                        throw CLIError.inFile(file, error.message)
                    }
                    guard parsed.isCompatible(with: .ecdsaP256SHA256) else {
                        throw CLIError.inFile(
                            file, "Cloud Build signs provenance with ECDSA P-256 keys; this is \(parsed.keyType)")
                    }
                    keys.append(key)
                }
            }
            builderKeys = CloudBuildProvenanceKeys(keys: keys)
        }
        let attestations = SimpleSigningAttestations(occurrences: occurrences, limits: limits)
        do {
            let evaluator = try PlatformPolicyEvaluator(
                policy: policy,
                checkEvaluators: [
                    ImageUploadTimes(uploads), attestations, VulnerabilityScans(merging: scans),
                    SigstoreSignatures(cosign, limits: limits),
                    SlsaProvenances(provenances, builderKeys: builderKeys, limits: limits),
                ])
            return (evaluator, attestations)
        } catch {
            attestations.close()
            throw CLIError.inFile(policyFile, error.message)
        }
    }

    func time() throws(CLIError) -> Date { try EvaluationTime.parse(at) }

    /// Every JSON or YAML file of `arguments` (directories read recursively), each read by `read` with the format its
    /// name gives; an error names the file.
    private static func readEach<T>(
        _ arguments: [String], limits: InputLimits, _ read: (String, ResourceFormat?) throws(ModelError) -> [T]
    ) throws(CLIError) -> [T] {
        var result: [T] = []
        for argument in arguments {
            for file in try FileIO.files(in: argument, extensions: PlatformPolicyInput.dataExtensions) {
                let text = try Output.readText(file, limit: limits.maximumDocumentBytes)
                do {
                    result += try read(text, ResourceFormat(fileName: file))
                } catch {
                    throw CLIError.input(file, error)
                }
            }
        }
        return result
    }
}

/// `binauthz platform-policy evaluate --policy-file F (--resource F|DIR | --image IMG…) [evidence] [--at TIME]
/// [--format yaml|json]`
struct EvaluatePlatformPolicy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate a platform policy for a resource or images, as `gcloud beta … policy evaluate` prints it.",
        discussion: """
            Prints the v1 EvaluateGkePolicyResponse: YAML as gcloud's default printer prints it (the default), \
            or the REST JSON (--format json). --image puts every image into gcloud's synthetic pod (no \
            namespace, so only the unscoped check set applies); --resource reads Kubernetes manifests (a file, \
            or a directory read recursively: .yaml, .yml, .json; objects that run no containers are skipped), \
            and each pod or pod template is one result. Checks that need evidence read it from \
            --attestation-file, --image-metadata-file, --upload-time, --vulnerability-file, \
            --sigstore-signature-file and --provenance-file (with the bundled Cloud Build keys, or \
            --builder-key-file); without it they are ERROR or NON_CONFORMANT, never CONFORMANT. An slsaCheck rule \
            with customConstraints (CEL) is ERROR: CEL is not evaluated offline.

            Exit status: 0 only when the verdict is CONFORMANT; 2 when it is NON_CONFORMANT or ERROR (as gcloud); \
            1 bad input.
            """
    )

    @OptionGroup var inputs: PlatformEvaluationInputs

    @Option(name: .customLong("image"), help: "An image to evaluate in gcloud's synthetic pod; repeat for several.")
    var images: [String] = []

    @Option(
        name: .customLong("resource"),
        help: "Kubernetes manifests: a file (YAML or JSON), a directory, or -; repeatable.", completion: .file())
    var resources: [String] = []

    @Option(name: .customLong("format"), help: "yaml (as gcloud prints it, the default) or json (the REST response).")
    var format: OutputFormat = .yaml

    @Flag(
        name: .customLong("generate-deploy-attestations"),
        help: "attestationMode GENERATE_DEPLOY: for a CONFORMANT verdict, add one signed DSSE per image (attestations)."
    )
    var generateDeployAttestations = false

    @OptionGroup var signing: DeploySigningOptions

    func validate() throws {
        if generateDeployAttestations && (signing.signingKey == nil || signing.signingAlgorithm == nil) {
            throw ValidationError("--generate-deploy-attestations needs --signing-key and --signing-algorithm.")
        }
        if !generateDeployAttestations && signing.isGiven {
            throw ValidationError(
                "--signing-key, --signing-algorithm and --signing-key-id go with --generate-deploy-attestations.")
        }
        if images.isEmpty == resources.isEmpty {
            throw ValidationError("Give either --resource or --image (as gcloud: exactly one of them).")
        }
        if images.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw ValidationError("--image must name an image, not an empty string.")
        }
        try inputs.checkStandardInput(with: resources + [signing.signingKey].compactMap { $0 })
    }

    func run() throws {
        let time = try inputs.time()
        let pods: [KubernetesWorkload]
        if images.isEmpty {
            pods = try ManifestInput.read(resources).requireWorkloads()
        } else {
            // gcloud's GeneratePodSpecFromImages: {"kind": "Pod", "metadata": {"name": ""}, "spec": {"containers":
            // [{"image": …}, …]}}, with no namespace.
            pods = [KubernetesWorkload(kind: "Pod", name: "", images: images)]
        }
        let (evaluator, attestations) = try inputs.evaluator()
        defer { attestations.close() }
        var response = Progress.during("evaluating \(pods.count) workload\(pods.count == 1 ? "" : "s")") {
            evaluator.evaluate(pods, at: time)
        }
        if generateDeployAttestations {
            response = try signing.attest(response, policy: evaluator.policy, at: time).response
        }
        switch format {
        case .yaml: try Output.standardOutput(response.gcloudYAML)
        case .json: try Output.standardOutput(response.jsonString + "\n")
        }
        if !images.isEmpty, evaluator.policy.gkePolicy?.checkSets.contains(where: { $0.scope != nil }) == true {
            Output.standardError(
                "note: --image pods have no namespace, so only the unscoped check set was evaluated (as gcloud's "
                    + "--image does); give --resource with a namespaced pod to evaluate a scoped check set")
        }
        guard response.verdict == .conformant else { throw CLIError.negativeVerdict }
    }
}

/// `binauthz platform-policy audit --policy-file F --resource F|DIR [--policy-name N] [--cluster LOCATION.NAME]`
struct AuditPlatformPolicy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Continuous validation offline: one Cloud Logging entry per pod that violates a platform policy.",
        discussion: """
            Reads a cluster dump (`kubectl get pods -A -o json`) or any manifests (--resource: files or \
            directories), evaluates every pod as continuous validation does, and prints, as JSON lines, the entry \
            CV writes to projects/P/logs/binaryauthorization.googleapis.com%2Fcontinuous_validation for each pod \
            that violates the policy: resource k8s_cluster {project_id, location, cluster_name}, severity \
            WARNING, jsonPayload a ContinuousValidationEvent podEvent with every image, its container and \
            container type, and the non-conformant checks. Pods that conform, or whose checks could only end in \
            ERROR, get no entry (CV logs violations only); the latter are listed on standard error. Inputs are \
            bounded by InputLimits.clusterDump (256 MiB per file, 100,000 objects).

            The policy name (podEvent.policyName) is --policy-name or the file's name; the project of the log and \
            of project_id is the policy's project. --cluster LOCATION.NAME gives location and cluster_name.

            Exit status: 0 no pod violates the policy; 2 at least one does; 1 bad input.
            """
    )

    @OptionGroup var inputs: PlatformEvaluationInputs

    @Option(
        name: .customLong("resource"),
        help: "A cluster dump or manifests: a file (YAML or JSON), a directory, or -; repeatable.", completion: .file())
    var resources: [String] = []

    @Option(
        name: .customLong("policy-name"),
        help: "projects/P/platforms/gke/policies/ID (default: the policy file's name).")
    var policyName: String?

    @Option(name: .customLong("cluster"), help: "The cluster as LOCATION.NAME, e.g. us-central1-a.prod-cluster.")
    var cluster: String?

    func validate() throws {
        if resources.isEmpty {
            throw ValidationError("Give at least one --resource (e.g. kubectl get pods -A -o json).")
        }
        try inputs.checkStandardInput(with: resources)
        if let cluster {
            let parts = cluster.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw ValidationError("--cluster must be LOCATION.NAME, e.g. us-central1-a.prod-cluster")
            }
        }
    }

    func run() throws {
        let time = try inputs.time()
        let limits = InputLimits.clusterDump
        let (evaluator, attestations) = try inputs.evaluator(limits: limits)
        defer { attestations.close() }
        guard let name = policyName ?? evaluator.policy.name else {
            throw CLIError(
                "\(Output.displayName(inputs.policyFile)): the policy has no name; give --policy-name "
                    + "projects/P/platforms/gke/policies/ID")
        }
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "projects", !parts[1].isEmpty, parts[2] == "platforms", parts[3] == "gke",
            parts[4] == "policies", !parts[5].isEmpty
        else {
            throw CLIError("policy name \"\(name)\" is not projects/P/platforms/gke/policies/ID")
        }
        let pods = try ManifestInput.read(resources, limits: limits).requireWorkloads()
        let response = Progress.during("auditing \(pods.count) pod\(pods.count == 1 ? "" : "s")") {
            evaluator.evaluate(pods, at: time)
        }
        let location = cluster.map { String($0.split(separator: ".", maxSplits: 1)[0]) } ?? ""
        let clusterName = cluster.map { String($0.split(separator: ".", maxSplits: 1)[1]) } ?? ""
        if cluster == nil {
            Output.standardError(
                "note: no --cluster, so the entries' k8s_cluster location and cluster_name labels are empty")
        }
        let audit = ContinuousValidationAudit(
            response, policyName: name,
            cluster: .init(projectID: String(parts[1]), location: location, clusterName: clusterName), at: time)
        try Output.standardOutput(audit.entries.map { $0 + "\n" }.joined())
        for error in audit.errors {
            Output.standardError("note: not evaluated: \(error)")
        }
        Output.standardError(
            "audited \(pods.count) pod\(pods.count == 1 ? "" : "s"): \(audit.violations) violate\(audit.violations == 1 ? "s" : "") "
                + "\(name), \(audit.errors.count) could not be fully evaluated")
        if audit.violations > 0 { throw CLIError.negativeVerdict }
    }
}

/// Reading platform policies for the commands.
enum PlatformPolicyInput {
    /// The extensions of JSON and YAML files read from directories.
    static let dataExtensions = [".json", ".yaml", ".yml"]

    /// Reads a platform policy as `gcloud beta container binauthz policy create --policy-file` does; gcloud's
    /// warnings go to standard error. A project policy is refused with the command to use instead.
    static func read(_ path: String) throws(CLIError) -> PlatformPolicy {
        let bytes = try Output.readBytes(path)
        let file: PlatformPolicyFile
        do {
            file = try PlatformPolicy.gcloudCreate(contents: bytes, fileName: path == "-" ? nil : path)
        } catch {
            if PolicyKind.sniff(bytes) == .project {
                throw CLIError.inFile(
                    path,
                    "this is a project policy (projects/P/policy, with admission rules), not a platform policy; "
                        + "use `binauthz policy validate` or `binauthz policy evaluate`")
            }
            throw CLIError.input(path, error)
        }
        for warning in file.warnings {
            Output.standardError("warning: \(Output.displayName(path)): \(warning)")
        }
        return file.policy
    }
}

/// Which kind of policy a file holds, from its top-level fields, to point a user who gave one kind to the command
/// of the other.
enum PolicyKind {
    case project
    case platform

    private static let projectFields: Set<String> = [
        "defaultAdmissionRule", "admissionWhitelistPatterns", "clusterAdmissionRules",
        "kubernetesNamespaceAdmissionRules", "kubernetesServiceAccountAdmissionRules",
        "istioServiceIdentityAdmissionRules", "globalPolicyEvaluationMode",
    ]
    private static let platformFields: Set<String> = ["gkePolicy"]

    /// `nil` when the text is not a JSON or YAML mapping with a field only one kind has.
    static func sniff(_ bytes: [UInt8]) -> PolicyKind? {
        guard let text = String(validating: bytes, as: UTF8.self),
            let document = try? ResourceFormat.documents(in: text, format: nil).first,
            case .map(let entries) = document.value
        else { return nil }
        let keys = Set(entries.map(\.key))
        if !keys.isDisjoint(with: platformFields) { return .platform }
        if !keys.isDisjoint(with: projectFields) { return .project }
        if let name = document.field("name")?.stringValue, name.contains("/platforms/") { return .platform }
        return nil
    }
}

/// Kubernetes manifests from `--resource` arguments: files, standard input, or directories read recursively.
enum ManifestInput {
    struct Read {
        var workloads: [(source: String, workload: KubernetesWorkload)] = []
        var skipped: [(file: String, object: KubernetesManifest.SkippedObject)] = []
    }

    /// Reads every workload. A file named on the command line must hold a Kubernetes object; a file found in a
    /// directory that holds none (a kustomization, a values file) is skipped with a note. Warnings go to standard
    /// error.
    static func read(_ arguments: [String], limits: InputLimits = .default) throws(CLIError) -> Read {
        var read = Read()
        for argument in arguments {
            let files = try FileIO.files(in: argument, extensions: PlatformPolicyInput.dataExtensions)
            let fromDirectory = files != [argument]
            for file in files {
                let text = try Output.readText(file, limit: limits.maximumDocumentBytes)
                let found: KubernetesManifest.Contents
                do {
                    found = try KubernetesManifest.contents(
                        of: text, format: ResourceFormat(fileName: file), limits: limits)
                } catch {
                    if fromDirectory && !holdsKubernetesObject(text, fileName: file) {
                        Output.standardError(
                            "note: \(file): not a Kubernetes manifest (no document has a kind); skipped")
                        continue
                    }
                    throw CLIError.inFile(file, "\(error)")
                }
                guard !found.workloads.isEmpty || !found.skipped.isEmpty else {
                    if fromDirectory {
                        Output.standardError("note: \(file): no Kubernetes object found; skipped")
                        continue
                    }
                    throw CLIError.inFile(file, "no Kubernetes object found")
                }
                read.workloads += found.workloads.map { (file, $0) }
                read.skipped += found.skipped.map { (file, $0) }
                for warning in found.warnings {
                    Output.standardError("note: \(Output.displayName(file)): \(warning)")
                }
            }
        }
        return read
    }
}

extension ManifestInput {
    /// Whether any document of a file that failed to read as manifests has a top-level `kind` (then the failure is
    /// reported; otherwise the file is not a manifest at all — a kustomization, Helm values — and is skipped).
    static func holdsKubernetesObject(_ text: String, fileName: String) -> Bool {
        guard let documents = try? ResourceFormat.documents(in: text, format: ResourceFormat(fileName: fileName))
        else { return true }  // unreadable as YAML or JSON: report the error
        return documents.contains { $0.field("kind") != nil }
    }
}

extension ManifestInput.Read {
    /// The workloads, or an error when the manifests hold only objects that run no containers.
    func requireWorkloads() throws(CLIError) -> [KubernetesWorkload] {
        guard !workloads.isEmpty else {
            throw CLIError(
                "no workload to decide: the manifests hold only objects that run no containers ("
                    + skipped.map(\.object.description).joined(separator: ", ") + ")")
        }
        return workloads.map(\.workload)
    }
}

/// `--sigstore-signature-file`: cosign signatures from files and directories.
enum SigstoreInput {
    /// Reads the signatures of one argument:
    ///
    /// - a file: what `cosign download signature IMAGE` prints (JSON lines), or one containers/image signature
    ///   (`\0sigstore-json\n…`);
    /// - an OCI image layout (`oci-layout`, `index.json`, `blobs/sha256/…`) of `.sig` images;
    /// - a `dir:` copy: `manifest.json` with `signature-1`, `signature-2`, … (containers/image's signatures of the
    ///   image), or `manifest.json` of a `.sig` image with its blobs named by their hex digest (skopeo's layout);
    /// - any other directory: the `.json` and `.jsonl` files below it, as `cosign download signature` output.
    static func read(_ argument: String, limits: InputLimits) throws(CLIError) -> [CosignSignature] {
        var info = stat()
        let isDirectory = argument != "-" && system_stat(argument, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
        guard isDirectory else { return try readFile(argument, limits: limits) }
        let join = { (name: String) in argument.hasSuffix("/") ? argument + name : argument + "/" + name }
        if exists(join("oci-layout")) {
            return try readLayout(argument, join: join, limits: limits)
        }
        if exists(join("manifest.json")) {
            var attached: [String] = []
            while attached.count < 1_000, exists(join("signature-\(attached.count + 1)")) {
                attached.append(join("signature-\(attached.count + 1)"))
            }
            if !attached.isEmpty {
                var signatures: [CosignSignature] = []
                for file in attached {
                    let bytes = try Output.readBytes(file, limit: limits.maximumDocumentBytes)
                    let read: CosignSignature?
                    do {
                        read = try CosignSignature.readContainersImageSignature(bytes, limits: limits)
                    } catch {
                        throw CLIError.input(file, error)
                    }
                    if var signature = read {
                        signature.source = file
                        signatures.append(signature)
                    }
                }
                return signatures
            }
            let manifest = join("manifest.json")
            return try readImage(
                manifest: manifest, blob: { digest in join(String(digest.split(separator: ":").last ?? "")) },
                limits: limits)
        }
        // A directory of signature images (one layout or dir: copy per image) and of download outputs.
        var signatures: [CosignSignature] = []
        var images: [String] = []
        for file in try FileIO.files(in: argument, extensions: [".json", ".jsonl", "oci-layout"]) {
            let parent = String(file[..<(file.lastIndex(of: "/") ?? file.startIndex)])
            if parent != argument,
                exists(parent + "/oci-layout") || (exists(parent + "/manifest.json") && parent != argument)
            {
                if !images.contains(parent) { images.append(parent) }
                continue
            }
            if file.hasSuffix("oci-layout") { continue }
            signatures += try readFile(file, limits: limits)
        }
        for image in images where !images.contains(where: { image.hasPrefix($0 + "/") }) {
            signatures += try read(image, limits: limits)
        }
        return signatures
    }

    private static func exists(_ path: String) -> Bool {
        var info = stat()
        return system_stat(path, &info) == 0
    }

    private static func readFile(_ file: String, limits: InputLimits) throws(CLIError) -> [CosignSignature] {
        let bytes = try Output.readBytes(file, limit: limits.maximumDocumentBytes)
        do {
            if bytes.first == 0 {
                guard var signature = try CosignSignature.readContainersImageSignature(bytes, limits: limits) else {
                    Output.standardError(
                        "note: \(Output.displayName(file)): a sigstore attachment that is not a signature; skipped")
                    return []
                }
                signature.source = Output.displayName(file)
                return [signature]
            }
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw CLIError.inFile(file, "not UTF-8 text (expected `cosign download signature` output)")
            }
            return try CosignSignature.readDownloadOutput(text, limits: limits).map {
                var signature = $0
                signature.source = "\(Output.displayName(file)) \($0.source ?? "")"
                return signature
            }
        } catch let error as ModelError {
            throw CLIError.input(file, error)
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError.inFile(file, "\(error)")
        }
    }

    private static func readImage(
        manifest: String, expectedDigest: String? = nil, blob path: (String) -> String, limits: InputLimits
    ) throws(CLIError) -> [CosignSignature] {
        let bytes = try Output.readBytes(manifest, limit: limits.maximumDocumentBytes)
        if let expectedDigest, "sha256:" + DigestHex.sha256(bytes) != expectedDigest {
            throw CLIError.inFile(manifest, "the manifest blob does not have digest \(expectedDigest)")
        }
        var cache: [String: [UInt8]] = [:]
        var blobFailure: CLIError?
        let signatures: [CosignSignature]
        do {
            signatures = try CosignSignature.readSignatureImage(
                manifest: bytes,
                blob: { digest in
                    if let cached = cache[digest] { return cached }
                    do {
                        let bytes = try Output.readBytes(path(digest), limit: limits.maximumPayloadBytes)
                        cache[digest] = bytes
                        return bytes
                    } catch let error as CLIError {
                        blobFailure = error
                        return nil
                    } catch {
                        return nil
                    }
                }, limits: limits)
        } catch {
            if let blobFailure { throw blobFailure }
            throw CLIError.input(manifest, error)
        }
        return signatures
    }

    private static func readLayout(_ directory: String, join: @escaping (String) -> String, limits: InputLimits)
        throws(CLIError) -> [CosignSignature]
    {
        let index = join("index.json")
        let blob = { (digest: String) -> String in
            let parts = digest.split(separator: ":", maxSplits: 1)
            return join("blobs/\(parts.first ?? "")/\(parts.count == 2 ? parts[1] : "")")
        }
        let text = try Output.readText(index, limit: limits.maximumDocumentBytes)
        let root: TreeNode
        do {
            root = try JSONTreeParser.parse(Array(text.utf8), limits: limits)
        } catch {
            throw CLIError.input(index, error)
        }
        guard case .list(let manifests)? = root.field("manifests")?.value else {
            throw CLIError.inFile(index, "manifests: an OCI image index needs a manifests list")
        }
        var signatures: [CosignSignature] = []
        var seen: Set<String> = []
        for (position, entry) in manifests.enumerated() {
            guard let digest = entry.field("digest")?.stringValue, digest.hasPrefix("sha256:"), digest.utf8.count == 71,
                digest.utf8.dropFirst(7).allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
            else {
                throw CLIError.inFile(index, "manifests[\(position)].digest: missing or not a sha256 digest")
            }
            guard seen.insert(digest).inserted else { continue }
            signatures += try readImage(manifest: blob(digest), expectedDigest: digest, blob: blob, limits: limits)
        }
        return signatures
    }
}

/// The PKIX key deploy attestations are signed with (Google's own key is server-side).
struct DeploySigningOptions: ParsableArguments {
    @Option(
        name: .customLong("signing-key"),
        help: "The PKIX private key (PEM) deploy attestations are signed with; Google's key is server-side.",
        completion: .file())
    var signingKey: String?

    @Option(
        name: .customLong("signing-algorithm"),
        help: "The key's signatureAlgorithm, e.g. ecdsa-p256-sha256 (gcloud's spelling) or ECDSA_P256_SHA256.")
    var signingAlgorithm: String?

    @Option(name: .customLong("signing-key-id"), help: "The envelopes' keyid (default: the key's ni:///sha-256;… id).")
    var signingKeyID: String?

    var isGiven: Bool { signingKey != nil || signingAlgorithm != nil || signingKeyID != nil }

    func signer() throws(CLIError) -> PKIXSigner {
        guard let signingKey, let signingAlgorithm else {
            throw CLIError("deploy attestations need --signing-key and --signing-algorithm")
        }
        let algorithm = try PKIXAlgorithmArgument.parse(signingAlgorithm, flag: "--signing-algorithm")
        let pem = try Output.readText(signingKey)
        do {
            return try PKIXSigner(privateKeyPEM: pem, algorithm: algorithm)
        } catch {
            throw CLIError.inFile(signingKey, error.message)
        }
    }

    func attest(_ response: EvaluateGkePolicyResponse, policy: PlatformPolicy, at time: Date) throws(CLIError)
        -> DeployAttestations.Attested
    {
        let attested: DeployAttestations.Attested
        do {
            attested = try DeployAttestations.attest(
                response, policyName: policy.name, signer: try signer(), keyID: signingKeyID, at: time)
        } catch let error as PKIXError {
            throw CLIError("cannot sign deploy attestations: \(error.message)")
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError("cannot sign deploy attestations: \(error)")
        }
        for image in attested.skipped {
            Output.standardError("note: \(image) is referenced by tag: no deploy attestation (it names no digest)")
        }
        return attested
    }
}

/// `binauthz platform-policy evaluate-and-sign --policy-file F (--resource F | --image IMG…) --signing-key F
/// --signing-algorithm ALG [--output-file F] [--oci-layout DIR]`
struct EvaluateAndSignPlatformPolicy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate-and-sign",
        abstract:
            "Evaluate, and for a CONFORMANT verdict write deploy attestations (gcloud alpha … evaluate-and-sign).",
        discussion: """
            As `platform-policy evaluate` with attestationMode GENERATE_DEPLOY: prints the response with its \
            attestations (one DSSE envelope per image, websafe base64), signed with --signing-key because \
            Google's key is server-side. Where gcloud pushes each attestation to REPO:sha256-HEX.att, \
            --oci-layout DIR writes those images as an OCI image layout (manifest and config as gcloud builds \
            them; copy them with `skopeo copy oci:DIR:sha256-HEX.att docker://REPO:sha256-HEX.att`). \
            --output-file F writes the resource back with the attestations appended to its \
            binaryauthorization.googleapis.com/attestations annotation (the Pod's, or the pod template's), as \
            gcloud does. Nothing is written unless the verdict is CONFORMANT.

            Exit status: 0 CONFORMANT (attestations written); 2 otherwise; 1 bad input.
            """
    )

    @OptionGroup var inputs: PlatformEvaluationInputs

    @Option(name: .customLong("image"), help: "An image to evaluate in gcloud's synthetic pod; repeat for several.")
    var images: [String] = []

    @Option(
        name: .customLong("resource"), help: "The Kubernetes resource: one file (YAML or JSON).", completion: .file())
    var resource: String?

    @OptionGroup var signing: DeploySigningOptions

    @Option(
        name: .customLong("output-file"), help: "Write the resource with the attestations inlined to this file.",
        completion: .file())
    var outputFile: String?

    @Option(
        name: .customLong("oci-layout"), help: "Write the sha256-HEX.att attestation images to this new OCI layout.",
        completion: .file())
    var ociLayout: String?

    @Option(name: .customLong("format"), help: "yaml (as gcloud prints it, the default) or json (the REST response).")
    var format: OutputFormat = .yaml

    func validate() throws {
        if images.isEmpty == (resource == nil) {
            throw ValidationError("Give either --resource or --image (as gcloud: exactly one of them).")
        }
        if outputFile != nil && resource == nil {
            throw ValidationError("Cannot specify --output-file without --resource.")
        }
        if signing.signingKey == nil || signing.signingAlgorithm == nil {
            throw ValidationError("evaluate-and-sign needs --signing-key and --signing-algorithm.")
        }
        try inputs.checkStandardInput(with: [resource, signing.signingKey].compactMap { $0 })
    }

    func run() throws {
        let time = try inputs.time()
        let pods: [KubernetesWorkload]
        var resourceTree: TreeNode?
        var resourceFormat = ResourceFormat.yaml
        if let resource {
            // Read once: the resource evaluated is the resource written back.
            let text = try Output.readText(resource)
            let format = ResourceFormat(fileName: resource) ?? ResourceFormat.detect(text)
            let found: KubernetesManifest.Contents
            do {
                found = try KubernetesManifest.contents(of: text, format: format)
            } catch {
                throw CLIError.inFile(resource, "\(error)")
            }
            pods = try ManifestInput.Read(
                workloads: found.workloads.map { (resource, $0) }, skipped: found.skipped.map { (resource, $0) }
            ).requireWorkloads()
            if outputFile != nil {
                let documents: [TreeNode]
                do {
                    documents = try ResourceFormat.documents(in: text, format: format)
                } catch {
                    throw CLIError.input(resource, error)
                }
                guard documents.count == 1 else {
                    throw CLIError.inFile(
                        resource, "--output-file needs a file with one Kubernetes object (gcloud's too)")
                }
                resourceTree = documents[0]
                resourceFormat = format
            }
        } else {
            pods = [KubernetesWorkload(kind: "Pod", name: "", images: images)]
        }
        let (evaluator, attestations) = try inputs.evaluator()
        defer { attestations.close() }
        let attested = try signing.attest(evaluator.evaluate(pods, at: time), policy: evaluator.policy, at: time)
        switch format {
        case .yaml: try Output.standardOutput(attested.response.gcloudYAML)
        case .json: try Output.standardOutput(attested.response.jsonString + "\n")
        }
        guard attested.response.verdict == .conformant else { throw CLIError.negativeVerdict }
        if let ociLayout {
            try AttestationLayout.write(attested.envelopes, to: ociLayout)
        }
        if let outputFile, let resource, let tree = resourceTree {
            let inlined = try AttestationLayout.inline(attested.response.attestations, into: tree, file: resource)
            let bytes: [UInt8]
            if resourceFormat == .json {
                bytes = Array((JSONTreeWriter.write(inlined) + "\n").utf8)
            } else {
                bytes = Array(GcloudYAMLWriter.write(inlined).utf8)
            }
            try Output.write(bytes, to: outputFile)
        }
    }
}

/// Where `evaluate-and-sign` puts deploy attestations: an OCI layout of `sha256-HEX.att` images, and the resource's
/// annotation.
enum AttestationLayout {
    /// gcloud's `SigstoreAttestationImage` for one attestation: its config and manifest, `json.dumps(…,
    /// sort_keys=True)`.
    static func image(layer: [UInt8]) -> (config: [UInt8], manifest: [UInt8]) {
        let layerDigest = "sha256:" + DigestHex.sha256(layer)
        func string(_ text: String) -> TreeNode { TreeNode(.string(text)) }
        let history = TreeNode.object([
            ("author", string("Unknown")), ("created", string("1970-01-01T00:00:00Z")),
            // containerregistry's USER_AGENT: `//containerregistry/client:` and the program's name, gcloud.py.
            ("created_by", string("//containerregistry/client:gcloud.py")),
        ])
        let config = Array(
            PythonValue.jsonDumps(
                TreeNode.object([
                    ("architecture", string("")), ("author", string("Unknown")), ("config", TreeNode.object([])),
                    ("created", string("1970-01-01T00:00:00Z")), ("history", TreeNode(.list([history]))),
                    ("os", string("")),
                    (
                        "rootfs",
                        TreeNode.object([
                            ("diff_ids", TreeNode(.list([string(layerDigest)]))), ("type", string("layers")),
                        ])
                    ),
                ])
            ).utf8)
        let manifest = Array(
            PythonValue.jsonDumps(
                TreeNode.object([
                    (
                        "config",
                        TreeNode.object([
                            ("digest", string("sha256:" + DigestHex.sha256(config))),
                            ("mediaType", string("application/vnd.docker.container.image.v1+json")),
                            ("size", TreeNode(.integer(String(config.count)))),
                        ])
                    ),
                    (
                        "layers",
                        TreeNode(
                            .list([
                                TreeNode.object([
                                    (
                                        "annotations",
                                        TreeNode.object([
                                            ("dev.cosignproject.cosign/signature", string("")),
                                            ("predicateType", string(DeployAttestations.predicateType)),
                                        ])
                                    ),
                                    ("digest", string(layerDigest)),
                                    ("mediaType", string("application/vnd.dsse.envelope.v1+json")),
                                    ("size", TreeNode(.integer(String(layer.count)))),
                                ])
                            ]))
                    ),
                    ("mediaType", string("application/vnd.oci.image.manifest.v1+json")),
                    ("schemaVersion", TreeNode(.integer("2"))),
                ])
            ).utf8)
        return (config, manifest)
    }

    /// Writes a new OCI image layout holding one `sha256-HEX.att` image per attested image.
    static func write(_ envelopes: [DeployAttestations.Envelope], to directory: String) throws(CLIError) {
        var info = stat()
        if system_stat(directory, &info) == 0 {
            throw CLIError("\(directory): already exists; --oci-layout writes a new layout")
        }
        for path in [directory, directory + "/blobs", directory + "/blobs/sha256"] {
            guard system_mkdir(path, 0o755) == 0 else {
                throw CLIError("\(path): cannot create the directory: \(FileIO.describe(errno))")
            }
        }
        var names: [String: String] = [:]
        for attestation in envelopes {
            let hex = String(attestation.image.split(separator: ":").last ?? "")
            if let other = names.updateValue(attestation.image, forKey: hex) {
                throw CLIError(
                    "--oci-layout: \(other) and \(attestation.image) have the same digest, so both .att images would be "
                        + "sha256-\(hex).att in one layout; attest one repository at a time")
            }
        }
        var manifests: [TreeNode] = []
        for attestation in envelopes {
            let envelope = attestation.json
            let image = attestation.image
            let (config, manifest) = Self.image(layer: envelope)
            for blob in [envelope, config, manifest] {
                try FileIO.writePublic(blob, to: directory + "/blobs/sha256/" + DigestHex.sha256(blob))
            }
            let hex = String(image.split(separator: ":").last ?? "")
            manifests.append(
                TreeNode.object([
                    ("mediaType", TreeNode(.string("application/vnd.oci.image.manifest.v1+json"))),
                    ("digest", TreeNode(.string("sha256:" + DigestHex.sha256(manifest)))),
                    ("size", TreeNode(.integer(String(manifest.count)))),
                    (
                        "annotations",
                        TreeNode.object([("org.opencontainers.image.ref.name", TreeNode(.string("sha256-\(hex).att")))])
                    ),
                ]))
        }
        let index = TreeNode.object([
            ("schemaVersion", TreeNode(.integer("2"))), ("manifests", TreeNode(.list(manifests))),
        ])
        try FileIO.writePublic(Array((JSONTreeWriter.write(index) + "\n").utf8), to: directory + "/index.json")
        try FileIO.writePublic(Array(#"{"imageLayoutVersion": "1.0.0"}"#.utf8), to: directory + "/oci-layout")
    }

    /// gcloud's `AddInlineAttestationsToResource`: the attestations joined with commas, appended (after a comma) to
    /// any value the annotation already has, on the Pod's `metadata.annotations` or, for another kind, on
    /// `spec.template.metadata.annotations`.
    static func inline(_ attestations: [String], into resource: TreeNode, file: String) throws(CLIError) -> TreeNode {
        let kind = resource.field("kind")?.stringValue
        let path = kind == "Pod" ? ["metadata", "annotations"] : ["spec", "template", "metadata", "annotations"]
        if kind != "Pod" && resource.field("spec")?.field("template") == nil {
            throw CLIError.inFile(
                file,
                "a \(kind ?? "resource") has no spec.template, so gcloud's helper cannot inline attestations into it")
        }
        func update(_ node: TreeNode, _ path: ArraySlice<String>) -> TreeNode {
            guard let key = path.first else {
                let old = node.stringValue.map { $0.isEmpty ? [] : [$0] } ?? []
                return TreeNode(.string((old + attestations).joined(separator: ",")))
            }
            var entries: [(key: String, keyLocation: SourceLocation?, value: TreeNode)] = []
            if case .map(let existing) = node.value { entries = existing }
            if let index = entries.firstIndex(where: { $0.key == key }) {
                entries[index].value = update(entries[index].value, path.dropFirst())
            } else {
                let empty = path.count == 1 ? TreeNode(.string("")) : TreeNode(.map([]))
                entries.append((key: key, keyLocation: nil, value: update(empty, path.dropFirst())))
            }
            return TreeNode(.map(entries))
        }
        return update(resource, ArraySlice(path + [DeployAttestations.annotation]))
    }
}
