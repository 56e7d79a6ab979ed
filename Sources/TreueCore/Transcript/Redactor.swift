import PCRE2Swift
import Yams

/// Replaces personal data in free text with placeholders before it is written anywhere:
/// e-mail addresses (also spelled out: `name at gmx dot de`, `name(at)…`), phone numbers,
/// IBANs and card numbers. Rules are PCRE2 patterns that find candidates; a check then
/// decides: the IBAN's country length and mod-97 checksum, the card's Luhn digit, the
/// phone's digit count and shape, and the words before it (an order or article number
/// stays). Contact data the shop itself publishes in its answers is kept, so a reply
/// record says what the customer saw.
public final class Redactor: Sendable {
    public struct Rule: Sendable {
        /// What a candidate must pass before it is replaced.
        public enum Check: String, Sendable {
            case none
            /// 13 to 19 digits passing the Luhn check (some part of the run between separators).
            case luhn
            /// A known country code, exactly that country's length, and the mod-97 checksum.
            case iban
            /// Digit count and shape of a phone number, and no order or article word before it.
            case phone
        }

        /// What a text must hold before the rule's pattern runs at all: a bot reply of
        /// three hundred characters costs every rule a full scan, and most texts hold no
        /// `@` and too few digits for a card or a phone.
        public enum Gate: Sendable, Equatable {
            case always
            case atSign
            case spelledAt
            case ibanStart
            case digits(Int)
            /// At least eight digits and a place a phone number can start: a `+`, a `(`, a
            /// `0` opening a number, or three digits opening one and a separator (555-…).
            /// An order number alone ("12345678") has none, so the phone rule never runs on it.
            case phoneStart
        }

        public let name: String
        public let pattern: String
        public let placeholder: String
        public let check: Check
        public let gate: Gate

        public init(name: String, pattern: String, placeholder: String, check: Check, gate: Gate = .always) {
            self.name = name
            self.pattern = pattern
            self.placeholder = placeholder
            self.check = check
            self.gate = gate
        }

        public init(name: String, pattern: String, placeholder: String, requiresLuhn: Bool = false) {
            self.init(name: name, pattern: pattern, placeholder: placeholder, check: requiresLuhn ? .luhn : .none)
        }

        public var requiresLuhn: Bool { check == .luhn }
    }

    // Separators people put between digit groups: space, dot, dash, slash, no-break and
    // narrow no-break space, thin space.
    private static let separator = #"(?:[ .\/-]|\x{A0}|\x{202F}|\x{2009})"#
    private static let spelledAt = #"(?:[ ]?(?:\(at\)|\[at\]|\{at\}|<at>|\(ät\)|\[ät\])[ ]?|[ ](?:at|ät)[ ])"#
    private static let spelledDot = #"(?:\.|[ ]?(?:\(dot\)|\[dot\]|\{dot\}|<dot>|\(punkt\)|\[punkt\])[ ]?|[ ](?:dot|punkt)[ ])"#
    // Spelled-out addresses need a known top-level domain, so "wir sehen uns at home dot"
    // is no address.
    private static let topLevel = #"(?:de|at|ch|li|lu|com|net|org|eu|info|biz|io|me|email|online|shop|co[ .]uk|uk|fr|it|nl|es|be|pl)\b"#

