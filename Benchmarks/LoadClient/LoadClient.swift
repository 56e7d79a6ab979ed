import Foundation
import NIOCore
import NIOPosix
import TreueServer

/// A load client for `treue serve` (and a bare NIO line-echo server to compare with): N
/// connections on 127.0.0.1, each sending a message and waiting for its reply, M times.
/// Prints messages per second and round-trip percentiles as one JSON object.
@main
struct LoadClient {
    static func main() async throws {
        let options: Options
        do { options = try Options(CommandLine.arguments.dropFirst()) } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            exit(2)
        }
        // The group lives until the process exits.
        let group = MultiThreadedEventLoopGroup(numberOfThreads: options.threads)
        if options.echoServer {
            try await EchoServer.run(group: group, port: options.port)
            return
        }
        if options.idle {
            try await IdleConnections.run(group: group, options: options)
            return
        }
        let started = NIODeadline.now()
        var futures: [EventLoopFuture<[Int64]>] = []
        var channels: [EventLoopFuture<any Channel>] = []
        for index in 0..<options.connections {
            let promise = group.next().makePromise(of: [Int64].self)
            let handler = ConversationDriver(options: options, promise: promise, seed: index)
            let connect = ClientBootstrap(group: group)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineFrameDecoder(maxLineBytes: 1 << 20)))
                        try channel.pipeline.syncOperations.addHandler(handler)
                    }
                }
                .connect(host: "127.0.0.1", port: options.port)
            connect.whenFailure { promise.fail($0) }
            futures.append(promise.futureResult)
            channels.append(connect)
            // Connect in small waves so the accept backlog never overflows.
            if index % 200 == 199 { try await Task.sleep(nanoseconds: 20_000_000) }
        }
        var latencies: [Int64] = []
        var failed = 0
        for future in futures {
            do { latencies += try await future.get() } catch { failed += 1 }
        }
        let seconds = Double((NIODeadline.now() - started).nanoseconds) / 1e9
        latencies.sort()
        func percentile(_ p: Double) -> Double {
            guard !latencies.isEmpty else { return 0 }
            return Double(latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]) / 1e6
        }
        let result: [String: Any] = [
            "connections": options.connections, "failed_connections": failed, "messages": latencies.count,
            "seconds": (seconds * 1000).rounded() / 1000, "msgs_per_s": (Double(latencies.count) / seconds).rounded(),
            "p50_ms": percentile(0.5), "p99_ms": percentile(0.99), "p999_ms": percentile(0.999), "protocol": options.echo ? "echo" : "treue",
        ]
        let data = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        FileHandle.standardOutput.write(data + Data("\n".utf8))
        if options.hold {
            // The sessions stay open, each after its last reply, until the caller closes our stdin.
            while readLine() != nil {}
            for channel in channels { try? await channel.get().close() }
        }
        if failed > 0 { exit(1) }
    }
}

struct Options {
    var port = 4242
    var connections = 100
    var messages = 100
    var threads = 2
    var echo = false
    var echoServer = false
    var idle = false
    var hold = false
    var message = "wo ist mein paket 12345678?"
    /// Logs each connection in first (`/login ID`), so order questions are answered from
    /// facts; pick a customer without a proactive welcome, whose login is one line.
    var login: String?

    init(_ arguments: ArraySlice<String>) throws {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            func value() throws -> String {
                guard let next = iterator.next() else { throw OptionsError(message: "\(argument) needs a value") }
                return next
            }
            switch argument {
            case "--port": port = Int(try value()) ?? port
            case "--connections": connections = Int(try value()) ?? connections
            case "--messages": messages = Int(try value()) ?? messages
            case "--threads": threads = Int(try value()) ?? threads
            case "--message": message = try value()
            case "--login": login = try value()
            case "--echo": echo = true
            case "--echo-server": echoServer = true
            case "--idle": idle = true
            case "--hold": hold = true
            default:
                throw OptionsError(message: """
                    usage: treue-load --port P [--connections N] [--messages M] [--message TEXT] [--login ID] [--echo] [--threads T] [--hold]
                           (--hold: keep the connections open after the last reply until stdin closes)
                           treue-load --echo-server [--port P]      (a bare NIO line-echo server)
                           treue-load --idle --port P --connections N (opens N idle connections, holds them until stdin closes)
                    """)
            }
        }
    }
}

struct OptionsError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// Drives one connection: (for Treue) switch to JSON mode, then send, await one line,
/// repeat; the reply must be a `reply` object.
final class ConversationDriver: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = LineFrame
    typealias OutboundOut = ByteBuffer

    private let options: Options
    private let promise: EventLoopPromise<[Int64]>
    private var linesToSkip: Int
    private var sent = 0
    private var sentAt = NIODeadline.now()
    private var latencies: [Int64] = []
    private let message: String

    init(options: Options, promise: EventLoopPromise<[Int64]>, seed: Int) {
        self.options = options
        self.promise = promise
        // Plain greeting, then the mode acknowledgement and the greeting again in JSON (and
        // the login's info line).
        linesToSkip = options.echo ? 0 : options.login == nil ? 3 : 4
        message = options.message
        latencies.reserveCapacity(options.messages)
    }

    func channelActive(context: ChannelHandlerContext) {
        if options.echo { send(context) } else { write(context, options.login.map { "/json\n/login \($0)" } ?? "/json") }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case let .line(buffer) = unwrapInboundIn(data) else { return }
        if linesToSkip > 0 {
            linesToSkip -= 1
            if linesToSkip == 0 { send(context) }
            return
        }
        if !options.echo, !String(buffer: buffer).hasPrefix(#"{"intent""#) {
            promise.fail(OptionsError(message: "unexpected reply: \(String(buffer: buffer).prefix(120))"))
            context.close(promise: nil)
            return
        }
        latencies.append((NIODeadline.now() - sentAt).nanoseconds)
        if sent < options.messages { send(context) } else {
            promise.succeed(latencies)
            if !options.hold { context.close(promise: nil) }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        // After success this does nothing (a promise completes once).
        promise.fail(OptionsError(message: "connection closed after \(latencies.count) replies"))
    }

    private func send(_ context: ChannelHandlerContext) {
        sent += 1
        sentAt = .now()
        write(context, message)
    }

    private func write(_ context: ChannelHandlerContext, _ text: String) {
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: text + "\n")), promise: nil)
    }
}
