import Dispatch
import Foundation
import Synchronization

/// A part of a load built on a thread of its own while the caller builds the rest.
///
/// A dedicated thread, not a dispatch queue: the caller waits for the result, and a wait
/// on a pool worker can stall until the pool grows (a load took a second instead of a
/// third of one that way).
final class BackgroundBuild<Value: Sendable>: Sendable {
    private let result = Mutex<Value?>(nil)
    private let done = DispatchSemaphore(value: 0)

    init(_ build: @escaping @Sendable () -> Value) {
        let thread = Thread { [self] in
            let value = build()
            result.withLock { $0 = value }
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Waits for the value; call once.
    func value() -> Value {
        done.wait()
        return result.withLock { $0 }!
    }
}
