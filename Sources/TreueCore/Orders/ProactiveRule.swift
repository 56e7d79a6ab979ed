import Foundation

/// A reason to speak first after a login: conditions over the customer's profile and open
/// orders, a message per language and suggestions (SPEC 5a, docs/orders.md).
public struct ProactiveRule: Sendable {
    public var id: String
    /// All must hold. `order.*` conditions must all hold for one and the same order.
    public var conditions: [(field: String, condition: Condition)]
    public var text: LocalizedText
    /// Intent ids offered; acting on the rule means asking one of them.
    public var suggestions: [String]
    public var location: SourceLocation

    public init(id: String, conditions: [(field: String, condition: Condition)], text: LocalizedText, suggestions: [String],
                location: SourceLocation) {
        self.id = id
        self.conditions = conditions
        self.text = text
        self.suggestions = suggestions
        self.location = location
    }

    public var needsOrders: Bool { conditions.contains { $0.field.hasPrefix("order.") } }

    /// One condition on a field's value.
    public enum Condition: Sendable, Equatable {
        /// The value is one of these (case-insensitive).
        case oneOf([String])
        case not(String)
        case less(Double), lessOrEqual(Double), greater(Double), greaterOrEqual(Double)
        /// A number from `lower` to `upper`, both included (`"0..60"`).
        case between(Double, Double)
        /// The field has a value.
        case present
        /// The field has no value.
        case absent

        /// `"<= 30"`, `"> 0"`, `"0..60"`, `"!Gold"`, `"?"` (present), `"-"` (absent), anything else
        /// equality; a YAML list is one of its values.
        public static func parse(_ text: String) -> Condition? {
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed == "?" { return .present }
            if trimmed == "-" { return .absent }
            for (prefix, make) in [("<=", Condition.lessOrEqual), (">=", Condition.greaterOrEqual), ("<", Condition.less),
                                   (">", Condition.greater)] as [(String, (Double) -> Condition)] where trimmed.hasPrefix(prefix) {
                guard let number = Double(trimmed.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)) else { return nil }
                return make(number)
            }
            if let range = trimmed.range(of: ".."), let lower = Double(trimmed[..<range.lowerBound].trimmingCharacters(in: .whitespaces)),
               let upper = Double(trimmed[range.upperBound...].trimmingCharacters(in: .whitespaces)) {
                return .between(lower, upper)
            }
            if trimmed.hasPrefix("!") { return .not(String(trimmed.dropFirst()).trimmingCharacters(in: .whitespaces)) }
            return .oneOf([trimmed])
        }

        func holds(_ value: String?) -> Bool {
            switch self {
            case .present: return value != nil
            case .absent: return value == nil
            case let .oneOf(options): return value.map { v in options.contains { $0.caseInsensitiveCompare(v) == .orderedSame } } ?? false
            case let .not(other): return value.map { $0.caseInsensitiveCompare(other) != .orderedSame } ?? true
            case let .less(bound): return number(value).map { $0 < bound } ?? false
            case let .lessOrEqual(bound): return number(value).map { $0 <= bound } ?? false
            case let .greater(bound): return number(value).map { $0 > bound } ?? false
            case let .greaterOrEqual(bound): return number(value).map { $0 >= bound } ?? false
            case let .between(lower, upper): return number(value).map { $0 >= lower && $0 <= upper } ?? false
            }
        }

        private func number(_ value: String?) -> Double? { value.flatMap { Double($0) } }
    }

    /// Whether the rule holds, and the order that made it hold (its fields fill
    /// `{order.*}` in the text). Derived fields: `X_in_days` for a date field `X` (days
    /// from today, negative when past), and `order.delayed` (`yes`/`no`).
    public func evaluate(profile: [String: String], orders: [Order], today: OrderDate) -> (holds: Bool, order: Order?) {
        for (field, condition) in conditions where !field.hasPrefix("order.") {
            guard condition.holds(Self.value(of: field, in: profile, today: today)) else { return (false, nil) }
        }
        let orderConditions = conditions.filter { $0.field.hasPrefix("order.") }
        guard !orderConditions.isEmpty else { return (true, nil) }
        for order in orders {
            var fields = order.fields
            fields["delayed"] = order.isDelayed(today: today) ? "yes" : "no"
            let holds = orderConditions.allSatisfy { field, condition in
                condition.holds(Self.value(of: String(field.dropFirst("order.".count)), in: fields, today: today))
            }
            if holds { return (true, order) }
        }
        return (false, nil)
    }

    static func value(of field: String, in fields: [String: String], today: OrderDate) -> String? {
        if let value = fields[field] { return value }
        if field.hasSuffix("_in_days"), let date = fields[String(field.dropLast("_in_days".count))].flatMap(OrderDate.init(iso:)) {
            return String(date.days(since: today))
        }
        return nil
    }
}
