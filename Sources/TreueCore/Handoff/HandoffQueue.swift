import Foundation

/// The tickets of one server instance waiting for, or talking to, a service agent. A pure
/// value: the server keeps one behind a lock and tells the sessions what changed; it knows
/// nothing of sockets.
public struct HandoffQueue: Sendable {
    public enum State: String, Sendable, Equatable {
        case waiting, taken
    }

    /// What an agent sees of a ticket before taking it.
    public struct Ticket: Sendable, Equatable {
        public let id: String
        public let session: String
        public var state: State = .waiting
        public var agent: String?
        /// When it (last) entered the queue.
        public var since: Date
        public var language: String
        public var phase: String
        /// The customer's name when logged in, else nil (shown as `anonymous`).
        public var customer: String?
        /// The conversation so far, oldest first, at most `historyLimit` turns.
        public var history: [Turn]
        /// The customer's CRM fields (with `id`) when logged in, else empty.
        public var profile: [String: String]
        /// The intents the bot answered in this session, oldest first.
        public var intents: [String]

        public init(id: String, session: String, since: Date, language: String, phase: String, customer: String?, history: [Turn],
                    profile: [String: String] = [:], intents: [String] = []) {
            self.id = id
            self.session = session
            self.since = since
            self.language = language
            self.phase = phase
            self.customer = customer
            self.history = history
            self.profile = profile
            self.intents = intents
        }

        public var last: String { history.last(where: { $0.from == .customer })?.text ?? "" }
    }

    public struct Turn: Sendable, Equatable {
        public enum Speaker: String, Sendable, Equatable { case customer, bot, agent }
        public let from: Speaker
        public let text: String
        public init(from: Speaker, text: String) {
            self.from = from
            self.text = text
        }
    }

    public enum TakeError: Error, Equatable {
        /// No such ticket (closed, left, or another instance's).
        case unknown
        /// Another agent has it.
        case taken(by: String)
    }

    public static let historyLimit = 30

    /// Oldest first; taken tickets stay in the list with their agent.
    public private(set) var tickets: [Ticket] = []

    public init() {}

    /// The waiting tickets, oldest first (the head of the queue first).
    public var waiting: [Ticket] { tickets.filter { $0.state == .waiting } }

    /// 1 for the head of the queue.
    public func position(of id: String) -> Int? {
        waiting.firstIndex { $0.id == id }.map { $0 + 1 }
    }

    public func ticket(_ id: String) -> Ticket? { tickets.first { $0.id == id } }

    /// Adds a ticket at the end of the queue (or returns the position it has already).
    public mutating func enqueue(_ ticket: Ticket) -> Int {
        if let position = position(of: ticket.id) { return position }
        tickets.removeAll { $0.id == ticket.id }
        var ticket = ticket
        ticket.state = .waiting
        ticket.agent = nil
        tickets.append(ticket)
        return position(of: ticket.id) ?? waiting.count
    }

    /// One agent per ticket: the first `take` wins, a second gets `.taken`.
    public mutating func take(_ id: String, agent: String) -> Result<Ticket, TakeError> {
        guard let index = tickets.firstIndex(where: { $0.id == id }) else { return .failure(.unknown) }
        if tickets[index].state == .taken {
            if tickets[index].agent == agent { return .success(tickets[index]) }
            return .failure(.taken(by: tickets[index].agent ?? ""))
        }
        tickets[index].state = .taken
        tickets[index].agent = agent
        return .success(tickets[index])
    }

    /// Adds a turn to a ticket's history (the customer's lines while waiting, the agent's).
    public mutating func record(_ turn: Turn, ticket id: String) {
        guard let index = tickets.firstIndex(where: { $0.id == id }) else { return }
        tickets[index].history.append(turn)
        if tickets[index].history.count > Self.historyLimit { tickets[index].history.removeFirst() }
    }

    /// The ticket is done (back to the bot, closed, or the customer left).
    @discardableResult
    public mutating func remove(_ id: String) -> Ticket? {
        guard let index = tickets.firstIndex(where: { $0.id == id }) else { return nil }
        return tickets.remove(at: index)
    }

    /// An agent went away: their tickets go back to the head of the queue, in the order
    /// they had, so those customers wait the least. Returns them.
    public mutating func release(_ ids: Set<String>) -> [Ticket] {
        let theirs = tickets.filter { $0.state == .taken && ids.contains($0.id) }
        guard !theirs.isEmpty else { return [] }
        tickets.removeAll { $0.state == .taken && ids.contains($0.id) }
        let requeued = theirs.map { ticket -> Ticket in
            var ticket = ticket
            ticket.state = .waiting
            ticket.agent = nil
            return ticket
        }
        tickets.insert(contentsOf: requeued, at: 0)
        return requeued
    }

    /// The tickets an agent holds.
    public func taken(by agent: String) -> [Ticket] {
        tickets.filter { $0.state == .taken && $0.agent == agent }
    }
}
