// SPDX-License-Identifier: Apache-2.0

import BinAuthzTestSupport
import Testing

@testable import BinAuthzModel

@Suite("Occurrences and notes: v1 and v1beta1 shapes")
struct OccurrenceAndNoteTests {
    static let image =
        "gcr.io/nmallyatestproject/containerdemo@sha256:a46ab6b21371e1e3250d3b512b38aa2727ad61a2fc1ab2d2c135589d315c7442"

    @Test("A v1 occurrence reads, exposes its signatures and round-trips with base64 bytes fields")
    func v1Occurrence() throws {
        let payload = try Fixtures.corpusData("seed-article/set-a/generated_payload.json")
        let signature = try Fixtures.corpusData("seed-article/set-a/generated_signature.pgp")
        let json = """
            {
              "name": "projects/nmallyatestproject/occurrences/1234",
              "resourceUri": "\(Self.image)",
              "noteName": "projects/nmallyatestproject/notes/Human-Attestor-Note",
              "kind": "ATTESTATION",
              "createTime": "2019-01-01T00:00:00Z",
              "attestation": {
                "serializedPayload": "\(Base64.encode(payload))",
                "signatures": [{"signature": "\(Base64.encodeURLSafeUnpadded(signature))", "publicKeyId": "E50ABDE5A0C05DB317479494C111AF41B88ECC96"}]
              },
              "envelope": {"payload": "", "payloadType": "x"}
            }
            """
        let occurrence = try AttestationOccurrence(json: json)
        #expect(occurrence.imageURI == Self.image)
        #expect(occurrence.kind == .attestation)
        let signatures = occurrence.signatures
        #expect(signatures.count == 1)
        #expect(signatures[0].kind == .v1)
        #expect(signatures[0].signature == signature)
        #expect(signatures[0].serializedPayload == payload)
        #expect(signatures[0].publicKeyID == "E50ABDE5A0C05DB317479494C111AF41B88ECC96")
        let written = occurrence.jsonString()
        #expect(written.contains("\"serializedPayload\": \"\(Base64.encodeURLSafe(payload))\""))
        #expect(try AttestationOccurrence(json: written) == occurrence)
        #expect(try AttestationOccurrence(yaml: occurrence.yamlString()) == occurrence)
    }

    @Test("A v1beta1 occurrence (the seed article's gcloud) reads its armored PGP signature text")
    func v1beta1Occurrence() throws {
        let signature = try Fixtures.corpusText("seed-article/set-a/generated_signature.pgp")
        let legacy = AttestationOccurrence(
            resourceURI: nil, noteName: "projects/nmallyatestproject/notes/Human-Attestor-Note",
            attestation: Attestation(
                legacy: LegacyAttestation(
                    pgpSignedAttestation: .init(
                        signature: signature, pgpKeyID: "E50ABDE5A0C05DB317479494C111AF41B88ECC96"))))
        var occurrence = legacy
        occurrence.resource = .init(uri: "https://" + Self.image)
        let text = occurrence.jsonString()
        #expect(text.contains("\"pgpSignedAttestation\""))
        #expect(text.contains("\"contentType\": \"SIMPLE_SIGNING_JSON\""))
        #expect(text.contains("\"uri\": \"https://gcr.io/"))
        let read = try AttestationOccurrence(json: text)
        #expect(read == occurrence)
        #expect(read.imageURI == "https://" + Self.image)
        #expect(read.signatures.map(\.kind) == [.v1beta1PGP])
        #expect(read.signatures[0].signature == Array(signature.utf8))
        #expect(read.signatures[0].publicKeyID == "E50ABDE5A0C05DB317479494C111AF41B88ECC96")
    }

