// swift-tools-version: 6.3
// SPDX-License-Identifier: Apache-2.0
//
// A consumer that uses only PKIX attestor keys: the proof that such a program builds, links and runs without
// GPGME. scripts/check-pkix-consumer.sh builds it with gpgme's header, library and pkg-config file hidden and
// checks that nothing of BinAuthzPGP or CGPGME was built or linked.

import PackageDescription

/// A path dependency is identified by its directory's name, which is the clone's name (`swift-binauthz`, `main`…).
let library = String(Context.packageDirectory.split(separator: "/").dropLast(3).last ?? "swift-binauthz").lowercased()

let package = Package(
    name: "pkix-only-consumer",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "../../..")],
    targets: [
        .executableTarget(
            name: "pkix-only-consumer",
            dependencies: [
                .product(name: "BinAuthzAttestation", package: library),
                .product(name: "BinAuthzPKIX", package: library),
                .product(name: "BinAuthzPolicy", package: library),
                .product(name: "BinAuthzTesting", package: library),
            ]
        )
    ]
)
