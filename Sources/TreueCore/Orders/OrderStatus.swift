/// Where an order is in its life, as the shop's systems name it (SPEC 5a).
public enum OrderStatus: String, Sendable, CaseIterable, Codable {
    case received, paid, packed, shipped
    case outForDelivery = "out_for_delivery"
    case delivered, cancelled, returned, refunded

    /// Whether the parcel has left the warehouse: the line between "cancel here" and
    /// "refuse delivery or send it back".
    public var hasShipped: Bool {
        switch self {
        case .shipped, .outForDelivery, .delivered, .returned, .refunded: true
        case .received, .paid, .packed, .cancelled: false
        }
    }

    /// On its way to the customer, so a passed `expected` date means it is late.
    public var isUnderway: Bool { self == .shipped || self == .outForDelivery }

    /// The fields an order with this status always has (the export refuses a row without
    /// them, the HTTP source treats such an answer as malformed). `treue check` lets an
    /// order answer use only these outside `[[ … ]]`.
    public var guaranteedFields: Set<String> {
        var fields: Set<String> = ["number", "customer", "postcode", "status", "status_text", "ordered"]
        if self == .shipped || self == .outForDelivery || self == .delivered { fields.insert("shipped") }
        if self == .delivered { fields.insert("delivered") }
        if self == .refunded { fields.formUnion(["refunded", "refund_amount"]) }
        return fields
    }

    /// The status in words, for `{order.status_text}`.
    public func text(language: String) -> String {
        let german = language == "de"
        switch self {
        case .received: return german ? "eingegangen" : "received"
        case .paid: return german ? "bezahlt, wird vorbereitet" : "paid and being prepared"
        case .packed: return german ? "verpackt, noch nicht versendet" : "packed, not yet shipped"
        case .shipped: return german ? "versendet" : "shipped"
        case .outForDelivery: return german ? "heute in Zustellung" : "out for delivery today"
        case .delivered: return german ? "zugestellt" : "delivered"
        case .cancelled: return german ? "storniert" : "cancelled"
        case .returned: return german ? "zurückgesendet" : "returned"
        case .refunded: return german ? "erstattet" : "refunded"
        }
    }
}
