// swift-tools-version: 6.3
// SPDX-License-Identifier: Apache-2.0
//
// swift-binauthz: an offline, embeddable implementation of Google Cloud Binary Authorization.
// The module graph is described in Docs/Architecture.md.

import PackageDescription

let package = Package(
    name: "swift-binauthz",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "BinAuthz", targets: ["BinAuthz"]),
        .library(name: "BinAuthzAttestation", targets: ["BinAuthzAttestation"]),
        .library(name: "BinAuthzModel", targets: ["BinAuthzModel"]),
        .library(name: "BinAuthzPayload", targets: ["BinAuthzPayload"]),
        .library(name: "BinAuthzPGP", targets: ["BinAuthzPGP"]),
        .library(name: "BinAuthzPKIX", targets: ["BinAuthzPKIX"]),
        .library(name: "BinAuthzPolicy", targets: ["BinAuthzPolicy"]),
        .library(name: "BinAuthzTesting", targets: ["BinAuthzTesting"]),
        .executable(name: "binauthz", targets: ["binauthz"]),
        // Not API: the fuzzing entry points, for the separate Fuzz/ package (make fuzz).
        .library(name: "_BinAuthzFuzzTargets", targets: ["_BinAuthzFuzzTargets"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", "4.0.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-asn1.git", "1.1.0"..<"2.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", "1.5.0"..<"2.0.0"),
    ],
    targets: [
        // MARK: Library modules

        // libyaml's event parser, imported only by BinAuthzModel's YAML reader. Yams, which embeds libyaml, offers
        // only a recursive composer that refuses duplicate keys itself; the readers need events, to bound nesting
        // and alias expansion exactly and to apply gcloud's and kubectl's own duplicate-key and merge-key rules.
        .systemLibrary(
            name: "CYAML",
            pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]
        ),
        // Value types, REST JSON and gcloud YAML formats, validation.
        .target(
            name: "BinAuthzModel",
            dependencies: ["CYAML", .product(name: "SwiftASN1", package: "swift-asn1")]
        ),
        // The simple-signing payload: gcloud-exact builder, service-like parser, DSSE PAE.
        .target(
            name: "BinAuthzPayload",
            dependencies: ["BinAuthzModel"]
        ),
        // GPGME, imported only by BinAuthzPGP.
        .systemLibrary(
            name: "CGPGME",
            pkgConfig: "gpgme",
            providers: [.apt(["libgpgme-dev", "gnupg"])]
        ),
        // Attestor verification composed of per-key-kind verifiers (the offline ValidateAttestationOccurrence and the
        // engine's evidence source), occurrence builders and the signer protocol. No GPGME, no swift-crypto: a
        // program that only sees PKIX keys links this, BinAuthzPKIX and never GPGME.
        .target(
            name: "BinAuthzAttestation",
            dependencies: ["BinAuthzModel", "BinAuthzPayload", "BinAuthzPolicy"]
        ),
        // Infrastructure, not API: every POSIX call of the package, in one file (Syscalls.swift).
        .target(name: "_BinAuthzSystem"),
        // OpenPGP: the in-process verifier, and GPGME (ephemeral keyrings, keys, attached signatures, the reference
        // verifier); PGP attestor keys for BinAuthzAttestation.
        .target(
            name: "BinAuthzPGP",
            dependencies: [
                "BinAuthzAttestation",
                "BinAuthzModel",
                "BinAuthzPolicy",
                "CGPGME",
                "_BinAuthzSystem",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]
        ),
        // PKIX signatures over swift-crypto for every signatureAlgorithm of the API.
        .target(
            name: "BinAuthzPKIX",
            dependencies: [
                "BinAuthzAttestation",
                "BinAuthzModel",
                "BinAuthzPayload",
                "BinAuthzPolicy",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        // The pure admission-decision engine. No GPGME, no swift-crypto, no I/O, no clock.
        .target(
            name: "BinAuthzPolicy",
            dependencies: ["BinAuthzModel"]
        ),
        // Umbrella: re-exports the modules; AttestorVerifier with PGP and PKIX keys by default.
        .target(
            name: "BinAuthz",
            dependencies: [
                "BinAuthzAttestation",
                "BinAuthzModel",
                "BinAuthzPayload",
                "BinAuthzPGP",
                "BinAuthzPKIX",
                "BinAuthzPolicy",
            ]
        ),
        // Helpers for users' own policy test suites: PKIX keys only, so they need no GPGME either.
        .target(
            name: "BinAuthzTesting",
            dependencies: ["BinAuthzAttestation", "BinAuthzModel", "BinAuthzPayload", "BinAuthzPKIX", "BinAuthzPolicy"]
        ),

        // MARK: Command line

        // The commands, as a module of their own so the executable target is one line. Tests run the built `binauthz` executable as a subprocess (exit statuses, signals, file
        // descriptors and standard streams are part of the contract), never the commands in-process.
        .target(
            name: "BinAuthzCLI",
            dependencies: [
                "BinAuthz", "BinAuthzModel", "BinAuthzPayload", "BinAuthzPGP", "BinAuthzPKIX", "BinAuthzPolicy",
                "_BinAuthzSystem",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "binauthz",
            dependencies: ["BinAuthzCLI"]
        ),
        // Benchmarks: not part of `make test`; run with `make bench`.
        .executableTarget(
            name: "binauthz-bench",
            dependencies: [
                "BinAuthz", "BinAuthzModel", "BinAuthzPayload", "BinAuthzPGP", "BinAuthzPKIX", "BinAuthzPolicy",
                "BinAuthzTestSupport", "_BinAuthzSystem",
                // The bare primitives the in-process PGP verifier is measured against.
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]
        ),

        // The parser families as fuzzing entry points, shared by Fuzz/ (libFuzzer) and the corpus replay test.
        .target(
            name: "_BinAuthzFuzzTargets",
            dependencies: [
                "BinAuthz", "BinAuthzModel", "BinAuthzPayload", "BinAuthzPGP", "BinAuthzPKIX", "BinAuthzPolicy",
            ]
        ),

        // MARK: Tests

        // Fixture lookup, subprocess helpers and interop-tool discovery shared by the test targets.
        .target(
            name: "BinAuthzTestSupport",
            dependencies: [],
            path: "Tests/BinAuthzTestSupport"
        ),
        .testTarget(name: "BinAuthzModelTests", dependencies: ["BinAuthzModel", "BinAuthzTestSupport"]),
        .testTarget(name: "BinAuthzPayloadTests", dependencies: ["BinAuthzPayload", "BinAuthzTestSupport"]),
        .testTarget(name: "BinAuthzPGPTests", dependencies: ["BinAuthzPGP", "BinAuthzModel", "BinAuthzTestSupport"]),
        .testTarget(
            name: "BinAuthzPKIXTests",
            dependencies: [
                "BinAuthzPKIX", "BinAuthzPayload", "BinAuthzTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .testTarget(name: "BinAuthzPolicyTests", dependencies: ["BinAuthzPolicy", "BinAuthzTestSupport"]),
        .testTarget(name: "BinAuthzTests", dependencies: ["BinAuthz", "BinAuthzTesting", "BinAuthzTestSupport"]),
        .testTarget(name: "BinAuthzCLITests", dependencies: ["BinAuthzCLI", "BinAuthzTestSupport"]),
        // Replays the fuzzing regression corpus (Tests/Fixtures/fuzz-regressions) through the fuzz entry points.
        .testTarget(name: "BinAuthzFuzzReplayTests", dependencies: ["_BinAuthzFuzzTargets", "BinAuthzTestSupport"]),
    ]
)

// MARK: - Settings shared by every target of this package

for target in package.targets where target.type != .system {
    var settings = target.swiftSettings ?? []
    settings.append(.swiftLanguageMode(.v6))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.treatAllWarnings(as: .error))
    target.swiftSettings = settings
}
