import Foundation

/// Answers from order facts and the proactive welcome (SPEC 5a). The conversation stays
/// synchronous: a step that needs facts carries an `OrderRequest`, and the caller hands
/// the source's answer to `resume`.
extension Conversation {
    // MARK: - Asking

    /// An order intent with a number, when a source is configured: ask it (a logged-in
    /// customer, or a guest who proved this number already), or ask a guest for the
    /// postcode first. False leaves the general answer to the caller.
    mutating func answerFromOrders(_ intent: Intent, captures: [String: String], pattern: IntentPattern?, path: String,
                                   askedFrom: String, kb: KnowledgeBase, into step: inout ConversationStep) -> Bool {
        guard orders.enabled, kb.content.orderAnswers[intent.id] != nil else { return false }
        let numbers = orders.numbersInMessage
        orders.numbersInMessage = []
        let captured = captures["order"].flatMap(OrderNumber.normalize)
        if numbers.count > 1 {
            // Several numbers: asking about one of them by guess could show the wrong order.
            var text = pickAnswer(intent.answers, key: intent.id, captures: captures, phase: askedFrom, kb: kb)
            text += " " + self.text("order_several", kb)
            reply(text, intent: intent, captures: captures, pattern: pattern, path: path + "; several order numbers: general answer", kb: kb,
                  into: &step)
            return true
        }
        guard let number = captured ?? numbers.first else { return false }
        if orders.locked {
            // No more facts in this session, not even "not found": the general answer and a person.
            var text = pickAnswer(intent.answers, key: intent.id, captures: captures, phase: askedFrom, kb: kb)
            text += " " + self.text("order_locked", kb)
            step.events.append(.orderLookup(number: number, outcome: "locked", status: nil, latencyMs: nil))
            reply(text, intent: intent, captures: captures, pattern: pattern, path: path + "; order lookups locked in this session",
                  kb: kb, into: &step)
            return true
        }
        let pending = OrderSessionState.PendingOrder(intentID: intent.id, number: number, captures: captures, language: language,
                                                     pattern: pattern, path: path, askedFrom: askedFrom)
        if profile != nil || orders.proven.contains(number) {
            orders.awaiting = .order(pending)
            step.lookup = .order(number: number)
            return true
        }
        orders.pendingPostcode = pending
        step.outputs.append(.prompt(text: text("order_postcode_prompt", kb), kind: .postcode))
        step.events.append(.slotPrompt(intent: intent.id, slot: "postcode"))
        lastAnswer = AnswerTrace(intent: intent.id, pattern: pattern?.source, location: pattern?.location, captures: captures,
                                 phase: phase, language: language, path: path + "; asked a guest for the postcode")
        return true
    }

    /// A guest's answer to the postcode prompt: recorded as `[postcode]`, never as typed,
    /// then the lookup. Anything that is no postcode is read as a new message.
    mutating func postcodeAnswer(_ text: String) -> ConversationStep? {
        guard var pending = orders.pendingPostcode else { return nil }
        orders.pendingPostcode = nil
        guard Self.looksLikePostcode(text) else { return nil }
        pending.postcode = text
        orders.awaiting = .order(pending)
        return ConversationStep(events: [.message(text: "[postcode]")], lookup: .order(number: pending.number))
    }

    /// 3 to 10 letters, digits, spaces or hyphens with at least two digits: German, Austrian,
    /// Swiss, Dutch and British postcodes all fit; a sentence does not.
    static func looksLikePostcode(_ text: String) -> Bool {
        let scalars = text.unicodeScalars
        guard (3...10).contains(scalars.count) else { return false }
        var digits = 0
        for scalar in scalars {
            if ("0"..."9").contains(scalar) { digits += 1; continue }
            guard scalar.isASCII, scalar.properties.isAlphabetic || scalar == " " || scalar == "-" else { return false }
        }
        return digits >= 2
    }

    /// After a login: the first proactive rule that holds speaks, once per session. Rules
    /// over orders wait for the customer's orders.
    mutating func welcome(_ kb: KnowledgeBase, into step: inout ConversationStep) {
        guard !orders.welcomed, let profile, !kb.content.proactiveRules.isEmpty else { return }
        if orders.enabled, kb.content.proactiveRules.contains(where: \.needsOrders) {
            orders.awaiting = .welcome
            step.lookup = .customerOrders(customer: profile.id)
            return
        }
        proactive(orders: [], now: nil, kb: kb, into: &step)
    }

