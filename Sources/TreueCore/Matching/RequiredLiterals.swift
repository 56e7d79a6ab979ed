/// Works out, for a PCRE2 pattern, a set of literal strings one of which every match must
/// contain (lower-cased). The matcher indexes these so that a message only runs the
/// patterns that could possibly match it.
///
/// The analysis is conservative: whatever it does not understand counts as "could match
/// anything", which costs speed, never a match.
struct RequiredLiterals {
    /// What a piece of pattern can match: `exact` lists every string it can match when
    /// that list is short; `required` is a set one of which any match contains; `all`
    /// holds every such set found (a match contains one string of each), so a message
    /// can be ruled out before the pattern runs.
    struct Info {
        var exact: Set<String>?
        var required: Set<String>?
        var all: [Set<String>] = []
        /// For a repetition of at least one: the strings one of which every match starts
        /// with, and one of which it ends with (`hal+o` is `ha` `l…l` `o`: `hal` and `lo`).
        var edges: Set<String>?

        static let anything = Info(exact: nil, required: nil)
        static let empty = Info(exact: [""], required: nil)
        static func literal(_ text: String) -> Info { Info(exact: [text], required: [text], all: [[text]]) }
    }

    private struct Bail: Error {}

    static let maxExactStrings = 64
    /// A list of names (brands, companies) stays exact up to this many strings, and keeps
    /// the word boundaries around it: the index then runs such a pattern only for messages
    /// with one of the names, instead of for every message sharing a letter piece.
    static let maxListStrings = 4096
    /// Stands for `\b` inside literals; it matches no text.
    static let wordBoundary = "\u{1}"

    private let scalars: [Unicode.Scalar]
    private var position = 0
    private let vocabulary: (String) -> Info?

    /// - Parameter vocabulary: the analysis of a `(?&name)` call's target.
    static func analyse(_ pattern: String, vocabulary: (String) -> Info? = { _ in nil }) -> Info {
        // (*ACCEPT) ends a match early: nothing after it is required. Rare enough to give up.
        if pattern.containsBytes("(*ACCEPT") { return .anything }
        return withoutActuallyEscaping(vocabulary) { lookup in
            var parser = RequiredLiterals(scalars: Array(pattern.unicodeScalars), vocabulary: lookup)
            guard let info = try? parser.parseAlternation(), parser.position >= parser.scalars.count else {
                return .anything
            }
            return info
        }
    }

    /// Every set a match must take one string from, without those that any text (or the
    /// empty string) satisfies and those another set implies (`l` beside `hal`);
    /// smallest first.
    static func requirements(of info: Info) -> [Set<String>] {
        var sets = info.all
        if let exact = info.exact { sets.append(exact) }
        if let required = info.required { sets.append(required) }
        var seen = Set<Set<String>>()
        sets = sets.filter { !$0.isEmpty && !isEmptyMatchPossible($0) && seen.insert($0).inserted }
        func implies(_ strong: Set<String>, _ weak: Set<String>) -> Bool {
            // Lists are long; comparing two costs the product of their lengths.
            guard strong.count * weak.count <= maxExactStrings * maxExactStrings else { return false }
            return strong.allSatisfy { string in weak.contains { string.contains($0) } }
        }
        // Of two sets that imply each other, the first stays.
        return sets.indices.filter { i in
            !sets.indices.contains { j in j != i && implies(sets[j], sets[i]) && (j < i || !implies(sets[i], sets[j])) }
        }.map { sets[$0] }.sorted { $0.count < $1.count }
    }

    /// The requirement of a whole pattern: nil when any text might match.
    static func requirement(of info: Info) -> Set<String>? {
        let set = info.exact ?? info.required
        guard let set else { return nil }
        // A literal that is nothing but boundaries requires no text.
        if set.contains(where: { $0.unicodeScalars.allSatisfy { $0 == "\u{1}" } }) { return nil }
        return set
    }

    private init(scalars: [Unicode.Scalar], vocabulary: @escaping (String) -> Info?) {
        self.scalars = scalars
        self.vocabulary = vocabulary
    }

