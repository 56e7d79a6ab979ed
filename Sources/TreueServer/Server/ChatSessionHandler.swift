import CoreMetrics
import Foundation
import Logging
import NIOCore
import NIOExtras
import TreueCore

/// Drives one customer's `Conversation` from validated lines. Every step's transcript
/// records go to the writer first; the step's output reaches the socket only once they
/// are stored, so no customer ever sees a reply whose record could be lost.
public final class ChatSessionHandler: ChannelDuplexHandler {
    public typealias InboundIn = ChatInput
    public typealias OutboundIn = ByteBuffer
    public typealias OutboundOut = ByteBuffer

    private let services: ChatServices
    private var conversation: Conversation?
    private var wire = WireFormat()
    private var sequence = 0
    private var limiter: RateLimiter
    private var pendingReplies = 0
    private var closeAfterPending = false
    private var lastLine = NIODeadline.now()
    private var idleCheck: RepeatedTask?
    private var logger: Logger
    /// The opening records wait for the first line: a health check or port probe that
    /// connects and leaves is no customer session and leaves no transcript.
    private var unsavedOpening: (events: [TranscriptEvent], at: Date)?
    /// Patterns whose match-limit hit this session has logged already, so a client cannot
    /// flood the log through one.
    private var loggedPatternLimits: Set<String> = []
    private var readingEnabled = true
    /// A read the channel asked for while reading is paused; passed on when it resumes.
    private var readHeld = false
    /// The client closed its sending side: answer what it sent, then close.
    private var inputClosed = false
    /// An order lookup runs for this session: its lines wait (reading pauses; lines already
    /// framed queue here), every other session goes on.
    private var lookupInFlight = false
    private var lookupToken = 0
    private var waitingLines: [ChatInput] = []
    /// When the line being answered arrived, for the reply-latency histogram (nil when
    /// metrics are off).
    private var received: NIODeadline?
    private var volume: VolumeBudget
    private var volumeRefusedInARow = 0
    /// The client's address (from a trusted PROXY header, else the socket's): whose
    /// volume budget a line spends.
    private let client: String?
    private var address = "unknown"
    /// The ticket this session has in the handoff queue (waiting or taken).
    private var queuedTicket: String?

    /// `client` is the customer's address (from the socket, or a trusted proxy's PROXY
    /// header); it goes into this session's log lines.
    public init(services: ChatServices, client: String? = nil) {
        self.services = services
        limiter = RateLimiter(perSecond: services.configuration.linesPerSecond, burst: services.configuration.burst)
        volume = VolumeBudget(bytesPerMinute: Self.budget(services.configuration.bytesPerConnectionMinute, services))
        logger = services.logger
        self.client = client
        if let client { logger[metadataKey: "client"] = "\(client)" }
    }

    public func channelActive(context: ChannelHandlerContext) {
        start(context: context)
        context.fireChannelActive()
    }

