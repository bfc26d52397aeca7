// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import BinAuthzPolicy
import Foundation

/// The decision engine: decisions per second for a realistic pod against a large policy, how the cost grows
/// with the allowlist, and the cost of a decision when attestations are already verified.
///
/// The reference column is a straightforward engine that scans the allowlist pattern by pattern (a tight
/// `hasPrefix` loop over pre-parsed patterns) — what the trie replaces.
enum EngineBenchmarks: BenchmarkSuite {
    static let name = "policy engine"

    static func run() throws -> [BenchmarkRow] {
        var rows: [BenchmarkRow] = []
        let time = Date(timeIntervalSince1970: 1_559_347_200)

        // MARK: Compile and decide: 1,000 patterns, 200 cluster rules

        for patternCount in [1_000, 10_000] {
            let policy = makePolicy(patterns: patternCount, clusterRules: 200)
            let compile = try Measure.median(iterations: 5) { _ = try PolicyEvaluator(policy: policy) }
            rows.append(
                BenchmarkRow(
                    section: "engine",
                    operation: "compile a policy (\(patternCount.formatted()) patterns, 200 cluster rules)",
                    ours: Measure.formatDuration(compile), reference: "—",
                    note: "validation + trie build, once per policy"))

            let evaluator = try PolicyEvaluator(policy: policy)
            let linear = LinearEngine(policy: policy)
            let request = realisticPod
            let evidence = DictionaryEvidence(
                verified: Set(request.images.map { "projects/bench/attestors/ci-137|\($0)" }))
            let check = try evaluator.evaluate(request, evidence: evidence, at: time)
            precondition(check.isAllowed && check.images.map(\.rule.kind) == [.cluster, .allowlist, .allowlist])
            let ours = try Measure.throughput(batch: 200) {
                _ = try evaluator.evaluate(request, evidence: evidence, at: time)
            }
            let reference = try Measure.throughput(batch: 20) {
                _ = try linear.evaluate(request, evidence: evidence, at: time)
            }
            rows.append(
                BenchmarkRow(
                    section: "engine",
                    operation: "decide a 3-image pod (\(patternCount.formatted()) patterns, 200 cluster rules)",
                    ours: "\(Measure.formatRate(ours)) (\(Measure.formatDuration(1 / ours)) each)",
                    reference: "\(Measure.formatRate(reference)) (\(Measure.formatDuration(1 / reference)) each)",
                    note: "app by digest under REQUIRE_ATTESTATION + 2 allowlisted sidecars; evidence pre-verified; "
                        + "reference = linear pattern scan"))
        }

        // MARK: Growth of the allowlist lookup

        for patternCount in [100, 1_000, 10_000, 100_000] {
            let patterns = makePatterns(patternCount)
            let matcher = try AllowlistMatcher(patterns: patterns)
            let parsed = patterns.map(LinearPattern.init)
            let images = lookupImages(patternCount)
            var sink = 0
            let ours = Measure.throughput(batch: 1_000) {
                for image in images where matcher.matches(image) { sink &+= 1 }
            }
            let reference = Measure.throughput(seconds: 0.5, batch: 1) {
                for image in images where parsed.contains(where: { $0.matches(image) }) { sink &+= 1 }
            }
            precondition(images.filter(matcher.matches).count == images.count / 2)
            precondition(sink > 0)
            let perImage = { (rate: Double) in Measure.formatDuration(1 / (rate * Double(images.count))) }
            rows.append(
                BenchmarkRow(
                    section: "engine", operation: "allowlist lookup, \(patternCount.formatted()) patterns",
                    ours: "\(perImage(ours)) per image", reference: "\(perImage(reference)) per image",
                    note: "trie + hash set vs. linear scan; \(images.count) images, half matching"))
        }

        // MARK: Pre-verified evidence, small policy

        let small = try PolicyEvaluator(
            policy: Policy(
                admissionWhitelistPatterns: ["gcr.io/google_containers/*", "k8s.gcr.io/**"],
                defaultAdmissionRule: .requireAttestation(by: [
                    "projects/bench/attestors/built-by-ci", "projects/bench/attestors/qa",
                ])))
        let digests = (1...3).map { "gcr.io/bench/svc-\($0)@sha256:" + String(repeating: "\($0)", count: 64) }
        let verified = DictionaryEvidence(
            verified: Set(
                digests.flatMap { ["projects/bench/attestors/built-by-ci|\($0)", "projects/bench/attestors/qa|\($0)"] })
        )
        let attested = AdmissionRequest(images: digests, target: DeploymentTarget(cluster: "us-central1-a.prod"))
        let admitted = try small.evaluate(attested, evidence: verified, at: time)
        precondition(admitted.isAllowed)
        let rate = try Measure.throughput(batch: 500) { _ = try small.evaluate(attested, evidence: verified, at: time) }
        rows.append(
            BenchmarkRow(
                section: "engine", operation: "decide a pod with pre-verified evidence (3 digests × 2 attestors)",
                ours: "\(Measure.formatDuration(1 / rate)) per decision", reference: "—",
                note: "evidence answered from a dictionary: the engine's own cost"))
        return rows
    }

