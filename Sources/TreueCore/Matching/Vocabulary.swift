/// The shared named sub-patterns. A pattern that calls `(?&name)` gets a `(?(DEFINE)…)`
/// block with exactly the entries it needs, directly or through other entries.
struct Vocabulary: Sendable {
    struct Entry: Sendable {
        let name: String
        /// Folded source.
        let pattern: String
        let location: SourceLocation
        let calls: [String]
    }

    private(set) var entries: [String: Entry] = [:]
    private(set) var order: [String] = []
    private var literalInfo: [String: RequiredLiterals.Info] = [:]

    init() {}

    /// Adds folded entries; returns the names of entries that cannot be folded.
    init(_ raw: [(name: String, pattern: String, location: SourceLocation)], diagnostics: inout [Diagnostic]) {
        for (name, pattern, location) in raw {
            do {
                let folded = try TextFolder.foldPattern(pattern)
                entries[name] = Entry(name: name, pattern: folded, location: location, calls: Self.calls(in: folded))
                order.append(name)
            } catch {
                diagnostics.append(Diagnostic(.error, "pattern", "vocabulary '\(name)': \(error.message)", at: location))
            }
        }
        for name in order { literalInfo[name] = computeInfo(name, visiting: []) }
    }

    /// The entries `pattern` needs, in a stable order.
    func closure(of pattern: String) -> [String] {
        var needed: [String] = []
        var seen = Set<String>()
        var queue = Self.calls(in: pattern)
        while let name = queue.popLast() {
            guard entries[name] != nil, seen.insert(name).inserted else { continue }
            needed.append(name)
            queue.append(contentsOf: entries[name]!.calls)
        }
        return order.filter { seen.contains($0) }
    }

    /// The pattern with the definitions it calls appended; the block goes last so the
    /// author's own group numbers stay as written.
    func expand(_ pattern: String) -> String {
        let names = closure(of: pattern)
        guard !names.isEmpty else { return pattern }
        var block = "(?(DEFINE)"
        for name in names { block += "(?<\(name)>\(Self.factored(entries[name]!.pattern)))" }
        return pattern + block + ")"
    }

    /// The pattern with every call replaced by the entry it calls, in a group of its own
    /// that captures nothing; nil when there is no call, or when inlining could change
    /// what matches (an entry that calls itself, an option setting, `\Q…\E`).
    ///
    /// PCRE2 studies an inlined pattern as a whole: it knows the letters a match can
    /// start with and skips the rest of the message, where a call at the front makes it
    /// try the subroutine at every position. The shipped base spent half its matching time
    /// in such calls.
    func inlined(_ pattern: String) -> String? {
        guard !Self.calls(in: pattern).isEmpty else { return nil }
        return inline(pattern, visiting: [], budget: 1 << 16)
    }

