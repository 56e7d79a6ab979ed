import Foundation

/// `treue check`: everything that can be known about a knowledge base before customers
/// see it. Loading and compiling report schema and pattern errors; this adds examples,
/// suggestions, templates, answer coverage and the conversation tests.
public struct KnowledgeBaseChecker {
    public let kb: KnowledgeBase
    public let directory: CustomerDirectory

    public init(kb: KnowledgeBase, directory: CustomerDirectory) {
        self.kb = kb
        self.directory = directory
    }

    public func check(tests: [ConversationTest] = []) -> [Diagnostic] {
        let scratch = kb.matcher.makeScratch()
        var diagnostics: [Diagnostic] = []
        checkExamples(scratch, &diagnostics)
        checkTemplates(&diagnostics)
        checkCoverage(&diagnostics)
        checkOrderAnswers(&diagnostics)
        checkShadowedColumns(&diagnostics)
        for test in tests { diagnostics += test.run(kb: kb, directory: directory, scratch: scratch) }
        return diagnostics
    }

    /// How many phrasings the knowledge base answers with their own intent: a figure, not
    /// a finding, since phrasings are customers' words and some are hard on purpose.
    public func phrasingAgreement() -> (agreeing: Int, total: Int) {
        let interpreter = MessageInterpreter()
        let scratch = kb.matcher.makeScratch()
        var agreeing = 0
        for phrasing in kb.content.phrasings {
            if let index = selected(interpreter.interpret(phrasing.text, kb: kb, scratch: scratch)), kb.intents[index].id == phrasing.intent {
                agreeing += 1
            }
        }
        return (agreeing, kb.content.phrasings.count)
    }

    /// The intent a message ends up with, the out-of-scope layer counting as one.
    private func selected(_ understood: Interpretation) -> Int? {
        switch understood.decision {
        case .pattern, .examples: understood.intentIndex
        case .outOfScope: understood.hit?.intentIndex ?? kb.intents.firstIndex { $0.action == .outOfScope }
        case .clarify, .none: nil
        }
    }

    private func checkExamples(_ scratch: MatcherScratch, _ diagnostics: inout [Diagnostic]) {
        let interpreter = MessageInterpreter()
        for (index, intent) in kb.intents.enumerated() {
            for language in kb.languages where (intent.examples[language] ?? []).isEmpty
                && intent.patterns.contains(where: { $0.language == language }) {
                diagnostics.append(Diagnostic(.warning, "example", "intent '\(intent.id)' has patterns but no examples in '\(language)'", at: intent.location))
            }
            for (language, examples) in intent.examples {
                for example in examples {
                    let location = intent.exampleLocations["\(language)\u{0}\(example)"] ?? intent.location
                    let understood = interpreter.interpret(example, kb: kb, scratch: scratch)
                    reportLimits(understood.report, location, &diagnostics)
                    if understood.decision == .clarify {
                        let options = understood.options.map { "'\(kb.intents[$0].id)'" }.joined(separator: " or ")
                        diagnostics.append(Diagnostic(.error, "example", "example of '\(intent.id)' asks \(options): \"\(example)\"", at: location))
                        continue
                    }
                    guard let winner = selected(understood) else {
                        diagnostics.append(Diagnostic(.error, "example", "example of '\(intent.id)' matches no intent: \"\(example)\"", at: location))
                        continue
                    }
                    if winner != index {
                        diagnostics.append(Diagnostic(.error, "example",
                            "example of '\(intent.id)' selects '\(kb.intents[winner].id)': \"\(example)\"", at: location))
                    }
                }
            }
            for (language, examples) in intent.counterExamples {
                for example in examples {
                    let location = intent.exampleLocations["\(language)\u{0}\(example)"] ?? intent.location
                    let understood = interpreter.interpret(example, kb: kb, scratch: scratch)
                    reportLimits(understood.report, location, &diagnostics)
                    if selected(understood) == index {
                        diagnostics.append(Diagnostic(.error, "counter_example", "counter-example of '\(intent.id)' selects it: \"\(example)\"", at: location))
                    }
                }
            }
            if let suggestion = intent.suggestion {
                for (language, text) in suggestion.byLanguage {
                    let winner = selected(interpreter.interpret(text, kb: kb, scratch: scratch))
                    if winner != index {
                        diagnostics.append(Diagnostic(.error, "suggestion",
                            "suggestion '\(text)' (\(language)) of '\(intent.id)' selects \(winner.map { "'\(kb.intents[$0].id)'" } ?? "no intent")",
                            at: intent.location))
                    }
                }
            }
        }
    }

    private func reportLimits(_ report: MatchReport, _ location: SourceLocation, _ diagnostics: inout [Diagnostic]) {
        for number in report.limitExceeded {
            let pattern = kb.matcher.patterns[number]
            diagnostics.append(Diagnostic(.error, "match_limit",
                "pattern of '\(kb.intents[pattern.intentIndex].id)' hit the match limit on \"\(report.message.original.prefix(60))\": rewrite it to backtrack less",
                at: pattern.source.location))
        }
    }

    /// A customer column named like a setting can never reach an answer: `{email}` is the
    /// shop's address, not the customer's. Said once, so the export can rename the column.
    private func checkShadowedColumns(_ diagnostics: inout [Diagnostic]) {
        for column in directory.columns where kb.content.settings[column] != nil {
            diagnostics.append(Diagnostic(.warning, "customers",
                "the customer column '\(column)' has the name of a setting: answers show the setting's value for {\(column)}, never the customer's; rename the column (for example 'customer_\(column)') to use it in answers",
                at: nil))
        }
    }

