// SPDX-License-Identifier: Apache-2.0

@testable import BinAuthzModel
import BinAuthzPolicy
import BinAuthzTestSupport
import Foundation
import Testing

/// Where a manifest could hide an image from the decision: merge keys, repeated keys, nested lists, kinds this reader
/// does not know. Each image the cluster would run must be decided, or the reader must say why not.
@Suite("Manifests read as kubectl reads them")
struct ManifestReadingTests {
    static func contents(_ text: String, limits: InputLimits = .default) throws -> KubernetesManifest.Contents {
        try SmallStack.run { try KubernetesManifest.contents(of: text, limits: limits) }
    }

    static func images(_ text: String) throws -> [String] {
        try contents(text).workloads.flatMap(\.images)
    }

    @Test("A merged init container is decided (the finding: it was admitted undecided)")
    func mergedInitContainer() throws {
        let text = """
            apiVersion: v1
            kind: Pod
            metadata: {name: x}
            spec:
              <<: {initContainers: [{name: x, image: gcr.io/evil/miner:latest}]}
              containers: [{name: app, image: gcr.io/my-proj/app@sha256:\(String(repeating: "a", count: 64))}]
            """
        #expect(
            try Self.images(text) == [
                "gcr.io/my-proj/app@sha256:" + String(repeating: "a", count: 64), "gcr.io/evil/miner:latest",
            ])
    }

    @Test("go-yaml v2 merge order: a merge overrides keys before it, keys after it override the merge")
    func mergeOrder() throws {
        let before = """
            kind: Pod
            spec:
              containers: [{name: a, image: before}]
              <<: {containers: [{name: a, image: merged}]}
            """
        #expect(try Self.images(before) == ["merged"])
        let after = """
            kind: Pod
            spec:
              <<: {containers: [{name: a, image: merged}]}
              containers: [{name: a, image: after}]
            """
        #expect(try Self.images(after) == ["after"])
        let list = """
            base1: &b1 {containers: [{name: a, image: first}]}
            base2: &b2 {containers: [{name: a, image: second}]}
            kind: Pod
            spec:
              <<: [*b1, *b2]
            """
        #expect(try Self.images(list) == ["first"])
    }

    @Test("A repeated key: the last value is decided, with a warning")
    func repeatedKey() throws {
        let text = """
            kind: Pod
            spec:
              containers: [{name: a, image: good}]
              containers: [{name: b, image: evil}]
            """
        let contents = try Self.contents(text)
        #expect(contents.workloads.flatMap(\.images) == ["evil"])
        #expect(contents.warnings.count == 1)
        #expect(contents.warnings[0].contains("\"containers\" is repeated"), "\(contents.warnings)")
        // The same in JSON, as Go's encoding/json reads it.
        let json = #"{"kind": "Pod", "spec": {"containers": [{"image": "good"}], "containers": [{"image": "evil"}]}}"#
        let fromJSON = try Self.contents(json)
        #expect(fromJSON.workloads.flatMap(\.images) == ["evil"])
        #expect(fromJSON.warnings.count == 1)
    }

    @Test("Keys that kubectl would pick between at random are refused")
    func ambiguousKeys() throws {
        let text = """
            kind: Pod
            metadata:
              labels: {1: a, "1": b}
            spec: {containers: [{image: x}]}
            """
        #expect(throws: PolicyEvaluationError.syntax) { try Self.contents(text) }
    }

    @Test("Unknown kinds with a pod template are decided; other image fields are reported")
    func unknownKinds() throws {
        let rollout = """
            apiVersion: argoproj.io/v1alpha1
            kind: Rollout
            metadata: {name: web, namespace: shop}
            spec:
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: web, image: gcr.io/p/web:1}]
                  initContainers: [{name: init, image: gcr.io/p/init:1}]
            ---
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            metadata: {name: wf}
            spec:
              templates:
              - name: main
                container: {image: gcr.io/p/step:1}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: cm}
            data: {image: not-an-image-field-of-a-pod}
            """
        let contents = try Self.contents(rollout)
        #expect(contents.workloads.count == 1)
        #expect(contents.workloads[0].kind == "Rollout")
        #expect(contents.workloads[0].images == ["gcr.io/p/web:1", "gcr.io/p/init:1"])
        #expect(contents.workloads[0].labels == ["app": "web"])
        #expect(contents.workloads[0].effectiveNamespace == "shop")
        #expect(contents.skipped.map(\.description) == ["Workflow/wf", "ConfigMap/cm"])
        #expect(contents.warnings.count == 2)
        #expect(contents.warnings.contains { $0.contains("Workflow/wf") && $0.contains("gcr.io/p/step:1") })
    }

    @Test("Nested Lists cost no stack; the object limit holds just below and above")
    func nestedListsAndObjectLimit() throws {
        var small = "{\"kind\": \"Pod\", \"spec\": {\"containers\": [{\"image\": \"x\"}]}}"
        for _ in 0..<3 { small = "{\"kind\": \"List\", \"items\": [\(small), \(small)]}" }
        // 8 pods + 7 lists = 15 objects.
        var limits = InputLimits.default
        limits.maximumManifestObjects = 15
        #expect(try Self.contents(small, limits: limits).workloads.count == 8)
        limits.maximumManifestObjects = 14
        #expect(throws: PolicyEvaluationError.syntax) { try Self.contents(small, limits: limits) }
        // Aliases multiply objects without multiplying text: 2^16 pods from a few hundred bytes.
        var bomb = "p0: &p0 {kind: Pod, spec: {containers: [{image: x}]}}\n"
        for level in 1...16 {
            bomb += "p\(level): &p\(level) {kind: List, items: [*p\(level - 1), *p\(level - 1)]}\n"
        }
        bomb += "kind: List\nitems: [*p16]\n"
        #expect(throws: PolicyEvaluationError.self) { try Self.contents(bomb) }
        // 60 Lists deep, one pod: within the nesting limit, no recursion.
        var deep = "{\"kind\": \"Pod\", \"spec\": {\"containers\": [{\"image\": \"deep\"}]}}"
        for _ in 0..<30 { deep = "{\"kind\": \"List\", \"items\": [\(deep)]}" }
        #expect(try Self.images(deep) == ["deep"])
    }
}

