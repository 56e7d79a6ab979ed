import Foundation
import Testing
@testable import TreueCore

/// The handoff model without sockets: the queue, the conversation's side of it, the
/// callback contact, service hours and the ticket export.
struct HandoffTests {
    let kb = TestKnowledgeBase.load()
    var identity: IdentityPolicy { IdentityPolicy(directory: TestKnowledgeBase.directory(kb)) }

    func ticket(_ id: String, at seconds: Double = 0) -> HandoffQueue.Ticket {
        HandoffQueue.Ticket(id: id, session: "s-" + id, since: Date(timeIntervalSince1970: seconds), language: "de", phase: "service",
                            customer: nil, history: [.init(from: .customer, text: "hallo " + id)])
    }

    @Test func positionsTakeRaceAndReleaseToTheHead() throws {
        var queue = HandoffQueue()
        #expect(queue.enqueue(ticket("A")) == 1)
        #expect(queue.enqueue(ticket("B")) == 2)
        #expect(queue.enqueue(ticket("C")) == 3)
        #expect(queue.enqueue(ticket("B")) == 2)  // asking again keeps the place
        #expect(try queue.take("B", agent: "jana").get().id == "B")
        #expect(queue.take("B", agent: "omar") == .failure(.taken(by: "jana")))
        #expect(queue.take("X", agent: "omar") == .failure(.unknown))
        #expect(queue.position(of: "C") == 2)
        let back = queue.release(["B"])
        #expect(back.map(\.id) == ["B"])
        #expect(queue.waiting.map(\.id) == ["B", "A", "C"])
        #expect(queue.remove("A")?.id == "A")
        #expect(queue.position(of: "C") == 2)
    }

