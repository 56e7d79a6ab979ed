import Foundation
import Yams

/// A dialogue the knowledge base must hold to: what the customer says, which intent and
/// phase must answer, and text the answer must contain.
public struct ConversationTest: Sendable {
    public struct Turn: Sendable {
        public var say: String
        /// `.some(nil)` expects the fallback.
        public var intent: String??
        public var phase: String?
        public var language: String?
        public var contains: [String]
        public var location: SourceLocation
    }

    public var name: String
    public var phase: String?
    public var language: String?
    public var login: String?
    public var turns: [Turn]
    public var location: SourceLocation

    /// Reads every `*.yaml` in `directory`; a missing folder means no tests.
    public static func load(directory: String) -> ([ConversationTest], [Diagnostic]) {
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return ([], []) }
        var tests: [ConversationTest] = []
        var diagnostics: [Diagnostic] = []
        for file in files.filter({ $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }).sorted() {
            let path = (directory as NSString).appendingPathComponent(file)
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                diagnostics.append(Diagnostic(.error, "io", "cannot read conversation tests", at: SourceLocation(file: path, line: 1, column: 1)))
                continue
            }
            let (found, problems) = parse(yaml: text, file: path)
            tests += found
            diagnostics += problems
        }
        return (tests, diagnostics)
    }

    public static func parse(yaml: String, file: String) -> ([ConversationTest], [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let reader = YAMLReader(file: file)
        let root: Node?
        do { root = try Yams.compose(yaml: yaml, .basic) } catch {
            return ([], [Diagnostic(.error, "yaml", "\(error)", at: SourceLocation(file: file, line: 1, column: 1))])
        }
        if let root, let tooBig = YAMLSizeLimits.default.check(root, file: file) { return ([], [tooBig]) }
        guard let root, let list = reader.sequence(root, what: "a conversation test file", into: &diagnostics) else { return ([], diagnostics) }
        var tests: [ConversationTest] = []
        for node in list {
            let location = reader.location(node)
            guard let turnsNode = node["turns"], let turnNodes = reader.sequence(turnsNode, what: "turns", into: &diagnostics) else {
                diagnostics.append(Diagnostic(.error, "schema", "a conversation test needs 'turns'", at: location))
                continue
            }
            var turns: [Turn] = []
            for turnNode in turnNodes {
                guard let say = turnNode["say"]?.string else {
                    diagnostics.append(Diagnostic(.error, "schema", "a turn needs 'say'", at: reader.location(turnNode)))
                    continue
                }
                var expected: String?? = .none
                if let intentNode = turnNode["intent"] {
                    if case let .scalar(scalar) = intentNode, scalar.string == "null" || scalar.string == "~" || scalar.string.isEmpty {
                        expected = .some(nil)
                    } else {
                        expected = .some(intentNode.string)
                    }
                }
                var contains: [String] = []
                if let node = turnNode["contains"] {
                    contains = reader.stringOrList(node, what: "contains", into: &diagnostics) ?? []
                }
                turns.append(Turn(say: say, intent: expected, phase: turnNode["phase"]?.string, language: turnNode["lang"]?.string,
                                  contains: contains, location: reader.location(turnNode)))
            }
            tests.append(ConversationTest(name: node["name"]?.string ?? "unnamed", phase: node["phase"]?.string,
                                          language: node["lang"]?.string, login: node["login"]?.string, turns: turns, location: location))
        }
        return (tests, diagnostics)
    }

    /// Runs the dialogue in demo mode and returns one diagnostic per broken expectation.
    public func run(kb: KnowledgeBase, directory: CustomerDirectory, scratch: MatcherScratch) -> [Diagnostic] {
        var conversation = Conversation(sessionID: "test-\(name)", knowledgeBase: kb)
        let identity = IdentityPolicy(directory: directory)
        var problems: [Diagnostic] = []
        _ = conversation.open(kb)
        var setup: [String] = []
        if let login { setup.append("/login \(login)") }
        if let phase { setup.append("/phase \(phase)") }
        if let language { setup.append("/lang \(language)") }
        for line in setup {
            let step = conversation.receive(line, kb: kb, identity: identity, scratch: scratch)
            for case let .error(_, text) in step.outputs {
                problems.append(Diagnostic(.error, "conversation", "'\(name)': setup '\(line)' failed: \(text)", at: location))
            }
        }
        for turn in turns {
            let step = conversation.receive(turn.say, kb: kb, identity: identity, scratch: scratch)
            let reply = step.outputs.compactMap { output -> (text: String, intent: String?, phase: String, language: String)? in
                switch output {
                case let .reply(reply): return (reply.text, reply.intent, reply.phase, reply.language)
                case let .prompt(text, _): return (text, Self.promptIntent(step), conversation.phase, conversation.language)
                case let .info(text): return (text, nil, conversation.phase, conversation.language)
                default: return nil
                }
            }.first
            let said = "'\(name)': after \"\(turn.say)\""
            guard let reply else {
                problems.append(Diagnostic(.error, "conversation", "\(said) no answer came", at: turn.location))
                continue
            }
            if case let .some(expected) = turn.intent, expected != reply.intent {
                problems.append(Diagnostic(.error, "conversation",
                    "\(said) expected intent \(expected ?? "null (fallback)"), got \(reply.intent ?? "null (fallback)")", at: turn.location))
            }
            if let phase = turn.phase, phase != reply.phase {
                problems.append(Diagnostic(.error, "conversation", "\(said) expected phase \(phase), got \(reply.phase)", at: turn.location))
            }
            if let language = turn.language, language != reply.language {
                problems.append(Diagnostic(.error, "conversation", "\(said) expected language \(language), got \(reply.language)", at: turn.location))
            }
            for text in turn.contains where !reply.text.localizedCaseInsensitiveContains(text) {
                problems.append(Diagnostic(.error, "conversation", "\(said) the answer lacks \"\(text)\": \(reply.text)", at: turn.location))
            }
        }
        return problems
    }

    private static func promptIntent(_ step: ConversationStep) -> String? {
        for case let .slotPrompt(intent, _) in step.events { return intent }
        return nil
    }
}