    private var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

    private mutating func parseAlternation() throws -> Info {
        var branches = [try parseSequence()]
        while current == "|" {
            position += 1
            branches.append(try parseSequence())
        }
        if branches.count == 1 { return branches[0] }
        // One set per branch only: a branch's other requirements hold for that branch alone.
        var exact: Set<String>? = []
        var required: Set<String>? = []
        for branch in branches {
            if let branchExact = branch.exact, var union = exact {
                union.formUnion(branchExact)
                exact = union.count <= Self.maxListStrings ? union : nil
            } else {
                exact = nil
            }
            if let branchRequired = Self.requirement(of: branch), var union = required {
                union.formUnion(branchRequired)
                required = union
            } else {
                required = nil
            }
        }
        return Info(exact: exact, required: required, all: required.map { [$0] } ?? [])
    }

    private mutating func parseSequence() throws -> Info {
        var run: Set<String>? = [""]
        var best: Set<String>?
        var all: [Set<String>] = []
        var unbroken = true
        while let scalar = current, scalar != "|", scalar != ")" {
            // A run of plain characters is one literal: gathering it first spares building
            // the set again for every character.
            let plain = plainRun()
            var item = plain.isEmpty ? try parseAtom() : .literal(CaselessText.lowercased(plain))
            if plain.isEmpty { item = try applyQuantifier(to: item) }
            if let product = Self.product(run, item.exact) {
                run = product
            } else {
                // A repetition's first copy continues the run, its last copy starts the next.
                let finished = (Self.product(run, item.edges) ?? run).flatMap { Self.isEmptyMatchPossible($0) ? nil : $0 }
                best = Self.better(best, finished)
                best = Self.better(best, Self.requirement(of: item))
                if let finished { all.append(finished) }
                all += item.all
                run = item.exact ?? item.edges
                unbroken = false
            }
        }
        let finished = run.flatMap { Self.isEmptyMatchPossible($0) ? nil : $0 }
        best = Self.better(best, finished)
        if let finished { all.append(finished) }
        return Info(exact: unbroken ? run : nil, required: best, all: all)
    }

    /// Every head followed by every tail; nil when either is unknown or the result too big.
    private static func product(_ heads: Set<String>?, _ tails: Set<String>?) -> Set<String>? {
        guard let heads, let tails else { return nil }
        let count = heads.count * tails.count
        // One side a single string (a boundary, a fixed prefix): the list only grows longer.
        guard count <= maxExactStrings || (min(heads.count, tails.count) == 1 && count <= maxListStrings) else { return nil }
        var product = Set<String>()
        for head in heads { for tail in tails { product.insert(head + tail) } }
        return product
    }

    /// Consumes characters that stand for themselves, up to (not including) one a
    /// quantifier applies to.
    private mutating func plainRun() -> String {
        var text = String.UnicodeScalarView()
        while let scalar = current, Self.isPlain(scalar) {
            if position + 1 < scalars.count, Self.isQuantifier(scalars[position + 1]) { break }
            text.append(scalar)
            position += 1
        }
        return String(text)
    }

    // Switches, not a search of a string literal's scalars: they run for every character
    // of every pattern at load.
    private static func isPlain(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\\", ".", "^", "$", "[", "(", ")", "|", "*", "+", "?", "{": false
        default: true
        }
    }

    private static func isQuantifier(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "?", "*", "+", "{": true
        default: false
        }
    }

    static func isEmptyMatchPossible(_ set: Set<String>) -> Bool {
        set.contains { $0.unicodeScalars.allSatisfy { $0 == "\u{1}" } }
    }

    /// Prefers the set whose weakest string is longest (it indexes more selectively),
    /// then the smaller set.
    static func better(_ a: Set<String>?, _ b: Set<String>?) -> Set<String>? {
        guard let a else { return b }
        guard let b else { return a }
        func score(_ set: Set<String>) -> (Int, Int) {
            (min(4, set.map { $0.utf8.count - $0.utf8.filter { $0 == 1 }.count }.min() ?? 0), -set.count)
        }
        return score(b) > score(a) ? b : a
    }

