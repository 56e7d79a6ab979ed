#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import NIOCore
import NIOPosix
import TreueCore
import TreueServer

/// Why a command (mostly `treue serve`) could not run, one case per thing an operator fixes
/// differently.
/// Printed as one line naming what and where, with a non-zero exit and no usage text
/// (usage is for bad arguments, which `validate()` reports).
enum CommandFailure: Error, CustomStringConvertible {
    /// A client command (`chat`, `agent`) could not reach its server.
    case connect(address: String, reason: String)
    /// Transcripts could not be read (`review`, `transcript`, `tickets`, `replay`).
    case transcriptsUnreadable(String)
    /// A session the transcripts do not hold, or another reason to show nothing.
    case nothingToShow(String)
    case cannotWrite(path: String, reason: String)
    /// A file read, but not of the shape the command needs.
    case badInputFile(path: String, message: String)
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
    case replay(TranscriptReplayer.Failure)

    /// A file that could not be read, with the reason access() gives (missing, permissions),
    /// or "not a regular file" when it is readable but not text.
    static func unreadable(what: String, path: String) -> CommandFailure {
        .unreadable(what: what, path: path, reason: access(path, R_OK) != 0 ? FileFailure.current(path: path) : .notARegularFile)
    }

    /// A connection failure in the words of the operating system ("Connection refused"),
    /// not NIO's nested description.
    static func connect(address: String, error: any Error) -> CommandFailure {
        if let failure = error as? NIOConnectionError,
           let io = failure.connectionErrors.first?.error as? IOError {
            return .connect(address: address, reason: String(cString: strerror(io.errnoCode)))
        }
        if let io = error as? IOError { return .connect(address: address, reason: String(cString: strerror(io.errnoCode))) }
        return .connect(address: address, reason: "\(error)")
    }

    var description: String {
        switch self {
        case let .connect(address, reason): return "cannot connect to \(address): \(reason)"
        case let .transcriptsUnreadable(message): return message
        case let .nothingToShow(message): return message
        case let .cannotWrite(path, reason): return "cannot write '\(path)': \(reason)"
        case let .badInputFile(path, message): return "\(path): \(message)"
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
        case let .replay(failure): return failure.description
        }
    }
}
