import Foundation
import Logging
import NIOCore
import TreueCore

/// One service agent's connection (SPEC 4a): login with an agent token, then the queue,
/// taking tickets and writing to customers. The customers' conversations stay on their
/// own event loops; this handler reaches them only through the `HandoffRegistry`.
public final class AgentSessionHandler: ChannelInboundHandler {
    public typealias InboundIn = ChatInput
    public typealias OutboundOut = ByteBuffer

    private let agents: AgentServices
    private var mode: OutputMode = .text
    private var limiter: RateLimiter
    private var connection: Int?
    private var agentID = ""
    /// The ticket plain lines go to: the last taken, or `/switch TICKET`.
    private var current: String?
    private var logger: Logger
    private var json = JSONLineWriter(capacity: 0)

    public init(agents: AgentServices) {
        self.agents = agents
        limiter = RateLimiter(perSecond: agents.linesPerSecond, burst: agents.burst)
        logger = agents.logger
    }

    public func channelActive(context: ChannelHandlerContext) {
        // The loop's clock, as the customer side: tests drive it (EmbeddedEventLoop).
        limiter = RateLimiter(perSecond: agents.linesPerSecond, burst: agents.burst, now: context.eventLoop.now)
        show(.greeting(text: "Treue agent console. Log in: /login AGENT_ID TOKEN (/help lists the commands)"), context: context)
        context.fireChannelActive()
    }

