import Yams

/// Reads typed values out of a Yams node tree, turning every mismatch into a diagnostic
/// at the node's position.
struct YAMLReader {
    let file: String

    func location(_ node: Node) -> SourceLocation {
        let mark = node.mark
        return SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    private func kind(_ node: Node) -> String {
        switch node {
        case .scalar: "a text"
        case .mapping: "a map"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    func mapping(_ node: Node, what: String, into diagnostics: inout [Diagnostic]) -> Node.Mapping? {
        if case let .mapping(mapping) = node { return mapping }
        diagnostics.append(Diagnostic(.error, "schema", "\(what) must be a map, not \(kind(node))", at: location(node)))
        return nil
    }

    func sequence(_ node: Node, what: String, into diagnostics: inout [Diagnostic]) -> [Node]? {
        if case let .sequence(sequence) = node { return Array(sequence) }
        diagnostics.append(Diagnostic(.error, "schema", "\(what) must be a list, not \(kind(node))", at: location(node)))
        return nil
    }

    func scalar(_ node: Node, what: String, into diagnostics: inout [Diagnostic]) -> String? {
        if case let .scalar(scalar) = node { return scalar.string }
        diagnostics.append(Diagnostic(.error, "schema", "\(what) must be a text, not \(kind(node))", at: location(node)))
        return nil
    }

    func stringList(_ node: Node, what: String, into diagnostics: inout [Diagnostic]) -> [String]? {
        guard let items = sequence(node, what: what, into: &diagnostics) else { return nil }
        return items.compactMap { scalar($0, what: "an entry of \(what)", into: &diagnostics) }
    }

    /// One text or a list of texts.
    func stringOrList(_ node: Node, what: String, into diagnostics: inout [Diagnostic]) -> [String]? {
        if case let .scalar(scalar) = node { return [scalar.string] }
        return stringList(node, what: what, into: &diagnostics)
    }

    /// A text for every language, or one text used for all.
    func localized(_ node: Node, what: String, into diagnostics: inout [Diagnostic]) -> LocalizedText? {
        if case let .scalar(scalar) = node { return LocalizedText(["*": scalar.string]) }
        guard let map = mapping(node, what: what, into: &diagnostics) else { return nil }
        var texts: [String: String] = [:]
        for (key, value) in map {
            guard let language = key.string else { continue }
            if let text = scalar(value, what: "\(what) in '\(language)'", into: &diagnostics) { texts[language] = text }
        }
        return LocalizedText(texts)
    }

    /// `{de: [...], en: [...]}` into (language, nodes) pairs in the order written.
    func perLanguageNodes(_ node: Node, what: String, into diagnostics: inout [Diagnostic]) -> [(String, [Node])] {
        guard let map = mapping(node, what: what, into: &diagnostics) else { return [] }
        var result: [(String, [Node])] = []
        for (key, value) in map {
            guard let language = key.string else { continue }
            if case let .scalar(scalar) = value, scalar.string.isEmpty { continue }
            if case .scalar = value { result.append((language, [value])); continue }
            if let list = sequence(value, what: "\(what) in '\(language)'", into: &diagnostics) { result.append((language, list)) }
        }
        return result
    }
}
