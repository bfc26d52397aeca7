// SPDX-License-Identifier: Apache-2.0

/// The shape rules for policy map keys and allowlist patterns, shared by validation and the decision engine.
package enum SyntaxRules {
    // MARK: Specific-rule keys

    /// Checks a `clusterAdmissionRules` key: `location.clusterId`, where location is a zone (`us-central1-a`)
    /// or a region (`us-central1`) and the cluster id follows GKE's naming rule (lower-case letters, digits and
    /// hyphens, starting with a letter, ending with a letter or digit, at most 40 characters).
    /// Returns `nil` when valid, or what is wrong.
    package static func problemWithClusterKey(_ key: String) -> String? {
        guard let dot = key.firstIndex(of: ".") else {
            return "cluster key \"\(key)\" must be LOCATION.CLUSTER_ID, e.g. us-central1-a.prod-cluster"
        }
        let location = key[..<dot]
        let cluster = key[key.index(after: dot)...]
        if !isLocation(location) {
            return "cluster key \"\(key)\": \"\(location)\" is not a zone or region (e.g. us-central1 or us-central1-a)"
        }
        if !isGKEClusterName(cluster) {
            return "cluster key \"\(key)\": \"\(cluster)\" is not a cluster id (lower-case letters, digits and "
                + "hyphens, starting with a letter, at most 40 characters)"
        }
        return nil
    }

    /// Checks a `kubernetesNamespaceAdmissionRules` key. The API text says `[a-z.-]+`, which would forbid the
    /// digits Kubernetes allows; this library accepts any DNS-1123 label, as real namespaces are.
    package static func problemWithNamespaceKey(_ key: String) -> String? {
        isDNSLabel(key)
            ? nil
            : "namespace \"\(key)\" is not a Kubernetes namespace name (DNS-1123 label: lower-case letters, digits "
                + "and '-', at most 63 characters)"
    }

    /// Checks a `kubernetesServiceAccountAdmissionRules` key: `namespace:serviceaccount`.
    package static func problemWithServiceAccountKey(_ key: String) -> String? {
        let parts = key.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            return "service account key \"\(key)\" must be NAMESPACE:SERVICE_ACCOUNT, e.g. prod-ns:deployer"
        }
        if !isDNSLabel(parts[0]) { return "service account key \"\(key)\": \"\(parts[0])\" is not a namespace name" }
        if !isDNSSubdomain(parts[1]) {
            return "service account key \"\(key)\": \"\(parts[1])\" is not a service account name"
        }
        return nil
    }

    /// An Istio identity without its `spiffe://` scheme, if it has one: `DOMAIN/ns/NS/sa/SA`. Policy keys may be
    /// written either way and name the same identity.
    package static func istioIdentityBody(_ identity: String) -> String {
        identity.hasPrefix("spiffe://") ? String(identity.dropFirst("spiffe://".count)) : identity
    }

    /// Checks an `istioServiceIdentityAdmissionRules` key: `spiffe://DOMAIN/ns/NS/sa/SA` or the same without
    /// the scheme.
    package static func problemWithIstioKey(_ key: String) -> String? {
        let body = istioIdentityBody(key)
        let parts = body.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 5, !parts[0].isEmpty, parts[1] == "ns", parts[3] == "sa", isDNSLabel(parts[2]),
            isDNSSubdomain(parts[4]), ResourceNameRules.isSegment(parts[0])
        else {
            return "Istio identity \"\(key)\" must be spiffe://TRUST_DOMAIN/ns/NAMESPACE/sa/SERVICE_ACCOUNT"
        }
        return nil
    }

    static func isLocation(_ text: some StringProtocol) -> Bool {
        // region: letters and hyphens, ending in digits (us-central1, europe-west4, me-central2);
        // zone: a region plus "-" and a letter.
        var parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 2 else { return false }
        if let last = parts.last, last.count == 1, last.allSatisfy({ $0 >= "a" && $0 <= "z" }) { parts.removeLast() }
        guard parts.count >= 2, let region = parts.last else { return false }
        let letters = region.prefix { $0 >= "a" && $0 <= "z" }
        let digits = region.dropFirst(letters.count)
        guard !letters.isEmpty, !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit) else { return false }
        return parts.dropLast().allSatisfy { !$0.isEmpty && $0.allSatisfy { $0 >= "a" && $0 <= "z" } }
    }

    static func isGKEClusterName(_ text: some StringProtocol) -> Bool {
        guard let first = text.first, let last = text.last, text.count <= 40, first >= "a", first <= "z",
            (last >= "a" && last <= "z") || last.isASCIIDigit
        else { return false }
        return text.allSatisfy { ($0 >= "a" && $0 <= "z") || $0.isASCIIDigit || $0 == "-" }
    }

    /// Checks a Kubernetes namespace name (a DNS-1123 label). Returns `nil` when valid, or what is wrong.
    public static func problemWithNamespace(_ name: String) -> String? {
        isDNSLabel(name)
            ? nil
            : "\"\(name)\" is not a Kubernetes namespace name (DNS-1123 label: lower-case letters, digits and '-', "
                + "starting and ending with a letter or digit, at most 63 characters)"
    }

    /// Checks a Kubernetes service account name (a DNS-1123 subdomain). Returns `nil` when valid, or what is wrong;
    /// the two usual mistakes — `NAMESPACE:NAME` and a Google service account e-mail — are named.
    public static func problemWithServiceAccount(_ name: String) -> String? {
        if isDNSSubdomain(name) { return nil }
        if name.contains(":") {
            return "\"\(name)\" is not a Kubernetes service account name: give the name alone; the namespace is "
                + "--namespace (rule keys are NAMESPACE:NAME)"
        }
        if name.contains("@") {
            return "\"\(name)\" is a Google service account e-mail, not a Kubernetes service account name"
        }
        return "\"\(name)\" is not a Kubernetes service account name (DNS-1123 subdomain: lower-case letters, digits, "
            + "'-' and '.', at most 253 characters)"
    }

    static func isDNSLabel(_ text: some StringProtocol) -> Bool {
        guard let first = text.first, let last = text.last, text.count <= 63 else { return false }
        func alnum(_ c: Character) -> Bool { (c >= "a" && c <= "z") || c.isASCIIDigit }
        return alnum(first) && alnum(last) && text.allSatisfy { alnum($0) || $0 == "-" }
    }

    static func isDNSSubdomain(_ text: some StringProtocol) -> Bool {
        guard text.count <= 253 else { return false }
        for label in text.split(separator: ".", omittingEmptySubsequences: false) where !isDNSLabel(label) {
            return false
        }
        return true
    }

    // MARK: Allowlist patterns

    /// The parsed form of an `admissionWhitelistPatterns[].namePattern`.
    package struct NamePattern: Hashable, Sendable {
        /// The wildcard at the end of a pattern.
        package enum Wildcard: Hashable, Sendable {
            /// No wildcard: the image string must equal the pattern.
            case none
            /// Trailing `*`: any remainder that contains no `/`.
            case singleLevel
            /// Trailing `**`: any remainder.
            case anyDepth
        }

        /// The pattern text before the wildcard.
        package var prefix: String
        /// The trailing wildcard.
        package var wildcard: Wildcard

        /// Whether `image` (as written in the pod spec) matches this pattern.
        package func matches(_ image: some StringProtocol) -> Bool {
            switch wildcard {
            case .none:
                return image.utf8.elementsEqual(prefix.utf8)
            case .singleLevel:
                guard image.utf8.starts(with: prefix.utf8) else { return false }
                return !image.utf8.dropFirst(prefix.utf8.count).contains(UInt8(ascii: "/"))
            case .anyDepth:
                return image.utf8.starts(with: prefix.utf8)
            }
        }
    }

    /// Parses an allowlist pattern, returning what is wrong with it when it breaks the API's rules: wildcards
    /// only at the end (`*` or `**`) and only after the `registry/` part.
    package static func parseNamePattern(_ pattern: String) -> Result<NamePattern, PatternError> {
        guard !pattern.isEmpty else { return .failure(PatternError("pattern is empty")) }
        if pattern.unicodeScalars.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }) {
            return .failure(PatternError("pattern \"\(pattern)\" contains whitespace"))
        }
        var prefix = Substring(pattern)
        var wildcard = NamePattern.Wildcard.none
        if prefix.hasSuffix("**") {
            prefix = prefix.dropLast(2)
            wildcard = .anyDepth
        } else if prefix.hasSuffix("*") {
            prefix = prefix.dropLast()
            wildcard = .singleLevel
        }
        if prefix.contains("*") {
            return .failure(
                PatternError(
                    "pattern \"\(pattern)\" has a wildcard that is not at the end; only a trailing * or ** is allowed"))
        }
        if wildcard != .none && !prefix.contains("/") {
            return .failure(
                PatternError(
                    "pattern \"\(pattern)\" has a wildcard before the registry/ part; wildcards are allowed only "
                        + "after registry/, e.g. gcr.io/my-project/*"))
        }
        return .success(NamePattern(prefix: String(prefix), wildcard: wildcard))
    }

    /// Why an allowlist pattern is invalid.
    package struct PatternError: Error, Hashable, Sendable, CustomStringConvertible {
        /// The explanation.
        package var message: String
        init(_ message: String) { self.message = message }
        package var description: String { message }
    }

    // MARK: Key ids

    /// Whether `text` looks like an RFC 3986 URI with a scheme (`ni:///sha-256;…`, `//cloudkms…` is a
    /// network-path reference, also accepted as gcloud produces it for KMS keys).
    package static func isURI(_ text: String) -> Bool {
        if text.hasPrefix("//") { return text.count > 2 && !text.contains(" ") }
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else { return false }
        let scheme = text[..<colon]
        guard let first = scheme.first, first.isASCII, first.isLetter else { return false }
        let schemeOK = scheme.allSatisfy {
            $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".")
        }
        let rest = text[text.index(after: colon)...]
        return schemeOK && !rest.isEmpty
            && rest.unicodeScalars.allSatisfy {
                $0.value > 0x20 && $0.value < 0x7F && $0 != "<" && $0 != ">" && $0 != "\""
            }
    }

    /// Whether `text` is a v4 OpenPGP fingerprint as Binary Authorization writes key ids: 40 upper-case hex.
    package static func isPGPFingerprint(_ text: String) -> Bool {
        text.utf8.count == 40 && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x46) }
    }
}
