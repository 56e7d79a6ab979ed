import Foundation

/// The customer directory: a CSV export from the CRM with a header row; `id` and `phase`
/// are required, every other column becomes a template field.
public struct CustomerDirectory: Sendable {
    public let customers: [String: CustomerProfile]
    public let columns: [String]
    /// What was cleaned at load (control and invisible characters removed), by file,
    /// line and column; the operator sees these on standard error.
    public let warnings: [Diagnostic]

    public init(customers: [CustomerProfile], columns: [String], warnings: [Diagnostic] = []) {
        var byID: [String: CustomerProfile] = [:]
        for customer in customers { byID[customer.id] = customer }
        self.customers = byID
        self.columns = columns
        self.warnings = warnings
    }

    public static let empty = CustomerDirectory(customers: [], columns: ["id", "phase"])

    public func profile(id: String) -> CustomerProfile? { customers[id] }

    /// Parses a CRM export. Rows with an unknown phase are refused by line, so a bad export
    /// is noticed before customers see wrong answers.
    public static func parse(csv: String, file: String = "customers.csv", phases: [String]) throws(CustomerDirectoryError) -> CustomerDirectory {
        // Profile fields reach answers, transcripts and operators' terminals: escape
        // sequences (ESC[2J, OSC 52 …), bidi and invisible characters are removed here,
        // each with a warning that says where it was.
        let text = csv.hasPrefix("\u{FEFF}") ? String(csv.dropFirst()) : csv
        let (rows, removed) = CSVReader.rows(text, removing: TerminalText.isUnsafe)
        // The line each row starts on: a quoted field may span lines and blank lines are
        // skipped, so the row number is not the line an editor shows.
        let lines = CSVReader.numberedRows(text).map(\.line)
        guard let header = rows.first?.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else {
            throw CustomerDirectoryError(message: "\(file): empty file, expected a header row with 'id' and 'phase'")
        }
        guard let idColumn = header.firstIndex(of: "id"), let phaseColumn = header.firstIndex(of: "phase") else {
            throw CustomerDirectoryError(message: "\(file):1: the header must name the columns 'id' and 'phase' (found \(header.joined(separator: ", ")))")
        }
        var customers: [CustomerProfile] = []
        for (number, row) in rows.enumerated().dropFirst() {
            let line = number < lines.count ? lines[number] : number + 1
            guard row.count == header.count else {
                throw CustomerDirectoryError(message: "\(file):\(line): \(row.count) fields, the header has \(header.count)")
            }
            let id = row[idColumn].trimmingCharacters(in: .whitespaces)
            let phase = row[phaseColumn].trimmingCharacters(in: .whitespaces)
            guard CustomerID.isValid(id) else {
                throw CustomerDirectoryError(message: "\(file):\(line): invalid customer id '\(id.prefix(40))'")
            }
            guard phases.contains(phase) else {
                throw CustomerDirectoryError(message: "\(file):\(line): unknown phase '\(phase)' (expected \(phases.joined(separator: ", ")))")
            }
            var fields: [String: String] = [:]
            for (column, value) in zip(header, row) where !value.isEmpty { fields[column] = value }
            customers.append(CustomerProfile(id: id, phase: phase, fields: fields))
        }
        let warnings = removed.map { removal in
            let column = removal.field < header.count ? "'\(header[removal.field])'" : "\(removal.field + 1)"
            let customer = removal.row > 0 && removal.row < rows.count && idColumn < rows[removal.row].count
                ? " of customer '\(rows[removal.row][idColumn].prefix(40))'" : ""
            let code = "U+" + String(removal.scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
            return Diagnostic(.warning, "customers", "removed control or invisible character \(code) from column \(column)\(customer)",
                              at: SourceLocation(file: file, line: removal.line, column: removal.column))
        }
        return CustomerDirectory(customers: customers, columns: header, warnings: warnings)
    }

    public static func load(path: String, phases: [String]) throws(CustomerDirectoryError) -> CustomerDirectory {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw CustomerDirectoryError(message: "cannot read customer directory '\(path)'")
        }
        return try parse(csv: text, file: path, phases: phases)
    }
}

public struct CustomerDirectoryError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

/// What a customer id may look like. Ids never reach a file path, but they do reach logs
/// and transcripts, so they are kept short and plain.
public enum CustomerID {
    public static let maxLength = 64

    public static func isValid(_ id: String) -> Bool {
        guard !id.isEmpty, id.utf8.count <= maxLength, !id.contains("..") else { return false }
        return id.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.@".unicodeScalars.contains($0))
        }
    }
}
