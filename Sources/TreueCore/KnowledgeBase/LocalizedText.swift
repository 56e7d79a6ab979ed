/// A text per language (`de`, `en`, …).
public struct LocalizedText: Sendable, Hashable {
    public var byLanguage: [String: String]

    public init(_ byLanguage: [String: String]) { self.byLanguage = byLanguage }

    /// The text in `language`, else in the first of `fallbacks` that has one.
    public func text(in language: String, fallbacks: [String] = []) -> String? {
        if let text = byLanguage[language] ?? byLanguage["*"] { return text }
        for other in fallbacks { if let text = byLanguage[other] { return text } }
        return byLanguage.values.sorted().first
    }
}