/// kubectl itself as the oracle: `kubectl label --local -f FILE -o json` reads a manifest with kubectl's own YAML
/// reader and prints the JSON it would send, with no cluster. Every image and label we read must be what kubectl read.
@Suite("Manifests: same images and labels as kubectl", .enabled(if: Kubectl.path != nil, "kubectl is not installed"))
struct KubectlManifestOracleTests {
    struct Seen: Equatable, CustomStringConvertible {
        var images: [String]
        var labels: [String: String]
        var description: String { "\(images) \(labels)" }
    }

    static func kubectl(_ text: String) throws -> (status: Int32, json: String, stderr: String) {
        let directory = try TemporaryDirectory(prefix: "kubectl-oracle")
        defer { directory.remove() }
        let file = try directory.write("m.yaml", text)
        let result = try Kubectl.run(["label", "--local", "--overwrite", "-f", file, "probe=1", "-o", "json"])
        return (result.status, result.stdoutText, result.stderrText)
    }

    static func seen(_ contents: KubernetesManifest.Contents) -> Seen {
        var labels = contents.workloads.first?.labels ?? [:]
        labels["probe"] = nil
        return Seen(images: contents.workloads.flatMap(\.images), labels: labels)
    }

    /// Manifests built from the ways YAML can rearrange a pod: merges of every shape, repeated keys, anchors,
    /// YAML 1.1 scalars as keys, flow and block styles.
    static let cases: [String] = {
        let a = "gcr.io/p/a:1"
        let b = "gcr.io/p/b:1"
        let c = "gcr.io/p/c:1"
        var result: [String] = [
            "kind: Pod\nmetadata: {name: x}\nspec:\n  <<: {initContainers: [{name: i, image: \(a)}]}\n  containers: [{name: m, image: \(b)}]\n",
            "kind: Pod\nmetadata: {name: x}\nspec:\n  containers: [{name: m, image: \(a)}]\n  <<: {containers: [{name: m, image: \(b)}]}\n",
            "kind: Pod\nmetadata: {name: x}\nspec:\n  <<: {containers: [{name: m, image: \(a)}]}\n  containers: [{name: m, image: \(b)}]\n",
            "x: &x {containers: [{name: m, image: \(a)}]}\ny: &y {containers: [{name: m, image: \(b)}], initContainers: [{name: i, image: \(c)}]}\nkind: Pod\nmetadata: {name: x}\nspec:\n  <<: [*x, *y]\n",
            "x: &x {containers: [{name: m, image: \(a)}]}\ny: &y {containers: [{name: m, image: \(b)}]}\nkind: Pod\nmetadata: {name: x}\nspec:\n  <<: [*y, *x]\n",
            "x: &x {<<: {image: \(a)}, name: m}\nkind: Pod\nmetadata: {name: x}\nspec:\n  containers: [*x]\n",
            "x: &x {image: \(a), name: m}\nkind: Pod\nmetadata: {name: x}\nspec:\n  containers: [{<<: *x, image: \(b)}]\n",
            "x: &x {image: \(a), name: m}\nkind: Pod\nmetadata: {name: x}\nspec:\n  containers: [{image: \(b), <<: *x}]\n",
            "kind: Pod\nmetadata: {name: x}\nspec:\n  containers: [{name: m, image: \(a)}]\n  containers: [{name: m, image: \(b)}]\n",
            "kind: Pod\nmetadata: {name: x}\nspec:\n  containers:\n  - name: m\n    image: \(a)\n    image: \(b)\n",
            "kind: Pod\nmetadata:\n  name: x\n  labels: {yes: a, on: b, 0x1F: c, 1e3: d, ~x: e}\nspec: {containers: [{name: m, image: \(a)}]}\n",
            "kind: Pod\nmetadata:\n  name: x\n  labels: {a: b}\n  labels: {c: d}\nspec: {containers: [{name: m, image: \(a)}]}\n",
            "kind: Pod\nmetadata: {name: x}\nspec:\n  !!merge <<: {containers: [{name: m, image: \(a)}]}\n",
            "kind: Pod\nmetadata: {name: x}\nspec:\n  \"<<\": {containers: [{name: m, image: \(a)}]}\n  containers: [{name: n, image: \(b)}]\n",
            "kind: Pod\nmetadata: {name: x}\nspec:\n  <<: {<<: {containers: [{name: m, image: \(a)}]}}\n",
            "kind: Pod\nmetadata: {name: x}\nspec:\n  <<: [{containers: [{name: m, image: \(a)}]}, {initContainers: [{name: i, image: \(b)}]}]\n  ephemeralContainers: [{name: e, image: \(c)}]\n",
            "kind: Pod\nmetadata: {name: x}\nspec:\n  <<: {containers: [{name: m, image: \(a)}]}\n  <<: {containers: [{name: m, image: \(b)}]}\n",
        ]
        // Seeded mixtures: where the merge key sits, what it merges, what repeats.
        var generator = SeededGenerator(seed: 0x5EED)
        let images = [a, b, c]
        for _ in 0..<60 {
            var lines: [String] = ["kind: Pod", "metadata: {name: x}", "spec:"]
            var parts: [String] = []
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let image = images.randomElement(using: &generator)!
                let field = ["containers", "initContainers"].randomElement(using: &generator)!
                switch Int.random(in: 0..<4, using: &generator) {
                case 0: parts.append("  \(field): [{name: m, image: \(image)}]")
                case 1: parts.append("  <<: {\(field): [{name: m, image: \(image)}]}")
                case 2:
                    let other = images.randomElement(using: &generator)!
                    parts.append(
                        "  <<: [{\(field): [{name: m, image: \(image)}]}, {\(field): [{name: n, image: \(other)}]}]")
                default: parts.append("  \(field): [{name: m, image: \(image)}, {name: n, image: \(image)}]")
                }
            }
            if !parts.contains(where: { $0.contains("containers:") && !$0.contains("initContainers") }) {
                parts.append("  containers: [{name: z, image: \(a)}]")
            }
            lines += parts
            result.append(lines.joined(separator: "\n") + "\n")
        }
        return result
    }()

    @Test("Generated manifests: the images and labels kubectl reads")
    func differential() throws {
        var disagreements: [String] = []
        for text in Self.cases {
            let oracle = try Self.kubectl(text)
            let ours = Result { try Self.contents(text) }
            switch (oracle.status == 0, ours) {
            case (true, .success(let contents)):
                let expected = Self.seen(try KubernetesManifest.contents(of: oracle.json, format: .json))
                let actual = Self.seen(contents)
                if expected != actual { disagreements.append("\(text)\n kubectl: \(expected)\n ours: \(actual)") }
            case (false, .failure):
                continue  // both refuse
            case (true, .failure(let error)):
                disagreements.append("\(text)\n kubectl accepts, we refuse: \(error)")
            case (false, .success(let contents)):
                disagreements.append("\(text)\n kubectl refuses (\(oracle.stderr)), we read \(Self.seen(contents))")
            }
        }
        #expect(
            disagreements.isEmpty,
            "\(disagreements.count) of \(Self.cases.count):\n\(disagreements.joined(separator: "\n"))")
    }

    static func contents(_ text: String) throws -> KubernetesManifest.Contents {
        try KubernetesManifest.contents(of: text)
    }
}

