import NIOPosix
import TreueCore

/// One matcher scratch per event-loop thread, made anew when the knowledge base changes.
/// Scratch memory (match data, a JIT stack) per thread instead of per connection keeps an
/// idle connection small.
final class MatcherScratchCache: Sendable {
    // Lives in one thread's slot only.
    private final class Slot: @unchecked Sendable {
        var kb: ObjectIdentifier?
        var scratch: MatcherScratch?
    }

    private let slot = ThreadSpecificVariable<Slot>()

    func scratch(for kb: KnowledgeBase) -> MatcherScratch {
        let current: Slot
        if let existing = slot.currentValue { current = existing } else {
            current = Slot()
            slot.currentValue = current
        }
        if current.kb != ObjectIdentifier(kb) || current.scratch == nil {
            current.scratch = kb.matcher.makeScratch()
            current.kb = ObjectIdentifier(kb)
        }
        return current.scratch!
    }
}
