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
            return false
        }
        current.withLockedValue { $0 = kb }
        metrics.reloaded(.success)
        metrics.intents.record(kb.intents.count)
        logger.notice("knowledge base reloaded", metadata: ["intents": "\(kb.intents.count)", "patterns": "\(kb.matcher.patterns.count)"])
        return true
    }
}
