// SPDX-License-Identifier: Apache-2.0

import BinAuthzModel

extension Note {
    /// The Container Analysis note an attestor needs: kind `ATTESTATION` with a human-readable hint, in the v1
    /// shape (`attestation.hint.humanReadableName`) the REST API's `notes.create` takes.
    ///
    /// - Parameters:
    ///   - name: `projects/P/notes/N`.
    ///   - humanReadableName: The hint; defaults to the note id.
    public static func attestationNote(_ name: NoteName, humanReadableName: String? = nil) -> Note {
        Note(name: name.description, humanReadableName: humanReadableName ?? name.note)
    }
}

extension Attestor {
    /// An attestor with no keys yet, as `gcloud container binauthz attestors create` makes it.
    ///
    /// - Parameters:
    ///   - name: `projects/P/attestors/A`.
    ///   - note: The note its occurrences hang on, `projects/P/notes/N` (a project ID, not a number).
    ///   - description: An optional description.
    public init(name: AttestorName, note: NoteName, description: String? = nil) {
        self.init(
            name: name.description, description: description,
            userOwnedGrafeasNote: UserOwnedGrafeasNote(noteReference: note.description))
    }

    package mutating func appendKey(_ key: AttestorPublicKey) {
        if userOwnedGrafeasNote != nil {
            userOwnedGrafeasNote!.publicKeys.append(key)
        } else if userOwnedDrydockNote != nil {
            userOwnedDrydockNote!.publicKeys.append(key)
        } else {
            userOwnedGrafeasNote = UserOwnedGrafeasNote(noteReference: nil, publicKeys: [key])
        }
    }
}
