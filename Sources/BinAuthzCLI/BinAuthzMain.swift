// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import BinAuthz

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `binauthz` entry point: runs the command and maps failures onto the exit-status contract
/// (0 success, 2 negative verdict, 1 bad input or broken environment with a one-line reason on stderr,
/// 64 usage errors).
public enum BinAuthzMain {
    public static func main(arguments: [String]? = nil) {
        FileIO.prepareStandardStreams()  // before anything opens a descriptor
        SignalCleanup.install()
        HomeWatchdog.install()
        do {
            var command = try BinAuthzCommand.parseAsRoot(arguments)
            try command.run()
        } catch let error as CLIError {
            SignalCleanup.waitIfTerminating()
            HomeWatchdog.finish()
            Output.standardError(error.message)
            exit(error.exitCode)
        } catch let error as any LibraryError {
            // A library error no command wrapped: still one line, still exit 1.
            SignalCleanup.waitIfTerminating()
            HomeWatchdog.finish()
            Output.standardError(error.description)
            exit(1)
        } catch {
            SignalCleanup.waitIfTerminating()
            HomeWatchdog.finish()
            BinAuthzCommand.exit(withError: error)
        }
        SignalCleanup.waitIfTerminating()
        HomeWatchdog.finish()
    }
}

/// The library's error types: each describes itself in one line that says what went wrong and what to do.
protocol LibraryError: Error, CustomStringConvertible {}

extension ModelError: LibraryError {}
extension PayloadError: LibraryError {}
extension PGPError: LibraryError {}
extension PKIXError: LibraryError {}
extension AttestationError: LibraryError {}
extension PolicyEvaluationError: LibraryError {}

/// `binauthz` — Google Cloud Binary Authorization, offline.
public struct BinAuthzCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "binauthz",
        abstract: "Google Cloud Binary Authorization, offline: payloads, PGP and PKIX attestations, policies.",
        discussion: """
            Exit status: 0 success / admitted / verified; 2 a negative verdict (denied, not verifiable); \
            1 bad input or a broken environment (one line on stderr); 64 a usage error.

            PGP work happens in private temporary GnuPG homes under /tmp (or $BINAUTHZ_KEYRING_DIR; keep it \
            short), removed with their agent before the command exits. Your ~/.gnupg is never used.
            """,
        version: BinAuthzVersion.string,
        subcommands: registeredSubcommands
    )

    public init() {}
}
