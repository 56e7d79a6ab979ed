/// Reads RFC 4180 CSV: quoted fields, doubled quotes, commas and line breaks inside
/// quotes, CRLF or LF rows. Characters `removing` accepts are dropped from the fields and
/// reported with their line and column, so a caller can warn about them.
enum CSVReader {
    struct Removal: Equatable {
        /// Where the character was, from 1 (columns count characters).
        var line: Int
        var column: Int
        var scalar: Unicode.Scalar
        /// Which row (0 is the header) and field it was in.
        var row: Int
        var field: Int
    }

    static func rows(_ text: String) -> [[String]] {
        rows(text, removing: { _ in false }).rows
    }

    static func rows(_ text: String, removing remove: (Unicode.Scalar) -> Bool) -> (rows: [[String]], removed: [Removal]) {
        let scanned = scan(text, removing: remove)
        return (scanned.rows, scanned.removed)
    }

    /// Rows with the line each starts on (a quoted field may span lines), so load errors
    /// can name the line an editor shows.
    static func numberedRows(_ text: String) -> [(line: Int, row: [String])] {
        let scanned = scan(text, removing: { _ in false })
        return Array(zip(scanned.starts, scanned.rows))
    }

    private static func scan(_ text: String, removing remove: (Unicode.Scalar) -> Bool) -> (rows: [[String]], removed: [Removal], starts: [Int]) {
        var starts: [Int] = []
        var rowStart = 1
        var rows: [[String]] = []
        var removed: [Removal] = []
        var row: [String] = []
        var field = ""
        var inQuotes = false
        var line = 1
        var column = 0
        var iterator = text.unicodeScalars.makeIterator()
        var pending = iterator.next()
        func keep(_ scalar: Unicode.Scalar) {
            if remove(scalar) {
                removed.append(Removal(line: line, column: column, scalar: scalar, row: rows.count, field: row.count))
            } else {
                field.unicodeScalars.append(scalar)
            }
        }
        while let scalar = pending {
            pending = iterator.next()
            column += 1
            defer { if scalar == "\n" { line += 1; column = 0 } }
            if inQuotes {
                if scalar == "\"" {
                    if pending == "\"" { field.unicodeScalars.append("\""); pending = iterator.next(); column += 1 } else { inQuotes = false }
                } else {
                    keep(scalar)
                }
                continue
            }
            switch scalar {
            case "\"": inQuotes = true
            case ",": row.append(field); field = ""
            case "\r": break
            case "\n":
                row.append(field); field = ""
                if !(row.count == 1 && row[0].isEmpty) {
                    rows.append(row)
                    starts.append(rowStart)
                } else {
                    // A blank line is skipped; what was removed from it belongs to no row.
                    removed.removeAll { $0.row == rows.count }
                }
                row = []
                rowStart = line + 1
            default: keep(scalar)
            }
        }
        if !field.isEmpty || !row.isEmpty {
            row.append(field)
            rows.append(row)
            starts.append(rowStart)
        } else {
            // A last line of nothing but removed characters is no row either.
            removed.removeAll { $0.row == rows.count }
        }
        return (rows, removed, starts)
    }
}
