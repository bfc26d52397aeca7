// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Foundation
import Testing

extension CommandLineTests {
    /// `binauthz platform-policy validate | evaluate | audit`, run as a user runs them: real files, real openssl keys
    /// and `sign-and-create --pae-encode-payload` attestations, a `kubectl get pods -A -o json`-shaped dump, and
    /// gcloud's own printer and exit status as the oracle for `evaluate`'s output.
    @Suite("binauthz platform-policy")
    struct PlatformPolicyCLITests {
        static let digest = String(repeating: "ab", count: 32)
        static let trusted = "us-docker.pkg.dev/my-proj/apps/web@sha256:" + digest

        /// Check sets: `prod` needs a trusted directory and fresh images; everything else only a trusted directory.
        static let policy = """
            name: projects/my-proj/platforms/gke/policies/prod
            gkePolicy:
              imageAllowlist:
                allowPattern:
                - gke.gcr.io/*
              checkSets:
              - displayName: prod
                scope:
                  kubernetesNamespace: prod
                checks:
                - displayName: dirs
                  trustedDirectoryCheck:
                    trustedDirPatterns:
                    - us-docker.pkg.dev/my-proj/*
                - displayName: fresh
                  imageFreshnessCheck:
                    maxUploadAgeDays: 30
              - displayName: default
                checks:
                - displayName: dirs
                  trustedDirectoryCheck:
                    trustedDirPatterns:
                    - us-docker.pkg.dev/my-proj/*
            """

        static func run(_ arguments: [String], in dir: TemporaryDirectory) throws -> CommandResult {
            try Subprocess.binauthz(arguments, currentDirectory: dir.path)
        }

        // MARK: validate

        @Test("validate: valid, problems with field paths (exit 2), gcloud's refusals (exit 1)")
        func validate() throws {
            let dir = try TemporaryDirectory()
            try dir.write("pp.yaml", Self.policy)
            var result = try Self.run(["platform-policy", "validate", "--policy-file", "pp.yaml"], in: dir)
            #expect(result.status == 0, "\(result)")
            #expect(result.stdoutText == "pp.yaml: valid\n")

            try dir.write(
                "bad.yaml",
                """
                gkePolicy:
                  checkSets:
                  - scope:
                      kubernetesNamespace: prod
                    checks:
                    - imageFreshnessCheck:
                        maxUploadAgeDays: 0
                      alwaysDeny: true
                """)
            result = try Self.run(["platform-policy", "validate", "--policy-file", "bad.yaml"], in: dir)
            #expect(result.status == 2, "\(result)")
            let lines = result.stdoutText.split(separator: "\n").map(String.init)
            #expect(lines.contains { $0.hasPrefix("gkePolicy.checkSets[0].checks[0]") }, "\(result)")
            #expect(lines.contains { $0.contains("maxUploadAgeDays") }, "\(result)")
            #expect(lines.contains { $0.hasPrefix("gkePolicy.checkSets") && $0.contains("catch-all") }, "\(result)")

            // gcloud's DecodeError for an unknown field, on one line; its file-type refusal.
            try dir.write(
                "old.yaml", "gkePolicy:\n  checkSets:\n  - checks:\n    - imageApprovalAttestationCheck: {}\n")
            result = try Self.run(["platform-policy", "validate", "--policy-file", "old.yaml"], in: dir)
            #expect(result.status == 1)
            #expect(
                result.stderrText.contains(
                    "old.yaml: Failed to parse value(s) in protobuf [PlatformPolicy]: "
                        + "PlatformPolicy.gkePolicy.checkSets[0].checks[0].imageApprovalAttestationCheck"),
                "\(result)")
            try dir.write("pp.txt", Self.policy)
            result = try Self.run(["platform-policy", "validate", "--policy-file", "pp.txt"], in: dir)
            #expect(result.status == 1)
            #expect(result.stderrText.contains("Input file [pp.txt] not of type YAML or JSON"), "\(result)")
        }

        @Test("Each policy command given the other kind of policy names the command to use")
        func wrongKind() throws {
            let dir = try TemporaryDirectory()
            try dir.write("pp.yaml", Self.policy)
            try dir.write(
                "project.yaml",
                "defaultAdmissionRule:\n  evaluationMode: ALWAYS_ALLOW\n  enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG\n"
            )
            for arguments in [
                ["platform-policy", "validate", "--policy-file", "project.yaml"],
                ["platform-policy", "evaluate", "--policy-file", "project.yaml", "--image", "gcr.io/p/i"],
            ] {
                let result = try Self.run(arguments, in: dir)
                #expect(result.status == 1)
                #expect(result.stderrText.contains("project.yaml: this is a project policy"), "\(result)")
                #expect(result.stderrText.contains("use `binauthz policy validate`"), "\(result)")
            }
            for arguments in [
                ["policy", "validate", "--policy-file", "pp.yaml"],
                ["policy", "evaluate", "--policy-file", "pp.yaml", "--image", "gcr.io/p/i"],
            ] {
                let result = try Self.run(arguments, in: dir)
                #expect(result.status == 1)
                #expect(result.stderrText.contains("pp.yaml: this is a platform policy"), "\(result)")
                #expect(result.stderrText.contains("use `binauthz platform-policy validate`"), "\(result)")
            }
        }

        // MARK: evaluate

