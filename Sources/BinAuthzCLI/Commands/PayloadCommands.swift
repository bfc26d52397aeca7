// SPDX-License-Identifier: Apache-2.0

import ArgumentParser
import BinAuthzPayload

/// `binauthz create-signature-payload --artifact-url URL`
struct CreateSignaturePayloadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-signature-payload",
        abstract: "Print the signature payload for an image, byte for byte as gcloud prints it.",
        discussion: """
            Writes exactly the bytes of `gcloud container binauthz create-signature-payload --artifact-url=URL` \
            (JSON with sorted keys, two-space indent, a final newline) to standard output, ready to sign. The URL \
            is parsed as gcloud 528 parses it: REGISTRY/REPOSITORY@sha256:<64 hex digits>, optionally with an \
            https:// or http:// scheme (needed for a registry with a port, e.g. https://localhost:5000/app@sha256:…) \
            and a tag (dropped). Exit status 1 with a one-line reason on standard error for a URL gcloud rejects.
            """
    )

    @Option(
        name: .customLong("artifact-url"),
        help: "The image: [https://]REGISTRY/REPOSITORY[:TAG]@sha256:<64 hex digits>.")
    var artifactURL: String

    func run() throws {
        let payload: [UInt8]
        do {
            payload = try SignaturePayload.create(artifactURL: artifactURL)
        } catch {
            throw CLIError(error.message)
        }
        try Output.standardOutput(bytes: payload)
    }
}
