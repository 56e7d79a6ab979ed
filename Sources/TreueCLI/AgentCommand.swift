import ArgumentParser
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import TreueCore
import TreueServer
#if canImport(Glibc)
import Glibc
#endif

/// `treue agent`: the service agents' console. Connects to one or more agent listeners
/// (several instances behind a load balancer), shows one merged queue, and sends each
/// command to the instance that has the ticket.
struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "The service agents' console: the waiting customers of one or more servers, and the conversations you take.",
        discussion: """
            The agent token comes from --token-file or TREUE_AGENT_TOKEN, never from the command line. \
            Commands: /queue, /take TICKET, /switch TICKET, /back, /close, /note TEXT, /who, /quit; any other line goes \
            to the customer of your current ticket. With several servers the queue is merged and each ticket \
            is shown with its server's number. Colour follows the terminal (NO_COLOR turns it off). docs/handoff.md.
            """
    )

    @Argument(help: "Agent listeners, HOST:PORT (one per instance).")
    var addresses: [String] = ["127.0.0.1:4243"]

    @Option(help: "Your agent id.")
    var id: String

    @Option(help: "File holding your agent token (EXP.HEX); otherwise TREUE_AGENT_TOKEN.")
    var tokenFile: String?

    func run() async throws {
        let token: String
        if let tokenFile {
            guard let text = try? String(contentsOfFile: tokenFile, encoding: .utf8) else {
                throw CommandFailure.unreadable(what: "the agent token file", path: tokenFile)
            }
            token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        } else if let value = ProcessInfo.processInfo.environment["TREUE_AGENT_TOKEN"] {
            token = value.trimmingCharacters(in: .whitespacesAndNewlines)
        } else {
            throw CommandFailure.agents("no agent token: --token-file PATH or TREUE_AGENT_TOKEN")
        }
        guard !token.isEmpty, !token.contains(" ") else { throw CommandFailure.agents("the agent token is empty or malformed") }
        let style = TerminalStyle.detect()
        let console = AgentConsole(style: style, servers: addresses.count)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var channels: [any Channel] = []
        for (index, address) in addresses.enumerated() {
            let parts = address.split(separator: ":")
            guard parts.count == 2, let port = Int(parts[1]) else { throw ValidationError("'\(address)' is not HOST:PORT") }
            do {
                let channel = try await ClientBootstrap(group: group)
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineFrameDecoder(maxLineBytes: 1 << 20)))
                            try channel.pipeline.syncOperations.addHandler(AgentPrinter(console: console, server: index))
                        }
                    }
                    .connect(host: String(parts[0]), port: port).get()
                try await channel.writeAndFlush(channel.allocator.buffer(string: "/json\n/login \(id) \(token)\n"))
                channels.append(channel)
            } catch {
                throw CommandFailure.connect(address: address, error: error)
            }
        }
        let all = channels
        let input = Thread {
            while !console.allClosed, let line = readLine() {
                let trimmed = line.trimmingCharacters(in: .whitespaces)
                guard !trimmed.isEmpty else { continue }
                for (server, text) in console.route(trimmed) {
                    all[server].writeAndFlush(all[server].allocator.buffer(string: text + "\n"), promise: nil)
                }
                if trimmed.lowercased() == "/quit" { break }
            }
            for channel in all { channel.writeAndFlush(channel.allocator.buffer(string: "/quit\n"), promise: nil) }
        }
        input.start()
        for channel in channels { try? await channel.closeFuture.get() }
        try await group.shutdownGracefully()
    }
}

/// The console's view: each server's queue, which server has which ticket, the current
/// ticket. Shared by the input thread and the printers.
final class AgentConsole: Sendable {
    struct State {
        var queues: [[AgentQueueItem]]
        var ticketServer: [String: Int] = [:]
        var current: String?
        var closed: Set<Int> = []
    }

    struct AgentQueueItem {
        let ticket: String
        let line: String
    }

    let style: TerminalStyle
    let servers: Int
    private let state: NIOLockedValueBox<State>

    init(style: TerminalStyle, servers: Int) {
        self.style = style
        self.servers = servers
        state = NIOLockedValueBox(State(queues: Array(repeating: [], count: servers)))
    }

    var allClosed: Bool { state.withLockedValue { $0.closed.count == servers } }

    func closed(_ server: Int) { state.withLockedValue { _ = $0.closed.insert(server) } }