    @Test("Attestation files: one occurrence, a list, a list response, or several YAML documents")
    func readAll() throws {
        let one = AttestationOccurrence(
            resourceURI: Self.image, noteName: "projects/p/notes/n",
            attestation: Attestation(
                serializedPayload: [1, 2, 3], signatures: [.init(signature: [4, 5], publicKeyID: "k")]))
        var two = one
        two.noteName = "projects/p/notes/m"
        #expect(try AttestationOccurrence.readAll(text: one.jsonString()) == [one])
        #expect(try AttestationOccurrence.readAll(text: "[\(one.jsonString()), \(two.jsonString())]") == [one, two])
        #expect(try AttestationOccurrence.readAll(text: "{\"occurrences\": [\(two.jsonString())]}") == [two])
        #expect(try AttestationOccurrence.readAll(text: one.yamlString() + "---\n" + two.yamlString()) == [one, two])
        #expect {
            try AttestationOccurrence.readAll(
                text: "[\(one.jsonString()), {\"attestation\": {\"serializedPayload\": \"!!\"}}]")
        } throws: { error in
            let e = error as! ModelError
            return e.code == .invalidValue && e.path == "[1].attestation.serializedPayload"
        }
    }

    @Test("A bytes field that is not base64 is reported at its line and column, like every other import error")
    func base64ErrorLocation() {
        let yaml = "noteName: projects/p/notes/n\nattestation:\n  serializedPayload: '!!'\n"
        #expect {
            try AttestationOccurrence(yaml: yaml)
        } throws: { error in
            let e = error as! ModelError
            return e.code == .invalidValue && e.path == "attestation.serializedPayload" && e.line == 3 && e.column == 22
        }
    }

    @Test("A saved occurrences.list page with nextPageToken reads all its occurrences; an empty page reads none")
    func listResponsePage() throws {
        let one = AttestationOccurrence(
            resourceURI: Self.image, noteName: "projects/p/notes/n",
            attestation: Attestation(serializedPayload: [1], signatures: [.init(signature: [2], publicKeyID: "k")]))
        let page = "{\"occurrences\": [\(one.jsonString()), \(one.jsonString())], \"nextPageToken\": \"abc\"}"
        #expect(try AttestationOccurrence.readAll(text: page) == [one, one])
        #expect(try AttestationOccurrence.readAll(text: "{\"occurrences\": [], \"unreachable\": []}") == [])
        #expect(try AttestationOccurrence.readAll(text: "occurrences:\nnextPageToken: abc\n", format: .yaml) == [])
    }

    @Test("Empty YAML documents in a stream are skipped")
    func emptyDocuments() throws {
        let one = AttestationOccurrence(resourceURI: Self.image, noteName: "projects/p/notes/n", attestation: nil)
        #expect(
            try AttestationOccurrence.readAll(text: "---\n---\n" + one.yamlString() + "---\n", format: .yaml) == [one])
    }

    @Test("An attestor or policy file given as attestations is refused, not read as an empty occurrence")
    func notAnOccurrence() throws {
        let attestor =
            #"{"name": "projects/p/attestors/a", "userOwnedGrafeasNote": {"noteReference": "projects/p/notes/n"}}"#
        #expect {
            try AttestationOccurrence.readAll(text: attestor)
        } throws: { error in
            let e = error as! ModelError
            return e.code == .missingField && e.message.contains("neither noteName nor attestation")
                && e.message.contains("attestor or policy file")
        }
        #expect {
            try AttestationOccurrence.readAll(text: #"[{"noteName": "projects/p/notes/n"}, {"resourceUri": "x"}]"#)
        } throws: { error in
            (error as! ModelError).path == "[1]"
        }
    }

    @Test("The seed article's note body (v1beta1, snake_case field names) reads")
    func seedNote() throws {
        let note = try Note(json: Fixtures.corpusText("seed-article/set-a/note_payload.json"))
        #expect(note.name == "projects/nmallyatestproject/notes/Human-Attestor-Note")
        #expect(note.attestationAuthority?.hint?.humanReadableName == "Human Attestation Note Demo")
        #expect(note.humanReadableName == "Human Attestation Note Demo")
        let v1 = Note(name: "projects/p/notes/n", humanReadableName: "qa")
        #expect(
            v1.jsonString(pretty: false)
                == #"{"attestation":{"hint":{"humanReadableName":"qa"}},"name":"projects/p/notes/n"}"#)
        #expect(try Note(json: v1.jsonString()) == v1)
    }

    @Test("Base64 accepts standard and URL-safe, padded or not, and rejects the rest")
    func base64() {
        #expect(Base64.decode("AQID") == [1, 2, 3])
        #expect(Base64.decode("AQI=") == [1, 2])
        #expect(Base64.decode("AQI") == [1, 2])
        #expect(Base64.decode("-_8") == [0xFB, 0xFF])
        #expect(Base64.decode("+/8=") == [0xFB, 0xFF])
        #expect(Base64.decode("AQ\nID\n") == [1, 2, 3])
        #expect(Base64.decode("A") == nil)
        #expect(Base64.decode("A=QID") == nil)
        #expect(Base64.decode("AQ===") == nil)
        #expect(Base64.decode("!!!!") == nil)
        #expect(Base64.encodeURLSafeUnpadded([0xFB, 0xFF]) == "-_8")
        // gcloud's (apitools') bytes fields: URL-safe with padding.
        #expect(Base64.encodeURLSafe([0xFA, 0xFB, 0xFC, 0xFD, 0xFE, 0xFF, 0x3F, 0x3E]) == "-vv8_f7_Pz4=")
        #expect(Base64.decode("-vv8_f7_Pz4=") == [0xFA, 0xFB, 0xFC, 0xFD, 0xFE, 0xFF, 0x3F, 0x3E])
        #expect(Base64.decode("+vv8/f7/Pz4=") == [0xFA, 0xFB, 0xFC, 0xFD, 0xFE, 0xFF, 0x3F, 0x3E])
    }

    @Test("Occurrences write bytes fields as gcloud does (URL-safe base64 with padding) and read both alphabets")
    func occurrenceBytesAlphabet() throws {
        let bytes: [UInt8] = [0xFA, 0xFB, 0xFC, 0xFD, 0xFE, 0xFF, 0x3F, 0x3E]
        let occurrence = AttestationOccurrence(
            resourceURI: Self.image, noteName: "projects/p/notes/n",
            attestation: Attestation(
                serializedPayload: [0xFB, 0xFF, 0xFE],
                signatures: [Attestation.Signature(signature: bytes, publicKeyID: "k")]))
        let json = occurrence.jsonString()
        #expect(json.contains(#""signature": "-vv8_f7_Pz4=""#), "\(json)")
        #expect(json.contains(#""serializedPayload": "-__-""#), "\(json)")
        #expect(occurrence.yamlString().contains("-vv8_f7_Pz4="), "\(occurrence.yamlString())")
        let standard = """
            {"attestation": {"serializedPayload": "+//+", "signatures": [{"publicKeyId": "k", "signature": "+vv8/f7/Pz4="}]},
             "kind": "ATTESTATION", "noteName": "projects/p/notes/n", "resourceUri": "\(Self.image)"}
            """
        #expect(try AttestationOccurrence(json: standard) == occurrence)
        #expect(try AttestationOccurrence(json: json) == occurrence)
    }

    @Test("Base64 over bytes: strict mode for armor, non-ASCII refused, the same answers as the String entry point")
    func base64Bytes() {
        let cases = [
            "AQID", "AQI=", "AQI", "-_8", "+/8=", "AQ\nID\n", "AQ ID\r\n", "A", "A=QID", "AQ===", "!!!!", "",
            "AQIDé", "AQ\u{301}ID", "QQ==", "QR==", "AQID=", "AQ=\u{301}", "\tAQID",
        ]
        for text in cases {
            let bytes = Array(text.utf8)
            #expect(Base64.decode(utf8: bytes) == Base64.decode(text), "\(text.debugDescription)")
            #expect(
                Base64.decode(utf8: bytes, strict: true) == Base64.decode(text, strict: true),
                "\(text.debugDescription)")
        }
        #expect(Base64.decode("AQIDé") == nil)
        #expect(Base64.decode("AQ\nID", strict: true) == nil)
        #expect(Base64.decode("-_8", strict: true) == nil)
        #expect(Base64.decode("+/8", strict: true) == [0xFB, 0xFF])
        // Invalid UTF-8 (only the byte entry point can be given it) is refused, not repaired into something valid.
        #expect(Base64.decode(utf8: [0x41, 0x51, 0xFF, 0x44]) == nil)
    }
}