    @Test func withAgentsOnlineAHandoffAsksToBeQueuedAndTheBotIsSilentWhileTaken() throws {
        var conversation = Conversation(sessionID: "s1", knowledgeBase: kb)
        _ = conversation.open(kb)
        conversation.agentsAvailable = true
        let scratch = kb.matcher.makeScratch()
        let step = conversation.receive("/agent", kb: kb, identity: identity, scratch: scratch)
        guard case let .enqueue(ticket) = step.handoff else { Issue.record("no enqueue: \(step)"); return }
        #expect(step.outputs.isEmpty)
        let queued = conversation.queued(position: 2, kb: kb)
        #expect(queued.outputs == [.queued(ticket: ticket.id, position: 2, text: queued.outputs.first.flatMap {
            if case let .queued(_, _, text) = $0 { return text }; return nil } ?? "")])
        #expect(queued.events == [.queued(ticket: ticket.id, position: 2, reason: "handoff")])

        // Waiting: the bot answers, and the line goes to the agents too.
        let waiting = conversation.receive("Wo ist meine Bestellung?", kb: kb, identity: identity, scratch: scratch)
        #expect(waiting.outputs.contains { if case .reply = $0 { return true }; if case .prompt = $0 { return true }; return false })
        #expect(waiting.handoff == .forward(ticket: ticket.id, text: "Wo ist meine Bestellung?"))

        let joined = conversation.agentJoined(ticket: ticket.id, agent: "jana", name: "Jana", kb: kb)
        #expect(joined.events == [.agentJoined(ticket: ticket.id, agent: "jana")])
        let silent = conversation.receive("Hallo?", kb: kb, identity: identity, scratch: scratch)
        #expect(silent.outputs.isEmpty)
        #expect(silent.events == [.handoffMessage(ticket: ticket.id, text: "Hallo?")])
        // Another agent cannot write into the conversation.
        #expect(conversation.agentSays(ticket: ticket.id, agent: "omar", text: "x") == ConversationStep())
        #expect(conversation.agentSays(ticket: ticket.id, agent: "jana", text: "Guten Tag").outputs == [.agent(name: "Jana", text: "Guten Tag")])
        let closed = conversation.agentCloses(ticket: ticket.id, agent: "jana", kb: kb)
        #expect(closed.outputs.contains { if case .prompt(_, .rating) = $0 { return true }; return false })
        let bye = conversation.receive("5", kb: kb, identity: identity, scratch: scratch)
        #expect(bye.events.contains(.feedback(score: 5, comment: nil)))
        #expect(bye.closes)
    }

    @Test func leavingWhileWaitingIsRecorded() {
        var conversation = Conversation(sessionID: "s1", knowledgeBase: kb)
        conversation.agentsAvailable = true
        let step = conversation.receive("/agent", kb: kb, identity: identity, scratch: kb.matcher.makeScratch())
        guard case let .enqueue(ticket) = step.handoff else { Issue.record("no enqueue"); return }
        _ = conversation.queued(position: 1, kb: kb)
        #expect(conversation.close(reason: "disconnect").events == [.leftWaiting(ticket: ticket.id), .sessionClosed(reason: "disconnect")])
    }

    @Test func withNoAgentTheContactIsAskedForValidatedAndRecordedOnlyInTheCallbackRecord() throws {
        var conversation = Conversation(sessionID: "s1", knowledgeBase: kb)
        let scratch = kb.matcher.makeScratch()
        let step = conversation.receive("/agent", kb: kb, identity: identity, scratch: scratch)
        #expect(step.handoff == nil)
        #expect(step.outputs.contains { if case .prompt(_, .contact) = $0 { return true }; return false })
        let retry = conversation.receive("anna@example", kb: kb, identity: identity, scratch: scratch)
        #expect(retry.outputs.contains { if case .prompt(_, .contact) = $0 { return true }; return false })
        #expect(!retry.events.contains { if case .message = $0 { return true }; return false })
        let saved = conversation.receive("+49 (30) 123 456-78", kb: kb, identity: identity, scratch: scratch)
        guard case let .callback(ticket, kind, contact) = saved.events.first else { Issue.record("no callback: \(saved)"); return }
        #expect(ticket.hasPrefix("T-") && kind == "phone" && contact == "+49 (30) 123 456-78")
        #expect(saved.events.count == 1)
        let record = TranscriptRecord(event: saved.events[0], ts: "t", session: "s1", seq: 1, instance: nil) { _ in "[redacted]" }
        #expect(record.contact == "+49 (30) 123 456-78")
        // Afterwards the bot answers as before.
        let after = conversation.receive("Wo ist meine Bestellung?", kb: kb, identity: identity, scratch: scratch)
        #expect(after.outputs.contains { if case .reply = $0 { return true }; if case .prompt(_, .slot) = $0 { return true }; return false })
    }

    @Test func aQuestionInsteadOfAContactIsAnsweredAsUsual() {
        var conversation = Conversation(sessionID: "s1", knowledgeBase: kb)
        let scratch = kb.matcher.makeScratch()
        _ = conversation.receive("/agent", kb: kb, identity: identity, scratch: scratch)
        let step = conversation.receive("Wo ist meine Bestellung?", kb: kb, identity: identity, scratch: scratch)
        #expect(step.events.contains(.message(text: "Wo ist meine Bestellung?")))
        #expect(!step.events.contains { if case .callback = $0 { return true }; return false })
    }

    @Test func callbackContactsAreCheckedForShape() {
        #expect(CallbackContact("anna@example.org")?.kind == .email)
        #expect(CallbackContact("0171 2345678")?.kind == .phone)
        #expect(CallbackContact("+49 171 2345678")?.value == "+49 171 2345678")
        for bad in ["", "anna@", "@example.org", "anna@example", "anna@exa mple.org", "123", "ruf mich an", "0171-ABC-99", "1+2345678"] {
            #expect(CallbackContact(bad) == nil, "\(bad) accepted")
        }
    }

    @Test func serviceHoursFollowDaysTimesAndTheTimeZone() throws {
        let hours = try #require(ServiceHours(settings: ["service_hours": "Mo-Fr 08:00-18:00, Sa 09:00-13:00", "service_timezone": "UTC"]))
        let monday10 = Date(timeIntervalSince1970: 1_767_607_200)  // 2026-01-05 10:00 UTC, a Monday
        #expect(hours.isOpen(at: monday10))
        #expect(!hours.isOpen(at: monday10.addingTimeInterval(9 * 3600)))  // 19:00
        #expect(hours.isOpen(at: monday10.addingTimeInterval(5 * 86400 + 3600)))  // Saturday 11:00
        #expect(!hours.isOpen(at: monday10.addingTimeInterval(6 * 86400)))  // Sunday
        #expect(ServiceHours(settings: [:]) == nil)
        #expect(!ServiceHours.isValid("Mo-Xx 08:00-18:00"))
        #expect(!ServiceHours.isValid("18:00-08:00"))
    }

    @Test func openTicketsAreThoseNoAgentTookWithTheirContact() {
        var list = TicketList()
        func record(_ type: TranscriptRecord.Kind, _ session: String, _ fill: (inout TranscriptRecord) -> Void = { _ in }) {
            var r = TranscriptRecord(ts: "2026-01-05T10:00:00.000Z", session: session, seq: 1, type: type)
            fill(&r)
            list.add(r)
        }
        record(.sessionOpen, "a") { $0.lang = "de" }
        record(.login, "a") { $0.customer = "C1001" }
        record(.handoff, "a") { $0.ticket = "T-A"; $0.reason = "customer" }
        record(.callback, "a") { $0.ticket = "T-A"; $0.reason = "email"; $0.contact = "anna@example.org" }
        record(.handoff, "b") { $0.ticket = "T-B" }
        record(.agentJoined, "b") { $0.ticket = "T-B"; $0.agent = "jana" }
        record(.handoff, "c") { $0.ticket = "T-C" }
        record(.leftWaiting, "c") { $0.ticket = "T-C" }
        let open = list.open
        #expect(open.map(\.ticket) == ["T-A", "T-C"])
        #expect(open[0].contact == "anna@example.org" && open[0].customer == "C1001" && open[0].status == "callback" && open[0].lang == "de")
        #expect(open[1].status == "left_waiting")
    }
}

