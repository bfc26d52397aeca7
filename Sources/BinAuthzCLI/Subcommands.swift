// SPDX-License-Identifier: Apache-2.0

import ArgumentParser

/// Every top-level command, in the order `binauthz --help` lists them.
let registeredSubcommands: [any ParsableCommand.Type] = [
    PolicyCommand.self,
    ReviewCommand.self,
    CreateSignaturePayloadCommand.self,
    PKIXCommand.self,
]
