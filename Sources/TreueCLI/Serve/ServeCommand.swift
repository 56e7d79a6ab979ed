import ArgumentParser
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import TreueCore
import TreueServer
import UnixSignals
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the chat server.",
        discussion: """
            Customers connect with nc, telnet, socat or the web widget (--websocket-port, or websockify in front). \
            SIGTERM or SIGINT drains: every customer gets a goodbye, transcripts are flushed, exit 0. \
            SIGHUP (or a changed file under --intents, or a changed --customers file) reloads; a broken edit keeps the old one.
            Login secret: --login-secret-file PATH or the TREUE_LOGIN_SECRET environment variable (one secret per line); \
            without one the server runs in demo mode (with a warning); a configured but blank or comment-only secret is an error.
            --config FILE reads the same settings from a YAML map whose keys are the flag names \
            (port: 4242, proxy-protocol: true, trusted-proxy: [127.0.0.1]); flags given on the command line win.
            Operators: docs/operations.md (metrics, health, PROXY protocol).
            """
    )

    @Option(help: "YAML file with settings (keys are the flag names without --); command-line flags win.")
    var config: String?

    @OptionGroup var settings: ServeSettings

    /// The defaults, then the config file, then the flags.
    func resolvedConfiguration() throws(CommandFailure) -> ServerConfiguration {
        var configuration = ServerConfiguration()
        if let config {
            let fromFile = try ServeConfigFile.load(path: config)
            do { try fromFile.validate() } catch {
                throw .configFile(path: config, line: 1, message: ServeSettings.message(for: error).replacingOccurrences(of: "--", with: ""))
            }
            fromFile.apply(to: &configuration)
        }
        settings.apply(to: &configuration)
        return configuration
    }

    func run() async throws {
        let configuration = try resolvedConfiguration()
        let level = configuration.logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "treue")
        raiseOpenFileLimit()
        // Trapped before anyone can know the port, so an early SIGHUP reloads instead of
        // ending the process.
        let hangups = await UnixSignalsSequence(trapping: .sighup)

        let prometheus = configuration.metricsPort == nil ? nil : PrometheusMetrics()
        let metrics = prometheus?.metrics ?? .disabled
        let services = try ServerAssembly.services(configuration, logger: logger, metrics: metrics)
        let health = HealthCheck(writer: services.writer)

        let server: ChatServer
        do {
            server = try await ChatServer(services: services)
        } catch {
            services.writer.close()
            throw CommandFailure.listen(what: "customers", host: configuration.host, port: configuration.port, reason: Self.reason(error))
        }
        var listener: MetricsListener?
        if let prometheus, let port = configuration.metricsPort {
            do {
                listener = try await MetricsListener(host: configuration.metricsHost, port: port, metrics: prometheus,
                                                            health: health, logger: logger)
            } catch {
                await server.shutdown()
                throw CommandFailure.listen(what: "metrics", host: configuration.metricsHost, port: port, reason: Self.reason(error))
            }
        }

        var agentListener: AgentListener?
        if let port = configuration.agentPort, let registry = services.handoff, let setup = try ServerAssembly.agentSetup(configuration) {
            let agents = AgentServices(registry: registry, secrets: setup.secrets, names: setup.names, configuration: configuration, logger: logger)
            do {
                agentListener = try await AgentListener(host: configuration.agentHost, port: port, agents: agents)
            } catch {
                await server.shutdown()
                throw CommandFailure.listen(what: "agents", host: configuration.agentHost, port: port, reason: Self.reason(error))
            }
        }
        let agentsOn = agentListener

        let metricsListener = listener
        let kb = services.store.knowledgeBase
        let chat = ChatServerService(server: server, health: health) {
            logger.notice("treue is listening", metadata: [
                "address": "\(configuration.host):\(server.port)", "intents": "\(kb.intents.count)",
                "patterns": "\(kb.matcher.patterns.count)", "mode": "\(services.identity.isDemoMode ? "demo" : "verified logins")",
                "fsync": "\(configuration.fsync.rawValue)", "transcripts": "\(configuration.transcripts)",
                "proxy_protocol": "\(configuration.proxyProtocol)",
                "reload_gate": "\(configuration.reloadGate ? "\(configuration.reloadGateDays) days, lost ≤ \(configuration.reloadMaxLost), switched ≤ \(configuration.reloadMaxSwitched)" : "off")",
                "orders": "\((services.orders as? OrderExportStore).map { "\($0.export.count) from \($0.path)" } ?? (services.orders as? HTTPOrderSource)?.configuration.url ?? "none")",
            ])
            // Scripts that pass --port 0 read the chosen ports from here.
            var out = StandardOutput()
            if let metricsListener { out.line("metrics on \(configuration.metricsHost):\(metricsListener.port)") }
            out.line("listening on \(configuration.host):\(server.port)")
            if let webSocketPort = server.webSocketPort { out.line("websocket on \(configuration.host):\(webSocketPort)") }
            // After the customers' line, which scripts read first.
            if let agentsOn { out.line("agents on \(configuration.agentHost):\(agentsOn.port)") }
            out.flush()
        }
        let watcher = FileWatcher(folders: [configuration.intents, (configuration.intents as NSString).appendingPathComponent("tests")],
                                  files: [configuration.customers] + (configuration.orders.map { [$0] } ?? []))
        // A graceful shutdown stops the services in reverse order: the chat server drains
        // first while /healthz still answers (503), the metrics listener goes last.
        var group: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let metricsListener { group.append(.init(service: metricsListener)) }
        if let agentsOn { group.append(.init(service: agentsOn)) }
        if let days = configuration.retainDays {
            group.append(.init(service: RetentionService(directory: configuration.transcripts, instance: configuration.instance,
                                                         retainDays: days, logger: logger)))
        }
        let gate = configuration.reloadGate
            ? ReloadGate(transcripts: configuration.transcripts, days: configuration.reloadGateDays,
                         gate: ReplayGate(maxLost: configuration.reloadMaxLost, maxSwitched: configuration.reloadMaxSwitched))
            : nil
        group.append(.init(service: ReloadService(services: services, watcher: watcher, hangups: hangups, gate: gate)))
        group.append(.init(service: chat, successTerminationBehavior: .gracefullyShutdownGroup))
        var groupConfiguration = ServiceGroupConfiguration(services: group, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // The drain has its own timeout; this only bounds a service that would not stop.
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(configuration.drainTimeout.wholeSeconds + 10)
        try await ServiceGroup(configuration: groupConfiguration).run()
        await (services.orders as? HTTPOrderSource)?.shutdown()
    }

    /// A socket error as the system words it ("Address already in use").
    private static func reason(_ error: any Error) -> String {
        if let error = error as? IOError { return String(cString: strerror(error.errnoCode)) }
        return "\(error)"
    }

    private func raiseOpenFileLimit() {
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        }
    }
}
