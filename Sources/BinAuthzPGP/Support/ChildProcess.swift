// SPDX-License-Identifier: Apache-2.0

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import _BinAuthzSystem

/// Runs a helper program (`gpgconf`) synchronously with `posix_spawn`, standard streams on `/dev/null`.
///
/// Waits for exactly the child it started (never `waitpid(-1)`), so GPGME's own child reaping is not disturbed.
enum ChildProcess {
    /// Runs `executable` (a path, or a name looked up on `PATH`) and returns its exit status, or `nil` when it
    /// could not be started.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) -> Int32? {
        var actions = posix_spawn_file_actions_t()
        system_posix_spawn_file_actions_init(&actions)
        defer { system_posix_spawn_file_actions_destroy(&actions) }
        system_posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        system_posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        system_posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let spawned = argv.withUnsafeBufferPointer { buffer in
            system_posix_spawnp(&pid, executable, &actions, nil, buffer.baseAddress!, environ)
        }
        guard spawned == 0 else { return nil }
        var status: Int32 = 0
        while system_waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { return nil }
        }
        // WIFEXITED / WEXITSTATUS are macros; decode the classic layout.
        return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : -1
    }
}
