import ArgumentParser
import Logging
import TreueCore
import TreueServer

/// Where `treue serve` finds order facts (SPEC 5a, docs/orders.md).
struct OrderOptions: ParsableArguments {
    @Option(help: "Order export (CSV) to answer order questions from; reloaded on SIGHUP or change (e.g. Customers/demo-orders.csv).")
    var orders: String?

    @Option(help: "Seconds an order lookup may take before the customer is told it is unavailable.")
    var ordersTimeout: Double = 2

    func validate() throws {
        guard ordersTimeout > 0, ordersTimeout <= 60 else { throw ValidationError("--orders-timeout must be above 0 and at most 60 seconds") }
    }

    /// The export store, or nil without `--orders`; a broken export stops the start.
    func makeExportStore() throws -> OrderExportStore? {
        guard let orders else { return nil }
        do {
            return try OrderExportStore(path: orders)
        } catch {
            throw ValidationError(error.message)
        }
    }

    /// Polls the export for changes every two seconds and reloads it, for as long as the
    /// server runs (a SIGHUP reloads it at once).
    static func watch(_ store: OrderExportStore, logger: Logger) -> Task<Void, Never> {
        Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(2))
                if store.changed() { store.reload(logger: logger) }
            }
        }
    }
}
