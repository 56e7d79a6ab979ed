import Foundation
import ArgumentParser
import Logging
import NIOCore
import TreueServer

/// The flags of `treue serve`. Each one is optional: an unset flag leaves the value from
/// the `--config` file or, without one, `ServerConfiguration`'s default, which the help
/// text shows. `apply(to:)` is the one place flags become settings; the config file goes
/// through the same flags (see `ServeConfigFile`), so its keys are the flag names.
struct ServeSettings: ParsableArguments {
    private static let defaults = ServerConfiguration.defaults

    @Option(help: "Address to listen on (default: \(defaults.host)).")
    var host: String?

    @Option(help: "TCP port to listen on; 0 picks a free one and prints it (default: \(defaults.port)).")
    var port: Int?

    @Option(help: "The knowledge base folder (default: \(defaults.intents)).")
    var intents: String?

    @Option(help: "The customer directory, a CSV export from the CRM (default: \(defaults.customers)).")
    var customers: String?

    @Option(help: "Order export (CSV) to answer order questions from; reloaded on SIGHUP or change (e.g. Customers/demo-orders.csv).")
    var orders: String?

    @Option(help: ArgumentHelp("The shop's live order service: GET URL+NUMBER with a bearer token (--orders-token-file or TREUE_ORDERS_TOKEN).",
                               valueName: "url"))
    var ordersURL: String?

    @Option(help: "File holding the order service's bearer token (must not be world-readable).")
    var ordersTokenFile: String?

    @Option(help: "Most order-service lookups in flight at once; more are answered as unavailable at once (default: \(defaults.ordersMaxInFlight)).")
    var ordersMaxInFlight: Int?

    @Option(help: "Seconds an order-service answer is reused for the same number, 0 to ask every time (default: \(defaults.ordersCache.wholeSeconds)).")
    var ordersCache: Double?

    @Option(help: "Seconds an order lookup may take before the customer is told it is unavailable (default: \(defaults.lookupTimeout.wholeSeconds)).")
    var ordersTimeout: Double?

    @Flag(inversion: .prefixedNo, help: "Before a reload goes into service, replay recent transcripts through it; more lost or switched answers than allowed keep the old knowledge base (default: no; docs/replay.md).")
    var reloadGate: Bool?

    @Option(help: "Days of this server's transcripts the reload gate replays (default: \(defaults.reloadGateDays)).")
    var reloadGateDays: Int?

    @Option(help: "Messages the reload gate lets lose their answer (default: \(defaults.reloadMaxLost)).")
    var reloadMaxLost: Int?

    @Option(help: "Messages the reload gate lets switch to other intents (default: \(defaults.reloadMaxSwitched)).")
    var reloadMaxSwitched: Int?

    @Option(help: "Transcript directory (default: \(defaults.transcripts)).")
    var transcripts: String?

    @Option(help: "Instance name, added to transcript file names (YYYY-MM-DD.NAME.jsonl) when several instances run.")
    var instance: String?

    @Option(help: "When transcripts reach the disk: always (fsync before each reply, group commit), batch (fsync once a second) or never (default: \(defaults.fsync.rawValue)).")
    var fsync: TranscriptSyncPolicy?

    @Option(help: "Delete this instance's transcript files older than this many days (at start and daily).")
    var retainDays: Int?

    @Flag(inversion: .prefixedNo, help: "Create transcript files group-readable (0640) instead of 0600 (default: no).")
    var groupReadable: Bool?

    @Option(help: "YAML file of redaction rules added to (or replacing) the built-in ones; see docs/transcripts.md.")
    var redactionRules: String?

    @Option(help: "File with login secrets, one per line (must not be world-readable).")
    var loginSecretFile: String?

    @Option(help: "Port for the service agents' listener (docs/handoff.md); no listener without it.")
    var agentPort: Int?

    @Option(help: "Address of the agent listener (default: \(defaults.agentHost)).")
    var agentHost: String?

    @Option(help: "File with agent-token secrets, one per line (or TREUE_AGENT_SECRET; must not be world-readable); required with --agent-port.")
    var agentSecretFile: String?

    @Option(help: "The service agents' display names, a CSV with the columns id,name.")
    var agents: String?

    @Option(help: "Most connections at once; more are refused politely (default: \(defaults.maxConnections)).")
    var maxConnections: Int?

    @Option(help: "Most connections from one client address (default: \(defaults.maxConnectionsPerAddress)).")
    var maxConnectionsPerAddress: Int?

    @Option(help: "Longest accepted line in bytes; longer lines get an error and are discarded (default: \(defaults.maxLineBytes)).")
    var maxLineBytes: Int?

    @Option(help: "Seconds without a complete line before the connection is closed with a goodbye (default: \(defaults.idleTimeout.wholeSeconds)).")
    var idleTimeout: Int?

    @Option(help: "Lines per second a connection may send on average (default: \(defaults.linesPerSecond.formatted)).")
    var rateLimit: Double?