        @Test("evaluate --image: gcloud's synthetic pod, YAML by default, exit 0 only when CONFORMANT")
        func evaluateImages() throws {
            let dir = try TemporaryDirectory()
            try dir.write("pp.yaml", Self.policy)
            var result = try Self.run(
                ["platform-policy", "evaluate", "--policy-file", "pp.yaml", "--image", Self.trusted], in: dir)
            #expect(result.status == 0, "\(result)")
            #expect(result.stdoutText.hasSuffix("verdict: CONFORMANT\n"), "\(result)")
            #expect(result.stdoutText.contains("displayName: default"), "the catch-all, not prod: \(result)")
            #expect(result.stderrText.contains("only the unscoped check set was evaluated"), "\(result)")
            #expect(!result.stdoutText.contains("podName"), "gcloud's pod has an empty name: \(result)")

            result = try Self.run(
                [
                    "platform-policy", "evaluate", "--policy-file", "pp.yaml", "--image", Self.trusted, "--image",
                    "docker.io/library/nginx:1", "--image", "gke.gcr.io/pause:3", "--format", "json",
                ], in: dir)
            #expect(result.status == 2, "\(result)")
            let response = try JSONSerialization.jsonObject(with: Data(result.stdout)) as! [String: Any]
            #expect(response["verdict"] as? String == "NON_CONFORMANT")
            let images = ((response["results"] as! [[String: Any]])[0]["imageResults"] as! [[String: Any]])
            #expect(images.map { $0["verdict"] as? String } == ["CONFORMANT", "NON_CONFORMANT", "CONFORMANT"])
            #expect((images[2]["allowlistResult"] as? [String: Any])?["matchedPattern"] as? String == "gke.gcr.io/*")

            // Usage errors, as gcloud's: exactly one of --image and --resource.
            result = try Self.run(
                ["platform-policy", "evaluate", "--policy-file", "pp.yaml", "--image", "a", "--resource", "r.yaml"],
                in: dir)
            #expect(result.status == 64, "\(result)")
            result = try Self.run(["platform-policy", "evaluate", "--policy-file", "pp.yaml"], in: dir)
            #expect(result.status == 64, "\(result)")
        }

        @Test(
            "evaluate's JSON is what gcloud's EvaluateGkePolicyResponse reads; gcloud prints our YAML and exits as we do",
            .enabled(if: GcloudTool.unavailableReason == nil, "needs gcloud's Python code"))
        func gcloudParity() throws {
            let dir = try TemporaryDirectory()
            try dir.write("pp.yaml", Self.policy)
            var requests: [[String: String]] = []
            var ours: [(yaml: String, status: Int32)] = []
            for images in [[Self.trusted], [Self.trusted, "docker.io/library/nginx:1"], ["gke.gcr.io/pause:3"]] {
                let arguments =
                    ["platform-policy", "evaluate", "--policy-file", "pp.yaml"] + images.flatMap { ["--image", $0] }
                let json = try Self.run(arguments + ["--format", "json"], in: dir)
                let yaml = try Self.run(arguments, in: dir)
                #expect(json.status == yaml.status)
                requests.append(["op": "evaluate-response", "json": json.stdoutText])
                ours.append((yaml.stdoutText, yaml.status))
            }
            for (answer, mine) in zip(try GcloudTool.batch(requests), ours) {
                #expect((answer["strict"] as? [String: Any])?["ok"] as? Bool == true, "\(answer)")
                #expect(answer["yaml"] as? String == mine.yaml, "\(answer)")
                #expect((answer["exitCode"] as? Int).map(Int32.init) == mine.status, "\(answer)")
            }
        }

        @Test("evaluate --resource DIR reads manifests recursively and skips what is not a manifest")
        func resourceDirectory() throws {
            let dir = try TemporaryDirectory()
            try dir.write("pp.yaml", Self.policy)
            try FileManager.default.createDirectory(atPath: dir.file("k8s/apps"), withIntermediateDirectories: true)
            try dir.write(
                "k8s/apps/web.yaml",
                """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: prod}
                spec:
                  template:
                    spec:
                      containers: [{name: web, image: "\(Self.trusted)"}]
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web}
                spec: {ports: [{port: 80}]}
                """)
            try dir.write(
                "k8s/tool.json",
                #"{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "tool"}, "spec": {"containers": [{"name": "t", "image": "us-docker.pkg.dev/my-proj/tools/t:1"}]}}"#
            )
            try dir.write("k8s/kustomization.yaml", "resources:\n- apps/web.yaml\n")
            try dir.write("k8s/README.md", "not read\n")
            try dir.write("k8s/.hidden.yaml", "kind: [\n")
            let result = try Self.run(
                [
                    "platform-policy", "evaluate", "--policy-file", "pp.yaml", "--resource", "k8s", "--format", "json",
                    "--upload-time", "\(Self.trusted)=2026-11-30T00:00:00Z", "--at", "2026-12-01T00:00:00Z",
                ], in: dir)
            #expect(result.status == 0, "\(result)")
            let response = try JSONSerialization.jsonObject(with: Data(result.stdout)) as! [String: Any]
            let pods = response["results"] as! [[String: Any]]
            // Byte order of the paths: k8s/apps/web.yaml, then k8s/tool.json.
            #expect(pods.map { $0["podName"] as? String } == ["web", "tool"])
            // No metadata.namespace: the resource has no namespace (only the catch-all applies), as the API sees the file.
            #expect(pods.map { $0["kubernetesNamespace"] as? String } == ["prod", nil])
            #expect(result.stderrText.contains("k8s/kustomization.yaml: not a Kubernetes manifest"), "\(result)")
            #expect(!result.stderrText.contains("README") && !result.stderrText.contains("hidden"), "\(result)")

            // A file named on the command line must be a manifest; a broken manifest in a directory is an error.
            var failed = try Self.run(
                ["platform-policy", "evaluate", "--policy-file", "pp.yaml", "--resource", "k8s/kustomization.yaml"],
                in: dir)
            #expect(failed.status == 1, "\(failed)")
            try dir.write("k8s/broken.yaml", "kind: Pod\nspec: [\n")
            failed = try Self.run(
                ["platform-policy", "evaluate", "--policy-file", "pp.yaml", "--resource", "k8s"], in: dir)
            #expect(failed.status == 1, "\(failed)")
            #expect(failed.stderrText.contains("k8s/broken.yaml"), "\(failed)")
        }