    private mutating func applyQuantifier(to info: Info) throws -> Info {
        guard let scalar = current else { return info }
        var result: Info
        switch scalar {
        case "?":
            position += 1
            result = Info(exact: info.exact.map { $0.union([""]) }, required: nil)
        case "*":
            position += 1
            result = .anything
        case "+":
            position += 1
            result = Info(exact: nil, required: Self.requirement(of: info), all: info.all, edges: info.exact)
        case "{":
            guard let (minimum, _) = parseBraces() else { return .literal("{") }
            result = minimum == 0 ? .anything : Info(exact: nil, required: Self.requirement(of: info), all: info.all, edges: info.exact)
        default:
            return info
        }
        // Lazy or possessive suffix.
        if current == "?" || current == "+" { position += 1 }
        return result
    }

    /// Parses `{n}`, `{n,}`, `{n,m}` (and `{,m}`); nil when the brace is a literal.
    private mutating func parseBraces() -> (Int, Int?)? {
        var probe = position + 1
        var digits = ""
        var sawComma = false
        var second = ""
        while probe < scalars.count, scalars[probe] != "}" {
            let s = scalars[probe]
            if s == "," { if sawComma { return nil }; sawComma = true }
            else if s == " " {}
            else if s.properties.numericType == .decimal { if sawComma { second.unicodeScalars.append(s) } else { digits.unicodeScalars.append(s) } }
            else { return nil }
            probe += 1
        }
        guard probe < scalars.count, !(digits.isEmpty && second.isEmpty) else { return nil }
        position = probe + 1
        return (Int(digits) ?? 0, sawComma ? Int(second) : Int(digits))
    }

    private mutating func parseAtom() throws -> Info {
        guard let scalar = current else { return .empty }
        switch scalar {
        case "\\": return try parseEscape()
        case ".": position += 1; return .anything
        case "^", "$": position += 1; return .empty
        case "[": try skipClass(); return .anything
        case "(": return try parseGroup()
        case "*", "+", "?":
            // A quantifier with nothing to repeat; PCRE2 will refuse the pattern anyway.
            throw Bail()
        default:
            position += 1
            return .literal(CaselessText.lowercased(String(scalar)))
        }
    }

    private mutating func parseEscape() throws -> Info {
        position += 1
        guard let scalar = current else { throw Bail() }
        position += 1
        switch scalar {
        case "b":
            // Kept as a marker: a literal run between two word boundaries is a whole word,
            // which the index can look up as a word instead of as letter pieces.
            return .literal(RequiredLiterals.wordBoundary)
        case "B", "A", "z", "Z", "G", "K", "E":
            return .empty
        case "d", "D", "w", "W", "s", "S", "h", "H", "v", "V", "R", "N", "X", "C":
            return .anything
        case "p", "P":
            if current == "{" { try skip(past: "}") } else { position += 1 }
            return .anything
        case "g", "k":
            if let open = current, open == "{" || open == "<" || open == "'" {
                let close: Unicode.Scalar = open == "{" ? "}" : open == "<" ? ">" : "'"
                try skip(past: close)
            } else {
                while let c = current, c.properties.numericType == .decimal || c == "-" || c == "+" { position += 1 }
            }
            return .anything
        case "x", "o":
            if current == "{" { try skip(past: "}") } else {
                var count = 0
                while count < 2, let c = current, c.properties.isASCIIHexDigit { position += 1; count += 1 }
            }
            return .anything
        case "c":
            position += 1
            return .anything
        case "Q":
            var literal = ""
            while let c = current {
                if c == "\\", position + 1 < scalars.count, scalars[position + 1] == "E" { position += 2; break }
                literal.unicodeScalars.append(c)
                position += 1
            }
            // A quantifier after \E applies to the last character only: give up precision.
            if let next = current, Self.isQuantifier(next) { return .anything }
            return literal.isEmpty ? .empty : .literal(CaselessText.lowercased(literal))
        default:
            if scalar.properties.numericType == .decimal { return .anything }
            if scalar.properties.isAlphabetic { return .anything }
            return .literal(CaselessText.lowercased(String(scalar)))
        }
    }

