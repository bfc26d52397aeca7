// SPDX-License-Identifier: Apache-2.0

/// A port of the parts of CPython 3.12's `urllib.parse` that gcloud's `ReplaceImageUrlScheme` and
/// containerregistry's `_check_registry` rely on: `urlsplit`, `urlparse`, `urlunparse`, with the WHATWG
/// stripping, the bracketed-host checks and the NFKC netloc check.
///
/// Python strings are sequences of code points, so everything here works on `[Unicode.Scalar]`. The quirks are
/// kept on purpose — gcloud's behaviour *is* these quirks (`localhost:5000/x` parses as scheme `localhost`,
/// a trailing `#` or `?` vanishes, tabs and newlines are removed anywhere, leading spaces are dropped).
enum PythonURLParse {
    typealias Text = [Unicode.Scalar]

    /// A `ValueError` raised by `urlsplit` (gcloud does not catch it; it reports a crash).
    struct ValueError: Error, Equatable {
        var message: String
    }

    /// `urllib.parse.ParseResult`.
    struct ParseResult: Equatable {
        var scheme: Text
        var netloc: Text
        var path: Text
        var params: Text
        var query: Text
        var fragment: Text
    }

    static let usesParams: Set<String> = [
        "", "ftp", "hdl", "prospero", "http", "imap", "https", "shttp", "rtsp", "rtsps", "rtspu", "sip", "sips",
        "mms", "sftp", "tel",
    ]

    static let usesNetloc: Set<String> = [
        "", "ftp", "http", "gopher", "nntp", "telnet", "imap", "wais", "file", "mms", "https", "shttp", "snews",
        "prospero", "rtsp", "rtsps", "rtspu", "rsync", "svn", "svn+ssh", "sftp", "nfs", "git", "git+ssh", "ws", "wss",
        "itms-services",
    ]

