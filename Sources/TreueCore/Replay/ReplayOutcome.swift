/// What one knowledge base did with one customer message, reduced to what a replay
/// compares: the intent answered, the intents a clarifying question offered, or no answer.
public enum ReplayOutcome: Hashable, Sendable {
    /// An intent answered (by a pattern or by the examples).
    case intent(String)
    /// A clarifying question between these intents, best first.
    case clarify([String])
    /// The fallback: nothing was close enough.
    case fallback
    /// The out-of-scope layer recognised other business; the customer got its fallback-like answer.
    case outOfScope

    /// The outcome of an interpretation; `ids` are the knowledge base's intent ids by index.
    public init(_ interpretation: Interpretation, ids: [String]) {
        switch interpretation.decision {
        case .pattern, .examples:
            self = interpretation.intentIndex.map { .intent(ids[$0]) } ?? .fallback
        case .clarify:
            self = .clarify(interpretation.options.map { ids[$0] })
        case .outOfScope:
            self = .outOfScope
        case .none:
            self = .fallback
        }
    }

    /// The intents the customer can reach from this outcome in one step: the one answered,
    /// the ones a clarifying question offers, none for a fallback.
    public var reachable: [String] {
        switch self {
        case let .intent(id): [id]
        case let .clarify(ids): ids
        case .fallback, .outOfScope: []
        }
    }

    /// How reports name it: the intent id, `?a|b` for a clarifying question (as `treue check
    /// --eval` writes it), `(fallback)`, `(out of scope)`. Intent ids never hold `(` or `?`.
    public var label: String {
        switch self {
        case let .intent(id): id
        case let .clarify(ids): "?" + ids.joined(separator: "|")
        case .fallback: "(fallback)"
        case .outOfScope: "(out of scope)"
        }
    }

    /// How the change from `before` to `after` counts. Both answered-or-asked outcomes are
    /// compared by the intents they reach: none in common is a switch; some in common (a
    /// clarifying question added, dropped or changed while the earlier intent is still
    /// offered) is a reworded question. Fallback and out of scope are both no answer.
    public static func change(from before: ReplayOutcome, to after: ReplayOutcome) -> ReplayChangeKind? {
        let was = before.reachable, now = after.reachable
        if was == now || (was.count > 1 && Set(was) == Set(now)) { return nil }
        if was.isEmpty { return .newlyAnswered }
        if now.isEmpty { return .lost }
        if !was.contains(where: now.contains) { return .switched }
        return .questionChanged
    }
}