    private mutating func skip(past close: Unicode.Scalar) throws {
        while let c = current, c != close { position += 1 }
        guard current == close else { throw Bail() }
        position += 1
    }

    private mutating func skipClass() throws {
        position += 1
        if current == "^" { position += 1 }
        if current == "]" { position += 1 }
        while let c = current {
            if c == "\\" { position += 2; continue }
            if c == "[", position + 1 < scalars.count, scalars[position + 1] == ":" {
                position += 2
                try skip(past: "]")
                continue
            }
            if c == "]" { position += 1; return }
            position += 1
        }
        throw Bail()
    }

    /// Skips a balanced group body up to and including its `)`.
    private mutating func skipGroupBody() throws {
        var depth = 1
        while let c = current {
            if c == "\\" { position += 2; continue }
            if c == "[" { try skipClass(); continue }
            if c == "(" { depth += 1 }
            if c == ")" { depth -= 1; if depth == 0 { position += 1; return } }
            position += 1
        }
        throw Bail()
    }

    private func peek(_ text: String) -> Bool {
        var probe = position
        for s in text.unicodeScalars {
            guard probe < scalars.count, scalars[probe] == s else { return false }
            probe += 1
        }
        return true
    }

    private mutating func parseGroup() throws -> Info {
        position += 1
        if current == "*" {
            // A backtracking verb like (*MARK:x) matches nothing; anything else is unknown.
            var name = ""
            var probe = position + 1
            while probe < scalars.count, scalars[probe] != ")", scalars[probe] != ":" {
                name.unicodeScalars.append(scalars[probe]); probe += 1
            }
            let verbs: Set<String> = ["", "MARK", "PRUNE", "SKIP", "THEN", "COMMIT", "FAIL", "F", "UTF", "UCP"]
            try skipGroupBody()
            return verbs.contains(name) ? .empty : .anything
        }
        guard current == "?" else { return try parseGroupBody() }
        position += 1
        guard let kind = current else { throw Bail() }
        switch kind {
        case "#":
            try skip(past: ")")
            return .empty
        case ":", "|", ">":
            position += 1
            return try parseGroupBody()
        case "=", "!":
            position += 1
            try skipGroupBody()
            return .empty
        case "<":
            if peek("<=") || peek("<!") {
                position += 2
                try skipGroupBody()
                return .empty
            }
            try skip(past: ">")
            return try parseGroupBody()
        case "'":
            position += 1
            try skip(past: "'")
            return try parseGroupBody()
        case "P":
            position += 1
            if current == "<" { try skip(past: ">"); return try parseGroupBody() }
            if current == ">" {
                position += 1
                return try call()
            }
            try skipGroupBody()
            return .anything
        case "&":
            position += 1
            return try call()
        case "(":
            // Conditional; (?(DEFINE)…) only defines and matches nothing.
            let isDefine = peek("(DEFINE)")
            try skipGroupBody()
            return isDefine ? .empty : .anything
        default:
            // Inline flags `(?i)`, `(?-i:…)`, or a numbered call `(?1)`, `(?R)`.
            var flags = ""
            while let c = current, c != ")", c != ":" { flags.unicodeScalars.append(c); position += 1 }
            if flags.contains("x") { throw Bail() }
            if flags.unicodeScalars.contains(where: { $0.properties.numericType == .decimal }) || flags == "R" {
                position += 1
                return .anything
            }
            if current == ":" { position += 1; return try parseGroupBody() }
            position += 1
            return .empty
        }
    }

    private mutating func call() throws -> Info {
        var name = ""
        while let c = current, c != ")" { name.unicodeScalars.append(c); position += 1 }
        guard current == ")" else { throw Bail() }
        position += 1
        return vocabulary(name) ?? .anything
    }

    private mutating func parseGroupBody() throws -> Info {
        let info = try parseAlternation()
        guard current == ")" else { throw Bail() }
        position += 1
        return info
    }
}
