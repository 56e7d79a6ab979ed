/// What a conversation step asks the order source before it can answer.
public enum OrderRequest: Sendable, Equatable {
    /// One order by its number (digits only).
    case order(number: String)
    /// A customer's orders, for the proactive welcome after a login.
    case customerOrders(customer: String)

    /// Asks a source; the server uses the `immediate` forms first to stay on its loop.
    public func ask(_ source: any OrderSource) async -> OrderRequestResult {
        switch self {
        case let .order(number): .order(await source.order(number: number))
        case let .customerOrders(customer): .customerOrders(await source.orders(customer: customer))
        }
    }

    /// The answer when the source has it without waiting, else nil.
    public func immediate(_ source: any OrderSource) -> OrderRequestResult? {
        switch self {
        case let .order(number): source.immediateOrder(number: number).map(OrderRequestResult.order)
        case let .customerOrders(customer): source.immediateOrders(customer: customer).map(OrderRequestResult.customerOrders)
        }
    }

    /// What to resume with when the source gave no answer in time.
    public var unavailable: OrderRequestResult {
        switch self {
        case .order: .order(.unavailable(reason: "no answer in time"))
        case .customerOrders: .customerOrders(nil)
        }
    }
}

/// The source's answer to an `OrderRequest`.
public enum OrderRequestResult: Sendable, Equatable {
    case order(OrderLookupResult)
    /// Nil when the source could not list them.
    case customerOrders([Order]?)
}

/// A session's order state: whether facts may be shown at all (3 failed tries end that),
/// which numbers a guest has proven with a postcode, and what waits for an answer.
struct OrderSessionState: Sendable {
    static let maxFailures = 3

    var enabled = false
    var failures = 0
    var locked: Bool { failures >= Self.maxFailures }
    /// Numbers a guest gave the right postcode for: asking again needs no second proof.
    var proven: Set<String> = []
    var pendingPostcode: PendingOrder?
    var awaiting: Awaiting?
    var welcomed = false
    /// Order numbers in the message being answered, for intents whose pattern did not
    /// capture one.
    var numbersInMessage: [String] = []

    enum Awaiting: Sendable {
        case order(PendingOrder)
        case welcome
    }

    /// An order question waiting for its postcode or its lookup.
    struct PendingOrder: Sendable {
        let intentID: String
        let number: String
        let captures: [String: String]
        let language: String
        let pattern: IntentPattern?
        let path: String
        let askedFrom: String
        var postcode: String?
    }
}