        @Test("imageFreshnessCheck from gcloud's image list, a DockerImage, --upload-time; ERROR without evidence")
        func freshnessEvidence() throws {
            let dir = try TemporaryDirectory()
            try dir.write("pp.yaml", Self.policy)
            try dir.write(
                "pod.yaml",
                "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: prod}\nspec:\n  containers: [{name: web, image: \"\(Self.trusted)\"}]\n"
            )
            let base = [
                "platform-policy", "evaluate", "--policy-file", "pp.yaml", "--resource", "pod.yaml", "--at",
                "2026-12-01T00:00:00Z",
            ]
            var result = try Self.run(base, in: dir)
            #expect(result.status == 2, "no upload time: \(result)")
            #expect(result.stdoutText.contains("verdict: ERROR"), "\(result)")
            #expect(result.stdoutText.contains("no upload time is known"), "\(result)")

            try dir.write(
                "images.json",
                """
                [{"createTime": "2026-11-01T00:00:00.123456Z", "package": "us-docker.pkg.dev/my-proj/apps/web",
                  "version": "sha256:\(Self.digest)", "tags": "", "updateTime": "2026-11-02T00:00:00Z",
                  "metadata": {"imageSizeBytes": "2837", "mediaType": "application/vnd.oci.image.manifest.v1+json"}}]
                """)
            result = try Self.run(base + ["--image-metadata-file", "images.json"], in: dir)
            #expect(result.status == 0, "30 days minus 0.12 s: \(result)")
            result = try Self.run(
                base + ["--image-metadata-file", "images.json", "--at", "2026-12-01T00:00:01Z"], in: dir)
            #expect(result.status == 2, "\(result)")
            #expect(result.stdoutText.contains("verdict: NON_CONFORMANT"), "\(result)")

            try dir.write(
                "docker-image.json",
                #"{"uri": "\#(Self.trusted)", "uploadTime": "2026-11-29T00:00:00Z", "mediaType": "application/vnd.oci.image.manifest.v1+json"}"#
            )
            result = try Self.run(base + ["--image-metadata-file", "docker-image.json"], in: dir)
            #expect(result.status == 0, "\(result)")
            result = try Self.run(base + ["--upload-time", "\(Self.trusted)=2026-11-29T00:00:00+05:00"], in: dir)
            #expect(result.status == 0, "\(result)")

            // Bad evidence names the file and the field.
            try dir.write("bad.json", #"{"dockerImages": [{"uri": "\#(Self.trusted)", "uploadTime": "yesterday"}]}"#)
            result = try Self.run(base + ["--image-metadata-file", "bad.json"], in: dir)
            #expect(result.status == 1)
            #expect(
                result.stderrText.contains(
                    "bad.json: dockerImages[0].uploadTime: \"yesterday\" is not an RFC 3339 date-time"),
                "\(result)")
            result = try Self.run(base + ["--upload-time", "\(Self.trusted)=2026-11-29"], in: dir)
            #expect(result.status == 1)
            #expect(result.stderrText.contains("is not an RFC 3339 date-time"), "\(result)")
        }

