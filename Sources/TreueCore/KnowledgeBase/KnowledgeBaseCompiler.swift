import PCRE2Swift

/// Turns loaded content into a `KnowledgeBase`: checks references between its parts and
/// compiles every pattern, reporting problems where the author wrote them.
enum KnowledgeBaseCompiler {
    static func compile(_ content: KnowledgeBaseContent, limits: MatchLimits, directory: String?) -> (KnowledgeBase, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let vocabulary = Vocabulary(content.vocabulary, diagnostics: &diagnostics)
        checkVocabulary(vocabulary, &diagnostics)
        checkStructure(content, &diagnostics)
        checkWordForms(content, &diagnostics)

        // The understanding index needs no compiled pattern: it is built on another thread
        // while the patterns compile on every core.
        let understanding = BackgroundBuild { Understanding.build(content, vocabulary: vocabulary) }
        let parts = Array(content.intents.enumerated()).concurrentMap { intentIndex, intent in
            compilePatterns(of: intent, at: intentIndex, vocabulary: vocabulary)
        }
        var compiled: [CompiledIntentPattern] = []
        var slotPatterns: [Int: [String: CompiledPattern]] = [:]
        for (intentIndex, part) in parts.enumerated() {
            compiled += part.patterns
            if !part.slotPatterns.isEmpty { slotPatterns[intentIndex] = part.slotPatterns }
            diagnostics += part.diagnostics
        }
        // One core is free while the matcher's index is built.
        let tables = BackgroundBuild { KnowledgeBase.ContentTables(content) }
        let priorities = content.intents.map(\.priority)
        let matcher = IntentMatcher(patterns: compiled, priorities: priorities, limits: limits)
        let understood = understanding.value()
        return (KnowledgeBase(content: content, matcher: matcher, slotPatterns: slotPatterns, understanding: understood,
                              tables: tables.value(),
                              directory: directory), diagnostics)
    }

    /// One intent's compiled patterns and slots, with the problems found in them.
    struct CompiledIntent: Sendable {
        var patterns: [CompiledIntentPattern] = []
        var slotPatterns: [String: CompiledPattern] = [:]
        var diagnostics: [Diagnostic] = []
    }

    static func compilePatterns(of intent: Intent, at intentIndex: Int, vocabulary: Vocabulary) -> CompiledIntent {
        var result = CompiledIntent()
        // The out-of-scope layer's patterns share a few guard conditions.
        var conditionCache: [MessageGuard.Condition: CompiledPattern] = [:]
        func conditionCode(_ condition: MessageGuard.Condition) -> CompiledPattern? {
            if let known = conditionCache[condition] { return known }
            let made = compileWithVocabulary(condition.source, vocabulary)
            conditionCache[condition] = made
            return made
        }
        for pattern in intent.patterns {
            guard let (compiled, folded) = compilePattern(pattern.source, at: pattern.location, vocabulary: vocabulary,
                                                          what: "pattern of '\(intent.id)'", &result.diagnostics) else { continue }
            func ownGroups(_ pattern: CompiledPattern) -> [String] {
                pattern.groupNames.map(\.name).filter { !vocabulary.names.contains($0) }.sorted()
            }
            // A vocabulary entry with (*ACCEPT) can end the caller's match early too.
            let accepts = vocabulary.closure(of: folded).contains { vocabulary.entries[$0]!.pattern.containsBytes("(*ACCEPT") }
            let info = accepts ? .anything : RequiredLiterals.analyse(folded) { vocabulary.info($0) }
            var search = compiled
            var messageGuard: CompiledIntentPattern.CompiledGuard?
            if let split = MessageGuard.split(folded, vocabulary: vocabulary),
               let searchCompiled = compileWithVocabulary(split.searchSource, vocabulary),
               ownGroups(searchCompiled) == ownGroups(compiled) {
                let conditions = split.conditions.compactMap { condition in conditionCode(condition).map { (condition, $0) } }
                if conditions.count == split.conditions.count {
                    search = searchCompiled
                    messageGuard = .init(key: split.guardSource, conditions: conditions, startsAtMessageStart: split.startsAtMessageStart)
                }
            }
            result.patterns.append(CompiledIntentPattern(intentIndex: intentIndex, language: pattern.language, source: pattern,
                                                         compiled: search, captureGroups: search.groupNames.filter { !vocabulary.names.contains($0.name) },
                                                         requiredLiterals: RequiredLiterals.requirement(of: info),
                                                         requirementSets: RequiredLiterals.requirements(of: info),
                                                         messageGuard: messageGuard))
        }
        for slot in intent.slots {
            if let (compiled, _) = compilePattern(slot.pattern, at: slot.location, vocabulary: vocabulary,
                                                  what: "slot '\(slot.name)' of '\(intent.id)'", &result.diagnostics) {
                result.slotPatterns[slot.name] = compiled
            }
        }
        return result
    }

