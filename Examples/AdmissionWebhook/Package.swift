// swift-tools-version: 6.3
// SPDX-License-Identifier: Apache-2.0
//
// binauthz-webhook: a Kubernetes validating admission webhook built on swift-binauthz. A separate package, so the
// library itself keeps no network code (Docs/Architecture.md); it depends on the library by path.

import PackageDescription

let package = Package(
    name: "AdmissionWebhook",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "binauthz-webhook", targets: ["binauthz-webhook"])
    ],
    dependencies: [
        .package(name: "swift-binauthz", path: "../.."),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", "2.5.0"..<"3.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", "2.70.0"..<"3.0.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", "2.27.0"..<"3.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", "1.5.0"..<"2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", "2.6.0"..<"3.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", "1.5.0"..<"2.0.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "4.0.0"..<"5.0.0"),
    ],
    targets: [
        // The webhook without its server: configuration directory, reloads, the review with deadlines and the
        // failure policy, metrics. Tested in process and through the executable.
        .target(
            name: "BinAuthzWebhook",
            dependencies: [
                .product(name: "BinAuthz", package: "swift-binauthz"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The HTTPS server: Hummingbird 2 with TLS, graceful shutdown on SIGTERM.
        .executableTarget(
            name: "binauthz-webhook",
            dependencies: [
                "BinAuthzWebhook",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "BinAuthzWebhookTests",
            dependencies: [
                "BinAuthzWebhook",
                .product(name: "BinAuthzTesting", package: "swift-binauthz"),
                // A small HTTPS client of the tests' own, so a test controls every byte and pause (slow clients).
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
    ]
)
