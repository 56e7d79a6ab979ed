import Foundation
import Testing
@testable import TreueCore

/// `JSONLineWriter` against Foundation: whatever it writes must decode, with `JSONDecoder`,
/// to exactly what `JSONEncoder` writes for the same value (scalar for scalar: no
/// normalization hides a difference). Where no string needs an escape the bytes must be
/// identical too, which pins the key order.
struct JSONLineWriterTests {
    static let foundation: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    static func decoded(_ bytes: some Sequence<UInt8>) throws -> DecodedJSON {
        try JSONDecoder().decode(DecodedJSON.self, from: Data(bytes))
    }

    /// What the writer makes of one string, as a value and as a key.
    static func written(_ value: String) -> [UInt8] {
        var writer = JSONLineWriter()
        writer.beginObject()
        writer.key(value)
        writer.string(value)
        writer.key("list")
        writer.stringArray([value, value])
        writer.endObject()
        return writer.bytes
    }

    struct Sample: Encodable {
        let value: String
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: JSONKey.self)
            try container.encode(value, forKey: JSONKey(value))
            try container.encode([value, value], forKey: JSONKey("list"))
        }
    }

    /// One string of each escape class, and neighbours that must stay as they are.
    static let escapeClasses: [String] = [
        "", "plain", "\"", "\\", "/", "\u{7F}", "\u{80}", "ä", "€", "…", "\u{2027}", "\u{2028}", "\u{2029}", "\u{202A}",
        "\u{FEFF}", "\u{FFFE}", "\u{FFFF}", "😀", "👩‍👩‍👧", "e\u{301}", "\u{E9}", "a\u{2028}b\u{2029}c", "\u{2028}\u{2029}",
        "\\\"\\", "\"quoted\"", "tab\there", "cr\rlf\n", "back\u{8}feed\u{C}", "Ende\u{2028}", "\u{E2}",
    ] + (0..<0x20).map { String(UnicodeScalar(UInt8($0))) }

    @Test(arguments: escapeClasses)
    func everyEscapeClassDecodesLikeFoundation(_ value: String) throws {
        let mine = Self.written(value)
        let theirs = try Self.foundation.encode(Sample(value: value))
        #expect(try Self.decoded(mine) == Self.decoded(theirs))
        // A JSON line holds no raw control character and no raw line or paragraph separator.
        #expect(!mine.contains(where: { $0 < 0x20 }))
        let separators = [[0xE2, 0x80, 0xA8], [0xE2, 0x80, 0xA9]] as [[UInt8]]
        #expect(!separators.contains { separator in mine.indices.contains { mine[$0...].starts(with: separator) } })
    }

    /// Every escape at every position of a long string: the writer tests eight bytes at a
    /// time, so each offset within and across those blocks must be seen.
    @Test(arguments: ["\"", "\\", "\u{0}", "\u{1F}", "\n", "\u{2028}", "\u{2029}", "€", "ä", "\u{7F}", "😀"])
    func escapesAtEveryOffsetOfALongString(_ special: String) throws {
        let padding = "abcdefghijklmnopqrstuvwxyz"
        for offset in 0...17 {
            let value = String(padding.prefix(offset)) + special + String(padding.dropFirst(offset)) + special
            let mine = Self.written(value)
            #expect(try Self.decoded(mine) == Self.decoded(Self.foundation.encode(Sample(value: value))), "offset \(offset)")
            #expect(!mine.contains(where: { $0 < 0x20 }))
            var writer = JSONLineWriter()
            writer.string(value)
            let text = String(decoding: writer.bytes, as: UTF8.self)
            #expect(!text.unicodeScalars.contains { $0 == "\u{2028}" || $0 == "\u{2029}" }, "offset \(offset)")
        }
    }

    @Test(arguments: [
        ("\u{0}", #""\u0000""#), ("\u{1F}", #""\u001f""#), ("\u{1B}", #""\u001b""#), ("\"", #""\"""#), ("\\", #""\\""#),
        ("\n", #""\n""#), ("\r", #""\r""#), ("\t", #""\t""#), ("\u{8}", #""\b""#), ("\u{C}", #""\f""#),
        ("\u{2028}", #""\u2028""#), ("\u{2029}", #""\u2029""#), ("/", #""/""#), ("\u{7F}", "\"\u{7F}\""), ("€", "\"€\""),
        ("\u{2027}\u{202A}", "\"\u{2027}\u{202A}\""), ("😀", "\"😀\""), ("a\"b\\c", #""a\"b\\c""#),
    ])
    func escapesAreTheRFC8259Ones(_ value: String, _ expected: String) {
        var writer = JSONLineWriter()
        writer.string(value)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == expected)
    }

    @Test(arguments: [0, 1, -1, 9, 10, 99, 100, 1234567, -987654321, Int.max, Int.min])
    func integersAreFoundationsBytes(_ value: Int) throws {
        var writer = JSONLineWriter()
        writer.int(value)
        #expect(writer.bytes == Array(try Self.foundation.encode(value)))
    }

    @Test func literalsNestingAndCommas() {
        var writer = JSONLineWriter()
        writer.beginObject()
        writer.field("a", true)
        writer.field("b", false)
        writer.key("c")
        writer.null()
        writer.key("d")
        writer.stringArray([])
        writer.key("e")
        writer.stringMap([:])
        writer.key("f")
        writer.stringMap(["z": "1", "a": "2", "a10": "3", "a2": "4", "B": "5"])
        writer.fieldIfPresent("g", nil as String?)
        writer.endObject()
        writer.endLine()
        writer.beginArray()
        writer.endArray()
        #expect(String(decoding: writer.bytes, as: UTF8.self)
            == #"{"a":true,"b":false,"c":null,"d":[],"e":{},"f":{"B":"5","a":"2","a10":"3","a2":"4","z":"1"}}"# + "\n[]")
    }

    // MARK: - Records and wire objects

    static let events: [TranscriptEvent] = [
        .sessionOpened(phase: "awareness", language: "de"),
        .sessionClosed(reason: "quit"),
        .message(text: "wo ist mein paket 12345678?"),
        .command(name: "why"),
        .reply(.init(text: "Ihr Paket ist unterwegs.", intent: "order_status", phase: "service", language: "de",
                     captures: ["order": "12345678", "a10": "x", "a2": "y", "Z": "z"], suggestions: ["Lieferzeit", "Rücksendung"],
                     pattern: "Intents/service.yaml:12", variant: "default/de/1")),
        .reply(.init(text: "Wie bitte?", intent: nil, phase: "service", language: "de", captures: [:], suggestions: [], pattern: nil)),
        .phaseChanged(from: "awareness", to: "service", reason: "signal"),
        .slotPrompt(intent: "order_status", slot: "order"),
        .fallback(count: 2, phase: "service"),
        .handoff(ticket: "T-1", reason: "request", intent: nil),
        .handoff(ticket: "T-2", reason: "fallbacks", intent: "complaint"),
        .rating(helpful: true, intent: "order_status", variant: "loyalty/de/2"),
        .rating(helpful: false, intent: nil, variant: nil),
        .feedback(score: 5, comment: "super"),
        .feedback(score: 1, comment: nil),
        .login(customer: "C1001", verified: false, phase: "loyalty", tier: "gold", segment: nil),
        .login(customer: "C1002", verified: true, phase: "service", tier: nil, segment: "b2b"),
        .error(code: "bad_argument", detail: "x"),
        .patternLimit(intent: "order_status", pattern: "Intents/service.yaml:12"),
        .reply(.init(text: "Geht es um Umtausch (1) oder Geld zurück (2)?", intent: nil, phase: "service", language: "de", captures: [:],
                     suggestions: ["Umtausch", "Geld zurück"], pattern: nil, stage: "clarify",
                     evidence: "negated: 'nicht stornieren'; corrected: rucksendung→ruecksendung")),
        .clarify(options: ["exchange_item", "refund_status"]),
        .orderLookup(number: "44812345", outcome: "found", status: "shipped", latencyMs: 12),
        .orderLookup(number: "44812345", outcome: "locked", status: nil, latencyMs: nil),
        .proactive(rule: "parcel_today", text: "Heute kommt Ihr Paket.", suggestions: ["Wo ist meine Bestellung?"],
                   intents: ["order_status"]),
    ]

    static func line(_ record: TranscriptRecord) -> [UInt8] {
        var writer = JSONLineWriter()
        record.write(to: &writer)
        return writer.bytes
    }

    @Test(arguments: events)
    func recordsAreFoundationsBytesWhenNothingNeedsAnEscape(_ event: TranscriptEvent) throws {
        for instance in [nil, "eu-1"] as [String?] {
            let record = TranscriptRecord(event: event, ts: "2026-12-04T11:23:50.123Z", session: "s3ss10n", seq: 42,
                                          instance: instance, redact: { $0 })
            let theirs = try Self.foundation.encode(record)
            #expect(Self.line(record) == Array(theirs) + [10])
            // Readers see the same record (empty captures and suggestions are left out by both).
            #expect(try JSONDecoder().decode(TranscriptRecord.self, from: Data(Self.line(record)))
                == JSONDecoder().decode(TranscriptRecord.self, from: theirs))
        }
    }

    static let outputs: [ConversationOutput] = [
        .mode(.json), .mode(.text), .greeting(text: "Hallo!", session: "abc"),
        .reply(Reply(text: "Antwort", intent: "order_status", phase: "service", language: "de", suggestions: ["A", "B"])),
        .reply(Reply(text: "Hm?", intent: nil, phase: "service", language: "en", suggestions: [])),
        .prompt(text: "Ihre Bestellnummer?", kind: .slot), .prompt(text: "1-5?", kind: .rating),
        .info(text: "OK"), .error(code: .unknownCommand, text: "Unbekannt"), .bye(text: "Tschüss"),
        .proactive(rule: "points_expiring", text: "Punkte verfallen bald.", suggestions: ["Punkte einlösen", "Verfall"]),
    ]

    @Test(arguments: outputs)
    func wireObjectsAreFoundationsBytesWhenNothingNeedsAnEscape(_ output: ConversationOutput) throws {
        var writer = JSONLineWriter()
        output.writeJSON(to: &writer)
        #expect(writer.bytes == Array(try Self.foundation.encode(output)) + [10])
    }

    @Test func replyCarriesNullIntentAndEmptySuggestions() throws {
        var writer = JSONLineWriter()
        ConversationOutput.reply(Reply(text: "Hm?", intent: nil, phase: "service", language: "de", suggestions: [])).writeJSON(to: &writer)
        #expect(String(decoding: writer.bytes, as: UTF8.self)
            == #"{"intent":null,"lang":"de","phase":"service","suggestions":[],"text":"Hm?","type":"reply"}"# + "\n")
    }

    // MARK: - Randomized: arbitrary Unicode in every field

    @Test func randomRecordsAndOutputsDecodeLikeFoundation() throws {
        var random = SeededRandom(seed: 0x7265_7565_1818)
        for round in 0..<3000 {
            var record = TranscriptRecord(ts: random.string(), session: random.string(), seq: random.integer(),
                                          type: TranscriptRecord.Kind.allCases.randomElement(using: &random)!,
                                          instance: random.maybe { $0.string() })
            record.v = random.integer()
            record.text = random.maybe { $0.string() }
            record.intent = random.maybe { $0.string() }
            record.phase = random.maybe { $0.string() }
            record.lang = random.maybe { $0.string() }
            record.captures = random.maybe { random in
                Dictionary((0..<Int.random(in: 0...4, using: &random)).map { _ in (random.string(), random.string()) },
                           uniquingKeysWith: { first, _ in first })
            }
            record.suggestions = random.maybe { random in (0..<Int.random(in: 0...4, using: &random)).map { _ in random.string() } }
            record.pattern = random.maybe { $0.string() }
            record.from = random.maybe { $0.string() }
            record.to = random.maybe { $0.string() }
            record.reason = random.maybe { $0.string() }
            record.slot = random.maybe { $0.string() }
            record.count = random.maybe { $0.integer() }
            record.ticket = random.maybe { $0.string() }
            record.helpful = random.maybe { Bool.random(using: &$0) }
            record.score = random.maybe { $0.integer() }
            record.comment = random.maybe { $0.string() }
            record.customer = random.maybe { $0.string() }
            record.verified = random.maybe { Bool.random(using: &$0) }
            record.tier = random.maybe { $0.string() }
            record.segment = random.maybe { $0.string() }
            record.code = random.maybe { $0.string() }
            record.detail = random.maybe { $0.string() }
            record.stage = random.maybe { $0.string() }
            record.evidence = random.maybe { $0.string() }
            record.variant = random.maybe { $0.string() }
            record.options = random.maybe { random in (0..<Int.random(in: 0...3, using: &random)).map { _ in random.string() } }
            record.name = random.maybe { $0.string() }

            let mine = Self.line(record)
            #expect(mine.last == 10 && mine.dropLast().allSatisfy { $0 >= 0x20 }, "round \(round): not one clean line")
            let theirs = try Self.foundation.encode(record)
            #expect(try Self.decoded(mine) == Self.decoded(theirs), "round \(round): \(record)")

            let output = random.output()
            var writer = JSONLineWriter()
            output.writeJSON(to: &writer)
            #expect(try Self.decoded(writer.bytes) == Self.decoded(Self.foundation.encode(output)), "round \(round): \(output)")
        }
    }
}

/// A JSON value as `JSONDecoder` reads it, compared scalar for scalar.
indirect enum DecodedJSON: Decodable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case string([Unicode.Scalar])
    case array([DecodedJSON])
    case object([Member])

    struct Member: Equatable {
        let key: [Unicode.Scalar]
        let value: DecodedJSON
    }

    init(from decoder: any Decoder) throws {
        // Strings first: most values are strings, and every failed attempt throws.
        if let value = try? decoder.singleValueContainer() {
            if let string = try? value.decode(String.self) {
                self = .string(Array(string.unicodeScalars))
                return
            }
            if value.decodeNil() {
                self = .null
                return
            }
            if let bool = try? value.decode(Bool.self) {
                self = .bool(bool)
                return
            }
            if let int = try? value.decode(Int.self) {
                self = .int(int)
                return
            }
        }
        if var array = try? decoder.unkeyedContainer() {
            var values: [DecodedJSON] = []
            while !array.isAtEnd { values.append(try array.decode(DecodedJSON.self)) }
            self = .array(values)
            return
        }
        let object = try decoder.container(keyedBy: JSONKey.self)
        self = try .object(object.allKeys.map { Member(key: Array($0.stringValue.unicodeScalars), value: try object.decode(DecodedJSON.self, forKey: $0)) }
            .sorted { $0.key.lexicographicallyPrecedes($1.key) { $0.value < $1.value } })
    }
}

