/// Limits on what an edit may change before it goes live: at most `maxLost` messages that
/// were answered and now fall back, at most `maxSwitched` that now get a different intent.
/// `treue replay --max-lost/--max-switched` exits with `exitCode` when a limit is exceeded;
/// `treue serve --reload-gate` keeps the knowledge base in service instead.
public struct ReplayGate: Sendable, Equatable {
    /// The exit status of `treue replay` when the gate is exceeded: not 1 (the replay could
    /// not run) and not 64 (bad arguments), so CI can tell a refused edit from a broken job.
    public static let exitCode: Int32 = 3

    public var maxLost: Int?
    public var maxSwitched: Int?

    public init(maxLost: Int? = nil, maxSwitched: Int? = nil) {
        self.maxLost = maxLost
        self.maxSwitched = maxSwitched
    }

    /// Whether any limit is set.
    public var isActive: Bool { maxLost != nil || maxSwitched != nil }

    /// One limit that was exceeded.
    public struct Violation: Sendable, Codable, Equatable, CustomStringConvertible {
        /// `lost` or `switched`.
        public var measure: String
        public var count: Int
        public var limit: Int

        public var description: String { "\(count) \(measure) > \(limit) allowed" }
    }

    public struct Verdict: Sendable, Codable, Equatable, CustomStringConvertible {
        public var maxLost: Int?
        public var maxSwitched: Int?
        public var violations: [Violation]

        public var passed: Bool { violations.isEmpty }

        public var description: String {
            if passed {
                let limits = [maxLost.map { "lost ≤ \($0)" }, maxSwitched.map { "switched ≤ \($0)" }].compactMap { $0 }
                return "passed (\(limits.joined(separator: ", ")))"
            }
            return "exceeded: " + violations.map(\.description).joined(separator: ", ")
        }
    }

    public func verdict(for report: ReplayReport) -> Verdict {
        var violations: [Violation] = []
        if let maxLost, report.lost.count > maxLost {
            violations.append(Violation(measure: "lost", count: report.lost.count, limit: maxLost))
        }
        if let maxSwitched, report.switched.count > maxSwitched {
            violations.append(Violation(measure: "switched", count: report.switched.count, limit: maxSwitched))
        }
        return Verdict(maxLost: maxLost, maxSwitched: maxSwitched, violations: violations)
    }
}
