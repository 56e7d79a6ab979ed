import Foundation

/// The review as one self-contained HTML page: inline CSS, inline SVG bar charts, no
/// scripts, fonts or other external resources, so it opens offline and can be mailed.
/// Every piece of text from the transcripts is escaped.
public struct ReviewHTMLRenderer: Sendable {
    /// Rows per ranked table.
    public var rows: Int
    public var title: String

    public init(rows: Int = 50, title: String = "Treue transcript review") {
        self.rows = rows
        self.title = title
    }

    public func render(_ report: ReviewReport) -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(Self.escape(title))</title>
            <style>\(Self.css)</style>
            </head>
            <body>
            <header><h1>\(Self.escape(title))</h1>
            <p class="meta">\(Self.escape(period(report)))</p></header>
            <main>

            """
        html += overview(report)
        html += section("Busiest hours", id: "hours", note: "Customer messages per hour of day (UTC).",
                        Self.columnChart(report.messagesByHour.enumerated().map { (String(format: "%02d", $0.offset), $0.element) },
                                         label: "Customer messages per UTC hour"))
        html += section("Volume per day", id: "days", note: "Sessions opened and customer messages per day (UTC).",
                        Self.columnChart(report.days.map { ($0.day, $0.messages) }, label: "Customer messages per day")
                        + Self.table(["Day", "Sessions", "Messages"], report.days.map { [$0.day, "\($0.sessions)", "\($0.messages)"] }, numeric: [1, 2]))
        if let gaps = report.gaps { html += gapSection(gaps) }
        html += unmatched(report)
        html += intents(report)
        html += satisfaction(report)
        html += section("Helpfulness by intent", id: "helpfulness", note: "/rate up and /rate down after an answer.",
                        Self.table(["Intent", "Up", "Down", "Helpful"], report.helpfulness.prefix(rows).map {
                            [$0.intent, "\($0.up)", "\($0.down)", ReviewTextRenderer.percent($0.up + $0.down == 0 ? nil : Double($0.up) / Double($0.up + $0.down))]
                        }, numeric: [1, 2, 3]))
        html += section("Answer variants", id: "variants",
                        note: "Intents that showed more than one answer variant: which variant was rated up or down right after it, and the session scores of sessions that saw it.",
                        Self.table(["Intent", "Variant", "Shown", "Up", "Down", "Helpful", "Score", "Scores"],
                                   report.answerVariants.prefix(rows).flatMap { intent in
                                       intent.variants.map {
                                           [intent.intent, $0.variant, "\($0.shown)", "\($0.up)", "\($0.down)",
                                            ReviewTextRenderer.percent($0.up + $0.down == 0 ? nil : Double($0.up) / Double($0.up + $0.down)),
                                            ReviewTextRenderer.mean($0.satisfaction.mean), "\($0.satisfaction.count)"]
                                       }
                                   }, numeric: [2, 3, 4, 5, 6, 7]))
        html += section("Handoffs", id: "handoffs",
                        note: "\(report.handoffs) handoff(s) in \(report.sessionsWithHandoff) session(s); handoff rate \(ReviewTextRenderer.percent(report.handoffRate)), containment rate \(ReviewTextRenderer.percent(report.containmentRate)).",
                        Self.table(["Reason", "Handoffs"], report.handoffReasons.map { [$0.name, "\($0.count)"] }, numeric: [1]))
        let agents = report.agents
        func seconds(_ value: Int?) -> String { value.map { "\($0) s" } ?? "–" }
        html += section("Service agents", id: "agents",
                        note: "Queued \(agents.queued); waiting p50 \(seconds(agents.waitP50)), p90 \(seconds(agents.waitP90)); left while waiting \(agents.leftWhileWaiting); first agent reply p50 \(seconds(agents.firstReplyP50)), p90 \(seconds(agents.firstReplyP90)); callback contacts \(agents.callbacksLeft); satisfaction after an agent \(ReviewTextRenderer.mean(agents.satisfactionAfterAgent.mean)) (n=\(agents.satisfactionAfterAgent.count)), bot alone \(ReviewTextRenderer.mean(agents.satisfactionBotOnly.mean)) (n=\(agents.satisfactionBotOnly.count)).",
                        Self.table(["Agent", "Conversations"], agents.conversationsPerAgent.map { [$0.name, "\($0.count)"] }, numeric: [1]))
        html += section("Phase movements", id: "movements", note: "Changes of the customer's journey phase (from → to).",
                        Self.table(["From", "To", "Count"], report.phaseMovements.map { [$0.from, $0.to, "\($0.count)"] }, numeric: [2]))
        html += section("Order lookups", id: "orders", note: "Order facts asked of the order source, by outcome; latency in milliseconds.",
                        Self.table(["Outcome", "Lookups", "p50", "p95", "max"], report.orderLookups.map {
                            [$0.outcome, "\($0.count)", $0.latency.map { "\($0.p50)" } ?? "", $0.latency.map { "\($0.p95)" } ?? "",
                             $0.latency.map { "\($0.max)" } ?? ""]
                        }, numeric: [1, 2, 3, 4]))
        html += section("Proactive welcome rules", id: "proactive",
                        note: "Shown after a login; acted on: the customer asked one of the rule's suggested intents in the same session.",
                        Self.table(["Rule", "Shown", "Acted on", "Rate", "Satisfaction after", "Scores"], report.proactiveRules.map {
                            [$0.rule, "\($0.shown)", "\($0.actedOn)", ReviewTextRenderer.percent($0.actedRate),
                             ReviewTextRenderer.mean($0.satisfaction.mean), "\($0.satisfaction.count)"]
                        }, numeric: [1, 2, 3, 4, 5]))
        if let repurchase = report.repurchase {
            func row(_ group: RepurchaseReport.Group, _ kind: String) -> [String] {
                [kind, group.name, "\(group.customers)"] + group.rates.map { "\(ReviewTextRenderer.percent($0.rate)) (\($0.repurchased)/\($0.eligible))" }
            }
            let rows = [row(repurchase.chatted, "all"), row(repurchase.notChatted, "all")]
                + repurchase.byOutcome.map { row($0, "outcome") } + repurchase.bySatisfaction.map { row($0, "satisfaction") }
                + repurchase.byIntent.prefix(self.rows).map { row($0, "intent") }
            html += section("Repurchase after a chat", id: "repurchase",
                            note: "Share of logged-in customers with a new order on a later day within 30 / 90 days of their first chat, beside customers of the order export who did not chat (counted from \(repurchase.referenceDay ?? "n/a")). Only windows that end by the export's last order (\(repurchase.lastOrderDay ?? "n/a")) count. A comparison, not a claim of cause.",
                            Self.columnChart([("chatted 90 d", Int(((repurchase.chatted.rates.last?.rate ?? 0) * 100).rounded())),
                                              ("not chatted 90 d", Int(((repurchase.notChatted.rates.last?.rate ?? 0) * 100).rounded()))],
                                             label: "Repurchase rate within 90 days, percent")
                            + Self.table(["Split", "Group", "Customers", "30 days", "90 days"], rows, numeric: [2]))
        }
        if !report.errors.isEmpty {
            html += section("Errors", id: "errors", note: "Error codes sent to customers.",
                            Self.table(["Code", "Count"], report.errors.map { [$0.name, "\($0.count)"] }, numeric: [1]))
        }
        let input = report.input
        html += """
            </main>
            <footer><p>Read \(input.files) file(s), \(ReviewTextRenderer.bytes(input.bytes)), \(input.records) record(s). \
            Skipped \(input.malformed) malformed line(s), \(input.torn) torn last line(s), \(input.outOfRange) record(s) out of range.</p></footer>
            </body>
            </html>