    /// Fields a template may use without `|default` or `[[ ]]`: settings, the built-ins,
    /// and the captures and slots of the intent. Profile fields may be unknown (anonymous
    /// customers), so they must always be guarded.
    private func checkTemplates(_ diagnostics: inout [Diagnostic]) {
        let always = Set(kb.content.settings.keys).union(["phase", "lang"])
        let profileFields = Set(directory.columns)
        for intent in kb.intents {
            var captures = Set(intent.slots.map(\.name))
            for pattern in kb.matcher.patterns where kb.intents[pattern.intentIndex].id == intent.id {
                captures.formUnion(pattern.captureGroups.map(\.name))
            }
            let known = always.union(captures)
            for (phase, byLanguage) in intent.answers.variants {
                for (language, variants) in byLanguage {
                    for variant in variants {
                        for field in TemplateRenderer.fieldNames(in: variant) where !field.hasDefault && !field.optional {
                            if known.contains(field.name) { continue }
                            let why = profileFields.contains(field.name) || ["name", "points", "tier"].contains(field.name)
                                ? "is a profile field, unknown for anonymous customers: write {\(field.name)|…} or [[ … {\(field.name)} … ]]"
                                : "is provided by nothing (settings, captures, slots, profile)"
                            diagnostics.append(Diagnostic(.error, "template",
                                "answer of '\(intent.id)' (\(phase), \(language)) uses {\(field.name)}, which \(why)", at: intent.location))
                        }
                    }
                }
            }
        }
    }

    private func checkCoverage(_ diagnostics: inout [Diagnostic]) {
        for intent in kb.intents {
            for language in kb.languages where intent.answers.variants[AnswerSet.defaultKey]?[language]?.isEmpty ?? true {
                diagnostics.append(Diagnostic(.error, "answers", "intent '\(intent.id)' has no default answer in '\(language)'", at: intent.location))
            }
            for (phase, byLanguage) in intent.answers.variants where phase != AnswerSet.defaultKey {
                for language in kb.languages where byLanguage[language] == nil {
                    diagnostics.append(Diagnostic(.warning, "answers",
                        "intent '\(intent.id)' answers phase '\(phase)' but not in '\(language)' (the default answer is used)", at: intent.location))
                }
            }
            if intent.suggestion == nil, intent.action != .outOfScope {
                diagnostics.append(Diagnostic(.warning, "suggestion", "intent '\(intent.id)' has no suggestion; its title is offered instead", at: intent.location))
            }
        }
    }

    /// Order answers: for every status (and a late parcel) in every language, the first
    /// status key with answers must have a variant that renders with only the fields that
    /// status guarantees; otherwise a customer could see it with a gap where a field was.
    /// Other fields must be guarded with `[[ … ]]` or `|default`.
    private func checkOrderAnswers(_ diagnostics: inout [Diagnostic]) {
        let always = Set(kb.content.settings.keys).union(["phase", "lang", "order"])
        let profileFields = Set(directory.columns).union(["name", "points", "tier"])
        for (id, answers) in kb.content.orderAnswers.sorted(by: { $0.key < $1.key }) {
            let location = kb.content.orderAnswerLocations[id] ?? kb.intent(id: id)?.location
            for (statusKey, byLanguage) in answers.variants {
                for (language, variants) in byLanguage {
                    for variant in variants {
                        for field in TemplateRenderer.fieldNames(in: variant) where !field.hasDefault && !field.optional
                            && !field.name.hasPrefix("order.") && !always.contains(field.name) {
                            let why = profileFields.contains(field.name)
                                ? "is a profile field, unknown for anonymous customers: write {\(field.name)|…} or [[ … ]]"
                                : "is provided by nothing (settings, order fields are {order.FIELD})"
                            diagnostics.append(Diagnostic(.error, "template",
                                "order answer of '\(id)' (\(statusKey), \(language)) uses {\(field.name)}, which \(why)", at: location))
                        }
                    }
                }
            }
            for status in OrderStatus.allCases {
                for delayed in status.isUnderway ? [false, true] : [false] {
                    var guaranteed = status.guaranteedFields
                    var chain = [status.rawValue, AnswerSet.defaultKey]
                    if delayed {
                        guaranteed.formUnion(["expected", "days_late"])
                        chain.insert("delayed", at: 0)
                    }
                    let situation = delayed ? "\(status.rawValue), late" : status.rawValue
                    for language in kb.languages {
                        guard let key = chain.first(where: { !(answers.variants[$0]?[language] ?? []).isEmpty }),
                              let variants = answers.variants[key]?[language] else {
                            diagnostics.append(Diagnostic(.warning, "answers",
                                "order answers of '\(id)' have nothing for status '\(situation)' in '\(language)' (another language's or the general answer is used)",
                                at: location))
                            continue
                        }
                        let missing = variants.map { variant in
                            TemplateRenderer.fieldNames(in: variant)
                                .filter { !$0.hasDefault && !$0.optional && $0.name.hasPrefix("order.") }
                                .map { String($0.name.dropFirst("order.".count)) }
                                .filter { !guaranteed.contains($0) }
                        }
                        if missing.allSatisfy({ !$0.isEmpty }) {
                            let fields = Set(missing.flatMap { $0 }).sorted().map { "{order.\($0)}" }.joined(separator: ", ")
                            diagnostics.append(Diagnostic(.error, "template",
                                "order answer of '\(id)' for status '\(situation)' (\(key), \(language)) can render with a missing field: "
                                + "\(fields) is not guaranteed for that status; put it in [[ … ]] or add a variant without it", at: location))
                        }
                    }
                }
            }
        }
    }
}
