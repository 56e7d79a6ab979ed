import NIOCore

/// Cuts a connection's bytes into lines (`LineFrameDecoder`) and hands on at most
/// `linesPerTurn` of them per turn of the event loop.
///
/// Why: one read can bring thousands of pipelined lines (a client that floods and never
/// reads its replies). Cut all at once, as `ByteToMessageHandler` does, every one of them
/// was understood and answered before the event loop came back to anyone else: in a debug
/// build about 1.6 s for the ~960 lines of one 45 KB read, during which every other
/// customer on that loop waited.
///
/// How, with NIO's own backpressure rather than a queue of lines: lines beyond the quota
/// stay as bytes in this handler's buffer, and while they do, the channel's `read()` is
/// held here, so the backlog is at most what the last read brought. The next quota comes
/// in the loop's next round of backlogs (`BacklogRounds`, which lets the loop read its
/// other sockets in between), and only when a handler after this one asks to read again:
/// a session that pauses its input (client not reading, replies waiting for the disk, an
/// order lookup) holds that read, and with it the rest of the backlog.
public final class LineFramingHandler: ChannelDuplexHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = LineFrame
    public typealias OutboundIn = NIOAny
    public typealias OutboundOut = NIOAny

    private var decoder: LineFrameDecoder
    private let linesPerTurn: Int
    /// Bytes read and not yet cut into lines; nil when there are none.
    private var buffer: ByteBuffer?
    /// Lines this turn may still hand on.
    private var left: Int
    /// The quota ran out with bytes left over: complete lines may be waiting in `buffer`.
    private var backlog = false
    private var waitingForTurn = false
    /// The client closed its sending side while lines were waiting: the event follows them.
    private var inputClosedHeld = false
    private var handingOn = false
    private var gone = false

    private let rounds: BacklogRoundsByLoop

    public init(maxLineBytes: Int, linesPerTurn: Int, rounds: BacklogRoundsByLoop) {
        decoder = LineFrameDecoder(maxLineBytes: maxLineBytes)
        self.rounds = rounds
        self.linesPerTurn = max(1, linesPerTurn)
        left = self.linesPerTurn
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if var stored = buffer {
            buffer = nil  // one owner, so the append does not copy the storage
            if stored.readerIndex > 0 { stored.discardReadBytes() }
            stored.writeBuffer(&incoming)
            buffer = stored
        } else {
            buffer = incoming
        }
        // Behind a backlog new bytes wait for its turns. A line handed on may lead to this
        // being called again (a handler after this one reading synchronously); the loop
        // already running picks the bytes up.
        guard !handingOn, !backlog else { return }
        handOn(context: context)
    }

    public func channelReadComplete(context: ChannelHandlerContext) {
        // The channel's read is over; what it asks for next is a new turn.
        left = linesPerTurn
        context.fireChannelReadComplete()
    }

    public func read(context: ChannelHandlerContext) {
        guard backlog else {
            context.read()
            return
        }
        // Held: the turn below passes it on once the backlog is gone.
        guard !waitingForTurn else { return }
        waitingForTurn = true
        rounds.of(context.eventLoop).wait { self.turn(context: context) }
    }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event as? ChannelEvent == .inputClosed else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        if backlog {
            inputClosedHeld = true
        } else {
            finishInput(context: context)
        }
    }

    public func channelInactive(context: ChannelHandlerContext) {
        // A line left without its LF still counts, as with `ByteToMessageHandler`. Complete
        // lines still waiting behind the quota are not answered: nobody can read the answer
        // now, and handing them all on at once would stall the loop as before.
        if !backlog { lastLine(context: context) }
        gone = true
        buffer = nil
        backlog = false
        context.fireChannelInactive()
    }

    public func handlerRemoved(context: ChannelHandlerContext) {
        gone = true
        buffer = nil
    }

    /// Hands on lines while this turn's quota lasts.
    private func handOn(context: ChannelHandlerContext) {
        handingOn = true
        defer { handingOn = false }
        while left > 0, !gone, let frame = nextFrame() {
            left -= 1
            context.fireChannelRead(wrapInboundOut(frame))
        }
        // At the quota more lines may wait (finding out would cost a search): the next turn sees.
        backlog = left == 0 && (buffer?.readableBytes ?? 0) > 0
    }

    private func nextFrame() -> LineFrame? {
        guard var stored = buffer else { return nil }
        buffer = nil
        let frame = decoder.nextFrame(in: &stored)
        buffer = stored.readableBytes > 0 ? stored : nil
        return frame
    }

    /// One quota of the backlog, in a round of the loop's backlogs.
    private func turn(context: ChannelHandlerContext) {
        waitingForTurn = false
        guard !gone else { return }
        left = linesPerTurn
        handOn(context: context)
        // Whatever the next read brings is a turn of its own.
        left = linesPerTurn
        context.fireChannelReadComplete()
        if backlog {
            // Ask for the next part as the channel asks for the next read (autoRead): through
            // the whole pipeline, so a handler after this one that pauses input holds it.
            if (try? context.channel.syncOptions?.getOption(ChannelOptions.autoRead)) ?? true {
                context.pipeline.syncOperations.read()
            }
            return
        }
        if inputClosedHeld {
            inputClosedHeld = false
            finishInput(context: context)
        }
        // The backlog is gone: the read that asked for it goes to the socket.
        context.read()
    }

    /// End of input: a last line without LF, then the event.
    private func finishInput(context: ChannelHandlerContext) {
        lastLine(context: context)
        context.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
    }

    private func lastLine(context: ChannelHandlerContext) {
        guard var stored = buffer else { return }
        buffer = nil
        if let frame = decoder.lastFrame(in: &stored) {
            context.fireChannelRead(wrapInboundOut(frame))
        }
    }
}
