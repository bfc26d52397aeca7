// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Testing

@testable import BinAuthzModel

/// An empty resource, or an empty message inside one, writes as text that reads back as the same resource.
@Suite("Empty resources round-trip")
struct EmptyResourceTests {
    static func roundTrip<R: BinAuthzResource>(_ type: R.Type, _ text: String) throws {
        let value = try R(yaml: text)
        let yaml = value.yamlString()
        let json = value.jsonString()
        #expect(try R(yaml: yaml) == value, "YAML \(yaml.debugDescription) of \(text.debugDescription)")
        #expect(try R(json: json) == value, "JSON \(json.debugDescription) of \(text.debugDescription)")
        #expect(try R(text: yaml) == value)
    }

    @Test(
        "Policies: empty, and with an empty default rule",
        arguments: ["{}", "defaultAdmissionRule: {}\n", "defaultAdmissionRule:\n", "description: ''\n", "{name: ''}"])
    func policies(text: String) throws {
        try Self.roundTrip(Policy.self, text)
    }

    @Test("Attestors, notes and occurrences with nothing in them")
    func others() throws {
        try Self.roundTrip(Attestor.self, "{}")
        try Self.roundTrip(Attestor.self, "userOwnedGrafeasNote: {}\n")
        try Self.roundTrip(Note.self, "{}")
        try Self.roundTrip(Note.self, "attestation: {hint: {}}\n")
    }

    @Test("An empty policy prints as {} (gcloud prints an empty message so)")
    func emptyPrints() throws {
        #expect(try Policy(yaml: "{}").yamlString() == "{}\n")
        #expect(try Policy(yaml: "{}").jsonString() == "{}\n")
    }
}
