import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import NIOPosix
import Testing
import TreueCore
@testable import TreueServer

/// `LineFramingHandler` in an `EmbeddedChannel`: how many lines a turn hands on, and that
/// the rest waits, unread, in order.
struct LineFramingHandlerTests {
    /// Counts the reads that reach the socket's side of the pipeline.
    final class ReadCounter: ChannelOutboundHandler {
        typealias OutboundIn = NIOAny
        var reads = 0
        func read(context: ChannelHandlerContext) {
            reads += 1
            context.read()
        }
    }

    /// Stands for the session: notes the lines and the end of input in order, and passes
    /// reads on only while `open` (a session pausing its input holds them).
    final class Receiver: ChannelDuplexHandler {
        typealias InboundIn = LineFrame
        typealias OutboundIn = NIOAny
        var seen: [String] = []
        var open = true
        private var held = false

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case let .line(buffer): seen.append(String(buffer: buffer))
            case .tooLong: seen.append("<too long>")
            }
        }

        func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
            if event as? ChannelEvent == .inputClosed { seen.append("<end>") }
        }

        func read(context: ChannelHandlerContext) {
            if open { context.read() } else { held = true }
        }

        func reopen(context: ChannelHandlerContext) {
            open = true
            if held {
                held = false
                context.read()
            }
        }
    }

    let counter = ReadCounter()
    let receiver = Receiver()

    func channel(linesPerTurn: Int = 4) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers([
            counter, LineFramingHandler(maxLineBytes: 64, linesPerTurn: linesPerTurn, rounds: BacklogRoundsByLoop()), receiver,
        ])
        return channel
    }

    func lines(_ range: ClosedRange<Int>) -> [String] { range.map { "zeile \($0)" } }

    func send(_ lines: [String], to channel: EmbeddedChannel) throws {
        try channel.writeInbound(channel.allocator.buffer(string: lines.map { $0 + "\n" }.joined()))
    }

    @Test func aReadHandsOnAtMostTheQuotaAndTheRestFollowsInLaterTurns() throws {
        let channel = try channel()
        try send(lines(1...10), to: channel)
        #expect(receiver.seen == lines(1...4))
        // The channel asks to read again (autoRead): held while lines wait, so nothing more
        // is taken from the socket.
        channel.read()
        #expect(counter.reads == 0)
        #expect(receiver.seen == lines(1...4))
        channel.embeddedEventLoop.run()
        #expect(receiver.seen == lines(1...10))
        // The backlog is gone: now the socket is read again.
        #expect(counter.reads == 1)
    }

    @Test func bytesArrivingBehindABacklogWaitForIt() throws {
        let channel = try channel()
        try send(lines(1...6), to: channel)
        try send(lines(7...8), to: channel)
        #expect(receiver.seen == lines(1...4))
        channel.read()
        channel.embeddedEventLoop.run()
        #expect(receiver.seen == lines(1...8))
    }

    @Test func aSessionThatPausesItsInputHoldsTheBacklogToo() throws {
        let channel = try channel()
        receiver.open = false
        try send(lines(1...10), to: channel)
        #expect(receiver.seen == lines(1...4))
        channel.read()
        channel.embeddedEventLoop.run()
        #expect(receiver.seen == lines(1...4))
        let context = try channel.pipeline.syncOperations.context(handler: receiver)
        receiver.reopen(context: context)
        channel.embeddedEventLoop.run()
        #expect(receiver.seen == lines(1...10))
        #expect(counter.reads == 1)
    }

    @Test func theEndOfInputFollowsTheLinesStillWaitingAndTheLastLineWithoutLF() throws {
        let channel = try channel()
        try channel.writeInbound(channel.allocator.buffer(string: lines(1...6).map { $0 + "\n" }.joined() + "tschuess"))
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(receiver.seen == lines(1...4))
        channel.read()
        channel.embeddedEventLoop.run()
        #expect(receiver.seen == lines(1...6) + ["tschuess", "<end>"])
    }

    @Test func overLongLinesCountAsLinesAndAreStillCutOff() throws {
        let channel = try channel(linesPerTurn: 2)
        let long = String(repeating: "x", count: 100)
        try send(["a", long, "b", long, "c"], to: channel)
        #expect(receiver.seen == ["a", "<too long>"])
        channel.read()
        channel.embeddedEventLoop.run()
        #expect(receiver.seen == ["a", "<too long>", "b", "<too long>", "c"])
    }
}

