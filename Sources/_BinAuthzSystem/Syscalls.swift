// SPDX-License-Identifier: Apache-2.0

// Every POSIX call the package makes goes through this file, as in swift-system's Syscalls.swift: one place to
// review what the library asks of the operating system (temporary homes, files written without following links,
// gpg child processes, signals), and one place to adapt to another C library. The wrappers add nothing: each
// returns what the call returns and leaves `errno` as the call left it, so callers read `errno` right after.
//
// Not API: the module's name begins with an underscore and everything in it is `package`.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: Files and directories

@inline(__always) @discardableResult package func system_open(_ path: UnsafePointer<CChar>, _ flags: Int32) -> Int32 {
    open(path, flags)
}

@inline(__always) @discardableResult package func system_open(
    _ path: UnsafePointer<CChar>, _ flags: Int32, _ mode: mode_t
) -> Int32 {
    open(path, flags, mode)
}

@inline(__always) @discardableResult package func system_close(_ fd: Int32) -> Int32 { close(fd) }

@inline(__always) @discardableResult package func system_read(
    _ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int
) -> Int {
    read(fd, buffer, count)
}

@inline(__always) @discardableResult package func system_write(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int)
    -> Int
{
    write(fd, buffer, count)
}

@inline(__always) @discardableResult package func system_fsync(_ fd: Int32) -> Int32 { fsync(fd) }

@inline(__always) @discardableResult package func system_fcntl(_ fd: Int32, _ command: Int32) -> Int32 {
    fcntl(fd, command)
}

@inline(__always) @discardableResult package func system_fcntl(_ fd: Int32, _ command: Int32, _ value: Int32) -> Int32 {
    fcntl(fd, command, value)
}

@inline(__always) @discardableResult package func system_dup2(_ fd: Int32, _ target: Int32) -> Int32 {
    dup2(fd, target)
}

@inline(__always) @discardableResult package func system_pipe(_ fds: UnsafeMutablePointer<Int32>) -> Int32 { pipe(fds) }

@inline(__always) @discardableResult package func system_stat(
    _ path: UnsafePointer<CChar>, _ info: UnsafeMutablePointer<stat>
) -> Int32 {
    stat(path, info)
}

@inline(__always) @discardableResult package func system_lstat(
    _ path: UnsafePointer<CChar>, _ info: UnsafeMutablePointer<stat>
) -> Int32 {
    lstat(path, info)
}

@inline(__always) @discardableResult package func system_fstat(_ fd: Int32, _ info: UnsafeMutablePointer<stat>) -> Int32
{
    fstat(fd, info)
}

@inline(__always) @discardableResult package func system_mkdir(_ path: UnsafePointer<CChar>, _ mode: mode_t) -> Int32 {
    mkdir(path, mode)
}

@inline(__always) @discardableResult package func system_chmod(_ path: UnsafePointer<CChar>, _ mode: mode_t) -> Int32 {
    chmod(path, mode)
}

@inline(__always) @discardableResult package func system_fchmod(_ fd: Int32, _ mode: mode_t) -> Int32 {
    fchmod(fd, mode)
}

@inline(__always) @discardableResult package func system_unlink(_ path: UnsafePointer<CChar>) -> Int32 { unlink(path) }

@inline(__always) @discardableResult package func system_rmdir(_ path: UnsafePointer<CChar>) -> Int32 { rmdir(path) }

@inline(__always) @discardableResult package func system_rename(
    _ old: UnsafePointer<CChar>, _ new: UnsafePointer<CChar>
) -> Int32 {
    rename(old, new)
}

@inline(__always) @discardableResult package func system_realpath(
    _ path: UnsafePointer<CChar>, _ resolved: UnsafeMutablePointer<CChar>?
) -> UnsafeMutablePointer<CChar>? {
    realpath(path, resolved)
}

@inline(__always) @discardableResult package func system_mkdtemp(_ template: UnsafeMutablePointer<CChar>)
    -> UnsafeMutablePointer<CChar>?
{
    mkdtemp(template)
}

@inline(__always) @discardableResult package func system_mkstemp(_ template: UnsafeMutablePointer<CChar>) -> Int32 {
    mkstemp(template)
}

@inline(__always) @discardableResult package func system_opendir(_ path: UnsafePointer<CChar>) -> OpaquePointer? {
    opendir(path)
}

@inline(__always) @discardableResult package func system_readdir(_ directory: OpaquePointer) -> UnsafeMutablePointer<
    dirent
>? {
    readdir(directory)
}

@inline(__always) @discardableResult package func system_closedir(_ directory: OpaquePointer) -> Int32 {
    closedir(directory)
}

// MARK: Processes

@inline(__always) @discardableResult package func system_getpid() -> pid_t { getpid() }

