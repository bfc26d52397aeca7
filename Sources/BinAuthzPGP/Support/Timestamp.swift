// SPDX-License-Identifier: Apache-2.0

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import BinAuthzModel

/// RFC 3339 UTC timestamps for messages.
enum Timestamp {
    /// `2020-12-18T21:02:38Z` (whole seconds, UTC), as every module writes times; GnuPG's timestamps have no
    /// fractions of a second.
    static func rfc3339(_ date: Date) -> String { RFC3339.format(date) }

    /// A Unix timestamp as a date; `0` (GnuPG's "none") becomes `nil`.
    static func date(unix seconds: Int) -> Date? {
        seconds > 0 ? Date(timeIntervalSince1970: TimeInterval(seconds)) : nil
    }
}
