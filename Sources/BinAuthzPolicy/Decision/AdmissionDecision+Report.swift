// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel

extension AdmissionDecision {
    /// A human-readable account of the decision: the verdict, then one line per image with the rule that decided
    /// it and why, then break-glass / dry-run notes and the GKE message. `binauthz policy evaluate` prints this
    /// under each workload; test helpers put it in failure messages.
    ///
    /// ```text
    /// DENIED
    ///   denied  gcr.io/p/app:1.0 [cluster:us-central1-a.prod] Expected digest with sha256 scheme, but got tag or malformed digest
    ///   message: Image gcr.io/p/app:1.0 denied by Binary Authorization cluster admission rule for …
    /// ```
    public var report: String {
        var out = isAllowed ? "ADMITTED\n" : "DENIED\n"
        out += imageLines
        return out
    }

    /// The lines of ``report`` after the verdict, each indented by two spaces and ending in a newline.
    ///
    /// Text that comes from the input — image names, and the reasons and messages that quote them — is printed
    /// with control characters and terminal escapes written as `\u{…}`, so a hostile image name cannot add lines
    /// or rewrite the terminal.
    package var imageLines: String {
        func safe(_ text: some StringProtocol) -> String { TextSafety.printable(String(text)) }
        var out = ""
        for image in images {
            out +=
                "  \(image.isAllowed ? "allowed" : "denied ") \(safe(image.image)) [\(safe(image.rule.description))] "
            out += "\(safe(image.reason))\n"
        }
        if isBreakGlass { out += "  break-glass: admitted regardless of the policy\n" }
        if isDryRun { out += "  dry run: admitted; the rule would have denied it\n" }
        if let overridden = overriddenVerificationResult {
            for line in overridden.split(separator: "\n") { out += "  overridden: \(safe(line))\n" }
        }
        if !message.isEmpty { out += "  message: \(safe(message))\n" }
        return out
    }
}
