/// The plain-text layout the text reports share: an underlined section title and columns
/// padded to their widest cell.
enum TextTable {
    static func section(_ title: String, into out: inout [String]) {
        out.append("")
        out.append(title)
        out.append(String(repeating: "-", count: min(title.count, 72)))
    }

    /// Columns padded to their widest cell; `numeric` columns are right-aligned.
    static func rows(_ rows: [[String]], numeric: Set<Int> = []) -> [String] {
        guard let columns = rows.map(\.count).max() else { return [] }
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        return rows.map { row in
            row.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                if index == row.count - 1, !numeric.contains(index) { return cell }
                return numeric.contains(index) ? padding + cell : cell + padding
            }.joined(separator: "  ")
        }
    }
}
