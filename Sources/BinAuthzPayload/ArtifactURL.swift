// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel

/// An artifact URL as `gcloud container binauthz create-signature-payload --artifact-url` reads it:
/// `[scheme://]registry/repository[:tag]@digest`.
///
/// Parsing reproduces gcloud 528 exactly — its `ReplaceImageUrlScheme` (Python `urlparse`) followed by
/// containerregistry's strict `docker_name.Digest` — so a URL is accepted here if and only if gcloud accepts it,
/// and ``dockerReference`` is the string gcloud writes into the payload:
///
/// ```swift
/// let url = try ArtifactURL("https://us-docker.pkg.dev/proj/repo/app:1.2@sha256:9f86…")
/// url.registry         // "us-docker.pkg.dev"
/// url.path             // "proj/repo/app"
/// url.dockerReference  // "us-docker.pkg.dev/proj/repo/app" (tag dropped, no scheme)
/// url.digest           // "sha256:9f86…"
/// url.withoutScheme    // "us-docker.pkg.dev/proj/repo/app:1.2@sha256:9f86…"
/// ```
///
/// Some consequences of gcloud's parsing that callers may not expect, all reproduced:
/// * a registry with a port and no scheme (`localhost:5000/app@sha256:…`) is rejected, because Python reads
///   `localhost:` as a URL scheme — write `https://localhost:5000/app@sha256:…` instead;
/// * a registry is required and is recognised only if it contains `.` or `:` (`ubuntu@sha256:…` and
///   `library/ubuntu@sha256:…` are rejected);
/// * the registry is not validated beyond Python's `urlparse` (upper case, IP addresses, `[::1]:5000` pass);
/// * the repository must be 2–255 characters of `a-z 0-9 _ - . /`;
/// * the digest must be 71 characters of `sh:0123456789abcdef`;
/// * tabs and line breaks anywhere, and control characters or spaces before the URL, are dropped; an empty
///   `?` query or `#` fragment at the end disappears.
public struct ArtifactURL: Hashable, Sendable, CustomStringConvertible {
    /// The registry host (with port, if any) exactly as typed: `gcr.io`, `us-docker.pkg.dev`, `10.0.0.1:5000`.
    public let registry: String
    /// The repository path below the registry, `my-project/app` — gcloud calls it the repository; as in
    /// `ImageReference`, `repository` here would include the registry (see ``dockerReference``).
    public let path: String
    /// The digest as gcloud accepts it: `sha256:` and 64 characters of `0-9 a-f` — or, since gcloud checks only the
    /// length and the alphabet `sh:0-9a-f`, any 71 such characters. `ImageReference.isSHA256Digest(_:)` tells a
    /// real one.
    public let digest: String
    /// The URL with its scheme removed, as gcloud's `attestations create` stores it in an occurrence's
    /// `resourceUri` (the tag, if any, is kept).
    public let withoutScheme: String

    /// Parses an artifact URL exactly as gcloud 528 does.
    ///
    /// - Parameter url: `[scheme://]registry/repository[:tag]@sha256:<64 hex digits>`.
    /// - Throws: ``PayloadError/Code/invalidArtifactURL`` with gcloud's own explanation, e.g.
    ///   `Docker image name must be fully qualified (e.g.registry/repository@digest) saw: gcr.io/app:latest`.
    public init(_ url: String) throws(PayloadError) {
        let scalars = Array(url.unicodeScalars)
        do {
            let stripped = try DockerName.removeScheme(scalars)
            let parsed = try DockerName.parseDigest(stripped)
            registry = parsed.registry
            path = parsed.repository
            digest = parsed.digest
            withoutScheme = DockerName.string(stripped)
        } catch {
            switch error {
            case .badName(let reason):
                // gcloud's own text, then what to do about the case it explains worst: a port without a scheme.
                var hint = "expected [https://]REGISTRY/REPOSITORY@sha256:<64 hex digits>"
                if !url.contains("://"), let colon = url.firstIndex(of: ":") {
                    let port = url[url.index(after: colon)...].prefix(while: { $0 != "/" })
                    if !port.isEmpty && port.allSatisfy(\.isASCIIDigitCharacter) {
                        hint += " (a registry with a port needs the scheme: https://\(Self.printable(url)))"
                    }
                }
                throw PayloadError(
                    code: .invalidArtifactURL,
                    message: "invalid artifact URL \(Self.quoted(url)): \(Self.printable(reason)); \(hint)")
            case .valueError(let reason):
                throw PayloadError(
                    code: .invalidArtifactURL,
                    message:
                        "invalid artifact URL \(Self.quoted(url)): \(Self.printable(reason)) (gcloud fails on it too); "
                        + "expected [https://]REGISTRY/REPOSITORY@sha256:<64 hex digits>")
            }
        }
    }

    /// `registry/repository`: the `critical.identity.docker-reference` gcloud writes (no scheme, no tag, no
    /// digest, no normalisation).
    public var dockerReference: String { "\(registry)/\(path)" }

    /// The image this URL names, `registry/repository@digest`, as an `ImageReference`. Built from the parts gcloud's
    /// parser accepted, so it exists even for the few URLs gcloud accepts that distribution/reference would not
    /// (an empty port, `gcr.io:/p/app@…`).
    public var imageReference: ImageReference {
        ImageReference(registry: registry, path: path, tag: nil, digest: digest)
    }

    /// `registry/repository@digest`.
    public var description: String { "\(dockerReference)@\(digest)" }

    private static func quoted(_ url: String) -> String { "'\(printable(url))'" }

    /// Keeps a message on one readable line: control characters as escapes, very long input shortened.
    private static func printable(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars.prefix(400) {
            result += scalar.value < 0x20 || scalar.value == 0x7F ? scalar.escaped(asASCII: true) : String(scalar)
        }
        if text.unicodeScalars.count > 400 { result += "…" }
        return result
    }
}

extension Character {
    fileprivate var isASCIIDigitCharacter: Bool { ("0"..."9").contains(self) }
}
