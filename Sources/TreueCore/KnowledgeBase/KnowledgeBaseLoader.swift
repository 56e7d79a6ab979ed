import Foundation
import Yams

/// Reads `Intents/*.yaml` into a `KnowledgeBaseContent`, collecting every problem with
/// its file, line and column instead of stopping at the first.
public struct KnowledgeBaseLoader {
    public private(set) var diagnostics: [Diagnostic] = []
    private var content = KnowledgeBaseContent()
    private var seenKeys: [String: SourceLocation] = [:]

    public init() {}

    /// Loads every `*.yaml`/`*.yml` file directly inside `directory`, in file-name order.
    public static func load(directory: String) -> (KnowledgeBaseContent, [Diagnostic]) {
        var loader = KnowledgeBaseLoader()
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }
                .sorted()
        } catch {
            return (loader.content, [Diagnostic(.error, "io", "cannot read knowledge base folder '\(directory)'",
                                                at: nil)])
        }
        if files.isEmpty {
            loader.diagnostics.append(Diagnostic(.error, "io", "no .yaml files in '\(directory)'", at: nil))
        }
        for file in files {
            let path = (directory as NSString).appendingPathComponent(file)
            guard let data = FileManager.default.contents(atPath: path) else {
                loader.diagnostics.append(Diagnostic(.error, "io", "cannot read file", at: SourceLocation(file: path, line: 1, column: 1)))
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                loader.diagnostics.append(Diagnostic(.error, "io", "file is not UTF-8", at: SourceLocation(file: path, line: 1, column: 1)))
                continue
            }
            loader.add(yaml: text, file: path)
        }
        loader.readLabelledFiles(in: directory)
        loader.readDictionaryFiles(in: directory)
        return (loader.content, loader.diagnostics)
    }

    /// Loads a knowledge base given as YAML texts keyed by a file name (for tests and tools).
    public static func load(texts: [(file: String, yaml: String)]) -> (KnowledgeBaseContent, [Diagnostic]) {
        var loader = KnowledgeBaseLoader()
        for (file, yaml) in texts { loader.add(yaml: yaml, file: file) }
        return (loader.content, loader.diagnostics)
    }

    public mutating func add(yaml: String, file: String) {
        content.files.append(file)
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml, .basic)
        } catch let error as YamlError {
            diagnostics.append(Self.diagnostic(for: error, file: file))
            return
        } catch {
            diagnostics.append(Diagnostic(.error, "yaml", "\(error)", at: SourceLocation(file: file, line: 1, column: 1)))
            return
        }
        guard let root else { return }
        if let tooBig = YAMLSizeLimits.default.check(root, file: file) {
            diagnostics.append(tooBig)
            return
        }
        let reader = YAMLReader(file: file)
        guard let mapping = reader.mapping(root, what: "the top level", into: &diagnostics) else { return }
        for (keyNode, value) in mapping {
            guard let key = keyNode.string else { continue }
            let location = reader.location(keyNode)
            // Intents and vocabulary may be spread over files; a vocabulary name stays unique.
            if key != "intents" && key != "vocabulary" && key != "phrasings" && key != "word_forms" {
                if let earlier = seenKeys[key] {
                    diagnostics.append(Diagnostic(.error, "schema", "'\(key)' is already given at \(earlier)", at: location))
                    continue
                }
                seenKeys[key] = location
            }
            switch key {
            case "settings": readSettings(value, reader)
            case "languages":
                if let list = reader.stringList(value, what: "languages", into: &diagnostics), !list.isEmpty {
                    content.languages = list
                }
            case "phases": readPhases(value, reader)
            case "vocabulary": readVocabulary(value, reader)
            case "phrasings": readPhrasings(value, reader)
            case "word_forms": readWordForms(value, reader)
            case "labelled_messages":
                for item in reader.sequence(value, what: "labelled_messages", into: &diagnostics) ?? [] {
                    if let path = reader.scalar(item, what: "a labelled_messages file", into: &diagnostics) {
                        content.labelledFiles.append((path, reader.location(item)))
                    }
                }
            case "dictionary_words":
                for item in reader.sequence(value, what: "dictionary_words", into: &diagnostics) ?? [] {
                    if let path = reader.scalar(item, what: "a dictionary_words file", into: &diagnostics) {
                        content.dictionaryFiles.append((path, reader.location(item)))
                    }
                }
            case "messages": readMessages(value, reader)
            case "fallback": readFallback(value, reader)
            case "orders": readOrderAnswers(value, reader)
            case "proactive": readProactiveRules(value, reader)
            case "intents":
                guard let list = reader.sequence(value, what: "intents", into: &diagnostics) else { continue }
                for node in list { if let intent = readIntent(node, reader) { content.intents.append(intent) } }
            default:
                diagnostics.append(Diagnostic(.error, "schema",
                    "unknown top-level key '\(key)' (expected settings, languages, phases, vocabulary, messages, fallback, orders, proactive, intents, phrasings, labelled_messages, dictionary_words or word_forms)",
                    at: location))
            }
        }
    }

    private mutating func readSettings(_ node: Node, _ reader: YAMLReader) {
        guard let mapping = reader.mapping(node, what: "settings", into: &diagnostics) else { return }
        for (key, value) in mapping {
            guard let name = key.string else { continue }
            guard let text = reader.scalar(value, what: "setting '\(name)'", into: &diagnostics) else { continue }
            content.settings[name] = text
        }
    }

    private mutating func readPhases(_ node: Node, _ reader: YAMLReader) {
        guard let mapping = reader.mapping(node, what: "phases", into: &diagnostics) else { return }
        var defaultLocation = reader.location(node)
        for (key, value) in mapping {
            switch key.string {
            case "order":
                if let list = reader.stringList(value, what: "phases.order", into: &diagnostics), !list.isEmpty {
                    content.phases = list
                }
            case "default":
                if let name = reader.scalar(value, what: "phases.default", into: &diagnostics) {
                    content.defaultPhase = name
                    defaultLocation = reader.location(value)
                }
            default:
                diagnostics.append(Diagnostic(.error, "schema", "unknown key '\(key.string ?? "")' in phases (expected order, default)",
                                              at: reader.location(key)))
            }
        }
        if !content.phases.contains(content.defaultPhase) {
            diagnostics.append(Diagnostic(.error, "schema",
                "default phase '\(content.defaultPhase)' is not one of \(content.phases.joined(separator: ", "))", at: defaultLocation))
        }
    }

    /// The files a `labelled_messages` or `dictionary_words` entry names: `*` in the file
    /// name matches any run of characters; no match is an error at the entry.
    private mutating func files(matching pattern: String, in directory: String, at location: SourceLocation) -> [String] {
        let full = (directory as NSString).appendingPathComponent(pattern)
        let folder = (full as NSString).deletingLastPathComponent
        let name = (full as NSString).lastPathComponent
        let names: [String]
        if name.contains("*") {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            names = entries.filter { fnmatch(name, $0, 0) == 0 }.sorted()
        } else {
            names = [name]
        }
        if names.isEmpty {
            diagnostics.append(Diagnostic(.error, "io", "no file matches '\(pattern)'", at: location))
        }
        return names.map { (folder as NSString).appendingPathComponent($0) }
    }

    /// Reads the files `labelled_messages` names. A row with an intent the knowledge base
    /// does not have is reported and left out; the rest still teach.
    mutating func readLabelledFiles(in directory: String) {
        let known = Set(content.intents.map(\.id))
        for (pattern, location) in content.labelledFiles {
            for path in files(matching: pattern, in: directory, at: location) {
                guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                    diagnostics.append(Diagnostic(.error, "io", "cannot read labelled messages '\(path)'", at: location))
                    continue
                }
                let messages: LabelledMessages
                do {
                    messages = try LabelledMessages(tsv: text)
                } catch {
                    diagnostics.append(Diagnostic(.error, "schema", error.description, at: SourceLocation(file: path, line: 1, column: 1)))
                    continue
                }
                for line in messages.malformedLines {
                    diagnostics.append(Diagnostic(.error, "schema", "expected intent<TAB>lang<TAB>text", at: SourceLocation(file: path, line: line, column: 1)))
                }
                for row in messages.rows {
                    let here = SourceLocation(file: path, line: row.line, column: 1)
                    guard row.intent == "-" || known.contains(row.intent) else {
                        diagnostics.append(Diagnostic(.error, "schema", "unknown intent '\(row.intent)'", at: here))
                        continue
                    }
                    content.labelled.append((row.intent, row.lang, row.text, here))
                }
            }
        }
    }

    /// Reads the files `dictionary_words` names: one word per line, folded like a message;
    /// blank lines and `#` comments are skipped, a line of more than one word is an error.
    mutating func readDictionaryFiles(in directory: String) {
        for (pattern, location) in content.dictionaryFiles {
            for path in files(matching: pattern, in: directory, at: location) {
                guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                    diagnostics.append(Diagnostic(.error, "io", "cannot read dictionary words '\(path)'", at: location))
                    continue
                }
                for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    let entry = line.trimmingCharacters(in: .whitespaces)
                    guard !entry.isEmpty, !entry.hasPrefix("#") else { continue }
                    let words = MessageWords.words(of: entry)
                    guard words.count == 1, let word = words.first else {
                        diagnostics.append(Diagnostic(.error, "schema", "expected one word per line, found '\(entry)'",
                                                      at: SourceLocation(file: path, line: number + 1, column: 1)))
                        continue
                    }
                    content.dictionaryWords.insert(word)
                }
            }
        }
    }

    private mutating func readPhrasings(_ node: Node, _ reader: YAMLReader) {
        guard let mapping = reader.mapping(node, what: "phrasings", into: &diagnostics) else { return }
        for (key, value) in mapping {
            guard let id = key.string else { continue }
            for (language, list) in reader.perLanguageNodes(value, what: "phrasings of '\(id)'", into: &diagnostics) {
                for item in list {
                    if let text = reader.scalar(item, what: "a phrasing of '\(id)'", into: &diagnostics) {
                        content.phrasings.append((id, language, text, reader.location(item)))
                    }
                }
            }
        }
    }

    /// `word_forms: {meant: [form, …]}`: each form is one word, folded like a message; a
    /// trailing `*` makes it a prefix.
    private mutating func readWordForms(_ node: Node, _ reader: YAMLReader) {
        guard let mapping = reader.mapping(node, what: "word_forms", into: &diagnostics) else { return }
        for (key, value) in mapping {
            guard let meant = key.string else { continue }
            let foldedMeant = TextFolder.foldLiteral(meant).lowercased()
            guard !foldedMeant.isEmpty, foldedMeant.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || $0 == " " }) else {
                diagnostics.append(Diagnostic(.error, "schema", "word form target '\(meant)' must be letters and spaces", at: reader.location(key)))
                continue
            }
            guard let forms = reader.sequence(value, what: "forms of '\(meant)'", into: &diagnostics) else { continue }
            for item in forms {
                guard let form = reader.scalar(item, what: "a form of '\(meant)'", into: &diagnostics) else { continue }
                let folded = TextFolder.foldLiteral(form).lowercased()
                let letters = folded.hasSuffix("*") ? folded.dropLast() : Substring(folded)
                guard letters.count >= 3, letters.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) }) else {
                    diagnostics.append(Diagnostic(.error, "schema",
                        "word form '\(form)' of '\(meant)' must be one word of three letters or more (a prefix ends in '*')", at: reader.location(item)))
                    continue
                }
                content.wordForms.append((folded, foldedMeant, reader.location(item)))
            }
        }
    }

    private mutating func readVocabulary(_ node: Node, _ reader: YAMLReader) {
        guard let mapping = reader.mapping(node, what: "vocabulary", into: &diagnostics) else { return }
        for (key, value) in mapping {
            guard let name = key.string else { continue }
            guard Self.isIdentifier(name) else {
                diagnostics.append(Diagnostic(.error, "schema", "vocabulary name '\(name)' must be letters, digits and _ and start with a letter",
                                              at: reader.location(key)))
                continue
            }
            if let earlier = content.vocabulary.first(where: { $0.name == name }) {
                diagnostics.append(Diagnostic(.error, "schema", "vocabulary '\(name)' is already defined at \(earlier.location)", at: reader.location(key)))
                continue
            }
            if let pattern = reader.scalar(value, what: "vocabulary '\(name)'", into: &diagnostics) {
                content.vocabulary.append((name, pattern, reader.location(value)))
            }
        }
    }

    private mutating func readMessages(_ node: Node, _ reader: YAMLReader) {
        guard let mapping = reader.mapping(node, what: "messages", into: &diagnostics) else { return }
        for (key, value) in mapping {
            guard let name = key.string else { continue }
            if let text = reader.localized(value, what: "message '\(name)'", into: &diagnostics) {
                content.messages[name] = text.byLanguage
            }
        }
    }

    private mutating func readFallback(_ node: Node, _ reader: YAMLReader) {
        guard let mapping = reader.mapping(node, what: "fallback", into: &diagnostics) else { return }
        for (key, value) in mapping {
            switch key.string {
            case "answers":
                content.fallbackAnswers = readAnswers(value, reader, what: "fallback answers")
            case "suggestions":
                guard let phases = reader.mapping(value, what: "fallback suggestions", into: &diagnostics) else { continue }
                for (phase, list) in phases {
                    guard let phaseName = phase.string else { continue }
                    if let ids = reader.stringList(list, what: "fallback suggestions for \(phaseName)", into: &diagnostics) {
                        content.fallbackSuggestions[phaseName] = ids
                    }
                }
            default:
                diagnostics.append(Diagnostic(.error, "schema", "unknown key '\(key.string ?? "")' in fallback (expected answers, suggestions)",
                                              at: reader.location(key)))
            }
        }
    }

    /// `orders:` intent id → answers keyed by order status (see docs/orders.md).
    private mutating func readOrderAnswers(_ node: Node, _ reader: YAMLReader) {
        guard let mapping = reader.mapping(node, what: "orders", into: &diagnostics) else { return }
        let keys = Set(OrderStatus.allCases.map(\.rawValue) + ["delayed", AnswerSet.defaultKey])
        for (key, value) in mapping {
            guard let id = key.string else { continue }
            if let statuses = value.mapping {
                for (statusKey, _) in statuses where !keys.contains(statusKey.string ?? "") {
                    diagnostics.append(Diagnostic(.error, "schema",
                        "order answers of '\(id)': unknown status '\(statusKey.string ?? "")' (expected delayed, default or one of "
                        + OrderStatus.allCases.map(\.rawValue).joined(separator: ", ") + ")", at: reader.location(statusKey)))
                }
            }
            content.orderAnswers[id] = readAnswers(value, reader, what: "order answers of '\(id)'")
            content.orderAnswerLocations[id] = reader.location(key)
        }
    }

    private static let proactiveKeys: Set<String> = ["id", "when", "text", "suggestions", "description"]

    /// `proactive:` a list of rules with `id`, `when` (field → condition), `text` per
    /// language and `suggestions` (intent ids).
    private mutating func readProactiveRules(_ node: Node, _ reader: YAMLReader) {
        guard let list = reader.sequence(node, what: "proactive", into: &diagnostics) else { return }
        for ruleNode in list {
            guard let mapping = reader.mapping(ruleNode, what: "a proactive rule", into: &diagnostics) else { continue }
            let location = reader.location(ruleNode)
            guard let id = ruleNode["id"]?.string, Self.isSnakeCase(id) else {
                diagnostics.append(Diagnostic(.error, "schema", "a proactive rule needs a snake_case 'id'", at: location))
                continue
            }
            var conditions: [(field: String, condition: ProactiveRule.Condition)] = []
            var text: LocalizedText?
            var suggestions: [String] = []
            for (keyNode, value) in mapping {
                guard let key = keyNode.string else { continue }
                guard Self.proactiveKeys.contains(key) else {
                    diagnostics.append(Diagnostic(.error, "schema", "unknown key '\(key)' in proactive rule '\(id)' (expected id, when, text, suggestions)",
                                                  at: reader.location(keyNode)))
                    continue
                }
                switch key {
                case "when":
                    guard let fields = reader.mapping(value, what: "when of '\(id)'", into: &diagnostics) else { continue }
                    for (fieldNode, conditionNode) in fields {
                        guard let field = fieldNode.string else { continue }
                        if let options = conditionNode.sequence {
                            conditions.append((field, .oneOf(options.compactMap(\.string))))
                        } else if let raw = conditionNode.string, let condition = ProactiveRule.Condition.parse(raw) {
                            conditions.append((field, condition))
                        } else {
                            diagnostics.append(Diagnostic(.error, "schema",
                                "condition on '\(field)' in rule '\(id)' is not one of: a value, a list, <N, <=N, >N, >=N, !value, ? (present), - (absent)",
                                at: reader.location(conditionNode)))
                        }
                    }
                case "text": text = reader.localized(value, what: "text of rule '\(id)'", into: &diagnostics)
                case "suggestions": suggestions = reader.stringList(value, what: "suggestions of rule '\(id)'", into: &diagnostics) ?? []
                default: break
                }
            }
            guard let text else {
                diagnostics.append(Diagnostic(.error, "schema", "proactive rule '\(id)' needs a 'text'", at: location))
                continue
            }
            if conditions.isEmpty {
                diagnostics.append(Diagnostic(.error, "schema", "proactive rule '\(id)' needs conditions under 'when'", at: location))
                continue
            }
            content.proactiveRules.append(ProactiveRule(id: id, conditions: conditions, text: text, suggestions: suggestions, location: location))
        }
    }

    private mutating func readAnswers(_ node: Node, _ reader: YAMLReader, what: String) -> AnswerSet {
        guard let phases = reader.mapping(node, what: what, into: &diagnostics) else { return AnswerSet() }
        var answers: [String: [String: [String]]] = [:]
        for (phaseKey, byLanguage) in phases {
            guard let phase = phaseKey.string else { continue }
            guard let languages = reader.mapping(byLanguage, what: "\(what) for '\(phase)'", into: &diagnostics) else { continue }
            var perLanguage: [String: [String]] = [:]
            for (languageKey, variants) in languages {
                guard let language = languageKey.string else { continue }
                if let list = reader.stringOrList(variants, what: "\(what) for '\(phase)' in '\(language)'", into: &diagnostics) {
                    perLanguage[language] = list
                }
            }
            answers[phase] = perLanguage
        }
        return AnswerSet(answers)
    }

    private static let intentKeys: Set<String> = ["id", "title", "priority", "phase", "suggestion", "patterns", "examples",
                                                  "counter_examples", "slots", "answers", "followups", "description", "action"]

    private mutating func readIntent(_ node: Node, _ reader: YAMLReader) -> Intent? {
        guard let mapping = reader.mapping(node, what: "an intent", into: &diagnostics) else { return nil }
        let location = reader.location(node)
        guard let idNode = node["id"], let id = reader.scalar(idNode, what: "id", into: &diagnostics) else {
            diagnostics.append(Diagnostic(.error, "schema", "intent without 'id'", at: location))
            return nil
        }
        guard Self.isSnakeCase(id) else {
            diagnostics.append(Diagnostic(.error, "schema", "intent id '\(id)' must be snake_case (a-z, 0-9, _)", at: reader.location(idNode)))
            return nil
        }
        var intent = Intent(id: id, location: location)
        for (keyNode, value) in mapping {
            guard let key = keyNode.string else { continue }
            guard Self.intentKeys.contains(key) else {
                diagnostics.append(Diagnostic(.error, "schema", "unknown key '\(key)' in intent '\(id)'", at: reader.location(keyNode)))
                continue
            }
            switch key {
            case "title":
                if let text = reader.localized(value, what: "title of '\(id)'", into: &diagnostics) { intent.title = text }
            case "priority":
                if let text = reader.scalar(value, what: "priority", into: &diagnostics) {
                    if let number = Int(text) { intent.priority = number } else {
                        diagnostics.append(Diagnostic(.error, "schema", "priority of '\(id)' must be an integer, not '\(text)'", at: reader.location(value)))
                    }
                }
            case "phase":
                intent.phaseSignal = reader.scalar(value, what: "phase of '\(id)'", into: &diagnostics)
            case "suggestion":
                intent.suggestion = reader.localized(value, what: "suggestion of '\(id)'", into: &diagnostics)
            case "patterns":
                for (language, list) in reader.perLanguageNodes(value, what: "patterns of '\(id)'", into: &diagnostics) {
                    for patternNode in list {
                        if let source = reader.scalar(patternNode, what: "a pattern of '\(id)'", into: &diagnostics) {
                            intent.patterns.append(IntentPattern(language: language, source: source, location: reader.location(patternNode)))
                        }
                    }
                }
            case "examples", "counter_examples":
                var collected: [String: [String]] = [:]
                for (language, list) in reader.perLanguageNodes(value, what: "\(key) of '\(id)'", into: &diagnostics) {
                    for exampleNode in list {
                        if let text = reader.scalar(exampleNode, what: "an example of '\(id)'", into: &diagnostics) {
                            collected[language, default: []].append(text)
                            intent.exampleLocations["\(language)\u{0}\(text)"] = reader.location(exampleNode)
                        }
                    }
                }
                if key == "examples" { intent.examples = collected } else { intent.counterExamples = collected }
            case "slots":
                guard let list = reader.sequence(value, what: "slots of '\(id)'", into: &diagnostics) else { continue }
                for slotNode in list {
                    guard let name = slotNode["name"]?.string, let prompt = slotNode["prompt"] else {
                        diagnostics.append(Diagnostic(.error, "schema", "a slot of '\(id)' needs 'name' and 'prompt'", at: reader.location(slotNode)))
                        continue
                    }
                    let pattern = slotNode["pattern"]?.string ?? "(?<\(name)>.+)"
                    if let text = reader.localized(prompt, what: "slot prompt", into: &diagnostics) {
                        intent.slots.append(Slot(name: name, pattern: pattern, prompt: text, location: reader.location(slotNode)))
                    }
                }
            case "answers":
                intent.answers = readAnswers(value, reader, what: "answers of '\(id)'")
            case "action":
                guard let text = reader.scalar(value, what: "action of '\(id)'", into: &diagnostics) else { continue }
                if let action = IntentAction(rawValue: text) { intent.action = action } else {
                    diagnostics.append(Diagnostic(.error, "schema", "unknown action '\(text)' of '\(id)' (expected handoff or out_of_scope)", at: reader.location(value)))
                }
            case "followups":
                intent.followups = reader.stringList(value, what: "followups of '\(id)'", into: &diagnostics) ?? []
            default:
                break
            }
        }
        return intent
    }

    static func isSnakeCase(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII else { return false }
        return text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
    }

    private static func diagnostic(for error: YamlError, file: String) -> Diagnostic {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let detail = context.map { "\($0.text), " } ?? ""
            return Diagnostic(.error, "yaml", "\(detail)\(problem)", at: SourceLocation(file: file, line: mark.line, column: mark.column))
        case let .duplicatedKeysInMapping(duplicates, context):
            return Diagnostic(.error, "yaml", "duplicate keys: \(duplicates.joined(separator: ", "))",
                              at: SourceLocation(file: file, line: context.mark.line, column: context.mark.column))
        default:
            return Diagnostic(.error, "yaml", "\(error)", at: SourceLocation(file: file, line: 1, column: 1))
        }
    }
}
