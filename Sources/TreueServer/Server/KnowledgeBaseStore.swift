import Logging
import NIOConcurrencyHelpers
import TreueCore

/// Holds the knowledge base every new message is answered from. A reload compiles a new
/// one off to the side and swaps it in whole; a broken edit never replaces a working one.
public final class KnowledgeBaseStore: Sendable {
    private let current: NIOLockedValueBox<KnowledgeBase>
    public let directory: String

    public init(_ kb: KnowledgeBase, directory: String) {
        current = NIOLockedValueBox(kb)
        self.directory = directory
    }

    public var knowledgeBase: KnowledgeBase { current.withLockedValue { $0 } }

    /// Loads and checks the folder again. Returns the diagnostics; the new knowledge base is
    /// in service only when there were no errors.
    @discardableResult
    public func reload(logger: Logger) -> Bool {
        let (kb, diagnostics) = KnowledgeBase.load(directory: directory, limits: knowledgeBase.matcher.limits)
        guard let kb else {
            let errors = diagnostics.filter { $0.severity == .error }
            logger.error("knowledge base reload failed; keeping the one in service",
                         metadata: ["errors": "\(errors.count)", "first": "\(errors.first?.description ?? "")"])
            return false
        }
        current.withLockedValue { $0 = kb }
        logger.notice("knowledge base reloaded", metadata: ["intents": "\(kb.intents.count)", "patterns": "\(kb.matcher.patterns.count)"])
        return true
    }
}
