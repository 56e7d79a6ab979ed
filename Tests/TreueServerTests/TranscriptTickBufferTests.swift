import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import TreueServer

/// Records added during one event-loop round are stored together, before any of their
/// replies may go out, and in the order they were added, for every fsync policy.
struct TranscriptTickBufferTests {
    @Test(arguments: [TranscriptSyncPolicy.never, .batch, .always])
    func storesARoundInOrderBeforeAnyCompletionRuns(policy: TranscriptSyncPolicy) throws {
        let directory = NSTemporaryDirectory() + "treue-tick-\(UUID().uuidString)"
        let writer = try TranscriptWriter(configuration: .init(directory: directory, sync: policy))
        let buffer = TranscriptTickBuffer(writer: writer)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let loop = group.next()

        // Six sessions speak in one round; the day changes half-way (midnight).
        let results = try loop.submit { () -> EventLoopFuture<[String]> in
            var order: [String] = []
            var completedDuringRound = false
            let promise = loop.makePromise(of: [String].self)
            for n in 0..<6 {
                let day = n < 3 ? "2026-11-26" : "2026-11-27"
                buffer.add(Array("{\"n\":\(n)}\n".utf8), day: day, on: loop) { result in
                    if case .failure = result { order.append("failed \(n)") } else { order.append("\(n)") }
                    if order.count == 6 { promise.succeed(order + (completedDuringRound ? ["early"] : [])) }
                }
                // Until the day changes nothing may complete within the round.
                if n < 3, !order.isEmpty { completedDuringRound = true }
            }
            return promise.futureResult
        }.flatMap { $0 }.wait()
        writer.close()

        #expect(results == ["0", "1", "2", "3", "4", "5"])
        #expect(try String(contentsOfFile: directory + "/2026-11-26.jsonl", encoding: .utf8) == "{\"n\":0}\n{\"n\":1}\n{\"n\":2}\n")
        #expect(try String(contentsOfFile: directory + "/2026-11-27.jsonl", encoding: .utf8) == "{\"n\":3}\n{\"n\":4}\n{\"n\":5}\n")
    }

    @Test func aClosedWriterFailsTheRoundInsteadOfDroppingIt() throws {
        let directory = NSTemporaryDirectory() + "treue-tick-\(UUID().uuidString)"
        let writer = try TranscriptWriter(configuration: .init(directory: directory, sync: .never))
        writer.close()
        let buffer = TranscriptTickBuffer(writer: writer)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        defer { try? group.syncShutdownGracefully() }
        let loop = group.next()
        let failed = try loop.submit { () -> EventLoopFuture<Bool> in
            let promise = loop.makePromise(of: Bool.self)
            buffer.add(Array("{}\n".utf8), day: "2026-11-26", on: loop) { result in
                if case .failure = result { promise.succeed(true) } else { promise.succeed(false) }
            }
            return promise.futureResult
        }.flatMap { $0 }.wait()
        #expect(failed)
    }
}
