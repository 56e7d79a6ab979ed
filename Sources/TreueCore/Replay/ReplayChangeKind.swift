/// The kinds of change a replay counts (see `ReplayOutcome.change(from:to:)` and docs/replay.md).
public enum ReplayChangeKind: Int, CaseIterable, Sendable, Codable {
    /// No answer before (fallback or out of scope), an intent or a clarifying question now.
    case newlyAnswered
    /// Answered or asked before, no answer now.
    case lost
    /// Answered or asked before, and now something with none of the same intents.
    case switched
    /// A clarifying question added, dropped or changed, the earlier intent still among the offered.
    case questionChanged

    public var name: String {
        switch self {
        case .newlyAnswered: "newly_answered"
        case .lost: "lost"
        case .switched: "switched"
        case .questionChanged: "question_changed"
        }
    }
}
