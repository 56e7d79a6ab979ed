import PCRE2Swift
import Yams

/// Replaces personal data in free text with placeholders before it is written anywhere:
/// e-mail addresses, phone numbers, IBANs and card numbers (Luhn-checked, so an order
/// number is never mistaken for one). Rules are PCRE2 patterns and can be replaced.
public final class Redactor: Sendable {
    public struct Rule: Sendable {
        public let name: String
        public let pattern: String
        public let placeholder: String
        /// Card numbers are only redacted when their digits pass the Luhn check.
        public let requiresLuhn: Bool

        public init(name: String, pattern: String, placeholder: String, requiresLuhn: Bool = false) {
            self.name = name
            self.pattern = pattern
            self.placeholder = placeholder
            self.requiresLuhn = requiresLuhn
        }
    }

    /// The built-in rules. Order matters: an IBAN holds digit runs a phone rule would take.
    public static let defaultRules: [Rule] = [
        Rule(name: "email", pattern: #"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}"#, placeholder: "[email]"),
        Rule(name: "iban", pattern: #"\b[a-z]{2}\d{2}(?:[ ]?[a-z0-9]){11,30}\b"#, placeholder: "[iban]"),
        Rule(name: "card", pattern: #"\b[0-9](?:[ -]?[0-9]){12,18}\b"#, placeholder: "[card]", requiresLuhn: true),
        // International prefix, or a leading 0 with a separator or mobile prefix: order
        // numbers (6–10 digits without either) are left alone.
        Rule(name: "phone", pattern: #"(?:(?:\+|\b00)\d{1,3}[ /-]?(?:\(0\)[ ]?)?\d(?:[ /-]?\d){5,12}|\b0\d{2,5}[ /-]\d(?:[ -]?\d){3,10}|\b01[5-7]\d{7,9})\b"#,
             placeholder: "[phone]"),
    ]

    private let rules: [(Rule, CompiledPattern)]

    public init(rules: [Rule] = Redactor.defaultRules) throws(PCRE2CompileError) {
        var compiled: [(Rule, CompiledPattern)] = []
        for rule in rules { compiled.append((rule, try CompiledPattern(rule.pattern))) }
        self.rules = compiled
    }

    public func makeScratch() -> MatchScratch { MatchScratch(maxCaptureGroups: 4) }

    public func redact(_ text: String, scratch: MatchScratch) -> String {
        // Nearly every message has no digit and no @: skip the patterns for those.
        guard text.utf8.contains(where: { ($0 >= 48 && $0 <= 57) || $0 == 64 }) else { return text }
        // A placeholder can put a word boundary where there was none and so expose a number
        // another rule now matches: repeat until nothing changes (each change removes
        // digits or an @, so this ends quickly; the bound only guards custom rules).
        var result = text
        for _ in 0..<16 {
            var pass = result
            for (rule, pattern) in rules {
                pass = replaceAll(in: pass, rule: rule, pattern: pattern, scratch: scratch)
            }
            if pass == result { break }
            result = pass
        }
        return result
    }

    private func replaceAll(in text: String, rule: Rule, pattern: CompiledPattern, scratch: MatchScratch) -> String {
        // Most texts have no match for a rule: copy the bytes only once one is found.
        var bytes: [UInt8] = []
        var output: [UInt8] = []
        var copied = 0
        var offset = 0
        let count = text.utf8.count
        while offset <= count, case let .match(found) = pattern.firstMatch(in: text, from: offset, scratch: scratch) {
            if bytes.isEmpty { bytes = Array(text.utf8) }
            var range = found.range
            if rule.requiresLuhn {
                // The match is the longest run; a card may be a shorter part of it
                // ("4111 1111 1111 1111 22"), so every part between separators counts.
                guard let card = Self.luhnValidPart(of: range, in: bytes) else {
                    offset = range.upperBound
                    continue
                }
                range = card
            }
            output.append(contentsOf: bytes[copied..<range.lowerBound])
            output.append(contentsOf: rule.placeholder.utf8)
            copied = range.upperBound
            offset = max(range.upperBound, range.lowerBound + 1)
        }
        guard copied > 0 else { return text }
        output.append(contentsOf: bytes[copied...])
        return String(decoding: output, as: UTF8.self)
    }

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
