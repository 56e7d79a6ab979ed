import NIOConcurrencyHelpers
import NIOCore

/// The connections of one event loop whose lines wait behind their quota
/// (`LineFramingHandler`), served one quota each per round.
///
/// Why rounds with a pause, not `eventLoop.execute`: NIO runs the tasks that tasks queue
/// in the same tick, before it looks at its sockets again (`SelectableEventLoop`'s tick
/// runs until no task is ready), so quotas that queued one another would still hand on a
/// whole backlog before another customer's line is read. Instead the next round starts
/// as long after the last one as that one took: backlogs get at most half of the loop,
/// and in between the loop reads its sockets and answers everyone else.
final class BacklogRounds: @unchecked Sendable {  // used on its loop's thread only
    typealias Turn = () -> Void

    private weak var loop: (any EventLoop)?
    private var waiting: [Turn] = []
    /// A round is queued, or running (a connection that waits again then waits for the next).
    private var busy = false
    private var nextRound = NIODeadline.distantPast

    fileprivate init(loop: any EventLoop) {
        self.loop = loop
    }

    /// `turn` runs in the next round, on the loop.
    func wait(_ turn: @escaping Turn) {
        waiting.append(turn)
        if !busy { schedule() }
    }

    private func schedule() {
        guard let loop else { return }
        busy = true
        let bound = NIOLoopBound(self, eventLoop: loop)
        loop.scheduleTask(deadline: max(nextRound, loop.now)) {
            bound.value.round()
        }
    }

    private func round() {
        guard let loop else { return }
        let started = loop.now
        let turns = waiting
        waiting = []
        for turn in turns { turn() }
        let ended = loop.now
        nextRound = ended + (ended - started)
        busy = false
        if !waiting.isEmpty { schedule() }
    }
}

/// One `BacklogRounds` per event loop, owned by the server's services (chat or agents):
/// a connection finds its loop's rounds here when its first backlog waits.
public final class BacklogRoundsByLoop: Sendable {
    private let rounds = NIOLockedValueBox<[ObjectIdentifier: BacklogRounds]>([:])

    public init() {}

    /// The rounds of `loop` (made on first use).
    func of(_ loop: any EventLoop) -> BacklogRounds {
        rounds.withLockedValue { table in
            let key = ObjectIdentifier(loop as AnyObject)
            if let found = table[key] { return found }
            let made = BacklogRounds(loop: loop)
            table[key] = made
            return made
        }
    }
}
