import Foundation
import NIOCore
import NIOPosix
import TreueServer

/// The ceiling for this machine and client: a NIO server that answers every line with
/// the same line, through the same line framing Treue uses, and nothing else.
enum EchoServer {
    static func run(group: MultiThreadedEventLoopGroup, port: Int) async throws {
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 1024)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineFrameDecoder(maxLineBytes: 4096)))
                    try channel.pipeline.syncOperations.addHandler(EchoHandler())
                }
            }
            .bind(host: "127.0.0.1", port: port).get()
        // Unbuffered: a script reading our stdout through a pipe must see the port now.
        FileHandle.standardOutput.write(Data("listening on 127.0.0.1:\(channel.localAddress?.port ?? port)\n".utf8))
        try await channel.closeFuture.get()
    }
}

final class EchoHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = LineFrame
    typealias OutboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case var .line(buffer) = unwrapInboundIn(data) else { return }
        buffer.writeInteger(UInt8(10))
        context.writeAndFlush(wrapOutboundOut(buffer), promise: nil)
    }
}
