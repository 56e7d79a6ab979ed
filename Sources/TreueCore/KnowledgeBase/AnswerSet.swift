/// Answers keyed by phase (with `default`), then by language, each with variants.
public struct AnswerSet: Sendable, Hashable {
    public static let defaultKey = "default"
    public var variants: [String: [String: [String]]]

    public init(_ variants: [String: [String: [String]]] = [:]) { self.variants = variants }

    /// The variants for a phase and language; the phase's own answers win over `default`.
    public func variants(phase: String, language: String) -> [String] {
        if let own = variants[phase]?[language], !own.isEmpty { return own }
        return variants[Self.defaultKey]?[language] ?? []
    }

    public var isEmpty: Bool { variants.isEmpty }
}
