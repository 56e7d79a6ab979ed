import Foundation

/// One order's facts, as an export row or a service's JSON object gives them. The named
/// fields are validated; every other column or key is kept as a template field.
public struct Order: Sendable, Equatable {
    public let number: String
    public let customer: String
    public let postcode: String
    public let status: OrderStatus
    /// Every field as given (trimmed, empty ones left out), including the named ones.
    public let fields: [String: String]

    public static let dateFields: Set<String> = ["ordered", "shipped", "expected", "delivered", "refunded"]
    public static let requiredFields = ["number", "customer", "postcode", "status"]

    /// Validates a row or object; the error names the field and why, without the value
    /// of a postcode.
    public init(fields raw: [String: String]) throws(OrderFieldError) {
        var fields: [String: String] = [:]
        for (key, value) in raw {
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            if !trimmed.isEmpty { fields[key.lowercased()] = trimmed }
        }
        for name in Self.requiredFields where fields[name] == nil {
            throw OrderFieldError("missing '\(name)'")
        }
        guard let number = OrderNumber.normalize(fields["number"]!) else {
            throw OrderFieldError("order number '\(fields["number"]!.prefix(20))' is not 6 to 10 digits")
        }
        fields["number"] = number
        let customer = fields["customer"]!
        guard CustomerID.isValid(customer) else { throw OrderFieldError("invalid customer id '\(customer.prefix(40))'") }
        guard let status = OrderStatus(rawValue: fields["status"]!) else {
            throw OrderFieldError("unknown status '\(fields["status"]!.prefix(30))' (expected "
                + OrderStatus.allCases.map(\.rawValue).joined(separator: ", ") + ")")
        }
        let postcode = fields["postcode"]!
        guard postcode.count <= 12 else { throw OrderFieldError("postcode longer than 12 characters") }
        for name in Self.dateFields.sorted() {
            if let value = fields[name], OrderDate(iso: value) == nil {
                throw OrderFieldError("'\(name)' is not a date YYYY-MM-DD: '\(value.prefix(30))'")
            }
        }
        for (name, value) in fields where Self.isAmountField(name) {
            guard OrderAmount(value) != nil else { throw OrderFieldError("'\(name)' is not an amount like 49.90: '\(value.prefix(30))'") }
        }
        // A status promises some facts (a shipped order has its shipping date); an order
        // without them would make answers say less than the status claims.
        for name in status.guaranteedFields.sorted() where name != "status_text" && fields[name] == nil {
            throw OrderFieldError("status '\(status.rawValue)' needs '\(name)'")
        }
        self.number = number
        self.customer = customer
        self.postcode = postcode
        self.status = status
        self.fields = fields
    }

    static func isAmountField(_ name: String) -> Bool { name == "total" || name.hasSuffix("_amount") }

    /// Whether a postcode a customer typed is this order's (spaces and case do not matter).
    public func postcodeMatches(_ typed: String) -> Bool {
        Self.comparable(typed) == Self.comparable(postcode) && !Self.comparable(postcode).isEmpty
    }

    static func comparable(_ postcode: String) -> String {
        String(postcode.uppercased().unicodeScalars.filter { $0 != " " && $0 != "-" })
    }

    /// A shipment whose expected date has passed and that is not delivered is late.
    public func isDelayed(today: OrderDate) -> Bool {
        guard status.isUnderway, let expected = fields["expected"].flatMap(OrderDate.init(iso:)) else { return false }
        return expected < today
    }
}

public struct OrderFieldError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
