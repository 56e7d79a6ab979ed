import NIOConcurrencyHelpers

/// Counts open connections, in all and per address, so a crowd or one noisy address is
/// refused politely instead of exhausting the server.
public final class ConnectionGate: Sendable {
    public enum Verdict: Sendable, Equatable { case admitted, serverFull, addressFull }

    private struct Counts {
        var total = 0
        var perAddress: [String: Int] = [:]
    }

    private let counts = NIOLockedValueBox(Counts())
    public let maxConnections: Int
    public let maxPerAddress: Int

    public init(maxConnections: Int, maxPerAddress: Int) {
        self.maxConnections = maxConnections
        self.maxPerAddress = maxPerAddress
    }

    public func admit(address: String) -> Verdict {
        counts.withLockedValue { counts in
            if counts.total >= maxConnections { return .serverFull }
            if counts.perAddress[address, default: 0] >= maxPerAddress { return .addressFull }
            counts.total += 1
            counts.perAddress[address, default: 0] += 1
            return .admitted
        }
    }

    public func release(address: String) {
        counts.withLockedValue { counts in
            counts.total -= 1
            let left = counts.perAddress[address, default: 1] - 1
            counts.perAddress[address] = left > 0 ? left : nil
        }
    }

    public var openConnections: Int { counts.withLockedValue { $0.total } }
}
