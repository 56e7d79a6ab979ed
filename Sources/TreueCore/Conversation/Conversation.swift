import Foundation

/// One customer's conversation: the state machine behind the line protocol. It knows
/// nothing of sockets or files; the server, the tests and `treue check` all drive it.
public struct Conversation: Sendable {
    public let sessionID: String
    public private(set) var mode: OutputMode = .text
    public private(set) var phase: String
    public internal(set) var language: String
    public private(set) var isClosed = false
    public internal(set) var profile: CustomerProfile?
    /// Set by `/lang`; otherwise each answer takes the language of the pattern that matched.
    var chosenLanguage: String?
    var pendingSlot: PendingSlot?
    var fallbacksInARow = 0
    var lastAnswer: AnswerTrace?
    var awaitingRating = false
    /// Set by the server before each line: is any service agent logged in?
    public var agentsAvailable = false
    var handoffState = HandoffSessionState()
    /// The intent that asked for the person, for the callback reply if the queue refuses.
    var pendingHandoffIntent: String?
    /// The intents answered so far, oldest first, each once: the agent who takes over sees
    /// what the bot already tried.
    var intentsTried: [String] = []
    /// Order facts: the access state, a guest's number waiting for its postcode, and the
    /// lookup the server is running for this session (see ConversationOrders.swift).
    var orders = OrderSessionState()
    var variantTurns: [String: Int] = [:]
    /// The intents a clarifying question offered, and the message it was about.
    var pendingChoice: (options: [String], message: String)?

    struct PendingSlot: Sendable {
        let intentID: String
        let slot: String
        let captures: [String: String]
        let language: String
    }

    /// What `/why` explains and `/rate` refers to.
    struct AnswerTrace: Sendable {
        let intent: String?
        let pattern: String?
        let location: SourceLocation?
        let captures: [String: String]
        let phase: String
        let language: String
        let path: String
        var evidence: String? = nil
        var variant: String? = nil
    }

    public init(sessionID: String = SessionID.make(), knowledgeBase kb: KnowledgeBase) {
        self.sessionID = sessionID
        phase = kb.defaultPhase
        language = kb.defaultLanguage
    }

    // MARK: - Opening and closing

    public mutating func open(_ kb: KnowledgeBase) -> ConversationStep {
        ConversationStep(outputs: [greeting(kb)], events: [.sessionOpened(phase: phase, language: language)])
    }

    /// Records the end of the session once, whatever ended it.
    public mutating func close(reason: String) -> ConversationStep {
        guard !isClosed else { return ConversationStep() }
        isClosed = true
        var events: [TranscriptEvent] = []
        if handoffState.stage == .waiting, let ticket = handoffState.ticket { events.append(.leftWaiting(ticket: ticket)) }
        return ConversationStep(events: events + [.sessionClosed(reason: reason)], closes: true)
    }

    /// Says goodbye for a reason of the server's (`idle_bye`, `shutdown_bye`) and closes.
    public mutating func hangUp(_ kb: KnowledgeBase, messageKey: String, reason: String) -> ConversationStep {
        guard !isClosed else { return ConversationStep() }
        var step = ConversationStep(outputs: [.bye(text: text(messageKey, kb))])
        step.events += close(reason: reason).events
        step.closes = true
        return step
    }

    /// Input the server refused before it became a line (too long, not UTF-8, …).
    public mutating func reject(_ code: ErrorCode, detail: String, _ kb: KnowledgeBase) -> ConversationStep {
        ConversationStep(outputs: [.error(code: code, text: errorText(code, kb))], events: [.error(code: code.rawValue, detail: detail)])
    }

    // MARK: - Input