    /// The built-in rules. Order matters: an IBAN holds digit runs the card and phone rules
    /// would take, and a card number looks like a long phone number.
    public static let defaultRules: [Rule] = [
        // The local part starts where a run of its characters starts, and is taken whole:
        // tried from every letter of every word, it cost a reply a hundred thousand steps.
        Rule(name: "email", pattern: #"(?<![\w.+-])[\w.+-]++[ ]?@[ ]?[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b"#, placeholder: "[email]",
             check: .none, gate: .atSign),
        Rule(name: "email_spelled", pattern: #"(?<![\w.+-])[\w.+-]++"# + spelledAt + #"[\w-]+(?:"# + spelledDot + #"[\w-]+)*?"# + spelledDot + topLevel,
             placeholder: "[email]", check: .none, gate: .spelledAt),
        Rule(name: "iban", pattern: #"\b[a-z]{2}[0-9]{2}(?:"# + separator + #"{0,2}[a-z0-9]){10,34}"#, placeholder: "[iban]", check: .iban,
             gate: .ibanStart),
        Rule(name: "card", pattern: #"\b[0-9](?:"# + separator + #"{0,2}[0-9]){12,18}\b"#, placeholder: "[card]", check: .luhn,
             gate: .digits(13)),
        // International (+49, 0049), national with a leading 0 (also in parentheses), or
        // North American (555) 123-4567; groups joined by separators or parentheses. The
        // pattern is generous (at most seven groups, so a failed candidate costs little);
        // `phoneRange` decides.
        Rule(name: "phone",
             pattern: #"(?:(?:\+|\b00)[0-9]{1,3}|\(0[0-9]{1,5}\)|\b0[0-9]{1,5}|\([2-9][0-9]{2}\)|\b[2-9][0-9]{2}(?=[ .-][0-9]{3}[ .-][0-9]{4}\b))(?:"#
                 + separator + #"{0,3}(?:\(0?[0-9]{1,5}\)|[0-9]{1,12})){0,6}"#,
             placeholder: "[phone]", check: .phone, gate: .phoneStart),
    ]

    private let rules: [(Rule, CompiledPattern)]
    private let gates: [Rule.Gate]
    /// Normalised forms (lower case, letters, digits, `@` and `+` only) of contact data
    /// the shop publishes itself.
    private let kept: Set<String>

    public init(rules: [Rule] = Redactor.defaultRules) throws(PCRE2CompileError) {
        var compiled: [(Rule, CompiledPattern)] = []
        for rule in rules { compiled.append((rule, try CompiledPattern(rule.pattern))) }
        self.rules = compiled
        gates = rules.map(\.gate)
        kept = []
    }

    private init(rules: [(Rule, CompiledPattern)], kept: Set<String>) {
        self.rules = rules
        gates = rules.map { $0.0.gate }
        self.kept = kept
    }

    /// A redactor that leaves alone whatever personal-data forms appear in `ownTexts`: the
    /// shop's answers name its own hotline and address, and a reply record should say
    /// what the customer was told.
    public func keeping(contactsIn ownTexts: [String]) -> Redactor {
        let scratch = makeScratch()
        var kept = self.kept
        for text in ownTexts {
            for found in findings(in: text, scratch: scratch) { kept.insert(Self.normalised(found.text)) }
        }
        return Redactor(rules: rules, kept: kept)
    }

    /// The contact data of the shop's own texts: every setting (`hotline`, `email`), answer
    /// variant, slot prompt and message of the knowledge base.
    public func keepingContacts(of kb: KnowledgeBase) -> Redactor {
        var texts = Array(kb.content.settings.values)
        for intent in kb.intents {
            for byLanguage in intent.answers.variants.values { for variants in byLanguage.values { texts += variants } }
            for slot in intent.slots { texts += slot.prompt.byLanguage.values }
        }
        for byLanguage in kb.content.fallbackAnswers.variants.values { for variants in byLanguage.values { texts += variants } }
        for byLanguage in kb.content.messages.values { texts += byLanguage.values }
        return keeping(contactsIn: texts)
    }

    public func makeScratch() -> MatchScratch { MatchScratch(maxCaptureGroups: 4) }

    public func redact(_ text: String, scratch: MatchScratch) -> String {
        // Nearly every message has no digit, no @ and no spelled-out "at": skip the patterns.
        var signals = TextSignals(text)
        guard signals.mayHoldPersonalData else { return text }
        // A placeholder can put a word boundary where there was none and so expose a number
        // another rule now matches: repeat until nothing changes (each change removes
        // digits or an @, so this ends quickly; the bound only guards custom rules).
        var result = text
        for _ in 0..<16 {
            var pass = result
            // By index, with the gates apart: copying each (rule, pattern) pair out of the
            // array only to read its gate cost more than the gate saved.
            for index in gates.indices where signals.admits(gates[index]) {
                let (rule, pattern) = rules[index]
                pass = replaceAll(in: pass, rule: rule, pattern: pattern, scratch: scratch)
            }
            if pass == result { break }
            result = pass
            signals = TextSignals(result)
        }
        return result
    }

