import Foundation

/// The unmatched messages as CSV for knowledge-base authors (RFC 4180: CRLF line ends,
/// fields with a comma, quote or line break enclosed in double quotes, quotes doubled).
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
        let needsQuotes = text.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" }
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
