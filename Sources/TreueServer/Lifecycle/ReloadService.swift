import Logging
import NIOConcurrencyHelpers
import NIOPosix
import TreueCore
import ServiceLifecycle
import UnixSignals

/// Reloads the knowledge base and the customer directory on SIGHUP or when their files
/// change (checked every two seconds). Each reload swaps a new one in whole or keeps the
/// old one and logs why. Reloads run one at a time, on a thread of NIO's blocking pool:
/// compiling, checking and (with a reload gate) replaying weeks of transcripts take
/// seconds that belong neither to an event loop nor to the cooperative threads.
public struct ReloadService: Service {
    let services: ChatServices
    let watcher: FileWatcher
    let hangups: UnixSignalsSequence
    let interval: Duration
    /// `--reload-gate`: replay recent transcripts before a new knowledge base goes into service.
    let gate: ReloadGate?
    /// Set when the server shuts down: a replay under way stops (the reload is refused)
    /// instead of holding up the exit.
    private let stopping = NIOLockedValueBox(false)

    /// `hangups` is made before the server listens, so an early SIGHUP reloads instead of
    /// ending the process.
    public init(services: ChatServices, watcher: FileWatcher, hangups: UnixSignalsSequence, interval: Duration = .seconds(2),
                gate: ReloadGate? = nil) {
        self.services = services
        self.watcher = watcher
        self.hangups = hangups
        self.interval = interval
        self.gate = gate
    }

    public func run() async throws {
        // Both sources feed one queue, so two reloads never overlap (a SIGHUP during a
        // long replay waits for it).
        let (causes, queue) = AsyncStream.makeStream(of: String.self)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await _ in hangups.cancelOnGracefulShutdown() { queue.yield("SIGHUP") }
                queue.finish()
            }
            group.addTask {
                while !Task.isCancelled {
                    do {
                        try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
                    } catch {
                        break
                    }
                    if watcher.changed() { queue.yield("file change") }
                }
                queue.finish()
            }
            group.addTask {
                await withGracefulShutdownHandler {
                    for await cause in causes.cancelOnGracefulShutdown() {
                        _ = try? await NIOThreadPool.singleton.runIfActive { reload(cause: cause) }
                    }
                } onGracefulShutdown: {
                    stopping.withLockedValue { $0 = true }
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
        reloadKnowledgeBase(logger: logger)
        services.identityStore.reload(phases: services.store.knowledgeBase.phases, logger: logger)
        if let orders = services.orders as? OrderExportStore, cause == "SIGHUP" || orders.changed() { orders.reload(logger: logger) }
    }

    private func reloadKnowledgeBase(logger: Logger) {
        let store = services.store
        guard let gate else {
            store.reload(customers: services.identity.directory, logger: logger)
            return
        }
        guard let candidate = store.candidate(customers: services.identity.directory, logger: logger) else { return }
        let stopping = stopping
        let judgement = gate.judge(current: store.knowledgeBase, candidate: candidate) { stopping.withLockedValue { $0 } }
        let fields = gate.metadata(judgement)
        guard judgement.passed else {
            store.refuse()
            let reason = judgement.failure.map { "the replay could not run: \($0)" } ?? judgement.verdict.description
            logger.warning("knowledge base reload refused by the reload gate (\(reason)); keeping the one in service", metadata: fields)
            return
        }
        store.install(candidate, logger: logger, metadata: fields)
    }
}