    public func channelInactive(context: ChannelHandlerContext) {
        if let connection {
            agents.registry.removeAgent(connection)
            logger.notice("agent logged out", metadata: ["agent": "\(agentID)"])
        }
        connection = nil
        context.fireChannelInactive()
    }

    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let input = unwrapInboundIn(data)
        guard limiter.allow(now: context.eventLoop.now) else {
            if limiter.refusedInARow >= agents.floodDisconnectAfter {
                show(.error(code: .rateLimited, text: "Too many lines; disconnected."), context: context, close: true)
            } else if limiter.refusedInARow == 1 {
                show(.error(code: .rateLimited, text: "Too many lines; slow down."), context: context)
            }
            return
        }
        switch input {
        case let .rejected(_, detail):
            show(.error(code: .invalidInput, text: "Line refused: \(detail)."), context: context)
        case let .line(raw):
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty else { return }
            handle(line, context: context)
        }
    }

    private func handle(_ line: String, context: ChannelHandlerContext) {
        guard line.hasPrefix("/") else {
            guard let connection else { return show(.error(code: .notLoggedIn, text: "Log in first: /login AGENT_ID TOKEN"), context: context) }
            guard let ticket = current else {
                return show(.error(code: .noTicket, text: "No conversation taken: /queue, then /take TICKET."), context: context)
            }
            if !agents.registry.act(.says(ticket: ticket, agent: agentID, text: line), ticket: ticket, connection: connection) {
                current = nil
                show(.error(code: .unknownTicket, text: "Ticket \(ticket) is no longer yours (the customer left or it was closed)."), context: context)
            }
            return
        }
        let parts = line.split(separator: " ", maxSplits: 1)
        let name = parts[0].lowercased()
        let argument = parts.count > 1 ? String(parts[1]).trimmingCharacters(in: .whitespaces) : ""
        switch name {
        case "/help":
            show(.info(text: connection == nil
                ? "Commands: /login AGENT_ID TOKEN, /json, /text, /help, /quit"
                : "Commands: /queue, /take TICKET, /switch TICKET, /back, /close, /note TEXT, /who, /json, /text, /help, /quit; a plain line goes to the customer of the current ticket"),
                 context: context)
        case "/json":
            mode = .json
            show(.mode(.json), context: context)
        case "/text":
            mode = .text
            show(.mode(.text), context: context)
        case "/quit":
            show(.bye(text: "Goodbye."), context: context, close: true)
        case "/login":
            login(argument, context: context)
        default:
            guard let connection else {
                return show(.error(code: .notLoggedIn, text: "Log in first: /login AGENT_ID TOKEN"), context: context)
            }
            command(name, argument, connection: connection, context: context)
        }
    }

    private func login(_ argument: String, context: ChannelHandlerContext) {
        guard connection == nil else { return show(.error(code: .badArgument, text: "Already logged in."), context: context) }
        let words = argument.split(separator: " ")
        guard words.count == 2 else { return show(.error(code: .badArgument, text: "Usage: /login AGENT_ID TOKEN"), context: context) }
        let id = String(words[0])
        // The agent id is signed with an "agent:" prefix, so a customer token never works here.
        let valid = CustomerID.isValid(id) && agents.verifier.verify(customerID: "agent:" + id, token: String(words[1]))
        guard valid else {
            logger.warning("agent login refused")
            return show(.error(code: .loginFailed, text: "Login failed: unknown agent or bad or expired token."), context: context)
        }
        agentID = id
        let name = agents.names[id] ?? id
        let loop = context.eventLoop
        let bound = NIOLoopBound((self, context), eventLoop: loop)
        connection = agents.registry.addAgent(id: id, name: name, endpoint: SessionEndpoint { output in
            loop.execute {
                let (handler, context) = bound.value
                handler.receive(output, context: context)
            }
        })
        logger[metadataKey: "agent"] = "\(id)"
        logger.notice("agent logged in")
        show(.info(text: "Logged in as \(name). /queue shows the waiting customers."), context: context)
        show(.queue(agents.registry.queueItems()), context: context)
    }

    private func command(_ name: String, _ argument: String, connection: Int, context: ChannelHandlerContext) {
        let registry = agents.registry
        switch name {
        case "/queue":
            show(.queue(registry.queueItems()), context: context)
        case "/take":
            guard !argument.isEmpty else { return show(.error(code: .badArgument, text: "Usage: /take TICKET"), context: context) }
            switch registry.take(argument.uppercased(), connection: connection) {
            case let .success(ticket):
                current = ticket.id
                show(.taken(ticket: ticket.id, history: ticket.history, profile: ticket.profile, intents: ticket.intents), context: context)
            case let .failure(.taken(by)):
                show(.error(code: .taken, text: "Ticket \(argument.uppercased()) is taken by \(by)."), context: context)
            case .failure(.unknown):
                show(.error(code: .unknownTicket, text: "No ticket \(argument.uppercased()) waiting here (/queue)."), context: context)
            }
        case "/switch":
            let ticket = argument.uppercased()
            guard registry.tickets(of: connection).contains(ticket) else {
                return show(.error(code: .unknownTicket, text: "You hold no ticket \(ticket) (/who)."), context: context)
            }
            current = ticket
            show(.info(text: "Now writing to \(ticket)."), context: context)
        case "/back", "/close":
            guard let ticket = current else { return show(.error(code: .noTicket, text: "No conversation taken."), context: context) }
            let action: AgentAction = name == "/back" ? .back(ticket: ticket, agent: agentID) : .close(ticket: ticket, agent: agentID)
            guard registry.act(action, ticket: ticket, connection: connection) else {
                current = nil
                return show(.error(code: .unknownTicket, text: "Ticket \(ticket) is no longer yours."), context: context)
            }
            current = registry.tickets(of: connection).last
            show(.info(text: name == "/back" ? "\(ticket) is back with the bot." : "\(ticket) closed."), context: context)
        case "/note":
            guard let ticket = current else { return show(.error(code: .noTicket, text: "No conversation taken."), context: context) }
            guard !argument.isEmpty else { return show(.error(code: .badArgument, text: "Usage: /note TEXT"), context: context) }
            guard registry.act(.note(ticket: ticket, agent: agentID, text: argument), ticket: ticket, connection: connection) else {
                return show(.error(code: .unknownTicket, text: "Ticket \(ticket) is no longer yours."), context: context)
            }
            show(.info(text: "Note saved to \(ticket)."), context: context)
        case "/who":
            let lines = registry.who().map { "  \($0.name) (\($0.id)): " + ($0.tickets.isEmpty ? "no tickets" : $0.tickets.joined(separator: ", ")) }
            show(.info(text: (["agents online:"] + lines).joined(separator: "\n")), context: context)
        default:
            show(.error(code: .unknownCommand, text: "Unknown command \(name); /help lists the commands."), context: context)
        }
    }

    /// Something the registry delivered (a queue change, a customer line, a customer left).
    private func receive(_ output: AgentOutput, context: ChannelHandlerContext) {
        guard connection != nil, context.channel.isActive else { return }
        if case let .left(ticket) = output, current == ticket {
            current = connection.flatMap { agents.registry.tickets(of: $0).last }
        }
        show(output, context: context)
    }

    private func show(_ output: AgentOutput, context: ChannelHandlerContext, close: Bool = false) {
        var buffer = context.channel.allocator.buffer(capacity: 256)
        switch mode {
        case .text:
            buffer.writeString(output.plain)
            buffer.writeInteger(UInt8(10))
        case .json:
            json.removeAll()
            output.writeJSON(to: &json)
            buffer.writeBytes(json.bytes)
        }
        let written = context.writeAndFlush(wrapOutboundOut(buffer))
        if close {
            let channel = context.channel
            written.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