/// The suite's seeded generator (BinAuthzTestSupport).
typealias SeededGenerator = SplitMix64

/// The committed kubectl corpus (`Tests/Fixtures/gcloud-parity/kubectl`, made by kubectl v1.32 itself): for every
/// manifest kubectl accepts, the images and pod labels we read are the ones in the objects kubectl would send.
@Suite("Manifests: the committed kubectl corpus")
struct KubectlCorpusTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var file: String
        var testDescription: String { file }
    }

    static let directory = Fixtures.url("gcloud-parity/kubectl")

    static let cases: [Case] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasSuffix(".expected.json") && !$0.hasPrefix(".") }.sorted().map { Case(file: $0) }
    }()

    static func seen(_ workloads: [KubernetesWorkload]) -> [String] {
        workloads.map { w in
            "\(w.kind) \(w.images) \(w.labels.filter { $0.key != "probe" }.sorted { $0.key < $1.key })"
        }
    }

    @Test("Every manifest kubectl accepts yields kubectl's images and labels", arguments: cases)
    func corpus(_ item: Case) throws {
        let expected = try Fixtures.text("gcloud-parity/kubectl/\(item.file).expected.json")
        let tree = try JSONTreeParser.parse(expected.utf8)
        guard tree.field("ok").map({ if case .bool(true) = $0.value { true } else { false } }) == true,
            tree.field("nondeterministic") == nil, let objects = tree.field("objects")
        else { return }
        let text = try String(
            decoding: Data(contentsOf: Self.directory.appendingPathComponent(item.file)), as: UTF8.self)
        let theirs = KubernetesManifest.contents(objects: objects)
        let ours = Result { try SmallStack.run { try KubernetesManifest.contents(of: text) } }
        switch (theirs, ours) {
        case (.success(let expected), .success(let actual)):
            #expect(Self.seen(actual.workloads) == Self.seen(expected.workloads))
        case (.failure, _):
            return  // kubectl sends objects our reader refuses as workloads (not pods): nothing to compare
        case (.success(let expected), .failure(let error)):
            // Refusing is allowed only where kubectl sent no workload at all.
            #expect(expected.workloads.isEmpty, "we refuse what kubectl accepts: \(error)")
        }
    }
}

