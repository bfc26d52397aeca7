// SPDX-License-Identifier: Apache-2.0

/// A container image reference, parsed by the distribution/reference grammar (what Docker, containerd and
/// Kubernetes accept in a pod spec).
///
/// ```swift
/// let ref = try ImageReference("gcr.io/my-proj/app:1.2@sha256:9f86…")
/// ref.registry    // "gcr.io"
/// ref.path        // "my-proj/app"
/// ref.repository  // "gcr.io/my-proj/app"
/// ref.tag         // "1.2"
/// ref.digest      // "sha256:9f86…"
/// ```
///
/// Parsing does **not** normalise: `nginx` stays `nginx` (Binary Authorization compares images as written).
/// ``normalized()`` gives the Docker Hub form (`docker.io/library/nginx`) when that is wanted.
public struct ImageReference: Hashable, Sendable, CustomStringConvertible {
    /// The domain part as distribution/reference's `Parse` splits it: the first `/`-separated component when it
    /// matches the domain grammar (`gcr.io`, `localhost:5000`, `[::1]:5000` — but also `library` in
    /// `library/nginx`, which Docker would read as a Docker Hub namespace), or `nil` for a single-component name
    /// (`nginx`). ``hasRegistryHost`` tells whether it is a registry host by Docker's rule.
    public let registry: String?
    /// The repository path below the registry (`my-proj/app`).
    public let path: String
    /// The tag, if any.
    public let tag: String?
    /// The digest (`sha256:<hex>`), if any.
    public let digest: String?

    /// Parses a reference. Throws ``ModelError/Code/invalidImageReference`` with distribution/reference's
    /// error text ("invalid reference format", "repository name must be lowercase", …).
    public init(_ string: String) throws(ModelError) {
        self = try ImageReferenceParser.parse(string)
    }

    /// Creates a reference from parts that were validated elsewhere (gcloud's artifact URL parser).
    package init(registry: String?, path: String, tag: String?, digest: String?) {
        self.registry = registry
        self.path = path
        self.tag = tag
        self.digest = digest
    }

    /// `registry/path`, or just `path` without a registry — the "name" of distribution/reference.
    public var repository: String {
        if let registry { return "\(registry)/\(path)" }
        return path
    }

    /// The digest's algorithm (`sha256`), if there is a digest.
    public var digestAlgorithm: String? { digest.flatMap { $0.split(separator: ":").first.map(String.init) } }

    /// The digest's hex part, if there is a digest.
    public var digestHex: String? { digest.flatMap { $0.split(separator: ":").last.map(String.init) } }

    /// The reference in canonical text form: `repository[:tag][@digest]`.
    public var description: String {
        var text = repository
        if let tag { text += ":\(tag)" }
        if let digest { text += "@\(digest)" }
        return text
    }

    /// The reference with the tag removed (used where a digest identifies the image).
    public var withoutTag: ImageReference { ImageReference(registry: registry, path: path, tag: nil, digest: digest) }

    /// The Docker Hub-normalised reference (distribution/reference `ParseNormalizedNamed`): a missing or
    /// `index.docker.io` registry becomes `docker.io`, a single-component Docker Hub path gains `library/`.
    public func normalized() throws(ModelError) -> ImageReference {
        try ImageReferenceParser.parseNormalized(description)
    }

    /// Whether ``registry`` is a registry host by Docker's rule (`splitDockerDomain`): it contains `.` or `:`, or
    /// is `localhost`. `library/nginx` has a first component but no registry host.
    public var hasRegistryHost: Bool {
        guard let registry else { return false }
        return registry.contains(".") || registry.contains(":") || registry == "localhost"
    }

    /// Checks the form Binary Authorization needs of an attested image: a registry host (see
    /// ``hasRegistryHost``), a repository and a `sha256:` digest of 64 lower-case hex digits. (gcloud's own artifact
    /// URL parser is stricter still: see `BinAuthzPayload.ArtifactURL`.)
    ///
    /// - Throws: ``ModelError/Code/invalidImageReference`` naming what is missing.
    public func requireDigestForm() throws(ModelError) {
        guard hasRegistryHost else {
            throw ModelError(
                code: .invalidImageReference,
                message: "image \(description) has no registry; expected registry/repository@sha256:<64 hex digits>")
        }
        guard let digest else {
            throw ModelError(
                code: .invalidImageReference,
                message:
                    "image \(description) is referenced by tag; expected registry/repository@sha256:<64 hex digits>")
        }
        guard ImageReference.isSHA256Digest(digest) else {
            throw ModelError(
                code: .invalidImageReference,
                message: "digest \(digest) is not sha256:<64 lower-case hex digits>")
        }
    }

