// SPDX-License-Identifier: Apache-2.0

import Foundation

/// Locates the test vectors under `Tests/Fixtures`.
///
/// The public corpora (`Tests/Fixtures/corpora/<project>/…`) are copies of `../shared/corpora`, each folder with
/// its upstream LICENSE and a README of expected outcomes.
public enum Fixtures {
    /// The package root, found from this file's location.
    public static let packageRoot: URL = {
        URL(fileURLWithPath: #filePath)  // …/Tests/BinAuthzTestSupport/Fixtures.swift
            .deletingLastPathComponent()
            .deletingLastPathComponent()
            .deletingLastPathComponent()
    }()

    /// `Tests/Fixtures`.
    public static let root = packageRoot.appendingPathComponent("Tests/Fixtures")

    /// A path below `Tests/Fixtures`, e.g. `corpora/seed-article/set-a/sec-policy.yml`.
    public static func url(_ relativePath: String) -> URL {
        root.appendingPathComponent(relativePath)
    }

    /// A path below `Tests/Fixtures/corpora`.
    public static func corpus(_ relativePath: String) -> URL {
        root.appendingPathComponent("corpora").appendingPathComponent(relativePath)
    }

    /// The bytes of a fixture file.
    public static func data(_ relativePath: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: url(relativePath)))
    }

    /// The text of a fixture file.
    public static func text(_ relativePath: String) throws -> String {
        try String(decoding: Data(contentsOf: url(relativePath)), as: UTF8.self)
    }

    /// The bytes of a corpus file.
    public static func corpusData(_ relativePath: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: corpus(relativePath)))
    }

    /// The text of a corpus file.
    public static func corpusText(_ relativePath: String) throws -> String {
        try String(decoding: Data(contentsOf: corpus(relativePath)), as: UTF8.self)
    }

    /// A corpus JSON file, decoded as untyped JSON.
    public static func corpusJSON(_ relativePath: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: corpus(relativePath)))
    }
}
