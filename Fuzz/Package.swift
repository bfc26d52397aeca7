// swift-tools-version: 6.3
// SPDX-License-Identifier: Apache-2.0
//
// libFuzzer drivers for swift-binauthz's parsers — a package of its own so the fuzzing flags and executables stay
// out of the library's build. Run `make fuzz` from the repository root (see scripts/fuzz.sh); the entry points are
// `_BinAuthzFuzzTargets.FuzzTarget`, which the test suite also replays over Tests/Fixtures/fuzz-regressions.

import PackageDescription

/// A path dependency is identified by its directory's name, which is the clone's name (`swift-binauthz`, `main`…).
let library = String(Context.packageDirectory.split(separator: "/").dropLast().last ?? "swift-binauthz").lowercased()

let package = Package(
    name: "swift-binauthz-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(
            name: "binauthz-fuzz",
            dependencies: [.product(name: "_BinAuthzFuzzTargets", package: library)]
        )
    ]
)
