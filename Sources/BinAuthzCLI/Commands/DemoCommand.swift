// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import BinAuthz
import Crypto
import Foundation
import _BinAuthzSystem

/// `binauthz demo` — the seed article's whole story, offline.
///
/// "Automating container security in GKE with Binary Authorization and CircleCI" (Nithin Mallya, Dec 2018) sets up a
/// note, a PGP attestor and a policy that restricts cluster `us-central1-b.cd-cluster` to attested images; its
/// CircleCI job signs every pushed image with a PGP key kept base64-encoded in `BINAUTH_PRIVATE_KEY`. This command
/// plays every step with the library, checks that each behaves as the article describes, and exits non-zero if one
/// does not.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Play the seed article's CI + admission story offline, step by step (what `make demo` runs).",
        discussion: """
            Works in a private temporary directory that is removed at the end (--keep-files keeps it). Exits 0 when \
            every step behaved as described, 1 otherwise.
            """
    )

    @Flag(name: .customLong("keep-files"), help: "Keep the generated files (keys excepted) and print where they are.")
    var keepFiles = false

    func run() throws {
        let demo = try Demo(keepFiles: keepFiles)
        defer { demo.finish() }
        try demo.play()
    }
}

/// The demo's state and narration.
final class Demo {
    let project = "nmallyatestproject"
    let cluster = "us-central1-b.cd-cluster"
    let otherCluster = "us-east1-c.qa-cluster"
    let directory: TemporaryFolder
    let keepFiles: Bool
    private var failures: [String] = []
    private var step = 0

    var note: NoteName { NoteName(project: project, note: "Human-Attestor-Note") }
    var attestorName: AttestorName { AttestorName(project: project, attestor: "manually-verified") }

    init(keepFiles: Bool) throws {
        directory = try TemporaryFolder(prefix: "binauthz-demo")
        self.keepFiles = keepFiles
    }

    func finish() {
        if keepFiles {
            // The secret key never leaves the signing keyring's home, so nothing secret is kept.
            print("\nFiles kept in \(directory.path)")
        } else {
            directory.remove()
        }
    }

    // MARK: Narration

    private func section(_ title: String) {
        step += 1
        print("\n\(step). \(title)")
    }

    private func say(_ text: String) { print("   \(text)") }

    private func check(_ condition: Bool, _ description: String) {
        print("   \(condition ? "✔" : "✘") \(description)")
        if !condition { failures.append(description) }
    }