    public mutating func receive(_ line: String, kb: KnowledgeBase, identity: IdentityPolicy, scratch: MatcherScratch) -> ConversationStep {
        guard !isClosed else { return ConversationStep() }
        orders.enabled = identity.answersFromOrders
        orders.awaiting = nil
        // Spaces and tabs around a line are noise; a command indented by them is still one.
        // Most lines have nothing to trim, and Foundation's trim copies through NSString.
        let spaces = CharacterSet.whitespaces
        let trimmed = line.unicodeScalars.first.map(spaces.contains) == false && line.unicodeScalars.last.map(spaces.contains) == false
            ? line : line.trimmingCharacters(in: .whitespaces)
        if awaitingRating { return finishRating(trimmed, kb) }
        if trimmed.isEmpty { return ConversationStep() }
        let isCommand = trimmed.hasPrefix("/")
        if case let .contact(tries) = handoffState.stage {
            if !isCommand, let step = contactAnswer(trimmed, tries: tries, kb) { return step }
            handoffState.stage = .none
        }
        if isWithAgent, !isCommand { return toAgent(trimmed) }
        if isCommand { return command(ChatCommand(line: trimmed), kb: kb, identity: identity) }
        remember(.init(from: .customer, text: trimmed))
        var step = message(trimmed, kb: kb, scratch: scratch)
        remember(outputs: step.outputs)
        if step.handoff == nil, handoffState.stage == .waiting, let ticket = handoffState.ticket {
            step.handoff = .forward(ticket: ticket, text: trimmed)
        }
        return step
    }

    private mutating func message(_ text: String, kb: KnowledgeBase, scratch: MatcherScratch) -> ConversationStep {
        if let step = postcodeAnswer(text) { return step }
        orders.numbersInMessage = orders.enabled ? OrderNumber.all(in: text) : []
        var step = ConversationStep(events: [.message(text: text)])
        if let pending = pendingSlot {
            pendingSlot = nil
            if let value = kb.fillSlot(intentID: pending.intentID, slot: pending.slot, from: text, scratch: scratch),
               let intent = kb.intent(id: pending.intentID) {
                var captures = pending.captures
                captures[pending.slot] = value
                answer(intent, captures: captures, language: chosenLanguage ?? pending.language, pattern: nil,
                       path: "slot '\(pending.slot)' filled from this message", kb: kb, into: &step)
                return step
            }
        }
        if let choice = pendingChoice {
            pendingChoice = nil
            if let number = Int(text), (1...choice.options.count).contains(number), let intent = kb.intent(id: choice.options[number - 1]) {
                let captures = slotCaptures(intent, from: choice.message, kb: kb, scratch: scratch)
                answer(intent, captures: captures, language: chosenLanguage ?? language, pattern: nil,
                       path: "chosen by the customer (\(number)) after a clarifying question", kb: kb, into: &step,
                       stage: "clarified", evidence: "options: " + choice.options.joined(separator: ", "))
                return step
            }
        }
        let understood = MessageInterpreter().interpret(text, kb: kb, scratch: scratch)
        let report = understood.report
        for number in report.limitExceeded {
            let pattern = kb.matcher.patterns[number]
            step.events.append(.patternLimit(intent: kb.intents[pattern.intentIndex].id, pattern: pattern.source.reference))
        }
        let evidence = understood.evidence(kb)
        switch understood.decision {
        case .none:
            fallback(kb, into: &step, stage: understood.stage, evidence: evidence)
            return step
        case .outOfScope:
            outOfScope(understood, kb: kb, evidence: evidence, into: &step)
            return step
        case .clarify:
            clarify(understood, message: text, kb: kb, evidence: evidence, into: &step)
            return step
        case .pattern, .examples:
            break
        }
        guard let index = understood.intentIndex else { fallback(kb, into: &step, stage: understood.stage, evidence: evidence); return step }
        let intent = kb.intents[index]
        let pattern = understood.hit.map { kb.matcher.patterns[$0.patternNumber].source }
        var path: String
        if understood.decision == .examples {
            path = "no pattern matched; closest examples"
        } else {
            let others = Set(report.hits.map(\.intentIndex)).count - 1
            path = others > 0 ? "won against \(others) other matching intent(s) by priority, then match length, then order" : "only matching intent"
        }
        let captures = understood.decision == .examples ? slotCaptures(intent, from: text, kb: kb, scratch: scratch) : understood.captures
        let replyLanguage = chosenLanguage ?? understood.language ?? language
        if intent.action == .handoff {
            language = replyLanguage
            handoff(kb, reason: "intent", intent: intent.id, into: &step)
            lastAnswer = AnswerTrace(intent: intent.id, pattern: pattern?.source, location: pattern?.location, captures: captures,
                                     phase: phase, language: language, path: path, evidence: evidence)
            return step
        }
        answer(intent, captures: captures, language: replyLanguage, pattern: pattern, path: path, kb: kb, into: &step,
               stage: understood.stage, evidence: evidence)
        return step
    }

