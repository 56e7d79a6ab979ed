import Foundation

/// Where a session stands with the service team (SPEC 4a).
struct HandoffSessionState: Sendable {
    enum Stage: Sendable, Equatable {
        case none
        /// In the queue; the bot still answers, and the lines reach the agents too.
        case waiting
        /// An agent has the conversation; the bot is silent.
        case taken(agent: String, name: String)
        /// No agent online: asking for an e-mail address or phone number.
        case contact(tries: Int)
    }

    var ticket: String?
    var stage: Stage = .none
    /// The last turns, for the agent who takes the ticket.
    var turns: [HandoffQueue.Turn] = []
}

/// What the server must do with the handoff queue after a step.
public enum HandoffRequest: Sendable, Equatable {
    /// Put this ticket in the queue, then call `Conversation.queued(position:)` (or
    /// `noAgent` when the queue refuses: nobody online any more).
    case enqueue(HandoffQueue.Ticket)
    /// Show this customer line to the agents (the one who has the ticket, or all while
    /// it waits).
    case forward(ticket: String, text: String)
}

extension Conversation {
    /// The ticket waiting for or taken by an agent, if any.
    public var openTicket: String? {
        switch handoffState.stage {
        case .waiting, .taken: handoffState.ticket
        case .none, .contact: nil
        }
    }

    public var isWithAgent: Bool {
        if case .taken = handoffState.stage { return true }
        return false
    }

    /// A handoff: the queue while agents are online (and within service hours), else an
    /// honest answer and a request for a callback contact. Asking again repeats the ticket.
    mutating func handoff(_ kb: KnowledgeBase, reason: String, intent: String?, into step: inout ConversationStep) {
        fallbacksInARow = 0
        if let ticket = openTicket {
            replyText(render(text("handoff_repeat", kb, raw: true), captures: ["ticket": ticket], kb: kb), intent: intent, ticket: ticket, into: &step)
            return
        }
        let ticket = SessionID.makeTicket()
        handoffState.ticket = ticket
        step.events.append(.handoff(ticket: ticket, reason: reason, intent: intent))
        let hours = ServiceHours(settings: kb.content.settings)
        if agentsAvailable, hours?.isOpen(at: Date()) ?? true {
            handoffState.stage = .waiting
            step.handoff = .enqueue(HandoffQueue.Ticket(id: ticket, session: sessionID, since: Date(), language: language, phase: phase,
                                                        customer: profile.map { $0.fields["name"] ?? $0.id }, history: handoffState.turns,
                                                        profile: profile.map { $0.fields.merging(["id": $0.id]) { field, _ in field } } ?? [:],
                                                        intents: intentsTried))
            pendingHandoffIntent = intent
            return
        }
        offline(kb, intent: intent, ticket: ticket, closed: hours.map { !$0.isOpen(at: Date()) } ?? false, into: &step)
    }

    private mutating func offline(_ kb: KnowledgeBase, intent: String?, ticket: String, closed: Bool, into step: inout ConversationStep) {
        handoffState.stage = .contact(tries: 0)
        let key = closed ? "handoff_closed_hours" : "handoff_offline"
        replyText(render(text(key, kb, raw: true), captures: ["ticket": ticket], kb: kb), intent: intent, ticket: ticket, into: &step)
        step.outputs.append(.prompt(text: render(text("contact_prompt", kb, raw: true), captures: ["ticket": ticket], kb: kb), kind: .contact))
    }

    private mutating func replyText(_ text: String, intent: String?, ticket: String, into step: inout ConversationStep) {
        step.outputs.append(.reply(Reply(text: text, intent: intent, phase: phase, language: language, suggestions: [])))
        step.events.append(.reply(.init(text: text, intent: intent, phase: phase, language: language, captures: ["ticket": ticket],
                                        suggestions: [], pattern: nil)))
    }

    /// The queue took the ticket: tell the customer where they stand.
    public mutating func queued(position: Int, kb: KnowledgeBase) -> ConversationStep {
        guard let ticket = handoffState.ticket, handoffState.stage == .waiting else { return ConversationStep() }
        let text = render(text("handoff_queued", kb, raw: true), captures: ["ticket": ticket, "position": String(position)], kb: kb)
        remember(.init(from: .bot, text: text))
        return ConversationStep(outputs: [.queued(ticket: ticket, position: position, text: text)],
                                events: [.queued(ticket: ticket, position: position, reason: "handoff")])
    }

    /// The queue refused the ticket (the last agent just left): the callback path instead.
    public mutating func noAgent(kb: KnowledgeBase) -> ConversationStep {
        guard let ticket = handoffState.ticket else { return ConversationStep() }
        var step = ConversationStep()
        offline(kb, intent: pendingHandoffIntent, ticket: ticket, closed: false, into: &step)
        return step
    }

    /// A line while an agent has the conversation: recorded, passed on, no bot answer.
    mutating func toAgent(_ text: String) -> ConversationStep {
        guard let ticket = handoffState.ticket else { return ConversationStep() }
        remember(.init(from: .customer, text: text))
        var step = ConversationStep(events: [.handoffMessage(ticket: ticket, text: text)])
        step.handoff = .forward(ticket: ticket, text: text)
        return step
    }

