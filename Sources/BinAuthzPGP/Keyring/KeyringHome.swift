// SPDX-License-Identifier: Apache-2.0

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization
import _BinAuthzSystem

/// A private temporary GnuPG home: created with `mkdtemp` (mode 0700) under a short base directory, configured,
/// and removed with everything GnuPG put in it — including the agent and its sockets.
struct KeyringHome: Sendable {
    /// The longest home path accepted. The agent's sockets live in the home when `/run/user/$UID` is missing
    /// (typical in containers) and `sun_path` holds 108 bytes; `S.gpg-agent.browser` is the longest socket name,
    /// so homes of 87 bytes or more break the agent. 80 leaves a margin.
    static let maximumPathLength = 80
    /// The file-name prefix of every home (`/tmp/bzpgp.XXXXXX`).
    static let prefix = "bzpgp."

    let path: String

    /// Creates and configures a home under `base`.
    ///
    /// - Throws: ``PGPError/Code/homeUnusable`` when the path would be too long or the directory cannot be created
    ///   or written.
    static func create(
        base: String, signing: Bool, s2kCount: Int?, gnupgClock: Int? = nil
    ) throws(PGPError) -> KeyringHome {
        var base = base
        while base.count > 1, base.hasSuffix("/") { base.removeLast() }
        let template = "\(base)/\(prefix)XXXXXX"
        guard template.utf8.count <= maximumPathLength else {
            throw PGPError(
                code: .homeUnusable,
                message: "the temporary GnuPG home '\(template)' would be \(template.utf8.count) bytes long; gpg-agent "
                    + "needs \(maximumPathLength) or fewer (its socket paths must fit in 108 bytes): choose a shorter "
                    + "base directory such as /tmp (EphemeralKeyring.Options.baseDirectory; for the binauthz command, "
                    + "$BINAUTHZ_KEYRING_DIR)")
        }
        var buffer = Array(template.utf8CString)
        var failure: Int32 = 0
        // Created and registered under the registry's lock, so a signal's cleanup either sees the home or runs
        // before it exists (and then no home is created any more).
        let created = try LiveKeyringHomes.creating(agentMayRun: signing) { () -> String? in
            buffer.withUnsafeMutableBufferPointer { pointer in
                guard system_mkdtemp(pointer.baseAddress!) != nil else {
                    failure = errno
                    return nil
                }
                return String(decoding: pointer.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
        }
        guard let path = created else {
            let reason = String(cString: strerror(failure))
            throw PGPError(
                code: .homeUnusable,
                message: "cannot create a temporary GnuPG home in '\(base)': \(reason) (the base directory must exist "
                    + "and be writable)")
        }
        let home = KeyringHome(path: path)
        do throws(PGPError) {
            guard system_chmod(path, 0o700) == 0 else { throw home.writeError("setting mode 0700") }
            // gpg.conf: a verify-only home never starts an agent (imports would otherwise start one on 2.2);
            // time checks are ours (at the evaluation time), so GnuPG must not reject on its own clock.
            var gpgConf = ["ignore-time-conflict", "ignore-valid-from"]
            if !signing { gpgConf.append("no-autostart") }
            if let gnupgClock { gpgConf.append("faked-system-time \(gnupgClock)") }
            try home.writeConfig("gpg.conf", gpgConf)
            if signing {
                // No smartcard daemon; no passphrase caching, so every operation asks the callback for the
                // passphrase it was given (a wrong one is always reported, never masked by the cache).
                var agentConf = [
                    "disable-scdaemon", "allow-loopback-pinentry", "default-cache-ttl 0", "max-cache-ttl 0",
                ]
                if let s2kCount { agentConf.append("s2k-count \(s2kCount)") }
                try home.writeConfig("gpg-agent.conf", agentConf)
            }
        } catch {
            home.removeTree()
            LiveKeyringHomes.unregister(path)
            throw error
        }
        return home
    }

    private func writeConfig(_ name: String, _ lines: [String]) throws(PGPError) {
        let file = "\(path)/\(name)"
        let fd = system_open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw writeError("creating \(name)") }
        defer { system_close(fd) }
        let bytes = Array((lines.joined(separator: "\n") + "\n").utf8)
        let written = bytes.withUnsafeBytes { system_write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw writeError("writing \(name)") }
    }

    private func writeError(_ what: String) -> PGPError {
        PGPError(
            code: .homeUnusable,
            message: "temporary GnuPG home \(path): \(what) failed: \(String(cString: strerror(errno)))")
    }

    // MARK: Teardown

    /// Whether an agent socket exists in the home (where GnuPG puts it when `/run/user/$UID` is missing).
    var hasAgentSocket: Bool {
        var info = stat()
        return system_lstat("\(path)/S.gpg-agent", &info) == 0
    }

    /// `/run/user/$UID` (or `/var/run/user/$UID`) exists, so GnuPG keeps sockets there, outside the home.
    static var hasRuntimeSocketDirectory: Bool {
        var info = stat()
        let uid = getuid()
        return system_stat("/run/user/\(uid)", &info) == 0 || system_stat("/var/run/user/\(uid)", &info) == 0
    }

    /// Stops any daemon of this home and removes its socket directory, then the home itself.
    ///
    /// - Parameter agentMayRun: `false` for verify-only homes (`no-autostart`), which skip `gpgconf --kill` unless
    ///   an agent socket is found anyway.
    func tearDown(agentMayRun: Bool, gpgconf: String?) {
        let gpgconf = gpgconf ?? "gpgconf"
        if agentMayRun || hasAgentSocket {
            // Kill by home, never by name: other agents on the machine belong to someone else.
            _ = ChildProcess.run(gpgconf, ["--homedir", path, "--kill", "all"])
            // gpgconf asks the agent to stop and returns at once; the agent takes a moment to exit. Wait for it (two
            // seconds at most) so that no agent outlives close(), then kill whatever still works in this home.
            for _ in 0..<200 where !processesUsingHome().isEmpty { system_usleep(10_000) }
            killProcessesUsingHome()
        }
        if Self.hasRuntimeSocketDirectory {
            _ = ChildProcess.run(gpgconf, ["--homedir", path, "--remove-socketdir"])
        }
        removeTree()
        LiveKeyringHomes.unregister(path)
    }

    /// The processes whose command line says `--homedir <this home>`: its agent, or the `gpg` of an operation still
    /// running. Reads `/proc`; empty where there is none.
    func processesUsingHome(includingAgent: Bool = true) -> [pid_t] {
        guard let proc = system_opendir("/proc") else { return [] }
        defer { system_closedir(proc) }
        let me = getpid()
        var found: [pid_t] = []
        while let entry = system_readdir(proc) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            guard let pid = Int32(name), pid != me else { continue }
            let fd = system_open("/proc/\(pid)/cmdline", O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { continue }
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 4096)
            while bytes.count < 65_536 {
                let count = chunk.withUnsafeMutableBytes { system_read(fd, $0.baseAddress, $0.count) }
                guard count > 0 else { break }
                bytes += chunk[0..<count]
            }
            system_close(fd)
            let arguments = bytes.split(separator: 0, omittingEmptySubsequences: false).map {
                String(decoding: $0, as: UTF8.self)
            }
            if zip(arguments, arguments.dropFirst()).contains(where: { $0 == "--homedir" && $1 == path }),
                includingAgent || !(arguments.first ?? "").hasSuffix("gpg-agent")
            {
                found.append(pid)
            }
        }
        return found
    }