    /// Slot values found in a message the patterns did not decide (the example stage, or
    /// the message a clarifying question was about).
    private func slotCaptures(_ intent: Intent, from text: String, kb: KnowledgeBase, scratch: MatcherScratch) -> [String: String] {
        var captures: [String: String] = [:]
        for slot in intent.slots {
            if let value = kb.fillSlot(intentID: intent.id, slot: slot.name, from: text, scratch: scratch) { captures[slot.name] = value }
        }
        return captures
    }

    /// Other business: the out-of-scope layer's own answer, counted as a fallback.
    private mutating func outOfScope(_ understood: Interpretation, kb: KnowledgeBase, evidence: String, into step: inout ConversationStep) {
        guard let layer = kb.intents.first(where: { $0.action == .outOfScope }) else {
            fallback(kb, into: &step, stage: understood.stage, evidence: evidence)
            return
        }
        if chosenLanguage == nil, let detected = understood.language { language = detected }
        let text = pickAnswer(layer.answers, key: layer.id, captures: [:], kb: kb)
        let ids = kb.content.fallbackSuggestions[phase] ?? kb.content.fallbackSuggestions[AnswerSet.defaultKey] ?? []
        let suggestions = ids.compactMap { suggestionText($0, kb) }
        step.outputs.append(.reply(Reply(text: text, intent: nil, phase: phase, language: language, suggestions: suggestions)))
        step.events.append(.fallback(count: fallbacksInARow, phase: phase))
        step.events.append(.reply(.init(text: text, intent: nil, phase: phase, language: language, captures: [:],
                                        suggestions: suggestions, pattern: understood.hit.map { kb.matcher.patterns[$0.patternNumber].source.reference },
                                        stage: understood.stage, evidence: evidence, insertedValues: outsideValues([:]))))
        lastAnswer = AnswerTrace(intent: nil, pattern: nil, location: nil, captures: [:], phase: phase, language: language,
                                 path: "out of scope: \(understood.outOfScopeRule ?? "")", evidence: evidence)
    }

    /// Two intents about equally close: ask, offer both, and take a digit as the answer.
    private mutating func clarify(_ understood: Interpretation, message: String, kb: KnowledgeBase, evidence: String,
                                  into step: inout ConversationStep) {
        if chosenLanguage == nil, let detected = understood.language { language = detected }
        let ids = understood.options.map { kb.intents[$0].id }
        let titles = understood.options.map { kb.intents[$0].title.text(in: language, fallbacks: kb.languages) ?? kb.intents[$0].id }
        var fields: [String: String] = [:]
        for (number, title) in titles.enumerated() { fields[number == 0 ? "first" : "second"] = title }
        let text = render(self.text("clarify", kb, raw: true), captures: fields, kb: kb)
        let suggestions = understood.options.compactMap { suggestionText(kb.intents[$0].id, kb) }
        pendingChoice = (ids, message)
        step.outputs.append(.reply(Reply(text: text, intent: nil, phase: phase, language: language, suggestions: suggestions)))
        step.events.append(.clarify(options: ids))
        step.events.append(.reply(.init(text: text, intent: nil, phase: phase, language: language, captures: [:],
                                        suggestions: suggestions, pattern: nil, stage: understood.stage, evidence: evidence)))
        lastAnswer = AnswerTrace(intent: nil, pattern: nil, location: nil, captures: [:], phase: phase, language: language,
                                 path: "asked which of " + ids.joined(separator: " or "), evidence: evidence)
    }

