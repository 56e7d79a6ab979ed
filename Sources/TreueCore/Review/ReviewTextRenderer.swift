import Foundation

/// The review as plain text for a terminal: one section per figure, tables aligned.
public struct ReviewTextRenderer: Sendable {
    /// Rows per ranked table (unmatched messages, intents).
    public var rows: Int

    public init(rows: Int = 20) {
        self.rows = rows
    }

    public func render(_ report: ReviewReport) -> String {
        var out: [String] = []
        out.append("Transcript review")
        let period = [report.firstTimestamp, report.lastTimestamp].compactMap { $0 }
        out.append(period.isEmpty ? "no records" : "period \(period.first ?? "") … \(period.last ?? "") (UTC)")
        let input = report.input
        out.append("\(input.files) file(s), \(Self.bytes(input.bytes)), \(input.records) record(s); skipped: \(input.malformed) malformed line(s), \(input.torn) torn last line(s), \(input.outOfRange) out of range")

        section("Overview", into: &out)
        out += table([
            ["Sessions", "\(report.sessions)"],
            ["Customer messages", "\(report.messages)"],
            ["Bot replies", "\(report.replies)"],
            ["Match rate", "\(Self.percent(report.matchRate)) (\(report.matchedMessages) of \(report.answeredMessages) answered messages)"],
            ["Fallbacks", "\(report.fallbacks)"],
            ["Handoffs", "\(report.handoffs) in \(report.sessionsWithHandoff) session(s)"],
            ["Handoff rate", Self.percent(report.handoffRate)],
            ["Containment rate", "\(Self.percent(report.containmentRate)) (sessions without handoff)"],
            ["Mean satisfaction", "\(Self.mean(report.satisfaction.overall.mean)) (\(report.satisfaction.overall.count) score(s))"],
            ["Commands", "\(report.commands)"],
        ])

        section("Unmatched messages (\(report.unmatchedMessages) total, \(report.unmatchedDistinct) distinct)", into: &out)
        if report.unmatched.isEmpty { out.append("  none") }
        out += table([["Count", "Normalized", "Example"]] + report.unmatched.prefix(rows).map {
            ["\($0.count)", Self.clip($0.normalized, 50), Self.clip($0.example, 50)]
        }, numeric: [0])

        if let gaps = report.gaps { out += gapLines(gaps) }

        section("Intents by phase", into: &out)
        if report.intentsByPhase.isEmpty { out.append("  none") }
        for phase in report.intentsByPhase {
            out.append("  \(phase.phase): \(phase.matched) matched, \(phase.fallbacks) fallback(s)")
            out += table(phase.intents.prefix(rows).map { ["    \($0.name)", "\($0.count)"] }, numeric: [1])
        }

        section("Satisfaction", into: &out)
        let overall = report.satisfaction.overall
        out.append("  distribution: " + (1...5).map { "\($0): \(overall.distribution[$0 - 1])" }.joined(separator: "  "))
        for (title, groups) in [("phase", report.satisfaction.byPhase), ("intent", report.satisfaction.byIntent),
                                ("tier", report.satisfaction.byTier), ("segment", report.satisfaction.bySegment)] where !groups.isEmpty {
            out.append("  by \(title):")
            out += table(groups.prefix(rows).map { ["    \($0.name)", Self.mean($0.scores.mean), "n=\($0.scores.count)"] }, numeric: [1])
        }

        section("Helpfulness by intent", into: &out)
        if report.helpfulness.isEmpty { out.append("  none") }
        out += table(report.helpfulness.prefix(rows).map {
            ["  \($0.intent)", "up \($0.up)", "down \($0.down)", Self.percent($0.up + $0.down == 0 ? nil : Double($0.up) / Double($0.up + $0.down)) + " helpful"]
        })

        section("Answer variants", into: &out)
        if report.answerVariants.isEmpty { out.append("  none (no intent showed more than one variant)") }
        for intent in report.answerVariants.prefix(rows) {
            out.append("  \(intent.intent):")
            out += table(intent.variants.map {
                ["    \($0.variant)", "shown \($0.shown)", "up \($0.up)", "down \($0.down)",
                 Self.percent($0.up + $0.down == 0 ? nil : Double($0.up) / Double($0.up + $0.down)) + " helpful",
                 "score \(Self.mean($0.satisfaction.mean))", "n=\($0.satisfaction.count)"]
            })
        }

        section("Handoff reasons", into: &out)
        if report.handoffReasons.isEmpty { out.append("  none") }
        out += table(report.handoffReasons.map { ["  \($0.name)", "\($0.count)"] }, numeric: [1])

        section("Service agents", into: &out)
        let agents = report.agents
        func seconds(_ value: Int?) -> String { value.map { "\($0) s" } ?? "–" }
        out += table([
            ["  Queued for an agent", "\(agents.queued)"],
            ["  Waiting p50 / p90", "\(seconds(agents.waitP50)) / \(seconds(agents.waitP90))"],
            ["  Left while waiting", "\(agents.leftWhileWaiting)"],
            ["  First agent reply p50 / p90", "\(seconds(agents.firstReplyP50)) / \(seconds(agents.firstReplyP90))"],
            ["  Callback contacts left", "\(agents.callbacksLeft)"],
            ["  Satisfaction after an agent", "\(Self.mean(agents.satisfactionAfterAgent.mean)) (n=\(agents.satisfactionAfterAgent.count))"],
            ["  Satisfaction, bot alone", "\(Self.mean(agents.satisfactionBotOnly.mean)) (n=\(agents.satisfactionBotOnly.count))"],
        ])
        if !agents.conversationsPerAgent.isEmpty {
            out.append("  conversations per agent:")
            out += table(agents.conversationsPerAgent.map { ["    \($0.name)", "\($0.count)"] }, numeric: [1])
        }

        section("Phase movements", into: &out)
        if report.phaseMovements.isEmpty { out.append("  none") }
        out += table(report.phaseMovements.map { ["  \($0.from) → \($0.to)", "\($0.count)"] }, numeric: [1])

        section("Volume per day", into: &out)
        if report.days.isEmpty { out.append("  none") }
        out += table([["  Day", "Sessions", "Messages"]] + report.days.map { ["  \($0.day)", "\($0.sessions)", "\($0.messages)"] }, numeric: [1, 2])

        section("Busiest hours (UTC, customer messages)", into: &out)
        let peak = max(report.messagesByHour.max() ?? 0, 1)
        for (hour, count) in report.messagesByHour.enumerated() {
            let bar = String(repeating: "#", count: (count * 40 + peak - 1) / peak)
            out.append(String(format: "  %02d:00 %8d ", hour, count) + bar)
        }

        section("Order lookups", into: &out)
        if report.orderLookups.isEmpty { out.append("  none") }
        out += table(report.orderLookups.map { lookup in
            ["  \(lookup.outcome)", "\(lookup.count)",
             lookup.latency.map { "p50 \($0.p50) ms, p95 \($0.p95) ms, max \($0.max) ms" } ?? "no latency (no source asked)"]
        }, numeric: [1])

        section("Proactive welcome rules", into: &out)
        if report.proactiveRules.isEmpty { out.append("  none") }
        out += table(report.proactiveRules.isEmpty ? [] : [["  Rule", "Shown", "Acted on", "Rate", "Satisfaction after"]] + report.proactiveRules.map {
            ["  \($0.rule)", "\($0.shown)", "\($0.actedOn)", Self.percent($0.actedRate), "\(Self.mean($0.satisfaction.mean)) (n=\($0.satisfaction.count))"]
        }, numeric: [1, 2])

        if let repurchase = report.repurchase {
            section("Repurchase after a chat (orders up to \(repurchase.lastOrderDay ?? "n/a"); a comparison, not a cause)", into: &out)
            out.append("  a new order on a later day within 30 / 90 days of the first chat; eligible: the window ends by the export's last order")
            var rows = [["  Group", "Customers", "30 days", "90 days"]]
            func row(_ group: RepurchaseReport.Group, _ prefix: String = "") -> [String] {
                ["  " + prefix + group.name, "\(group.customers)"] + group.rates.map {
                    "\(Self.percent($0.rate)) (\($0.repurchased)/\($0.eligible))"
                }
            }
            rows.append(row(repurchase.chatted))
            rows.append(row(repurchase.notChatted))
            rows += repurchase.byOutcome.map { row($0, "outcome ") }
            rows += repurchase.bySatisfaction.map { row($0, "satisfaction ") }
            rows += repurchase.byIntent.prefix(self.rows).map { row($0, "intent ") }
            out += table(rows, numeric: [1])
            if let reference = repurchase.referenceDay { out.append("  customers who did not chat are counted from \(reference), the median first-chat day") }
        }

        if !report.errors.isEmpty {
            section("Errors", into: &out)
            out += table(report.errors.map { ["  \($0.name)", "\($0.count)"] }, numeric: [1])
        }
        // Messages, intent names, tiers and segments come from transcripts and the CRM:
        // nothing in them may act on the terminal.
        return out.map { TerminalText.visible($0) }.joined(separator: "\n") + "\n"
    }