    /// The answer to the callback question: an e-mail address or phone number (stored with
    /// the ticket only), a refusal, a mistyped contact (asked once more, then given up; no
    /// message record, it may hold most of one), or nil for anything else: a question, which
    /// the bot answers as usual.
    mutating func contactAnswer(_ answer: String, tries: Int, _ kb: KnowledgeBase) -> ConversationStep? {
        guard let ticket = handoffState.ticket else { handoffState.stage = .none; return nil }
        let captures = ["ticket": ticket]
        if let contact = CallbackContact(answer) {
            handoffState.stage = .none
            return ConversationStep(outputs: [.info(text: render(text("contact_saved", kb, raw: true), captures: captures, kb: kb))],
                                    events: [.callback(ticket: ticket, kind: contact.kind.rawValue, contact: contact.value)])
        }
        let declined = ["nein", "no", "nee", "kein", "keine", "lieber nicht", "no thanks", "no, thanks", "nein danke", "nein, danke", "skip"]
        if declined.contains(answer.lowercased().trimmingCharacters(in: .punctuationCharacters)) {
            handoffState.stage = .none
            return ConversationStep(outputs: [.info(text: render(text("contact_declined", kb, raw: true), captures: captures, kb: kb))],
                                    events: [.command(name: "contact declined")])
        }
        // Not a contact at all (a question instead): the caller answers it as a message.
        guard CallbackContact.looksLikeAnAttempt(answer) else {
            handoffState.stage = .none
            return nil
        }
        // A mistyped address or number is asked for once more, then given up.
        guard tries < 1 else {
            handoffState.stage = .none
            return ConversationStep(outputs: [.info(text: render(text("contact_declined", kb, raw: true), captures: captures, kb: kb))],
                                    events: [.error(code: "bad_argument", detail: "callback contact not an e-mail address or phone number")])
        }
        handoffState.stage = .contact(tries: tries + 1)
        return ConversationStep(outputs: [.prompt(text: render(text("contact_invalid", kb, raw: true), captures: captures, kb: kb), kind: .contact)],
                                events: [.error(code: "bad_argument", detail: "callback contact not an e-mail address or phone number")])
    }

    // MARK: - What agents do (the server calls these on the customer's event loop)

    public mutating func agentJoined(ticket: String, agent: String, name: String, kb: KnowledgeBase) -> ConversationStep {
        guard !isClosed, handoffState.ticket == ticket, openTicket != nil else { return ConversationStep() }
        handoffState.stage = .taken(agent: agent, name: name)
        let text = render(text("agent_joined", kb, raw: true), captures: ["agent": name, "ticket": ticket], kb: kb)
        return ConversationStep(outputs: [.info(text: text)], events: [.agentJoined(ticket: ticket, agent: agent)])
    }

    public mutating func agentSays(ticket: String, agent: String, text: String) -> ConversationStep {
        guard !isClosed, handoffState.ticket == ticket, case let .taken(holder, name) = handoffState.stage, holder == agent else {
            return ConversationStep()
        }
        remember(.init(from: .agent, text: text))
        return ConversationStep(outputs: [.agent(name: name, text: text)], events: [.agentMessage(ticket: ticket, agent: agent, text: text)])
    }

    public mutating func agentNote(ticket: String, agent: String, text: String) -> ConversationStep {
        guard !isClosed, handoffState.ticket == ticket else { return ConversationStep() }
        return ConversationStep(events: [.handoffNote(ticket: ticket, agent: agent, text: text)])
    }

    /// `/back`: the bot answers again.
    public mutating func agentReturns(ticket: String, agent: String, kb: KnowledgeBase) -> ConversationStep {
        guard !isClosed, handoffState.ticket == ticket else { return ConversationStep() }
        handoffState = HandoffSessionState(turns: handoffState.turns)
        fallbacksInARow = 0
        return ConversationStep(outputs: [.info(text: text("agent_back", kb))], events: [.backToBot(ticket: ticket, agent: agent)])
    }

    /// `/close`: the conversation ends with the rating question of `/quit`.
    public mutating func agentCloses(ticket: String, agent: String, kb: KnowledgeBase) -> ConversationStep {
        guard !isClosed, handoffState.ticket == ticket else { return ConversationStep() }
        handoffState = HandoffSessionState(turns: handoffState.turns)
        awaitingRating = true
        return ConversationStep(outputs: [.info(text: text("agent_closed", kb)), .prompt(text: text("rating_prompt", kb), kind: .rating)],
                                events: [.handoffClosed(ticket: ticket, agent: agent)])
    }

    /// The agent went away: back at the head of the queue.
    public mutating func agentLeft(ticket: String, position: Int, kb: KnowledgeBase) -> ConversationStep {
        guard !isClosed, handoffState.ticket == ticket, isWithAgent else { return ConversationStep() }
        handoffState.stage = .waiting
        let text = render(text("agent_left", kb, raw: true), captures: ["ticket": ticket, "position": String(position)], kb: kb)
        return ConversationStep(outputs: [.queued(ticket: ticket, position: position, text: text)],
                                events: [.queued(ticket: ticket, position: position, reason: "agent_left")])
    }

    /// Someone ahead in the queue was taken or left: the customer hears their new place.
    public mutating func movedUp(ticket: String, position: Int, kb: KnowledgeBase) -> ConversationStep {
        guard !isClosed, handoffState.ticket == ticket, handoffState.stage == .waiting else { return ConversationStep() }
        let text = render(text("handoff_moved", kb, raw: true), captures: ["ticket": ticket, "position": String(position)], kb: kb)
        return ConversationStep(outputs: [.queued(ticket: ticket, position: position, text: text)],
                                events: [.queued(ticket: ticket, position: position, reason: "moved_up")])
    }

    /// The customer's side of the history agents see.
    mutating func remember(_ turn: HandoffQueue.Turn) {
        handoffState.turns.append(turn)
        if handoffState.turns.count > HandoffQueue.historyLimit { handoffState.turns.removeFirst() }
    }

    /// Remembers a bot answer's texts.
    mutating func remember(outputs: [ConversationOutput]) {
        for output in outputs {
            switch output {
            case let .reply(reply): remember(.init(from: .bot, text: reply.text))
            case let .prompt(text, _), let .info(text): remember(.init(from: .bot, text: text))
            default: break
            }
        }
    }
}
