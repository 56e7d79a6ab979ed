import Dispatch
import Foundation
import Synchronization

extension Array where Element: Sendable {
    /// `map` spread over the machine's cores in contiguous chunks, for the independent
    /// per-pattern work of a load. The result keeps the order, so whatever the load reports
    /// or builds does not depend on which core finished first.
    /// `leastPerChunk`: below this many elements a chunk costs more to hand over than it saves.
    func concurrentMap<Result: Sendable>(leastPerChunk: Int = 8, _ transform: @Sendable (Element) -> Result) -> [Result] {
        // A few chunks per core: enough to even out uneven work, few enough to stay cheap.
        let chunkCount = Swift.min(count / leastPerChunk, 4 * ProcessInfo.processInfo.activeProcessorCount)
        guard chunkCount > 1 else { return map(transform) }
        let parts = Mutex<[Int: [Result]]>([:])
        DispatchQueue.concurrentPerform(iterations: chunkCount) { chunk in
            let part = self[(count * chunk / chunkCount)..<(count * (chunk + 1) / chunkCount)].map(transform)
            parts.withLock { $0[chunk] = part }
        }
        return parts.withLock { parts in (0..<chunkCount).flatMap { parts[$0]! } }
    }
}