    mutating func answer(_ intent: Intent, captures matched: [String: String], language replyLanguage: String, pattern: IntentPattern?,
                         path: String, kb: KnowledgeBase, into step: inout ConversationStep,
                         stage: String? = nil, evidence: String? = nil) {
        var captures = matched
        // "Bestellung 44812400 stornieren": the number came before the words the pattern
        // captures after; with order facts on, one number in the message fills the slot.
        if orders.enabled, captures["order"] == nil, orders.numbersInMessage.count == 1, intent.slots.contains(where: { $0.name == "order" }) {
            captures["order"] = orders.numbersInMessage[0]
        }
        fallbacksInARow = 0
        language = replyLanguage
        intentsTried.removeAll { $0 == intent.id }
        intentsTried.append(intent.id)
        if intentsTried.count > 10 { intentsTried.removeFirst() }
        // The answer fits the phase the customer asked from (a prospect asking about points
        // is invited to join); the question's signal then moves the session, and the reply
        // reports where the journey is now.
        let askedFrom = phase
        if let signal = intent.phaseSignal, signal != phase, profile == nil {
            step.events.append(.phaseChanged(from: phase, to: signal, reason: "signal"))
            phase = signal
        }
        if let missing = intent.slots.first(where: { captures[$0.name] == nil }) {
            pendingSlot = PendingSlot(intentID: intent.id, slot: missing.name, captures: captures, language: language)
            let prompt = render(missing.prompt.text(in: language, fallbacks: kb.languages) ?? "", captures: captures, kb: kb)
            step.outputs.append(.prompt(text: prompt, kind: .slot))
            step.events.append(.slotPrompt(intent: intent.id, slot: missing.name))
            lastAnswer = AnswerTrace(intent: intent.id, pattern: pattern?.source, location: pattern?.location, captures: captures,
                                     phase: phase, language: language, path: path + "; asked for slot '\(missing.name)'", evidence: evidence)
            return
        }
        if answerFromOrders(intent, captures: captures, pattern: pattern, path: path, askedFrom: askedFrom, kb: kb, into: &step) {
            return
        }
        let (text, variant) = pickAnswerVariant(intent.answers, key: intent.id, captures: captures, phase: askedFrom, kb: kb)
        let suggestions = intent.followups.compactMap { suggestionText($0, kb) }
        let reply = Reply(text: text, intent: intent.id, phase: phase, language: language, suggestions: suggestions, captures: captures)
        step.outputs.append(.reply(reply))
        step.events.append(.reply(.init(text: text, intent: intent.id, phase: phase, language: language, captures: captures,
                                        suggestions: suggestions, pattern: pattern?.reference, stage: stage, evidence: evidence,
                                        variant: variant, insertedValues: outsideValues(captures))))
        lastAnswer = AnswerTrace(intent: intent.id, pattern: pattern?.source, location: pattern?.location, captures: captures,
                                 phase: phase, language: language, path: path, evidence: evidence, variant: variant)
    }

    mutating func fallback(_ kb: KnowledgeBase, into step: inout ConversationStep, stage: String? = nil, evidence: String? = nil) {
        fallbacksInARow += 1
        let answers = kb.content.fallbackAnswers
        var text = answers.isEmpty ? self.text("fallback", kb) : pickAnswer(answers, key: "<fallback>", captures: [:], kb: kb)
        var path = "no pattern matched: fallback for phase '\(phase)'"
        if fallbacksInARow >= 2 {
            text += " " + self.text("handoff_offer", kb)
            path += "; \(fallbacksInARow) fallbacks in a row, offered a person"
        }
        let ids = kb.content.fallbackSuggestions[phase] ?? kb.content.fallbackSuggestions[AnswerSet.defaultKey] ?? []
        let suggestions = ids.compactMap { suggestionText($0, kb) }
        step.outputs.append(.reply(Reply(text: text, intent: nil, phase: phase, language: language, suggestions: suggestions)))
        step.events.append(.fallback(count: fallbacksInARow, phase: phase))
        step.events.append(.reply(.init(text: text, intent: nil, phase: phase, language: language, captures: [:],
                                        suggestions: suggestions, pattern: nil, stage: stage, evidence: evidence,
                                        insertedValues: outsideValues([:]))))
        lastAnswer = AnswerTrace(intent: nil, pattern: nil, location: nil, captures: [:], phase: phase, language: language, path: path,
                                 evidence: evidence)
    }

