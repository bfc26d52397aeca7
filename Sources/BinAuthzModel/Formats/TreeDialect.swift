// SPDX-License-Identifier: Apache-2.0

/// Whose rules a document is read by, where JSON and YAML readers disagree: what a duplicate key means, whether
/// YAML merge keys (`<<`) apply, and what text a non-string YAML key becomes.
///
/// A policy must be read the way `gcloud … policy import` reads it, or the offline decision is not the one GKE makes
/// on the imported policy; a manifest must be read the way `kubectl` reads it, or an image the cluster runs could go
/// undecided. Everything else this library reads (attestors, occurrences, notes) is read strictly.
package enum TreeDialect: Sendable, Hashable {
    /// Duplicate keys and merge keys are errors; keys keep their text.
    case strict
    /// `gcloud … import`: ruamel.yaml 0.15 in YAML 1.1 mode (`SafeLoader`), then `json.dumps` / `json.loads`.
    /// A repeated YAML key keeps its first value (with gcloud's `DuplicateKeyFutureWarning`) unless the mapping
    /// has a merge key, when the last wins; merges apply as ruamel applies them; a key becomes the text
    /// `json.dumps` writes for its Python value (`no` → `false`, `0777` → `511`, `1e3` → `1000.0`). In JSON the last
    /// of repeated keys wins, as in Python's `json.loads`, which also reads `NaN` and `Infinity`.
    case gcloud
    /// `kubectl`: `sigs.k8s.io/yaml` over go-yaml v2. The last of repeated keys wins (reported as a warning);
    /// merges apply as go-yaml v2 applies them (a merge overrides the keys before it, the keys after it override
    /// the merge, earlier maps of a merged list win over later ones); a key becomes the text `sigs.k8s.io/yaml`
    /// writes for its Go value. Keys that become the same text from different values (`1` and `"1"`) are an error,
    /// because kubectl picks one of them at random.
    case kubectl
}

/// Something a reader accepted but a user should know: a repeated key gcloud or kubectl resolves silently.
package struct ReadWarning: Sendable, Hashable, CustomStringConvertible {
    package var message: String
    package var location: SourceLocation?

    package init(_ message: String, at location: SourceLocation?) {
        self.message = message
        self.location = location
    }

    package var description: String {
        guard let location else { return message }
        return "\(message) (line \(location.line), column \(location.column))"
    }
}

/// The documents of one input and what the reader noticed on the way.
package struct ReadDocuments: Sendable {
    package var documents: [TreeNode]
    package var warnings: [ReadWarning]
}
