import Foundation

/// The unmatched messages as CSV for knowledge-base authors (RFC 4180: CRLF line ends,
/// fields with a comma, quote or line break enclosed in double quotes, quotes doubled).
/// Customers write these texts, so each field is made inert before it is written: control
/// and invisible characters except LF (quoted, as RFC 4180 allows) are shown as `\u{…}`
/// (the file is also read in terminals), and
/// a field a spreadsheet would take for a formula gets a leading `'` (OWASP's advice on
/// CSV injection).
public struct ReviewCSVRenderer: Sendable {
    public init() {}

    public func render(_ report: ReviewReport) -> String {
        var out = "count,normalized,example\r\n"
        for group in report.unmatched {
            out += "\(group.count),\(Self.field(group.normalized)),\(Self.field(group.example))\r\n"
        }
        return out
    }

    /// The gaps grouped by meaning, one row per cluster, largest first (`--table gaps`).
    /// Examples are joined with ` | `; growth is empty when it cannot be told.
    public func renderGaps(_ report: ReviewReport) -> String {
        var out = "rank,messages,distinct,fallback,clarify,thumbs_down,recent,earlier,growth,new,rising_rank,nearest_intent,coverage,evidence,words,examples\r\n"
        for cluster in report.gaps?.clusters ?? [] {
            let fields: [String] = [
                "\(cluster.rank)", "\(cluster.messages)", "\(cluster.distinct)", "\(cluster.fallback)", "\(cluster.clarify)", "\(cluster.thumbsDown)",
                "\(cluster.recent)", "\(cluster.earlier)", cluster.growth.map { String(format: "%.2f", $0) } ?? "", cluster.isNew ? "yes" : "no",
                cluster.risingRank.map { "\($0)" } ?? "", Self.field(cluster.nearest?.intent ?? "new topic"),
                cluster.nearest.map { String(format: "%.2f", $0.coverage) } ?? "", Self.field(cluster.nearest?.shared.joined(separator: " ") ?? ""),
                Self.field(cluster.words.joined(separator: " ")), Self.field(cluster.examples.joined(separator: " | ")),
            ]
            out += fields.joined(separator: ",") + "\r\n"
        }
        return out
    }

    /// Order lookups by outcome with their latency (ms).
    public func renderLookups(_ report: ReviewReport) -> String {
        var out = "outcome,lookups,p50_ms,p95_ms,max_ms\r\n"
        for lookup in report.orderLookups {
            let latency = lookup.latency
            out += "\(Self.field(lookup.outcome)),\(lookup.count),\(latency.map { "\($0.p50)" } ?? ""),"
                + "\(latency.map { "\($0.p95)" } ?? ""),\(latency.map { "\($0.max)" } ?? "")\r\n"
        }
        return out
    }

    /// Answer variants of intents that showed more than one: shown, rated, scored.
    public func renderVariants(_ report: ReviewReport) -> String {
        var out = "intent,variant,shown,up,down,satisfaction_mean,satisfaction_count\r\n"
        for intent in report.answerVariants {
            for variant in intent.variants {
                out += "\(Self.field(intent.intent)),\(Self.field(variant.variant)),\(variant.shown),\(variant.up),\(variant.down),"
                    + "\(variant.satisfaction.mean.map { String(format: "%.2f", $0) } ?? ""),\(variant.satisfaction.count)\r\n"
            }
        }
        return out
    }

    /// Proactive welcome rules: shown, acted on, satisfaction after.
    public func renderProactive(_ report: ReviewReport) -> String {
        var out = "rule,shown,acted_on,acted_rate,satisfaction_mean,satisfaction_count\r\n"
        for rule in report.proactiveRules {
            out += "\(Self.field(rule.rule)),\(rule.shown),\(rule.actedOn),\(rule.actedRate.map { String(format: "%.4f", $0) } ?? ""),"
                + "\(rule.satisfaction.mean.map { String(format: "%.2f", $0) } ?? ""),\(rule.satisfaction.count)\r\n"
        }
        return out
    }

    /// The repurchase rate after a chat (`treue review --orders PATH`), one row per group.
    public func renderRepurchase(_ report: ReviewReport) -> String {
        var out = "split,group,customers,eligible_30,repurchased_30,rate_30,eligible_90,repurchased_90,rate_90\r\n"
        guard let repurchase = report.repurchase else { return out }
        let groups = [("all", repurchase.chatted), ("all", repurchase.notChatted)] + repurchase.byOutcome.map { ("outcome", $0) }
            + repurchase.bySatisfaction.map { ("satisfaction", $0) } + repurchase.byIntent.map { ("intent", $0) }
        for (split, group) in groups {
            out += "\(split),\(Self.field(group.name)),\(group.customers)"
            for rate in group.rates {
                out += ",\(rate.eligible),\(rate.repurchased),\(rate.rate.map { String(format: "%.4f", $0) } ?? "")"
            }
            out += "\r\n"
        }
        return out
    }

    public static func field(_ text: String) -> String {
        let raw = text
        var text = TerminalText.visible(text, keepingNewlines: true)
        if startsFormula(raw) || startsFormula(text) { text = "'" + text }
        let needsQuotes = text.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// Spreadsheets start a formula at `=`, `+`, `-` or `@`, also after leading spaces
    /// (which several of them trim on import), and at a tab or CR; full-width forms are
    /// folded to ASCII by some, so they count too.
    static func startsFormula(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first(where: { $0 != " " && $0 != "\u{A0}" && $0 != "\u{3000}" }) else {
            return false
        }
        if text.unicodeScalars.first == "\t" || text.unicodeScalars.first == "\r" { return true }
        return "=+-@＝＋－＠".unicodeScalars.contains(first)
    }
}