    // MARK: Inputs

    /// A pod like the seed article's: the app by digest, a logging sidecar and a metrics sidecar from allowlisted
    /// repositories.
    static let realisticPod = AdmissionRequest(
        images: [
            "gcr.io/acme-prod/checkout@sha256:a46ab6b21371e1e3250d3b512b38aa2727ad61a2fc1ab2d2c135589d315c7442",
            "gcr.io/vendor-377/team-2/fluent-bit:2.2.0",
            "us-docker.pkg.dev/vendor-499/mirror-4/prometheus/node-exporter:v1.7.0",
        ],
        target: DeploymentTarget(cluster: "us-central1-a.cluster-137", namespace: "shop", serviceAccount: "checkout"))

    /// 20 images, half of them under a `team-N/*` pattern of a list of `count` patterns, half matching nothing.
    static func lookupImages(_ count: Int) -> [String] {
        (0..<20).map { i in
            guard i % 2 == 0 else {
                return "eu.gcr.io/unknown-\(i)/app-\(i)@sha256:" + String(repeating: "ab", count: 32)
            }
            let j = ((i * 7_919) % (count / 5)) * 5 + 2  // a `team-N/*` pattern index
            return "gcr.io/vendor-\(j % 1_000)/team-\(j % 5)/tool-\(i):1.\(i)"
        }
    }

    /// `count` patterns: 40 % exact images, 40 % `registry/project/team/*`, 20 % `registry/project/repo/**`.
    static func makePatterns(_ count: Int) -> [String] {
        (0..<count).map { i in
            switch i % 5 {
            case 0, 1: "gcr.io/vendor-\(i % 1_000)/app-\(i):1.\(i % 7)"
            case 2, 3: "gcr.io/vendor-\(i % 1_000)/team-\(i % 5)/*"
            default: "us-docker.pkg.dev/vendor-\(i % 1_000)/mirror-\(i % 5)/**"
            }
        }
    }

    static func makePolicy(patterns: Int, clusterRules: Int) -> Policy {
        var rules: [String: AdmissionRule] = [:]
        for i in 0..<clusterRules {
            rules["us-central1-a.cluster-\(i)"] = .requireAttestation(by: ["projects/bench/attestors/ci-\(i)"])
        }
        return Policy(
            name: "projects/bench/policy", globalPolicyEvaluationMode: .enable,
            admissionWhitelistPatterns: makePatterns(patterns).map { AdmissionWhitelistPattern(namePattern: $0) },
            clusterAdmissionRules: rules, defaultAdmissionRule: .alwaysDeny)
    }
}

/// Evidence answered from a set of verified `attestor|image` pairs.
private struct DictionaryEvidence: AttestationEvidence {
    var verified: Set<String>

    func verify(attestor: String, image: ImageReference, at time: Date) -> AttestorVerification {
        guard verified.contains("\(attestor)|\(image)") else {
            return .notVerified(AttestationFailure(.noEvidence, message: "not in the table"))
        }
        return .verified(
            VerifiedAttestation(
                uncheckedOccurrence: nil, note: "projects/p/notes/n", keyID: "k", signer: "a table", payload: [],
                digest: image.digest ?? ""))
    }
}

/// The comparison engine: the same order of checks, with the system policy and allowlist scanned pattern by
/// pattern.
private struct LinearEngine {
    let policy: Policy
    let system = SystemPolicy.bundled.patterns.map(LinearPattern.init)
    let allowlist: [LinearPattern]

    init(policy: Policy) {
        self.policy = policy
        allowlist = policy.admissionWhitelistPatterns.compactMap(\.namePattern).map(LinearPattern.init)
    }

    func evaluate(_ request: AdmissionRequest, evidence: some AttestationEvidence, at time: Date) throws -> Bool {
        let rule = request.target.cluster.flatMap { policy.clusterAdmissionRules[$0] } ?? policy.defaultAdmissionRule!
        for image in request.images {
            if system.contains(where: { $0.matches(image) }) || allowlist.contains(where: { $0.matches(image) }) {
                continue
            }
            switch rule.evaluationMode {
            case .alwaysAllow?: continue
            case .requireAttestation?:
                guard let reference = try? ImageReference(image) else { return false }
                for attestor in rule.requireAttestationsBy
                where !(try evidence.verify(attestor: attestor, image: reference, at: time).isVerified) {
                    return false
                }
            default: return false
            }
        }
        return true
    }
}

/// One pre-parsed pattern of the linear reference.
private struct LinearPattern {
    var prefix: String
    var wildcard: SyntaxRules.NamePattern.Wildcard

    init(_ text: String) {
        let parsed = try! SyntaxRules.parseNamePattern(text).get()
        prefix = parsed.prefix
        wildcard = parsed.wildcard
    }

    func matches(_ image: String) -> Bool {
        switch wildcard {
        case .none: return image == prefix
        case .anyDepth: return image.hasPrefix(prefix)
        case .singleLevel:
            return image.hasPrefix(prefix) && !image.utf8.dropFirst(prefix.utf8.count).contains(UInt8(ascii: "/"))
        }
    }
}