            """
        return html
    }

    private func period(_ report: ReviewReport) -> String {
        guard let first = report.firstTimestamp, let last = report.lastTimestamp else { return "No records." }
        return "Records from \(first) to \(last) (UTC)."
    }

    private func overview(_ report: ReviewReport) -> String {
        let cards: [(String, String, String)] = [
            ("sessions", "Sessions", "\(report.sessions)"),
            ("messages", "Customer messages", "\(report.messages)"),
            ("match-rate", "Match rate", ReviewTextRenderer.percent(report.matchRate)),
            ("containment-rate", "Containment rate", ReviewTextRenderer.percent(report.containmentRate)),
            ("handoff-rate", "Handoff rate", ReviewTextRenderer.percent(report.handoffRate)),
            ("satisfaction", "Mean satisfaction", ReviewTextRenderer.mean(report.satisfaction.overall.mean)),
        ]
        var html = "<section id=\"overview\"><h2>Overview</h2>\n<dl class=\"cards\">\n"
        for (id, name, value) in cards {
            html += "<div class=\"card\" id=\"card-\(id)\"><dt>\(Self.escape(name))</dt><dd>\(Self.escape(value))</dd></div>\n"
        }
        html += "</dl>\n<p class=\"note\">Match rate: \(report.matchedMessages) of \(report.answeredMessages) answered customer messages got an intent. "
        html += "Containment: sessions that ended without a handoff. \(report.replies) bot replies, \(report.fallbacks) fallbacks, \(report.commands) commands.</p>\n</section>\n"
        return html
    }

    private func unmatched(_ report: ReviewReport) -> String {
        let groups = report.unmatched.prefix(rows)
        let note = "\(report.unmatchedMessages) message(s) fell back, \(report.unmatchedDistinct) distinct after normalizing "
            + "(lower case, spaces collapsed, digits as #). The top of this list is what to add to the knowledge base next."
        let chart = Self.barChart(groups.prefix(15).map { (ReviewTextRenderer.clip($0.normalized, 40), $0.count) }, label: "Most frequent unmatched messages")
        let table = Self.table(["Count", "Normalized", "Example"], groups.map { ["\($0.count)", $0.normalized, $0.example] }, numeric: [0])
        return section("Unmatched messages", id: "unmatched", note: note, chart + table)
    }

    /// "What to add next": the gaps grouped by meaning, each with its nearest intent.
    private func gapSection(_ gaps: GapReport) -> String {
        let note = "\(gaps.messages) gap message(s): \(gaps.fallback) fell back, \(gaps.clarify) were asked which intent they meant, "
            + "\(gaps.thumbsDown) got a thumbs-down. Grouped by their content words (numbers, codes, e-mails and names left out, "
            + "misspellings read as the word meant) into \(gaps.clusterCount) cluster(s), largest first; the trend compares messages per day "
            + "in the last \(gaps.recentDays) days with the days before. Not grouped: \(gaps.outOfScope) out of scope, "
            + "\(gaps.contentless) without content words, \(gaps.dropped) beyond the cap of \(gaps.capacity) distinct texts."
        let clusters = gaps.clusters.prefix(rows)
        let chart = Self.barChart(clusters.prefix(15).map { ("#\($0.rank) " + ReviewTextRenderer.clip($0.words.joined(separator: " "), 36), $0.messages) },
                                  label: "Largest gap clusters")
        var body = chart
        if clusters.isEmpty { body += "<p class=\"empty\">None.</p>\n" } else {
            body += "<table class=\"gaps\">\n<thead><tr><th class=\"num\">#</th><th class=\"num\">Messages</th><th class=\"num\">Last \(gaps.recentDays) days</th>"
                + "<th class=\"num\">Trend</th><th>Nearest intent</th><th>Shared words</th><th>Examples</th></tr></thead>\n<tbody>\n"
            for cluster in clusters {
                let nearest = cluster.nearest.map { "<span class=\"intent\">\(Self.escape($0.intent))</span> "
                    + Self.escape("(\(Int(($0.coverage * 100).rounded()))%" + ($0.shared.isEmpty ? ")" : ", shared: \($0.shared.joined(separator: " ")))")) }
                    ?? "<span class=\"new-topic\">no intent is close: new topic</span>"
                let examples = "<ul>" + cluster.examples.map { "<li>\(Self.escape($0))</li>" }.joined() + "</ul>"
                body += "<tr class=\"gap\" data-rank=\"\(cluster.rank)\"><td class=\"num\">\(cluster.rank)</td><td class=\"num\">\(cluster.messages)</td>"
                    + "<td class=\"num\">\(cluster.recent)</td><td class=\"num\">\(Self.escape(cluster.trendText))</td><td>\(nearest)</td>"
                    + "<td>\(Self.escape(cluster.words.joined(separator: " ")))</td><td>\(examples)</td></tr>\n"
            }
            body += "</tbody>\n</table>\n"
        }
        return section("What to add next", id: "gaps", note: note, body)
    }

    private func intents(_ report: ReviewReport) -> String {
        var totals: [String: Int] = [:]
        for phase in report.intentsByPhase { for intent in phase.intents { totals[intent.name, default: 0] += intent.count } }
        let top = totals.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(15).map { ($0.key, $0.value) }
        var body = Self.barChart(top, label: "Most frequent intents")
        for phase in report.intentsByPhase {
            body += "<h3>\(Self.escape(phase.phase))</h3>\n<p class=\"note\">\(phase.matched) matched, \(phase.fallbacks) fallback(s).</p>\n"
            body += Self.table(["Intent", "Replies"], phase.intents.prefix(rows).map { [$0.name, "\($0.count)"] }, numeric: [1])
        }
        return section("Intents by phase", id: "intents", note: "Replies with an intent, per journey phase.", body)
    }

    private func satisfaction(_ report: ReviewReport) -> String {
        let overall = report.satisfaction.overall
        var body = Self.columnChart((1...5).map { ("\($0)", overall.distribution[$0 - 1]) }, label: "Satisfaction scores 1 to 5")
        for (title, groups) in [("By phase", report.satisfaction.byPhase), ("By intent (last answered)", report.satisfaction.byIntent),
                                ("By tier", report.satisfaction.byTier), ("By segment", report.satisfaction.bySegment)] where !groups.isEmpty {
            body += "<h3>\(Self.escape(title))</h3>\n"
            body += Self.table(["Group", "Mean", "Scores", "1", "2", "3", "4", "5"], groups.prefix(rows).map { group in
                [group.name, ReviewTextRenderer.mean(group.scores.mean), "\(group.scores.count)"] + group.scores.distribution.map { "\($0)" }
            }, numeric: [1, 2, 3, 4, 5, 6, 7])
        }
        let note = "Scores 1–5 given after /quit or with /feedback: \(overall.count) score(s), mean \(ReviewTextRenderer.mean(overall.mean))."
        return section("Satisfaction", id: "satisfaction", note: note, body)
    }

    private func section(_ title: String, id: String, note: String, _ body: String) -> String {
        "<section id=\"\(id)\"><h2>\(Self.escape(title))</h2>\n<p class=\"note\">\(Self.escape(note))</p>\n\(body)</section>\n"
    }

    // MARK: - Building blocks

    /// Text for HTML element content and attribute values.
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }

    static func table(_ header: [String], _ rows: [[String]], numeric: Set<Int> = []) -> String {
        guard !rows.isEmpty else { return "<p class=\"empty\">None.</p>\n" }
        var html = "<table>\n<thead><tr>"
        for (index, cell) in header.enumerated() {
            html += numeric.contains(index) ? "<th class=\"num\">\(escape(cell))</th>" : "<th>\(escape(cell))</th>"
        }
        html += "</tr></thead>\n<tbody>\n"
        for row in rows {
            html += "<tr>"
            for (index, cell) in row.enumerated() {
                html += numeric.contains(index) ? "<td class=\"num\">\(escape(cell))</td>" : "<td>\(escape(cell))</td>"
            }
            html += "</tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }

    /// Vertical bars, one per label, scaled to the largest value.
    static func columnChart(_ data: [(String, Int)], label: String) -> String {
        guard !data.isEmpty else { return "<p class=\"empty\">No data.</p>\n" }
        let peak = max(data.map(\.1).max() ?? 0, 1)
        let step = max(12.0, min(48.0, 720.0 / Double(data.count)))
        let width = step * Double(data.count) + 50
        let height = 200.0, top = 20.0, bottom = 160.0
        let labelEvery = max(1, Int((36.0 / step).rounded(.up)))
        var svg = "<svg class=\"chart\" role=\"img\" aria-label=\"\(escape(label))\" xmlns=\"http://www.w3.org/2000/svg\""
            + String(format: " viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\">\n", width, height, width, height)
        svg += "<title>\(escape(label))</title>\n"
        svg += String(format: "<line x1=\"40\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" class=\"axis\"/>\n", bottom, width - 5, bottom)
        svg += "<text x=\"36\" y=\"\(Int(top) + 4)\" class=\"tick\" text-anchor=\"end\">\(peak)</text>\n"
        svg += "<text x=\"36\" y=\"\(Int(bottom))\" class=\"tick\" text-anchor=\"end\">0</text>\n"
        for (index, item) in data.enumerated() {
            let barHeight = (bottom - top) * Double(item.1) / Double(peak)
            let x = 45 + Double(index) * step
            svg += String(format: "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" class=\"bar\">", x, bottom - barHeight, step * 0.75, barHeight)
            svg += "<title>\(escape(item.0)): \(item.1)</title></rect>\n"
            if index % labelEvery == 0 {
                svg += String(format: "<text x=\"%.1f\" y=\"%.0f\" class=\"tick\" text-anchor=\"middle\">", x + step * 0.375, bottom + 16)
                svg += "\(escape(item.0.count > 5 ? String(item.0.suffix(5)) : item.0))</text>\n"
            }
        }
        return svg + "</svg>\n"
    }

    /// Horizontal bars with the label on the left, for ranked lists.
    static func barChart(_ data: [(String, Int)], label: String) -> String {
        guard !data.isEmpty else { return "" }
        let peak = max(data.map(\.1).max() ?? 0, 1)
        let rowHeight = 22.0, labelWidth = 300.0, barSpace = 360.0
        let width = labelWidth + barSpace + 60, height = rowHeight * Double(data.count) + 10
        var svg = "<svg class=\"chart\" role=\"img\" aria-label=\"\(escape(label))\" xmlns=\"http://www.w3.org/2000/svg\""
            + String(format: " viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\">\n", width, height, width, height)
        svg += "<title>\(escape(label))</title>\n"
        for (index, item) in data.enumerated() {
            let y = 5 + Double(index) * rowHeight
            let barWidth = max(1, barSpace * Double(item.1) / Double(peak))
            svg += String(format: "<text x=\"%.0f\" y=\"%.1f\" class=\"label\" text-anchor=\"end\">", labelWidth - 8, y + 15)
            svg += "\(escape(item.0))</text>\n"
            svg += String(format: "<rect x=\"%.0f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" class=\"bar\">", labelWidth, y + 3, barWidth, rowHeight - 6)
            svg += "<title>\(escape(item.0)): \(item.1)</title></rect>\n"
            svg += String(format: "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\">", labelWidth + barWidth + 6, y + 15) + "\(item.1)</text>\n"
        }
        return svg + "</svg>\n"
    }

    private static let css = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2330;background:#f6f7f9;line-height:1.4}
        header{background:#1f4e79;color:#fff;padding:1.2rem 2rem}header h1{margin:0;font-size:1.6rem}
        .meta{margin:.3rem 0 0;opacity:.85}main{padding:1rem 2rem;max-width:1100px}
        section{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:1rem 1.4rem;margin:1rem 0}
        h2{margin:.2rem 0 .4rem;font-size:1.25rem}h3{margin:1rem 0 .3rem;font-size:1.05rem}
        .note{color:#4a5568;margin:.2rem 0 .8rem}.empty{color:#718096;font-style:italic}
        .cards{display:flex;flex-wrap:wrap;gap:.8rem;margin:0}
        .card{flex:1 1 150px;background:#eef3f8;border-radius:6px;padding:.6rem .9rem}
        .card dt{font-size:.85rem;color:#4a5568}.card dd{margin:.2rem 0 0;font-size:1.6rem;font-weight:600}
        table{border-collapse:collapse;width:100%;margin:.4rem 0 .8rem;font-size:.92rem}
        th,td{border-bottom:1px solid #e2e8f0;padding:.3rem .5rem;text-align:left;vertical-align:top;overflow-wrap:anywhere}
        th{background:#f1f4f8}.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        svg.chart{max-width:100%;height:auto;display:block;margin:.4rem 0}
        table.gaps ul{margin:0;padding-left:1.1rem}.new-topic{color:#9c4221;font-weight:600}.intent{font-weight:600}
        .bar{fill:#2b6cb0}.axis{stroke:#a0aec0}.tick,.label{font-size:11px;fill:#4a5568}
        footer{color:#718096;padding:0 2rem 2rem;font-size:.85rem}
        @media print{body{background:#fff}section{break-inside:avoid}}
        """
}
