import Foundation

/// The shop's order export: CSV with a header row (`number`, `customer`, `postcode`,
/// `status` required; every other column a template field). Read whole into memory, so a
/// lookup is a dictionary read that needs no wait.
public struct OrderExport: OrderSource {
    public let byNumber: [String: Order]
    public let byCustomer: [String: [Order]]
    public let columns: [String]

    public init(orders: [Order], columns: [String] = Order.requiredFields) {
        var byNumber: [String: Order] = [:]
        var byCustomer: [String: [Order]] = [:]
        for order in orders {
            byNumber[order.number] = order
            byCustomer[order.customer, default: []].append(order)
        }
        self.byNumber = byNumber
        self.byCustomer = byCustomer
        self.columns = columns
    }

    public var count: Int { byNumber.count }

    public func order(number: String) async -> OrderLookupResult { lookup(number) }
    public func orders(customer: String) async -> [Order]? { byCustomer[customer] ?? [] }
    public func immediateOrder(number: String) -> OrderLookupResult? { lookup(number) }
    public func immediateOrders(customer: String) -> [Order]?? { .some(byCustomer[customer] ?? []) }

    private func lookup(_ number: String) -> OrderLookupResult {
        byNumber[number].map(OrderLookupResult.found) ?? .notFound
    }

    /// Parses an export. The first bad row stops the load with its line number, so a
    /// broken export is noticed before a customer sees a wrong answer: duplicate numbers,
    /// unknown statuses, bad dates and amounts, missing fields.
    public static func parse(csv: String, file: String = "orders.csv") throws(OrderExportError) -> OrderExport {
        let text = csv.hasPrefix("\u{FEFF}") ? String(csv.dropFirst()) : csv
        let rows = CSVReader.numberedRows(text)
        guard let (_, headerRow) = rows.first else {
            throw OrderExportError("\(file): empty file, expected a header row with \(Order.requiredFields.joined(separator: ", "))")
        }
        let header = headerRow.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let missing = Order.requiredFields.filter { !header.contains($0) }
        guard missing.isEmpty else {
            throw OrderExportError("\(file):1: the header must name the columns \(Order.requiredFields.joined(separator: ", ")) "
                + "(missing \(missing.joined(separator: ", ")))")
        }
        if let duplicate = Dictionary(grouping: header, by: { $0 }).first(where: { $0.value.count > 1 && !$0.key.isEmpty }) {
            throw OrderExportError("\(file):1: column '\(duplicate.key)' appears twice")
        }
        var orders: [Order] = []
        var firstLine: [String: Int] = [:]
        for (line, row) in rows.dropFirst() {
            guard row.count == header.count else {
                throw OrderExportError("\(file):\(line): \(row.count) fields, the header has \(header.count)")
            }
            var fields: [String: String] = [:]
            for (column, value) in zip(header, row) where !column.isEmpty { fields[column] = value }
            let order: Order
            do {
                order = try Order(fields: fields)
            } catch {
                throw OrderExportError("\(file):\(line): \(error.message)")
            }
            if let earlier = firstLine[order.number] {
                throw OrderExportError("\(file):\(line): order \(order.number) is already given on line \(earlier)")
            }
            firstLine[order.number] = line
            orders.append(order)
        }
        return OrderExport(orders: orders, columns: header)
    }

    public static func load(path: String) throws(OrderExportError) -> OrderExport {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw OrderExportError("cannot read order export '\(path)'")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw OrderExportError("\(path): not UTF-8")
        }
        return try parse(csv: text, file: path)
    }
}

public struct OrderExportError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
