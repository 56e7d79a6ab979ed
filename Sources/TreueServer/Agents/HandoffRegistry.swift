import CoreMetrics
import Foundation
import NIOConcurrencyHelpers
import TreueCore

/// What an agent does to a customer's conversation; delivered on the customer's event loop.
public enum AgentAction: Sendable {
    case joined(ticket: String, agent: String, name: String)
    case says(ticket: String, agent: String, text: String)
    case note(ticket: String, agent: String, text: String)
    case back(ticket: String, agent: String)
    case close(ticket: String, agent: String)
    /// The agent went away; the ticket is back in the queue at `position`.
    case requeued(ticket: String, position: Int)
    /// The last agent went away while the customer waited: the callback path instead.
    case noAgent(ticket: String)
    /// Someone ahead was taken or left: the customer's new place in the queue.
    case movedUp(ticket: String, position: Int)
}

/// Hands something to a session on its own event loop (never runs it on the caller's).
public struct SessionEndpoint<Message: Sendable>: Sendable {
    let deliver: @Sendable (Message) -> Void
    public init(deliver: @escaping @Sendable (Message) -> Void) { self.deliver = deliver }
}

/// The handoff queue of this instance and who is where: customers with an open ticket,
/// agents logged in. Customers and agents live on different event loops; this registry
/// is the one place they meet, behind a lock that is held only to read or change the
/// state, never while anyone is called. Deliveries hop to the receiver's loop.
public final class HandoffRegistry: Sendable {
    struct Agent: Sendable {
        let id: String
        let name: String
        let endpoint: SessionEndpoint<AgentOutput>
    }

    struct State: Sendable {
        var queue = HandoffQueue()
        var customers: [String: SessionEndpoint<AgentAction>] = [:]
        /// Connection number → agent.
        var agents: [Int: Agent] = [:]
        /// Ticket → the connection of the agent who has it.
        var holders: [String: Int] = [:]
        var nextConnection = 1
    }

    private let state = NIOLockedValueBox(State())
    private let metrics: ServerMetrics

    public init(metrics: ServerMetrics = .disabled) { self.metrics = metrics }

    /// Agents online and tickets waiting or taken, for the operator's gauges.
    private func updateGauges() {
        guard metrics.isEnabled else { return }
        let (agents, waiting, total) = state.withLockedValue { ($0.agents.count, $0.queue.waiting.count, $0.queue.tickets.count) }
        metrics.agentsOnline.record(agents)
        metrics.ticketsWaiting.record(waiting)
        metrics.ticketsTaken.record(total - waiting)
    }

    public var agentsOnline: Bool { state.withLockedValue { !$0.agents.isEmpty } }

    // MARK: - Customers

    /// Queues a ticket; nil when no agent is logged in (the customer gets the callback path).
    public func enqueue(_ ticket: HandoffQueue.Ticket, endpoint: SessionEndpoint<AgentAction>) -> Int? {
        defer { updateGauges() }
        return state.withLockedValue { state in
            guard !state.agents.isEmpty else { return nil }
            state.customers[ticket.id] = endpoint
            return state.queue.enqueue(ticket)
        }
    }

    /// Tells the agents the queue changed (after the customer's records are stored).
    public func announce() {
        let (agents, items) = state.withLockedValue { state in
            (Array(state.agents.values), Self.items(state.queue))
        }
        for agent in agents { agent.endpoint.deliver(.queue(items)) }
    }

    /// A customer line: to the agent who has the ticket, or to every agent while it waits.
    public func forward(ticket: String, text: String) {
        let targets: [Agent] = state.withLockedValue { state in
            state.queue.record(.init(from: .customer, text: text), ticket: ticket)
            if let holder = state.holders[ticket] { return state.agents[holder].map { [$0] } ?? [] }
            return state.queue.ticket(ticket) == nil ? [] : Array(state.agents.values)
        }
        for agent in targets { agent.endpoint.deliver(.customer(ticket: ticket, text: text)) }
    }

    /// The customer went away (or the session closed): gone from the queue, and whoever
    /// saw it is told at once.
    public func withdraw(ticket: String) {
        defer { updateGauges() }
        let (targets, moves): ([Agent], [Move]) = state.withLockedValue { state in
            let before = state.queue.waiting.map(\.id)
            guard state.queue.remove(ticket) != nil else { return ([], []) }
            state.customers[ticket] = nil
            if let holder = state.holders.removeValue(forKey: ticket) { return (state.agents[holder].map { [$0] } ?? [], []) }
            return (Array(state.agents.values), Self.moves(from: before, in: state))
        }
        for agent in targets { agent.endpoint.deliver(.left(ticket: ticket)) }
        Self.deliver(moves)
    }

    /// A waiting customer whose place improved.
    typealias Move = (ticket: String, position: Int, endpoint: SessionEndpoint<AgentAction>)

    /// The waiting customers now nearer the head than in `before` (the waiting ticket ids
    /// as they were). Linear in the queue, which a lock holder may afford: it is short.
    private static func moves(from before: [String], in state: State) -> [Move] {
        var old: [String: Int] = [:]
        for (index, id) in before.enumerated() { old[id] = index + 1 }
        return state.queue.waiting.enumerated().compactMap { index, ticket in
            guard let was = old[ticket.id], index + 1 < was, let endpoint = state.customers[ticket.id] else { return nil }
            return (ticket.id, index + 1, endpoint)
        }
    }

