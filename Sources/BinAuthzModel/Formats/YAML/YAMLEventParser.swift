// SPDX-License-Identifier: Apache-2.0

internal import CYAML

/// One event of a YAML stream, copied out of libyaml into Swift values.
///
/// libyaml's parser is a state machine with heap-allocated stacks: it never recurses, so the nesting of a hostile
/// document costs heap, not stack, and the composer above it decides how deep is too deep.
struct YAMLEvent {
    enum Kind: Equatable {
        case streamStart, streamEnd, documentStart, documentEnd
        case alias, scalar, sequenceStart, sequenceEnd, mappingStart, mappingEnd
    }

    enum ScalarStyle: Equatable { case plain, singleQuoted, doubleQuoted, literal, folded }

    var kind: Kind
    /// The anchor a node defines (`&a`), or the anchor an alias refers to (`*a`).
    var anchor: String?
    /// The resolved tag (`tag:yaml.org,2002:str` for `!!str`, `!` for the non-specific tag), `nil` when absent.
    var tag: String?
    /// A scalar's text.
    var value: String = ""
    var style: ScalarStyle = .plain
    /// Where the event starts, 1-based.
    var mark: SourceLocation
    /// For a document start: whether the document declares `%YAML 1.2`.
    var isVersion12 = false
}

/// Owns one libyaml parser over a copy of the input; every `yaml_*` call of the package is in this file.
final class YAMLEventParser {
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let input: UnsafeMutableBufferPointer<UInt8>
    private var finished = false

    init(_ bytes: some Collection<UInt8>) throws(ModelError) {
        parser = .allocate(capacity: 1)
        input = .allocate(capacity: max(bytes.count, 1))
        _ = input.initialize(from: bytes)
        guard yaml_parser_initialize(parser) == 1 else {
            input.deallocate()
            parser.deallocate()
            throw ModelError(code: .tooLarge, message: "cannot allocate a YAML parser")
        }
        yaml_parser_set_input_string(parser, input.baseAddress, bytes.count)
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deallocate()
        input.deallocate()
    }

    /// The next event; after `streamEnd`, `streamEnd` again.
    func next() throws(ModelError) -> YAMLEvent {
        if finished { return YAMLEvent(kind: .streamEnd, mark: SourceLocation(line: 1, column: 1)) }
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else { throw parseError() }
        defer { yaml_event_delete(&event) }
        let mark = SourceLocation(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
        switch event.type {
        case YAML_STREAM_START_EVENT:
            return YAMLEvent(kind: .streamStart, mark: mark)
        case YAML_STREAM_END_EVENT:
            finished = true
            return YAMLEvent(kind: .streamEnd, mark: mark)
        case YAML_DOCUMENT_START_EVENT:
            var start = YAMLEvent(kind: .documentStart, mark: mark)
            if let directive = event.data.document_start.version_directive {
                start.isVersion12 = directive.pointee.major == 1 && directive.pointee.minor == 2
            }
            return start
        case YAML_DOCUMENT_END_EVENT:
            return YAMLEvent(kind: .documentEnd, mark: mark)
        case YAML_ALIAS_EVENT:
            return YAMLEvent(kind: .alias, anchor: Self.string(event.data.alias.anchor), mark: mark)
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let style: YAMLEvent.ScalarStyle
            switch scalar.style {
            case YAML_SINGLE_QUOTED_SCALAR_STYLE: style = .singleQuoted
            case YAML_DOUBLE_QUOTED_SCALAR_STYLE: style = .doubleQuoted
            case YAML_LITERAL_SCALAR_STYLE: style = .literal
            case YAML_FOLDED_SCALAR_STYLE: style = .folded
            default: style = .plain
            }
            let value =
                scalar.value.map {
                    String(decoding: UnsafeBufferPointer(start: $0, count: scalar.length), as: UTF8.self)
                }
                ?? ""
            return YAMLEvent(
                kind: .scalar, anchor: Self.string(scalar.anchor), tag: Self.string(scalar.tag), value: value,
                style: style, mark: mark)
        case YAML_SEQUENCE_START_EVENT:
            let start = event.data.sequence_start
            return YAMLEvent(
                kind: .sequenceStart, anchor: Self.string(start.anchor), tag: Self.string(start.tag), mark: mark)
        case YAML_SEQUENCE_END_EVENT:
            return YAMLEvent(kind: .sequenceEnd, mark: mark)
        case YAML_MAPPING_START_EVENT:
            let start = event.data.mapping_start
            return YAMLEvent(
                kind: .mappingStart, anchor: Self.string(start.anchor), tag: Self.string(start.tag), mark: mark)
        case YAML_MAPPING_END_EVENT:
            return YAMLEvent(kind: .mappingEnd, mark: mark)
        default:
            throw ModelError(
                code: .syntax, line: mark.line, column: mark.column, message: "invalid YAML: unexpected event")
        }
    }

    /// libyaml's own words for the problem, at the place it names: the same text Yams (which embeds libyaml)
    /// printed, so messages users know stay the same.
    private func parseError() -> ModelError {
        let state = parser.pointee
        let problem = state.problem.map { String(cString: $0) } ?? "malformed input"
        let mark = state.problem_mark
        if state.error == YAML_MEMORY_ERROR {
            return ModelError(code: .tooLarge, message: "invalid YAML: the parser ran out of memory")
        }
        let message = "invalid YAML: \(problem)"
        if state.error == YAML_READER_ERROR {
            return ModelError(code: .syntax, message: message + " (at byte \(state.problem_offset))")
        }
        return ModelError(code: .syntax, line: Int(mark.line) + 1, column: Int(mark.column) + 1, message: message)
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: UnsafePointer($0)) }
    }
}