    // MARK: - Resuming

    /// Goes on with the source's answer to the step's `lookup`. `latencyMs` is how long the
    /// source took; `now` decides what "today" and "late" mean.
    public mutating func resume(_ result: OrderRequestResult, latencyMs: Int?, now: Date = Date(), kb: KnowledgeBase) -> ConversationStep {
        guard !isClosed, let awaiting = orders.awaiting else { return ConversationStep() }
        orders.awaiting = nil
        var step = ConversationStep()
        switch (awaiting, result) {
        case let (.order(pending), .order(lookup)):
            orderAnswer(pending, lookup, latencyMs: latencyMs, now: now, kb: kb, into: &step)
        case let (.welcome, .customerOrders(list)):
            proactive(orders: list ?? [], now: now, kb: kb, into: &step)
        default:
            break
        }
        return step
    }

    /// `receive`, then every lookup it needs answered from `source` (tests and tools; the
    /// server runs lookups off its event loop instead).
    public mutating func receive(_ line: String, kb: KnowledgeBase, identity: IdentityPolicy, scratch: MatcherScratch,
                                 orders source: any OrderSource, now: Date = Date()) async -> ConversationStep {
        var step = receive(line, kb: kb, identity: identity, scratch: scratch)
        var request = step.lookup
        while let asked = request {
            let next = resume(await asked.ask(source), latencyMs: 0, now: now, kb: kb)
            step.append(next)
            request = next.lookup
        }
        return step
    }

    private mutating func orderAnswer(_ pending: OrderSessionState.PendingOrder, _ lookup: OrderLookupResult, latencyMs: Int?, now: Date,
                                      kb: KnowledgeBase, into step: inout ConversationStep) {
        guard let intent = kb.intent(id: pending.intentID) else { return }
        language = pending.language
        switch lookup {
        case let .found(order) where maysee(order, pending):
            orders.proven.insert(order.number)
            step.events.append(.orderLookup(number: pending.number, outcome: "found", status: order.status.rawValue, latencyMs: latencyMs))
            let today = OrderDate.today(now, timeZone: kb.timeZone)
            let text = factAnswer(intent, order: order, captures: pending.captures, today: today, kb: kb)
            reply(text, intent: intent, captures: pending.captures, pattern: pending.pattern,
                  path: pending.path + "; answered from order facts (\(order.status.rawValue))", kb: kb, into: &step)
        case .found, .notFound:
            let outcome = lookup == .notFound ? "not_found" : "refused"
            step.events.append(.orderLookup(number: pending.number, outcome: outcome, status: nil, latencyMs: latencyMs))
            orders.failures += 1
            // The same words whether the number is unknown, someone else's or the postcode
            // wrong: the chat is no oracle for which numbers exist.
            var text = self.text(profile == nil ? "order_not_found_guest" : "order_not_found", kb)
            if orders.locked { text += " " + self.text("order_locked", kb) }
            reply(text, intent: intent, captures: pending.captures, pattern: pending.pattern,
                  path: pending.path + "; order not shown (\(outcome), \(orders.failures) of \(OrderSessionState.maxFailures) tries)",
                  kb: kb, into: &step, suggestions: orders.locked ? ["human_agent"] : nil)
        case .unavailable:
            step.events.append(.orderLookup(number: pending.number, outcome: "unavailable", status: nil, latencyMs: latencyMs))
            let general = pickAnswer(intent.answers, key: intent.id, captures: pending.captures, phase: pending.askedFrom, kb: kb)
            let text = self.text("order_unavailable", kb) + " " + general + " " + self.text("order_person", kb)
            reply(text, intent: intent, captures: pending.captures, pattern: pending.pattern,
                  path: pending.path + "; order source unavailable: general answer", kb: kb, into: &step)
        }
    }

    /// Logged in: only the customer's own orders. A guest: the postcode given for this
    /// number, or a number proven earlier in the session.
    private func maysee(_ order: Order, _ pending: OrderSessionState.PendingOrder) -> Bool {
        if let profile { return order.customer == profile.id }
        if let postcode = pending.postcode { return order.postcodeMatches(postcode) }
        return orders.proven.contains(order.number)
    }