    /// What the rules find in `text` (after their checks), in rule order.
    public func findings(in text: String, scratch: MatchScratch) -> [(rule: String, text: String)] {
        var found: [(rule: String, text: String)] = []
        let bytes = Array(text.utf8)
        for (rule, pattern) in rules {
            forEachMatch(in: text, bytes: bytes, rule: rule, pattern: pattern, scratch: scratch) { range, _ in
                found.append((rule.name, String(decoding: bytes[range], as: UTF8.self)))
            }
        }
        return found
    }

    private func replaceAll(in text: String, rule: Rule, pattern: CompiledPattern, scratch: MatchScratch) -> String {
        var output: [UInt8] = []
        var copied = 0
        var bytes: [UInt8] = []
        // Most texts have no match for a rule: copy the bytes only once one is found.
        forEachMatch(in: text, bytes: nil, rule: rule, pattern: pattern, scratch: scratch) { range, all in
            if bytes.isEmpty { bytes = all }
            output.append(contentsOf: bytes[copied..<range.lowerBound])
            output.append(contentsOf: rule.placeholder.utf8)
            copied = range.upperBound
        }
        guard copied > 0 else { return text }
        output.append(contentsOf: bytes[copied...])
        return String(decoding: output, as: UTF8.self)
    }

    /// Calls `body` with each match that passes the rule's check and is not the shop's own,
    /// left to right, without overlaps.
    private func forEachMatch(in text: String, bytes given: [UInt8]?, rule: Rule, pattern: CompiledPattern, scratch: MatchScratch,
                              _ body: (Range<Int>, [UInt8]) -> Void) {
        var bytes = given ?? []
        var offset = 0
        let count = text.utf8.count
        while offset <= count, case let .match(found) = pattern.firstMatch(in: text, from: offset, scratch: scratch) {
            if bytes.isEmpty { bytes = Array(text.utf8) }
            var range = found.range
            var accepted = true
            switch rule.check {
            case .none:
                break
            case .luhn:
                // The match is the longest run; a card may be a shorter part of it
                // ("4111 1111 1111 1111 22"), so every part between separators counts.
                if let card = Self.luhnValidPart(of: range, in: bytes) { range = card } else { accepted = false }
            case .iban:
                if let end = Self.ibanEnd(from: range.lowerBound, in: bytes) { range = range.lowerBound..<end } else { accepted = false }
            case .phone:
                if let phone = Self.phoneRange(range, in: bytes) { range = phone } else { accepted = false }
            }
            if accepted, !kept.isEmpty, kept.contains(Self.normalised(String(decoding: bytes[range], as: UTF8.self))) {
                // The shop's own: skip it whole, so no shorter part of it is taken instead.
                offset = max(range.upperBound, range.lowerBound + 1)
                continue
            }
            if accepted {
                body(range, bytes)
                offset = max(range.upperBound, range.lowerBound + 1)
            } else {
                // A candidate that fails may hide a real one inside it ("XL42 DE89 3704 …"):
                // go on from its next character, not from its end.
                offset = Self.nextCharacter(after: found.range.lowerBound, in: bytes)
            }
        }
    }

    private static func nextCharacter(after index: Int, in bytes: [UInt8]) -> Int {
        var next = index + 1
        while next < bytes.count, bytes[next] & 0xC0 == 0x80 { next += 1 }
        return next
    }

    /// What the rules' gates ask of a text, read in one pass over its bytes.
    struct TextSignals {
        var digits = 0
        var atSign = false
        var spelledAt = false
        /// Two letters and two digits at a word's start, as every IBAN begins.
        var ibanStart = false
        /// Where the phone pattern can begin (see `Rule.Gate.phoneStart`).
        var phoneStart = false