    private static func deliver(_ moves: [Move]) {
        for move in moves { move.endpoint.deliver(.movedUp(ticket: move.ticket, position: move.position)) }
    }

    // MARK: - Agents

    /// Registers a logged-in agent; returns its connection number.
    public func addAgent(id: String, name: String, endpoint: SessionEndpoint<AgentOutput>) -> Int {
        defer { updateGauges() }
        return state.withLockedValue { state in
            let number = state.nextConnection
            state.nextConnection += 1
            state.agents[number] = Agent(id: id, name: name, endpoint: endpoint)
            return number
        }
    }

    /// An agent connection closed: its tickets go back to the head of the queue (or, with
    /// no agent left, every waiting customer gets the callback question).
    public func removeAgent(_ connection: Int) {
        defer { updateGauges() }
        let (requeued, dropped) = state.withLockedValue { state -> ([(String, Int, SessionEndpoint<AgentAction>)], [(String, SessionEndpoint<AgentAction>)]) in
            guard state.agents.removeValue(forKey: connection) != nil else { return ([], []) }
            let theirs = Set(state.holders.filter { $0.value == connection }.keys)
            for ticket in theirs { state.holders[ticket] = nil }
            _ = state.queue.release(theirs)
            if state.agents.isEmpty {
                let waiting = state.queue.waiting
                var dropped: [(String, SessionEndpoint<AgentAction>)] = []
                for ticket in waiting {
                    state.queue.remove(ticket.id)
                    if let endpoint = state.customers.removeValue(forKey: ticket.id) { dropped.append((ticket.id, endpoint)) }
                }
                return ([], dropped)
            }
            let requeued = theirs.compactMap { id -> (String, Int, SessionEndpoint<AgentAction>)? in
                guard let endpoint = state.customers[id], let position = state.queue.position(of: id) else { return nil }
                return (id, position, endpoint)
            }
            return (requeued, [])
        }
        for (ticket, position, endpoint) in requeued { endpoint.deliver(.requeued(ticket: ticket, position: position)) }
        for (ticket, endpoint) in dropped { endpoint.deliver(.noAgent(ticket: ticket)) }
        if !requeued.isEmpty { announce() }
    }

    public enum TakeFailure: Error, Equatable {
        case unknown, taken(by: String)
    }

    /// One agent per ticket: the lock makes two racing takes one winner.
    public func take(_ ticket: String, connection: Int) -> Result<HandoffQueue.Ticket, TakeFailure> {
        defer { updateGauges() }
        let result: Result<(HandoffQueue.Ticket, Agent, SessionEndpoint<AgentAction>, [Move]), TakeFailure> = state.withLockedValue { state in
            guard let agent = state.agents[connection], let endpoint = state.customers[ticket] else { return .failure(.unknown) }
            if let holder = state.holders[ticket], holder != connection {
                return .failure(.taken(by: state.agents[holder]?.name ?? "?"))
            }
            let before = state.queue.waiting.map(\.id)
            switch state.queue.take(ticket, agent: agent.id) {
            case let .success(taken):
                state.holders[ticket] = connection
                return .success((taken, agent, endpoint, Self.moves(from: before, in: state)))
            case .failure(.unknown): return .failure(.unknown)
            case let .failure(.taken(by)): return .failure(.taken(by: by))
            }
        }
        switch result {
        case let .success((taken, agent, endpoint, moves)):
            endpoint.deliver(.joined(ticket: ticket, agent: agent.id, name: agent.name))
            Self.deliver(moves)
            announce()
            return .success(taken)
        case let .failure(failure):
            return .failure(failure)
        }
    }

    /// An agent's action on a ticket they hold; false when they do not hold it.
    public func act(_ action: AgentAction, ticket: String, connection: Int) -> Bool {
        defer { updateGauges() }
        let endpoint: SessionEndpoint<AgentAction>? = state.withLockedValue { state in
            guard state.holders[ticket] == connection, let endpoint = state.customers[ticket] else { return nil }
            switch action {
            case let .says(_, _, text): state.queue.record(.init(from: .agent, text: text), ticket: ticket)
            case .back, .close:
                state.queue.remove(ticket)
                state.holders[ticket] = nil
                state.customers[ticket] = nil
            default: break
            }
            return endpoint
        }
        guard let endpoint else { return false }
        endpoint.deliver(action)
        return true
    }

    public func queueItems() -> [AgentOutput.QueueItem] {
        state.withLockedValue { Self.items($0.queue) }
    }

    /// The agents online and the tickets each holds.
    public func who() -> [(name: String, id: String, tickets: [String])] {
        state.withLockedValue { state in
            state.agents.sorted { $0.key < $1.key }.map { number, agent in
                (agent.name, agent.id, state.holders.filter { $0.value == number }.keys.sorted())
            }
        }
    }

    /// The tickets a connection holds.
    public func tickets(of connection: Int) -> [String] {
        state.withLockedValue { state in state.holders.filter { $0.value == connection }.keys.sorted() }
    }

    private static func items(_ queue: HandoffQueue) -> [AgentOutput.QueueItem] {
        let now = Date().timeIntervalSince1970
        return queue.waiting.map { AgentOutput.QueueItem($0, now: now) }
    }
}