    /// Added to a live connection (after a PROXY header, or behind a WebSocket), the
    /// session starts at once.
    public func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context: context) }
    }

    private func start(context: ChannelHandlerContext) {
        guard conversation == nil else { return }
        address = client ?? context.channel.remoteAddress?.ipAddress ?? "unknown"
        let kb = services.store.knowledgeBase
        var conversation = Conversation(knowledgeBase: kb)
        let step = conversation.open(kb)
        self.conversation = conversation
        logger[metadataKey: "session"] = "\(conversation.sessionID)"
        // The loop's clock, not the wall's: tests drive it (EmbeddedEventLoop).
        lastLine = context.eventLoop.now
        limiter = RateLimiter(perSecond: services.configuration.linesPerSecond, burst: services.configuration.burst, now: lastLine)
        volume = VolumeBudget(bytesPerMinute: Self.budget(services.configuration.bytesPerConnectionMinute, services), now: lastLine)
        let idle = services.configuration.idleTimeout
        let interval = TimeAmount.nanoseconds(max(TimeAmount.milliseconds(100).nanoseconds, min(idle.nanoseconds / 4, TimeAmount.seconds(5).nanoseconds)))
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        idleCheck = context.eventLoop.scheduleRepeatedTask(initialDelay: interval, delay: interval) { _ in
            let (handler, context) = loopBound.value
            handler.checkIdle(context: context)
        }
        unsavedOpening = (step.events, Date())
        send(ConversationStep(outputs: step.outputs), context: context)
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard let conversation, !conversation.isClosed else { return }
        let input = unwrapInboundIn(data)
        if case let .line(text) = input {
            lastLine = context.eventLoop.now
            guard limiter.allow(now: lastLine) else {
                services.metrics.rateLimitedLines.increment()
                rateLimited(context: context, refused: limiter.refusedInARow, detail: "rate limit")
                return
            }
            // Bytes, not only lines: what a connection and its address may have stored a minute.
            guard services.volumes.spend(text.utf8.count + 1, address: address, connection: &volume, now: lastLine) else {
                volumeRefusedInARow += 1
                rateLimited(context: context, refused: volumeRefusedInARow, detail: "volume budget")
                return
            }
            volumeRefusedInARow = 0
        }
        if lookupInFlight {
            waitingLines.append(input)
            return
        }
        handle(input, context: context)
    }

    private func handle(_ input: ChatInput, context: ChannelHandlerContext) {
        // Taken out, not copied: with the stored value alive too, the core's first change of
        // each of its dictionaries and arrays would copy it whole.
        guard self.conversation?.isClosed == false, var conversation = self.conversation.take() else { return }
        let kb = services.store.knowledgeBase
        let step: ConversationStep
        switch input {
        case let .rejected(code, detail):
            lastLine = context.eventLoop.now
            step = conversation.reject(code, detail: detail, kb)
        case let .line(text):
            let metrics = services.metrics
            received = metrics.isEnabled ? .now() : nil
            conversation.agentsAvailable = services.handoff?.agentsOnline ?? false
            var result = conversation.receive(text, kb: kb, identity: services.identity, scratch: services.scratches.scratch(for: kb))
            if case let .enqueue(ticket) = result.handoff {
                enqueue(ticket, conversation: &conversation, into: &result, context: context)
            }
            step = result
            if let received {
                metrics.matchDuration.recordNanoseconds((NIODeadline.now() - received).nanoseconds)
                metrics.count(step)
            }
        }
        self.conversation = consume conversation
        for case let .patternLimit(intent, pattern) in step.events where loggedPatternLimits.insert(pattern).inserted {
            logger.warning("pattern hit the match limit and was skipped; rewrite it (treue check reports it)",
                           metadata: ["intent": "\(intent)", "pattern": "\(pattern)"])
        }
        perform(step, context: context)
    }

    public func channelInactive(context: ChannelHandlerContext) {
        idleCheck?.cancel()
        idleCheck = nil
        // The agent (or the agents watching the queue) learn at once that the customer left.
        if let ticket = queuedTicket {
            queuedTicket = nil
            services.handoff?.withdraw(ticket: ticket)
        }
        if var conversation, !conversation.isClosed {
            let step = conversation.close(reason: "disconnect")
            self.conversation = conversation
            if unsavedOpening == nil { store(step.events, on: context.eventLoop, completion: nil) }
        }
        context.fireChannelInactive()
    }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            hangUp(context: context, messageKey: "shutdown_bye", reason: "shutdown")
            return
        }
        if case ChannelEvent.inputClosed = event {
            // Lines already read are answered (records first, as always); the write side
            // closes after the last answer, or now when nothing is pending.
            inputClosed = true
            closeIfInputDone(context: context, after: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    /// Backpressure by holding the channel's read (as NIO's `BackPressureHandler` does), not
    /// by switching `autoRead`: turning `autoRead` back on reads from the socket directly,
    /// past the handlers before this one, while a held read passes through them, so
    /// `LineFramingHandler` keeps the lines it has not handed on yet until this session
    /// wants more (see `updateReading`).
    public func read(context: ChannelHandlerContext) {
        if readingEnabled {
            context.read()
        } else {
            readHeld = true
        }
    }

    public func channelWritabilityChanged(context: ChannelHandlerContext) {
        updateReading(context: context)
        context.fireChannelWritabilityChanged()
    }

    public func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // Resets and broken pipes are how customers leave; nothing to report.
        if let ioError = error as? IOError, [ECONNRESET, EPIPE, ETIMEDOUT].contains(ioError.errnoCode) {
            context.close(promise: nil)
            return
        }
        logger.debug("connection error", metadata: ["error": "\(error)"])
        context.close(promise: nil)
    }

    // MARK: - Steps

    private func rateLimited(context: ChannelHandlerContext, refused: Int, detail: String) {
        guard var conversation else { return }
        let kb = services.store.knowledgeBase
        if refused >= services.configuration.floodDisconnectAfter {
            logger.warning("disconnecting a flooding client", metadata: ["refused": "\(refused)"])
            services.metrics.floodDisconnects.increment()
            var step = conversation.reject(.rateLimited, detail: "flood: disconnected", kb)
            step.events += conversation.close(reason: "flood").events
            step.closes = true
            self.conversation = conversation
            perform(step, context: context)
        } else if refused == 1 || refused % 10 == 0 {
            // Warn on the first refused line and now and then, not on every one.
            let step = conversation.reject(.rateLimited, detail: detail, kb)
            self.conversation = conversation
            perform(step, context: context)
        }
    }

    private func checkIdle(context: ChannelHandlerContext) {
        guard context.eventLoop.now - lastLine >= services.configuration.idleTimeout else { return }
        // A customer waiting for a person is not idle; the agent's /close ends it.
        guard conversation?.openTicket == nil else { return }
        services.metrics.idleDisconnects.increment()
        hangUp(context: context, messageKey: "idle_bye", reason: "idle")
    }

    private func hangUp(context: ChannelHandlerContext, messageKey: String, reason: String) {
        guard var conversation, !conversation.isClosed else { return }
        let step = conversation.hangUp(services.store.knowledgeBase, messageKey: messageKey, reason: reason)
        self.conversation = conversation
        idleCheck?.cancel()
        perform(step, context: context)
    }

    // MARK: - Order lookups

    /// Asks the order source off the event loop (or reads an in-memory export right here)
    /// and resumes the conversation with the answer, or with "unavailable" shortly after
    /// the timeout if the source never answers.
    private func startLookup(_ request: OrderRequest, context: ChannelHandlerContext) {
        lookupToken += 1
        let token = lookupToken
        let started = NIODeadline.now()
        guard let source = services.orders else {
            finishLookup(request.unavailable, token: token, started: started, context: context)
            return
        }
        if let immediate = request.immediate(source) {
            finishLookup(immediate, token: token, started: started, context: context)
            return
        }
        lookupInFlight = true
        updateReading(context: context)
        let loop = context.eventLoop
        let loopBound = NIOLoopBound((self, context), eventLoop: loop)
        let deadline = services.configuration.lookupTimeout + .milliseconds(500)
        let timeout = loop.scheduleTask(in: deadline) {
            let (handler, context) = loopBound.value
            handler.logger.warning("order source gave no answer in time", metadata: ["timeout_ms": "\(deadline.nanoseconds / 1_000_000)"])
            handler.finishLookup(request.unavailable, token: token, started: started, context: context)
        }
        Task {
            let result = await request.ask(source)
            loop.execute {
                timeout.cancel()
                let (handler, context) = loopBound.value
                handler.finishLookup(result, token: token, started: started, context: context)
            }
        }
    }

    private func finishLookup(_ result: OrderRequestResult, token: Int, started: NIODeadline, context: ChannelHandlerContext) {
        guard token == lookupToken else { return }
        lookupToken += 1
        lookupInFlight = false
        guard var conversation, !conversation.isClosed else { return }
        if case let .order(.unavailable(reason)) = result {
            logger.warning("order source unavailable", metadata: ["reason": "\(reason)"])
        }
        let latency = Int((NIODeadline.now() - started).nanoseconds / 1_000_000)
        let step = conversation.resume(result, latencyMs: latency, now: Date(), kb: services.store.knowledgeBase)
        self.conversation = conversation
        perform(step, context: context)
        updateReading(context: context)
        while !lookupInFlight, !waitingLines.isEmpty {
            handle(waitingLines.removeFirst(), context: context)
        }
    }

    // MARK: - Handoff to service agents

    /// Puts the ticket in this instance's queue (its position goes into the same step), or
    /// takes the callback path when the last agent has just gone.
    private func enqueue(_ ticket: HandoffQueue.Ticket, conversation: inout Conversation, into step: inout ConversationStep,
                         context: ChannelHandlerContext) {
        let kb = services.store.knowledgeBase
        let loop = context.eventLoop
        let bound = NIOLoopBound((self, context), eventLoop: loop)
        let endpoint = SessionEndpoint<AgentAction> { action in
            loop.execute {
                let (handler, context) = bound.value
                handler.fromAgent(action, context: context)
            }
        }
        if let position = services.handoff?.enqueue(ticket, endpoint: endpoint) {
            queuedTicket = ticket.id
            step.append(conversation.queued(position: position, kb: kb))
            step.handoff = .enqueue(ticket)
        } else {
            step.append(conversation.noAgent(kb: kb))
            step.handoff = nil
        }
    }

    /// An agent's action, on this session's loop: recorded first, then shown, like a reply.
    private func fromAgent(_ action: AgentAction, context: ChannelHandlerContext) {
        // Taken out, not copied: with the stored value alive too, the core's first change of
        // each of its dictionaries and arrays would copy it whole.
        guard self.conversation?.isClosed == false, var conversation = self.conversation.take() else { return }
        let kb = services.store.knowledgeBase
        let step: ConversationStep
        switch action {
        case let .joined(ticket, agent, name):
            step = conversation.agentJoined(ticket: ticket, agent: agent, name: name, kb: kb)
        case let .says(ticket, agent, text):
            lastLine = context.eventLoop.now
            step = conversation.agentSays(ticket: ticket, agent: agent, text: text)
        case let .note(ticket, agent, text):
            step = conversation.agentNote(ticket: ticket, agent: agent, text: text)
        case let .back(ticket, agent):
            queuedTicket = nil
            lastLine = context.eventLoop.now
            step = conversation.agentReturns(ticket: ticket, agent: agent, kb: kb)
        case let .close(ticket, agent):
            queuedTicket = nil
            lastLine = context.eventLoop.now
            step = conversation.agentCloses(ticket: ticket, agent: agent, kb: kb)
        case let .requeued(ticket, position):
            step = conversation.agentLeft(ticket: ticket, position: position, kb: kb)
        case let .movedUp(ticket, position):
            step = conversation.movedUp(ticket: ticket, position: position, kb: kb)
        case .noAgent:
            queuedTicket = nil
            step = conversation.noAgent(kb: kb)
        }
        self.conversation = conversation
        perform(step, context: context)
    }

    /// Stores the step's records, then writes its outputs, then closes if it asks to.
    private func perform(_ step: ConversationStep, context: ChannelHandlerContext) {
        defer { if let request = step.lookup { startLookup(request, context: context) } }
        guard !step.outputs.isEmpty || !step.events.isEmpty else { return }
        if step.closes { closeAfterPending = true }
        pendingReplies += 1
        updateReading(context: context)
        let received = self.received
        self.received = nil
        store(step.events, on: context.eventLoop) { result in
            self.pendingReplies -= 1
            switch result {
            case .success:
                self.send(step, context: context)
                // Agents see a customer line only once its record is stored, like the customer.
                switch step.handoff {
                case let .forward(ticket, text): self.services.handoff?.forward(ticket: ticket, text: text)
                case .enqueue: self.services.handoff?.announce()
                case nil: break
                }
                if let received { self.services.metrics.replyDuration.recordNanoseconds((NIODeadline.now() - received).nanoseconds) }
            case let .failure(error):
                self.logger.error("transcript write failed; refusing to answer", metadata: ["error": "\(error)"])
                var buffer = context.channel.allocator.buffer(capacity: 128)
                self.wire.render(.error(code: .unavailable, text: self.services.store.knowledgeBase.errorTextInEveryLanguage(.unavailable)), into: &buffer)
                let channel = context.channel
                context.writeAndFlush(self.wrapOutboundOut(buffer)).whenComplete { _ in channel.close(promise: nil) }
                return
            }
            self.updateReading(context: context)
        }
    }

    private func send(_ step: ConversationStep, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        var buffer = context.channel.allocator.buffer(capacity: 256)
        for output in step.outputs { wire.render(output, into: &buffer) }
        if buffer.readableBytes > 0 {
            let written = context.writeAndFlush(wrapOutboundOut(buffer))
            let channel = context.channel
            if step.closes {
                written.whenComplete { _ in channel.close(promise: nil) }
            } else {
                closeIfInputDone(context: context, after: written)
            }
        } else if step.closes {
            context.close(promise: nil)
        } else {
            closeIfInputDone(context: context, after: nil)
        }
    }

    /// After a half-close, closes once every answer is stored and written.
    private func closeIfInputDone(context: ChannelHandlerContext, after written: EventLoopFuture<Void>?) {
        guard inputClosed, pendingReplies == 0, !lookupInFlight, waitingLines.isEmpty else { return }
        let channel = context.channel
        if let written {
            written.whenComplete { _ in channel.close(promise: nil) }
        } else {
            context.close(promise: nil)
        }
    }

    /// Writes records and queues them for this loop's next write; `completion` runs on
    /// the loop once they are stored.
    private func store(_ events: [TranscriptEvent], on eventLoop: any EventLoop, completion: TranscriptTickBuffer.Completion?) {
        guard let session = conversation?.sessionID else { completion?(.success(())); return }
        let ts = services.clock.timestamp(Date())
        var lines = JSONLineWriter(capacity: (events.count + (unsavedOpening?.events.count ?? 0)) * 256)
        // Each record is written where it is made: a list of stamped events copied every
        // event once more, the whole record type's worth of fields for a reply.
        func write(_ event: TranscriptEvent, _ stamp: String) {
            sequence += 1
            TranscriptRecord(event: event, ts: stamp, session: session, seq: sequence,
                             instance: services.configuration.instance, redact: services.redaction.redact).write(to: &lines)
        }
        if let opening = unsavedOpening {
            let stamp = services.clock.timestamp(opening.at)
            for event in opening.events { write(event, stamp) }
            unsavedOpening = nil
        }
        for event in events { write(event, ts) }
        let day = String(TranscriptClock.day(ofTimestamp: ts))
        services.transcripts.add(lines.take(), day: day, on: eventLoop, completion: completion)
    }

    /// Reads pause while the client is not reading its replies (backpressure) or too many
    /// replies wait for the disk, so neither can grow the server's memory without bound.
    /// A paused session holds the channel's next read (`read(context:)`); the socket's read
    /// interest then ends after at most one more read, and resumes with the held read.
    private func updateReading(context: ChannelHandlerContext) {
        let read = context.channel.isWritable && pendingReplies < services.configuration.maxPendingReplies && !closeAfterPending
            && !lookupInFlight
        guard read != readingEnabled else { return }
        readingEnabled = read
        if read, readHeld {
            readHeld = false
            context.read()
        }
    }
}

extension ChatSessionHandler {
    /// A budget always holds at least one longest line, so a customer can always be heard.
    static func budget(_ bytesPerMinute: Int, _ services: ChatServices) -> Int {
        max(bytesPerMinute, services.configuration.maxLineBytes + 1)
    }
}

extension ErrorCode {
    /// Said to a new connection while the transcript disk is nearly full.
    var newSessionText: String {
        "Der Chat nimmt gerade keine neuen Gespräche an. Bitte versuchen Sie es später noch einmal. / "
            + "The chat is not taking new conversations right now. Please try again later."
    }
}
