// SPDX-License-Identifier: Apache-2.0

import BinAuthzPayload
import BinAuthzTestSupport
import Foundation
import Testing

private let hex64 = "a46ab6b21371e1e3250d3b512b38aa2727ad61a2fc1ab2d2c135589d315c7442"
private let digest = "sha256:\(hex64)"

/// URLs gcloud accepts, covering the registries and spellings users type.
private let acceptedURLs = [
    "gcr.io/nmallyatestproject/containerdemo@\(digest)",
    "us-central1-docker.pkg.dev/my-proj/my-repo/app@\(digest)",
    "https://gcr.io/example-project/example-image@\(digest)",
    "http://eu.gcr.io/p/app@\(digest)",
    "HTTPS://gcr.io/p/app@\(digest)",
    "https://localhost:5000/team/app@\(digest)",
    "10.0.0.1:5000/team/app@\(digest)",
    "192.168.1.10/app@\(digest)",
    "https://[::1]:5000/app@\(digest)",
    "gcr.io/p/app:v1.2@\(digest)",
    "GCR.IO/p/app@\(digest)",
    "eu.gcr.io/a/b/c/d/e/f@\(digest)",
    "gcr.io/p/app@\(digest)#",
    " gcr.io/p/app@\(digest)",
    "gcr.io/ab@\(String(repeating: "a", count: 71))",
]

/// URLs gcloud rejects (every one must be rejected by both).
private let rejectedURLs = [
    "ubuntu@\(digest)",
    "library/ubuntu@\(digest)",
    "gcr.io/p/app:latest",
    "gcr.io/p/app",
    "gcr.io/p/app@sha256:abc",
    "gcr.io/p/App@\(digest)",
    "gcr.io/a@\(digest)",
    "localhost:5000/app@\(digest)",
    "registry.example.com:443/p/app@\(digest)",
    "gcr.io/p/app@sha256:\(hex64.uppercased())",
    "gcr.io/p/app@\(digest)@\(digest)",
    "https:///p/app@\(digest)",
    "",
    "gcr.io/p/app@sha512:\(hex64)\(hex64)",
    "[::1/app@\(digest)",
    "gcr.io/p/ap p@\(digest)",
]

@Suite("gcloud create-signature-payload interop")
struct GcloudInteropTests {
    @Test(
        "our payload is byte-identical to gcloud's, and both reject the same URLs",
        .enabled(if: GcloudTool.executable != nil, "gcloud is not installed; skipping the gcloud comparison"))
    func matchesGcloud() throws {
        let urls = acceptedURLs + rejectedURLs
        let results = GcloudTool.parallelMap(urls) { url in
            Result { try GcloudTool.createSignaturePayload(url) }
        }
        for (url, result) in zip(urls, results) {
            let gcloud = try result.get()
            let ours = Result { () throws(PayloadError) in try SignaturePayload.create(artifactURL: url) }
            switch ours {
            case .success(let bytes):
                #expect(gcloud.status == 0, "gcloud rejected \(url.debugDescription) but we accepted it:\n\(gcloud)")
                #expect(gcloud.stdout == bytes, "payload differs for \(url.debugDescription):\n\(gcloud)")
            case .failure(let error):
                #expect(gcloud.status != 0, "we rejected \(url.debugDescription) (\(error)) but gcloud accepted it")
                if let reason = GcloudTool.reason(fromStderr: gcloud.stderrText) {
                    #expect(error.message.contains(reason), "our message \"\(error)\" lacks gcloud's \"\(reason)\"")
                }
            }
        }
        #expect(acceptedURLs.allSatisfy { (try? SignaturePayload.create(artifactURL: $0)) != nil })
        #expect(rejectedURLs.allSatisfy { (try? SignaturePayload.create(artifactURL: $0)) == nil })
    }

