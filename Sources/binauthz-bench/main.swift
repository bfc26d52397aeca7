// SPDX-License-Identifier: Apache-2.0

import Foundation

// `make bench` — every suite measured side by side with the independent tool where one exists, in one run.
let suites: [any BenchmarkSuite.Type] = [
    PayloadBenchmarks.self, PGPBenchmarks.self, PKIXBenchmarks.self, EngineBenchmarks.self, OutputBenchmarks.self,
    MemoryBenchmarks.self,
]

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
