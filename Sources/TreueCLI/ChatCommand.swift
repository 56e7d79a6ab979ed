import ArgumentParser
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import TreueCore
import TreueServer
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `treue chat`: a terminal client that speaks JSON mode and shows it for people.
struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Chat with a Treue server from the terminal.",
        discussion: """
            Answers are wrapped to the terminal and coloured when it supports colour (NO_COLOR turns colour off). \
            Suggestions are numbered: type the number to send one. Commands (/help, /lang en, /login ID, …) pass \
            through. On exit (/quit or Ctrl-D) the server asks for a 1–5 rating. For line editing and history run \
            it under rlwrap: rlwrap treue chat.
            """
    )

    @Argument(help: "Server address.")
    var address = "127.0.0.1:4242"

    func run() async throws {
        let parts = address.split(separator: ":")
        guard parts.count == 2, let port = Int(parts[1]) else { throw ValidationError("address must be HOST:PORT") }
        let style = TerminalStyle.detect()
        let state = ChatState()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let channel: any Channel
        do {
            channel = try await ClientBootstrap(group: group)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineFrameDecoder(maxLineBytes: 1 << 20)))
                        try channel.pipeline.syncOperations.addHandler(ChatPrinter(style: style, state: state))
                    }
                }
                .connect(host: String(parts[0]), port: port).get()
        } catch {
            throw CommandFailure.connect(address: address, error: error)
        }
        try await channel.writeAndFlush(channel.allocator.buffer(string: "/json\n"))
        // stdin blocks, so it is read on a thread of its own.
        let input = Thread {
            // Turn by turn: the next line goes out once the answer to the last one is shown,
            // so a number always refers to the suggestions on screen.
            state.waitForAnswer()
            while !state.isClosed, let line = readLine() {
                guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
                channel.writeAndFlush(channel.allocator.buffer(string: state.expand(line) + "\n"), promise: nil)
                // With a person on the other side a line may get no answer at all (the bot
                // is silent): the next line goes out at once, answers print as they come.
                if !state.isLive { state.waitForAnswer() }
            }
            if state.isClosed { return }
            // End of input: ask to quit properly, so the rating prompt and goodbye still come.
            channel.writeAndFlush(channel.allocator.buffer(string: "/quit\n"), promise: nil)
            channel.writeAndFlush(channel.allocator.buffer(string: "-\n"), promise: nil)
        }
        input.start()
        try await channel.closeFuture.get()
        try await group.shutdownGracefully()
    }
}

/// What the stdin thread and the printer share: the last suggestions, and whether the
/// server has said goodbye.
final class ChatState: Sendable {
    private let suggestions = NIOLockedValueBox<[String]>([])
    private let closed = NIOLockedValueBox(false)
    /// Queued for or talking to a service agent.
    private let live = NIOLockedValueBox(false)

    func setLive(_ value: Bool) { live.withLockedValue { $0 = value } }
    var isLive: Bool { live.withLockedValue { $0 } }
    private let answered = DispatchSemaphore(value: 0)

    func answerShown() { answered.signal() }

    func waitForAnswer() { _ = answered.wait(timeout: .now() + 30) }

    func offer(_ list: [String]) { suggestions.withLockedValue { $0 = list } }

    /// A number picks the suggestion shown with it; anything else is sent as typed.
    func expand(_ line: String) -> String {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        if let number = Int(trimmed) {
            let list = suggestions.withLockedValue { $0 }
            if number >= 1, number <= list.count { return list[number - 1] }
        }
        return line
    }

    func close() {
        closed.withLockedValue { $0 = true }
        answered.signal()
    }
    var isClosed: Bool { closed.withLockedValue { $0 } }
}

/// Prints the server's JSON objects for a person.
final class ChatPrinter: ChannelInboundHandler, Sendable {
    typealias InboundIn = LineFrame

    let style: TerminalStyle
    let state: ChatState

    init(style: TerminalStyle, state: ChatState) {
        self.style = style
        self.state = state
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case let .line(buffer) = unwrapInboundIn(data) else { return }
        let line = String(buffer: buffer)
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let type = object["type"] as? String else {
            // The plain greeting before JSON mode starts.
            return
        }
        // The server (or whatever answers on the port) is not trusted with the terminal:
        // its text and suggestions are shown with every control character made visible.
        let text = TerminalText.visible(object["text"] as? String ?? "", keepingNewlines: true)
        switch type {
        case "greeting", "reply", "proactive":
            print(style.paint(style.wrap(text, indent: "  "), .bot))
            let suggestions = object["suggestions"] as? [String] ?? []
            state.offer(suggestions)
            for (index, suggestion) in suggestions.enumerated() {
                print(style.paint("   \(index + 1)) \(TerminalText.visible(suggestion))", .suggestion))
            }
        case "prompt", "info", "queued":
            if type == "queued" { state.setLive(true) }
            print(style.paint(style.wrap(text, indent: "  "), .info))
        case "agent":
            state.setLive(true)
            // A person from the service team, with their name.
            let name = TerminalText.visible(object["name"] as? String ?? "")
            print(style.paint(style.wrap(name + ": " + text, indent: "  "), .suggestion))
        case "error":
            print(style.paint(style.wrap("! " + text, indent: "  "), .error))
        case "bye":
            print(style.paint(style.wrap(text, indent: "  "), .bot))
            state.close()
        default:
            return
        }
        fflush(nil)
        state.answerShown()
    }

    func channelInactive(context: ChannelHandlerContext) {
        state.close()
        context.fireChannelInactive()
    }
}

/// Colour and width of the terminal, if it is one.
struct TerminalStyle: Sendable {
    enum Role { case bot, suggestion, info, error }

    let colour: Bool
    let width: Int

    static func detect() -> TerminalStyle {
        let isTerminal = isatty(1) == 1
        var size = winsize()
        let width = isTerminal && ioctl(1, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 20 ? Int(size.ws_col) : 80
        let environment = ProcessInfo.processInfo.environment
        let colour = isTerminal && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
        return TerminalStyle(colour: colour, width: width)
    }

    func paint(_ text: String, _ role: Role) -> String {
        guard colour else { return text }
        let code = switch role {
        case .bot: "1;36"
        case .suggestion: "33"
        case .info: "2"
        case .error: "31"
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }

    /// Wraps at word boundaries to the terminal width.
    func wrap(_ text: String, indent: String) -> String {
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = indent
            for word in paragraph.split(separator: " ") {
                if line.count + word.count + 1 > width, line.count > indent.count {
                    lines.append(line)
                    line = indent
                }
                line += (line.count > indent.count ? " " : "") + word
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}
