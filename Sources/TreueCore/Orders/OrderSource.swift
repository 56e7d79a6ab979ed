/// Where order facts come from. The export (`OrderExport`) lives in the core; the shop's
/// live HTTP service is an adapter beside the server; tests and later sources (a
/// database) plug in the same way.
public protocol OrderSource: Sendable {
    /// The order with this number (digits only), not found, or the source is unavailable.
    /// Implementations answer within their own timeout and never throw.
    func order(number: String) async -> OrderLookupResult

    /// The customer's orders, for proactive rules; nil when the source cannot list them
    /// (the HTTP contract looks up single numbers only) or is unavailable.
    func orders(customer: String) async -> [Order]?

    /// An answer known without waiting (an in-memory export), so the server can answer on
    /// the event loop instead of hopping off it and back. Nil means "ask `order(number:)`".
    func immediateOrder(number: String) -> OrderLookupResult?

    /// As `immediateOrder`, for `orders(customer:)`; the outer nil means "ask".
    func immediateOrders(customer: String) -> [Order]??
}

extension OrderSource {
    public func orders(customer: String) async -> [Order]? { nil }
    public func immediateOrder(number: String) -> OrderLookupResult? { nil }
    public func immediateOrders(customer: String) -> [Order]?? { nil }
}

/// The three answers a source can give.
public enum OrderLookupResult: Sendable, Equatable {
    case found(Order)
    case notFound
    /// The source did not answer usably (down, timed out, refused us, malformed); the
    /// reason is for logs, never for the customer.
    case unavailable(reason: String)
}
