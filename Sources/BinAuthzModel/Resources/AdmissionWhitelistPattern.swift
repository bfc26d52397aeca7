// SPDX-License-Identifier: Apache-2.0

/// An exempt-image pattern of a policy (`admissionWhitelistPatterns[].namePattern`).
///
/// The pattern is compared with the image exactly as written in the pod spec. A trailing `*` matches any
/// remainder without `/`; a trailing `**` matches any remainder; a pattern without a wildcard matches only
/// itself. Wildcards are allowed only at the end and only after the `registry/` part.
public struct AdmissionWhitelistPattern: Hashable, Sendable, Codable, ExpressibleByStringLiteral {
    /// The pattern, e.g. `gcr.io/google_containers/*` or `us-docker.pkg.dev/my-proj/vendor/**`.
    public var namePattern: String?

    /// Creates a pattern.
    public init(namePattern: String?) { self.namePattern = namePattern }

    public init(stringLiteral value: String) { self.namePattern = value }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case namePattern
    }
}
