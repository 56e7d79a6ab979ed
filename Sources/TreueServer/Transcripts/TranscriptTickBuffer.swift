import NIOCore
import NIOPosix

/// Gathers the transcript records an event-loop thread produces while it handles one
/// round of ready connections and gives them to the writer in one call once that round is
/// done: one `write` (or one place in the group commit) for every session that spoke,
/// instead of one per message, and no hand-off to another thread when nothing waits for
/// an fsync.
final class TranscriptTickBuffer: Sendable {
    /// Runs on the event loop that added the records, once they are stored (or not).
    typealias Completion = (Result<Void, TranscriptWriteError>) -> Void

    // Lives in one event-loop thread's slot only.
    private final class Pending: @unchecked Sendable {
        var day = ""
        var bytes: [UInt8] = []
        var completions: [Completion] = []
        var flushScheduled = false
    }

    let writer: TranscriptWriter
    private let slot = ThreadSpecificVariable<Pending>()

    init(writer: TranscriptWriter) { self.writer = writer }

    /// Adds whole lines (each ending in a newline) for the day file `day`. Completions run
    /// in the order they were added, so one session's replies keep their order.
    func add(_ bytes: [UInt8], day: String, on eventLoop: any EventLoop, completion: Completion?) {
        let pending: Pending
        if let existing = slot.currentValue { pending = existing } else {
            pending = Pending()
            slot.currentValue = pending
        }
        if !pending.bytes.isEmpty, pending.day != day { flush(pending, on: eventLoop) }
        pending.day = day
        pending.bytes.append(contentsOf: bytes)
        if let completion { pending.completions.append(completion) }
        guard !pending.flushScheduled else { return }
        pending.flushScheduled = true
        // Tasks run after the selector's events of this round, so everything read in the
        // round is in the buffer by then.
        eventLoop.execute {
            pending.flushScheduled = false
            self.flush(pending, on: eventLoop)
        }
    }

    private func flush(_ pending: Pending, on eventLoop: any EventLoop) {
        let bytes = pending.bytes
        let completions = pending.completions
        pending.bytes = []
        pending.bytes.reserveCapacity(bytes.count)
        pending.completions = []
        // Without fsync the writer answers at once, on this loop; with it, from its thread
        // after the group's fsync. Even an empty batch goes through it, so a reply never
        // overtakes one that still waits for its fsync.
        let waiting = NIOLoopBound(completions, eventLoop: eventLoop)
        writer.append(bytes: bytes, day: pending.day) { result in
            if eventLoop.inEventLoop {
                for completion in waiting.value { completion(result) }
            } else {
                eventLoop.execute { for completion in waiting.value { completion(result) } }
            }
        }
    }
}