@Suite("Multi-document YAML streams")
struct YAMLStreamTests {
    @Test("A syntax error in a later document is reported, not silently dropped")
    func laterDocumentError() {
        let text = "noteName: projects/p/notes/n\n---\nnoteName: [unclosed\n---\nnoteName: projects/p/notes/m\n"
        #expect {
            try AttestationOccurrence.readAll(text: text, format: .yaml)
        } throws: { error in
            let e = error as! ModelError
            return e.code == .syntax && e.line != nil
        }
    }
}

@Suite("Writing large resources")
struct LargeResourceTests {
    @Test("An occurrence whose JSON exceeds the reader's document limit still writes (the writer has no such limit)")
    func largeOccurrence() throws {
        let payload = [UInt8](repeating: 0x41, count: 51 << 20)
        let occurrence = AttestationOccurrence(
            resourceURI: "gcr.io/p/a@sha256:" + String(repeating: "a", count: 64), noteName: "projects/p/notes/n",
            attestation: Attestation(
                serializedPayload: payload, signatures: [.init(signature: [1], publicKeyID: "urn:k")]))
        let json = occurrence.jsonString(pretty: false)
        #expect(json.utf8.count > InputLimits.default.maximumDocumentBytes)
        #expect(json.hasPrefix(#"{"attestation":{"serializedPayload":"QUFB"#))
        #expect(
            json.hasSuffix(
                #""resourceUri":"gcr.io/p/a@sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}"#)
        )
    }
}