    // MARK: - Commands

    private mutating func command(_ command: ChatCommand, kb: KnowledgeBase, identity: IdentityPolicy) -> ConversationStep {
        var step = ConversationStep()
        switch command {
        case .help:
            step.events.append(.command(name: "help"))
            step.outputs.append(.info(text: text("help", kb)))
        case .json:
            mode = .json
            step.events.append(.command(name: "json"))
            step.outputs += [.mode(.json), greeting(kb)]
        case .text:
            mode = .text
            step.events.append(.command(name: "text"))
            step.outputs.append(.mode(.text))
        case let .lang(code):
            guard let code, kb.languages.contains(code) else {
                return error(.badArgument, detail: "lang", kb, extra: kb.languages.joined(separator: "|"))
            }
            chosenLanguage = code
            language = code
            step.events.append(.command(name: "lang \(code)"))
            step.outputs.append(.info(text: text("language_set", kb)))
        case let .login(id, token):
            return login(id: id, token: token, kb: kb, identity: identity)
        case let .phase(name):
            guard let name else {
                step.events.append(.command(name: "phase"))
                step.outputs.append(.info(text: render(text("phase_current", kb, raw: true), captures: [:], kb: kb)))
                return step
            }
            guard identity.isDemoMode else { return error(.notAllowed, detail: "phase", kb) }
            guard kb.phases.contains(name) else {
                return error(.badArgument, detail: "phase", kb, extra: kb.phases.joined(separator: ", "))
            }
            if name != phase { step.events.append(.phaseChanged(from: phase, to: name, reason: "demo")) }
            phase = name
            step.outputs.append(.info(text: render(text("phase_set", kb, raw: true), captures: [:], kb: kb)))
        case let .feedback(score, comment):
            guard let score, let value = Int(score), (1...5).contains(value) else {
                return error(.badArgument, detail: "feedback", kb)
            }
            step.events.append(.feedback(score: value, comment: comment))
            step.outputs.append(.info(text: text("feedback_thanks", kb)))
        case let .rate(direction):
            guard direction == "up" || direction == "down" else { return error(.badArgument, detail: "rate", kb) }
            guard let last = lastAnswer else { return error(.nothingToRate, detail: "rate", kb) }
            step.events.append(.rating(helpful: direction == "up", intent: last.intent, variant: last.variant))
            step.outputs.append(.info(text: text("rate_thanks", kb)))
        case .agent:
            step.events.append(.command(name: "agent"))
            handoff(kb, reason: "customer", intent: nil, into: &step)
        case .reset:
            pendingSlot = nil
            pendingChoice = nil
            orders.pendingPostcode = nil
            fallbacksInARow = 0
            lastAnswer = nil
            step.events.append(.command(name: "reset"))
            step.outputs.append(.info(text: text("reset_done", kb)))
        case .why:
            guard identity.isDemoMode else { return error(.notAllowed, detail: "why", kb) }
            step.events.append(.command(name: "why"))
            step.outputs.append(.info(text: explainLastAnswer(kb)))
        case .quit:
            step.events.append(.command(name: "quit"))
            awaitingRating = true
            step.outputs.append(.prompt(text: text("rating_prompt", kb), kind: .rating))
        case let .unknown(name):
            return error(.unknownCommand, detail: name, kb)
        }
        return step
    }