/// `treue review`'s handoff numbers from records.
struct HandoffReviewTests {
    @Test func waitingFirstReplyPerAgentAndSatisfactionWithAndWithoutAPerson() {
        var aggregator = ReviewAggregator()
        func add(_ ts: String, _ session: String, _ type: TranscriptRecord.Kind, _ fill: (inout TranscriptRecord) -> Void = { _ in }) {
            var record = TranscriptRecord(ts: "2026-01-05T10:" + ts + "Z", session: session, seq: 1, type: type)
            fill(&record)
            aggregator.add(record)
        }
        add("00:00.000", "a", .sessionOpen)
        add("00:01.000", "a", .queued) { $0.ticket = "T-A" }
        add("00:31.000", "a", .agentJoined) { $0.ticket = "T-A"; $0.agent = "jana" }
        add("00:41.000", "a", .agentMessage) { $0.ticket = "T-A"; $0.agent = "jana"; $0.text = "Hallo" }
        add("00:50.000", "a", .agentMessage) { $0.ticket = "T-A"; $0.agent = "jana"; $0.text = "noch was" }
        add("01:00.000", "a", .feedback) { $0.score = 5 }
        add("00:00.000", "b", .sessionOpen)
        add("00:02.000", "b", .queued) { $0.ticket = "T-B" }
        add("01:32.000", "b", .agentJoined) { $0.ticket = "T-B"; $0.agent = "omar" }
        add("00:00.000", "c", .sessionOpen)
        add("00:05.000", "c", .queued) { $0.ticket = "T-C" }
        add("00:20.000", "c", .leftWaiting) { $0.ticket = "T-C" }
        add("00:00.000", "d", .sessionOpen)
        add("00:10.000", "d", .feedback) { $0.score = 2 }
        let stats = aggregator.report().agents
        #expect(stats.queued == 3)
        #expect(stats.waitP50 == 30 && stats.waitP90 == 90)
        #expect(stats.leftWhileWaiting == 1)
        #expect(stats.firstReplyP50 == 10)
        #expect(Set(stats.conversationsPerAgent.map(\.name)) == ["jana", "omar"])
        #expect(stats.satisfactionAfterAgent.mean == 5 && stats.satisfactionBotOnly.mean == 2)
    }
}
