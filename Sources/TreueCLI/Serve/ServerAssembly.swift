import Foundation
import Logging
import PCRE2Swift
import TreueCore
import TreueServer

/// Loads what the chat server needs from a configuration: knowledge base, customers,
/// login secrets, redaction rules, the transcript writer. Every failure is a
/// `CommandFailure` that names what and where.
enum ServerAssembly {
    static func services(_ configuration: ServerConfiguration, logger: Logger, metrics: ServerMetrics) throws(CommandFailure) -> ChatServices {
        // The settings that take no time to check come before the knowledge base, whose
        // load takes a second or more: a blank secret or a broken rules file is reported at
        // once. The agent listener's secret is checked before anything listens: no
        // listener without one (SPEC 4a).
        let secrets = try LoginSecrets.load(file: configuration.loginSecretFile)
        let agentSetup = try agentSetup(configuration)
        let redactor = try redactor(rules: configuration.redactionRules)
        let (loaded, diagnostics) = KnowledgeBase.load(directory: configuration.intents, limits: .init(matchLimit: configuration.matchLimit))
        guard let kb = loaded else {
            throw .knowledgeBase(path: configuration.intents, errors: diagnostics.filter { $0.severity == .error })
        }
        let directory: CustomerDirectory
        do {
            directory = try CustomerDirectory.load(path: configuration.customers, phases: kb.phases)
            for warning in directory.warnings {
                FileHandle.standardError.write(Data((warning.description + "\n").utf8))
            }
        } catch {
            throw .customers(error)
        }
        let orderExport: OrderExportStore?
        do {
            orderExport = try configuration.orders.map { path throws(OrderExportError) in try OrderExportStore(path: path) }
        } catch {
            throw .orders(error)
        }
        let orderService = try orderService(configuration, logger: logger)
        let orderSource: (any OrderSource)? = orderExport ?? orderService
        let identity = IdentityPolicy(directory: directory, verifier: secrets.isEmpty ? nil : LoginTokenVerifier(secrets: secrets),
                                      answersFromOrders: orderSource != nil)
        if identity.isDemoMode {
            FileHandle.standardError.write(Data((LoginSecrets.demoModeWarning + "\n").utf8))
        }
        let writer: TranscriptWriter
        do {
            writer = try TranscriptWriter(configuration: .init(directory: configuration.transcripts, instance: configuration.instance,
                                                               sync: configuration.fsync,
                                                               fileMode: configuration.groupReadable ? 0o640 : 0o600),
                                          metrics: metrics)
        } catch {
            throw .transcripts(error)
        }
        return ChatServices(store: KnowledgeBaseStore(kb, directory: configuration.intents, metrics: metrics),
                            identity: IdentityStore(identity, path: configuration.customers),
                            // The shop's own hotline and address in replies stay, so a reply
                            // record says what the customer saw.
                            writer: writer, redactor: redactor.keepingContacts(of: kb), configuration: configuration, logger: logger,
                            orders: orderSource, metrics: metrics, handoff: agentSetup == nil ? nil : HandoffRegistry(metrics: metrics))
    }

    /// The agent secrets and display names, or nil without `--agent-port`.
    static func agentSetup(_ configuration: ServerConfiguration) throws(CommandFailure) -> (secrets: [String], names: [String: String])? {
        guard configuration.agentPort != nil else {
            if configuration.agentSecretFile != nil || configuration.agents != nil {
                throw .agents("--agent-secret-file and --agents need --agent-port")
            }
            return nil
        }
        let secrets = try LoginSecrets.load(file: configuration.agentSecretFile, environment: LoginSecrets.agentEnvironmentVariable,
                                            what: "agent secret file")
        guard !secrets.isEmpty else {
            throw .agents("--agent-port needs an agent secret: --agent-secret-file PATH or \(LoginSecrets.agentEnvironmentVariable) (docs/handoff.md)")
        }
        var names: [String: String] = [:]
        if let path = configuration.agents {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw .unreadable(what: "agent directory", path: path, reason: .current(path: path))
            }
            do {
                names = try AgentDirectory.parse(csv: text, file: path).names
            } catch {
                throw .agents(error.message)
            }
        }
        return (secrets, names)
    }

    /// The live order service's client, or nil without `--orders-url`.
    private static func orderService(_ configuration: ServerConfiguration, logger: Logger) throws(CommandFailure) -> HTTPOrderSource? {
        guard let url = configuration.ordersURL else {
            if configuration.ordersTokenFile != nil { throw .orderService("--orders-token-file needs --orders-url") }
            return nil
        }
        if configuration.orders != nil { throw .orderService("give --orders or --orders-url, not both") }
        var source = HTTPOrderSource.Configuration(url: url, token: try OrderServiceToken.load(file: configuration.ordersTokenFile))
        source.timeout = configuration.lookupTimeout
        source.maxInFlight = configuration.ordersMaxInFlight
        source.cacheTTL = configuration.ordersCache
        return HTTPOrderSource(configuration: source, logger: logger)
    }

    private static func redactor(rules path: String?) throws(CommandFailure) -> Redactor {
        do {
            guard let path else { return try Redactor() }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw CommandFailure.unreadable(what: "redaction rules", path: path, reason: access(path, R_OK) != 0 ? .current(path: path) : .other(errno: EILSEQ))
            }
            return try Redactor(rules: try Redactor.rules(yaml: text, file: path))
        } catch let error as CommandFailure {
            throw error
        } catch let error as RedactionRulesError {
            throw .redactionRules(error.message)
        } catch {
            throw .redactionRules("redaction rules '\(path ?? "built-in")': \(error)")
        }
    }
}
