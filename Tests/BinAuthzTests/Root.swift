// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Testing

/// The root of the umbrella-module tests; the suites live in extensions, one file per topic. Afterwards no GnuPG
/// home made by them may be left, nor any process (an agent) still using one.
@Suite("BinAuthz", NoLeakedHomes())
struct BinAuthzIntegrationTests {}
