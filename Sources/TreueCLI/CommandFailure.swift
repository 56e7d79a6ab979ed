import TreueCore
import TreueServer

/// Why a command (mostly `treue serve`) could not run, one case per thing an operator fixes
/// differently.
/// Printed as one line naming what and where, with a non-zero exit and no usage text
/// (usage is for bad arguments, which `validate()` reports).
enum CommandFailure: Error, CustomStringConvertible {
    case knowledgeBase(path: String, errors: [Diagnostic])
    case customers(CustomerDirectoryError)
    case orders(OrderExportError)
    case orderService(String)
    case unreadable(what: String, path: String, reason: FileFailure)
    case secretFileWorldReadable(path: String)
    case loginSecret(LoginSecretError)
    case redactionRules(String)
    case transcripts(TranscriptWriteError)
    case listen(what: String, host: String, port: Int, reason: String)
    case configFile(path: String, line: Int, message: String)
    case agents(String)

    var description: String {
        switch self {
        case let .knowledgeBase(path, errors):
            let first = errors.first.map { ": \($0.description)" } ?? ""
            let more = errors.count > 1 ? " (and \(errors.count - 1) more; run 'treue check --intents \(path)')" : ""
            return "the knowledge base in '\(path)' has errors\(first)\(more)"
        case let .customers(error): return error.message
        case let .orders(error): return error.message
        case let .orderService(message): return message
        case let .unreadable(what, path, reason): return "cannot read \(what) '\(path)': \(reason)"
        case let .secretFileWorldReadable(path): return "secret file '\(path)' is world-readable; run: chmod 600 '\(path)'"
        case let .loginSecret(error): return error.message
        case let .redactionRules(message): return message
        case let .transcripts(error): return "cannot keep transcripts: \(error)"
        case let .listen(what, host, port, reason): return "cannot listen for \(what) on \(host):\(port): \(reason)"
        case let .configFile(path, line, message): return "\(path):\(line): \(message)"
        case let .agents(message): return message
        }
    }
}