    private mutating func finishRating(_ answer: String, _ kb: KnowledgeBase) -> ConversationStep {
        awaitingRating = false
        var step = ConversationStep()
        if answer.count == 1, let value = Int(answer), (1...5).contains(value) {
            step.events.append(.feedback(score: value, comment: nil))
        }
        step.outputs.append(.bye(text: text("bye", kb)))
        step.events += close(reason: "quit").events
        step.closes = true
        return step
    }

    private mutating func login(id: String?, token: String?, kb: KnowledgeBase, identity: IdentityPolicy) -> ConversationStep {
        guard let id else { return error(.badArgument, detail: "login", kb) }
        // One answer for every failure, and the token is checked even for an unknown id, so
        // neither the reply nor its timing tells which ids exist.
        let valid = CustomerID.isValid(id)
        let profile = valid ? identity.directory.profile(id: id) : nil
        var verified = false
        if let verifier = identity.verifier {
            let signed = valid && verifier.verify(customerID: id, token: token ?? "")
            guard signed, profile != nil else { return error(.loginFailed, detail: "unknown id or bad or expired token", kb) }
            verified = true
        }
        guard let profile else { return error(.loginFailed, detail: "unknown or invalid id", kb) }
        self.profile = profile
        pendingSlot = nil
        orders.pendingPostcode = nil
        var step = ConversationStep()
        step.events.append(.login(customer: id, verified: verified, phase: profile.phase,
                                  tier: profile.fields["tier"], segment: profile.fields["segment"]))
        if profile.phase != phase {
            step.events.append(.phaseChanged(from: phase, to: profile.phase, reason: "login"))
            phase = profile.phase
        }
        step.outputs.append(.info(text: render(text("login_ok", kb, raw: true), captures: [:], kb: kb)))
        welcome(kb, into: &step)
        return step
    }

    func error(_ code: ErrorCode, detail: String, _ kb: KnowledgeBase, extra: String? = nil) -> ConversationStep {
        var text = errorText(code, kb)
        if let extra { text += " (\(extra))" }
        return ConversationStep(outputs: [.error(code: code, text: text)], events: [.error(code: code.rawValue, detail: detail)])
    }

    // MARK: - Texts

    private func greeting(_ kb: KnowledgeBase) -> ConversationOutput {
        .greeting(text: text("greeting", kb), session: sessionID)
    }

    /// A system message in the session's language, with fields filled.
    func text(_ key: String, _ kb: KnowledgeBase, raw: Bool = false) -> String {
        let template = SystemMessages.template(key, language: language, overrides: kb.content.messages, fallbackLanguage: kb.defaultLanguage)
        return raw ? template : render(template, captures: [:], kb: kb)
    }

    func errorText(_ code: ErrorCode, _ kb: KnowledgeBase) -> String {
        kb.errorText(code, language: language)
    }

    func fields(_ captures: [String: String], kb: KnowledgeBase, extra: [String: String] = [:]) -> (String) -> String? {
        let profile = self.profile
        let phase = self.phase
        let language = self.language
        return { name in
            if let value = extra[name] { return value }
            if let value = captures[name] { return value }
            // A shop fact outranks a CRM column of the same name: an export with an `email`
            // column must not turn "write to {email}" into the customer's own address.
            if let value = kb.content.settings[name] { return value }
            if let value = profile?.fields[name] { return value }
            switch name {
            case "phase": return phase
            case "lang": return language
            default: return nil
            }
        }
    }

    /// What a reply rendered by `fields(captures)` can hold from outside the knowledge base.
    func outsideValues(_ captures: [String: String]) -> [String] {
        Array(captures.values) + (profile.map { Array($0.fields.values) } ?? [])
    }

    func render(_ template: String, captures: [String: String], kb: KnowledgeBase) -> String {
        let lookup = fields(captures, kb: kb)
        let parsed = kb.template(template)
        return parsed.render(lookup) ?? parsed.render { lookup($0) ?? "" } ?? template
    }