    /// The order answer variant for this status: `delayed` first when the parcel is late,
    /// then the status's own, then `default`; each rotating like other answers and
    /// rendering only with the fields it needs (a variant with a missing field gives way).
    private mutating func factAnswer(_ intent: Intent, order: Order, captures: [String: String], today: OrderDate,
                                     kb: KnowledgeBase) -> String {
        guard let answers = kb.content.orderAnswers[intent.id] else {
            return pickAnswer(intent.answers, key: intent.id, captures: captures, kb: kb)
        }
        var chain = [order.status.rawValue, AnswerSet.defaultKey]
        if order.isDelayed(today: today) { chain.insert("delayed", at: 0) }
        let lookup = fields(captures, kb: kb, extra: Self.orderFields(order, language: language, today: today))
        let key = "order:" + intent.id
        let turn = variantTurns[key, default: Int(Self.stableHash(sessionID + key) % 997)]
        variantTurns[key] = turn + 1
        let languages = [language] + kb.languages.filter { $0 != language }
        for candidateLanguage in languages {
            for statusKey in chain {
                guard let variants = answers.variants[statusKey]?[candidateLanguage], !variants.isEmpty else { continue }
                for offset in 0..<variants.count {
                    if let text = kb.template(variants[(turn + offset) % variants.count]).render(lookup) { return text }
                }
            }
        }
        for statusKey in chain {
            if let first = answers.variants[statusKey]?[language]?.first {
                return kb.template(first).render { lookup($0) ?? "" } ?? first
            }
        }
        return pickAnswer(intent.answers, key: intent.id, captures: captures, kb: kb)
    }

    /// An order's fields for templates, as `order.FIELD`: dates and amounts in the
    /// customer's language, the status in words, how many days late.
    static func orderFields(_ order: Order, language: String, today: OrderDate) -> [String: String] {
        var fields: [String: String] = [:]
        for (name, value) in order.fields {
            if Order.dateFields.contains(name), let date = OrderDate(iso: value) {
                fields["order." + name] = date.text(language: language, today: today)
            } else if Order.isAmountField(name), let amount = OrderAmount(value) {
                fields["order." + name] = amount.text(language: language)
            } else {
                fields["order." + name] = value
            }
        }
        fields["order.status_text"] = order.status.text(language: language)
        if order.isDelayed(today: today), let expected = order.fields["expected"].flatMap(OrderDate.init(iso:)) {
            fields["order.days_late"] = String(today.days(since: expected))
        }
        return fields
    }

    private mutating func reply(_ text: String, intent: Intent, captures: [String: String], pattern: IntentPattern?, path: String,
                                kb: KnowledgeBase, into step: inout ConversationStep, suggestions ids: [String]? = nil) {
        let suggestions = (ids ?? intent.followups).compactMap { suggestionText($0, kb) }
        step.outputs.append(.reply(Reply(text: text, intent: intent.id, phase: phase, language: language, suggestions: suggestions,
                                         captures: captures)))
        step.events.append(.reply(.init(text: text, intent: intent.id, phase: phase, language: language, captures: captures,
                                        suggestions: suggestions, pattern: pattern?.reference)))
        lastAnswer = AnswerTrace(intent: intent.id, pattern: pattern?.source, location: pattern?.location, captures: captures,
                                 phase: phase, language: language, path: path)
    }

    /// The first rule that holds sends its message; at most once per session.
    private mutating func proactive(orders list: [Order], now: Date?, kb: KnowledgeBase, into step: inout ConversationStep) {
        guard !orders.welcomed, let profile else { return }
        let today = OrderDate.today(now ?? Date(), timeZone: kb.timeZone)
        for rule in kb.content.proactiveRules {
            let (holds, order) = rule.evaluate(profile: profile.fields, orders: list, today: today)
            guard holds else { continue }
            orders.welcomed = true
            let extra = order.map { Self.orderFields($0, language: language, today: today) } ?? [:]
            let template = rule.text.text(in: language, fallbacks: kb.languages) ?? ""
            let parsed = kb.template(template)
            let lookup = fields([:], kb: kb, extra: extra)
            let text = parsed.render(lookup) ?? parsed.render { lookup($0) ?? "" } ?? template
            let suggestions = rule.suggestions.compactMap { suggestionText($0, kb) }
            step.outputs.append(.proactive(rule: rule.id, text: text, suggestions: suggestions))
            step.events.append(.proactive(rule: rule.id, text: text, suggestions: suggestions, intents: rule.suggestions))
            return
        }
    }
}

extension KnowledgeBase {
    /// The shop's time zone (setting `timezone`, default Europe/Berlin): what "today" is.
    public var timeZone: TimeZone {
        content.settings["timezone"].flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "Europe/Berlin") ?? .gmt
    }
}
