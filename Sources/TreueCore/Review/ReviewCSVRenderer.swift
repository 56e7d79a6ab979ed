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