    @Option(help: "Lines a connection may send in a burst above the rate limit (default: \(defaults.burst)).")
    var burst: Int?

    @Option(help: "Refused lines in a row after which a flooding client is disconnected (default: \(defaults.floodDisconnectAfter)).")
    var floodDisconnect: Int?

    @Option(help: "Replies a connection may have waiting for the disk before its input is paused (default: \(defaults.maxPendingReplies)).")
    var maxPendingReplies: Int?

    @Option(help: "Bytes of lines one connection may send per minute, at least one longest line; more are refused like a flood (default: \(defaults.bytesPerConnectionMinute)).")
    var volumePerConnection: Int?

    @Option(help: "Bytes of lines all connections from one client address may send per minute together (default: \(defaults.bytesPerAddressMinute)).")
    var volumePerAddress: Int?

    @Option(help: "Refuse new sessions politely while the transcript file system has less than this many MB free; 0 turns it off (default: \(defaults.minimumFreeTranscriptBytes / 1_048_576)).")
    var minFreeDiskMb: Int?

    @Option(help: "PCRE2 match limit per pattern and message (default: \(defaults.matchLimit)).")
    var matchLimit: UInt32?

    @Option(help: "Event-loop threads (default: one per core).")
    var threads: Int?

    @Option(help: "Log level (default: \(defaults.logLevel.rawValue)).")
    var logLevel: Logger.Level?

    @Option(help: "Seconds a drain (SIGTERM, SIGINT) waits for customers' last records before it closes what is left (default: \(defaults.drainTimeout.wholeSeconds)).")
    var drainTimeout: Int?

    @Option(help: "Also listen for the web widget's WebSocket on this port (native; websockify is not needed).")
    var websocketPort: Int?

    @Option(help: "A page origin allowed to open the WebSocket (https://shop.example); repeatable; * allows any (default: the port's own pages).")
    var websocketOrigin: [String] = []

    @Option(help: "Largest WebSocket message in bytes, fragments together; a larger frame closes the connection (default: \(defaults.webSocketMaxMessageBytes)).")
    var websocketMaxMessage: Int?

    @Option(help: "A flat folder of files (the widget, a demo page) served over HTTP on the WebSocket port.")
    var webRoot: String?

    @Option(help: "Port for GET /metrics (Prometheus) and GET /healthz; no listener without it.")
    var metricsPort: Int?

    @Option(help: "Address of the metrics listener (default: \(defaults.metricsHost)).")
    var metricsHost: String?

    @Flag(inversion: .prefixedNo, help: "Expect a PROXY protocol header (v1 or v2) from the --trusted-proxy addresses and use the client address it carries (default: no).")
    var proxyProtocol: Bool?

    @Option(help: "An address or CIDR block (10.0.0.0/8, ::1) whose PROXY header is believed; repeatable.")
    var trustedProxy: [String] = []

    /// Sets every flag that was given; the rest stay as they are.
    func apply(to c: inout ServerConfiguration) {
        if let host { c.host = host }
        if let port { c.port = port }
        if let intents { c.intents = intents }
        if let customers { c.customers = customers }
        if let orders { c.orders = orders }
        if let ordersTimeout { c.lookupTimeout = .milliseconds(Int64(ordersTimeout * 1000)) }
        if let ordersURL { c.ordersURL = ordersURL }
        if let ordersTokenFile { c.ordersTokenFile = ordersTokenFile }
        if let ordersMaxInFlight { c.ordersMaxInFlight = ordersMaxInFlight }
        if let ordersCache { c.ordersCache = .milliseconds(Int64(ordersCache * 1000)) }
        if let reloadGate { c.reloadGate = reloadGate }
        if let reloadGateDays { c.reloadGateDays = reloadGateDays }
        if let reloadMaxLost { c.reloadMaxLost = reloadMaxLost }
        if let reloadMaxSwitched { c.reloadMaxSwitched = reloadMaxSwitched }
        if let transcripts { c.transcripts = transcripts }
        if let instance { c.instance = instance }
        if let fsync { c.fsync = fsync }
        if let retainDays { c.retainDays = retainDays }
        if let groupReadable { c.groupReadable = groupReadable }
        if let redactionRules { c.redactionRules = redactionRules }
        if let loginSecretFile { c.loginSecretFile = loginSecretFile }
        if let maxConnections { c.maxConnections = maxConnections }
        if let maxConnectionsPerAddress { c.maxConnectionsPerAddress = maxConnectionsPerAddress }
        if let maxLineBytes { c.maxLineBytes = maxLineBytes }
        if let idleTimeout { c.idleTimeout = .seconds(Int64(idleTimeout)) }
        if let rateLimit { c.linesPerSecond = rateLimit }
        if let burst { c.burst = burst }
        if let floodDisconnect { c.floodDisconnectAfter = floodDisconnect }
        if let maxPendingReplies { c.maxPendingReplies = maxPendingReplies }
        if let volumePerConnection { c.bytesPerConnectionMinute = volumePerConnection }
        if let volumePerAddress { c.bytesPerAddressMinute = volumePerAddress }
        if let minFreeDiskMb { c.minimumFreeTranscriptBytes = Int64(minFreeDiskMb) * 1_048_576 }
        if let matchLimit { c.matchLimit = matchLimit }
        if let threads { c.threads = threads }
        if let logLevel { c.logLevel = logLevel }
        if let drainTimeout { c.drainTimeout = .seconds(Int64(drainTimeout)) }
        if let websocketPort { c.webSocketPort = websocketPort }
        if !websocketOrigin.isEmpty { c.webSocketOrigins = websocketOrigin }
        if let websocketMaxMessage { c.webSocketMaxMessageBytes = websocketMaxMessage }
        if let webRoot { c.webRoot = webRoot }
        if let metricsPort { c.metricsPort = metricsPort }
        if let agentPort { c.agentPort = agentPort }
        if let agentHost { c.agentHost = agentHost }
        if let agentSecretFile { c.agentSecretFile = agentSecretFile }
        if let agents { c.agents = agents }
        if let metricsHost { c.metricsHost = metricsHost }
        if let proxyProtocol { c.proxyProtocol = proxyProtocol }
        if !trustedProxy.isEmpty { c.trustedProxies = trustedProxy }
    }

