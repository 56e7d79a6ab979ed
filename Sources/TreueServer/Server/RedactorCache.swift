import NIOPosix
import PCRE2Swift
import TreueCore

/// The redactor with a PCRE2 scratch per thread.
final class RedactorCache: Sendable {
    // Lives in one thread's slot only.
    private final class Box: @unchecked Sendable { let scratch: MatchScratch; init(_ s: MatchScratch) { scratch = s } }
    let redactor: Redactor
    private let slot = ThreadSpecificVariable<Box>()

    init(redactor: Redactor) { self.redactor = redactor }

    func redact(_ text: String) -> String {
        let box: Box
        if let existing = slot.currentValue { box = existing } else {
            box = Box(redactor.makeScratch())
            slot.currentValue = box
        }
        return redactor.redact(text, scratch: box.scratch)
    }
}
