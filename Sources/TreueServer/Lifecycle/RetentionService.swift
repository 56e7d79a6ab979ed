import Foundation
import Logging
import ServiceLifecycle

/// Deletes this instance's day files older than `--retain-days`, at start and once a day,
/// and logs what it deleted.
public struct RetentionService: Service {
    let directory: String
    let instance: String?
    let retainDays: Int
    let logger: Logger

    public init(directory: String, instance: String?, retainDays: Int, logger: Logger) {
        self.directory = directory
        self.instance = instance
        self.retainDays = retainDays
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled && !isShuttingDown {
            let deleted = TranscriptRetention.apply(directory: directory, instance: instance, retainDays: retainDays, now: Date())
            if !deleted.isEmpty {
                logger.notice("retention deleted old transcript files", metadata: [
                    "retain_days": "\(retainDays)", "files": "\(deleted.joined(separator: ", "))",
                ])
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(86_400)) }
            } catch {
                return
            }
        }
    }

    private var isShuttingDown: Bool { Task.isShuttingDownGracefully }
}