    /// Bad values, each named by its flag (or config key).
    func validate() throws {
        if let port { guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535") } }
        if let websocketPort { guard (0...65535).contains(websocketPort) else { throw ValidationError("--websocket-port must be 0 to 65535") } }
        if let websocketMaxMessage, websocketMaxMessage < 64 { throw ValidationError("--websocket-max-message must be at least 64") }
        if let metricsPort { guard (0...65535).contains(metricsPort) else { throw ValidationError("--metrics-port must be 0 to 65535") } }
        if let agentPort { guard (0...65535).contains(agentPort) else { throw ValidationError("--agent-port must be 0 to 65535") } }
        if let maxLineBytes { guard maxLineBytes >= 16 else { throw ValidationError("--max-line-bytes must be at least 16") } }
        for (name, value) in [("--max-connections", maxConnections), ("--max-connections-per-address", maxConnectionsPerAddress),
                              ("--idle-timeout", idleTimeout), ("--burst", burst), ("--flood-disconnect", floodDisconnect),
                              ("--max-pending-replies", maxPendingReplies), ("--threads", threads), ("--retain-days", retainDays)] {
            if let value, value <= 0 { throw ValidationError("\(name) must be positive") }
        }
        for (name, value) in [("--volume-per-connection", volumePerConnection), ("--volume-per-address", volumePerAddress)] {
            if let value, value <= 0 { throw ValidationError("\(name) must be positive") }
        }
        if let reloadGateDays, !(1...366).contains(reloadGateDays) { throw ValidationError("--reload-gate-days must be 1 to 366") }
        if let reloadMaxLost, reloadMaxLost < 0 { throw ValidationError("--reload-max-lost must be 0 or more") }
        if let reloadMaxSwitched, reloadMaxSwitched < 0 { throw ValidationError("--reload-max-switched must be 0 or more") }
        if let minFreeDiskMb, minFreeDiskMb < 0 { throw ValidationError("--min-free-disk-mb must be 0 or more") }
        if let drainTimeout, drainTimeout < 0 { throw ValidationError("--drain-timeout must not be negative") }
        if let ordersTimeout, !(ordersTimeout > 0 && ordersTimeout <= 60) {
            throw ValidationError("--orders-timeout must be above 0 and at most 60 seconds")
        }
        if let ordersMaxInFlight, ordersMaxInFlight <= 0 { throw ValidationError("--orders-max-in-flight must be positive") }
        if let ordersCache, !(ordersCache >= 0 && ordersCache <= 3600) { throw ValidationError("--orders-cache must be 0 to 3600 seconds") }
        if let ordersURL {
            guard let url = URL(string: ordersURL), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw ValidationError("--orders-url must be an http:// or https:// URL, e.g. https://shop.example/api/orders/")
            }
        }
        if let rateLimit, !(rateLimit > 0) { throw ValidationError("--rate-limit must be positive") }
        if let instance, instance.isEmpty || instance.count > 40 || !instance.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
            throw ValidationError("--instance may use letters, digits, - and _ only (at most 40)")
        }
        for proxy in trustedProxy where AddressBlock(proxy) == nil {
            throw ValidationError("--trusted-proxy '\(proxy)' is not an IP address or CIDR block")
        }
    }
}

extension TranscriptSyncPolicy: ExpressibleByArgument {}

extension Logger.Level: @retroactive ExpressibleByArgument {}

private extension Double {
    var formatted: String { self == rounded() ? String(Int(self)) : String(self) }
}
