import NIOConcurrencyHelpers
import NIOCore

/// The volume budgets of source addresses, shared by every connection: many connections
/// from one address together get no more than one address's budget. Budgets that have
/// refilled are dropped when the table grows, so it stays as large as the set of
/// addresses that sent much lately.
public final class AddressVolumeBudgets: Sendable {
    private struct Table {
        var budgets: [String: VolumeBudget] = [:]
        var pruneAt = 4096
    }

    public let bytesPerMinute: Int
    private let table = NIOLockedValueBox(Table())

    public init(bytesPerMinute: Int) {
        self.bytesPerMinute = bytesPerMinute
    }

    /// Takes `bytes` from both the connection's and the address's budget when both have
    /// them; takes nothing otherwise.
    public func spend(_ bytes: Int, address: String, connection: inout VolumeBudget, now: NIODeadline = .now()) -> Bool {
        connection.refill(now: now)
        guard connection.allows(bytes) else { return false }
        let allowed = table.withLockedValue { table in
            var budget = table.budgets[address] ?? VolumeBudget(bytesPerMinute: bytesPerMinute, now: now)
            budget.refill(now: now)
            guard budget.allows(bytes) else {
                table.budgets[address] = budget
                return false
            }
            budget.take(bytes)
            table.budgets[address] = budget
            if table.budgets.count > table.pruneAt {
                table.budgets = table.budgets.filter { !$0.value.isFull(now: now) }
                table.pruneAt = max(4096, table.budgets.count * 2)
            }
            return true
        }
        if allowed { connection.take(bytes) }
        return allowed
    }

    var trackedAddresses: Int { table.withLockedValue { $0.budgets.count } }
}
