/// One successful match: byte ranges in the subject's UTF-8 for the whole match and for
/// each capture group (nil when the group did not take part).
public struct PatternMatch: Sendable, Equatable {
    public let range: Range<Int>
    /// Index 0 is group 1.
    public let groups: [Range<Int>?]
    /// Name of the last `(*MARK:NAME)` passed on the matching path, if any.
    public let mark: String?

    /// The same match reported from `lowerBound` on (a search whose leading `.*?` was
    /// taken off reports where the whole pattern's match began).
    public func starting(at lowerBound: Int) -> PatternMatch {
        PatternMatch(range: lowerBound..<range.upperBound, groups: groups, mark: mark)
    }
}

/// What a match attempt found. Hitting a limit is not an error of the caller's: it is a
/// pattern that would have taken too long, reported so it can be logged and fixed.
public enum MatchOutcome: Sendable, Equatable {
    case match(PatternMatch)
    case noMatch
    case limitExceeded
    case invalidSubject
    case failed(code: Int32, message: String)
}
