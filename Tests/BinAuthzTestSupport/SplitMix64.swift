// SPDX-License-Identifier: Apache-2.0

/// SplitMix64 (Steele, Lea and Flood), the one deterministic generator of the test suites: seeded inputs, mutation
/// cases and generated corpora are the same on every run with the same seed.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The seed the generator started from, to name a failing case.
    public let seed: UInt64
    private var state: UInt64

    /// Starts the sequence at `seed`.
    public init(seed: UInt64) {
        self.seed = seed
        state = seed
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `0..<bound`.
    public mutating func next(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    /// One of `items` (which must not be empty).
    public mutating func pick<T>(_ items: [T]) -> T { items[next(items.count)] }
}
