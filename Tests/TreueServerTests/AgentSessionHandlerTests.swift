import Foundation
import Logging
import NIOCore
import NIOEmbedded
import Testing
import TreueCore
@testable import TreueServer

/// The agent listener's handler in `EmbeddedChannel`s, with customers in their own
/// embedded channels: the registry between them, deliveries hopping loops as on a server.
struct AgentSessionHandlerTests {
    static let secret = "agent-test-secret"

    func agents(_ registry: HandoffRegistry) -> AgentServices {
        var logger = Logger(label: "treue-test")
        logger.logLevel = .critical
        var configuration = ServerConfiguration()
        configuration.burst = 50
        return AgentServices(registry: registry, secrets: ["old", Self.secret], names: ["jana": "Jana"], configuration: configuration, logger: logger)
    }

    func connect(_ handler: some ChannelHandler) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(handler: handler)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()
        return channel
    }

    /// Runs the given loops until `predicate` holds for what `channel` wrote so far.
    func output(of channel: EmbeddedChannel, loops: [EmbeddedChannel], until predicate: (String) -> Bool) throws -> String {
        var text = ""
        for _ in 0..<2000 {
            for loop in loops { loop.embeddedEventLoop.run() }
            while let buffer = try channel.readOutbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
            if predicate(text) { return text }
            Thread.sleep(forTimeInterval: 0.001)
        }
        return text
    }

    func token(_ id: String, secret: String = secret, ttl: Int64 = 600) -> String {
        LoginTokenVerifier.makeToken(customerID: "agent:" + id, expiry: Int64(Date().timeIntervalSince1970) + ttl, secret: secret)
    }

    @Test func beforeLoginOnlyLoginWorksAndBadTokensGetNothingButAnError() throws {
        let registry = HandoffRegistry()
        let agent = try connect(AgentSessionHandler(agents: agents(registry)))
        _ = try output(of: agent, loops: [agent]) { $0.contains("Log in") }
        try agent.writeInbound(ChatInput.line("/queue"))
        #expect(try output(of: agent, loops: [agent]) { $0.contains("\n") }.contains("Log in first"))
        // A customer-style token (no "agent:" prefix) and an expired one are refused alike.
        let customerToken = LoginTokenVerifier.makeToken(customerID: "jana", expiry: Int64(Date().timeIntervalSince1970) + 600, secret: Self.secret)
        for bad in [customerToken, token("jana", ttl: -5), "123.nothex", token("jana", secret: "wrong")] {
            try agent.writeInbound(ChatInput.line("/login jana \(bad)"))
            let text = try output(of: agent, loops: [agent]) { $0.contains("\n") }
            #expect(text.hasPrefix("! Login failed"))
        }
        #expect(!registry.agentsOnline)
        // The old secret still signs (rotation).
        try agent.writeInbound(ChatInput.line("/login jana \(token("jana", secret: "old"))"))
        #expect(try output(of: agent, loops: [agent]) { $0.contains("queue") }.contains("Logged in as Jana"))
        #expect(registry.agentsOnline)
        try agent.close().wait()
        #expect(!registry.agentsOnline)
    }

    @Test func aCustomerIsQueuedTakenAndTalksBothWaysThenGoesBackToTheBot() throws {
        let registry = HandoffRegistry()
        let services = try ServerTestSupport.services(sync: .always, handoff: registry)
        defer { services.writer.close() }
        let agent = try connect(AgentSessionHandler(agents: agents(registry)))
        let rival = try connect(AgentSessionHandler(agents: agents(registry)))
        let customer = try connect(ChatSessionHandler(services: services))
        let all = [agent, rival, customer]
        _ = try output(of: agent, loops: all) { $0.contains("Log in") }
        _ = try output(of: rival, loops: all) { $0.contains("Log in") }
        try agent.writeInbound(ChatInput.line("/json"))
        try agent.writeInbound(ChatInput.line("/login jana \(token("jana"))"))
        try rival.writeInbound(ChatInput.line("/login omar \(token("omar"))"))
        _ = try output(of: agent, loops: all) { $0.contains("\"queue\"") }
        _ = try output(of: rival, loops: all) { $0.contains("queue") }
        _ = try output(of: customer, loops: all) { $0.contains("Willkommen") }

        try customer.writeInbound(ChatInput.line("/json"))
        try customer.writeInbound(ChatInput.line("/agent"))
        let queued = try output(of: customer, loops: all) { $0.contains("\"queued\"") }
        #expect(queued.contains("\"position\":1"))
        let ticket = try #require(registry.queueItems().first?.ticket)
        #expect(try output(of: agent, loops: all) { $0.contains(ticket) }.contains("\"anonymous\""))

        try agent.writeInbound(ChatInput.line("/take \(ticket)"))
        try rival.writeInbound(ChatInput.line("/take \(ticket)"))
        #expect(try output(of: agent, loops: all) { $0.contains("\"taken\"") }.contains("\"history\""))
        #expect(try output(of: rival, loops: all) { $0.contains("is taken by") }.contains("Jana"))
        #expect(try output(of: customer, loops: all) { $0.contains("Service-Team") }.contains("Jana vom Service-Team"))

        try agent.writeInbound(ChatInput.line("Guten Tag!"))
        let said = try output(of: customer, loops: all) { $0.contains("\"agent\"") }
        #expect(said.contains("\"name\":\"Jana\"") && said.contains("Guten Tag!"))
        try customer.writeInbound(ChatInput.line("Wo ist mein Paket?"))
        #expect(try output(of: agent, loops: all) { $0.contains("\"customer\"") }.contains("Wo ist mein Paket?"))
        // The bot stayed silent: no reply to the customer's line.
        #expect(try output(of: customer, loops: all) { _ in false }.contains("\"reply\"") == false)

        try agent.writeInbound(ChatInput.line("/back"))
        #expect(try output(of: customer, loops: all) { $0.contains("Assistent") }.contains("\"info\""))
        let kinds = ServerTestSupport.records(in: services.configuration.transcripts).compactMap { $0["type"] as? String }
        for kind in ["handoff", "queued", "agent_joined", "agent_message", "handoff_message", "back_to_bot"] {
            #expect(kinds.contains(kind), "\(kind) missing in \(kinds)")
        }
    }

    @Test func aClosedCustomerSocketTellsTheAgentAtOnce() throws {
        let registry = HandoffRegistry()
        let services = try ServerTestSupport.services(handoff: registry)
        defer { services.writer.close() }
        let agent = try connect(AgentSessionHandler(agents: agents(registry)))
        let customer = try connect(ChatSessionHandler(services: services))
        let all = [agent, customer]
        try agent.writeInbound(ChatInput.line("/login jana \(token("jana"))"))
        _ = try output(of: agent, loops: all) { $0.contains("queue") }
        try customer.writeInbound(ChatInput.line("/agent"))
        _ = try output(of: customer, loops: all) { $0.contains("Nr. 1") }
        let ticket = try #require(registry.queueItems().first?.ticket)
        try agent.writeInbound(ChatInput.line("/take \(ticket)"))
        _ = try output(of: agent, loops: all) { $0.contains("taken") }
        try customer.close().wait()
        #expect(try output(of: agent, loops: all) { $0.contains("left") }.contains("[\(ticket)] the customer left"))
        try agent.writeInbound(ChatInput.line("noch da?"))
        #expect(try output(of: agent, loops: all) { $0.contains("!") }.contains("No conversation taken"))
    }
}
