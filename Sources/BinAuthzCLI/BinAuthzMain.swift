// SPDX-License-Identifier: Apache-2.0

import ArgumentParser

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `binauthz` entry point: runs the command and maps failures onto the exit-status contract
/// (0 success, 2 negative verdict, 1 bad input or broken environment with a one-line reason on stderr,
/// 64 usage errors).
public enum BinAuthzMain {
    public static func main(arguments: [String]? = nil) async {
        SignalCleanup.install()
        do {
            var command = try BinAuthzCommand.parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as CLIError {
            SignalCleanup.waitIfTerminating()
            Output.standardError(error.message)
            exit(error.exitCode)
        } catch {
            SignalCleanup.waitIfTerminating()
            BinAuthzCommand.exit(withError: error)
        }
        SignalCleanup.waitIfTerminating()
    }
}

/// `binauthz` — Google Cloud Binary Authorization, offline.
public struct BinAuthzCommand: AsyncParsableCommand {
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