    /// Whether `text` is `sha256:` followed by exactly 64 lower-case hex digits.
    public static func isSHA256Digest(_ text: some StringProtocol) -> Bool {
        let utf8 = Array(text.utf8)
        guard utf8.count == 71, utf8.starts(with: Array("sha256:".utf8)) else { return false }
        return utf8[7...].allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }
}

/// The hand-written parser behind ``ImageReference``; it follows distribution/reference's regular expressions
/// (`reference.go`, `regexp.go`, `normalize.go`) and go-digest's validation.
enum ImageReferenceParser {
    static let maximumPathLength = 255

    enum Failure: String {
        case invalidFormat = "invalid reference format"
        case nameEmpty = "repository name must have at least one component"
        case uppercase = "repository name must be lowercase"
        case nameTooLong = "repository name must not be more than 255 characters"
        case digestFormat = "invalid checksum digest format"
        case digestLength = "invalid checksum digest length"
        case digestUnsupported = "unsupported digest algorithm"
    }

    static func fail(_ failure: Failure, _ input: String) -> ModelError {
        ModelError(code: .invalidImageReference, message: "\(failure.rawValue): \(quoted(input))")
    }

    private static func quoted(_ input: String) -> String {
        input.count > 80 ? "\"\(input.prefix(77))...\"" : "\"\(input)\""
    }

    static func parse(_ input: String) throws(ModelError) -> ImageReference {
        if let ref = match(input) {
            if ref.path.utf8.count > maximumPathLength { throw fail(.nameTooLong, input) }
            if let digest = ref.digest { try validateDigest(digest, input: input) }
            return ref
        }
        if input.isEmpty { throw fail(.nameEmpty, input) }
        if match(input.lowercased()) != nil { throw fail(.uppercase, input) }
        throw fail(.invalidFormat, input)
    }

    /// `ParseNormalizedNamed`.
    static func parseNormalized(_ input: String) throws(ModelError) -> ImageReference {
        if isIdentifier(input) {
            throw ModelError(
                code: .invalidImageReference,
                message: "invalid repository name (\(input)), cannot specify 64-byte hexadecimal strings")
        }
        var domain: String
        var remainder: String
        if let slash = input.firstIndex(of: "/") {
            let first = String(input[..<slash])
            if !first.contains(".") && !first.contains(":") && first != "localhost" && first.lowercased() == first {
                domain = "docker.io"
                remainder = input
            } else {
                domain = first
                remainder = String(input[input.index(after: slash)...])
            }
        } else {
            domain = "docker.io"
            remainder = input
        }
        if domain == "index.docker.io" { domain = "docker.io" }
        if domain == "docker.io" && !remainder.contains("/") { remainder = "library/" + remainder }
        let remoteName = remainder.firstIndex(of: ":").map { String(remainder[..<$0]) } ?? remainder
        if remoteName.lowercased() != remoteName {
            throw ModelError(
                code: .invalidImageReference,
                message: "invalid reference format: repository name (\(remoteName)) must be lowercase")
        }
        let ref = try parse(domain + "/" + remainder)
        guard ref.registry != nil else { throw fail(.invalidFormat, input) }
        return ref
    }

    /// Matches `^name(:tag)?(@digest)?$` and splits the name into domain and path.
    static func match(_ input: String) -> ImageReference? {
        let bytes = Array(input.utf8)
        guard !bytes.isEmpty else { return nil }
        var nameAndTag = bytes[...]
        var digest: String?
        if let at = bytes.firstIndex(of: UInt8(ascii: "@")) {
            let digestBytes = bytes[(at + 1)...]
            guard matchesDigestSyntax(digestBytes) else { return nil }
            digest = String(decoding: digestBytes, as: UTF8.self)
            nameAndTag = bytes[..<at]
        }
        var name = nameAndTag
        var tag: String?
        let lastSlash = nameAndTag.lastIndex(of: UInt8(ascii: "/"))
        if let colon = nameAndTag.lastIndex(of: UInt8(ascii: ":")), colon > (lastSlash ?? -1),
            // A colon inside an IPv6 literal is not a tag separator.
            !(nameAndTag[nameAndTag.startIndex] == UInt8(ascii: "[") && lastSlash == nil)
        {
            let tagBytes = nameAndTag[(colon + 1)...]
            guard matchesTag(tagBytes) else { return nil }
            tag = String(decoding: tagBytes, as: UTF8.self)
            name = nameAndTag[..<colon]
        }
        guard !name.isEmpty else { return nil }
        if let slash = name.firstIndex(of: UInt8(ascii: "/")) {
            let first = name[..<slash]
            let rest = name[(slash + 1)...]
            if matchesDomain(first) {
                guard matchesPath(rest) else { return nil }
                return ImageReference(
                    registry: String(decoding: first, as: UTF8.self), path: String(decoding: rest, as: UTF8.self),
                    tag: tag, digest: digest)
            }
        }
        guard matchesPath(name) else { return nil }
        return ImageReference(registry: nil, path: String(decoding: name, as: UTF8.self), tag: tag, digest: digest)
    }

