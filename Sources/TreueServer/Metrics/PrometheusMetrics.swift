import Prometheus

/// The Prometheus registry behind `--metrics-port` and the metrics it holds, with histogram
/// buckets that fit a chat server: replies in milliseconds, fsyncs in fractions of one,
/// group commits of one to a few hundred records.
public struct PrometheusMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    public let metrics: ServerMetrics

    public init() {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
        ]
        factory.valueHistogramBuckets[ServerMetrics.Name.groupCommitRecords] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024]
        self.registry = registry
        metrics = ServerMetrics(factory: factory)
    }

    /// The text exposition format, as `GET /metrics` serves it.
    public func exposition() -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}
