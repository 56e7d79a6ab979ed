import Foundation
import Logging
import NIOConcurrencyHelpers
import TreueCore

/// The order export in service: loaded at start, reloaded on SIGHUP or when the file
/// changes, swapped whole. A broken export keeps the one in service and logs why.
public final class OrderExportStore: OrderSource {
    public let path: String
    private let current: NIOLockedValueBox<(export: OrderExport, fingerprint: String)>

    /// Loads the export; a broken file at start is an error for the operator.
    public init(path: String) throws(OrderExportError) {
        self.path = path
        let fingerprint = Self.fingerprint(path)
        current = NIOLockedValueBox((try OrderExport.load(path: path), fingerprint))
    }

    public var export: OrderExport { current.withLockedValue { $0.export } }

    public func order(number: String) async -> OrderLookupResult { export.immediateOrder(number: number) ?? .notFound }
    public func orders(customer: String) async -> [Order]? { export.byCustomer[customer] ?? [] }
    public func immediateOrder(number: String) -> OrderLookupResult? { export.immediateOrder(number: number) }
    public func immediateOrders(customer: String) -> [Order]?? { export.immediateOrders(customer: customer) }

    /// Whether the file differs (size or modification time) from the one loaded.
    public func changed() -> Bool { Self.fingerprint(path) != current.withLockedValue { $0.fingerprint } }

    /// Loads the file again; on an error the export in service stays and the error is logged.
    @discardableResult
    public func reload(logger: Logger) -> Bool {
        let fingerprint = Self.fingerprint(path)
        do {
            let export = try OrderExport.load(path: path)
            current.withLockedValue { $0 = (export, fingerprint) }
            logger.notice("order export reloaded", metadata: ["orders": "\(export.count)", "path": "\(path)"])
            return true
        } catch {
            // Remember the broken file's fingerprint so the watcher does not retry it every poll.
            current.withLockedValue { $0.fingerprint = fingerprint }
            logger.error("order export reload failed; keeping the one in service", metadata: ["error": "\(error.message)"])
            return false
        }
    }

    private static func fingerprint(_ path: String) -> String {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return "missing" }
        return "\(attributes[.size] ?? 0)-\((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
    }
}
