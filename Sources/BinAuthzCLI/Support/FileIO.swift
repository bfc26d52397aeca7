// SPDX-License-Identifier: Apache-2.0

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import BinAuthzModel
import Synchronization
import _BinAuthzSystem

// `read` and `write` are also names of members below; these reach the C functions on any platform.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int {
    system_read(fd, buffer, count)
}
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    system_write(fd, buffer, count)
}

/// Every system call the command line makes on files and standard streams, in one place.
///
/// Foundation's `FileHandle.write` traps when a write fails (standard output closed, a full disk, a pipe whose reader
/// went away), and a trap skips the cleanup that removes a signing keyring; `FileManager` reports a FIFO as
/// "permission denied" and a symlink loop as "no such file", and replaces whatever sits at an output path. These
/// functions report each failure as a ``CLIError`` that names the file and the real cause, and write the way a user
/// expects (see ``writePublic(_:to:)`` and ``writeSecret(_:to:)``).
enum FileIO {
    // MARK: Standard streams

    /// Whether the command started with file descriptor 1 closed.
    private static let standardOutputWasClosed = Atomic<Bool>(false)

    /// Makes file descriptors 0, 1 and 2 safe before anything else opens a file, and makes a closed pipe an error
    /// instead of a signal. A command started with one of them closed would otherwise get its next `open` or `pipe`
    /// as fd 0 — the signal-cleanup pipe, read as standard input forever — or as stdout, and write output into it.
    ///
    /// A closed standard input reads as empty; a closed standard output stays an error for every write (as a shell
    /// reports `write error: Bad file descriptor`), with `/dev/null` holding its place so no other file takes it.
    static func prepareStandardStreams() {
        for fd: Int32 in 0...2 where system_fcntl(fd, F_GETFD) == -1 && errno == EBADF {
            if fd == 1 { standardOutputWasClosed.store(true, ordering: .relaxed) }
            let opened = system_open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY)
            if opened >= 0 && opened != fd {
                _ = system_dup2(opened, fd)
                system_close(opened)
            }
        }
        // A write to a pipe nobody reads fails with EPIPE, which is reported; SIGPIPE would kill the command before
        // its keyrings are removed.
        system_signal(SIGPIPE, SIG_IGN)
    }

    /// Writes all of `bytes` to standard output.
    ///
    /// - Throws: ``CLIError`` (exit 1) when standard output is closed, full or a broken pipe.
    static func writeStandardOutput(_ bytes: some Collection<UInt8>) throws(CLIError) {
        if standardOutputWasClosed.load(ordering: .relaxed) {
            throw CLIError("cannot write to standard output: \(describe(EBADF))")
        }
        if let errorNumber = writeAll(1, bytes) {
            throw CLIError("cannot write to standard output: \(describe(errorNumber))")
        }
    }

    /// Writes to standard error, ignoring failure: there is nowhere left to report it.
    static func writeStandardError(_ bytes: some Collection<UInt8>) {
        _ = writeAll(2, bytes)
    }

    /// Writes everything, retrying interrupted and partial writes; the `errno` of a failure, or `nil`.
    private static func writeAll(_ fd: Int32, _ bytes: some Collection<UInt8>) -> Int32? {
        let contiguous = Array(bytes)
        var offset = 0
        while offset < contiguous.count {
            let written = contiguous.withUnsafeBytes { raw in
                systemWrite(fd, raw.baseAddress! + offset, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return errno
            }
            if written == 0 { return EIO }
            offset += written
        }
        return nil
    }

    // MARK: Reading

    /// Reads a file, or standard input for `-`, refusing more than `limit` bytes.
    ///
    /// FIFOs, process substitutions (`<(…)`) and character devices are read to their end like files.
    static func read(_ path: String, limit: Int) throws(CLIError) -> [UInt8] {
        let fd: Int32
        if path == "-" {
            fd = 0
        } else {
            fd = system_open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw failure(path, errno, reading: true) }
        }
        defer { if fd != 0 { system_close(fd) } }
        var info = stat()
        if system_fstat(fd, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR {
                throw CLIError("\(display(path)): is a directory, not a file")
            }
            if (info.st_mode & S_IFMT) == S_IFREG, Int(info.st_size) > limit {
                throw tooLarge(path, limit)
            }
        }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw failure(path, errno, reading: true)
            }
            if count == 0 { return result }
            guard result.count + count <= limit else { throw tooLarge(path, limit) }
            result += chunk[0..<count]
        }
    }

    /// The deepest directory level ``files(in:extensions:)`` descends to (symbolic-link loops end here).
    static let maximumDirectoryDepth = 16
    /// The most files ``files(in:extensions:)`` returns for one argument.
    static let maximumDirectoryFiles = 100_000
    /// The most directory entries ``files(in:extensions:)`` looks at for one argument, matching or not.
    static let maximumDirectoryEntries = 1_000_000

    /// A file argument, or — when `path` is a directory — every regular file below it (recursively, hidden names
    /// skipped) whose name ends with one of `extensions`, in byte order of the path. Symbolic links inside the
    /// directory are not followed (a link may lead anywhere: a device, `/proc`, a loop); the argument itself may be
    /// one. Each directory is read once, however it is reached.
    ///
    /// - Throws: ``CLIError`` naming the path when it cannot be read, holds no such file, or is deeper than
    ///   ``maximumDirectoryDepth`` or larger than ``maximumDirectoryFiles``.
    static func files(in path: String, extensions: [String]) throws(CLIError) -> [String] {
        guard path != "-" else { return [path] }
        var info = stat()
        guard system_stat(path, &info) == 0 else { throw failure(path, errno, reading: true) }
        guard (info.st_mode & S_IFMT) == S_IFDIR else { return [path] }
        var found: [String] = []
        var visited: Set<[UInt64]> = []
        var entries = 0
        try collect(
            directory: path, depth: 0, extensions: extensions, into: &found, root: path, visited: &visited,
            entries: &entries)
        guard !found.isEmpty else {
            throw CLIError(
                "\(path): the directory holds no \(extensions.joined(separator: ", ")) file (hidden names are skipped)")
        }
        return found.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    private static func collect(
        directory: String, depth: Int, extensions: [String], into found: inout [String], root: String,
        visited: inout Set<[UInt64]>, entries: inout Int
    ) throws(CLIError) {
        guard depth < maximumDirectoryDepth else {
            throw CLIError("\(root): directories nested deeper than \(maximumDirectoryDepth) levels")
        }
        var info = stat()
        guard system_stat(directory, &info) == 0 else { throw failure(directory, errno, reading: true) }
        guard visited.insert([UInt64(info.st_dev), UInt64(info.st_ino)]).inserted else { return }
        guard let handle = system_opendir(directory) else { throw failure(directory, errno, reading: true) }
        defer { system_closedir(handle) }
        var names: [String] = []
        while let entry = system_readdir(handle) {
            entries += 1
            guard entries <= maximumDirectoryEntries else {
                throw CLIError(
                    "\(root): more than \(maximumDirectoryEntries) directory entries; give a smaller directory")
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name.hasPrefix(".") { continue }
            names.append(name)
        }
        for name in names {
            let child = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            var info = stat()
            guard system_lstat(child, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                try collect(
                    directory: child, depth: depth + 1, extensions: extensions, into: &found, root: root,
                    visited: &visited, entries: &entries)
            case S_IFREG where extensions.contains(where: { name.hasSuffix($0) }):
                found.append(child)
                guard found.count <= maximumDirectoryFiles else {
                    throw CLIError(
                        "\(root): more than \(maximumDirectoryFiles) files; give fewer or smaller directories")
                }
            default:
                continue  // symbolic links, devices, FIFOs, sockets
            }
        }
    }

    private static func tooLarge(_ path: String, _ limit: Int) -> CLIError {
        CLIError(
            "\(display(path)): larger than \(LimitError.describe(bytes: limit)) "
                + "(InputLimits.maximumDocumentBytes); refused before reading it all")
    }

    // MARK: Writing

    /// Writes a public output (an occurrence, a public key, an attestor) the way a shell redirection would: through
    /// a symbolic link to whatever it points at, into a FIFO or a device as a stream. A regular file (or a new
    /// one) is replaced atomically — written beside it and renamed over it — so a reader never sees half a file
    /// and an interrupted command leaves the old one.
    static func writePublic(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws(CLIError) {
        var target = path
        var info = stat()
        if system_stat(path, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFREG:
                // Through a symbolic link: replace the file it points to, keeping the link.
                var link = stat()
                if system_lstat(path, &link) == 0, (link.st_mode & S_IFMT) == S_IFLNK {
                    guard let resolved = system_realpath(path, nil) else { throw failure(path, errno, reading: false) }
                    target = String(cString: resolved)
                    free(resolved)
                }
            case S_IFDIR:
                throw CLIError("\(path): is a directory; give a file name")
            default:
                // A FIFO, a character device (/dev/stdout, /dev/null), a socket: write into it.
                let fd = system_open(path, O_WRONLY | O_CLOEXEC)
                guard fd >= 0 else { throw failure(path, errno, reading: false) }
                defer { system_close(fd) }
                if let errorNumber = writeAll(fd, bytes) { throw failure(path, errorNumber, reading: false) }
                return
            }
        } else if errno != ENOENT {
            throw failure(path, errno, reading: false)
        } else {
            var link = stat()
            if system_lstat(path, &link) == 0, (link.st_mode & S_IFMT) == S_IFLNK {
                throw CLIError("\(path): is a symbolic link to a missing file; give the target itself")
            }
        }
        try replaceAtomically(target, with: bytes, mode: mode, keepMode: true)
    }

    /// Writes a secret (a private key): never through a symbolic link, never into anything but a regular file, and
    /// only ever readable by its owner — created `0600` under a fresh name with `O_EXCL | O_NOFOLLOW`, then renamed
    /// over the path.
    static func writeSecret(_ bytes: [UInt8], to path: String) throws(CLIError) {
        var link = stat()
        if system_lstat(path, &link) == 0 {
            switch link.st_mode & S_IFMT {
            case S_IFREG:
                break
            case S_IFLNK:
                throw CLIError(
                    "\(path): is a symbolic link; a private key is never written through one — give a plain file path")
            case S_IFDIR:
                throw CLIError("\(path): is a directory; give a file name for the private key")
            default:
                throw CLIError(
                    "\(path): is not a regular file (a FIFO or a device); a private key is only written to a file")
            }
        } else if errno != ENOENT {
            throw failure(path, errno, reading: false)
        }
        try replaceAtomically(path, with: bytes, mode: 0o600, keepMode: false)
    }

    /// Writes `bytes` to a new file beside `path` (`mkstemp`: `O_CREAT | O_EXCL`, `0600`), sets `mode`, syncs it and renames it
    /// over `path`. With `keepMode`, an existing file's permissions are kept, as a redirection keeps them.
    private static func replaceAtomically(_ path: String, with bytes: [UInt8], mode: mode_t, keepMode: Bool)
        throws(CLIError)
    {
        var finalMode = mode
        var existing = stat()
        if keepMode, system_stat(path, &existing) == 0 { finalMode = existing.st_mode & 0o7777 }
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        // mkstemp: a random name, created 0600 with O_CREAT | O_EXCL (which never follows a symbolic link).
        var template = Array("\(directory)/.\(name).XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { system_mkstemp($0.baseAddress!) }
        guard fd >= 0 else { throw failure(path, errno, reading: false) }
        _ = system_fcntl(fd, F_SETFD, FD_CLOEXEC)
        let temporary = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var renamed = false
        defer {
            system_close(fd)
            if !renamed { system_unlink(temporary) }
        }
        if let errorNumber = writeAll(fd, bytes) { throw failure(path, errorNumber, reading: false) }
        guard system_fchmod(fd, finalMode) == 0, system_fsync(fd) == 0 else {
            throw failure(path, errno, reading: false)
        }
        SignalCleanup.waitIfTerminating()  // an interrupted command leaves the old file, and no new one
        guard system_rename(temporary, path) == 0 else { throw failure(path, errno, reading: false) }
        renamed = true
    }

    // MARK: Messages

    /// `<stdin>` for `-`.
    static func display(_ path: String) -> String { path == "-" ? "<stdin>" : path }

    private static func failure(_ path: String, _ errorNumber: Int32, reading: Bool) -> CLIError {
        if reading && errorNumber == ENOENT { return CLIError("\(display(path)): no such file") }
        return CLIError("\(display(path)): \(reading ? "cannot read" : "cannot write"): \(describe(errorNumber))")
    }

    /// The cause in words a user can act on.
    static func describe(_ errorNumber: Int32) -> String {
        switch errorNumber {
        case ENOENT: "no such file or directory"
        case EACCES, EPERM: "permission denied"
        case ELOOP: "too many levels of symbolic links (a symlink loop?)"
        case ENAMETOOLONG: "the path is too long"
        case ENOTDIR: "a part of the path is not a directory"
        case EISDIR: "is a directory"
        case ENOSPC: "no space left on the device"
        case EDQUOT: "disk quota exceeded"
        case EPIPE: "the reading end of the pipe was closed"
        case EBADF: "the stream is closed"
        case EROFS: "read-only file system"
        case ETXTBSY: "the file is busy"
        default: String(cString: strerror(errorNumber))
        }
    }
}
