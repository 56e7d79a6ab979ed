import Foundation
import Logging
import NIOCore
import NIOEmbedded
import Testing
import TreueCore
@testable import TreueServer

/// The agent listener's handler in testing channels, with customers in their own: the
/// registry between them, deliveries hopping loops as on a server. The async testing loops
/// accept tasks from any thread, as the transcript writer's acknowledgements arrive on its own.
struct AgentSessionHandlerTests {
    static let secret = "agent-test-secret"

    func agents(_ registry: HandoffRegistry) -> AgentServices {
        var logger = Logger(label: "treue-test")
        logger.logLevel = .critical
        var configuration = ServerConfiguration()
        configuration.burst = 50
        return AgentServices(registry: registry, secrets: ["old", Self.secret], names: ["jana": "Jana"], configuration: configuration, logger: logger)
    }

    func connect(_ handler: some ChannelHandler) async throws -> NIOAsyncTestingChannel {
        let channel = await NIOAsyncTestingChannel(handler: handler)
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).get()
        return channel
    }

    /// Runs the given loops until `predicate` holds for what `channel` wrote so far.
    func output(of channel: NIOAsyncTestingChannel, loops: [NIOAsyncTestingChannel], until predicate: (String) -> Bool) async throws -> String {
        var text = ""
        for _ in 0..<2000 {
            for loop in loops { await loop.testingEventLoop.run() }
            while let buffer = try await channel.readOutbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
            if predicate(text) { return text }
            try await Task.sleep(for: .milliseconds(1))
        }
        return text
    }

    func token(_ id: String, secret: String = secret, ttl: Int64 = 600) -> String {
        LoginTokenVerifier.makeToken(customerID: "agent:" + id, expiry: Int64(Date().timeIntervalSince1970) + ttl, secret: secret)
    }

    @Test func beforeLoginOnlyLoginWorksAndBadTokensGetNothingButAnError() async throws {
        let registry = HandoffRegistry()
        let agent = try await connect(AgentSessionHandler(agents: agents(registry)))
        _ = try await output(of: agent, loops: [agent]) { $0.contains("Log in") }
        try await agent.writeInbound(ChatInput.line("/queue"))
        #expect(try await output(of: agent, loops: [agent]) { $0.contains("\n") }.contains("Log in first"))
        // A customer-style token (no "agent:" prefix) and an expired one are refused alike.
        let customerToken = LoginTokenVerifier.makeToken(customerID: "jana", expiry: Int64(Date().timeIntervalSince1970) + 600, secret: Self.secret)
        for bad in [customerToken, token("jana", ttl: -5), "123.nothex", token("jana", secret: "wrong")] {
            try await agent.writeInbound(ChatInput.line("/login jana \(bad)"))
            let text = try await output(of: agent, loops: [agent]) { $0.contains("\n") }
            #expect(text.hasPrefix("! Login failed"))
        }
        #expect(!registry.agentsOnline)
        // The old secret still signs (rotation).
        try await agent.writeInbound(ChatInput.line("/login jana \(token("jana", secret: "old"))"))
        #expect(try await output(of: agent, loops: [agent]) { $0.contains("queue") }.contains("Logged in as Jana"))
        #expect(registry.agentsOnline)
        try await agent.close().get()
        #expect(!registry.agentsOnline)
    }

    @Test func aCustomerIsQueuedTakenAndTalksBothWaysThenGoesBackToTheBot() async throws {
        let registry = HandoffRegistry()
        let services = try ServerTestSupport.services(sync: .always, handoff: registry)
        defer { services.writer.close() }
        let agent = try await connect(AgentSessionHandler(agents: agents(registry)))
        let rival = try await connect(AgentSessionHandler(agents: agents(registry)))
        let customer = try await connect(ChatSessionHandler(services: services))
        let all = [agent, rival, customer]
        _ = try await output(of: agent, loops: all) { $0.contains("Log in") }
        _ = try await output(of: rival, loops: all) { $0.contains("Log in") }
        try await agent.writeInbound(ChatInput.line("/json"))
        try await agent.writeInbound(ChatInput.line("/login jana \(token("jana"))"))
        try await rival.writeInbound(ChatInput.line("/login omar \(token("omar"))"))
        _ = try await output(of: agent, loops: all) { $0.contains("\"queue\"") }
        _ = try await output(of: rival, loops: all) { $0.contains("queue") }
        _ = try await output(of: customer, loops: all) { $0.contains("Willkommen") }

        try await customer.writeInbound(ChatInput.line("/json"))
        try await customer.writeInbound(ChatInput.line("/agent"))
        let queued = try await output(of: customer, loops: all) { $0.contains("\"queued\"") }
        #expect(queued.contains("\"position\":1"))
        let ticket = try #require(registry.queueItems().first?.ticket)
        #expect(try await output(of: agent, loops: all) { $0.contains(ticket) }.contains("\"anonymous\""))

        try await agent.writeInbound(ChatInput.line("/take \(ticket)"))
        try await rival.writeInbound(ChatInput.line("/take \(ticket)"))
        #expect(try await output(of: agent, loops: all) { $0.contains("\"taken\"") }.contains("\"history\""))
        #expect(try await output(of: rival, loops: all) { $0.contains("is taken by") }.contains("Jana"))
        #expect(try await output(of: customer, loops: all) { $0.contains("Service-Team") }.contains("Jana vom Service-Team"))

        try await agent.writeInbound(ChatInput.line("Guten Tag!"))
        let said = try await output(of: customer, loops: all) { $0.contains("\"agent\"") }
        #expect(said.contains("\"name\":\"Jana\"") && said.contains("Guten Tag!"))
        try await customer.writeInbound(ChatInput.line("Wo ist mein Paket?"))
        #expect(try await output(of: agent, loops: all) { $0.contains("\"customer\"") }.contains("Wo ist mein Paket?"))
        // The bot stayed silent: no reply to the customer's line.
        #expect(try await output(of: customer, loops: all) { _ in false }.contains("\"reply\"") == false)

        try await agent.writeInbound(ChatInput.line("/back"))
        #expect(try await output(of: customer, loops: all) { $0.contains("Assistent") }.contains("\"info\""))
        let kinds = ServerTestSupport.records(in: services.configuration.transcripts).compactMap { $0["type"] as? String }
        for kind in ["handoff", "queued", "agent_joined", "agent_message", "handoff_message", "back_to_bot"] {
            #expect(kinds.contains(kind), "\(kind) missing in \(kinds)")
        }
    }

    @Test func aClosedCustomerSocketTellsTheAgentAtOnce() async throws {
        let registry = HandoffRegistry()
        let services = try ServerTestSupport.services(handoff: registry)
        defer { services.writer.close() }
        let agent = try await connect(AgentSessionHandler(agents: agents(registry)))
        let customer = try await connect(ChatSessionHandler(services: services))
        let all = [agent, customer]
        try await agent.writeInbound(ChatInput.line("/login jana \(token("jana"))"))
        _ = try await output(of: agent, loops: all) { $0.contains("queue") }
        try await customer.writeInbound(ChatInput.line("/agent"))
        _ = try await output(of: customer, loops: all) { $0.contains("Nr. 1") }
        let ticket = try #require(registry.queueItems().first?.ticket)
        try await agent.writeInbound(ChatInput.line("/take \(ticket)"))
        _ = try await output(of: agent, loops: all) { $0.contains("taken") }
        try await customer.close().get()
        #expect(try await output(of: agent, loops: all) { $0.contains("left") }.contains("[\(ticket)] the customer left"))
        try await agent.writeInbound(ChatInput.line("noch da?"))
        #expect(try await output(of: agent, loops: all) { $0.contains("!") }.contains("No conversation taken"))
    }
}