        @Test(
            "simpleSigningAttestationCheck: openssl key, sign-and-create --pae-encode-payload, evaluate",
            .enabled(if: OpenSSL.unavailableReason == nil, "needs the openssl command-line tool"))
        func simpleSigning() throws {
            let dir = try TemporaryDirectory()
            try OpenSSL.run(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", dir.file("key.pem")])
            try OpenSSL.run(["pkey", "-in", dir.file("key.pem"), "-pubout", "-out", dir.file("pub.pem")])
            let pem = try String(contentsOfFile: dir.file("pub.pem"), encoding: .utf8)
            func policy(projects: [String]) -> String {
                """
                name: projects/my-proj/platforms/gke/policies/signed
                gkePolicy:
                  checkSets:
                  - checks:
                    - displayName: signed
                      simpleSigningAttestationCheck:
                        containerAnalysisAttestationProjects: [\(projects.joined(separator: ", "))]
                        attestationAuthenticators:
                        - displayName: ci
                          pkixPublicKeySet:
                            pkixPublicKeys:
                            - signatureAlgorithm: ECDSA_P256_SHA256
                              publicKeyPem: |
                \(pem.split(separator: "\n").map { "                  \($0)" }.joined(separator: "\n"))

                """
            }
            try dir.write("pp.yaml", policy(projects: []))
            try dir.write("other.yaml", policy(projects: ["projects/other-proj"]))
            try FileManager.default.createDirectory(atPath: dir.file("att"), withIntermediateDirectories: true)
            func sign(_ output: String, pae: Bool) throws {
                let result = try Self.run(
                    [
                        "attestations", "sign-and-create", "--artifact-url", Self.trusted, "--note",
                        "projects/my-proj/notes/ci", "--pkix-private-key-file", "key.pem", "--pkix-algorithm",
                        "ecdsa-p256-sha256", "--output", output,
                    ] + (pae ? ["--pae-encode-payload"] : []), in: dir)
                #expect(result.status == 0, "\(result)")
            }
            try sign("att/plain.json", pae: false)
            let evaluate = ["platform-policy", "evaluate", "--policy-file", "pp.yaml", "--image", Self.trusted]
            var result = try Self.run(evaluate + ["--attestation-file", "att"], in: dir)
            #expect(result.status == 2, "signed over the payload, not PAE: \(result)")
            #expect(result.stdoutText.contains("verdict: NON_CONFORMANT"), "\(result)")

            try sign("att/dsse.json", pae: true)
            result = try Self.run(evaluate + ["--attestation-file", "att", "--format", "json"], in: dir)
            #expect(result.status == 0, "\(result)")
            #expect(result.stdoutText.contains(#"verified by authenticator 0 \"ci\" (key ni:///sha-256;"#), "\(result)")
            result = try Self.run(evaluate + ["--attestation-file", "att/dsse.json"], in: dir)
            #expect(result.status == 0, "\(result)")
            // Without evidence, and with evidence outside containerAnalysisAttestationProjects.
            result = try Self.run(evaluate, in: dir)
            #expect(result.status == 2, "\(result)")
            result = try Self.run(
                [
                    "platform-policy", "evaluate", "--policy-file", "other.yaml", "--image", Self.trusted,
                    "--attestation-file", "att",
                ],
                in: dir)
            #expect(result.status == 2, "\(result)")
            #expect(result.stdoutText.contains("in projects/other-proj"), "\(result)")
            // A tag has no digest to attest.
            result = try Self.run(
                [
                    "platform-policy", "evaluate", "--policy-file", "pp.yaml", "--image",
                    "us-docker.pkg.dev/my-proj/apps/web:1", "--attestation-file", "att",
                ],
                in: dir)
            #expect(result.status == 2, "\(result)")
        }

        @Test("vulnerabilityCheck from gcloud describe output and occurrence pages, files and directories")
        func vulnerabilities() throws {
            let dir = try TemporaryDirectory()
            try dir.write(
                "pp.yaml",
                """
                gkePolicy:
                  checkSets:
                  - checks:
                    - displayName: vulns
                      vulnerabilityCheck:
                        maximumFixableSeverity: HIGH
                        maximumUnfixableSeverity: CRITICAL
                        allowedCves: [CVE-2025-6020, CVE-2025-68973]
                """)
            try FileManager.default.createDirectory(atPath: dir.file("scans"), withIntermediateDirectories: true)
            try dir.write(
                "scans/sample.json",
                try Fixtures.data(
                    "corpora/vulnerability-occurrences/defectdojo/artifact-analysis-occurrences-sample.json"))
            try dir.write(
                "scans/sedg.json",
                try Fixtures.data(
                    "corpora/vulnerability-occurrences/influxdata-sedg/gar-list-occurrences-CVE-2022-29458.json"))
            let sample =
                "region-east2-docker.pkg.dev/my-project/my-image/staging@sha256:33ceexxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxtolstoy"
            let sedg =
                "us-docker.pkg.dev/valid-proj/valid-repo/valid-name@sha256:3fa5256ad34b31901ca30021c722fc7ba11a66ca070c8442862205696b908ddb"
            let evaluate = ["platform-policy", "evaluate", "--policy-file", "pp.yaml", "--format", "json"]
            // The sample's fixable CRITICAL (CVE-2023-36665) is above HIGH.
            var result = try Self.run(evaluate + ["--image", sample, "--vulnerability-file", "scans"], in: dir)
            #expect(result.status == 2, "\(result)")
            #expect(
                result.stdoutText.contains("CVE-2023-36665 (CRITICAL, fixable; maximumFixableSeverity HIGH)"),
                "\(result)")
            result = try Self.run(evaluate + ["--image", sedg, "--vulnerability-file", "scans/sedg.json"], in: dir)
            #expect(result.status == 0, "\(result)")
            // No scan for the image: ERROR, exit 2; no evidence at all: ERROR naming the flag.
            result = try Self.run(evaluate + ["--image", sedg, "--vulnerability-file", "scans/sample.json"], in: dir)
            #expect(result.status == 2)
            #expect(result.stdoutText.contains("No valid vulnerability scan was found"), "\(result)")
            result = try Self.run(evaluate + ["--image", sedg], in: dir)
            #expect(result.status == 2)
            #expect(result.stdoutText.contains("--vulnerability-file"), "\(result)")
            // An unreadable scan names the file and field.
            try dir.write(
                "bad.json",
                #"{"occurrences": [{"kind": "VULNERABILITY", "resourceUri": "x", "noteName": "n", "vulnerability": {"effectiveSeverity": 5}}]}"#
            )
            result = try Self.run(evaluate + ["--image", sedg, "--vulnerability-file", "bad.json"], in: dir)
            #expect(result.status == 1)
            #expect(
                result.stderrText.contains(
                    "bad.json: occurrences[0].vulnerability.effectiveSeverity: expected a string"), "\(result)")
        }

        @Test(
            "sigstoreSignatureCheck from a dir: image with signatures, a .sig image (dir: and skopeo's OCI layout), download output"
        )
        func sigstoreSignatures() throws {
            let dir = try TemporaryDirectory()
            let fixtures = "corpora/containers-image/signature/fixtures"
            let pem = try Fixtures.text(fixtures + "/cosign.pub")
            try dir.write(
                "pp.yaml",
                """
                gkePolicy:
                  checkSets:
                  - checks:
                    - displayName: cosign
                      sigstoreSignatureCheck:
                        sigstoreAuthorities:
                        - displayName: ci
                          publicKeySet:
                            publicKeys:
                            - publicKeyPem: |
                \(pem.split(separator: "\n").map { "                    \($0)" }.joined(separator: "\n"))

                """)
            // containers/image's dir: image with its signature beside it; the pod names it by its manifest digest.
            try FileManager.default.createDirectory(atPath: dir.file("image"), withIntermediateDirectories: true)
            for name in ["manifest.json", "signature-1"] {
                try dir.write("image/" + name, try Fixtures.data(fixtures + "/dir-img-cosign-valid/" + name))
            }
            let digest = "sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00"
            let reference = "192.168.64.2:5000/cosign-signed-single-sample@" + digest
            let evaluate = [
                "platform-policy", "evaluate", "--policy-file", "pp.yaml", "--format", "json", "--image", reference,
            ]
            var result = try Self.run(evaluate + ["--sigstore-signature-file", "image"], in: dir)
            #expect(result.status == 0, "\(result)")
            #expect(result.stdoutText.contains("verified by sigstore authority 0 \\\"ci\\\""), "\(result)")
            result = try Self.run(evaluate, in: dir)
            #expect(result.status == 2)
            #expect(result.stdoutText.contains("--sigstore-signature-file"), "\(result)")

            // The same signature as the layer of a .sig image in skopeo's dir: form (blobs named by hex digest).
            let signature = try #require(
                try JSONSerialization.jsonObject(
                    with: Data(Fixtures.data(fixtures + "/dir-img-cosign-valid/signature-1").dropFirst(15)))
                    as? [String: Any])
            let payload = try #require(Data(base64Encoded: signature["payload"] as! String))
            let annotation = (signature["annotations"] as! [String: String])["dev.cosignproject.cosign/signature"]!
            func hex(_ data: Data) throws -> String {
                let sum = try Subprocess.run(Subprocess.which("sha256sum")!, [], stdin: [UInt8](data))
                return String(sum.stdoutText.prefix(64))
            }
            let config = Data(#"{"architecture":"","os":"","config":{},"rootfs":{"type":"layers","diff_ids":[]}}"#.utf8)
            try FileManager.default.createDirectory(atPath: dir.file("sig"), withIntermediateDirectories: true)
            try dir.write("sig/" + (try hex(payload)), [UInt8](payload))
            try dir.write("sig/" + (try hex(config)), [UInt8](config))
            try dir.write("sig/version", "Directory Transport Version: 1.1\n")
            try dir.write(
                "sig/manifest.json",
                #"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":\#(config.count),"digest":"sha256:\#(try hex(config))"},"layers":[{"mediaType":"application/vnd.dev.cosign.simplesigning.v1+json","size":\#(payload.count),"digest":"sha256:\#(try hex(payload))","annotations":{"dev.cosignproject.cosign/signature":"\#(annotation)"}}]}"#
            )
            result = try Self.run(evaluate + ["--sigstore-signature-file", "sig"], in: dir)
            #expect(result.status == 0, "\(result)")

            // skopeo, an independent implementation, turns it into an OCI layout.
            if Subprocess.which("skopeo") != nil {
                let copy = try Subprocess.run(
                    Subprocess.which("skopeo")!,
                    [
                        "copy", "--insecure-policy", "dir:" + dir.file("sig"),
                        "oci:" + dir.file("layout") + ":sha256-634a.sig",
                    ])
                #expect(copy.status == 0, "\(copy)")
                result = try Self.run(evaluate + ["--sigstore-signature-file", "layout"], in: dir)
                #expect(result.status == 0, "\(result)")
            } else {
                print("skopeo is not installed; skipping the OCI layout it writes (apt-get install skopeo)")
            }

            // cosign download signature's JSON lines.
            try dir.write(
                "download.jsonl",
                #"{"Base64Signature":"\#(annotation)","Payload":"\#(payload.base64EncodedString())","Cert":null,"Chain":null,"Bundle":null,"RFC3161Timestamp":null}"#
                    + "\n")
            result = try Self.run(evaluate + ["--sigstore-signature-file", "download.jsonl"], in: dir)
            #expect(result.status == 0, "\(result)")

            // A tampered blob is refused, naming the file.
            try dir.write("sig/" + (try hex(payload)), [UInt8](payload) + [0x20])
            result = try Self.run(evaluate + ["--sigstore-signature-file", "sig"], in: dir)
            #expect(result.status == 1)
            #expect(
                result.stderrText.contains("sig/manifest.json: layers[0].digest: the layer blob does not have digest"),
                "\(result)")
        }

        @Test("slsaCheck from gcloud describe --show-provenance output; --builder-key-file replaces the bundled keys")
        func slsaProvenance() throws {
            let dir = try TemporaryDirectory()
            let corpus = "corpora/slsa-verifier-gcb"
            try dir.write(
                "pp.yaml",
                """
                gkePolicy:
                  checkSets:
                  - checks:
                    - displayName: built by Cloud Build
                      slsaCheck:
                        rules:
                        - trustedBuilder: GOOGLE_CLOUD_BUILD
                          configBasedBuildRequired: true
                          trustedSourceRepoPatterns: [github.com/khalkie/*]
                """)
            try FileManager.default.createDirectory(atPath: dir.file("provenance"), withIntermediateDirectories: true)
            try dir.write(
                "provenance/v1.json", try Fixtures.data(corpus + "/testdata/v1.0-gcloud-container-github-single.json"))
            let image =
                "us-central1-docker.pkg.dev/argo-local-khalk/khalk-docker-ar/prod-prov-image@sha256:7e9b6e7ba2842c91cf49f3e214d04a7a496f8214356f41d81a6e6dcad11f11e3"
            let evaluate = [
                "platform-policy", "evaluate", "--policy-file", "pp.yaml", "--image", image, "--format", "json",
            ]
            var result = try Self.run(evaluate + ["--provenance-file", "provenance"], in: dir)
            #expect(result.status == 0, "\(result)")
            #expect(result.stdoutText.contains("satisfying rule 0"), "\(result)")
            result = try Self.run(evaluate, in: dir)
            #expect(result.status == 2)
            #expect(result.stdoutText.contains("--provenance-file"), "\(result)")
            // Trusting only a regional key: the v1 provenance's global signature no longer counts.
            try FileManager.default.createDirectory(atPath: dir.file("keys"), withIntermediateDirectories: true)
            try dir.write("keys/us-west2.key", try Fixtures.data(corpus + "/keys/us-west2.key"))
            result = try Self.run(
                evaluate + ["--provenance-file", "provenance", "--builder-key-file", "keys"], in: dir)
            #expect(result.status == 2, "\(result)")
            try dir.write(
                "keys/global-pae-google-hosted-worker_1.key",
                try Fixtures.data(corpus + "/keys/global-pae-google-hosted-worker_1.key"))
            result = try Self.run(
                evaluate + ["--provenance-file", "provenance", "--builder-key-file", "keys"], in: dir)
            #expect(result.status == 0, "\(result)")
            // A key file named otherwise, or not a key, is refused with the file named.
            try dir.write("other.key.pem", try Fixtures.data(corpus + "/keys/us-west2.key"))
            result = try Self.run(
                evaluate + ["--provenance-file", "provenance", "--builder-key-file", "other.key.pem"], in: dir)
            #expect(result.status == 1)
            #expect(result.stderrText.contains("other.key.pem: name the key as slsa-verifier does"), "\(result)")
            try FileManager.default.createDirectory(atPath: dir.file("bad"), withIntermediateDirectories: true)
            try dir.write("bad/europe-west1.key", "not a key")
            result = try Self.run(evaluate + ["--provenance-file", "provenance", "--builder-key-file", "bad"], in: dir)
            #expect(result.status == 1, "\(result)")
            // The truncated upstream file is refused as JSON, naming file and line.
            try dir.write("broken.json", try Fixtures.data(corpus + "/testdata/gcloud-container-no-signature.json"))
            result = try Self.run(evaluate + ["--provenance-file", "broken.json"], in: dir)
            #expect(result.status == 1)
            #expect(result.stderrText.contains("broken.json:"), "\(result)")
        }

        @Test(
            "evaluate-and-sign: attestations as gcloud's helpers read them, the .att layout skopeo reads, the inlined resource"
        )
        func evaluateAndSign() throws {
            let dir = try TemporaryDirectory()
            try dir.write("pp.yaml", Self.policy)
            try OpenSSL.run(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", dir.file("key.pem")])
            let resource = """
                {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "team"},
                 "spec": {"template": {"metadata": {"annotations": {"binaryauthorization.googleapis.com/attestations": "OLD"}},
                  "spec": {"containers": [{"name": "web", "image": "\(Self.trusted)"}]}}}}
                """
            try dir.write("deploy.json", resource)
            let sign = [
                "platform-policy", "evaluate-and-sign", "--policy-file", "pp.yaml", "--signing-key", "key.pem",
                "--signing-algorithm", "ecdsa-p256-sha256", "--at", "2026-12-01T00:00:00Z",
            ]
            var result = try Self.run(
                sign + [
                    "--resource", "deploy.json", "--output-file", "out.json", "--oci-layout", "layout", "--format",
                    "json",
                ],
                in: dir)
            #expect(result.status == 0, "\(result)")
            let response = try JSONSerialization.jsonObject(with: Data(result.stdout)) as! [String: Any]
            let attestations = try #require(response["attestations"] as? [String])
            #expect(attestations.count == 1)
            let inlined =
                try JSONSerialization.jsonObject(with: Data(contentsOf: dir.url.appendingPathComponent("out.json")))
                as! [String: Any]
            let annotations =
                (((inlined["spec"] as! [String: Any])["template"] as! [String: Any])["metadata"] as! [String: Any])[
                    "annotations"]
                as! [String: String]
            #expect(annotations["binaryauthorization.googleapis.com/attestations"] == "OLD," + attestations[0])

            // The layout: one sha256-HEX.att image, readable by skopeo.
            let index =
                try JSONSerialization.jsonObject(
                    with: Data(contentsOf: dir.url.appendingPathComponent("layout/index.json")))
                as! [String: Any]
            let entry = (index["manifests"] as! [[String: Any]])[0]
            #expect(
                (entry["annotations"] as? [String: String])?["org.opencontainers.image.ref.name"]
                    == "sha256-\(Self.digest).att")
            let manifestDigest = entry["digest"] as! String
            let manifest = try String(
                contentsOf: dir.url.appendingPathComponent("layout/blobs/sha256/" + manifestDigest.dropFirst(7)),
                encoding: .utf8)
            if let skopeo = Subprocess.which("skopeo") {
                let inspect = try Subprocess.run(
                    skopeo, ["inspect", "--raw", "oci:" + dir.file("layout") + ":sha256-\(Self.digest).att"])
                #expect(inspect.status == 0, "\(inspect)")
                #expect(inspect.stdoutText == manifest)
            } else {
                print("skopeo is not installed; skipping its reading of the attestation layout")
            }

            // gcloud's own helpers agree: the image each attestation names, the image it would push (manifest and
            // config byte for byte), the resource it would write, and its message class reads the response.
            if GcloudTool.unavailableReason == nil {
                let json = String(
                    decoding: try JSONSerialization.data(
                        withJSONObject: [
                            "op": "deploy-attestations", "resource": resource, "attestations": attestations,
                        ] as [String: Any]), as: UTF8.self)
                let gcloud = try Subprocess.run(
                    GcloudTool.python!, [Fixtures.url("tools/gcloud_resource_tool.py").path],
                    stdin: Array((json + "\n").utf8),
                    environment: ["GCLOUD_SDK_ROOT": GcloudTool.sdkRoot!, "CLOUDSDK_CONFIG": dir.file("gcloud-config")])
                let answer = try JSONSerialization.jsonObject(with: Data(gcloud.stdout)) as! [String: Any]
                #expect(answer["ok"] as? Bool == true, "\(answer)")
                let image = (answer["images"] as! [[String: String]])[0]
                #expect(image["url"] == "us-docker.pkg.dev/my-proj/apps/web@sha256:" + Self.digest)
                #expect(image["manifest"] == manifest)
                let configDigest =
                    (((try JSONSerialization.jsonObject(with: Data(manifest.utf8)) as! [String: Any])["config"])
                    as! [String: Any])["digest"] as! String
                let config = try String(
                    contentsOf: dir.url.appendingPathComponent("layout/blobs/sha256/" + configDigest.dropFirst(7)),
                    encoding: .utf8)
                #expect(image["config"] == config)
                let theirs =
                    try JSONSerialization.jsonObject(with: Data((answer["inlined"] as! String).utf8)) as! NSDictionary
                #expect(theirs == inlined as NSDictionary)
                let decoded = try GcloudTool.batch([["op": "evaluate-response", "json": result.stdoutText]])[0]
                #expect((decoded["strict"] as? [String: Any])?["ok"] as? Bool == true, "\(decoded)")
            } else {
                print(GcloudTool.unavailableReason!)
            }

            // Not CONFORMANT: exit 2 and nothing written.
            result = try Self.run(
                sign + ["--image", "docker.io/library/nginx@sha256:" + Self.digest, "--oci-layout", "none"], in: dir)
            #expect(result.status == 2, "\(result)")
            #expect(!FileManager.default.fileExists(atPath: dir.file("none")))
            // gcloud's usage rules.
            result = try Self.run(sign + ["--image", Self.trusted, "--output-file", "x.json"], in: dir)
            #expect(result.status == 64)
            #expect(result.stderrText.contains("Cannot specify --output-file without --resource."), "\(result)")
            result = try Self.run(
                [
                    "platform-policy", "evaluate", "--policy-file", "pp.yaml", "--image", Self.trusted,
                    "--generate-deploy-attestations",
                ],
                in: dir)
            #expect(result.status == 64, "\(result)")
            result = try Self.run(
                [
                    "platform-policy", "evaluate", "--policy-file", "pp.yaml", "--image", Self.trusted,
                    "--generate-deploy-attestations",
                    "--signing-key", "key.pem", "--signing-algorithm", "ecdsa-p256-sha256", "--format", "json",
                ], in: dir)
            #expect(result.status == 0, "\(result)")
            #expect(result.stdoutText.hasPrefix(#"{"attestations": [""#), "\(result)")
        }

        @Test(
            "Hostile directories and evidence (review regressions): links not followed, loops, duplicate digests, wrong keys"
        )
        func hostileInputs() throws {
            let dir = try TemporaryDirectory()
            try dir.write("pp.yaml", Self.policy)
            // A link inside a --resource directory is not followed: not to a file outside it, not around a loop.
            try FileManager.default.createDirectory(atPath: dir.file("k8s"), withIntermediateDirectories: true)
            try dir.write(
                "outside.yaml",
                "apiVersion: v1\nkind: Pod\nmetadata: {name: evil}\nspec: {containers: [{name: c, image: docker.io/evil:1}]}\n"
            )
            try dir.write(
                "k8s/pod.yaml",
                "apiVersion: v1\nkind: Pod\nmetadata: {name: ok}\nspec: {containers: [{name: c, image: \"\(Self.trusted)\"}]}\n"
            )
            try FileManager.default.createSymbolicLink(
                atPath: dir.file("k8s/link.yaml"), withDestinationPath: "../outside.yaml")
            try FileManager.default.createSymbolicLink(atPath: dir.file("k8s/loop"), withDestinationPath: ".")
            var result = try Self.run(
                ["platform-policy", "evaluate", "--policy-file", "pp.yaml", "--resource", "k8s", "--format", "json"],
                in: dir)
            #expect(result.status == 0, "\(result)")
            #expect(!result.stdoutText.contains("evil"), "\(result)")

            // A P-384 key cannot be one of Cloud Build's provenance keys.
            try OpenSSL.run(["ecparam", "-name", "secp384r1", "-genkey", "-noout", "-out", dir.file("p384.pem")])
            try OpenSSL.run(["pkey", "-in", dir.file("p384.pem"), "-pubout", "-out", dir.file("us-east1.key")])
            result = try Self.run(
                [
                    "platform-policy", "evaluate", "--policy-file", "pp.yaml", "--image", Self.trusted,
                    "--builder-key-file", "us-east1.key",
                ],
                in: dir)
            #expect(result.status == 1)
            #expect(
                result.stderrText.contains("us-east1.key: Cloud Build signs provenance with ECDSA P-256 keys"),
                "\(result)")

            // Deploy attestations: a digest that is not 64 hex digits gets none; one digest in two repositories cannot
            // share one layout.
            try OpenSSL.run(["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", dir.file("key.pem")])
            let sign = [
                "platform-policy", "evaluate-and-sign", "--policy-file", "pp.yaml", "--signing-key", "key.pem",
                "--signing-algorithm", "ecdsa-p256-sha256", "--format", "json",
            ]
            result = try Self.run(sign + ["--image", "us-docker.pkg.dev/my-proj/apps/web@sha256:XYZ"], in: dir)
            #expect(result.status == 0, "\(result)")
            #expect(!result.stdoutText.contains("attestations"), "\(result)")
            #expect(result.stderrText.contains("no deploy attestation"), "\(result)")
            result = try Self.run(
                sign + [
                    "--image", Self.trusted, "--image", "us-docker.pkg.dev/my-proj/mirror/web@sha256:" + Self.digest,
                    "--oci-layout", "dup",
                ],
                in: dir)
            #expect(result.status == 1, "\(result)")
            #expect(result.stderrText.contains("have the same digest"), "\(result)")

            // A directory of signature layouts, one per image, is read as such; a manifest whose bytes do not match
            // its digest in index.json is refused.
            try dir.write(
                "sig.yaml",
                """
                gkePolicy:
                  checkSets:
                  - checks:
                    - sigstoreSignatureCheck:
                        sigstoreAuthorities:
                        - publicKeySet:
                            publicKeys:
                            - publicKeyPem: |
                \(try Fixtures.text("corpora/containers-image/signature/fixtures/cosign.pub").split(separator: "\n").map { "                    \($0)" }.joined(separator: "\n"))

                """)
            try FileManager.default.createDirectory(
                atPath: dir.file("signatures/one"), withIntermediateDirectories: true)
            for name in ["manifest.json", "signature-1"] {
                try dir.write(
                    "signatures/one/" + name,
                    try Fixtures.data("corpora/containers-image/signature/fixtures/dir-img-cosign-valid/" + name))
            }
            let signed =
                "192.168.64.2:5000/cosign-signed-single-sample@sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00"
            result = try Self.run(
                [
                    "platform-policy", "evaluate", "--policy-file", "sig.yaml", "--image", signed,
                    "--sigstore-signature-file", "signatures",
                ],
                in: dir)
            #expect(result.status == 0, "\(result)")
            let layout = dir.file("layout")
            try FileManager.default.createDirectory(atPath: layout + "/blobs/sha256", withIntermediateDirectories: true)
            try dir.write("layout/oci-layout", #"{"imageLayoutVersion": "1.0.0"}"#)
            let fake = String(repeating: "0", count: 64)
            try dir.write("layout/blobs/sha256/" + fake, #"{"schemaVersion": 2, "layers": []}"#)
            try dir.write("layout/index.json", #"{"schemaVersion": 2, "manifests": [{"digest": "sha256:\#(fake)"}]}"#)
            result = try Self.run(
                [
                    "platform-policy", "evaluate", "--policy-file", "sig.yaml", "--image", signed,
                    "--sigstore-signature-file", "layout",
                ],
                in: dir)
            #expect(result.status == 1, "\(result)")
            #expect(result.stderrText.contains("does not have digest"), "\(result)")
        }

        // MARK: audit

        @Test("audit over a kubectl get pods -A -o json dump: one CV log entry per violating pod, as JSON lines")
        func auditDump() throws {
            let dir = try TemporaryDirectory()
            try dir.write("pp.yaml", Self.policy)
            let pods = KubernetesDump.synthetic(count: 44)
            try dir.write("pods.json", KubernetesDump.json(pods))
            let inPolicy: (String) -> Bool = {
                $0.hasPrefix("us-docker.pkg.dev/my-proj/") || $0.hasPrefix("gke.gcr.io/")
            }
            // The synthetic dump's images are in us-docker.pkg.dev/prod-project/: outside the trusted directory.
            #expect(pods.allSatisfy { !$0.containers.allSatisfy(inPolicy) })
            var result = try Self.run(
                [
                    "platform-policy", "audit", "--policy-file", "pp.yaml", "--resource", "pods.json", "--cluster",
                    "us-central1-a.prod-cluster", "--at", "2026-12-01T00:00:00Z",
                ], in: dir)
            #expect(result.status == 2, "\(result)")
            let lines = result.stdoutText.split(separator: "\n")
            #expect(lines.count == pods.count)
            let entries = try lines.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
            for (entry, pod) in zip(entries, pods) {
                #expect(
                    entry["logName"] as? String
                        == "projects/my-proj/logs/binaryauthorization.googleapis.com%2Fcontinuous_validation")
                #expect(entry["severity"] as? String == "WARNING")
                #expect(entry["timestamp"] as? String == "2026-12-01T00:00:00Z")
                let resource = entry["resource"] as! [String: Any]
                #expect(resource["type"] as? String == "k8s_cluster")
                #expect(
                    resource["labels"] as? [String: String]
                        == ["project_id": "my-proj", "location": "us-central1-a", "cluster_name": "prod-cluster"])
                let payload = entry["jsonPayload"] as! [String: Any]
                #expect(
                    payload["@type"] as? String
                        == "type.googleapis.com/google.cloud.binaryauthorization.v1beta1.ContinuousValidationEvent")
                let event = payload["podEvent"] as! [String: Any]
                #expect(event["pod"] as? String == pod.name)
                #expect(event["podNamespace"] as? String == pod.namespace)
                #expect(event["policyName"] as? String == "projects/my-proj/platforms/gke/policies/prod")
                #expect(event["verdict"] as? String == "VIOLATES_POLICY")
                let images = event["images"] as! [[String: Any]]
                #expect(images.map { $0["image"] as? String } == pod.containers + pod.initContainers)
                #expect(images.map { $0["containerType"] as? String } == ["CONTAINER", "CONTAINER", "INIT_CONTAINER"])
                #expect(images.map { $0["containerName"] as? String } == ["c0", "c1", "init0"])
                let check = (images[0]["checkResults"] as! [[String: Any]])[0]
                #expect(check["checkType"] as? String == "TrustedDirectoryCheck")
                #expect(check["checkSetIndex"] as? String == (pod.namespace == "prod" ? "0" : "1"))
                #expect(
                    (check["explanation"] as? String)?.hasPrefix(
                        "TrustedDirectoryCheck at index 0 with display name \"dirs\" has verdict NOT_CONFORMANT. Image is not in a trusted directory"
                    ) == true)
            }
            #expect(
                result.stderrText.contains("audited 44 pods: 44 violate projects/my-proj/platforms/gke/policies/prod"),
                "\(result)")

            // A dump where every pod conforms: no entry, exit 0. No --cluster: a note.
            let good = (0..<5).map {
                KubernetesDump.Pod(name: "ok-\($0)", namespace: "team", containers: [Self.trusted])
            }
            try dir.write("good.json", KubernetesDump.json(good))
            result = try Self.run(
                [
                    "platform-policy", "audit", "--policy-file", "pp.yaml", "--resource", "good.json", "--policy-name",
                    "projects/p/platforms/gke/policies/x",
                ],
                in: dir)
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.isEmpty)
            #expect(result.stderrText.contains("no --cluster"), "\(result)")
            #expect(
                result.stderrText.contains("audited 5 pods: 0 violate projects/p/platforms/gke/policies/x"), "\(result)"
            )

            // Errors only (prod pods without upload times): no entry, each listed on standard error.
            let prod = [KubernetesDump.Pod(name: "web", namespace: "prod", containers: [Self.trusted])]
            try dir.write("prod.json", KubernetesDump.json(prod))
            result = try Self.run(
                ["platform-policy", "audit", "--policy-file", "pp.yaml", "--resource", "prod.json"], in: dir)
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.isEmpty)
            #expect(
                result.stderrText.contains(
                    "note: not evaluated: prod/web: \(Self.trusted): ImageFreshnessCheck at index 1: no upload time"),
                "\(result)")
        }

        @Test("audit needs a policy name of the form projects/P/platforms/gke/policies/ID")
        func auditPolicyName() throws {
            let dir = try TemporaryDirectory()
            try dir.write("pp.yaml", Self.policy.split(separator: "\n").dropFirst().joined(separator: "\n"))
            try dir.write(
                "pod.json", KubernetesDump.json([.init(name: "a", namespace: "b", containers: [Self.trusted])]))
            var result = try Self.run(
                ["platform-policy", "audit", "--policy-file", "pp.yaml", "--resource", "pod.json"], in: dir)
            #expect(result.status == 1)
            #expect(result.stderrText.contains("the policy has no name; give --policy-name"), "\(result)")
            result = try Self.run(
                [
                    "platform-policy", "audit", "--policy-file", "pp.yaml", "--resource", "pod.json", "--policy-name",
                    "projects/p/policy",
                ],
                in: dir)
            #expect(result.status == 1)
            #expect(result.stderrText.contains("is not projects/P/platforms/gke/policies/ID"), "\(result)")
            result = try Self.run(
                [
                    "platform-policy", "audit", "--policy-file", "pp.yaml", "--resource", "pod.json", "--cluster",
                    "nodot",
                ],
                in: dir)
            #expect(result.status == 64, "\(result)")
        }
    }
}