    /// "What to add next": the gaps grouped by meaning, largest first, then the rising ones.
    func gapLines(_ gaps: GapReport) -> [String] {
        var out: [String] = []
        section("What to add next: gaps grouped by meaning (\(gaps.messages) message(s): \(gaps.fallback) fallback, \(gaps.clarify) clarified, \(gaps.thumbsDown) thumbs-down; \(gaps.clusterCount) cluster(s))", into: &out)
        if gaps.clusters.isEmpty { out.append("  none") }
        out += table([["  #", "Msgs", "Last \(gaps.recentDays)d", "Trend", "Nearest intent", "Shared words", "Example"]] + gaps.clusters.prefix(rows).map {
            ["  \($0.rank)", "\($0.messages)", "\($0.recent)", $0.trendText, Self.clip($0.nearestText, 48), Self.clip($0.words.joined(separator: " "), 30),
             Self.clip($0.examples.first ?? "", 50)]
        }, numeric: [0, 1, 2])
        let rising = gaps.clusters.filter { $0.risingRank != nil }.sorted { ($0.risingRank ?? 0) < ($1.risingRank ?? 0) }
        if !rising.isEmpty {
            out.append("  rising (messages per day in the last \(gaps.recentDays) days against the days before): "
                       + rising.prefix(5).map { "#\($0.rank) \($0.trendText)" }.joined(separator: ", "))
        }
        out.append("  not grouped: \(gaps.outOfScope) out of scope (other business), \(gaps.contentless) without content words, "
                   + "\(gaps.dropped) beyond the cap of \(gaps.capacity) distinct texts")
        return out
    }

    private func section(_ title: String, into out: inout [String]) { TextTable.section(title, into: &out) }

    private func table(_ rows: [[String]], numeric: Set<Int> = []) -> [String] { TextTable.rows(rows, numeric: numeric) }

    static func percent(_ value: Double?) -> String {
        guard let value else { return "n/a" }
        return String(format: "%.1f %%", value * 100)
    }

    static func mean(_ value: Double?) -> String {
        guard let value else { return "n/a" }
        return String(format: "%.2f", value)
    }

    static func bytes(_ count: Int) -> String {
        if count >= 1 << 20 { return String(format: "%.1f MB", Double(count) / 1_048_576) }
        if count >= 1 << 10 { return String(format: "%.1f KB", Double(count) / 1024) }
        return "\(count) bytes"
    }

    /// At most `length` characters, line breaks shown as spaces.
    static func clip(_ text: String, _ length: Int) -> String {
        let flat = TerminalText.visible(text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " "))
        return flat.count <= length ? flat : String(flat.prefix(length - 1)) + "…"
    }
}