    /// A pattern the knowledge base already accepted, in another cut: inlined where that
    /// keeps the meaning, else with its vocabulary appended.
    private static func compileWithVocabulary(_ folded: String, _ vocabulary: Vocabulary) -> CompiledPattern? {
        if let inlined = vocabulary.inlined(folded), let compiled = try? CompiledPattern(inlined) { return compiled }
        return try? CompiledPattern(vocabulary.expand(folded))
    }

    static func compilePattern(_ source: String, at location: SourceLocation, vocabulary: Vocabulary, what: String,
                               _ diagnostics: inout [Diagnostic]) -> (CompiledPattern, folded: String)? {
        let folded: String
        do {
            folded = try TextFolder.foldPattern(source)
        } catch {
            diagnostics.append(Diagnostic(.error, "pattern", "\(what): \(error.message)", at: location))
            return nil
        }
        let unknown = vocabulary.unknownCalls(in: folded)
        if !unknown.isEmpty {
            diagnostics.append(Diagnostic(.error, "pattern",
                "\(what) calls unknown vocabulary \(unknown.map { "(?&\($0))" }.joined(separator: ", "))", at: location))
            return nil
        }
        // Inlined where that keeps the meaning; the expanded form reports any error where
        // the author wrote it.
        if let inlined = vocabulary.inlined(folded), let compiled = try? CompiledPattern(inlined) { return (compiled, folded) }
        do {
            return (try CompiledPattern(vocabulary.expand(folded)), folded)
        } catch {
            var place = "at offset \(error.offset)"
            if error.offset > folded.utf8.count {
                place = "in the vocabulary it calls"
            } else if folded != source {
                place = "at offset \(error.offset) of the folded pattern '\(folded)'"
            }
            diagnostics.append(Diagnostic(.error, "pattern", "\(what): PCRE2: \(error.message) \(place)", at: location))
            return nil
        }
    }

    private static func checkVocabulary(_ vocabulary: Vocabulary, _ diagnostics: inout [Diagnostic]) {
        for name in vocabulary.order {
            let entry = vocabulary.entries[name]!
            let unknown = vocabulary.unknownCalls(in: entry.pattern)
            if !unknown.isEmpty {
                diagnostics.append(Diagnostic(.error, "pattern",
                    "vocabulary '\(name)' calls unknown \(unknown.map { "(?&\($0))" }.joined(separator: ", "))", at: entry.location))
                continue
            }
            // Compiled alone so an error points at the entry, not at every pattern using it.
            do {
                _ = try CompiledPattern(vocabulary.expand("(?&\(name))"))
            } catch {
                diagnostics.append(Diagnostic(.error, "pattern", "vocabulary '\(name)': PCRE2: \(error.message)", at: entry.location))
            }
        }
    }

