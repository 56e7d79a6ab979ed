import Logging
import TreueCore
import ServiceLifecycle
import UnixSignals

/// Reloads the knowledge base and the customer directory on SIGHUP or when their files
/// change (checked every two seconds). Each reload swaps a new one in whole or keeps the
/// old one and logs why.
public struct ReloadService: Service {
    let services: ChatServices
    let watcher: FileWatcher
    let hangups: UnixSignalsSequence
    let interval: Duration

    /// `hangups` is made before the server listens, so an early SIGHUP reloads instead of
    /// ending the process.
    public init(services: ChatServices, watcher: FileWatcher, hangups: UnixSignalsSequence, interval: Duration = .seconds(2)) {
        self.services = services
        self.watcher = watcher
        self.hangups = hangups
        self.interval = interval
    }

    public func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in hangups.cancelOnGracefulShutdown() { reload(cause: "SIGHUP") }
            }
            group.addTask {
                while !Task.isCancelled {
                    do {
                        try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
                    } catch {
                        return
                    }
                    if watcher.changed() { reload(cause: "file change") }
                }
            }
            await group.waitForAll()
        }
    }

    func reload(cause: String) {
        let logger = services.logger
        logger.notice("reloading", metadata: ["cause": "\(cause)"])
        // The knowledge base first: its checks use the customers in service, and the
        // customer directory is then checked against the phases now in service.
        services.store.reload(customers: services.identity.directory, logger: logger)
        services.identityStore.reload(phases: services.store.knowledgeBase.phases, logger: logger)
        if let orders = services.orders as? OrderExportStore, cause == "SIGHUP" || orders.changed() { orders.reload(logger: logger) }
    }
}
