// SPDX-License-Identifier: Apache-2.0

import Foundation
import Testing

/// One case of `Tests/Fixtures/gcloud-parity/policies`: the file gcloud 528's `policy import` was given and what it
/// did with it (see that folder's README).
public struct PolicyImportCase: CustomTestStringConvertible, Sendable {
    public let file: String
    public let fileName: String
    public let project: String
    public let expected: [String: any Sendable]

    public var testDescription: String { fileName }

    public var ok: Bool { expected["ok"] as? Bool ?? false }
    public var crash: Bool { expected["crash"] as? Bool ?? false }
    public var errorMessage: String? { expected["errorMessage"] as? String }
    public var bodyText: String? { expected["bodyText"] as? String }
    /// The texts of the warnings gcloud printed, as ``PolicyImport/warnings`` words them (without the position).
    public var warningProblems: [String] {
        (expected["warnings"] as? [[String: any Sendable]] ?? []).map { warning in
            if warning["source"] as? String == "gcloud" { return warning["message"] as? String ?? "" }
            let category = warning["category"] as? String ?? ""
            if category == "MantissaNoDotYAML1_1Warning" {
                return "MantissaNoDotYAML1_1Warning: In YAML 1.1 floating point values should have a dot ('.') in "
                    + "their mantissa."
            }
            return "\(category): \(warning["problem"] as? String ?? "")"
        }
    }
    public var warningLines: [Int?] {
        (expected["warnings"] as? [[String: any Sendable]] ?? []).map { $0["problemLine"] as? Int }
    }

    public static let directory = Fixtures.url("gcloud-parity/policies")

    public static let all: [PolicyImportCase] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".expected.json") }.sorted().compactMap { name in
            guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            else { return nil }
            let input = String(name.dropLast(".expected.json".count))
            return PolicyImportCase(
                file: input, fileName: object["fileName"] as? String ?? input,
                project: object["project"] as? String ?? "p",
                expected: object.mapValues { sendable($0) })
        }
    }()

    /// Cases whose outcome depends on an answer typed at gcloud's prompt (binauthz never prompts: it imports an empty
    /// policy, as gcloud's default answer does).
    public var needsPromptAnswer: Bool { expected["answer"] != nil }

    public var bytes: [UInt8] {
        get throws { try Fixtures.data("gcloud-parity/policies/\(file)") }
    }
}

/// JSON values from `JSONSerialization` as `Sendable` values (`[String: Any]` is not).
public func sendable(_ value: Any) -> any Sendable {
    switch value {
    case let dictionary as [String: Any]: return dictionary.mapValues { sendable($0) }
    case let array as [Any]: return array.map { sendable($0) }
    case let string as String: return string
    case let number as NSNumber:
        if String(cString: number.objCType) == "c" { return number.boolValue }
        return number.intValue
    default: return String(describing: value)
    }
}

extension PolicyImportCase {
    /// `exportYaml`: what `gcloud container binauthz policy export` prints for the imported body.
    public var exportYAML: String? { expected["exportYaml"] as? String }
    /// `stdout`: the YAML gcloud printed after the import.
    public var printedYAML: String? { expected["stdout"] as? String }
}

/// The `policy-export` corpus: `[{"json", "yaml", "exitCode"}]`, a stored policy and what gcloud's export printed.
public enum PolicyExportCorpus {
    public static let cases: [(json: String, yaml: String)] = {
        guard
            let data = FileManager.default.contents(
                atPath: Fixtures.url("gcloud-parity/policy-export/cases.json").path),
            let items = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]]
        else { return [] }
        return items.compactMap { item in
            guard let json = item["json"], let yaml = item["yaml"] as? String,
                let text = try? JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])
            else { return nil }
            return (String(decoding: text, as: UTF8.self), yaml)
        }
    }()
}

/// One case of `gcloud-parity/attestations-create/cases.json` or `attestor-edit/cases.json`: the request sent to
/// `gcloud_resource_tool.py` (what gcloud was run with) and what gcloud 528 did (see that folder's README §1).
public struct GcloudCommandCase: CustomTestStringConvertible, Sendable {
    public let name: String
    public let request: [String: any Sendable]
    public let expected: [String: any Sendable]

    public var testDescription: String { name }

    /// A case made from a request and gcloud's answer to it (a live run of the tool).
    public init(name: String, request: [String: any Sendable], expected: [String: any Sendable]) {
        self.name = name
        self.request = request
        self.expected = expected
    }

    public var ok: Bool { expected["ok"] as? Bool ?? false }
    public var exitCode: Int { expected["exitCode"] as? Int ?? -1 }
    public var crash: Bool { expected["crash"] as? Bool ?? false }
    public var errorMessage: String? { expected["errorMessage"] as? String }
    public var body: (any Sendable)? { expected["body"] }

    /// A request field as a string, if it is one.
    public func string(_ key: String) -> String? { request[key] as? String }

    /// A request field documented as a JSON value that may be stored as its text (Python `repr` or JSON).
    public func object(_ key: String) -> (any Sendable)? {
        guard let value = request[key] else { return nil }
        guard let text = value as? String else { return value }
        for json in [text, text.replacingOccurrences(of: "'", with: "\"")] {
            if let parsed = try? JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed]) {
                return sendable(parsed)
            }
        }
        return text
    }

    /// A request field holding base64 bytes.
    public func bytes(_ key: String) -> [UInt8]? {
        (request[key] as? String).flatMap { Data(base64Encoded: $0) }.map { [UInt8]($0) }
    }

    /// The cases of one corpus file, e.g. `attestations-create/cases.json`.
    public static func load(_ relativePath: String) -> [GcloudCommandCase] {
        guard let data = FileManager.default.contents(atPath: Fixtures.url("gcloud-parity/" + relativePath).path),
            let items = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]]
        else { return [] }
        return items.compactMap { item in
            guard let name = item["name"] as? String, let request = item["request"] as? [String: Any],
                let expected = item["expected"] as? [String: Any]
            else { return nil }
            return GcloudCommandCase(
                name: name, request: request.mapValues { sendable($0) }, expected: expected.mapValues { sendable($0) })
        }
    }
}

/// JSON values (as `JSONSerialization` or ``sendable(_:)`` make them) compared as JSON: numbers, strings, booleans,
/// arrays and objects, key order ignored.
public func jsonEqual(_ a: Any?, _ b: Any?) -> Bool {
    switch (a, b) {
    case (nil, nil): return true
    case (let x as [String: Any], let y as [String: Any]):
        return x.count == y.count && x.allSatisfy { key, value in y[key].map { jsonEqual(value, $0) } ?? false }
    case (let x as [Any], let y as [Any]): return x.count == y.count && zip(x, y).allSatisfy { jsonEqual($0, $1) }
    case (let x as String, let y as String): return x == y
    case (let x as Bool, let y as Bool): return x == y
    case (let x as Int, let y as Int): return x == y
    default: return false
    }
}