    private static func checkStructure(_ content: KnowledgeBaseContent, _ diagnostics: inout [Diagnostic]) {
        let phases = Set(content.phases)
        let languages = Set(content.languages)
        var seen: [String: SourceLocation] = [:]
        for intent in content.intents {
            if let earlier = seen[intent.id] {
                diagnostics.append(Diagnostic(.error, "schema", "intent id '\(intent.id)' is already used at \(earlier)", at: intent.location))
            } else {
                seen[intent.id] = intent.location
            }
        }
        for intent in content.intents {
            if let phase = intent.phaseSignal, !phases.contains(phase) {
                diagnostics.append(Diagnostic(.error, "schema", "intent '\(intent.id)' signals unknown phase '\(phase)'", at: intent.location))
            }
            if intent.patterns.isEmpty {
                diagnostics.append(Diagnostic(.error, "schema", "intent '\(intent.id)' has no patterns", at: intent.location))
            }
            for pattern in intent.patterns where !languages.contains(pattern.language) {
                diagnostics.append(Diagnostic(.error, "schema",
                    "pattern language '\(pattern.language)' of '\(intent.id)' is not one of \(content.languages.joined(separator: ", "))",
                    at: pattern.location))
            }
            checkAnswers(intent.answers, owner: "intent '\(intent.id)'", at: intent.location, phases: phases, languages: languages, &diagnostics)
            for followup in intent.followups where seen[followup] == nil {
                diagnostics.append(Diagnostic(.error, "schema", "followup '\(followup)' of '\(intent.id)' is no intent", at: intent.location))
            }
        }
        for (id, answers) in content.orderAnswers {
            let location = content.orderAnswerLocations[id]
            if seen[id] == nil {
                diagnostics.append(Diagnostic(.error, "schema", "order answers for '\(id)', which is no intent", at: location))
            }
            for (_, byLanguage) in answers.variants {
                for language in byLanguage.keys where !languages.contains(language) {
                    diagnostics.append(Diagnostic(.error, "answers", "order answers of '\(id)' in unknown language '\(language)'", at: location))
                }
            }
        }
        var ruleIDs: Set<String> = []
        for rule in content.proactiveRules {
            if !ruleIDs.insert(rule.id).inserted {
                diagnostics.append(Diagnostic(.error, "schema", "proactive rule id '\(rule.id)' is used twice", at: rule.location))
            }
            for id in rule.suggestions where seen[id] == nil {
                diagnostics.append(Diagnostic(.error, "schema", "suggestion '\(id)' of proactive rule '\(rule.id)' is no intent", at: rule.location))
            }
        }
        if !content.fallbackAnswers.isEmpty { checkAnswers(content.fallbackAnswers, owner: "fallback", at: nil, phases: phases, languages: languages, &diagnostics) }
        for phrasing in content.phrasings where seen[phrasing.intent] == nil {
            diagnostics.append(Diagnostic(.error, "schema", "phrasing for '\(phrasing.intent)', which is no intent", at: phrasing.location))
        }
        for phrasing in content.phrasings where !languages.contains(phrasing.language) {
            diagnostics.append(Diagnostic(.error, "schema", "phrasing language '\(phrasing.language)' is not one of \(content.languages.joined(separator: ", "))",
                                          at: phrasing.location))
        }
        for (phase, ids) in content.fallbackSuggestions {
            if phase != AnswerSet.defaultKey, !phases.contains(phase) {
                diagnostics.append(Diagnostic(.error, "schema", "fallback suggestions for unknown phase '\(phase)'", at: nil))
            }
            for id in ids where seen[id] == nil {
                diagnostics.append(Diagnostic(.error, "schema", "fallback suggestion '\(id)' is no intent", at: nil))
            }
        }
    }

    /// A form read as two words is an error. A pattern that spells a form out but not the
    /// word it means is a warning: it never sees the form, only the word it does not name.
    private static func checkWordForms(_ content: KnowledgeBaseContent, _ diagnostics: inout [Diagnostic]) {
        guard !content.wordForms.isEmpty else { return }
        var formMeaning: [String: (meant: String, location: SourceLocation)] = [:]
        for entry in content.wordForms {
            if entry.form == entry.meant {
                diagnostics.append(Diagnostic(.warning, "schema", "word form '\(entry.form)' is the word itself", at: entry.location))
            } else if let earlier = formMeaning[entry.form] {
                if earlier.meant != entry.meant {
                    diagnostics.append(Diagnostic(.error, "schema",
                        "word form '\(entry.form)' is read as '\(earlier.meant)' at \(earlier.location) and as '\(entry.meant)' here", at: entry.location))
                }
            } else {
                formMeaning[entry.form] = (entry.meant, entry.location)
            }
        }
        let forms = WordForms(content.wordForms.map { ($0.form, $0.meant) })
        var sources = content.intents.flatMap { intent in intent.patterns.map { ($0.source, $0.location) } }
        sources += content.vocabulary.map { ($0.pattern, $0.location) }
        for (source, location) in sources {
            let words = Set(Understanding.literalWords(of: source, minimumLength: 3))
            for word in words.sorted() {
                guard let reading = forms.reading(word), !reading.split(separator: " ").contains(where: { words.contains(String($0)) }) else { continue }
                diagnostics.append(Diagnostic(.warning, "schema",
                    "this pattern spells out '\(word)', which it never sees: word_forms read it as '\(reading)'", at: location))
            }
        }
    }

    private static func checkAnswers(_ answers: AnswerSet, owner: String, at location: SourceLocation?, phases: Set<String>,
                                     languages: Set<String>, _ diagnostics: inout [Diagnostic]) {
        if answers.variants[AnswerSet.defaultKey] == nil {
            diagnostics.append(Diagnostic(.error, "answers", "\(owner) has no 'default' answers", at: location))
        }
        for (phase, byLanguage) in answers.variants {
            if phase != AnswerSet.defaultKey, !phases.contains(phase) {
                diagnostics.append(Diagnostic(.error, "answers", "\(owner) has answers for unknown phase '\(phase)'", at: location))
            }
            for language in byLanguage.keys where !languages.contains(language) {
                diagnostics.append(Diagnostic(.error, "answers", "\(owner) has answers in unknown language '\(language)'", at: location))
            }
        }
    }
}
