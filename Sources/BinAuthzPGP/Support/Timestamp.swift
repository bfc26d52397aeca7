// SPDX-License-Identifier: Apache-2.0

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// RFC 3339 UTC timestamps for messages.
enum Timestamp {
    /// `2020-12-18T21:02:38Z` (whole seconds, UTC): FoundationEssentials' ISO 8601 style, which replaced a
    /// hand-written civil-date conversion; fractions of a second are dropped, as GnuPG's timestamps have none.
    static func rfc3339(_ date: Date) -> String {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down)).formatted(.iso8601)
    }

    /// A Unix timestamp as a date; `0` (GnuPG's "none") becomes `nil`.
    static func date(unix seconds: Int) -> Date? {
        seconds > 0 ? Date(timeIntervalSince1970: TimeInterval(seconds)) : nil
    }
}
