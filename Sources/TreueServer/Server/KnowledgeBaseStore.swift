import CoreMetrics
import Foundation
import Logging
import NIOConcurrencyHelpers
import TreueCore

/// Holds the knowledge base every new message is answered from. A reload compiles a new
/// one off to the side and swaps it in whole; a broken edit never replaces a working one.
public final class KnowledgeBaseStore: Sendable {
    private let current: NIOLockedValueBox<KnowledgeBase>
    public let directory: String
    private let metrics: ServerMetrics

    public init(_ kb: KnowledgeBase, directory: String, metrics: ServerMetrics = .disabled) {
        current = NIOLockedValueBox(kb)
        self.directory = directory
        self.metrics = metrics
        metrics.intents.record(kb.intents.count)
    }

    public var knowledgeBase: KnowledgeBase { current.withLockedValue { $0 } }

    /// Loads the folder again and runs the same checks as `treue check` (examples,
    /// templates, conversation tests in `tests/`); the new knowledge base goes into service
    /// only when none of them finds an error.
    @discardableResult
    public func reload(customers: CustomerDirectory, logger: Logger) -> Bool {
        guard let kb = candidate(customers: customers, logger: logger) else { return false }
        install(kb, logger: logger)
        return true
    }

    /// The folder loaded again and checked as `treue check` checks it, or nil (logged and
    /// counted as a failed reload) when a check finds an error. Nothing is swapped yet.
    public func candidate(customers: CustomerDirectory, logger: Logger) -> KnowledgeBase? {
        let (loaded, loadDiagnostics) = KnowledgeBase.load(directory: directory, limits: knowledgeBase.matcher.limits)
        var diagnostics = loadDiagnostics
        if let loaded {
            let (tests, testDiagnostics) = ConversationTest.load(directory: (directory as NSString).appendingPathComponent("tests"))
            diagnostics += testDiagnostics + KnowledgeBaseChecker(kb: loaded, directory: customers).check(tests: tests)
        }
        let errors = diagnostics.filter { $0.severity == .error }
        guard let kb = loaded, errors.isEmpty else {
            logger.error("knowledge base reload failed its checks; keeping the one in service",
                         metadata: ["errors": "\(errors.count)", "first": "\(errors.first?.description ?? "")"])
            metrics.reloaded(.failure)
            return nil
        }
        return kb
    }

    /// Puts a checked knowledge base into service, whole.
    public func install(_ kb: KnowledgeBase, logger: Logger, metadata: Logger.Metadata = [:]) {
        current.withLockedValue { $0 = kb }
        metrics.reloaded(.success)
        metrics.intents.record(kb.intents.count)
        var fields: Logger.Metadata = ["intents": "\(kb.intents.count)", "patterns": "\(kb.matcher.patterns.count)"]
        fields.merge(metadata) { _, new in new }
        logger.notice("knowledge base reloaded", metadata: fields)
    }

    /// Counts a checked knowledge base the reload gate kept out of service (the caller logs why).
    public func refuse() {
        metrics.reloaded(.refused)
    }
}