    static func isSchemeCharacter(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "a"..."z", "A"..."Z", "0"..."9", "+", "-", ".": true
        default: false
        }
    }

    /// `_WHATWG_C0_CONTROL_OR_SPACE`: U+0000 through U+0020.
    static func isC0ControlOrSpace(_ c: Unicode.Scalar) -> Bool { c.value <= 0x20 }

    /// `urlparse(url)` with the default scheme `''` and `allow_fragments=True`.
    static func urlparse(_ url: Text) throws(ValueError) -> ParseResult {
        let split = try urlsplit(url)
        var path = split.path
        var params: Text = []
        if usesParams.contains(String(String.UnicodeScalarView(split.scheme))) && path.contains(";") {
            (path, params) = splitParams(path)
        }
        return ParseResult(
            scheme: split.scheme, netloc: split.netloc, path: path, params: params, query: split.query,
            fragment: split.fragment)
    }

    /// `_splitparams`: splits `;params` off the last path segment.
    static func splitParams(_ url: Text) -> (Text, Text) {
        let i: Int
        if let lastSlash = url.lastIndex(of: "/") {
            guard let semicolon = url[lastSlash...].firstIndex(of: ";") else { return (url, []) }
            i = semicolon
        } else {
            i = url.firstIndex(of: ";")!
        }
        return (Array(url[..<i]), Array(url[(i + 1)...]))
    }

    /// `urlsplit(url)`, returning a ``ParseResult`` with empty `params`.
    static func urlsplit(_ input: Text) throws(ValueError) -> ParseResult {
        var url = Array(input.drop(while: isC0ControlOrSpace))
        url.removeAll { $0 == "\t" || $0 == "\r" || $0 == "\n" }
        var scheme: Text = []
        var netloc: Text = []
        var query: Text = []
        var fragment: Text = []
        if let i = url.firstIndex(of: ":"), i > 0, url[0].isASCII, isASCIILetter(url[0]),
            url[..<i].allSatisfy(isSchemeCharacter)
        {
            scheme = url[..<i].map(asciiLowercased)
            url = Array(url[(i + 1)...])
        }
        if url.starts(with: ["/", "/"]) {
            let rest = url[2...]
            let delimiter = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? url.endIndex
            netloc = Array(url[2..<delimiter])
            url = Array(url[delimiter...])
            let hasOpen = netloc.contains("[")
            let hasClose = netloc.contains("]")
            if hasOpen != hasClose { throw ValueError(message: "Invalid IPv6 URL") }
            if hasOpen && hasClose { try checkBracketedNetloc(netloc) }
        }
        if let hash = url.firstIndex(of: "#") {
            fragment = Array(url[(hash + 1)...])
            url = Array(url[..<hash])
        }
        if let question = url.firstIndex(of: "?") {
            query = Array(url[(question + 1)...])
            url = Array(url[..<question])
        }
        try checkNetloc(netloc)
        return ParseResult(scheme: scheme, netloc: netloc, path: url, params: [], query: query, fragment: fragment)
    }

    /// `urlunparse(components)`.
    static func urlunparse(_ r: ParseResult) -> Text {
        var url = r.path
        if !r.params.isEmpty { url += [";"] + r.params }
        if !r.netloc.isEmpty {
            if !url.isEmpty && url.first != "/" { url = ["/"] + url }
            url = ["/", "/"] + r.netloc + url
        } else if url.starts(with: ["/", "/"]) {
            url = ["/", "/"] + url
        } else if !r.scheme.isEmpty, usesNetloc.contains(String(String.UnicodeScalarView(r.scheme))),
            url.isEmpty || url.first == "/"
        {
            url = ["/", "/"] + url
        }
        if !r.scheme.isEmpty { url = r.scheme + [":"] + url }
        if !r.query.isEmpty { url += ["?"] + r.query }
        if !r.fragment.isEmpty { url += ["#"] + r.fragment }
        return url
    }

    // MARK: Netloc checks

    /// Code points whose NFKC form contains one of `/?#@:` (Unicode 15.0, as in CPython 3.12's `unicodedata`).
    static let nfkcDelimiterLookalikes: Set<UInt32> = [
        0x2047, 0x2048, 0x2049, 0x2100, 0x2101, 0x2105, 0x2106, 0x2A74, 0xFE13, 0xFE16, 0xFE55, 0xFE56, 0xFE5F,
        0xFE6B, 0xFF03, 0xFF0F, 0xFF1A, 0xFF1F, 0xFF20,
    ]

    /// `_checknetloc`: a non-ASCII netloc must not gain `/?#@:` under NFKC normalisation.
    static func checkNetloc(_ netloc: Text) throws(ValueError) {
        guard netloc.contains(where: { !$0.isASCII }) else { return }
        if netloc.contains(where: { nfkcDelimiterLookalikes.contains($0.value) }) {
            throw ValueError(
                message:
                    "netloc '\(String(String.UnicodeScalarView(netloc)))' contains invalid characters under NFKC normalization"
            )
        }
    }

    /// `_check_bracketed_netloc`.
    static func checkBracketedNetloc(_ netloc: Text) throws(ValueError) {
        let hostAndPort = netloc.lastIndex(of: "@").map { Array(netloc[($0 + 1)...]) } ?? netloc
        let hostname: Text
        if let open = hostAndPort.firstIndex(of: "[") {
            guard open == 0 else { throw ValueError(message: "Invalid IPv6 URL") }
            let bracketed = hostAndPort[(open + 1)...]
            if let close = bracketed.firstIndex(of: "]") {
                hostname = Array(bracketed[..<close])
                let port = bracketed[(close + 1)...]
                if !port.isEmpty && port.first != ":" { throw ValueError(message: "Invalid IPv6 URL") }
            } else {
                hostname = Array(bracketed)
            }
        } else {
            hostname = hostAndPort.firstIndex(of: ":").map { Array(hostAndPort[..<$0]) } ?? hostAndPort
        }
        try checkBracketedHost(hostname)
    }

    /// `_check_bracketed_host`: an IPv6 address (optionally with a zone) or an IPvFuture literal.
    static func checkBracketedHost(_ hostname: Text) throws(ValueError) {
        if hostname.first == "v" {
            // \Av[a-fA-F0-9]+\..+\Z
            var i = 1
            while i < hostname.count, isHexDigit(hostname[i]) { i += 1 }
            guard i > 1, i < hostname.count, hostname[i] == ".", i + 1 < hostname.count,
                hostname[(i + 1)...].allSatisfy({ $0 != "\n" })
            else { throw ValueError(message: "IPvFuture address is invalid") }
            return
        }
        if isIPv4Address(hostname[...]) { throw ValueError(message: "An IPv4 address cannot be in brackets") }
        guard isIPv6Address(hostname) else {
            throw ValueError(
                message: "'\(String(String.UnicodeScalarView(hostname)))' does not appear to be an IPv4 or IPv6 address"
            )
        }
    }

    /// `ipaddress.IPv4Address` string parsing as gcloud runs it: gcloud puts its bundled `ipaddress` 1.0.22
    /// backport ahead of the standard library, which allows leading zeros when the value is at most 7 and has no
    /// IPv6 zone ids.
    static func isIPv4Address(_ text: ArraySlice<Unicode.Scalar>) -> Bool {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4 else { return false }
        for octet in octets {
            guard !octet.isEmpty, octet.allSatisfy({ $0 >= "0" && $0 <= "9" }), octet.count <= 3 else { return false }
            let value = octet.reduce(0) { $0 * 10 + Int($1.value - 0x30) }
            if value > 7 && octet.first == "0" { return false }
            guard value <= 255 else { return false }
        }
        return true
    }

    /// `ipaddress.IPv6Address` string parsing of the `ipaddress` 1.0.22 backport gcloud loads (no `%zone`).
    static func isIPv6Address(_ text: Text) -> Bool {
        let address = text[...]
        guard !address.isEmpty else { return false }
        var parts = address.split(separator: ":", omittingEmptySubsequences: false).map { Array($0) }
        guard parts.count >= 3 else { return false }
        if let last = parts.last, last.contains(".") {
            guard isIPv4Address(last[...]) else { return false }
            parts.removeLast()
            parts.append(["0"])
            parts.append(["0"])
        }
        guard parts.count <= 9 else { return false }
        var skipIndex: Int?
        for i in 1..<(parts.count - 1) where parts[i].isEmpty {
            if skipIndex != nil { return false }
            skipIndex = i
        }
        var hextets: [[Unicode.Scalar]] = []
        if let skipIndex {
            var partsHigh = skipIndex
            var partsLow = parts.count - skipIndex - 1
            if parts[0].isEmpty {
                partsHigh -= 1
                if partsHigh != 0 { return false }
            }
            if parts[parts.count - 1].isEmpty {
                partsLow -= 1
                if partsLow != 0 { return false }
            }
            guard 8 - (partsHigh + partsLow) >= 1 else { return false }
            hextets = Array(parts[..<partsHigh]) + Array(parts[(parts.count - partsLow)...])
        } else {
            guard parts.count == 8, !parts[0].isEmpty, !parts[7].isEmpty else { return false }
            hextets = parts
        }
        return hextets.allSatisfy { !$0.isEmpty && $0.count <= 4 && $0.allSatisfy(isHexDigit) }
    }

    // MARK: Character classes

    static func isASCIILetter(_ c: Unicode.Scalar) -> Bool { (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") }

    static func isHexDigit(_ c: Unicode.Scalar) -> Bool {
        (c >= "0" && c <= "9") || (c >= "a" && c <= "f") || (c >= "A" && c <= "F")
    }

    static func asciiLowercased(_ c: Unicode.Scalar) -> Unicode.Scalar {
        (c >= "A" && c <= "Z") ? Unicode.Scalar(c.value + 32)! : c
    }
}
