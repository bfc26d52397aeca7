// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Testing

/// The root of the command-line tests; the suites live in extensions, one file per topic. Every `binauthz`
/// process they run keeps its GnuPG homes under the tree's base (`BINAUTHZ_KEYRING_DIR`); afterwards none may be
/// left, nor any process still using one.
@Suite("binauthz", NoLeakedHomes())
struct CommandLineTests {}
