import Logging
import NIOConcurrencyHelpers
import TreueCore

/// The customer directory in service, with the login verifier. A reload (file change or
/// SIGHUP) reads the CSV anew and swaps it in whole; a broken export keeps the old one.
public final class IdentityStore: Sendable {
    private let current: NIOLockedValueBox<IdentityPolicy>
    public let path: String

    public init(_ identity: IdentityPolicy, path: String) {
        current = NIOLockedValueBox(identity)
        self.path = path
    }

    public var identity: IdentityPolicy { current.withLockedValue { $0 } }

    @discardableResult
    public func reload(phases: [String], logger: Logger) -> Bool {
        do {
            let directory = try CustomerDirectory.load(path: path, phases: phases)
            for warning in directory.warnings { logger.warning("\(warning.description)") }
            current.withLockedValue { $0 = IdentityPolicy(directory: directory, verifier: $0.verifier, answersFromOrders: $0.answersFromOrders) }
            logger.notice("customer directory reloaded", metadata: ["path": "\(path)"])
            return true
        } catch {
            logger.error("customer directory reload failed; keeping the one in service", metadata: ["error": "\(error.message)"])
            return false
        }
    }
}
