import ArgumentParser
import Dispatch
import Foundation
import Logging
import NIOCore
import PCRE2Swift
import TreueCore
import TreueServer
#if canImport(Glibc)
import Glibc
#endif

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the chat server.",
        discussion: """
            Customers connect with nc, telnet, socat or the web widget (through websockify). \
            SIGTERM or SIGINT drains: every customer gets a goodbye, transcripts are flushed, exit 0. \
            SIGHUP (or a changed file under --intents) reloads the knowledge base; a broken edit keeps the old one.
            Login secret: --login-secret-file PATH or the TREUE_LOGIN_SECRET environment variable (one secret per line); \
            without one the server runs in demo mode (with a warning); a configured but blank or comment-only secret is an error.
            """
    )

    @OptionGroup var options: KnowledgeBaseOptions

    @OptionGroup var orderOptions: OrderOptions

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "TCP port to listen on (0 picks a free one and prints it).")
    var port = 4242

    @Option(help: "Transcript directory.")
    var transcripts = "Transcripts"

    @Option(help: "Instance name, added to transcript file names (YYYY-MM-DD.NAME.jsonl) when several instances run.")
    var instance: String?

    @Option(help: "When transcripts reach the disk: always (fsync before each reply, group commit), batch (fsync once a second) or never.")
    var fsync: String = "always"

    @Option(help: "Delete transcript files older than this many days (at start and daily).")
    var retainDays: Int?

    @Flag(help: "Create transcript files group-readable (0640) instead of 0600.")
    var groupReadable = false

    @Option(help: "YAML file of redaction rules added to (or replacing) the built-in ones; see docs/transcripts.md.")
    var redactionRules: String?

    @Option(help: "File with login secrets, one per line (must not be world-readable).")
    var loginSecretFile: String?

    @Option(help: "Most connections at once; more are refused politely.")
    var maxConnections = 4096

    @Option(help: "Most connections from one address.")
    var maxConnectionsPerAddress = 256

    @Option(help: "Longest accepted line in bytes; longer lines get an error and are discarded.")
    var maxLineBytes = 4096

    @Option(help: "Seconds without a complete line before the connection is closed with a goodbye.")
    var idleTimeout = 300

    @Option(help: "Lines per second a connection may send on average.")
    var rateLimit: Double = 5

    @Option(help: "Lines a connection may send in a burst above the rate limit.")
    var burst = 20

    @Option(help: "PCRE2 match limit per pattern and message.")
    var matchLimit: UInt32 = 100_000

    @Option(help: "Event-loop threads (default: one per core).")
    var threads: Int?

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
        guard TranscriptSyncPolicy(rawValue: fsync) != nil else { throw ValidationError("--fsync must be always, batch or never") }
        guard maxLineBytes >= 16 else { throw ValidationError("--max-line-bytes must be at least 16") }
        guard maxConnections > 0, maxConnectionsPerAddress > 0 else { throw ValidationError("connection limits must be positive") }
        guard idleTimeout > 0, rateLimit > 0, burst > 0 else { throw ValidationError("--idle-timeout, --rate-limit and --burst must be positive") }
        if let instance, !instance.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) || instance.isEmpty || instance.count > 40 {
            throw ValidationError("--instance may use letters, digits, - and _ only (at most 40)")
        }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("unknown --log-level '\(logLevel)'") }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "treue")
        raiseOpenFileLimit()

        let (kb, diagnostics) = KnowledgeBase.load(directory: options.intents, limits: .init(matchLimit: matchLimit))
        guard let kb else {
            throw ValidationError("the knowledge base in '\(options.intents)' has errors (run 'treue check'):\n"
                + diagnostics.filter { $0.severity == .error }.prefix(20).map(\.description).joined(separator: "\n"))
        }
        let directory = try options.loadDirectory(phases: kb.phases)
        let secrets = try LoginSecrets.load(file: loginSecretFile)
        let orderExport = try orderOptions.makeExportStore()
        let orderSource: (any OrderSource)? = orderExport
        let identity = IdentityPolicy(directory: directory, verifier: secrets.isEmpty ? nil : LoginTokenVerifier(secrets: secrets),
                                      answersFromOrders: orderSource != nil)
        if identity.isDemoMode {
            FileHandle.standardError.write(Data((LoginSecrets.demoModeWarning + "\n").utf8))
        }

        let writer: TranscriptWriter
        do {
            writer = try TranscriptWriter(configuration: .init(directory: transcripts, instance: instance,
                                                               sync: TranscriptSyncPolicy(rawValue: fsync)!,
                                                               fileMode: groupReadable ? 0o640 : 0o600, retainDays: retainDays))
        } catch {
            throw ValidationError(error.message)
        }

        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.maxConnections = maxConnections
        configuration.maxConnectionsPerAddress = maxConnectionsPerAddress
        configuration.maxLineBytes = maxLineBytes
        configuration.idleTimeout = .seconds(Int64(idleTimeout))
        configuration.linesPerSecond = rateLimit
        configuration.burst = burst
        configuration.instance = instance
        configuration.lookupTimeout = .milliseconds(Int64(orderOptions.ordersTimeout * 1000))
        if let threads { configuration.threads = threads }

        let store = KnowledgeBaseStore(kb, directory: options.intents)
        let redactor: Redactor
        do {
            if let redactionRules {
                guard let text = try? String(contentsOfFile: redactionRules, encoding: .utf8) else {
                    throw ValidationError("cannot read redaction rules '\(redactionRules)'")
                }
                redactor = try Redactor(rules: try Redactor.rules(yaml: text, file: redactionRules))
            } else {
                redactor = try Redactor()
            }
        } catch let error as RedactionRulesError {
            throw ValidationError(error.message)
        }
        // The shop's own hotline and address in replies stay, so a reply record says what
        // the customer saw.
        let services = ChatServices(store: store, identity: identity, writer: writer, redactor: redactor.keepingContacts(of: kb),
                                    configuration: configuration, logger: logger, orders: orderSource)
        let orderWatch = orderExport.map { OrderOptions.watch($0, logger: logger) }
        defer { orderWatch?.cancel() }
        // Signals are caught before anyone can know the port, so an early SIGHUP reloads
        // instead of killing the server.
        let signals = SignalWatcher().events(polling: KnowledgeBaseWatcher(directory: options.intents))
        let server = try await ChatServer(services: services)
        logger.notice("treue is listening", metadata: [
            "address": "\(host):\(server.port)", "intents": "\(kb.intents.count)", "patterns": "\(kb.matcher.patterns.count)",
            "mode": "\(identity.isDemoMode ? "demo" : "verified logins")", "orders": "\(orderExport.map { "\($0.export.count) from \($0.path)" } ?? "none")", "fsync": "\(fsync)", "transcripts": "\(transcripts)",
        ])
        // Scripts that pass --port 0 read the chosen port from here.
        var out = StandardOutput()
        out.line("listening on \(host):\(server.port)")
        out.flush()

        for await signal in signals {
            switch signal {
            case .reload(let why):
                logger.notice("reloading the knowledge base", metadata: ["cause": "\(why)"])
                store.reload(customers: directory, logger: logger)
                if why == "SIGHUP" { orderExport?.reload(logger: logger) }
            case .stop(let name):
                logger.notice("draining", metadata: ["signal": "\(name)", "connections": "\(server.openConnections)"])
                await server.shutdown()
                logger.notice("stopped")
                return
            }
        }
    }

    private func raiseOpenFileLimit() {
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
    }
}
