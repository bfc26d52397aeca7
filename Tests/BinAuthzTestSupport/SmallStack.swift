// SPDX-License-Identifier: Apache-2.0

import Foundation

/// Runs code on a thread with a small stack, the way an embedding program may call the library: Dispatch and
/// macOS secondary threads get 512 KiB, some servers less. Every parser test runs its inputs here, so a reader that
/// recursed once per nesting level of a hostile document would crash the test run instead of passing.
public enum SmallStack {
    /// The stack the parser tests use: 128 KiB.
    public static let bytes = 128 << 10

    /// Runs `body` on a fresh thread with a `stackSize`-byte stack and returns its result (or rethrows).
    public static func run<R>(stackSize: Int = SmallStack.bytes, _ body: @escaping () throws -> R) throws -> R {
        nonisolated(unsafe) var result: Result<R, any Error>?
        nonisolated(unsafe) let work = body
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            result = Result { try work() }
            done.signal()
        }
        thread.stackSize = stackSize
        thread.start()
        done.wait()
        return try result!.get()
    }
}