    /// Where a typed line goes: queue and who to every server, a ticket command to the
    /// server that has that ticket, everything else to the current ticket's server.
    func route(_ line: String) -> [(Int, String)] {
        let words = line.split(separator: " ", maxSplits: 1)
        let command = words.first.map { $0.lowercased() } ?? ""
        let argument = words.count > 1 ? String(words[1]).uppercased() : ""
        return state.withLockedValue { state in
            switch command {
            case "/queue", "/who", "/quit", "/help", "/json", "/text":
                return (0..<servers).map { ($0, line) }
            case "/take", "/switch":
                guard let server = state.ticketServer[argument] else { return (0..<servers).map { ($0, line) } }
                if command == "/switch" { state.current = argument }
                return [(server, line)]
            default:
                guard let current = state.current, let server = state.ticketServer[current] else { return [(0, line)] }
                return [(server, line)]
            }
        }
    }

    func show(queue items: [[String: Any]], from server: Int) {
        let text: String = state.withLockedValue { state in
            state.queues[server] = items.compactMap { item in
                guard let ticket = item["ticket"] as? String else { return nil }
                state.ticketServer[ticket] = server
                let waiting = item["waiting_s"] as? Int ?? 0
                let label = servers > 1 ? "[\(server + 1)] " : ""
                let who = TerminalText.visible(item["customer"] as? String ?? "anonymous")
                let last = TerminalText.visible(item["last"] as? String ?? "")
                return AgentQueueItem(ticket: ticket, line: "\(label)\(ticket)  \(waiting)s  \(item["lang"] as? String ?? "?")  \(item["phase"] as? String ?? "?")  \(who)  \"\(last)\"")
            }
            let merged = state.queues.flatMap { $0 }
            if merged.isEmpty { return "queue: nobody waiting" }
            return (["queue: \(merged.count) waiting (oldest first per server)"] + merged.map { "  " + $0.line }).joined(separator: "\n")
        }
        emit(style.paint(text, .suggestion))
    }

    func taken(_ ticket: String, server: Int) {
        state.withLockedValue { state in
            state.ticketServer[ticket] = server
            state.current = ticket
        }
    }

    func released(_ ticket: String) {
        state.withLockedValue { state in
            if state.current == ticket { state.current = nil }
        }
    }
}

/// Prints one agent listener's JSON objects for a person.
final class AgentPrinter: ChannelInboundHandler, Sendable {
    typealias InboundIn = LineFrame

    let console: AgentConsole
    let server: Int

    init(console: AgentConsole, server: Int) {
        self.console = console
        self.server = server
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case let .line(buffer) = unwrapInboundIn(data) else { return }
        guard let object = try? JSONSerialization.jsonObject(with: Data(String(buffer: buffer).utf8)) as? [String: Any],
              let type = object["type"] as? String else { return }
        let style = console.style
        // Whatever answers on the port is not trusted with the terminal.
        let text = TerminalText.visible(object["text"] as? String ?? "", keepingNewlines: true)
        let ticket = TerminalText.visible(object["ticket"] as? String ?? "")
        switch type {
        case "queue":
            console.show(queue: object["items"] as? [[String: Any]] ?? [], from: server)
        case "taken":
            console.taken(ticket, server: server)
            var lines = ["— \(ticket) is yours"]
            let profile = (object["profile"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }
            if !profile.isEmpty {
                lines.append("  profile: " + profile.map { TerminalText.visible("\($0.key)=\($0.value)") }.joined(separator: ", "))
            }
            let intents = (object["intents"] as? [String] ?? []).map { TerminalText.visible($0) }
            lines.append("  intents tried: " + (intents.isEmpty ? "none" : intents.joined(separator: ", ")))
            lines.append("  so far:")
            for turn in object["history"] as? [[String: Any]] ?? [] {
                lines.append("  \(turn["from"] as? String ?? "?"): " + TerminalText.visible(turn["text"] as? String ?? ""))
            }
            emit(style.paint(style.wrap(lines.joined(separator: "\n"), indent: "  "), .info))
        case "customer":
            emit(style.paint(style.wrap("[\(ticket)] customer: " + text, indent: "  "), .bot))
        case "left":
            console.released(ticket)
            emit(style.paint("[\(ticket)] the customer left", .error))
        case "info", "greeting":
            emit(style.paint(style.wrap(text, indent: "  "), .info))
        case "error":
            emit(style.paint(style.wrap("! " + text, indent: "  "), .error))
        case "bye":
            emit(style.paint(text, .info))
        default:
            return
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        console.closed(server)
        if console.allClosed { exit(0) }
        context.fireChannelInactive()
    }
}

/// Writes a line straight to the terminal. Not `print` plus `fflush(nil)`: flushing every
/// stream waits for stdin's lock, which the reading thread holds while it waits for a line.
func emit(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}
