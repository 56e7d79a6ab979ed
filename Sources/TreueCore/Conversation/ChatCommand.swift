import Foundation

/// A line starting with `/`, parsed. Names are case-insensitive; arguments keep their case.
public enum ChatCommand: Sendable, Equatable {
    case help
    case json
    case text
    case lang(String?)
    case login(id: String?, token: String?)
    case phase(String?)
    case feedback(score: String?, comment: String?)
    case rate(String?)
    case agent
    case reset
    case why
    case quit
    case unknown(String)

    public init(line: String) {
        let body = line.dropFirst()
        let parts = body.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        let name = parts.first.map { $0.lowercased() } ?? ""
        let rest = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        let words = rest.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        switch name {
        case "help", "?": self = .help
        case "json": self = .json
        case "text": self = .text
        case "lang", "language", "sprache": self = .lang(words.first?.lowercased())
        // Extra words are refused (as a missing id is) rather than silently ignored.
        case "login": self = words.count > 2 ? .login(id: nil, token: nil) : .login(id: words.first, token: words.count > 1 ? words[1] : nil)
        case "phase": self = .phase(words.first?.lowercased())
        case "feedback":
            let comment = words.count > 1 ? rest.split(separator: " ", maxSplits: 1)[1].trimmingCharacters(in: .whitespaces) : nil
            self = .feedback(score: words.first, comment: comment)
        case "rate": self = .rate(words.first?.lowercased())
        case "agent", "human", "mensch": self = .agent
        case "reset": self = .reset
        case "why": self = .why
        case "quit", "exit", "bye": self = .quit
        default: self = .unknown(String(name.prefix(40)))
        }
    }
}
