// SPDX-License-Identifier: Apache-2.0

import ArgumentParser

/// Every top-level command, in the order `binauthz --help` lists them.
let registeredSubcommands: [any ParsableCommand.Type] = [
    NotesCommand.self,
    AttestorsCommand.self,
    AttestationsCommand.self,
    PolicyCommand.self,
    PlatformPolicyCommand.self,
    ReviewCommand.self,
    CreateSignaturePayloadCommand.self,
    PKIXCommand.self,
    DemoCommand.self,
    PGPCommand.self,
    WatchHomesCommand.self,
]