    /// Sends SIGKILL to every process working in this home (``processesUsingHome(includingAgent:)``); returns how
    /// many. Without `includingAgent`, only the `gpg` of an operation GPGME gave up on.
    @discardableResult
    func killProcessesUsingHome(includingAgent: Bool = true) -> Int {
        let pids = processesUsingHome(includingAgent: includingAgent)
        for pid in pids { system_kill(pid, SIGKILL) }
        return pids.count
    }

    /// Removes the home recursively. `ENOENT` counts as done (the agent deletes its sockets while we walk);
    /// `ENOTEMPTY` is retried (the agent may create a file while shutting down).
    func removeTree() {
        for attempt in 0..<5 {
            if Self.remove(path) { return }
            system_usleep(useconds_t(10_000 * (attempt + 1)))
        }
    }

    /// Returns `true` when `path` no longer exists.
    private static func remove(_ path: String) -> Bool {
        var info = stat()
        guard system_lstat(path, &info) == 0 else { return errno == ENOENT }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            if let dir = system_opendir(path) {
                while let entry = system_readdir(dir) {
                    let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                        String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
                    }
                    if name == "." || name == ".." { continue }
                    _ = remove("\(path)/\(name)")
                }
                system_closedir(dir)
            }
            if system_rmdir(path) == 0 || errno == ENOENT { return true }
            return false
        }
        return system_unlink(path) == 0 || errno == ENOENT
    }
}

