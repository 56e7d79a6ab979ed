import Foundation
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing
@testable import TreueServer

/// `GET /healthz` and `GET /metrics` as a load balancer and Prometheus see them.
struct MetricsHTTPHandlerTests {
    func get(_ path: String, metrics: PrometheusMetrics, health: HealthCheck) throws -> (HTTPResponseStatus, String) {
        let channel = EmbeddedChannel(handler: MetricsHTTPHandler(metrics: metrics, health: health))
        try channel.writeInbound(HTTPServerRequestPart.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: path)))
        try channel.writeInbound(HTTPServerRequestPart.end(nil))
        var status: HTTPResponseStatus?
        var body = ""
        while let part = try channel.readOutbound(as: HTTPServerResponsePart.self) {
            switch part {
            case let .head(head): status = head.status
            case let .body(.byteBuffer(buffer)): body += String(buffer: buffer)
            default: break
            }
        }
        return (try #require(status), body)
    }

    @Test func healthIsServingThenDrainingOrFailingWrites() throws {
        let prometheus = PrometheusMetrics()
        let services = try ServerTestSupport.services(sync: .never, metrics: prometheus.metrics)
        let health = HealthCheck(writer: services.writer)
        #expect(try get("/healthz", metrics: prometheus, health: health) == (.ok, "serving\n"))

        // A write that fails (here: a folder where the day file belongs) turns the instance
        // unhealthy and is counted, until a write succeeds again.
        try FileManager.default.createDirectory(atPath: services.configuration.transcripts + "/2026-12-04.jsonl", withIntermediateDirectories: false)
        let failed = NIOLockedFlag()   // set on this thread: without fsync the writer answers inline
        services.writer.append(bytes: Array("{}\n".utf8), day: "2026-12-04") { if case .failure = $0 { failed.set() } }
        #expect(failed.value)
        let (status, text) = try get("/healthz", metrics: prometheus, health: health)
        #expect(status == .serviceUnavailable)
        #expect(text.hasPrefix("transcripts not writable"))
        #expect(try get("/metrics", metrics: prometheus, health: health).1.contains("treue_transcript_write_failures_total 1"))

        services.writer.append(bytes: Array("{}\n".utf8), day: "2026-12-05") { _ in }
        #expect(try get("/healthz", metrics: prometheus, health: health) == (.ok, "serving\n"))
        services.writer.close()

        let fresh = HealthCheck(writer: try ServerTestSupport.services().writer)
        fresh.startDraining()
        #expect(try get("/healthz", metrics: prometheus, health: fresh) == (.serviceUnavailable, "draining\n"))
    }

    @Test func metricsAreTheTextFormatAndOtherPathsAreNotFound() throws {
        let prometheus = PrometheusMetrics()
        let services = try ServerTestSupport.services(metrics: prometheus.metrics)
        let health = HealthCheck(writer: services.writer)
        let (status, text) = try get("/metrics", metrics: prometheus, health: health)
        #expect(status == .ok)
        #expect(text.contains("# TYPE treue_connections_accepted_total counter"))
        #expect(try get("/admin", metrics: prometheus, health: health).0 == .notFound)
        services.writer.close()
    }
}