        init(_ text: String) {
            var text = text
            text.withUTF8 { bytes in
                var previous: UInt8 = 32
                var beforePrevious: UInt8 = 32
                for index in bytes.indices {
                    let byte = bytes[index]
                    if byte == 43 || byte == 40 {
                        phoneStart = true
                    } else if byte == 48, !Self.isWordByte(previous) {
                        phoneStart = true
                    } else if byte == 32 || byte == 46 || byte == 45, index >= 3, Self.isDigit(previous), Self.isDigit(beforePrevious),
                              bytes[index - 3] >= 50 && bytes[index - 3] <= 57, index == 3 || !Self.isWordByte(bytes[index - 4]) {
                        phoneStart = true
                    }
                    if byte >= 48 && byte <= 57 {
                        digits += 1
                        if !ibanStart, index >= 3, Self.isDigit(previous), Self.isLetter(bytes[index - 2]), Self.isLetter(bytes[index - 3]),
                           index == 3 || !(Self.isLetter(bytes[index - 4]) || Self.isDigit(bytes[index - 4])) {
                            ibanStart = true
                        }
                    } else if byte == 64 {
                        atSign = true
                    } else if byte | 0x20 == 116 {
                        if previous | 0x20 == 97, Redactor.opensSpelledAt(beforePrevious) { spelledAt = true }
                        if previous == 0xA4, beforePrevious == 0xC3 { spelledAt = true }
                    }
                    beforePrevious = previous
                    previous = byte
                }
            }
        }

        var mayHoldPersonalData: Bool { digits > 0 || atSign || spelledAt }

