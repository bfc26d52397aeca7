// SPDX-License-Identifier: Apache-2.0

/// A port of `containerregistry.client.docker_name` as bundled with gcloud 528 (`docker_name_.py`): the strict
/// `Digest` parser behind `gcloud container binauthz create-signature-payload`, and gcloud's
/// `ReplaceImageUrlScheme` in front of it.
///
/// The rules, quirks included:
/// * the name must split on `@` into exactly two parts;
/// * the digest must be exactly 71 characters from `sh:0123456789abcdef` (so `sha256:` + 64 lower-case hex,
///   but also any other 71-character string over those characters);
/// * the part before `@` is first tried as a `Tag` (`name:tag`, the tag dropped), then as a plain `Repository`;
/// * the first `/`-separated component is the registry only if it contains `.` or `:`, and a registry is
///   required; it must survive `urlparse('//' + registry).netloc` unchanged;
/// * the repository must be 2–255 characters from `[a-z0-9_\-./]`.
enum DockerName {
    typealias Text = [Unicode.Scalar]

    /// How a name was rejected: containerregistry's `BadNameException`, or a `ValueError` escaping `urlparse`
    /// (which gcloud reports as a crash).
    enum Failure: Error, Equatable {
        case badName(String)
        case valueError(String)
    }

    static let repositoryCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789_-./".unicodeScalars)
    static let tagCharacters = Set("abcdefghijklmnopqrstuvwxyz0123456789_-.ABCDEFGHIJKLMNOPQRSTUVWXYZ".unicodeScalars)
    static let digestCharacters = Set("sh:0123456789abcdef".unicodeScalars)

    /// The parts of a parsed `Digest`.
    struct Digest: Equatable {
        var registry: String
        var repository: String
        var digest: String
    }

    // MARK: gcloud util.ReplaceImageUrlScheme(url, scheme='')

    /// `ReplaceImageUrlScheme(image_url, scheme='')` from `googlecloudsdk/command_lib/container/binauthz/util.py`.
    static func removeScheme(_ imageURL: Text) throws(Failure) -> Text {
        do {
            var parsed = try PythonURLParse.urlparse(imageURL)
            if !parsed.scheme.isEmpty && parsed.netloc.isEmpty {
                throw Failure.badName(
                    "Image URL '\(string(imageURL))' is invalid because it does not have a host component.")
            }
            if parsed.netloc.isEmpty {
                parsed = try PythonURLParse.urlparse(["/", "/"] + imageURL)
            }
            parsed.scheme = []
            return Array(PythonURLParse.urlunparse(parsed).drop { $0 == "/" })
        } catch let error as PythonURLParse.ValueError {
            throw .valueError(error.message)
        } catch let error as Failure {
            throw error
        } catch {
            throw .valueError("\(error)")
        }
    }

    // MARK: docker_name.Digest(name, strict=True)

    static func parseDigest(_ name: Text) throws(Failure) -> Digest {
        let parts = name.split(separator: "@", omittingEmptySubsequences: false).map { Array($0) }
        guard parts.count == 2 else {
            throw .badName(
                "Docker image name must be fully qualified (e.g.registry/repository@digest) saw: \(string(name))")
        }
        let digest = parts[1]
        try checkElement("digest", digest, digestCharacters, min: 71, max: 71)
        let repository: (registry: Text, repository: Text)
        do {
            // "check if there is a tag": Tag(parts[0]) then Repository(tag.as_repository()).
            let tagged = try parseTag(parts[0])
            repository = try parseRepository(joined(tagged.registry, tagged.repository), strict: true)
        } catch .badName {
            repository = try parseRepository(parts[0], strict: true)
        }
        return Digest(
            registry: string(repository.registry), repository: string(repository.repository), digest: string(digest))
    }

    /// `Tag(name, strict=True)`: returns the repository part; the tag itself is validated and dropped.
    static func parseTag(_ name: Text) throws(Failure) -> (registry: Text, repository: Text) {
        let base: Text
        let tag: Text
        if let colon = name.lastIndex(of: ":") {
            base = Array(name[..<colon])
            tag = Array(name[(colon + 1)...])
        } else {
            base = name
            tag = []
        }
        try checkElement("tag", tag, tagCharacters, min: 1, max: 127)
        return try parseRepository(base, strict: true)
    }

    /// `Repository(name, strict)`.
    static func parseRepository(_ name: Text, strict: Bool) throws(Failure) -> (registry: Text, repository: Text) {
        guard !name.isEmpty else { throw .badName("A Docker image name must be specified") }
        var domain: Text = []
        var repository = name
        if let slash = name.firstIndex(of: "/") {
            let first = name[..<slash]
            if first.contains(".") || first.contains(":") {
                domain = Array(first)
                repository = Array(name[(slash + 1)...])
            }
        }
        if strict {
            guard !domain.isEmpty else { throw .badName("A Docker registry domain must be specified.") }
            try checkRegistry(domain)
        }
        try checkElement("repository", repository, repositoryCharacters, min: 2, max: 255)
        return (domain, repository)
    }

    /// `_check_registry`: `urlparse('//' + registry).netloc` must equal the registry.
    static func checkRegistry(_ registry: Text) throws(Failure) {
        let parsed: PythonURLParse.ParseResult
        do {
            parsed = try PythonURLParse.urlparse(["/", "/"] + registry)
        } catch {
            throw .valueError(error.message)
        }
        guard parsed.netloc == registry else { throw .badName("Invalid registry: \(string(registry))") }
    }

    /// `_check_element`: length bounds first, then the character set.
    static func checkElement(
        _ label: String, _ element: Text, _ characters: Set<Unicode.Scalar>, min: Int, max: Int
    ) throws(Failure) {
        if element.count < min {
            throw .badName("Invalid \(label): \(string(element)), must be at least \(min) characters")
        }
        if element.count > max {
            throw .badName("Invalid \(label): \(string(element)), must be at most \(max) characters")
        }
        if !element.allSatisfy(characters.contains) {
            let allowed =
                label == "digest"
                ? "sh:0123456789abcdef"
                : label == "tag"
                    ? "abcdefghijklmnopqrstuvwxyz0123456789_-.ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                    : "abcdefghijklmnopqrstuvwxyz0123456789_-./"
            throw .badName("Invalid \(label): \(string(element)), acceptable characters include: \(allowed)")
        }
    }

    // MARK: Helpers

    static func joined(_ registry: Text, _ repository: Text) -> Text {
        registry.isEmpty ? repository : registry + ["/"] + repository
    }

    static func string(_ text: Text) -> String {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: text)
        return String(view)
    }
}
