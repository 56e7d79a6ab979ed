// libFuzzer target: `JSONLineWriter`, the one hand-written JSON encoder, against
// Foundation. The input is cut at 0xFF bytes (never part of UTF-8) into pieces, each
// decoded as UTF-8 (invalid sequences repaired, so any scalar can appear); the pieces fill
// a transcript record (an empty piece leaves a field out), a string map, a string array
// and a JSON-mode output. Each is written by the writer and by `JSONEncoder`; both are
// decoded with `JSONDecoder` and must be equal scalar for scalar, and the writer's line
// must hold no raw control character.
import Foundation
import FuzzSupport
import TreueCore

@_cdecl("LLVMFuzzerInitialize")
public func initialize(_ argc: UnsafeMutablePointer<CInt>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> CInt {
    Fixtures.prepare {
        _ = Fixtures.foundationEncoder
        let warmUp = Array("hello\u{FF}w\u{2028}rld\u{FF}\"\\\u{FF}\u{1}".utf8)
        warmUp.withUnsafeBufferPointer { _ = fuzzJSONLineWriter($0.baseAddress, $0.count) }
    }
    return 0
}

/// Hands out the input's pieces in turn, round and round.
struct Pieces {
    let pieces: [String]
    let seed: [UInt8]
    var next = 0

    mutating func string() -> String {
        defer { next += 1 }
        return pieces[next % pieces.count]
    }

    mutating func optional() -> String? {
        let piece = string()
        return piece.isEmpty ? nil : piece
    }

    /// An integer from the piece's bytes: small, negative, huge or absent.
    mutating func integer() -> Int? {
        let piece = Array(string().utf8)
        guard !piece.isEmpty else { return nil }
        var value: UInt64 = 0
        for byte in piece.prefix(8) { value = value << 8 | UInt64(byte) }
        return piece.count == 1 ? Int(piece[0]) - 128 : Int(truncatingIfNeeded: value)
    }

    mutating func flag() -> Bool? {
        guard let first = string().utf8.first else { return nil }
        return first & 1 == 1
    }

    mutating func list() -> [String] {
        (0..<Int(seed[next % seed.count] % 5)).map { _ in string() }
    }

    mutating func map() -> [String: String] {
        Dictionary((0..<Int(seed[next % seed.count] % 5)).map { _ in (string(), string()) }, uniquingKeysWith: { first, _ in first })
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONLineWriter(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size > 0 else { return 0 }
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let split = bytes.split(separator: 0xFF, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    var input = Pieces(pieces: split, seed: bytes)
    let shown = split.joined(separator: "|")

    let kinds = TranscriptRecord.Kind.allCases
    var record = TranscriptRecord(ts: input.string(), session: input.string(), seq: input.integer() ?? 0,
                                  type: kinds[Int(bytes[0]) % kinds.count], instance: input.optional())
    record.v = input.integer() ?? 1
    record.text = input.optional()
    record.intent = input.optional()
    record.phase = input.optional()
    record.lang = input.optional()
    record.captures = input.map()
    record.suggestions = input.list()
    record.pattern = input.optional()
    record.from = input.optional()
    record.to = input.optional()
    record.reason = input.optional()
    record.slot = input.optional()
    record.count = input.integer()
    record.ticket = input.optional()
    record.helpful = input.flag()
    record.score = input.integer()
    record.comment = input.optional()
    record.customer = input.optional()
    record.verified = input.flag()
    record.tier = input.optional()
    record.segment = input.optional()
    record.code = input.optional()
    record.detail = input.optional()
    record.name = input.optional()
    record.stage = input.optional()
    record.evidence = input.optional()
    record.variant = input.optional()
    var writer = JSONLineWriter()
    record.write(to: &writer)
    Fixtures.expectSameJSON(writer.bytes, as: record, input: shown)
    // Readers see the same record either way (both leave out empty captures and suggestions).
    let read = try? JSONDecoder().decode(TranscriptRecord.self, from: Data(writer.bytes))
    guard read != nil, read == (try? Fixtures.foundationEncoder.encode(record)).flatMap({ try? JSONDecoder().decode(TranscriptRecord.self, from: $0) }) else {
        Fixtures.violated("a written record does not read back as Foundation's encoding of it does", input: shown)
    }

    let map = input.map()
    writer.removeAll()
    writer.stringMap(map)
    writer.endLine()
    Fixtures.expectSameJSON(writer.bytes, as: map, input: shown)

    let list = input.list()
    writer.removeAll()
    writer.stringArray(list)
    writer.endLine()
    Fixtures.expectSameJSON(writer.bytes, as: list, input: shown)

    let outputs: [ConversationOutput] = [
        .mode(bytes[0] & 1 == 0 ? .json : .text),
        .greeting(text: input.string(), session: input.string()),
        .reply(Reply(text: input.string(), intent: input.optional(), phase: input.string(), language: input.string(),
                     suggestions: input.list())),
        .prompt(text: input.string(), kind: bytes[0] & 2 == 0 ? .slot : .rating),
        .info(text: input.string()),
        .error(code: .badArgument, text: input.string()),
        .bye(text: input.string()),
    ]
    for output in outputs {
        writer.removeAll()
        output.writeJSON(to: &writer)
        Fixtures.expectSameJSON(writer.bytes, as: output, input: shown)
    }
    return 0
}