struct JSONKey: CodingKey {
    let stringValue: String
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    var intValue: Int? { nil }
    init?(intValue: Int) { nil }
}

/// SplitMix64: the same strings on every run, so a failure can be replayed.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE5_E4B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func maybe<T>(_ make: (inout SeededRandom) -> T) -> T? {
        Bool.random(using: &self) ? make(&self) : nil
    }

    mutating func integer() -> Int {
        switch Int.random(in: 0..<4, using: &self) {
        case 0: Int.random(in: -9...9, using: &self)
        case 1: [Int.min, Int.max, 0, -1].randomElement(using: &self)!
        default: Int(truncatingIfNeeded: next())
        }
    }

    /// Up to 24 scalars, each from one of the classes that matter to an escaper.
    mutating func string() -> String {
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...24, using: &self) {
            let value: UInt32 = switch Int.random(in: 0..<10, using: &self) {
            case 0: UInt32.random(in: 0x20...0x7E, using: &self)
            case 1: UInt32.random(in: 0...0x1F, using: &self)
            case 2: [0x22, 0x5C, 0x2F, 0x7F, 0x2028, 0x2029].randomElement(using: &self)!
            case 3: UInt32.random(in: 0x2000...0x20FF, using: &self)  // E2-led neighbours of U+2028
            case 4: UInt32.random(in: 0x80...0x7FF, using: &self)
            case 5: UInt32.random(in: 0x300...0x36F, using: &self)  // combining marks
            case 6: [0xFEFF, 0xFFFE, 0xFFFF, 0xFFFD, 0xE000].randomElement(using: &self)!
            case 7: UInt32.random(in: 0x10000...0x10FFFF, using: &self)
            default: UInt32.random(in: 0x800...0xFFFD, using: &self)
            }
            // Surrogates are not scalars; anything else is.
            scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
        }
        return String(scalars)
    }

    mutating func output() -> ConversationOutput {
        switch Int.random(in: 0..<7, using: &self) {
        case 0: .mode(Bool.random(using: &self) ? .json : .text)
        case 1: .greeting(text: string(), session: string())
        case 2: .reply(Reply(text: string(), intent: maybe { $0.string() }, phase: string(), language: string(),
                             suggestions: (0..<Int.random(in: 0...3, using: &self)).map { _ in string() }))
        case 3: .prompt(text: string(), kind: Bool.random(using: &self) ? .slot : .rating)
        case 4: .info(text: string())
        case 5: .error(code: [.unknownCommand, .badArgument, .unavailable].randomElement(using: &self)!, text: string())
        default: .bye(text: string())
        }
    }
}