/// A real server on one event-loop thread: a client that pipelines a burst of lines does
/// not hold up another customer on the same loop.
struct FairnessTests {
    /// A line client: what the server writes, line by line.
    final class LineClient: Sendable {
        let channel: any Channel
        let received: NIOLockedValueBox<[String]>

        private final class Collector: ChannelInboundHandler, Sendable {
            typealias InboundIn = LineFrame
            let received: NIOLockedValueBox<[String]>
            init(_ received: NIOLockedValueBox<[String]>) { self.received = received }
            func channelRead(context: ChannelHandlerContext, data: NIOAny) {
                if case let .line(buffer) = unwrapInboundIn(data) {
                    let text = String(buffer: buffer)
                    received.withLockedValue { $0.append(text) }
                }
            }
        }

        init(port: Int, group: MultiThreadedEventLoopGroup) async throws {
            let received = NIOLockedValueBox<[String]>([])
            self.received = received
            channel = try await ClientBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandlers([
                            ByteToMessageHandler(LineFrameDecoder(maxLineBytes: 1 << 20)), Collector(received),
                        ])
                    }
                }
                .connect(host: "127.0.0.1", port: port).get()
        }

        func send(_ text: String) async throws {
            try await channel.writeAndFlush(channel.allocator.buffer(string: text)).get()
        }

        /// The JSON objects received so far.
        var objects: [[String: Any]] {
            received.withLockedValue { $0 }.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        }

        /// Waits until the objects received satisfy `done` (the bound only stops a broken
        /// server from hanging the test).
        func wait(until done: ([[String: Any]]) -> Bool) async throws -> [[String: Any]] {
            for _ in 0..<30_000 {
                let objects = self.objects
                if done(objects) { return objects }
                try await Task.sleep(nanoseconds: 1_000_000)
            }
            return objects
        }

        /// JSON mode; the session id from the greeting that follows.
        func json() async throws -> String? {
            try await send("/json\n")
            let objects = try await wait { $0.contains { $0["type"] as? String == "greeting" } }
            return objects.first { $0["type"] as? String == "greeting" }?["session"] as? String
        }

        func replies(_ objects: [[String: Any]]) -> Int { objects.filter { $0["type"] as? String == "reply" }.count }
    }

    @Test func anotherCustomerIsAnsweredBeforeAPipelinedBurstIsDone() async throws {
        let services = try ServerTestSupport.services { c in
            c.port = 0
            c.threads = 1
            c.linesPerTurn = 4
            // Only the quota stands between the burst and the other customer.
            c.linesPerSecond = 1_000_000
            c.burst = 1_000_000
            c.bytesPerConnectionMinute = 1 << 40
            c.bytesPerAddressMinute = 1 << 40
            c.minimumFreeTranscriptBytes = 0
        }
        let server = try await ChatServer(services: services)
        let clients = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            let burst = try await LineClient(port: server.port, group: clients)
            let other = try await LineClient(port: server.port, group: clients)
            let burstSession = try #require(await burst.json())
            let otherSession = try #require(await other.json())

            // 80 questions in one write: one read takes them all (about 1,500 bytes).
            let count = 80
            let questions = (1...count).map { "Versandkosten? \($0)" }
            try await burst.send(questions.map { $0 + "\n" }.joined())
            _ = try await burst.wait { burst.replies($0) >= 1 }
            // The burst has begun to be answered; now the other customer asks once.
            try await other.send("hallo\n")
            let otherObjects = try await other.wait { other.replies($0) >= 1 }
            let burstObjects = try await burst.wait { burst.replies($0) >= count }
            #expect(other.replies(otherObjects) == 1)
            #expect(burst.replies(burstObjects) == count)

            // The transcript keeps the order the server worked in: the other customer's
            // message came in between the burst's, not after all of them.
            let messages = ServerTestSupport.records(in: services.configuration.transcripts).filter { $0["type"] as? String == "message" }
            let burstMessages = messages.indices.filter { messages[$0]["session"] as? String == burstSession }
            let otherMessage = try #require(messages.firstIndex { $0["session"] as? String == otherSession })
            #expect(burstMessages.count == count)
            #expect(otherMessage < burstMessages.last!)
            // The burst's own lines in the order sent.
            #expect(burstMessages.map { messages[$0]["text"] as? String } == questions)
        } catch {
            Issue.record(error)
        }
        await server.shutdown()
        try await clients.shutdownGracefully()
    }
}
