import NIOConcurrencyHelpers
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What `GET /healthz` answers: serving, or why a load balancer should send customers
/// elsewhere (draining, or the transcripts cannot be kept).
public final class HealthCheck: Sendable {
    public enum Status: Sendable, Equatable {
        case serving
        case draining
        case transcriptsUnwritable(String)

        public var isHealthy: Bool { self == .serving }

        public var text: String {
            switch self {
            case .serving: "serving"
            case .draining: "draining"
            case let .transcriptsUnwritable(why): "transcripts not writable: \(why)"
            }
        }
    }

    private let draining = NIOLockedValueBox(false)
    private let writer: TranscriptWriter

    public init(writer: TranscriptWriter) { self.writer = writer }

    public func startDraining() { draining.withLockedValue { $0 = true } }

    public var status: Status {
        if draining.withLockedValue({ $0 }) { return .draining }
        let directory = writer.configuration.directory
        if access(directory, W_OK) != 0 {
            return .transcriptsUnwritable("'\(directory)': \(FileFailure.current(path: directory))")
        }
        if writer.lastWriteFailed { return .transcriptsUnwritable("the last write failed") }
        return .serving
    }
}