    /// The next variant for this session that renders with what is known; the phase's
    /// own answers first, then `default`.
    mutating func pickAnswer(_ answers: AnswerSet, key: String, captures: [String: String], phase: String? = nil,
                                     kb: KnowledgeBase) -> String {
        pickAnswerVariant(answers, key: key, captures: captures, phase: phase, kb: kb).text
    }

    /// `pickAnswer` with the variant it chose, `PHASE/LANGUAGE/N` as the YAML lists it.
    mutating func pickAnswerVariant(_ answers: AnswerSet, key: String, captures: [String: String], phase: String? = nil,
                                    kb: KnowledgeBase) -> (text: String, variant: String?) {
        let phase = phase ?? self.phase
        let lookup = fields(captures, kb: kb)
        // One lookup reads and bumps the turn.
        let turn: Int
        if let index = variantTurns.index(forKey: key) {
            turn = variantTurns.values[index]
            variantTurns.values[index] = turn + 1
        } else {
            turn = Int(Self.stableHash(sessionID + key) % 997)
            variantTurns[key] = turn + 1
        }
        // The customer's language first, then the others; the phase's own answers before
        // `default`. Walked by index: the two lists were built anew for every answer.
        let languages = kb.languages
        for languageIndex in -1..<languages.count {
            let candidateLanguage = languageIndex < 0 ? language : languages[languageIndex]
            if languageIndex >= 0, candidateLanguage == language { continue }
            for defaultPass in 0..<2 {
                let phaseKey = defaultPass == 0 ? phase : AnswerSet.defaultKey
                guard let variants = answers.variants[phaseKey]?[candidateLanguage], !variants.isEmpty else { continue }
                for offset in 0..<variants.count {
                    let index = (turn + offset) % variants.count
                    if let text = kb.template(variants[index]).render(lookup) {
                        return (text, phaseKey + "/" + candidateLanguage + "/" + String(index + 1))
                    }
                }
            }
        }
        let variants = answers.variants(phase: phase, language: language)
        guard let first = variants.first else { return (text("fallback", kb), nil) }
        return (kb.template(first).render { lookup($0) ?? "" } ?? first, nil)
    }

    func suggestionText(_ id: String, _ kb: KnowledgeBase) -> String? {
        guard let intent = kb.intent(id: id) else { return nil }
        return intent.suggestion?.text(in: language, fallbacks: kb.languages) ?? intent.title.text(in: language, fallbacks: kb.languages)
    }

    private func explainLastAnswer(_ kb: KnowledgeBase) -> String {
        guard let last = lastAnswer else { return "Nothing answered yet." }
        var parts: [String] = []
        parts.append("intent: \(last.intent ?? "none (fallback)")")
        if let pattern = last.pattern, let location = last.location {
            parts.append("pattern: \(pattern) at \(Self.relative(location, to: kb.directory))")
        }
        if !last.captures.isEmpty {
            parts.append("captures: " + last.captures.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", "))
        }
        parts.append("phase: \(last.phase)")
        parts.append("language: \(last.language)")
        parts.append("path: \(last.path)")
        if let evidence = last.evidence, !evidence.isEmpty { parts.append("understood: \(evidence)") }
        return parts.joined(separator: "; ")
    }

    /// A pattern's place relative to the knowledge-base folder: whoever reads `/why` needs
    /// the file, not where the server keeps it.
    static func relative(_ location: SourceLocation, to directory: String?) -> SourceLocation {
        var location = location
        var file = location.file
        if let directory, !directory.isEmpty {
            let prefix = directory.hasSuffix("/") ? directory : directory + "/"
            if file.hasPrefix(prefix) { file = String(file.dropFirst(prefix.count)) }
        }
        // Never an absolute path, whatever the loader was given.
        while file.hasPrefix("/") { file = String(file.split(separator: "/").last ?? "") }
        location.file = file
        return location
    }

    /// FNV-1a: stable across runs, unlike `Hasher`, so a session's variant order is repeatable.
    static func stableHash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
        return hash
    }
}