extension KubernetesManifest {
    /// Reads the objects kubectl printed (a JSON list) as one manifest.
    static func contents(objects: TreeNode) -> Result<Contents, PolicyEvaluationError> {
        Result { () throws(PolicyEvaluationError) -> Contents in
            let json = JSONTreeWriter.write(
                TreeNode(.map([("kind", nil, TreeNode(.string("List"))), ("items", nil, objects)])), pretty: false)
            return try KubernetesManifest.contents(of: json, format: .json)
        }
    }
}

/// The whole objects, not only the images: every value kubectl would send is the value we read.
@Suite("Manifests: whole objects as kubectl sends them")
struct KubectlCorpusObjectTests {
    /// A comparable form: mappings by key, numbers by value, strings exactly.
    indirect enum Canonical: Equatable, CustomStringConvertible {
        case null
        case bool(Bool)
        case number(Double)
        case string(String)
        case list([Canonical])
        case map([String: Canonical])
        var description: String {
            switch self {
            case .null: "null"
            case .bool(let b): "\(b)"
            case .number(let n): "\(n)"
            case .string(let s): "\"\(s)\""
            case .list(let l): "[" + l.map(\.description).joined(separator: ", ") + "]"
            case .map(let m):
                "{" + m.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
            }
        }

        init(_ node: TreeNode) {
            switch node.value {
            case .null: self = .null
            case .bool(let b): self = .bool(b)
            case .integer(let s), .float(let s): self = .number(Double(s) ?? .nan)
            case .string(let s), .timestamp(let s): self = .string(s)
            case .list(let items): self = .list(items.map(Canonical.init))
            case .map(let entries):
                var m: [String: Canonical] = [:]
                for e in entries { m[e.key] = Canonical(e.value) }
                self = .map(m)
            }
        }

        /// kubectl adds `metadata.namespace: default` to namespaced objects it sends.
        func droppingDefaultNamespace() -> Canonical {
            guard case .map(var m) = self, case .map(var metadata)? = m["metadata"] else { return self }
            if metadata["namespace"] == .string("default") { metadata["namespace"] = nil }
            m["metadata"] = .map(metadata)
            return .map(m)
        }
    }

