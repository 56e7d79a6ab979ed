import Foundation

/// The customer directory: a CSV export from the CRM with a header row; `id` and `phase`
/// are required, every other column becomes a template field.
public struct CustomerDirectory: Sendable {
    public let customers: [String: CustomerProfile]
    public let columns: [String]

    public init(customers: [CustomerProfile], columns: [String]) {
        var byID: [String: CustomerProfile] = [:]
        for customer in customers { byID[customer.id] = customer }
        self.customers = byID
        self.columns = columns
    }

    public static let empty = CustomerDirectory(customers: [], columns: ["id", "phase"])

    public func profile(id: String) -> CustomerProfile? { customers[id] }

    /// Parses a CRM export. Rows with an unknown phase are refused by line, so a bad export
    /// is noticed before customers see wrong answers.
    public static func parse(csv: String, file: String = "customers.csv", phases: [String]) throws(CustomerDirectoryError) -> CustomerDirectory {
        let rows = CSVReader.rows(csv.hasPrefix("\u{FEFF}") ? String(csv.dropFirst()) : csv)
        guard let header = rows.first?.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else {
            throw CustomerDirectoryError(message: "\(file): empty file, expected a header row with 'id' and 'phase'")
        }
        guard let idColumn = header.firstIndex(of: "id"), let phaseColumn = header.firstIndex(of: "phase") else {
            throw CustomerDirectoryError(message: "\(file):1: the header must name the columns 'id' and 'phase' (found \(header.joined(separator: ", ")))")
        }
        var customers: [CustomerProfile] = []
        for (number, row) in rows.dropFirst().enumerated() {
            let line = number + 2
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
        return CustomerDirectory(customers: customers, columns: header)
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