@inline(__always) @discardableResult package func system_getuid() -> uid_t { getuid() }

@inline(__always) @discardableResult package func system_setsid() -> pid_t { setsid() }

@inline(__always) @discardableResult package func system_kill(_ pid: pid_t, _ signal: Int32) -> Int32 {
    kill(pid, signal)
}

@inline(__always) @discardableResult package func system_waitpid(
    _ pid: pid_t, _ status: UnsafeMutablePointer<Int32>?, _ options: Int32
) -> pid_t {
    waitpid(pid, status, options)
}

@inline(__always) @discardableResult package func system_usleep(_ microseconds: useconds_t) -> Int32 {
    usleep(microseconds)
}

@inline(__always) package func system_exit(_ status: Int32) -> Never { _exit(status) }

@inline(__always) @discardableResult package func system_posix_spawn(
    _ pid: UnsafeMutablePointer<pid_t>, _ path: UnsafePointer<CChar>,
    _ fileActions: UnsafePointer<posix_spawn_file_actions_t>?, _ attributes: UnsafePointer<posix_spawnattr_t>?,
    _ arguments: UnsafePointer<UnsafeMutablePointer<CChar>?>,
    _ environment: UnsafePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
    posix_spawn(pid, path, fileActions, attributes, arguments, environment)
}

@inline(__always) @discardableResult package func system_posix_spawnp(
    _ pid: UnsafeMutablePointer<pid_t>, _ file: UnsafePointer<CChar>,
    _ fileActions: UnsafePointer<posix_spawn_file_actions_t>?, _ attributes: UnsafePointer<posix_spawnattr_t>?,
    _ arguments: UnsafePointer<UnsafeMutablePointer<CChar>?>,
    _ environment: UnsafePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
    posix_spawnp(pid, file, fileActions, attributes, arguments, environment)
}

@inline(__always) @discardableResult package func system_posix_spawn_file_actions_init(
    _ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>
) -> Int32 {
    posix_spawn_file_actions_init(actions)
}

@inline(__always) @discardableResult package func system_posix_spawn_file_actions_destroy(
    _ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>
) -> Int32 {
    posix_spawn_file_actions_destroy(actions)
}

@inline(__always) @discardableResult package func system_posix_spawn_file_actions_addopen(
    _ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ fd: Int32, _ path: UnsafePointer<CChar>,
    _ flags: Int32, _ mode: mode_t
) -> Int32 {
    posix_spawn_file_actions_addopen(actions, fd, path, flags, mode)
}

@inline(__always) @discardableResult package func system_posix_spawn_file_actions_adddup2(
    _ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ fd: Int32, _ target: Int32
) -> Int32 {
    posix_spawn_file_actions_adddup2(actions, fd, target)
}

@inline(__always) @discardableResult package func system_posix_spawn_file_actions_addclose(
    _ actions: UnsafeMutablePointer<posix_spawn_file_actions_t>, _ fd: Int32
) -> Int32 {
    posix_spawn_file_actions_addclose(actions, fd)
}

// MARK: Signals

@inline(__always) @discardableResult package func system_raise(_ signal: Int32) -> Int32 { raise(signal) }

@inline(__always) @discardableResult package func system_signal(
    _ signal: Int32, _ handler: (@convention(c) (Int32) -> Void)?
) -> (@convention(c) (Int32) -> Void)? {
    #if canImport(Glibc)
    Glibc.signal(signal, handler)
    #else
    Darwin.signal(signal, handler)
    #endif
}

@inline(__always) @discardableResult package func system_sigaction(
    _ signal: Int32, _ action: UnsafePointer<sigaction>?, _ old: UnsafeMutablePointer<sigaction>?
) -> Int32 {
    sigaction(signal, action, old)
}

@inline(__always) @discardableResult package func system_sigemptyset(_ set: UnsafeMutablePointer<sigset_t>) -> Int32 {
    sigemptyset(set)
}

@inline(__always) @discardableResult package func system_sigaddset(
    _ set: UnsafeMutablePointer<sigset_t>, _ signal: Int32
) -> Int32 {
    sigaddset(set, signal)
}

@inline(__always) @discardableResult package func system_pthread_sigmask(
    _ how: Int32, _ set: UnsafePointer<sigset_t>?, _ old: UnsafeMutablePointer<sigset_t>?
) -> Int32 {
    pthread_sigmask(how, set, old)
}

// MARK: Environment and terminals

@inline(__always) package func system_getenv(_ name: UnsafePointer<CChar>) -> UnsafeMutablePointer<CChar>? {
    getenv(name)
}

@inline(__always) @discardableResult package func system_isatty(_ fd: Int32) -> Int32 { isatty(fd) }