    @Test("Every object kubectl accepts is read value for value", arguments: KubectlCorpusTests.cases)
    func objects(_ item: KubectlCorpusTests.Case) throws {
        let expected = try JSONTreeParser.parse(Fixtures.text("gcloud-parity/kubectl/\(item.file).expected.json").utf8)
        guard case .bool(true)? = expected.field("ok")?.value, expected.field("nondeterministic") == nil,
            case .list(let objects)? = expected.field("objects")?.value
        else { return }
        let data = try Data(contentsOf: KubectlCorpusTests.directory.appendingPathComponent(item.file))
        let text = String(decoding: data, as: UTF8.self)
        let format: ResourceFormat = ResourceFormat.detect(text)
        let documents: [TreeNode]
        do {
            documents = try SmallStack.run {
                try ResourceFormat.documents(in: text, format: format, dialect: .kubectl)
            }
        } catch {
            Issue.record("kubectl accepts, we refuse: \(error)")
            return
        }
        // kubectl flattens Lists into their items.
        var ours: [Canonical] = []
        var pending = documents
        while !pending.isEmpty {
            let node = pending.removeFirst()
            if case .string(let kind)? = node.field("kind")?.value, kind.hasSuffix("List"),
                case .list(let items)? = node.field("items")?.value
            {
                pending.insert(contentsOf: items, at: 0)
            } else {
                ours.append(Canonical(node).droppingDefaultNamespace())
            }
        }
        let theirs = objects.map { Canonical($0).droppingDefaultNamespace() }
        #expect(ours == theirs)
    }
}