        private static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }
        private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 97 && (byte | 0x20) <= 122 }
        /// A byte of a word to `\b`; a byte of a multi-byte character counts as none, so a
        /// letter such as `ä` before a digit lets more through, never less.
        private static func isWordByte(_ byte: UInt8) -> Bool { isLetter(byte) || isDigit(byte) || byte == 95 }

        func admits(_ gate: Rule.Gate) -> Bool {
            switch gate {
            case .always: true
            case .atSign: atSign
            case .spelledAt: spelledAt
            case .ibanStart: ibanStart
            case let .digits(least): digits >= least
            case .phoneStart: digits >= 8 && phoneStart
            }
        }
    }

    private static func opensSpelledAt(_ byte: UInt8) -> Bool { byte == 32 || byte == 40 || byte == 91 || byte == 123 || byte == 60 }

    static func normalised(_ text: String) -> String {
        String(text.lowercased().unicodeScalars.filter { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "@" || $0 == "+" }
            .map(Character.init))
    }

    // MARK: - Cards

    /// The first part of a digit run (starting and ending next to a separator or the run's
    /// ends) with 13 to 19 digits that passes the Luhn check.
    static func luhnValidPart(of run: Range<Int>, in bytes: [UInt8]) -> Range<Int>? {
        func isDigit(_ index: Int) -> Bool { bytes[index] >= 48 && bytes[index] <= 57 }
        let starts = run.filter { isDigit($0) && ($0 == run.lowerBound || !isDigit($0 - 1)) }
        let ends = run.filter { isDigit($0) && ($0 == run.upperBound - 1 || !isDigit($0 + 1)) }.map { $0 + 1 }
        for start in starts {
            for end in ends.reversed() where end > start {
                let part = start..<end
                if passesLuhn(bytes[part]), (13...19).contains(bytes[part].filter { $0 >= 48 && $0 <= 57 }.count) { return part }
            }
        }
        return nil
    }

    static func passesLuhn(_ characters: ArraySlice<UInt8>) -> Bool {
        let digits = characters.filter { $0 >= 48 && $0 <= 57 }.map { Int($0 - 48) }
        guard (13...19).contains(digits.count) else { return false }
        var sum = 0
        for (index, digit) in digits.reversed().enumerated() {
            if index % 2 == 1 {
                let doubled = digit * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += digit
            }
        }
        return sum % 10 == 0
    }

    // MARK: - IBANs

    /// IBAN lengths by country (the SWIFT IBAN registry).
    static let ibanLengths: [String: Int] = [
        "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27, "BR": 29, "BY": 28,
        "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18,
        "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21, "HU": 28,
        "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20,
        "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28,
        "NL": 18, "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24,
        "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28, "TL": 23, "TN": 24, "TR": 26,
        "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
    ]

    /// Where the IBAN starting at `start` ends: exactly its country's number of letters and
    /// digits (up to two separators between them), passing mod 97; nil otherwise.
    static func ibanEnd(from start: Int, in bytes: [UInt8]) -> Int? {
        guard start + 4 <= bytes.count else { return nil }
        let country = String(decoding: bytes[start..<start + 2].map { $0 & ~0x20 }, as: UTF8.self)
        guard let length = ibanLengths[country] else { return nil }
        var characters: [UInt8] = []
        var index = start
        var end = start
        while index < bytes.count, characters.count < length {
            let byte = bytes[index]
            if isAlphanumeric(byte) {
                characters.append(byte >= 97 ? byte - 32 : byte)
                index += 1
                end = index
                continue
            }
            // Up to two separators between groups; never at the start.
            var skipped = 0
            var next = index
            while next < bytes.count, let width = separatorWidth(at: next, in: bytes) {
                next += width
                skipped += 1
            }
            guard skipped > 0, skipped <= 2, characters.count >= 4 else { break }
            index = next
        }
        guard characters.count == length else { return nil }
        // Glued to more letters or digits, it is some longer code, not this IBAN.
        if end < bytes.count, isAlphanumeric(bytes[end]) { return nil }
        let rearranged = characters[4...] + characters[..<4]
        var remainder = 0
        for character in rearranged {
            let value = character <= 57 ? Int(character - 48) : Int(character - 55)
            remainder = (value > 9 ? remainder * 100 + value : remainder * 10 + value) % 97
        }
        return remainder == 1 ? end : nil
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
    }

    /// The byte width of a digit-group separator at `index`: space, dot, dash, slash,
    /// no-break space (C2 A0), narrow no-break or thin space (E2 80 AF / E2 80 89).
    static func separatorWidth(at index: Int, in bytes: [UInt8]) -> Int? {
        switch bytes[index] {
        case 32, 45, 46, 47: return 1
        case 0xC2 where index + 1 < bytes.count && bytes[index + 1] == 0xA0: return 2
        case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80 && (bytes[index + 2] == 0xAF || bytes[index + 2] == 0x89): return 3
        default: return nil
        }
    }

    // MARK: - Phones

    /// Words (or word starts) that make the number after them an order, article, invoice
    /// or tracking number.
    private static let orderWordStarts = ["bestell", "auftrag", "order", "rechnung", "invoice", "artikel", "item", "sendung",
                                          "tracking", "paket", "lieferschein", "kundennummer", "sku", "modell", "model"]
    private static let orderWords: Set<String> = ["art", "nr", "no"]
    /// Word starts that make it a phone number after all.
    private static let phoneWordStarts = ["tel", "fon", "phone", "handy", "mobil", "natel", "ruf", "rückruf", "call", "anruf",
                                          "whatsapp", "erreich", "reach", "fax"]

    /// The phone number in a candidate (trailing separators dropped), or nil when its
    /// digits or shape are not a phone's, or it follows an order or article word.
    static func phoneRange(_ candidate: Range<Int>, in bytes: [UInt8]) -> Range<Int>? {
        var end = candidate.upperBound
        while end > candidate.lowerBound, !(bytes[end - 1] >= 48 && bytes[end - 1] <= 57), bytes[end - 1] != 41 { end -= 1 }
        let range = candidate.lowerBound..<end
        let part = bytes[range]
        let digits = part.filter { $0 >= 48 && $0 <= 57 }
        guard let first = part.first else { return nil }
        let international = first == 43 || (digits.starts(with: [48, 48]) && part.starts(with: [48, 48]))
        let hasSeparator = part.contains { !($0 >= 48 && $0 <= 57) }
        if international {
            // E.164: at most 15 digits after the prefix, at least a country code and a
            // subscriber number. A run starting 00 after an order word is a parcel number.
            let count = digits.count - (first == 43 ? 0 : 2)
            guard (8...15).contains(count) else { return nil }
            if first != 43, followsOrderWord(range.lowerBound, in: bytes) { return nil }
            return range
        }
        let national = digits.first == 48
        if national {
            guard (9...12).contains(digits.count) else { return nil }
            if !hasSeparator {
                // A bare digit run is a phone only with a mobile prefix (DE 015–017,
                // AT 065–069, CH 075–079); others are order numbers.
                guard digits.count >= 10, digits[1] == 49 || digits[1] == 54 || digits[1] == 55,
                      (digits[1] == 49 && (53...55).contains(digits[2])) || (digits[1] != 49 && (53...57).contains(digits[2])) else {
                    return nil
                }
            }
            // 03.12.2024 is a date, not Dresden.
            if looksLikeDate(part) { return nil }
        } else {
            // North America: (555) 123-4567 or 555-123-4567, ten digits.
            guard digits.count == 10, hasSeparator else { return nil }
        }
        if followsOrderWord(range.lowerBound, in: bytes) { return nil }
        return range
    }

    private static func looksLikeDate(_ part: ArraySlice<UInt8>) -> Bool {
        let groups = part.split { !($0 >= 48 && $0 <= 57) }
        guard groups.count >= 3, part.contains(46) else { return false }
        let list = Array(groups)
        return list[0].count <= 2 && list[1].count <= 2 && (list[2].count == 2 || list[2].count == 4)
    }

    /// True when an order or article word stands in the 40 bytes before `start` (same line)
    /// and no phone word does.
    private static func followsOrderWord(_ start: Int, in bytes: [UInt8]) -> Bool {
        var from = max(0, start - 40)
        while from < start, bytes[from] & 0xC0 == 0x80 { from += 1 }
        var window = String(decoding: bytes[from..<start], as: UTF8.self).lowercased()
        if let lineBreak = window.lastIndex(of: "\n") { window = String(window[window.index(after: lineBreak)...]) }
        // Whole words, so "Bestellung" holds no "tel".
        let words = window.split { !$0.isLetter }.map(String.init)
        let order = words.contains { word in orderWords.contains(word) || orderWordStarts.contains { word.hasPrefix($0) } }
        guard order else { return false }
        return !words.contains { word in phoneWordStarts.contains { word.hasPrefix($0) } }
    }
}

