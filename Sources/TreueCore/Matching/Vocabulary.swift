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
        for name in names { block += "(?<\(name)>\(entries[name]!.pattern))" }
        return pattern + block + ")"
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
