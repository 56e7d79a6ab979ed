import NIOCore
import NIOEmbedded
import Testing
@testable import TreueServer

/// Connections set up as `ChatServer` sets them up, with `--proxy-protocol`: the
/// per-address cap counts the client the header names, not the proxy.
struct ProxyProtocolHandlerTests {
    let proxy = "127.0.0.1"

    func connect(from peer: String, services: ChatServices, gate: ConnectionGate) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        channel.remoteAddress = try SocketAddress(ipAddress: peer, port: 40000)
        try ChatServer.initialize(channel, services: services, gate: gate, trusted: [AddressBlock(proxy)!]).wait()
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 4242)).wait()
        return channel
    }

    func output(_ channel: EmbeddedChannel) throws -> String {
        channel.embeddedEventLoop.run()
        var text = ""
        while let buffer = try channel.readOutbound(as: ByteBuffer.self) { text += String(buffer: buffer) }
        return text
    }

    func services(perAddress: Int = 1) throws -> (ChatServices, ConnectionGate, PrometheusMetrics) {
        let prometheus = PrometheusMetrics()
        let services = try ServerTestSupport.services(metrics: prometheus.metrics) {
            $0.proxyProtocol = true
            $0.trustedProxies = [proxy]
            $0.maxConnectionsPerAddress = perAddress
        }
        return (services, ConnectionGate(maxConnections: 100, maxPerAddress: perAddress), prometheus)
    }

    @Test func theCapCountsTheClientNamedInTheHeader() throws {
        let (services, gate, _) = try services()
        let first = try connect(from: proxy, services: services, gate: gate)
        #expect(try output(first).isEmpty)   // nothing before the header
        try first.writeInbound(ByteBuffer(string: "PROXY TCP4 198.51.100.1 10.0.0.1 5000 4242\r\nhallo\n"))
        let greeting = try output(first)
        #expect(greeting.contains("Willkommen"))
        let second = try connect(from: proxy, services: services, gate: gate)
        try second.writeInbound(ByteBuffer(bytes: ProxyHeaderTests.v2IPv4))
        #expect(try output(second).contains("Willkommen"))   // another customer, same proxy
        let third = try connect(from: proxy, services: services, gate: gate)
        try third.writeInbound(ByteBuffer(string: "PROXY TCP4 198.51.100.1 10.0.0.1 5001 4242\r\n"))
        #expect(try output(third).contains("belegt"))         // the first customer again: over the cap
        #expect(!third.isActive)
        #expect(gate.openConnections == 2)
        services.writer.close()
    }

    @Test func aHeaderFromAnUntrustedPeerClosesTheConnection() throws {
        let (services, gate, prometheus) = try services()
        let channel = try connect(from: "192.0.2.9", services: services, gate: gate)
        #expect(try output(channel).contains("Willkommen"))    // a direct customer is served
        try channel.writeInbound(ByteBuffer(string: "PROXY TCP4 198.51.100.1 10.0.0.1 5000 4242\r\n"))
        channel.embeddedEventLoop.run()
        #expect(!channel.isActive)
        #expect(String(decoding: prometheus.exposition(), as: UTF8.self).contains(#"treue_connections_refused_total{reason="proxy_header"} 1"#))
        services.writer.close()
    }

    @Test func aDirectCustomerChatsNormally() throws {
        let (services, gate, _) = try services()
        let channel = try connect(from: "192.0.2.9", services: services, gate: gate)
        _ = try output(channel)
        try channel.writeInbound(ByteBuffer(string: "Wie hoch sind die Versandkosten?\n"))
        #expect(!(try output(channel)).isEmpty)
        #expect(channel.isActive)
        services.writer.close()
    }

    @Test func aMissingOrBrokenHeaderFromTheProxyClosesTheConnection() throws {
        let (services, gate, _) = try services()
        let silent = try connect(from: proxy, services: services, gate: gate)
        silent.embeddedEventLoop.advanceTime(by: .seconds(6))
        #expect(!silent.isActive)
        let broken = try connect(from: proxy, services: services, gate: gate)
        try broken.writeInbound(ByteBuffer(string: "hallo\n"))
        broken.embeddedEventLoop.run()
        #expect(!broken.isActive)
        #expect(gate.openConnections == 0)
        services.writer.close()
    }
}
