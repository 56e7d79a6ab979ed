import Foundation
import NIOCore
import NIOEmbedded
import Testing
import TreueCore
@testable import TreueServer

/// `ChatSessionHandler` in an `EmbeddedChannel`: lines in, bytes out, no socket and no
/// sleeping. The transcript writer is real, writing to a temporary folder.
struct ChatSessionHandlerTests {
    func channel(_ services: ChatServices) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(handler: ChatSessionHandler(services: services))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return channel
    }

    /// Runs the loop until `predicate` holds for the output collected so far. For tests under
    /// `--fsync never`, where nothing but the loop itself touches the channel.
    func output(of channel: EmbeddedChannel, until predicate: (String) -> Bool = { _ in true }) throws -> String {
        var text = ""
        for _ in 0..<2000 {
            channel.embeddedEventLoop.run()
            while let buffer = try channel.readOutbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
            if !text.isEmpty, predicate(text) { return text }
            Thread.sleep(forTimeInterval: 0.001)
        }
        return text
    }

    /// Under `--fsync always` the writer thread answers the loop from outside it, which only
    /// a thread-safe loop allows: these tests run on `NIOAsyncTestingChannel`.
    func asyncChannel(_ services: ChatServices) async throws -> NIOAsyncTestingChannel {
        let channel = try await NIOAsyncTestingChannel { channel in
            try channel.pipeline.syncOperations.addHandler(ChatSessionHandler(services: services))
        }
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).get()
        return channel
    }

    /// Runs the loop until `predicate` holds for the output collected so far.
    func output(of channel: NIOAsyncTestingChannel, until predicate: (String) -> Bool = { _ in true }) async throws -> String {
        var text = ""
        for _ in 0..<2000 {
            await channel.testingEventLoop.run()
            while let buffer = try await channel.readOutbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
            if !text.isEmpty, predicate(text) { return text }
            try await Task.sleep(for: .milliseconds(1))
        }
        return text
    }

    @Test func greetsThenAnswersAQuestionAfterItsRecordIsStored() async throws {
        let services = try ServerTestSupport.services(sync: .always)
        let channel = try await asyncChannel(services)
        let greeting = try await output(of: channel)
        #expect(greeting.contains("Willkommen"))
        // A silent connection leaves no transcript.
        #expect(ServerTestSupport.records(in: services.configuration.transcripts).isEmpty)

        try await channel.writeInbound(ChatInput.line("Wo ist meine Bestellung 12345678?"))
        let reply = try await output(of: channel) { $0.contains("\n") }
        #expect(!reply.isEmpty)
        // By the time the reply is out, its record is on disk.
        let records = ServerTestSupport.records(in: services.configuration.transcripts)
        let replies = records.filter { $0["type"] as? String == "reply" }
        #expect(replies.count == 1)
        #expect(replies.first?["intent"] as? String == "order_status")
        #expect(records.first?["type"] as? String == "session_open")
        services.writer.close()
    }

    @Test func aReplyWhoseRecordCannotBeStoredIsNeverSent() async throws {
        let services = try ServerTestSupport.services(sync: .always)
        let channel = try await asyncChannel(services)
        _ = try await output(of: channel)
        services.writer.close()   // every later write fails
        try await channel.writeInbound(ChatInput.line("/json"))
        let text = try await output(of: channel) { $0.contains("unavailable") }
        #expect(text.contains("unavailable"))
        #expect(!text.contains("\"mode\""))
        await channel.testingEventLoop.run()
        #expect(!channel.isActive)
    }

    /// Counts the reads that get past the session handler to the socket's side.
    final class ReadCounter: ChannelOutboundHandler {
        typealias OutboundIn = NIOAny
        var reads = 0
        func read(context: ChannelHandlerContext) {
            reads += 1
            context.read()
        }
    }

    @Test func pausesReadingWhileTheClientDoesNotRead() throws {
        let services = try ServerTestSupport.services()
        let counter = ReadCounter()
        let channel = EmbeddedChannel(handlers: [counter, ChatSessionHandler(services: services)])
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        _ = try output(of: channel)
        let before = counter.reads
        channel.read()
        #expect(counter.reads == before + 1)
        channel.isWritable = false
        channel.pipeline.fireChannelWritabilityChanged()
        // The channel's next read is held while the client does not read its replies …
        channel.read()
        #expect(counter.reads == before + 1)
        // … and passed on once it reads again.
        channel.isWritable = true
        channel.pipeline.fireChannelWritabilityChanged()
        #expect(counter.reads == before + 2)
        services.writer.close()
    }

    @Test func disconnectsAFloodAfterTheConfiguredNumberOfRefusedLines() throws {
        let prometheus = PrometheusMetrics()
        let services = try ServerTestSupport.services(metrics: prometheus.metrics) {
            $0.linesPerSecond = 0.001
            $0.burst = 1
            $0.floodDisconnectAfter = 5
        }
        let channel = try channel(services)
        _ = try output(of: channel)
        for _ in 0..<7 where channel.isActive {
            try channel.writeInbound(ChatInput.line("hallo"))
            channel.embeddedEventLoop.run()
        }
        let text = try output(of: channel) { _ in !channel.isActive }
        #expect(!channel.isActive)
        #expect(text.contains("zu schnell"))
        let records = ServerTestSupport.records(in: services.configuration.transcripts)
        #expect(records.contains { $0["type"] as? String == "session_close" && $0["reason"] as? String == "flood" })
        let metrics = String(decoding: prometheus.exposition(), as: UTF8.self)
        #expect(metrics.contains("treue_flood_disconnects_total 1"))
        #expect(metrics.contains("treue_rate_limited_lines_total 5"))
        services.writer.close()
    }

    @Test func closesAnIdleConnectionWithAGoodbye() throws {
        let services = try ServerTestSupport.services { $0.idleTimeout = .milliseconds(200) }
        let channel = try channel(services)
        _ = try output(of: channel)
        channel.embeddedEventLoop.advanceTime(by: .seconds(1))
        let text = try output(of: channel) { _ in !channel.isActive }
        #expect(text.contains("beende ich den Chat"))
        #expect(!channel.isActive)
        services.writer.close()
    }

    @Test func aHalfCloseGetsItsAnswerThenTheConnectionCloses() throws {
        let services = try ServerTestSupport.services()
        let channel = try channel(services)
        _ = try output(of: channel)
        try channel.writeInbound(ChatInput.line("Wie hoch sind die Versandkosten?"))
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        let reply = try output(of: channel) { _ in !channel.isActive }
        #expect(reply.contains("\n"))
        #expect(!channel.isActive)
        channel.embeddedEventLoop.run()
        let records = ServerTestSupport.records(in: services.configuration.transcripts)
        #expect(records.contains { $0["type"] as? String == "reply" })
        #expect(records.last?["type"] as? String == "session_close")
        services.writer.close()
    }

    @Test func countsMessagesByOutcomeAndLanguage() throws {
        let prometheus = PrometheusMetrics()
        let services = try ServerTestSupport.services(metrics: prometheus.metrics)
        let channel = try channel(services)
        _ = try output(of: channel)
        for line in ["Wie wird das Wetter morgen?", "xqzv blorp wumm", "Wo ist meine Bestellung 12345678?", "Where is my order 12345678?"] {
            try channel.writeInbound(ChatInput.line(line))
            _ = try output(of: channel) { $0.contains("\n") }
        }
        let text = String(decoding: prometheus.exposition(), as: UTF8.self)
        #expect(text.contains(#"treue_messages_total{outcome="matched",lang="de"} 1"#))
        #expect(text.contains(#"treue_messages_total{outcome="matched",lang="en"} 1"#))
        #expect(text.contains(#"treue_messages_total{outcome="fallback",lang="de"} 1"#))
        // The weather is somebody else's business: declined, not a gap in the knowledge base.
        #expect(text.contains(#"treue_messages_total{outcome="out_of_scope",lang="de"} 1"#))
        #expect(text.contains("treue_reply_duration_seconds_count 4"))
        #expect(text.contains("treue_match_duration_seconds_count 4"))
        #expect(text.contains("treue_transcript_written_bytes_total"))
        services.writer.close()
    }
}
