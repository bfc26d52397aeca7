// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel
import Foundation
import Synchronization
import _BinAuthzSystem

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Progress on standard error for the operations that take seconds: a passphrase-protected key (GnuPG's key
/// derivation), signing with one, an audit of a large cluster dump.
///
/// Shown only when standard error is a terminal and `BINAUTHZ_NO_PROGRESS` is unset, and only once the operation
/// has run for ``delay``: then one line, `binauthz: WHAT… Ns`, rewritten in place each second and erased when the
/// operation ends, whichever way it ends. Pipes, files and CI logs never see it, so the command-line contract
/// (one line on standard error for an error) is unchanged. The text names the operation only: never a key, a
/// passphrase or a file's contents.
enum Progress {
    /// How long an operation runs before its line appears; quick runs show nothing.
    static let delay: Duration = .milliseconds(500)

    /// The environment variable that turns progress off even on a terminal.
    static let disableVariable = "BINAUTHZ_NO_PROGRESS"

    /// Whether progress may be drawn: standard error is a terminal, and progress is not turned off.
    static var isEnabled: Bool {
        system_isatty(STDERR_FILENO) == 1 && system_getenv(disableVariable) == nil
    }

    /// Runs `body`, showing `what` (a short phrase, "signing with the PGP key") while it runs longer than ``delay``.
    static func during<Result, Failure: Error>(
        _ what: String, _ body: () throws(Failure) -> Result
    ) throws(Failure) -> Result {
        guard isEnabled else { return try body() }
        let line = Line(what: TextSafety.printable(what))
        line.start()
        defer { line.finish() }
        return try body()
    }

    /// One progress line: drawn after ``Progress/delay``, redrawn each second, erased by ``finish()``.
    private final class Line: Sendable {
        let what: String
        let started = ContinuousClock.now
        let state = Mutex<(drawn: Bool, finished: Bool)>((false, false))

        init(what: String) { self.what = what }

        func start() {
            let delay = Progress.delay.components
            schedule(after: Double(delay.seconds) + Double(delay.attoseconds) / 1e18)
        }

        private func schedule(after seconds: Double) {
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [self] in
                if draw() { schedule(after: 1) }
            }
        }

        /// Draws the line unless the operation has finished; whether to keep drawing.
        private func draw() -> Bool {
            state.withLock { state in
                guard !state.finished else { return false }
                let elapsed = (ContinuousClock.now - started).components.seconds
                // Carriage return, the text, then erase to the end of the line: the line is rewritten in place.
                FileIO.writeStandardError(Array("\r\u{1B}[Kbinauthz: \(what)… \(elapsed) s".utf8))
                state.drawn = true
                return true
            }
        }

        func finish() {
            state.withLock { state in
                state.finished = true
                if state.drawn { FileIO.writeStandardError(Array("\r\u{1B}[K".utf8)) }
            }
        }
    }
}