    // MARK: Grammar pieces

    private static func isLowerAlnum(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) }
    private static func isAlnum(_ b: UInt8) -> Bool { isLowerAlnum(b) || (b >= 0x41 && b <= 0x5A) }
    private static func isWord(_ b: UInt8) -> Bool { isAlnum(b) || b == UInt8(ascii: "_") }
    private static func isHex(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66) || (b >= 0x41 && b <= 0x46)
    }

    /// `[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*` for each `/`-separated component.
    static func matchesPath(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard !bytes.isEmpty else { return false }
        for component in bytes.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false) {
            guard matchesPathComponent(component) else { return false }
        }
        return true
    }

    private static func matchesPathComponent(_ c: ArraySlice<UInt8>) -> Bool {
        var i = c.startIndex
        func alnumRun() -> Bool {
            let start = i
            while i < c.endIndex, isLowerAlnum(c[i]) { i += 1 }
            return i > start
        }
        guard alnumRun() else { return false }
        while i < c.endIndex {
            // separator: "." | "_" | "__" | "-"+
            switch c[i] {
            case UInt8(ascii: "."):
                i += 1
            case UInt8(ascii: "_"):
                i += 1
                if i < c.endIndex, c[i] == UInt8(ascii: "_") { i += 1 }
            case UInt8(ascii: "-"):
                while i < c.endIndex, c[i] == UInt8(ascii: "-") { i += 1 }
            default:
                return false
            }
            guard alnumRun() else { return false }
        }
        return true
    }

    /// `host(:port)?` where host is a domain name or a bracketed IPv6 literal.
    static func matchesDomain(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard !bytes.isEmpty else { return false }
        var hostEnd = bytes.endIndex
        if bytes[bytes.startIndex] == UInt8(ascii: "[") {
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")) else { return false }
            let inner = bytes[(bytes.startIndex + 1)..<close]
            guard !inner.isEmpty, inner.allSatisfy({ isHex($0) || $0 == UInt8(ascii: ":") }) else { return false }
            hostEnd = close + 1
        } else {
            if let colon = bytes.firstIndex(of: UInt8(ascii: ":")) { hostEnd = colon }
            let host = bytes[bytes.startIndex..<hostEnd]
            guard !host.isEmpty else { return false }
            for label in host.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
                guard let first = label.first, let last = label.last, isAlnum(first), isAlnum(last),
                    label.allSatisfy({ isAlnum($0) || $0 == UInt8(ascii: "-") })
                else { return false }
            }
        }
        if hostEnd == bytes.endIndex { return true }
        guard bytes[hostEnd] == UInt8(ascii: ":") else { return false }
        let port = bytes[(hostEnd + 1)...]
        return !port.isEmpty && port.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    /// `[\w][\w.-]{0,127}`.
    static func matchesTag(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let first = bytes.first, isWord(first), bytes.count <= 128 else { return false }
        return bytes.dropFirst().allSatisfy { isWord($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    /// `[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}`.
    static func matchesDigestSyntax(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return false }
        let algorithm = bytes[..<colon]
        let hex = bytes[(colon + 1)...]
        guard hex.count >= 32, hex.allSatisfy(isHex) else { return false }
        return matchesAlgorithm(algorithm)
    }

    private static func matchesAlgorithm(_ algorithm: ArraySlice<UInt8>) -> Bool {
        var expectLetter = true
        guard !algorithm.isEmpty else { return false }
        for b in algorithm {
            if expectLetter {
                guard (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) else { return false }
                expectLetter = false
            } else if [UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "+"), UInt8(ascii: ".")].contains(b) {
                expectLetter = true
            } else if !isAlnum(b) {
                return false
            }
        }
        return !expectLetter
    }

    /// go-digest `Digest.Validate` with sha256, sha384 and sha512 available.
    static func validateDigest(_ digest: String, input: String) throws(ModelError) {
        guard let colon = digest.firstIndex(of: ":"), colon != digest.startIndex,
            digest.index(after: colon) != digest.endIndex
        else { throw fail(.digestFormat, input) }
        let algorithm = String(digest[..<colon])
        let encoded = digest[digest.index(after: colon)...]
        let sizes = ["sha256": 32, "sha384": 48, "sha512": 64]
        guard let size = sizes[algorithm] else {
            throw fail(matchesAlgorithm(Array(algorithm.utf8)[...]) ? .digestUnsupported : .digestFormat, input)
        }
        guard encoded.utf8.count == size * 2 else { throw fail(.digestLength, input) }
        guard encoded.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) else {
            throw fail(.digestFormat, input)
        }
    }

    /// `^[a-f0-9]{64}$`.
    static func isIdentifier(_ input: String) -> Bool {
        input.utf8.count == 64 && input.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }
}
