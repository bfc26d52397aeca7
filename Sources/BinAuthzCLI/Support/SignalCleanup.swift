// SPDX-License-Identifier: Apache-2.0

import BinAuthzPGP
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import _BinAuthzSystem

/// Cleans up when the command is interrupted or terminated (SIGINT, SIGTERM, SIGHUP) — a cancelled CI job, Ctrl-C.
///
/// Keyrings and temporary folders are removed by `defer` and `deinit`, which do not run when a signal kills the
/// process: a cancelled `sign-and-create` would leave its secret key in `/tmp` and its `gpg-agent` running. The
/// signal handler only writes the signal number to a pipe (all a handler may safely do); a thread waiting on the
/// pipe stops every live keyring's agent, removes the homes and temporary folders, then re-raises the signal with
/// its default action so the exit status still says what killed the command. SIGKILL cannot be caught.
enum SignalCleanup {
    static let signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// The pipe's write end, read by the handler. Set once, before any handler is installed.
    nonisolated(unsafe) private static var writeEnd: Int32 = -1
    /// Set when a signal's cleanup has begun: the command must not exit on its own any more.
    private static let terminating = Atomic<Bool>(false)
    private static let folders = Mutex<Set<String>>([])

    /// Installs the handlers and starts the cleanup thread. Call once, first thing in `main`.
    static func install() {
        var ends: [Int32] = [-1, -1]
        guard system_pipe(&ends) == 0 else { return }  // no cleanup on signals, as without this type
        for fd in ends { _ = system_fcntl(fd, F_SETFD, FD_CLOEXEC) }
        writeEnd = ends[1]
        let readEnd = ends[0]
        // A parent may start us with these signals blocked (a test runner or CI agent spawning from a thread that
        // blocks them); they would stay pending until exit. Unblock them in this thread before creating the cleanup
        // thread, so it, later threads and the gpg processes all inherit the unblocked mask.
        var set = sigset_t()
        system_sigemptyset(&set)
        for number in signals { system_sigaddset(&set, number) }
        system_pthread_sigmask(SIG_UNBLOCK, &set, nil)
        Thread.detachNewThread {
            var received: UInt8 = 0
            while system_read(readEnd, &received, 1) != 1 {
                if errno != EINTR { return }
            }
            terminating.store(true, ordering: .sequentiallyConsistent)
            cleanUp()
            // Die of the same signal: default action, unblocked in this thread (Foundation threads may start with
            // signals blocked), raised here.
            let number = Int32(received)
            system_signal(number, SIG_DFL)
            var set = sigset_t()
            system_sigemptyset(&set)
            system_sigaddset(&set, number)
            system_pthread_sigmask(SIG_UNBLOCK, &set, nil)
            system_raise(number)
            system_exit(128 + number)
        }
        for number in signals {
            var action = sigaction()
            let handler: @convention(c) (Int32) -> Void = { number in
                var byte = UInt8(truncatingIfNeeded: number)
                _ = system_write(SignalCleanup.writeEnd, &byte, 1)
            }
            #if canImport(Darwin)
            action.__sigaction_u.__sa_handler = handler
            #else
            action.__sigaction_handler.sa_handler = handler
            #endif
            system_sigemptyset(&action.sa_mask)
            action.sa_flags = SA_RESTART
            system_sigaction(number, &action, nil)
        }
    }

    /// Called before the command writes a file or exits by itself: while a signal's cleanup runs, waits for it to end
    /// the process with the signal — so an interrupted command neither writes (a key it just made) nor exits with
    /// another status.
    static func waitIfTerminating() {
        guard terminating.load(ordering: .sequentiallyConsistent) else { return }
        while true { pause() }
    }

    /// Removes `path` (recursively) if a signal ends the command before the folder's owner does.
    static func register(folder path: String) { _ = folders.withLock { $0.insert(path) } }

    /// The folder's owner removed it.
    static func unregister(folder path: String) { _ = folders.withLock { $0.remove(path) } }

    private static func cleanUp() {
        LiveKeyringHomes.tearDownAll()
        for path in folders.withLock({ $0 }) {
            try? FileManager.default.removeItem(atPath: path)
        }
    }
}
