import Foundation

/// An evaluation file: customer messages with the intent each asks for (`-` for out of
/// scope). Columns are `intent`, `lang`, `text` in that order, or in any order under a
/// header row that names them (other columns, such as `classes` in a tagged set, are
/// ignored), so a tagged copy of a set measures the same as the set.
public struct LabelledMessages: Sendable {
    public struct Row: Sendable, Equatable {
        public let intent: String
        public let lang: String
        public let text: String
    }

    public struct FormatError: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    public let rows: [Row]

    public init(tsv: String) throws(FormatError) {
        let lines = tsv.split(whereSeparator: \.isNewline)
        var columns = (intent: 0, lang: 1, text: 2)
        var width = 3
        var body = lines[...]
        if let first = lines.first {
            let header = first.split(separator: "\t", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            if header.contains("text") || header.contains("intent") {
                guard let intent = header.firstIndex(of: "intent"), let lang = header.firstIndex(of: "lang"),
                      let text = header.firstIndex(of: "text") else {
                    throw FormatError(description: "the header names no 'intent', 'lang' and 'text' columns (found \(header.joined(separator: ", ")))")
                }
                columns = (intent, lang, text)
                width = header.count
                body = lines.dropFirst()
            }
        }
        rows = body.compactMap { line in
            // The text is the last column when it is last, so a stray tab stays in it.
            let fields = line.split(separator: "\t", maxSplits: width - 1, omittingEmptySubsequences: false)
            guard fields.count == width else { return nil }
            return Row(intent: String(fields[columns.intent]), lang: String(fields[columns.lang]), text: String(fields[columns.text]))
        }
    }
}