    @Test(
        "gcloud's own parser (its Python, its modules) agrees on thousands of generated corner cases",
        .enabled(if: GcloudTool.python != nil, "gcloud's Python sources are not installed; skipping"))
    func matchesGcloudPythonOnGeneratedURLs() throws {
        let urls = CornerCaseURLs.generate(count: 4000)
        let script = """
            import sys, json
            root = sys.argv[1]
            sys.path[:0] = [root + '/lib', root + '/lib/third_party']
            from googlecloudsdk.command_lib.container.binauthz import util
            out = []
            for u in json.load(sys.stdin):
                try:
                    out.append({"ok": util.MakeSignaturePayload(u).decode('utf-8')})
                except Exception as e:
                    out.append({"err": type(e).__name__ + ": " + str(e)})
            json.dump(out, sys.stdout)
            """
        let input = try JSONSerialization.data(withJSONObject: urls)
        let run = try Subprocess.run(
            GcloudTool.python!, ["-c", script, GcloudTool.sdkRoot!.path], stdin: [UInt8](input))
        try #require(run.status == 0, "the reference script failed:\n\(run)")
        let answers = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout)) as? [[String: String]])
        try #require(answers.count == urls.count)
        var disagreements: [String] = []
        for (url, answer) in zip(urls, answers) {
            let ours = try? SignaturePayload.create(artifactURL: url)
            if let expected = answer["ok"] {
                if ours != Array(expected.utf8) {
                    disagreements.append(
                        "\(url.debugDescription): gcloud builds a payload, we \(ours == nil ? "reject" : "differ")")
                }
            } else if ours != nil {
                disagreements.append("\(url.debugDescription): gcloud rejects (\(answer["err"] ?? "")), we accept")
            }
        }
        #expect(
            disagreements.isEmpty,
            "\(disagreements.count) of \(urls.count) differ:\n\(disagreements.prefix(30).joined(separator: "\n"))")
    }
}

/// Deterministically generated artifact URLs mixing the pieces where Python's `urlparse` and
/// containerregistry's `docker_name` have corner cases.
enum CornerCaseURLs {
    static let schemes = [
        "", "", "", "https://", "http://", "HTTPS://", "docker://", "//", "https:///", "ftp://", "x:", "https:",
        "\t", "  ", "\u{01}", "https://user@",
    ]
    static let registries = [
        "gcr.io", "us-docker.pkg.dev", "localhost:5000", "localhost", "10.0.0.1:5000", "10.0.0.1", "[::1]:5000",
        "[::1]", "GCR.IO", "gcr.io:443", "my_reg.io", "a.b:5000", "reg.io?x", "[1.2.3.4]", "[v1.x]", "[v1.]",
        "gcr.iö", " gcr.io", "gcr\t.io", "gcr.io#", "", "ubuntu", "[::ffff:1.2.3.4]:5000", "[fe80::1%eth0]",
        "[1::2::3]", "[12345::]", "reg\u{FF0F}x.io", "reg\u{2100}.io", "a\"b.io", "a\\b.io", "r.io\u{7F}",
        "[::1]x", "x[::1]", "r.io:", ":5000", ".", "r.io\u{1F600}", "r;p.io", "r.io;", "1.2.3.4:80",
        "[::01.2.3.4]", "[::1.2.3.010]", "[1:2:3:4:5:6:7:8]", "[1:2:3:4:5:6:7:8:9]", "[::]", "[:1]", "[::1%25]",
    ]
    static let repositories = [
        "p/app", "a", "ab", "P/App", "p/app_1.2-x", "p//app", "..", String(repeating: "x", count: 254),
        String(repeating: "x", count: 255), String(repeating: "x", count: 256), "p/app;v", "app?x", "app#x",
        "p/ap\tp", "p/ap\np", "p/äpp", "-", "p/", "/p", "p/app/", "p/.app", "p;/app",
    ]
    static let tags = [
        "", "", "", ":v1", ":", ":V1", ":bad/tag", ":" + String(repeating: "t", count: 127),
        ":" + String(repeating: "t", count: 128), ":v;1", ":1.0-rc_1",
    ]
    static let digests = [
        "@sha256:" + hex64, "@sha256:" + hex64, "@sha256:" + hex64, "@sha256:" + String(hex64.dropLast()),
        "@SHA256:" + hex64, "@sha256:" + hex64.uppercased(), "", "@" + String(repeating: "a", count: 71),
        "@sha512:" + hex64 + hex64, "@sha256:" + hex64 + "@sha256:" + hex64, "@sha256:" + hex64 + "#",
        "@sha256:" + hex64 + "?", "@sha256:" + hex64 + ";", "@sha256:" + hex64 + "#frag", "@", "@@",
        "@sha256:" + hex64 + "\n", "@sha256:" + hex64 + " ", "@sha256:" + hex64 + "/x", "@hhhhhhh" + hex64,
    ]

    static func generate(count: Int) -> [String] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var urls: [String] = []
        for _ in 0..<count {
            let registry = registries[next(registries.count)]
            let separator = registry.isEmpty && next(2) == 0 ? "" : "/"
            urls.append(
                schemes[next(schemes.count)] + registry + separator + repositories[next(repositories.count)]
                    + tags[next(tags.count)] + digests[next(digests.count)])
        }
        return urls
    }
}