/// The GnuPG homes of this process that have not been torn down yet.
///
/// `close()` and `deinit` clean a keyring up, but neither runs when the process is killed by a signal: a CI job
/// cancelled while signing would leave its secret key in `/tmp` and its `gpg-agent` running. A program that handles
/// termination signals calls ``tearDownAll()`` before it exits; the `binauthz` command does.
package enum LiveKeyringHomes {
    private struct Registry {
        var homes: [String: Bool] = [:]
        var terminating = false
        var observer: (@Sendable (Event) -> Void)?
    }
    private static let registry = Mutex(Registry())

    /// A home coming into existence (with whether an agent may run in it), or going away.
    package enum Event: Sendable {
        case created(path: String, agentMayRun: Bool)
        case removed(path: String)
    }

    /// Tells `observer` of every home created or removed from now on, and of the live ones at once — for a
    /// watchdog process that removes them if this process dies without doing it (SIGKILL, a crash).
    package static func observe(_ observer: @escaping @Sendable (Event) -> Void) {
        registry.withLock { registry in
            registry.observer = observer
            for (path, agentMayRun) in registry.homes { observer(.created(path: path, agentMayRun: agentMayRun)) }
        }
    }

    /// Removes one home the way ``tearDownAll()`` does: its processes, its agent, its files. For a watchdog
    /// cleaning up after a process that died.
    package static func tearDown(path: String, agentMayRun: Bool) {
        let gpgconf = try? GPGMELibrary.initialize().gpgconfPath
        tearDown(KeyringHome(path: path), agentMayRun: agentMayRun, gpgconf: gpgconf)
    }

    /// Runs `create` (which makes a home and returns its path, or `nil`) and registers the home, atomically with
    /// respect to ``tearDownAll()``.
    ///
    /// - Throws: ``PGPError/Code/homeUnusable`` once ``tearDownAll()`` has run: the process is terminating.
    static func creating(agentMayRun: Bool, _ create: () -> String?) throws(PGPError) -> String? {
        try registry.withLock { (registry: inout Registry) throws(PGPError) -> String? in
            guard !registry.terminating else {
                throw PGPError(code: .homeUnusable, message: "the process is terminating; no new GnuPG home is created")
            }
            guard let path = create() else { return nil }
            registry.homes[path] = agentMayRun
            registry.observer?(.created(path: path, agentMayRun: agentMayRun))
            return path
        }
    }

    static func unregister(_ path: String) {
        registry.withLock { registry in
            if registry.homes.removeValue(forKey: path) != nil { registry.observer?(.removed(path: path)) }
        }
    }

    /// Stops every process working in a live home (found by its `--homedir`, never by name) and removes the homes.
    /// For a process about to die on a signal: a keyring in use elsewhere in the process fails from then on.
    package static func tearDownAll() {
        let gpgconf = try? GPGMELibrary.initialize().gpgconfPath
        let homes = registry.withLock { registry in
            registry.terminating = true
            return registry.homes
        }
        for (path, agentMayRun) in homes {
            tearDown(KeyringHome(path: path), agentMayRun: agentMayRun, gpgconf: gpgconf)
        }
    }

    private static func tearDown(_ home: KeyringHome, agentMayRun: Bool, gpgconf: String?) {
        // A running gpg would restart the agent: stop it first, then the agent by its home, then anything left.
        home.killProcessesUsingHome()
        home.tearDown(agentMayRun: agentMayRun, gpgconf: gpgconf)
        // An agent the killed gpg was launching detaches (double fork) and may appear only now: look until
        // three scans in a row find nothing (about 50 ms), at most half a second.
        var quiet = 0
        for _ in 0..<25 where quiet < 3 {
            quiet = home.killProcessesUsingHome() == 0 ? quiet + 1 : 0
            system_usleep(20_000)
        }
        home.removeTree()
    }
}
