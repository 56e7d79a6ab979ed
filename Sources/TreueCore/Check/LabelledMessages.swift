import Foundation

/// An evaluation file: customer messages with the intent each asks for (`-` for out of
/// scope). Columns are `intent`, `lang`, `text` in that order, or in any order under a
/// header row that names them (other columns, such as `classes` in a tagged set, are
/// ignored), so a tagged copy of a set measures the same as the set. The same reader
/// serves `treue check --eval` and the knowledge base's `labelled_messages`.
public struct LabelledMessages: Sendable {
    public struct Row: Sendable, Equatable {
        public let intent: String
        public let lang: String
        public let text: String
        /// The row's line in the file, from 1.
        public let line: Int
    }

    public struct FormatError: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    public let rows: [Row]
    /// Lines with fewer columns than the file has.
    public let malformedLines: [Int]

    public init(tsv: String) throws(FormatError) {
        // Split as bytes, not Characters: grapheme breaking made reading ten thousand
        // labelled messages dearer than the rest of a knowledge base's load.
        let lines = tsv.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated()
            .map { (number: $0.offset + 1, text: Self.text(of: $0.element)) }
            .filter { !$0.text.isEmpty }
        var columns = (intent: 0, lang: 1, text: 2)
        var width = 3
        var body = lines[...]
        if let first = lines.first {
            let header = first.text.split(separator: "\t", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
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
        var rows: [Row] = []
        var malformed: [Int] = []
        for line in body {
            // The text is the last column when it is last, so a stray tab stays in it.
            let fields = line.text.split(separator: "\t", maxSplits: width - 1, omittingEmptySubsequences: false)
            guard fields.count == width else { malformed.append(line.number); continue }
            rows.append(Row(intent: String(fields[columns.intent]), lang: String(fields[columns.lang]), text: String(fields[columns.text]), line: line.number))
        }
        self.rows = rows
        malformedLines = malformed
    }

    /// A line without its carriage return (files saved on Windows).
    private static func text(of line: Substring.UTF8View) -> String {
        String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line[...], as: UTF8.self)
    }
}
