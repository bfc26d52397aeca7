// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import BinAuthzPGP
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import _BinAuthzSystem

/// A second process that removes the command's GnuPG homes if the command dies without doing it.
///
/// `defer`, `close()` and the signal handlers of ``SignalCleanup`` cover every exit the command sees coming. A
/// crash (a trap, an allocation failure) or SIGKILL — an out-of-memory killer, a CI runner's hard cancel — runs
/// none of them, and would leave a signing keyring's secret key in `/tmp` and its agent running. So when the first
/// home is created the command starts `binauthz __watch-homes` with a pipe on its standard input, and writes each
/// home created and removed into it. The watchdog holds no other reference to the command: when the pipe reaches
/// end-of-file — the command exited, however it did — it tears down every home still listed, then exits. At a
/// normal exit the command closes the pipe and waits for the watchdog, which has nothing left to do.
///
/// The watchdog ignores SIGINT, SIGTERM and SIGHUP (a Ctrl-C reaches the whole process group) and starts its own
/// session, so what stops the command does not stop its cleanup.
enum HomeWatchdog {
    private struct State {
        var writeEnd: Int32 = -1
        var pid: pid_t = 0
        var failed = false
    }
    private static let state = Mutex(State())

    /// Starts watching the library's keyring homes. Call once, early in `main`.
    static func install() {
        LiveKeyringHomes.observe { event in
            switch event {
            case .created(let path, let agentMayRun): send("+\(agentMayRun ? "1" : "0") \(path)\n")
            case .removed(let path): send("- \(path)\n")
            }
        }
    }

    /// Closes the pipe and waits for the watchdog to finish: nothing the command started outlives it.
    static func finish() {
        let (writeEnd, pid) = state.withLock { state in
            defer {
                state.writeEnd = -1
                state.pid = 0
            }
            return (state.writeEnd, state.pid)
        }
        guard writeEnd >= 0 else { return }
        system_close(writeEnd)
        var status: Int32 = 0
        while system_waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }

    private static func send(_ line: String) {
        state.withLock { state in
            if state.writeEnd < 0 && !state.failed { start(&state) }
            guard state.writeEnd >= 0 else { return }
            let bytes = Array(line.utf8)
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeBytes {
                    system_write(state.writeEnd, $0.baseAddress! + offset, $0.count - offset)
                }
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { return }
                offset += written
            }
        }
    }

    /// Spawns `binauthz __watch-homes` reading the read end of a fresh pipe; the write end stays in this process
    /// only (close-on-exec, so no gpg or agent inherits it and holds the pipe open).
    private static func start(_ state: inout State) {
        var ends: [Int32] = [-1, -1]
        guard system_pipe(&ends) == 0 else {
            state.failed = true
            return
        }
        _ = system_fcntl(ends[1], F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        system_posix_spawn_file_actions_init(&actions)
        defer { system_posix_spawn_file_actions_destroy(&actions) }
        system_posix_spawn_file_actions_adddup2(&actions, ends[0], 0)
        system_posix_spawn_file_actions_addclose(&actions, ends[0])
        system_posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        system_posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let executable = "/proc/self/exe"
        let arguments = ["binauthz", WatchHomesCommand.configuration.commandName!]
        var pid: pid_t = 0
        let spawned = withCStrings(arguments) { argv in
            system_posix_spawn(&pid, executable, &actions, nil, argv, environ)
        }
        system_close(ends[0])
        guard spawned == 0 else {
            system_close(ends[1])
            state.failed = true
            return
        }
        state.writeEnd = ends[1]
        state.pid = pid
    }

    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        var pointers = strings.map { strdup($0) }
        pointers.append(nil)
        defer { pointers.forEach { free($0) } }
        return body(pointers)
    }

    /// The watchdog's side: reads the command's home events until end-of-file, then removes what is left.
    static func watch() -> Never {
        setsid()
        for number in [SIGINT, SIGTERM, SIGHUP, SIGPIPE] { system_signal(number, SIG_IGN) }
        var homes: [String: Bool] = [:]
        var pending: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { system_read(0, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            pending += chunk[0..<count]
            while let newline = pending.firstIndex(of: 0x0A) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                if line.hasPrefix("+"), line.count > 3 {
                    homes[String(line.dropFirst(3))] = line.dropFirst().first == "1"
                } else if line.hasPrefix("- ") {
                    homes[String(line.dropFirst(2))] = nil
                }
            }
        }
        for (path, agentMayRun) in homes {
            LiveKeyringHomes.tearDown(path: path, agentMayRun: agentMayRun)
        }
        system_exit(0)
    }
}

/// `binauthz __watch-homes`: the watchdog of ``HomeWatchdog``. Not for people; hidden from help.
struct WatchHomesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "__watch-homes",
        abstract: "Internal: remove the GnuPG homes of the binauthz process that started this one when it exits.",
        shouldDisplay: false
    )

    func run() throws {
        HomeWatchdog.watch()
    }
}