    private func inline(_ pattern: String, visiting: Set<String>, budget: Int) -> String? {
        guard !Self.mayChangeMeaningInline(pattern) else { return nil }
        var result = ""
        let scalars = Array(pattern.unicodeScalars)
        var index = 0
        var inClass = false
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\\" {
                result.unicodeScalars.append(scalar)
                if index + 1 < scalars.count { result.unicodeScalars.append(scalars[index + 1]) }
                index += 2
                continue
            }
            if inClass {
                if scalar == "]" { inClass = false }
                result.unicodeScalars.append(scalar)
                index += 1
                continue
            }
            if scalar == "[" {
                inClass = true
                result.unicodeScalars.append(scalar)
                index += 1
                // A `]` first in a class (after an optional `^`) is a literal.
                if index < scalars.count, scalars[index] == "^" { result.unicodeScalars.append("^"); index += 1 }
                if index < scalars.count, scalars[index] == "]" { result.unicodeScalars.append("]"); index += 1 }
                continue
            }
            if scalar == "(", index + 2 < scalars.count, scalars[index + 1] == "?",
               scalars[index + 2] == "&" || (scalars[index + 2] == "P" && index + 3 < scalars.count && scalars[index + 3] == ">") {
                var end = index + (scalars[index + 2] == "&" ? 3 : 4)
                var name = ""
                while end < scalars.count, scalars[end] != ")" { name.unicodeScalars.append(scalars[end]); end += 1 }
                // Verbs like (*ACCEPT) end a call, but would end an inlined copy's whole match.
                guard let entry = entries[name], !visiting.contains(name), !entry.pattern.containsBytes("(*"),
                      let body = inline(entry.pattern, visiting: visiting.union([name]), budget: budget) else { return nil }
                result += "(?:" + Self.factored(body) + ")"
                guard result.utf8.count <= budget else { return nil }
                index = end + 1
                continue
            }
            // Only the caller's own groups capture: an entry's groups become plain groups.
            if scalar == "(", !visiting.isEmpty, index + 1 < scalars.count, scalars[index + 1] != "?", scalars[index + 1] != "*" {
                result += "(?:"
                index += 1
                continue
            }
            result.unicodeScalars.append(scalar)
            index += 1
        }
        return result
    }

    /// The entry's alternatives with a common first letter gathered behind it:
    /// `aldi|amazon|bahn` becomes `a(?:ldi|mazon)|bahn`. A long list of names costs PCRE2 one
    /// comparison per name at every position of the message; gathered, one per letter.
    ///
    /// Only neighbours that start with a plain lower-case letter or digit (not quantified)
    /// are gathered, each group in the order its first member had and each member in its
    /// own order. Two such alternatives with different first letters never both match at
    /// one position, so moving them past each other cannot change what matches, which
    /// match is found or what it captures; any other alternative (`\w*zeitung`, a group)
    /// stays where it is and nothing moves across it.
    ///
    /// `gatheringBoundaries`: neighbours that each open with `\b` and such a letter are
    /// gathered the same way behind one `\b`: `\bbei…|\bvon…|\beuer…` becomes
    /// `\b(?:bei…|von…|euer…)`. A guard's list of forty phrases, searched for, tested the word
    /// boundary forty times at every position. Done for guard searches only: in the
    /// vocabulary's entries it made the short server message dearer.
    static func factored(_ pattern: String, gatheringBoundaries: Bool = false) -> String {
        guard !pattern.containsBytes("\\Q"), !pattern.containsBytes("(?#") else { return pattern }
        let alternatives = topLevelAlternatives(pattern)
        guard alternatives.count >= minimumFactoredAlternatives else { return pattern }
        var result: [String] = []
        var run: [(first: Unicode.Scalar, rest: Substring.UnicodeScalarView)] = []
        var runAfterBoundary = false
        func flush() {
            guard !run.isEmpty else { return }
            var order: [Unicode.Scalar] = []
            var groups: [Unicode.Scalar: [String]] = [:]
            for (first, rest) in run {
                if groups[first] == nil { order.append(first) }
                groups[first, default: []].append(String(Substring(rest)))
            }
            let gathered = order.map { first in
                let members = groups[first]!
                return String(first) + (members.count == 1 ? members[0] : "(?:" + members.joined(separator: "|") + ")")
            }
            if runAfterBoundary { result.append("\\b(?:" + gathered.joined(separator: "|") + ")") } else { result += gathered }
            run.removeAll()
        }
        for alternative in alternatives {
            var scalars = alternative.unicodeScalars[...]
            let afterBoundary = gatheringBoundaries && scalars.starts(with: "\\b".unicodeScalars)
            if afterBoundary { scalars = scalars.dropFirst(2) }
            if let first = scalars.first, (0x61...0x7A).contains(first.value) || (0x30...0x39).contains(first.value),
               !"?*+{".unicodeScalars.contains(scalars.dropFirst().first ?? " ") {
                if afterBoundary != runAfterBoundary {
                    flush()
                    runAfterBoundary = afterBoundary
                }
                run.append((first, scalars.dropFirst()))
            } else {
                flush()
                result.append(String(alternative))
            }
        }
        flush()
        return result.joined(separator: "|")
    }

    static let minimumFactoredAlternatives = 6

    /// The pattern split at every `|` outside groups and classes.
    static func topLevelAlternatives(_ pattern: String) -> [Substring] {
        var alternatives: [Substring] = []
        var depth = 0
        var inClass = false
        var start = pattern.unicodeScalars.startIndex
        var index = start
        let scalars = pattern.unicodeScalars
        while index < scalars.endIndex {
            let scalar = scalars[index]
            if scalar == "\\" {
                index = scalars.index(after: index)
                if index < scalars.endIndex { index = scalars.index(after: index) }
                continue
            }
            if inClass {
                if scalar == "]" { inClass = false }
            } else if scalar == "[" {
                inClass = true
                // `[]…]` and `[^]…]`: a `]` first in a class is a literal.
                var next = scalars.index(after: index)
                if next < scalars.endIndex, scalars[next] == "^" { next = scalars.index(after: next) }
                if next < scalars.endIndex, scalars[next] == "]" { index = next }
            } else if scalar == "(" {
                depth += 1
            } else if scalar == ")" {
                depth -= 1
            } else if scalar == "|", depth == 0 {
                alternatives.append(Substring(scalars[start..<index]))
                start = scalars.index(after: index)
            }
            index = scalars.index(after: index)
        }
        alternatives.append(Substring(scalars[start..<scalars.endIndex]))
        return alternatives
    }

    /// Option settings (`(?i)`, `(?-i:`), recursion (`(?R)`, `(?1)`), back references and
    /// quoting, which a call isolates and an inlined copy would not.
    private static func mayChangeMeaningInline(_ pattern: String) -> Bool {
        let scalars = Array(pattern.unicodeScalars)
        // Back references by number: an entry's groups stop capturing in place.
        for index in scalars.indices.dropLast() where scalars[index] == "\\" && scalars[index + 1].properties.numericType != nil {
            if index == 0 || scalars[index - 1] != "\\" { return true }
        }
        for index in scalars.indices where scalars[index] == "(" && index + 2 < scalars.count && scalars[index + 1] == "?" {
            if index > 0, scalars[index - 1] == "\\" { continue }
            var next = index + 2
            while next < scalars.count, scalars[next].properties.isAlphabetic || scalars[next] == "-" || scalars[next] == "^" { next += 1 }
            if next > index + 2, next < scalars.count, scalars[next] == ")" || scalars[next] == ":" { return true }
            if scalars[index + 2].properties.numericType != nil || scalars[index + 2] == "+" || scalars[index + 2] == "-" { return true }
        }
        return pattern.containsBytes("\\Q") || pattern.containsBytes("\\g") || pattern.containsBytes("\\k") || pattern.containsBytes("(?|")
    }

    func unknownCalls(in pattern: String) -> [String] {
        Self.calls(in: pattern).filter { entries[$0] == nil }
    }

    var names: Set<String> { Set(order) }

    func info(_ name: String) -> RequiredLiterals.Info? { literalInfo[name] }

    private func computeInfo(_ name: String, visiting: Set<String>) -> RequiredLiterals.Info {
        guard let entry = entries[name], !visiting.contains(name) else { return .anything }
        return RequiredLiterals.analyse(entry.pattern) { called in
            computeInfo(called, visiting: visiting.union([name]))
        }
    }

    /// Names called with `(?&name)` or `(?P>name)`.
    static func calls(in pattern: String) -> [String] {
        var names: [String] = []
        let scalars = Array(pattern.unicodeScalars)
        var index = 0
        while index < scalars.count {
            if scalars[index] == "\\" { index += 2; continue }
            if scalars[index] == "(", index + 2 < scalars.count, scalars[index + 1] == "?" {
                var start = -1
                if scalars[index + 2] == "&" { start = index + 3 }
                if scalars[index + 2] == "P", index + 3 < scalars.count, scalars[index + 3] == ">" { start = index + 4 }
                if start >= 0 {
                    var end = start
                    var name = ""
                    while end < scalars.count, scalars[end] != ")" { name.unicodeScalars.append(scalars[end]); end += 1 }
                    names.append(name)
                    index = end
                    continue
                }
            }
            index += 1
        }
        return names
    }
}