extension Redactor {
    /// Reads rules from YAML: `rules` (a list of `name`, `pattern`, `placeholder`, optional
    /// `luhn`) added to the built-in ones, or replacing them with `replace_defaults: true`.
    public static func rules(yaml: String, file: String) throws(RedactionRulesError) -> [Rule] {
        let root: Node?
        do { root = try Yams.compose(yaml: yaml) } catch {
            throw RedactionRulesError(message: "\(file): \(error)")
        }
        guard let root, case .mapping = root else { throw RedactionRulesError(message: "\(file): expected a map with 'rules'") }
        var rules = root["replace_defaults"]?.bool == true ? [] : defaultRules
        guard let list = root["rules"], case let .sequence(items) = list else {
            throw RedactionRulesError(message: "\(file): 'rules' must be a list")
        }
        for item in items {
            let line = item.mark.map { ":\($0.line)" } ?? ""
            guard let name = item["name"]?.string, let pattern = item["pattern"]?.string, let placeholder = item["placeholder"]?.string else {
                throw RedactionRulesError(message: "\(file)\(line): a rule needs name, pattern and placeholder")
            }
            do { _ = try CompiledPattern(pattern) } catch {
                throw RedactionRulesError(message: "\(file)\(line): rule '\(name)': PCRE2: \(error.message) at offset \(error.offset)")
            }
            rules.append(Rule(name: name, pattern: pattern, placeholder: placeholder, requiresLuhn: item["luhn"]?.bool ?? false))
        }
        return rules
    }
}

public struct RedactionRulesError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