    private func save(_ name: String, _ text: String) throws -> String {
        let path = directory.path + "/" + name
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) else {
            throw CLIError("demo: cannot write \(path)")
        }
        return path
    }

    // MARK: The story

    func play() throws {
        print(
            """
            Binary Authorization, offline — the story of "Automating container security in GKE with Binary
            Authorization and CircleCI": a CircleCI job signs every image it pushes, and GKE admits only signed
            images on the CD cluster. Every step below runs locally; the gcloud/curl command it replaces is shown.
            Working directory: \(directory.path)
            """)

        // 1. Note
        section("One-time setup: the attestation note (kube/onetime_setup.sh)")
        let noteResource = Note.attestationNote(note, humanReadableName: "Human Attestation Note Demo")
        let notePath = try save("note.json", noteResource.jsonString())
        say("curl -X POST …/v1/projects/\(project)/notes/?noteId=\(note.note) --data-binary @\(notePath)")
        check(
            noteResource.humanReadableName == "Human Attestation Note Demo", "note \(note) with its human-readable hint"
        )

        // 2. Key pair
        section("One-time setup: the attestor's PGP key pair (gpg --quick-generate-key)")
        let keyring: EphemeralKeyring
        do {
            keyring = try EphemeralKeyring(options: PGPKeyringDirectory.options(.signing))
        } catch {
            throw CLIError("demo: cannot create a GnuPG keyring: \(error)")
        }
        defer { keyring.close() }
        let key = try keyring.generateKey(userID: "Binauthz Attestor <attestor@example.com>", algorithm: .ed25519)
        let publicKey = try keyring.exportPublicKey(key.fingerprint)
        let secretKey = try keyring.exportSecretKey(key.fingerprint)
        say("generated \(key.algorithm) key \(key.fingerprint) in a private temporary GnuPG home")
        let publicPath = try save("attestor-public.asc", publicKey)
        check(
            (try? PGPKeyBlock(armored: publicKey).singleKey().fingerprint) == key.fingerprint,
            "public key exported (\(publicPath)); its fingerprint, computed from the packets, is the key id")

        // 3. Attestor
        section("One-time setup: the attestor (gcloud … attestors create, attestors public-keys add)")
        var attestor = Attestor(name: attestorName, note: note)
        let entry = try attestor.addPGPPublicKey(publicKey)
        let attestorPath = try save("attestor.yaml", attestor.yamlString())
        say("binauthz attestors create --attestor \(attestorName) --note \(note) --pgp-public-key-file \(publicPath)")
        check(
            entry.id == key.fingerprint.hex && attestor.validate().isEmpty,
            "attestor \(attestorName) with key id \(entry.id ?? "")")
        say("written as gcloud would describe it: \(attestorPath)")

        // 4. Policy
        section("One-time setup: the article's policy, kube/sec-policy.yml (gcloud … policy import)")
        let policy = try Policy(yaml: Self.secPolicy)
        let policyPath = try save("sec-policy.yml", Self.secPolicy)
        say("binauthz policy validate --policy-file \(policyPath)")
        check(
            policy.validate().isEmpty,
            "the policy is valid: default ALWAYS_ALLOW, \(cluster) REQUIRE_ATTESTATION by \(attestorName)")

        // 5. CI: payload
        section("CircleCI job push-dev-server: build, push, sign (kube/generate_signature.sh)")
        let manifest = Array(
            "{\"schemaVersion\":2,\"config\":{\"digest\":\"containerdemo \(Date().timeIntervalSince1970)\"}}".utf8)
        let digest = "sha256:" + SHA256.hash(data: manifest).map { String(format: "%02x", $0) }.joined()
        let image = "gcr.io/\(project)/containerdemo@\(digest)"
        say("pushed gcr.io/\(project)/containerdemo:$CIRCLE_SHA1 → manifest digest \(digest)")
        let payload = try SignaturePayload.create(artifactURL: image)
        let payloadPath = try save("generated_payload.json", String(decoding: payload, as: UTF8.self))
        say("binauthz create-signature-payload --artifact-url \(image) > \(payloadPath)")
        check(
            (try? SignaturePayload(parsing: payload))?.manifestDigest == digest,
            "payload for the digest (\(payload.count) bytes, byte-identical to gcloud's)")

        // 6. CI: key from the environment, sign, occurrence
        let environmentValue = Data(secretKey.utf8).base64EncodedString()
        say(
            "BINAUTH_PRIVATE_KEY holds the exported secret key, base64-encoded (\(environmentValue.utf8.count) characters)"
        )
        let signer = try AttestationSigner.pgp(
            base64SecretKey: environmentValue, keyringBaseDirectory: PGPKeyringDirectory.base)
        defer { signer.close() }
        let occurrence = try AttestationOccurrence.signAndCreate(artifactURL: image, note: note, signer: signer)
        let occurrencePath = try save("occurrence.json", occurrence.jsonString())
        say(
            "binauthz attestations sign-and-create --artifact-url \(image) --note \(note) --pgp-private-key-env BINAUTH_PRIVATE_KEY"
        )
        let signature = occurrence.attestation?.signatures.first?.signature ?? []
        check(
            String(decoding: signature, as: UTF8.self).hasPrefix("-----BEGIN PGP MESSAGE-----")
                && occurrence.attestation?.signatures.first?.publicKeyID == key.fingerprint.hex,
            "attached, ASCII-armored signature (gpg --armor --sign) by key \(key.fingerprint)")
        say("occurrence to upload (curl -X POST …/v1/projects/\(project)/occurrences): \(occurrencePath)")

        // Deploys happen after the CI job: evaluate from now on (key validity is judged at this instant).
        let now = Date()
        let verifier = try AttestorVerifier(
            attestors: [attestor], occurrences: [occurrence],
            pgp: PGPAttestationKeys(keyringBaseDirectory: PGPKeyringDirectory.base))
        defer { verifier.close() }
        let validation = try verifier.validate(occurrence, attestor: attestorName.description, at: now)
        check(validation.isVerified, "binauthz attestations validate → \(validation.result)")

        // 7. Deploys
        section("GKE admission on \(cluster): the attested image")
        let evaluator = try PolicyEvaluator(policy: policy)
        func deploy(_ images: [String], cluster: String, labels: [String: String] = [:]) throws -> AdmissionDecision {
            try evaluator.evaluate(
                AdmissionRequest(images: images, target: DeploymentTarget(cluster: cluster), labels: labels),
                evidence: verifier, at: now)
        }
        let admitted = try deploy([image], cluster: cluster)
        say("kubectl apply -f containerdemo.yaml   (image \(image))")
        check(
            admitted.isAllowed,
            "admitted by \(admitted.images.first?.rule.description ?? "?"): \(admitted.images.first?.reason ?? "")")

        section("GKE admission on \(cluster): a locally built, unsigned image")
        let unsignedDigest =
            "sha256:" + SHA256.hash(data: Array("a laptop build".utf8)).map { String(format: "%02x", $0) }.joined()
        let unsigned = "gcr.io/\(project)/containerdemo@\(unsignedDigest)"
        let denied = try deploy([unsigned], cluster: cluster)
        let expected =
            "Image \(unsigned) denied by Binary Authorization cluster admission rule for \(cluster). Image \(unsigned) "
            + "denied by attestor \(attestorName): No attestations found that were valid and signed by a key trusted by the attestor"
        check(!denied.isAllowed && denied.message == expected, "denied; kubectl would print:")
        say(
            "Error from server (VIOLATES_POLICY): admission webhook \"imagepolicywebhook.image-policy.k8s.io\" denied the request: \(denied.message)"
        )

        section("GKE admission on \(cluster): an allowlisted image")
        let allowlisted = "k8s.gcr.io/pause:3.1"
        let system = try deploy([allowlisted], cluster: cluster)
        check(system.isAllowed, "\(allowlisted) admitted by \(system.images.first?.rule.description ?? "?")")

        section("GKE admission on another cluster (\(otherCluster)): the same unsigned image")
        let elsewhere = try deploy([unsigned], cluster: otherCluster)
        check(
            elsewhere.isAllowed && elsewhere.images.first?.rule == .default,
            "admitted by the default rule (ALWAYS_ALLOW)")

        section("Break-glass on \(cluster): the unsigned image with label image-policy.k8s.io/break-glass: \"true\"")
        let breakGlass = try deploy([unsigned], cluster: cluster, labels: ["image-policy.k8s.io/break-glass": "true"])
        check(breakGlass.isAllowed && breakGlass.isBreakGlass, "admitted, and the audit log records it:")
        for (label, value) in breakGlass.auditLabels.sorted(by: { $0.key < $1.key }) {
            say("  \(label): \(value.replacingOccurrences(of: "\n", with: "\\n"))")
        }
        check(
            breakGlass.auditLabels[AuditEvent.breakGlassLabel] == "true"
                && breakGlass.auditLabels[AuditEvent.overriddenVerificationResultLabel]?.contains(expected) == true,
            "the would-be denial is reported with the break-glass event")

        print("")
        guard failures.isEmpty else {
            throw CLIError(
                "demo: \(failures.count) step\(failures.count == 1 ? "" : "s") did not behave as described: \(failures.joined(separator: "; "))"
            )
        }
        print("Every step behaved as the article describes.")
    }

    /// kube/sec-policy.yml from the seed repository (nmallya/containerdemo), verbatim.
    static let secPolicy = """
        name: projects/nmallyatestproject/policy
        admissionWhitelistPatterns:
          - namePattern: gcr.io/google_containers/*
          - namePattern: gcr.io/google-containers/*
          - namePattern: k8s.gcr.io/*
          - namePattern: gcr.io/stackdriver-agents/*
        defaultAdmissionRule:
          evaluationMode: ALWAYS_ALLOW
          enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
        clusterAdmissionRules:
          us-central1-b.cd-cluster:
            evaluationMode: REQUIRE_ATTESTATION
            enforcementMode: ENFORCED_BLOCK_AND_AUDIT_LOG
            requireAttestationsBy:
              - projects/nmallyatestproject/attestors/manually-verified

        """
}

/// A private (0700) temporary directory.
struct TemporaryFolder {
    let path: String

    init(prefix: String) throws {
        var template = Array("/tmp/\(prefix).XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ system_mkdtemp($0.baseAddress!) != nil }) else {
            throw CLIError("cannot create a temporary directory under /tmp")
        }
        path = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        SignalCleanup.register(folder: path)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
        SignalCleanup.unregister(folder: path)
    }
}
