// SPDX-License-Identifier: Apache-2.0

import Foundation

// `make bench` — every suite measured side by side with the independent tool where one exists, in one run.
let allSuites: [any BenchmarkSuite.Type] = [
    PayloadBenchmarks.self, PGPBenchmarks.self, PGPEndToEndBenchmarks.self, PKIXBenchmarks.self,
    EngineBenchmarks.self, OutputBenchmarks.self, PlatformBenchmarks.self, MemoryBenchmarks.self,
]
// `BENCH_SUITES="PGP signatures,PGP end to end"` runs only the suites named (for working on one of them); the
// published table is always one run of every suite.
let chosen = ProcessInfo.processInfo.environment["BENCH_SUITES"].map {
    Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
}
let suites = allSuites.filter { chosen?.contains($0.name) ?? true }

var rows: [BenchmarkRow] = []
for suite in suites {
    FileHandle.standardError.write(Data("running \(suite.name)…\n".utf8))
    do {
        rows += try suite.run()
    } catch {
        FileHandle.standardError.write(Data("\(suite.name) failed: \(error)\n".utf8))
        exit(1)
    }
}
print("| section | operation | swift-binauthz | reference | note |")
print("|---|---|---|---|---|")
for row in rows {
    print("| \(row.section) | \(row.operation) | \(row.ours) | \(row.reference) | \(row.note) |")
}
